/* Forecast view: the last forecast as a chart of the history it was
 * fitted on, the forecast and its 80% and 95% intervals, with the model,
 * its accuracy and the forecast rows, all read from the result. The list
 * chooses the series: on another one than the forecast's, Enter forecasts
 * it. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "command.h"
#include "console.h"
#include "numfmt.h"
#include "pager.h"
#include "result.h"
#include "text.h"
#include "tty.h"
#include "view.h"
#include "xmalloc.h"

#define VIEW_FORECAST_LABELS 7  /* columns of the value labels left of the chart */
#define VIEW_FORECAST_CELL 24   /* bytes of a cell of the forecast rows */

struct view_forecast {
	cJSON *result;          /* the last forecast result, or NULL */
	char *line;             /* the command line that made it */
	size_t series;          /* the chosen one of the dataset's numeric columns */
	size_t group;           /* the group shown of a by= result */
	int scroll;             /* lines scrolled in the model box */
	bool components;        /* the chart shows the forecast's components */
};

/* The fit shown as the chart takes it from the result: the history (none
 * in a by= result without history=yes) and the forecast from step start. */
struct view_forecast_history {
	double *y;              /* n values, one a step */
	size_t n;
	const cJSON *t;         /* their dates */
	const cJSON *points;    /* the forecast */
	size_t start;
	const char *unit;       /* "days", "weeks"... */
};

static const char *const view_forecast_commands[] = { "forecast", NULL };

/* The boxes: the chart on top; the series and the model below. The first
 * two titles are known once their contents are drawn. */
static const int view_forecast_spec[][4] = {
	{ 0, 0, 60, 100 }, { 60, 0, 40, 25 }, { 60, 25, 40, 75 }
};
static const char *const view_forecast_titles[] = { NULL, NULL, "Model and accuracy" };
static const struct view_panes view_forecast_panes = {
	"forecast", view_forecast_titles, view_forecast_spec, NULL, 3
};

/* The steps of a series by its period, for captions. */
static const char *const view_forecast_steps[][2] = {
	{ "daily", "days" }, { "weekly", "weeks" }, { "monthly", "months" },
	{ "quarterly", "quarters" }, { "yearly", "years" }
};

/* True when t's time column holds dates: a dataset of daily or coarser
 * values, as opposed to events. */
static bool view_forecast_dated(const struct table *t)
{
	return t != NULL && t->roles[ROLE_TIME] >= 0 && t->cols[t->roles[ROLE_TIME]].type == COL_DATE;
}

/* The dataset of the view: the last forecast's, else the current dataset
 * when it is dated, else the first dated one. */
static const struct table *view_forecast_table(struct console *c, const struct view_forecast *f)
{
	const struct workspace *ws = &c->ctx->ws;
	const struct table *t = NULL;

	if (f->result != NULL)
		t = workspace_get(ws, view_str(f->result, "dataset"));
	if (t == NULL && view_forecast_dated(console_table(c)))
		t = console_table(c);
	for (size_t i = 0; t == NULL && i < ws->n_tables; i++)
		if (view_forecast_dated(ws->tables[i]))
			t = ws->tables[i];
	return t;
}

/* The n-th column that forecast takes (int or float), or -1. */
static int view_forecast_column(const struct table *t, size_t n)
{
	for (size_t i = 0; t != NULL && i < t->n_cols; i++)
		if ((t->cols[i].type == COL_INT || t->cols[i].type == COL_FLOAT) && n-- == 0)
			return (int)i;
	return -1;
}

/* The fit shown: the result, or the chosen group of a by= result. */
static const cJSON *view_forecast_fit(const struct view_forecast *f)
{
	const cJSON *groups = cJSON_GetObjectItemCaseSensitive(f->result, "groups");

	return groups != NULL ? cJSON_GetArrayItem(groups, (int)f->group) : f->result;
}

