# Numbers in a verdict's words read as numfmt writes them: a p-value below
# 0.001 is "p < 0.001", not an exponent. campaign_srm.csv allocates 10000
# and 11000 users where 1:1 was meant, R: chisq.test(c(10000, 11000))
# X-squared 47.61905, p 5.176309e-12.
load agg campaign_srm.csv
campaign s aggregates=agg
test s
campaign r aggregates=agg metric=revenue
test r
