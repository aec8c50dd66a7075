#!/bin/sh
# The console in a real terminal: a private tmux server runs the binary,
# keys go in with send-keys and the screen comes back with capture-pane.
#
# Environment: srcdir, builddir, CROSSMKT (the built binary). The demo
# datasets are read from $CROSSMKT_DATA, by default $srcdir/data.

: "${srcdir:=.}"
: "${builddir:=.}"
: "${CROSSMKT:=$builddir/crossmkt}"
: "${CROSSMKT_DATA:=$srcdir/data}"

command -v tmux >/dev/null 2>&1 || { echo "tmux not found: skipped"; exit 77; }
[ -x "$CROSSMKT" ] || { echo "$CROSSMKT: no such program"; exit 99; }

fixture=$srcdir/tests/fixtures/ui_menu.csv
tmp=$(mktemp -d "${TMPDIR:-/tmp}/crossmkt-ui.XXXXXX") || exit 99
# The servers' sockets live in the temporary directory, which goes at the end.
TMUX_TMPDIR=$tmp
export TMUX_TMPDIR
unset TMUX
failed=0
name=
names=

# tmux on the private server of the current console: one server per
# console, so that a server shutting down never meets the next one.
tm() {
	tmux -L "crossmkt$$-$name" -f /dev/null "$@"
}

stop_console() {
	[ -n "$name" ] && tm kill-server >/dev/null 2>&1
	name=
}

cleanup() {
	for name in $names; do
		tm kill-server >/dev/null 2>&1
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 99' HUP INT TERM

# A UTF-8 locale for the console and the tmux client.
utf8=
for l in C.UTF-8 C.utf8 en_US.UTF-8 en_US.utf8; do
	if locale -a 2>/dev/null | grep -qx "$l"; then
		utf8=$l
		break
	fi
done
if [ -z "$utf8" ]; then
	echo "no UTF-8 locale: the wide-character cases are skipped"
fi

mkdir -p "$tmp/config" "$tmp/state" "$tmp/data" "$tmp/cache"

# run_console NAME COLSxROWS ENV... -- ARGS...: starts the console in a new
# session; the pane keeps showing "crossmkt-exit=STATUS" after it ends.
run_console() {
	stop_console
	name=$1
	names="$names $name"
	size=$2
	shift 2
	envs=
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		envs="$envs
export '$1'"
		shift
	done
	[ "$1" = "--" ] && shift
	args=
	for a in "$@"; do
		args="$args '$a'"
	done
	cat >"$tmp/run-$name.sh" <<EOF
XDG_CONFIG_HOME='$tmp/config'; XDG_STATE_HOME='$tmp/state-$name'
XDG_DATA_HOME='$tmp/data'; XDG_CACHE_HOME='$tmp/cache'
CROSSMKT_DATA='$CROSSMKT_DATA'; TERM=screen; LANG='${utf8:-C}'; LC_ALL='${utf8:-C}'
export XDG_CONFIG_HOME XDG_STATE_HOME XDG_DATA_HOME XDG_CACHE_HOME CROSSMKT_DATA TERM LANG LC_ALL
unset NO_COLOR ESCDELAY$envs
'$CROSSMKT' $args
echo "crossmkt-exit=\$?"
exec sleep 600
EOF
	tm new-session -d -s "$name" -x "${size%x*}" -y "${size#*x}" \
	    "sh '$tmp/run-$name.sh'" || { echo "$name: tmux new-session failed"; exit 99; }
}

screen() {
	tm capture-pane -p -t "$name"
}

keys() {
	tm send-keys -t "$name" "$@"
}

fail() {
	echo "FAIL [$name]: $*"
	echo "--- screen:"
	screen
	echo "---"
	failed=1
}

# wait_for TEXT [SECONDS]: polls the screen until it shows TEXT.
wait_for() {
	i=0
	limit=$(( ${2:-10} * 10 ))
	while [ $i -lt $limit ]; do
		screen | grep -F -- "$1" >/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "timed out waiting for '$1'"
	return 1
}

# wait_gone TEXT: polls until the screen no longer shows TEXT.
wait_gone() {
	i=0
	while [ $i -lt 100 ]; do
		screen | grep -F -- "$1" >/dev/null || return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "'$1' is still shown"
	return 1
}

# wait_either TEXT1 TEXT2: polls (at most 10 s) until the screen shows one
# of them, and sets seen to it.
wait_either() {
	i=0
	seen=
	while [ $i -lt 100 ]; do
		for t in "$1" "$2"; do
			screen | grep -F -- "$t" >/dev/null && { seen=$t; return 0; }
		done
		sleep 0.1
		i=$((i + 1))
	done
	fail "timed out waiting for '$1' or '$2'"
	return 1
}

# The line of the screen holding TEXT (the first one).
line_of() {
	screen | grep -F -- "$1" | head -n 1
}

# Display column (0-based) of TEXT in LINE, counting 3-byte UTF-8
# characters (CJK, box drawing) as 2 columns and 1 column alike: only
# comparisons between lines with the same glyphs before TEXT are valid.
col_of() {
	printf '%s\n' "$1" | LC_ALL=C awk -v s="$2" '{
		i = index($0, s); if (i == 0) { print -1; exit }
		p = substr($0, 1, i - 1); t = p; gsub(/[\001-\177]/, "", t)
		print length(p) - length(t) + length(t) * 2 / 3 }'
}

