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

# A group member's links in the shared directory: the lock file links to a
# private file, or dangles. The save is refused; the private file keeps
# its mode and content and nothing is created where the link points.
mkdir team
cp "$srcdir/tests/fixtures/ops/campaign_events.csv" ev.csv
printf 'SECRET=1\n' > victim
chmod 600 victim
ln -s "$tmp/victim" team/campaign.x.lock
ln -s "$tmp/nowhere" team/campaign.y.lock
share() {
	run --shared-dir team -e 'load ev ev.csv' -e "campaign $1 dataset=ev metric=revenue" \
	    -e "campaign save $1"
}
share x
expect "lock file linked to a private file" 1 "crossmkt: campaign: team/campaign.x.lock: is a symbolic link; not following it (remove it to save)"
mode "linked lock: the private file's mode" victim 600
[ "$(cat victim)" = SECRET=1 ] && ok || bad "linked lock: the private file now holds $(cat victim)"
share y
expect "dangling lock link" 1 "crossmkt: campaign: team/campaign.y.lock: is a symbolic link; not following it (remove it to save)"
[ ! -e nowhere ] && ok || bad "dangling lock link: $tmp/nowhere was created"
# A hard link to the private file in place of the lock.
ln victim team/campaign.z.lock 2>/dev/null &&
	{ share z; expect "hard-linked lock" 1 "crossmkt: campaign: team/campaign.z.lock: not a lock file of this directory (a regular file with another link); remove it to save"; }
rm -f team/campaign.z.lock
# The shared document itself as a link to a private file.
ln -s "$tmp/victim" team/campaign.w.json
run --shared-dir team -e 'campaign open w'
expect "document linked to a private file" 1 "crossmkt: campaign: team/campaign.w.json: is a symbolic link; not following it"
rm -f team/campaign.*

# FIFOs where files are read: refused at once, never waited on.
mkfifo team/campaign.f.json team/sess.json fifo.csv fifo.json
run --shared-dir team -e 'campaign open f'
expect "campaign open of a FIFO" 1 "crossmkt: campaign: team/campaign.f.json: is a FIFO, not a regular file"
share f
expect "campaign save over a FIFO" 1 "crossmkt: campaign: team/campaign.f.json: is a FIFO, not a regular file"
run --shared-dir team -e 'load ev ev.csv' -e 'share-session sess'
expect "share-session over a FIFO" 1 "crossmkt: share-session: team/sess.json: is a FIFO, not a regular file"
run --shared-dir team -e shared
[ "$status" = 0 ] && grep -qxF '{"command":"shared","ok":true,"result":{"dir":"team","files":[]}}' out && ok ||
	bad "shared with FIFOs: status $status, $(cat out err)"
run -e 'load f fifo.csv'
expect "load of a FIFO" 1 "crossmkt: fifo.csv: not a regular file; save the data to a file first"
run --replay fifo.json
expect "replay of a FIFO" 2 "crossmkt: fifo.json: is a FIFO, not a regular file"
rm -f team/* fifo.csv fifo.json

# An empty shared directory lists nothing (under UBSan, without a report).
run --shared-dir team -e shared
[ "$status" = 0 ] && [ ! -s err ] && grep -qxF '{"command":"shared","ok":true,"result":{"dir":"team","files":[]}}' out && ok ||
	bad "shared on an empty directory: status $status, $(cat out err)"

# A session too large to be read back is refused when it is written.
python3 -c "
s = 'a' * 1000000
print('load t small.csv')
for i in range(70):
    print('filter t where=\"city == \'%s\'\" as=f' % s)
print('share-session big')
print('save-session big.json')" > big.cmd
timeout 120 "$CROSSMKT" --batch --keep-going --shared-dir team < big.cmd > /dev/null 2> err
status=$?
expect "sessions over 64 MB" 1 "crossmkt: share-session: team/big.json: 67 MB, over the 64 MB a shared file may hold: it could not be read back; share less
crossmkt: save-session: big.json: 67 MB, over the 64 MB a session file may hold: it could not be read back; save a shorter session"
[ ! -e team/big.json ] && [ ! -e big.json ] && ok || bad "sessions over 64 MB: a file was written"
rm -f big.cmd team/big.lock

# Another process holds the lock (an fcntl lock, as crossmkt takes): the
# save waits 10 s for it, then gives up naming who holds it.
python3 -c '
import fcntl, sys, time
f = open("team/campaign.x.lock", "a")
fcntl.lockf(f, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(60)' > holder.out &
holder=$!
i=0
while [ $i -lt 100 ] && [ ! -s holder.out ]; do sleep 0.1; i=$((i + 1)); done
share x
expect "lock held by another process" 1 "crossmkt: campaign: gave up waiting for campaign.x's lock held by $(id -un) (pid $holder) after 10 s; try again when the other save is done"
kill $holder
wait $holder 2>/dev/null
share x
[ "$status" = 0 ] && ok || bad "save after the lock was let go: status $status, $(cat err)"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
