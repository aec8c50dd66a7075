#!/bin/sh
# Hostile inputs and their exact outcomes.
#
# tests/hostile-cases/NAME.csv or NAME.json, with NAME.expect: the standard output
# of crossmkt --batch --keep-going, then "--- stderr" and the standard error,
# then "--- status N". The commands are NAME.cmd when it exists, else
# "load h NAME.csv" and "head h" for a CSV file and --replay for a session
# file. Neither output may hold a raw control character (tab and newline
# aside). Large inputs are generated here: a 100 MB field, a million
# columns, a 70 MB and a deeply nested session file; and names with
# spaces, quotes and CJK characters, and control characters on the console.
. "$(dirname "$0")/lib.sh"
builddir=$(cd "${builddir:-.}" && pwd)
CROSSMKT=${CROSSMKT:-$builddir/crossmkt}
dir=$srcdir/tests/hostile-cases
. "$srcdir/tests/tmux.sh"
trap 'stop_consoles; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
XDG_STATE_HOME=$tmp/state XDG_CONFIG_HOME=$tmp/config
export XDG_STATE_HOME XDG_CONFIG_HOME


# run ARGS...: crossmkt in batch mode; the outcome goes to "got".
run() {
	"$CROSSMKT" --batch --keep-going "$@" > out 2> err
	status=$?
	{ cat out; echo "--- stderr"; cat err; echo "--- status $status"; } > got
}

# No raw control character but tab and newline in stdout and stderr.
clean() {
	if LC_ALL=C tr -d '\t\n' < out | LC_ALL=C grep -q '[[:cntrl:]]' ||
	    LC_ALL=C tr -d '\t\n' < err | LC_ALL=C grep -q '[[:cntrl:]]'; then
		bad "$1: a raw control character reached the output"
	else
		ok
	fi
}

# has NAME TEXT: the outcome holds TEXT exactly (one whole line).
has() {
	if grep -qxF -- "$2" got; then
		ok
	else
		bad "$1: no line '$2' in:"
		cut -c1-300 got | sed 's/^/  /'
	fi
}

for f in "$dir"/*.csv "$dir"/*.json; do
	[ -e "$f" ] || continue
	base=${f##*/}
	name=${base%.*}
	cp "$f" .
	if [ -f "$dir/$name.cmd" ]; then
		run < "$dir/$name.cmd"
	elif [ "${base##*.}" = csv ]; then
		run -e "load h $base" -e 'head h'
	else
		run --replay "$base"
	fi
	if [ ! -f "$dir/$name.expect" ]; then
		bad "$name: no $name.expect"
	elif cmp -s got "$dir/$name.expect"; then
		ok
	else
		bad "$name: outcome differs from $name.expect:"
		diff "$dir/$name.expect" got | cut -c1-300 | head -n 20
	fi
	clean "$name"
done

# Expressions nested or chained far enough to exhaust the stack.
awk 'BEGIN { printf "filter s where=\""; for (i = 0; i < 100000; i++) printf "(";
	printf "id"; for (i = 0; i < 100000; i++) printf ")"; print " > 1\" as=x" }' > parens.cmd
awk 'BEGIN { printf "filter s where=\"id"; for (i = 0; i < 100000; i++) printf "+id"; print " > 1\" as=x" }' > chain.cmd
awk 'BEGIN { printf "filter s where=\""; for (i = 0; i < 100000; i++) printf "not "; print "flag\" as=x" }' > not.cmd
cp "$srcdir/tests/fixtures/csv/types.csv" small.csv
for c in parens:'position 201: parentheses nested more than 200 deep' \
    chain:'position 3003: more than 1000 operators and calls; split the work over several commands' \
    not:'position 4001: more than 1000 operators and calls; split the work over several commands'; do
	{ echo 'load s small.csv'; cat "${c%%:*}.cmd"; } | run
	if [ "$status" = 2 ] && grep -q -- "^crossmkt: filter: expression '.*': ${c#*:}\$" err; then
		ok
	else
		bad "expression ${c%%:*}: status $status, $(cut -c1-100 err) ... $(tail -c 100 err)"
	fi
done

# Replay reports in Markdown and CSV show control characters as spaces.
cp "$dir/session-ctrl-param.json" .
for format in md csv; do
	run --replay session-ctrl-param.json --format $format
	has "report $format" '--- status 1'
	clean "report $format"
