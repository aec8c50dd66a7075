#!/bin/sh
# The console in a real terminal, through the harness of tests/tmux.sh: a
# private tmux server runs the binary, keys go in with send-keys and the
# screen comes back with capture-pane.
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
. "$srcdir/tests/tmux.sh"

cleanup() {
	stop_consoles
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 99' HUP INT TERM

if [ -z "$utf8" ]; then
	echo "no UTF-8 locale: the wide-character cases are skipped"
fi

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
	wait_for "rows: 3,000"
	keys Escape && wait_gone "rows: 3,000"
	quit_console
}

# 2a. The Forecast view: the chart of the history, the forecast and its
# bands with its legend, the model and its accuracy as the batch run gives
# them; Down chooses another series (not forecast yet), Enter forecasts it
# as the last one was (holdout= kept); by= groups with Left/Right, their
# history once Enter asks for it; ASCII glyphs without UTF-8.
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
	wait_for "3387..4220"
	keys J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J J
	wait_for "Parameters:"
	keys Down && wait_for "gmv: no forecast yet" || return
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
	wait_for "2025-12-03   3723 3781 3387..4220 3196..4473"
	wait_for "forecast starts"
	quit_console
	run_console forecast-by 80x24 -- "$srcdir/tests/fixtures/ops/fc_cities.csv"
	wait_for "fc_cities  98 rows" || return
	keys 5 : "forecast fc_cities column=sales by=city horizon=7" Enter
	wait_for "sales lyon: no history, 7 forecast from 2024-02-19" || return
	wait_for "Enter forecasts again with history=yes"
	keys Enter && wait_for "sales lyon: last" || return
	wait_for "lyon (1 of 2, Left/Right)"
	keys Right && wait_for "sales nice: last"
	quit_console
}

# 2a'. The Forecast view's components: c charts them for a forecast with
# holidays, the title naming the largest holiday effect, and c goes back.
case_parts() {
	run_console parts 80x24 --
	wait_for "loaded 6 datasets" 20 || return
	keys 5 c && wait_for "no components: model=mstl or fourier" || return
	keys : "load hol $CROSSMKT_DATA/holidays-cn.csv" Enter
	wait_for "loaded hol" || return
	keys : "forecast daily column=orders horizon=90 holidays=hol" Enter
	wait_for "forecast starts" || return
	keys c && wait_for "Components: Spring Festival eve: +35% on 02-16" || return
	wait_for "Spring Festival week"
	keys c && wait_for "forecast starts"
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
	# EASE and ALS give their reasons too: the consumed items behind each.
	keys m
	wait_for "For user u00001, method ease" 20 || return
	wait_for " 1 i0211 " || return
	if [ -n "$utf8" ]; then
		wait_for "0.8704 糖醋小排 家…"
	fi
	keys m
	wait_for "For user u00001, method als" 20 || return
	wait_for " 1 i0090 " || return
	keys m
	wait_for "For user u00001, method popular" 20 || return
	wait_for " 1 i0183 "
	keys : "segment users features=sessions,spend,orders,courses_bought k=4 seed=1" Enter
	wait_for "users.cluster" 20 || return
	keys 3 s
	wait_for "4 segments" || return
	keys Enter
	wait_for "For cluster=1 (1,681 users), method popular" 20
	quit_console confirm
	run_console recs-large 160x50 --
	wait_for "loaded 6 datasets" 20 || return
	keys 3 Enter
	wait_for "For user u00001, method hybrid" 20 || return
	if [ -n "$utf8" ]; then
		wait_for " 1 i0211 糖醋小排"
		wait_for "江浙菜, 糖醋小排 家庭装, 家常"
	fi
	wait_for "10 i0083 "
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
	*"esc \\x1b[31m red"*" 10.00 "*2024-07-07) ;;
	*) fail "ascending: the first row is not the one priced 10";;
	esac
	keys s
	wait_for "sorted by price, descending"
	case $(screen | sed -n 4p) in
	*" 299.00 "*2024-06-01) ;;
	*) fail "descending: the first row is not the one priced 299";;
	esac
	keys s
	wait_for "sort cleared"
	keys / "price > 100 and price < 200" Enter
	wait_for "2 of 10 rows" || return
	case $(screen | sed -n 4p) in *"Python "*" 199.00 "*) ;; *) fail "filter: first row";; esac
	case $(screen | sed -n 5p) in *" 128.00 "*2023-12-24) ;; *) fail "filter: second row";; esac
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
	[ $(( $(col_of "$row" 299.00) + 6 )) = "$hp" ] ||
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
	tm resize-window -t "$name" -x 50 -y 15
	wait_for "terminal too small: 50x15, need 60x20"
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
	keys Escape && wait_gone "rows: 10"
	keys : Up
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
	# The console in the pane's session: the pane's shell may run the
	# script in a child of its own (dash as the user's shell does).
	pkill -TERM -s "$pid" -x "$(basename "$CROSSMKT")"
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
			# An Escape and a key read together are Alt+key: let it be read alone.
			sleep 0.2
			echo "the load ended before Esc was read"
		fi
	else
		echo "the load ended before it could be cancelled"
	fi
	quit_console
	rm -f "$tmp/big.csv"
}

