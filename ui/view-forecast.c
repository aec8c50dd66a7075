/* Forecast view: the numeric series of the daily dataset as a line chart,
 * and the results of the forecast command (Holt-Winters, linear trend,
 * intervals, backtest). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "console.h"
#include "text.h"
#include "tty.h"
#include "view.h"
#include "xmalloc.h"

#define VIEW_FORECAST_DATASET "daily"

struct view_forecast {
	struct view_panes_state panes;  /* first: view_panes_destroy frees it */
	size_t series;                  /* index among the numeric columns */
};

static const char *const view_forecast_commands[] = { "forecast", NULL };
static const char *const *const view_forecast_boxes[] = { NULL, NULL, view_forecast_commands };

static const int view_forecast_spec[][4] = {
	{ 0, 0, 100, 25 }, { 0, 25, 60, 75 }, { 60, 25, 40, 75 }
};
static const char *const view_forecast_titles[] = { "Series", "History", "Forecast" };

static const struct view_panes view_forecast_panes = {
	"forecast", view_forecast_titles, view_forecast_spec, view_forecast_boxes, 3
};

/* The n-th numeric column of t, or -1. */
static int view_forecast_column(const struct table *t, size_t n)
{
	for (size_t i = 0; t != NULL && i < t->n_cols; i++)
		if (col_type_numeric(t->cols[i].type) && t->cols[i].type != COL_BOOL && n-- == 0)
			return (int)i;
	return -1;
}

static void view_forecast_list(const struct table *t, const struct view_forecast *f, WINDOW *w,
    const struct view_box *b)
{
	for (int r = 0; r < b->rows; r++) {
		int col = view_forecast_column(t, (size_t)r);

		if (col < 0)
			break;
		view_list_line(w, b->y + r, b->x, b->cols, t->cols[col].name,
		    (size_t)r == f->series);
	}
}

static void view_forecast_chart(const struct table *t, int col, WINDOW *w, const struct view_box *b)
{
	const struct column *c = &t->cols[col];
	double *v = xmalloc((t->n_rows ? t->n_rows : 1) * sizeof *v);
	char **lines;
	char *label;

	for (size_t r = 0; r < t->n_rows; r++)
		v[r] = column_is_missing(c, r) ? NAN : column_number(c, r);
	lines = chart_line(v, t->n_rows, b->rows - 1, b->cols, text_utf8());
	wattrset(w, tty_attr(TTY_BAR));
	for (int r = 0; r < b->rows - 1; r++)
		text_put(w, b->y + r, b->x, lines[r], 0, b->cols, TEXT_LEFT, false);
	wattrset(w, tty_attr(TTY_DIM));
	label = xasprintf("%s, %zu days in %d columns", c->name, t->n_rows, b->cols);
	text_put_raw(w, b->y + b->rows - 1, b->x, label, b->cols, TEXT_LEFT);
	wattrset(w, A_NORMAL);
	chart_lines_free(lines, b->rows - 1);
	free(label);
	free(v);
}

static void view_forecast_draw(struct console *c, void *state, WINDOW *w)
{
	struct view_forecast *f = state;
	const struct table *t = workspace_get(&c->ctx->ws, VIEW_FORECAST_DATASET);
	struct view_box inner[3];
	int col;

	view_panes_frame(&view_forecast_panes, w, inner);
	col = view_forecast_column(t, f->series);
	if (col < 0) {
		wattrset(w, tty_attr(TTY_DIM));
		text_put(w, inner[1].y, inner[1].x, "no 'daily' dataset loaded", 0, inner[1].cols,
		    TEXT_LEFT, true);
		wattrset(w, A_NORMAL);
	} else {
		view_forecast_list(t, f, w, &inner[0]);
		view_forecast_chart(t, col, w, &inner[1]);
	}
	view_box_result(w, &inner[2], view_forecast_commands, f->panes.result[2], f->panes.scroll);
}

static void view_forecast_update(struct console *c, void *state, enum view_event ev,
    const char *command, const cJSON *result)
{
	(void)c;
	view_panes_update(&view_forecast_panes, state, ev, command, result);
}

static void *view_forecast_create(struct console *c)
{
	(void)c;
	return xcalloc(1, sizeof(struct view_forecast));
}

static bool view_forecast_select(struct console *c, void *state, int key)
{
	struct view_forecast *f = state;
	const struct table *t = workspace_get(&c->ctx->ws, VIEW_FORECAST_DATASET);

	if ((key == KEYS_FN(KEY_UP) || key == 'k') && f->series > 0)
		f->series--;
	else if ((key == KEYS_FN(KEY_DOWN) || key == 'j') &&
	    view_forecast_column(t, f->series + 1) >= 0)
		f->series++;
	console_dirty(c, DIRTY_MAIN);
	return true;
}

static const struct keys_binding view_forecast_keys[] = {
	{ KEYS_FN(KEY_UP), "Up/Down", "Series", "choose the series to chart",
	    view_forecast_select },
	{ KEYS_FN(KEY_DOWN), "Down", NULL, NULL, view_forecast_select },
	{ 'k', "k", NULL, NULL, view_forecast_select },
	{ 'j', "j", NULL, NULL, view_forecast_select },
	{ 'J', "J/K", NULL, "scroll the forecast result", view_panes_scroll },
	{ 'K', "K", NULL, NULL, view_panes_scroll },
	{ 0, NULL, NULL, NULL, NULL }
};

const struct view view_forecast = {
	.name = "Forecast",
	.commands = view_forecast_commands,
	.keys = view_forecast_keys,
	.create = view_forecast_create,
	.destroy = view_panes_destroy,
	.draw = view_forecast_draw,
	.update = view_forecast_update,
};
