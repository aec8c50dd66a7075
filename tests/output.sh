#!/bin/sh
# Batch output: every line is valid UTF-8 and valid JSON, whatever bytes
# a command holds, and a result too large for one line is refused with a
# message rather than a crash.
. "$(dirname "$0")/lib.sh"
cd "$tmp" || exit 1
XDG_STATE_HOME=$tmp/state XDG_CONFIG_HOME=$tmp/config
export XDG_STATE_HOME XDG_CONFIG_HOME
cp "$srcdir/tests/fixtures/csv/types.csv" small.csv

# valid NAME FILE: every line of FILE decodes as strict UTF-8 and parses
# as JSON.
valid() {
	if python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1], "rb"), 1):
    try:
        json.loads(line.decode("utf-8"))
    except ValueError as e:
        sys.exit("line %d: %s" % (n, e))' "$2"; then
		ok
	else
		bad "$1: $2 is not JSON Lines"
	fi
}

# has NAME FILE LINE: FILE holds LINE exactly.
has() {
	grep -qxF -- "$3" "$2" && ok || { bad "$1: no line '$3' in:"; cut -c1-300 "$2"; }
}

# Invalid UTF-8 in commands: stray continuation bytes, an overlong
# sequence, a surrogate, a code point above U+10FFFF, a truncated
# sequence. Each bad byte prints as U+FFFD.
printf 'load t small.csv\nhead t n=1 columns=\377\376id\nfilter t where="city == '"'"'\303\050\355\240\200\364\220\200\200\342\202'"'"'" as=x\nnosuch\300\257\n' > bad.cmd
"$CROSSMKT" --batch --keep-going < bad.cmd > out 2> err
status=$?
[ $status = 2 ] && ok || bad "invalid UTF-8: status $status"
valid "invalid UTF-8" out
has "invalid UTF-8, U+FFFD" out '{"command":"nosuch��","ok":false,"error":"unknown command '"'nosuch��'"' (type '"'help'"' for the list of commands)"}'
has "invalid UTF-8, message" err "crossmkt: unknown command 'nosuch��' (type 'help' for the list of commands)"
"$CROSSMKT" --batch --keep-going -e 'load t small.csv' -e "derive t $(printf 'x=\042a\377\042')" \
	-e 'save-session s.json' > out 2> err
"$CROSSMKT" --batch --replay s.json > out 2> err
grep -q '"ok":true' out && ok || bad "invalid UTF-8 in a replay: $(cat err)"
valid "invalid UTF-8 in a replay report" out

# A result over the longest line: cJSON prints at most 2 GiB; the test
# lowers the limit to 1 MB and asks for 2 MB.
awk 'BEGIN { printf "id,"; for (i = 0; i < 2000; i++) printf "c"; print ""
	for (i = 0; i < 1000; i++) print i "," i }' > wide.csv
CROSSMKT_MAX_LINE_MB=1 "$CROSSMKT" --batch -e 'load w wide.csv' -e 'head w n=1000' -e datasets > out 2> err
status=$?
[ $status = 1 ] && ok || bad "result over the line limit: status $status"
has "result over the line limit" err "crossmkt: head: the result is over 1 MB of JSON, more than one line of output may hold; ask for less (fewer rows or columns)"
has "result over the line limit, its line" out '{"command":"head w n=1000","ok":false,"error":"head: the result is over 1 MB of JSON, more than one line of output may hold; ask for less (fewer rows or columns)"}'
valid "result over the line limit" out
CROSSMKT_MAX_LINE_MB=3 "$CROSSMKT" --batch -e 'load w wide.csv' -e 'head w n=1000' > out 2> err
[ $? = 0 ] && [ "$(wc -l < out)" = 2 ] && ok || bad "result under the line limit: $(cat err)"
for v in 0 abc 5MB 2048; do
	CROSSMKT_MAX_LINE_MB=$v "$CROSSMKT" --batch -e datasets > out 2> err
	has "CROSSMKT_MAX_LINE_MB=$v" err "crossmkt: CROSSMKT_MAX_LINE_MB=$v: give a whole number of MB from 1 to 2047"
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
