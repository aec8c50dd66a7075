/* Campaign definitions, their registry, and the sufficient statistics of
 * one-row-per-user datasets and per-arm aggregates. Raw events are read by
 * campaign-events.c. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abtest.h"
#include "campaign-impl.h"
#include "datetime.h"
#include "expr.h"
#include "registry.h"
#include "xmalloc.h"

/* --- the registry --- */

REGISTRY_DEFINE(campaigns, struct campaigns, struct campaign, v, n, campaign_free,
    "campaign", "defined", "campaign NAME dataset=EVENTS ...")

/* --- one campaign --- */

struct campaign *campaign_new(const char *name, const char *command)
{
	struct campaign *c = xcalloc(1, sizeof *c);

	c->name = xstrdup(name);
	c->command = xstrdup(command);
	c->kind = CAMPAIGN_CONVERSION;
	c->metric = xstrdup("conversion");
	c->alpha = CAMPAIGN_ALPHA_DEFAULT;
	c->nstar = CAMPAIGN_NSTAR_DEFAULT;
	c->window = CAMPAIGN_WINDOW_DEFAULT;
	return c;
}

void campaign_free(struct campaign *c)
{
	if (c == NULL)
		return;
	free(c->name);
	free(c->command);
	free(c->dataset);
	free(c->aggregates);
	free(c->arm);
	free(c->control);
	free(c->metric);
	free(c->metric_col);
	free(c->target);
	free(c->alloc);
	free(c->covariate);
	free(c->users);
	free(c->pg);
	free(c->pg_table);
	free(c->pg_query);
	for (size_t i = 0; i < ROLE_COUNT; i++)
		free(c->roles[i]);
	free(c);
}

/* --- parsing --- */

int campaign_parse_metric(struct campaign *c, const char *s, char **cause)
{
	static const char *const plain[] = { "conversion", "ctr", "revenue" };
	char *end;
	long n;

	free(c->metric);
	c->metric = xstrdup(s);
	for (size_t i = 0; i < 3; i++) {
		if (strcmp(s, plain[i]) == 0) {
			c->kind = (enum campaign_kind)i;
			return 0;
		}
	}
	if (strncmp(s, "retention:", 10) == 0) {
		errno = 0;
		n = strtol(s + 10, &end, 10);
		if (s[10] < '0' || s[10] > '9' || *end != '\0' || errno != 0 || n < 1 ||
		    n > 3650) {
			*cause = xasprintf("metric=%s: give retention:N with N a whole number of "
			    "days from 1 to 3650", s);
			return -1;
		}
		c->kind = CAMPAIGN_RETENTION;
		c->retention_day = (int)n;
		return 0;
	}
	if (strncmp(s, "column:", 7) == 0 && s[7] != '\0') {
		c->kind = CAMPAIGN_COLUMN;
		c->metric_col = xstrdup(s + 7);
		return 0;
	}
	*cause = xasprintf("metric=%s: unknown metric (give conversion, ctr, revenue, "
	    "retention:N or column:COL)", s);
	return -1;
}

int campaign_parse_duration(const char *key, const char *s, int64_t *ms, char **cause)
{
	static const struct { char unit; int64_t ms; } units[] = {
		{ 'h', 3600000LL }, { 'd', 86400000LL }, { 'w', 7 * 86400000LL }
	};
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (s[0] >= '0' && s[0] <= '9' && errno == 0 && n > 0 && n <= 100000 &&
	    end[0] != '\0' && end[1] == '\0') {
		for (size_t i = 0; i < 3; i++) {
			if (units[i].unit == end[0]) {
				*ms = n * units[i].ms;
				return 0;
			}
		}
	}
	*cause = xasprintf("%s=%s: give a duration above 0 such as 14d, 36h or 2w", key, s);
	return -1;
}

int campaign_parse_bound(const char *key, const char *s, struct campaign_bound *b,
    char **cause)
{
	int16_t tz;

	if (datetime_parse_date(s, strlen(s), &b->day, NULL)) {
		b->kind = CAMPAIGN_BOUND_DATE;
		return 0;
	}
	if (datetime_parse_datetime(s, strlen(s), &b->ms, &tz)) {
		b->kind = CAMPAIGN_BOUND_TIME;
		return 0;
	}
	*cause = xasprintf("%s=%s: give a date (2025-03-03) or a datetime "
	    "('2025-03-03 08:00+08:00')", key, s);
	return -1;
}

