#!/bin/sh
# make bench: each benchmark prints its figure beside a reference measured
# in the same run (wc and cat, R's data.table / forecast, scikit-learn,
# scipy, numpy) whenever that reference is installed.
set -u
top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${builddir:-.}
out=${BENCH_OUT:-$builddir/bench-out}
mkdir -p "$out"

section() {
	printf '\n== %s\n' "$1"
}

section "1,000,000-event file"
if [ ! -s "$out/events.csv" ]; then
	"$builddir/crossmkt-gendemo" --seed 1 --users 100000 --events 1000000 --only events --out "$out" || exit 1
fi
ls -l "$out/events.csv"

section "CSV load (whole process) beside wc, cat and data.table::fread"
CROSSMKT=$builddir/crossmkt sh "$top_srcdir/bench/bench-load.sh" "$out/events.csv"

section "filter / derive / aggregate on 1M rows beside data.table"
"$builddir/bench/bench-ops" "$out/events.csv"
if command -v Rscript >/dev/null 2>&1; then
	Rscript "$top_srcdir/bench/ops.R" "$out/events.csv"
else
	echo "data.table: skipped (Rscript is not installed)"
fi

section "item-CF top-10 for 100,000 users x 5,000 items beside scipy.sparse"
"$builddir/bench/bench-recommend" -o "$out/recs.bin" -l "$out/recs.lists" || exit 1
"$builddir/bench/bench-recommend" -n
if /usr/bin/python3 -c 'import scipy' >/dev/null 2>&1; then
	/usr/bin/python3 "$top_srcdir/bench/bench-recommend.py" "$out/recs.bin" -l "$out/recs.lists"
else
	echo "scipy: skipped (/usr/bin/python3 cannot import scipy)"
fi

section "Online Retail: offline evaluation of the recommenders"
if [ -d "$top_srcdir/../shared/data" ]; then
	"$builddir/bench/recs-retail" "$top_srcdir/../shared/data/online_retail.csv"
else
	echo "recs-retail: skipped ($top_srcdir/../shared/data not found)"
fi

section "Online Retail: EASE and ALS through the console beside numpy's EASE on the same splits"
if [ -r "$top_srcdir/../shared/data/online_retail.csv" ]; then
	sh "$top_srcdir/bench/bench-ease.sh" "$builddir/crossmkt" "$top_srcdir/../shared/data/online_retail.csv" || exit 1
else
	echo "EASE: skipped ($top_srcdir/../shared/data/online_retail.csv not found)"
fi

section "forecast: 1,428 M3 monthly and 1,000 daily series, one by= command each, beside R's ets and HoltWinters"
m3=$top_srcdir/../shared/data/m3_monthly.csv
if [ ! -s "$out/forecast-daily.csv" ]; then
	awk -v n=1000 -v days=1095 -f "$top_srcdir/bench/forecast-daily.awk" > "$out/forecast-daily.csv" || exit 1
fi
# LABEL CSV SERIES HOLDOUT OUT: wall and CPU time of the forecast command
# alone (the whole run less a load-only run), per series.
forecast_cpu() {
	dest=$1
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%U %S' -o "$out/forecast-time" "$@" > "$dest" || return 1
		awk '{ printf "%d", ($1 + $2) * 1000 }' "$out/forecast-time"
	else
		"$@" > "$dest" || return 1
		echo 0
	fi
}
forecast_bench() {
	t0=$(date +%s%N)
	c0=$(forecast_cpu /dev/null "$builddir/crossmkt" --batch -e "load s $2") || return 1
	t1=$(date +%s%N)
	c1=$(forecast_cpu "$5" "$builddir/crossmkt" --batch -e "load s $2" \
	    -e "forecast s column=value by=series_id holdout=$4 model=auto") || return 1
	t2=$(date +%s%N)
	acc=$(sed -n 's/.*"accuracy":{"mase":\([^,]*\),"smape":\([^,]*\),"groups":[0-9]*}}}$/sMAPE \2  MASE \1/p' "$5")
	awk -v l="$1" -v n="$3" -v ns=$(( (t2 - t1) - (t1 - t0) )) -v cpu=$((c1 - c0)) -v a="$acc" \
	    -v th="$(nproc 2>/dev/null || echo 1)" 'BEGIN {
		printf "%s: crossmkt auto %.2f ms/series wall on %s threads, %.2f ms/series CPU (%d series in %.2f s; %s)\n",
		    l, ns / 1e6 / n, th, cpu / n, n, ns / 1e9, a }'
}
if [ -r "$m3" ]; then
	forecast_bench "M3 monthly, h 18" "$m3" 1428 18 "$out/forecast-m3.jsonl" || exit 1
else
	echo "M3: skipped ($m3 not found)"
fi
forecast_bench "Daily, 3 years, h 14" "$out/forecast-daily.csv" 1000 14 "$out/forecast-daily.jsonl" || exit 1
if command -v Rscript >/dev/null 2>&1 && Rscript -e 'library(forecast)' >/dev/null 2>&1 && [ -r "$m3" ]; then
	Rscript "$top_srcdir/bench/forecast.R" "$m3" "$out/forecast-daily.csv" 100 20 \
	    "$out/forecast-m3.jsonl" "$out/forecast-daily.jsonl"
