/* Group-by with a hash of key tuples, calendar buckets and gap filling. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "privacy.h"
#include "colstats.h"
#include "datetime.h"
#include "tableops.h"
#include "xmalloc.h"

static const char *const agg_func_names[AGG_FUNC_COUNT] = {
	"count", "sum", "mean", "sd", "min", "max", "distinct", "median", "first", "last"
};

int aggregate_func_parse(const char *name)
{
	for (int f = 0; f < AGG_FUNC_COUNT; f++) {
		if (strcmp(name, agg_func_names[f]) == 0)
			return f;
	}
	return -1;
}

const char *aggregate_func_name(enum agg_func f)
{
	return agg_func_names[f];
}

int aggregate_check(const struct table *t, const struct agg_spec *spec, char **cause)
{
	enum col_type type;

	if (spec->col < 0) {
		if (spec->func == AGG_COUNT)
			return 0;
		*cause = xasprintf("%s() needs a column", agg_func_names[spec->func]);
		return -1;
	}
	type = t->cols[spec->col].type;
	switch (spec->func) {
	case AGG_SUM:
	case AGG_MEAN:
	case AGG_SD:
	case AGG_MEDIAN:
		if (col_type_numeric(type))
			return 0;
		break;
	case AGG_MIN:
	case AGG_MAX:
		if (!col_type_string(type))
			return 0;
		break;
	default:
		return 0;
	}
	*cause = xasprintf("%s(%s): %s needs a numeric column, and '%s' is %s",
	    agg_func_names[spec->func], t->cols[spec->col].name, agg_func_names[spec->func],
	    t->cols[spec->col].name, col_type_name(type));
	return -1;
}

/* Key tuples: word 0 is the bitmask of missing by-values, words 1..n_by the
 * by-values, and the last word the period (with every). */
struct agg_groups {
	size_t width;           /* words per tuple */
	uint64_t *keys;         /* tuple per group */
	size_t *rep;            /* a row of the group (by-values come from it) */
	int32_t *period;
	size_t n, cap;
	uint32_t *slots;        /* hash slots: group + 1, 0 when free */
	size_t nslots;
};

static uint64_t agg_hash(const uint64_t *k, size_t w)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL;

	for (size_t i = 0; i < w; i++) {
		h ^= k[i] + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
		h *= 0xff51afd7ed558ccdULL;
	}
	return h ^ (h >> 29);
}

static void agg_groups_rehash(struct agg_groups *g)
{
	free(g->slots);
	g->nslots = g->nslots ? g->nslots * 2 : 1024;
	g->slots = xcalloc(g->nslots, sizeof *g->slots);
	for (size_t i = 0; i < g->n; i++) {
		size_t s = agg_hash(g->keys + i * g->width, g->width) & (g->nslots - 1);

		while (g->slots[s])
			s = (s + 1) & (g->nslots - 1);
		g->slots[s] = (uint32_t)i + 1;
	}
}

/* The group of a tuple, added (with rep as its row) when new. */
static size_t agg_groups_find(struct agg_groups *g, const uint64_t *key, size_t rep, int32_t period)
{
	size_t s, w = g->width;

	if ((g->n + 1) * 2 > g->nslots)
		agg_groups_rehash(g);
	s = agg_hash(key, w) & (g->nslots - 1);
	for (; g->slots[s]; s = (s + 1) & (g->nslots - 1)) {
		size_t i = g->slots[s] - 1;

		if (memcmp(g->keys + i * w, key, w * sizeof *key) == 0)
			return i;
	}
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 256;
		g->keys = xreallocarray(g->keys, g->cap, w * sizeof *g->keys);
		g->rep = xreallocarray(g->rep, g->cap, sizeof *g->rep);
		g->period = xreallocarray(g->period, g->cap, sizeof *g->period);
	}
	memcpy(g->keys + g->n * w, key, w * sizeof *key);
	g->rep[g->n] = rep;
	g->period[g->n] = period;
	g->slots[s] = (uint32_t)g->n + 1;
	return g->n++;
}

static void agg_groups_free(struct agg_groups *g)
{
	free(g->keys);
	free(g->rep);
	free(g->period);
	free(g->slots);
}

static int32_t agg_bucket(int32_t days, enum agg_every every)
{
	int y, m, d;

	if (every == AGG_EVERY_WEEK)
		return days - datetime_weekday(days);
	if (every == AGG_EVERY_MONTH) {
		datetime_civil_from_days(days, &y, &m, &d);
		return datetime_days_from_civil(y, m, 1);
	}
	return days;
}

static int32_t agg_next_bucket(int32_t p, enum agg_every every)
{
	int y, m, d;

	if (every == AGG_EVERY_WEEK)
		return p + 7;
	if (every == AGG_EVERY_MONTH) {
		datetime_civil_from_days(p, &y, &m, &d);
		return m == 12 ? datetime_days_from_civil(y + 1, 1, 1) : datetime_days_from_civil(y, m + 1, 1);
	}
	return p + 1;
}

