# One row per user (campaign_per_user.csv has no user column). From R:
# prop.test(c(4,2), c(6,6), correct=FALSE) p 0.2482131 (Yates 0.5637029),
# fisher.test(matrix(c(4,2,2,4),2)) p 0.5670996; with covariate=history the
# row with no history is left out, and t.test(c(15,22,40,0,18),
# c(20.5,0,0,35,0,0)) gives t 1.096065, df 8.779487, p 0.3022038,
# CI (-10.45023, 29.95023).
load pu campaign_per_user.csv
campaign conv dataset=pu arm=variant control=A metric=column:converted
test conv by=segment
campaign spend dataset=pu arm=variant control=A metric=column:spend covariate=history margin=5
test spend
# Tiny arms: one user each, zero conversions; nothing undefined is written
# (no lift on a zero control, no t-test or sequence on one user): see notes.
load tiny campaign_tiny.csv
campaign tb dataset=tiny metric=column:y
test tb
campaign tm dataset=tiny metric=column:v
test tm
# Zero conversions in the control and in one treatment.
load zero campaign_zero.csv
campaign z dataset=zero metric=column:y
test z
# Huge arms from aggregates (50 million users each): exact, nothing undefined.
load huge campaign_huge.csv
campaign hg aggregates=huge
test hg
campaign hr aggregates=huge metric=revenue
test hr
