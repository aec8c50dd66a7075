#!/bin/sh
# Untrusted input from the environment and from session files: malformed
# settings are refused by name, and a replayed session reaches only the
# directories it is allowed.
. "$(dirname "$0")/lib.sh"

users="$srcdir/tests/fixtures/ops/users.csv"

# expect DESC STATUS MESSAGE COMMAND...: the exit status and a line of
# standard error.
expect() {
	desc=$1 want_status=$2 want=$3
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ "$status" = "$want_status" ] && grep -qxF -- "$want" "$tmp/err"; then
		ok
	else
		bad "$desc: status $status (want $want_status), stderr: $(cat "$tmp/err")"
	fi
}

# A malformed CROSSMKT_MAX_MB is refused, naming the variable.
for v in 5MB abc -5 '' 0 ' 5' 99999999999999999999999; do
	expect "CROSSMKT_MAX_MB='$v'" 1 \
	    "crossmkt: CROSSMKT_MAX_MB=$v in the environment: give the memory ceiling in MB, a whole number from 1, or unset it" \
	    env CROSSMKT_MAX_MB="$v" "$CROSSMKT" --batch -e "load u $users"
done
# A well-formed value is a ceiling; max_mb= wins over the variable.
env CROSSMKT_MAX_MB=5 "$CROSSMKT" --batch -e "load u $users" >/dev/null 2>&1 && ok ||
    bad "CROSSMKT_MAX_MB=5 refused a small load"
env CROSSMKT_MAX_MB=abc "$CROSSMKT" --batch -e "load u $users max_mb=100" >/dev/null 2>&1 &&
    ok || bad "max_mb=100 did not win over CROSSMKT_MAX_MB=abc"

# A key repeated at any level of a session file is an error: cJSON would
# run the first "commands" where jq and Python show the last.
dup="$tmp/dup"
mkdir "$dup"
printf '%s\n' '{"format":"crossmkt-session","version":1,"commands":[{"command":"datasets"}],' \
    '"commands":[{"command":"abtest props x=1,2 n=10,10"}]}' >"$dup/top.json"
printf '%s\n' '{"format":"crossmkt-session","version":1,"commands":[{"command":"datasets"},' \
    '{"command":"datasets","t":1,"command":"abtest props x=1,2 n=10,10"}]}' >"$dup/inner.json"
printf '%s\n' '{"format":"crossmkt-shared","version":1,"data":{"format":"crossmkt-session",' \
    '"version":1,"params":{"a":"1","b":"2","a":"3"},"commands":[]}}' >"$dup/params.json"
