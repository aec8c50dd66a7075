/* Rolling-origin backtests and the automatic model choice. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cancel.h"
#include "forecast-impl.h"
#include "xmalloc.h"

int forecast_backtest(const double *y, size_t n,
    const struct forecast_spec *spec, size_t origins, size_t h,
    struct forecast_accuracy *out, char **cause)
{
	struct forecast_spec sub = *spec;
	struct forecast_result r;
	struct forecast_accuracy a;
	double *f = xcalloc(h + 1, sizeof *f);
	size_t step, end;

	origins = origins > 0 ? origins : 3;
	step = (h + origins - 1) / origins;
	memset(out, 0, sizeof *out);
	if (h == 0 || n < h + (origins - 1) * step + 2) {
		free(f);
		*cause = xasprintf("backtest needs more than %zu points",
		    h + (origins - 1) * step + 1);
		return -1;
	}
	sub.horizon = h;
	sub.no_intervals = 1;
	for (size_t o = 0; o < origins; o++) {
		end = n - h - (origins - 1 - o) * step;
		if (cancel_check(spec->cancel, cause) ||
		    forecast_fit(y, end, &sub, &r, cause) != 0)
			goto fail;
		for (size_t i = 0; i < h; i++)
			f[i] = r.points[i].mean;
		forecast_result_done(&r);
		if (forecast_accuracy(y, end, spec->period, y + end, f, h, &a,
		    cause) != 0)
			goto fail;
		out->mase += a.mase / (double)origins;
		out->smape += a.smape / (double)origins;
		out->rmse += a.rmse / (double)origins;
		out->mae += a.mae / (double)origins;
	}
	free(f);
	return 0;
fail:
	free(f);
	return -1;
}

/* The pool median (FORECAST_COMB) is the default: on M3 it beats every
 * single member. Holt-Winters replaces it only when its backtest MASE is
 * AUTO_MARGIN lower, because a lone model chosen on a few overlapping
 * origins is often chosen by luck, while a series whose seasonal pattern
 * keeps changing (UK gas) needs it. */
static const enum forecast_model auto_candidates[] = {
	FORECAST_COMB, FORECAST_HW_ADDITIVE, FORECAST_HW_MULTIPLICATIVE
};
#define AUTO_N (sizeof auto_candidates / sizeof auto_candidates[0])
#define AUTO_MARGIN 0.4

/* Backtest MASE of each candidate; HUGE_VAL when it cannot be run. With
 * no season there is nothing to compare the pool with. */
static size_t auto_backtest(const double *y, size_t n,
    const struct forecast_spec *spec, double *err)
{
	struct forecast_spec sub = *spec;
	struct forecast_accuracy acc;
	size_t ran = 0, h = spec->horizon > 0 ? spec->horizon : 1;
	char *cause;

	for (size_t k = 0; k < AUTO_N; k++)
		err[k] = HUGE_VAL;
	for (size_t k = 0; spec->period > 1 && k < AUTO_N; k++) {
		if (k > 0 && err[0] == HUGE_VAL)
			break;
		sub.model = auto_candidates[k];
		if (forecast_backtest(y, n, &sub, spec->origins, h, &acc,
		    &cause) != 0) {
			free(cause);
			continue;
		}
		err[k] = acc.mase;
		ran++;
	}
	return ran;
}

static size_t auto_choose(const double *err)
{
	size_t best = 0;

	for (size_t k = 1; k < AUTO_N; k++) {
		if (err[k] < (1 - AUTO_MARGIN) * err[0] &&
		    (best == 0 || err[k] < err[best]))
			best = k;
	}
	return best;
}

static char *auto_why(const double *err, size_t ran, size_t best,
    const struct forecast_spec *spec)
{
	char buf[256] = "";
	size_t off = 0;

	if (spec->period < 2)
		return xasprintf("comb (median of ses, damped holt, theta): "
		    "no season, so no holt-winters to compare");
	if (ran == 0)
		return xasprintf("comb (median of ses, damped holt, theta%s): "
		    "too short for a backtest", spec->period > 1 ?
		    ", hw-add" : "");
	for (size_t k = 0; k < AUTO_N; k++) {
		off += (size_t)xsnprintf(buf + off, sizeof buf - off, "%s%s ",
		    k ? ", " : "", forecast_model_name(auto_candidates[k]));
		off += (size_t)(err[k] == HUGE_VAL ?
		    xsnprintf(buf + off, sizeof buf - off, "n/a") :
		    xsnprintf(buf + off, sizeof buf - off, "%.3f", err[k]));
	}
	return xasprintf("%s: backtest MASE %s (%zu origins, h %zu); a single "
	    "model replaces the pool only when %.0f%% better",
	    forecast_model_name(auto_candidates[best]), buf,
	    spec->origins > 0 ? spec->origins : 3, spec->horizon,
	    100 * AUTO_MARGIN);
}

/* The fitted model's intervals calibrated on its errors (forecast-calib.c). */
static int auto_calibrate(const double *y, size_t n, const struct forecast_spec *spec,
    struct forecast_result *out, char **cause)
{
	struct forecast_spec sub = *spec;

	if (spec->no_intervals || spec->model_intervals)
		return 0;
	sub.model = out->model;
	sub.damped = out->damped;
	if (forecast_calibrate(y, n, &sub, out, cause) == 0)
		return 0;
	forecast_result_done(out);
	return -1;
}

int forecast_auto(const double *y, size_t n, const struct forecast_spec *spec,
    struct forecast_result *out, char **cause)
{
	struct forecast_spec sub = *spec;
	double err[AUTO_N];
	size_t ran, best;
	int rc;

	if (forecast_calendar_wanted(spec, n))
		return forecast_calendar_auto(y, n, spec, out, cause);
	/* No season: the pool or a trend model, by backtest (forecast-damped.c). */
	if (spec->period < 2 && (rc = forecast_auto_trend(y, n, spec, out, cause)) <= 0)
		return rc == 0 ? auto_calibrate(y, n, spec, out, cause) : -1;
	ran = auto_backtest(y, n, spec, err);
	/* A cancelled backtest reads as a candidate that could not run. */
	if (cancel_check(spec->cancel, cause))
		return -1;
	best = auto_choose(err);
	sub.model = auto_candidates[best];
	if (forecast_fit(y, n, &sub, out, cause) == 0) {
		out->why = auto_why(err, ran, best, spec);
		return auto_calibrate(y, n, spec, out, cause);
	}
	if (best != 0)
		return -1;
	free(*cause);
	*cause = NULL;
	sub.model = FORECAST_SES;	/* too short for the pool */
	if (forecast_fit(y, n, &sub, out, cause) != 0)
		return -1;
	out->why = xasprintf("ses: too few points for the pool");
	return 0;
}
