# Periods moved by tz= past either end of the calendar are refused.
load e calendar-edges.csv
filter e where="id == 1" as=lo
filter e where="id == 2" as=hi
aggregate lo every=day time=ts tz=-01:00 n=count(id) as=a
aggregate hi every=day time=ts tz=+01:00 n=count(id) as=a
aggregate hi every=week time=ts tz=+01:00 n=count(id) as=a
aggregate lo every=day time=ts tz=UTC n=count(id) as=a
head a
aggregate hi every=month time=day n=count(id) as=b
head b
