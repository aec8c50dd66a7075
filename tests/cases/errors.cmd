# Every failure prints an error object and a message on stderr.
load missing nope.csv
load users users.csv
describe nobody
frobnicate users
describe
load users users.csv delim=ab
filter users where="spend > 'x'" as=f
filter users where="city == '上海'"
aggregate users by=town n=count() as=a
aggregate users by=city s=sum(city) as=a
aggregate users by=city s=total(spend) as=a
load dup users_dup.csv
join users dup on=user_id as=j
join users dup on=user_id dup=first columns=city as=j
derive users spend=spend*2
sort users by=spend sideways
derive users a=spend*2 b=nope+1
describe users
aggregate users every=day as=a
aggregate users by=city tz=Mars n=count() as=a
