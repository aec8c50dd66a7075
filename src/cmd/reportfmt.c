/* Markdown and CSV reports of command results. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"
#include "reportfmt.h"
#include "xmalloc.h"

/* A plain field, or a list of objects shown as a table. */
struct rf_item {
	char *key;
	char *value;            /* NULL for a table */
	const cJSON *rows;      /* the list, for a table */
	bool text;              /* the value was a string */
};

struct rf_items {
	struct rf_item *v;
	size_t n;
	size_t withheld;        /* nested objects left out */
};

/* What is being rendered: the report and the dataset the result is about. */
struct rf_ctx {
	const struct reportfmt *r;
	const struct table *dataset;
};

int reportfmt_parse(const char *name, enum reportfmt_kind *kind)
{
	if (strcmp(name, "json") == 0)
		*kind = REPORTFMT_JSON;
	else if (strcmp(name, "md") == 0 || strcmp(name, "markdown") == 0)
		*kind = REPORTFMT_MD;
	else if (strcmp(name, "csv") == 0)
		*kind = REPORTFMT_CSV;
	else
		return -1;
	return 0;
}

/* Untrusted text with control characters (C0 but those in keep, DEL, and
 * C1 as UTF-8 C2 80 to C2 9F) made spaces. */
static char *rf_clean_but(const char *s, const char *keep)
{
	char *out = xstrdup(s), *w = out;

	for (const char *p = out; *p; p++) {
		bool c1 = (unsigned char)p[0] == 0xc2 && (unsigned char)p[1] >= 0x80 &&
		    (unsigned char)p[1] <= 0x9f;
		bool c0 = ((unsigned char)*p < 0x20 && strchr(keep, *p) == NULL) || *p == 0x7f;

		*w++ = c1 || c0 ? ' ' : *p;
		p += c1;
	}
	*w = '\0';
	return out;
}

static char *rf_clean(const char *s)
{
	return rf_clean_but(s, "");
}

static char *rf_text(const cJSON *v);

/* A list of plain values joined by ", ", or NULL when one is not plain. */
static char *rf_join(const cJSON *list)
{
	char *out = xstrdup(""), *s, *joined;
	const cJSON *v;

	cJSON_ArrayForEach(v, list) {
		if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
			free(out);
			return NULL;
		}
		s = rf_text(v);
		joined = xasprintf("%s%s%s", out, v != list->child ? ", " : "", s);
		free(out);
		free(s);
		out = joined;
	}
	return out;
}

/* A value as text: strings as they are, numbers formatted for people by
 * their key, null empty. */
static char *rf_text(const cJSON *v)
{
	char *s, *out, num[NUMFMT_SIZE];

	if (cJSON_IsString(v))
		return rf_clean(v->valuestring);
	if (cJSON_IsNull(v))
		return xstrdup("");
	if (cJSON_IsNumber(v))
		return xstrdup(numfmt_named(v->string, v->valuedouble, num));
	if (cJSON_IsArray(v) && (out = rf_join(v)) != NULL)
		return out;
	s = cJSON_PrintUnformatted(v);
	out = rf_clean(s);
	cJSON_free(s);
	return out;
}

static bool rf_is_size_key(const struct rf_ctx *c, const char *key)
{
	int col;

	if (strcmp(key, "n") == 0 || strcmp(key, "users") == 0 || strcmp(key, "n_users") == 0)
		return true;
	if (c->dataset == NULL || (col = table_find_column(c->dataset, key)) < 0)
		return false;
	return c->dataset->cols[col].group_count;
}

/* True when an object stands for a group smaller than min_group. */
static bool rf_small(const struct rf_ctx *c, const cJSON *o)
{
	const cJSON *v;

	if (c->r->min_group <= 0)
		return false;
	cJSON_ArrayForEach(v, o) {
		if (cJSON_IsNumber(v) && v->string && rf_is_size_key(c, v->string) &&
		    v->valuedouble < (double)c->r->min_group)
			return true;
	}
	return false;
}

static void rf_add(struct rf_items *items, char *key, const cJSON *v, bool table)
{
	items->v = xreallocarray(items->v, items->n + 1, sizeof *items->v);
	items->v[items->n++] = (struct rf_item){ key, table ? NULL : rf_text(v), table ? v : NULL,
	    cJSON_IsString(v) };
}

static void rf_items_free(struct rf_items *items)
{
	for (size_t i = 0; i < items->n; i++) {
		free(items->v[i].key);
		free(items->v[i].value);
	}
	free(items->v);
}

