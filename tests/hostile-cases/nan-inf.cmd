load h nan-inf.csv
describe h
derive h sq=f*f twice=f+f
head h
aggregate h s=sum(f) m=mean(f) sd=sd(f) med=median(f) as=a
head a
export a a.csv
load back a.csv
head back
