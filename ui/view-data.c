/* Data view: the current dataset as a scrolling table, with a sort, a
 * filter in the expression language and a text search that belong to the
 * view (the dataset itself is not changed; the sort, filter and derive
 * commands make new datasets). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "colstats.h"
#include "chart.h"
#include "console.h"
#include "expr.h"
#include "numfmt.h"
#include "pager.h"
#include "prompt.h"
#include "report.h"
#include "result.h"
#include "tableops.h"
#include "text.h"
#include "tty.h"
#include "view.h"
#include "xmalloc.h"

#define VIEW_DATA_MAX_WIDTH 30
#define VIEW_DATA_MIN_WIDTH 4
#define VIEW_DATA_SAMPLE 500
#define VIEW_DATA_CELL 256
#define VIEW_DATA_DIGITS 6

struct view_data {
	char *name;                     /* dataset the positions refer to */
	const struct table *t;
	size_t *order;                  /* the rows shown, in order */
	size_t n_order;
	char *filter;                   /* expression, or NULL */
	char *sort;                     /* column name, or NULL */
	bool desc;
	char *search;                   /* text, or NULL */
	size_t top, cur;                /* positions in order */
	size_t left, col;               /* first shown column, cursor column */
	int *width;
	int rows, cols;
	struct prompt_list filters;     /* history of the filter box */
};

static struct view_data *view_data_of(struct console *c)
{
	return c->view_state[0];
}

/* The rows kept by the filter, or -1 (after a message) when it fails. */
static int view_data_keep(struct console *c, struct view_data *d, uint8_t **keep)
{
	struct expr *e;
	char *cause = NULL;
	size_t kept;

	*keep = NULL;
	if (d->filter == NULL)
		return 0;
	if ((e = expr_compile(d->filter, d->t, &cause)) == NULL) {
		console_message(c, true, "filter: %s", cause);
		free(cause);
		return -1;
	}
	*keep = xmalloc(d->t->n_rows ? d->t->n_rows : 1);
	if (expr_eval_filter(e, d->t, *keep, &kept, &cause) != 0) {
		console_message(c, true, "filter: %s", cause);
		free(cause);
		free(*keep);
		*keep = NULL;
		expr_free(e);
		return -1;
	}
	expr_free(e);
	return 0;
}

/* A cell as a person reads it: fractional numbers through numfmt (money
 * by the column's name or amount role, else VIEW_DATA_DIGITS significant
 * digits), the rest as report_cell_text writes it. */
static void view_data_text(const struct table *t, size_t j, size_t row, char *buf, size_t size)
{
	const struct column *col = &t->cols[j];
	char num[NUMFMT_SIZE];
	double x;

	if (col->type != COL_FLOAT || col->masked) {
		report_cell_text(col, row, buf, size);
		return;
	}
	x = column_number(col, row);
	if (numfmt_kind_of(col->name) == NUMFMT_MONEY || t->roles[ROLE_AMOUNT] == (int)j)
		numfmt_format(x, NUMFMT_MONEY, num);
	else
		numfmt_sig(x, VIEW_DATA_DIGITS, num);
	snprintf(buf, size, "%s", num);
}

/* Columns at most a cell takes: VIEW_DATA_MAX_WIDTH, or a quarter of a
 * wide screen. */
static int view_data_max_width(const struct view_data *d)
{
	return d->cols / 4 > VIEW_DATA_MAX_WIDTH ? d->cols / 4 : VIEW_DATA_MAX_WIDTH;
}

static void view_data_widths(struct view_data *d)
{
	char buf[VIEW_DATA_CELL];
	int max = view_data_max_width(d);

	free(d->width);
	d->width = xcalloc(d->t->n_cols ? d->t->n_cols : 1, sizeof *d->width);
	for (size_t j = 0; j < d->t->n_cols; j++) {
		const struct column *col = &d->t->cols[j];
		char *h = text_clean(col->name);
		int w = text_width(h) + 1;

		free(h);
		size_t sample = d->n_order < VIEW_DATA_SAMPLE ? d->n_order : VIEW_DATA_SAMPLE;

		for (size_t i = 0; i < sample && w < max; i++) {
			char *s;

			view_data_text(d->t, j, d->order[i], buf, sizeof buf);
			s = text_clean(buf);
			if (text_width(s) > w)
				w = text_width(s);
			free(s);
		}
		d->width[j] = w < VIEW_DATA_MIN_WIDTH ? VIEW_DATA_MIN_WIDTH :
		    w > max ? max : w;
	}
}

