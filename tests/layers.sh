#!/bin/sh
# The layers' one rule each, read from the includes: the core (src/) has no
# JSON, no curses and no command layer; the command layer (src/cmd/) never
# reaches into the console (ui/); the console's views take what they draw
# from results, not by reading series again. LAYERS_ROOT checks another tree.
. "${srcdir:-.}/tests/lib.sh"
root=${LAYERS_ROOT:-$srcdir}

# forbid DIR WHAT PATTERN [FILES]: no file directly in DIR (or of those
# FILES there, a pattern) includes PATTERN.
forbid() {
	hits=$(for f in "$root/$1"/${4:-*.[ch]}; do
		[ -f "$f" ] &&
		    grep -nHE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($3)[>\"]" "$f"
	done | sed "s|^$root/||")
	if [ -n "$hits" ]; then
		bad "$1 includes $2:"
		printf '%s\n' "$hits" | sed 's/^/  /'
	else
		ok
	fi
}

cmd_headers=$(cd "$root/src/cmd" && ls *.h | sed 's/\./\\./' | paste -sd'|')
ui_headers=$(cd "$root/ui" && ls *.h | sed 's/\./\\./' | paste -sd'|')
forbid src "cJSON" 'cjson/cJSON\.h|cJSON\.h'
forbid src "curses" '[a-z]*curses[a-z]*\.h|panel\.h|form\.h|menu\.h|term\.h'
forbid src "a src/cmd/ header" "($cmd_headers)|cmd/[^\"]*"
forbid src/cmd "curses" '[a-z]*curses[a-z]*\.h|panel\.h|form\.h|menu\.h|term\.h'
forbid src/cmd "a ui/ header" "$ui_headers"
forbid ui "tscmd.h or series.h (a view draws from results)" 'tscmd\.h|series\.h' \
    'view-*.c'

echo "$pass passed, $fail failed"
[ $fail = 0 ]
