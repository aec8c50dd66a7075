# R beside crossmkt on calendar data: forecast::ets, stlf on msts(7, 365.25),
# tbats and auto.arima with Fourier terms (K = 3, 10) on the same held-out
# points as crossmkt's forecast commands (bench/forecast-calendar.sh), their
# MASE (scaled by the in-sample lag-7 naive error, as crossmkt's) and how
# often the actual values fall inside the 80% and 95% intervals; then the
# CPU time of one fit and 365-day forecast of a 3-year daily series.
# usage: Rscript forecast-calendar.R DAILY_CSV WP_CSV CROSSMKT_JSONL CROSSMKT_TIMES
suppressMessages({ library(forecast); library(jsonlite) })
a <- commandArgs(TRUE)
daily <- read.csv(a[1]); wp <- read.csv(a[2])
cm_lines <- readLines(a[3]); cm_times <- read.table(a[4], col.names = c("model", "ms"))

cpu <- function() { t <- proc.time(); t[["user.self"]] + t[["sys.self"]] }
score <- function(tr, te, f) {
  inside <- function(lo, hi) mean(te >= lo & te <= hi)
  c(mase = mean(abs(te - as.numeric(f$mean))) / mean(abs(diff(tr, lag = 7))),
    c80 = inside(f$lower[, 1], f$upper[, 1]), c95 = inside(f$lower[, 2], f$upper[, 2]))
}
r_models <- list(
  ets = function(tr, h) forecast(ets(ts(tr, frequency = 7)), h = h),
  # stlf drops the yearly season (with a warning) below two years of data.
  stlf = function(tr, h) suppressWarnings(stlf(msts(tr, c(7, 365.25)), h = h)),
  tbats = function(tr, h) forecast(tbats(msts(tr, c(7, 365.25)), use.parallel = FALSE), h = h),
  arima_fourier = function(tr, h) {
    x <- msts(tr, c(7, 365.25)); k <- c(3, 10)
    fit <- auto.arima(x, xreg = fourier(x, K = k), seasonal = FALSE)
    forecast(fit, xreg = fourier(x, K = k, h = h))
  })

# crossmkt's results: (set, model) -> mase, c80, c95.
cm <- do.call(rbind, lapply(cm_lines, function(l) {
  o <- fromJSON(l, simplifyVector = FALSE)
  if (!isTRUE(o$ok) || is.null(o$result$accuracy)) return(NULL)
  p <- o$result$forecast
  act <- sapply(p, `[[`, "actual")
  inside <- function(lo, hi) mean(act >= sapply(p, `[[`, lo) & act <= sapply(p, `[[`, hi))
  arg <- function(k) { m <- regmatches(o$command, regexpr(paste0(k, "=[^ ]+"), o$command))
    if (length(m)) sub(".*=", "", m) else "" }
  data.frame(set = paste(o$result$dataset, arg("column"), arg("holdout"), arg("holidays")),
    model = arg("model"), chosen = o$result$model, mase = o$result$accuracy$mase,
    c80 = inside("lo80", "hi80"), c95 = inside("lo95", "hi95"))
}))

sets <- list()
for (col in c("orders", "gmv", "dau")) for (h in c(90, 180))
  sets[[length(sets) + 1]] <- list(label = paste(col, h), y = daily[[col]], h = h,
    cm = paste("d", col, h, "hol"))
d <- as.Date(wp$ds); full <- seq(min(d), max(d), by = 1)
wpy <- approx(as.numeric(d), wp$y, xout = as.numeric(full))$y
for (h in c(365, 90)) for (hol in c("", "po"))
  sets[[length(sets) + 1]] <- list(label = paste("wp", h, if (hol == "") "" else "+playoffs"),
    y = wpy, h = h, cm = paste("w y", h, hol))

cat("MASE (lag-7 scale) on the held-out points; coverage of the 80% / 95% intervals\n")
cat(sprintf("%-18s %-22s %-22s %-22s %-22s %-22s %-22s %-22s\n", "set", "crossmkt auto",
  "crossmkt mstl", "crossmkt fourier", "R ets", "R stlf", "R tbats", "R arima+fourier"))
fmt <- function(s) sprintf("%5.3f %3.0f%% %3.0f%%", s[["mase"]], 100 * s[["c80"]], 100 * s[["c95"]])
tot <- NULL
for (s in sets) {
  tr <- head(s$y, -s$h); te <- tail(s$y, s$h)
  r <- sapply(names(r_models), function(m) score(tr, te, r_models[[m]](tr, s$h)))
  mine <- sapply(c("auto", "mstl", "fourier"), function(m) {
    row <- cm[cm$set == s$cm & cm$model == m, ]
    if (nrow(row) == 0) row <- cm[cm$set == sub(" [^ ]*$", " ", s$cm) & cm$model == m, ]
    c(mase = row$mase[1], c80 = row$c80[1], c95 = row$c95[1])
  })
  cat(sprintf("%-18s %-22s %-22s %-22s %-22s %-22s %-22s %-22s\n", s$label, fmt(mine[, 1]),
    fmt(mine[, 2]), fmt(mine[, 3]), fmt(r[, 1]), fmt(r[, 2]), fmt(r[, 3]), fmt(r[, 4])))
  tot <- rbind(tot, c(mine["mase", ], r["mase", ]))
}
m <- colMeans(tot)
cat(sprintf("mean MASE: crossmkt auto %.3f (mstl %.3f, fourier %.3f); R ets %.3f, stlf %.3f, tbats %.3f, arima+fourier %.3f; best of R %.3f\n",
  m[1], m[2], m[3], m[4], m[5], m[6], m[7], min(m[4:7])))

# Fit + forecast time: the first 3 years of the page views, 365 days ahead.
y3 <- head(wpy, 1095)
cat("\nfit + 365-day forecast of a 3-year daily series, CPU ms:\n")
for (i in seq_len(nrow(cm_times)))
  cat(sprintf("  crossmkt %-8s %8.1f\n", cm_times$model[i], cm_times$ms[i]))
for (m in c("stlf", "tbats", "arima_fourier")) {
  t0 <- cpu(); f <- r_models[[m]](y3, 365); cat(sprintf("  R %-14s %8.1f\n", m, 1000 * (cpu() - t0)))
}