/* True when the chosen series is the one the last forecast is about. */
static bool view_forecast_on_result(struct console *c, const struct view_forecast *f)
{
	const struct table *t = view_forecast_table(c, f);
	int col = view_forecast_column(t, f->series);

	return f->result != NULL && col >= 0 &&
	    strcmp(t->name, view_str(f->result, "dataset")) == 0 &&
	    strcmp(t->cols[col].name, view_str(f->result, "column")) == 0;
}

/* The forecast command for the chosen series: the last one with the column
 * replaced when it was on the same dataset (so holdout=, by= and the rest
 * stay; by= with history=yes, for the chart), else the plain one, whose
 * horizon is the period's usual; NULL when there is no series. */
static char *view_forecast_line(struct console *c, const struct view_forecast *f)
{
	static const char *const keys[] = { "column", "history", NULL };
	const struct table *t = view_forecast_table(c, f);
	int col = view_forecast_column(t, f->series);
	char *line = NULL;
	bool by = false;

	if (col < 0)
		return NULL;
	if (f->result != NULL && strcmp(t->name, view_str(f->result, "dataset")) == 0 &&
	    (line = view_line_without(f->line, keys)) != NULL)
		by = *view_str(f->result, "by") != '\0';
	if (line == NULL) {
		line = xstrdup("forecast");
		cmd_append(&line, NULL, t->name);
	}
	cmd_append(&line, "column", t->cols[col].name);
	if (by)
		cmd_append(&line, "history", "yes");
	return line;
}

/* The forecast points as bands, n of them. */
static struct chart_band *view_forecast_bands(const cJSON *points, size_t *n)
{
	struct chart_band *b = xcalloc((size_t)cJSON_GetArraySize(points) + 1, sizeof *b);
	const cJSON *p;

	*n = 0;
	cJSON_ArrayForEach(p, points)
		b[(*n)++] = (struct chart_band){ view_num(p, "mean"), view_num(p, "lo80"),
		    view_num(p, "hi80"), view_num(p, "lo95"), view_num(p, "hi95") };
	return b;
}

/* "days" for "daily" and so on: a period's steps. */
static const char *view_forecast_unit(const char *period)
{
	for (size_t i = 0; i < sizeof view_forecast_steps / sizeof *view_forecast_steps; i++)
		if (strcmp(view_forecast_steps[i][0], period) == 0)
			return view_forecast_steps[i][1];
	return "steps";
}

/* Reads the fit's history and forecast. The forecast starts after the
 * points fitted: past the history, or over the held-out points at its end. */
static void view_forecast_history_read(const cJSON *fit, struct view_forecast_history *h)
{
	const cJSON *hist = cJSON_GetObjectItemCaseSensitive(fit, "history");
	const cJSON *y = cJSON_GetObjectItemCaseSensitive(hist, "y"), *v;
	double n_fit = view_num(fit, "n");

	h->y = xcalloc((size_t)cJSON_GetArraySize(y) + 1, sizeof *h->y);
	h->n = 0;
	cJSON_ArrayForEach(v, y)
		h->y[h->n++] = cJSON_IsNumber(v) ? v->valuedouble : NAN;
	h->t = cJSON_GetObjectItemCaseSensitive(hist, "t");
	h->points = cJSON_GetObjectItemCaseSensitive(fit, "forecast");
	h->start = n_fit >= 0 && n_fit < (double)h->n ? (size_t)n_fit : h->n;
	h->unit = view_forecast_unit(view_str(fit, "period"));
}

/* The date of step pos: the history's, else the forecast's. */
static const char *view_forecast_date(const struct view_forecast_history *h, size_t pos)
{
	const cJSON *d;

	if (pos >= h->n)
		return view_str(cJSON_GetArrayItem(h->points, (int)(pos - h->start)), "t");
	d = cJSON_GetArrayItem(h->t, (int)pos);
	return cJSON_IsString(d) ? d->valuestring : "";
}

/* A hint or the reason for an empty box, on line y of b. */
static void view_forecast_message(WINDOW *w, const struct view_box *b, int y, const char *msg)
{
	wattrset(w, tty_attr(TTY_DIM));
	text_put_raw(w, b->y + y, b->x, msg, b->cols, TEXT_LEFT);
	wattrset(w, A_NORMAL);
}

