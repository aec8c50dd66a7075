#!/bin/sh
# Sessions: record then replay gives the same output byte for byte;
# parameters; every kind of bad session file with its exact error (and
# nothing run); Markdown and CSV reports equal to the expected files;
# save-session; file modes.
. "$(dirname "$0")/lib.sh"
case $CROSSMKT in /*) ;; *) CROSSMKT=$(pwd)/$CROSSMKT ;; esac
fixtures=$srcdir/tests/fixtures


# A fresh scratch directory with the ops fixtures and the session fixtures.
fresh() {
	rm -rf "$tmp/w"
	mkdir -p "$tmp/w"
	cp "$fixtures"/ops/users.csv "$fixtures"/ops/events.csv "$fixtures"/session/campaign.json "$tmp/w"/
	cd "$tmp/w" || exit 99
}

# expect DESC STATUS STDERR -- COMMAND...: exact status and stderr, no stdout.
expect() {
	desc=$1 want_status=$2 want_err=$3
	shift 4
	"$@" > out 2> err
	status=$?
	if [ "$status" != "$want_status" ] || [ "$(cat err)" != "$want_err" ] || [ -s out ]; then
		bad "$desc: status $status, stderr: $(cat err), stdout: $(head -c 200 out)"
	else
		ok
	fi
}

XDG_STATE_HOME=$tmp/state XDG_CONFIG_HOME=$tmp/config
export XDG_STATE_HOME XDG_CONFIG_HOME

# Record, then replay: the JSON Lines are the same, byte for byte.
fresh
cat > cmds <<'END'
load users users.csv
load ev events.csv
join ev users on=user_id columns=city,segment as=j
filter j where="city == '上海'" as=sh
aggregate sh by=arm n=count() revenue=sum(amount) as=arms
head arms
describe users
load missing missing.csv
sort users by=spend desc
END
"$CROSSMKT" --batch --keep-going --record rec.json < cmds > batch.out 2> batch.err
echo $? > batch.status
"$CROSSMKT" --batch --replay rec.json > replay.out 2> replay.err
echo $? > replay.status
if cmp -s batch.out replay.out && cmp -s batch.err replay.err; then ok; else bad "replay differs from the recorded run"; fi
[ "$(cat batch.status)" = 1 ] && [ "$(cat replay.status)" = 0 ] && ok ||
	bad "statuses: batch $(cat batch.status), replay $(cat replay.status) (want 1, then 0: the failure was recorded)"
[ "$(stat -c %a rec.json)" = 600 ] && ok || bad "session file mode $(stat -c %a rec.json), want 600"
[ "$(grep -c '"command"' rec.json)" = 9 ] && ok || bad "rec.json should hold 9 commands"
grep -q '"ok":	false' rec.json && ok || bad "the failed load should be recorded with \"ok\": false"
"$CROSSMKT" --batch --replay rec.json --report again.out 2> /dev/null
cmp -s replay.out again.out && ok || bad "--report differs from stdout"
[ "$(stat -c %a again.out)" = 644 ] && ok || bad "report mode $(stat -c %a again.out), want 644"
ls again.out.tmp.* > /dev/null 2>&1 && bad "a temporary report file was left" || ok

# A usage error is not recorded; save-session saves what ran before it.
fresh
"$CROSSMKT" --batch --keep-going --record all.json -e 'load users users.csv' -e 'head' \
	-e 'save-session part.json' -e 'describe users' > /dev/null 2>&1
[ "$(grep -c '"command"' part.json)" = 1 ] && ok || bad "part.json should hold 1 command"
[ "$(grep -c '"command"' all.json)" = 2 ] && ok || bad "all.json should hold 2 commands"
[ "$(stat -c %a part.json)" = 600 ] && ok || bad "save-session mode $(stat -c %a part.json)"

# Markdown and CSV reports: exactly the expected files, every time (the
# session exports a file: --allow-write lets it).
fresh
"$CROSSMKT" --batch --allow-write . --replay campaign.json --format md --set n=2 --min-group 2 --report report.md 2> err
[ $? = 0 ] && ok || bad "md replay failed: $(cat err)"
cmp -s report.md "$fixtures/session/campaign.md" && ok ||
	{ bad "campaign.md differs"; diff "$fixtures/session/campaign.md" report.md | head -20; }
cmp -s by_event.csv "$fixtures/session/by_event.csv" && ok || bad "by_event.csv differs"
"$CROSSMKT" --batch --allow-write . --replay campaign.json --format md --set n=2 --min-group 2 > again.md 2> /dev/null
cmp -s report.md again.md && ok || bad "the md report is not deterministic"
"$CROSSMKT" --batch --allow-write . --replay campaign.json --format csv --min-group 2 --report report.csv 2> /dev/null
cmp -s report.csv "$fixtures/session/campaign.csv" && ok ||
	{ bad "campaign.csv differs"; diff "$fixtures/session/campaign.csv" report.csv | head -20; }

# Bad session files: an exact error naming the file and the command, and
# nothing runs (the export in the first commands never writes its file).
session() {
	printf '{"format": "crossmkt-session", "version": %s, %s "commands": [%s]}\n' "$1" "$2" "$3" > s.json
}
fresh
first='{"command": "load users users.csv"}, {"command": "export users out.csv"}'
printf 'load users users.csv\n' > s.json
expect "not JSON" 2 "crossmkt: s.json: not valid JSON (line 1, column 1)" -- \
	"$CROSSMKT" --batch --replay s.json
printf '{"format": "crossmkt-session", "version": 1, "commands": [\n{"command": "x"},\n' > s.json
expect "truncated JSON" 2 "crossmkt: s.json: not valid JSON (line 3, column 1)" -- \
	"$CROSSMKT" --batch --replay s.json
printf '{"format": "crossmkt-campaign", "version": 1, "commands": []}' > s.json
expect "wrong format" 2 'crossmkt: s.json: not a crossmkt session file ("format" must be "crossmkt-session")' -- \
	"$CROSSMKT" --batch --replay s.json
session 2 "" "$first"
expect "newer version" 2 "crossmkt: s.json: session format version 2 is newer than this crossmkt reads (version 1); use a newer crossmkt" -- \
	"$CROSSMKT" --batch --replay s.json
session '"1"' "" "$first"
expect "version not a number" 2 'crossmkt: s.json: "version" must be a whole number (this crossmkt reads version 1)' -- \
	"$CROSSMKT" --batch --replay s.json
session 1 "" "$first"', {"command": "frobnicate users k=3"}'
expect "unknown command" 2 "crossmkt: s.json: command 3: unknown command 'frobnicate' (type 'help' for the list of commands)" -- \
	"$CROSSMKT" --batch --replay s.json
session 1 "" "$first"', {"command": "head users rows=3"}'
expect "unknown argument" 2 "crossmkt: s.json: command 3: head: unknown argument 'rows='; usage: head DATASET [n=N]" -- \
	"$CROSSMKT" --batch --replay s.json
session 1 "" "$first"', {"command": "rename users"}'
expect "missing argument" 2 "crossmkt: s.json: command 3: rename: missing arguments; usage: rename NAME NEW" -- \
	"$CROSSMKT" --batch --replay s.json
session 1 "" "$first"', {"command": "head \"users"}'
expect "unbalanced quote" 2 "crossmkt: s.json: command 3: unterminated double quote at position 6" -- \
	"$CROSSMKT" --batch --replay s.json
session 1 "" "$first"', {"command": "head users n=${n"}'
expect "bad placeholder" 2 'crossmkt: s.json: command 3: position 14: write ${NAME} with NAME a parameter name (or $${ for a literal ${)' -- \
	"$CROSSMKT" --batch --replay s.json
session 1 "" "$first"', {"command": "filter users where=\"day(ts) == '"'"'${day}'"'"'\" as=d"}'
expect "missing parameter" 2 'crossmkt: s.json: command 3: ${day} has no value; give --set day=...' -- \
	"$CROSSMKT" --batch --replay s.json
expect "unknown parameter" 2 "crossmkt: s.json: --set city=x: the session has no parameter 'city'" -- \
	"$CROSSMKT" --batch --replay s.json --set city=x
expect "malformed --set" 2 "crossmkt: s.json: --set 1x=2: write --set NAME=VALUE" -- \
	"$CROSSMKT" --batch --replay s.json --set 1x=2
session 1 '"params": {"n": 2},' "$first"
expect "parameter not a string" 2 "crossmkt: s.json: parameter 'n': the default must be a string" -- \
	"$CROSSMKT" --batch --replay s.json
session 1 "" '{"command": "load users users.csv"}, "export users out.csv"'
expect "command not an object" 2 'crossmkt: s.json: command 2: not an object with a "command" string' -- \
	"$CROSSMKT" --batch --replay s.json
expect "missing file" 2 "crossmkt: nothing.json: cannot open session file: No such file or directory" -- \
	"$CROSSMKT" --batch --replay nothing.json
[ -e out.csv ] && bad "a bad session ran some of its commands" || ok

# Parameters: defaults, --set, and $${ for a literal ${.
fresh
session 1 '"params": {"who": "u1"},' '{"command": "load users users.csv"}, {"command": "filter users where=\"user_id == '"'"'${who}'"'"'\" as=${name}"}, {"command": "head ${name} n=1"}'
"$CROSSMKT" --batch --replay s.json --set name=picked > out 2> err
[ $? = 0 ] && grep -q '"command":"head picked n=1","ok":true,"result":{"dataset":"picked","rows":\[{"user_id":"u1"' out && ok ||
	bad "defaults and --set: $(cat err) $(tail -1 out)"
"$CROSSMKT" --batch --replay s.json --set name=picked --set who=u4 > out 2> err
grep -q '"rows":\[{"user_id":"u4"' out && ok || bad "--set over a default: $(tail -1 out)"

# A failure stops the replay unless --keep-going; the report still says so.
fresh
session 1 "" '{"command": "load users users.csv"}, {"command": "head nope"}, {"command": "describe users"}'
"$CROSSMKT" --batch --replay s.json > out 2> err
status=$?
[ $status = 1 ] && [ "$(wc -l < out)" = 2 ] && ok || bad "stop at a failure: status $status, $(wc -l < out) lines"
"$CROSSMKT" --batch --replay s.json --keep-going > out 2> err
status=$?
[ $status = 1 ] && [ "$(wc -l < out)" = 3 ] && ok || bad "--keep-going: status $status, $(wc -l < out) lines"

# Options that need --replay, and report formats.
expect "--report alone" 2 "crossmkt: --report, --format and --set go with --replay FILE
Try 'crossmkt --help' for more information." -- "$CROSSMKT" --batch --report x.md -e help
expect "bad format" 2 "crossmkt: --format: give json, md or csv
Try 'crossmkt --help' for more information." -- "$CROSSMKT" --batch --replay s.json --format xml

# The shared directory: revisions, a refused stale save, modes, replay.
fresh
mkdir team
"$CROSSMKT" --batch --shared-dir team -e 'load users users.csv' -e 'share-session monday' \
	-e 'head users n=1' -e 'share-session monday base=1' -e 'share-session monday base=1' \
	-e shared > out 2> err
[ $? = 1 ] && ok || bad "a stale share-session should fail"
grep -q '"result":{"name":"monday","dir":"team","revision":2,"commands":2}' out && ok || bad "second save: $(sed -n 4p out)"
grep -q "^crossmkt: share-session: monday was changed by $(id -un) at [0-9T:Z-]* (revision 2; yours is based on revision 1): open it again and redo your change\$" err &&
	ok || bad "conflict message: $(cat err)"
[ "$(stat -c %a team/monday.json) $(stat -c %a team/monday.lock)" = "660 660" ] && ok ||
	bad "shared modes: $(stat -c %a team/monday.json) $(stat -c %a team/monday.lock)"
"$CROSSMKT" --batch --shared-dir team -e shared > out 2> err
grep -q '"files":\[{"name":"monday","revision":2,"author":"'"$(id -un)"'","saved":"' out && ok || bad "shared: $(cat out)"
"$CROSSMKT" --batch --replay team/monday.json > out 2> err
[ $? = 0 ] && [ "$(wc -l < out)" = 2 ] && ok || bad "replay of a shared session: $(cat err)"
printf 'shared-dir = %s/w/team\n' "$tmp" > cfg
mkdir -p "$XDG_CONFIG_HOME/crossmkt"
cp cfg "$XDG_CONFIG_HOME/crossmkt/config"
"$CROSSMKT" --batch -e shared > out 2> err
grep -q '"name":"monday","revision":2' out && ok || bad "shared-dir from the config file: $(cat err)"
rm "$XDG_CONFIG_HOME/crossmkt/config"
"$CROSSMKT" --batch -e shared > out 2> err
[ "$(cat err)" = "crossmkt: shared: no shared directory: start crossmkt with --shared-dir DIR or set 'shared-dir = DIR' in \$XDG_CONFIG_HOME/crossmkt/config" ] &&
	ok || bad "no shared directory: $(cat err)"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