# The main area of a line: what follows the sidebar's border (a Unicode
# line, or the 20 ASCII columns of the sidebar at 80 columns).
main_part() {
	printf '%s\n' "$1" | LC_ALL=C awk '{ i = index($0, "│")
		print i ? substr($0, i + 3) : substr($0, 21) }'
}

# quit_console [confirm]: q (then y when there is unsaved work); the
# console must end with status 0.
quit_console() {
	keys q
	if [ -n "$1" ]; then
		wait_for "Quit? (y/n)" || return
		keys y
	fi
	wait_for "crossmkt-exit=0"
}

# 1. Start-up on the demo data: the panels and the datasets.
case_startup() {
	run_console startup 80x24 --
	wait_for "loaded 6 datasets" 20 || return
	for d in users items events daily stores arms; do
		screen | grep -E "^ [^ ]* +$d +[0-9]+ " >/dev/null || fail "sidebar lacks $d"
	done
	for t in "1 Data" "2 Segments" "3 Recommendations" "4 Campaigns" "5 Forecast" \
	    "Datasets" "Segmentations" "q Quit" "? Help"; do
		screen | grep -F -- "$t" >/dev/null || fail "no '$t'"
	done
	wait_for "user_id"
	quit_console
}

# 2. Every view opens; the help and the command line.
case_views() {
	run_console views 80x24 --
	wait_for "loaded 6 datasets" 20 || return
	keys 2 && wait_for "Centroids"
	keys 3 && wait_for "Recommended items"
	keys 4 && wait_for "seq p"
	keys 5 && wait_for "Enter forecasts this series"
	keys 1 && wait_for "user_id"
	keys '?' && wait_for "Keys everywhere"
	keys Escape && wait_gone "Keys everywhere"
	# q closes a popup; it does not quit
	keys '?' && wait_for "Keys everywhere"
	keys q && wait_gone "Keys everywhere"
	screen | grep -F "crossmkt-exit" >/dev/null && fail "q in the help quit the console"
	keys : "describe users" Enter && wait_for "describe"
	wait_for "signup_date"
	wait_for "rows: 3000"
	keys Escape && wait_gone "rows: 3000"
	quit_console
}