done

# A 100 MB field: unquoted it loads; quoted it is over the 64 MB a record
# may span; under max_mb=50 it is refused before it is read.
{ echo "id,blob"; printf '1,'; head -c 104857600 /dev/zero | tr '\0' x; echo; echo "2,y"; } > field.csv
run -e 'load h field.csv' -e 'describe h' -e 'load small field.csv max_mb=50'
has "100 MB field" '{"command":"load h field.csv","ok":true,"result":{"dataset":"h","path":"field.csv","rows":2,"columns":[{"name":"id","type":"int","missing":0},{"name":"blob","type":"text","missing":0}],"roles":{"id":"id"}}}'
has "100 MB field, ceiling" 'crossmkt: field.csv: loading needs about 105 MB, over the limit of 50 MB; raise it with max_mb=N or CROSSMKT_MAX_MB'
{ echo "id,blob"; printf '1,"'; head -c 104857600 /dev/zero | tr '\0' x; echo '"'; } > quoted.csv
run -e 'load h quoted.csv'
has "100 MB quoted field" 'crossmkt: quoted.csv:2:2: the quote opened here is not closed within 65536 KB; close it, or write quotes inside a quoted field twice ("")'
rm -f field.csv quoted.csv

# A 15 MB column name loads; a header line over 16 MB is refused.
{ printf 'id,'; head -c 15000000 /dev/zero | tr '\0' n; printf '\n1,2\n'; } > name.csv
head -c 20000000 /dev/zero | tr '\0' n > head.csv
run -e 'load h name.csv' -e datasets -e 'load g head.csv'
has "15 MB column name" '{"command":"datasets","ok":true,"result":{"datasets":[{"name":"h","path":"name.csv","rows":1,"columns":2,"bytes":'"$(sed -n 's/.*"bytes":\([0-9]*\).*/\1/p' out)"'}]}}'
has "20 MB header" 'crossmkt: head.csv:1: the header line is longer than 16 MB; check that this is a CSV file'
rm -f name.csv head.csv

# A million columns: loads; refused under a ceiling, also from the
# environment.
awk 'BEGIN { for (i = 1; i <= 1000000; i++) printf "c%d%s", i, i < 1000000 ? "," : "\n";
	for (i = 1; i <= 1000000; i++) printf "%d%s", i % 10, i < 1000000 ? "," : "\n" }' > wide.csv
run -e 'load w wide.csv' -e datasets
has "a million columns" '{"command":"datasets","ok":true,"result":{"datasets":[{"name":"w","path":"wide.csv","rows":1,"columns":1000000,"bytes":'"$(sed -n 's/.*"bytes":\([0-9]*\).*/\1/p' out)"'}]}}'
CROSSMKT_MAX_MB=100 run -e 'load w wide.csv'
has "a million columns, ceiling" 'crossmkt: wide.csv: loading needs about 1235 MB, over the limit of 100 MB; raise it with max_mb=N or CROSSMKT_MAX_MB'
rm -f wide.csv

# Session files: 70 MB, and nested 100,000 deep.
awk 'BEGIN { printf "{\"format\": \"crossmkt-session\", \"version\": 1, \"commands\": [";
	for (i = 0; i < 1000000; i++) printf "%s{\"command\": \"datasets %060d\"}", i ? "," : "", i;
	print "]}" }' > huge.json
run --replay huge.json
has "70 MB session" 'crossmkt: huge.json: too large for a session file (over 64 MB)'
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]"; print "" }' > deep.json
run --replay deep.json
has "deeply nested session" 'crossmkt: deep.json: not valid JSON (line 1, column 1001)'
rm -f huge.json deep.json

# A parameter of 1 MB used 20,000 times would expand to 20 GB.
awk 'BEGIN { printf "{\"format\": \"crossmkt-session\", \"version\": 1, \"params\": {\"x\": \"";
	for (i = 0; i < 1048576; i++) printf "a";
	printf "\"}, \"commands\": [";
	for (i = 0; i < 200; i++) { printf "%s{\"command\": \"head ", i ? "," : "";
		for (k = 0; k < 100; k++) printf "${x}"; printf "\"}" }
	print "]}" }' > bomb.json
