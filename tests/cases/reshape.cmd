# Filter, derive, aggregate by local day and by UTC day, join, sort, head.
load ev events.csv
load users users.csv
derive ev double=amount*2 local_day=day(ts)
aggregate ev every=day time=ts n=count() buyers=distinct(user_id) revenue=sum(amount) avg=mean(amount) as=daily
head daily
aggregate ev every=day time=ts tz=UTC n=count() as=utc
head utc
aggregate ev by=arm n=count() revenue=sum(amount) median=median(amount) first=first(event) last=last(event) as=byarm
head byarm
join ev users on=user_id columns=city,segment as=evu
head evu n=2
filter evu where="city == '上海' and amount is not missing" as=sh
head sh
sort users by=spend desc
head users
drop sh
datasets