/* The calendar bucket of a row's time; false when it is missing. */
static bool agg_row_period(const struct column *c, size_t r, const struct agg_request *req, int32_t *p)
{
	int64_t local;
	int16_t off;

	if (column_is_missing(c, r))
		return false;
	if (c->type == COL_DATE) {
		*p = agg_bucket(c->v.days[r], req->every);
		return true;
	}
	off = req->tz != TZ_NONE ? req->tz : c->tz && c->tz[r] != TZ_NONE ? c->tz[r] : 0;
	local = c->v.i64[r] + (int64_t)off * 60000;
	*p = agg_bucket((int32_t)datetime_floordiv(local, MS_PER_DAY), req->every);
	return true;
}

static void agg_row_key(const struct table *t, const struct agg_request *req, size_t r, uint64_t *key)
{
	key[0] = 0;
	for (size_t i = 0; i < req->n_by; i++) {
		const struct column *c = &t->cols[req->by[i]];

		if (column_is_missing(c, r)) {
			key[0] |= (uint64_t)1 << i;
			key[i + 1] = 0;
		} else
			key[i + 1] = tableops_cell_key(c, r);
	}
}

/* Groups every row; gid[r] is the row's group or SIZE_MAX when skipped. */
static void agg_group_rows(const struct table *t, const struct agg_request *req, struct agg_groups *g,
    size_t *gid, struct agg_stats *stats)
{
	uint64_t *key = xcalloc(g->width, sizeof *key);

	for (size_t r = 0; r < t->n_rows; r++) {
		int32_t p = 0;

		agg_row_key(t, req, r, key);
		if (req->every != AGG_EVERY_NONE) {
			if (!agg_row_period(&t->cols[req->time_col], r, req, &p)) {
				gid[r] = SIZE_MAX;
				stats->skipped++;
				continue;
			}
			key[g->width - 1] = (uint64_t)(int64_t)p;
		}
		gid[r] = agg_groups_find(g, key, r, p);
	}
	free(key);
}

static const char *agg_period_name(enum agg_every every);

/* Refuses periods outside the years 1 to 9999 the calendar holds (a time
 * near either end moved by tz=): they would print as dates that load back
 * as text. */
static int agg_check_periods(const struct agg_groups *g, const struct agg_request *req,
    char **cause)
{
	int32_t first = datetime_days_from_civil(1, 1, 1), last = datetime_days_from_civil(9999, 12, 31);
	int y, m, d;

	for (size_t i = 0; i < g->n; i++) {
		if (g->period[i] >= first && g->period[i] <= last)
			continue;
		datetime_civil_from_days(g->period[i], &y, &m, &d);
		*cause = xasprintf("every=%s: a period falls on %04d-%02d-%02d, outside the years 1 to "
		    "9999 of the calendar; filter out the rows at the ends of time or change tz=",
		    agg_period_name(req->every), y, m, d);
		return -1;
	}
	return 0;
}

/* Adds the empty periods of every by-combination. */
static void agg_fill_periods(struct agg_groups *g, enum agg_every every, struct agg_stats *stats)
{
	struct agg_groups combos = { .width = g->width - 1 };
	size_t n = g->n;
	int32_t lo = INT32_MAX, hi = INT32_MIN;
	uint64_t *key = xcalloc(g->width, sizeof *key);

	for (size_t i = 0; i < n; i++) {
		agg_groups_find(&combos, g->keys + i * g->width, g->rep[i], 0);
		lo = g->period[i] < lo ? g->period[i] : lo;
		hi = g->period[i] > hi ? g->period[i] : hi;
	}
	for (size_t c = 0; c < combos.n && n > 0; c++) {
		memcpy(key, combos.keys + c * combos.width, combos.width * sizeof *key);
		for (int32_t p = lo; p <= hi; p = agg_next_bucket(p, every)) {
			size_t before = g->n;

			key[g->width - 1] = (uint64_t)(int64_t)p;
			agg_groups_find(g, key, combos.rep[c], p);
			stats->filled += g->n - before;
		}
	}
	free(key);
	agg_groups_free(&combos);
}

struct agg_sort_ctx {
	const struct table *t;
	const struct agg_request *req;
	const struct agg_groups *g;
};

static int agg_cmp_groups(const void *a, const void *b, void *arg)
{
	const struct agg_sort_ctx *s = arg;
	size_t ga = *(const size_t *)a, gb = *(const size_t *)b;

	for (size_t i = 0; i < s->req->n_by; i++) {
		int r = tableops_compare_cells(&s->t->cols[s->req->by[i]], s->g->rep[ga], s->g->rep[gb]);

		if (r != 0)
			return r;
	}
	return (s->g->period[ga] > s->g->period[gb]) - (s->g->period[ga] < s->g->period[gb]);
}