const char *campaign_metric_words(const struct campaign *c, char *buf, size_t size)
{
	if (c->kind == CAMPAIGN_RETENTION)
		snprintf(buf, size, "day-%d retention", c->retention_day);
	else if (c->kind == CAMPAIGN_COLUMN)
		snprintf(buf, size, "%s", c->metric_col);
	else
		snprintf(buf, size, "%s", c->metric);
	return buf;
}

/* --- used by both sources --- */

size_t campaign_cell_text(const struct column *c, size_t row, char *buf, size_t size)
{
	if (col_type_string(c->type)) {
		snprintf(buf, size, "%s", column_str(c, row));
		return strlen(buf);
	}
	return column_format(c, row, buf, size);
}

uint32_t *campaign_codes(const struct column *c, size_t n_rows, const uint8_t *keep,
    struct dict *d)
{
	uint32_t *codes = xmalloc((n_rows ? n_rows : 1) * sizeof *codes), *map = NULL;
	size_t m = col_type_string(c->type) ? dict_count(c->dict) : 0;
	char buf[128];

	if (col_type_string(c->type)) {
		map = xmalloc((m ? m : 1) * sizeof *map);
		for (size_t i = 0; i < m; i++)
			map[i] = CAMPAIGN_NONE;
	}
	for (size_t i = 0; i < n_rows; i++) {
		codes[i] = CAMPAIGN_NONE;
		if ((keep != NULL && !keep[i]) || column_is_missing(c, i))
			continue;
		if (map == NULL) {
			size_t len = column_format(c, i, buf, sizeof buf);

			codes[i] = dict_intern(d, buf, len);
			continue;
		}
		if (map[c->v.codes[i]] == CAMPAIGN_NONE)
			map[c->v.codes[i]] = dict_intern(d, column_str(c, i),
			    dict_strlen(c->dict, c->v.codes[i]));
		codes[i] = map[c->v.codes[i]];
	}
	free(map);
	return codes;
}

static int campaign_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int campaign_arm_order(const struct campaign *c, const char *col, const struct dict *values,
    struct campaign_stats *out, uint32_t **order, char **cause)
{
	uint32_t n = dict_count(values), ctl;
	const char *want = c->control ? c->control : "control";
	const char **sorted = xmalloc((n ? n : 1) * sizeof *sorted);
	char *list;
	size_t k = 1;

	for (uint32_t i = 0; i < n; i++)
		sorted[i] = dict_str(values, i);
	qsort(sorted, n, sizeof *sorted, campaign_strcmp);
	if (!dict_find(values, want, strlen(want), &ctl) || n < 2) {
		list = xstrjoin(sorted, n, ", ");
		if (n == 0)
			*cause = xasprintf("arm column '%s' has no values", col);
		else if (n < 2)
			*cause = xasprintf("arm column '%s' has one value only (%s): a campaign "
			    "needs a control and a treatment", col, list);
		else if (c->control != NULL)
			*cause = xasprintf("control=%s: arm column '%s' has no value '%s' "
			    "(values: %s)", c->control, col, c->control, list);
		else
			*cause = xasprintf("give control=VALUE: arm column '%s' has no value "
			    "'control' (values: %s)", col, list);
		free(list);
		free(sorted);
		return -1;
	}
	out->n_arms = n;
	out->arms = xcalloc(n, sizeof *out->arms);
	out->arms[0] = xstrdup(want);
	*order = xmalloc(n * sizeof **order);
	(*order)[ctl] = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t code;

		if (strcmp(sorted[i], want) == 0)
			continue;
		dict_find(values, sorted[i], strlen(sorted[i]), &code);
		(*order)[code] = (uint32_t)k;
		out->arms[k++] = xstrdup(sorted[i]);
	}
	free(sorted);
	if (c->alloc != NULL && c->n_alloc != n) {
		list = xstrjoin((const char *const *)out->arms, n, ", ");
		*cause = xasprintf("alloc= has %zu shares but there are %u arms (%s, in this "
		    "order)", c->n_alloc, n, list);
		free(list);
		return -1;
	}
	return 0;
}

/* The index of a column, or -1 with the message cmd_need_column gives. */
static int campaign_need_column(const struct table *t, const char *key, const char *name,
    char **cause)
{
	int col = table_find_column(t, name);
	char *list;

	if (col >= 0)
		return col;
	list = table_column_names(t, ", ");
	*cause = xasprintf("%s: dataset '%s' has no column '%s' (columns: %s)", key, t->name,
	    name, list);
	free(list);
	return -1;
}

