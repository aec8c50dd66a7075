/* Simple exponential smoothing and Holt's trend (optionally damped), in
 * error-correction form, fitted by least squares of the one-step errors as
 * forecast::ets does with opt.crit = "mse". For fixed smoothing parameters
 * the errors are affine in the initial states, so those are solved exactly
 * and only the smoothing parameters are searched. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>

#include "forecast-impl.h"
#include "xmalloc.h"

/* ets's usual bounds. */
#define ES_LO 1e-4
#define ES_HI 0.9999
#define ES_PHI_LO 0.8
#define ES_PHI_HI 0.98

struct es_par {
	double alpha, beta, phi;
	int trend;
};

struct es_ctx {
	const double *y;
	size_t n;
	int trend, damped;
};

static double es_logistic(double x)
{
	return 1.0 / (1.0 + exp(-x));
}

static double es_logit(double p)
{
	return log(p / (1.0 - p));
}

/* Initial states minimising the SSE: the errors are e0 - l0 u - b0 v. */
static void es_initial(const double *y, size_t n, const struct es_par *p,
    double *l0, double *b0)
{
	double l = 0, b = 0, lu = 1, bu = 0, lv = 0, bv = 1;
	double suu = 0, suv = 0, svv = 0, sue = 0, sve = 0, det;
	double a = p->alpha, be = p->beta, ph = p->phi, e, fu, fv, y0 = y[0];

	for (size_t t = 0; t < n; t++) {
		e = (y[t] - y0) - (l + ph * b);
		fu = lu + ph * bu;
		fv = lv + ph * bv;
		suu += fu * fu; suv += fu * fv; svv += fv * fv;
		sue += fu * e; sve += fv * e;
		l += ph * b + a * e; b = ph * b + be * e;
		lu = fu - a * fu; bu = ph * bu - be * fu;
		lv = fv - a * fv; bv = ph * bv - be * fv;
	}
	*b0 = 0;
	det = suu * svv - suv * suv;
	if (p->trend && det > 1e-10 * suu * svv) {
		*l0 = (sue * svv - sve * suv) / det;
		*b0 = (sve * suu - sue * suv) / det;
	} else
		*l0 = sue / suu;
	*l0 += y0;
}

/* Runs the recursion; returns the SSE and leaves the final states. */
static double es_run(const double *y, size_t n, const struct es_par *p,
    double *l, double *b, double *fitted)
{
	double sse = 0, f, e;

	for (size_t t = 0; t < n; t++) {
		f = *l + p->phi * *b;
		if (fitted != NULL)
			fitted[t] = f;
		e = y[t] - f;
		sse += e * e;
		*l = f + p->alpha * e;
		*b = p->phi * *b + p->beta * e;
	}
	return sse;
}

static double es_sse(const double *y, size_t n, const struct es_par *p)
{
	double l, b;

	es_initial(y, n, p, &l, &b);
	return es_run(y, n, p, &l, &b, NULL);
}

/* Maps unbounded search variables to admissible parameters. */
static void es_map(const struct es_ctx *c, const double *x, struct es_par *p)
{
	p->trend = c->trend;
	p->alpha = ES_LO + (ES_HI - ES_LO) * es_logistic(x[0]);
	p->beta = 0;
	p->phi = c->trend ? 1 : 0;
	if (!c->trend)
		return;
	p->beta = ES_LO + (p->alpha - ES_LO) * es_logistic(x[1]);
	if (c->damped)
		p->phi = ES_PHI_LO +
		    (ES_PHI_HI - ES_PHI_LO) * es_logistic(x[2]);
}

static double es_objective(const gsl_vector *v, void *arg)
{
	const struct es_ctx *c = arg;
	struct es_par p;

	es_map(c, v->data, &p);
	return es_sse(c->y, c->n, &p);
}

static double es_alpha_objective(double alpha, void *arg)
{
	const struct es_ctx *c = arg;
	struct es_par p = { alpha, 0, 0, 0 };

	return es_sse(c->y, c->n, &p);
}

