#!/bin/sh
# crossmkt-gendemo: regenerating the demo data gives data/ byte for byte,
# --events is exact, errors have the documented status and message, and
# the planted campaign effect is in events.csv.
set -u
: "${srcdir:=.}" "${builddir:=.}"
LC_ALL=C
export LC_ALL

prog="$builddir/crossmkt-gendemo"
data="$srcdir/data"
files="users.csv items.csv stores.csv events.csv arms.csv daily.csv README.md"
status=0

if [ ! -x "$prog" ]; then
	echo "$prog: not built" >&2
	exit 99
fi
tmp=$(mktemp -d) || exit 99
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 99' HUP INT TERM

fail()
{
	echo "FAIL: $*" >&2
	status=1
}

# The committed data is what the default options produce.
mkdir "$tmp/full"
"$prog" --out "$tmp/full" || fail "default run exited with $?"
for f in $files; do
	cmp "$tmp/full/$f" "$data/$f" || fail "$f differs from data/$f"
done
leftover=$(ls -A "$tmp/full" | grep '^\.')
[ -z "$leftover" ] || fail "temporary files left: $leftover"

# --only writes just what it names, and the same bytes as a full run.
mkdir "$tmp/only"
"$prog" --only events --out "$tmp/only" || fail "--only events exited with $?"
cmp "$tmp/only/events.csv" "$tmp/full/events.csv" || fail "--only events changed events.csv"
[ "$(ls "$tmp/only")" = "events.csv" ] || fail "--only events wrote $(ls "$tmp/only")"

# --events is exact.
mkdir "$tmp/small"
"$prog" --events 1000 --out "$tmp/small" || fail "--events 1000 exited with $?"
rows=$(($(wc -l <"$tmp/small/events.csv") - 1))
[ "$rows" -eq 1000 ] || fail "--events 1000 wrote $rows rows"
cmp "$tmp/small/items.csv" "$data/items.csv" || fail "--events changed items.csv"
cmp "$tmp/small/daily.csv" "$data/daily.csv" || fail "--events changed daily.csv"

# An output directory that cannot be written: status 1, path and reason.
err=$("$prog" --out "$tmp/missing" 2>&1)
rc=$?
[ "$rc" -eq 1 ] || fail "missing --out exited with $rc"
want="crossmkt-gendemo: $tmp/missing/users.csv: cannot write here: No such file or directory"
[ "$err" = "$want" ] || fail "missing --out said: $err"
if [ "$(id -u)" != 0 ]; then
	mkdir "$tmp/ro"
	chmod 555 "$tmp/ro"
	err=$("$prog" --out "$tmp/ro" 2>&1)
	rc=$?
	[ "$rc" -eq 1 ] || fail "read-only --out exited with $rc"
	want="crossmkt-gendemo: $tmp/ro/users.csv: cannot write here: Permission denied"
	[ "$err" = "$want" ] || fail "read-only --out said: $err"
	[ -z "$(ls -A "$tmp/ro")" ] || fail "read-only --out left files"
fi

# Usage errors: status 2 and the usage on stderr, nothing on stdout.
"$prog" --no-such-option >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 2 ] || fail "a bad option exited with $rc"
grep -q '^Usage: crossmkt-gendemo' "$tmp/err" || fail "a bad option printed no usage"
[ ! -s "$tmp/out" ] || fail "a bad option wrote to stdout"
for bad in "--users 0" "--events x" "--seed 4294967296" "--only nothing" "--out="; do
	# shellcheck disable=SC2086
	"$prog" $bad --out "$tmp/full" >/dev/null 2>&1
	rc=$?
	[ "$rc" -eq 2 ] || fail "$bad exited with $rc"
done

# Events are in time order and name existing users and items.
awk -F, 'FNR == 1 { file++; next }
	file == 1 { user[$1] = 1; next }
	file == 2 { item[$1] = 1; next }
	$1 < prev { print "out of order at line " FNR; bad = 1 }
	!($2 in user) || !($3 in item) { print "unknown id at line " FNR; bad = 1 }
	{ prev = $1 }
	END { exit bad }' "$data/users.csv" "$data/items.csv" "$data/events.csv" ||
	fail "events.csv order or ids"

# The planted effect, counted from events.csv: a user's arm is that of their
# first row, and converts with any purchase or redeem (all fall within 14
# days of the exposure). The counts must match arms.csv and the figures
# derived when the data was made.
awk -F, '
	FNR == 1 { file++; next }
	file == 1 { n[$1] += 0; c[$1] += 0; want[$1] = $2 " " $3 " " $4 " " $5; next }
	!($2 in arm) { arm[$2] = $7; n[$7]++ }
	($4 == "purchase" || $4 == "redeem") && !($2 in conv) { conv[$2] = 1; c[$7]++ }
	$4 == "purchase" || $4 == "redeem" { rev[$7] += $5; urev[$2] += $5 }
	END {
		for (u in urev)
			sq[arm[u]] += urev[u] * urev[u]
		for (a in want) {
			got = n[a] " " c[a] " " sprintf("%.2f %.4f", rev[a], sq[a])
			if (got != want[a]) { print a ": " got " but arms.csv says " want[a]; bad = 1 }
		}
		if (n["control"] != 953 || c["control"] != 75) { print "control moved"; bad = 1 }
		if (n["coupon"] != 960 || c["coupon"] != 114) { print "coupon moved"; bad = 1 }
		if (n["discount"] != 932 || c["discount"] != 74) { print "discount moved"; bad = 1 }
		p0 = c["control"] / n["control"]
		p1 = c["coupon"] / n["coupon"]
		p2 = c["discount"] / n["discount"]
		p = (c["control"] + c["coupon"]) / (n["control"] + n["coupon"])
		z = (p1 - p0) / sqrt(p * (1 - p) * (1 / n["control"] + 1 / n["coupon"]))
		if (p1 < p0 + 0.02) { print "coupon " p1 " not 2 points over control " p0; bad = 1 }
		if (z < 2.58) { print "coupon z " z " below 2.58"; bad = 1 }
		if (p2 - p0 > 0.01 || p0 - p2 > 0.01) { print "discount " p2 " vs control " p0; bad = 1 }
		exit bad
	}' "$data/arms.csv" "$data/events.csv" || fail "planted campaign effect"

exit $status
