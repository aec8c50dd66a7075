/* Campaign statistics computed by PostgreSQL: per test, one query that
 * returns each arm's (and by= group's) sufficient statistics, the same
 * numbers campaign-events.c and the one-row-per-user path compute from a
 * loaded dataset (see campaign.h for the rules); for events, a short query
 * for the arm values first, in the same snapshot.
 *
 * Standard SQL only (CTEs, FILTER, UNION ALL, VALUES, FETCH FIRST), so that
 * PostgreSQL-compatible engines run it. Identifiers are quoted by libpq
 * and every value is a parameter: names in a definition cannot inject SQL.
 * Times become epoch milliseconds; a local day is the UTC day shifted by
 * tz= (a fixed offset: a timestamptz keeps no per-row offset). Sums are
 * exact numerics on the server; the client reads them as decimal text. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign-impl.h"
#include "datetime.h"
#include "expr.h"
#include "pgsource.h"
#include "xmalloc.h"

/* The parameters of the query, in this order ($1 ... $10), then the arm
 * values ($11 ...). */
enum { P_NAME, P_WINDOW, P_PRE, P_TZ, P_START_DAY, P_START_MS, P_END_DAY, P_END_MS, P_DAY_N,
	P_OWN, P_COUNT };

/* Rows read for the arm values before the one pass: the first of the
 * exposing rows. An arm they miss sends the pass back once with all. */
#define CAMPAIGN_SQL_SAMPLE 100000
#define CAMPAIGN_SQL_STR(n) CAMPAIGN_SQL_STR_(n)
#define CAMPAIGN_SQL_STR_(n) #n

/* What the query needs: quoted identifiers (or NULL) and SQL pieces. */
struct campaign_sql {
	PGconn *conn;
	const struct campaign *c;
	char *src;              /* FROM item: a quoted table or (query) */
	char *user, *time, *arm, *event, *amount, *camp, *metric, *covariate, *by;
	char *target;           /* SQL boolean expression, or NULL */
	struct table *shape;    /* the source's columns, no rows: roles, target= */
	char **arms;            /* events: the arm values the pass codes */
	size_t n_arms;
	bool own;               /* events: some row names this campaign */
};

static char *campaign_sql_ident(PGconn *conn, const char *name)
{
	char *q = PQescapeIdentifier(conn, name, strlen(name)), *out = xstrdup(q);

	PQfreemem(q);
	return out;
}

static void campaign_sql_free_arms(struct campaign_sql *q)
{
	for (size_t i = 0; i < q->n_arms; i++)
		free(q->arms[i]);
	free(q->arms);
	q->arms = NULL;
	q->n_arms = 0;
}

static void campaign_sql_done(struct campaign_sql *q)
{
	char **s[] = { &q->src, &q->user, &q->time, &q->arm, &q->event, &q->amount, &q->camp,
		&q->metric, &q->covariate, &q->by, &q->target };

	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		free(*s[i]);
	table_free(q->shape);
	campaign_sql_free_arms(q);
}

/* A table of the source's column names and types, without rows. */
static int campaign_sql_shape(struct campaign_sql *q, const struct pgsource_opts *opts,
    char **cause)
{
	char *sql = xasprintf("SELECT * FROM %s AS s WHERE 1 = 0", q->src);
	PGresult *res;
	int rc = pgsource_exec(q->conn, sql, 0, NULL, opts, &res, cause);

	free(sql);
	if (rc != 0)
		return -1;
	q->shape = table_new(q->c->name, NULL);
	q->shape->n_cols = (size_t)PQnfields(res);
	q->shape->cols = xcalloc(q->shape->n_cols + 1, sizeof *q->shape->cols);
	for (size_t j = 0; j < q->shape->n_cols; j++) {
		struct column *col = &q->shape->cols[j];

		col->name = xstrdup(PQfname(res, (int)j));
		col->type = pgsource_column_type(PQftype(res, (int)j));
		col->v.raw = xmalloc(8);
		if (col_type_string(col->type))
			col->dict = dict_new();
	}
	PQclear(res);
	table_infer_roles(q->shape);
	return 0;
}

/* The column for a role: the definition's override, or the inferred one. */
static int campaign_sql_role(struct campaign_sql *q, enum col_role role, const char *given,
    bool need, char **out, char **cause)
{
	int col = given ? table_find_column(q->shape, given) : q->shape->roles[role];

	*out = NULL;
	if (given != NULL && col < 0) {
		*cause = xasprintf("%s=%s: the source has no column '%s'", col_role_name(role), given,
		    given);
		return -1;
	}
	if (col < 0 && need) {
		*cause = xasprintf("the source has no %s column: give %s=COLUMN",
		    col_role_name(role), col_role_name(role));
		return -1;
	}
	if (col >= 0)
		*out = campaign_sql_ident(q->conn, q->shape->cols[col].name);
	return 0;
}

