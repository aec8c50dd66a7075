load h ctrl-header.csv
load g ctrl-cells.csv
head g
sort g by=[2Jnope
filter g where="note contains ''" as=x