/* Nelder-Mead from x; x is replaced by the best point. */
static void es_simplex(struct es_ctx *c, double *x, size_t k)
{
	const gsl_multimin_fminimizer_type *T =
	    gsl_multimin_fminimizer_nmsimplex2;
	gsl_multimin_fminimizer *s = gsl_multimin_fminimizer_alloc(T, k);
	gsl_multimin_function fn = { es_objective, k, c };
	gsl_vector_view xv = gsl_vector_view_array(x, k);
	gsl_vector *step = gsl_vector_alloc(k);
	int it = 0;

	gsl_vector_set_all(step, 1.0);
	gsl_multimin_fminimizer_set(s, &fn, &xv.vector, step);
	while (it++ < 400) {
		if (gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS)
			break;
		if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(s),
		    1e-5) == GSL_SUCCESS)
			break;
	}
	for (size_t i = 0; i < k; i++)
		x[i] = gsl_vector_get(s->x, i);
	gsl_vector_free(step);
	gsl_multimin_fminimizer_free(s);
}

static void es_optimise(struct es_ctx *c, struct es_par *p)
{
	double x[3], fmin;

	if (!c->trend) {
		*p = (struct es_par){ 0, 0, 0, 0 };
		p->alpha = forecast_golden(es_alpha_objective, c, ES_LO, ES_HI,
		    &fmin);
		return;
	}
	x[0] = es_logit((0.3 - ES_LO) / (ES_HI - ES_LO));
	x[1] = es_logit(0.1);
	x[2] = es_logit((0.9 - ES_PHI_LO) / (ES_PHI_HI - ES_PHI_LO));
	es_simplex(c, x, c->damped ? 3 : 2);
	/* restart: a simplex can collapse before the minimum */
	es_simplex(c, x, c->damped ? 3 : 2);
	es_map(c, x, p);
}

/* Forecast variance multiplier: 1 + sum of squared impulse responses. */
static double es_var_factor(const struct es_par *p, size_t h)
{
	double v = 1, cj, damp = 0, pj = 1;

	for (size_t j = 1; j < h; j++) {
		pj *= p->phi;
		damp += pj;
		cj = p->alpha + p->beta * damp;
		v += cj * cj;
	}
	return v;
}

static void es_forecast(struct forecast_result *out, const struct es_par *p,
    int intervals)
{
	double mean, sum = 0, pj = 1, var;

	for (size_t h = 1; h <= out->horizon; h++) {
		pj *= p->phi;
		sum += pj;
		mean = out->level + sum * out->trend;
		var = intervals ? out->sigma * out->sigma *
		    es_var_factor(p, h) : 0;
		forecast_point_normal(&out->points[h - 1], mean, var);
	}
}

int forecast_es_fit(const double *y, size_t n,
    const struct forecast_spec *spec, struct forecast_result *out,
    char **cause)
{
	struct es_ctx c = { y, n, spec->model == FORECAST_HOLT, spec->damped };
	struct es_par p;
	double l, b;

	if (n < (c.trend ? 4u : 2u)) {
		*cause = xasprintf("%s needs at least %u points, got %zu",
		    c.trend ? "Holt" : "exponential smoothing",
		    c.trend ? 4u : 2u, n);
		return -1;
	}
	c.damped = c.trend && spec->damped;
	es_optimise(&c, &p);
	forecast_result_alloc(out, n, spec);
	es_initial(y, n, &p, &l, &b);
	out->l_start = l;
	out->b_start = b;
	es_run(y, n, &p, &l, &b, out->fitted);
	out->level = l;
	out->trend = b;
	out->alpha = p.alpha;
	out->beta = p.beta;
	out->phi = p.phi;
	out->damped = c.damped;
	forecast_result_stats(out, y, (c.trend ? 4 : 2) + c.damped);
	es_forecast(out, &p, !spec->no_intervals);
	return 0;
}
