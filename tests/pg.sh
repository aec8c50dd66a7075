#!/bin/sh
# PostgreSQL as a source, against a real throwaway server: load ... pg=
# gives the types and values of loading the CSV; campaigns with pg= give the
# in-memory campaign's statistics to 1e-12 for every metric, by=, target=,
# CUPED and window=; passwords never reach a command; hostile names inject
# nothing; faults are clear errors that register nothing.
. "$(dirname "$0")/lib.sh"
. "$srcdir/tests/pgserver.sh"
trap 'pg_stop; rm -rf "$tmp"' EXIT
# A test killed from outside stops its server too.
trap 'exit 99' HUP INT TERM
pg_start || exit $?

data=$srcdir/data
pg_sql -c "CREATE TABLE events (ts timestamptz, user_id text, item_id text, event text,
	amount numeric, campaign text, arm text)" \
    -c "\\copy events FROM '$data/events.csv' CSV HEADER" \
    -c "CREATE TABLE per_user AS SELECT user_id, MIN(arm) AS arm, COUNT(*) AS n_events,
	SUM(amount) AS spend, BOOL_OR(event = 'purchase') AS bought,
	COUNT(*) FILTER (WHERE event = 'click') / 4.0 AS clicks,
	MIN(item_id) AS first_item FROM events GROUP BY user_id" \
    -c "\\copy (SELECT user_id, arm, n_events, spend, CASE WHEN bought THEN 'true' ELSE 'false' END
	AS bought, clicks, first_item FROM per_user ORDER BY user_id) TO '$tmp/per_user.csv' CSV HEADER" \
    -c "CREATE TABLE mixed AS SELECT * FROM events" \
    -c "UPDATE mixed SET campaign = 'other' WHERE user_id LIKE '%3'" \
    -c "UPDATE mixed SET arm = 'control' WHERE user_id LIKE '%5' AND event = 'click'" \
    -c "UPDATE mixed SET campaign = 'third', arm = CASE event WHEN 'view' THEN 'cz'
	WHEN 'click' THEN 'control' ELSE 'discount' END WHERE user_id LIKE '%77'" \
    -c "UPDATE mixed SET user_id = NULL WHERE item_id = 'i0131'" \
    -c "UPDATE mixed SET ts = NULL WHERE item_id = 'i0133'" \
    -c "UPDATE mixed SET arm = NULL WHERE item_id = 'i0140'" \
    -c "UPDATE mixed SET campaign = NULL WHERE item_id = 'i0141'" \
    -c "CREATE TABLE late AS SELECT TIMESTAMP WITH TIME ZONE '2025-03-01 00:00:00+08:00' +
	g * INTERVAL '1' SECOND AS ts, 'f' || (g % 5000) AS user_id, 'i0001' AS item_id,
	'view' AS event, CAST(NULL AS numeric) AS amount, 'spring_combo' AS campaign,
	CASE WHEN g % 5000 < 2500 THEN 'control' ELSE 'coupon' END AS arm
	FROM generate_series(1, 100000) AS g UNION ALL SELECT * FROM events" ||
	{ echo "FAIL: could not fill the server"; exit 1; }
for t in mixed late; do
	pg_sql -c "\\copy (SELECT to_char(ts AT TIME ZONE INTERVAL '+08:00',
	'YYYY-MM-DD HH24:MI:SS') || '+08:00' AS ts, user_id, item_id, event, amount, campaign, arm
	FROM $t) TO '$tmp/$t.csv' CSV HEADER" ||
	    { echo "FAIL: could not fill the server"; exit 1; }
done

