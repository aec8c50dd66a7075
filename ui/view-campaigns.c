/* Campaigns view: the results of one campaign at a time (its arms with
 * interval bars, each treatment against the control with lift, the
 * fixed-horizon and the always-valid sequential p-values, the Bayesian
 * chance to beat the control, the sample-ratio check and the verdict in
 * words), and the form that defines or edits a campaign. Results come from
 * the test command; the console runs it again when the data change. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "campaign-by.h"
#include "campaign-form.h"
#include "console.h"
#include "numfmt.h"
#include "pager.h"
#include "result.h"
#include "text.h"
#include "tty.h"
#include "view.h"
#include "xmalloc.h"

struct vc_result {
	char *name;
	cJSON *res;
};

struct view_campaigns {
	struct vc_result *results;      /* the last test result per campaign */
	size_t n_results;
	char *sel;                      /* the campaign shown, or NULL for the first */
	cJSON *other;                   /* the last abtest, power, srm or list result */
	bool show_other;
	int scroll;
	size_t row;                     /* the arm row picked (campaign-by.h) */
	long row_line;                  /* its line as last drawn, or -1 */
	struct campaign_form *form;     /* open, or NULL */
};

static const char *const view_campaigns_commands[] = {
	"campaign", "test", "abtest", "power", "srm", NULL
};

/* The glyphs of interval bars: line, interval, estimate, zero. */
static const char *const vc_bar_utf8[] = { "\xe2\x94\x80", "\xe2\x94\x81", "\xe2\x97\x8f",
	"\xe2\x94\x86" };
static const char *const vc_bar_ascii[] = { "-", "=", "*", "|" };

static const struct campaign *vc_campaign(struct console *c, const struct view_campaigns *v)
{
	const struct campaigns *cs = &c->ctx->campaigns;
	const struct campaign *k = v->sel != NULL ? campaigns_get(cs, v->sel) : NULL;

	return k != NULL ? k : cs->n > 0 ? cs->v[0] : NULL;
}

static const cJSON *vc_result_of(const struct view_campaigns *v, const char *name)
{
	for (size_t i = 0; i < v->n_results; i++)
		if (strcmp(v->results[i].name, name) == 0)
			return v->results[i].res;
	return NULL;
}

static void vc_keep(struct view_campaigns *v, const char *name, const cJSON *res)
{
	size_t i;

	for (i = 0; i < v->n_results && strcmp(v->results[i].name, name) != 0; i++)
		;
	if (i == v->n_results) {
		v->results = xreallocarray(v->results, v->n_results + 1, sizeof *v->results);
		v->results[v->n_results++].name = xstrdup(name);
	} else
		cJSON_Delete(v->results[i].res);
	v->results[i].res = cJSON_Duplicate(res, true);
}

static void vc_select(struct view_campaigns *v, const char *name)
{
	free(v->sel);
	v->sel = name != NULL ? xstrdup(name) : NULL;
	v->show_other = false;
	v->scroll = 0;
	v->row = 0;
}

void view_campaigns_select(struct console *c, const char *name)
{
	for (int i = 0; i < CONSOLE_VIEWS; i++) {
		if (console_views[i] != &view_campaigns)
			continue;
		vc_select(c->view_state[i], name);
		console_show_view(c, i);
	}
}

static double vc_pair(const cJSON *o, const char *key, int i)
{
	const cJSON *n = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, key), i);

	return cJSON_IsNumber(n) ? n->valuedouble : NAN;
}

/* x as kind, or the missing glyph. */
static const char *vc_num(double x, enum numfmt_kind kind, char buf[NUMFMT_SIZE])
{
	return isnan(x) ? tty_glyphs()->missing : numfmt_format(x, kind, buf);
}

/* An arm's name in width columns, cut with an ellipsis (new string). */
static char *vc_name(const char *raw, int width)
{
	return text_fit(raw, width, TEXT_LEFT);
}

/* An interval [lo, hi] around x on a scale [min, max] in width cells;
 * zero is marked when it lies inside the scale. New string. */