/* Recomputes the shown rows from the dataset, the filter and the sort. */
static void view_data_rebuild(struct console *c, struct view_data *d)
{
	uint8_t *keep;
	size_t n = 0, *all;
	int sc;

	free(d->order);
	d->order = NULL;
	d->n_order = 0;
	if ((d->t = console_table(c)) == NULL)
		return;
	if (view_data_keep(c, d, &keep) != 0) {
		free(d->filter);
		d->filter = NULL;
	}
	all = xmalloc((d->t->n_rows ? d->t->n_rows : 1) * sizeof *all);
	sc = d->sort != NULL ? table_find_column(d->t, d->sort) : -1;
	if (sc >= 0)
		tableops_sort_order(d->t, sc, d->desc, all);
	else
		for (size_t i = 0; i < d->t->n_rows; i++)
			all[i] = i;
	for (size_t i = 0; i < d->t->n_rows; i++)
		if (keep == NULL || keep[all[i]])
			all[n++] = all[i];
	free(keep);
	d->order = all;
	d->n_order = n;
	if (d->cur >= n)
		d->cur = n ? n - 1 : 0;
	if (d->col >= d->t->n_cols)
		d->col = d->t->n_cols ? d->t->n_cols - 1 : 0;
	view_data_widths(d);
}

/* A different dataset starts with no filter, sort or search. */
static void view_data_switch(struct view_data *d, const char *name)
{
	free(d->name);
	free(d->filter);
	free(d->sort);
	free(d->search);
	d->name = name != NULL ? xstrdup(name) : NULL;
	d->filter = d->sort = d->search = NULL;
	d->top = d->cur = d->left = d->col = 0;
}

static void view_data_update(struct console *c, void *state, enum view_event ev,
    const char *command, const cJSON *result)
{
	struct view_data *d = state;
	bool same = d->name != NULL && c->dataset != NULL && strcmp(d->name, c->dataset) == 0;

	(void)command;
	(void)result;
	if (ev == VIEW_TICK || ev == VIEW_RESULT)
		return;
	if (!same)
		view_data_switch(d, c->dataset);
	view_data_rebuild(c, d);
	console_dirty(c, DIRTY_MAIN);
}

/* Keeps the cursor row and column on screen. */
static void view_data_scroll(struct view_data *d)
{
	int body = d->rows - 2, used;

	if (body < 1)
		body = 1;
	if (d->cur < d->top)
		d->top = d->cur;
	if (d->cur >= d->top + (size_t)body)
		d->top = d->cur - (size_t)body + 1;
	if (d->col < d->left)
		d->left = d->col;
	for (;;) {
		used = 0;
		for (size_t j = d->left; j <= d->col; j++)
			used += d->width[j] + 1;
		if (used <= d->cols - 8 || d->left == d->col)
			break;
		d->left++;
	}
}

static char *view_data_info(const struct view_data *d)
{
	const struct tty_glyphs *g = tty_glyphs();
	char *s, *n;

	if (d->filter != NULL)
		s = xasprintf("%s  %zu of %zu rows  filter: %s", d->t->name, d->n_order,
		    d->t->n_rows, d->filter);
	else
		s = xasprintf("%s  %zu rows, %zu columns", d->t->name, d->t->n_rows, d->t->n_cols);
	if (d->sort != NULL) {
		n = xasprintf("%s  sorted by %s %s", s, d->sort, d->desc ? g->desc : g->asc);
		free(s);
		s = n;
	}
	if (d->search != NULL) {
		n = xasprintf("%s  search: %s", s, d->search);
		free(s);
		s = n;
	}
	return s;
}