static int campaign_sql_column(struct campaign_sql *q, const char *key, const char *name,
    char **out, char **cause)
{
	*out = NULL;
	if (name == NULL)
		return 0;
	if (table_find_column(q->shape, name) < 0) {
		*cause = xasprintf("%s=%s: the source has no column '%s'", key, name, name);
		return -1;
	}
	*out = campaign_sql_ident(q->conn, name);
	return 0;
}

/* Resolves every column the definition names. */
static int campaign_sql_columns(struct campaign_sql *q, const char *by, char **cause)
{
	const struct campaign *c = q->c;
	bool events = c->kind != CAMPAIGN_COLUMN;

	if (campaign_sql_role(q, ROLE_USER, c->roles[ROLE_USER], events, &q->user, cause) ||
	    campaign_sql_role(q, ROLE_TIME, c->roles[ROLE_TIME], events, &q->time, cause) ||
	    campaign_sql_role(q, ROLE_ARM, c->arm, true, &q->arm, cause) ||
	    campaign_sql_role(q, ROLE_EVENT, c->roles[ROLE_EVENT],
		c->kind == CAMPAIGN_CONVERSION || c->kind == CAMPAIGN_CTR, &q->event, cause) ||
	    campaign_sql_role(q, ROLE_AMOUNT, c->roles[ROLE_AMOUNT], c->kind == CAMPAIGN_REVENUE,
		&q->amount, cause) ||
	    campaign_sql_role(q, ROLE_CAMPAIGN, c->roles[ROLE_CAMPAIGN], false, &q->camp, cause) ||
	    campaign_sql_column(q, "metric", c->metric_col, &q->metric, cause) ||
	    campaign_sql_column(q, "covariate", c->covariate, &q->covariate, cause) ||
	    campaign_sql_column(q, "by", by, &q->by, cause))
		return -1;
	if (c->target != NULL && (q->target = expr_sql(c->target, q->shape, q->conn, cause)) == NULL)
		return -1;
	return 0;
}

/* A column as a number for sums: booleans as 0 and 1. */
static char *campaign_sql_number(const struct campaign_sql *q, const char *ident,
    const char *name)
{
	int col = name ? table_find_column(q->shape, name) : -1;

	if (col >= 0 && q->shape->cols[col].type == COL_BOOL)
		return xasprintf("CASE WHEN %s THEN 1 WHEN NOT %s THEN 0 END", ident, ident);
	return xasprintf("CAST(%s AS numeric)", ident);
}

/* The local day of a time ($4: the offset in ms; the session is in UTC). */
#define CAMPAIGN_SQL_DAY(t) "CAST(" t " + $4 * INTERVAL '1' SECOND / 1000 AS date)"

/* Each head below defines, for the common tail:
 *   arms(a)       the arm values of the exposing rows;
 *   parts(a, g, n, c, sy, syy, sx, sxx, sxy)
 *                 sums over units (several rows may share a cell: they add);
 *   lo(k, outside, untargeted, too_recent, missing, nonbinary, unknown)
 *                 one row of left-out counts.
 * The tail adds the parts per arm and per by= group and gives the sums
 * about the rounded means s and t too, from the exact raw sums. */
#define CAMPAIGN_SQL_SUMS(from) \
    "SUM(n) AS n, SUM(c) AS c, SUM(sy) AS sy, SUM(syy) AS syy, SUM(sx) AS sx, " \
    "SUM(sxx) AS sxx, SUM(sxy) AS sxy FROM " from " "

/* Rows of (kind, a, g, n, conv, sy, syy, sx, sxx, sxy, s, t, cy, cyy, cx,
 * cxx, cxy): 'cell' per arm (g NULL) and per arm and group, 'arm' per arm
 * value, one 'left'. */
#define CAMPAIGN_SQL_TAIL \
    "cells AS (SELECT a, g, " CAMPAIGN_SQL_SUMS("parts") "GROUP BY a, g), " \
    "sums AS (SELECT a, CAST(NULL AS text) AS g, " CAMPAIGN_SQL_SUMS("cells") "GROUP BY a " \
    "UNION ALL SELECT * FROM cells WHERE g IS NOT NULL), " \
    "sh AS (SELECT sums.*, ROUND(sy / n) AS s, ROUND(sx / n) AS t FROM sums) " \
    "SELECT 'cell' AS kind, a, g, n, c, sy, syy, sx, sxx, sxy, s, t, sy - n * s, " \
    "syy - 2 * s * sy + n * s * s, sx - n * t, sxx - 2 * t * sx + n * t * t, " \
    "sxy - t * sy - s * sx + n * t * s FROM sh " \
    "UNION ALL SELECT 'arm', a, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, " \
    "NULL, NULL, NULL, NULL, NULL FROM arms " \
    "UNION ALL SELECT 'left', NULL, NULL, k, outside, untargeted, too_recent, missing, " \
    "nonbinary, unknown, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM lo"

/* The column of the 'left' row counting users exposed on an arm value
 * the query was not given (events: the pass runs again with all). */
#define CAMPAIGN_SQL_UNKNOWN 9

/* The left-out counts by status, from the units "st" (count COUNT(*)) or
 * from their counts by status "ss" (count SUM(n)). */