# 2a. The Forecast view: the chart of the history, the forecast and its
# bands with its legend, the model and its accuracy as the batch run gives
# them; Down chooses another series, Enter forecasts it as the last one was
# (holdout= kept); by= groups with Left/Right; ASCII glyphs without UTF-8.
case_forecast() {
	out=$("$CROSSMKT" --batch -e "load daily $CROSSMKT_DATA/daily.csv" \
	    -e "forecast daily column=orders horizon=14" | tail -n 1)
	model=$(printf '%s\n' "$out" | sed -n 's/.*"model":"\([^"]*\)".*/\1/p')
	first=$(printf '%s\n' "$out" | sed -n 's/.*"forecast":\[{"t":"\([^"]*\)".*/\1/p')
	mase=$("$CROSSMKT" --batch -e "load daily $CROSSMKT_DATA/daily.csv" \
	    -e "forecast daily column=orders holdout=28" | sed -n 's/.*"mase":\([-0-9.e]*\).*/\1/p')
	mase=$(LC_ALL=C printf '%.3f' "$mase")
	[ -n "$model" ] && [ -n "$first" ] && [ -n "$mase" ] ||
	    { fail "no model, first date or MASE from the batch run"; return; }
	run_console forecast 80x24 --
	wait_for "loaded 6 datasets" 20 || return
	keys 5 && wait_for "Enter forecasts this series" || return
	keys : "forecast daily column=orders horizon=14" Enter
	wait_for "forecast starts" || return
	if [ -n "$utf8" ]; then
		wait_for "⠒ history  ● forecast  ▒ 80%  ░ 95%  │ forecast starts"
		screen | grep -v "forecast starts" | grep -F "▒" >/dev/null ||
		    fail "no 80% band in the chart"
	fi
	wait_for "orders: $model model"
	wait_for "14 forecast from $first"
	keys : "forecast daily column=orders holdout=28" Enter
	wait_for "Holdout: MASE $mase" || return
	wait_for "3061..4424"
	keys J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J
	wait_for "Parameters:"
	keys Down && wait_for "gmv: last" || return
	wait_gone "28 forecast from"
	keys Enter && wait_for "28 forecast from 2025-12-03" || return
	case $(line_of "28 forecast from") in *gmv:*) ;; *) fail "Enter did not forecast gmv";; esac
	quit_console
	run_console forecast-ascii 80x24 LANG=C LC_ALL=C --
	wait_for "loaded 6 datasets" 20 || return
	keys 5 : "forecast daily column=orders horizon=14" Enter
	wait_for "* history  o forecast  = 80%  : 95%  | forecast starts" || return
	screen | grep -v "forecast starts" | grep -E '[|][ :=o*]*=' >/dev/null ||
	    fail "no ASCII 80% band after the divider"
	quit_console
	run_console forecast-wide 160x50 --
	wait_for "loaded 6 datasets" 20 || return
	keys 5 : "forecast daily column=orders holdout=28" Enter
	wait_for "Holdout: MASE $mase, sMAPE" || return
	wait_for "2025-12-03   3723 3759 3061..4424 2622..4841"
	wait_for "forecast starts"
	quit_console
	run_console forecast-by 80x24 -- "$srcdir/tests/fixtures/ops/fc_cities.csv"
	wait_for "fc_cities  98 rows" || return
	keys 5 : "forecast fc_cities column=sales by=city horizon=7" Enter
	wait_for "sales lyon: last" || return
	wait_for "lyon (1 of 2, Left/Right)"
	keys Right && wait_for "sales nice: last"
	quit_console
}