# points_csv N FILE: N rows of id and three numeric columns for k-means
# long enough to cancel.
points_csv() {
	awk -v n="$1" 'BEGIN { print "id,x,y,z"
		for (i = 1; i <= n; i++)
			printf "%d,%d.%d,%d,%d\n", i, i % 9973, i % 7, (i * 7919) % 10007, (i * 31) % 4099 }' \
	    >"$2"
}

# 9b. Every command runs off the screen's thread: while k-means works on a
# million rows the keys answer, a command typed meanwhile waits its turn,
# and Escape cancels with the dataset left as it was; a command that ends
# changes it.
case_longjob() {
	points_csv 1000000 "$tmp/pts.csv"
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
	# A new file: a copy of a read-only source would be read-only too.
	cat "$CROSSMKT_DATA/events.csv" >"$tmp/ev.csv"
	run_console watch 80x24 -- "$tmp/ev.csv"
	wait_for "ev  40000 rows" 20 || return
	keys : "campaign live dataset=ev arm=arm control=control" Enter
	wait_for "live: conversion on ev" || return
	wait_for "control      953"
	keys : "watch ev" Enter
	wait_for "watching ev: 40000 rows (+0)" || return
	awk 'BEGIN { for (i = 1; i <= 50; i++) {
		printf "2025-05-18 10:%02d:00+08:00,w%03d,i0001,view,,spring_combo,control\n", i, i
		printf "2025-05-18 11:%02d:00+08:00,w%03d,i0001,purchase,30,spring_combo,control\n", i, i } }' \
	    >>"$tmp/ev.csv"
	wait_for "control    1,003" 2 || return
	wait_for "watch ev: +100 rows, 40100 in all" 2
	# keys still work while following
	keys 1 && wait_for "ev  40100 rows"
	keys 4 && wait_for "control    1,003"
	printf '2025-05-18 12:00:00+08:00,w051,i0001,view,,spring_combo,control' >>"$tmp/ev.csv"
	printf '\n' >>"$tmp/ev.csv"
	wait_for "control    1,004" 2
	printf 'yesterday,w052,i0001,view,,spring_combo,control\n' >>"$tmp/ev.csv"
	wait_for "ev.csv:40103:1: 'yesterday' is not a value" 2
	screen | grep -F "control    1,005" >/dev/null && fail "the bad row was appended"
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
	wait_for "restored the last session: 2 commands" || return
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
	run_console replay 80x24 -- --allow-read "$CROSSMKT_DATA" --replay "$tmp/replay.json"
	wait_for "Replay this session? (y/n)" || return
	keys y
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

# 16. A read-only console writes nothing: the autosave stays as it was
# (content and time), no state directory appears; reading commands run,
# shared campaigns included.
case_readonly() {
	ro=$tmp/readonly
	mkdir -p "$ro/state/crossmkt" "$ro/shared" "$ro/empty"
	"$CROSSMKT" --batch --shared-dir "$ro/shared" -e "load events $CROSSMKT_DATA/events.csv" \
	    -e "campaign spring dataset=events arm=arm control=control" \
	    -e "campaign save spring" >/dev/null || { fail "could not share a campaign"; return; }
	"$CROSSMKT" --batch --record "$ro/state/crossmkt/autosave.json" \
	    -e "load m $fixture" -e "derive m twice=price*2" >/dev/null ||
	    { fail "could not record an autosave"; return; }
	touch -d "2020-01-02 03:04:05" "$ro/state/crossmkt/autosave.json"
	cp -p "$ro/state/crossmkt/autosave.json" "$ro/autosave.before"
	run_console readonly 100x30 XDG_STATE_HOME="$ro/state" -- --readonly \
	    --shared-dir "$ro/shared" "$fixture" "$CROSSMKT_DATA/events.csv"
	wait_for "Restore the last session? (y/n)" || return
	keys n
	wait_for "loaded 2 datasets" 20 || return
	keys 2 1
	wait_for "ui_menu  10 rows" || return
	keys : "derive ui_menu thrice=price*3" Enter
	wait_for "thrice" || return
	keys : "campaign open spring" Enter
	wait_for "spring: conversion on events" 20 || return
	keys : "shared" Enter
	wait_for "campaign.spring" || return
	screen | grep -F "refused" >/dev/null && fail "a reading command was refused"
	keys Escape && wait_gone "campaign.spring"
	keys : "export ui_menu $ro/out.csv" Enter
	wait_for "refused in a read-only session" || return
	quit_console confirm
	cmp -s "$ro/autosave.before" "$ro/state/crossmkt/autosave.json" ||
	    fail "the read-only console changed the autosave"
	[ "$(stat -c %Y "$ro/state/crossmkt/autosave.json")" = "$(stat -c %Y "$ro/autosave.before")" ] ||
	    fail "the read-only console touched the autosave"
	[ "$(ls "$ro/state/crossmkt")" = autosave.json ] ||
	    fail "the read-only console left files: $(ls "$ro/state/crossmkt")"
	[ -e "$ro/out.csv" ] && fail "export ran in a read-only console"
	run_console readonly2 80x24 XDG_STATE_HOME="$ro/empty/state" -- --readonly "$fixture"
	wait_for "ui_menu  10 rows" || return
	keys : "derive ui_menu twice=price*2" Enter
	wait_for "twice" || return
	quit_console confirm
	[ -e "$ro/empty/state" ] && fail "the read-only console created $(find "$ro/empty/state")"
}

