/* Holidays and events to regressor columns. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "holiday.h"
#include "xmalloc.h"

#define HOLIDAY_WINDOW_MAX 60	/* days before or after a date at most */

/* A dataset's columns as the calendar reads them. */
struct holiday_cols {
	const struct table *t;
	const char *key;	/* "holidays" or "events" */
	int date, end, name, before, after;
};

/* Every column (name, offset) in order of first appearance. */
struct holiday_plan {
	size_t n;
	char **name;
	int *offset;
};

static int holiday_need(const struct holiday_cols *h, const char *col, int type, char **cause)
{
	int j = table_find_column(h->t, col);

	if (j < 0) {
		*cause = xasprintf("%s=%s: '%s' has no column '%s' (%s)", h->key, h->t->name,
		    h->t->name, col, strcmp(h->key, "holidays") == 0 ?
		    "a holidays dataset has date, name and optional before, after" :
		    "an events dataset has start, end and name");
		return -1;
	}
	if (type >= 0 && h->t->cols[j].type != (enum col_type)type) {
		*cause = xasprintf("%s=%s: '%s' is %s, not %s", h->key, h->t->name, col,
		    col_type_name(h->t->cols[j].type), col_type_name((enum col_type)type));
		return -1;
	}
	return j;
}

static int holiday_cols_init(struct holiday_cols *h, const struct table *t, bool events,
    char **cause)
{
	memset(h, 0, sizeof *h);
	h->t = t;
	h->key = events ? "events" : "holidays";
	h->before = h->after = h->end = -1;
	if ((h->date = holiday_need(h, events ? "start" : "date", COL_DATE, cause)) < 0 ||
	    (h->name = holiday_need(h, "name", -1, cause)) < 0)
		return -1;
	if (events)
		return (h->end = holiday_need(h, "end", COL_DATE, cause)) < 0 ? -1 : 0;
	if (table_find_column(t, "before") >= 0 &&
	    (h->before = holiday_need(h, "before", COL_INT, cause)) < 0)
		return -1;
	if (table_find_column(t, "after") >= 0 &&
	    (h->after = holiday_need(h, "after", COL_INT, cause)) < 0)
		return -1;
	return 0;
}

/* Days before (or after) a row's date that belong to it; -1 when out of
 * range. */
static int holiday_days(const struct holiday_cols *h, int col, size_t row, const char *what,
    int *out, char **cause)
{
	long v;

	*out = 0;
	if (col < 0 || column_is_missing(&h->t->cols[col], row))
		return 0;
	v = (long)h->t->cols[col].v.i64[row];
	if (v >= 0 && v <= HOLIDAY_WINDOW_MAX) {
		*out = (int)v;
		return 0;
	}
	*cause = xasprintf("%s=%s: row %zu: %s=%ld; give 0 to %d days", h->key, h->t->name,
	    row + 1, what, v, HOLIDAY_WINDOW_MAX);
	return -1;
}

/* A row's name and window [from, to] in days. */
static int holiday_row(const struct holiday_cols *h, size_t row, char *name, size_t size,
    int32_t *from, int32_t *to, int *before, char **cause)
{
	const struct column *dc = &h->t->cols[h->date], *nc = &h->t->cols[h->name];
	int after;

	if (column_is_missing(dc, row) || column_is_missing(nc, row) ||
	    (h->end >= 0 && column_is_missing(&h->t->cols[h->end], row))) {
		*cause = xasprintf("%s=%s: row %zu: a date or the name is missing", h->key,
		    h->t->name, row + 1);
		return -1;
	}
	column_format(nc, row, name, size);
	if (holiday_days(h, h->before, row, "before", before, cause) != 0 ||
	    holiday_days(h, h->after, row, "after", &after, cause) != 0)
		return -1;
	*from = dc->v.days[row] - *before;
	*to = h->end >= 0 ? h->t->cols[h->end].v.days[row] : dc->v.days[row] + after;
	if (*to < *from) {
		*cause = xasprintf("%s=%s: row %zu: the end is before the start", h->key,
		    h->t->name, row + 1);
		return -1;
	}
	return 0;
}

