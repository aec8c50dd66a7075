/* Campaign statistics computed by PostgreSQL: one query per test that
 * returns each arm's (and by= group's) sufficient statistics, the same
 * numbers campaign-events.c and the one-row-per-user path compute from a
 * loaded dataset (see campaign.h for the rules).
 *
 * Standard SQL only (CTEs, window functions, FILTER, UNION ALL), so that
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

/* The parameters of the query, in this order ($1 ... $9). */
enum { P_NAME, P_WINDOW, P_PRE, P_TZ, P_START_DAY, P_START_MS, P_END_DAY, P_END_MS, P_DAY_N,
	P_COUNT };

/* What the query needs: quoted identifiers (or NULL) and SQL pieces. */
struct campaign_sql {
	PGconn *conn;
	const struct campaign *c;
	char *src;              /* FROM item: a quoted table or (query) */
	char *user, *time, *arm, *event, *amount, *camp, *metric, *covariate, *by;
	char *target;           /* SQL boolean expression, or NULL */
	struct table *shape;    /* the source's columns, no rows: roles, target= */
};

static char *campaign_sql_ident(PGconn *conn, const char *name)
{
	char *q = PQescapeIdentifier(conn, name, strlen(name)), *out = xstrdup(q);

	PQfreemem(q);
	return out;
}

