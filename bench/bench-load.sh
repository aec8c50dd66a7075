#!/bin/bash
# Times loading one CSV file with crossmkt beside reference readers of the
# same file: wc -l and cat (the cost of reading the bytes at all) and R's
# data.table::fread on 2 threads when R and data.table are installed.
#
# Usage: bench/bench-load.sh FILE.csv
# Environment: CROSSMKT (default ./crossmkt); LOAD_DRIVER, a program run as
# "LOAD_DRIVER FILE" instead of "CROSSMKT --batch -e 'load ev FILE'" (for
# example bench/load-driver.c built against the library).
set -u

file=${1:?usage: bench-load.sh FILE.csv}
[ -r "$file" ] || { echo "bench-load: cannot read $file" >&2; exit 1; }
CROSSMKT=${CROSSMKT:-./crossmkt}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

bytes=$(stat -c %s "$file")
rows=$(( $(wc -l < "$file") - 1 ))
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')

# Runs a command under /usr/bin/time; sets secs and kb.
measure() {
	if ! /usr/bin/time -f '%e %M' -o "$tmp" "$@" >/dev/null 2>"$tmp.err"; then
		echo "bench-load: failed: $*" >&2
		cat "$tmp.err" >&2
		rm -f "$tmp.err"
		return 1
	fi
	rm -f "$tmp.err"
	read -r secs kb < "$tmp"
}

row() {
	awk -v name="$1" -v s="$2" -v kb="$3" -v rows="$rows" -v bytes="$bytes" 'BEGIN {
		s += 0
		t = s > 0 ? s : 0.005
		printf "%-30s %7.3f s %12.0f rows/s %8.1f MB/s %9.1f MB peak RSS\n",
		    name, s, rows / t, bytes / 1048576 / t, kb / 1024
	}'
}

echo "file: $file ($rows rows, $mb MB)"
measure cat "$file" && row "cat > /dev/null" "$secs" "$kb"
measure wc -l "$file" && row "wc -l" "$secs" "$kb"

if [ -n "${LOAD_DRIVER:-}" ]; then
	measure "$LOAD_DRIVER" "$file" && row "load driver (whole process)" "$secs" "$kb"
elif [ -x "$CROSSMKT" ]; then
	measure "$CROSSMKT" --batch -e "load ev $file" &&
	    row "crossmkt load (whole process)" "$secs" "$kb"
else
	echo "crossmkt: $CROSSMKT is not built; set CROSSMKT or LOAD_DRIVER"
fi

if command -v Rscript >/dev/null 2>&1 &&
    Rscript -e 'quit(status = !requireNamespace("data.table", quietly = TRUE))' 2>/dev/null; then
	# Time inside R (without R's own start-up), then the whole process.
	# (Rscript -e takes one line only.)
	setup='suppressMessages(library(data.table)); setDTthreads(2)'
	inside=$(Rscript -e "$setup; cat(system.time(fread(commandArgs(TRUE)[1]))[['elapsed']])" "$file")
	measure Rscript -e "$setup; invisible(fread(commandArgs(TRUE)[1]))" "$file" &&
	    row "fread, 2 threads (in R)" "$inside" "$kb" &&
	    row "fread (whole Rscript)" "$secs" "$kb"
else
	echo "fread: skipped (Rscript or the data.table package is not installed)"
fi
