/* Recommendations view: pick a user or a segment, see the top items
 * recommended for it with why (the recommend command: item-item CF,
 * content TF-IDF, hybrid, popular) and the last offline evaluation
 * (evaluate-recs). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "interactions.h"
#include "numfmt.h"
#include "result.h"
#include "text.h"
#include "tty.h"
#include "view.h"
#include "xmalloc.h"

/* Distinct values listed at most (the first met): plenty to pick from,
 * and the list is read again whenever the data change. */
#define VR_LIST_MAX 5000
/* The catalogue passed as items= when it is loaded. */
#define VR_ITEMS "items"

enum { VR_LIST, VR_ITEMS_BOX, VR_EVAL, VR_BOXES };

struct view_recommend {
	struct view_panes_state panes;  /* first: view_panes_destroy frees it */
	char *events;           /* the events dataset of the last recommend, or NULL */
	size_t source;          /* 0 lists users, n the segments of segmentation n */
	struct dict *list;      /* the values listed; NULL until read again */
	const char **sorted;    /* the strings of list in the order shown */
	bool capped;            /* the list stopped at VR_LIST_MAX */
	bool masked;            /* the listed column is masked: nothing listed */
	size_t sel, top;
	int page;               /* list lines shown by the last draw */
	int method;             /* index in vr_methods, -1 for the default */
};

static const char *const vr_methods[] = { "popular", "itemcf", "content", "hybrid", "ease",
	"als" };
#define VR_N_METHODS ((int)(sizeof vr_methods / sizeof vr_methods[0]))

static const char *const vr_commands[] = { "recommend", "evaluate-recs", NULL };
static const char *const vr_recommend[] = { "recommend", NULL };
static const char *const vr_evaluate[] = { "evaluate-recs", NULL };
static const char *const *const vr_boxes[VR_BOXES] = { NULL, vr_recommend, vr_evaluate };
static const char *const vr_titles[VR_BOXES] = {
	"Users", "Recommended items", "Offline evaluation"
};
static const char *const vr_titles_segments[VR_BOXES] = {
	"Segments", "Recommended items", "Offline evaluation"
};
static const int vr_spec[VR_BOXES][4] = {
	{ 0, 0, 100, 25 },
	{ 0, 25, 70, 75 },
	{ 70, 25, 30, 75 }
};

static const struct view_panes vr_panes = {
	"recommend", vr_titles, vr_spec, vr_boxes, VR_BOXES
};

/* The events dataset: the last recommend's, else one named "events",
 * else the first with user ids. */
static const struct table *vr_events(struct console *c, const struct view_recommend *st)
{
	const struct workspace *ws = &c->ctx->ws;
	const struct table *t = st->events != NULL ? workspace_get(ws, st->events) : NULL;

	if (t == NULL)
		t = workspace_get(ws, "events");
	for (size_t i = 0; t == NULL && i < ws->n_tables; i++)
		if (ws->tables[i]->roles[ROLE_USER] >= 0)
			t = ws->tables[i];
	return t;
}

/* The n-th segmentation (from 0) of the sidebar whose dataset has user
 * ids, so that recommend can find its members; false past the last. */
static bool vr_segmentation(const struct console *c, size_t n, struct console_side_entry *e)
{
	for (size_t i = 0; i < console_side_count(c); i++) {
		*e = console_side_entry(c, i);
		if (e->kind == SIDE_SEGMENTATION &&
		    workspace_get(&c->ctx->ws, e->dataset)->roles[ROLE_USER] >= 0 && n-- == 0)
			return true;
	}
	return false;
}

/* The listed column: the users of the events, or the segmentation's
 * column. A segmentation that is gone falls back to the users. */
static const struct table *vr_source(struct console *c, struct view_recommend *st, int *col)
{
	struct console_side_entry e;
	const struct table *t;

	if (st->source > 0 && vr_segmentation(c, st->source - 1, &e)) {
		t = workspace_get(&c->ctx->ws, e.dataset);
		*col = table_find_column(t, e.name);
		return t;
	}
	st->source = 0;
	t = vr_events(c, st);
	*col = t != NULL ? t->roles[ROLE_USER] : -1;
	return t;
}

/* Forgets the list, to be read again from the data; reset goes back to
 * its top. */
static void vr_forget(struct view_recommend *st, bool reset)
{
	dict_free(st->list);
	free(st->sorted);
	st->list = NULL;
	st->sorted = NULL;
	if (reset)
		st->sel = st->top = 0;
}

