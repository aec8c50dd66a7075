#!/bin/sh
# The Online Retail data reshaped in the console: revenue per line,
# cancellations removed, daily revenue with empty days filled, revenue per
# customer joined back. Checked against tests/fixtures/retail/*.csv, made by
# reference.py with Python's csv module. Skips when ../shared is absent.
. "$(dirname "$0")/lib.sh"
data=${CROSSMKT_SHARED:-$srcdir/../shared}/data/online_retail.csv
ref=$srcdir/tests/fixtures/retail
[ -r "$data" ] || { echo "SKIP: $data not found"; exit 77; }
cd "$tmp" || exit 1

"$CROSSMKT" --batch -e "load retail $data" \
	-e 'derive retail revenue=Quantity*UnitPrice' \
	-e "filter retail where=\"not (InvoiceNo startswith 'C')\" as=sales" \
	-e 'aggregate sales every=day time=InvoiceDate revenue=sum(revenue) lines=count() as=daily' \
	-e 'export daily daily.csv' \
	-e 'aggregate sales by=CustomerID revenue=sum(revenue) invoices=distinct(InvoiceNo) as=customers' \
	-e 'filter customers where="CustomerID is not missing" as=customers' \
	-e 'export customers customers.csv' \
	-e 'join sales customers on=CustomerID columns=revenue as=sales_c' \
	-e 'aggregate retail total=sum(revenue) as=all' -e 'head all' > out.jsonl 2> err
status=$?
expect() {
	if grep -qF -- "$2" out.jsonl; then
		pass=$((pass + 1))
	else
		echo "FAIL: $1: no '$2' in the output"
		fail=$((fail + 1))
	fi
}
[ $status = 0 ] || { echo "FAIL: exit status $status"; cat err; exit 1; }
expect "rows" '"rows":541909'
expect "cancellations removed" '"kept":532621,"dropped":9288'
expect "daily series" '"groups":374,"filled":69,"skipped":0'
expect "customers" '"kept":4339,"dropped":1'
expect "join counts" '"matched":397924,"unmatched":134697'
expect "total revenue" '{"total":9747747.934}'

# Same rows, same keys, numbers equal to 1e-9 relative.
compare() {
	if awk -F, 'NR == FNR { a[FNR] = $0; n = FNR; next }
	    {
		split(a[FNR], r, ",")
		if (FNR == 1) { if ($0 != a[1]) bad = 1; next }
		if ($1 != r[1] || $3 != r[3]) bad = 1
		d = $2 - r[2]; if (d < 0) d = -d
		m = r[2] < 0 ? -r[2] : r[2]
		if (d > 1e-9 * (m > 1 ? m : 1)) bad = 1
	    }
	    END { if (bad || FNR != n) exit 1 }' "$ref/$1" "$1"; then
		pass=$((pass + 1))
	else
		echo "FAIL: $1 differs from $ref/$1"
		fail=$((fail + 1))
	fi
}
compare daily.csv
compare customers.csv
echo "$pass passed, $fail failed"
[ $fail = 0 ]