# same NAME DEF...: 'test' of a campaign defined on the loaded CSV and of the
# same definition through pg= agree to 1e-12.
same() {
	name=$1 mem=$2 pgdef=$3 by=${4:-}
	"$CROSSMKT" --batch -e "load events $data/events.csv" -e "load per_user $tmp/per_user.csv" \
	    -e "load mixed $tmp/mixed.csv" -e "load late $tmp/late.csv" -e "campaign $name $mem" \
	    -e "test $name $by" 2> "$tmp/$name.merr" | tail -n 1 > "$tmp/$name.mem"
	"$CROSSMKT" --batch -e "campaign $name pg='$PG' $pgdef" -e "test $name $by" \
	    2> "$tmp/$name.perr" | tail -n 1 > "$tmp/$name.pg"
	if [ ! -s "$tmp/$name.mem" ] || ! grep -q '"ok":true' "$tmp/$name.pg"; then
		bad "$name: $(cat "$tmp/$name.merr" "$tmp/$name.perr")"
	elif python3 "$srcdir/tests/jsonnear.py" "$tmp/$name.mem" "$tmp/$name.pg" 1e-12 command \
	    > "$tmp/$name.diff"; then
		ok
	else
		bad "$name: pg= differs from memory: $(head -5 "$tmp/$name.diff")"
	fi
}
ev='table=events tz=+08:00'
same conv "dataset=events" "$ev"
same rev "dataset=events metric=revenue" "$ev metric=revenue"
same ctr "dataset=events metric=ctr window=7d" "$ev metric=ctr window=7d"
same ret "dataset=events metric=retention:7" "$ev metric=retention:7"
same cuped "dataset=events metric=revenue pre=14d" "$ev metric=revenue pre=14d"
same cupedc "dataset=events pre=7d window=3d" "$ev pre=7d window=3d"
same dates "dataset=events start=2025-03-10 end=2025-04-20" "$ev start=2025-03-10 end=2025-04-20"
tg="target=\"item_id >= 'i0150' or event in ('click', 'purchase') or amount > 100\""
same target "dataset=events metric=revenue $tg" "$ev metric=revenue $tg"
tf="target=\"abs(coalesce(amount, 2)) >= 2 and item_id not in ('i0121')\""
same targetfn "dataset=events $tf" "$ev $tf"
same byitem "dataset=events metric=revenue" "$ev metric=revenue" "by=event"
same col "dataset=per_user metric=column:spend covariate=n_events" \
	"table=per_user metric=column:spend covariate=n_events"
same colbin "dataset=per_user metric=column:bought target=\"clicks >= 1\"" \
	"table=per_user metric=column:bought target=\"clicks >= 1\""
# Rows of other campaigns, users seen in two arms, and missing users, times,
# arms and campaigns: only the rows naming the campaign expose when there
# are any (spring_combo, other), all of them when none does.
same spring_combo "dataset=mixed metric=revenue" "table=mixed tz=+08:00 metric=revenue"
if grep -q '"contaminated":170,' "$tmp/spring_combo.pg"; then ok; else bad "mixed: not 170 contaminated"; fi
same other "dataset=mixed metric=retention:7" "table=mixed tz=+08:00 metric=retention:7"
# The arm values found in the first rows miss one (discount, after 100,000
# rows of two arms): the pass runs again with all of them.
same late "dataset=late metric=revenue" "table=late tz=+08:00 metric=revenue"
if grep -q '"arm":"discount"' "$tmp/late.pg"; then ok; else bad "late: no discount arm"; fi
# An arm seen only beside two others has no users, in memory and in the server.
cz="arm 'cz' has no users (194 users left out: 194 contaminated, 0 outside"
"$CROSSMKT" --batch --keep-going -e "load mixed $tmp/mixed.csv" -e "campaign cz dataset=mixed" \
    -e "campaign cz2 pg='$PG' table=mixed" -e "test cz2" > "$tmp/cz.out" 2> /dev/null
if [ "$(grep -cF "$cz" "$tmp/cz.out")" = 2 ]; then ok; else bad "cz: $(cat "$tmp/cz.out")"; fi
same colby "dataset=per_user metric=column:clicks control=coupon" \
	"query='SELECT * FROM per_user' metric=column:clicks control=coupon" "by=bought"

# load ... pg= types and values: describe and the first rows agree with the
# CSV (timestamptz keeps no offset: the CSV's times, written in UTC).
pg_sql -c "\\copy (SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS\"Z\"') AS ts,
	user_id, item_id, event, amount, campaign, arm FROM events) TO '$tmp/events_utc.csv' CSV HEADER"
"$CROSSMKT" --batch -e "load e $tmp/events_utc.csv" -e "describe e" -e "head e n=5" \
    -e "load u $tmp/per_user.csv" -e "describe u" | sed 's/"path":"[^"]*",//' > "$tmp/load.mem"
"$CROSSMKT" --batch -e "load e pg='$PG' query='SELECT * FROM events'" -e "describe e" -e "head e n=5" \
    -e "load u pg='$PG' query='SELECT * FROM per_user ORDER BY user_id'" -e "describe u" \
    > "$tmp/load.pg"
if python3 "$srcdir/tests/jsonnear.py" "$tmp/load.mem" "$tmp/load.pg" 0 command ts > "$tmp/load.diff"; then
	ok
else
	bad "load pg= differs from the CSV: $(head -5 "$tmp/load.diff")"
fi

