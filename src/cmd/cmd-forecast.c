/* forecast DATASET column=COL [time=COL] [horizon=H] [model=M] [season=S]
 * [holdout=H] [seed=S] [by=COL] [fill=zero|interpolate] [holidays=DATASET]
 * [events=DATASET] [history=yes|no] */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cancel.h"
#include "command.h"
#include "parallel.h"
#include "report.h"
#include "tscmd.h"
#include "xmalloc.h"

static const char *const cmd_forecast_keys[] = {
	"column", "time", "horizon", "model", "season", "holdout", "seed", "by", "fill", "holidays",
	"events", "history", NULL
};

struct cmd_forecast_req {
	const struct table *t;
	struct tscmd_input in;
	struct tscmd_model model;
	struct tscmd_calendar cal;
	long horizon;		/* -1: the period's default */
	long holdout;		/* 0: forecast past the data */
	bool history;		/* each fit carries the series it was fitted on */
	const atomic_bool *cancel;
};

/* One series to fit: a group's rows, or the whole dataset. */
struct cmd_forecast_job {
	const size_t *rows;
	size_t n_rows;
	struct series s;
	size_t season, n_fit;
	struct forecast_result r;
	struct forecast_accuracy acc;
	int rc;
	char *cause;
};

static size_t cmd_forecast_horizon(const struct cmd_forecast_req *req, const struct series *s)
{
	if (req->horizon > 0)
		return (size_t)req->horizon;
	return s->clock.period == SERIES_DAILY ? 14 : series_period_season(s->clock.period);
}

/* MASE, sMAPE and RMSE of the forecasts of the held-out points. */
static int cmd_forecast_score(struct cmd_forecast_job *job, char **cause)
{
	size_t h = job->r.horizon;
	double *f = xreallocarray(NULL, h, sizeof *f);
	char *why = NULL;
	int rc;

	for (size_t i = 0; i < h; i++)
		f[i] = job->r.points[i].mean;
	rc = forecast_accuracy(job->s.y, job->n_fit, job->season, job->s.y + job->n_fit, f, h,
	    &job->acc, &why);
	free(f);
	if (rc != 0) {
		*cause = xasprintf("holdout accuracy: %s", why);
		free(why);
	}
	return rc;
}

/* Fits on all points but the holdout and scores the held-out ones. */
static int cmd_forecast_fit(const struct cmd_forecast_req *req, struct cmd_forecast_job *job,
    char **cause)
{
	struct forecast_spec spec;
	size_t h = req->holdout > 0 ? (size_t)req->holdout : cmd_forecast_horizon(req, &job->s);
	struct holiday_xreg x;
	char *why;
	int rc;

	job->season = tscmd_season(&req->in, &job->s);
	if ((size_t)req->holdout >= job->s.n) {
		*cause = xasprintf("holdout=%ld: the series has only %zu points", req->holdout,
		    job->s.n);
		return -1;
	}
	job->n_fit = job->s.n - (size_t)req->holdout;
	if (tscmd_check_positive(&job->s, job->n_fit, &req->model, cause) != 0)
		return -1;
	tscmd_spec_init(&spec, &req->model, job->season, h, req->in.seed);
	tscmd_spec_seasons(&spec, &req->in, &job->s);
	spec.cancel = req->cancel;
	if (tscmd_calendar_apply(&req->cal, &job->s, job->n_fit, &spec, &x, cause) != 0)
		return -1;
	rc = tscmd_fit(job->s.y, job->n_fit, &spec, &job->r, &why);
	holiday_xreg_done(&x);
	if (rc != 0) {
		*cause = req->holdout > 0 ? xasprintf("%s (holdout=%ld leaves %zu to fit)", why,
		    req->holdout, job->n_fit) : xstrdup(why);
		free(why);
		return -1;
	}
	return req->holdout > 0 ? cmd_forecast_score(job, cause) : 0;
}

static void cmd_forecast_run(const struct cmd_forecast_req *req, struct cmd_forecast_job *job)
{
	job->rc = -1;
	if (cancel_check(req->cancel, &job->cause) ||
	    series_build(req->t, req->in.time_col, req->in.value_col, job->rows, job->n_rows,
	    req->in.fill, &job->s, &job->cause) != 0)
		return;
	job->rc = cmd_forecast_fit(req, job, &job->cause);
	/* The fit may have wrapped "cancelled" in more words. */
	if (job->rc != 0 && cancel_requested(req->cancel)) {
		free(job->cause);
		job->cause = xstrdup("cancelled");
	}
}

static void cmd_forecast_job_done(struct cmd_forecast_job *job)
{
	series_done(&job->s);
	forecast_result_done(&job->r);
	free(job->cause);
}

/* The series as {"t": [dates], "y": [values]}: the points fitted and the
 * held-out ones, so that a chart needs nothing but the result. */