# 2b. The Segments view: sizes as bars, centroids, members; + runs it again
# with another k in place of the column, Enter opens a segment's rows, f
# offers the command to edit.
case_segments() {
	run_console segments 80x24 --
	wait_for "loaded 6 datasets" 20 || return
	keys 2 + && wait_for "no segments yet: run :segment DATASET features=COL,COL"
	keys : "segment users features=sessions,spend,orders,courses_bought k=4 seed=1" Enter
	wait_for "users.cluster  k=4  silhouette 0.678" || return
	for t in "1835  61.2%" "521  17.4%" "452  15.1%" "192   6.4%" "Members of segment 1" \
	    "11.9" "u00002"; do
		screen | grep -F -- "$t" >/dev/null || fail "no '$t'"
	done
	keys j && wait_for "Members of segment 2"
	wait_for "u00010"
	keys + && wait_for "users.cluster  k=5  silhouette 0.654" || return
	for t in "518  17.3%" "274   9.1%" "183   6.1%"; do
		screen | grep -F -- "$t" >/dev/null || fail "no '$t' after +"
	done
	screen | grep -F "Segmentations" >/dev/null || fail "no sidebar"
	keys f && wait_for "replace=yes"
	screen | grep -F "seed=1" >/dev/null || fail "f lost seed=1"
	keys Escape && wait_gone "replace=yes"
	keys Enter && wait_for "users_cluster_2  518 rows"
	quit_console confirm
	run_console segments-wide 160x50 --
	wait_for "loaded 6 datasets" 20 || return
	keys : "segment users features=sessions,spend,orders,courses_bought k=4 seed=1" Enter
	wait_for "courses_bought" || return
	wait_for "4.19"
	quit_console confirm
}

# 2c. The Recommendations view: pick a user, see the items with why (the
# expected rows are those of the same recommend run with --batch), change
# the method, then pick a segment; at 80x24 and 160x50.
case_recs() {
	run_console recs 80x24 --
	wait_for "loaded 6 datasets" 20 || return
	keys 3
	wait_for "Recommended items" || return
	wait_for "u00001"
	case $(main_part "$(screen | sed -n 4p)") in
	*" u00001 "*) ;;
	*) fail "u00001 is not the first user listed";;
	esac
	keys Enter
	wait_for "For user u00001, method hybrid" 20 || return
	if [ -n "$utf8" ]; then
		wait_for " 1 i0211 糖醋小排"
	fi
	wait_for " 1 i0211 "
	wait_for "0.789"
	keys m
	wait_for "For user u00001, method popular" 20 || return
	wait_for " 1 i0183 "
	keys : "segment users features=sessions,spend,orders,courses_bought k=4 seed=1" Enter
	wait_for "users.cluster" 20 || return
	keys 3 s
	wait_for "4 segments" || return
	keys Enter
	wait_for "For cluster=1 (1681 users), method popular" 20
	quit_console confirm
	run_console recs-large 160x50 --
	wait_for "loaded 6 datasets" 20 || return
	keys 3 Enter
	wait_for "For user u00001, method hybrid" 20 || return
	if [ -n "$utf8" ]; then
		wait_for " 1 i0211 糖醋小排"
		wait_for "江浙菜, 家常, 糖醋小排 家庭装"
	fi
	wait_for "10 i0197 "
	wait_for "2845 users"
	quit_console
	# At 80x24 ten items fill the box: J scrolls a longer list.
	run_console recs-scroll 80x24 --
	wait_for "loaded 6 datasets" 20 || return
	keys : "recommend events for=u00001 items=items method=hybrid n=14" Enter
	wait_for "For user u00001, method hybrid" 20 || return
	keys 3
	wait_for " 1 i0211 " || return
	screen | grep -F "14 i0" >/dev/null && fail "14 items fit at 80x24"
	keys J J J J
	wait_for "14 i0"
	screen | grep -F " 1 i0211 " >/dev/null && fail "J did not scroll the items"
	quit_console
}