/* "orders: last 61 of 730 days, 14 forecast from 2025-12-31", name with
 * the group of a by= forecast. */
static char *view_forecast_caption(const struct view_forecast_history *h, const char *name,
    const struct chart_series *s, const struct chart_frame *fr)
{
	size_t shown = s->n_hist - (fr->first < s->n_hist ? fr->first : s->n_hist);
	char *out, *next;

	if (s->n_hist == 0)
		out = xasprintf("%s: no history", name);
	else if (shown == s->n_hist)
		out = xasprintf("%s: %zu %s", name, shown, h->unit);
	else
		out = xasprintf("%s: last %zu of %zu %s", name, shown, s->n_hist, h->unit);
	if (s->n_fc > 0) {
		next = xasprintf("%s, %zu forecast from %s", out, s->n_fc,
		    view_str(cJSON_GetArrayItem(h->points, 0), "t"));
		free(out);
		out = next;
	}
	return out;
}

/* The top and bottom values left of the chart; under it the first date
 * (with the steps a column when they are averaged) and the last. */
static void view_forecast_axes(WINDOW *w, const struct view_box *b, int rows,
    const struct view_forecast_history *h, const struct chart_frame *fr)
{
	const char *last = view_forecast_date(h, fr->last);
	char v[16], *first;
	int x = b->x + VIEW_FORECAST_LABELS, fw, lw;

	wattrset(w, tty_attr(TTY_DIM));
	chart_number(fr->lo, v, sizeof v);
	text_put(w, b->y + rows - 1, b->x, v, 0, VIEW_FORECAST_LABELS - 1, TEXT_RIGHT, false);
	chart_number(fr->hi, v, sizeof v);
	text_put(w, b->y, b->x, v, 0, VIEW_FORECAST_LABELS - 1, TEXT_RIGHT, false);
	first = fr->per_col > 1 ? xasprintf("%s  (%zu %s a column)", view_forecast_date(h,
	    fr->first), fr->per_col, h->unit) : xstrdup(view_forecast_date(h, fr->first));
	fw = text_width(first);
	lw = text_width(last);
	text_put(w, b->y + rows, x, first, 0, fw, TEXT_LEFT, false);
	if (fr->cols > fw + lw)
		text_put(w, b->y + rows, x + fr->cols - lw, last, 0, lw, TEXT_LEFT, false);
	wattrset(w, A_NORMAL);
	free(first);
}

/* A component's part of point i in percent of the rest of the mean (log
 * fits) or in the series' units. */
static double view_forecast_part(const cJSON *points, const cJSON *values, int i, bool pct)
{
	double part = cJSON_GetArrayItem(values, i)->valuedouble;
	double mean = view_num(cJSON_GetArrayItem(points, i), "mean");

	return pct ? 100 * part / (mean - part) : part;
}

/* "+38% on 11-11": a component's largest part and the date (without the
 * year) where it is. */
static void view_forecast_peak(const cJSON *points, const cJSON *values, bool pct, char *buf,
    size_t size, double *peak)
{
	int n = cJSON_GetArraySize(values), at = 0;
	const char *t;
	char num[16];

	for (int i = 1; i < n; i++)
		if (fabs(view_forecast_part(points, values, i, pct)) >
		    fabs(view_forecast_part(points, values, at, pct)))
			at = i;
	*peak = n > 0 ? view_forecast_part(points, values, at, pct) : 0;
	t = view_str(cJSON_GetArrayItem(points, at), "t");
	if (strlen(t) == 10)
		t += 5;
	if (pct)	/* round first: no "-0%" */
		snprintf(buf, size, "%+.0f%% on %s", round(*peak) + 0.0, t);
	else {
		chart_number(*peak, num, sizeof num);
		snprintf(buf, size, "%s%s on %s", *peak > 0 ? "+" : "", num, t);
	}
}

/* One line per component of the forecast with a part in the horizon: its
 * name, a sparkline over the horizon and its largest part; the title names
 * the largest holiday or event. */
