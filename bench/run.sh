#!/bin/sh
# make bench: each benchmark prints its figure beside a reference measured
# in the same run (wc and cat, R's data.table / forecast, scikit-learn,
# scipy) whenever that reference is installed.
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
