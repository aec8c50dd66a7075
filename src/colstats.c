/* One pass for moments (Welford), one for distinct values. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "colstats.h"
#include "tableops.h"
#include "xmalloc.h"

/* A set of 64-bit keys, for counting distinct numbers. */
struct colstats_set {
	uint64_t *keys;
	uint8_t *used;
	size_t cap, n;
};

static uint64_t colstats_mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static void colstats_set_add(struct colstats_set *s, uint64_t key);

static void colstats_set_grow(struct colstats_set *s)
{
	struct colstats_set old = *s;

	s->cap = old.cap ? old.cap * 2 : 1024;
	s->keys = xcalloc(s->cap, sizeof *s->keys);
	s->used = xcalloc(s->cap, 1);
	s->n = 0;
	for (size_t i = 0; i < old.cap; i++) {
		if (old.used[i])
			colstats_set_add(s, old.keys[i]);
	}
	free(old.keys);
	free(old.used);
}

static void colstats_set_add(struct colstats_set *s, uint64_t key)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap)
		colstats_set_grow(s);
	for (i = colstats_mix(key) & (s->cap - 1); s->used[i]; i = (i + 1) & (s->cap - 1)) {
		if (s->keys[i] == key)
			return;
	}
	s->used[i] = 1;
	s->keys[i] = key;
	s->n++;
}

void colstats_mean_sd(const double *x, size_t n, double *mean, double *sd)
{
	long double sum = 0.0L, m, ss = 0.0L;

	*mean = *sd = 0.0;
	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++)
		sum += x[i];
	m = sum / (long double)n;
	sum = 0.0L;
	for (size_t i = 0; i < n; i++)
		sum += x[i] - m;
	m += sum / (long double)n;
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - m) * (x[i] - m);
	*mean = (double)m;
	*sd = n > 1 ? sqrt((double)(ss / (long double)(n - 1))) : 0.0;
}

static void colstats_moments(const struct column *c, size_t n_rows, struct colstats *out)
{
	double *x = xmalloc((n_rows ? n_rows : 1) * sizeof *x);
	size_t n = 0;

	out->min = INFINITY;
	out->max = -INFINITY;
	for (size_t r = 0; r < n_rows; r++) {
		if (column_is_missing(c, r))
			continue;
		x[n] = column_number(c, r);
		if (x[n] < out->min)
			out->min = x[n], out->min_row = r;
		if (x[n] > out->max)
			out->max = x[n], out->max_row = r;
		n++;
	}
	colstats_mean_sd(x, n, &out->mean, &out->sd);
	free(x);
}

/* Counts per dictionary code (or per bool value) for distinct and top. */
static void colstats_codes(const struct column *c, size_t n_rows, struct colstats *out)
{
	size_t ncodes = c->type == COL_BOOL ? 2 : dict_count(c->dict);
	size_t *counts = xcalloc(ncodes, sizeof *counts), *first = xcalloc(ncodes, sizeof *first);
	size_t best = SIZE_MAX;

	for (size_t r = 0; r < n_rows; r++) {
		uint32_t code;

		if (column_is_missing(c, r))
			continue;
		code = c->type == COL_BOOL ? c->v.b[r] : c->v.codes[r];
		if (counts[code]++ == 0) {
			first[code] = r;
			out->distinct++;
		}
	}
	/* Ties go to the value seen first in the data. */
	for (size_t k = 0; k < ncodes; k++) {
		if (counts[k] == 0)
			continue;
		if (best == SIZE_MAX || counts[k] > counts[best] ||
		    (counts[k] == counts[best] && first[k] < first[best]))
			best = k;
	}
	if (best != SIZE_MAX) {
		out->top_count = counts[best];
		out->top_row = first[best];
	}
	free(counts);
	free(first);
}

void colstats_compute(const struct column *c, size_t n_rows, struct colstats *out)
{
	memset(out, 0, sizeof *out);
	out->missing = c->n_missing;
	out->count = n_rows - c->n_missing;
	if (col_type_string(c->type) || c->type == COL_BOOL)
		colstats_codes(c, n_rows, out);
	if (!col_type_string(c->type))
		colstats_moments(c, n_rows, out);
	if (c->type != COL_BOOL && !col_type_string(c->type)) {
		struct colstats_set s = { 0 };

		for (size_t r = 0; r < n_rows; r++) {
			if (!column_is_missing(c, r))
				colstats_set_add(&s, tableops_cell_key(c, r));
		}
		out->distinct = s.n;
		free(s.keys);
		free(s.used);
	}
}
