#!/bin/sh
# The binary finds the demo data without the source tree's path compiled
# in: in the build tree through crossmkt.data beside it, elsewhere (as
# installed) only in $CROSSMKT_DATA and the installed data directory.
. "$(dirname "$0")/lib.sh"
builddir=$(cd "${builddir:-.}" && pwd)
CROSSMKT=${CROSSMKT:-$builddir/crossmkt}
: "${pkgdatadir:?the installed data directory, as make check gives it}"
unset CROSSMKT_DATA

# has NAME WANT OUTPUT: the last line of OUTPUT is WANT.
has() {
	got=$(printf '%s\n' "$3" | tail -n 1)
	if [ "$got" = "$2" ]; then
		ok
	else
		bad "$1: got '$got', want '$2'"
	fi
}

has "build tree" "The demo data: $srcdir/data" "$("$CROSSMKT" --help)"
has "build tree, from another directory" "The demo data: $srcdir/data" \
    "$(cd "$tmp" && "$CROSSMKT" --help)"

# A copy with no crossmkt.data beside it, as the installed binary is.
mkdir "$tmp/bin" "$tmp/data"
cp "$CROSSMKT" "$tmp/bin/crossmkt"
if [ -f "$pkgdatadir/users.csv" ]; then
	want="The demo data: $pkgdatadir"
else
	want="The demo data: not found (no users.csv in $pkgdatadir)"
fi
has "installed" "$want" "$(cd "$tmp" && "$tmp/bin/crossmkt" --help)"
cp "$srcdir/data/users.csv" "$tmp/data/"
has "CROSSMKT_DATA first" "The demo data: $tmp/data" \
    "$(cd "$tmp" && CROSSMKT_DATA=$tmp/data "$tmp/bin/crossmkt" --help)"
has "CROSSMKT_DATA without users.csv" \
    "The demo data: not found (no users.csv in $tmp, $pkgdatadir)" \
    "$(cd "$tmp" && CROSSMKT_DATA=$tmp "$tmp/bin/crossmkt" --help)"

# No path of the source tree's data in what the binary loads (debug
# sections, which name the sources, are left out by strip).
if command -v strip >/dev/null 2>&1; then
	strip -o "$tmp/stripped" "$CROSSMKT"
	set -- "$srcdir/data"
	[ -s "$builddir/crossmkt.data" ] && set -- "$@" "$(cat "$builddir/crossmkt.data")"
	for path in "$@"; do
		if LC_ALL=C grep -qF -- "$path" "$tmp/stripped"; then
			bad "the binary holds the source tree's path $path"
		else
			ok
		fi
	done
fi

echo "$pass passed, $fail failed"
[ $fail = 0 ]