# 17. Before replaying someone else's session the console lists the files
# it opens, with those its directories refuse, and asks; refused files are
# not opened.
case_replayask() {
	h=$tmp/hostile
	mkdir -p "$h/team" "$h/victim"
	cp "$fixture" "$h/team/payload.csv"
	echo "secret" >"$h/victim/.bashrc"
	"$CROSSMKT" --batch --record "$h/team/s.json" -e "load p $h/team/payload.csv" \
	    -e "export p $h/victim/.bashrc" -e "datasets" >/dev/null 2>&1
	echo "secret" >"$h/victim/.bashrc"
	run_console replayask 120x30 -- --replay "$h/team/s.json"
	wait_for "Replay this session? (y/n)" || return
	wait_for "$h/team/s.json asks to open these files:" || return
	screen | grep -F "read   $h/team/payload.csv" >/dev/null || fail "the load is not listed"
	screen | grep -F "write  $h/victim/.bashrc" >/dev/null || fail "the export is not listed"
	wait_for "a replayed session writes only under the directories given" || return
	screen | grep -E "^ [^ ]* +p +[0-9]+ " >/dev/null && fail "a command ran before the answer"
	keys n
	wait_for "loaded 6 datasets" 20 || return
	screen | grep -E "^ [^ ]* +p +[0-9]+ " >/dev/null && fail "declined, but replayed"
	stop_console
	run_console replayask2 120x30 -- --replay "$h/team/s.json"
	wait_for "Replay this session? (y/n)" || return
	keys y
	wait_for "error: export: $h/victim/.bashrc: a replayed session" 20 || return
	[ "$(cat "$h/victim/.bashrc")" = secret ] || fail "the replay wrote .bashrc"
	keys q
	wait_for "crossmkt-exit=0" || return
	# Its commands must not come back, unconfined, as the user's autosave.
	wait_for "the session was not autosaved: it replayed someone else's session"
	[ -e "$tmp/state-replayask2/crossmkt/autosave.json" ] && fail "the replay was autosaved"
}

