#!/bin/sh
# Every command in the command table has a section in the man page, the
# man page has no section for a command that does not exist, and each
# command's synopsis is the usage the table gives 'help': its .SS lines,
# fonts removed, joined by " | " (an alternative may repeat the name).
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
usage=$("$CROSSMKT" --batch -e help | grep -o '"name":"[^"]*","usage":"[^"]*"' |
	sed 's/"name":"\([^"]*\)","usage":"\([^"]*\)"/\1 \2/')
differ=$(printf '%s\n' "$usage" | awk '
FNR == NR {
	name = $1
	sub(/^[^ ]+ ?/, "")
	usage[name] = $0
	order[++n] = name
	next
}
/^\.SS / {
	line = substr($0, 5)
	gsub(/\\f[BIRP]/, "", line)
	gsub(/\\-/, "-", line)
	split(line, w, " ")
	name = w[1]
	k = split(line, alt, / \| /)
	s = ""
	for (i = 1; i <= k; i++) {
		a = alt[i]
		if (a == name)
			a = ""
		else if (index(a, name " ") == 1)
			a = substr(a, length(name) + 2)
		s = s (i > 1 ? " | " : "") a
	}
	if (name in man)
		s = man[name] " | " s
	man[name] = s
}
END {
	for (i = 1; i <= n; i++) {
		c = order[i]
		if ((c in man) && man[c] != usage[c])
			printf "FAIL: the synopsis of %s differs from its usage in the command table\n" \
			    "  man:   %s %s\n  table: %s %s\n", c, c, man[c], c, usage[c]
	}
}' - "$man")
n=$(printf '%s\n' "$usage" | wc -l)
if [ -n "$differ" ]; then
	printf '%s\n' "$differ"
	fail=$((fail + $(printf '%s\n' "$differ" | grep -c '^FAIL')))
	pass=$((pass + n - $(printf '%s\n' "$differ" | grep -c '^FAIL')))
else
	pass=$((pass + n))
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