#define CAMPAIGN_SQL_LEFT(count, from, k, nonbinary, unknown) \
    "lo AS (SELECT " k " AS k, " count " FILTER (WHERE status = 'outside') AS outside, " \
    count " FILTER (WHERE status = 'untargeted') AS untargeted, " \
    count " FILTER (WHERE status = 'too_recent') AS too_recent, " \
    count " FILTER (WHERE status = 'missing') AS missing, " nonbinary " AS nonbinary, " \
    unknown " AS unknown FROM " from "), "

/* The status of an exposure outside start= / end=, when they are given. */
static char *campaign_sql_outside(const struct campaign *c)
{
	const char *day = CAMPAIGN_SQL_DAY("t0");
	char *start = c->start.kind == CAMPAIGN_BOUND_DATE ? xasprintf("%s < $5", day) :
	    c->start.kind == CAMPAIGN_BOUND_TIME ? xstrdup("t0 < $6") : NULL;
	char *end = c->end.kind == CAMPAIGN_BOUND_DATE ? xasprintf("%s > $7", day) :
	    c->end.kind == CAMPAIGN_BOUND_TIME ? xstrdup("t0 >= $8") : NULL;
	char *out = start == NULL && end == NULL ? xstrdup("") :
	    xasprintf("WHEN %s%s%s THEN 'outside' ", start ? start : "", start && end ? " OR " : "",
	    end ? end : "");

	free(start);
	free(end);
	return out;
}

/* The rows that expose (of the source "s"): a user, a time and an arm, and
 * with a campaign column, naming this campaign when any row does (own, a
 * boolean SQL expression). */
static char *campaign_sql_exposing(const struct campaign_sql *q, const char *own)
{
	char *names = q->camp ? xasprintf(" AND (NOT %s OR CAST(%s AS text) = $1)", own, q->camp) :
	    xstrdup("");
	char *out = xasprintf("%s IS NOT NULL AND %s IS NOT NULL AND %s IS NOT NULL%s", q->user,
	    q->time, q->arm, names);

	free(names);
	return out;
}

/* The arm values of the exposing rows (the first CAMPAIGN_SQL_SAMPLE of
 * them when sample), after a row telling whether any row names this
 * campaign. */
static char *campaign_sql_arms_query(const struct campaign_sql *q, bool sample)
{
	char *exposing = campaign_sql_exposing(q, "(SELECT h FROM ho)");
	char *own = q->camp ? xasprintf("CAST(%s AS text) = $1", q->camp) : xstrdup("FALSE");
	char *out = xasprintf("WITH ho AS (SELECT EXISTS (SELECT 1 FROM %s AS s WHERE %s) AS h) "
	    "SELECT h, CAST(NULL AS text) FROM ho UNION ALL SELECT NULL, a FROM (SELECT DISTINCT a "
	    "FROM (SELECT CAST(%s AS text) AS a FROM %s AS s WHERE %s%s) AS r) AS d", q->src, own,
	    q->arm, q->src, exposing,
	    sample ? " FETCH FIRST " CAMPAIGN_SQL_STR(CAMPAIGN_SQL_SAMPLE) " ROWS ONLY" : "");

	free(exposing);
	free(own);
	return out;
}

/* CASE over the arm values: "CASE expr WHEN $11 THEN 0 ... ELSE other END"
 * with codes (to_code) or the other way round. */
static char *campaign_sql_codes(const struct campaign_sql *q, const char *expr, bool to_code,
    const char *other)
{
	char **when, *list, *out;

	if (q->n_arms == 0)
		return xstrdup(other);
	when = xcalloc(q->n_arms, sizeof *when);
	for (size_t i = 0; i < q->n_arms; i++)
		when[i] = to_code ? xasprintf("WHEN $%zu THEN %zu", P_COUNT + 1 + i, i) :
		    xasprintf("WHEN %zu THEN $%zu", i, P_COUNT + 1 + i);
	list = xstrjoin((const char *const *)when, q->n_arms, " ");
	out = xasprintf("CASE %s %s ELSE %s END", expr, list, other);
	for (size_t i = 0; i < q->n_arms; i++)
		free(when[i]);
	free(when);
	free(list);
	return out;
}

/* Events. The one pass over every row groups the exposing rows by user
 * (a hash, no sort), the arm coded by the values found beforehand so that
 * the smallest and largest code tell the contaminated; text MIN and MAX
 * per row cost more than the grouping. A user on a value outside the
 * codes is "unknown": the pass runs again with all the values. A second
 * pass reads only the rows that can hold outcomes, joined to the users'
 * exposures. The exposure row's attributes (by=, covariate=) take one
 * more pass when asked for, the smallest value when two rows tie at the
 * instant. No step filters the users before a join: the planner
 * cannot estimate such a filter on a computed table, and a wrong guess
 * makes a nested loop over every user. */
