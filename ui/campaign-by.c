/* Per-group test results in the Campaigns view. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "campaign-by.h"
#include "numfmt.h"
#include "result.h"
#include "text.h"
#include "tty.h"
#include "view.h"
#include "xmalloc.h"

/* One row: an arm of the campaign (group NULL) or of a group. */
struct cb_row {
	const cJSON *group;
	const cJSON *arm;
};

static const cJSON *cb_list(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static bool cb_row(const cJSON *res, size_t i, struct cb_row *row)
{
	const cJSON *g;
	size_t n = (size_t)cJSON_GetArraySize(cb_list(res, "arms"));

	if (i < n) {
		*row = (struct cb_row){ NULL, cJSON_GetArrayItem(cb_list(res, "arms"), (int)i) };
		return true;
	}
	i -= n;
	cJSON_ArrayForEach(g, cb_list(res, "groups")) {
		n = (size_t)cJSON_GetArraySize(cb_list(g, "arms"));
		if (i < n) {
			*row = (struct cb_row){ g, cJSON_GetArrayItem(cb_list(g, "arms"), (int)i) };
			return true;
		}
		i -= n;
	}
	return false;
}

size_t campaign_by_count(const cJSON *res)
{
	size_t n = (size_t)cJSON_GetArraySize(cb_list(res, "arms"));
	const cJSON *g;

	cJSON_ArrayForEach(g, cb_list(res, "groups"))
		n += (size_t)cJSON_GetArraySize(cb_list(g, "arms"));
	return n;
}

/* The comparison of an arm with the control in a result or group. */
static const cJSON *cb_comparison(const cJSON *in, const char *arm)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, cb_list(in, "comparisons"))
		if (strcmp(view_str(o, "arm"), arm) == 0)
			return o;
	return NULL;
}

static int cb_widest(const cJSON *list, const char *key, int w)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, list) {
		char *clean = text_clean(view_str(o, key));
		int cw = text_width(clean);

		w = cw > w ? cw : w;
		free(clean);
	}
	return w;
}

int campaign_by_name_width(const cJSON *res, const char *key, int cols)
{
	int w = strcmp(key, "value") == 0 ? cb_widest(cb_list(res, "groups"), key, 5) :
	    cb_widest(cb_list(res, "arms"), key, 3);
	const cJSON *g;

	if (strcmp(key, "arm") == 0)
		cJSON_ArrayForEach(g, cb_list(res, "groups"))
			w = cb_widest(cb_list(g, "arms"), key, w);
	return w < cols / 4 ? w : cols / 4 > 3 ? cols / 4 : 3;
}

/* The verdict mark of a comparison: better or worse than the control
 * after the adjustment, or no significant difference. */
static const char *cb_mark(const cJSON *cmp, double alpha)
{
	double p = view_num(cmp, "p_adjusted"), d = view_num(cmp, "diff");
	bool utf8 = text_utf8();

	if (cmp == NULL || isnan(p))
		return "";
	if (p >= alpha || isnan(d) || d == 0)
		return utf8 ? "\xc2\xb7" : ".";
	return d > 0 ? (utf8 ? "\xe2\x96\xb2" : "+") : (utf8 ? "\xe2\x96\xbc" : "-");
}

static char *cb_num(const cJSON *o, const char *key, enum numfmt_kind kind)
{
	double x = view_num(o, key);
	char buf[NUMFMT_SIZE];

	return xstrdup(o == NULL || isnan(x) ? "" : numfmt_format(x, kind, buf));
}

/* One line of the table: cells fitted to their widths. */
static char *cb_line(const char *mark, char *const *cells, const int *width, size_t n)
{
	char *line = xstrdup(mark), *next;

	for (size_t i = 0; i < n; i++) {
		char *cell = text_fit(cells[i], width[i], i < 2 ? TEXT_LEFT : TEXT_RIGHT);

		next = xasprintf("%s%s%s", line, i ? " " : "", cell);
		free(line);
		free(cell);
		line = next;
	}
	return line;
}