static int view_data_rownum_width(const struct view_data *d)
{
	int w = 1;

	for (size_t n = d->t->n_rows; n >= 10; n /= 10)
		w++;
	return w;
}

static void view_data_header(const struct view_data *d, WINDOW *w, int x0)
{
	const struct tty_glyphs *g = tty_glyphs();
	int x = x0;

	for (size_t j = d->left; j < d->t->n_cols && x + VIEW_DATA_MIN_WIDTH <= d->cols; j++) {
		const struct column *col = &d->t->cols[j];
		bool sorted = d->sort != NULL && strcmp(d->sort, col->name) == 0;
		const char *mark = sorted ? (d->desc ? g->desc : g->asc) : "";
		char *name = xasprintf("%s%s", col->name, mark);
		char *clean = text_clean(name);
		int cw = d->width[j] < d->cols - x ? d->width[j] : d->cols - x;

		wattrset(w, tty_attr(TTY_HEADER) | (j == d->col ? A_REVERSE : 0));
		text_put(w, 1, x, clean, 0, cw,
		    col_type_numeric(col->type) ? TEXT_RIGHT : TEXT_LEFT, true);
		wattrset(w, A_NORMAL);
		x += cw + 1;
		free(name);
		free(clean);
	}
}

static void view_data_cell(const struct view_data *d, WINDOW *w, int y, int x, int cw,
    size_t j, size_t row, attr_t base)
{
	const struct column *col = &d->t->cols[j];
	char buf[VIEW_DATA_CELL], *clean;

	if (column_is_missing(col, row)) {
		wattrset(w, base | tty_attr(TTY_DIM));
		text_put(w, y, x, tty_glyphs()->missing, 0, cw, TEXT_RIGHT, false);
		return;
	}
	view_data_text(d->t, j, row, buf, sizeof buf);
	clean = text_clean(buf);
	wattrset(w, base);
	text_put(w, y, x, clean, 0, cw, col_type_numeric(col->type) ? TEXT_RIGHT : TEXT_LEFT, true);
	free(clean);
}

static void view_data_row(const struct view_data *d, WINDOW *w, int y, size_t i, int rnw)
{
	size_t row = d->order[i];
	attr_t base = i == d->cur ? tty_attr(TTY_CURSOR) : A_NORMAL;
	char num[32];
	int x = rnw + 1;

	snprintf(num, sizeof num, "%zu", row + 1);
	wattrset(w, base | tty_attr(TTY_DIM));
	text_put(w, y, 0, num, 0, rnw, TEXT_RIGHT, false);
	wattrset(w, base);
	text_put(w, y, rnw, " ", 0, 1, TEXT_LEFT, false);
	for (size_t j = d->left; j < d->t->n_cols && x + VIEW_DATA_MIN_WIDTH <= d->cols; j++) {
		int cw = d->width[j] < d->cols - x ? d->width[j] : d->cols - x;

		view_data_cell(d, w, y, x, cw, j, row, base);
		wattrset(w, base);
		if (x + cw < d->cols)
			text_put(w, y, x + cw, " ", 0, 1, TEXT_LEFT, false);
		x += cw + 1;
	}
	if (x < d->cols)
		text_put(w, y, x, "", 0, d->cols - x, TEXT_LEFT, false);
	wattrset(w, A_NORMAL);
}

static void view_data_draw(struct console *c, void *state, WINDOW *w)
{
	struct view_data *d = state;
	char *info;
	int rnw;

	getmaxyx(w, d->rows, d->cols);
	if (d->t == NULL) {
		wattrset(w, tty_attr(TTY_DIM));
		text_put(w, 0, 1, c->job != NULL ? "loading..." :
		    "no dataset: load one with :load NAME PATH", 0, d->cols - 1, TEXT_LEFT, true);
		wattrset(w, A_NORMAL);
		return;
	}
	view_data_scroll(d);
	info = view_data_info(d);
	wattrset(w, A_BOLD);
	text_put_raw(w, 0, 0, info, d->cols, TEXT_LEFT);
	free(info);
	rnw = view_data_rownum_width(d);
	wattrset(w, tty_attr(TTY_HEADER));
	text_put(w, 1, 0, "#", 0, rnw, TEXT_RIGHT, false);
	view_data_header(d, w, rnw + 1);
	for (int y = 2; y < d->rows && d->top + (size_t)(y - 2) < d->n_order; y++)
		view_data_row(d, w, y, d->top + (size_t)(y - 2), rnw);
	wattrset(w, A_NORMAL);
}