static char *campaign_sql_events(const struct campaign_sql *q)
{
	const struct campaign *c = q->c;
	/* by= and covariate= need the exposure row itself; target= only
	 * whether the rows at that instant match, which the users' pass finds
	 * (the first instant with a row matching, and with one failing). */
	bool attrs = q->by || q->covariate, retention = c->kind == CAMPAIGN_RETENTION;
	bool tg = !attrs && q->target;
	char *tg_row = tg ? xasprintf(", %s AS tg", q->target) : xstrdup("");
	bool xo = c->pre || c->kind == CAMPAIGN_CTR;  /* x comes with the outcomes */
	char *ev = q->event ? xasprintf("CAST(%s AS text)", q->event) : xstrdup("'purchase'");
	char *exposing = campaign_sql_exposing(q, "$10");
	char *arm = xasprintf("CAST(%s AS text)", q->arm);
	char *code = campaign_sql_codes(q, arm, true, "-1");
	char *name = campaign_sql_codes(q, "k1", false, "CAST(NULL AS text)");
	char **values = xcalloc(q->n_arms + 2, sizeof *values);
	char *amount = q->amount ? xasprintf("CAST(%s AS numeric)", q->amount) :
	    xstrdup("CAST(NULL AS numeric)");
	const char *in = "r.t >= st.t0 AND r.t < st.t_end", *pre = "r.t < st.t0 AND r.t >= st.t_pre";
	const char *conv = "r.e IN ('purchase', 'redeem')";
	const char *p1, *p2;
	/* Read twice, "us" is computed once: inside the attributes' join, each
	 * parallel worker would compute it again. */
	const char *unknown = attrs ? "(SELECT COUNT(*) FROM us WHERE k1 < 0)" :
	    "SUM(n) FILTER (WHERE status = 'unknown')";
	char *y, *xp, *units, *recent, *outside, *list, *out;
	/* The only rows an outcome can come from: for conversion and revenue,
	 * the purchases and redeems, a few of the events. */
	const char *outcome = retention ? "TRUE" :
	    c->kind == CAMPAIGN_CTR ? "r.e IN ('view', 'click')" : conv;

	switch (c->kind) {
	case CAMPAIGN_REVENUE:
		y = xasprintf("SUM(CASE WHEN %s AND %s AND r.m IS NOT NULL THEN r.m ELSE 0 END)", conv, in);
		xp = c->pre ? xasprintf("SUM(CASE WHEN %s AND %s AND r.m IS NOT NULL THEN r.m "
		    "ELSE 0 END)", conv, pre) : xstrdup("0");
		break;
	case CAMPAIGN_CTR:
		y = xasprintf("SUM(CASE WHEN %s AND r.e = 'click' THEN 1 ELSE 0 END)", in);
		xp = xasprintf("SUM(CASE WHEN %s AND r.e = 'view' THEN 1 ELSE 0 END)", in);
		break;
	case CAMPAIGN_RETENTION:
		y = xstrdup("MAX(CASE WHEN " CAMPAIGN_SQL_DAY("r.t") " - st.day0 = $9 THEN 1 ELSE 0 END)");
		xp = xstrdup("0");
		break;
	default:
		y = xasprintf("MAX(CASE WHEN %s AND %s THEN 1 ELSE 0 END)", conv, in);
		xp = c->pre ? xasprintf("MAX(CASE WHEN %s AND %s THEN 1 ELSE 0 END)", conv, pre) :
		    xstrdup("0");
	}
	if (attrs) {
		char *by = q->by ? xasprintf("CAST(%s AS text)", q->by) : xstrdup("CAST(NULL AS text)");
		char *cov = q->covariate ? campaign_sql_number(q, q->covariate, c->covariate) :
		    xstrdup("CAST(NULL AS numeric)");

		units = xasprintf("at AS (SELECT us.u, MIN(us.t0) AS t0, MIN(us.k1) AS k1, "
		    "MIN(us.k2) AS k2, MIN(r.g) AS g, MIN(r.x) AS x, BOOL_AND(r.tg) AS tg FROM us "
		    "JOIN (SELECT CAST(%s AS text) AS u, CAST(%s AS timestamp with time zone) AS t, "
		    "%s AS g, %s AS x, %s AS tg FROM %s AS s WHERE %s) AS r "
		    "ON r.u = us.u AND r.t = us.t0 GROUP BY us.u), ", q->user, q->time, by, cov,
		    q->target ? q->target : "TRUE", q->src, exposing);
		free(by);
		free(cov);
	} else {
		/* As BOOL_AND over the rows at the instant: a failing row fails,
		 * rows of unknown match alone leave it unknown. */
		units = xasprintf("at AS (SELECT u, t0, k1, k2, CAST(NULL AS text) AS g, "
		    "CAST(NULL AS numeric) AS x, %s AS tg FROM us), ", tg ?
		    "CASE WHEN tf = t0 THEN FALSE WHEN tt = t0 THEN TRUE END" : "TRUE");
	}
	outside = campaign_sql_outside(c);
	recent = retention ? xasprintf("WHEN (SELECT MAX(" CAMPAIGN_SQL_DAY("CAST(%s AS timestamp "
	    "with time zone)") ") FROM %s AS s) - " CAMPAIGN_SQL_DAY("t0") " < $9 "
	    "THEN 'too_recent' ", q->time, q->src) : xstrdup("");
	/* The units' sums of x come from "st" for covariate=, with the outcomes
	 * for pre= and ctr. */
	p1 = q->covariate ? "SUM(x) AS sx, SUM(x * x) AS sxx" : "0 AS sx, 0 AS sxx";
	p2 = q->covariate ? "0, 0, SUM(x * y)" : xo ? "SUM(xp), SUM(xp * xp), SUM(xp * y)" :
	    "0, 0, 0";
	/* A list of none is no list: the NULL row keeps the VALUES valid. */
	values[0] = xstrdup("(CAST(NULL AS text))");
	for (size_t i = 0; i < q->n_arms; i++)
		values[i + 1] = xasprintf("($%zu)", P_COUNT + 1 + i);
	list = xstrjoin((const char *const *)values, q->n_arms + 1, ", ");
	out = xasprintf(
	    "WITH us AS (SELECT u, MIN(t) AS t0, MIN(k) AS k1, MAX(k) AS k2%s FROM (SELECT "
	    "CAST(%s AS text) AS u, %s AS k, CAST(%s AS timestamp with time zone) AS t%s FROM %s AS s "
	    "WHERE %s) AS r GROUP BY u), "
	    "arms AS (SELECT a FROM (VALUES %s) AS v(a) WHERE a IS NOT NULL), "
	    "%s"
	    "st AS (SELECT u, t0, %s AS day0, %s AS a, g, x, "
	    "t0 + $2 * INTERVAL '1' SECOND / 1000 AS t_end, %s AS t_pre, "
	    "CASE WHEN k1 < 0 THEN 'unknown' WHEN k1 <> k2 THEN 'contaminated' "
	    "WHEN tg IS NOT TRUE THEN 'untargeted' %s%sWHEN %s AND x IS NULL THEN 'missing' "
	    "ELSE 'in' END AS status FROM at), "
	    "ss AS (SELECT status, a, g, COUNT(*) AS n, %s FROM st GROUP BY status, a, g), "
	    "o AS (SELECT MIN(st.status) AS status, MIN(st.a) AS a, MIN(st.g) AS g, "
	    "MIN(st.x) AS x, %s AS y, %s AS xp FROM st JOIN (SELECT CAST(%s AS text) AS u, "
	    "CAST(%s AS timestamp with time zone) AS t, %s AS e, %s AS m FROM %s AS s) AS r "
	    "ON r.u = st.u WHERE r.t IS NOT NULL AND %s GROUP BY st.u), "
	    "parts AS (SELECT a, g, n, 0 AS c, 0 AS sy, 0 AS syy, sx, sxx, 0 AS sxy FROM ss "
	    "WHERE status = 'in' UNION ALL SELECT a, g, 0, COUNT(*) FILTER (WHERE y <> 0), SUM(y), "
	    "SUM(y * y), %s FROM o WHERE status = 'in' GROUP BY a, g), "
	    CAMPAIGN_SQL_LEFT("SUM(n)", "ss", "SUM(n) FILTER (WHERE status = 'contaminated')",
	    "CAST(NULL AS bigint)", "%s"),
	    tg ? ", MIN(t) FILTER (WHERE tg) AS tt, MIN(t) FILTER (WHERE NOT tg) AS tf" : "",
	    q->user, code, q->time, tg_row, q->src, exposing, list, units,
	    retention ? CAMPAIGN_SQL_DAY("t0") : "CAST(NULL AS date)", name,
	    c->pre ? "t0 - $3 * INTERVAL '1' SECOND / 1000" : "CAST(NULL AS timestamp with time zone)",
	    outside, recent, q->covariate ? "TRUE" : "FALSE", p1, y, xp, q->user, q->time, ev,
	    amount, q->src, outcome, p2, unknown);
	for (size_t i = 0; i < q->n_arms + 1; i++)
		free(values[i]);
	free(values);
	free(list);
	free(ev);
	free(exposing);
	free(arm);
	free(code);
	free(name);
	free(amount);
	free(y);
	free(xp);
	free(units);
	free(recent);
	free(outside);
	free(tg_row);
	return out;
}

