#!/bin/sh
# The demo campaign spring_combo from data/: the planted effects (coupon
# converts 7.9% -> 11.9%, z 2.94; discount has none) come out of the raw
# events and out of the warehouse-style aggregates in data/arms.csv, with
# every number identical between the two paths, for conversion and revenue.
. "$(dirname "$0")/lib.sh"

"$CROSSMKT" --batch -e "load ev $srcdir/data/events.csv" -e "load agg $srcdir/data/arms.csv" \
	-e 'campaign spring_combo dataset=ev arm=arm control=control metric=conversion window=14d' \
	-e 'test spring_combo' \
	-e 'campaign spring_agg aggregates=agg' -e 'test spring_agg' \
	-e 'campaign spring_rev dataset=ev metric=revenue' -e 'test spring_rev' \
	-e 'campaign spring_rev_agg aggregates=agg metric=revenue' -e 'test spring_rev_agg' \
	> "$tmp/out" 2> "$tmp/err"
status=$?
[ $status = 0 ] || { echo "FAIL: exit status $status"; cat "$tmp/err"; exit 1; }

result() {
	grep -F "\"command\":\"test $1\"" "$tmp/out"
}
expect() {
	if result "$1" | grep -qF -- "$2"; then
		pass=$((pass + 1))
	else
		echo "FAIL: test $1: no '$2' in the output"
		fail=$((fail + 1))
	fi
}
# Everything from the arms on must be byte for byte the same.
same() {
	if [ "$(result "$1" | sed 's/.*"arms"://')" = "$(result "$2" | sed 's/.*"arms"://')" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL: test $1 and test $2 differ"
		fail=$((fail + 1))
	fi
}

expect spring_combo '{"arm":"control","users":953,"conversions":75,'
expect spring_combo '{"arm":"coupon","users":960,"conversions":114,'
expect spring_combo '{"arm":"discount","users":932,"conversions":74,'
expect spring_combo '"contaminated":0'
expect spring_combo '"z":2.9353173102911434,"p_value_z":0.0033320675671657191,'
expect spring_combo '"z":0.056340884514596547,"p_value_z":0.95507024940944774,'
expect spring_combo '"verdict":"coupon beats control on conversion, +4.0 pp (95% CI 1.3 to 6.7), significant; discount: no significant difference from control (p = 0.96)"'
expect spring_rev '"mean":19.7806925498426,'
same spring_combo spring_agg
same spring_rev spring_rev_agg
# NaN would be written as null; nothing here is undefined.
if grep -q null "$tmp/out"; then
	echo "FAIL: null in the output"
	fail=$((fail + 1))
else
	pass=$((pass + 1))
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