static void view_data_resize(struct console *c, void *state, int rows, int cols)
{
	struct view_data *d = state;

	d->rows = rows;
	d->cols = cols;
	if (d->t != NULL)
		view_data_widths(d);
	console_dirty(c, DIRTY_MAIN);
}

/* Moves the cursor by delta rows, clamped to the rows shown. */
static bool view_data_step(struct console *c, struct view_data *d, long delta)
{
	long last = d->n_order ? (long)d->n_order - 1 : 0, cur = (long)d->cur + delta;

	if (d->t == NULL)
		return false;
	d->cur = (size_t)(cur < 0 ? 0 : cur > last ? last : cur);
	console_dirty(c, DIRTY_MAIN);
	return true;
}

static long view_data_page(const struct view_data *d)
{
	return d->rows > 3 ? d->rows - 3 : 1;
}

static bool view_data_up(struct console *c, void *state, int key)
{
	(void)key;
	return view_data_step(c, state, -1);
}

static bool view_data_down(struct console *c, void *state, int key)
{
	(void)key;
	return view_data_step(c, state, 1);
}

static bool view_data_page_up(struct console *c, void *state, int key)
{
	(void)key;
	return view_data_step(c, state, -view_data_page(state));
}

static bool view_data_page_down(struct console *c, void *state, int key)
{
	(void)key;
	return view_data_step(c, state, view_data_page(state));
}

static bool view_data_first(struct console *c, void *state, int key)
{
	(void)key;
	return view_data_step(c, state, -(long)((struct view_data *)state)->cur);
}

static bool view_data_last(struct console *c, void *state, int key)
{
	struct view_data *d = state;

	(void)key;
	return view_data_step(c, d, (long)d->n_order - (long)d->cur);
}

static bool view_data_column(struct console *c, struct view_data *d, int delta)
{
	if (d->t == NULL)
		return false;
	if (delta < 0 && d->col > 0)
		d->col--;
	else if (delta > 0 && d->col + 1 < d->t->n_cols)
		d->col++;
	console_dirty(c, DIRTY_MAIN);
	return true;
}

static bool view_data_left(struct console *c, void *state, int key)
{
	(void)key;
	return view_data_column(c, state, -1);
}

static bool view_data_right(struct console *c, void *state, int key)
{
	(void)key;
	return view_data_column(c, state, 1);
}

/* s: ascending, again descending, again the file's order. */
static bool view_data_sort(struct console *c, void *state, int key)
{
	struct view_data *d = state;
	const char *name;

	(void)key;
	if (d->t == NULL || d->t->n_cols == 0)
		return false;
	name = d->t->cols[d->col].name;
	if (d->sort == NULL || strcmp(d->sort, name) != 0) {
		free(d->sort);
		d->sort = xstrdup(name);
		d->desc = false;
	} else if (!d->desc)
		d->desc = true;
	else {
		free(d->sort);
		d->sort = NULL;
	}
	d->cur = d->top = 0;
	view_data_rebuild(c, d);
	if (d->sort != NULL)
		console_message(c, false, "sorted by %s, %s", d->sort, d->desc ? "descending" :
		    "ascending");
	else
		console_message(c, false, "sort cleared");
	console_dirty(c, DIRTY_MAIN);
	return true;
}

/* Takes text as the filter when it works on the dataset; a failing one
 * leaves the filter as it was. */
static bool view_data_filter_try(struct console *c, struct view_data *d, const char *text)
{
	char *old = d->filter;
	uint8_t *keep = NULL;

	d->filter = *text != '\0' ? xstrdup(text) : NULL;
	if (d->t == NULL || view_data_keep(c, d, &keep) == 0) {
		free(keep);
		free(old);
		return true;
	}
	free(d->filter);
	d->filter = old;
	return false;
}

