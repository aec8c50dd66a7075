/* Dynamic harmonic regression: the series (its logarithm when every value
 * is positive) on an intercept, a linear trend, sine and cosine pairs per
 * season (how many pairs per season chosen by AICc), and regressors, with
 * ARMA(p, q) errors (p <= 2, q <= 1, chosen by AICc) fitted to the
 * regression's residuals by conditional least squares (GSL's simplex).
 * Seasons may have any length above 2, whole or not (365.25 days). */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>

#include "forecast-impl.h"
#include "xmalloc.h"

#define FOURIER_KMAX 10		/* sine-cosine pairs per season at most */
#define FOURIER_RIDGE 1e-8	/* keeps regressors never seen in the
				 * history at a zero coefficient */

/* The design over the history and the horizon, every column that may
 * enter: intercept, trend, kmax pairs per season, regressors. */
struct fourier_design {
	size_t n, rows, p;
	size_t nper;
	double per[FORECAST_MAX_PERIODS];
	size_t kmax[FORECAST_MAX_PERIODS], col[FORECAST_MAX_PERIODS];
	size_t col_xreg;
	double *X;		/* rows x p */
};

static void fourier_design_init(struct fourier_design *d,
    const struct forecast_spec *spec, size_t n)
{
	double *row, a;

	memset(d, 0, sizeof *d);
	d->n = n;
	d->rows = n + spec->horizon;
	d->nper = forecast_periods(spec, n, d->per);
	d->p = 2;
	for (size_t s = 0; s < d->nper; s++) {
		d->kmax[s] = (size_t)fmin(FOURIER_KMAX, floor(d->per[s] / 2));
		d->col[s] = d->p;
		d->p += 2 * d->kmax[s];
	}
	d->col_xreg = d->p;
	d->p += spec->nxreg;
	d->X = xreallocarray(NULL, d->rows * d->p, sizeof *d->X);
	for (size_t i = 0; i < d->rows; i++) {
		row = d->X + i * d->p;
		row[0] = 1;
		row[1] = (double)i / (double)n;
		for (size_t s = 0; s < d->nper; s++) {
			for (size_t k = 1; k <= d->kmax[s]; k++) {
				a = 2 * M_PI * (double)k * (double)i / d->per[s];
				row[d->col[s] + 2 * (k - 1)] = sin(a);
				row[d->col[s] + 2 * (k - 1) + 1] = cos(a);
			}
		}
		for (size_t j = 0; j < spec->nxreg; j++)
			row[d->col_xreg + j] = spec->xreg[i * spec->nxreg + j];
	}
}

/* The columns used with k[s] pairs per season; returns how many. */
static size_t fourier_subset(const struct fourier_design *d, const size_t *k,
    size_t *cols)
{
	size_t q = 0;

	cols[q++] = 0;
	cols[q++] = 1;
	for (size_t s = 0; s < d->nper; s++)
		for (size_t j = 0; j < 2 * k[s]; j++)
			cols[q++] = d->col[s] + j;
	for (size_t j = d->col_xreg; j < d->p; j++)
		cols[q++] = j;
	return q;
}

/* Cross products of the history's rows: G = X'X, g = X'x, xx = x'x. */
struct fourier_gram {
	double *G, *g, xx;
};

static void fourier_gram_init(struct fourier_gram *gr,
    const struct fourier_design *d, const double *x, int diff)
{
	size_t p = d->p;
	double *row = xcalloc(p, sizeof *row), v;

	gr->G = xcalloc(p * p, sizeof *gr->G);
	gr->g = xcalloc(p, sizeof *gr->g);
	gr->xx = 0;
	for (size_t i = (size_t)diff; i < d->n; i++) {
		for (size_t a = 0; a < p; a++)
			row[a] = d->X[i * p + a] - (diff ? d->X[(i - 1) * p + a] : 0);
		v = x[i] - (diff ? x[i - 1] : 0);
		gr->xx += v * v;
		for (size_t a = 0; a < p; a++) {
			if (row[a] == 0)
				continue;
			gr->g[a] += row[a] * v;
			for (size_t b = a; b < p; b++)
				gr->G[a * p + b] += row[a] * row[b];
		}
	}
	free(row);
	for (size_t a = 0; a < p; a++)
		for (size_t b = 0; b < a; b++)
			gr->G[a * p + b] = gr->G[b * p + a];
}

