/* Several seasons by decomposition, in the manner of R's mstl and stlf.
 * The series (its logarithm when every value is positive) loses its
 * seasons one at a time, shortest first, twice over: the series less the
 * other seasons is detrended by a centred moving average one season long,
 * and the season is smoothed out of what is left. A whole season shorter
 * than MSTL_PHASE_MAX gets STL's seasonal smoother of degree 0: per phase,
 * a tricube-weighted mean over the nearest MSTL_CYCLES cycles, so that the
 * pattern may drift; a longer or fractional one (365.25 days) a fit of
 * MSTL_HARMONICS sine-cosine pairs. The second pass weighs every point by
 * the bisquare of its remainder, so that holidays and outliers do not bend
 * the seasons. Regressors (holidays) are fitted by least squares to what
 * the seasons and a moving average leave. The adjusted series is forecast
 * by comb (SES, damped Holt and Theta), its intervals kept, and the
 * seasons and the regressors' effects added back. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "forecast-impl.h"
#include "xmalloc.h"

#define MSTL_PHASE_MAX 32
#define MSTL_CYCLES 11
#define MSTL_HARMONICS 10

struct mstl {
	size_t n, h, nper;
	double per[FORECAST_MAX_PERIODS];
	double *x;			/* the series, maybe logged */
	double *seas[FORECAST_MAX_PERIODS];	/* n + h values each */
	double *w;			/* robustness weights */
	double *trend;
	double *xfx;			/* regressors' effects, n + h values */
	double *b;			/* their coefficients, or NULL */
};

/* Centred moving average of length len; the ends average what there is. */
static void mstl_moving_average(const double *v, size_t n, size_t len, double *out)
{
	double *cum = xcalloc(n + 1, sizeof *cum), half = (double)len / 2;
	long lo, hi;

	for (size_t i = 0; i < n; i++)
		cum[i + 1] = cum[i] + v[i];
	for (size_t i = 0; i < n; i++) {
		lo = (long)i - (long)floor(half);
		hi = (long)i + (long)ceil(half - 1);
		lo = lo < 0 ? 0 : lo;
		hi = hi >= (long)n ? (long)n - 1 : hi;
		out[i] = (cum[hi + 1] - cum[lo]) / (double)(hi - lo + 1);
	}
	free(cum);
}

static double mstl_tricube(double u)
{
	u = fabs(u);
	return u >= 1 ? 0 : pow(1 - u * u * u, 3);
}

/* Per phase, a weighted mean of the nearby cycles; the horizon repeats
 * the last cycle's values. */
static void mstl_phase_smooth(const struct mstl *m, const double *d, size_t p, double *s)
{
	double num, den, wt, span = (MSTL_CYCLES + 1) / 2.0, mean = 0;

	for (size_t i = 0; i < m->n; i++) {
		num = den = 0;
		for (long c = -(long)span; c <= (long)span; c++) {
			long j = (long)i + c * (long)p;

			if (j < 0 || j >= (long)m->n)
				continue;
			wt = mstl_tricube((double)c / span) * m->w[j];
			num += wt * d[j];
			den += wt;
		}
		s[i] = den > 0 ? num / den : 0;
	}
	for (size_t i = m->n - p; i < m->n; i++)
		mean += s[i] / (double)p;
	for (size_t i = 0; i < m->n; i++)
		s[i] -= mean;
	for (size_t i = 0; i < m->h; i++)
		s[m->n + i] = s[m->n - p + i % p];
}

/* Weighted least squares of d on sine-cosine pairs of period per. */
static void mstl_harmonic_smooth(const struct mstl *m, const double *d, double per, double *s)
{
	size_t k = (size_t)fmin(MSTL_HARMONICS, floor(per / 2)), q = 2 * k;
	gsl_matrix *A = gsl_matrix_calloc(q, q);
	gsl_vector *b = gsl_vector_calloc(q);
	double *row = xcalloc(q, sizeof *row), v;

	for (size_t i = 0; i < m->n + m->h; i++) {
		for (size_t j = 0; j < k; j++) {
			row[2 * j] = sin(2 * M_PI * (double)(j + 1) * (double)i / per);
			row[2 * j + 1] = cos(2 * M_PI * (double)(j + 1) * (double)i / per);
		}
		if (i < m->n) {
			for (size_t a = 0; a < q; a++) {
				*gsl_vector_ptr(b, a) += m->w[i] * row[a] * d[i];
				for (size_t c = 0; c < q; c++)
					*gsl_matrix_ptr(A, a, c) += m->w[i] * row[a] * row[c];
			}
			continue;
		}
		if (i == m->n) {
			for (size_t a = 0; a < q; a++)
				*gsl_matrix_ptr(A, a, a) *= 1 + 1e-10;
			if (gsl_linalg_cholesky_decomp1(A) != GSL_SUCCESS ||
			    gsl_linalg_cholesky_svx(A, b) != GSL_SUCCESS)
				gsl_vector_set_zero(b);
		}
	}
	for (size_t i = 0; i < m->n + m->h; i++) {
		v = 0;
		for (size_t j = 0; j < k; j++)
			v += gsl_vector_get(b, 2 * j) * sin(2 * M_PI * (double)(j + 1) * (double)i / per) +
			    gsl_vector_get(b, 2 * j + 1) * cos(2 * M_PI * (double)(j + 1) * (double)i / per);
		s[i] = v;
	}
	gsl_matrix_free(A);
	gsl_vector_free(b);
	free(row);
}

