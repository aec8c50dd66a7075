#!/bin/bash
# The console's answer to keys: the time from a key (tmux send-keys) to the
# screen it brings, idle and while segment k=auto works on a million rows on
# the worker (the reference is the idle figure, measured in the same run),
# and from Esc to the cancelled job's message.
# bench-keys.sh CROSSMKT POINTS.CSV (POINTS with columns x, y, z)
set -u
CROSSMKT=$1
points=$2
command -v tmux >/dev/null 2>&1 || { echo "keys: skipped (tmux is not installed)"; exit 0; }
tmp=$(mktemp -d)
# The screen is read every 5 ms: the figures are that fine.
tmux_poll_ms=5
. "$(dirname "$0")/../tests/tmux.sh"
trap 'stop_consoles; rm -rf "$tmp"' EXIT
run_console keys 80x24 -- "$points"
now() { date +%s%N; }
dataset=$(basename "$points" .csv)
wait_for "$dataset  " 15 || exit 1
# Twenty switches between the Segments and the Data view.
measure() {
	sum=0 max=0
	for _ in $(seq 1 10); do
		for step in "2 Centroids" "1 $dataset  "; do
			t0=$(now)
			keys "${step%% *}"
			wait_for "${step#* }" 15 || exit 1
			d=$(( ($(now) - t0) / 1000000 ))
			sum=$((sum + d))
			[ $d -gt $max ] && max=$d
		done
	done
	printf '%-40s mean %3d ms, max %3d ms\n' "$1:" $((sum / 20)) $max
}
measure "view switches, idle"
keys : "segment $dataset features=x,y,z k=auto n_init=4" Enter
wait_for "Esc cancels" 15 || exit 1
measure "view switches, segment k=auto running"
shows "Esc cancels" || echo "(the job ended before the last switch)"
t0=$(now)
keys Escape
wait_for "cancelled: segment" 15 || exit 1
printf '%-40s %d ms\n' "Esc to 'cancelled' on the screen:" $(( ($(now) - t0) / 1000000 ))