/* Least squares on the columns cols[0..q-1]: coefficients b and the
 * residual sum of squares; -1 when the system is singular. */
static int fourier_solve(const struct fourier_gram *gr, size_t p,
    const size_t *cols, size_t q, double *b, double *rss)
{
	gsl_matrix *A = gsl_matrix_alloc(q, q);
	gsl_vector_view bv = gsl_vector_view_array(b, q);
	double v, quad = 0, lin = 0;
	int rc;

	for (size_t i = 0; i < q; i++) {
		for (size_t j = 0; j < q; j++)
			gsl_matrix_set(A, i, j, gr->G[cols[i] * p + cols[j]]);
		v = gsl_matrix_get(A, i, i);
		gsl_matrix_set(A, i, i, v + FOURIER_RIDGE * (v + 1));
		b[i] = gr->g[cols[i]];
	}
	rc = gsl_linalg_cholesky_decomp1(A);
	if (rc == GSL_SUCCESS)
		rc = gsl_linalg_cholesky_svx(A, &bv.vector);
	gsl_matrix_free(A);
	for (size_t i = 0; i < q && rc == GSL_SUCCESS; i++) {
		lin += b[i] * gr->g[cols[i]];
		for (size_t j = 0; j < q; j++)
			quad += b[i] * b[j] * gr->G[cols[i] * p + cols[j]];
	}
	*rss = fmax(gr->xx - 2 * lin + quad, DBL_MIN);
	return rc == GSL_SUCCESS ? 0 : -1;
}

static double fourier_aicc(double rss, size_t n, size_t k)
{
	double dn = (double)n, dk = (double)k;

	if (dn - dk - 1 <= 0)
		return HUGE_VAL;
	return dn * log(rss / dn) + 2 * dk + 2 * dk * (dk + 1) / (dn - dk - 1);
}

/* AICc of the regression with k[s] pairs per season. */
static double fourier_score(const struct fourier_design *d,
    const struct fourier_gram *gr, const size_t *k, size_t *cols, double *b)
{
	size_t q = fourier_subset(d, k, cols);
	double rss;

	if (q + 2 >= d->n || fourier_solve(gr, d->p, cols, q, b, &rss) != 0)
		return HUGE_VAL;
	return fourier_aicc(rss, d->n, q + 1);
}

/* Chooses the pairs per season by AICc, one season at a time, twice. */
static double fourier_choose(const struct fourier_design *d,
    const struct fourier_gram *gr, size_t *k)
{
	size_t *cols = xcalloc(d->p, sizeof *cols), best, keep;
	double *b = xcalloc(d->p, sizeof *b), a, fb = HUGE_VAL;

	for (size_t s = 0; s < d->nper; s++)
		k[s] = d->kmax[s] < 3 ? d->kmax[s] : 3;
	for (int round = 0; round < 2; round++) {
		for (size_t s = 0; s < d->nper; s++) {
			keep = k[s];
			best = keep;
			for (k[s] = 1; k[s] <= d->kmax[s]; k[s]++) {
				if ((a = fourier_score(d, gr, k, cols, b)) < fb) {
					fb = a;
					best = k[s];
				}
			}
			k[s] = best;
		}
	}
	free(cols);
	free(b);
	return fb;
}

/* ARMA(p, q) errors: e_t = r_t - sum phi_i r_{t-i} - theta e_{t-1}. */
struct fourier_arma {
	const double *r;
	size_t n, p, q;
	double phi[2], theta;
};

#define FOURIER_ARMA_START 2	/* the sums start here for every order, so
				 * their AICc compare */

static int fourier_arma_ok(const struct fourier_arma *m)
{
	double p1 = m->phi[0], p2 = m->phi[1];

	if (fabs(m->theta) >= 0.98)
		return 0;
	if (m->p == 1)
		return fabs(p1) < 0.999;
	return m->p < 2 || (p1 + p2 < 0.999 && p2 - p1 < 0.999 && fabs(p2) < 0.999);
}