/* The column of (name, offset), added when new. */
static size_t holiday_plan_col(struct holiday_plan *p, const char *name, int offset)
{
	for (size_t j = 0; j < p->n; j++)
		if (p->offset[j] == offset && strcmp(p->name[j], name) == 0)
			return j;
	p->name = xreallocarray(p->name, p->n + 1, sizeof *p->name);
	p->offset = xreallocarray(p->offset, p->n + 1, sizeof *p->offset);
	p->name[p->n] = xstrdup(name);
	p->offset[p->n] = offset;
	return p->n++;
}

/* Position of a day on a daily or weekly clock; -1 outside 0..rows-1. */
static long holiday_pos(const struct series_clock *c, int32_t day, size_t rows)
{
	long d = (long)day - c->origin, pos;

	if (d < 0)
		return -1;
	pos = c->period == SERIES_WEEKLY ? d / 7 : d;
	return pos < (long)rows ? pos : -1;
}

/* Plans the columns of every row's window, and with x marks its days. */
static int holiday_mark(const struct holiday_cols *h, const struct series_clock *c,
    size_t rows, struct holiday_plan *p, double *x, char **cause)
{
	char name[128];
	int32_t from, to;
	int before;
	size_t j;
	long pos;

	for (size_t r = 0; r < h->t->n_rows; r++) {
		if (holiday_row(h, r, name, sizeof name, &from, &to, &before, cause) != 0)
			return -1;
		for (int32_t d = from; d <= to; d++) {
			if ((pos = holiday_pos(c, d, rows)) < 0)
				continue;
			j = holiday_plan_col(p, name, h->end >= 0 || c->period == SERIES_WEEKLY ? 0 :
			    (int)(d - from) - before);
			if (x != NULL)
				x[(size_t)pos * p->n + j] = 1;
		}
	}
	return 0;
}

/* Keeps the columns that are 1 somewhere in the history. */
static void holiday_keep_seen(struct holiday_plan *p, double *x, size_t n, size_t rows,
    struct holiday_xreg *out)
{
	size_t k = 0;
	bool *seen = xcalloc(p->n + 1, sizeof *seen);

	for (size_t i = 0; i < n && i < rows; i++)
		for (size_t j = 0; j < p->n; j++)
			seen[j] = seen[j] || x[i * p->n + j] != 0;
	out->name = xcalloc(p->n + 1, sizeof *out->name);
	out->offset = xcalloc(p->n + 1, sizeof *out->offset);
	for (size_t j = 0; j < p->n; j++) {
		if (!seen[j]) {
			free(p->name[j]);
			continue;
		}
		out->name[k] = p->name[j];
		out->offset[k++] = p->offset[j];
	}
	out->ncol = k;
	out->rows = rows;
	out->x = xcalloc(rows * (k ? k : 1), sizeof *out->x);
	for (size_t i = 0; i < rows; i++)
		for (size_t j = 0, c = 0; j < p->n; j++)
			if (seen[j])
				out->x[i * k + c++] = x[i * p->n + j];
	free(seen);
}

int holiday_xreg_build(const struct table *holidays, const struct table *events,
    const struct series_clock *c, size_t n, size_t rows, struct holiday_xreg *out,
    char **cause)
{
	struct holiday_plan p = { 0 };
	struct holiday_cols h;
	double *x = NULL;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (c->period != SERIES_DAILY && c->period != SERIES_WEEKLY) {
		*cause = xasprintf("%s= needs a daily or weekly series; this one is %s",
		    holidays != NULL ? "holidays" : "events", series_period_name(c->period));
		return -1;
	}
	/* Twice: the columns first, then the days (the plan is complete). */
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		if (pass == 1)
			x = xcalloc(rows * (p.n ? p.n : 1), sizeof *x);
		for (int k = 0; k < 2 && rc == 0; k++) {
			const struct table *t = k == 0 ? holidays : events;

			if (t != NULL)
				rc = holiday_cols_init(&h, t, k == 1, cause) != 0 ||
				    holiday_mark(&h, c, rows, &p, x, cause) != 0 ? -1 : 0;
		}
	}
	if (rc == 0)
		holiday_keep_seen(&p, x, n, rows, out);
	else
		for (size_t j = 0; j < p.n; j++)
			free(p.name[j]);
	free(p.name);
	free(p.offset);
	free(x);
	return rc;
}

void holiday_xreg_done(struct holiday_xreg *x)
{
	for (size_t j = 0; j < x->ncol; j++)
		free(x->name[j]);
	free(x->name);
	free(x->offset);
	free(x->x);
	memset(x, 0, sizeof *x);
}
