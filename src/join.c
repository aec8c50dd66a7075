/* Right side grouped by key in a hash table; left rows probe it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "join.h"
#include "tableops.h"
#include "xmalloc.h"

#define JOIN_NONE UINT64_MAX

/* Right-side keys: slot -> group; group -> its rows (CSR). */
struct join_index {
	uint64_t *keys;         /* per group */
	size_t *start, *rows;   /* group g's rows: rows[start[g]..start[g+1]) */
	size_t n_groups;
	size_t *slots;          /* group + 1, 0 free */
	size_t nslots;
};

static uint64_t join_mix(uint64_t x)
{
	x ^= x >> 31;
	x *= 0x7fb5d329728ea185ULL;
	x ^= x >> 27;
	return x;
}

static bool join_types_compatible(enum col_type a, enum col_type b)
{
	if (col_type_string(a) && col_type_string(b))
		return true;
	return a == b && a != COL_FLOAT;
}

/* The group of key, or SIZE_MAX; with add, creates it. */
static size_t join_slot(struct join_index *x, uint64_t key, bool add)
{
	size_t s = join_mix(key) & (x->nslots - 1);

	for (; x->slots[s]; s = (s + 1) & (x->nslots - 1)) {
		if (x->keys[x->slots[s] - 1] == key)
			return x->slots[s] - 1;
	}
	if (!add)
		return SIZE_MAX;
	x->keys[x->n_groups] = key;
	x->slots[s] = ++x->n_groups;
	return x->n_groups - 1;
}

/* The key of a right row: its dictionary code for strings, else its bits. */
static uint64_t join_right_key(const struct column *c, size_t row)
{
	return column_is_missing(c, row) ? JOIN_NONE : tableops_cell_key(c, row);
}

static void join_index_build(struct join_index *x, const struct column *c, size_t n)
{
	size_t *gid = xmalloc((n ? n : 1) * sizeof *gid), *fill;

	x->nslots = 16;
	while (x->nslots < 2 * n + 2)
		x->nslots *= 2;
	x->slots = xcalloc(x->nslots, sizeof *x->slots);
	x->keys = xmalloc((n ? n : 1) * sizeof *x->keys);
	x->n_groups = 0;
	for (size_t r = 0; r < n; r++) {
		uint64_t k = join_right_key(c, r);

		gid[r] = k == JOIN_NONE ? SIZE_MAX : join_slot(x, k, true);
	}
	x->start = xcalloc(x->n_groups + 1, sizeof *x->start);
	for (size_t r = 0; r < n; r++)
		if (gid[r] != SIZE_MAX)
			x->start[gid[r] + 1]++;
	for (size_t g = 0; g < x->n_groups; g++)
		x->start[g + 1] += x->start[g];
	x->rows = xmalloc((n ? n : 1) * sizeof *x->rows);
	fill = xmalloc((x->n_groups + 1) * sizeof *fill);
	memcpy(fill, x->start, (x->n_groups + 1) * sizeof *fill);
	for (size_t r = 0; r < n; r++)
		if (gid[r] != SIZE_MAX)
			x->rows[fill[gid[r]]++] = r;
	free(fill);
	free(gid);
}

static void join_index_free(struct join_index *x)
{
	free(x->keys);
	free(x->start);
	free(x->rows);
	free(x->slots);
}

/* Maps each left dictionary code to the right one (JOIN_NONE if absent),
 * so string keys are compared once per distinct value. */
static uint64_t *join_code_map(const struct column *lc, const struct column *rc)
{
	uint32_t n = dict_count(lc->dict);
	uint64_t *map = xmalloc((n ? n : 1) * sizeof *map);

	for (uint32_t code = 0; code < n; code++) {
		uint32_t rcode;

		map[code] = dict_find(rc->dict, dict_str(lc->dict, code), dict_strlen(lc->dict, code),
		    &rcode) ? rcode : JOIN_NONE;
	}
	return map;
}

static int join_check_dups(const struct table *r, const struct join_index *x, int key, char **cause)
{
	char buf[128];

	for (size_t g = 0; g < x->n_groups; g++) {
		size_t n = x->start[g + 1] - x->start[g];

		if (n < 2)
			continue;
		column_format(&r->cols[key], x->rows[x->start[g]], buf, sizeof buf);
		*cause = xasprintf("'%s' has %zu rows with %s '%s' (rows %zu and %zu); say which to keep "
		    "with dup=first, dup=last or dup=all", r->name, n, r->cols[key].name, buf,
		    x->rows[x->start[g]] + 1, x->rows[x->start[g] + 1] + 1);
		return -1;
	}
	return 0;
}

