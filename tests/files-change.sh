#!/bin/sh
# Files that change under crossmkt: a watched file replaced (renamed over,
# or rewritten in place) by a longer one is refused, not read on from the
# old offset; a file that shrinks while it loads is refused, not loaded
# short. Commands go in through a pipe one at a time, as in watch.sh.
. "$(dirname "$0")/lib.sh"
builddir=$(cd "${builddir:-.}" && pwd)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
n=0

cd "$tmp" || exit 99
XDG_STATE_HOME=$tmp/state XDG_CONFIG_HOME=$tmp/config
export XDG_STATE_HOME XDG_CONFIG_HOME
mkfifo in
"$CROSSMKT" --batch --keep-going <in >out 2>err &
pid=$!
exec 3>in

# send COMMAND: runs it and waits (at most 10 s) for its result line.
send() {
	printf '%s\n' "$1" >&3
	n=$((n + 1))
	i=0
	while [ "$(wc -l <out)" -lt $n ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

expect() {
	if sed -n "${n}p" out | grep -qxF -- "$1"; then
		pass=$((pass + 1))
	else
		echo "FAIL: line $n: not '$1' but: $(sed -n "${n}p" out)"
		fail=$((fail + 1))
	fi
}

replaced='{"command":"watch g","ok":false,"error":"g.csv: the file was replaced; load it again"}'

# Renamed over by a longer file before the first watch.
printf 'user,n\nu1,1\nu2,2\n' > g.csv
send "load g g.csv"
printf 'user,n\nx1,10\nx2,20\nx3,30\nx4,40\n' > new.csv
mv new.csv g.csv
send "watch g"
expect "$replaced"
send "datasets"
expect '{"command":"datasets","ok":true,"result":{"datasets":[{"name":"g","path":"g.csv","rows":2,"columns":2,"bytes":'"$(sed -n "${n}p" out | sed 's/.*"bytes":\([0-9]*\).*/\1/')"'}]}}'

# Rows appended are read; then the file is renamed over after a watch.
printf 'user,n\nu1,1\nu2,2\n' > g.csv
send "load g g.csv"
printf 'u3,3\n' >> g.csv
send "watch g"
expect '{"command":"watch g","ok":true,"result":{"dataset":"g","rows_added":1,"rows":3}}'
printf 'u4,4\n' >> g.csv
send "watch g"
expect '{"command":"watch g","ok":true,"result":{"dataset":"g","rows_added":1,"rows":4}}'
printf 'user,n\nx1,10\nx2,20\nx3,30\nx4,40\nx5,50\nx6,60\n' > new.csv
mv new.csv g.csv
send "watch g"
expect "$replaced"

# Rewritten in place (same inode), longer, with other rows.
printf 'user,n\nu1,1\nu2,2\n' > g.csv
send "load g g.csv"
printf 'user,n\nu1,1\nu9,9\nx3,30\nx4,40\n' > g.tmp
cat g.tmp > g.csv
send "watch g"
expect "$replaced"
exec 3>&-
wait "$pid"
pid=

# A file truncated at a row boundary while it loads (the preloaded
# library truncates it once 1 MB has been read).
lib=$builddir/tests/faultinject.so
if [ -f "$lib" ]; then
	awk 'BEGIN { print "user_id,amount,city"; for (i = 0; i < 150000; i++) printf "%d,%d.5,c%d\n", i, i % 97, i % 13 }' > big.csv
	cut=$(head -n 100001 big.csv | wc -c)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
	    LD_PRELOAD=$lib FAULTINJECT_PATH=big.csv FAULTINJECT_SHRINK_AT=1048576 FAULTINJECT_SHRINK_TO=$cut \
	    "$CROSSMKT" --batch --keep-going -e 'load big big.csv threads=1' -e datasets > out 2> err
	status=$?
	want="crossmkt: big.csv: the file shrank while it was read (from $(awk 'BEGIN { print "user_id,amount,city"; for (i = 0; i < 150000; i++) printf "%d,%d.5,c%d\n", i, i % 97, i % 13 }' | wc -c) to $cut bytes); load it again once it is written"
	if [ $status = 1 ] && [ "$(cat err)" = "$want" ] && grep -qxF '{"command":"datasets","ok":true,"result":{"datasets":[]}}' out; then
		pass=$((pass + 1))
	else
		echo "FAIL: a file shrinking while it loads: status $status, $(cat err), $(cut -c1-200 out)"
		echo "  expected: $want"
		fail=$((fail + 1))
	fi
	[ "$(wc -c < big.csv)" = "$cut" ] && pass=$((pass + 1)) ||
	    { echo "FAIL: the file was not truncated: the test did not test"; fail=$((fail + 1)); }
else
	echo "$lib not built: the shrinking load is skipped"
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