/* Numbers by value (cluster 2 before 10), other text as strings. */
static int vr_compare(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	char *ex, *ey;
	double dx = strtod(x, &ex), dy = strtod(y, &ey);

	if (ex != x && ey != y && *ex == '\0' && *ey == '\0' && !isnan(dx) && !isnan(dy) &&
	    dx != dy)
		return dx < dy ? -1 : 1;
	return strcmp(x, y);
}

/* The distinct values of the listed column, sorted to be found. */
static void vr_read(struct console *c, struct view_recommend *st)
{
	const struct table *t;
	const char *s;
	char buf[64];
	size_t len;
	int col;

	st->list = dict_new();
	st->capped = false;
	t = vr_source(c, st, &col);
	st->masked = t != NULL && col >= 0 && t->cols[col].masked;
	for (size_t r = 0; t != NULL && col >= 0 && !st->masked && r < t->n_rows; r++) {
		if (column_is_missing(&t->cols[col], r))
			continue;
		if (dict_count(st->list) == VR_LIST_MAX) {
			st->capped = true;
			break;
		}
		s = interactions_key(&t->cols[col], r, buf, sizeof buf, &len);
		dict_intern(st->list, s, len);
	}
	/* The dictionary is complete: its strings stay where they are. */
	st->sorted = xmalloc((dict_count(st->list) + 1) * sizeof *st->sorted);
	for (uint32_t i = 0; i < dict_count(st->list); i++)
		st->sorted[i] = dict_str(st->list, i);
	qsort(st->sorted, dict_count(st->list), sizeof *st->sorted, vr_compare);
	if (st->sel >= dict_count(st->list))
		st->sel = dict_count(st->list) > 0 ? dict_count(st->list) - 1 : 0;
}

static size_t vr_count(struct console *c, struct view_recommend *st)
{
	if (st->list == NULL)
		vr_read(c, st);
	return dict_count(st->list);
}

static const char *vr_method(struct console *c, const struct view_recommend *st)
{
	if (st->method >= 0)
		return vr_methods[st->method];
	return workspace_get(&c->ctx->ws, VR_ITEMS) != NULL ? "hybrid" : "itemcf";
}

/* Runs recommend for the picked user or segment. */
static void vr_run(struct console *c, struct view_recommend *st)
{
	const struct table *events = vr_events(c, st);
	struct console_side_entry e;
	const char *value;
	char *line;

	if (vr_count(c, st) == 0 || events == NULL) {
		console_message(c, true, "nothing to pick: %s", st->masked ? "the ids are masked" :
		    "load a dataset of events with user ids");
		return;
	}
	value = st->sorted[st->sel];
	line = xstrdup("recommend");
	cmd_append(&line, NULL, events->name);
	if (st->source == 0)
		cmd_append(&line, "for", value);
	else if (vr_segmentation(c, st->source - 1, &e)) {
		cmd_append(&line, "segment", value);
		cmd_append(&line, "by", e.name);
		if (strcmp(e.dataset, events->name) != 0)
			cmd_append(&line, "users", e.dataset);
	}
	if (workspace_get(&c->ctx->ws, VR_ITEMS) != NULL)
		cmd_append(&line, "items", VR_ITEMS);
	cmd_append(&line, "method", vr_method(c, st));
	console_command(c, line);
	free(line);
}

/* The list: the column it shows, its values with the picked one marked,
 * and how many there are. */
static void vr_draw_list(struct console *c, struct view_recommend *st, WINDOW *w,
    const struct view_box *b)
{
	size_t n = vr_count(c, st);
	int col, shown = b->rows - 2;
	const struct table *t = vr_source(c, st, &col);
	char *label, *count;

	st->page = shown > 1 ? shown : 1;
	if (st->sel < st->top)
		st->top = st->sel;
	if (shown > 0 && st->sel >= st->top + (size_t)shown)
		st->top = st->sel - (size_t)shown + 1;
	if (t == NULL || col < 0)
		label = xstrdup("no user ids");
	else if (st->source > 0)
		label = xasprintf("%s.%s", t->name, t->cols[col].name);
	else
		label = xstrdup(t->name);
	count = st->masked ? xstrdup("masked") : xasprintf("%zu%s %s", n, st->capped ? "+" : "",
	    st->source > 0 ? "segments" : "users");
	wattrset(w, tty_attr(TTY_DIM));
	text_put_raw(w, b->y, b->x, label, b->cols, TEXT_LEFT);
	text_put_raw(w, b->y + b->rows - 1, b->x, count, b->cols, TEXT_LEFT);
	for (size_t i = st->top; i < n && i < st->top + (size_t)shown; i++)
		view_list_line(w, b->y + 1 + (int)(i - st->top), b->x, b->cols,
		    st->sorted[i], i == st->sel);
	wattrset(w, A_NORMAL);
	free(label);
	free(count);
}

