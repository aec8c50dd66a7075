/* Rendering JSON results as text. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"
#include "result.h"
#include "text.h"
#include "xmalloc.h"

#define RESULT_CELL_MAX 32

char *result_scalar(const cJSON *v)
{
	char num[NUMFMT_SIZE];

	if (v == NULL || cJSON_IsNull(v))
		return xstrdup(tty_glyphs()->missing);
	if (cJSON_IsBool(v))
		return xstrdup(cJSON_IsTrue(v) ? "true" : "false");
	if (cJSON_IsString(v))
		return xstrdup(v->valuestring);
	if (!cJSON_IsNumber(v))
		return cJSON_PrintUnformatted(v);
	return xstrdup(numfmt_named(v->string, v->valuedouble, num));
}

char *result_cell(const cJSON *v)
{
	const cJSON *val, *count;
	char *out = NULL;

	if (!cJSON_IsObject(v) && !cJSON_IsArray(v))
		return result_scalar(v);
	val = cJSON_GetObjectItemCaseSensitive(v, "value");
	count = cJSON_GetObjectItemCaseSensitive(v, "count");
	if (val != NULL && count != NULL && cJSON_GetArraySize(v) == 2) {
		char *a = result_scalar(val), *b = result_scalar(count);

		out = xasprintf("%s (%s)", a, b);
		free(a);
		free(b);
		return out;
	}
	out = xstrdup("");
	for (const cJSON *m = v->child; m != NULL; m = m->next) {
		char *s = result_cell(m), *n;

		n = m->string ? xasprintf("%s%s%s=%s", out, *out ? " " : "", m->string, s) :
		    xasprintf("%s%s%s", out, *out ? ", " : "", s);
		free(out);
		free(s);
		out = n;
	}
	return out;
}

/* A clean copy of s at most RESULT_CELL_MAX columns wide. */
static char *result_clip(const char *s)
{
	char *clean = text_clean(s), *out = text_clip(clean, RESULT_CELL_MAX);

	free(clean);
	return out;
}

/* A table of objects: the union of their keys in first-seen order. */
struct result_table {
	const char **keys;
	size_t n_keys;
	int *width;
	bool *numeric;
};

/* True when a column holds objects (such as a top value and its count). */
static bool result_nested(const cJSON *arr, const char *key)
{
	for (const cJSON *o = arr->child; o != NULL; o = o->next) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

		if (v != NULL && !cJSON_IsNull(v))
			return cJSON_IsObject(v) || cJSON_IsArray(v);
	}
	return false;
}

/* Moves the columns of objects after the plain ones, which read best. */
static void result_table_order(struct result_table *t, const cJSON *arr)
{
	const char **keys = xcalloc(t->n_keys + 1, sizeof *keys);
	size_t n = 0;

	for (int nested = 0; nested < 2; nested++)
		for (size_t k = 0; k < t->n_keys; k++)
			if (result_nested(arr, t->keys[k]) == (nested == 1))
				keys[n++] = t->keys[k];
	memcpy(t->keys, keys, t->n_keys * sizeof *keys);
	free(keys);
}

static void result_table_keys(struct result_table *t, const cJSON *arr)
{
	for (const cJSON *o = arr->child; o != NULL; o = o->next) {
		for (const cJSON *m = o->child; m != NULL; m = m->next) {
			size_t k;

			for (k = 0; k < t->n_keys && strcmp(t->keys[k], m->string) != 0; k++)
				;
			if (k < t->n_keys)
				continue;
			t->keys = xreallocarray(t->keys, t->n_keys + 1, sizeof *t->keys);
			t->keys[t->n_keys++] = m->string;
		}
	}
	result_table_order(t, arr);
	t->width = xcalloc(t->n_keys ? t->n_keys : 1, sizeof *t->width);
	t->numeric = xcalloc(t->n_keys ? t->n_keys : 1, sizeof *t->numeric);
}

/* The cleaned cell text of every row and column, and the column widths. */
static char **result_table_cells(struct result_table *t, const cJSON *arr, size_t rows)
{
	char **cells = xcalloc(rows * t->n_keys + 1, sizeof *cells);
	size_t r = 0;

	for (size_t k = 0; k < t->n_keys; k++) {
		char *h = text_clean(t->keys[k]);

		t->width[k] = text_width(h);
		t->numeric[k] = true;
		free(h);
	}
	for (const cJSON *o = arr->child; o != NULL; o = o->next, r++) {
		for (size_t k = 0; k < t->n_keys; k++) {
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, t->keys[k]);
			/* an absent key is blank, a null value is missing */
			char *s = v != NULL ? result_cell(v) : xstrdup("");
			int w;

			/* the last column (often a long text) is not clipped */
			cells[r * t->n_keys + k] = k + 1 < t->n_keys ? result_clip(s) :
			    text_clean(s);
			free(s);
			w = text_width(cells[r * t->n_keys + k]);
			if (w > t->width[k])
				t->width[k] = w;
			if (v != NULL && !cJSON_IsNull(v) && !cJSON_IsNumber(v))
				t->numeric[k] = false;
		}
	}
	return cells;
}