# 18. A save waits for a lock another process holds: the status line says
# who holds it and Esc gives up; the console stays up.
case_lockwait() {
	mkdir -p "$tmp/team"
	python3 -c '
import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.lockf(f, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(120)' "$tmp/team/campaign.demo.lock" > "$tmp/holder.out" &
	holder=$!
	i=0
	while [ $i -lt 100 ] && [ ! -s "$tmp/holder.out" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -s "$tmp/holder.out" ] || { fail "the lock holder did not start"; kill $holder; return; }
	run_console lockwait 120x24 -- --shared-dir "$tmp/team"
	wait_for "loaded 6 datasets" 20 || { kill $holder; return; }
	wait_for "demo" || { kill $holder; return; }
	keys : "campaign save demo" Enter
	wait_for "waiting for campaign.demo's lock held by $(id -un) (pid $holder); Esc cancels" 5 ||
	    { kill $holder; return; }
	keys Escape
	wait_for "cancelled waiting for campaign.demo's lock held by $(id -un) (pid $holder)" 3
	kill $holder
	wait $holder 2>/dev/null
	[ -e "$tmp/team/campaign.demo.json" ] && fail "the cancelled save wrote the file"
	keys : "campaign save demo" Enter
	i=0
	while [ $i -lt 50 ] && [ ! -e "$tmp/team/campaign.demo.json" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -e "$tmp/team/campaign.demo.json" ] || fail "the save after the lock was let go wrote nothing"
	quit_console confirm
}

# 16. test by=: the breakdown under the campaign, one row per group and
# arm with its lift, Holm-adjusted p and mark; Down picks a row, Enter
# shows its detail; names widen with the screen (cut with an ellipsis).
by_campaign() {
	wait_for "ui_arms  120 rows" || return 1
	keys : "campaign long dataset=ui_arms arm=arm control=control_group_spring metric=column:converted" Enter
	wait_for "long: column:converted on ui_arms" || return 1
	keys : "test long by=city" Enter
	wait_for "By city (Holm-adjusted p; Enter: detail)" || return 1
}

case_byresults() {
	arms=$srcdir/tests/fixtures/ui_arms.csv
	if [ -n "$utf8" ]; then
		run_console by80 80x24 -- "$arms"
		by_campaign || return
		wait_for "▶ control_group…      60   15.0%" || return
		keys Down Down Down Down Down
		wait_for "▶ 成都  coupon_weeken…      30    50.0%  +400.0%  0.0014 ▲" || return
		wait_for "  上海  coupon_weeken…      30    23.3%   +16.7%    0.75 ·"
		wait_for "▲ better, ▼ worse than the control, · no difference"
		keys Enter
		wait_for "coupon_weekend_bundle_2025, city = 成都" || return
		wait_for "p_adjusted: 0.0014"
		wait_for "lift: +400.0%"
		keys Escape && wait_gone "p_adjusted: 0.0014"
		quit_console confirm
		run_console by200 200x50 -- "$arms"
		by_campaign || return
		wait_for "  coupon_weekend_bundle_2025      60   36.7%" || return
		wait_for "  成都  coupon_weekend_bundle_2025      30    50.0%  +400.0%  0.0014 ▲"
		quit_console confirm
	fi
	run_console byvt100 80x24 TERM=vt100 LANG=C LC_ALL=C -- "$arms"
	by_campaign || return
	keys Down Down Down Down Down
	wait_for "> ??    coupon_weeken~      30    50.0%  +400.0%  0.0014 +" || return
	wait_for "+ better, - worse than the control, . no difference"
	quit_console confirm
}

# 17. The message log (C-p) lists the recent messages in full, where the
# status line cuts them with an ellipsis.
msglog_error() {
	keys : 'filter ui_arms where="convertd > 0" as=x' Enter
	wait_for "error: filter: expression 'convertd > 0': position 1: unknown column" || return 1
}

case_msglog() {
	arms=$srcdir/tests/fixtures/ui_arms.csv
	if [ -n "$utf8" ]; then
		run_console log80 80x24 -- "$arms"
		wait_for "ui_arms  120 rows" || return
		msglog_error || return
		wait_for "unknown column 'conve… C-p"
		keys C-p
		wait_for "─Messages─" || return
		wait_for "loaded ui_arms: 120 rows, 4 columns"
		wait_for "error: filter: expression 'convertd > 0': position 1: unknown column │"
		wait_for "│'convertd' (did you mean 'converted'?)"
		keys Escape && wait_gone "─Messages─"
		quit_console
		run_console log200 200x50 -- "$arms"
		wait_for "ui_arms  120 rows" || return
		msglog_error || return
		keys C-p
		wait_for "error: filter: expression 'convertd > 0': position 1: unknown column 'convertd' (did you mean 'converted'?)"
		keys Escape && wait_gone "─Messages─"
		quit_console
	fi
	run_console logvt100 80x24 TERM=vt100 LANG=C LC_ALL=C -- "$arms"
	wait_for "ui_arms  120 rows" || return
	msglog_error || return
	wait_for "unknown column 'conve~ C-p"
	keys C-p
	wait_for "Messages" || return
	wait_for "'convertd' (did you mean 'converted'?)"
	keys Escape && wait_gone "Messages"
	quit_console
}

# 18. The sidebar scrolls to keep the selection in sight, with marks for
# the entries above and below; a typed letter jumps to the next name
# starting with it, in the sidebar and in the campaign form's menus.
side_start() {
	ops=$srcdir/tests/fixtures/ops
	# Sixteen datasets named here, whatever else the fixtures hold: the
	# marks and the moves below count them.
	fc=
	for f in campaign cities daily dup edge gap irregular monthly notime quarterly \
	    step3 tiny unsorted weekly; do
		fc="$fc $ops/fc_$f.csv"
	done
	# shellcheck disable=SC2086
	run_console "$@" -- "$ops/campaign_events.csv" "$ops/events.csv" $fc
	wait_for "loaded 16 datasets" 20 || return 1
	keys : "campaign zz dataset=campaign_events arm=arm control=control" Enter
	wait_for "zz: conversion on campaign_events" || return 1
}

case_sidescroll() {
	if [ -n "$utf8" ]; then
		side_start side80 80x24 || return
		wait_for "   fc_weekly " || return
		[ "$(line_of "▼ 1 more")" = "   ▼ 1 more        │" ] || fail "no more-below mark"
		screen | grep -F "   zz   " >/dev/null && fail "zz is drawn below the mark"
		keys Tab j j j j j j j j j j j j j j j j j
		wait_for "▶  zz" || return
		wait_for "   ▲ 2 more        │"
		screen | grep -F "more        │" | grep -F "▼" >/dev/null && fail "a more-below mark at the end"
		keys c
		wait_for "▶● campaign_ev… 29 │" || return
		wait_for "   ▼ 1 more        │"
		keys f f
		wait_for "▶  fc_cities" || return
		keys e
		wait_for "▶  events        6 │" || return
		keys Tab 4 n
		wait_for "New campaign" || return
		keys x Tab Enter
		wait_for ">events" || return
		keys f && wait_for ">fc_campaign" || return
		keys f && wait_for ">fc_cities" || return
		keys c && wait_for ">campaign_events" || return
		keys Escape && wait_gone ">campaign_events"
		keys Escape && wait_for "Discard the changes?" || return
		keys Escape && wait_for "campaign form closed" || return
		quit_console confirm
		side_start side200 200x50 || return
		wait_for "   zz  " || return
		screen | grep -F " more " >/dev/null && fail "a more mark where everything fits"
		quit_console confirm
	fi
	side_start sidevt100 80x24 TERM=vt100 LANG=C LC_ALL=C || return
	wait_for "   v 1 more        x" || return
	keys Tab j j j j j j j j j j j j j j j j j
	wait_for ">  zz" || return
	wait_for "   ^ 2 more        x"
	quit_console confirm
}

# 19. Enter (or v) in the Data view shows the row in full; v in the
# Recommendations view the items with their titles (from the events' own
# Description column) and reasons in full; numbers read as numfmt writes
# them (money with 2 decimals in the table, the exact value in the popup).
case_detail() {
	sales=$srcdir/tests/fixtures/ops/retail_lines.csv
	if [ -n "$utf8" ]; then
		run_console detail80 80x24 -- "$fixture"
		wait_for "ui_menu  10 rows" || return
		wait_for " 1    1 宫保鸡丁         成都   38.50   120 2024-03-01" || return
		keys Enter
		wait_for "─ui_menu row 1─" || return
		wait_for "│title: 宫保鸡丁 "
		wait_for "│price: 38.5 "
		keys Escape && wait_gone "─ui_menu row 1─"
		keys : "load sales $sales user=CustomerID item=StockCode" Enter
		wait_for "loaded sales: 399 rows" || return
		# 50 neighbours: reasons long enough to wrap in the popup
		keys : "recommend sales for=17850 n=3 neighbours=50" Enter
		wait_for "1 21485 RETROSPOT HE… 0.4029 WHITE HANGING…" || return
		keys v
		wait_for "─For user 17850, method itemcf─" || return
		wait_for "│1. 21485 RETROSPOT HEART HOT WATER BOTTLE (score 0.4029)  │"
		wait_for "│because: WHITE HANGING HEART T-LIGHT HOLDER, KNITTED UNION│"
		wait_for "│FLAG HOT WATER BOTTLE, HAND WARMER UNION JACK             │"
		keys Escape && wait_gone "─For user 17850, method itemcf─"
		quit_console
		run_console detail200 200x50 -- "$fixture"
		wait_for "ui_menu  10 rows" || return
		keys j v
		wait_for "─ui_menu row 2─" || return
		wait_for "│title: Latte 拿铁 "
		keys Escape && wait_gone "─ui_menu row 2─"
		# cells widen to a quarter of a wide screen; prices read as money
		keys : "load sales $sales" Enter
		wait_for "  1 536365     85123A     WHITE HANGING HEART T-LIGHT HOLDER          6 2010-12-01 08:26:00       2.55" || return
		# describe gives a datetime's range at the offset in the data
		keys : "load ev $srcdir/tests/fixtures/ops/events.csv" Enter
		wait_for "loaded ev: 6 rows" || return
		keys : "describe ev" Enter
		wait_for "ts       datetime      6        0         6  2024-03-01 09:00:00+08:00  2024-03-05 08:00:00+08:00" || return
		keys Escape && wait_gone "datetime      6"
		quit_console
	fi
	run_console detailvt100 80x24 TERM=vt100 LANG=C LC_ALL=C -- "$fixture"
	wait_for "ui_menu  10 rows" || return
	keys Enter
	wait_for "ui_menu row 1" || return
	wait_for "xtitle: ???? "
	keys Escape && wait_gone "ui_menu row 1"
	quit_console
}

# 16. A replay goes on past a command that failed when it was recorded too,
# and pauses where a command that had succeeded fails now.
case_replayfail() {
	cp "$CROSSMKT_DATA/users.csv" "$tmp/ru.csv"
	cp "$CROSSMKT_DATA/users.csv" "$tmp/rv.csv"
	"$CROSSMKT" --batch --keep-going --record "$tmp/rf.json" -e "load ru $tmp/ru.csv" \
	    -e "describe nosuch" -e "load rv $tmp/rv.csv" -e "datasets" >/dev/null 2>&1
	grep -F '"ok":	false' "$tmp/rf.json" >/dev/null || { fail "no failure recorded"; return; }
	rm -f "$tmp/rv.csv"
	for size in 80x24 160x50; do
		run_console "replayfail-$size" "$size" -- --replay "$tmp/rf.json"
		wait_for "Replay this session? (y/n)" 20 || return
		keys y
		wait_for "[replay 3/4 paused, 500 ms]" 20 || return
		screen | grep -F "rv.csv" >/dev/null || fail "the new failure is not shown"
		keys Space
		wait_for "replay of $tmp/rf.json done: 4 commands, 2 failed" || return
		keys Escape && wait_gone "─datasets─"
		quit_console
	done
}

# 17. Restoring the last session: at full speed, past its failures, with
# a closing line that counts them.
case_restore() {
	st="$tmp/state-restore"
	run_console restore1 80x24 XDG_STATE_HOME="$st" -- "$fixture"
	wait_for "ui_menu  10 rows" || return
	keys : "describe nosuch" Enter
	wait_for "error: describe: no dataset named 'nosuch'"
	keys : "derive ui_menu twice=price*2" Enter && wait_for "twice"
	keys : "derive ui_menu thrice=price*3" Enter && wait_for "ui_menu  10 rows, 8 columns"
	quit_console confirm
	for size in 80x24 200x50; do
		run_console "restore-$size" "$size" XDG_STATE_HOME="$st" -- "$fixture"
		wait_for "Restore the last session? (y/n)" || return
		keys y
		wait_for "error: restored the last session: 4 commands, 1 failed" || return
		screen | grep -F "paused" >/dev/null && fail "the restore paused"
		wait_for "ui_menu  10 rows, 8 columns"
		quit_console confirm
	done
}

# 18. :q and :quit quit (asking first when there is unsaved work, where q
# again means yes); an unknown command names the closest one.
case_quitcmd() {
	run_console quitcmd 80x24 -- "$fixture"
	wait_for "ui_menu  10 rows" || return
	keys : "desribe ui_menu" Enter
	wait_for "error: unknown command 'desribe' (did you mean 'describe'?)" || return
	keys : "derive ui_menu twice=price*2" Enter && wait_for "twice"
	keys : q Enter
	wait_for "Quit? (y/n)" || return
	wait_for "y/q Quit  n Stay"
	keys q
	wait_for "crossmkt-exit=0"
	run_console quitcmd-wide 160x50 -- "$fixture"
	wait_for "ui_menu  10 rows" || return
	keys : "quit " Enter
	wait_for "crossmkt-exit=0"
}

# 19. Sequences the terminal type does not know are swallowed whole: F5,
# F10 and Alt-2 sent to a vt100 console (and Alt-2 to any) act as no keys.
case_escapes() {
	for term in vt100 screen; do
		for size in 80x24 160x50; do
			run_console "escapes-$term-$size" "$size" TERM=$term -- "$fixture"
			wait_for "ui_menu  10 rows" || return
			keys 4 && wait_for "No campaigns yet" || return
			# F10 quits where the terminal type knows it.
			keys F5 M-2 M-x F12
			[ $term = vt100 ] && keys F10
			keys : "describe ui_menu" Enter
			wait_for "rows: 10" || return
			keys Escape && wait_gone "rows: 10"
			screen | grep -F "crossmkt-exit" >/dev/null && { fail "a key quit"; return; }
			wait_for "No campaigns yet"
			screen | grep -F "Centroids" >/dev/null && fail "Alt-2 opened Segments"
			keys 5 && wait_for "Up/Down Series  Enter Forecast"
			quit_console
		done
	done
}

# 20. Below 80x24 (down to 60x20) the sidebar is hidden and the views work;
# on the "too small" screen keys do nothing but quit.
case_small() {
	for term in screen vt100; do
		run_console "small-$term" 80x24 TERM=$term -- "$fixture"
		wait_for "ui_menu  10 rows" || return
		tm resize-window -t "$name" -x 60 -y 20
		wait_gone "Datasets" || return
		wait_for "ui_menu  10 rows, 6 columns"
		wait_for "Caesar salad"
		case $(line_of "Caesar salad") in
		" 6    6 Caesar salad"*) ;;
		*) fail "the Data view does not start at the left edge";;
		esac
		keys Tab && wait_for "the sidebar shows from 80x24 up"
		keys 4 && wait_for "No campaigns yet" || return
		keys 1 && wait_for "Caesar salad"
		keys : "derive ui_menu twice=price*2" Enter
		wait_for "ui_menu  10 rows, 7 columns" || return
		tm resize-window -t "$name" -x 50 -y 15
		wait_for "terminal too small: 50x15, need 60x20" || return
		keys 4 : x
		sleep 0.3
		tm resize-window -t "$name" -x 200 -y 50
		wait_for "Datasets" || return
		wait_for "ui_menu  10 rows, 7 columns"
		screen | grep -F "No campaigns yet" >/dev/null && fail "a key acted while too small"
		screen | grep -F ":x" >/dev/null && fail "the command line opened while too small"
		tm resize-window -t "$name" -x 50 -y 15
		wait_for "terminal too small: 50x15, need 60x20" || return
		keys q && wait_for "Quit? (y/n) there is unsaved work" || return
		keys y && wait_for "crossmkt-exit=0"
	done
}