static enum col_type agg_out_type(const struct table *t, const struct agg_spec *spec)
{
	enum col_type in = spec->col >= 0 ? t->cols[spec->col].type : COL_INT;

	switch (spec->func) {
	case AGG_COUNT:
	case AGG_DISTINCT:
		return COL_INT;
	case AGG_SUM:
		return in == COL_FLOAT ? COL_FLOAT : COL_INT;
	case AGG_MEAN:
	case AGG_SD:
	case AGG_MEDIAN:
		return COL_FLOAT;
	default:
		return in;
	}
}

static int agg_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int agg_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* A float result; an overflow to an infinity is missing instead. */
static void agg_set_float(struct column *out, size_t n_out, size_t i, double v)
{
	if (isfinite(v))
		out->v.f64[i] = v;
	else
		column_set_missing(out, n_out, i);
}

/* Numeric summaries of the present values of rows[0..n). */
static void agg_numeric(struct column *out, size_t n_out, size_t i, enum agg_func f,
    const struct column *c, const size_t *rows, size_t n, double *scratch)
{
	size_t m = 0;
	int64_t isum = 0;
	long double sum = 0.0L;
	double mean, sd;
	bool over = false;

	for (size_t k = 0; k < n; k++) {
		if (column_is_missing(c, rows[k]))
			continue;
		scratch[m] = column_number(c, rows[k]);
		sum += scratch[m++];
		if (c->type != COL_FLOAT)
			over |= __builtin_add_overflow(isum,
			    c->type == COL_BOOL ? c->v.b[rows[k]] : c->v.i64[rows[k]], &isum);
	}
	if (f == AGG_SUM) {
		/* Exact for integers (missing when it overflows); long double
		 * for floats, as R's sum(). */
		if (out->type == COL_INT && over)
			column_set_missing(out, n_out, i);
		else if (out->type == COL_INT)
			out->v.i64[i] = isum;
		else
			agg_set_float(out, n_out, i, (double)sum);
		return;
	}
	if (m == 0 || (f == AGG_SD && m < 2)) {
		column_set_missing(out, n_out, i);
		return;
	}
	colstats_mean_sd(scratch, m, &mean, &sd);
	if (f == AGG_MEAN)
		agg_set_float(out, n_out, i, mean);
	else if (f == AGG_SD)
		agg_set_float(out, n_out, i, sd);
	else {
		qsort(scratch, m, sizeof *scratch, agg_cmp_double);
		agg_set_float(out, n_out, i,
		    m % 2 ? scratch[m / 2] : scratch[m / 2 - 1] / 2.0 + scratch[m / 2] / 2.0);
	}
}

/* count, distinct, min, max, first, last: pick or count rows. */
static void agg_pick(struct column *out, size_t n_out, size_t i, enum agg_func f,
    const struct column *c, const size_t *rows, size_t n, uint64_t *keys)
{
	size_t best = SIZE_MAX, m = 0;

	for (size_t k = 0; k < n; k++) {
		size_t r = rows[k];

		if (c == NULL) {
			m++;
			continue;
		}
		if (column_is_missing(c, r))
			continue;
		keys[m++] = tableops_cell_key(c, r);
		if (best == SIZE_MAX || f == AGG_LAST ||
		    (f == AGG_MIN && tableops_compare_cells(c, r, best) < 0) ||
		    (f == AGG_MAX && tableops_compare_cells(c, r, best) > 0))
			best = f == AGG_FIRST && best != SIZE_MAX ? best : r;
	}
	if (f == AGG_COUNT) {
		out->v.i64[i] = (int64_t)m;
	} else if (f == AGG_DISTINCT) {
		size_t d = 0;

		qsort(keys, m, sizeof *keys, agg_cmp_u64);
		for (size_t k = 0; k < m; k++)
			d += k == 0 || keys[k] != keys[k - 1];
		out->v.i64[i] = (int64_t)d;
	} else if (best == SIZE_MAX)
		column_set_missing(out, n_out, i);
	else
		tableops_set_cell(out, n_out, i, c, best);
}