# err NAME EXPECTED COMMAND...: a failing batch run whose stderr holds EXPECTED
# and whose 'datasets' afterwards lists nothing.
err() {
	name=$1 want=$2
	shift 2
	"$CROSSMKT" --batch --keep-going "$@" -e datasets > "$tmp/$name.out" 2> "$tmp/$name.err"
	if ! grep -qF -- "$want" "$tmp/$name.err"; then
		bad "$name: stderr lacks '$want': $(cat "$tmp/$name.err")"
	elif ! grep -qF '"datasets":[]' "$tmp/$name.out"; then
		bad "$name: a dataset was registered: $(tail -n 1 "$tmp/$name.out")"
	else
		ok
	fi
}
err badtz "tz=8: give the local days' offset from UTC, such as tz=+08:00" -e "campaign c pg='$PG' table=events tz=8"
err both "with pg= give the data with table=TABLE or query=SQL (one of them)" -e "campaign c pg='$PG' table=events query='SELECT 1'"
err nocol "user=nosuch: the source has no column 'nosuch'" -e "campaign c pg='$PG' table=events user=nosuch"
err campw "put it in ~/.pgpass" -e "campaign c pg='$PG password=hunter2' table=events"
grep -q hunter2 "$tmp/campw.err" && bad "the campaign's password was echoed"
err password "put it in ~/.pgpass" -e "load x pg='$PG password=hunter2' query='SELECT 1'"
grep -q hunter2 "$tmp/password.err" && bad "the password was echoed"
err nodb 'database "nosuch" does not exist' -e "load x pg='host=$PGHOST user=postgres dbname=nosuch' query='SELECT 1'"
err noserver "cannot connect to pg=host=$tmp" -e "load x pg='host=$tmp user=postgres' query='SELECT 1'"
err badquery 'column "nosuch" does not exist' -e "load x pg='$PG' query='SELECT nosuch FROM events'"
err dml 'syntax error' -e "load x pg='$PG' query='DELETE FROM events RETURNING *'"
pg_sql -c "CREATE ROLE alice LOGIN PASSWORD 'right'"
sed -i '1i local all alice scram-sha-256' "$PGHOST/data/pg_hba.conf"
pg_as "$PGBIN/pg_ctl" -D "$PGHOST/data" reload > /dev/null
sleep 1
PGPASSWORD=wrong err auth 'password authentication failed for user "alice"' \
	-e "load x pg='host=$PGHOST user=alice dbname=postgres' query='SELECT 1'"
printf '*:*:*:alice:right\n' > "$tmp/pgpass"
chmod 600 "$tmp/pgpass"
if PGPASSFILE=$tmp/pgpass "$CROSSMKT" --batch -e "load x pg='host=$PGHOST user=alice dbname=postgres' query='SELECT 1 AS one'" | grep -q '"rows":1'; then
	ok
else
	bad "~/.pgpass (PGPASSFILE) was not used"
fi

# Hostile names: quotes in a campaign, an arm value and a column name are
# data, never SQL.
pg_sql -c "CREATE TABLE \"we\"\"ird\" (\"u\"\"; DROP TABLE events; --\" text, ts timestamptz,
	arm text, event text)" \
    -c "INSERT INTO \"we\"\"ird\" VALUES ('a', now(), 'control', 'purchase'), ('b', now(), 'x''); DROP TABLE events; --', 'view')"
hostile="c'); DROP TABLE events; --"
"$CROSSMKT" --batch --keep-going -e "campaign \"$hostile\" pg='$PG' table='we\"ird' user='u\"; DROP TABLE events; --' time=ts" \
	-e "test \"$hostile\"" \
	-e "campaign n pg='$PG' table=events tz=+08:00 target=\"arm == 'x''); DROP TABLE events; --'\"" \
	-e "test n" > /dev/null 2> "$tmp/inject.err"
if [ "$(pg_sql -At -c 'SELECT COUNT(*) FROM events')" = 40000 ]; then ok; else bad "events was changed"; fi
grep -q 'has no users' "$tmp/inject.err" && ok || bad "hostile campaign: $(cat "$tmp/inject.err")"

# --readonly connects read-only.
ro=$("$CROSSMKT" --batch --readonly -e "load s pg='$PG' query=\"SELECT current_setting('default_transaction_read_only') AS ro\"" -e "head s")
case $ro in *'"ro":"on"'*) ok ;; *) bad "--readonly: $ro" ;; esac

# The server killed in the middle of a COPY.
( sleep 1; pg_as "$PGBIN/pg_ctl" -D "$PGHOST/data" -m immediate stop > /dev/null ) &
err killed "the server" -e "load big pg='$PG' query='SELECT g, md5(CAST(g AS text)) AS h FROM generate_series(1, 20000000) AS g'"
wait
echo "$pass passed, $fail failed"
[ $fail = 0 ]
