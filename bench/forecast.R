# R beside crossmkt's forecast command: forecast::ets and stats::HoltWinters
# fitted and forecast on an evenly spaced sample of the same series, CPU time
# per series, with their sMAPE and MASE on the held-out points and, when
# crossmkt's output is given, crossmkt's scores on the same sample.
# usage: Rscript forecast.R M3_CSV DAILY_CSV [M3_SAMPLE] [DAILY_SAMPLE]
#        [CROSSMKT_M3_JSONL] [CROSSMKT_DAILY_JSONL]
suppressMessages({ library(forecast); library(data.table); library(jsonlite) })
a <- commandArgs(TRUE)
m3_csv <- a[1]; daily_csv <- a[2]
n_m3 <- if (length(a) >= 3) as.integer(a[3]) else 100L
n_daily <- if (length(a) >= 4) as.integer(a[4]) else 20L
cm_m3 <- if (length(a) >= 5) a[5] else ""
cm_daily <- if (length(a) >= 6) a[6] else ""

# CPU seconds of this process: steadier than wall time on a busy machine.
cpu <- function() { t <- proc.time(); t[["user.self"]] + t[["sys.self"]] }

acc <- function(tr, te, f, m) {
  scale <- mean(abs(diff(tr, lag = m)))
  c(smape = 200 * mean(abs(te - f) / (abs(te) + abs(f))), mase = mean(abs(te - f)) / scale)
}

# Per-series group accuracy from crossmkt's JSON lines, by group.
crossmkt_scores <- function(path) {
  if (path == "" || !file.exists(path)) return(NULL)
  for (l in readLines(path)) {
    if (!grepl("\"command\":\"forecast", l, fixed = FALSE)) next
    g <- fromJSON(l)$result$groups
    return(data.frame(id = as.character(g$group), smape = g$accuracy$smape, mase = g$accuracy$mase))
  }
  NULL
}

run <- function(label, ids, series, freq, h, cm) {
  sample_ids <- ids[unique(round(seq(1, length(ids), length.out = min(length(ids), n_sample))))]
  t_ets <- 0; t_hw <- 0; s_ets <- NULL; s_hw <- NULL; hw_failed <- 0
  for (id in sample_ids) {
    s <- series[[id]]; tr <- s$train; te <- s$test
    y <- ts(tr, frequency = freq)
    t0 <- cpu()
    f <- forecast(ets(y), h = h)$mean
    t_ets <- t_ets + cpu() - t0
    s_ets <- rbind(s_ets, acc(tr, te, as.numeric(f), freq))
    t0 <- cpu()
    f <- tryCatch(predict(HoltWinters(y), h), error = function(e) NULL)
    t_hw <- t_hw + cpu() - t0
    if (is.null(f)) { hw_failed <- hw_failed + 1; next }
    s_hw <- rbind(s_hw, acc(tr, te, as.numeric(f), freq))
  }
  k <- length(sample_ids)
  cat(sprintf("%s, R on %d of %d series (h %d):\n", label, k, length(ids), h))
  cat(sprintf("  R ets          %8.1f ms/series CPU  sMAPE %6.3f  MASE %.4f\n", 1000 * t_ets / k,
              mean(s_ets[, "smape"]), mean(s_ets[, "mase"])))
  cat(sprintf("  R HoltWinters  %8.1f ms/series CPU  sMAPE %6.3f  MASE %.4f%s\n", 1000 * t_hw / k,
              mean(s_hw[, "smape"]), mean(s_hw[, "mase"]),
              if (hw_failed > 0) sprintf("  (%d failed)", hw_failed) else ""))
  if (!is.null(cm)) {
    c <- cm[cm$id %in% sample_ids, ]
    cat(sprintf("  crossmkt auto  (timed above)         sMAPE %6.3f  MASE %.4f on the same %d series\n",
                mean(c$smape), mean(c$mase), nrow(c)))
  }
}

m3 <- fread(m3_csv, colClasses = c(series_id = "character"))
m3_series <- lapply(split(m3, m3$series_id), function(d)
  list(train = d$value[d$split == "train"], test = d$value[d$split == "test"]))
n_sample <- n_m3
run("M3 monthly", unique(m3$series_id), m3_series, 12, 18, crossmkt_scores(cm_m3))

daily <- fread(daily_csv, colClasses = c(series_id = "character"))
daily_series <- lapply(split(daily$value, daily$series_id), function(v)
  list(train = head(v, -14), test = tail(v, 14)))
n_sample <- n_daily
run("Daily, 3 years", unique(daily$series_id), daily_series, 7, 14, crossmkt_scores(cm_daily))