static char *vc_bar(double lo, double x, double hi, double min, double max, int width,
    bool zero)
{
	const char *const *g = text_utf8() ? vc_bar_utf8 : vc_bar_ascii;
	char *out;
	int a, b, m, z;

	if (width < 3)
		return xstrdup("");
	out = xcalloc((size_t)width * 4 + 1, 1);
	if (isnan(lo) || isnan(hi) || isnan(x) || !(max > min))
		return out;
	a = (int)lround((lo - min) / (max - min) * (width - 1));
	b = (int)lround((hi - min) / (max - min) * (width - 1));
	m = (int)lround((x - min) / (max - min) * (width - 1));
	z = zero && min < 0 && max > 0 ? (int)lround(-min / (max - min) * (width - 1)) : -1;
	for (int i = 0; i < width; i++)
		strcat(out, i == m ? g[2] : i >= a && i <= b ? g[1] : i == z ? g[3] : g[0]);
	return out;
}

/* The arms: users, rate or mean, and the interval of each on one scale;
 * the picked row (when it is one of them) marked. */
static void vc_arms(struct view_campaigns *v, struct pager *p, const cJSON *res, int cols)
{
	const cJSON *arms = cJSON_GetObjectItemCaseSensitive(res, "arms"), *a;
	bool pct = strcmp(view_str(res, "metric_type"), "mean") != 0;
	double alpha = view_num(res, "alpha"), z, min = INFINITY, max = -INFINITY;
	int nw = campaign_by_name_width(res, "arm", cols), bar = cols - nw - 2 - 18 - 21;
	enum numfmt_kind kind = pct ? NUMFMT_RATE : NUMFMT_NUMBER;
	char lo[NUMFMT_SIZE], hi[NUMFMT_SIZE], val[NUMFMT_SIZE], users[NUMFMT_SIZE], *name;
	size_t i = 0;

	z = gsl_cdf_ugaussian_Qinv((isnan(alpha) ? 0.05 : alpha) / 2);
	cJSON_ArrayForEach(a, arms) {
		double m = view_num(a, "mean"), h = z * view_num(a, "sd") / sqrt(view_num(a, "users"));

		if (!isnan(m) && !isnan(h)) {
			min = fmin(min, m - h);
			max = fmax(max, m + h);
		}
	}
	name = vc_name("Arm", nw);
	pager_add(p, TTY_HEADER, "  %s %7s %7s  %s%% interval", name, "Users",
	    pct ? "Rate" : "Mean", numfmt_sig(100 * (1 - (isnan(alpha) ? 0.05 : alpha)), 3, val));
	free(name);
	cJSON_ArrayForEach(a, arms) {
		double m = view_num(a, "mean"), h = z * view_num(a, "sd") / sqrt(view_num(a, "users"));
		char *b = vc_bar(m - h, m, m + h, min, max, bar, false);
		bool sel = i++ == v->row;

		if (sel)
			v->row_line = (long)pager_count(p);
		name = vc_name(view_str(a, "arm"), nw);
		pager_add(p, sel ? TTY_CURSOR : TTY_NORMAL, "%s %s %7s %7s  %s %s to %s",
		    sel ? tty_glyphs()->select : " ", name,
		    vc_num(view_num(a, "users"), NUMFMT_COUNT, users), vc_num(m, kind, val), b,
		    vc_num(m - h, kind, lo), vc_num(m + h, kind, hi));
		free(name);
		free(b);
	}
}

/* Each treatment against the control. */
static void vc_comparisons(struct pager *p, const cJSON *res, int cols)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(res, "comparisons"), *o;
	double span = 0;
	int nw = campaign_by_name_width(res, "arm", cols), bar = cols - nw - 2 - 36;
	char p1[NUMFMT_SIZE], p2[NUMFMT_SIZE], lift[NUMFMT_SIZE], pb[NUMFMT_SIZE], *ctl = NULL;
	char *name;

	cJSON_ArrayForEach(o, list) {
		span = fmax(span, fmax(fabs(vc_pair(o, "diff_ci", 0)), fabs(vc_pair(o, "diff_ci", 1))));
		if (ctl == NULL)
			ctl = xasprintf("vs %s", view_str(o, "control"));
	}
	if (ctl == NULL)
		return;
	pager_add(p, TTY_NORMAL, "%s", "");
	name = text_clean(ctl);
	nw = text_width(name) > nw && text_width(name) <= cols / 4 ? text_width(name) : nw;
	free(name);
	name = vc_name(ctl, nw);
	pager_add(p, TTY_HEADER, "  %s %7s %7s %7s %7s  difference", name, "Lift", "p", "seq p",
	    "P(beat)");
	free(name);
	cJSON_ArrayForEach(o, list) {
		char *b = vc_bar(vc_pair(o, "diff_ci", 0), view_num(o, "diff"), vc_pair(o, "diff_ci", 1),
		    -span, span, bar, true);

		name = vc_name(view_str(o, "arm"), nw);
		pager_add(p, TTY_NORMAL, "  %s %7s %7s %7s %7s  %s", name,
		    vc_num(view_num(o, "lift"), NUMFMT_CHANGE, lift),
		    vc_num(view_num(o, "p_value"), NUMFMT_P, p1),
		    vc_num(view_num(o, "seq_p_value"), NUMFMT_P, p2),
		    vc_num(view_num(o, "prob_beat_control"), NUMFMT_RATE, pb), b);
		free(name);
		free(b);
	}
	free(ctl);
}

