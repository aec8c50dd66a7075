# mask: "***" in head, describe (top value, min, max) and export; the flag
# follows the column into filtered and joined datasets.
load users users.csv
load ev events.csv
mask users columns=city,spend
head users n=2
describe users
export users masked.csv
filter users where="segment == 'light'" as=light
head light
join ev users on=user_id columns=city as=j
head j n=1
mask users columns=city,nope
# min_group: a dataset with count() or distinct() columns withholds small groups.
aggregate ev by=arm n=count() users=distinct(user_id) revenue=sum(amount) as=arms
export arms arms.csv
export arms arms3.csv min_group=3
export arms arms2.csv min_group=2
export users users2.csv min_group=2 columns=user_id
export arms x.csv min_group=-1
# count() counts users only over one row per user; distinct() only of the user column.
aggregate users by=segment k=count() total=sum(spend) as=segs
export segs segs.csv min_group=2
aggregate ev by=arm k=count() u=distinct(user_id) e=distinct(event) as=arms2
export arms2 arms_u.csv min_group=3
# forget: every dataset with a user column, or the ones named.
forget u1
forget ev user=u2
forget users j user=u9
forget arms user=u3
forget ev users
head ev
export users forgotten.csv