# 3. Sort, filter, search and column statistics on a small fixture.
case_table() {
	run_console table 80x24 -- "$fixture"
	wait_for "ui_menu  10 rows, 6 columns" || return
	# price is the fourth column: id, title, city, price
	keys l l l s
	wait_for "sorted by price, ascending"
	case $(screen | sed -n 4p) in
	*"esc \\x1b[31m red"*" 10 "*2024-07-07) ;;
	*) fail "ascending: the first row is not the one priced 10";;
	esac
	keys s
	wait_for "sorted by price, descending"
	case $(screen | sed -n 4p) in
	*" 299 "*2024-06-01) ;;
	*) fail "descending: the first row is not the one priced 299";;
	esac
	keys s
	wait_for "sort cleared"
	keys / "price > 100 and price < 200" Enter
	wait_for "2 of 10 rows" || return
	case $(screen | sed -n 4p) in *"Python "*" 199 "*) ;; *) fail "filter: first row";; esac
	case $(screen | sed -n 5p) in *" 128 "*2023-12-24) ;; *) fail "filter: second row";; esac
	[ -z "$(main_part "$(screen | sed -n 6p)" | tr -d ' ')" ] || fail "filter: a third row"
	keys / C-u Enter
	wait_for "10 rows, 6 columns"
	keys n Caesar Enter
	wait_for "'Caesar' found in row 6"
	keys n
	wait_for "'Caesar' found in row 6 (wrapped)"
	keys / "price >> 1" Enter
	wait_for "error: filter: expression 'price >> 1': position"
	keys c
	wait_for "count: 10"
	screen | grep -F "distribution" >/dev/null || fail "no histogram"
	keys Escape
	wait_gone "count: 10"
	quit_console
}

# 4. Wide characters: the columns after Chinese text line up, and Chinese
# can be typed into the filter box.
case_cjk() {
	[ -n "$utf8" ] || return
	run_console cjk 80x24 -- "$fixture"
	wait_for "ui_menu  10 rows" || return
	head=$(main_part "$(line_of " # ")")
	hc=$(col_of "$head" city)
	hp=$(( $(col_of "$head" price) + 5 ))
	for t in 宫保鸡丁 "Latte 拿铁" "Python 入门课程" 北京烤鸭 "esc \\x1b"; do
		row=$(main_part "$(line_of "$t")")
		city=$(printf '%s\n' "$row" | awk '{ for (i = 1; i <= NF; i++)
		    if ($i ~ /^(成都|上海|北京|杭州|深圳|广州)$/) { print $i; exit } }')
		[ $(( $(col_of "$row" " $city ") + 1 )) = "$hc" ] ||
		    fail "'$t': city not under the header"
	done
	row=$(main_part "$(line_of 数据分析实战)")
	[ $(( $(col_of "$row" 299) + 3 )) = "$hp" ] ||
	    fail "price not right-aligned under its header"
	keys / "city == '上海'" Enter
	wait_for "3 of 10 rows" || return
	case $(screen | sed -n 4p) in *"Latte 拿铁"*) ;; *) fail "filter: first row";; esac
	screen | grep -F "小笼包" >/dev/null || fail "filter: 小笼包 missing"
	screen | grep -F "麻婆豆腐" >/dev/null && fail "filter: 麻婆豆腐 kept"
	quit_console
}

# 5. Too small, and back.
case_resize() {
	run_console resize 80x24 -- "$fixture"
	wait_for "ui_menu  10 rows" || return
	tm resize-window -t "$name" -x 60 -y 20
	wait_for "terminal too small: 60x20, need 80x24"
	tm resize-window -t "$name" -x 80 -y 24
	wait_for "ui_menu  10 rows"
	wait_gone "terminal too small"
	quit_console
}

# 6. The command line: completion, history, errors, read-only.
case_command() {
	run_console command 80x24 -- "$fixture"
	wait_for "ui_menu  10 rows" || return
	keys : desc Tab
	wait_for ":describe"
	keys ui Tab
	wait_for ":describe ui_menu"
	keys Enter
	wait_for "rows: 10"
	keys Escape : Up
	wait_for ":describe ui_menu"
	keys C-u "describe nosuch" Enter
	wait_for "error: describe: no dataset named 'nosuch'"
	keys : "filter ui_menu where=\"price > 100\" as=dear" Enter
	wait_for "dear  3 rows"
	keys q
	wait_for "Quit? (y/n)"
	keys n
	wait_gone "Quit? (y/n)"
	quit_console confirm
	run_console readonly 80x24 -- --readonly "$fixture"
	wait_for "ui_menu  10 rows" || return
	wait_for "read-only session"
	keys : "filter ui_menu where=\"price > 100\" as=dear" Enter
	wait_for "dear  3 rows"
	keys : "export dear $tmp/dear.csv" Enter
	wait_for "export: refused in a read-only session (--readonly): it writes files"
	[ ! -e "$tmp/dear.csv" ] || fail "a read-only session wrote $tmp/dear.csv"
	quit_console confirm
}