static void view_forecast_components(const struct view_forecast *f, WINDOW *w,
    const struct view_box *box, const struct view_box *b)
{
	const cJSON *fit = view_forecast_fit(f), *c;
	const cJSON *points = cJSON_GetObjectItemCaseSensitive(fit, "forecast");
	const cJSON *comps = cJSON_GetObjectItemCaseSensitive(fit, "components");
	bool pct = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(fit, "params"), "log"));
	int r = 0, spark = b->cols - 44;
	double peak, best = 0;
	char *title = NULL, *line, *sl, sum[48];

	cJSON_ArrayForEach(c, comps) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, "values");
		const char *name = view_str(c, "name");
		double *vals = xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof *vals);
		int n = 0;
		const cJSON *e;

		cJSON_ArrayForEach(e, v)
			vals[n++] = e->valuedouble;
		view_forecast_peak(points, v, pct && strcmp(name, "trend") != 0, sum, sizeof sum,
		    &peak);
		if (peak == 0) {	/* a holiday outside the horizon */
			free(vals);
			continue;
		}
		if (strcmp(name, "trend") != 0 && strncmp(name, "season ", 7) != 0 &&
		    fabs(peak) > fabs(best)) {
			best = peak;
			free(title);
			title = xasprintf("Components: %s: %s", name, sum);
		}
		sl = chart_sparkline(vals, (size_t)n, spark > 4 ? spark : 4, text_utf8());
		line = xasprintf("%-20.20s %s  %s", name, sl, strcmp(name, "trend") == 0 ? "" : sum);
		if (r < b->rows)
			text_put(w, b->y + r++, b->x, line, 0, b->cols, TEXT_LEFT, true);
		free(line);
		free(sl);
		free(vals);
	}
	view_box_title(w, box, title != NULL ? title : "Components");
	if (r + 1 < b->rows)
		view_forecast_message(w, b, b->rows - 1, "c: back to the forecast chart");
	free(title);
}

/* True when the fit shown has components to chart. */
static bool view_forecast_has_components(struct console *c, const struct view_forecast *f)
{
	return view_forecast_on_result(c, f) &&
	    cJSON_GetObjectItemCaseSensitive(view_forecast_fit(f), "components") != NULL;
}

/* The fit's name: its column, with the group of a by= forecast. */
static char *view_forecast_name(const struct view_forecast *f)
{
	const cJSON *g = cJSON_GetObjectItemCaseSensitive(view_forecast_fit(f), "group");
	char *label, *name;

	if (g == NULL)
		return xstrdup(view_str(f->result, "column"));
	label = result_scalar(g);
	name = xasprintf("%s %s", view_str(f->result, "column"), label);
	free(label);
	return name;
}

/* The chart of the fit shown with its caption as the box's title, its axes,
 * and under it the legend, or how to get the history a by= result left
 * out. */
static void view_forecast_plot(const struct view_forecast *f, WINDOW *w,
    const struct view_box *box, const struct view_box *b)
{
	struct view_forecast_history h;
	struct chart_series s;
	struct chart_band *bands;
	struct chart_frame fr;
	int rows = b->rows - 2, cols = b->cols - VIEW_FORECAST_LABELS;
	char **lines, *name = view_forecast_name(f), *title;

	if (rows < 1 || cols < 2) {
		view_box_title(w, box, name);
		free(name);
		return;
	}
	view_forecast_history_read(view_forecast_fit(f), &h);
	s = (struct chart_series){ h.y, h.n, NULL, 0, h.start };
	s.fc = bands = view_forecast_bands(h.points, &s.n_fc);
	lines = chart_forecast(&s, rows, cols, text_utf8(), &fr);
	wattrset(w, tty_attr(TTY_BAR));
	for (int r = 0; r < rows; r++)
		text_put(w, b->y + r, b->x + VIEW_FORECAST_LABELS, lines[r], 0, cols, TEXT_LEFT,
		    false);
	view_forecast_axes(w, b, rows, &h, &fr);
	if (h.n > 0)
		text_put(w, b->y + rows + 1, b->x, chart_forecast_legend(text_utf8()), 0, b->cols,
		    TEXT_LEFT, true);
	else
		view_forecast_message(w, b, rows + 1,
		    "no history: Enter forecasts again with history=yes");
	title = view_forecast_caption(&h, name, &s, &fr);
	view_box_title(w, box, title);
	free(title);
	free(name);
	chart_lines_free(lines, rows);
	free(bands);
	free(h.y);
}

