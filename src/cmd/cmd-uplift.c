/* uplift DATASET column=COL start=DATE end=DATE [time=COL] [model=M]
 * [season=S] [seed=S] [fill=zero|interpolate] [holidays=DATASET] [events=DATASET] */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "command.h"
#include "tscmd.h"
#include "xmalloc.h"

#define CMD_UPLIFT_Z95 1.959963984540054

static const char *const cmd_uplift_keys[] = {
	"column", "time", "start", "end", "model", "season", "seed", "fill", "holidays", "events",
	NULL
};

struct cmd_uplift_req {
	struct tscmd_input in;
	struct tscmd_model model;
	struct tscmd_calendar cal;
	struct series s;
	size_t season;
	long start, end;	/* window positions, inclusive */
	const atomic_bool *cancel;
};

/* Standard deviation of the window's total forecast error. The errors of
 * the window's points share innovations: point k's error is
 * e_k + sum psi_j e_{k-j}, so the total is sum_j e_j (1 + psi_1 + ... +
 * psi_{h-j}). The weights psi come from how the per-point variance grows
 * (var_k - var_{k-1} = sigma^2 psi_{k-1}^2, taking psi >= 0 as the
 * smoothing models have it). */
static double cmd_uplift_total_sd(const struct forecast_point *p, size_t h)
{
	double s1 = (p[0].hi95 - p[0].lo95) / (2 * CMD_UPLIFT_Z95), prev = s1 * s1, cur;
	double cum = 0, var = s1 * s1, psi;

	if (!(s1 > 0))
		return 0;
	for (size_t k = 1; k < h; k++) {
		cur = (p[k].hi95 - p[k].lo95) / (2 * CMD_UPLIFT_Z95);
		cur *= cur;
		psi = cur > prev ? sqrt(cur - prev) / s1 : 0;
		prev = cur > prev ? cur : prev;
		cum += psi;
		var += s1 * s1 * (1 + cum) * (1 + cum);
	}
	return sqrt(var);
}

static cJSON *cmd_uplift_window(const struct cmd_uplift_req *req,
    const struct forecast_result *r, double *actual, double *forecast)
{
	cJSON *list = cJSON_CreateArray(), *o;
	const struct forecast_point *p;
	double y;
	char buf[32];

	*actual = *forecast = 0;
	for (size_t i = 0; i < r->horizon; i++) {
		p = &r->points[i];
		y = req->s.y[(size_t)req->start + i];
		o = cJSON_CreateObject();
		series_format(&req->s.clock, req->start + (long)i, buf, sizeof buf);
		cJSON_AddStringToObject(o, "t", buf);
		cJSON_AddNumberToObject(o, "actual", y);
		cJSON_AddNumberToObject(o, "forecast", p->mean);
		cJSON_AddNumberToObject(o, "lo95", p->lo95);
		cJSON_AddNumberToObject(o, "hi95", p->hi95);
		cJSON_AddNumberToObject(o, "lift", y - p->mean);
		cJSON_AddItemToArray(list, o);
		*actual += y;
		*forecast += p->mean;
	}
	return list;
}

/* The window's total lift with its 95% interval. */
static cJSON *cmd_uplift_total(const struct forecast_result *r, double actual, double forecast)
{
	cJSON *o = cJSON_CreateObject();
	double sd = cmd_uplift_total_sd(r->points, r->horizon), lift = actual - forecast;
	double lo = lift - CMD_UPLIFT_Z95 * sd, hi = lift + CMD_UPLIFT_Z95 * sd;

	cJSON_AddNumberToObject(o, "actual", actual);
	cJSON_AddNumberToObject(o, "forecast", forecast);
	cJSON_AddNumberToObject(o, "lift", lift);
	cJSON_AddNumberToObject(o, "lo95", lo);
	cJSON_AddNumberToObject(o, "hi95", hi);
	if (forecast != 0)
		cJSON_AddNumberToObject(o, "lift_pct", 100 * lift / fabs(forecast));
	cJSON_AddBoolToObject(o, "significant", lo > 0 || hi < 0);
	return o;
}

static int cmd_uplift_bad_date(const char *key, const char *value, char *why, char **cause)
{
	*cause = xasprintf("%s=%s: %s", key, value, why);
	free(why);
	return -1;
}