/* A numeric (int, float, bool) column for key=COL. */
static int campaign_numeric_column(const struct table *t, const char *key, const char *name,
    int *col, char **cause)
{
	if ((*col = campaign_need_column(t, key, name, cause)) < 0)
		return -1;
	if (!col_type_numeric(t->cols[*col].type)) {
		*cause = xasprintf("%s: column '%s' is %s, not a number or 0/1", key, name,
		    col_type_name(t->cols[*col].type));
		return -1;
	}
	return 0;
}

/* --- units --- */

void campaign_units_init(struct campaign_units *u, bool grouped)
{
	memset(u, 0, sizeof *u);
	u->groups = grouped ? dict_new() : NULL;
}

void campaign_units_done(struct campaign_units *u)
{
	free(u->arm);
	free(u->y);
	free(u->x);
	free(u->group);
	if (u->groups != NULL)
		dict_free(u->groups);
	memset(u, 0, sizeof *u);
}

void campaign_units_add(struct campaign_units *u, uint32_t arm, double y, double x,
    uint32_t group)
{
	if (u->n == u->cap) {
		u->cap = u->cap ? 2 * u->cap : 1024;
		u->arm = xreallocarray(u->arm, u->cap, sizeof *u->arm);
		u->y = xreallocarray(u->y, u->cap, sizeof *u->y);
		u->x = xreallocarray(u->x, u->cap, sizeof *u->x);
		u->group = xreallocarray(u->group, u->cap, sizeof *u->group);
	}
	u->arm[u->n] = arm;
	u->y[u->n] = y;
	u->x[u->n] = x;
	u->group[u->n++] = group;
}

struct campaign_acc {
	double n, conv;
	struct campaign_dd sum, sumsq, xsum, xsumsq, xysum;
	double shift, xshift;   /* the means, once the raw sums are in */
	struct campaign_dd dsum, dsumsq, dxsum, dxsumsq, dxysum;
};

static void campaign_acc_add(struct campaign_acc *a, double y, double x)
{
	a->n += 1;
	a->conv += y != 0;
	campaign_dd_add(&a->sum, y);
	campaign_dd_add_prod(&a->sumsq, y, y);
	campaign_dd_add(&a->xsum, x);
	campaign_dd_add_prod(&a->xsumsq, x, x);
	campaign_dd_add_prod(&a->xysum, x, y);
}

/* Second pass: deviations from the means the first pass found. */
static void campaign_acc_add_centered(struct campaign_acc *a, double y, double x)
{
	double dy = y - a->shift, dx = x - a->xshift;

	campaign_dd_add(&a->dsum, dy);
	campaign_dd_add_prod(&a->dsumsq, dy, dy);
	campaign_dd_add(&a->dxsum, dx);
	campaign_dd_add_prod(&a->dxsumsq, dx, dx);
	campaign_dd_add_prod(&a->dxysum, dx, dy);
}

static void campaign_acc_center(struct campaign_acc *a)
{
	a->shift = a->n > 0 ? campaign_dd_value(&a->sum) / a->n : 0;
	a->xshift = a->n > 0 ? campaign_dd_value(&a->xsum) / a->n : 0;
}

/* Whether the raw sums lose at most ABTEST_RAW_LOSS; beyond, the sums about
 * the means take over. */
static bool campaign_acc_raw_ok(const struct campaign_dd *sum, const struct campaign_dd *sumsq,
    double n)
{
	long double s = campaign_dd_value(sum), ss = campaign_dd_value(sumsq);

	return n < 2 || ss <= ABTEST_RAW_LOSS * (ss - s * s / n);
}