static void vc_verdict(struct pager *p, const cJSON *res, int cols)
{
	const cJSON *srm = cJSON_GetObjectItemCaseSensitive(res, "srm");
	const cJSON *notes = cJSON_GetObjectItemCaseSensitive(res, "notes"), *n;
	char *v = xstrdup(view_str(res, "verdict")), *part, *save = NULL;
	char pv[NUMFMT_SIZE], chi2[NUMFMT_SIZE];

	pager_add(p, TTY_NORMAL, "%s", "");
	if (srm != NULL)
		pager_add(p, strcmp(view_str(srm, "verdict"), "ok") == 0 ? TTY_NORMAL : TTY_ERROR,
		    "Sample ratio: %s (chi2 %s, p = %s)", view_str(srm, "verdict"),
		    vc_num(view_num(srm, "chi2"), NUMFMT_NUMBER, chi2),
		    vc_num(view_num(srm, "p_value"), NUMFMT_P, pv));
	pager_add(p, TTY_HEADER, "%s", "Verdict");
	for (part = strtok_r(v, ";", &save); part != NULL; part = strtok_r(NULL, ";", &save))
		pager_add_wrapped(p, TTY_NOTICE, part + strspn(part, " "), cols - 1);
	cJSON_ArrayForEach(n, notes)
		if (cJSON_IsString(n))
			pager_add_wrapped(p, TTY_DIM, n->valuestring, cols - 1);
	free(v);
}

static void vc_header(struct console *c, struct pager *p, const struct campaign *k)
{
	const struct campaigns *cs = &c->ctx->campaigns;
	char *list = xstrdup(""), alpha[NUMFMT_SIZE];

	pager_add(p, TTY_TITLE, "%s: %s on %s, control '%s', alpha %s", k->name, k->metric,
	    k->dataset ? k->dataset : k->aggregates ? k->aggregates : k->pg_table ? k->pg_table :
	    "a query", k->control ? k->control : "control",
	    numfmt_format(k->alpha, NUMFMT_NUMBER, alpha));
	for (size_t i = 0; cs->n > 1 && i < cs->n; i++) {
		char *n = xasprintf("%s%s%s%s%s", list, i ? " " : "", cs->v[i] == k ? "[" : "",
		    cs->v[i]->name, cs->v[i] == k ? "]" : "");

		free(list);
		list = n;
	}
	if (*list)
		pager_add(p, TTY_DIM, "campaigns: %s (Left/Right)", list);
	free(list);
	pager_add(p, TTY_NORMAL, "%s", "");
}

static void vc_render(struct console *c, struct view_campaigns *v, struct pager *p, int cols)
{
	const struct campaign *k = vc_campaign(c, v);
	const cJSON *res;
	long line;

	if (v->show_other && v->other != NULL) {
		result_render(p, v->other);
		return;
	}
	if (k == NULL) {
		pager_add(p, TTY_DIM, "%s", "No campaigns yet: press n to define one, or type");
		pager_add(p, TTY_DIM, "%s", ":campaign NAME dataset=EVENTS arm=COL control=VALUE");
		return;
	}
	vc_header(c, p, k);
	if ((res = vc_result_of(v, k->name)) == NULL) {
		pager_add(p, TTY_DIM, "No results yet: press t to test %s", k->name);
		return;
	}
	vc_arms(v, p, res, cols);
	vc_comparisons(p, res, cols);
	vc_verdict(p, res, cols);
	line = campaign_by_render(p, res, cols, v->row);
	v->row_line = line >= 0 ? line : v->row_line;
}