/* The last forecast's chart or components when the chosen series is its;
 * else how to forecast the series. */
static void view_forecast_chart(struct console *c, struct view_forecast *f, WINDOW *w,
    const struct view_box *box, const struct view_box *b)
{
	const struct table *t = view_forecast_table(c, f);
	int col = view_forecast_column(t, f->series);
	char *title;

	if (f->components && view_forecast_has_components(c, f))
		view_forecast_components(f, w, box, b);
	else if (view_forecast_on_result(c, f))
		view_forecast_plot(f, w, box, b);
	else if (col < 0) {
		view_box_title(w, box, "Forecast");
		view_forecast_message(w, b, 0, "no series: load a dataset with a date column");
	} else {
		title = xasprintf("%s: no forecast yet", t->cols[col].name);
		view_box_title(w, box, title);
		free(title);
		view_forecast_message(w, b, 0,
		    "Enter forecasts this series; e edits the command first");
	}
}

/* The numeric columns of the dataset (its name the title), the chosen one
 * marked and in view. */
static void view_forecast_list(struct console *c, const struct view_forecast *f, WINDOW *w,
    const struct view_box *box, const struct view_box *b)
{
	const struct table *t = view_forecast_table(c, f);
	size_t top = b->rows > 0 && f->series >= (size_t)b->rows ? f->series - (size_t)b->rows + 1 : 0;

	view_box_title(w, box, t != NULL ? t->name : "Series");
	if (t == NULL) {
		view_forecast_message(w, b, 0, "no dated dataset");
		return;
	}
	for (int r = 0; r < b->rows; r++) {
		size_t i = top + (size_t)r;
		int col = view_forecast_column(t, i);

		if (col < 0)
			break;
		view_list_line(w, b->y + r, b->x, b->cols, t->cols[col].name, i == f->series);
	}
}

/* "MASE 0.460, sMAPE 4.17%, RMSE 230.1" after lead, when there is one. */
static void view_forecast_accuracy(struct pager *p, const char *lead, const cJSON *acc,
    int width)
{
	char *s, *next, num[NUMFMT_SIZE];

	if (acc == NULL)
		return;
	s = xasprintf("%s: MASE %.3f, sMAPE %.2f%%", lead, view_num(acc, "mase"),
	    view_num(acc, "smape"));
	if (!isnan(view_num(acc, "rmse"))) {
		next = xasprintf("%s, RMSE %s", s, numfmt_format(view_num(acc, "rmse"),
		    NUMFMT_NUMBER, num));
		free(s);
		s = next;
	}
	pager_add_wrapped(p, TTY_NOTICE, s, width);
	free(s);
}

/* "Parameters: members ses, theta; ses_alpha 0.766342" */
static char *view_forecast_params(const cJSON *params)
{
	char *out = xstrdup("Parameters:"), *v, *next;
	const cJSON *m, *e;

	cJSON_ArrayForEach(m, params) {
		if (cJSON_IsArray(m)) {
			v = xstrdup("");
			cJSON_ArrayForEach(e, m) {
				char *s = result_scalar(e);

				next = xasprintf("%s%s%s", v, *v ? ", " : "", s);
				free(s);
				free(v);
				v = next;
			}
		} else
			v = result_scalar(m);
		next = xasprintf("%s%s %s %s", out, m == params->child ? "" : ";", m->string, v);
		free(v);
		free(out);
		out = next;
	}
	return out;
}

/* One line of the forecast rows, cells padded to their column's width
 * (the date to the left, numbers to the right). */
