/* Holt-Winters with additive or multiplicative seasonality, as R's
 * stats::HoltWinters: start values from a classical decomposition of the
 * first two periods, filtering from the second period, smoothing parameters
 * in [0, 1] minimising the one-step SSE. A damped trend (phi in
 * [0.8, 0.98]) is available as an extension. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "forecast-impl.h"
#include "xmalloc.h"

#define HW_PHI_LO 0.8
#define HW_PHI_HI 0.98
#define HW_PATHS 2000

struct hw_par {
	double alpha, beta, gamma, phi;
};

struct hw_ctx {
	const double *y;
	size_t n, m;
	int mult, damped;
	double l0, b0;
	const double *s0;
	double *work;		/* m seasonal states */
};

struct hw_state {
	double l, b;
	double *s;		/* s[i % m] is the seasonal state for y[i] */
};

static double hw_clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

static double hw_predict(const struct hw_ctx *c, const struct hw_par *p,
    const struct hw_state *st, size_t i)
{
	double s = st->s[i % c->m], lb = st->l + p->phi * st->b;

	return c->mult ? lb * s : lb + s;
}

/* Updates the states with observation i. */
static void hw_update(const struct hw_ctx *c, const struct hw_par *p,
    struct hw_state *st, size_t i, double yi)
{
	double s = st->s[i % c->m], bphi = p->phi * st->b, l;

	l = p->alpha * (c->mult ? yi / s : yi - s) +
	    (1 - p->alpha) * (st->l + bphi);
	st->b = p->beta * (l - st->l) + (1 - p->beta) * bphi;
	st->l = l;
	if (c->mult && !(l > 0))
		return;		/* a simulated path crossed zero */
	st->s[i % c->m] = p->gamma * (c->mult ? yi / l : yi - l) +
	    (1 - p->gamma) * s;
}

/* Filters the series from y[m]; returns the SSE. */
static double hw_run(const struct hw_ctx *c, const struct hw_par *p,
    struct hw_state *st, double *fitted)
{
	double sse = 0, f;

	st->l = c->l0;
	st->b = c->b0;
	memcpy(st->s, c->s0, c->m * sizeof *st->s);
	for (size_t i = c->m; i < c->n; i++) {
		f = hw_predict(c, p, st, i);
		hw_update(c, p, st, i, c->y[i]);
		if (fitted != NULL)
			fitted[i] = f;
		sse += (c->y[i] - f) * (c->y[i] - f);
	}
	return sse;
}

static void hw_map(const struct hw_ctx *c, const double *x, struct hw_par *p,
    double *outside)
{
	double d = 0, e;

	p->alpha = hw_clamp(x[0], 0, 1);
	p->beta = hw_clamp(x[1], 0, 1);
	p->gamma = hw_clamp(x[2], 0, 1);
	p->phi = 1;
	for (int i = 0; i < 3; i++) {
		e = x[i] - hw_clamp(x[i], 0, 1);
		d += e * e;
	}
	if (c->damped) {
		p->phi = hw_clamp(x[3], HW_PHI_LO, HW_PHI_HI);
		d += (x[3] - p->phi) * (x[3] - p->phi);
	}
	*outside = d;
}

/* Clamped SSE plus a penalty outside the box, so that minima on a bound
 * (R's fits often have alpha, beta or gamma exactly 0 or 1) are reached. */
static double hw_objective(const gsl_vector *v, void *arg)
{
	const struct hw_ctx *c = arg;
	struct hw_state st = { 0, 0, c->work };
	struct hw_par p;
	double d, sse;

	hw_map(c, v->data, &p, &d);
	sse = hw_run(c, &p, &st, NULL);
	if (!isfinite(sse))
		return 1e300;	/* finite keeps the simplex arithmetic sane */
	return sse * (1 + 10 * d) + d;
}

static double hw_simplex(struct hw_ctx *c, double *x, size_t k, double size,
    double tol)
{
	gsl_multimin_fminimizer *s;
	gsl_multimin_function fn = { hw_objective, k, c };
	gsl_vector_view xv = gsl_vector_view_array(x, k);
	gsl_vector *step = gsl_vector_alloc(k);
	double fmin;
	int it = 0;

	s = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2,
	    k);
	gsl_vector_set_all(step, size);
	gsl_multimin_fminimizer_set(s, &fn, &xv.vector, step);
	while (it++ < 1000) {
		if (gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS)
			break;
		if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(s),
		    tol) == GSL_SUCCESS)
			break;
	}
	for (size_t i = 0; i < k; i++)
		x[i] = gsl_vector_get(s->x, i);
	fmin = s->fval;
	gsl_vector_free(step);
	gsl_multimin_fminimizer_free(s);
	return fmin;
}

