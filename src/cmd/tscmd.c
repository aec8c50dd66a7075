/* Model names, series arguments and fit reports for the forecasting
 * commands. */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tscmd.h"
#include "xmalloc.h"

static const struct {
	const char *name;
	enum forecast_model model;
	int damped;
} tscmd_models[] = {
	{ "auto", FORECAST_AUTO, 0 },
	{ "ses", FORECAST_SES, 0 },
	{ "holt", FORECAST_HOLT, 0 },
	{ "hw-add", FORECAST_HW_ADDITIVE, 0 },
	{ "hw-mul", FORECAST_HW_MULTIPLICATIVE, 0 },
	{ "hw-damped", FORECAST_HW_ADDITIVE, 1 },
	{ "theta", FORECAST_THETA, 0 },
	{ "linear", FORECAST_LINEAR, 0 },
	{ "combo", FORECAST_COMB, 0 },
	{ "snaive", FORECAST_SNAIVE, 0 },
	{ "mstl", FORECAST_MSTL, 0 },
	{ "fourier", FORECAST_FOURIER, 0 },
	{ "hw-mult", FORECAST_HW_MULTIPLICATIVE, 0 },	/* the engine's names */
	{ "comb", FORECAST_COMB, 0 },
};
#define TSCMD_NMODELS (sizeof tscmd_models / sizeof tscmd_models[0])

int tscmd_model_parse(const char *key, const char *name, struct tscmd_model *m, char **cause)
{
	for (size_t i = 0; i < TSCMD_NMODELS; i++) {
		if (strcmp(tscmd_models[i].name, name) == 0) {
			m->model = tscmd_models[i].model;
			m->damped = tscmd_models[i].damped;
			return 0;
		}
	}
	*cause = xasprintf("%s=%s: unknown model (%s)", key, name, TSCMD_MODEL_NAMES);
	return -1;
}

const char *tscmd_model_name(enum forecast_model model, int damped)
{
	for (size_t i = 0; i < TSCMD_NMODELS; i++) {
		if (tscmd_models[i].model == model && tscmd_models[i].damped == damped)
			return tscmd_models[i].name;
	}
	return forecast_model_name(model);	/* damped Holt: "holt" */
}

/* The value column: numeric. */
static int tscmd_value_col(const struct table *t, const char *name, char **cause)
{
	int col = cmd_need_column(t, name, cause);

	if (col < 0)
		return -1;
	if (t->cols[col].type == COL_INT || t->cols[col].type == COL_FLOAT)
		return col;
	*cause = xasprintf("column=%s: '%s' is %s, not a number", name, name,
	    col_type_name(t->cols[col].type));
	return -1;
}

/* The time role, else the one date or datetime column there is. */
static int tscmd_default_time(const struct table *t, char **cause)
{
	int found = -1;

	if (t->roles[ROLE_TIME] >= 0)
		return t->roles[ROLE_TIME];
	for (size_t i = 0; i < t->n_cols; i++) {
		if (t->cols[i].type != COL_DATE && t->cols[i].type != COL_DATETIME)
			continue;
		if (found >= 0) {
			*cause = xasprintf("dataset '%s' has several date columns ('%s', '%s'); "
			    "say which is the time with time=COLUMN", t->name,
			    t->cols[found].name, t->cols[i].name);
			return -1;
		}
		found = (int)i;
	}
	if (found < 0)
		*cause = xasprintf("dataset '%s' has no date column; give the time with "
		    "time=COLUMN", t->name);
	return found;
}

static int tscmd_time_col(const struct table *t, const char *name, char **cause)
{
	int col = name != NULL ? cmd_need_column(t, name, cause) : tscmd_default_time(t, cause);

	if (col < 0)
		return -1;
	switch (t->cols[col].type) {
	case COL_DATE:
	case COL_DATETIME:
	case COL_CATEGORY:
	case COL_TEXT:
		return col;
	default:
		if (series_column_is_years(t, col))
			return col;
		*cause = xasprintf("time=%s: '%s' is %s; give a date or datetime column, "
		    "quarters written YYYY-Qn or years written YYYY", t->cols[col].name,
		    t->cols[col].name, col_type_name(t->cols[col].type));
		return -1;
	}
}

static int tscmd_seed(const char *s, unsigned long *seed, char **cause)
{
	char *end;

	*seed = 0;
	if (s == NULL)
		return 0;
	*seed = strtoul(s, &end, 10);
	if (*s != '\0' && *end == '\0' && isdigit((unsigned char)*s))
		return 0;
	*cause = xasprintf("seed=%s: give a whole number", s);
	return -1;
}

