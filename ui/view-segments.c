/* Segments view: the segments of the last segment command, each with its
 * size as a bar, its label and centroid, and the rows of the one selected.
 * Keys run the command again with another k or other features; the runs
 * replace the segment column, so the view always shows what the data hold. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "command.h"
#include "console.h"
#include "text.h"
#include "tty.h"
#include "view.h"
#include "xmalloc.h"

#define VIEW_SEGMENTS_KMAX 20
#define VIEW_SEGMENTS_CELL_MIN 7        /* columns of a centroid or member value */
#define VIEW_SEGMENTS_CELL_MAX 12

struct view_segments {
	cJSON *result;          /* the last segment result, or NULL */
	char *line;             /* the command line that made it */
	size_t sel;             /* the selected segment, 0-based */
};

static const char *const view_segments_commands[] = { "segment", NULL };

/* The boxes: segments on top; centroids and members below. The members'
 * title names the segment. */
static const int view_segments_spec[][4] = {
	{ 0, 0, 50, 100 }, { 50, 0, 50, 55 }, { 50, 55, 50, 45 }
};
static const char *const view_segments_titles[] = { "Segments", "Centroids", NULL };
static const struct view_panes view_segments_panes = {
	"segment", view_segments_titles, view_segments_spec, NULL, 3
};

static const cJSON *view_segments_list(const struct view_segments *v)
{
	return cJSON_GetObjectItemCaseSensitive(v->result, "segments");
}

/* The first row shown of n in rows lines, keeping sel in sight. */
static size_t view_segments_top(size_t sel, size_t n, int rows)
{
	size_t fit = rows > 0 ? (size_t)rows : 1;

	if (n <= fit || sel < fit)
		return 0;
	return sel - fit + 1;
}

/* "users.cluster  k=4  silhouette 0.678  features: a, b" */
static void view_segments_heading(const struct view_segments *v, WINDOW *w,
    const struct view_box *b)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(v->result, "features"), *e;
	const char **names = xmalloc(((size_t)cJSON_GetArraySize(f) + 1) * sizeof *names);
	char *features, *s;
	size_t n = 0;

	cJSON_ArrayForEach(e, f)
		names[n++] = cJSON_IsString(e) ? e->valuestring : "";
	features = xstrjoin(names, n, ", ");
	free(names);
	s = xasprintf("%s.%s  k=%.0f  silhouette %.3f  rows %.0f  features: %s",
	    view_str(v->result, "dataset"), view_str(v->result, "column"),
	    view_num(v->result, "k"), view_num(v->result, "silhouette"),
	    view_num(v->result, "rows"), features);
	wattrset(w, A_BOLD);
	text_put_raw(w, b->y, b->x, s, b->cols, TEXT_LEFT);
	wattrset(w, A_NORMAL);
	free(s);
	free(features);
}

/* One segment: id, label, size bar, rows and share. The selected one is in
 * reverse video with a marker, so it shows without colour. */
static void view_segments_row(const cJSON *seg, bool sel, double max_share, WINDOW *w, int y,
    const struct view_box *b)
{
	const struct tty_glyphs *g = tty_glyphs();
	double share = view_num(seg, "share");
	int label_w = b->cols / 3, bar = b->cols - label_w - 22, x = b->x, done;
	char *s;

	if (bar < 4)
		bar = 4;
	done = max_share > 0 ? (int)lround(share / max_share * bar) : 0;
	wattrset(w, sel ? tty_attr(TTY_CURSOR) : A_NORMAL);
	text_put(w, y, x, sel ? g->select : " ", 0, 1, TEXT_LEFT, false);
	s = xasprintf("%2.0f ", view_num(seg, "id"));
	text_put(w, y, x + 1, s, 0, 3, TEXT_LEFT, false);
	free(s);
	text_put_raw(w, y, x + 4, view_str(seg, "label"), label_w, TEXT_LEFT);
	x += 4 + label_w + 1;
	wattrset(w, tty_attr(TTY_BAR));
	for (int i = 0; i < bar && x < b->x + b->cols; i++)
		text_put(w, y, x++, i < done ? g->bar_done : g->bar_left, 0, 1, TEXT_LEFT, false);
	wattrset(w, sel ? tty_attr(TTY_CURSOR) : A_NORMAL);
	s = xasprintf(" %7.0f %5.1f%%", view_num(seg, "size"), share * 100);
	text_put(w, y, x, s, 0, b->x + b->cols - x, TEXT_LEFT, false);
	wattrset(w, A_NORMAL);
	free(s);
}