static cJSON *cmd_forecast_history(const struct series *s)
{
	cJSON *o = cJSON_CreateObject(), *t = cJSON_CreateArray(), *y = cJSON_CreateArray();
	char date[32];

	for (size_t i = 0; i < s->n; i++) {
		series_format(&s->clock, (long)i, date, sizeof date);
		cJSON_AddItemToArray(t, cJSON_CreateString(date));
		cJSON_AddItemToArray(y, cJSON_CreateNumber(s->y[i]));
	}
	cJSON_AddItemToObject(o, "t", t);
	cJSON_AddItemToObject(o, "y", y);
	return o;
}

/* model, params, aicc, why, forecast, accuracy and (when asked) history of
 * one fitted series. */
static void cmd_forecast_report(const struct cmd_forecast_req *req,
    const struct cmd_forecast_job *job, cJSON *o)
{
	cJSON *list = cJSON_CreateArray(), *p;

	tscmd_add_series(o, &job->s, job->season, job->n_fit, req->in.fill);
	tscmd_add_fit(o, &job->r);
	for (size_t i = 0; i < job->r.horizon; i++) {
		p = tscmd_point(&job->s.clock, (long)(job->n_fit + i), &job->r.points[i]);
		if (req->holdout > 0)
			cJSON_AddNumberToObject(p, "actual", job->s.y[job->n_fit + i]);
		cJSON_AddItemToArray(list, p);
	}
	cJSON_AddItemToObject(o, "forecast", list);
	tscmd_add_components(o, &job->r);
	if (req->holdout > 0)
		cJSON_AddItemToObject(o, "accuracy", tscmd_accuracy(&job->acc));
	if (req->history)
		cJSON_AddItemToObject(o, "history", cmd_forecast_history(&job->s));
}

/* Rows grouped by the by= column, groups in order of first appearance. */
struct cmd_forecast_groups {
	size_t n;
	size_t *rows;		/* row numbers, group after group */
	size_t *start;		/* n + 1 offsets into rows */
};

/* A dense group number per row: dictionary codes for strings, the
 * formatted value otherwise; missing values form one group. */
static size_t *cmd_forecast_group_ids(const struct column *c, size_t n_rows, size_t *n_groups)
{
	size_t *gid = xreallocarray(NULL, n_rows ? n_rows : 1, sizeof *gid), missing = SIZE_MAX;
	struct dict *d = dict_new();
	uint32_t code;
	char buf[64];
	size_t len;

	for (size_t i = 0; i < n_rows; i++) {
		if (column_is_missing(c, i)) {
			if (missing == SIZE_MAX)
				missing = dict_intern(d, "\x01missing", 8);
			gid[i] = missing;
			continue;
		}
		if (col_type_string(c->type)) {
			code = dict_intern(d, column_str(c, i), dict_strlen(c->dict, c->v.codes[i]));
		} else {
			len = column_format(c, i, buf, sizeof buf);
			code = dict_intern(d, buf, len);
		}
		gid[i] = code;
	}
	*n_groups = dict_count(d);
	dict_free(d);
	return gid;
}

static void cmd_forecast_group(const struct table *t, int by, struct cmd_forecast_groups *g)
{
	size_t *gid = cmd_forecast_group_ids(&t->cols[by], t->n_rows, &g->n), *fill;

	g->start = xcalloc(g->n + 1, sizeof *g->start);
	g->rows = xreallocarray(NULL, t->n_rows ? t->n_rows : 1, sizeof *g->rows);
	for (size_t i = 0; i < t->n_rows; i++)
		g->start[gid[i] + 1]++;
	for (size_t k = 0; k < g->n; k++)
		g->start[k + 1] += g->start[k];
	fill = xreallocarray(NULL, g->n ? g->n : 1, sizeof *fill);
	memcpy(fill, g->start, (g->n ? g->n : 1) * sizeof *fill);
	for (size_t i = 0; i < t->n_rows; i++)
		g->rows[fill[gid[i]]++] = i;
	free(fill);
	free(gid);
}

struct cmd_forecast_par {
	const struct cmd_forecast_req *req;
	struct cmd_forecast_job *jobs;
};

static void cmd_forecast_task(void *arg, size_t task)
{
	struct cmd_forecast_par *p = arg;

	cmd_forecast_run(p->req, &p->jobs[task]);
}

/* The group's label as a cell of the by= column, e.g. "N1402" or 3. */
static char *cmd_forecast_label(const struct column *c, size_t row)
{
	char buf[64];

	if (column_is_missing(c, row))
		return xstrdup("(missing)");
	column_format(c, row, buf, sizeof buf);
	return xstrdup(buf);
}

