#!/bin/sh
# Recommendations on the Online Retail data through the console: purchases
# only (a customer, no cancellation, a positive quantity), each
# customer-item pair counted once, 20% of each customer's items held out
# with seed 42. Item-item CF must beat popularity on NDCG@10; the figures
# equal those of bench/recs-retail. Skips when ../shared is absent.
. "$(dirname "$0")/lib.sh"
data=${CROSSMKT_SHARED:-$srcdir/../shared}/data/online_retail.csv
[ -r "$data" ] || { echo "SKIP: $data not found"; exit 77; }
cd "$tmp" || exit 1

"$CROSSMKT" --batch \
	-e "load retail $data user=CustomerID item=StockCode time=InvoiceDate" \
	-e "filter retail where=\"CustomerID is not missing and not (InvoiceNo startswith 'C') and Quantity > 0\" as=sales" \
	-e 'evaluate-recs sales split=0.2 seed=42' \
	-e 'evaluate-recs sales split=last' \
	-e 'evaluate-recs sales split=0.2 seed=42 repeats=sum' \
	-e 'recommend sales for=17850 n=3 items=sales' > out.jsonl 2> err
status=$?
# Searches line $2 of the output for $3.
expect() {
	if sed -n "$2p" out.jsonl | grep -qF -- "$3"; then
		pass=$((pass + 1))
	else
		echo "FAIL: $1: no '$3' in line $2 of the output"
		fail=$((fail + 1))
	fi
}
[ $status = 0 ] || { echo "FAIL: exit status $status"; cat err; exit 1; }
expect "purchases kept" 2 '"kept":397924,"dropped":143985'
expect "itemcf, split 0.2" 3 '{"method":"itemcf","k":10,"users":4247,"precision_at_k":0.13946315045915242,"recall_at_k":0.17719787924894234,"ndcg_at_k":0.21415493517115047,"hit_rate":0.67035554509065221,"coverage":0.4362892223738063'
expect "popular, split 0.2" 3 '"baseline":{"method":"popular","k":10,"users":4247,"precision_at_k":0.040852366376264715,"recall_at_k":0.039764812063757586,"ndcg_at_k":0.053140098954336,"hit_rate":0.29314810454438428,"coverage":0.011732605729877216}'
expect "split and rows" 3 '"split":0.2,"seed":42,"skipped":0}'
expect "itemcf, last item" 4 '"ndcg_at_k":0.088717041109999256'
expect "popular, last item" 4 '"ndcg_at_k":0.025478905836868366'
expect "repeat purchases summed" 5 '"ndcg_at_k":0.10279708700877059'
expect "a customer's list" 6 '{"user":17850,"method":"itemcf","items":[{"item":'
# NDCG@10: itemcf above popularity, to four places as the benchmark prints.
if awk -F'"ndcg_at_k":' 'NR == 3 { split($2, a, ","); split($3, b, ",")
    if (sprintf("%.4f %.4f", a[1], b[1]) != "0.2142 0.0531") exit 1 }' out.jsonl; then
	pass=$((pass + 1))
else
	echo "FAIL: NDCG@10 is not 0.2142 (itemcf) against 0.0531 (popular)"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
