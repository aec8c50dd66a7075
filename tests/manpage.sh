#!/bin/sh
# Every command in the command table has a section in the man page, and
# the man page has no section for a command that does not exist.
set -u
srcdir=$(cd "${srcdir:-.}" && pwd)
CROSSMKT=${CROSSMKT:-./crossmkt}
man=$srcdir/man/crossmkt.1.in
fail=0
pass=0
commands=$("$CROSSMKT" --batch -e help | grep -o '"name":"[^"]*"' | sed 's/"name":"\(.*\)"/\1/')
[ -n "$commands" ] || { echo "FAIL: 'help' listed no commands"; exit 1; }
for c in $commands; do
	if grep -q "^\.SS $c\( \|$\)" "$man"; then
		pass=$((pass + 1))
	else
		echo "FAIL: man/crossmkt.1.in has no '.SS $c' section"
		fail=$((fail + 1))
	fi
done
for c in $(sed -n 's/^\.SS \([a-z-]*\).*/\1/p' "$man"); do
	if printf '%s\n' "$commands" | grep -qx "$c"; then
		pass=$((pass + 1))
	else
		echo "FAIL: the man page documents '$c', which is not a command"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
