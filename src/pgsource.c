/* PostgreSQL as a data source: see pgsource.h.
 *
 * Every query runs asynchronously so that the cancel flag is polled while
 * the server works; a cancel sends PQcancel and waits for the server's
 * answer, so the connection ends clean. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pgsource.h"
#include "xmalloc.h"

/* Type OIDs of the server's catalogue (pg_type.dat), stable across versions. */
enum {
	PG_BOOL = 16, PG_INT8 = 20, PG_INT2 = 21, PG_INT4 = 23, PG_FLOAT4 = 700,
	PG_FLOAT8 = 701, PG_NUMERIC = 1700, PG_DATE = 1082, PG_TIMESTAMP = 1114,
	PG_TIMESTAMPTZ = 1184
};

/* Milliseconds between looks at the cancel flag while the server works. */
#define PGSOURCE_POLL_MS 50
/* Bytes gathered before a write to the temporary file. */
#define PGSOURCE_BUFFER (1u << 20)

/* A service name is a plain word; anything else is a connection string. */
static bool pgsource_is_service(const char *conninfo)
{
	return conninfo[0] != '\0' && strchr(conninfo, '=') == NULL &&
	    strncmp(conninfo, "postgres://", 11) != 0 && strncmp(conninfo, "postgresql://", 13) != 0;
}

/* The connection string libpq reads: service=NAME for a service name. */
static char *pgsource_conninfo(const char *conninfo)
{
	return pgsource_is_service(conninfo) ? xasprintf("service=%s", conninfo) : xstrdup(conninfo);
}

/* libpq's message without its final newline, prefixed. */
static char *pgsource_message(const char *prefix, const char *libpq)
{
	size_t n = strlen(libpq);

	while (n > 0 && (libpq[n - 1] == '\n' || libpq[n - 1] == ' '))
		n--;
	return xasprintf("%s: %.*s", prefix, (int)n, libpq);
}

int pgsource_check_conninfo(const char *conninfo, char **cause)
{
	char *full = pgsource_conninfo(conninfo), *err = NULL;
	PQconninfoOption *opts = PQconninfoParse(full, &err);
	bool password = false;

	free(full);
	if (opts == NULL) {
		/* libpq's message may quote the string, and so a password. */
		PQfreemem(err);
		*cause = xstrdup("pg=: not a libpq connection string or service name; give "
		    "pg=SERVICE or pg='host=H dbname=D user=U'");
		return -1;
	}
	for (PQconninfoOption *o = opts; o->keyword != NULL; o++)
		password |= strcmp(o->keyword, "password") == 0 && o->val != NULL;
	PQconninfoFree(opts);
	if (password) {
		*cause = xstrdup("pg=: the connection string carries a password, which would be "
		    "kept in sessions and history; put it in ~/.pgpass (a line "
		    "host:port:dbname:user:password, mode 0600) or a service file, and give "
		    "pg=SERVICE or the connection string without it");
		return -1;
	}
	return 0;
}

/* Sends a cancel request once the flag is set. */
static void pgsource_check_cancel(PGconn *conn, const struct pgsource_opts *opts,
    bool *cancelled)
{
	PGcancel *c;
	char buf[256];

	if (*cancelled || opts->cancel == NULL || !atomic_load(opts->cancel))
		return;
	*cancelled = true;
	if ((c = PQgetCancel(conn)) != NULL) {
		(void)PQcancel(c, buf, sizeof buf);
		PQfreeCancel(c);
	}
}

/* Waits a moment for the server and reads what it sent; -1 when the
 * connection broke. */
static int pgsource_poll(PGconn *conn, const struct pgsource_opts *opts, bool *cancelled)
{
	struct pollfd p = { .fd = PQsocket(conn), .events = POLLIN };

	pgsource_check_cancel(conn, opts, cancelled);
	if (poll(&p, 1, PGSOURCE_POLL_MS) < 0 && errno != EINTR)
		return -1;
	return PQconsumeInput(conn) ? 0 : -1;
}

/* Waits until the server's answer is in (PQisBusy false). */
static int pgsource_wait(PGconn *conn, const struct pgsource_opts *opts, bool *cancelled)
{
	while (PQisBusy(conn))
		if (pgsource_poll(conn, opts, cancelled) != 0)
			return -1;
	return 0;
}