/* Window positions from start= and end=, with data on both sides. */
static int cmd_uplift_window_pos(struct cmd_uplift_req *req, const char *start, const char *end,
    char **cause)
{
	char first[32], last[32];
	char *why;

	if (series_position(&req->s.clock, start, &req->start, &why) != 0)
		return cmd_uplift_bad_date("start", start, why, cause);
	if (series_position(&req->s.clock, end, &req->end, &why) != 0)
		return cmd_uplift_bad_date("end", end, why, cause);
	series_format(&req->s.clock, 0, first, sizeof first);
	series_format(&req->s.clock, (long)req->s.n - 1, last, sizeof last);
	if (req->start > req->end) {
		*cause = xasprintf("start=%s is after end=%s", start, end);
		return -1;
	}
	if (req->start <= 0) {
		*cause = xasprintf("start=%s: the data begin on %s, so there is nothing before "
		    "the campaign to fit", start, first);
		return -1;
	}
	if (req->end >= (long)req->s.n) {
		*cause = xasprintf("end=%s: the data end on %s; the whole window needs actual "
		    "values", end, last);
		return -1;
	}
	return 0;
}

static int cmd_uplift_fit(struct cmd_uplift_req *req, cJSON *out, char **cause)
{
	struct forecast_spec spec;
	struct forecast_result r;
	struct holiday_xreg x;
	double actual, forecast;
	size_t n = (size_t)req->start, h = (size_t)(req->end - req->start + 1);
	cJSON *window;
	int rc;

	if (tscmd_check_positive(&req->s, n, &req->model, cause) != 0)
		return -1;
	tscmd_spec_init(&spec, &req->model, req->season, h, req->in.seed);
	tscmd_spec_seasons(&spec, &req->in, &req->s);
	spec.cancel = req->cancel;
	/* The total's error weights come from how the variance grows. */
	spec.model_intervals = 1;
	if (tscmd_calendar_apply(&req->cal, &req->s, n, &spec, &x, cause) != 0)
		return -1;
	rc = tscmd_fit(req->s.y, n, &spec, &r, cause);
	holiday_xreg_done(&x);
	if (rc != 0)
		return -1;
	tscmd_add_series(out, &req->s, req->season, n, req->in.fill);
	tscmd_add_fit(out, &r);
	tscmd_add_components(out, &r);
	window = cmd_uplift_window(req, &r, &actual, &forecast);
	cJSON_AddItemToObject(out, "window", window);
	cJSON_AddItemToObject(out, "total", cmd_uplift_total(&r, actual, forecast));
	forecast_result_done(&r);
	return 0;
}

static int cmd_uplift_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	struct cmd_uplift_req req = { 0 };
	const char *start = cmd_arg(args, "start", NULL), *end = cmd_arg(args, "end", NULL);
	const struct table *t;
	cJSON *out;
	int rc;

	if ((rc = tscmd_input_parse(&ctx->ws, args, &t, &req.in, cause)) != 0)
		return rc;
	if (start == NULL || end == NULL) {
		*cause = xstrdup("give the campaign window with start=DATE end=DATE");
		return CMD_USAGE;
	}
	if (tscmd_model_parse("model", cmd_arg(args, "model", "auto"), &req.model, cause) != 0 ||
	    tscmd_calendar_parse(&ctx->ws, args, &req.model, &req.cal, cause) != 0 ||
	    tscmd_series(t, &req.in, &req.s, &req.season, cause) != 0)
		return -1;
	req.cancel = ctx->cancel;
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "dataset", t->name);
	cJSON_AddStringToObject(out, "column", t->cols[req.in.value_col].name);
	rc = cmd_uplift_window_pos(&req, start, end, cause);
	if (rc == 0)
		rc = cmd_uplift_fit(&req, out, cause);
	series_done(&req.s);
	return tscmd_result(rc, out, result, cause);
}

const struct cmd_entry cmd_uplift_entry = {
	.name = "uplift",
	.usage = "DATASET column=COL start=DATE end=DATE [time=COL] [model=" TSCMD_MODEL_NAMES_BAR
	    "] [season=S] [seed=S] [fill=zero|interpolate] [holidays=DATASET] [events=DATASET]",
	.help = "campaign lift: actual values in a window beside a forecast fitted on the data "
	    "before it, with the total's 95% interval; holidays= keeps a holiday's lift out",
	.min_pos = 1, .max_pos = 1,
	.keys = cmd_uplift_keys,
	.exec = cmd_uplift_exec,
};