# 21. A filter that fails leaves the one in force; / shows the filter
# selected, so that typing replaces it and a moving key edits it.
case_filterkeep() {
	for run in 80x24:screen 160x50:vt100; do
		run_console "filterkeep-${run#*:}" "${run%:*}" TERM="${run#*:}" -- "$fixture"
		wait_for "ui_menu  10 rows" || return
		keys / "price > 100 and price < 200" Enter
		wait_for "ui_menu  2 of 10 rows  filter: price > 100 and price < 200" || return
		keys /
		wait_for "filter: price > 100 and price < 200" || return
		keys "price >> 1" Enter
		wait_for "error: filter: expression 'price >> 1': position" || return
		wait_for "ui_menu  2 of 10 rows  filter: price > 100 and price < 200"
		keys / "price < 20" Enter
		wait_for "ui_menu  3 of 10 rows  filter: price < 20" || return
		keys / Right " or price > 250" Enter
		wait_for "ui_menu  4 of 10 rows  filter: price < 20 or price > 250"
		keys / BSpace Enter
		wait_for "filter cleared"
		wait_for "ui_menu  10 rows, 6 columns"
		quit_console
	done
}

# 22. watch skips a row that does not fit, counts it and follows on: the
# rows around it land, the status line keeps the count and the place.
case_watchskip() {
	for size in 80x24 160x50; do
		cat "$CROSSMKT_DATA/events.csv" >"$tmp/evs.csv"
		run_console "watchskip-$size" "$size" -- "$tmp/evs.csv"
		wait_for "evs  40000 rows" 20 || return
		keys : "campaign live dataset=evs arm=arm control=control" Enter
		wait_for "▶ control      953" || return
		keys : "watch evs" Enter
		wait_for "watching evs: 40000 rows (+0)" || return
		keys Escape
		wait_for "[following evs: 40000 rows]" || return
		printf '%s\n' "2025-05-18 10:00:00+08:00,s001,i0001,view,,spring_combo,control" \
		    "yesterday,s002,i0001,view,,spring_combo,control" \
		    "2025-05-18 10:02:00+08:00,s003,i0001,view,,spring_combo,control" >>"$tmp/evs.csv"
		wait_for "evs.csv:40003:1: 'yesterday' is not a value" 5 || return
		[ $size = 80x24 ] || wait_for "evs.csv:40003:1: 'yesterday' is not a value of column 'ts' (datetime) (line skipped; following goes on)"
		wait_for "▶ control      955"
		keys Escape
		wait_for "[following evs: 40002 rows, 1 skipped (last evs.csv:40003)]" || return
		printf '%s\n' "2025-05-18 10:03:00+08:00,s004,i0001,view,,spring_combo,control" \
		    >>"$tmp/evs.csv"
		wait_for "watch evs: +1 row, 40003 in all" 5
		wait_for "▶ control      956"
		[ $size = 80x24 ] && keys Escape
		wait_for "[following evs: 40003 rows, 1 skipped (last evs.csv:40003)]"
		quit_console confirm
	done
}

