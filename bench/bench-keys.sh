#!/bin/bash
# The console's answer to keys: the time from a key (tmux send-keys) to the
# screen it brings, idle and while segment k=auto works on a million rows on
# the worker (the reference is the idle figure, measured in the same run),
# and from Esc to the cancelled job's message.
# bench-keys.sh CROSSMKT POINTS.CSV (POINTS with columns x, y, z)
set -u
crossmkt=$1
points=$2
command -v tmux >/dev/null 2>&1 || { echo "keys: skipped (tmux is not installed)"; exit 0; }
tmp=$(mktemp -d)
tm() { tmux -L "bench-keys$$" -f /dev/null "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$tmp"' EXIT
tm new-session -d -s s -x 80 -y 24 "LANG=C.UTF-8 XDG_CONFIG_HOME=$tmp XDG_STATE_HOME=$tmp \
XDG_DATA_HOME=$tmp '$crossmkt' '$points'; sleep 600"
now() { date +%s%N; }
# Polls every 5 ms, up to 15 s.
wait_for() {
	for _ in $(seq 1 3000); do
		tm capture-pane -p -t s | grep -qF -- "$1" && return 0
		sleep 0.005
	done
	echo "keys: timed out waiting for '$1'"
	exit 1
}
name=$(basename "$points" .csv)
wait_for "$name  "
# Twenty switches between the Segments and the Data view.
measure() {
	sum=0 max=0
	for _ in $(seq 1 10); do
		for step in "2 Centroids" "1 $name  "; do
			t0=$(now)
			tm send-keys -t s "${step%% *}"
			wait_for "${step#* }"
			d=$(( ($(now) - t0) / 1000000 ))
			sum=$((sum + d))
			[ $d -gt $max ] && max=$d
		done
	done
	printf '%-40s mean %3d ms, max %3d ms\n' "$1:" $((sum / 20)) $max
}
measure "view switches, idle"
tm send-keys -t s : "segment $name features=x,y,z k=auto n_init=4" Enter
wait_for "Esc cancels"
measure "view switches, segment k=auto running"
tm capture-pane -p -t s | grep -qF "Esc cancels" || echo "(the job ended before the last switch)"
t0=$(now)
tm send-keys -t s Escape
wait_for "cancelled: segment"
printf '%-40s %d ms\n' "Esc to 'cancelled' on the screen:" $(( ($(now) - t0) / 1000000 ))
