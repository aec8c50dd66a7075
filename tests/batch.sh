#!/bin/sh
# The batch contract, data-driven: each tests/cases/NAME.cmd is a list of
# commands run by 'crossmkt --batch' (with the options in NAME.args, if any)
# in a scratch copy of tests/fixtures/ops; stdout, stderr and the exit status
# must equal NAME.out, NAME.err and NAME.status.
. "$(dirname "$0")/lib.sh"

for cmd in "$srcdir"/tests/cases/*.cmd; do
	name=$(basename "$cmd" .cmd)
	base=${cmd%.cmd}
	work="$tmp/$name"
	mkdir -p "$work"
	cp "$srcdir"/tests/fixtures/ops/* "$work"/
	args=""
	[ -f "$base.args" ] && args=$(cat "$base.args")
	# shellcheck disable=SC2086
	(cd "$work" && "$CROSSMKT" --batch $args < "$cmd" > out 2> err; echo $? > status)
	ok=1
	for part in out err status; do
		if ! cmp -s "$base.$part" "$work/$part"; then
			echo "FAIL: $name: $part differs:"
			diff "$base.$part" "$work/$part" | head -20
			ok=0
		fi
	done
	# Files the commands wrote, when NAME.files/ lists them.
	if [ -d "$base.files" ]; then
		for want in "$base.files"/*; do
			if ! cmp -s "$want" "$work/$(basename "$want")"; then
				echo "FAIL: $name: file $(basename "$want") differs"
				ok=0
			fi
		done
	fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
done

# Command-line options.
check() {
	desc=$1 want_status=$2 want=$3
	shift 3
	got=$("$@" 2>&1)
	status=$?
	if [ "$status" != "$want_status" ] || ! printf '%s\n' "$got" | grep -qF -- "$want"; then
		echo "FAIL: $desc: status $status, output: $got"
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
}
check "--help" 0 "Usage: crossmkt [OPTION]... [FILE.csv]..." "$CROSSMKT" --help
check "--version" 0 "crossmkt 0.1.0" "$CROSSMKT" --version
check "bad option" 2 "Try 'crossmkt --help' for more information." "$CROSSMKT" --bogus
check "-e order" 0 '{"command":"rename a b","ok":true,"result":{"dataset":"b","was":"a"}}' \
	"$CROSSMKT" --batch -e "load a $srcdir/tests/fixtures/ops/users.csv" -e "rename a b"
check "quoted name" 0 '"dataset":"my data"' \
	"$CROSSMKT" --batch -e "load 'my data' $srcdir/tests/fixtures/ops/users.csv"
check "unterminated quote" 2 "crossmkt: unterminated double quote at position 6" \
	"$CROSSMKT" --batch -e 'load "x y.csv'

echo "$pass passed, $fail failed"
[ $fail = 0 ]