else
	echo "R ets / HoltWinters: skipped (Rscript with the forecast package, or the M3 data, is missing)"
fi

section "calendar forecasts: daily.csv with holidays-cn, Peyton Manning page views; beside R's ets, stlf, tbats, auto.arima + Fourier"
sh "$top_srcdir/bench/forecast-calendar.sh" "$top_srcdir" "$builddir" "$out" || exit 1

section "interval coverage on held-out M3 points: crossmkt auto beside R's ets (nominal 80% and 95%)"
shared=$top_srcdir/../shared/data
if [ -r "$shared/m3_quarterly.csv" ] && [ -s "$out/forecast-m3.jsonl" ]; then
	for spec in "quarterly 8" "yearly 6" "other 8"; do
		# shellcheck disable=SC2086
		set -- $spec
		"$builddir/crossmkt" --batch -e "load s $shared/m3_$1.csv" \
		    -e "forecast s column=value time=date by=series_id holdout=$2 model=auto" \
		    > "$out/coverage-$1.jsonl" || exit 1
	done
	if command -v Rscript >/dev/null 2>&1 && Rscript -e 'library(forecast)' >/dev/null 2>&1; then
		Rscript "$top_srcdir/bench/coverage.R" 100 \
		    "M3 monthly" "$m3" 12 18 "$out/forecast-m3.jsonl" \
		    "M3 quarterly" "$shared/m3_quarterly.csv" 4 8 "$out/coverage-quarterly.jsonl" \
		    "M3 yearly" "$shared/m3_yearly.csv" 1 6 "$out/coverage-yearly.jsonl" \
		    "M3 other" "$shared/m3_other.csv" 1 8 "$out/coverage-other.jsonl"
	else
		echo "coverage: skipped (Rscript with the forecast package is missing)"
	fi
else
	echo "coverage: skipped (the M3 data is missing)"
fi

section "k-means, 1,000,000 x 8, k=8: the engine and the segment command beside scikit-learn"
"$builddir/bench/bench-kmeans" -w "$out/kmeans.bin" -r 5 || exit 1
if /usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1; then
	/usr/bin/python3 "$top_srcdir/bench/bench-kmeans.py" "$out/kmeans.bin" 1 5
else
	echo "scikit-learn: skipped (/usr/bin/python3 cannot import sklearn)"
fi
# The same rows as CSV; the command's time is the whole run less a load-only
# run, and includes the silhouette on a 10,000-row sample.
if [ ! -s "$out/kmeans.csv" ]; then
	od -An -v -tf8 -w64 "$out/kmeans.bin" | awk 'BEGIN { print "a,b,c,d,e,f,g,h" }
	    { printf "%s,%s,%s,%s,%s,%s,%s,%s\n", $1, $2, $3, $4, $5, $6, $7, $8 }' \
	    > "$out/kmeans.csv" || exit 1
fi
t0=$(date +%s%N)
"$builddir/crossmkt" --batch -e "load x $out/kmeans.csv" > /dev/null || exit 1
t1=$(date +%s%N)
"$builddir/crossmkt" --batch -e "load x $out/kmeans.csv" \
    -e 'segment x features=a,b,c,d,e,f,g,h k=8 seed=1 standardize=none' > "$out/segment.jsonl" || exit 1
t2=$(date +%s%N)
inertia=$(sed -n 's/.*"inertia":\([0-9.e+]*\),"silhouette".*/\1/p' "$out/segment.jsonl")
awk -v ns=$(( (t2 - t1) - (t1 - t0) )) -v i="$inertia" \
    'BEGIN { printf "crossmkt segment command (seed 1, with silhouette): %.3f s inertia %s\n", ns / 1e9, i }'

section "cancelling long commands in the console: whole run beside the time from Esc to the end"
"$builddir/bench/bench-cancel" "$out/events.csv" "$out/kmeans.csv" "$out/forecast-daily.csv" || exit 1

section "the console's answer to keys, idle and while segment k=auto runs on 1,000,000 rows (tmux)"
if [ ! -s "$out/points.csv" ]; then
	awk 'BEGIN { print "id,x,y,z"
		for (i = 1; i <= 1000000; i++)
			printf "%d,%d.%d,%d,%d\n", i, i % 9973, i % 7, (i * 7919) % 10007, (i * 31) % 4099 }' \
	    > "$out/points.csv" || exit 1
fi
bash "$top_srcdir/bench/bench-keys.sh" "$(cd "$builddir" && pwd)/crossmkt" "$out/points.csv" || exit 1

section "campaign statistics on 10,000,000 events: computed in PostgreSQL beside loaded into memory"
sh "$top_srcdir/bench/bench-pg.sh" "$(cd "$builddir" && pwd)/crossmkt" \
    "$(cd "$builddir" && pwd)/crossmkt-gendemo" "$(cd "$out" && pwd)" "${BENCH_PG_EVENTS:-10000000}"