static double fourier_arma_sse(const struct fourier_arma *m, double *e)
{
	double sse = 0, v, prev = 0;

	for (size_t t = FOURIER_ARMA_START; t < m->n; t++) {
		v = m->r[t] - m->theta * prev;
		for (size_t i = 0; i < m->p; i++)
			v -= m->phi[i] * m->r[t - 1 - i];
		if (e != NULL)
			e[t] = v;
		sse += v * v;
		prev = v;
	}
	return sse;
}

static void fourier_arma_set(struct fourier_arma *m, const gsl_vector *v)
{
	for (size_t i = 0; i < m->p; i++)
		m->phi[i] = gsl_vector_get(v, i);
	m->theta = m->q ? gsl_vector_get(v, m->p) : 0;
}

static double fourier_arma_f(const gsl_vector *v, void *arg)
{
	struct fourier_arma *m = arg;

	fourier_arma_set(m, v);
	return fourier_arma_ok(m) ? fourier_arma_sse(m, NULL) : HUGE_VAL;
}

/* Lag-1 and lag-2 autocorrelations give the start (Yule-Walker). */
static void fourier_arma_start(const struct fourier_arma *m, gsl_vector *v)
{
	double c0 = 0, c1 = 0, c2 = 0, r1, r2;

	for (size_t t = 0; t < m->n; t++) {
		c0 += m->r[t] * m->r[t];
		c1 += t >= 1 ? m->r[t] * m->r[t - 1] : 0;
		c2 += t >= 2 ? m->r[t] * m->r[t - 2] : 0;
	}
	r1 = c0 > 0 ? c1 / c0 : 0;
	r2 = c0 > 0 ? c2 / c0 : 0;
	gsl_vector_set_zero(v);
	if (m->p == 1)
		gsl_vector_set(v, 0, r1 * 0.95);
	if (m->p == 2 && fabs(1 - r1 * r1) > 1e-9) {
		gsl_vector_set(v, 0, 0.95 * r1 * (1 - r2) / (1 - r1 * r1));
		gsl_vector_set(v, 1, 0.95 * (r2 - r1 * r1) / (1 - r1 * r1));
	}
}

/* Fits one order by the simplex; returns the SSE. */
static double fourier_arma_fit(struct fourier_arma *m)
{
	size_t k = m->p + m->q;
	gsl_multimin_function f = { fourier_arma_f, k, m };
	gsl_multimin_fminimizer *s;
	gsl_vector *x, *step;
	double sse;

	if (k == 0)
		return fourier_arma_sse(m, NULL);
	x = gsl_vector_alloc(k);
	step = gsl_vector_alloc(k);
	fourier_arma_start(m, x);
	gsl_vector_set_all(step, 0.1);
	s = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, k);
	gsl_multimin_fminimizer_set(s, &f, x, step);
	for (int it = 0; it < 300; it++) {
		if (gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS ||
		    gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), 1e-6) == GSL_SUCCESS)
			break;
	}
	fourier_arma_set(m, gsl_multimin_fminimizer_x(s));
	sse = fourier_arma_ok(m) ? fourier_arma_sse(m, NULL) : HUGE_VAL;
	gsl_multimin_fminimizer_free(s);
	gsl_vector_free(x);
	gsl_vector_free(step);
	return sse;
}

/* The order of lowest AICc among AR(0..2) with and without MA(1). */
static void fourier_arma_choose(const double *r, size_t n, struct fourier_arma *best)
{
	static const size_t orders[][2] = { { 0, 0 }, { 1, 0 }, { 2, 0 }, { 0, 1 }, { 1, 1 },
		{ 2, 1 } };
	struct fourier_arma m;
	double sse, a, fb = HUGE_VAL;
	size_t ne = n - FOURIER_ARMA_START;

	for (size_t o = 0; o < sizeof orders / sizeof orders[0]; o++) {
		m = (struct fourier_arma){ r, n, orders[o][0], orders[o][1], { 0, 0 }, 0 };
		sse = fourier_arma_fit(&m);
		a = isfinite(sse) ? fourier_aicc(fmax(sse, DBL_MIN), ne,
		    m.p + m.q + 1) : HUGE_VAL;
		if (o == 0 || a < fb) {
			fb = a;
			*best = m;
		}
	}
}

/* The model on the log or the plain scale, fitted. */
struct fourier_fit {
	struct fourier_design d;
	size_t k[FORECAST_MAX_PERIODS], cols_n, *cols;
	double *b;		/* coefficients of cols */
	double *r, *e;		/* residuals and innovations, n + horizon */
	struct fourier_arma arma;
	double s2;		/* innovations' variance */
	int log;
	int diff;		/* errors integrated: the regression and the
				 * ARMA model hold for the differences */
};

