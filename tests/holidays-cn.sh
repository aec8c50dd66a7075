#!/bin/sh
# data/holidays-cn.csv: the generator in tools/holidays-cn/ rewrites it
# byte for byte, and published dates are in it.
. "$(dirname "$0")/lib.sh"

if sh "$srcdir/tools/holidays-cn/generate.sh" | cmp -s - "$srcdir/data/holidays-cn.csv"; then
	ok
else
	bad "tools/holidays-cn/generate.sh does not write data/holidays-cn.csv"
fi
# Dates of published Chinese calendars (the State Council's holiday
# notices for the years they cover).
for row in "2010-02-14,Spring Festival,0,0" "2015-02-19,Spring Festival,0,0" \
    "2020-01-25,Spring Festival,0,0" "2024-02-10,Spring Festival,0,0" \
    "2025-01-29,Spring Festival,0,0" "2026-02-17,Spring Festival,0,0" \
    "2025-01-28,Spring Festival eve,6,0" "2024-04-04,Qingming,1,1" \
    "2025-04-04,Qingming,1,1" "2024-06-10,Dragon Boat,1,1" "2025-05-31,Dragon Boat,1,1" \
    "2024-09-17,Mid-Autumn,1,1" "2025-10-06,Mid-Autumn,1,1" "2023-09-29,Mid-Autumn,1,1" \
    "2035-10-01,National Day week,0,6" "2035-11-11,Double 11,3,1"; do
	if grep -qx "$row" "$srcdir/data/holidays-cn.csv"; then
		ok
	else
		bad "data/holidays-cn.csv lacks $row"
	fi
done
n=$(grep -c ',Spring Festival,' "$srcdir/data/holidays-cn.csv")
[ "$n" = 26 ] && ok || bad "$n Spring Festivals, not 26 (2010 to 2035)"

echo "holidays-cn: $pass passed, $fail failed"
[ "$fail" = 0 ]
