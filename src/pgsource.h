/* PostgreSQL as a data source, through libpq: connections that carry no
 * password, query results loaded as tables through the CSV loader, and
 * queries whose few result rows the caller reads itself.
 *
 * CONNINFO is a libpq service name (a word without '=') or a connection
 * string ("host=... dbname=..." or a postgresql:// URI). Passwords come
 * only from libpq's own files and variables (~/.pgpass, the service file,
 * PGPASSWORD...): a CONNINFO that carries one is refused, so that it never
 * reaches a session file, the history, a report or a message.
 *
 * Functions returning int give 0, or -1 with *cause set to a message the
 * caller frees. */
#ifndef CROSSMKT_PGSOURCE_H
#define CROSSMKT_PGSOURCE_H

#include <stdatomic.h>
#include <stdbool.h>

#include <libpq-fe.h>

#include "csvload.h"
#include "table.h"

/* How a connection is made. */
struct pgsource_opts {
	bool readonly;          /* default_transaction_read_only = on */
	/* Polled while the server works; when it becomes true the query is
	 * cancelled (PQcancel) and the call fails with "cancelled". */
	const atomic_bool *cancel;
};

/* 0 when conninfo carries no password and parses; else -1 with *cause
 * saying how to give the password instead. */
int pgsource_check_conninfo(const char *conninfo, char **cause);

/* Connects; the connection is the caller's (PQfinish). */
PGconn *pgsource_connect(const char *conninfo, const struct pgsource_opts *opts,
    char **cause);

/* The table's type for a server type (text for those without one). */
enum col_type pgsource_column_type(unsigned oid);

/* Runs query with its parameters (text values, NULL for SQL NULL) while
 * polling opts->cancel; *res (the caller's, PQclear) holds the tuples. */
int pgsource_exec(PGconn *conn, const char *query, int n_params, const char *const *params,
    const struct pgsource_opts *opts, PGresult **res, char **cause);
/* The same with the parameters' type OIDs. */
int pgsource_exec_typed(PGconn *conn, const char *query, int n_params, const unsigned *types,
    const char *const *params, const struct pgsource_opts *opts, PGresult **res,
    char **cause);
/* Runs a statement that returns nothing to read (SET, START TRANSACTION). */
int pgsource_command(PGconn *conn, const char *sql, const struct pgsource_opts *opts,
    char **cause);

/* Loads the rows of query as the table name (the caller's): the server
 * streams them with COPY ... (FORMAT csv, HEADER) into a temporary file that
 * the CSV loader reads. The server's column types decide where it has them
 * (integer, numeric and float, date, timestamp[tz], boolean, text); the
 * loader's progress callback counts rows against the planner's estimate. */
int pgsource_load(const char *conninfo, const char *query, const char *name,
    const struct pgsource_opts *popts, const struct csvload_opts *copts, struct table **out,
    char **cause);

#endif