int tscmd_input_parse(const struct workspace *ws, const struct cmd_args *args,
    const struct table **tp, struct tscmd_input *in, char **cause)
{
	const char *col = cmd_arg(args, "column", NULL), *fill = cmd_arg(args, "fill", "none");
	const struct table *t;
	int f;

	if ((t = *tp = workspace_need(ws, args->pos[0], cause)) == NULL)
		return -1;
	memset(in, 0, sizeof *in);
	in->season = -1;
	if (col == NULL) {
		*cause = xstrdup("give the values to forecast with column=COLUMN");
		return CMD_USAGE;
	}
	if ((in->value_col = tscmd_value_col(t, col, cause)) < 0 ||
	    (in->time_col = tscmd_time_col(t, cmd_arg(args, "time", NULL), cause)) < 0 ||
	    cmd_arg_count(args, "season", &in->season, cause) != 0 ||
	    tscmd_seed(cmd_arg(args, "seed", NULL), &in->seed, cause) != 0)
		return -1;
	if ((f = series_fill_parse(fill)) < 0) {
		*cause = xasprintf("fill=%s: give zero or interpolate (or none)", fill);
		return -1;
	}
	in->fill = (enum series_fill)f;
	return 0;
}

size_t tscmd_season(const struct tscmd_input *in, const struct series *s)
{
	if (in->season < 0)
		return series_period_season(s->clock.period);
	return in->season > 1 ? (size_t)in->season : 1;
}

int tscmd_series(const struct table *t, const struct tscmd_input *in, struct series *s,
    size_t *season, char **cause)
{
	if (series_build(t, in->time_col, in->value_col, NULL, 0, in->fill, s, cause) != 0)
		return -1;
	*season = tscmd_season(in, s);
	return 0;
}

int tscmd_arg_positive(const struct cmd_args *args, const char *key, long *out, char **cause)
{
	long v = -1;

	if (cmd_arg_count(args, key, &v, cause) != 0)
		return -1;
	if (v == 0 || v > 100000) {
		*cause = xasprintf("%s=%s: give a whole number from 1 to 100000", key,
		    cmd_arg(args, key, ""));
		return -1;
	}
	if (v > 0)
		*out = v;
	return 0;
}

void tscmd_spec_init(struct forecast_spec *spec, const struct tscmd_model *m, size_t season,
    size_t horizon, unsigned long seed)
{
	memset(spec, 0, sizeof *spec);
	spec->model = m->model;
	spec->damped = m->damped;
	spec->period = season;
	spec->horizon = horizon;
	spec->seed = seed;
}

void tscmd_spec_seasons(struct forecast_spec *spec, const struct tscmd_input *in,
    const struct series *s)
{
	static const double daily[] = { 7, 365.25 };

	spec->nperiods = 1;
	spec->periods[0] = (double)spec->period;
	if (in->season >= 0)
		return;
	if (s->clock.period == SERIES_DAILY) {
		spec->nperiods = 2;
		memcpy(spec->periods, daily, sizeof daily);
	} else if (s->clock.period == SERIES_WEEKLY)
		spec->periods[0] = 365.25 / 7;
}

int tscmd_calendar_parse(const struct workspace *ws, const struct cmd_args *args,
    const struct tscmd_model *m, struct tscmd_calendar *cal, char **cause)
{
	const char *hol = cmd_arg(args, "holidays", NULL), *ev = cmd_arg(args, "events", NULL);

	memset(cal, 0, sizeof *cal);
	if (hol == NULL && ev == NULL)
		return 0;
	if (m->model != FORECAST_AUTO && m->model != FORECAST_FOURIER &&
	    m->model != FORECAST_MSTL && m->model != FORECAST_LINEAR) {
		*cause = xasprintf("%s= works with model=auto, mstl, fourier or linear, not %s",
		    hol != NULL ? "holidays" : "events", tscmd_model_name(m->model, m->damped));
		return -1;
	}
	if ((hol != NULL && (cal->holidays = workspace_need(ws, hol, cause)) == NULL) ||
	    (ev != NULL && (cal->events = workspace_need(ws, ev, cause)) == NULL))
		return -1;
	return 0;
}