static void campaign_sql_done(struct campaign_sql *q)
{
	char **s[] = { &q->src, &q->user, &q->time, &q->arm, &q->event, &q->amount, &q->camp,
		&q->metric, &q->covariate, &q->by, &q->target };

	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		free(*s[i]);
	table_free(q->shape);
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

/* The sums of one cell, raw and about the rounded means s and t (exact
 * numerics, so that a metric far from zero keeps its digits). */
#define CAMPAIGN_SQL_SUMS \
    "COUNT(*), COUNT(*) FILTER (WHERE y <> 0), SUM(y), SUM(y * y), SUM(x), SUM(x * x), " \
    "SUM(x * y), ROUND(AVG(y)), ROUND(AVG(x)), SUM(y) - COUNT(*) * ROUND(AVG(y)), " \
    "SUM(y * y) - 2 * ROUND(AVG(y)) * SUM(y) + COUNT(*) * ROUND(AVG(y)) * ROUND(AVG(y)), " \
    "SUM(x) - COUNT(*) * ROUND(AVG(x)), " \
    "SUM(x * x) - 2 * ROUND(AVG(x)) * SUM(x) + COUNT(*) * ROUND(AVG(x)) * ROUND(AVG(x)), " \
    "SUM(x * y) - ROUND(AVG(x)) * SUM(y) - ROUND(AVG(y)) * SUM(x) + " \
    "COUNT(*) * ROUND(AVG(x)) * ROUND(AVG(y)) "

/* The per-arm (and per-group) sums of the units "un", the arm values
 * "arms" and the left-out counts from "st", as rows of (kind, a, g, n,
 * conv, sy, syy, sx, sxx, sxy, s, t, cy, cyy, cx, cxx, cxy). */
#define CAMPAIGN_SQL_TAIL \
    "SELECT 'cell' AS kind, a, CAST(NULL AS text) AS g, " CAMPAIGN_SQL_SUMS "FROM un GROUP BY a " \
    "UNION ALL SELECT 'cell', a, g, " CAMPAIGN_SQL_SUMS "FROM un WHERE g IS NOT NULL GROUP BY a, g " \
    "UNION ALL SELECT 'arm', a, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, " \
    "NULL, NULL, NULL, NULL FROM arms " \
    "UNION ALL SELECT 'left', NULL, NULL, %s, " \
    "COUNT(*) FILTER (WHERE status = 'outside'), COUNT(*) FILTER (WHERE status = 'untargeted'), " \
    "COUNT(*) FILTER (WHERE status = 'too_recent'), COUNT(*) FILTER (WHERE status = 'missing'), " \
    "%s, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM st"

/* Events: each user's exposure, status, metric and covariate. Users are
 * grouped by hash (MIN and MAX of the arm find the contaminated), so no
 * pass sorts the events; the exposure row's attributes (by=, covariate=,
 * target=) are read only when asked for, the smallest value when two rows
 * tie at the exposure instant. */
static char *campaign_sql_events(const struct campaign_sql *q)
{
	const struct campaign *c = q->c;
	bool attrs = q->by || q->covariate || q->target;
	char *ev = q->event ? xasprintf("CAST(%s AS text)", q->event) : xstrdup("'purchase'");
	char *own = q->camp ? xasprintf("CAST(%s AS text) = $1", q->camp) : xstrdup("FALSE");
	char *by = q->by ? xasprintf("CAST(%s AS text)", q->by) : xstrdup("CAST(NULL AS text)");
	char *cov = q->covariate ? campaign_sql_number(q, q->covariate, c->covariate) :
	    xstrdup("CAST(NULL AS numeric)");
	char *amount = q->amount ? xasprintf("CAST(%s AS numeric)", q->amount) :
	    xstrdup("CAST(NULL AS numeric)");
	const char *in = "r.t >= st.t0 AND r.t < st.t_end", *pre = "r.t < st.t0 AND r.t >= st.t_pre";
	const char *conv = "r.e IN ('purchase', 'redeem')";
	char *y, *xp, *x, *att, *cols, *rows, *exposing, *recent, *out;
	/* The only rows an outcome can come from: for conversion and revenue,
	 * the purchases and redeems, a few of the events. */
	const char *outcome = c->kind == CAMPAIGN_RETENTION ? "TRUE" :
	    c->kind == CAMPAIGN_CTR ? "r.e IN ('view', 'click')" : conv;

	switch (c->kind) {
	case CAMPAIGN_REVENUE:
		y = xasprintf("SUM(CASE WHEN %s AND %s AND r.m IS NOT NULL THEN r.m ELSE 0 END)", conv, in);
		xp = xasprintf("SUM(CASE WHEN %s AND %s AND r.m IS NOT NULL THEN r.m ELSE 0 END)", conv, pre);
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
		xp = xasprintf("MAX(CASE WHEN %s AND %s THEN 1 ELSE 0 END)", conv, pre);
	}
	x = q->covariate ? xstrdup("st.x") : (c->pre || c->kind == CAMPAIGN_CTR) ?
	    xstrdup("CAST(COALESCE(o.xp, 0) AS numeric)") : xstrdup("CAST(0 AS numeric)");
	cols = attrs ? xasprintf(", %s AS g, %s AS x, %s AS tg", by, cov,
	    q->target ? q->target : "TRUE") : xstrdup("");
	/* The rows, written out where they are read rather than kept in a
	 * table of their own: scans cost less than a materialised copy. */
	rows = xasprintf("(SELECT CAST(%s AS text) AS u, CAST(%s AS timestamp with time zone) AS t, "
	    "CAST(%s AS text) AS a, %s AS e, %s AS m, %s AS own_row%s FROM %s AS s "
	    "WHERE %s IS NOT NULL AND %s IS NOT NULL)", q->user, q->time, q->arm, ev, amount, own,
	    cols, q->src, q->user, q->time);
	/* With a campaign column, only the rows naming this campaign expose,
	 * when there are any. */
	exposing = q->camp ? xasprintf("(SELECT * FROM %s AS xr0 WHERE a IS NOT NULL AND "
	    "(own_row OR NOT EXISTS (SELECT 1 FROM %s AS s WHERE %s)))", rows, q->src, own) :
	    xasprintf("(SELECT * FROM %s AS xr0 WHERE a IS NOT NULL)", rows);
	recent = c->kind != CAMPAIGN_RETENTION ? xstrdup("") : xasprintf("WHEN (SELECT MAX("
	    CAMPAIGN_SQL_DAY("CAST(%s AS timestamp with time zone)") ") FROM %s AS s) - day0 < $9 "
	    "THEN 'too_recent' ", q->time, q->src);
	att = attrs ? xasprintf("at AS (SELECT xr.u, MIN(xr.g) AS g, MIN(xr.x) AS x, "
	    "BOOL_AND(xr.tg) AS tg FROM %s AS xr JOIN usr ON xr.u = usr.u AND xr.t = usr.t0 "
	    "GROUP BY xr.u), ", exposing) :
	    xstrdup("at AS (SELECT u, CAST(NULL AS text) AS g, CAST(NULL AS numeric) AS x, "
	    "TRUE AS tg FROM usr), ");
	out = xasprintf(
	    "WITH arms AS (SELECT DISTINCT a FROM %s AS xr), "
	    "usr AS (SELECT u, MIN(t) AS t0, MIN(a) AS a, MAX(a) AS a2 FROM %s AS xr GROUP BY u), "
	    "%s"
	    "ex AS (SELECT usr.u, usr.t0, " CAMPAIGN_SQL_DAY("usr.t0") " AS day0, usr.a, at.g, at.x, "
	    "at.tg FROM usr JOIN at ON at.u = usr.u WHERE usr.a = usr.a2), "
	    "st AS (SELECT ex.*, t0 + $2 * INTERVAL '1' SECOND / 1000 AS t_end, "
	    "t0 - $3 * INTERVAL '1' SECOND / 1000 AS t_pre, CASE WHEN tg IS NOT TRUE THEN 'untargeted' "
	    "WHEN day0 < $5 OR t0 < $6 OR day0 > $7 OR t0 >= $8 THEN 'outside' %s"
	    "WHEN %s AND x IS NULL THEN 'missing' ELSE 'in' END AS status FROM ex), "
	    "o AS (SELECT st.u, %s AS y, %s AS xp FROM st JOIN %s AS r ON r.u = st.u "
	    "WHERE st.status = 'in' AND %s GROUP BY st.u), "
	    "un AS (SELECT st.a, st.g, CAST(COALESCE(o.y, 0) AS numeric) AS y, %s AS x FROM st "
	    "LEFT JOIN o ON o.u = st.u WHERE st.status = 'in') ",
	    exposing, exposing, att, recent, q->covariate ? "TRUE" : "FALSE", y, xp, rows, outcome, x);
	free(rows);
	free(exposing);
	free(recent);
	free(ev);
	free(own);
	free(by);
	free(cov);
	free(amount);
	free(y);
	free(xp);
	free(x);
	free(att);
	free(cols);
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
	    "WITH src AS (SELECT * FROM %s AS s), "
	    "r AS (SELECT CAST(%s AS text) AS a, %s AS y, %s AS x, %s AS g, %s AS tg FROM src), "
	    "arms AS (SELECT DISTINCT a FROM r WHERE a IS NOT NULL), "
	    "st AS (SELECT r.*, CASE WHEN tg IS NOT TRUE THEN 'untargeted' "
	    "WHEN a IS NOT NULL AND (y IS NULL OR x IS NULL) THEN 'missing' ELSE 'in' END "
	    "AS status FROM r), "
	    "un AS (SELECT a, g, y, x FROM st WHERE status = 'in' AND a IS NOT NULL) ",
	    q->src, q->arm, y, cov, by, q->target ? q->target : "TRUE");

	free(y);
	free(by);
	free(cov);
	return out;
}