/* One row per user (metric=column:COL): every row with an arm is a unit. */
static char *campaign_sql_rows(const struct campaign_sql *q)
{
	const struct campaign *c = q->c;
	char *y = campaign_sql_number(q, q->metric, c->metric_col);
	char *by = q->by ? xasprintf("CAST(%s AS text)", q->by) : xstrdup("CAST(NULL AS text)");
	char *cov = q->covariate ? campaign_sql_number(q, q->covariate, c->covariate) :
	    xstrdup("CAST(0 AS numeric)");
	char *out = xasprintf(
	    "WITH r AS (SELECT CAST(%s AS text) AS a, %s AS y, %s AS x, %s AS g, %s AS tg "
	    "FROM %s AS s), "
	    "arms AS (SELECT DISTINCT a FROM r WHERE a IS NOT NULL), "
	    "st AS (SELECT r.*, CASE WHEN tg IS NOT TRUE THEN 'untargeted' "
	    "WHEN a IS NOT NULL AND (y IS NULL OR x IS NULL) THEN 'missing' ELSE 'in' END "
	    "AS status FROM r), "
	    "parts AS (SELECT a, g, COUNT(*) AS n, COUNT(*) FILTER (WHERE y <> 0) AS c, "
	    "SUM(y) AS sy, SUM(y * y) AS syy, SUM(x) AS sx, SUM(x * x) AS sxx, SUM(x * y) AS sxy "
	    "FROM st WHERE status = 'in' AND a IS NOT NULL GROUP BY a, g), "
	    CAMPAIGN_SQL_LEFT("COUNT(*)", "st", "0", "COUNT(*) FILTER (WHERE status = 'in' AND "
	    "a IS NOT NULL AND y NOT IN (0, 1))", "0"),
	    q->arm, y, cov, by, q->target ? q->target : "TRUE", q->src);

	free(y);
	free(by);
	free(cov);
	return out;
}