static void view_segments_sizes(const struct view_segments *v, WINDOW *w,
    const struct view_box *b)
{
	const cJSON *list = view_segments_list(v);
	size_t n = (size_t)cJSON_GetArraySize(list), top;
	double max_share = 0;

	view_segments_heading(v, w, b);
	for (size_t i = 0; i < n; i++)
		max_share = fmax(max_share, view_num(cJSON_GetArrayItem(list, (int)i), "share"));
	top = view_segments_top(v->sel, n, b->rows - 1);
	for (int r = 1; r < b->rows && top + (size_t)(r - 1) < n; r++) {
		size_t i = top + (size_t)(r - 1);

		view_segments_row(cJSON_GetArrayItem(list, (int)i), i == v->sel, max_share, w,
		    b->y + r, b);
	}
}

/* Columns per feature value when lead columns come first: as many
 * features as fit, each between the bounds. */
static int view_segments_cell_width(const struct view_segments *v, const struct view_box *b,
    int lead)
{
	int d = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(v->result, "features"));
	int cw = d > 0 ? (b->cols - lead) / d : VIEW_SEGMENTS_CELL_MAX;

	return cw < VIEW_SEGMENTS_CELL_MIN ? VIEW_SEGMENTS_CELL_MIN :
	    cw > VIEW_SEGMENTS_CELL_MAX ? VIEW_SEGMENTS_CELL_MAX : cw;
}

/* Writes text right-aligned into the cw columns from x when they fit in the
 * box; returns the next x. */
static int view_segments_cell(WINDOW *w, int y, int x, int cw, const struct view_box *b,
    const char *text)
{
	if (x + cw > b->x + b->cols)
		return x;
	/* The first column stays blank so that wide values never touch. */
	text_put_raw(w, y, x + 1, text, cw - 1, TEXT_RIGHT);
	return x + cw;
}

/* A table: one row a segment, one column a feature, in the features' units. */
static void view_segments_centroids(const struct view_segments *v, WINDOW *w,
    const struct view_box *b)
{
	const cJSON *list = view_segments_list(v), *f, *seg;
	size_t n = (size_t)cJSON_GetArraySize(list), top = view_segments_top(v->sel, n, b->rows - 1);
	char buf[32];
	int x = b->x + 3, cw = view_segments_cell_width(v, b, 3);

	wattrset(w, tty_attr(TTY_HEADER));
	text_put(w, b->y, b->x, " # ", 0, 3, TEXT_LEFT, false);
	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(v->result, "features"))
		x = view_segments_cell(w, b->y, x, cw, b, cJSON_IsString(f) ? f->valuestring : "");
	for (int r = 1; r < b->rows && top + (size_t)(r - 1) < n; r++) {
		size_t i = top + (size_t)(r - 1);
		const cJSON *c;

		seg = cJSON_GetArrayItem(list, (int)i);
		wattrset(w, i == v->sel ? tty_attr(TTY_CURSOR) : A_NORMAL);
		snprintf(buf, sizeof buf, "%2.0f ", view_num(seg, "id"));
		text_put(w, b->y + r, b->x, buf, 0, 3, TEXT_LEFT, false);
		x = b->x + 3;
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(seg, "centroid")) {
			chart_number(cJSON_IsNumber(c) ? c->valuedouble : NAN, buf, sizeof buf);
			x = view_segments_cell(w, b->y + r, x, cw, b, buf);
		}
	}
	wattrset(w, A_NORMAL);
}