static bool rf_is_table(const cJSON *v)
{
	const cJSON *e;

	if (!cJSON_IsArray(v) || v->child == NULL)
		return false;
	cJSON_ArrayForEach(e, v)
		if (!cJSON_IsObject(e))
			return false;
	return true;
}

/* Flattens an object into fields and tables, keys prefixed with "a.b.". */
static void rf_gather(const struct rf_ctx *c, const cJSON *o, const char *prefix,
    struct rf_items *items)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, o) {
		char *key = prefix ? xasprintf("%s.%s", prefix, v->string) : xstrdup(v->string);

		if (cJSON_IsObject(v) && v->child != NULL && rf_small(c, v)) {
			items->withheld++;
			free(key);
		} else if (cJSON_IsObject(v) && v->child != NULL) {
			rf_gather(c, v, key, items);
			free(key);
		} else
			rf_add(items, key, v, rf_is_table(v));
	}
}

/* A table row flattened: nested objects give "top.value" keys. */
struct rf_pairs {
	char **keys;
	const cJSON **vals;
	size_t n;
};

static void rf_flatten(const cJSON *o, const char *prefix, struct rf_pairs *p)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, o) {
		char *key = prefix ? xasprintf("%s.%s", prefix, v->string) : xstrdup(v->string);

		if (cJSON_IsObject(v) && v->child != NULL) {
			rf_flatten(v, key, p);
			free(key);
			continue;
		}
		p->keys = xreallocarray(p->keys, p->n + 1, sizeof *p->keys);
		p->vals = xreallocarray(p->vals, p->n + 1, sizeof *p->vals);
		p->keys[p->n] = key;
		p->vals[p->n++] = v;
	}
}

static void rf_pairs_free(struct rf_pairs *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->keys[i]);
	free(p->keys);
	free(p->vals);
	memset(p, 0, sizeof *p);
}

/* The columns of a table: flattened keys in order of first appearance. */
static struct rf_pairs rf_columns(const cJSON *rows)
{
	struct rf_pairs cols = { NULL, NULL, 0 }, p;
	const cJSON *row;

	cJSON_ArrayForEach(row, rows) {
		memset(&p, 0, sizeof p);
		rf_flatten(row, NULL, &p);
		for (size_t k = 0; k < p.n; k++) {
			size_t i = 0;

			while (i < cols.n && strcmp(cols.keys[i], p.keys[k]) != 0)
				i++;
			if (i < cols.n)
				continue;
			cols.keys = xreallocarray(cols.keys, cols.n + 1, sizeof *cols.keys);
			cols.keys[cols.n++] = xstrdup(p.keys[k]);
		}
		rf_pairs_free(&p);
	}
	return cols;
}

static const cJSON *rf_lookup(const struct rf_pairs *p, const char *key)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->keys[i], key) == 0)
			return p->vals[i];
	return NULL;
}

/* Markdown: text with the characters that mean something escaped. */
static void rf_md_escape(FILE *f, const char *text)
{
	char *clean = rf_clean(text);

	for (const char *s = clean; *s; s++) {
		if (strchr("\\|*_`<>[]#", *s) != NULL)
			putc('\\', f);
		putc(*s, f);
	}
	free(clean);
}

static void rf_md_cell(FILE *f, const char *s)
{
	putc(' ', f);
	rf_md_escape(f, s);
	fputs(" |", f);
}

static void rf_md_header(FILE *f, char *const *cols, size_t n)
{
	putc('|', f);
	for (size_t i = 0; i < n; i++)
		rf_md_cell(f, cols[i]);
	fputs("\n|", f);
	for (size_t i = 0; i < n; i++)
		fputs("---|", f);
	putc('\n', f);
}

/* CSV: a field quoted when needed; text that a spreadsheet would take for
 * a formula gets a leading apostrophe. */
static void rf_csv_cell(FILE *f, const char *raw, bool first, bool text)
{
	char *clean = rf_clean_but(raw, "\t\r\n"), *s = clean;
	bool formula = text && s[0] != '\0' && strchr("=+-@", s[0]) != NULL;

	if (!first)
		putc(',', f);
	if (!formula && strcspn(s, ",\"\r\n") == strlen(s)) {
		fputs(s, f);
		free(clean);
		return;
	}
	putc('"', f);
	if (formula)
		putc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', f);
		putc(*s, f);
	}
	putc('"', f);
	free(clean);
}