/* Several coarse starts (R's 0.3, 0.1, 0.1 first), since the SSE surface
 * often has more than one basin; the best is polished by restarts. */
static void hw_optimise(struct hw_ctx *c, struct hw_par *p)
{
	static const double starts[][3] = {
		{ 0.3, 0.1, 0.1 }, { 0.7, 0.05, 0.3 }, { 0.1, 0.5, 0.5 },
		{ 0.5, 0.01, 0.9 }
	};
	size_t k = c->damped ? 4 : 3;
	double x[4], best[4], f, fbest = GSL_POSINF, d;

	for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
		memcpy(x, starts[i], sizeof starts[i]);
		x[3] = 0.9;
		f = hw_simplex(c, x, k, 0.1, 1e-3);
		if (f < fbest) {
			fbest = f;
			memcpy(best, x, sizeof best);
		}
	}
	hw_simplex(c, best, k, 0.05, 1e-7);
	hw_simplex(c, best, k, 0.01, 1e-8);
	hw_map(c, best, p, &d);
}

/* R's start values: decomposition of the first two periods, then a line
 * through the non-missing trend values. */
static int hw_start(struct hw_ctx *c, double *s0, char **cause)
{
	size_t m = c->m, w = 2 * m, half = m / 2, k = 0;
	double *trend = xcalloc(w, sizeof *trend), sx = 0, sy = 0, sxx = 0,
	    sxy = 0, t;

	if (forecast_decompose(c->y, w, m, c->mult, s0, trend) != 0) {
		free(trend);
		*cause = xasprintf("cannot decompose the first two periods");
		return -1;
	}
	for (size_t i = half; i + half < w; i++) {
		t = (double)++k;
		sx += t; sy += trend[i]; sxx += t * t; sxy += t * trend[i];
	}
	free(trend);
	c->b0 = (k * sxy - sx * sy) / (k * sxx - sx * sx);
	c->l0 = (sy - c->b0 * sx) / k;
	return 0;
}

static int hw_check(const double *y, size_t n, const struct forecast_spec *spec,
    char **cause)
{
	size_t m = spec->period;
	int mult = spec->model == FORECAST_HW_MULTIPLICATIVE;

	if (m < 2) {
		*cause = xasprintf("Holt-Winters needs a season length of 2 "
		    "or more");
		return -1;
	}
	if (n < 2 * m) {
		*cause = xasprintf("Holt-Winters needs two seasons (%zu "
		    "points), got %zu", 2 * m, n);
		return -1;
	}
	for (size_t i = 0; mult && i < n; i++) {
		if (!(y[i] > 0)) {
			*cause = xasprintf("multiplicative seasonality needs "
			    "positive values (point %zu is %g)", i + 1, y[i]);
			return -1;
		}
	}
	return 0;
}

/* Impulse response of a one-step error on the forecast j steps later. */
static double hw_psi(const struct forecast_result *r, size_t j)
{
	double damp = 0, pj = 1;

	for (size_t i = 1; i <= j; i++) {
		pj *= r->phi;
		damp += pj;
	}
	return r->alpha * (1 + r->beta * damp) +
	    (j % r->period == 0 ? r->gamma * (1 - r->alpha) : 0);
}

static double hw_mean(const struct forecast_result *r, int mult, size_t h)
{
	double damp = 0, pj = 1, s = r->season[(h - 1) % r->period];

	for (size_t i = 1; i <= h; i++) {
		pj *= r->phi;
		damp += pj;
	}
	return mult ? (r->level + damp * r->trend) * s :
	    r->level + damp * r->trend + s;
}

static double hw_quantile(const double *sorted, size_t n, double q)
{
	return gsl_stats_quantile_from_sorted_data(sorted, 1, n, q);
}

/* Simulated paths of the fitted recursion with Gaussian one-step errors;
 * a fixed seed keeps the intervals reproducible. */
static void hw_simulate(struct hw_ctx *c, const struct hw_par *p,
    struct forecast_result *r, unsigned long seed)
{
	size_t h = r->horizon, m = c->m;
	double *draws = xreallocarray(NULL, HW_PATHS * h, sizeof *draws);
	double *col = xreallocarray(NULL, HW_PATHS, sizeof *col), yi;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	struct hw_state st = { 0, 0, c->work };
	struct forecast_point *pt;