/* The whole query: the units, then the sums. */
static char *campaign_sql_query(const struct campaign_sql *q)
{
	char *head = q->c->kind == CAMPAIGN_COLUMN ? campaign_sql_rows(q) : campaign_sql_events(q);
	char *out = xasprintf("%s" CAMPAIGN_SQL_TAIL, head);

	free(head);
	return out;
}

/* FROM item: a table (schema.table allowed) or the query as a subquery. */
static char *campaign_sql_source(PGconn *conn, const struct campaign *c)
{
	const char *dot;
	char *schema, *table, *out;

	if (c->pg_query != NULL)
		return xasprintf("(%s)", c->pg_query);
	if ((dot = strchr(c->pg_table, '.')) == NULL)
		return campaign_sql_ident(conn, c->pg_table);
	schema = xstrndup(c->pg_table, (size_t)(dot - c->pg_table));
	table = xstrdup(dot + 1);
	out = campaign_sql_ident(conn, schema);
	free(schema);
	schema = campaign_sql_ident(conn, table);
	free(table);
	table = xasprintf("%s.%s", out, schema);
	free(out);
	free(schema);
	return table;
}

/* Arguments that need rows in memory. */
static int campaign_sql_check(const struct campaign *c, char **cause)
{
	if (c->users != NULL) {
		*cause = xstrdup("users= joins a loaded dataset; with pg= join in the query instead");
		return -1;
	}
	if (c->has_cap) {
		*cause = xstrdup("cap= is not computed in the database; leave it out with pg=");
		return -1;
	}
	if (c->kind == CAMPAIGN_COLUMN && (c->start.kind || c->end.kind || c->pre)) {
		*cause = xstrdup("start=, end= and pre= need raw events; with metric=column:COL "
		    "select the rows in the query");
		return -1;
	}
	return c->kind == CAMPAIGN_COLUMN ? 0 : campaign_check_events(c, cause);
}

static char *campaign_sql_param(bool given, long long v)
{
	return given ? xasprintf("%lld", v) : NULL;
}

/* start= / end= as the server reads a date or a timestamptz, or NULL. */
static char *campaign_sql_bound(const struct campaign_bound *b, enum campaign_bound_kind kind)
{
	char buf[32];

	if (b->kind != kind)
		return NULL;
	if (kind == CAMPAIGN_BOUND_DATE)
		datetime_format_date(b->day, false, buf, sizeof buf);
	else
		datetime_format_datetime(b->ms, 0, buf, sizeof buf);
	return xstrdup(buf);
}

/* Finds the arm values (all, or those of the first exposing rows) and
 * whether any row names this campaign. */
static int campaign_sql_arms(struct campaign_sql *q, bool sample, const struct pgsource_opts *opts,
    char **cause)
{
	static const unsigned types[] = { 25 };
	const char *name = q->c->name;
	char *sql = campaign_sql_arms_query(q, sample);
	PGresult *res;
	int rc = pgsource_exec_typed(q->conn, sql, 1, types, &name, opts, &res, cause);

	free(sql);
	if (rc != 0)
		return -1;
	campaign_sql_free_arms(q);
	q->arms = xcalloc((size_t)PQntuples(res) + 1, sizeof *q->arms);
	for (int i = 0; i < PQntuples(res); i++) {
		if (!PQgetisnull(res, i, 0))
			q->own = strcmp(PQgetvalue(res, i, 0), "t") == 0;
		else
			q->arms[q->n_arms++] = xstrdup(PQgetvalue(res, i, 1));
	}
	PQclear(res);
	return 0;
}

