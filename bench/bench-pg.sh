#!/bin/sh
# Campaign statistics computed in PostgreSQL beside the in-memory path, on
# the same N generated events (default 10,000,000): wall time and the
# crossmkt process's peak memory of
#   - campaign ... pg= + test (the database does the work), and
#   - load of the CSV + campaign ... dataset= + test.
# Usage: bench-pg.sh CROSSMKT CROSSMKT-GENDEMO OUTDIR [N]. Skips without a
# PostgreSQL server or /usr/bin/time.
set -u
crossmkt=$1 gendemo=$2 out=$3 n=${4:-10000000}
tmp=$(mktemp -d)
srcdir=$(cd "$(dirname "$0")/.." && pwd)
. "$srcdir/tests/pgserver.sh"
trap 'pg_stop; rm -rf "$tmp"' EXIT
# A test killed from outside stops its server too.
trap 'exit 99' HUP INT TERM
[ -x /usr/bin/time ] || { echo "pg: skipped (no /usr/bin/time)"; exit 0; }
pg_start > "$tmp/start.log" || { echo "pg: skipped (no PostgreSQL server could start)"; exit 0; }
# A warehouse gives an analytics query room to hash in memory.
pg_sql -c "ALTER SYSTEM SET work_mem = '512MB'" -c "SELECT pg_reload_conf()" > /dev/null

csv=$out/events-$n.csv
if [ ! -s "$csv" ]; then
	"$gendemo" --seed 1 --users $((n / 10)) --events "$n" --only events --out "$tmp" > /dev/null &&
	    mv "$tmp/events.csv" "$csv" || exit 1
fi
t0=$(date +%s)
pg_sql -c "CREATE TABLE events (ts timestamptz, user_id text, item_id text, event text,
	amount numeric, campaign text, arm text)" -c "\\copy events FROM '$csv' CSV HEADER" \
    -c "ANALYZE events" || exit 1
echo "$(wc -l < "$csv") lines copied into the server in $(( $(date +%s) - t0 )) s"

# run LABEL ARGS...: wall time and peak memory of one crossmkt run.
run() {
	label=$1
	shift
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$crossmkt" --batch "$@" > "$tmp/out" 2> "$tmp/err" ||
	    { echo "$label: failed: $(cat "$tmp/err")"; return 1; }
	read -r secs kb < "$tmp/time"
	printf '%-44s %8.2f s %8.1f MB   %s\n' "$label" "$secs" "$(echo "$kb" | awk '{ print $1 / 1024 }')" \
	    "$(grep -o '"verdict":"[^"]*"' "$tmp/out" | tail -n 1)"
}
for metric in conversion revenue; do
	run "pg=: campaign + test ($metric)" -e "campaign c pg='$PG' table=events tz=+08:00 metric=$metric" -e "test c"
	run "memory: load CSV + campaign + test ($metric)" -e "load events $csv" \
	    -e "campaign c dataset=events metric=$metric" -e "test c"
done