/* One pass over the seasons. */
static void mstl_pass(struct mstl *m, double *d)
{
	double *det = xcalloc(m->n, sizeof *det), per;
	size_t len;

	for (size_t s = 0; s < m->nper; s++) {
		per = m->per[s];
		for (size_t i = 0; i < m->n; i++) {
			d[i] = m->x[i];
			for (size_t o = 0; o < m->nper; o++)
				d[i] -= o != s ? m->seas[o][i] : 0;
		}
		len = (size_t)lround(per);
		mstl_moving_average(d, m->n, len, m->trend);
		for (size_t i = 0; i < m->n; i++)
			det[i] = d[i] - m->trend[i];
		if (per == floor(per) && per < MSTL_PHASE_MAX)
			mstl_phase_smooth(m, det, (size_t)per, m->seas[s]);
		else
			mstl_harmonic_smooth(m, det, per, m->seas[s]);
	}
	free(det);
}

static int mstl_abs_cmp(const void *a, const void *b)
{
	double x = fabs(*(const double *)a), y = fabs(*(const double *)b);

	return x < y ? -1 : x > y;
}

/* Bisquare weights of the remainder after the last pass. */
static void mstl_robust(struct mstl *m)
{
	double *r = xcalloc(m->n, sizeof *r), *sorted = xcalloc(m->n, sizeof *sorted), c, u;

	for (size_t i = 0; i < m->n; i++) {
		r[i] = m->x[i] - m->trend[i];
		for (size_t s = 0; s < m->nper; s++)
			r[i] -= m->seas[s][i];
		sorted[i] = r[i];
	}
	qsort(sorted, m->n, sizeof *sorted, mstl_abs_cmp);
	c = 6 * fabs(sorted[m->n / 2]);
	for (size_t i = 0; i < m->n; i++) {
		u = c > 0 ? r[i] / c : 0;
		m->w[i] = fabs(u) < 1 ? (1 - u * u) * (1 - u * u) : 0;
	}
	free(r);
	free(sorted);
}

static void mstl_decompose(struct mstl *m)
{
	double *d = xcalloc(m->n, sizeof *d);

	for (size_t i = 0; i < m->n; i++)
		m->w[i] = 1;
	for (int pass = 0; pass < 4; pass++) {
		if (pass == 2)
			mstl_robust(m);
		mstl_pass(m, d);
	}
	free(d);
}

static double mstl_back(int logged, double v)
{
	return logged ? exp(v) : v;
}

static void mstl_point_back(struct forecast_point *p, double s, int logged)
{
	p->mean = mstl_back(logged, p->mean + s);
	p->lo80 = mstl_back(logged, p->lo80 + s);
	p->hi80 = mstl_back(logged, p->hi80 + s);
	p->lo95 = mstl_back(logged, p->lo95 + s);
	p->hi95 = mstl_back(logged, p->hi95 + s);
}

/* Each named group of regressors: what the mean would lose without it. */
static void mstl_xreg_components(const struct mstl *m, const struct forecast_spec *spec,
    struct forecast_result *out, const double *mu)
{
	const char *const *names = spec->xreg_names;
	double *v = xcalloc(m->h + 1, sizeof *v), part;
	size_t hi;

	for (size_t lo = 0; m->b != NULL && lo < spec->nxreg; lo = hi) {
		for (hi = lo + 1; hi < spec->nxreg && names != NULL &&
		    strcmp(names[hi], names[lo]) == 0; hi++)
			;
		for (size_t i = 0; i < m->h; i++) {
			part = 0;
			for (size_t j = lo; j < hi; j++)
				part += m->b[j] * spec->xreg[(m->n + i) * spec->nxreg + j];
			v[i] = out->log ? exp(mu[i]) - exp(mu[i] - part) : part;
		}
		forecast_add_component(out, names != NULL ? names[lo] : "xreg", v);
	}
	free(v);
}

/* Adds the seasons back to the adjusted fit in out, and names the parts. */
static void mstl_reseason(const struct mstl *m, const struct forecast_spec *spec,
    const double *y, struct forecast_result *out)
{
	double *tot = xcalloc(m->n + m->h + 1, sizeof *tot), *v = xcalloc(m->h + 1, sizeof *v);
	double *mu = xcalloc(m->h + 1, sizeof *mu);
	char label[32];
	int logged = out->log;

	for (size_t i = 0; i < m->n + m->h; i++) {
		tot[i] = m->xfx[i];
		for (size_t s = 0; s < m->nper; s++)
			tot[i] += m->seas[s][i];
	}
	for (size_t i = out->first; i < m->n; i++)
		out->fitted[i] = mstl_back(logged, out->fitted[i] + tot[i]);
	for (size_t i = 0; i < m->h; i++) {
		v[i] = mstl_back(logged, out->points[i].mean);
		mu[i] = out->points[i].mean + tot[m->n + i];
		mstl_point_back(&out->points[i], tot[m->n + i], logged);
	}
	forecast_add_component(out, "trend", v);
	for (size_t s = 0; s < m->nper; s++) {
		for (size_t i = 0; i < m->h; i++) {
			double part = m->seas[s][m->n + i];

			v[i] = logged ? exp(mu[i]) - exp(mu[i] - part) : part;
		}
		xsnprintf(label, sizeof label, "season %g", m->per[s]);
		forecast_add_component(out, label, v);
	}
	mstl_xreg_components(m, spec, out, mu);
	forecast_result_stats(out, y, 4 + m->nper + spec->nxreg);
	free(tot);
	free(v);
	free(mu);
}

