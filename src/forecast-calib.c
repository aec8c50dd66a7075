/* Calibrated intervals for auto. Model-based intervals leave out the
 * uncertainty of the model and of its parameters: on held-out M3 data
 * auto's 95% intervals covered 81.6% (yearly) to 91% (monthly). So the
 * chosen model is refitted at rolling origins before the end of the
 * series, its errors there are measured in units of the final fit's own
 * standard deviation at the same step, and each step's interval is
 * rescaled by the root mean square of the errors at steps near it, with
 * the t quantile for the errors' number: neighbouring steps and
 * overlapping origins share their errors, so about one in CALIB_SHARED is
 * independent, and that many degrees of freedom widen the 95% bound more
 * than the 80% one, as the errors' heavy tails need. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "cancel.h"
#include "forecast-impl.h"
#include "xmalloc.h"

#define CALIB_ORIGINS 6
#define CALIB_MIN_ERRORS 12     /* fewer: the model's own intervals stay */
#define CALIB_SHARED 5

struct calib_errors {
	double *z;              /* error / the final fit's sd, by origin and step */
	size_t *step;
	size_t n;
};

/* The final fit's standard deviation at each step, from its 95% bounds. */
static int calib_sd(const struct forecast_result *out, double *sd)
{
	for (size_t j = 0; j < out->horizon; j++) {
		sd[j] = (out->points[j].hi95 - out->points[j].lo95) / (2 * FORECAST_Z95);
		if (!(sd[j] > 0) || !isfinite(sd[j]))
			return -1;
	}
	return 0;
}

/* Errors of the model refitted at origins n - h - k step, in units of sd;
 * -1 when cancelled. */
static int calib_collect(const double *y, size_t n, const struct forecast_spec *spec,
    const double *sd, struct calib_errors *e, char **cause)
{
	struct forecast_spec sub = *spec;
	struct forecast_result r;
	size_t h = spec->horizon, step = (h + 2) / 3, end;
	char *why = NULL;

	sub.no_intervals = 1;
	for (size_t k = 0; k < CALIB_ORIGINS && n > h + k * step; k++) {
		end = n - h - k * step;
		if (cancel_check(spec->cancel, cause))
			return -1;
		if (forecast_fit(y, end, &sub, &r, &why) != 0) {
			free(why);
			why = NULL;
			continue;
		}
		for (size_t j = 0; j < h; j++) {
			e->z[e->n] = (y[end + j] - r.points[j].mean) / sd[j];
			e->step[e->n++] = j;
		}
		forecast_result_done(&r);
	}
	return 0;
}

/* Root mean square of the errors at steps within w of j; NAN when they
 * are too few. *m: how many. */
static double calib_rms(const struct calib_errors *e, size_t j, size_t w, size_t *m)
{
	double ss = 0;

	*m = 0;
	for (size_t i = 0; i < e->n; i++) {
		if (e->step[i] + w >= j && e->step[i] <= j + w) {
			ss += e->z[i] * e->z[i];
			(*m)++;
		}
	}
	return *m < CALIB_MIN_ERRORS ? NAN : sqrt(ss / (double)*m);
}

/* Rescales a point's bounds about its mean: a for 80%, b for 95%. */
static void calib_scale(struct forecast_point *p, double a, double b)
{
	p->lo80 = p->mean - a * (p->mean - p->lo80);
	p->hi80 = p->mean + a * (p->hi80 - p->mean);
	p->lo95 = p->mean - b * (p->mean - p->lo95);
	p->hi95 = p->mean + b * (p->hi95 - p->mean);
}

static void calib_apply(const struct calib_errors *e, struct forecast_result *out)
{
	size_t h = out->horizon, w = h / 4, m;
	double r, df;

	for (size_t j = 0; j < h; j++) {
		if (isnan(r = calib_rms(e, j, w, &m)))
			continue;
		df = (double)m / CALIB_SHARED;
		calib_scale(&out->points[j], r * gsl_cdf_tdist_Qinv(0.1, df) / FORECAST_Z80,
		    r * gsl_cdf_tdist_Qinv(0.025, df) / FORECAST_Z95);
	}
}

int forecast_calibrate(const double *y, size_t n, const struct forecast_spec *spec,
    struct forecast_result *out, char **cause)
{
	size_t h = out->horizon;
	double *sd = xcalloc(h + 1, sizeof *sd);
	struct calib_errors e;
	int rc = 0;

	e.z = xcalloc(CALIB_ORIGINS * h + 1, sizeof *e.z);
	e.step = xcalloc(CALIB_ORIGINS * h + 1, sizeof *e.step);
	e.n = 0;
	if (calib_sd(out, sd) == 0 && (rc = calib_collect(y, n, spec, sd, &e, cause)) == 0)
		calib_apply(&e, out);
	free(e.z);
	free(e.step);
	free(sd);
	return rc;
}
