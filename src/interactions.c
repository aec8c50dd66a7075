/* Events dataset -> user x item interactions for the recommendation
 * engine. Ids are matched by their text, so an int item id in the events
 * finds the same id stored as text in the catalogue. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cancel.h"
#include "interactions.h"
#include "xmalloc.h"

/* Maps one id column's cells to dense codes of a dictionary; string
 * columns remember the code of each of their own codes. */
struct interactions_mapper {
	const struct column *c;
	struct dict *d;
	uint32_t *memo;
};

/* One kept row before repeated pairs are folded. */
struct interactions_event {
	uint32_t user, item;
	double weight;
	int64_t time;
	size_t row;
};

const char *interactions_key(const struct column *c, size_t row,
    char *buf, size_t size, size_t *len)
{
	if (col_type_string(c->type)) {
		*len = dict_strlen(c->dict, c->v.codes[row]);
		return column_str(c, row);
	}
	*len = column_format(c, row, buf, size);
	return buf;
}

static void interactions_mapper_init(struct interactions_mapper *m,
    const struct column *c, struct dict *d)
{
	m->c = c;
	m->d = d;
	m->memo = NULL;
	if (col_type_string(c->type)) {
		size_t n = dict_count(c->dict);

		m->memo = xmalloc((n ? n : 1) * sizeof *m->memo);
		memset(m->memo, 0xff, (n ? n : 1) * sizeof *m->memo);
	}
}

static uint32_t interactions_map(struct interactions_mapper *m, size_t row)
{
	char buf[64];
	const char *s;
	size_t len;

	if (m->memo != NULL && m->memo[m->c->v.codes[row]] != UINT32_MAX)
		return m->memo[m->c->v.codes[row]];
	s = interactions_key(m->c, row, buf, sizeof buf, &len);
	if (m->memo == NULL)
		return dict_intern(m->d, s, len);
	return m->memo[m->c->v.codes[row]] = dict_intern(m->d, s, len);
}

/* Weight per code of the event column; NULL when every row weighs 1.
 * Codes without a weight hold 0. */
static double *interactions_weights(const struct column *ev,
    const struct interactions_opts *o)
{
	uint32_t n = dict_count(ev->dict), code;
	double *w = xcalloc(n ? n : 1, sizeof *w);

	for (size_t i = 0; i < o->n_events; i++) {
		if (dict_find(ev->dict, o->event_names[i],
		    strlen(o->event_names[i]), &code))
			w[code] = o->event_weights[i];
	}
	return w;
}

static int64_t interactions_time(const struct column *c, size_t row)
{
	if (c == NULL || column_is_missing(c, row))
		return INT64_MIN;
	if (c->type == COL_DATE)
		return c->v.days[row];
	return c->v.i64[row];
}

/* The row's weight, 0 to skip it, or -1 with *cause. */
static double interactions_row_weight(const struct table *t, int event_col,
    const double *w, size_t row, char **cause)
{
	const struct column *ev;

	if (event_col < 0)
		return 1;
	ev = &t->cols[event_col];
	if (column_is_missing(ev, row))
		return 0;
	if (w[ev->v.codes[row]] > 0)
		return w[ev->v.codes[row]];
	*cause = xasprintf("row %zu of '%s': event type '%s' has no weight; "
	    "list it in weights=TYPE:W,...", row + 1, t->name,
	    column_str(ev, row));
	return -1;
}

/* Maps every usable row; skipped rows are counted. */
static int interactions_rows(struct interactions *x,
    const struct interactions_opts *o, struct interactions_event **out,
    size_t *n, char **cause)
{
	const struct table *t = x->events;
	const struct column *uc = &t->cols[o->user_col],
	    *ic = &t->cols[o->item_col];
	const struct column *tc = o->time_col >= 0 ? &t->cols[o->time_col] :
	    NULL;
	struct interactions_mapper mu, mi;
	struct interactions_event *e = xmalloc((t->n_rows ? t->n_rows : 1) *
	    sizeof *e);
	double *w = o->event_col >= 0 ?
	    interactions_weights(&t->cols[o->event_col], o) : NULL, wt;
	int rc = 0;

	interactions_mapper_init(&mu, uc, x->users);
	interactions_mapper_init(&mi, ic, x->items);
	*n = 0;
	for (size_t r = 0; r < t->n_rows; r++) {
		if (r % CANCEL_BLOCK == 0 && cancel_check(o->cancel, cause)) {
			rc = -1;
			break;
		}
		if (column_is_missing(uc, r) || column_is_missing(ic, r) ||
		    (wt = interactions_row_weight(t, o->event_col, w, r,
		    cause)) == 0) {
			x->skipped++;
			continue;
		}
		if (wt < 0) {
			rc = -1;
			break;
		}
		e[*n] = (struct interactions_event){ interactions_map(&mu, r),
		    interactions_map(&mi, r), wt, interactions_time(tc, r), r };
		(*n)++;
	}
	free(mu.memo);
	free(mi.memo);
	free(w);
	*out = e;
	return rc;
}