int tscmd_calendar_apply(const struct tscmd_calendar *cal, const struct series *s, size_t n,
    struct forecast_spec *spec, struct holiday_xreg *x, char **cause)
{
	memset(x, 0, sizeof *x);
	if (cal->holidays == NULL && cal->events == NULL)
		return 0;
	if (holiday_xreg_build(cal->holidays, cal->events, &s->clock, n, n + spec->horizon, x,
	    cause) != 0)
		return -1;
	spec->xreg = x->x;
	spec->nxreg = x->ncol;
	spec->xreg_names = (const char *const *)x->name;
	return 0;
}

int tscmd_fit(const double *y, size_t n, const struct forecast_spec *spec,
    struct forecast_result *out, char **cause)
{
	char *why = NULL;

	if (forecast_fit(y, n, spec, out, &why) == 0)
		return 0;
	*cause = why;
	return -1;
}

int tscmd_check_positive(const struct series *s, size_t n, const struct tscmd_model *m,
    char **cause)
{
	char buf[32];

	if (m->model != FORECAST_HW_MULTIPLICATIVE)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s->y[i] > 0)
			continue;
		series_format(&s->clock, (long)i, buf, sizeof buf);
		if (s->row[i] == SIZE_MAX)
			*cause = xasprintf("hw-mul needs positive values, and %s (a filled gap) is "
			    "%g; use hw-add", buf, s->y[i]);
		else
			*cause = xasprintf("hw-mul needs positive values, and %s (row %zu) is %g; "
			    "use hw-add", buf, s->row[i] + 1, s->y[i]);
		return -1;
	}
	return 0;
}

static void tscmd_add_smoothing(cJSON *p, const struct forecast_result *r, bool trend,
    bool season)
{
	cJSON_AddNumberToObject(p, "alpha", r->alpha);
	if (trend)
		cJSON_AddNumberToObject(p, "beta", r->beta);
	if (season)
		cJSON_AddNumberToObject(p, "gamma", r->gamma);
	if (r->damped)
		cJSON_AddNumberToObject(p, "phi", r->phi);
}

static cJSON *tscmd_coefficients(const struct forecast_result *r)
{
	cJSON *c = cJSON_CreateObject();
	char name[32];

	for (size_t i = 0; i < r->ncoef; i++) {
		if (i < 2)
			xsnprintf(name, sizeof name, "%s", i == 0 ? "intercept" : "trend");
		else if (i < r->period + 1)
			xsnprintf(name, sizeof name, "season%zu", i);
		else
			xsnprintf(name, sizeof name, "x%zu", i - r->period);
		cJSON_AddNumberToObject(c, name, r->coef[i]);
	}
	return c;
}

static cJSON *tscmd_comb_params(const struct forecast_result *r)
{
	static const char *const names[] = { "ses", "holt-damped", "theta", "hw-add" };
	cJSON *p = cJSON_CreateObject();
	size_t k = r->period > 1 && r->n >= 2 * r->period ? 4 : 3;

	cJSON_AddItemToObject(p, "members", cJSON_CreateStringArray(names, (int)k));
	cJSON_AddNumberToObject(p, "ses_alpha", r->alpha);
	cJSON_AddNumberToObject(p, "holt_phi", r->phi);
	return p;
}

/* fourier: the ARMA errors' order and coefficients; both: the scale. */
static cJSON *tscmd_season_params(const struct forecast_result *r)
{
	cJSON *p = cJSON_CreateObject();

	cJSON_AddBoolToObject(p, "log", r->log);
	if (r->model == FORECAST_MSTL)
		return p;
	cJSON_AddNumberToObject(p, "ar1", r->alpha);
	cJSON_AddNumberToObject(p, "ar2", r->beta);
	cJSON_AddNumberToObject(p, "ma1", r->gamma);
	return p;
}

static cJSON *tscmd_params(const struct forecast_result *r)
{
	cJSON *p;

	switch (r->model) {
	case FORECAST_MSTL:
	case FORECAST_FOURIER:
		return tscmd_season_params(r);
	case FORECAST_LINEAR:
		p = cJSON_CreateObject();
		cJSON_AddItemToObject(p, "coefficients", tscmd_coefficients(r));
		return p;
	case FORECAST_COMB:
		return tscmd_comb_params(r);
	case FORECAST_SNAIVE:
		return cJSON_CreateObject();
	default:
		break;
	}
	p = cJSON_CreateObject();
	tscmd_add_smoothing(p, r, r->model != FORECAST_SES && r->model != FORECAST_THETA,
	    r->model == FORECAST_HW_ADDITIVE || r->model == FORECAST_HW_MULTIPLICATIVE);
	if (r->model == FORECAST_THETA)
		cJSON_AddNumberToObject(p, "drift", r->trend);
	if (r->seasonal && (r->model == FORECAST_SES || r->model == FORECAST_HOLT ||
	    r->model == FORECAST_THETA))
		cJSON_AddBoolToObject(p, "seasonally_adjusted", 1);
	return p;
}