/* Runs the query with the definition's values as parameters. */
static PGresult *campaign_sql_exec(struct campaign_sql *q, const struct pgsource_opts *opts,
    char **cause)
{
	static const unsigned base[P_COUNT] = { 25, 20, 20, 20, 1082, 1184, 1082, 1184, 20, 16 };
	const struct campaign *c = q->c;
	size_t n = P_COUNT + q->n_arms;
	unsigned *types = xcalloc(n, sizeof *types);
	char **p = xcalloc(n, sizeof *p);
	char *sql = campaign_sql_query(q);
	PGresult *res = NULL;

	memcpy(types, base, sizeof base);
	p[P_NAME] = xstrdup(c->name);
	p[P_WINDOW] = campaign_sql_param(true, c->window);
	p[P_PRE] = campaign_sql_param(true, c->pre);
	p[P_TZ] = campaign_sql_param(true, c->tz_minutes * 60000LL);
	p[P_START_DAY] = campaign_sql_bound(&c->start, CAMPAIGN_BOUND_DATE);
	p[P_START_MS] = campaign_sql_bound(&c->start, CAMPAIGN_BOUND_TIME);
	p[P_END_DAY] = campaign_sql_bound(&c->end, CAMPAIGN_BOUND_DATE);
	p[P_END_MS] = campaign_sql_bound(&c->end, CAMPAIGN_BOUND_TIME);
	p[P_DAY_N] = campaign_sql_param(c->kind == CAMPAIGN_RETENTION, c->retention_day);
	p[P_OWN] = xstrdup(q->own ? "true" : "false");
	for (size_t i = 0; i < q->n_arms; i++) {
		types[P_COUNT + i] = 25;
		p[P_COUNT + i] = xstrdup(q->arms[i]);
	}
	if (pgsource_exec_typed(q->conn, sql, (int)n, types, (const char *const *)p, opts, &res,
	    cause) != 0)
		res = NULL;
	free(sql);
	for (size_t i = 0; i < n; i++)
		free(p[i]);
	free(p);
	free(types);
	return res;
}

/* Users exposed on an arm value the query did not code. */
static double campaign_sql_unknown(const PGresult *res)
{
	for (int i = 0; i < PQntuples(res); i++)
		if (strcmp(PQgetvalue(res, i, 0), "left") == 0 && !PQgetisnull(res, i, CAMPAIGN_SQL_UNKNOWN))
			return strtod(PQgetvalue(res, i, CAMPAIGN_SQL_UNKNOWN), NULL);
	return 0;
}

/* Events: the arm values of the first exposing rows code the pass; when
 * they missed one, the pass runs again with all of them. One snapshot
 * serves the three queries. */
static PGresult *campaign_sql_run(struct campaign_sql *q, const struct pgsource_opts *opts,
    char **cause)
{
	PGresult *res;

	if (q->c->kind == CAMPAIGN_COLUMN)
		return campaign_sql_exec(q, opts, cause);
	if (pgsource_command(q->conn, "START TRANSACTION ISOLATION LEVEL REPEATABLE READ, "
	    "READ ONLY", opts, cause) != 0 || campaign_sql_arms(q, true, opts, cause) != 0 ||
	    (res = campaign_sql_exec(q, opts, cause)) == NULL)
		return NULL;
	if (campaign_sql_unknown(res) == 0)
		return res;
	PQclear(res);
	if (campaign_sql_arms(q, false, opts, cause) != 0)
		return NULL;
	return campaign_sql_exec(q, opts, cause);
}

static double campaign_sql_value(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? 0 : strtod(PQgetvalue(res, row, col), NULL);
}

static void campaign_sql_cell(const PGresult *res, int row, struct campaign_cell *cell)
{
	cell->n = campaign_sql_value(res, row, 3);
	cell->converters = campaign_sql_value(res, row, 4);
	cell->sum = campaign_sql_value(res, row, 5);
	cell->sumsq = campaign_sql_value(res, row, 6);
	cell->xsum = campaign_sql_value(res, row, 7);
	cell->xsumsq = campaign_sql_value(res, row, 8);
	cell->xysum = campaign_sql_value(res, row, 9);
	cell->mom = (struct abtest_cov_arm){ .n = cell->n, .shift = campaign_sql_value(res, row, 10),
		.xshift = campaign_sql_value(res, row, 11), .sum = campaign_sql_value(res, row, 12),
		.sumsq = campaign_sql_value(res, row, 13), .xsum = campaign_sql_value(res, row, 14),
		.xsumsq = campaign_sql_value(res, row, 15), .xysum = campaign_sql_value(res, row, 16) };
}

static bool campaign_sql_kind(const PGresult *res, int row, const char *kind)
{
	return strcmp(PQgetvalue(res, row, 0), kind) == 0;
}

static int campaign_sql_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The by= values in byte order. */
static void campaign_sql_groups(const PGresult *res, struct campaign_stats *out)
{
	out->groups = xcalloc((size_t)PQntuples(res) + 1, sizeof *out->groups);
	for (int i = 0; i < PQntuples(res); i++) {
		const char *g = PQgetvalue(res, i, 2);
		bool seen = false;

		if (!campaign_sql_kind(res, i, "cell") || PQgetisnull(res, i, 2))
			continue;
		for (size_t j = 0; j < out->n_groups && !seen; j++)
			seen = strcmp(out->groups[j], g) == 0;
		if (!seen)
			out->groups[out->n_groups++] = xstrdup(g);
	}
	qsort(out->groups, out->n_groups, sizeof *out->groups, campaign_sql_strcmp);
}

