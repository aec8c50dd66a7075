#!/bin/sh
# Segments on the demo data: k=4 on sessions, spend, orders, courses bought,
# days idle and tenure (log1p, z-scores) finds the four planted clusters of
# data/README.md (heavy spenders 459, light browsers 1206, new users 607,
# course-only learners 728) to within 1% of the users each, k=auto picks 4,
# every user's nearest store is in their own city, RFM tiers add up, and
# the same commands give the same bytes when run again.
. "$(dirname "$0")/lib.sh"
data=$srcdir/data
cd "$tmp" || exit 1

features=sessions,spend,orders,courses_bought,idle,tenure
run() {
	"$CROSSMKT" --batch -e "load users $data/users.csv" -e "load stores $data/stores.csv" \
		-e "load ev $data/events.csv" \
		-e "derive users idle=\"d'2025-05-31' - last_active\" tenure=\"d'2025-05-31' - signup_date\"" \
		-e "segment users features=$features log=$features k=4 describe_by=platform" \
		-e "segment users features=$features log=$features k=auto name=auto" \
		-e 'nearest users stores=stores id=store_id' \
		-e 'join users stores on=nearest_id=store_id columns=city as=j' \
		-e 'filter j where="city != city_stores" as=elsewhere' \
		-e "filter ev where=\"event in ('purchase', 'redeem')\" as=buys" \
		-e 'rfm buys asof=2025-05-31' > "$1" 2> err
}
run out1.jsonl || { bad "exit status $?"; cat err; exit 1; }
run out2.jsonl || { bad "second run: exit status $?"; exit 1; }
if cmp -s out1.jsonl out2.jsonl; then ok; else bad "two runs differ"; fi

# Lines: 1-3 loads, 4 derive, 5 segment k=4, 6 k=auto, 7 nearest, 8 join,
# 9 far filter, 10 purchase filter, 11 rfm.
line() { sed -n "$1p" out1.jsonl; }

# "size":N,... "label":"..." of each segment, one per line.
segments() {
	line "$1" | grep -o '"size":[0-9]*,"share":[^,]*,"centroid":{[^}]*},"label":"[^"]*"' |
		sed 's/"size":\([0-9]*\),.*"label":"\([^"]*\)"/\1 \2/'
}
segments 5 > found
[ "$(wc -l < found)" = 4 ] && ok || bad "k=4 gave $(wc -l < found) segments: $(line 5)"
# PLANTED SIZE WORD: the segment whose size is within 30 of SIZE has WORD in
# its label.
planted() {
	if awk -v want="$2" -v word="$3" '
		{ d = $1 - want; if (d < 0) d = -d }
		d <= 30 && index($0, word) { found = 1 }
		END { exit !found }' found; then
		ok
	else
		bad "no segment of about $2 users labelled '$3' ($1): $(tr '\n' ';' < found)"
	fi
}
planted "heavy spenders" 459 "high orders"
planted "light browsers" 1206 "high idle"
planted "new users" 607 "low tenure"
planted "course-only learners" 728 "high courses_bought"
line 5 | grep -qF '"silhouette_sampled":false' && ok || bad "silhouette sampled on 3000 rows"
line 6 | grep -qF '"k":4,' && ok || bad "k=auto did not pick 4: $(line 6)"
n=$(line 6 | grep -o '{"k":[0-9]*,"silhouette":' | wc -l)
[ "$n" = 9 ] && ok || bad "k=auto reported $n candidates, not 9"

line 7 | grep -qF '"rows":3000,"measured":3000,"missing":0,' && ok || bad "nearest: $(line 7)"
sum=$(line 7 | grep -o '"band":"[^"]*","rows":[0-9]*' | sed 's/.*"rows"://' | awk '{ s += $1 } END { print s }')
[ "$sum" = 3000 ] && ok || bad "bands add up to $sum"
mean=$(line 7 | sed 's/.*"mean_km":\([0-9.]*\).*/\1/')
awk -v m="$mean" 'BEGIN { exit !(m > 0.5 && m < 10) }' && ok || bad "mean distance $mean km"
line 9 | grep -qF '"rows":0,' && ok || bad "users whose nearest store is in another city: $(line 9)"

users=$(line 11 | sed 's/.*"users":\([0-9]*\),"tiers".*/\1/')
tiers=$(line 11 | grep -o '"tier":"[^"]*","users":[0-9]*' | sed 's/.*"users"://' | awk '{ s += $1 } END { print s }')
[ -n "$users" ] && [ "$users" = "$tiers" ] && ok || bad "rfm: $users users, tiers add up to $tiers"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