static void campaign_acc_cell(const struct campaign_acc *a, struct campaign_cell *c)
{
	c->n = a->n;
	c->converters = a->conv;
	c->sum = campaign_dd_value(&a->sum);
	c->sumsq = campaign_dd_value(&a->sumsq);
	c->xsum = campaign_dd_value(&a->xsum);
	c->xsumsq = campaign_dd_value(&a->xsumsq);
	c->xysum = campaign_dd_value(&a->xysum);
	if (campaign_acc_raw_ok(&a->sum, &a->sumsq, a->n) &&
	    campaign_acc_raw_ok(&a->xsum, &a->xsumsq, a->n)) {
		c->mom = (struct abtest_cov_arm){ .n = a->n, .sum = c->sum, .sumsq = c->sumsq,
		    .xsum = c->xsum, .xsumsq = c->xsumsq, .xysum = c->xysum };
		return;
	}
	c->mom = (struct abtest_cov_arm){ .n = a->n, .sum = campaign_dd_value(&a->dsum),
	    .sumsq = campaign_dd_value(&a->dsumsq), .xsum = campaign_dd_value(&a->dxsum),
	    .xsumsq = campaign_dd_value(&a->dxsumsq), .xysum = campaign_dd_value(&a->dxysum),
	    .shift = a->shift, .xshift = a->xshift };
}

/* What was left out, for the "no users" message. */
static char *campaign_left_out(const struct campaign_stats *s)
{
	size_t left = s->contaminated + s->outside + s->untargeted + s->too_recent + s->missing;

	if (left == 0)
		return xstrdup("");
	return xasprintf(" (%zu users left out: %zu contaminated, %zu outside start=/end=, "
	    "%zu not matching target=, %zu too recent, %zu with missing values)", left,
	    s->contaminated, s->outside, s->untargeted, s->too_recent, s->missing);
}

/* Group codes in byte order of their values. */
static uint32_t *campaign_group_order(struct campaign_units *u, struct campaign_stats *out)
{
	uint32_t n = dict_count(u->groups), *order = xmalloc((n ? n : 1) * sizeof *order);

	out->n_groups = n;
	out->groups = xcalloc(n ? n : 1, sizeof *out->groups);
	for (uint32_t i = 0; i < n; i++)
		out->groups[i] = (char *)dict_str(u->groups, i);
	qsort(out->groups, n, sizeof *out->groups, campaign_strcmp);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t code;

		dict_find(u->groups, out->groups[i], strlen(out->groups[i]), &code);
		order[code] = i;
		out->groups[i] = xstrdup(out->groups[i]);
	}
	return order;
}

/* cap=: lowers a mean metric's values above a percentile of all units (R's
 * type 7 quantile, arms pooled) or above an absolute value. */
static int campaign_units_cap(const struct campaign *c, struct campaign_units *u,
    struct campaign_stats *out, char **cause)
{
	if (out->binary || out->ratio) {
		*cause = xasprintf("cap= applies to a mean metric (revenue or a numeric column), "
		    "not to %s", c->metric);
		return -1;
	}
	out->capped = true;
	if (!c->cap_pct) {
		out->cap_value = c->cap;
		abtest_cap_value(u->y, u->n, c->cap, &out->n_capped);
		return 0;
	}
	return abtest_cap_percentile(u->y, u->n, c->cap, &out->cap_value, &out->n_capped, cause);
}

/* One pass over the units into the arm totals and the by= cells. */
static void campaign_units_sum(const struct campaign_units *u, const uint32_t *order,
    size_t k, struct campaign_acc *tot, struct campaign_acc *cells,
    void (*add)(struct campaign_acc *, double, double))
{
	for (size_t i = 0; i < u->n; i++) {
		add(&tot[u->arm[i]], u->y[i], u->x[i]);
		if (cells != NULL && u->group[i] != CAMPAIGN_NONE)
			add(&cells[order[u->group[i]] * k + u->arm[i]], u->y[i], u->x[i]);
	}
}

int campaign_units_finish(const struct campaign *c, struct campaign_units *u,
    struct campaign_stats *out, char **cause)
{
	size_t k = out->n_arms;
	struct campaign_acc *tot, *cells = NULL;
	uint32_t *order = NULL;

	if (c->has_cap && u->n > 0 && campaign_units_cap(c, u, out, cause) != 0)
		return -1;
	tot = xcalloc(k, sizeof *tot);
	if (u->groups != NULL) {
		order = campaign_group_order(u, out);
		cells = xcalloc(out->n_groups * k + 1, sizeof *cells);
	}
	campaign_units_sum(u, order, k, tot, cells, campaign_acc_add);
	for (size_t a = 0; a < k; a++)
		campaign_acc_center(&tot[a]);
	for (size_t i = 0; cells != NULL && i < out->n_groups * k; i++)
		campaign_acc_center(&cells[i]);
	campaign_units_sum(u, order, k, tot, cells, campaign_acc_add_centered);
	out->total = xcalloc(k, sizeof *out->total);
	for (size_t a = 0; a < k; a++)
		campaign_acc_cell(&tot[a], &out->total[a]);
	if (cells != NULL) {
		out->cells = xcalloc(out->n_groups * k + 1, sizeof *out->cells);
		for (size_t i = 0; i < out->n_groups * k; i++)
			campaign_acc_cell(&cells[i], &out->cells[i]);
	}
	free(tot);
	free(cells);
	free(order);
	return campaign_check_arms(out, cause);
}