/* The last result of the query just sent; NULL with *cause on an error. */
static PGresult *pgsource_result(PGconn *conn, const struct pgsource_opts *opts,
    bool *cancelled, const char *what, char **cause)
{
	PGresult *last = NULL, *r;

	for (;;) {
		if (pgsource_wait(conn, opts, cancelled) != 0) {
			PQclear(last);
			*cause = pgsource_message(what, PQerrorMessage(conn));
			return NULL;
		}
		if ((r = PQgetResult(conn)) == NULL)
			break;
		PQclear(last);
		last = r;
		if (PQresultStatus(r) == PGRES_COPY_OUT)
			return r;
	}
	if (*cancelled) {
		PQclear(last);
		*cause = xstrdup("cancelled");
		return NULL;
	}
	if (last == NULL || (PQresultStatus(last) != PGRES_TUPLES_OK &&
	    PQresultStatus(last) != PGRES_COMMAND_OK)) {
		*cause = pgsource_message(what, last ? PQresultErrorMessage(last) : PQerrorMessage(conn));
		PQclear(last);
		return NULL;
	}
	return last;
}

int pgsource_exec(PGconn *conn, const char *query, int n_params, const char *const *params,
    const struct pgsource_opts *opts, PGresult **res, char **cause)
{
	return pgsource_exec_typed(conn, query, n_params, NULL, params, opts, res, cause);
}

int pgsource_exec_typed(PGconn *conn, const char *query, int n_params, const unsigned *types,
    const char *const *params, const struct pgsource_opts *opts, PGresult **res,
    char **cause)
{
	bool cancelled = false;

	if (!PQsendQueryParams(conn, query, n_params, types, params, NULL, NULL, 0)) {
		*cause = pgsource_message("query failed", PQerrorMessage(conn));
		return -1;
	}
	*res = pgsource_result(conn, opts, &cancelled, "query failed", cause);
	return *res != NULL ? 0 : -1;
}

int pgsource_command(PGconn *conn, const char *sql, const struct pgsource_opts *opts,
    char **cause)
{
	PGresult *res;

	if (pgsource_exec(conn, sql, 0, NULL, opts, &res, cause) != 0)
		return -1;
	PQclear(res);
	return 0;
}

PGconn *pgsource_connect(const char *conninfo, const struct pgsource_opts *opts,
    char **cause)
{
	char *full = pgsource_conninfo(conninfo);
	const char *keys[] = { "dbname", "fallback_application_name", "connect_timeout", NULL };
	const char *vals[] = { full, "crossmkt", "10", NULL };
	PGconn *conn;

	if (pgsource_check_conninfo(conninfo, cause) != 0) {
		free(full);
		return NULL;
	}
	conn = PQconnectdbParams(keys, vals, 1);
	free(full);
	if (PQstatus(conn) != CONNECTION_OK) {
		char *prefix = xasprintf("cannot connect to pg=%s", conninfo);

		*cause = pgsource_message(prefix, PQerrorMessage(conn));
		free(prefix);
		PQfinish(conn);
		return NULL;
	}
	if (opts->readonly &&
	    pgsource_command(conn, "SET default_transaction_read_only = on", opts, cause) != 0) {
		PQfinish(conn);
		return NULL;
	}
	return conn;
}

/* The select-list item that writes column i of q the way the CSV loader
 * reads it, whatever the server's DateStyle and TimeZone. */
static char *pgsource_column_sql(PGconn *conn, const PGresult *desc, int i)
{
	char *id = PQescapeIdentifier(conn, PQfname(desc, i), strlen(PQfname(desc, i)));
	char *out;

	switch (PQftype(desc, i)) {
	case PG_BOOL:
		out = xasprintf("CASE WHEN q.%s THEN 'true' WHEN NOT q.%s THEN 'false' END AS %s",
		    id, id, id);
		break;
	case PG_DATE:
		out = xasprintf("to_char(q.%s, 'YYYY-MM-DD') AS %s", id, id);
		break;
	case PG_TIMESTAMP:
		out = xasprintf("to_char(q.%s, 'YYYY-MM-DD\"T\"HH24:MI:SS.MS') AS %s", id, id);
		break;
	case PG_TIMESTAMPTZ:
		out = xasprintf("to_char(q.%s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') "
		    "AS %s", id, id);
		break;
	default:
		out = xasprintf("q.%s", id);
	}
	PQfreemem(id);
	return out;
}

enum col_type pgsource_column_type(unsigned oid)
{
	switch (oid) {
	case PG_BOOL:
		return COL_BOOL;
	case PG_INT2:
	case PG_INT4:
	case PG_INT8:
		return COL_INT;
	case PG_FLOAT4:
	case PG_FLOAT8:
	case PG_NUMERIC:
		return COL_FLOAT;
	case PG_DATE:
		return COL_DATE;
	case PG_TIMESTAMP:
	case PG_TIMESTAMPTZ:
		return COL_DATETIME;
	default:
		return COL_TEXT;
	}
}