run --replay bomb.json
has "expanding placeholders" 'crossmkt: bomb.json: command 1: the commands expand to more than 64 MB'
rm -f bomb.json

# A shared file whose revision is out of range is refused, not converted.
mkdir team
printf '{"format":"crossmkt-shared","version":1,"name":"big","revision":1e309,"author":"x","saved":"y","data":{}}\n' > team/big.json
cp team/big.json big.before
cp "$srcdir/tests/fixtures/csv/types.csv" small.csv
run --shared-dir team -e 'load s small.csv' -e 'share-session big base=1'
has "shared revision out of range" 'crossmkt: share-session: team/big.json: not a crossmkt shared file'
cmp -s team/big.json big.before && ok || bad "shared revision out of range: team/big.json changed"

# Names with spaces, quotes and CJK characters, for datasets, CSV files,
# exports and sessions, and the session replayed (its export allowed).
cp "$srcdir/tests/fixtures/csv/types.csv" "my \"quoted\" 'file' 数据.csv"
run -e "load 'my data' \"my \\\"quoted\\\" 'file' 数据.csv\"" -e "load 数据 \"my \\\"quoted\\\" 'file' 数据.csv\"" \
	-e "head 'my data' n=1" -e "export 数据 'out \"q\" 文件.csv' columns=id" \
	-e "save-session 'sess \"q\" 会话.json'"
has "names: load" '{"command":"load 数据 \"my \\\"quoted\\\" '"'"'file'"'"' 数据.csv\"","ok":true,"result":{"dataset":"数据","path":"my \"quoted\" '"'"'file'"'"' 数据.csv","rows":4,"columns":[{"name":"id","type":"int","missing":0},{"name":"score","type":"float","missing":1},{"name":"mixed","type":"float","missing":1},{"name":"day","type":"date","missing":1},{"name":"month","type":"date","missing":1},{"name":"ts","type":"datetime","missing":1},{"name":"flag","type":"bool","missing":1},{"name":"city","type":"text","missing":1},{"name":"note","type":"text","missing":0},{"name":"when","type":"datetime","missing":1},{"name":"gap","type":"text","missing":4},{"name":"code","type":"text","missing":1}],"roles":{"id":"id","time":"ts"}}}'
has "names: export" '{"command":"export 数据 '"'"'out \"q\" 文件.csv'"'"' columns=id","ok":true,"result":{"dataset":"数据","path":"out \"q\" 文件.csv","format":"csv","rows":4,"columns":1}}'
[ "$(cat 'out "q" 文件.csv')" = "$(printf 'id\n1\n2\n-9223372036854775808\n9223372036854775807')" ] && ok ||
	bad "names: the export holds $(cat 'out "q" 文件.csv')"
run --allow-write . --replay 'sess "q" 会话.json'
has "names: replay" '--- status 0'
[ "$(grep -c '"ok":true' out)" = 4 ] && ok || bad "names: replay: $(cat out err)"

# The console shows control characters in cells escaped, never raw: the
# screen is not cleared and the cells read as written.
if command -v tmux >/dev/null 2>&1 && [ -n "$utf8" ]; then
	cp "$dir/ctrl-cells.csv" .
	run_console hostile 100x30 -- ctrl-cells.csv
	wait_for 'loaded ctrl-cells' || bad "console: ctrl-cells.csv not loaded"
	screen > screen
	for cell in 'clear\x1b[2Jscreen\x07' 'title\x1b]0;owned\x07set' 'csi\u009b31mred' 'del\x7fx' \
	    'cr\x0dlf' 'bidi\u202eevil'; do
		grep -qF -- "$cell" screen && ok || { bad "console: no '$cell' on the screen:"; cat screen; }
	done
	# An error quoting a file's header, in the status line.
	cp "$dir/ctrl-header.csv" .
	keys ':'
	sleep 0.3
	keys 'load x ctrl-header.csv' Enter
	want="error: ctrl-header.csv:1: columns 2 and 3 are both named '\x1b[31mred\x1b[0m'; rename one of them"
	wait_for "$want" 5 && ok || bad "console: no '$want'"
	stop_console
else
	echo "tmux or a UTF-8 locale missing: the console case is skipped"
fi

echo "$pass passed, $fail failed"
[ $fail = 0 ]