static void view_forecast_row(struct pager *p, enum tty_role role,
    char cells[][VIEW_FORECAST_CELL], const int *width, int n)
{
	char *line = xstrdup(""), *next;

	for (int j = 0; j < n; j++) {
		next = xasprintf("%s%s%*s", line, j ? " " : "", j ? width[j] : -width[j], cells[j]);
		free(line);
		line = next;
	}
	pager_add(p, role, "%s", line);
	free(line);
}

/* An interval as "low..high". */
static void view_forecast_interval(const cJSON *pt, const char *lo, const char *hi, char *buf)
{
	char a[11], b[11];

	chart_number(view_num(pt, lo), a, sizeof a);
	chart_number(view_num(pt, hi), b, sizeof b);
	snprintf(buf, VIEW_FORECAST_CELL, "%s..%s", a, b);
}

/* The forecast rows: date, the actual value of a held-out point, mean,
 * and the 80% and 95% intervals. */
static void view_forecast_rows(struct pager *p, const cJSON *points)
{
	static const char *const head[] = { "date", "actual", "mean", "80%", "95%" };
	bool actual = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(points, 0),
	    "actual") != NULL;
	int n = cJSON_GetArraySize(points), m = actual ? 5 : 4, width[5] = { 0 }, i = 1;
	char (*cells)[5][VIEW_FORECAST_CELL] = xcalloc((size_t)n + 1, sizeof *cells);
	const cJSON *pt;

	/* Without actual values the heads after the date move one to the left. */
	for (int j = 0; j < m; j++)
		snprintf(cells[0][j], VIEW_FORECAST_CELL, "%s", head[j + (actual || j == 0 ? 0 : 1)]);
	cJSON_ArrayForEach(pt, points) {
		int j = 0;

		snprintf(cells[i][j++], VIEW_FORECAST_CELL, "%s", view_str(pt, "t"));
		if (actual)
			chart_number(view_num(pt, "actual"), cells[i][j++], VIEW_FORECAST_CELL);
		chart_number(view_num(pt, "mean"), cells[i][j++], VIEW_FORECAST_CELL);
		view_forecast_interval(pt, "lo80", "hi80", cells[i][j++]);
		view_forecast_interval(pt, "lo95", "hi95", cells[i][j]);
		i++;
	}
	for (int r = 0; r <= n; r++)
		for (int j = 0; j < m; j++)
			if ((int)strlen(cells[r][j]) > width[j])
				width[j] = (int)strlen(cells[r][j]);
	for (int r = 0; r <= n; r++)
		view_forecast_row(p, r == 0 ? TTY_HEADER : TTY_NORMAL, cells[r], width, m);
	free(cells);
}

/* The model, its accuracy, the rows, why it was chosen and its parameters. */
static void view_forecast_fit_lines(const struct view_forecast *f, struct pager *p, int width)
{
	const cJSON *fit = view_forecast_fit(f);
	char *s, *next;

	s = xasprintf("%s: %s model, %s, season %.0f, fitted on %.0f points",
	    view_str(f->result, "column"), view_str(fit, "model"), view_str(fit, "period"),
	    view_num(fit, "season"), view_num(fit, "n"));
	if (isfinite(view_num(fit, "aicc"))) {
		next = xasprintf("%s, AICc %.1f", s, view_num(fit, "aicc"));
		free(s);
		s = next;
	}
	pager_add_wrapped(p, TTY_TITLE, s, width);
	free(s);
	view_forecast_accuracy(p, "Holdout", cJSON_GetObjectItemCaseSensitive(fit, "accuracy"),
	    width);
	if (fit != f->result) {
		s = xasprintf("All %d groups", cJSON_GetArraySize(
		    cJSON_GetObjectItemCaseSensitive(f->result, "groups")));
		view_forecast_accuracy(p, s, cJSON_GetObjectItemCaseSensitive(f->result, "accuracy"),
		    width);
		free(s);
	}
	/* The numbers first: on a small screen why and the parameters are a
	 * scroll away. */
	view_forecast_rows(p, cJSON_GetObjectItemCaseSensitive(fit, "forecast"));
	pager_add(p, TTY_NORMAL, "%s", "");
	if (*view_str(fit, "why") != '\0')
		pager_add_wrapped(p, TTY_NORMAL, view_str(fit, "why"), width);
	s = view_forecast_params(cJSON_GetObjectItemCaseSensitive(fit, "params"));
	pager_add_wrapped(p, TTY_DIM, s, width);
	free(s);
}

