#!/bin/sh
# In a fuzzing build: each fuzz target runs once over every file of its
# seed corpus, and the CSV and session targets over the hostile files too,
# so that every input that once crashed a target runs again.
set -u
: "${srcdir:=.}" "${builddir:=.}"
dir=$srcdir/tests/fuzz
rc=0
for t in csv session cmdline expr borrow replay; do
	set -- "$dir/corpus-$t"/*
	case $t in
	csv) for f in "$srcdir"/tests/hostile-cases/*.csv; do [ -f "$f" ] && set -- "$@" "$f"; done ;;
	session) for f in "$srcdir"/tests/hostile-cases/*.json; do [ -f "$f" ] && set -- "$@" "$f"; done ;;
	esac
	if ! "$builddir/tests/fuzz/fuzz-$t" "$@" >"$builddir/tests/fuzz/fuzz-$t.out" 2>&1; then
		echo "fuzz-$t failed:"
		tail -n 40 "$builddir/tests/fuzz/fuzz-$t.out"
		rc=1
	fi
done
exit $rc
