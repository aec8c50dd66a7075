/* The dataset registry, in load order. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "workspace.h"
#include "xmalloc.h"

REGISTRY_DEFINE(workspace, struct workspace, struct table, tables, n_tables, table_free,
    "dataset", "loaded", "load NAME PATH")

void workspace_borrow(struct workspace *dst, const struct workspace *src)
{
	dst->tables = xreallocarray(NULL, src->n_tables ? src->n_tables : 1, sizeof *dst->tables);
	dst->n_tables = src->n_tables;
	for (size_t i = 0; i < src->n_tables; i++)
		dst->tables[i] = table_borrow(src->tables[i]);
}

/* The arrays a workspace holds, sorted for bsearch. */
struct workspace_arrays {
	const void **v;
	size_t n;
};

#define WORKSPACE_ARRAYS_PER_COLUMN 4

static int workspace_cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const void *const *)a, y = (uintptr_t)*(const void *const *)b;

	return (x > y) - (x < y);
}

static void workspace_arrays_of(const struct workspace *ws, struct workspace_arrays *a)
{
	size_t n = 0;

	for (size_t i = 0; i < ws->n_tables; i++)
		n += ws->tables[i]->n_cols * WORKSPACE_ARRAYS_PER_COLUMN;
	a->v = xreallocarray(NULL, n ? n : 1, sizeof *a->v);
	a->n = 0;
	for (size_t i = 0; i < ws->n_tables; i++) {
		for (size_t j = 0; j < ws->tables[i]->n_cols; j++) {
			const struct column *c = &ws->tables[i]->cols[j];
			const void *arrays[WORKSPACE_ARRAYS_PER_COLUMN] = { c->v.raw, c->missing, c->tz,
			    c->dict };

			for (size_t k = 0; k < WORKSPACE_ARRAYS_PER_COLUMN; k++)
				if (arrays[k] != NULL)
					a->v[a->n++] = arrays[k];
		}
	}
	qsort(a->v, a->n, sizeof *a->v, workspace_cmp_ptr);
}

static bool workspace_arrays_hold(const struct workspace_arrays *a, const void *p)
{
	return p != NULL && bsearch(&p, a->v, a->n, sizeof *a->v, workspace_cmp_ptr) != NULL;
}

/* Frees the datasets of ws, leaving the arrays kept holds to their new
 * owner. */
static void workspace_free_except(struct workspace *ws, const struct workspace *kept)
{
	struct workspace_arrays held;

	workspace_arrays_of(kept, &held);
	for (size_t i = 0; i < ws->n_tables; i++) {
		for (size_t j = 0; j < ws->tables[i]->n_cols; j++) {
			struct column *c = &ws->tables[i]->cols[j];

			if (workspace_arrays_hold(&held, c->v.raw))
				c->v.raw = NULL;
			if (workspace_arrays_hold(&held, c->missing))
				c->missing = NULL;
			if (workspace_arrays_hold(&held, c->tz))
				c->tz = NULL;
			if (workspace_arrays_hold(&held, c->dict))
				c->dict = NULL;
			c->borrowed = false;
		}
	}
	free(held.v);
	workspace_done(ws);
}

void workspace_adopt(struct workspace *ws, struct workspace *next)
{
	/* A dataset keeps its address (views hold it): its new contents move
	 * into the old place and the old contents into the copy's, to be freed
	 * below. */
	for (size_t i = 0; i < next->n_tables; i++) {
		struct table *copy = next->tables[i], swap;
		ptrdiff_t k = -1;

		for (size_t j = 0; j < ws->n_tables && k < 0; j++)
			if (ws->tables[j] == copy->origin)
				k = (ptrdiff_t)j;
		if (k < 0)
			continue;
		swap = *ws->tables[k];
		*ws->tables[k] = *copy;
		*copy = swap;
		next->tables[i] = ws->tables[k];
		next->tables[i]->origin = NULL;
		ws->tables[k] = copy;
	}
	workspace_free_except(ws, next);
	for (size_t i = 0; i < next->n_tables; i++)
		for (size_t j = 0; j < next->tables[i]->n_cols; j++)
			next->tables[i]->cols[j].borrowed = false;
	*ws = *next;
	workspace_init(next);
}

void workspace_release(struct workspace *borrowed, const struct workspace *owner)
{
	workspace_free_except(borrowed, owner);
}
