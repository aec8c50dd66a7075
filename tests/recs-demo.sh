#!/bin/sh
# Recommendations on the demo data: u00004 uses the course platform only
# (platform=course, only course events), yet with domain=dish,coupon item-CF
# finds dishes and coupons through the users who do both; the course-only
# segment gets its own list; item-CF beats popularity offline; and every
# command gives the same bytes when run again.
. "$(dirname "$0")/lib.sh"
data=$srcdir/data
cd "$tmp" || exit 1

run() {
	"$CROSSMKT" --batch -e "load ev $data/events.csv" \
		-e "load items $data/items.csv" -e "load users $data/users.csv" \
		-e "filter ev where=\"user_id == 'u00004'\" as=mine" \
		-e 'join mine items on=item_id columns=kind as=mine' \
		-e 'aggregate mine by=kind n=count() as=kinds' -e 'head kinds' \
		-e 'recommend ev for=u00004 items=items n=5 domain=dish,coupon' \
		-e 'recommend ev for=u00004 items=items n=3 method=hybrid domain=dish' \
		-e 'recommend ev segment=course users=users by=platform items=items n=3' \
		-e 'evaluate-recs ev k=10 split=0.2 seed=42' \
		-e 'recommend ev for=u00004 items=items n=5 domain=dish,coupon method=ease' \
		-e 'recommend ev for=u00004 items=items n=5 domain=dish,coupon method=als' \
		-e 'evaluate-recs ev items=items method=ease domain=course,dish,coupon' > "$1" 2> err
}
run out1.jsonl || { bad "exit status $?"; cat err; exit 1; }
run out2.jsonl || { bad "second run: exit status $?"; exit 1; }
if cmp -s out1.jsonl out2.jsonl; then ok; else bad "two runs differ"; fi

# Lines: 1-3 loads, 4 filter, 5 join, 6 aggregate, 7 head, 8-11 the rest.
line() { sed -n "$1p" out1.jsonl; }
if line 7 | grep -qF '"rows":[{"kind":"course","n":'; then
	if line 7 | grep -qF '"kind":"dish"' || line 7 | grep -qF '"kind":"coupon"'; then
		bad "u00004 has non-course events: $(line 7)"
	else
		ok
	fi
else
	bad "u00004 has no course events: $(line 7)"
fi
grep -q '^u00004,[^,]*,course,' "$data/users.csv" && ok || bad "u00004 is not course-only"

# Every recommended item of lines 8 and 9 is a dish or a coupon.
kinds() {
	line "$1" | grep -o '"item":"i[0-9]*"' | cut -d'"' -f4 | while read -r id; do
		awk -F, -v id="$id" '$1 == id { print $2 }' "$data/items.csv"
	done | sort | uniq -c | awk '{ printf "%s%s:%s", (NR > 1 ? " " : ""), $2, $1 }'
}
got=$(kinds 8)
case $got in
*course*|"") bad "domain=dish,coupon gave: $got" ;;
*) ok ;;
esac
[ "$(kinds 9)" = "dish:3" ] && ok || bad "hybrid domain=dish gave: $(kinds 9)"
line 8 | grep -qF '{"user":"u00004","method":"itemcf","items":[{"item":"i0211","title":"糖醋小排","score":0.931640437883934,"because":["理财第一课",' && ok ||
	bad "first cross-domain item: $(line 8)"
line 10 | grep -qF '{"segment":"course","by":"platform","users":1025,"method":"itemcf","items":[' && ok ||
	bad "segment: $(line 10)"
line 11 | grep -qF '"ndcg_at_k":0.30976569406403709,' && ok || bad "itemcf NDCG: $(line 11)"
line 11 | grep -qF '"baseline":{"method":"popular","k":10,"users":2845,"precision_at_k":0.029490333919156321,"recall_at_k":0.13829860239350539,"ndcg_at_k":0.080437352622668754,' && ok ||
	bad "popular NDCG: $(line 11)"
# Cross-domain with EASE and ALS: dishes and coupons for a learner, each
# with the learner's consumed items as reasons.
for n in 12 13; do
	got=$(kinds $n)
	case $got in
	*course*|"") bad "line $n: domain=dish,coupon gave: $got" ;;
	*) ok ;;
	esac
	line $n | grep -qF '"because":[]' && bad "line $n: an item without reasons" || ok
done
# Per-domain metrics: each kind's users are those who held out one of it.
line 14 | grep -qF '"domains":[{"method":"ease","k":10,"users":1650,' && ok || bad "domains: $(line 14)"
line 14 | grep -qF '"kind":"course"},{"method":"ease","k":10,"users":1541,' && ok || bad "dish: $(line 14)"
line 14 | grep -qF '"kind":"dish"},{"method":"ease","k":10,"users":384,' && ok || bad "coupon: $(line 14)"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
