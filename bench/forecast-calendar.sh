#!/bin/sh
# crossmkt's forecasts of calendar data beside R's (bench/forecast-calendar.R):
# data/daily.csv (orders, gmv, dau; holdout 90 and 180; with the bundled
# Chinese calendar) and Prophet's Peyton Manning page views (holdout 365
# and 90, with and without the playoff dates of tests/fixtures/wp_playoffs.csv),
# model=auto, mstl and fourier; then the CPU time of one fit and 365-day
# forecast of a 3-year daily series.
# usage: forecast-calendar.sh TOP_SRCDIR BUILDDIR OUT  (SHARED_DATA: the shared data
# directory when not TOP_SRCDIR/../shared/data)
set -u
top=$1 builddir=$2 out=$3
crossmkt=$builddir/crossmkt
wp=${SHARED_DATA:-$top/../shared/data}/wp_peyton_manning.csv
if [ ! -r "$wp" ]; then
	echo "calendar forecasts: skipped ($wp not found)"
	exit 0
fi

# The forecast commands, one a line.
{
	echo "load d $top/data/daily.csv"
	echo "load hol $top/data/holidays-cn.csv"
	echo "load w $wp"
	echo "load po $top/tests/fixtures/wp_playoffs.csv"
	for col in orders gmv dau; do
		for h in 90 180; do
			echo "forecast d column=$col holdout=$h model=auto holidays=hol"
			echo "forecast d column=$col holdout=$h model=mstl"
			echo "forecast d column=$col holdout=$h model=fourier holidays=hol"
		done
	done
	for h in 365 90; do
		for m in auto mstl fourier; do
			echo "forecast w column=y fill=interpolate holdout=$h model=$m"
		done
		echo "forecast w column=y fill=interpolate holdout=$h model=auto holidays=po"
		echo "forecast w column=y fill=interpolate holdout=$h model=fourier holidays=po"
	done
} > "$out/calendar.cmd"
"$crossmkt" --batch < "$out/calendar.cmd" > "$out/calendar.jsonl" || exit 1

# CPU ms of one fit: 20 fits in one process less the loading alone.
awk -F, 'NR == 1 || NR <= 1096' "$wp" > "$out/wp3y.csv"
cpu_ms() {
	/usr/bin/time -f '%U %S' -o "$out/calendar-time" "$crossmkt" --batch < "$1" > /dev/null ||
	    return 1
	awk '{ printf "%.1f", ($1 + $2) * 1000 }' "$out/calendar-time"
}
echo "load w $out/wp3y.csv" > "$out/calendar-load.cmd"
base=$(cpu_ms "$out/calendar-load.cmd") || exit 1
: > "$out/calendar-times"
for m in mstl fourier auto; do
	cp "$out/calendar-load.cmd" "$out/calendar-fit.cmd"
	for i in $(seq 20); do
		echo "forecast w column=y fill=interpolate horizon=365 model=$m seed=$i"
	done >> "$out/calendar-fit.cmd"
	t=$(cpu_ms "$out/calendar-fit.cmd") || exit 1
	echo "$m $(echo "$t $base" | awk '{ printf "%.1f", ($1 - $2) / 20 }')" >> "$out/calendar-times"
done

if command -v Rscript >/dev/null 2>&1 && Rscript -e 'library(forecast)' >/dev/null 2>&1; then
	Rscript "$top/bench/forecast-calendar.R" "$top/data/daily.csv" "$wp" \
	    "$out/calendar.jsonl" "$out/calendar-times"
else
	echo "R: skipped (Rscript with the forecast package is missing); crossmkt's CPU ms per fit:"
	cat "$out/calendar-times"
fi