/* The column that names a row: the user, else the id, else the first. */
static int view_segments_id_column(const struct table *t)
{
	if (t->roles[ROLE_USER] >= 0)
		return t->roles[ROLE_USER];
	return t->roles[ROLE_ID] >= 0 ? t->roles[ROLE_ID] : 0;
}

/* The first rows of the selected segment: their id and features, read from
 * the dataset as it is now. */
static void view_segments_members(struct console *c, const struct view_segments *v, WINDOW *w,
    const struct view_box *b)
{
	const struct table *t = workspace_get(&c->ctx->ws, view_str(v->result, "dataset"));
	const cJSON *seg = cJSON_GetArrayItem(view_segments_list(v), (int)v->sel), *f;
	int col = t != NULL ? table_find_column(t, view_str(v->result, "column")) : -1;
	char id[32], cell[256];
	uint32_t code;
	int r = 1, x, cw = view_segments_cell_width(v, b, 12);

	snprintf(id, sizeof id, "%.0f", view_num(seg, "id"));
	if (col < 0 || !col_type_string(t->cols[col].type) ||
	    !dict_find(t->cols[col].dict, id, strlen(id), &code)) {
		wattrset(w, tty_attr(TTY_DIM));
		text_put(w, b->y, b->x, "the segment column is gone: press r to run it again", 0,
		    b->cols, TEXT_LEFT, true);
		wattrset(w, A_NORMAL);
		return;
	}
	wattrset(w, tty_attr(TTY_HEADER));
	text_put_raw(w, b->y, b->x, t->cols[view_segments_id_column(t)].name, 12, TEXT_LEFT);
	x = b->x + 12;
	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(v->result, "features"))
		x = view_segments_cell(w, b->y, x, cw, b, cJSON_IsString(f) ? f->valuestring : "");
	wattrset(w, A_NORMAL);
	for (size_t row = 0; row < t->n_rows && r < b->rows; row++) {
		if (column_is_missing(&t->cols[col], row) || t->cols[col].v.codes[row] != code)
			continue;
		column_format(&t->cols[view_segments_id_column(t)], row, cell, sizeof cell);
		text_put_raw(w, b->y + r, b->x, cell, 11, TEXT_LEFT);
		x = b->x + 12;
		cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(v->result, "features")) {
			int j = table_find_column(t, cJSON_IsString(f) ? f->valuestring : "");

			cell[0] = '\0';
			if (j >= 0)
				column_format(&t->cols[j], row, cell, sizeof cell);
			x = view_segments_cell(w, b->y + r, x, cw, b, cell);
		}
		r++;
	}
}

static void view_segments_draw(struct console *c, void *state, WINDOW *w)
{
	struct view_segments *v = state;
	struct view_box boxes[3], inner[3];
	char *members;

	view_panes_frame(&view_segments_panes, w, boxes, inner);
	if (v->result == NULL) {
		view_box_title(w, &boxes[2], "Members");
		view_box_result(w, &inner[0], view_segments_commands, NULL, 0);
		return;
	}
	members = xasprintf("Members of segment %zu", v->sel + 1);
	view_box_title(w, &boxes[2], members);
	free(members);
	view_segments_sizes(v, w, &inner[0]);
	view_segments_centroids(v, w, &inner[1]);
	view_segments_members(c, v, w, &inner[2]);
}

static void view_segments_update(struct console *c, void *state, enum view_event ev,
    const char *command, const cJSON *result)
{
	struct view_segments *v = state;
	size_t n;

	if (ev == VIEW_DATA_CHANGED)
		console_dirty(c, DIRTY_MAIN);
	if (ev != VIEW_RESULT || strcmp(command, "segment") != 0 || c->routed == NULL)
		return;
	cJSON_Delete(v->result);
	free(v->line);
	v->result = cJSON_Duplicate(result, true);
	v->line = xstrdup(c->routed->line);
	n = (size_t)cJSON_GetArraySize(view_segments_list(v));
	if (v->sel >= n)
		v->sel = n > 0 ? n - 1 : 0;
}

static void *view_segments_create(struct console *c)
{
	(void)c;
	return xcalloc(1, sizeof(struct view_segments));
}

