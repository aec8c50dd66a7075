#!/bin/sh
# watch in batch mode on a file that grows between commands: commands go
# in through a pipe one at a time, and rows are appended to the file in
# between. New rows keep the column types, new strings join the
# dictionaries, a partial last line waits, a bad value names FILE:LINE and
# leaves the dataset unchanged.
. "$(dirname "$0")/lib.sh"
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
n=0

cd "$tmp" || exit 99
printf 'ts,user,arm,n,amount\n2025-03-01 10:00:00,u1,control,1,1.5\n2025-03-01 11:00:00,u2,coupon,2,\n' >g.csv
mkfifo in
# The files exist before the program starts: it opens them only once the
# fifo has a writer, after the first command may already be waited for.
: >out
: >err
"$CROSSMKT" --batch --keep-going <in >>out 2>>err &
pid=$!
exec 3>in

# send COMMAND: runs it and waits for its result line, as long as the
# program runs (a loaded machine may take seconds; at most 120 s).
send() {
	printf '%s\n' "$1" >&3
	n=$((n + 1))
	i=0
	while [ "$(wc -l <out)" -lt $n ] && [ $i -lt 1200 ] && kill -0 "$pid" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
}

expect() {
	if sed -n "${n}p" out | grep -qF -- "$1"; then
		pass=$((pass + 1))
	else
		echo "FAIL: line $n: no '$1' in: $(sed -n "${n}p" out)"
		fail=$((fail + 1))
	fi
}

send "load g g.csv"
expect '"rows":2'
printf '2025-03-02 09:00:00+08:00,u3,discount,3,7.25\n2025-03-02 10:00:00,u1,control,,2\n2025-03-02 11:00' >>g.csv
send "watch g"
expect '{"dataset":"g","rows_added":2,"rows":4}'
send "head g n=10"
expect '{"ts":"2025-03-02 09:00:00+08:00","user":"u3","arm":"discount","n":3,"amount":7.25}'
expect '{"ts":"2025-03-02 10:00:00","user":"u1","arm":"control","n":null,"amount":2}'
printf ':00,u4,coupon,4,1\n' >>g.csv
send "watch g"
expect '{"dataset":"g","rows_added":1,"rows":5}'
send "describe g"
expect '"rows":5'
printf '2025-03-03 10:00:00,u5,coupon,x7,1\n' >>g.csv
send "watch g"
expect 'g.csv:7:4: '"'"'x7'"'"' is not a value of column '"'"'n'"'"' (int); the dataset is unchanged'
send "watch g"
expect 'g.csv:7:4:'
send "head g n=10"
expect '"user":"u4"'
if sed -n "${n}p" out | grep -qF u5; then
	echo "FAIL: the bad row was appended"
	fail=$((fail + 1))
else
	pass=$((pass + 1))
fi
# forget erases rows from the dataset, not from the file: watch goes on
# from where the rows ended, it does not read the erased ones again.
printf 'user,n\nu1,1\nu2,2\nu1,3\n' >h.csv
send "load h h.csv"
expect '"rows":3'
send "forget h user=u1"
expect '"removed":2'
printf 'u3,4\n' >>h.csv
send "watch h"
expect '{"dataset":"h","rows_added":1,"rows":2}'
send "forget h user=u3"
expect '"removed":1'
printf 'u4,5\n' >>h.csv
send "watch h"
expect '{"dataset":"h","rows_added":1,"rows":2}'
send "head h"
expect '{"user":"u4","n":5}'
# A file replaced since its rows were read, renamed over or rewritten in
# place by a longer one: refused, not read on from the old place.
replaced='{"command":"watch r","ok":false,"error":"r.csv: the file was replaced; load it again"}'

# Renamed over by a longer file before the first watch.
printf 'user,n\nu1,1\nu2,2\n' > r.csv
send "load r r.csv"
printf 'user,n\nx1,10\nx2,20\nx3,30\nx4,40\n' > new.csv
mv new.csv r.csv
send "watch r"
expect "$replaced"
send "head r"
expect '{"command":"head r","ok":true,"result":{"dataset":"r","rows":[{"user":"u1","n":1},{"user":"u2","n":2}]}}'

# Rows appended are read; then the file is renamed over after a watch.
printf 'user,n\nu1,1\nu2,2\n' > r.csv
send "load r r.csv"
printf 'u3,3\n' >> r.csv
send "watch r"
expect '{"command":"watch r","ok":true,"result":{"dataset":"r","rows_added":1,"rows":3}}'
printf 'u4,4\n' >> r.csv
send "watch r"
expect '{"command":"watch r","ok":true,"result":{"dataset":"r","rows_added":1,"rows":4}}'
printf 'user,n\nx1,10\nx2,20\nx3,30\nx4,40\nx5,50\nx6,60\n' > new.csv
mv new.csv r.csv
send "watch r"
expect "$replaced"

# Rewritten in place (same inode), longer, with other rows.
printf 'user,n\nu1,1\nu2,2\n' > r.csv
send "load r r.csv"
printf 'user,n\nu1,1\nu9,9\nx3,30\nx4,40\n' > r.tmp
cat r.tmp > r.csv
send "watch r"
expect "$replaced"

# A FIFO put in the file's place is refused at once, not waited on (a
# writer opened for a moment frees a reader that waits, if one does).
printf 'user,n\nu1,1\n' > r.csv
send "load r r.csv"
rm r.csv
mkfifo r.csv
send "watch r"
expect '{"command":"watch r","ok":false,"error":"r.csv: is a FIFO, not a regular file"}'
timeout 1 sh -c ': > r.csv' 2>/dev/null
exec 3>&-
wait "$pid"
pid=
echo "$pass passed, $fail failed"
[ $fail = 0 ]
