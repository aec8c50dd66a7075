# Recommendations on recs_events.csv, weights view 1, click 2, purchase and
# redeem 4, a pair's rows folded to its strongest (repeats=max); two rows
# lack a user or an item (skipped 2). Users a..e, items in order of first
# appearance c1 d1 d2 k1 (c2 only in recs_items.csv):
#   a: c1 4, d1 2   b: c1 2, d2 4   c: d1 2, d2 2   d: c1 1   e: k1 4, d2 1
# Item columns over users a..e: c1 (4,2,0,1,0), d1 (2,0,2,0,0),
# d2 (0,4,2,0,1), k1 (0,0,0,0,4); |c1|^2 = 21, |d1|^2 = 8, |d2|^2 = 21.
# shrink=0: sim(c1,d1) = 8/sqrt(168) = 0.617213, sim(c1,d2) = 8/21 =
# 0.380952, sim(d1,d2) = 4/sqrt(168) = 0.308607, sim(d2,k1) = 1/sqrt(21).
#   d: d1 1 x 0.617213, d2 1 x 0.380952, both because of c1
#   a: d2 4 x 0.380952 + 2 x 0.308607 = 2.141023 (c1 first, then d1)
#   e: c1 1 x 0.380952, d1 1 x 0.308607 (because of d2, 红烧肉)
# shrink=10 (default): a: d2 4 x 8/31 + 2 x 4/(sqrt(168) + 10) = 1.380668.
# popular = distinct users: c1 3, d2 3, d1 2, k1 1; d has c1, so d2 d1 k1;
# a newcomer (zz) gets c1 before d2 (ties: first item first).
# segment learner = a and d; each user's scores divided by their best:
# a: d2 1; d: d1 1, d2 0.380952 / 0.617213 = 0.617213; means: d2 0.808607,
# d1 0.5. Users with a redeem row: e: c1 1, d1 0.308607 / 0.380952 =
# 0.810093.
# split=last holds out each user's last item: a d1, b d2, c d1, e d2 (d has
# one item). Training leaves one item per user, so itemcf finds nothing;
# popular (c1 3, d2 1, k1 1) lists a: d2 k1, b: d2 k1, c: c1 k1, e: c1 d2:
# hits b at 1 and e at 2: precision 2/10/4 = 0.05, recall 2/4 = 0.5,
# NDCG (1 + 1/log2(3))/4 = 0.407732, hit rate 0.5, coverage 3 of 4 items.
# k=1: popular lists d2, d2, c1, c1: one hit of 4 (b), coverage 2 of 4.
# repeats=sum: a: c1 1 + 4 = 5, c: d1 1 + 2 = 3, so c1 (5,2,0,1,0) and
# d1 (2,0,3,0,0): d gets d1 10/sqrt(390) = 0.506370, d2 8/sqrt(630) =
# 0.318728; with every type weighing 1: c1 (2,1,0,1,0), d1 (1,0,2,0,0),
# d2 (0,1,1,0,1): d1 2/sqrt(30) = 0.365148, d2 1/sqrt(18) = 0.235702.
# Content: d1 is the only item sharing a word (健康) with d's c1; hybrid
# blends the max-normalised itemcf and content halves. The same command
# twice gives the same bytes.
load ev recs_events.csv
load it recs_items.csv
load ru recs_users.csv
recommend ev for=d shrink=0
recommend ev for=a shrink=0 items=it
recommend ev for=e shrink=0 items=it n=1
recommend ev for=a items=it
recommend ev for=a items=it
recommend ev for=d method=popular items=it
recommend ev for=zz method=popular items=it domain=course,dish
recommend ev for=d items=it shrink=0 domain=coupon
recommend ev segment=learner users=ru shrink=0
recommend ev segment=redeem by=event shrink=0 items=it
recommend ev for=d method=content items=it
recommend ev for=b method=hybrid items=it n=2
evaluate-recs ev split=last
evaluate-recs ev split=last method=popular k=1
recommend ev for=d shrink=0 repeats=sum weights=view:1,click:2,purchase:4,redeem:4
recommend ev for=d shrink=0 repeats=sum weights=view:1,click:1,purchase:1,redeem:1 event=event user=user_id item=item_id time=ts