static bool pgsource_is_number(unsigned oid)
{
	return oid == PG_INT2 || oid == PG_INT4 || oid == PG_INT8 || oid == PG_FLOAT4 ||
	    oid == PG_FLOAT8 || oid == PG_NUMERIC;
}

static bool pgsource_is_float(unsigned oid)
{
	return oid == PG_FLOAT4 || oid == PG_FLOAT8 || oid == PG_NUMERIC;
}

/* The query's columns, without running it. */
static PGresult *pgsource_describe(PGconn *conn, const char *query, char **cause)
{
	PGresult *res = PQprepare(conn, "", query, 0, NULL);

	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		*cause = pgsource_message("query failed", PQresultErrorMessage(res));
		PQclear(res);
		return NULL;
	}
	PQclear(res);
	res = PQdescribePrepared(conn, "");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		*cause = pgsource_message("query failed", PQresultErrorMessage(res));
		PQclear(res);
		return NULL;
	}
	if (PQnfields(res) == 0) {
		*cause = xstrdup("the query returns no columns; give a SELECT");
		PQclear(res);
		return NULL;
	}
	return res;
}

/* COPY (SELECT ... FROM (query) AS q) TO STDOUT: a subquery cannot change
 * data, whatever the query says. */
static char *pgsource_copy_sql(PGconn *conn, const PGresult *desc, const char *query)
{
	size_t n = (size_t)PQnfields(desc);
	char **items = xcalloc(n, sizeof *items), *list, *out;

	for (size_t i = 0; i < n; i++)
		items[i] = pgsource_column_sql(conn, desc, (int)i);
	list = xstrjoin((const char *const *)items, n, ", ");
	out = xasprintf("COPY (SELECT %s FROM (%s) AS q) TO STDOUT (FORMAT csv, HEADER)", list,
	    query);
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
	free(list);
	return out;
}

/* The planner's row estimate, for progress; 0 when unknown. */
static unsigned long long pgsource_estimate(PGconn *conn, const char *query,
    const struct pgsource_opts *opts)
{
	char *sql = xasprintf("EXPLAIN (FORMAT JSON) SELECT * FROM (%s) AS q", query), *cause = NULL;
	unsigned long long rows = 0;
	PGresult *res;

	if (pgsource_exec(conn, sql, 0, NULL, opts, &res, &cause) == 0) {
		const char *s = PQntuples(res) > 0 ? strstr(PQgetvalue(res, 0, 0), "\"Plan Rows\":") : NULL;

		if (s != NULL)
			rows = strtoull(s + 12, NULL, 10);
		PQclear(res);
	}
	free(cause);
	free(sql);
	return rows;
}

/* A file that disappears when closed, for the rows in transit. */
static int pgsource_tmpfile(char **cause)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	path = xasprintf("%s/crossmkt-pg.XXXXXX", dir);
	fd = mkstemp(path);
	if (fd >= 0)
		unlink(path);
	else
		*cause = xasprintf("%s: cannot make a temporary file: %s", dir, strerror(errno));
	free(path);
	return fd;
}

static int pgsource_write(int fd, const char *buf, size_t n, char **cause)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			*cause = xasprintf("temporary file: cannot write: %s", strerror(errno));
			return -1;
		}
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Rows of a COPY in progress, gathered and written to fd. */
struct pgsource_copy {
	PGconn *conn;
	const struct pgsource_opts *opts;
	const struct csvload_opts *copts;
	int fd;
	char *buf;
	size_t len;
	unsigned long long rows, estimate;
};

static void pgsource_progress(const struct pgsource_copy *cp)
{
	unsigned long long total = cp->estimate > cp->rows ? cp->estimate : cp->rows + 1;

	if (cp->copts->progress != NULL && cp->rows % 4096 == 0)
		cp->copts->progress(cp->copts->progress_arg, cp->rows, total);
}

static int pgsource_take(struct pgsource_copy *cp, const char *row, int n, char **cause)
{
	if (cp->len + (size_t)n > PGSOURCE_BUFFER) {
		if (pgsource_write(cp->fd, cp->buf, cp->len, cause) != 0)
			return -1;
		cp->len = 0;
	}
	memcpy(cp->buf + cp->len, row, (size_t)n);
	cp->len += (size_t)n;
	cp->rows++;
	pgsource_progress(cp);
	return 0;
}