# 23. The campaign form on one row per user: the arm column and the control
# named like them (and said so), only the metrics that fit, the focused
# field highlighted, Esc asking before it drops changes; on the real
# experiments when ../shared/data has them.
case_form() {
	run_console form 80x24 -- "$srcdir/tests/fixtures/ops/campaign_per_user.csv"
	wait_for "campaign_per_user  12 rows" || return
	keys 4 n && wait_for "New campaign" || return
	wait_for "Control 'A': named like a control"
	for t in "Arm column   variant" "Control      A" "Metric       column:converted"; do
		screen | grep -F -- "$t" >/dev/null || fail "no '$t' in the form"
	done
	keys Down Down Down Down
	# The focused field in reverse video, the others not.
	i=0
	until tm capture-pane -p -e -t "$name" | grep -F "Metric" |
	    grep -F "$(printf '\033[7m')" >/dev/null; do
		i=$((i + 1))
		[ $i -lt 50 ] || { fail "the focused field is not highlighted"; break; }
		sleep 0.1
	done
	tm capture-pane -p -e -t "$name" | grep -F "Control" | grep -F "$(printf '\033[7m')" \
	    >/dev/null && fail "a field without focus is highlighted"
	keys Enter && wait_for ">column:converted" || return
	wait_for "column:history"
	screen | grep -F "retention:7" >/dev/null && fail "an event metric offered on one row per user"
	screen | grep -F "column:variant" >/dev/null && fail "the arm column offered as a metric"
	keys Escape && wait_gone "column:history"
	keys Up Up Up Up x
	keys Escape && wait_for "Discard the changes? Esc again discards them" || return
	keys Right && sleep 0.2
	keys Escape && wait_for "Discard the changes?"
	keys Escape && wait_for "campaign form closed" || return
	keys n && wait_for "New campaign" || return
	keys Escape && wait_for "campaign form closed" || return
	keys n && wait_for "New campaign" || return
	keys pu1 F2
	wait_for "pu1: column:converted on campaign_per_user, control 'A'" || return
	quit_console confirm
	shared=${CROSSMKT_SHARED:-$srcdir/../shared}/data
	[ -r "$shared/hillstrom_email.csv" ] && [ -r "$shared/cookie_cats.csv" ] || return
	run_console form-real 160x50 -- "$shared/hillstrom_email.csv" "$shared/cookie_cats.csv"
	wait_for "loaded 2 datasets" 30 || return
	keys 4 n && wait_for "New campaign" || return
	wait_for "Control 'No E-Mail': named like a control"
	wait_for "Metric       column:conversion"
	keys Down Enter && wait_for ">hillstrom_email" || return
	keys Down && wait_for ">cookie_cats" || return
	keys Enter
	wait_for "Control 'gate_30': the first arm in the file (no value of 'version' is named like a control)" || return
	wait_for "Arm column   version"
	wait_for "Metric       column:retention_1"
	keys Escape && wait_for "Discard the changes?" || return
	keys Escape && wait_for "campaign form closed" || return
	quit_console
}