for f in top:'the top-level object' inner:'.commands[1]' params:'.data.params'; do
	name=${f%%:*} where=${f#*:}
	key=commands
	[ "$name" = inner ] && key=command
	[ "$name" = params ] && key=a
	expect "duplicate key ($name)" 2 \
	    "crossmkt: $dup/$name.json: the key \"$key\" appears twice in $where; a session file names each key once" \
	    "$CROSSMKT" --batch --replay "$dup/$name.json"
	[ -s "$tmp/out" ] && bad "duplicate key ($name): commands ran: $(cat "$tmp/out")" || ok
done

# A replayed session reads only under its own directory, the current
# directory and --allow-read; writes only under --allow-write; never the
# user's crossmkt settings and keys.
t=$(cd "$tmp" && pwd -P)
mkdir -p "$t/shared" "$t/victim" "$t/home/.config/crossmkt" "$t/dest"
printf 'user_id,spend\n1,10\n2,20\n' >"$t/shared/payload.csv"
echo "alias ls='ls --color'" >"$t/victim/.bashrc"
cp "$t/victim/.bashrc" "$t/bashrc.orig"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$t/home/.config/crossmkt/pseudonym.key"
ln -s "$t/victim/.bashrc" "$t/shared/link.csv"
ln -s "$t/victim" "$t/shared/vdir"
# session FILE [ok=false] COMMAND...: a session file of those commands.
session() {
	f=$1
	shift
	okfield=
	[ "$1" = ok=false ] && { okfield=', "ok": false'; shift; }
	{
		printf '{"format": "crossmkt-session", "version": 1, "commands": ['
		sep=
		for c in "$@"; do
			printf '%s{"command": "%s"%s}' "$sep" "$c" "$okfield"
			sep=', '
		done
		printf ']}\n'
	} >"$f"
}
# replay DIR ARGS...: crossmkt --batch ARGS run in DIR with HOME=$t/home.
replay() {
	dir=$1
	shift
	(cd "$dir" && env -u XDG_CONFIG_HOME -u XDG_STATE_HOME HOME="$t/home" "$CROSSMKT" --batch "$@")
}
reads_only="a replayed session reads only under its own directory, the current directory and those given with --allow-read DIR"

session "$t/shared/bashrc.json" "load p payload.csv" "export p $t/victim/.bashrc"
expect "export over ~/.bashrc" 1 \
    "crossmkt: export: $t/victim/.bashrc: a replayed session writes only under the directories given with --allow-write DIR (allowed: none)" \
    replay "$t/shared" --replay bashrc.json
cmp -s "$t/bashrc.orig" "$t/victim/.bashrc" && ok || bad "the replay changed .bashrc"
session "$t/shared/bashrc-failed.json" ok=false "load p payload.csv" "export p $t/victim/.bashrc"
expect "refused though recorded as failed" 1 \
    "crossmkt: export: $t/victim/.bashrc: a replayed session writes only under the directories given with --allow-write DIR (allowed: none)" \
    replay "$t/shared" --replay bashrc-failed.json
expect "--readonly in a batch replay" 1 \
    "crossmkt: export: refused in a read-only session (--readonly): it writes files" \
    replay "$t/shared" --readonly --allow-write "$t/victim" --replay bashrc.json
cmp -s "$t/bashrc.orig" "$t/victim/.bashrc" && ok || bad "--readonly replay changed .bashrc"
session "$t/shared/export.json" "load p payload.csv" "export p $t/dest/p.csv"
replay "$t/shared" --allow-write "$t/dest" --replay export.json >/dev/null 2>&1 &&
    [ "$(cat "$t/dest/p.csv")" = "$(cat "$t/shared/payload.csv")" ] && ok ||
    bad "--allow-write did not allow the export"

key="$t/home/.config/crossmkt/pseudonym.key"
session "$t/shared/key.json" "load k $key" "export k $t/shared/x.csv"
expect "the pseudonym key, even with --allow-read ~" 1 \
    "crossmkt: load: $key: a replayed session never opens your crossmkt settings, keys or state ($t/home/.config/crossmkt), whatever --allow-read and --allow-write say" \
    replay "$t/shared" --allow-read "$t/home" --allow-write "$t" --replay key.json
[ -e "$t/shared/x.csv" ] && bad "the key was copied to the shared directory" || ok
session "$t/shared/pseudo.json" "load p payload.csv" "pseudonymize p"
expect "pseudonymize with the user's own key" 1 \
    "crossmkt: pseudonymize: $key: a replayed session never opens your crossmkt settings, keys or state ($t/home/.config/crossmkt), whatever --allow-read and --allow-write say" \
    replay "$t/shared" --allow-write "$t/home" --replay pseudo.json

session "$t/shared/link.json" "load k link.csv"
expect "a symbolic link out" 1 \
    "crossmkt: load: link.csv (that is $t/victim/.bashrc): $reads_only (allowed: $t/shared)" \
    replay "$t/shared" --replay link.json
session "$t/shared/dotdot.json" "load k ../victim/.bashrc"
expect "a .. out" 1 \
    "crossmkt: load: ../victim/.bashrc (that is $t/victim/.bashrc): $reads_only (allowed: $t/shared, $t/dest)" \
    replay "$t/dest" --replay ../shared/dotdot.json
session "$t/shared/vdir.json" "load p payload.csv" "export p vdir/p.csv"
expect "a linked directory out" 1 \
    "crossmkt: export: vdir/p.csv (that is $t/victim/p.csv): a replayed session writes only under the directories given with --allow-write DIR (allowed: $t/shared)" \
    replay "$t/shared" --allow-write "$t/shared" --replay vdir.json
[ -e "$t/victim/p.csv" ] && bad "export followed a linked directory" || ok

# The shared directory is a directory like any other: a replay writes
# there only with --allow-write, and reads it only when allowed.
mkdir -p "$t/team"
printf 'user_id,arm,event,ts\nu1,control,view,2024-01-01\nu2,coupon,purchase,2024-01-02\n' \
    >"$t/shared/events.csv"
session "$t/shared/camp.json" "load ev events.csv" "campaign c dataset=ev arm=arm control=control" \
    "campaign save c"
expect "campaign save without --allow-write" 1 \
    "crossmkt: campaign: $t/team: a replayed session writes only under the directories given with --allow-write DIR (allowed: none)" \
    replay "$t/shared" --shared-dir "$t/team" --replay camp.json
[ -e "$t/team/campaign.c.json" ] && bad "campaign save wrote without --allow-write" || ok
replay "$t/shared" --shared-dir "$t/team" --allow-write "$t/team" --replay camp.json >/dev/null 2>&1 &&
    [ -s "$t/team/campaign.c.json" ] && ok || bad "--allow-write did not allow campaign save"
session "$t/shared/list.json" "shared"
expect "shared outside the allowed directories" 1 \
    "crossmkt: shared: $t/team: $reads_only (allowed: $t/shared)" \
    replay "$t/shared" --shared-dir "$t/team" --replay list.json
replay "$t/shared" --shared-dir "$t/team" --allow-read "$t/team" --replay list.json >/dev/null 2>&1 &&
    ok || bad "--allow-read did not allow shared"

expect "--allow-read of no directory" 2 \
    "crossmkt: --allow-read $t/nosuch: not a directory: No such file or directory" \
    replay "$t/shared" --allow-read "$t/nosuch" --replay link.json
expect "--allow-write without --replay" 2 \
    "crossmkt: --allow-read and --allow-write go with --replay FILE" \
    replay "$t/shared" --allow-write "$t" -e datasets
# The user's own commands are not confined.
replay "$t/dest" -e "load p $t/shared/payload.csv" -e "export p $t/victim/p.csv" >/dev/null 2>&1 &&
    [ -s "$t/victim/p.csv" ] && ok || bad "a typed export was confined"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