static double fourier_row_part(const struct fourier_fit *f, size_t i, size_t lo, size_t hi)
{
	const double *row = f->d.X + i * f->d.p;
	double v = 0;

	for (size_t j = 0; j < f->cols_n; j++)
		if (f->cols[j] >= lo && f->cols[j] < hi)
			v += f->b[j] * row[f->cols[j]];
	return v;
}

static double fourier_row(const struct fourier_fit *f, size_t i)
{
	return fourier_row_part(f, i, 0, f->d.p);
}

/* Residual forecasts r[n..] and the psi weights' running sums. */
static void fourier_arma_forecast(struct fourier_fit *f, size_t h, double *var)
{
	const struct fourier_arma *m = &f->arma;
	size_t n = f->d.n;
	double *psi = xcalloc(h + 1, sizeof *psi), acc = 0, v;

	psi[0] = 1;
	for (size_t j = 1; j <= h; j++) {
		psi[j] = j == 1 ? m->theta : 0;
		for (size_t i = 0; i < m->p && i < j; i++)
			psi[j] += m->phi[i] * psi[j - 1 - i];
	}
	for (size_t j = 1; f->diff && j <= h; j++)
		psi[j] += psi[j - 1];
	for (size_t t = n; t < n + h; t++) {
		v = t == n ? m->theta * f->e[n - 1] : 0;
		for (size_t i = 0; i < m->p; i++)
			v += m->phi[i] * f->r[t - 1 - i];
		f->r[t] = v;
		f->e[t] = 0;
		acc += psi[t - n] * psi[t - n];
		var[t - n] = f->s2 * acc;
	}
	free(psi);
}

static int fourier_regress(struct fourier_fit *f, const double *x, size_t n, char **cause)
{
	struct fourier_gram gr;
	double rss;

	fourier_gram_init(&gr, &f->d, x, f->diff);
	fourier_choose(&f->d, &gr, f->k);
	f->cols = xcalloc(f->d.p, sizeof *f->cols);
	f->b = xcalloc(f->d.p, sizeof *f->b);
	f->cols_n = fourier_subset(&f->d, f->k, f->cols);
	if (f->cols_n + 2 >= n ||
	    fourier_solve(&gr, f->d.p, f->cols, f->cols_n, f->b, &rss) != 0) {
		*cause = xasprintf("fourier: %zu points are too few for %zu coefficients", n,
		    f->cols_n);
		free(gr.G);
		free(gr.g);
		return -1;
	}
	free(gr.G);
	free(gr.g);
	return 0;
}

static void fourier_fit_done(struct fourier_fit *f)
{
	free(f->d.X);
	free(f->cols);
	free(f->b);
	free(f->r);
	free(f->e);
}

static double fourier_back(const struct fourier_fit *f, double v)
{
	return f->log ? exp(v) : v;
}

/* The regression's part from columns lo..hi-1 at t; with integrated
 * errors the change since t - 1. */
static double fourier_step(const struct fourier_fit *f, size_t t, size_t lo, size_t hi)
{
	double v = fourier_row_part(f, t, lo, hi);

	return f->diff && t > 0 ? v - fourier_row_part(f, t - 1, lo, hi) : v;
}

/* The mean at t given the level before it (prev) and the errors' part. */
static double fourier_mean(const struct fourier_fit *f, size_t t, double prev, double err)
{
	return (f->diff ? prev : 0) + fourier_step(f, t, 0, f->d.p) + err;
}

/* KPSS statistic of the residuals (level stationarity, Newey-West
 * variance with trunc(4 (n / 100)^0.25) lags): integrated errors above
 * FOURIER_KPSS, the 5% critical value. */
