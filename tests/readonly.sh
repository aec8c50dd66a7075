#!/bin/sh
# --readonly, from the command table: every command 'help' lists is run in
# a read-only batch session; exactly those flagged as writing files are
# refused (campaign writes only with 'save').
. "$(dirname "$0")/lib.sh"

refusal="refused in a read-only session (--readonly): it writes files"
help=$("$CROSSMKT" --batch -e help)
[ -n "$help" ] || { echo "FAIL: help printed nothing"; exit 1; }

# check LINE WRITES: LINE is refused exactly when WRITES is true.
check() {
	err=$(cd "$tmp" && "$CROSSMKT" --batch --readonly -e "$1" 2>&1 >/dev/null)
	case "$err" in
	*"$refusal"*) refused=true ;;
	*) refused=false ;;
	esac
	if [ "$refused" = "$2" ]; then
		ok
	else
		bad "'$1' under --readonly: refused=$refused, the table says writes=$2 ($err)"
	fi
}

for entry in $(printf '%s\n' "$help" | grep -o '"name":"[^"]*"[^}]*"writes":[a-z]*' |
    sed 's/"name":"\([^"]*\)".*"writes":\([a-z]*\)$/\1:\2/'); do
	check "${entry%%:*} x" "${entry#*:}"
done
check "campaign save x" true
check "campaign list" false
check "campaign show x" false
[ $pass -ge 30 ] || bad "only $pass commands checked"
# Without --readonly nothing is refused.
err=$(cd "$tmp" && "$CROSSMKT" --batch -e "export nosuch out.csv" 2>&1 >/dev/null)
case "$err" in *refused*) bad "export refused without --readonly" ;; *) ok ;; esac
echo "$pass passed, $fail failed"
[ $fail = 0 ]
