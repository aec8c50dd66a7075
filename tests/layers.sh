#!/bin/sh
# The layers' one rule each, read from the includes: the core (src/) has no
# JSON, no curses and no command layer; the command layer (src/cmd/) never
# reaches into the console (ui/). LAYERS_ROOT checks another tree.
. "${srcdir:-.}/tests/lib.sh"
root=${LAYERS_ROOT:-$srcdir}

# forbid DIR WHAT PATTERN: no file directly in DIR includes PATTERN.
forbid() {
	hits=$(grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($3)[>\"]" \
	    "$root/$1"/*.c "$root/$1"/*.h 2>/dev/null | sed "s|^$root/||")
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

echo "$pass passed, $fail failed"
[ $fail = 0 ]