#define FOURIER_KPSS 0.463
static double fourier_kpss(const double *r, size_t n)
{
	size_t lags = (size_t)(4 * pow((double)n / 100, 0.25));
	double mean = 0, cum = 0, eta = 0, s2 = 0, g;

	for (size_t t = 0; t < n; t++)
		mean += r[t] / (double)n;
	for (size_t t = 0; t < n; t++) {
		cum += r[t] - mean;
		eta += cum * cum;
		s2 += (r[t] - mean) * (r[t] - mean);
	}
	for (size_t l = 1; l <= lags; l++) {
		g = 0;
		for (size_t t = l; t < n; t++)
			g += (r[t] - mean) * (r[t - l] - mean);
		s2 += 2 * (1 - (double)l / (double)(lags + 1)) * g;
	}
	s2 /= (double)n;
	return s2 > 0 ? eta / ((double)n * (double)n * s2) : 0;
}

/* Each season and each named group of regressors: what the mean would
 * lose without it; the trend is the rest (the level the errors carry). */
static void fourier_components(const struct fourier_fit *f, const struct forecast_spec *spec,
    struct forecast_result *out, const double *mu)
{
	size_t h = out->horizon, n = f->d.n, lo, hi, nx = spec->nxreg;
	double *v = xcalloc(h + 1, sizeof *v), *rest = xcalloc(h + 1, sizeof *rest), part;
	const char *const *names = spec->xreg_names;
	size_t at = out->ncomp;
	char label[32];

	for (size_t i = 0; i < h; i++)
		rest[i] = mu[i];
	forecast_add_component(out, "trend", v);
	for (size_t s = 0, next; s < f->d.nper + nx; s = next) {
		const char *name = label;

		if (s < f->d.nper) {
			lo = f->d.col[s];
			hi = lo + 2 * f->d.kmax[s];
			next = s + 1;
			xsnprintf(label, sizeof label, "season %g", f->d.per[s]);
		} else {
			lo = f->d.col_xreg + s - f->d.nper;
			name = names != NULL ? names[s - f->d.nper] : "xreg";
			for (hi = lo + 1; hi < f->d.p && names != NULL &&
			    strcmp(names[hi - f->d.col_xreg], name) == 0; hi++)
				;
			next = f->d.nper + hi - f->d.col_xreg;
		}
		for (size_t i = 0; i < h; i++) {
			part = fourier_row_part(f, n + i, lo, hi);
			rest[i] -= part;
			v[i] = f->log ? exp(mu[i]) - exp(mu[i] - part) : part;
		}
		forecast_add_component(out, name, v);
	}
	for (size_t i = 0; i < h; i++)
		out->comp[at * h + i] = fourier_back(f, rest[i]);
	free(v);
	free(rest);
}

/* Adds the coefficients' uncertainty to the forecast variances: s2 z'
 * (Z'Z)^-1 z for the row z of each point (its change since the last point
 * of the history when the errors are integrated), s2 the regression's
 * residual variance. A holiday seen once or twice is uncertain, and says
 * so. */
static void fourier_coef_var(const struct fourier_fit *f, const double *x, size_t h,
    double *var)
{
	struct fourier_gram gr;
	size_t q = f->cols_n, n = f->d.n, p = f->d.p;
	gsl_matrix *A = gsl_matrix_alloc(q, q);
	gsl_vector *z = gsl_vector_alloc(q);
	double s2 = 0, v;

	fourier_gram_init(&gr, &f->d, x, f->diff);
	for (size_t i = 0; i < q; i++)
		for (size_t j = 0; j < q; j++)
			gsl_matrix_set(A, i, j, gr.G[f->cols[i] * p + f->cols[j]] +
			    (i == j ? FOURIER_RIDGE * (gr.G[f->cols[i] * p + f->cols[i]] + 1) : 0));
	for (size_t t = (size_t)f->diff; t < n; t++)
		s2 += f->r[t] * f->r[t] / (double)(n - q - (size_t)f->diff);
	if (gsl_linalg_cholesky_decomp1(A) == GSL_SUCCESS) {
		for (size_t k = 0; k < h; k++) {
			for (size_t i = 0; i < q; i++)
				gsl_vector_set(z, i, f->d.X[(n + k) * p + f->cols[i]] -
				    (f->diff ? f->d.X[(n - 1) * p + f->cols[i]] : 0));
			v = 0;
			gsl_blas_dtrsv(CblasLower, CblasNoTrans, CblasNonUnit, A, z);
			gsl_blas_ddot(z, z, &v);
			var[k] += s2 * v;
		}
	}
	free(gr.G);
	free(gr.g);
	gsl_matrix_free(A);
	gsl_vector_free(z);
}