static int interactions_cmp_pair(const void *a, const void *b)
{
	const struct interactions_event *x = a, *y = b;

	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	if (x->item != y->item)
		return x->item < y->item ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

static int interactions_cmp_row(const void *a, const void *b)
{
	const struct interactions_event *x = a, *y = b;

	return x->row < y->row ? -1 : x->row > y->row;
}

/* Folds each pair's rows (sorted by row) into e[0]: the weight, the latest
 * time, and as row the one of the last event by (time, row), so that
 * pairs ordered by row keep the engine's "ties: the later event" rule. */
static void interactions_fold(struct interactions_event *e, size_t n,
    enum interactions_repeat repeat)
{
	struct interactions_event f = e[0];

	for (size_t i = 1; i < n; i++) {
		if (repeat == INTERACTIONS_SUM)
			f.weight += e[i].weight;
		else if (e[i].weight > f.weight)
			f.weight = e[i].weight;
		if (e[i].time >= f.time) {
			f.time = e[i].time;
			f.row = e[i].row;
		}
	}
	if (f.weight > RECOMMEND_MAX_WEIGHT)
		f.weight = RECOMMEND_MAX_WEIGHT;
	e[0] = f;
}

/* Sorts by pair, folds repeats, orders the pairs by their last event; -1
 * with *cause when cancelled (a sort cannot be stopped, so after each). */
static int interactions_pairs(struct interactions *x,
    struct interactions_event *e, size_t n,
    const struct interactions_opts *o, char **cause)
{
	int timed = o->time_col >= 0;
	size_t m = 0, end;

	qsort(e, n, sizeof *e, interactions_cmp_pair);
	if (cancel_check(o->cancel, cause))
		return -1;
	for (size_t i = 0; i < n; i = end) {
		for (end = i + 1; end < n && e[end].user == e[i].user &&
		    e[end].item == e[i].item; end++)
			;
		interactions_fold(e + i, end - i, o->repeat);
		e[m++] = e[i];
	}
	qsort(e, m, sizeof *e, interactions_cmp_row);
	if (cancel_check(o->cancel, cause))
		return -1;
	x->n = m;
	x->user = xmalloc((m ? m : 1) * sizeof *x->user);
	x->item = xmalloc((m ? m : 1) * sizeof *x->item);
	x->weight = xmalloc((m ? m : 1) * sizeof *x->weight);
	x->time = timed ? xmalloc((m ? m : 1) * sizeof *x->time) : NULL;
	for (size_t i = 0; i < m; i++) {
		x->user[i] = e[i].user;
		x->item[i] = e[i].item;
		x->weight[i] = e[i].weight;
		if (timed)
			x->time[i] = e[i].time;
	}
	return 0;
}

/* Where each user and event item first appears, for display; stops early
 * once the flag is set. */
static void interactions_sources(struct interactions *x,
    const atomic_bool *cancel)
{
	const struct table *t = x->events;
	const struct column *uc = &t->cols[x->user_col],
	    *ic = &t->cols[x->item_col];
	uint32_t u, i;
	char buf[64];
	const char *s;
	size_t len;

	x->user_row = xmalloc((x->nusers ? x->nusers : 1) * sizeof *x->user_row);
	memset(x->user_row, 0xff, (x->nusers ? x->nusers : 1) *
	    sizeof *x->user_row);
	for (size_t r = 0; r < t->n_rows; r++) {
		if (r % CANCEL_BLOCK == 0 && cancel_requested(cancel))
			return;
		if (column_is_missing(uc, r) || column_is_missing(ic, r))
			continue;
		s = interactions_key(uc, r, buf, sizeof buf, &len);
		if (dict_find(x->users, s, len, &u) && x->user_row[u] == SIZE_MAX)
			x->user_row[u] = r;
		s = interactions_key(ic, r, buf, sizeof buf, &len);
		if (dict_find(x->items, s, len, &i) && x->item_src[i] == NULL) {
			x->item_src[i] = ic;
			x->item_row[i] = r;
		}
	}
}

/* The names of a title column, in the catalogue or the events. */
static const char *const interactions_titles[] = { "title", "name", "description", NULL };

/* A string column named like one of names (any case), or NULL. */
static const struct column *interactions_named(const struct table *t,
    const char *const *names)
{
	for (size_t k = 0; names[k] != NULL; k++) {
		for (size_t c = 0; c < t->n_cols; c++) {
			if (strcasecmp(t->cols[c].name, names[k]) == 0 &&
			    col_type_string(t->cols[c].type))
				return &t->cols[c];
		}
	}
	return NULL;
}

/* The catalogue's item id column: the item role, else the events' name. */
static int interactions_catalogue_key(const struct interactions *x,
    const struct table *it, char **cause)
{
	const char *name = x->events->cols[x->item_col].name;
	int c = it->roles[ROLE_ITEM];

	if (c < 0)
		c = table_find_column(it, name);
	if (c < 0)
		*cause = xasprintf("items dataset '%s' has no item id column: "
		    "name it '%s' or load it with item=COLUMN", it->name, name);
	return c;
}

/* The kind slot of a kind text, adding it; -1 when all are taken. */
static int interactions_kind_slot(struct interactions *x, const char *kind)
{
	for (unsigned k = 1; k < x->nkinds; k++) {
		if (strcmp(x->kind_names[k], kind) == 0)
			return (int)k;
	}
	if (x->nkinds == RECOMMEND_MAX_KINDS)
		return -1;
	x->kind_names[x->nkinds] = kind;
	return (int)x->nkinds++;
}

/* Titles, tags and kinds of one catalogue row. */
static int interactions_describe(struct interactions *x, uint32_t i,
    size_t row, const struct column *const cols[3], char **cause)
{
	int slot;

	if (cols[0] != NULL && !column_is_missing(cols[0], row))
		x->titles[i] = column_str(cols[0], row);
	if (cols[1] != NULL && !column_is_missing(cols[1], row))
		x->tags[i] = column_str(cols[1], row);
	if (cols[2] == NULL || column_is_missing(cols[2], row))
		return 0;
	if ((slot = interactions_kind_slot(x, column_str(cols[2], row))) < 0) {
		*cause = xasprintf("items dataset '%s': more than %d kinds in "
		    "column '%s'", x->catalogue->name, RECOMMEND_MAX_KINDS - 1,
		    cols[2]->name);
		return -1;
	}
	x->kinds[i] = (uint8_t)slot;
	return 0;
}

static void interactions_catalogue_alloc(struct interactions *x,
    const struct column *const cols[3])
{
	size_t n = x->nitems ? x->nitems : 1;

	if (cols[0] != NULL)
		x->titles = xcalloc(n, sizeof *x->titles);
	if (cols[1] != NULL)
		x->tags = xcalloc(n, sizeof *x->tags);
	if (cols[2] != NULL) {
		x->kinds = xcalloc(n, sizeof *x->kinds);
		x->kind_names[0] = "";
		x->nkinds = 1;
	}
}

/* Adds the catalogue's items (the first row of each id counts) after the
 * items of the events. */
static int interactions_catalogue(struct interactions *x,
    const struct table *it, char **cause)
{
	static const char *const tags[] = { "tags", "tag", NULL };
	static const char *const kind[] = { "kind", "type", NULL };
	const struct column *cols[3] = { interactions_named(it, interactions_titles),
	    interactions_named(it, tags), interactions_named(it, kind) };
	struct interactions_mapper m;
	size_t *first;
	int key = interactions_catalogue_key(x, it, cause), rc = 0;

	if (key < 0)
		return -1;
	x->catalogue = it;
	interactions_mapper_init(&m, &it->cols[key], x->items);
	first = xmalloc((it->n_rows ? it->n_rows : 1) * sizeof *first);
	for (size_t r = 0; r < it->n_rows; r++)
		first[r] = column_is_missing(&it->cols[key], r) ? UINT32_MAX :
		    interactions_map(&m, r);
	free(m.memo);
	x->nitems = dict_count(x->items);
	interactions_catalogue_alloc(x, cols);
	x->item_src = xcalloc(x->nitems, sizeof *x->item_src);
	x->item_row = xcalloc(x->nitems, sizeof *x->item_row);
	for (size_t r = 0; r < it->n_rows && rc == 0; r++) {
		uint32_t i = (uint32_t)first[r];

		if (first[r] == UINT32_MAX || x->item_src[i] != NULL)
			continue;
		x->item_src[i] = &it->cols[key];
		x->item_row[i] = r;
		rc = interactions_describe(x, i, r, cols, cause);
	}
	free(first);
	return rc;
}

/* Event items keep the event row as their source; catalogue-only items
 * keep the catalogue's. -1 with *cause when cancelled. */
static int interactions_finish(struct interactions *x,
    const atomic_bool *cancel, char **cause)
{
	const struct column **cat = x->item_src;
	size_t *catrow = x->item_row;

	x->item_src = xcalloc(x->nitems ? x->nitems : 1, sizeof *x->item_src);
	x->item_row = xcalloc(x->nitems ? x->nitems : 1, sizeof *x->item_row);
	interactions_sources(x, cancel);
	for (uint32_t i = 0; i < x->nitems && cat != NULL; i++) {
		if (x->item_src[i] == NULL) {
			x->item_src[i] = cat[i];
			x->item_row[i] = catrow[i];
		}
	}
	free(cat);
	free(catrow);
	return cancel_check(cancel, cause) ? -1 : 0;
}

/* Without a catalogue, titles from the events' own title column (Online
 * Retail's Description), read on each item's first row. */
static void interactions_event_titles(struct interactions *x)
{
	const struct column *c = interactions_named(x->events, interactions_titles);

	if (c == NULL || c == &x->events->cols[x->item_col] ||
	    c == &x->events->cols[x->user_col])
		return;
	x->titles = xcalloc(x->nitems ? x->nitems : 1, sizeof *x->titles);
	for (uint32_t i = 0; i < x->nitems; i++)
		if (x->item_src[i] != NULL && !column_is_missing(c, x->item_row[i]))
			x->titles[i] = column_str(c, x->item_row[i]);
}

static int interactions_check(const struct table *t, size_t n, size_t rows,
    char **cause)
{
	if (t->n_rows == 0) {
		*cause = xasprintf("dataset '%s' has no rows", t->name);
		return -1;
	}
	if (n == 0) {
		*cause = xasprintf("dataset '%s': none of its %zu rows has both "
		    "a user and an item", t->name, rows);
		return -1;
	}
	return 0;
}

int interactions_build(const struct table *events,
    const struct interactions_opts *o, struct interactions **out,
    char **cause)
{
	struct interactions *x = xcalloc(1, sizeof *x);
	struct interactions_event *e;
	size_t n;
	int rc;

	x->events = events;
	x->user_col = o->user_col;
	x->item_col = o->item_col;
	x->users = dict_new();
	x->items = dict_new();
	x->rows = events->n_rows;
	rc = interactions_rows(x, o, &e, &n, cause);
	if (rc == 0)
		rc = interactions_check(events, n, x->rows, cause);
	if (rc == 0) {
		x->nusers = dict_count(x->users);
		x->nitems = dict_count(x->items);
		rc = interactions_pairs(x, e, n, o, cause);
		if (rc == 0 && o->items != NULL)
			rc = interactions_catalogue(x, o->items, cause);
	}
	free(e);
	if (rc == 0)
		rc = interactions_finish(x, o->cancel, cause);
	if (rc == 0 && o->items == NULL)
		interactions_event_titles(x);
	if (rc != 0) {
		interactions_free(x);
		return -1;
	}
	*out = x;
	return 0;
}

void interactions_free(struct interactions *x)
{
	if (x == NULL)
		return;
	dict_free(x->users);
	dict_free(x->items);
	free(x->user_row);
	free(x->item_src);
	free(x->item_row);
	free(x->user);
	free(x->item);
	free(x->weight);
	free(x->time);
	free(x->titles);
	free(x->tags);
	free(x->kinds);
	free(x);
}

void interactions_input(const struct interactions *x,
    struct recommend_input *in)
{
	in->nusers = x->nusers;
	in->nitems = x->nitems;
	in->n = x->n;
	in->user = x->user;
	in->item = x->item;
	in->weight = x->weight;
	in->time = x->time;
}

int interactions_find_user(const struct interactions *x, const char *id,
    uint32_t *user)
{
	return dict_find(x->users, id, strlen(id), user) ? 0 : -1;
}

/* "course, dish, coupon" for messages. */
static char *interactions_kind_list(const struct interactions *x)
{
	return xstrjoin(x->kind_names + 1, x->nkinds > 1 ? x->nkinds - 1 : 0, ", ");
}

int interactions_kinds_mask(const struct interactions *x,
    const char *const *names, size_t n, unsigned *mask, char **cause)
{
	unsigned k;
	char *list;

	*mask = 0;
	if (x->kinds == NULL) {
		*cause = xasprintf("domain= needs items=DATASET with a kind or "
		    "type column");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		for (k = 1; k < x->nkinds && strcmp(x->kind_names[k],
		    names[i]) != 0; k++)
			;
		if (k == x->nkinds) {
			list = interactions_kind_list(x);
			*cause = xasprintf("domain=%s: no item is of that kind "
			    "(kinds: %s)", names[i], list);
			free(list);
			return -1;
		}
		*mask |= 1u << k;
	}
	return 0;
}

const char *interactions_item_label(const struct interactions *x,
    uint32_t item)
{
	if (x->titles != NULL && x->titles[item] != NULL)
		return x->titles[item];
	return dict_str(x->items, item);
}

/* The user id column of t: the user role, else the events' column name. */
static int interactions_user_column(const struct interactions *x,
    const struct table *t)
{
	if (t->roles[ROLE_USER] >= 0)
		return t->roles[ROLE_USER];
	return table_find_column(t, x->events->cols[x->user_col].name);
}

/* Marks the user of row r of t (user column uc) when it has events. */
static void interactions_mark(const struct interactions *x,
    const struct column *uc, size_t r, uint8_t *in)
{
	char buf[64];
	const char *s;
	size_t len;
	uint32_t u;

	if (column_is_missing(uc, r))
		return;
	s = interactions_key(uc, r, buf, sizeof buf, &len);
	if (dict_find(x->users, s, len, &u))
		in[u] = 1;
}

int interactions_segment(const struct interactions *x,
    const struct table *users, const char *by, const char *value,
    uint32_t **out, size_t *n, size_t *nrows, char **cause)
{
	const struct table *t = users != NULL ? users : x->events;
	int uc = users != NULL ? interactions_user_column(x, users) :
	    x->user_col, bc = table_find_column(t, by);
	uint8_t *in;
	char buf[64];
	const char *s;
	size_t len;

	if (uc < 0) {
		*cause = xasprintf("users dataset '%s' has no user id column: "
		    "name it '%s' or load it with user=COLUMN", t->name,
		    x->events->cols[x->user_col].name);
		return -1;
	}
	if (bc < 0) {
		*cause = xasprintf("dataset '%s' has no column '%s' for the "
		    "segment (give by=COLUMN)", t->name, by);
		return -1;
	}
	in = xcalloc(x->nusers ? x->nusers : 1, 1);
	*nrows = 0;
	for (size_t r = 0; r < t->n_rows; r++) {
		if (column_is_missing(&t->cols[bc], r))
			continue;
		s = interactions_key(&t->cols[bc], r, buf, sizeof buf, &len);
		if (len != strlen(value) || memcmp(s, value, len) != 0)
			continue;
		(*nrows)++;
		interactions_mark(x, &t->cols[uc], r, in);
	}
	*out = xmalloc((x->nusers ? x->nusers : 1) * sizeof **out);
	*n = 0;
	for (uint32_t u = 0; u < x->nusers; u++) {
		if (in[u])
			(*out)[(*n)++] = u;
	}
	free(in);
	return 0;
}
