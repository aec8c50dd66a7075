# The console in a real terminal, sourced by tests/ui.sh, tests/hostile.sh
# and bench/bench-keys.sh: a private tmux server per console runs the
# binary, keys go in with send-keys and the screen comes back with
# capture-pane.
#
# Before sourcing: CROSSMKT (the binary) and tmp (a scratch directory that
# the caller removes, after stop_consoles, on exit); CROSSMKT_DATA and
# tmux_poll_ms (how often the screen is read, 100 ms unless set) may be
# set. Sets utf8 to a UTF-8 locale, or to nothing when there is none.

: "${CROSSMKT_DATA:=${srcdir:-.}/data}"
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

# Stops every console started: for the caller's exit trap.
stop_consoles() {
	for name in $names; do
		tm kill-server >/dev/null 2>&1
	done
	name=
}

# A UTF-8 locale for the console and the tmux client.
utf8=
for l in C.UTF-8 C.utf8 en_US.UTF-8 en_US.utf8; do
	if locale -a 2>/dev/null | grep -qx "$l"; then
		utf8=$l
		break
	fi
done

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
	[ "${1:-}" = "--" ] && shift
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

# tmux_poll SECONDS COMMAND...: runs COMMAND every tmux_poll_ms until it
# succeeds; 1 when SECONDS pass first.
tmux_poll() {
	poll_ms=${tmux_poll_ms:-100}
	poll_n=$(( $1 * 1000 / poll_ms ))
	poll_s=$(printf '%d.%03d' $((poll_ms / 1000)) $((poll_ms % 1000)))
	shift
	while [ $poll_n -gt 0 ]; do
		"$@" && return 0
		sleep "$poll_s"
		poll_n=$((poll_n - 1))
	done
	return 1
}

# shows TEXT: whether the screen shows TEXT; shows_not TEXT: whether not.
shows() {
	screen | grep -F -- "$1" >/dev/null
}

shows_not() {
	! shows "$1"
}

# shows_either TEXT1 TEXT2: whether the screen shows one, set in seen.
shows_either() {
	for t in "$1" "$2"; do
		shows "$t" && { seen=$t; return 0; }
	done
	return 1
}

# wait_for TEXT [SECONDS]: polls the screen until it shows TEXT.
wait_for() {
	tmux_poll "${2:-10}" shows "$1" && return 0
	fail "timed out waiting for '$1'"
	return 1
}

# wait_gone TEXT: polls until the screen no longer shows TEXT.
wait_gone() {
	tmux_poll 10 shows_not "$1" && return 0
	fail "'$1' is still shown"
	return 1
}

# wait_either TEXT1 TEXT2: polls (at most 10 s) until the screen shows one
# of them, and sets seen to it.
wait_either() {
	seen=
	tmux_poll 10 shows_either "$1" "$2" && return 0
	fail "timed out waiting for '$1' or '$2'"
	return 1
}

# quit_console [confirm]: q (then y when there is unsaved work); the
# console must end with status 0.
quit_console() {
	keys q
	if [ -n "${1:-}" ]; then
		wait_for "Quit? (y/n)" || return
		keys y
	fi
	wait_for "crossmkt-exit=0"
}
