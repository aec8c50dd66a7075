# adjust=bh: Benjamini-Hochberg instead of Holm over the comparisons. R:
# p <- c(prop.test(c(130,100), c(1000,1000), correct=FALSE)$p.value, ...)
# for b, c, d; p.adjust(p, "holm") and p.adjust(p, "BH") give p_adjusted.
load arms adjust_arms.csv
campaign holm aggregates=arms
test holm
campaign bh aggregates=arms adjust=bh
test bh
campaign bad aggregates=arms adjust=bonferroni