int campaign_check_arms(const struct campaign_stats *out, char **cause)
{
	char *why;

	for (size_t a = 0; a < out->n_arms; a++) {
		if (out->total[a].n == 0) {
			why = campaign_left_out(out);
			*cause = xasprintf("arm '%s' has no users%s", out->arms[a], why);
			free(why);
			return -1;
		}
	}
	return 0;
}

void campaign_stats_done(struct campaign_stats *s)
{
	for (size_t i = 0; i < s->n_arms; i++)
		free(s->arms[i]);
	for (size_t i = 0; i < s->n_groups; i++)
		free(s->groups[i]);
	free(s->arms);
	free(s->groups);
	free(s->total);
	free(s->cells);
	memset(s, 0, sizeof *s);
}

/* --- one row per user --- */

/* Arguments that only raw events take. */
static int campaign_rows_check(const struct campaign *c, const char *what, char **cause)
{
	const char *key = c->window_given ? "window=" : c->pre ? "pre=" : c->users ? "users=" :
	    NULL;

	if (key == NULL)
		return 0;
	*cause = xasprintf("%s applies to raw events (metric conversion, ctr, revenue or "
	    "retention:N), not to %s", key, what);
	return -1;
}

static int campaign_arm_column(const struct campaign *c, const struct table *t, int *col,
    char **cause)
{
	if (c->arm != NULL)
		return (*col = campaign_need_column(t, "arm", c->arm, cause)) < 0 ? -1 : 0;
	if ((*col = t->roles[ROLE_ARM]) >= 0)
		return 0;
	*cause = xasprintf("dataset '%s' has no arm column: give arm=COLUMN", t->name);
	return -1;
}

/* keep[r]: row r is inside start= / end= (a missing time is outside). */
static void campaign_rows_bounds(const struct campaign *c, const struct column *tc,
    uint8_t *keep, size_t n, size_t *outside)
{
	for (size_t r = 0; r < n; r++) {
		int64_t ms;
		int32_t day;

		if (!keep[r])
			continue;
		if (column_is_missing(tc, r)) {
			keep[r] = 0;
			(*outside)++;
			continue;
		}
		ms = tc->type == COL_DATE ? (int64_t)tc->v.days[r] * MS_PER_DAY : tc->v.i64[r];
		day = tc->type == COL_DATE ? tc->v.days[r] : (int32_t)datetime_floordiv(ms +
		    (tc->tz && tc->tz[r] != TZ_NONE ? tc->tz[r] * 60000LL : 0), MS_PER_DAY);
		if ((c->start.kind == CAMPAIGN_BOUND_DATE && day < c->start.day) ||
		    (c->start.kind == CAMPAIGN_BOUND_TIME && ms < c->start.ms) ||
		    (c->end.kind == CAMPAIGN_BOUND_DATE && day > c->end.day) ||
		    (c->end.kind == CAMPAIGN_BOUND_TIME && ms >= c->end.ms)) {
			keep[r] = 0;
			(*outside)++;
		}
	}
}

uint8_t *campaign_target_rows(const char *target, const struct table *t, char **cause)
{
	struct expr *e = expr_compile(target, t, cause);
	uint8_t *match;
	size_t kept;

	if (e == NULL)
		return NULL;
	if (expr_type(e) != COL_BOOL) {
		*cause = xasprintf("target=%s: the expression is %s, not true or false", target,
		    col_type_name(expr_type(e)));
		expr_free(e);
		return NULL;
	}
	match = xmalloc(t->n_rows ? t->n_rows : 1);
	if (expr_eval_filter(e, t, match, &kept, cause) != 0) {
		free(match);
		match = NULL;
	}
	expr_free(e);
	return match;
}

/* keep[] from target= and start= / end=. */
static int campaign_rows_keep(const struct campaign *c, const struct table *t, uint8_t *keep,
    struct campaign_stats *out, char **cause)
{
	uint8_t *match;
	int tc = t->roles[ROLE_TIME];

