# Coverage of 80% and 95% forecast intervals on held-out M3 points: crossmkt's
# auto (from its JSON output, all series and an evenly spaced sample) beside
# R's forecast::ets on the same sample, per frequency.
# usage: Rscript coverage.R SAMPLE LABEL M3_CSV FREQ H CROSSMKT_JSONL [LABEL ...]
suppressMessages({ library(forecast); library(data.table); library(jsonlite) })
a <- commandArgs(TRUE)
n_sample <- as.integer(a[1])
a <- a[-1]

# Points covered by [lo, hi], in percent.
cover <- function(lo, hi, x) 100 * mean(x >= lo & x <= hi)

crossmkt_points <- function(path) {
  for (l in readLines(path)) {
    if (!grepl("\"command\":\"forecast", l)) next
    g <- fromJSON(l)$result$groups
    return(rbindlist(lapply(seq_len(nrow(g)), function(i)
      cbind(id = as.character(g$group[i]), g$forecast[[i]][, c("lo80", "hi80", "lo95", "hi95", "actual")]))))
  }
  NULL
}

while (length(a) >= 5) {
  label <- a[1]; csv <- a[2]; freq <- as.integer(a[3]); h <- as.integer(a[4]); js <- a[5]
  a <- a[-(1:5)]
  m3 <- fread(csv, colClasses = c(series_id = "character"))
  ids <- unique(m3$series_id)
  sample_ids <- ids[unique(round(seq(1, length(ids), length.out = min(length(ids), n_sample))))]
  cm <- crossmkt_points(js)
  cs <- cm[cm$id %in% sample_ids, ]
  r <- NULL
  for (id in sample_ids) {
    d <- m3[m3$series_id == id, ]
    y <- ts(d$value[d$split == "train"], frequency = freq)
    te <- d$value[d$split == "test"]
    f <- forecast(ets(y), h = h, level = c(80, 95))
    r <- rbind(r, data.frame(lo80 = as.numeric(f$lower[, 1]), hi80 = as.numeric(f$upper[, 1]),
                             lo95 = as.numeric(f$lower[, 2]), hi95 = as.numeric(f$upper[, 2]),
                             actual = te))
  }
  cat(sprintf("%-12s crossmkt auto, all %4d series: 80%% %5.1f  95%% %5.1f | same %3d series: crossmkt %5.1f %5.1f, R ets %5.1f %5.1f\n",
              label, length(ids), cover(cm$lo80, cm$hi80, cm$actual), cover(cm$lo95, cm$hi95, cm$actual),
              length(sample_ids), cover(cs$lo80, cs$hi80, cs$actual), cover(cs$lo95, cs$hi95, cs$actual),
              cover(r$lo80, r$hi80, r$actual), cover(r$lo95, r$hi95, r$actual)))
}