static void rf_row(const struct reportfmt *r, char *const *cells, const bool *text, size_t n)
{
	if (r->kind == REPORTFMT_MD) {
		putc('|', r->f);
		for (size_t i = 0; i < n; i++)
			rf_md_cell(r->f, cells[i]);
	} else {
		for (size_t i = 0; i < n; i++)
			rf_csv_cell(r->f, cells[i], i == 0, text == NULL || text[i]);
	}
	putc('\n', r->f);
}

static void rf_note_withheld(const struct reportfmt *r, size_t n, const char *what)
{
	if (n == 0)
		return;
	if (r->kind == REPORTFMT_MD)
		fprintf(r->f, "\n_%zu %s withheld: groups of fewer than %ld users (min\\_group)._\n",
		    n, what, r->min_group);
	else
		fprintf(r->f, "withheld,%zu,fewer than %ld users\n", n, r->min_group);
}

static void rf_result(const struct rf_ctx *c, const cJSON *result, const char *title);

/* True when a row of the list holds a list of objects itself (the groups
 * of a by= test, each with its arms and comparisons). */
static bool rf_has_tables(const cJSON *rows)
{
	const cJSON *row, *v;

	cJSON_ArrayForEach(row, rows)
		cJSON_ArrayForEach(v, row)
			if (rf_is_table(v))
				return true;
	return false;
}

/* The first plain field of a row as "key = value", naming the row; the
 * value of a by= group is named by its column. */
static char *rf_row_name(const cJSON *parent, const cJSON *row, size_t i)
{
	const cJSON *v, *by = cJSON_GetObjectItemCaseSensitive(parent, "by");

	cJSON_ArrayForEach(v, row)
		if (cJSON_IsString(v) || cJSON_IsNumber(v)) {
			bool group = strcmp(v->string, "value") == 0 && cJSON_IsString(by);
			char *text = rf_text(v), *out = xasprintf("%s = %s",
			    group ? by->valuestring : v->string, text);

			free(text);
			return out;
		}
	return xasprintf("%zu", i + 1);
}

/* A list whose rows hold lists: each row a result of its own, under a
 * heading that names it. */
static void rf_sections(const struct rf_ctx *c, const cJSON *parent, const struct rf_item *t)
{
	size_t i = 0, withheld = 0;
	const cJSON *row;

	cJSON_ArrayForEach(row, t->rows) {
		char *name, *title;

		if (rf_small(c, row)) {
			withheld++;
			continue;
		}
		name = rf_row_name(parent, row, i++);
		title = xasprintf("%s (%s)", t->key, name);
		if (c->r->kind == REPORTFMT_MD) {
			fputs("\n### ", c->r->f);
			rf_md_escape(c->r->f, title);
			fputs("\n\n", c->r->f);
		} else {
			fputs("\nsection,", c->r->f);
			rf_csv_cell(c->r->f, title, true, true);
			fputs("\n", c->r->f);
		}
		rf_result(c, row, title);
		free(name);
		free(title);
	}
	rf_note_withheld(c->r, withheld, "rows");
}

static void rf_table(const struct rf_ctx *c, const struct rf_item *t, const char *title)
{
	const struct reportfmt *r = c->r;
	struct rf_pairs cols = rf_columns(t->rows), p;
	size_t n = cols.n, withheld = 0;
	char **cells = xcalloc(n ? n : 1, sizeof *cells);
	bool *text = xcalloc(n ? n : 1, sizeof *text);
	const cJSON *row;

	char *name = title != NULL ? xasprintf("%s: %s", title, t->key) : xstrdup(t->key);

	if (r->kind == REPORTFMT_MD) {
		fputs("\n**", r->f);
		rf_md_escape(r->f, name);
		fputs("**\n\n", r->f);
		rf_md_header(r->f, cols.keys, n);
	} else {
		fprintf(r->f, "\ntable,");
		rf_csv_cell(r->f, name, true, true);
		putc('\n', r->f);
		rf_row(r, cols.keys, NULL, n);
	}
	cJSON_ArrayForEach(row, t->rows) {
		if (rf_small(c, row)) {
			withheld++;
			continue;
		}
		memset(&p, 0, sizeof p);
		rf_flatten(row, NULL, &p);
		for (size_t i = 0; i < n; i++) {
			const cJSON *v = rf_lookup(&p, cols.keys[i]);

			cells[i] = v ? rf_text(v) : xstrdup("");
			text[i] = cJSON_IsString(v);
		}
		rf_row(r, cells, text, n);
		for (size_t i = 0; i < n; i++)
			free(cells[i]);
		rf_pairs_free(&p);
	}
	rf_note_withheld(r, withheld, "rows");
	free(name);
	free(cells);
	free(text);
	rf_pairs_free(&cols);
}