/* Joins clean cells padded to their widths into one new line. */
static char *result_join(const struct result_table *t, char **cells, bool header)
{
	size_t cap = 1, o = 0;
	char *line;

	for (size_t k = 0; k < t->n_keys; k++)
		cap += strlen(cells[k]) + (size_t)t->width[k] + 2;
	line = xmalloc(cap);
	for (size_t k = 0; k < t->n_keys; k++) {
		int pad = t->width[k] - text_width(cells[k]);
		bool right = t->numeric[k] && !header;

		if (k > 0)
			line[o++] = ' ', line[o++] = ' ';
		for (int i = 0; right && i < pad; i++)
			line[o++] = ' ';
		memcpy(line + o, cells[k], strlen(cells[k]));
		o += strlen(cells[k]);
		for (int i = 0; !right && i < pad && k + 1 < t->n_keys; i++)
			line[o++] = ' ';
	}
	line[o] = '\0';
	return line;
}

static void result_render_table(struct pager *p, const cJSON *arr)
{
	struct result_table t = { 0 };
	size_t rows = (size_t)cJSON_GetArraySize(arr);
	char **cells, **head;

	result_table_keys(&t, arr);
	cells = result_table_cells(&t, arr, rows);
	head = xcalloc(t.n_keys + 1, sizeof *head);
	for (size_t k = 0; k < t.n_keys; k++)
		head[k] = text_clean(t.keys[k]);
	pager_add_clean(p, TTY_HEADER, result_join(&t, head, true));
	for (size_t r = 0; r < rows; r++)
		pager_add_clean(p, TTY_NORMAL, result_join(&t, cells + r * t.n_keys, false));
	for (size_t i = 0; i < rows * t.n_keys; i++)
		free(cells[i]);
	for (size_t k = 0; k < t.n_keys; k++)
		free(head[k]);
	free(cells);
	free(head);
	free(t.keys);
	free(t.width);
	free(t.numeric);
}

static bool result_is_table(const cJSON *v)
{
	return cJSON_IsArray(v) && v->child != NULL && cJSON_IsObject(v->child);
}

static void result_render_member(struct pager *p, const cJSON *m, int depth)
{
	const char *name = m->string ? m->string : "";

	if (result_is_table(m)) {
		pager_add(p, TTY_NORMAL, "%s", "");
		pager_add(p, TTY_TITLE, "%*s%s", depth * 2, "", name);
		result_render_table(p, m);
		return;
	}
	if (cJSON_IsObject(m)) {
		pager_add(p, TTY_TITLE, "%*s%s:", depth * 2, "", name);
		for (const cJSON *c = m->child; c != NULL; c = c->next)
			result_render_member(p, c, depth + 1);
		return;
	}
	char *s = result_cell(m);

	pager_add(p, TTY_NORMAL, "%*s%s: %s", depth * 2, "", name, s);
	free(s);
}

void result_render(struct pager *p, const cJSON *r)
{
	if (r == NULL)
		return;
	if (result_is_table(r)) {
		result_render_table(p, r);
		return;
	}
	if (!cJSON_IsObject(r)) {
		char *s = result_cell(r);

		pager_add(p, TTY_NORMAL, "%s", s);
		free(s);
		return;
	}
	for (const cJSON *m = r->child; m != NULL; m = m->next)
		result_render_member(p, m, 0);
}

/* "campaign spring defined: conversion on events, control 'control'": what
 * was defined, not only the dataset it reads. */
static char *result_campaign_summary(const cJSON *r, const char *dataset)
{
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(r, "campaign");
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(r, "metric");
	const cJSON *ctl = cJSON_GetObjectItemCaseSensitive(r, "control");

	if (!cJSON_IsString(k) || !cJSON_IsString(m) || !cJSON_IsString(ctl))
		return xasprintf("campaign: %s", dataset);
	return xasprintf("campaign %s defined: %s on %s, control '%s'", k->valuestring,
	    m->valuestring, dataset, ctl->valuestring);
}

char *result_summary(const char *command, const cJSON *r)
{
	const cJSON *ds = cJSON_GetObjectItemCaseSensitive(r, "dataset");
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(r, "rows");
	const cJSON *cols = cJSON_GetObjectItemCaseSensitive(r, "columns");

	if (!cJSON_IsString(ds))
		return xasprintf("%s: done", command);
	if (strcmp(command, "campaign") == 0)
		return result_campaign_summary(r, ds->valuestring);
	if (strcmp(command, "load") == 0 && cJSON_IsNumber(rows) && cJSON_IsArray(cols))
		return xasprintf("loaded %s: %.0f rows, %d columns", ds->valuestring,
		    rows->valuedouble, cJSON_GetArraySize(cols));
	if (cJSON_IsNumber(rows) && cJSON_IsArray(cols))
		return xasprintf("%s: %s, %.0f rows, %d columns", command, ds->valuestring,
		    rows->valuedouble, cJSON_GetArraySize(cols));
	if (cJSON_IsNumber(rows))
		return xasprintf("%s: %s, %.0f rows", command, ds->valuestring, rows->valuedouble);
	return xasprintf("%s: %s", command, ds->valuestring);
}
