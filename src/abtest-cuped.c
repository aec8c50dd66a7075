/* Variance reduction: CUPED with a pre-experiment covariate, and capping
 * of outliers in raw values. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "abtest.h"
#include "xmalloc.h"

/* Sample (n - 1) covariance of y and x, and variance of x, of one arm. */
static void cuped_cov_moments(const struct abtest_cov_arm *a, long double *vy,
    long double *vx, long double *cxy)
{
	long double n = a->n;

	*vy = ((long double)a->sumsq - (long double)a->sum * a->sum / n) / (n - 1);
	*vx = ((long double)a->xsumsq - (long double)a->xsum * a->xsum / n) / (n - 1);
	*cxy = ((long double)a->xysum - (long double)a->sum * a->xsum / n) / (n - 1);
}

/* The arm adjusted by theta (x0: the reference of xbar, the pooled
 * covariate mean), about the arm's own reference: everything here is of
 * the order of the spread, so means near 1e9 keep their digits. */
static void cuped_arm(const struct abtest_cov_arm *a, long double theta, double x0,
    long double xbar, struct abtest_arm *out)
{
	long double vy, vx, cxy, n = a->n, m, v;

	cuped_cov_moments(a, &vy, &vx, &cxy);
	m = (long double)a->sum / n -
	    theta * (((long double)a->xshift - x0) + (long double)a->xsum / n - xbar);
	v = vy - 2 * theta * cxy + theta * theta * vx;
	if (v < 0)
		v = 0;
	out->n = a->n;
	out->shift = a->shift;
	out->sum = (double)(n * m);
	out->sumsq = (double)((n - 1) * v + n * m * m);
}

int abtest_cuped(const struct abtest_cov_arm *ctl, const struct abtest_cov_arm *trt,
    double alpha, struct abtest_cuped_result *out, char **cause)
{
	long double vy[2], vx[2], cxy[2], vxp, cp, vyp, vadj, xbar;
	double nc = ctl->n, nt = trt->n;

	if (!(nc >= 2) || !(nt >= 2)) {
		*cause = xasprintf("an arm needs at least 2 observations");
		return -1;
	}
	cuped_cov_moments(ctl, &vy[0], &vx[0], &cxy[0]);
	cuped_cov_moments(trt, &vy[1], &vx[1], &cxy[1]);
	/* Pooled within-arm moments keep theta free of the treatment effect. */
	vxp = ((nc - 1) * vx[0] + (nt - 1) * vx[1]) / (nc + nt - 2);
	vyp = ((nc - 1) * vy[0] + (nt - 1) * vy[1]) / (nc + nt - 2);
	cp = ((nc - 1) * cxy[0] + (nt - 1) * cxy[1]) / (nc + nt - 2);
	if (!(vxp > 0)) {
		*cause = xasprintf("the covariate is constant");
		return -1;
	}
	out->theta = (double)(cp / vxp);
	xbar = (((long double)ctl->xshift - ctl->xshift) * nc + ctl->xsum +
	    ((long double)trt->xshift - ctl->xshift) * nt + trt->xsum) / (nc + nt);
	cuped_arm(ctl, out->theta, ctl->xshift, xbar, &out->adj_ctl);
	cuped_arm(trt, out->theta, ctl->xshift, xbar, &out->adj_trt);
	vadj = vyp - cp * cp / vxp;
	out->var_reduction = vyp > 0 ? (double)(1 - vadj / vyp) : 0;
	return abtest_welch(&out->adj_ctl, &out->adj_trt, alpha, &out->means, cause);
}

static int cuped_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : (x > y);
}

int abtest_cap_percentile(double *v, size_t n, double pct, double *cap,
    size_t *capped, char **cause)
{
	double *s, h;
	size_t lo;

	if (n == 0 || !(pct >= 0 && pct <= 100)) {
		*cause = xasprintf("need values and a percentile from 0 to 100");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (isnan(v[i])) {
			*cause = xasprintf("value %zu is not a number", i + 1);
			return -1;
		}
	}
	s = xreallocarray(NULL, n, sizeof *s);
	for (size_t i = 0; i < n; i++)
		s[i] = v[i];
	qsort(s, n, sizeof *s, cuped_cmp_double);
	/* R's default quantile (type 7): linear between order statistics. */
	h = (double)(n - 1) * pct / 100;
	lo = (size_t)floor(h);
	*cap = lo + 1 < n ? s[lo] + (h - (double)lo) * (s[lo + 1] - s[lo]) : s[lo];
	free(s);
	abtest_cap_value(v, n, *cap, capped);
	return 0;
}

void abtest_cap_value(double *v, size_t n, double cap, size_t *capped)
{
	*capped = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] > cap) {
			v[i] = cap;
			(*capped)++;
		}
	}
}