/* The fields, then the tables (titled "title: key" under a title). */
static void rf_result(const struct rf_ctx *c, const cJSON *result, const char *title)
{
	struct rf_items items = { NULL, 0, 0 };
	char *head[2] = { "field", "value" };
	bool any = false;

	rf_gather(c, result, NULL, &items);
	for (size_t i = 0; i < items.n; i++) {
		char *cells[2] = { items.v[i].key, items.v[i].value };
		bool text[2] = { true, items.v[i].text };

		if (items.v[i].value == NULL)
			continue;
		if (!any && c->r->kind == REPORTFMT_MD)
			rf_md_header(c->r->f, head, 2);
		else if (!any)
			rf_row(c->r, head, NULL, 2);
		any = true;
		rf_row(c->r, cells, text, 2);
	}
	rf_note_withheld(c->r, items.withheld, "groups");
	for (size_t i = 0; i < items.n; i++) {
		if (items.v[i].value != NULL)
			continue;
		if (rf_has_tables(items.v[i].rows))
			rf_sections(c, result, &items.v[i]);
		else
			rf_table(c, &items.v[i], title);
	}
	rf_items_free(&items);
}

/* `text` as Markdown inline code, fenced past any backticks inside. */
static void rf_md_code(FILE *f, const char *text)
{
	size_t run = 0, longest = 0;
	char *clean = rf_clean(text);

	for (const char *p = clean; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		longest = run > longest ? run : longest;
	}
	for (size_t i = 0; i <= longest; i++)
		putc('`', f);
	fprintf(f, longest ? " %s " : "%s", clean);
	for (size_t i = 0; i <= longest; i++)
		putc('`', f);
	free(clean);
}

void reportfmt_begin(struct reportfmt *r, const char *source, const cJSON *params)
{
	const cJSON *p;

	r->index = 0;
	if (r->kind == REPORTFMT_MD) {
		fputs("# crossmkt report\n\nReplay of ", r->f);
		rf_md_code(r->f, source);
		fputs(".\n", r->f);
		if (params != NULL && params->child != NULL) {
			char *head[2] = { "parameter", "value" };

			fputs("\n", r->f);
			rf_md_header(r->f, head, 2);
			cJSON_ArrayForEach(p, params) {
				char *cells[2] = { p->string, rf_text(p) };

				rf_row(r, cells, NULL, 2);
				free(cells[1]);
			}
		}
	} else if (r->kind == REPORTFMT_CSV) {
		fputs("report,", r->f);
		rf_csv_cell(r->f, source, true, true);
		putc('\n', r->f);
		cJSON_ArrayForEach(p, params) {
			char *value = rf_text(p);

			fputs("parameter,", r->f);
			rf_csv_cell(r->f, p->string, true, true);
			rf_csv_cell(r->f, value, false, true);
			putc('\n', r->f);
			free(value);
		}
	}
}

void reportfmt_command(struct reportfmt *r, const char *line, const cJSON *result, const char *error)
{
	struct rf_ctx c = { r, NULL };
	const cJSON *ds = result ? cJSON_GetObjectItemCaseSensitive(result, "dataset") : NULL;

	r->index++;
	if (cJSON_IsString(ds) && r->ws != NULL)
		c.dataset = workspace_get(r->ws, ds->valuestring);
	if (r->kind == REPORTFMT_MD) {
		fprintf(r->f, "\n## %zu. ", r->index);
		rf_md_code(r->f, line);
		fputs("\n\n", r->f);
		if (error != NULL) {
			fputs("**Failed:** ", r->f);
			rf_md_escape(r->f, error);
			fputs("\n", r->f);
			return;
		}
	} else {
		fprintf(r->f, "\ncommand,%zu,", r->index);
		rf_csv_cell(r->f, line, true, true);
		fprintf(r->f, "\nstatus,%s\n", error ? "failed" : "ok");
		if (error != NULL) {
			fputs("error,", r->f);
			rf_csv_cell(r->f, error, true, true);
			putc('\n', r->f);
			return;
		}
	}
	rf_result(&c, result, NULL);
}
