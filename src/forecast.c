/* Model dispatch, seasonal adjustment for the non-seasonal smoothers, the
 * combination, the automatic choice, accuracy measures and backtests. */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "forecast-impl.h"
#include "xmalloc.h"

#define COMB_MAX 4

static const char *forecast_names[FORECAST_NMODELS] = {
	[FORECAST_AUTO] = "auto",
	[FORECAST_SES] = "ses",
	[FORECAST_HOLT] = "holt",
	[FORECAST_HW_ADDITIVE] = "hw-add",
	[FORECAST_HW_MULTIPLICATIVE] = "hw-mult",
	[FORECAST_THETA] = "theta",
	[FORECAST_LINEAR] = "linear",
	[FORECAST_COMB] = "comb",
	[FORECAST_SNAIVE] = "snaive",
	[FORECAST_MSTL] = "mstl",
	[FORECAST_FOURIER] = "fourier",
};

const char *forecast_model_name(enum forecast_model model)
{
	if ((unsigned)model >= FORECAST_NMODELS)
		return "?";
	return forecast_names[model];
}

int forecast_model_find(const char *name)
{
	for (int i = 0; i < FORECAST_NMODELS; i++) {
		if (strcmp(forecast_names[i], name) == 0)
			return i;
	}
	return -1;
}

void forecast_result_alloc(struct forecast_result *out, size_t n,
    const struct forecast_spec *spec)
{
	size_t m = spec->period > 1 ? spec->period : 1;

	memset(out, 0, sizeof *out);
	out->model = spec->model;
	out->period = m;
	out->phi = 1;
	out->n = n;
	out->horizon = spec->horizon;
	out->fitted = xcalloc(n, sizeof *out->fitted);
	out->points = xcalloc(spec->horizon + 1, sizeof *out->points);
	out->season = xcalloc(m, sizeof *out->season);
	out->s_start = xcalloc(m, sizeof *out->s_start);
}

void forecast_result_done(struct forecast_result *r)
{
	free(r->fitted);
	free(r->points);
	free(r->season);
	free(r->s_start);
	free(r->coef);
	free(r->coef_se);
	free(r->why);
	for (size_t c = 0; c < r->ncomp; c++)
		free(r->comp_name[c]);
	free(r->comp_name);
	free(r->comp);
	memset(r, 0, sizeof *r);
}

static int forecast_period_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

size_t forecast_periods(const struct forecast_spec *spec, size_t n,
    double *periods)
{
	double p;
	size_t k = 0, want = spec->nperiods;

	for (size_t i = 0; i < (want > 0 ? want : 1); i++) {
		p = want > 0 ? spec->periods[i] : (double)spec->period;
		if (!(p >= 2) || k == FORECAST_MAX_PERIODS)
			continue;
		if ((double)n >= (p < 14 ? 2 : FORECAST_SEASON_COVER) * p)
			periods[k++] = p;
	}
	qsort(periods, k, sizeof *periods, forecast_period_cmp);
	return k;
}

void forecast_add_component(struct forecast_result *r, const char *name,
    const double *v)
{
	size_t h = r->horizon;

	r->comp_name = xreallocarray(r->comp_name, r->ncomp + 1,
	    sizeof *r->comp_name);
	r->comp = xreallocarray(r->comp, (r->ncomp + 1) * (h ? h : 1),
	    sizeof *r->comp);
	r->comp_name[r->ncomp] = xstrdup(name);
	memcpy(r->comp + r->ncomp * h, v, h * sizeof *v);
	r->ncomp++;
}

void forecast_point_normal(struct forecast_point *p, double mean, double var)
{
	double sd = var > 0 ? sqrt(var) : 0;

	p->mean = mean;
	p->lo80 = mean - FORECAST_Z80 * sd;
	p->hi80 = mean + FORECAST_Z80 * sd;
	p->lo95 = mean - FORECAST_Z95 * sd;
	p->hi95 = mean + FORECAST_Z95 * sd;
}