/* The whole query: the units, then the sums. */
static char *campaign_sql_query(const struct campaign_sql *q)
{
	bool rows = q->c->kind == CAMPAIGN_COLUMN;
	char *head = rows ? campaign_sql_rows(q) : campaign_sql_events(q);
	char *tail = xasprintf(CAMPAIGN_SQL_TAIL,
	    rows ? "0" : "(SELECT COUNT(*) FROM usr WHERE a <> a2)",
	    rows ? "COUNT(*) FILTER (WHERE status = 'in' AND a IS NOT NULL AND y NOT IN (0, 1))" :
	    "NULL");
	char *out = xasprintf("%s%s", head, tail);

	free(head);
	free(tail);
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

/* Runs the query with the definition's values as parameters. */
static PGresult *campaign_sql_run(struct campaign_sql *q, const struct pgsource_opts *opts,
    char **cause)
{
	static const unsigned types[P_COUNT] = { 25, 20, 20, 20, 1082, 1184, 1082, 1184, 20 };
	const struct campaign *c = q->c;
	char *p[P_COUNT] = { xstrdup(c->name),
		campaign_sql_param(true, c->window), campaign_sql_param(true, c->pre),
		campaign_sql_param(true, c->tz_minutes * 60000LL),
		campaign_sql_bound(&c->start, CAMPAIGN_BOUND_DATE),
		campaign_sql_bound(&c->start, CAMPAIGN_BOUND_TIME),
		campaign_sql_bound(&c->end, CAMPAIGN_BOUND_DATE),
		campaign_sql_bound(&c->end, CAMPAIGN_BOUND_TIME),
		campaign_sql_param(c->kind == CAMPAIGN_RETENTION, c->retention_day) };
	char *sql = campaign_sql_query(q);
	PGresult *res = NULL;

	if (pgsource_exec_typed(q->conn, sql, P_COUNT, types, (const char *const *)p, opts, &res,
	    cause) != 0)
		res = NULL;
	free(sql);
	for (size_t i = 0; i < P_COUNT; i++)
		free(p[i]);
	return res;
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
	/* Days are counted from UTC, shifted by tz=. */
	if (pgsource_exec(q.conn, "SET TIME ZONE 'UTC'", 0, NULL, &opts, &res, cause) != 0) {
		PQfinish(q.conn);
		return -1;
	}
	PQclear(res);
	res = NULL;
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