# 7. Terminals: vt100, NO_COLOR, an unknown type, no UTF-8, a large one.
case_terminals() {
	run_console vt100 80x24 TERM=vt100 -- "$fixture"
	wait_for "ui_menu  10 rows" && quit_console
	run_console nocolor 80x24 NO_COLOR=1 -- "$fixture"
	wait_for "ui_menu  10 rows" && quit_console
	run_console unknown 80x24 TERM=no-such-terminal -- "$fixture"
	wait_for "TERM=no-such-terminal is not usable here" && quit_console
	run_console ascii 80x24 LANG=C LC_ALL=C -- "$fixture"
	wait_for "ui_menu  10 rows" || return
	wait_for "esc \\x1b[31m red"
	screen | grep -F "????" >/dev/null || fail "no ASCII stand-ins for Chinese"
	quit_console
	run_console large 160x50 -- "$fixture"
	wait_for "ui_menu  10 rows" || return
	wait_for "launched"
	wait_for "2024-07-07"
	quit_console
}

# 8. q then y: the process exits and the terminal is given back.
case_quit() {
	run_console quit 80x24 -- "$fixture"
	wait_for "ui_menu  10 rows" || return
	keys : "derive ui_menu twice=price*2" Enter
	wait_for "twice"
	quit_console confirm
	# SIGTERM: the screen is restored and the status tells the signal.
	command -v pkill >/dev/null 2>&1 || return
	run_console term 80x24 -- "$fixture"
	wait_for "ui_menu  10 rows" || return
	pid=$(tm list-panes -t term -F '#{pane_pid}')
	pkill -TERM -P "$pid"
	wait_for "crossmkt-exit=143"
	screen | grep -F "ui_menu  10 rows" >/dev/null && fail "screen not restored after SIGTERM"
}

# 9. A long load shows its progress, and Escape cancels it at once.
case_cancel() {
	awk 'BEGIN { print "id,name,value"
		for (i = 1; i <= 1500000; i++) printf "%d,item%d,%d.%02d\n", i, i % 977, i % 1000, i % 97 }' \
	    >"$tmp/big.csv"
	run_console cancel 80x24 -- "$tmp/big.csv"
	# A load takes well under a second: it may end before Esc is read.
	# (longjob cancels a command that cannot end first.)
	wait_either "Esc cancels" "big  1500000 rows" || return
	if [ "$seen" = "Esc cancels" ]; then
		keys Escape
		wait_either "cancelled: load" "big  1500000 rows" || return
		if [ "$seen" = "cancelled: load" ]; then
			wait_for "no dataset"
		else
			echo "the load ended before Esc was read"
		fi
	else
		echo "the load ended before it could be cancelled"
	fi
	quit_console
	rm -f "$tmp/big.csv"
}

# 9b. Every command runs off the screen's thread: while k-means works on a
# million rows the keys answer, a command typed meanwhile waits its turn,
# and Escape cancels with the dataset left as it was; a command that ends
# changes it.
case_longjob() {
	awk 'BEGIN { print "id,x,y,z"
		for (i = 1; i <= 1000000; i++)
			printf "%d,%d.%d,%d,%d\n", i, i % 9973, i % 7, (i * 7919) % 10007, (i * 31) % 4099 }' \
	    >"$tmp/pts.csv"
	run_console longjob 80x24 -- "$tmp/pts.csv"
	wait_for "pts  1000000 rows, 4 columns" 60 || return
	keys : "segment pts features=x,y,z k=auto n_init=4" Enter
	wait_for "s  Esc cancels" || return
	keys '?' && wait_for "Keys everywhere"
	keys Escape && wait_gone "Keys everywhere"
	keys 2 && wait_for "Centroids"
	keys 1 && wait_for "pts  1000000 rows"
	keys : "describe pts" Enter && wait_for "queued: describe pts"
	screen | grep -F "Esc cancels" >/dev/null || fail "the job ended before it could be cancelled"
	keys Escape
	wait_for "cancelled: segment pts" 20 || return
	wait_for "pts  1000000 rows, 4 columns"
	screen | grep -F "rows: 1000000" >/dev/null && fail "a cancelled queue still ran describe"
	keys : "segment pts features=x,y k=3" Enter
	wait_for "pts.cluster  k=3" 60 || return
	keys 1 && wait_for "pts  1000000 rows, 5 columns"
	quit_console confirm
	rm -f "$tmp/pts.csv"
}