/* The engine's reasons name models its way; say them as the commands do. */
static char *tscmd_why(const char *why)
{
	size_t len = strlen(why), n = 0, w;
	char *out = xmalloc(2 * len + 1), word[32];
	struct tscmd_model m;
	char *ignore = NULL;

	while (*why) {
		w = strspn(why, "abcdefghijklmnopqrstuvwxyz-");
		if (w > 0 && w < sizeof word) {
			memcpy(word, why, w);
			word[w] = '\0';
			if (tscmd_model_parse("", word, &m, &ignore) == 0) {
				const char *name = tscmd_model_name(m.model, m.damped);

				memcpy(out + n, name, strlen(name));
				n += strlen(name);
				why += w;
				continue;
			}
			free(ignore);
			ignore = NULL;
		}
		w = w > 0 ? w : 1;
		memcpy(out + n, why, w);
		n += w;
		why += w;
	}
	out[n] = '\0';
	return out;
}

void tscmd_add_fit(cJSON *o, const struct forecast_result *r)
{
	char *why;

	cJSON_AddStringToObject(o, "model", tscmd_model_name(r->model, r->model ==
	    FORECAST_HOLT ? 0 : r->damped));
	cJSON_AddItemToObject(o, "params", tscmd_params(r));
	cJSON_AddNumberToObject(o, "aicc", r->aicc);
	if (r->why != NULL) {
		why = tscmd_why(r->why);
		cJSON_AddStringToObject(o, "why", why);
		free(why);
	}
}

void tscmd_add_components(cJSON *o, const struct forecast_result *r)
{
	cJSON *list, *c;

	if (r->ncomp == 0)
		return;
	list = cJSON_AddArrayToObject(o, "components");
	for (size_t k = 0; k < r->ncomp; k++) {
		c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "name", r->comp_name[k]);
		cJSON_AddItemToObject(c, "values", cJSON_CreateDoubleArray(r->comp +
		    k * r->horizon, (int)r->horizon));
		cJSON_AddItemToArray(list, c);
	}
}

cJSON *tscmd_point(const struct series_clock *c, long pos, const struct forecast_point *p)
{
	cJSON *o = cJSON_CreateObject();
	char buf[32];

	series_format(c, pos, buf, sizeof buf);
	cJSON_AddStringToObject(o, "t", buf);
	cJSON_AddNumberToObject(o, "mean", p->mean);
	cJSON_AddNumberToObject(o, "lo80", p->lo80);
	cJSON_AddNumberToObject(o, "hi80", p->hi80);
	cJSON_AddNumberToObject(o, "lo95", p->lo95);
	cJSON_AddNumberToObject(o, "hi95", p->hi95);
	return o;
}

cJSON *tscmd_accuracy(const struct forecast_accuracy *a)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "mase", a->mase);
	cJSON_AddNumberToObject(o, "smape", a->smape);
	cJSON_AddNumberToObject(o, "rmse", a->rmse);
	return o;
}

void tscmd_add_series(cJSON *o, const struct series *s, size_t season, size_t n_fit,
    enum series_fill fill)
{
	cJSON_AddStringToObject(o, "period", series_period_name(s->clock.period));
	cJSON_AddNumberToObject(o, "season", (double)season);
	cJSON_AddNumberToObject(o, "n", (double)n_fit);
	if (fill != SERIES_FILL_NONE)
		cJSON_AddNumberToObject(o, "filled", (double)s->filled);
}

int tscmd_check_finite(const cJSON *o, char **cause)
{
	for (const cJSON *c = o; c != NULL; c = c->next) {
		if (cJSON_IsNumber(c) && !isfinite(c->valuedouble)) {
			*cause = xasprintf("'%s' is not a finite number; the fit is unusable",
			    c->string != NULL ? c->string : "a value");
			return -1;
		}
		if (c->child != NULL && tscmd_check_finite(c->child, cause) != 0)
			return -1;
	}
	return 0;
}

int tscmd_result(int rc, cJSON *out, cJSON **result, char **cause)
{
	if (rc == 0)
		rc = tscmd_check_finite(out, cause);
	if (rc != 0) {
		cJSON_Delete(out);
		return rc;
	}
	*result = out;
	return 0;
}