# 24. Tab after metric= offers the metrics of the dataset= named (not the
# one shown); after "load NAME " it completes paths, ~ first.
case_complete() {
	mkdir -p "$tmp/home/sub"
	head -n 5 "$srcdir/tests/fixtures/ops/campaign_per_user.csv" >"$tmp/home/sub/per_user.csv"
	for size in 80x24 160x50; do
		run_console "complete-$size" "$size" HOME="$tmp/home" --
		wait_for "loaded 6 datasets" 20 || return
		keys : "campaign k dataset=events metric=" Tab
		wait_for "conversion  revenue  ctr  retention:1" || return
		if [ $size != 80x24 ]; then
			wait_for "retention:28  column:amount"
			screen | grep -F "column:spend" >/dev/null &&
			    fail "users' columns offered for events"
		fi
		# One candidate: events' only numeric column, not the users' ones.
		keys "col" Tab && wait_for ":campaign k dataset=events metric=column:amount" || return
		keys C-u "load pu ~/s" Tab
		wait_for ":load pu $tmp/home/sub/" || return
		keys p Tab && wait_for ":load pu $tmp/home/sub/per_user.csv" || return
		keys Enter && wait_for "loaded pu: 4 rows, 5 columns" || return
		keys : "campaign k dataset=pu metric=" Tab
		wait_for "column:converted  column:spend  column:history" || return
		screen | grep -F "retention:1" >/dev/null && fail "event metrics offered on one row per user"
		keys Escape && wait_gone "column:converted"
		quit_console
	done
}