# 10. watch: rows appended to a file under the console land in the
# campaign's results within the bound, a partial last line waits for its
# newline, and a bad value is reported with FILE:LINE.
case_watch() {
	cp "$CROSSMKT_DATA/events.csv" "$tmp/ev.csv"
	run_console watch 80x24 -- "$tmp/ev.csv"
	wait_for "ev  40000 rows" 20 || return
	keys : "campaign live dataset=ev arm=arm control=control" Enter
	wait_for "live: conversion on ev" || return
	wait_for "control        953"
	keys : "watch ev" Enter
	wait_for "watching ev: 40000 rows (+0)" || return
	awk 'BEGIN { for (i = 1; i <= 50; i++) {
		printf "2025-05-18 10:%02d:00+08:00,w%03d,i0001,view,,spring_combo,control\n", i, i
		printf "2025-05-18 11:%02d:00+08:00,w%03d,i0001,purchase,30,spring_combo,control\n", i, i } }' \
	    >>"$tmp/ev.csv"
	wait_for "control       1003" 2 || return
	wait_for "watch ev: +100 rows, 40100 in all" 2
	# keys still work while following
	keys 1 && wait_for "ev  40100 rows"
	keys 4 && wait_for "control       1003"
	printf '2025-05-18 12:00:00+08:00,w051,i0001,view,,spring_combo,control' >>"$tmp/ev.csv"
	printf '\n' >>"$tmp/ev.csv"
	wait_for "control       1004" 2
	printf 'yesterday,w052,i0001,view,,spring_combo,control\n' >>"$tmp/ev.csv"
	wait_for "ev.csv:40103:1: 'yesterday' is not a value" 2
	screen | grep -F "control       1005" >/dev/null && fail "the bad row was appended"
	quit_console confirm
}

# 11. The Campaigns view: the demo campaign, and a new one made in the form
# from menus; the form's command is recorded.
case_campaigns() {
	run_console campaigns 80x24 -- --record "$tmp/campaigns.json"
	wait_for "loaded 6 datasets" 20 || return
	keys 4
	wait_for "demo: conversion on events" || return
	wait_for "coupon beats control on conversion, +4.0 pp (95% CI 1.3 to"
	wait_for "seq p"
	wait_for "Sample ratio: ok"
	keys n
	wait_for "New campaign" || return
	# Name, then Enter opens each menu and Enter picks what it shows:
	# dataset events, arm column arm, control control, metric conversion.
	keys spring Tab
	keys Enter && wait_for ">events"
	keys Enter Enter && wait_for ">arm"
	keys Enter Enter && wait_for "coupon"
	keys Enter Enter && wait_for "retention:7"
	keys Enter
	keys "campaign == 'spring_combo'" Tab Tab Tab
	keys Enter
	wait_for "spring: conversion on events, control 'control', alpha 0.05" || return
	wait_for "coupon beats control on conversion, +4.0 pp (95% CI 1.3 to"
	wait_for "significant"
	wait_for "campaigns: demo [spring]"
	keys Left && wait_for "campaigns: [demo] spring"
	quit_console confirm
	grep -F "campaign spring dataset=events arm=arm control=control metric=conversion target='campaign == '\\\\''spring_combo'\\\\''' alpha=0.05" \
	    "$tmp/campaigns.json" >/dev/null || fail "the form's command is not in the session"
}