static size_t campaign_sql_group(const struct campaign_stats *out, const char *g)
{
	const char *const *hit = bsearch(&g, out->groups, out->n_groups, sizeof *out->groups,
	    campaign_sql_strcmp);

	return (size_t)(hit - (const char *const *)out->groups);
}

/* The left-out counts and, for column:COL, whether the metric is 0/1. */
static void campaign_sql_left(const PGresult *res, int row, struct campaign_stats *out)
{
	out->contaminated = (size_t)campaign_sql_value(res, row, 3);
	out->outside = (size_t)campaign_sql_value(res, row, 4);
	out->untargeted = (size_t)campaign_sql_value(res, row, 5);
	out->too_recent = (size_t)campaign_sql_value(res, row, 6);
	out->missing = (size_t)campaign_sql_value(res, row, 7);
	if (!PQgetisnull(res, row, 8))
		out->binary = campaign_sql_value(res, row, 8) == 0;
}

/* Fills out from the query's rows. */
static int campaign_sql_read(const struct campaign_sql *q, const PGresult *res,
    struct campaign_stats *out, char **cause)
{
	const struct campaign *c = q->c;
	struct dict *arms = dict_new();
	uint32_t *order = NULL, code;
	int rc = -1;

	for (int i = 0; i < PQntuples(res); i++)
		if (campaign_sql_kind(res, i, "arm"))
			dict_intern(arms, PQgetvalue(res, i, 1), strlen(PQgetvalue(res, i, 1)));
	out->binary = c->kind == CAMPAIGN_CONVERSION || c->kind == CAMPAIGN_RETENTION;
	out->ratio = c->kind == CAMPAIGN_CTR;
	out->covariate = c->pre != 0 || c->covariate != NULL;
	if (campaign_arm_order(c, c->arm ? c->arm : "arm", arms, out, &order, cause) != 0)
		goto done;
	out->total = xcalloc(out->n_arms, sizeof *out->total);
	campaign_sql_groups(res, out);
	out->cells = xcalloc(out->n_groups * out->n_arms + 1, sizeof *out->cells);
	for (int i = 0; i < PQntuples(res); i++) {
		const char *a = PQgetvalue(res, i, 1);

		if (campaign_sql_kind(res, i, "left"))
			campaign_sql_left(res, i, out);
		if (!campaign_sql_kind(res, i, "cell") || !dict_find(arms, a, strlen(a), &code))
			continue;
		campaign_sql_cell(res, i, PQgetisnull(res, i, 2) ? &out->total[order[code]] :
		    &out->cells[campaign_sql_group(out, PQgetvalue(res, i, 2)) * out->n_arms +
		    order[code]]);
	}
	if (out->n_groups == 0) {
		free(out->cells);
		out->cells = NULL;
	}
	rc = campaign_check_arms(out, cause);
	if (rc == 0 && out->ratio)
		rc = campaign_check_views(out, cause);
done:
	free(order);
	dict_free(arms);
	return rc;
}

/* Days are counted from UTC, shifted by tz=. Compiling the query's
 * expressions (JIT, PostgreSQL 11 on) costs more than it saves on one
 * pass: 0.5 to 0.9 s of 8 on ten million events. */
static int campaign_sql_session(PGconn *conn, const struct pgsource_opts *opts, char **cause)
{
	if (pgsource_command(conn, "SET TIME ZONE 'UTC'", opts, cause) != 0)
		return -1;
	return PQserverVersion(conn) >= 110000 ?
	    pgsource_command(conn, "SET jit = off", opts, cause) : 0;
}

/* Connects and resolves the columns; with out, also runs the query. */
static int campaign_pg_run(const struct campaign *c, const char *by, const atomic_bool *cancel,
    struct campaign_stats *out, char **cause)
{
	struct pgsource_opts opts = { .readonly = c->pg_readonly, .cancel = cancel };
	struct campaign_sql q = { .c = c };
	PGresult *res = NULL;
	int rc = -1;

	if (campaign_sql_check(c, cause) != 0)
		return -1;
	if ((q.conn = pgsource_connect(c->pg, &opts, cause)) == NULL)
		return -1;
	if (campaign_sql_session(q.conn, &opts, cause) != 0) {
		PQfinish(q.conn);
		return -1;
	}
	q.src = campaign_sql_source(q.conn, c);
	if (campaign_sql_shape(&q, &opts, cause) == 0 && campaign_sql_columns(&q, by, cause) == 0)
		rc = out == NULL ? 0 : (res = campaign_sql_run(&q, &opts, cause)) != NULL ?
		    campaign_sql_read(&q, res, out, cause) : -1;
	PQclear(res);
	campaign_sql_done(&q);
	PQfinish(q.conn);
	return rc;
}

int campaign_stats_pg(const struct campaign *c, const char *by, const atomic_bool *cancel,
    struct campaign_stats *out, char **cause)
{
	return campaign_pg_run(c, by, cancel, out, cause);
}

int campaign_check_pg(const struct campaign *c, char **cause)
{
	return campaign_pg_run(c, NULL, NULL, NULL, cause);
}