/* The model box: the fit shown, scrolled by J/K; how to get one before. */
static void view_forecast_model(struct view_forecast *f, WINDOW *w, const struct view_box *box,
    const struct view_box *b)
{
	const cJSON *groups = cJSON_GetObjectItemCaseSensitive(f->result, "groups");
	struct pager *p;
	char *title, *label;
	int n;

	if (f->result == NULL) {
		view_box_result(w, b, view_forecast_commands, NULL, 0);
		return;
	}
	p = pager_new("forecast");
	view_forecast_fit_lines(f, p, b->cols);
	n = (int)pager_count(p);
	if (f->scroll > n - b->rows)
		f->scroll = n - b->rows > 0 ? n - b->rows : 0;
	for (int i = 0; i < f->scroll; i++)
		pager_key(p, KEYS_FN(KEY_DOWN));
	pager_draw_into(p, w, b->y, b->x, b->rows, b->cols);
	pager_free(p);
	if (groups == NULL) {
		if (n > b->rows)
			view_box_title(w, box, "Model and accuracy, J/K scrolls");
		return;
	}
	label = result_scalar(cJSON_GetObjectItemCaseSensitive(view_forecast_fit(f), "group"));
	title = xasprintf("%s (%zu of %d, Left/Right): model and accuracy", label, f->group + 1,
	    cJSON_GetArraySize(groups));
	view_box_title(w, box, title);
	free(title);
	free(label);
}

static void view_forecast_draw(struct console *c, void *state, WINDOW *w)
{
	struct view_forecast *f = state;
	struct view_box boxes[3], inner[3];

	view_panes_frame(&view_forecast_panes, w, boxes, inner);
	/* The dataset may have lost columns since. */
	if (view_forecast_column(view_forecast_table(c, f), f->series) < 0)
		f->series = 0;
	view_forecast_chart(c, f, w, &boxes[0], &inner[0]);
	view_forecast_list(c, f, w, &boxes[1], &inner[1]);
	view_forecast_model(f, w, &boxes[2], &inner[2]);
}

/* Keeps a forecast result with its command line and chooses its series. */
static void view_forecast_keep(struct console *c, struct view_forecast *f, const cJSON *result)
{
	const struct table *t = workspace_get(&c->ctx->ws, view_str(result, "dataset"));
	int col;

	cJSON_Delete(f->result);
	free(f->line);
	f->result = cJSON_Duplicate(result, true);
	f->line = c->routed != NULL ? xstrdup(c->routed->line) : NULL;
	f->group = 0;
	f->scroll = 0;
	for (size_t i = 0; (col = view_forecast_column(t, i)) >= 0; i++)
		if (strcmp(t->cols[col].name, view_str(result, "column")) == 0)
			f->series = i;
}

static void view_forecast_update(struct console *c, void *state, enum view_event ev,
    const char *command, const cJSON *result)
{
	struct view_forecast *f = state;

	if (ev == VIEW_TICK)
		return;
	console_dirty(c, DIRTY_MAIN);
	if (ev == VIEW_RESULT && strcmp(command, "forecast") == 0)
		view_forecast_keep(c, f, result);
}

static void *view_forecast_create(struct console *c)
{
	(void)c;
	return xcalloc(1, sizeof(struct view_forecast));
}

static void view_forecast_destroy(void *state)
{
	struct view_forecast *f = state;

	cJSON_Delete(f->result);
	free(f->line);
	free(f);
}

