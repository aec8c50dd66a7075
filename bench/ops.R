# The operations of bench-ops.c in data.table, on the same file, each the
# best of several runs, in milliseconds (timed inside R).
suppressMessages(library(data.table))
setDTthreads(2)
args <- commandArgs(trailingOnly = TRUE)
ev <- fread(args[1], na.strings = c("", "NA"))
best <- function(expr) {
	e <- substitute(expr)
	min(replicate(7, system.time(eval(e, parent.frame()))[["elapsed"]])) * 1000
}
kept <- nrow(ev[amount > 50 & arm == "coupon"])
f <- best(ev[amount > 50 & arm == "coupon"])
d <- best(ev[, amount * 2])
# Local day: the text before the time, as crossmkt buckets by each value's own offset.
a <- best(ev[, .(events = .N, revenue = sum(amount, na.rm = TRUE)), keyby = .(day = substr(ts, 1, 10))])
cat(sprintf("data.table filter (amount > 50 & arm == 'coupon'):  %8.1f ms  (%d rows kept)\n", f, kept))
cat(sprintf("data.table derive (amount * 2):                      %8.1f ms\n", d))
cat(sprintf("data.table aggregate by day (.N, sum):               %8.1f ms\n", a))
