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

echo "$pass passed, $fail failed"
[ $fail = 0 ]
