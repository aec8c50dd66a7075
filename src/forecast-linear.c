/* Linear trend regression as R's tslm(y ~ trend + season [+ xreg]):
 * intercept, trend 1..n, dummies for seasons 2..period (season 1 is the
 * phase of y[0]) and optional regressors, by GSL least squares. Intervals
 * use Student's t with n - p degrees of freedom. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>

#include "forecast-impl.h"
#include "xmalloc.h"

/* Fills row i (0-based time index) of the design. */
static void linear_row(const struct forecast_spec *spec, size_t i,
    double *row)
{
	size_t m = spec->period > 1 ? spec->period : 1, k = 0;

	row[k++] = 1;
	row[k++] = (double)(i + 1);
	for (size_t j = 1; j < m; j++)
		row[k++] = i % m == j ? 1 : 0;
	for (size_t j = 0; j < spec->nxreg; j++)
		row[k++] = spec->xreg[i * spec->nxreg + j];
}

static size_t linear_ncoef(const struct forecast_spec *spec)
{
	return 2 + (spec->period > 1 ? spec->period - 1 : 0) + spec->nxreg;
}

/* Mean and variance of the prediction at time index i. */
static void linear_predict(const struct forecast_spec *spec, size_t i,
    const gsl_vector *c, const gsl_matrix *cov, double s2, double *mean,
    double *var)
{
	size_t p = c->size;
	double *row = xcalloc(p, sizeof *row), v = s2;

	linear_row(spec, i, row);
	*mean = 0;
	for (size_t a = 0; a < p; a++) {
		*mean += row[a] * gsl_vector_get(c, a);
		for (size_t b = 0; b < p; b++)
			v += row[a] * row[b] * gsl_matrix_get(cov, a, b);
	}
	*var = v;
	free(row);
}

static void linear_store(struct forecast_result *out,
    const struct forecast_spec *spec, const double *y, size_t n,
    const gsl_vector *c, const gsl_matrix *cov, double s2)
{
	double df = (double)(n - c->size), mean, var, t80, t95, sd;
	struct forecast_point *pt;

	out->ncoef = c->size;
	for (size_t a = 0; a < c->size; a++) {
		out->coef[a] = gsl_vector_get(c, a);
		out->coef_se[a] = sqrt(gsl_matrix_get(cov, a, a));
	}
	for (size_t i = 0; i < n; i++)
		linear_predict(spec, i, c, cov, s2, &out->fitted[i], &var);
	forecast_result_stats(out, y, c->size + 1);
	out->sigma = sqrt(s2);
	t80 = gsl_cdf_tdist_Pinv(0.9, df);
	t95 = gsl_cdf_tdist_Pinv(0.975, df);
	for (size_t h = 0; h < out->horizon; h++) {
		linear_predict(spec, n + h, c, cov, s2, &mean, &var);
		sd = spec->no_intervals ? 0 : sqrt(var);
		pt = &out->points[h];
		*pt = (struct forecast_point){ mean, mean - t80 * sd,
		    mean + t80 * sd, mean - t95 * sd, mean + t95 * sd };
	}
}

int forecast_linear_fit(const double *y, size_t n,
    const struct forecast_spec *spec, struct forecast_result *out,
    char **cause)
{
	size_t p = linear_ncoef(spec);
	gsl_multifit_linear_workspace *w;
	gsl_matrix *X, *cov;
	gsl_vector *c;
	gsl_vector_const_view yv = gsl_vector_const_view_array(y, n);
	double chisq;
	int rc;

	if (n <= p) {
		*cause = xasprintf("linear model has %zu coefficients but only "
		    "%zu points", p, n);
		return -1;
	}
	if (spec->nxreg > 0 && spec->xreg == NULL) {
		*cause = xasprintf("linear model: regressors missing");
		return -1;
	}
	X = gsl_matrix_alloc(n, p);
	for (size_t i = 0; i < n; i++)
		linear_row(spec, i, gsl_matrix_ptr(X, i, 0));
	c = gsl_vector_alloc(p);
	cov = gsl_matrix_alloc(p, p);
	w = gsl_multifit_linear_alloc(n, p);
	rc = gsl_multifit_linear(X, &yv.vector, c, cov, &chisq, w);
	gsl_multifit_linear_free(w);
	gsl_matrix_free(X);
	if (rc == GSL_SUCCESS) {
		forecast_result_alloc(out, n, spec);
		out->coef = xcalloc(p, sizeof *out->coef);
		out->coef_se = xcalloc(p, sizeof *out->coef_se);
		linear_store(out, spec, y, n, c, cov, chisq / (double)(n - p));
	} else
		*cause = xasprintf("linear model: %s", gsl_strerror(rc));
	gsl_vector_free(c);
	gsl_matrix_free(cov);
	return rc == GSL_SUCCESS ? 0 : -1;
}
