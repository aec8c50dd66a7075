# Campaigns on raw events (campaign_events.csv), worked out by hand:
# exposure = first row with an arm; x1 is in control and coupon (contaminated);
# 14-day window: c1 converts (day 2), c2's purchase is 19 days late, k2 buys
# 1 s inside the window, k3 exactly 14 days after (outside), p1 bought only
# before exposure. Conversions: control 1/5, coupon 3/4, discount 1/4.
# Revenue: control 20 (sumsq 400), coupon 65 (1525), discount 40 (1600);
# campaign_arms.csv holds the same sums and must give identical results.
# R: prop.test(c(3,1), c(4,5), correct=FALSE) p 0.09894294 (Yates 0.3295603),
# fisher.test p 0.2063492; t.test(c(15,30,0,20), c(20,0,0,0,0)) p 0.156418;
# p.adjust(c(0.09894294, 0.8577145), "holm") 0.1978859 0.8577145.
load ev campaign_events.csv
load agg campaign_arms.csv
campaign combo dataset=ev arm=arm control=control metric=conversion window=14d
test combo
campaign combo_agg aggregates=agg
test combo_agg
campaign rev dataset=ev metric=revenue
test rev
campaign rev_agg aggregates=agg metric=revenue
test rev_agg
# ctr: views control 5 (clicks 2), coupon 4 (1), discount 4 (1); t1's click has no arm.
campaign ctr dataset=ev metric=ctr
test ctr
# By exposure event: the click group has one control user and no one else.
test ctr by=event
# retention:1 by local day: k1 (redeem next day), t1 (23:30 view, 00:30 click +08:00).
campaign r1 dataset=ev metric=retention:1
test r1
# retention:19: only users exposed on 2024-03-01 are observable (data end 03-20):
# 8 too recent; control 1/2 (c2), coupon 0/2, discount 0/1.
campaign r19 dataset=ev metric=retention:19
test r19
# pre=14d: p1 bought 6 days before exposure, the only covariate of 1.
campaign pre dataset=ev metric=conversion pre=14d
test pre
# pre=14d on revenue: p1's 10 yuan before exposure is the only nonzero covariate.
campaign prerev dataset=ev metric=revenue pre=14d
test prerev
# by= a column of the events: the exposure row's value (c4 was exposed by a click).
test combo by=event
# start=2024-03-02 leaves out the 5 users exposed on 03-01; window=21d takes in k3.
campaign late dataset=ev start=2024-03-02 window=21d
test late
# c4's exposure row is a click: not targeted.
campaign views dataset=ev target="event == 'view'" margin=0.1 alloc=2,1,1
test views
load seg campaign_segments.csv
campaign seg dataset=ev users=seg target="tier == 'gold'" covariate=tenure metric=revenue
test seg
campaign tiers dataset=ev users=seg metric=revenue
test tiers by=tier
campaign show combo
campaign drop rev_agg
campaign list