static void fourier_store(struct fourier_fit *f, const struct forecast_spec *spec,
    const double *y, const double *x, struct forecast_result *out)
{
	size_t n = f->d.n, h = spec->horizon;
	double *var = xcalloc(h + 1, sizeof *var), *mu = xcalloc(h + 1, sizeof *mu), sd, prev;
	struct forecast_point *p;

	fourier_arma_forecast(f, h, var);
	if (!spec->no_intervals && f->cols_n + 1 + (size_t)f->diff < n)
		fourier_coef_var(f, x, h, var);
	forecast_result_alloc(out, n, spec);
	out->log = f->log;
	out->first = FOURIER_ARMA_START;
	for (size_t i = out->first; i < n; i++)
		out->fitted[i] = fourier_back(f, fourier_mean(f, i, x[i - 1], f->r[i] - f->e[i]));
	forecast_result_stats(out, y, f->cols_n + f->arma.p + f->arma.q + 1);
	out->alpha = f->arma.p > 0 ? f->arma.phi[0] : 0;
	out->beta = f->arma.p > 1 ? f->arma.phi[1] : 0;
	out->gamma = f->arma.theta;
	out->damped = f->diff;
	prev = x[n - 1];
	for (size_t i = 0; i < h; i++) {
		mu[i] = prev = fourier_mean(f, n + i, prev, f->r[n + i]);
		sd = spec->no_intervals ? 0 : sqrt(var[i]);
		p = &out->points[i];
		*p = (struct forecast_point){ fourier_back(f, mu[i]),
			fourier_back(f, mu[i] - FORECAST_Z80 * sd), fourier_back(f, mu[i] + FORECAST_Z80 * sd),
			fourier_back(f, mu[i] - FORECAST_Z95 * sd), fourier_back(f, mu[i] + FORECAST_Z95 * sd) };
	}
	out->seasonal = f->d.nper > 0;
	fourier_components(f, spec, out, mu);
	free(var);
	free(mu);
}

/* The regression's residuals (of the differences when integrated). */
static void fourier_residuals(struct fourier_fit *f, const double *x)
{
	f->r[0] = f->diff ? 0 : x[0] - fourier_row(f, 0);
	for (size_t t = 1; t < f->d.n; t++)
		f->r[t] = x[t] - fourier_mean(f, t, x[t - 1], 0);
}

/* Fits the regression on the levels; when its residuals fail the KPSS
 * test, again on the differences. */
static int fourier_fit_regression(struct fourier_fit *f, const double *x, char **cause)
{
	if (fourier_regress(f, x, f->d.n, cause) != 0)
		return -1;
	fourier_residuals(f, x);
	if (fourier_kpss(f->r, f->d.n) <= FOURIER_KPSS)
		return 0;
	free(f->cols);
	free(f->b);
	f->diff = 1;
	if (fourier_regress(f, x, f->d.n, cause) != 0)
		return -1;
	fourier_residuals(f, x);
	return 0;
}

int forecast_fourier_fit(const double *y, size_t n, const struct forecast_spec *spec,
    struct forecast_result *out, char **cause)
{
	struct fourier_fit f = { 0 };
	double *x = xreallocarray(NULL, n, sizeof *x);
	size_t rows = n + spec->horizon;

	if (spec->nxreg > 0 && spec->xreg == NULL) {
		free(x);
		*cause = xasprintf("fourier: regressors missing");
		return -1;
	}
	f.log = 1;
	for (size_t i = 0; i < n; i++)
		f.log = f.log && y[i] > 0;
	for (size_t i = 0; i < n; i++)
		x[i] = f.log ? log(y[i]) : y[i];
	fourier_design_init(&f.d, spec, n);
	f.r = xcalloc(rows + 1, sizeof *f.r);
	f.e = xcalloc(rows + 1, sizeof *f.e);
	if (fourier_fit_regression(&f, x, cause) != 0) {
		fourier_fit_done(&f);
		free(x);
		return -1;
	}
	fourier_arma_choose(f.r, n, &f.arma);
	f.s2 = fourier_arma_sse(&f.arma, f.e) / (double)(n - FOURIER_ARMA_START);
	fourier_store(&f, spec, y, x, out);
	fourier_fit_done(&f);
	free(x);
	return 0;
}