/* The columns of the table of items. */
enum { VR_RANK, VR_ID, VR_TITLE, VR_SCORE, VR_WHY, VR_CELLS };

static const char *const vr_heads[VR_CELLS] = { "#", "Item", "Title", "Score", "Why" };

/* The clean cells of the rank-th item. */
static void vr_cells(const cJSON *item, int rank, char **cells)
{
	const cJSON *score = cJSON_GetObjectItemCaseSensitive(item, "score");
	char *raw[VR_CELLS], num[NUMFMT_SIZE];

	raw[VR_RANK] = xasprintf("%d", rank);
	raw[VR_ID] = result_scalar(cJSON_GetObjectItemCaseSensitive(item, "item"));
	raw[VR_TITLE] = result_scalar(cJSON_GetObjectItemCaseSensitive(item, "title"));
	raw[VR_SCORE] = cJSON_IsNumber(score) ? xstrdup(numfmt_format(score->valuedouble,
	    NUMFMT_NUMBER, num)) : xstrdup(tty_glyphs()->missing);
	raw[VR_WHY] = result_cell(cJSON_GetObjectItemCaseSensitive(item, "because"));
	for (int k = 0; k < VR_CELLS; k++) {
		cells[k] = text_clean(raw[k]);
		free(raw[k]);
	}
}

/* Widths in cols columns: rank, id (up to a quarter) and score as wide as
 * they need; the title and the reasons share the rest, the reasons giving
 * way first down to half. */
static void vr_widths(char *(*rows)[VR_CELLS], size_t n, int cols, int *wd)
{
	int rest, title;

	for (int k = 0; k < VR_CELLS; k++) {
		wd[k] = 0;
		for (size_t i = 0; i < n; i++)
			if (text_width(rows[i][k]) > wd[k])
				wd[k] = text_width(rows[i][k]);
	}
	if (wd[VR_ID] > cols / 4)
		wd[VR_ID] = cols / 4;
	rest = cols - wd[VR_RANK] - wd[VR_ID] - wd[VR_SCORE] - (VR_CELLS - 1);
	title = rest - wd[VR_WHY] > rest / 2 ? rest - wd[VR_WHY] : rest / 2;
	if (wd[VR_TITLE] > title)
		wd[VR_TITLE] = title;
	wd[VR_WHY] = rest - wd[VR_TITLE];
}

static void vr_row(WINDOW *w, int y, int x, char **cells, const int *wd)
{
	for (int k = 0; k < VR_CELLS; k++) {
		text_put(w, y, x, cells[k], 0, wd[k],
		    k == VR_RANK || k == VR_SCORE ? TEXT_RIGHT : TEXT_LEFT, true);
		x += wd[k] + 1;
	}
}

/* For whom and how, from a recommend result (new string, not clean). */
static char *vr_heading(const cJSON *res)
{
	const cJSON *user = cJSON_GetObjectItemCaseSensitive(res, "user");
	char *method = result_scalar(cJSON_GetObjectItemCaseSensitive(res, "method")), *h;
	char *who = user != NULL ? result_scalar(user) : NULL, *by, *value, *users;

	if (who != NULL)
		h = xasprintf("For user %s, method %s", who, method);
	else {
		by = result_scalar(cJSON_GetObjectItemCaseSensitive(res, "by"));
		value = result_scalar(cJSON_GetObjectItemCaseSensitive(res, "segment"));
		users = result_scalar(cJSON_GetObjectItemCaseSensitive(res, "users"));
		h = xasprintf("For %s=%s (%s users), method %s", by, value, users, method);
		free(by);
		free(value);
		free(users);
	}
	free(who);
	free(method);
	return h;
}

static const char *const vr_hints[] = {
	"No recommendations yet.",
	"Up/Down (j/k, PgUp/PgDn) picks a user;",
	"Enter recommends items for it.",
	"s lists segments instead, m changes the",
	"method. Or type :recommend EVENTS for=USER",
	NULL
};

static void vr_draw_hint(struct console *c, const struct view_recommend *st, WINDOW *w,
    const struct view_box *b)
{
	char *method = xasprintf("Method: %s", vr_method(c, st));
	int r;

	wattrset(w, tty_attr(TTY_DIM));
	for (r = 0; vr_hints[r] != NULL && r < b->rows; r++)
		text_put(w, b->y + r, b->x, vr_hints[r], 0, b->cols, TEXT_LEFT, true);
	if (r + 1 < b->rows)
		text_put(w, b->y + r + 1, b->x, method, 0, b->cols, TEXT_LEFT, true);
	wattrset(w, A_NORMAL);
	free(method);
}