	memset(keep, 1, t->n_rows);
	if (c->start.kind != CAMPAIGN_BOUND_NONE || c->end.kind != CAMPAIGN_BOUND_NONE) {
		if (tc < 0 || (t->cols[tc].type != COL_DATE && t->cols[tc].type != COL_DATETIME)) {
			*cause = xasprintf("start= and end= need a time column, and dataset '%s' "
			    "has none (load it with time=COLUMN)", t->name);
			return -1;
		}
		campaign_rows_bounds(c, &t->cols[tc], keep, t->n_rows, &out->outside);
	}
	if (c->target == NULL)
		return 0;
	if ((match = campaign_target_rows(c->target, t, cause)) == NULL)
		return -1;
	for (size_t r = 0; r < t->n_rows; r++) {
		if (keep[r] && !match[r]) {
			keep[r] = 0;
			out->untargeted++;
		}
	}
	free(match);
	return 0;
}

static bool campaign_rows_binary(const struct column *m, const uint8_t *keep, size_t n)
{
	if (m->type == COL_BOOL)
		return true;
	for (size_t r = 0; r < n; r++) {
		double v;

		if (!keep[r] || column_is_missing(m, r))
			continue;
		v = column_number(m, r);
		if (v != 0 && v != 1)
			return false;
	}
	return true;
}

/* Resolves the metric, covariate and by= columns of a per-user dataset. */
static int campaign_rows_columns(const struct campaign *c, const struct table *t,
    const char *by, int *mc, int *xc, int *bc, char **cause)
{
	char *key = xasprintf("metric=%s", c->metric);
	int rc = campaign_numeric_column(t, key, c->metric_col, mc, cause);

	free(key);
	*xc = *bc = -1;
	if (rc != 0)
		return -1;
	if (c->covariate != NULL &&
	    campaign_numeric_column(t, "covariate", c->covariate, xc, cause) != 0)
		return -1;
	if (by != NULL && (*bc = campaign_need_column(t, "by", by, cause)) < 0)
		return -1;
	return 0;
}

static int campaign_stats_rows(const struct campaign *c, const struct table *t,
    const char *by, struct campaign_stats *out, char **cause)
{
	uint8_t *keep = xmalloc(t->n_rows ? t->n_rows : 1);
	struct dict *values = dict_new();
	struct campaign_units u;
	uint32_t *codes = NULL, *order = NULL;
	int ac, mc, xc, bc, rc = -1;
	char buf[128];

	campaign_units_init(&u, by != NULL);
	if (campaign_rows_check(c, c->metric, cause) != 0 ||
	    campaign_arm_column(c, t, &ac, cause) != 0 ||
	    campaign_rows_columns(c, t, by, &mc, &xc, &bc, cause) != 0 ||
	    campaign_rows_keep(c, t, keep, out, cause) != 0)
		goto done;
	/* Arms come from every row, so that target= can leave one empty. */
	codes = campaign_codes(&t->cols[ac], t->n_rows, NULL, values);
	if (campaign_arm_order(c, t->cols[ac].name, values, out, &order, cause) != 0)
		goto done;
	out->binary = campaign_rows_binary(&t->cols[mc], keep, t->n_rows);
	out->covariate = xc >= 0;
	for (size_t r = 0; r < t->n_rows; r++) {
		uint32_t g = CAMPAIGN_NONE;

		if (codes[r] == CAMPAIGN_NONE || !keep[r])
			continue;
		if (column_is_missing(&t->cols[mc], r) || (xc >= 0 &&
		    column_is_missing(&t->cols[xc], r))) {
			out->missing++;
			continue;
		}
		/* A unit without a by= value counts overall, in no group. */
		if (bc >= 0 && !column_is_missing(&t->cols[bc], r)) {
			size_t len = campaign_cell_text(&t->cols[bc], r, buf, sizeof buf);

			g = dict_intern(u.groups, buf, len);
		}
		campaign_units_add(&u, order[codes[r]], column_number(&t->cols[mc], r),
		    xc >= 0 ? column_number(&t->cols[xc], r) : 0, g);
	}
	rc = campaign_units_finish(c, &u, out, cause);
done:
	campaign_units_done(&u);
	dict_free(values);
	free(codes);
	free(order);
	free(keep);
	return rc;
}

/* --- per-arm aggregates --- */