# 25. Small things a user sees: the screen cleared on quitting a vt100
# (no alternate screen), defining a campaign says what was defined, a job's
# status line without the last command's message, Ctrl-C naming the
# queued commands it drops.
case_cosmetics() {
	for size in 80x24 160x50; do
		run_console "plain-$size" "$size" TERM=vt100 -- "$fixture"
		wait_for "ui_menu  10 rows" || return
		quit_console
		screen | grep -F "ui_menu" >/dev/null && fail "the console is left on a vt100 screen"
	done
	run_console defined 80x24 -- "$srcdir/tests/fixtures/ops/campaign_per_user.csv"
	wait_for "campaign_per_user  12 rows" || return
	keys : "campaign k dataset=campaign_per_user arm=variant control=A metric=column:converted" Enter
	wait_for "campaign k defined: column:converted on campaign_per_user, control 'A'" || return
	quit_console confirm
	points_csv 300000 "$tmp/pts3.csv"
	run_console dropped 160x50 -- "$tmp/pts3.csv"
	wait_for "loaded pts3: 300000 rows, 4 columns" 60 || return
	keys : "segment pts3 features=x,y,z k=auto n_init=4" Enter
	wait_for "s  Esc cancels" || return
	screen | grep -F "loaded pts3:" >/dev/null && fail "the last command's message stays beside the job"
	keys : "describe pts3" Enter && wait_for "queued: describe pts3"
	keys : "head pts3" Enter && wait_for "queued: head pts3"
	keys C-c
	wait_for "cancelled: segment pts3 features=x,y,z k=auto n_init=4 (and 2 queued: describe pts3, head pts3)" 30
	quit_console
	rm -f "$tmp/pts3.csv"
}

# 16. PostgreSQL: a watched pg= campaign shows rows that land in the
# database; Esc cancels a load from a query. Skipped without a server.
# pg_wait_re REGEX WHAT: waits up to 10 s for a screen line matching REGEX.
pg_wait_re() {
	i=0
	until screen | grep -E "$1" >/dev/null || [ $i -ge 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ $i -lt 100 ] || fail "$2"
}

case_pg_run() {
	pg_sql -c "CREATE TABLE ev (ts timestamptz, user_id text, event text, arm text)" \
	    -c "INSERT INTO ev SELECT now(), 'u' || g, 'view', CASE WHEN g % 2 = 0 THEN 'control' ELSE 'b' END FROM generate_series(1, 10) AS g" ||
	    { fail "could not fill the server"; return; }
	run_console pg 100x30 -- --refresh=500 "$fixture"
	wait_for "ui_menu  10 rows" || return
	keys : "campaign w pg='$PG' table=ev" Enter
	wait_for "w: conversion on ev, control 'control'" || return
	pg_wait_re "│ (▶| ) control +5 " "control has not 5 users"
	keys : "watch w" Enter
	wait_for "watching campaign w" || return
	pg_sql -c "INSERT INTO ev SELECT now(), 'v' || g, 'view', 'control' FROM generate_series(1, 7) AS g"
	pg_wait_re "│ (▶| ) control +12 " "the rows that landed in the database were not shown"
	# No more refreshes, so that Esc below cancels the command typed.
	keys : "campaign drop w" Enter
	wait_for "dropped" || return
	# A campaign's query runs as a job: Esc cancels it on the server.
	keys : "campaign slow pg='$PG' query='SELECT ev.* FROM ev, pg_sleep(60) AS z'" Enter
	wait_for "test slow" || return
	wait_for "Esc cancels" 15 || return
	keys Escape
	wait_for "cancelled: test slow" 10 || return
	keys : "load big pg='$PG' query='SELECT g, md5(CAST(g AS text)) AS h FROM generate_series(1, 50000000) AS g'" Enter
	wait_for "Esc cancels" 15 || return
	keys Escape
	wait_for "cancelled: load big" 20 || return
	keys : "datasets" Enter
	sleep 1
	screen | grep -F "big" >/dev/null && fail "the cancelled load registered 'big'"
	keys Escape
	wait_gone "Esc closes" || return
	quit_console confirm
}

case_pg() {
	. "$srcdir/tests/pgserver.sh"
	pg_start > "$tmp/pg-start.log" || { echo "no PostgreSQL server: pg skipped"; return; }
	case_pg_run
	pg_stop
}

for c in startup views forecast parts segments recs table cjk resize command terminals quit cancel longjob \
    watch campaigns \
    sidebar autosave replay masked readonly replayask \
    lockwait byresults msglog sidescroll detail \
    replayfail restore quitcmd escapes small filterkeep watchskip form complete \
    cosmetics pg; do
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
