/* Row selection and sorting. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tableops.h"
#include "xmalloc.h"

struct dict *tableops_dict_clone(const struct dict *d)
{
	struct dict *copy = dict_new();

	for (uint32_t code = 0; code < dict_count(d); code++)
		dict_intern(copy, dict_str(d, code), dict_strlen(d, code));
	return copy;
}

uint64_t tableops_cell_key(const struct column *c, size_t row)
{
	uint64_t k;
	double d;

	switch (c->type) {
	case COL_FLOAT:
		d = c->v.f64[row] == 0.0 ? 0.0 : c->v.f64[row];
		memcpy(&k, &d, sizeof k);
		return k;
	case COL_INT:
	case COL_DATETIME:
		return (uint64_t)c->v.i64[row];
	case COL_DATE:
		return (uint64_t)(int64_t)c->v.days[row];
	case COL_BOOL:
		return c->v.b[row];
	default:
		return c->v.codes[row];
	}
}

void tableops_set_cell(struct column *dst, size_t n_rows, size_t i, const struct column *src, size_t row)
{
	size_t w = col_type_width(src->type);

	if (column_is_missing(src, row)) {
		column_set_missing(dst, n_rows, i);
		return;
	}
	if (col_type_string(src->type))
		dst->v.codes[i] = dict_intern(dst->dict, column_str(src, row), dict_strlen(src->dict, src->v.codes[row]));
	else
		memcpy((char *)dst->v.raw + i * w, (const char *)src->v.raw + row * w, w);
	if (src->tz != NULL) {
		if (dst->tz == NULL) {
			dst->tz = xmalloc((n_rows ? n_rows : 1) * sizeof *dst->tz);
			for (size_t k = 0; k < n_rows; k++)
				dst->tz[k] = TZ_NONE;
		}
		dst->tz[i] = src->tz[row];
	}
}

void tableops_copy_column(struct table *dst, const char *name, const struct column *src,
    const size_t *rows, size_t n)
{
	struct column *c = table_add_column(dst, name, src->type);
	size_t w = col_type_width(src->type);
	char *to = c->v.raw;
	const char *from = src->v.raw;

	for (size_t i = 0; i < n; i++) {
		if (rows[i] == TABLEOPS_NO_ROW || column_is_missing(src, rows[i]))
			column_set_missing(c, n, i);
		else
			memcpy(to + i * w, from + rows[i] * w, w);
	}
	if (src->tz != NULL) {
		c->tz = xmalloc((n ? n : 1) * sizeof *c->tz);
		for (size_t i = 0; i < n; i++)
			c->tz[i] = rows[i] == TABLEOPS_NO_ROW ? TZ_NONE : src->tz[rows[i]];
	}
	if (src->dict != NULL) {
		dict_free(c->dict);
		c->dict = tableops_dict_clone(src->dict);
	}
	c->monthly = src->monthly;
	c->masked = src->masked;
	c->group_count = src->group_count;
}

struct table *tableops_select(const struct table *t, const char *name, const size_t *rows, size_t n)
{
	struct table *out = table_new(name, NULL);

	out->n_rows = n;
	for (size_t i = 0; i < t->n_cols; i++)
		tableops_copy_column(out, t->cols[i].name, &t->cols[i], rows, n);
	memcpy(out->roles, t->roles, sizeof out->roles);
	return out;
}

static int tableops_cmp_values(const struct column *c, size_t a, size_t b)
{
	switch (c->type) {
	case COL_INT:
	case COL_DATETIME:
		return (c->v.i64[a] > c->v.i64[b]) - (c->v.i64[a] < c->v.i64[b]);
	case COL_FLOAT:
		return (c->v.f64[a] > c->v.f64[b]) - (c->v.f64[a] < c->v.f64[b]);
	case COL_DATE:
		return (c->v.days[a] > c->v.days[b]) - (c->v.days[a] < c->v.days[b]);
	case COL_BOOL:
		return (int)c->v.b[a] - (int)c->v.b[b];
	default:
		if (c->v.codes[a] == c->v.codes[b])
			return 0;
		return strcmp(column_str(c, a), column_str(c, b));
	}
}

int tableops_compare_cells(const struct column *c, size_t a, size_t b)
{
	bool ma = column_is_missing(c, a), mb = column_is_missing(c, b);

	if (ma || mb)
		return (int)ma - (int)mb;
	return tableops_cmp_values(c, a, b);
}

/* Merge sort: stable, and O(n log n) whatever the data. */
struct tableops_sorter {
	const struct column *c;
	bool desc;
	size_t *tmp;
};

static bool tableops_before(const struct tableops_sorter *s, size_t a, size_t b)
{
	bool ma = column_is_missing(s->c, a), mb = column_is_missing(s->c, b);
	int r;

	if (ma || mb)
		return !ma && mb;
	r = tableops_cmp_values(s->c, a, b);
	return s->desc ? r > 0 : r < 0;
}

static void tableops_merge_sort(struct tableops_sorter *s, size_t *v, size_t n)
{
	size_t mid = n / 2, i = 0, j = mid, k = 0;

	if (n < 2)
		return;
	tableops_merge_sort(s, v, mid);
	tableops_merge_sort(s, v + mid, n - mid);
	while (i < mid && j < n)
		s->tmp[k++] = tableops_before(s, v[j], v[i]) ? v[j++] : v[i++];
	while (i < mid)
		s->tmp[k++] = v[i++];
	while (j < n)
		s->tmp[k++] = v[j++];
	memcpy(v, s->tmp, n * sizeof *v);
}

void tableops_sort_order(const struct table *t, int col, bool desc, size_t *rows)
{
	struct tableops_sorter s = { &t->cols[col], desc, xmalloc((t->n_rows ? t->n_rows : 1) * sizeof(size_t)) };

	for (size_t i = 0; i < t->n_rows; i++)
		rows[i] = i;
	tableops_merge_sort(&s, rows, t->n_rows);
	free(s.tmp);
}