/* The first column whose name is one of names (NULL-terminated). */
static int campaign_agg_find(const struct table *t, const char *const *names)
{
	for (size_t i = 0; names[i] != NULL; i++) {
		int col = table_find_column(t, names[i]);

		if (col >= 0)
			return col;
	}
	return -1;
}

static int campaign_agg_column(const struct table *t, const char *what,
    const char *const *names, int *col, char **cause)
{
	if ((*col = campaign_agg_find(t, names)) < 0) {
		*cause = xasprintf("aggregates '%s' has no %s column (name it %s%s%s)", t->name,
		    what, names[0], names[1] ? " or " : "", names[1] ? names[1] : "");
		return -1;
	}
	if (!col_type_numeric(t->cols[*col].type)) {
		*cause = xasprintf("aggregates '%s': column '%s' is %s, not a number", t->name,
		    t->cols[*col].name, col_type_name(t->cols[*col].type));
		return -1;
	}
	return 0;
}

static int campaign_agg_check(const struct campaign *c, char **cause)
{
	const char *key = c->target ? "target=" : c->covariate ? "covariate=" :
	    c->pre ? "pre=" : c->window_given ? "window=" : c->users ? "users=" :
	    c->has_cap ? "cap=" :
	    c->start.kind || c->end.kind ? "start= and end=" : NULL;

	if (c->kind != CAMPAIGN_CONVERSION && c->kind != CAMPAIGN_REVENUE) {
		*cause = xasprintf("metric=%s: aggregates= gives metric=conversion or "
		    "metric=revenue", c->metric);
		return -1;
	}
	if (key != NULL) {
		*cause = xasprintf("%s needs raw events; aggregates= has one row per arm", key);
		return -1;
	}
	return 0;
}

/* Reads one row's users, conversions and sums (about shift, when the
 * table has that column) into a cell. */
static int campaign_agg_row(const struct table *t, size_t r, const int *cols,
    struct campaign_cell *cell, char **cause)
{
	static const char *const what[] = { "users", "conversions", "sum", "sum of squares",
		"shift" };
	double v[5] = { 0, 0, 0, 0, 0 };
	struct abtest_arm arm, mom;

	for (size_t i = 0; i < 5; i++) {
		if (cols[i] < 0)
			continue;
		if (column_is_missing(&t->cols[cols[i]], r)) {
			*cause = xasprintf("aggregates '%s' row %zu: %s is missing", t->name, r + 1,
			    what[i]);
			return -1;
		}
		v[i] = column_number(&t->cols[cols[i]], r);
	}
	if (!(v[0] >= 0) || floor(v[0]) != v[0] || !(v[1] >= 0) || v[1] > v[0] ||
	    floor(v[1]) != v[1]) {
		*cause = xasprintf("aggregates '%s' row %zu: users and conversions must be "
		    "whole numbers with 0 <= conversions <= users", t->name, r + 1);
		return -1;
	}
	arm = (struct abtest_arm){ v[0], cols[2] >= 0 ? v[2] : v[1], cols[3] >= 0 ? v[3] : v[1],
	    v[4] };
	cell->n += v[0];
	cell->converters += v[1];
	cell->sum += arm.sum + v[0] * v[4];
	cell->sumsq += arm.sumsq + v[4] * (2 * arm.sum + v[0] * v[4]);
	mom = (struct abtest_arm){ cell->mom.n, cell->mom.sum, cell->mom.sumsq, cell->mom.shift };
	abtest_arm_merge(&mom, &arm);
	cell->mom = (struct abtest_cov_arm){ .n = mom.n, .sum = mom.sum, .sumsq = mom.sumsq,
	    .shift = mom.shift };
	return 0;
}

