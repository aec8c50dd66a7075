#!/bin/sh
# EASE on Online Retail (load ev FILE user=CustomerID item=StockCode
# time=InvoiceDate), split=last and split=0.2 seed=42: crossmkt's NDCG@10,
# hit rate@10 and fit+evaluate time beside numpy's (bench/ease_reference.py,
# which replicates the split: its popularity NDCG must equal crossmkt's).
# usage: bench-ease.sh CROSSMKT FILE [LAMBDA]
set -u
crossmkt=$1 data=$2 lambda=${3:-100}
here=$(cd "$(dirname "$0")" && pwd)
load="load ev $data user=CustomerID item=StockCode time=InvoiceDate"

now() { date +%s%N; }
# The evaluate-recs line of a run, and its time: the run less a load-only one.
t0=$(now)
"$crossmkt" --batch -e "$load" > /dev/null || exit 1
t1=$(now)
for split in "last" "0.2 seed=42"; do
	for method in ease als; do
		args="method=$method"
		[ $method = ease ] && args="$args lambda=$lambda"
		t2=$(now)
		line=$("$crossmkt" --batch -e "$load" -e "evaluate-recs ev split=$split $args" | tail -n 1) || exit 1
		t3=$(now)
		printf '%s\n' "$line" | awk -v s="$split" -v m="$method" -v ns=$(( (t3 - t2) - (t1 - t0) )) '{
			match($0, /"ndcg_at_k":[^,]*/); n = substr($0, RSTART + 12, RLENGTH - 12)
			match($0, /"hit_rate":[^,]*/); h = substr($0, RSTART + 11, RLENGTH - 11)
			match($0, /"baseline":.*"ndcg_at_k":[^,]*/); b = substr($0, RSTART, RLENGTH)
			sub(/.*"ndcg_at_k":/, "", b)
			printf "crossmkt split=%s: %d users; popular NDCG@10 %.4f; %s NDCG@10 %.4f hit@10 %.4f; fit+evaluate %.2f s\n",
			    s, 0 + substr($0, index($0, "\"users\":") + 8), b, m, n, h, ns / 1e9 }'
	done
	if /usr/bin/python3 -c 'import numpy' > /dev/null 2>&1; then
		set -- --split "${split%% *}"
		[ "$split" != last ] && set -- "$@" --seed 42
		/usr/bin/python3 "$here/ease_reference.py" "$data" --user CustomerID \
		    --item StockCode --time InvoiceDate --lambda "$lambda" "$@" || exit 1
	else
		echo "numpy: skipped (/usr/bin/python3 cannot import numpy)"
	fi
done