static int cmd_forecast_groups_report(const struct cmd_forecast_req *req, int by,
    const struct cmd_forecast_groups *g, struct cmd_forecast_job *jobs, cJSON *out,
    char **cause)
{
	const struct column *bc = &req->t->cols[by];
	cJSON *list = cJSON_CreateArray(), *o, *acc;
	double smape = 0, mase = 0;
	char *label;

	cJSON_AddItemToObject(out, "groups", list);
	if (cancel_check(req->cancel, cause))
		return -1;
	for (size_t k = 0; k < g->n; k++) {
		if (jobs[k].rc != 0) {
			label = cmd_forecast_label(bc, g->rows[g->start[k]]);
			*cause = xasprintf("%s %s: %s", bc->name, label, jobs[k].cause);
			free(label);
			return -1;
		}
		o = cJSON_CreateObject();
		cJSON_AddItemToObject(o, "group", report_cell(bc, g->rows[g->start[k]]));
		cmd_forecast_report(req, &jobs[k], o);
		cJSON_AddItemToArray(list, o);
		smape += jobs[k].acc.smape;
		mase += jobs[k].acc.mase;
	}
	if (req->holdout > 0 && g->n > 0) {
		acc = cJSON_CreateObject();
		cJSON_AddNumberToObject(acc, "mase", mase / (double)g->n);
		cJSON_AddNumberToObject(acc, "smape", smape / (double)g->n);
		cJSON_AddNumberToObject(acc, "groups", (double)g->n);
		cJSON_AddItemToObject(out, "accuracy", acc);
	}
	return 0;
}

/* Every group of the by= column, fitted on all processors; results are
 * gathered in group order, so the output does not depend on threads. */
static int cmd_forecast_by(const struct cmd_forecast_req *req, const char *by_name, cJSON *out,
    char **cause)
{
	int by = cmd_need_column(req->t, by_name, cause), rc;
	struct cmd_forecast_groups g = { 0 };
	struct cmd_forecast_job *jobs;
	struct cmd_forecast_par par;

	if (by < 0)
		return -1;
	cmd_forecast_group(req->t, by, &g);
	jobs = xcalloc(g.n ? g.n : 1, sizeof *jobs);
	for (size_t k = 0; k < g.n; k++) {
		jobs[k].rows = g.rows + g.start[k];
		jobs[k].n_rows = g.start[k + 1] - g.start[k];
	}
	par = (struct cmd_forecast_par){ req, jobs };
	parallel_run(g.n, 0, cmd_forecast_task, &par);
	cJSON_AddStringToObject(out, "by", by_name);
	rc = cmd_forecast_groups_report(req, by, &g, jobs, out, cause);
	for (size_t k = 0; k < g.n; k++)
		cmd_forecast_job_done(&jobs[k]);
	free(jobs);
	free(g.rows);
	free(g.start);
	return rc;
}

static int cmd_forecast_single(const struct cmd_forecast_req *req, cJSON *out, char **cause)
{
	struct cmd_forecast_job job = { 0 };
	int rc;

	cmd_forecast_run(req, &job);
	if ((rc = job.rc) == 0)
		cmd_forecast_report(req, &job, out);
	else {
		*cause = job.cause;
		job.cause = NULL;
	}
	cmd_forecast_job_done(&job);
	return rc;
}

static int cmd_forecast_options(const struct workspace *ws, const struct cmd_args *args,
    struct cmd_forecast_req *req, char **cause)
{
	req->horizon = -1;
	/* A by= result over many long series would be mostly history: asked
	 * for, not given. */
	req->history = cmd_arg(args, "by", NULL) == NULL;
	if (cmd_arg_yes(args, "history", &req->history, cause) != 0 ||
	    tscmd_model_parse("model", cmd_arg(args, "model", "auto"), &req->model, cause) != 0 ||
	    tscmd_arg_positive(args, "horizon", &req->horizon, cause) != 0 ||
	    tscmd_arg_positive(args, "holdout", &req->holdout, cause) != 0 ||
	    tscmd_calendar_parse(ws, args, &req->model, &req->cal, cause) != 0)
		return -1;
	if (req->holdout > 0 && req->horizon > 0) {
		*cause = xstrdup("give horizon= or holdout=, not both: with holdout=H the forecast "
		    "covers the H held-out points");
		return CMD_USAGE;
	}
	return 0;
}

static int cmd_forecast_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	struct cmd_forecast_req req = { 0 };
	const char *by = cmd_arg(args, "by", NULL);
	cJSON *out;
	int rc;

	if ((rc = tscmd_input_parse(&ctx->ws, args, &req.t, &req.in, cause)) != 0 ||
	    (rc = cmd_forecast_options(&ctx->ws, args, &req, cause)) != 0)
		return rc;
	req.cancel = ctx->cancel;
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "dataset", req.t->name);
	cJSON_AddStringToObject(out, "column", req.t->cols[req.in.value_col].name);
	rc = by != NULL ? cmd_forecast_by(&req, by, out, cause) :
	    cmd_forecast_single(&req, out, cause);
	return tscmd_result(rc, out, result, cause);
}

const struct cmd_entry cmd_forecast_entry = {
	.name = "forecast",
	.usage = "DATASET column=COL [time=COL] [horizon=H] [model=" TSCMD_MODEL_NAMES_BAR "] "
	    "[season=S] [holdout=H] [seed=S] [by=COL] [fill=zero|interpolate] [holidays=DATASET] "
	    "[events=DATASET] [history=yes|no]",
	.help = "forecast a daily, weekly, monthly or quarterly series with intervals; "
	    "holdout= scores the last points, by= one series per group; mstl and fourier "
	    "model weekly and yearly seasons together, holidays= and events= their days, "
	    "with the components and the history in the result",
	.min_pos = 1, .max_pos = 1,
	.keys = cmd_forecast_keys,
	.exec = cmd_forecast_exec,
};