static void view_segments_destroy(void *state)
{
	struct view_segments *v = state;

	cJSON_Delete(v->result);
	free(v->line);
	free(v);
}

static bool view_segments_select(struct console *c, void *state, int key)
{
	struct view_segments *v = state;
	size_t n = (size_t)cJSON_GetArraySize(view_segments_list(v));

	if ((key == KEYS_FN(KEY_UP) || key == 'k') && v->sel > 0)
		v->sel--;
	else if ((key == KEYS_FN(KEY_DOWN) || key == 'j') && v->sel + 1 < n)
		v->sel++;
	console_dirty(c, DIRTY_MAIN);
	return true;
}

/* The last command line with k=K (or as it was when k is 0), replacing its
 * column; NULL when there is none. */
static char *view_segments_rerun(const struct view_segments *v, long k)
{
	static const char *const drop[] = { "k", "replace", NULL };
	char *line = view_line_without(v->line, drop + (k > 0 ? 0 : 1)), knum[32];

	if (line == NULL)
		return NULL;
	if (k > 0) {
		snprintf(knum, sizeof knum, "%ld", k);
		cmd_append(&line, "k", knum);
	}
	cmd_append(&line, "replace", "yes");
	return line;
}

/* + and - run it again with one segment more or less; r as it was. */
static bool view_segments_again(struct console *c, void *state, int key)
{
	struct view_segments *v = state;
	long k = (long)view_num(v->result, "k");
	char *line;

	if (v->result == NULL) {
		console_message(c, true, "no segments yet: run :segment DATASET features=COL,COL");
		return true;
	}
	if (key == '+' || key == '-') {
		k += key == '+' ? 1 : -1;
		if (k < 2 || k > VIEW_SEGMENTS_KMAX) {
			console_message(c, true, "k stays between 2 and %d", VIEW_SEGMENTS_KMAX);
			return true;
		}
	} else
		k = 0;
	if ((line = view_segments_rerun(v, k)) == NULL)
		return true;
	if (key == 'f')
		console_command_line(c, line);
	else
		console_command(c, line);
	free(line);
	return true;
}

/* Enter: the selected segment's rows as a dataset in the Data view. */
static bool view_segments_open(struct console *c, void *state, int key)
{
	struct view_segments *v = state;
	const char *ds = view_str(v->result, "dataset");
	const char *col = view_str(v->result, "column");
	char *where, *as, *line = xstrdup("filter");

	(void)key;
	if (v->result == NULL) {
		free(line);
		return false;
	}
	where = xasprintf("%s == '%zu'", col, v->sel + 1);
	as = xasprintf("%s_%s_%zu", ds, col, v->sel + 1);
	cmd_append(&line, NULL, ds);
	cmd_append(&line, "where", where);
	cmd_append(&line, "as", as);
	console_command(c, line);
	free(line);
	free(as);
	free(where);
	return true;
}

static const struct keys_binding view_segments_keys[] = {
	{ KEYS_FN(KEY_UP), "Up/Down", "Segment", "choose a segment: its centroid and members",
	    view_segments_select },
	{ KEYS_FN(KEY_DOWN), "Down", NULL, NULL, view_segments_select },
	{ 'k', "k", NULL, NULL, view_segments_select },
	{ 'j', "j", NULL, NULL, view_segments_select },
	{ '+', "+/-", "k", "run the segmentation again with one segment more or less",
	    view_segments_again },
	{ '-', "-", NULL, NULL, view_segments_again },
	{ 'r', "r", "Re-run", "run the segmentation again (after the data changed)",
	    view_segments_again },
	{ 'f', "f", "Features", "edit the features (or any argument) and run it again",
	    view_segments_again },
	{ '\r', "Enter", "Rows", "the selected segment's rows as a dataset, in the Data view",
	    view_segments_open },
	{ 0, NULL, NULL, NULL, NULL }
};

const struct view view_segments = {
	.name = "Segments",
	.commands = view_segments_commands,
	.keys = view_segments_keys,
	.create = view_segments_create,
	.destroy = view_segments_destroy,
	.draw = view_segments_draw,
	.update = view_segments_update,
};
