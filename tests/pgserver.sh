# Sourced by tests and benchmarks that need PostgreSQL: pg_start starts a
# throwaway server (initdb in a scratch directory, a Unix socket there, no
# TCP) as an unprivileged user; the caller stops it with pg_stop (in its
# exit trap, so that a failure stops it too). Sets PGHOST (the socket directory) and PG (a connection string
# for crossmkt's pg=). Returns 77 when no server can be started.
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}

# pg_as CMD...: runs CMD as the server's owner (postgres when we are root).
pg_as() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_start() {
	[ -x "$PGBIN/initdb" ] || { echo "SKIP: no PostgreSQL server (apt-get install postgresql)"; return 77; }
	if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
		echo "SKIP: no 'postgres' user to run the server as"
		return 77
	fi
	pgdir=$(mktemp -d "${TMPDIR:-/tmp}/crossmkt-pg.XXXXXX")
	chmod 755 "$pgdir"
	[ "$(id -u)" = 0 ] && chown postgres "$pgdir"
	pg_as "$PGBIN/initdb" -D "$pgdir/data" -A trust -U postgres -E UTF8 --locale=C \
	    > "$pgdir/initdb.log" 2>&1 || { cat "$pgdir/initdb.log"; return 1; }
	pg_as "$PGBIN/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 60 \
	    -o "-k $pgdir -c listen_addresses='' -c fsync=off" start > /dev/null ||
	    { cat "$pgdir/server.log"; return 1; }
	PGHOST=$pgdir
	PG="host=$pgdir user=postgres dbname=postgres"
	export PGHOST
}

pg_stop() {
	[ -n "${pgdir:-}" ] || return 0
	pg_as "$PGBIN/pg_ctl" -D "$pgdir/data" -m immediate -w stop > /dev/null 2>&1
	rm -rf "$pgdir"
	pgdir=
}

# psql as the superuser on the throwaway server, quiet, stopping at errors.
pg_sql() {
	psql -X -q -v ON_ERROR_STOP=1 -h "$PGHOST" -U postgres -d postgres "$@"
}