# 12. The sidebar lists segmentations and campaigns, and opens them.
case_sidebar() {
	run_console sidebar 80x24 --
	wait_for "loaded 6 datasets" 20 || return
	wait_for "   demo"
	keys : "segment users features=spend,orders k=3" Enter
	wait_for "users.cluster" || return
	keys 1 Tab
	wait_for "Datasets (Tab)" || return
	keys j j j j j j j Enter
	wait_for "demo: conversion on events" || return
	keys Tab k Enter
	wait_for "segmentation users.cluster"
	wait_for "users  3000 rows, 15 columns"
	quit_console confirm
}

# 13. Quitting autosaves the session; the next start offers it back.
case_autosave() {
	run_console autosave1 80x24 XDG_STATE_HOME="$tmp/state-autosave" -- "$fixture"
	wait_for "ui_menu  10 rows" || return
	keys : "derive ui_menu twice=price*2" Enter
	wait_for "twice"
	quit_console confirm
	[ -f "$tmp/state-autosave/crossmkt/autosave.json" ] || fail "no autosave"
	run_console autosave2 80x24 XDG_STATE_HOME="$tmp/state-autosave" -- "$fixture"
	wait_for "Restore the last session? (y/n)" || return
	keys y
	wait_for "replay of" || return
	wait_for "twice"
	quit_console confirm
	run_console autosave3 80x24 XDG_STATE_HOME="$tmp/state-autosave" -- "$fixture"
	wait_for "Restore the last session? (y/n)" || return
	keys n
	wait_for "ui_menu  10 rows, 6 columns" || return
	screen | grep -F twice >/dev/null && fail "declined, but restored"
	quit_console
}

# 14. --replay without --batch: the commands run in view, each after the
# last one's load is done; space pauses, n steps, + speeds up.
case_replay() {
	"$CROSSMKT" --batch --record "$tmp/replay.json" -e "load events $CROSSMKT_DATA/events.csv" \
	    -e "campaign r dataset=events arm=arm control=control" -e "describe events" \
	    -e "head events" -e "datasets" -e "test r" >/dev/null ||
	    { fail "could not record a session"; return; }
	run_console replay 80x24 -- --replay "$tmp/replay.json"
	wait_for "[replay 1/6" || return
	wait_for "r: conversion on events" 20 || return
	keys Space
	wait_for "paused" || return
	n=$(screen | sed -n 's/.*\[replay \([0-9]*\)\/6 paused,.*/\1/p')
	if [ -n "$n" ] && [ "$n" -lt 6 ]; then
		keys n
		wait_for "[replay $((n + 1))/6 paused, 500 ms]"
	fi
	keys +
	wait_for "paused, 200 ms]"
	keys Space
	wait_for "replay of $tmp/replay.json done: 6 commands" 10
	quit_console confirm
	"$CROSSMKT" --replay "$tmp/replay.json" -e datasets >/dev/null 2>&1 &&
	    fail "--replay with -e was accepted without --batch"
}

# 15. Masked columns show *** in the Data view.
case_masked() {
	run_console masked 80x24 -- "$fixture"
	wait_for "ui_menu  10 rows" || return
	keys : "mask ui_menu columns=title" Enter
	wait_for "masked: title" || return
	keys Escape
	wait_for "***" || return
	screen | grep -F "宫保鸡丁" >/dev/null && fail "a masked cell is shown"
	quit_console confirm
}

for c in startup views forecast segments recs table cjk resize command terminals quit cancel longjob \
    watch campaigns \
    sidebar autosave replay masked; do
	if [ -n "$ONLY" ] && [ "$ONLY" != "$c" ]; then
		continue
	fi
	before=$failed
	failed=0
	case_$c
	if [ $failed -eq 0 ]; then
		echo "PASS: $c"
	else
		echo "FAIL: $c"
	fi
	[ $before -ne 0 ] && failed=1
	stop_console
done
exit $failed