/* The heading, then the items as a table under column names, from the
 * scroll-th on when they do not all fit. */
static void vr_draw_items(const cJSON *res, int scroll, WINDOW *w, const struct view_box *b)
{
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(res, "items"), *it;
	size_t n = 0, size = (size_t)cJSON_GetArraySize(items) + 1;
	char *(*rows)[VR_CELLS] = xcalloc(size, sizeof *rows), *heading = vr_heading(res);
	size_t fit, first;
	int wd[VR_CELLS];

	for (int k = 0; k < VR_CELLS; k++)
		rows[0][k] = xstrdup(vr_heads[k]);
	cJSON_ArrayForEach(it, items) {
		n++;
		vr_cells(it, (int)n, rows[n]);
	}
	vr_widths(rows, n + 1, b->cols, wd);
	wattrset(w, tty_attr(TTY_TITLE));
	text_put_raw(w, b->y, b->x, heading, b->cols, TEXT_LEFT);
	wattrset(w, tty_attr(n > 0 ? TTY_HEADER : TTY_DIM));
	if (n > 0)
		vr_row(w, b->y + 1, b->x, rows[0], wd);
	else
		text_put(w, b->y + 1, b->x, "no items to recommend", 0, b->cols, TEXT_LEFT, true);
	wattrset(w, A_NORMAL);
	fit = b->rows > 2 ? (size_t)(b->rows - 2) : 0;
	first = n > fit ? (size_t)scroll < n - fit ? (size_t)scroll : n - fit : 0;
	for (size_t i = 1; i <= fit && first + i <= n; i++)
		vr_row(w, b->y + 1 + (int)i, b->x, rows[first + i], wd);
	for (size_t i = 0; i <= n; i++)
		for (int k = 0; k < VR_CELLS; k++)
			free(rows[i][k]);
	free(rows);
	free(heading);
}

static void view_recommend_draw(struct console *c, void *state, WINDOW *w)
{
	struct view_recommend *st = state;
	struct view_panes vp = vr_panes;
	struct view_box boxes[VR_BOXES], inner[VR_BOXES];

	/* Reading the list first settles whether it shows segments. */
	vr_count(c, st);
	vp.titles = st->source > 0 ? vr_titles_segments : vr_titles;
	view_panes_frame(&vp, w, boxes, inner);
	vr_draw_list(c, st, w, &inner[VR_LIST]);
	if (st->panes.result[VR_ITEMS_BOX] != NULL)
		vr_draw_items(st->panes.result[VR_ITEMS_BOX], st->panes.scroll, w, &inner[VR_ITEMS_BOX]);
	else
		vr_draw_hint(c, st, w, &inner[VR_ITEMS_BOX]);
	view_box_result(w, &inner[VR_EVAL], vr_evaluate, st->panes.result[VR_EVAL],
	    st->panes.scroll);
}

static int vr_method_index(const char *name)
{
	for (int i = 0; i < VR_N_METHODS; i++)
		if (strcmp(vr_methods[i], name) == 0)
			return i;
	return -1;
}

static void view_recommend_update(struct console *c, void *state, enum view_event ev,
    const char *command, const cJSON *result)
{
	struct view_recommend *st = state;
	const cJSON *method = cJSON_GetObjectItemCaseSensitive(result, "method");
	const struct table *was = vr_events(c, st);

	view_panes_update(&vr_panes, &st->panes, ev, command, result);
	if (ev == VIEW_DATA_CHANGED)
		vr_forget(st, false);
	if (ev != VIEW_RESULT || strcmp(command, "recommend") != 0)
		return;
	if (cJSON_IsString(method) && vr_method_index(method->valuestring) >= 0)
		st->method = vr_method_index(method->valuestring);
	/* A recommend typed on another dataset lists that one's users. */
	if (c->routed == NULL || c->routed->n_pos == 0)
		return;
	free(st->events);
	st->events = xstrdup(c->routed->pos[0]);
	if (st->source == 0 && (was == NULL || strcmp(was->name, st->events) != 0))
		vr_forget(st, true);
}

static void *view_recommend_create(struct console *c)
{
	struct view_recommend *st = xcalloc(1, sizeof *st);

	(void)c;
	st->method = -1;
	return st;
}

static void view_recommend_destroy(void *state)
{
	struct view_recommend *st = state;

	free(st->events);
	vr_forget(st, false);
	view_panes_destroy(st);
}