/* Sums of squares given by someone else may have lost the variance. */
static int campaign_agg_precision(const struct table *t, const struct campaign_stats *out,
    char **cause)
{
	for (size_t a = 0; a < out->n_arms; a++) {
		const struct abtest_cov_arm *m = &out->total[a].mom;
		struct abtest_arm arm = { m->n, m->sum, m->sumsq, m->shift };
		char *what = xasprintf("aggregates '%s' arm '%s'", t->name, out->arms[a]);
		int rc = abtest_arm_check_precision(&arm, what, cause);

		free(what);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int campaign_agg_columns(const struct campaign *c, const struct table *t, int *cols,
    char **cause)
{
	static const char *const users[] = { "users", "n", NULL };
	static const char *const conv[] = { "conversions", "converters", NULL };
	static const char *const sum[] = { "revenue_sum", "sum", NULL };
	static const char *const sumsq[] = { "revenue_sumsq", "sumsq", NULL };
	static const char *const shift[] = { "revenue_shift", "shift", NULL };

	cols[1] = cols[2] = cols[3] = cols[4] = -1;
	if (campaign_agg_column(t, "users", users, &cols[0], cause) != 0)
		return -1;
	if (c->kind == CAMPAIGN_CONVERSION)
		return campaign_agg_column(t, "conversions", conv, &cols[1], cause);
	if (campaign_agg_find(t, conv) >= 0 &&
	    campaign_agg_column(t, "conversions", conv, &cols[1], cause) != 0)
		return -1;
	if (campaign_agg_column(t, "revenue sum", sum, &cols[2], cause) != 0 ||
	    campaign_agg_column(t, "revenue sum of squares", sumsq, &cols[3], cause) != 0)
		return -1;
	if (campaign_agg_find(t, shift) >= 0 &&
	    campaign_agg_column(t, "shift", shift, &cols[4], cause) != 0)
		return -1;
	return 0;
}

static int campaign_stats_aggregates(const struct campaign *c, const struct workspace *ws,
    const char *by, struct campaign_stats *out, char **cause)
{
	static const char *const arm_names[] = { "arm", "variant", NULL };
	const struct table *t = workspace_need(ws, c->aggregates, cause);
	struct dict *values;
	uint32_t *codes, *order = NULL;
	int ac, cols[5], rc = -1;

	if (t == NULL || campaign_agg_check(c, cause) != 0)
		return -1;
	if (by != NULL) {
		*cause = xasprintf("by=%s needs raw data; aggregates= has one row per arm", by);
		return -1;
	}
	ac = c->arm ? campaign_need_column(t, "arm", c->arm, cause) :
	    campaign_agg_find(t, arm_names);
	if (ac < 0 && c->arm == NULL)
		*cause = xasprintf("aggregates '%s' has no arm column (name it arm or variant, "
		    "or give arm=COLUMN)", t->name);
	if (ac < 0 || campaign_agg_columns(c, t, cols, cause) != 0)
		return -1;
	values = dict_new();
	codes = campaign_codes(&t->cols[ac], t->n_rows, NULL, values);
	if (campaign_arm_order(c, t->cols[ac].name, values, out, &order, cause) != 0)
		goto done;
	out->binary = c->kind == CAMPAIGN_CONVERSION;
	out->total = xcalloc(out->n_arms, sizeof *out->total);
	for (size_t r = 0; r < t->n_rows; r++) {
		if (codes[r] != CAMPAIGN_NONE &&
		    campaign_agg_row(t, r, cols, &out->total[order[codes[r]]], cause) != 0)
			goto done;
	}
	rc = 0;
	for (size_t a = 0; a < out->n_arms && rc == 0; a++) {
		if (out->total[a].n == 0) {
			*cause = xasprintf("arm '%s' has no users", out->arms[a]);
			rc = -1;
		}
	}
	if (rc == 0 && !out->binary)
		rc = campaign_agg_precision(t, out, cause);
done:
	dict_free(values);
	free(codes);
	free(order);
	return rc;
}

int campaign_stats(const struct campaign *c, const struct workspace *ws, const char *by,
    struct campaign_stats *out, char **cause)
{
	return campaign_stats_cancel(c, ws, by, NULL, out, cause);
}

int campaign_stats_cancel(const struct campaign *c, const struct workspace *ws, const char *by,
    const atomic_bool *cancel, struct campaign_stats *out, char **cause)
{
	const struct table *t;
	int rc;

	memset(out, 0, sizeof *out);
	if (c->pg != NULL)
		rc = campaign_stats_pg(c, by, cancel, out, cause);
	else if (c->aggregates != NULL)
		rc = campaign_stats_aggregates(c, ws, by, out, cause);
	else if ((t = workspace_need(ws, c->dataset, cause)) == NULL)
		rc = -1;
	else if (c->kind == CAMPAIGN_COLUMN)
		rc = campaign_stats_rows(c, t, by, out, cause);
	else
		rc = campaign_stats_events(c, ws, t, by, out, cause);
	if (rc != 0)
		campaign_stats_done(out);
	return rc;
}