static bool view_forecast_select(struct console *c, void *state, int key)
{
	struct view_forecast *f = state;
	const struct table *t = view_forecast_table(c, f);

	if ((key == KEYS_FN(KEY_UP) || key == 'k') && f->series > 0)
		f->series--;
	else if ((key == KEYS_FN(KEY_DOWN) || key == 'j') &&
	    view_forecast_column(t, f->series + 1) >= 0)
		f->series++;
	console_dirty(c, DIRTY_MAIN);
	return true;
}

static bool view_forecast_group(struct console *c, void *state, int key)
{
	struct view_forecast *f = state;
	int n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(f->result, "groups"));

	if (n == 0) {
		console_message(c, false, "one series: forecast with by=COLUMN for one a group");
		return true;
	}
	if ((key == KEYS_FN(KEY_LEFT) || key == 'h') && f->group > 0)
		f->group--;
	else if ((key == KEYS_FN(KEY_RIGHT) || key == 'l') && f->group + 1 < (size_t)n)
		f->group++;
	f->scroll = 0;
	console_dirty(c, DIRTY_MAIN);
	return true;
}

/* Enter forecasts the chosen series; e offers the command to edit first. */
static bool view_forecast_run(struct console *c, void *state, int key)
{
	char *line = view_forecast_line(c, state);

	if (line == NULL)
		console_message(c, true, "no series to forecast: load a dataset with a date column");
	else if (key == 'e')
		console_command_line(c, line);
	else
		console_command(c, line);
	free(line);
	return true;
}

static bool view_forecast_scroll(struct console *c, void *state, int key)
{
	struct view_forecast *f = state;

	if (key == 'J')
		f->scroll++;
	else if (f->scroll > 0)
		f->scroll--;
	console_dirty(c, DIRTY_MAIN);
	return true;
}

/* c shows the forecast's components in place of the chart, and back. */
static bool view_forecast_toggle(struct console *c, void *state, int key)
{
	struct view_forecast *f = state;

	(void)key;
	if (!view_forecast_has_components(c, f)) {
		console_message(c, false, "no components: model=mstl or fourier (auto's choice on "
		    "a year of daily data, or with holidays=) has them");
		return true;
	}
	f->components = !f->components;
	console_dirty(c, DIRTY_MAIN);
	return true;
}

static const struct keys_binding view_forecast_keys[] = {
	{ KEYS_FN(KEY_UP), "Up/Down", "Series", "choose the series: its forecast, or Enter for one",
	    view_forecast_select },
	{ KEYS_FN(KEY_DOWN), "Down", NULL, NULL, view_forecast_select },
	{ 'k', "k", NULL, NULL, view_forecast_select },
	{ 'j', "j", NULL, NULL, view_forecast_select },
	{ '\r', "Enter", "Forecast", "forecast the chosen series (like the last forecast on its "
	    "dataset: holdout=, by=... kept)", view_forecast_run },
	{ 'e', "e", "Edit", "edit that forecast command first (horizon=, holdout=, model=...)",
	    view_forecast_run },
	{ KEYS_FN(KEY_LEFT), "Left/Right", NULL, "choose the group of a forecast with by=COLUMN",
	    view_forecast_group },
	{ KEYS_FN(KEY_RIGHT), "Right", NULL, NULL, view_forecast_group },
	{ 'h', "h", NULL, NULL, view_forecast_group },
	{ 'l', "l", NULL, NULL, view_forecast_group },
	{ 'c', "c", "Parts", "chart the forecast's components (trend, seasons, holidays) or the "
	    "forecast", view_forecast_toggle },
	{ 'J', "J/K", NULL, "scroll the model, accuracy and forecast rows", view_forecast_scroll },
	{ 'K', "K", NULL, NULL, view_forecast_scroll },
	{ 0, NULL, NULL, NULL, NULL }
};

const struct view view_forecast = {
	.name = "Forecast",
	.commands = view_forecast_commands,
	.keys = view_forecast_keys,
	.create = view_forecast_create,
	.destroy = view_forecast_destroy,
	.draw = view_forecast_draw,
	.update = view_forecast_update,
};
