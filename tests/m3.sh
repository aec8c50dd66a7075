#!/bin/sh
# The 1,428 monthly M3 series through one console command: each series'
# last 18 months held out, model=auto. The mean sMAPE must beat Theta's
# published 13.85 (M3 competition, monthly); the output must be free of
# NaN (cJSON's null) and the same on a second run. The 645 yearly series
# (years written YYYY, the last 6 held out) go the same way and must beat
# Theta's 16.97 and the pool alone's 16.36; the 174 "other" series must
# beat the pool alone's 4.92 (auto tries trend models without a season). auto's 80% and 95% intervals must cover the held-out
# monthly and quarterly points within 3 points of 80 and 95. Skips when
# ../shared is absent.
. "$(dirname "$0")/lib.sh"
data=${CROSSMKT_SHARED:-$srcdir/../shared}/data/m3_monthly.csv
[ -r "$data" ] || { echo "SKIP: $data not found"; exit 77; }
check() {
	if [ "$2" = 1 ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: $1"
		fail=$((fail + 1))
	fi
}

run() {
	"$CROSSMKT" --batch -e "load m3 $data" \
	    -e 'forecast m3 column=value by=series_id holdout=18 model=auto' > "$1" 2> "$tmp/err"
}
start=$(date +%s)
run "$tmp/out1" || { echo "FAIL: exit status $?"; cat "$tmp/err"; exit 1; }
end=$(date +%s)
acc=$(sed -n 's/.*"accuracy":{"mase":\([^,]*\),"smape":\([^,]*\),"groups":\([0-9]*\)}}}$/\1 \2 \3/p' "$tmp/out1")
set -- $acc
[ $# = 3 ] || { echo "FAIL: no overall accuracy in the output"; exit 1; }
echo "M3 monthly, 1,428 series, h 18, model=auto: sMAPE $2, MASE $1, $((end - start)) s"
check "groups: $3, not 1428" "$([ "$3" = 1428 ] && echo 1)"
check "sMAPE $2 is not below 13.85" "$(awk -v s="$2" 'BEGIN { print (s < 13.85) }')"
check "MASE $1 is not below 0.87" "$(awk -v m="$1" 'BEGIN { print (m < 0.87) }')"
check "not 1428 x 18 forecasts" "$([ "$(grep -o '"actual":' "$tmp/out1" | wc -l)" = 25704 ] && echo 1)"
check "null (NaN) in the output" "$(grep -q null "$tmp/out1" || echo 1)"
# COVERAGE80 COVERAGE95 of the held-out points of a forecast's output.
coverage() {
	grep -o '"lo80":[^,]*,"hi80":[^,]*,"lo95":[^,]*,"hi95":[^,]*,"actual":[^}]*' "$1" |
	    sed 's/"[a-z0-9]*"://g' | awk -F, '{ n++; c80 += $5 >= $1 && $5 <= $2; c95 += $5 >= $3 && $5 <= $4 }
	    END { if (n) printf "%.1f %.1f\n", 100 * c80 / n, 100 * c95 / n }'
}
# LABEL COVERAGE80 COVERAGE95: both within 3 points of nominal.
check_coverage() {
	echo "$1: 80% intervals cover $2%, 95% intervals $3%"
	check "$1: 80% coverage $2 is not within 3 of 80" \
	    "$(awk -v c="$2" 'BEGIN { print (c >= 77 && c <= 83) }')"
	check "$1: 95% coverage $3 is not within 3 of 95" \
	    "$(awk -v c="$3" 'BEGIN { print (c >= 92 && c <= 98) }')"
}
check_coverage "M3 monthly" $(coverage "$tmp/out1")
# KIND HOLDOUT: m3_KIND.csv through one by= command into $tmp/KIND; sets
# $1 $2 $3 to its overall MASE, sMAPE and number of groups.
m3_run() {
	"$CROSSMKT" --batch -e "load s $(dirname "$data")/m3_$1.csv" \
	    -e "forecast s column=value time=date by=series_id holdout=$2 model=auto" \
	    > "$tmp/$1" 2> "$tmp/err" || { echo "FAIL: $1: exit status $?"; cat "$tmp/err"; exit 1; }
}
m3_accuracy() {
	sed -n 's/.*"accuracy":{"mase":\([^,]*\),"smape":\([^,]*\),"groups":\([0-9]*\)}}}$/\1 \2 \3/p' "$1"
}
m3_run quarterly 8
check_coverage "M3 quarterly" $(coverage "$tmp/quarterly")
run "$tmp/out2"
check "a second run differs" "$(cmp -s "$tmp/out1" "$tmp/out2" && echo 1)"

m3_run yearly 6
set -- $(m3_accuracy "$tmp/yearly")
echo "M3 yearly, 645 series, h 6, model=auto: sMAPE $2, MASE $1"
check "yearly groups: $3, not 645" "$([ "$3" = 645 ] && echo 1)"
check "yearly sMAPE $2 is not below 16.36" "$(awk -v s="$2" 'BEGIN { print (s < 16.36) }')"
check "yearly: not every series is yearly" \
    "$([ "$(grep -o '"period":"yearly"' "$tmp/yearly" | wc -l)" = 645 ] && echo 1)"
m3_run other 8
set -- $(m3_accuracy "$tmp/other")
echo "M3 other, 174 series, h 8, model=auto: sMAPE $2, MASE $1"
check "other sMAPE $2 is not below 4.92" "$(awk -v s="$2" 'BEGIN { print (s < 4.92) }')"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