/* Pairs of (left row, right row or TABLEOPS_NO_ROW) in output order. */
static void join_pairs(const struct table *l, const struct join_request *req, struct join_index *x,
    const uint64_t *map, size_t **lrows, size_t **rrows, struct join_stats *stats)
{
	const struct column *lc = &l->cols[req->left_key];
	size_t cap = l->n_rows + 16, n = 0;

	*lrows = xmalloc(cap * sizeof **lrows);
	*rrows = xmalloc(cap * sizeof **rrows);
	for (size_t row = 0; row < l->n_rows; row++) {
		size_t g = SIZE_MAX, first, last;

		if (!column_is_missing(lc, row)) {
			uint64_t k = map ? map[lc->v.codes[row]] : tableops_cell_key(lc, row);

			g = k == JOIN_NONE ? SIZE_MAX : join_slot(x, k, false);
		}
		if (g == SIZE_MAX) {
			stats->unmatched++;
			if (req->how == JOIN_INNER)
				continue;
			first = last = SIZE_MAX;
		} else {
			stats->matched++;
			first = req->dup == JOIN_DUP_LAST ? x->start[g + 1] - 1 : x->start[g];
			last = req->dup == JOIN_DUP_ALL ? x->start[g + 1] - 1 : first;
		}
		for (size_t k = first; ; k++) {
			if (n == cap) {
				cap *= 2;
				*lrows = xreallocarray(*lrows, cap, sizeof **lrows);
				*rrows = xreallocarray(*rrows, cap, sizeof **rrows);
			}
			(*lrows)[n] = row;
			(*rrows)[n++] = k == SIZE_MAX ? TABLEOPS_NO_ROW : x->rows[k];
			if (k == last)
				break;
		}
	}
	stats->rows = n;
}

static void join_build(struct table *out, const struct table *l, const struct table *r,
    const struct join_request *req, const size_t *lrows, const size_t *rrows)
{
	for (size_t i = 0; i < l->n_cols; i++)
		tableops_copy_column(out, l->cols[i].name, &l->cols[i], lrows, out->n_rows);
	for (size_t i = 0; i < (req->cols ? req->n_cols : r->n_cols); i++) {
		int col = req->cols ? req->cols[i] : (int)i;
		const char *name = r->cols[col].name;
		char *alt = NULL;

		if (!req->cols && col == req->right_key)
			continue;
		if (table_find_column(out, name) >= 0)
			name = alt = xasprintf("%s_%s", name, r->name);
		tableops_copy_column(out, name, &r->cols[col], rrows, out->n_rows);
		free(alt);
	}
	memcpy(out->roles, l->roles, sizeof out->roles);
}

int join_run(const struct table *l, const struct table *r, const struct join_request *req,
    const char *name, struct table **out, struct join_stats *stats, char **cause)
{
	const struct column *lc = &l->cols[req->left_key], *rc = &r->cols[req->right_key];
	struct join_index x;
	uint64_t *map = NULL;
	size_t *lrows, *rrows;

	memset(stats, 0, sizeof *stats);
	if (!join_types_compatible(lc->type, rc->type)) {
		*cause = xasprintf("cannot match %s column '%s' with %s column '%s'%s",
		    col_type_name(lc->type), lc->name, col_type_name(rc->type), rc->name,
		    lc->type == COL_FLOAT || rc->type == COL_FLOAT ? " (float keys are not exact)" : "");
		return -1;
	}
	join_index_build(&x, rc, r->n_rows);
	if (req->dup == JOIN_DUP_ERROR && join_check_dups(r, &x, req->right_key, cause) != 0) {
		join_index_free(&x);
		return -1;
	}
	if (col_type_string(lc->type))
		map = join_code_map(lc, rc);
	join_pairs(l, req, &x, map, &lrows, &rrows, stats);
	*out = table_new(name, NULL);
	(*out)->n_rows = stats->rows;
	join_build(*out, l, r, req, lrows, rrows);
	free(lrows);
	free(rrows);
	free(map);
	join_index_free(&x);
	return 0;
}