/* Reads the COPY stream into cp->fd. */
static int pgsource_copy_rows(struct pgsource_copy *cp, char **cause)
{
	bool cancelled = false;
	PGresult *res;
	char *row;
	int n;

	while ((n = PQgetCopyData(cp->conn, &row, 1)) != -1) {
		if (n > 0) {
			int rc = pgsource_take(cp, row, n, cause);

			PQfreemem(row);
			if (rc != 0)
				return -1;
		} else if (n == -2 || pgsource_poll(cp->conn, cp->opts, &cancelled) != 0) {
			*cause = pgsource_message("the server stopped sending rows",
			    PQerrorMessage(cp->conn));
			return -1;
		}
	}
	if (pgsource_write(cp->fd, cp->buf, cp->len, cause) != 0)
		return -1;
	res = pgsource_result(cp->conn, cp->opts, &cancelled, "query failed", cause);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* Streams the COPY of query into a temporary file; its descriptor. */
static int pgsource_copy(PGconn *conn, const PGresult *desc, const char *query,
    const struct pgsource_opts *opts, const struct csvload_opts *copts, char **cause)
{
	struct pgsource_copy cp = { .conn = conn, .opts = opts, .copts = copts, .fd = -1 };
	char *sql = pgsource_copy_sql(conn, desc, query);
	bool cancelled = false;
	PGresult *res = NULL;
	int rc = -1;

	cp.estimate = pgsource_estimate(conn, query, opts);
	if (!PQsendQuery(conn, sql))
		*cause = pgsource_message("query failed", PQerrorMessage(conn));
	else if ((res = pgsource_result(conn, opts, &cancelled, "query failed", cause)) != NULL &&
	    (cp.fd = pgsource_tmpfile(cause)) >= 0) {
		cp.buf = xmalloc(PGSOURCE_BUFFER);
		rc = pgsource_copy_rows(&cp, cause);
		free(cp.buf);
	}
	PQclear(res);
	free(sql);
	if (rc != 0 && cp.fd >= 0) {
		close(cp.fd);
		cp.fd = -1;
	}
	return cp.fd;
}

/* Columns the server types as numeric or float but whose values all
 * happened to be whole are floats all the same. */
static void pgsource_floats(struct table *t, const PGresult *desc)
{
	for (int i = 0; i < PQnfields(desc); i++) {
		struct column *c = &t->cols[i];

		if (!pgsource_is_float(PQftype(desc, i)) || c->type != COL_INT)
			continue;
		for (size_t r = 0; r < t->n_rows; r++)
			c->v.f64[r] = (double)c->v.i64[r];
		c->type = COL_FLOAT;
	}
}

/* Names of the columns that are text to the server (not number, date,
 * time or boolean), which the loader must not type. */
static char **pgsource_text_columns(const PGresult *desc, size_t *n)
{
	char **names = xcalloc((size_t)PQnfields(desc), sizeof *names);

	*n = 0;
	for (int i = 0; i < PQnfields(desc); i++) {
		unsigned oid = PQftype(desc, i);

		if (!pgsource_is_number(oid) && oid != PG_BOOL && oid != PG_DATE &&
		    oid != PG_TIMESTAMP && oid != PG_TIMESTAMPTZ)
			names[(*n)++] = PQfname(desc, i);
	}
	return names;
}

/* "query 'SELECT ...'" for messages, the query cut at 60 bytes. */
static char *pgsource_label(const char *query)
{
	size_t n = strlen(query);

	return n <= 60 ? xasprintf("query '%s'", query) : xasprintf("query '%.57s...'", query);
}

int pgsource_load(const char *conninfo, const char *query, const char *name,
    const struct pgsource_opts *popts, const struct csvload_opts *copts, struct table **out,
    char **cause)
{
	PGconn *conn = pgsource_connect(conninfo, popts, cause);
	struct csvload_opts lo = *copts;
	PGresult *desc;
	char *label;
	int fd, rc = -1;

	*out = NULL;
	if (conn == NULL)
		return -1;
	if ((desc = pgsource_describe(conn, query, cause)) == NULL) {
		PQfinish(conn);
		return -1;
	}
	fd = pgsource_copy(conn, desc, query, popts, copts, cause);
	if (fd >= 0) {
		char **text = pgsource_text_columns(desc, &lo.n_text);

		lo.text = (const char *const *)text;
		lo.progress = NULL;
		label = pgsource_label(query);
		rc = csvload_fd(fd, label, name, &lo, out, cause);
		if (rc == 0)
			pgsource_floats(*out, desc);
		free(label);
		free(text);
		close(fd);
	}
	PQclear(desc);
	PQfinish(conn);
	return rc;
}