static void view_campaigns_draw(struct console *c, void *state, WINDOW *w)
{
	struct view_campaigns *v = state;
	struct pager *p = pager_new("Campaigns");
	int rows, cols, top;

	getmaxyx(w, rows, cols);
	top = view_notice(w, "test");
	v->row_line = -1;
	vc_render(c, v, p, cols - 1);
	/* the picked row stays in sight */
	if (v->row_line >= 0 && v->row_line < v->scroll)
		v->scroll = (int)v->row_line;
	else if (v->row_line >= 0 && v->row_line >= v->scroll + rows - top)
		v->scroll = (int)v->row_line - (rows - top) + 1;
	for (int i = 0; i < v->scroll; i++)
		pager_key(p, KEYS_FN(KEY_DOWN));
	pager_draw_into(p, w, top, 1, rows - top, cols - 1);
	pager_free(p);
}

static void view_campaigns_update(struct console *c, void *state, enum view_event ev,
    const char *command, const cJSON *result)
{
	struct view_campaigns *v = state;
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(result, "campaign");

	if (ev != VIEW_RESULT || result == NULL)
		return;
	console_dirty(c, DIRTY_MAIN);
	if (strcmp(command, "test") == 0 && cJSON_IsString(name)) {
		vc_keep(v, name->valuestring, result);
		if (v->sel == NULL || strcmp(v->sel, name->valuestring) == 0 || v->show_other)
			vc_select(v, name->valuestring);
		return;
	}
	if (strcmp(command, "campaign") == 0 && cJSON_IsString(name)) {
		vc_select(v, name->valuestring);
		return;
	}
	cJSON_Delete(v->other);
	v->other = cJSON_Duplicate(result, true);
	v->show_other = true;
	v->scroll = 0;
}

static void *view_campaigns_create(struct console *c)
{
	(void)c;
	return xcalloc(1, sizeof(struct view_campaigns));
}

static void view_campaigns_destroy(void *state)
{
	struct view_campaigns *v = state;

	for (size_t i = 0; i < v->n_results; i++) {
		free(v->results[i].name);
		cJSON_Delete(v->results[i].res);
	}
	free(v->results);
	free(v->sel);
	cJSON_Delete(v->other);
	campaign_form_free(v->form);
	free(v);
}

static void vc_place(struct console *c, struct view_campaigns *v)
{
	int y, x, rows, cols;

	console_popup_area(c, false, &y, &x, &rows, &cols);
	if (v->form != NULL && !c->too_small)
		campaign_form_place(v->form, y, x, rows, cols);
}

static void view_campaigns_resize(struct console *c, void *state, int rows, int cols)
{
	(void)rows;
	(void)cols;
	vc_place(c, state);
}

static void vc_open_form(struct console *c, struct view_campaigns *v, const struct campaign *k)
{
	campaign_form_free(v->form);
	v->form = campaign_form_new(c, k);
	vc_place(c, v);
	console_dirty(c, DIRTY_ALL);
}

static void vc_close_form(struct console *c, struct view_campaigns *v)
{
	campaign_form_free(v->form);
	v->form = NULL;
	console_dirty(c, DIRTY_ALL);
}

static bool vc_new(struct console *c, void *state, int key)
{
	(void)key;
	vc_open_form(c, state, NULL);
	return true;
}

static bool vc_edit(struct console *c, void *state, int key)
{
	const struct campaign *k = vc_campaign(c, state);

	if (k == NULL || k->dataset == NULL)
		return vc_new(c, state, key);
	vc_open_form(c, state, k);
	return true;
}

static bool vc_test(struct console *c, void *state, int key)
{
	const struct campaign *k = vc_campaign(c, state);
	char *line;

	(void)key;
	if (k == NULL)
		return false;
	line = xasprintf("test '%s'", k->name);
	console_command(c, line);
	free(line);
	return true;
}

static bool vc_cycle(struct console *c, void *state, int key)
{
	struct view_campaigns *v = state;
	const struct campaigns *cs = &c->ctx->campaigns;
	const struct campaign *k = vc_campaign(c, v);
	size_t i;

	if (k == NULL)
		return false;
	for (i = 0; i < cs->n && cs->v[i] != k; i++)
		;
	if (key == KEYS_FN(KEY_LEFT) || key == 'h')
		i = i > 0 ? i - 1 : cs->n - 1;
	else
		i = i + 1 < cs->n ? i + 1 : 0;
	vc_select(v, cs->v[i]->name);
	console_dirty(c, DIRTY_MAIN);
	return true;
}

static bool vc_scroll(struct console *c, void *state, int key)
{
	struct view_campaigns *v = state;

	if (key == 'J')
		v->scroll++;
	else if (v->scroll > 0)
		v->scroll--;
	console_dirty(c, DIRTY_MAIN);
	return true;
}