void forecast_result_stats(struct forecast_result *out, const double *y,
    size_t k)
{
	size_t ne = out->n - out->first;
	double sse = 0, e, s2, dk = (double)k, dn = (double)ne;

	for (size_t i = out->first; i < out->n; i++) {
		e = y[i] - out->fitted[i];
		sse += e * e;
	}
	out->sse = sse;
	out->sigma = sqrt(sse / (ne > k ? dn - dk : 1));
	s2 = fmax(sse / fmax(dn, 1), DBL_MIN);
	out->aicc = dn * log(s2) + 2 * dk;
	if (dn - dk - 1 > 0)
		out->aicc += 2 * dk * (dk + 1) / (dn - dk - 1);
}

double forecast_golden(double (*f)(double, void *), void *arg, double lo,
    double hi, double *fbest)
{
	const double g = 0.6180339887498949;
	const int grid = 24;
	double best = lo, fb = f(lo, arg), x, fx, a, b, c, d, fc, fd;

	for (int i = 1; i <= grid; i++) {
		x = lo + (hi - lo) * i / grid;
		if ((fx = f(x, arg)) < fb) {
			fb = fx;
			best = x;
		}
	}
	a = fmax(lo, best - (hi - lo) / grid);
	b = fmin(hi, best + (hi - lo) / grid);
	c = b - g * (b - a);
	d = a + g * (b - a);
	fc = f(c, arg);
	fd = f(d, arg);
	while (b - a > 1e-8) {
		if (fc < fd) {
			b = d; d = c; fd = fc;
			c = b - g * (b - a); fc = f(c, arg);
		} else {
			a = c; c = d; fc = fd;
			d = a + g * (b - a); fd = f(d, arg);
		}
	}
	x = (a + b) / 2;
	if ((fx = f(x, arg)) < fb) {
		fb = fx;
		best = x;
	}
	*fbest = fb;
	return best;
}

/* Multiplies fitted values and forecasts by seasonal indices aligned with
 * y[0]. */
static void forecast_reseason(struct forecast_result *r, const double *fig,
    size_t m)
{
	struct forecast_point *p;
	double s;

	for (size_t i = 0; i < r->n; i++)
		r->fitted[i] *= fig[i % m];
	for (size_t h = 0; h < r->horizon; h++) {
		s = fig[(r->n + h) % m];
		p = &r->points[h];
		p->mean *= s; p->lo80 *= s; p->hi80 *= s;
		p->lo95 *= s; p->hi95 *= s;
	}
	for (size_t j = 0; j < m; j++)
		r->season[j] = fig[(r->n + j) % m];
	r->seasonal = 1;
}

/* SES and Holt are non-seasonal: with a season length they run on the
 * series adjusted as thetaf does (the M3 benchmarks' practice). */
static int forecast_fit_es(const double *y, size_t n,
    const struct forecast_spec *spec, struct forecast_result *out,
    char **cause)
{
	struct forecast_spec sub = *spec;
	size_t m = spec->period;
	double *fig, *x;
	int rc;

	if (m < 2)
		return forecast_es_fit(y, n, spec, out, cause);
	fig = xcalloc(m, sizeof *fig);
	if (!forecast_seasonal_index(y, n, m, fig)) {
		sub.period = 1;
		rc = forecast_es_fit(y, n, &sub, out, cause);
		free(fig);
		return rc;
	}
	x = xreallocarray(NULL, n, sizeof *x);
	for (size_t i = 0; i < n; i++)
		x[i] = y[i] / fig[i % m];
	sub.period = 1;
	rc = forecast_es_fit(x, n, &sub, out, cause);
	if (rc == 0) {
		free(out->season);
		free(out->s_start);
		out->season = xcalloc(m, sizeof *out->season);
		out->s_start = xcalloc(m, sizeof *out->s_start);
		out->period = m;
		forecast_reseason(out, fig, m);
		forecast_result_stats(out, y, spec->model == FORECAST_SES ? 2 :
		    4 + (size_t)out->damped);
	}
	free(x);
	free(fig);
	return rc;
}