	gsl_rng_set(rng, seed != 0 ? seed : 20240601UL);
	for (size_t k = 0; k < HW_PATHS; k++) {
		st.l = r->level;
		st.b = r->trend;
		for (size_t j = 0; j < m; j++)
			st.s[(c->n + j) % m] = r->season[j];
		for (size_t j = 0; j < h; j++) {
			yi = hw_predict(c, p, &st, c->n + j) +
			    gsl_ran_gaussian_ziggurat(rng, r->sigma);
			hw_update(c, p, &st, c->n + j, yi);
			draws[j * HW_PATHS + k] = yi;
		}
	}
	for (size_t j = 0; j < h; j++) {
		memcpy(col, draws + j * HW_PATHS, HW_PATHS * sizeof *col);
		gsl_sort(col, 1, HW_PATHS);
		pt = &r->points[j];
		pt->lo80 = hw_quantile(col, HW_PATHS, 0.10);
		pt->hi80 = hw_quantile(col, HW_PATHS, 0.90);
		pt->lo95 = hw_quantile(col, HW_PATHS, 0.025);
		pt->hi95 = hw_quantile(col, HW_PATHS, 0.975);
	}
	gsl_rng_free(rng);
	free(col);
	free(draws);
}

/* Additive: analytic variance as R's predict.HoltWinters; multiplicative:
 * simulation. sigma is the standard deviation of the residuals, as R. */
static void hw_intervals(struct hw_ctx *c, const struct hw_par *p,
    struct forecast_result *r, const struct forecast_spec *spec)
{
	size_t ne = c->n - c->m;
	double *res = xreallocarray(NULL, ne, sizeof *res), v = 1, psi, var;

	for (size_t i = 0; i < ne; i++)
		res[i] = c->y[c->m + i] - r->fitted[c->m + i];
	r->sigma = ne > 1 ? gsl_stats_sd(res, 1, ne) : 0;
	free(res);
	for (size_t h = 1; h <= r->horizon; h++) {
		if (h > 1) {
			psi = hw_psi(r, h - 1);
			v += psi * psi;
		}
		var = spec->no_intervals || c->mult ? 0 :
		    r->sigma * r->sigma * v;
		forecast_point_normal(&r->points[h - 1], hw_mean(r, c->mult, h),
		    var);
	}
	if (c->mult && !spec->no_intervals && r->sigma > 0)
		hw_simulate(c, p, r, spec->seed);
}

int forecast_hw_fit(const double *y, size_t n,
    const struct forecast_spec *spec, struct forecast_result *out,
    char **cause)
{
	struct hw_ctx c = { y, n, spec->period, 0, spec->damped, 0, 0, NULL,
	    NULL };
	struct hw_state st;
	struct hw_par p;
	double *s0;

	if (hw_check(y, n, spec, cause) != 0)
		return -1;
	c.mult = spec->model == FORECAST_HW_MULTIPLICATIVE;
	s0 = xcalloc(c.m, sizeof *s0);
	if (hw_start(&c, s0, cause) != 0) {
		free(s0);
		return -1;
	}
	c.s0 = s0;
	c.work = xcalloc(c.m, sizeof *c.work);
	if (spec->fixed)
		p = (struct hw_par){ hw_clamp(spec->alpha, 0, 1),
		    hw_clamp(spec->beta, 0, 1), hw_clamp(spec->gamma, 0, 1),
		    c.damped ? hw_clamp(spec->phi, HW_PHI_LO, 1) : 1 };
	else
		hw_optimise(&c, &p);
	forecast_result_alloc(out, n, spec);
	out->first = c.m;
	out->l_start = c.l0;
	out->b_start = c.b0;
	memcpy(out->s_start, s0, c.m * sizeof *s0);
	st = (struct hw_state){ 0, 0, c.work };
	hw_run(&c, &p, &st, out->fitted);
	out->level = st.l;
	out->trend = st.b;
	for (size_t j = 0; j < c.m; j++)
		out->season[j] = st.s[(n + j) % c.m];
	out->alpha = p.alpha;
	out->beta = p.beta;
	out->gamma = p.gamma;
	out->phi = p.phi;
	out->damped = c.damped;
	out->seasonal = 1;
	forecast_result_stats(out, y, 3 + c.damped + 1 + c.m);
	hw_intervals(&c, &p, out, spec);
	free(c.work);
	free(s0);
	return 0;
}