/* The result shown, when it is a test's. */
static const cJSON *vc_shown(struct console *c, struct view_campaigns *v)
{
	const struct campaign *k = vc_campaign(c, v);

	return v->show_other || k == NULL ? NULL : vc_result_of(v, k->name);
}

/* Up/Down pick an arm row: the campaign's arms, then the by= groups'. */
static bool vc_pick(struct console *c, void *state, int key)
{
	struct view_campaigns *v = state;
	const cJSON *res = vc_shown(c, v);
	size_t n = res != NULL ? campaign_by_count(res) : 0;

	if (n == 0)
		return vc_scroll(c, state, key == KEYS_FN(KEY_DOWN) || key == 'j' ? 'J' : 'K');
	if ((key == KEYS_FN(KEY_DOWN) || key == 'j') && v->row + 1 < n)
		v->row++;
	else if ((key == KEYS_FN(KEY_UP) || key == 'k') && v->row > 0)
		v->row--;
	else if (key == KEYS_FN(KEY_UP) || key == 'k')
		v->scroll = 0;
	console_dirty(c, DIRTY_MAIN);
	return true;
}

/* Enter or v: every figure of the picked row in a popup. */
static bool vc_detail(struct console *c, void *state, int key)
{
	struct view_campaigns *v = state;
	const cJSON *res = vc_shown(c, v);
	struct pager *p = res != NULL ? campaign_by_detail(res, v->row) : NULL;

	(void)key;
	if (p == NULL)
		return false;
	console_popup(c, p);
	return true;
}

static bool view_campaigns_key(struct console *c, void *state, int key)
{
	struct view_campaigns *v = state;
	char *line, *cause = NULL;

	if (v->form == NULL)
		return false;
	switch (campaign_form_key(v->form, c, key)) {
	case CFORM_CANCEL:
		vc_close_form(c, v);
		console_message(c, false, "campaign form closed");
		break;
	case CFORM_SUBMIT:
		if ((line = campaign_form_command(v->form, &cause)) == NULL) {
			console_message(c, true, "%s", cause);
			free(cause);
			break;
		}
		console_command(c, line);
		/* On an error the form stays open to be fixed. */
		if (!c->message_error)
			vc_close_form(c, v);
		free(line);
		break;
	default:
		break;
	}
	console_dirty(c, DIRTY_STATUS);
	return true;
}

static bool view_campaigns_modal(void *state)
{
	return ((struct view_campaigns *)state)->form != NULL;
}

static void view_campaigns_cursor(struct console *c, void *state)
{
	struct view_campaigns *v = state;

	(void)c;
	if (v->form != NULL)
		campaign_form_cursor(v->form);
}

static const struct keys_binding view_campaigns_keys[] = {
	{ 'n', "n", "New", "define a new campaign in a form", vc_new },
	{ 'e', "e", "Edit", "edit the campaign shown in the form", vc_edit },
	{ 't', "t", "Test", "run 'test' on the campaign shown", vc_test },
	{ KEYS_FN(KEY_LEFT), "Left/Right", "Campaign", "show the previous / next campaign "
	    "(also h, l)", vc_cycle },
	{ KEYS_FN(KEY_RIGHT), "Right", NULL, NULL, vc_cycle },
	{ 'h', "h", NULL, NULL, vc_cycle },
	{ 'l', "l", NULL, NULL, vc_cycle },
	{ KEYS_FN(KEY_UP), "Up/Down", NULL, "pick an arm, of the campaign or of a by= group "
	    "(also k, j)", vc_pick },
	{ KEYS_FN(KEY_DOWN), "Down", NULL, NULL, vc_pick },
	{ 'k', "k", NULL, NULL, vc_pick },
	{ 'j', "j", NULL, NULL, vc_pick },
	{ '\r', "Enter", "Detail", "every figure of the arm picked, in a popup (also v)", vc_detail },
	{ 'v', "v", NULL, NULL, vc_detail },
	{ 'K', "J/K", NULL, "scroll the results", vc_scroll },
	{ 'J', "J", NULL, NULL, vc_scroll },
	{ 0, NULL, NULL, NULL, NULL }
};

const struct view view_campaigns = {
	.name = "Campaigns",
	.commands = view_campaigns_commands,
	.keys = view_campaigns_keys,
	.create = view_campaigns_create,
	.destroy = view_campaigns_destroy,
	.draw = view_campaigns_draw,
	.key = view_campaigns_key,
	.resize = view_campaigns_resize,
	.update = view_campaigns_update,
	.modal = view_campaigns_modal,
	.cursor = view_campaigns_cursor,
};