static int forecast_snaive(const double *y, size_t n,
    const struct forecast_spec *spec, struct forecast_result *out,
    char **cause)
{
	size_t m = spec->period > 1 ? spec->period : 1, k;
	double mean, var;

	if (n <= m) {
		*cause = xasprintf("seasonal naive needs more than %zu "
		    "points", m);
		return -1;
	}
	forecast_result_alloc(out, n, spec);
	out->first = m;
	for (size_t i = m; i < n; i++)
		out->fitted[i] = y[i - m];
	forecast_result_stats(out, y, 0);
	for (size_t h = 0; h < out->horizon; h++) {
		k = h / m + 1;
		mean = y[n - m + h % m];
		var = spec->no_intervals ? 0 :
		    out->sigma * out->sigma * (double)k;
		forecast_point_normal(&out->points[h], mean, var);
	}
	for (size_t j = 0; j < m; j++)
		out->season[j] = y[n - m + j];
	out->level = y[n - 1];
	out->seasonal = m > 1;
	return 0;
}

static int forecast_fit_one(const double *y, size_t n,
    const struct forecast_spec *spec, struct forecast_result *out,
    char **cause);

static double forecast_median(double *v, size_t k)
{
	double t;

	for (size_t i = 1; i < k; i++) {	/* insertion sort: k <= 4 */
		for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
			t = v[j]; v[j] = v[j - 1]; v[j - 1] = t;
		}
	}
	return k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
}

/* Median across k fits of the value at byte offset off of point h. */
static double forecast_median_point(const struct forecast_result *fits,
    size_t k, size_t h, size_t off)
{
	double v[COMB_MAX];

	for (size_t j = 0; j < k; j++)
		v[j] = *(const double *)((const char *)&fits[j].points[h] +
		    off);
	return forecast_median(v, k);
}

/* Takes the median of the points and fitted values of k fits into out. */
static void forecast_median_fits(const struct forecast_result *fits,
    size_t k, struct forecast_result *out, const double *y)
{
	struct forecast_point *p;
	double v[COMB_MAX];

	for (size_t j = 0; j < k; j++) {
		if (fits[j].first > out->first)
			out->first = fits[j].first;
	}
	for (size_t i = out->first; i < out->n; i++) {
		for (size_t j = 0; j < k; j++)
			v[j] = fits[j].fitted[i];
		out->fitted[i] = forecast_median(v, k);
	}
	for (size_t h = 0; h < out->horizon; h++) {
		p = &out->points[h];
		p->mean = forecast_median_point(fits, k, h,
		    offsetof(struct forecast_point, mean));
		p->lo80 = forecast_median_point(fits, k, h,
		    offsetof(struct forecast_point, lo80));
		p->hi80 = forecast_median_point(fits, k, h,
		    offsetof(struct forecast_point, hi80));
		p->lo95 = forecast_median_point(fits, k, h,
		    offsetof(struct forecast_point, lo95));
		p->hi95 = forecast_median_point(fits, k, h,
		    offsetof(struct forecast_point, hi95));
	}
	forecast_result_stats(out, y, 4);
}

/* Median of SES, damped Holt, Theta and, with a season and enough data,
 * additive Holt-Winters: a pool in the spirit of M3's Comb S-H-D whose
 * median resists one member going astray. Intervals are the medians of
 * the members' bounds, an approximation. */
static int forecast_comb(const double *y, size_t n,
    const struct forecast_spec *spec, struct forecast_result *out,
    char **cause)
{
	static const enum forecast_model members[COMB_MAX] = {
		FORECAST_SES, FORECAST_HOLT, FORECAST_THETA,
		FORECAST_HW_ADDITIVE
	};
	struct forecast_result fits[COMB_MAX];
	struct forecast_spec sub = *spec;
	size_t k, want = COMB_MAX;

	if (spec->period < 2 || n < 2 * spec->period)
		want = 3;
	for (k = 0; k < want; k++) {
		sub.model = members[k];
		sub.damped = members[k] == FORECAST_HOLT;
		if (forecast_fit_one(y, n, &sub, &fits[k], cause) != 0)
			break;
	}
	if (k == want) {
		forecast_result_alloc(out, n, spec);
		forecast_median_fits(fits, k, out, y);
		out->seasonal = fits[2].seasonal || k > 3;
		out->alpha = fits[0].alpha;
		out->phi = fits[1].phi;
	}
	while (k-- > 0)
		forecast_result_done(&fits[k]);
	return out->points != NULL ? 0 : -1;
}