/* Regressors' effects on what the seasons and the trend leave, by least
 * squares; b gets nxreg coefficients (0 for a column never 1). */
static void mstl_xreg_effects(const struct mstl *m, const struct forecast_spec *spec,
    const double *rem, double *b)
{
	size_t k = spec->nxreg;
	gsl_matrix *A = gsl_matrix_calloc(k, k);
	gsl_vector_view bv = gsl_vector_view_array(b, k);
	const double *row;

	memset(b, 0, k * sizeof *b);
	for (size_t i = 0; i < m->n; i++) {
		row = spec->xreg + i * k;
		for (size_t a = 0; a < k; a++) {
			b[a] += row[a] * rem[i];
			for (size_t c = 0; c < k && row[a] != 0; c++)
				*gsl_matrix_ptr(A, a, c) += row[a] * row[c];
		}
	}
	for (size_t a = 0; a < k; a++)
		*gsl_matrix_ptr(A, a, a) += 1e-8 * (gsl_matrix_get(A, a, a) + 1);
	if (gsl_linalg_cholesky_decomp1(A) != GSL_SUCCESS ||
	    gsl_linalg_cholesky_svx(A, &bv.vector) != GSL_SUCCESS)
		memset(b, 0, k * sizeof *b);
	gsl_matrix_free(A);
}

/* Takes the regressors' effects out of adj (the adjusted series) and
 * keeps them, per point of the history and the horizon, in m->xfx. */
static void mstl_xreg(struct mstl *m, const struct forecast_spec *spec, double *adj)
{
	double *rem = xcalloc(m->n, sizeof *rem), *b = xcalloc(spec->nxreg + 1, sizeof *b);

	mstl_moving_average(adj, m->n, (size_t)lround(m->per[m->nper - 1]), m->trend);
	for (size_t i = 0; i < m->n; i++)
		rem[i] = adj[i] - m->trend[i];
	mstl_xreg_effects(m, spec, rem, b);
	m->b = b;
	for (size_t i = 0; i < m->n + m->h; i++) {
		m->xfx[i] = 0;
		for (size_t j = 0; j < spec->nxreg; j++)
			m->xfx[i] += b[j] * spec->xreg[i * spec->nxreg + j];
		if (i < m->n)
			adj[i] -= m->xfx[i];
	}
	free(rem);
}

static void mstl_done(struct mstl *m)
{
	free(m->x);
	free(m->w);
	free(m->trend);
	free(m->xfx);
	free(m->b);
	for (size_t s = 0; s < m->nper; s++)
		free(m->seas[s]);
}

int forecast_mstl_fit(const double *y, size_t n, const struct forecast_spec *spec,
    struct forecast_result *out, char **cause)
{
	struct mstl m = { .n = n, .h = spec->horizon };
	struct forecast_spec sub = *spec;
	double *adj;
	int logged = 1, rc;

	m.nper = forecast_periods(spec, n, m.per);
	m.x = xcalloc(n, sizeof *m.x);
	m.w = xcalloc(n, sizeof *m.w);
	m.trend = xcalloc(n, sizeof *m.trend);
	for (size_t i = 0; i < n; i++)
		logged = logged && y[i] > 0;
	for (size_t i = 0; i < n; i++)
		m.x[i] = logged ? log(y[i]) : y[i];
	for (size_t s = 0; s < m.nper; s++)
		m.seas[s] = xcalloc(n + m.h + 1, sizeof *m.seas[s]);
	mstl_decompose(&m);
	adj = xcalloc(n, sizeof *adj);
	for (size_t i = 0; i < n; i++) {
		adj[i] = m.x[i];
		for (size_t s = 0; s < m.nper; s++)
			adj[i] -= m.seas[s][i];
	}
	m.xfx = xcalloc(n + m.h + 1, sizeof *m.xfx);
	if (spec->nxreg > 0 && m.nper > 0)
		mstl_xreg(&m, spec, adj);
	sub.model = FORECAST_COMB;
	sub.period = 1;
	sub.nperiods = 0;
	sub.nxreg = 0;
	sub.xreg = NULL;
	rc = forecast_fit(adj, n, &sub, out, cause);
	if (rc == 0) {
		out->model = FORECAST_MSTL;
		out->log = logged;
		out->seasonal = m.nper > 0;
		mstl_reseason(&m, spec, y, out);
	}
	free(adj);
	mstl_done(&m);
	return rc;
}
