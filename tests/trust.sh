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

echo "$pass passed, $fail failed"
[ $fail = 0 ]