/* Fills one output column from the grouped rows. */
static void agg_compute(struct table *out, struct column *oc, const struct table *t,
    const struct agg_spec *spec, const size_t *order, const size_t *start, const size_t *rows)
{
	const struct column *c = spec->col >= 0 ? &t->cols[spec->col] : NULL;
	size_t maxn = 0;
	double *scratch;
	uint64_t *keys;

	for (size_t i = 0; i < out->n_rows; i++) {
		size_t g = order[i];

		maxn = start[g + 1] - start[g] > maxn ? start[g + 1] - start[g] : maxn;
	}
	scratch = xmalloc((maxn ? maxn : 1) * sizeof *scratch);
	keys = xmalloc((maxn ? maxn : 1) * sizeof *keys);
	for (size_t i = 0; i < out->n_rows; i++) {
		size_t g = order[i], n = start[g + 1] - start[g];
		const size_t *gr = rows + start[g];

		if (spec->func == AGG_SUM || spec->func == AGG_MEAN || spec->func == AGG_SD ||
		    spec->func == AGG_MEDIAN)
			agg_numeric(oc, out->n_rows, i, spec->func, c, gr, n, scratch);
		else
			agg_pick(oc, out->n_rows, i, spec->func, c, gr, n, keys);
	}
	free(scratch);
	free(keys);
}

static const char *agg_period_name(enum agg_every every)
{
	return every == AGG_EVERY_DAY ? "day" : every == AGG_EVERY_WEEK ? "week" : "month";
}

/* Builds the output: by-columns, the period, then one column per spec. */
static struct table *agg_build(const struct table *t, const struct agg_request *req, const char *name,
    const struct agg_groups *g, const size_t *order, const size_t *start, const size_t *rows)
{
	struct table *out = table_new(name, NULL);
	size_t *reps = xmalloc((g->n ? g->n : 1) * sizeof *reps);

	out->n_rows = g->n;
	for (size_t i = 0; i < g->n; i++)
		reps[i] = g->rep[order[i]];
	for (size_t i = 0; i < req->n_by; i++)
		tableops_copy_column(out, t->cols[req->by[i]].name, &t->cols[req->by[i]], reps, g->n);
	free(reps);
	if (req->every != AGG_EVERY_NONE) {
		struct column *pc = table_add_column(out, agg_period_name(req->every), COL_DATE);

		pc->monthly = req->every == AGG_EVERY_MONTH;
		for (size_t i = 0; i < g->n; i++)
			pc->v.days[i] = g->period[order[i]];
	}
	for (size_t s = 0; s < req->n_specs; s++) {
		struct column *oc = table_add_column(out, req->specs[s].name, agg_out_type(t, &req->specs[s]));

		agg_compute(out, oc, t, &req->specs[s], order, start, rows);
		if (req->specs[s].func == AGG_COUNT || req->specs[s].func == AGG_DISTINCT)
			oc->group_count = privacy_counts_users(t, req->specs[s].func == AGG_DISTINCT,
			    req->specs[s].col);
	}
	table_infer_roles(out);
	return out;
}

int aggregate_run(const struct table *t, const struct agg_request *req, const char *name,
    struct table **out, struct agg_stats *stats, char **cause)
{
	struct agg_groups g = { .width = req->n_by + 1 + (req->every != AGG_EVERY_NONE) };
	size_t *gid, *start, *rows, *order, *fill;
	struct agg_sort_ctx sctx = { t, req, &g };

	memset(stats, 0, sizeof *stats);
	if (req->n_by > 63) {
		*cause = xasprintf("too many by= columns (%zu; at most 63)", req->n_by);
		return -1;
	}
	for (size_t s = 0; s < req->n_specs; s++) {
		if (aggregate_check(t, &req->specs[s], cause) != 0)
			return -1;
	}
	gid = xmalloc((t->n_rows ? t->n_rows : 1) * sizeof *gid);
	agg_group_rows(t, req, &g, gid, stats);
	if (req->every != AGG_EVERY_NONE && agg_check_periods(&g, req, cause) != 0) {
		free(gid);
		agg_groups_free(&g);
		return -1;
	}
	if (req->every != AGG_EVERY_NONE)
		agg_fill_periods(&g, req->every, stats);
	/* Counting sort of rows by group keeps each group's rows in order. */
	start = xcalloc(g.n + 1, sizeof *start);
	for (size_t r = 0; r < t->n_rows; r++)
		if (gid[r] != SIZE_MAX)
			start[gid[r] + 1]++;
	for (size_t i = 0; i < g.n; i++)
		start[i + 1] += start[i];
	rows = xmalloc((t->n_rows ? t->n_rows : 1) * sizeof *rows);
	fill = xmalloc((g.n ? g.n : 1) * sizeof *fill);
	memcpy(fill, start, g.n * sizeof *fill);
	for (size_t r = 0; r < t->n_rows; r++)
		if (gid[r] != SIZE_MAX)
			rows[fill[gid[r]]++] = r;
	order = xmalloc((g.n ? g.n : 1) * sizeof *order);
	for (size_t i = 0; i < g.n; i++)
		order[i] = i;
	qsort_r(order, g.n, sizeof *order, agg_cmp_groups, &sctx);
	*out = agg_build(t, req, name, &g, order, start, rows);
	stats->groups = g.n;
	free(gid);
	free(start);
	free(rows);
	free(fill);
	free(order);
	agg_groups_free(&g);
	return 0;
}
