/* auto on calendar data: a series long enough for several seasons or a
 * fractional one (daily or weekly data covering FORECAST_SEASON_COVER
 * years), or with regressors such as holidays. The multi-season models
 * join the usual pool and Holt-Winters in the backtest and are preferred
 * unless clearly worse: the backtest's windows, a horizon long each, rarely
 * hold the yearly pattern or the holidays that the models are for. */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cancel.h"
#include "forecast-impl.h"
#include "xmalloc.h"

static const enum forecast_model calendar_candidates[] = {
	FORECAST_COMB, FORECAST_HW_ADDITIVE, FORECAST_MSTL, FORECAST_FOURIER
};
#define CALENDAR_N (sizeof calendar_candidates / sizeof calendar_candidates[0])
#define CALENDAR_MARGIN 0.10

bool forecast_calendar_wanted(const struct forecast_spec *spec, size_t n)
{
	double per[FORECAST_MAX_PERIODS];
	size_t k = forecast_periods(spec, n, per);

	return spec->nxreg > 0 || k > 1 || (k == 1 && per[0] != floor(per[0]));
}

/* Candidates that cannot take the regressors are left out with them. */
static bool calendar_applies(enum forecast_model m, const struct forecast_spec *spec)
{
	return spec->nxreg == 0 || m == FORECAST_FOURIER || m == FORECAST_MSTL;
}

static void calendar_backtest(const double *y, size_t n, const struct forecast_spec *spec,
    double *err)
{
	struct forecast_spec sub = *spec;
	struct forecast_accuracy acc;
	size_t h = spec->horizon > 0 ? spec->horizon : 1;
	char *cause;

	for (size_t k = 0; k < CALENDAR_N; k++) {
		err[k] = HUGE_VAL;
		sub.model = calendar_candidates[k];
		if (!calendar_applies(sub.model, spec) || cancel_requested(spec->cancel))
			continue;
		if (forecast_backtest(y, n, &sub, spec->origins, h, &acc, &cause) != 0) {
			free(cause);
			continue;
		}
		err[k] = acc.mase;
	}
}

/* The usual auto's rule between the pool and Holt-Winters (40% better to
 * replace the pool), then the better of mstl and fourier unless that pool
 * choice is more than CALENDAR_MARGIN better still. */
static size_t calendar_choose(const double *err)
{
	size_t usual = err[1] < 0.6 * err[0] ? 1 : 0;
	size_t cal = err[3] < err[2] ? 3 : 2;

	if (err[cal] < HUGE_VAL && !(err[usual] < err[cal] / (1 + CALENDAR_MARGIN)))
		return cal;
	return err[usual] < HUGE_VAL ? usual : CALENDAR_N;
}

static char *calendar_why(const double *err, size_t best, const struct forecast_spec *spec)
{
	char buf[256] = "";
	size_t off = 0;

	for (size_t k = 0; k < CALENDAR_N; k++) {
		off += (size_t)xsnprintf(buf + off, sizeof buf - off, "%s%s ", k ? ", " : "",
		    forecast_model_name(calendar_candidates[k]));
		off += (size_t)(err[k] == HUGE_VAL ? xsnprintf(buf + off, sizeof buf - off, "n/a") :
		    xsnprintf(buf + off, sizeof buf - off, "%.3f", err[k]));
	}
	return xasprintf("%s: backtest MASE %s (%zu origins, h %zu); mstl or fourier unless "
	    "%.0f%% worse than the pool (or than hw-add when 40%% better than the pool)",
	    forecast_model_name(calendar_candidates[best]), buf,
	    spec->origins > 0 ? spec->origins : 3, spec->horizon, 100 * CALENDAR_MARGIN);
}

int forecast_calendar_auto(const double *y, size_t n, const struct forecast_spec *spec,
    struct forecast_result *out, char **cause)
{
	struct forecast_spec sub = *spec;
	double err[CALENDAR_N];
	size_t best;

	calendar_backtest(y, n, spec, err);
	if (cancel_check(spec->cancel, cause))
		return -1;
	best = calendar_choose(err);
	/* Nothing could be backtested: the regression when there are
	 * regressors, else the usual auto with its fallbacks. */
	if (best == CALENDAR_N && spec->nxreg == 0) {
		sub.model = FORECAST_AUTO;
		sub.nperiods = 0;
		return forecast_fit(y, n, &sub, out, cause);
	}
	if (best == CALENDAR_N) {
		sub.model = FORECAST_FOURIER;
		if (forecast_fit(y, n, &sub, out, cause) != 0)
			return -1;
		out->why = xasprintf("fourier: too short for a backtest");
		return 0;
	}
	sub.model = calendar_candidates[best];
	if (forecast_fit(y, n, &sub, out, cause) != 0)
		return -1;
	out->why = calendar_why(err, best, spec);
	return 0;
}
