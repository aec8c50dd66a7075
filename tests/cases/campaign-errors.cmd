# Every bad campaign definition is an exact error.
load ev campaign_events.csv
load pu campaign_per_user.csv
load agg campaign_arms.csv
load users users.csv
campaign bad dataset=ev arm=arm control=ctl
campaign bad dataset=pu arm=variant control=A metric=column:nope
campaign bad dataset=pu arm=variant control=A metric=column:segment
campaign bad dataset=ev metric=clicks
campaign bad dataset=users arm=city control=上海 metric=retention:1
campaign bad dataset=users arm=city control=上海 metric=conversion window=7d
campaign bad dataset=pu arm=variant control=A metric=column:converted window=7d
campaign bad dataset=ev target="arm != 'discount'"
campaign bad dataset=pu arm=variant control=A metric=column:converted target="variant == 'A'"
campaign bad aggregates=agg control=coupon metric=ctr
campaign bad dataset=ev arm=nope
campaign bad dataset=pu arm=variant metric=column:converted
campaign bad dataset=ev metric=retention:0
campaign bad dataset=ev alloc=50,50
campaign bad dataset=ev alloc=50,x,1
campaign bad dataset=ev window=2 days
campaign bad dataset=ev window=fortnight
campaign bad dataset=ev aggregates=agg
campaign bad arm=arm
campaign bad aggregates=agg target="arm == 'x'"
campaign bad dataset=ev metric=ctr pre=7d
campaign bad dataset=ev covariate=amount pre=7d
campaign bad dataset=ev metric=retention:2 pre=7d
campaign bad dataset=ev alpha=2
campaign bad dataset=ev margin=-1
campaign bad dataset=ev start=March
campaign bad dataset=ev target="amount + 1"
campaign bad dataset=ev covariate=event
campaign bad dataset=ev users=nobody
campaign ok aggregates=agg
test ok by=arm
test nothing
campaign show nothing
campaign list extra
campaign show
campaign bad1 dataset=ev arm=arm control=control metric=conversion cap=99%
campaign bad2 dataset=ev arm=arm control=control metric=revenue cap=abc
campaign bad3 dataset=ev arm=arm control=control metric=revenue cap=0%