static void view_data_filter_submit(struct console *c, const char *text)
{
	struct view_data *d = view_data_of(c);

	if (!view_data_filter_try(c, d, text))
		return;
	d->cur = d->top = 0;
	view_data_rebuild(c, d);
	if (d->filter != NULL && d->t != NULL)
		console_message(c, false, "%zu of %zu rows", d->n_order, d->t->n_rows);
	else if (d->t != NULL && text[0] == '\0')
		console_message(c, false, "filter cleared");
	console_dirty(c, DIRTY_MAIN);
}

/* Column names for the filter box, in backticks when they need them. */
static void view_data_complete(struct console *c, const char *line, size_t index,
    const char *key, struct prompt_list *out)
{
	const struct table *t = console_table(c);

	(void)line;
	(void)index;
	(void)key;
	for (size_t i = 0; t != NULL && i < t->n_cols; i++) {
		const char *n = t->cols[i].name;
		bool plain = (n[0] < '0' || n[0] > '9') && n[strspn(n,
		    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")] == '\0';
		char *q = plain ? xstrdup(n) : xasprintf("`%s`", n);

		prompt_list_add(out, q);
		free(q);
	}
}

static bool view_data_filter(struct console *c, void *state, int key)
{
	struct view_data *d = state;

	(void)key;
	if (d->t == NULL)
		return false;
	console_prompt(c, prompt_new("filter: ", d->filter, &d->filters, view_data_complete,
	    view_data_filter_submit));
	prompt_select_all(c->prompt);
	return true;
}

static bool view_data_matches(const struct view_data *d, size_t row)
{
	char buf[VIEW_DATA_CELL];

	for (size_t j = 0; j < d->t->n_cols; j++) {
		if (column_is_missing(&d->t->cols[j], row))
			continue;
		report_cell_text(&d->t->cols[j], row, buf, sizeof buf);
		if (strcasestr(buf, d->search) != NULL)
			return true;
	}
	return false;
}

/* Moves the cursor to the next (dir 1) or previous (-1) match. */
static void view_data_find(struct console *c, struct view_data *d, int dir)
{
	size_t n = d->n_order;

	for (size_t k = 1; k <= n; k++) {
		size_t i = dir > 0 ? (d->cur + k) % n : (d->cur + n - k % n) % n;

		if (view_data_matches(d, d->order[i])) {
			bool wrapped = dir > 0 ? i <= d->cur : i >= d->cur;

			console_message(c, false, "'%s' found in row %zu%s", d->search,
			    d->order[i] + 1, wrapped ? " (wrapped)" : "");
			d->cur = i;
			console_dirty(c, DIRTY_MAIN);
			return;
		}
	}
	console_message(c, true, "'%s' not found", d->search);
}

static void view_data_search_submit(struct console *c, const char *text)
{
	struct view_data *d = view_data_of(c);

	free(d->search);
	d->search = *text != '\0' ? xstrdup(text) : NULL;
	console_dirty(c, DIRTY_MAIN);
	if (d->search != NULL && d->t != NULL && d->n_order > 0) {
		if (!view_data_matches(d, d->order[d->cur]))
			view_data_find(c, d, 1);
	}
}

static bool view_data_search(struct console *c, void *state, int key)
{
	struct view_data *d = state;

	if (d->t == NULL)
		return false;
	if (d->search == NULL || key == KEYS_FN(KEY_F(3))) {
		console_prompt(c, prompt_new("search: ", d->search, NULL, NULL,
		    view_data_search_submit));
		return true;
	}
	if (d->n_order > 0)
		view_data_find(c, d, key == 'N' ? -1 : 1);
	return true;
}

/* Escape first forgets the search. */
static bool view_data_escape(struct console *c, void *state, int key)
{
	struct view_data *d = state;

	(void)key;
	if (d->search == NULL || c->job != NULL)
		return false;
	free(d->search);
	d->search = NULL;
	console_message(c, false, "search cleared");
	console_dirty(c, DIRTY_MAIN);
	return true;
}

static void view_data_histogram(struct pager *p, const struct view_data *d,
    const struct column *col)
{
	enum { BINS = 40 };
	double counts[BINS] = { 0 }, lo = 0, hi = 0;
	bool any = false;
	char *spark;

	for (size_t r = 0; r < d->t->n_rows; r++) {
		double x;

		if (column_is_missing(col, r))
			continue;
		x = column_number(col, r);
		lo = any && lo < x ? lo : x;
		hi = any && hi > x ? hi : x;
		any = true;
	}
	if (!any || !(hi > lo))
		return;
	for (size_t r = 0; r < d->t->n_rows; r++) {
		int b;

		if (column_is_missing(col, r))
			continue;
		b = (int)((column_number(col, r) - lo) / (hi - lo) * BINS);
		counts[b >= BINS ? BINS - 1 : b]++;
	}
	spark = chart_sparkline(counts, BINS, BINS, text_utf8());
	pager_add(p, TTY_NORMAL, "%s", "");
	pager_add(p, TTY_HEADER, "%s", "distribution (40 bins from min to max)");
	pager_add(p, TTY_BAR, "%s", spark);
	free(spark);
}

/* The most frequent values of a category column with bars. */
static void view_data_top_values(struct pager *p, const struct view_data *d,
    const struct column *col)
{
	enum { TOP = 12, BAR = 30 };
	uint32_t n = dict_count(col->dict);
	size_t *counts = xcalloc(n ? n : 1, sizeof *counts), shown = 0, max = 0;
	const struct tty_glyphs *g = tty_glyphs();

	for (size_t r = 0; r < d->t->n_rows; r++)
		if (!column_is_missing(col, r) && col->v.codes[r] < n)
			counts[col->v.codes[r]]++;
	pager_add(p, TTY_NORMAL, "%s", "");
	pager_add(p, TTY_HEADER, "most frequent values (of %u)", (unsigned)n);
	for (; shown < TOP; shown++) {
		uint32_t best = 0;
		char *clean, *bar;
		int width;

		for (uint32_t k = 1; k < n; k++)
			if (counts[k] > counts[best])
				best = k;
		if (n == 0 || counts[best] == 0)
			break;
		max = max ? max : counts[best];
		width = (int)(counts[best] * BAR / max);
		bar = xcalloc((size_t)width * strlen(g->bar_done) + 1, 1);
		for (int i = 0; i < width; i++)
			strcat(bar, g->bar_done);
		clean = text_clean(dict_str(col->dict, best));
		pager_add(p, TTY_NORMAL, "  %s%*s %7zu %s", clean,
		    text_width(clean) < 16 ? 16 - text_width(clean) : 0, "", counts[best], bar);
		counts[best] = 0;
		free(clean);
		free(bar);
	}
	free(counts);
}

static bool view_data_stats(struct console *c, void *state, int key)
{
	struct view_data *d = state;
	const struct column *col;
	struct colstats s;
	struct pager *p;
	cJSON *j;
	char *title;

	(void)key;
	if (d->t == NULL || d->t->n_cols == 0)
		return false;
	col = &d->t->cols[d->col];
	colstats_compute(col, d->t->n_rows, &s);
	j = report_column_stats(col, &s);
	title = xasprintf("%s.%s", d->t->name, col->name);
	p = pager_new(title);
	result_render(p, j);
	if (col_type_numeric(col->type) && col->type != COL_BOOL)
		view_data_histogram(p, d, col);
	else if (col->type == COL_CATEGORY)
		view_data_top_values(p, d, col);
	console_popup(c, p);
	cJSON_Delete(j);
	free(title);
	return true;
}

/* Enter or v: the row under the cursor, every column in full. */
static bool view_data_detail(struct console *c, void *state, int key)
{
	struct view_data *d = state;
	struct pager *p;
	char buf[VIEW_DATA_CELL], *title;
	int y, x, rows, cols;
	size_t row;

	(void)key;
	if (d->t == NULL || d->n_order == 0)
		return false;
	row = d->order[d->cur];
	title = xasprintf("%s row %zu", d->t->name, row + 1);
	p = pager_new(title);
	console_popup_area(c, false, &y, &x, &rows, &cols);
	for (size_t j = 0; j < d->t->n_cols; j++) {
		char *line;

		if (column_is_missing(&d->t->cols[j], row))
			snprintf(buf, sizeof buf, "%s", tty_glyphs()->missing);
		else
			report_cell_text(&d->t->cols[j], row, buf, sizeof buf);
		line = xasprintf("%s: %s", d->t->cols[j].name, buf);
		pager_add_wrapped(p, TTY_NORMAL, line, cols - 2);
		free(line);
	}
	console_popup(c, p);
	free(title);
	return true;
}

static const struct keys_binding view_data_keys[] = {
	{ KEYS_FN(KEY_UP), "Up/Dn", NULL, "move up / down a row (also k, j)", view_data_up },
	{ KEYS_FN(KEY_DOWN), "Down", NULL, NULL, view_data_down },
	{ 'k', "k", NULL, NULL, view_data_up },
	{ 'j', "j", NULL, NULL, view_data_down },
	{ KEYS_FN(KEY_PPAGE), "PgUp/PgDn", NULL, "move a page up / down (also C-b, C-f, space)",
	    view_data_page_up },
	{ KEYS_FN(KEY_NPAGE), "PgDn", NULL, NULL, view_data_page_down },
	{ KEYS_CTRL('b'), "C-b", NULL, NULL, view_data_page_up },
	{ KEYS_CTRL('f'), "C-f", NULL, NULL, view_data_page_down },
	{ ' ', "Space", NULL, NULL, view_data_page_down },
	{ KEYS_FN(KEY_HOME), "Home/End", NULL, "first / last row (also g, G)", view_data_first },
	{ KEYS_FN(KEY_END), "End", NULL, NULL, view_data_last },
	{ 'g', "g", NULL, NULL, view_data_first },
	{ 'G', "G", NULL, NULL, view_data_last },
	{ KEYS_FN(KEY_LEFT), "Left/Right", NULL, "previous / next column (also h, l)",
	    view_data_left },
	{ KEYS_FN(KEY_RIGHT), "Right", NULL, NULL, view_data_right },
	{ 'h', "h", NULL, NULL, view_data_left },
	{ 'l', "l", NULL, NULL, view_data_right },
	{ 's', "s", "Sort", "sort by the column: ascending, descending, file order",
	    view_data_sort },
	{ '/', "/", "Filter", "filter rows with an expression, e.g. city == '上海' and "
	    "spend > 100 (empty clears)", view_data_filter },
	{ 'f', "f", NULL, "filter rows (same as /)", view_data_filter },
	{ 'n', "n/N", "Find", "find text: next / previous match (asks for the text first)",
	    view_data_search },
	{ 'N', "N", NULL, NULL, view_data_search },
	{ KEYS_FN(KEY_F(3)), "F3", NULL, "find other text", view_data_search },
	{ 'c', "c", "Stats", "statistics of the column", view_data_stats },
	{ '\r', "Enter", NULL, "the row under the cursor, every column in full (also v)",
	    view_data_detail },
	{ 'v', "v", NULL, NULL, view_data_detail },
	{ KEYS_ESC, "Esc", NULL, "forget the search", view_data_escape },
	{ 0, NULL, NULL, NULL, NULL }
};

static void *view_data_create(struct console *c)
{
	(void)c;
	return xcalloc(1, sizeof(struct view_data));
}

static void view_data_destroy(void *state)
{
	struct view_data *d = state;

	view_data_switch(d, NULL);
	prompt_list_done(&d->filters);
	free(d->order);
	free(d->width);
	free(d);
}

const struct view view_data = {
	.name = "Data",
	.keys = view_data_keys,
	.create = view_data_create,
	.destroy = view_data_destroy,
	.draw = view_data_draw,
	.resize = view_data_resize,
	.update = view_data_update,
};