static int forecast_check(const double *y, size_t n,
    const struct forecast_spec *spec, char **cause)
{
	if ((unsigned)spec->model >= FORECAST_NMODELS) {
		*cause = xasprintf("unknown forecast model %d", spec->model);
		return -1;
	}
	if (n == 0 || y == NULL) {
		*cause = xasprintf("no data to forecast");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(y[i])) {
			*cause = xasprintf("point %zu is missing or not finite",
			    i + 1);
			return -1;
		}
	}
	return 0;
}

/* Refuses results holding NaN or infinities (overflowing multiplicative
 * paths, for instance) rather than passing them on. */
static int forecast_check_result(struct forecast_result *r, char **cause)
{
	const struct forecast_point *p;

	for (size_t h = 0; h < r->horizon; h++) {
		p = &r->points[h];
		if (!isfinite(p->mean) || !isfinite(p->lo95) ||
		    !isfinite(p->hi95) || !isfinite(p->lo80) ||
		    !isfinite(p->hi80)) {
			*cause = xasprintf("%s forecast is not finite",
			    forecast_model_name(r->model));
			forecast_result_done(r);
			return -1;
		}
	}
	return 0;
}

static int forecast_fit_one(const double *y, size_t n,
    const struct forecast_spec *spec, struct forecast_result *out,
    char **cause)
{
	int rc;

	memset(out, 0, sizeof *out);
	switch (spec->model) {
	case FORECAST_SES:
	case FORECAST_HOLT:
		rc = forecast_fit_es(y, n, spec, out, cause);
		break;
	case FORECAST_HW_ADDITIVE:
	case FORECAST_HW_MULTIPLICATIVE:
		rc = forecast_hw_fit(y, n, spec, out, cause);
		break;
	case FORECAST_THETA:
		rc = forecast_theta_fit(y, n, spec, out, cause);
		break;
	case FORECAST_LINEAR:
		rc = forecast_linear_fit(y, n, spec, out, cause);
		break;
	case FORECAST_COMB:
		rc = forecast_comb(y, n, spec, out, cause);
		break;
	case FORECAST_SNAIVE:
		rc = forecast_snaive(y, n, spec, out, cause);
		break;
	case FORECAST_MSTL:
		rc = forecast_mstl_fit(y, n, spec, out, cause);
		break;
	case FORECAST_FOURIER:
		rc = forecast_fourier_fit(y, n, spec, out, cause);
		break;
	default:
		rc = forecast_auto(y, n, spec, out, cause);
		break;
	}
	if (rc != 0)
		return -1;
	return forecast_check_result(out, cause);
}

int forecast_fit(const double *y, size_t n, const struct forecast_spec *spec,
    struct forecast_result *out, char **cause)
{
	memset(out, 0, sizeof *out);
	if (forecast_check(y, n, spec, cause) != 0)
		return -1;
	return forecast_fit_one(y, n, spec, out, cause);
}

/* Mean absolute error of the lag-m naive forecast in the training part. */
static double forecast_scale(const double *train, size_t n, size_t m)
{
	double sum = 0;

	if (m < 1 || n <= m)
		m = 1;
	if (n <= m)
		return 0;
	for (size_t i = m; i < n; i++)
		sum += fabs(train[i] - train[i - m]);
	return sum / (double)(n - m);
}

int forecast_accuracy(const double *train, size_t n, size_t period,
    const double *actual, const double *f, size_t h,
    struct forecast_accuracy *out, char **cause)
{
	double scale = forecast_scale(train, n, period), d, ae = 0, se = 0;
	double sm = 0;

	if (h == 0) {
		*cause = xasprintf("no forecasts to assess");
		return -1;
	}
	if (!(scale > 0))
		scale = forecast_scale(train, n, 1);
	if (!(scale > 0)) {
		*cause = xasprintf("MASE undefined: the training data are "
		    "constant");
		return -1;
	}
	for (size_t i = 0; i < h; i++) {
		d = fabs(actual[i] - f[i]);
		ae += d;
		se += d * d;
		if (fabs(actual[i]) + fabs(f[i]) > 0)	/* 0/0 counts as 0 */
			sm += d / (fabs(actual[i]) + fabs(f[i]));
	}
	out->mae = ae / (double)h;
	out->mase = out->mae / scale;
	out->smape = 200 * sm / (double)h;
	out->rmse = sqrt(se / (double)h);
	return 0;
}