static bool vr_move(struct console *c, void *state, int key)
{
	struct view_recommend *st = state;
	size_t n = vr_count(c, st), step = 1;

	if (key == KEYS_FN(KEY_PPAGE) || key == KEYS_FN(KEY_NPAGE))
		step = (size_t)st->page;
	if (key == KEYS_FN(KEY_UP) || key == 'k' || key == KEYS_FN(KEY_PPAGE))
		st->sel = st->sel > step ? st->sel - step : 0;
	else if (n > 0)
		st->sel = st->sel + step < n ? st->sel + step : n - 1;
	console_dirty(c, DIRTY_MAIN);
	return true;
}

static bool vr_pick(struct console *c, void *state, int key)
{
	(void)key;
	vr_run(c, state);
	return true;
}

/* s: the users, then the segments of each segmentation in turn. */
static bool vr_switch(struct console *c, void *state, int key)
{
	struct view_recommend *st = state;
	struct console_side_entry e;
	size_t n = 0;

	(void)key;
	while (vr_segmentation(c, n, &e))
		n++;
	if (n == 0) {
		console_message(c, false, "no segmentation of users yet: make one with "
		    ":segment DATASET features=COLUMNS k=N");
		return true;
	}
	st->source = (st->source + 1) % (n + 1);
	vr_forget(st, true);
	console_dirty(c, DIRTY_MAIN);
	return true;
}

/* m: the next method, run at once for the user or segment picked. */
static bool vr_next_method(struct console *c, void *state, int key)
{
	struct view_recommend *st = state;

	(void)key;
	st->method = (vr_method_index(vr_method(c, st)) + 1) % VR_N_METHODS;
	if (vr_count(c, st) > 0)
		vr_run(c, st);
	else
		console_message(c, false, "method %s", vr_methods[st->method]);
	console_dirty(c, DIRTY_MAIN);
	return true;
}

/* v: the items recommended, each with its title, score and reasons in
 * full, from the first one shown. */
static bool vr_detail(struct console *c, void *state, int key)
{
	struct view_recommend *st = state;
	const cJSON *res = st->panes.result[VR_ITEMS_BOX], *it;
	char *heading, *cells[VR_CELLS], *line;
	struct pager *p;
	int y, x, rows, cols, rank = 0;

	(void)key;
	if (res == NULL || cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(res, "items")) == 0)
		return false;
	heading = vr_heading(res);
	p = pager_new(heading);
	console_popup_area(c, false, &y, &x, &rows, &cols);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(res, "items")) {
		vr_cells(it, ++rank, cells);
		if (rank > st->panes.scroll) {
			line = xasprintf("%s. %s %s (score %s)", cells[VR_RANK], cells[VR_ID],
			    cells[VR_TITLE], cells[VR_SCORE]);
			pager_add_wrapped(p, TTY_HEADER, line, cols - 2);
			free(line);
			line = xasprintf("because: %s", cells[VR_WHY]);
			pager_add_wrapped(p, TTY_NORMAL, line, cols - 2);
			free(line);
		}
		for (int k = 0; k < VR_CELLS; k++)
			free(cells[k]);
	}
	console_popup(c, p);
	free(heading);
	return true;
}

static const struct keys_binding view_recommend_keys[] = {
	{ '\r', "Enter", "Recommend", "run 'recommend' for the user or segment picked", vr_pick },
	{ 's', "s", "Segments", "list the users, or the segments of each segmentation in turn",
	    vr_switch },
	{ 'm', "m", "Method", "next method (popular, itemcf, content, hybrid, ease, als), run at once",
	    vr_next_method },
	{ KEYS_FN(KEY_UP), "Up/Down", NULL, "pick in the list (also k, j)", vr_move },
	{ KEYS_FN(KEY_DOWN), "Down", NULL, NULL, vr_move },
	{ 'k', "k", NULL, NULL, vr_move },
	{ 'j', "j", NULL, NULL, vr_move },
	{ KEYS_FN(KEY_PPAGE), "PgUp/PgDn", NULL, "move a page in the list", vr_move },
	{ KEYS_FN(KEY_NPAGE), "PgDn", NULL, NULL, vr_move },
	{ 'v', "v", "Detail", "the items recommended with their titles and reasons in full, "
	    "from the first one shown", vr_detail },
	{ 'J', "J/K", NULL, "scroll the items and the offline evaluation", view_panes_scroll },
	{ 'K', "K", NULL, NULL, view_panes_scroll },
	{ 0, NULL, NULL, NULL, NULL }
};

const struct view view_recommend = {
	.name = "Recommendations",
	.commands = vr_commands,
	.keys = view_recommend_keys,
	.create = view_recommend_create,
	.destroy = view_recommend_destroy,
	.draw = view_recommend_draw,
	.update = view_recommend_update,
};