static void cb_add_row(struct pager *p, const cJSON *res, const struct cb_row *row,
    const int *width, bool sel)
{
	const cJSON *cmp = cb_comparison(row->group, view_str(row->arm, "arm"));
	bool pct = strcmp(view_str(res, "metric_type"), "mean") != 0;
	double alpha = view_num(res, "alpha");
	char *cells[7] = {
		xstrdup(view_str(row->group, "value")), xstrdup(view_str(row->arm, "arm")),
		cb_num(row->arm, "users", NUMFMT_COUNT),
		cb_num(row->arm, "mean", pct ? NUMFMT_RATE : NUMFMT_NUMBER),
		cb_num(cmp, "lift", NUMFMT_CHANGE), cb_num(cmp, "p_adjusted", NUMFMT_P),
		xstrdup(cb_mark(cmp, isnan(alpha) ? 0.05 : alpha))
	};
	const struct tty_glyphs *g = tty_glyphs();
	char *mark = xasprintf("%s ", sel ? g->select : " ");

	pager_add_clean(p, sel ? TTY_CURSOR : TTY_NORMAL, cb_line(mark, cells, width, 7));
	for (size_t i = 0; i < 7; i++)
		free(cells[i]);
	free(mark);
}

long campaign_by_render(struct pager *p, const cJSON *res, int cols, size_t sel)
{
	const cJSON *groups = cb_list(res, "groups");
	bool pct = strcmp(view_str(res, "metric_type"), "mean") != 0;
	int width[7] = { campaign_by_name_width(res, "value", cols),
		campaign_by_name_width(res, "arm", cols), 7, 8, 8, 7, 1 };
	char *head[7] = { (char *)view_str(res, "by"), "Arm", "Users", pct ? "Rate" : "Mean",
		"Lift", "adj. p", "" };
	size_t first = (size_t)cJSON_GetArraySize(cb_list(res, "arms")), i = first;
	long line = -1;
	struct cb_row row;

	if (cJSON_GetArraySize(groups) == 0)
		return -1;
	pager_add(p, TTY_NORMAL, "%s", "");
	pager_add(p, TTY_HEADER, "By %s (%s-adjusted p; Enter: detail)", view_str(res, "by"),
	    strcmp(view_str(res, "adjustment"), "bh") == 0 ? "BH" : "Holm");
	pager_add_clean(p, TTY_HEADER, cb_line("  ", head, width, 7));
	for (; cb_row(res, i, &row); i++) {
		if (i == sel)
			line = (long)pager_count(p);
		cb_add_row(p, res, &row, width, i == sel);
	}
	pager_add(p, TTY_DIM, "%s", text_utf8() ?
	    "\xe2\x96\xb2 better, \xe2\x96\xbc worse than the control, \xc2\xb7 no difference" :
	    "+ better, - worse than the control, . no difference");
	return line;
}

static const char *const cb_first[] = { "verdict", "lift", "p_adjusted", "p_value", "arm" };

/* Copies the members of from into o but those named in skip (cb_first). */
static void cb_copy(cJSON *o, const cJSON *from, const char *const *skip)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, from) {
		size_t k = 0;

		while (skip != NULL && k < sizeof cb_first / sizeof cb_first[0] &&
		    strcmp(skip[k], m->string) != 0)
			k++;
		if (skip == NULL || k == sizeof cb_first / sizeof cb_first[0])
			cJSON_AddItemToObject(o, m->string, cJSON_Duplicate(m, true));
	}
}

struct pager *campaign_by_detail(const cJSON *res, size_t i)
{
	struct cb_row row;
	const cJSON *cmp, *m;
	cJSON *o;
	struct pager *p;
	char *title;

	if (!cb_row(res, i, &row))
		return NULL;
	cmp = cb_comparison(row.group != NULL ? row.group : res, view_str(row.arm, "arm"));
	o = cJSON_CreateObject();
	if (row.group != NULL)
		cJSON_AddStringToObject(o, view_str(res, "by"), view_str(row.group, "value"));
	cb_copy(o, row.arm, NULL);
	/* what decides first, then the rest of the comparison */
	for (size_t k = 0; k < sizeof cb_first / sizeof cb_first[0]; k++)
		if ((m = cJSON_GetObjectItemCaseSensitive(cmp, cb_first[k])) != NULL)
			cJSON_AddItemToObject(o, m->string, cJSON_Duplicate(m, true));
	cb_copy(o, cmp, cb_first);
	title = row.group != NULL ? xasprintf("%s, %s = %s", view_str(row.arm, "arm"),
	    view_str(res, "by"), view_str(row.group, "value")) : xstrdup(view_str(row.arm, "arm"));
	p = pager_new(title);
	result_render(p, o);
	free(title);
	cJSON_Delete(o);
	return p;
}
