/* Tails of the normal, t, chi-square and F distributions and the
 * incomplete beta, as accurate far into the tails as a double allows. */
#include "config.h"

#include <math.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_sf_gamma.h>

#include "abtest.h"
#include "xmalloc.h"

/* Above DIST_T_LARGE_DF the t tail comes from dist_t_tail_large (GSL's
 * incomplete beta loses about df * 1e-16 relative accuracy), and above
 * DIST_T_NORMAL_DF from the Abramowitz & Stegun 26.7.8 normal form, whose
 * error falls as 1 / df^2. Against R's pt, for |t| <= 30, the relative
 * error stays below 1e-10 up to df = 2e7 (arms of ten million) and below
 * 4e-9 at any df. */
#define DIST_T_LARGE_DF 1e5
#define DIST_T_NORMAL_DF 1e8
#define DIST_CF_ITER 1000000

static int dist_status(int status, double val, double *out, char **cause)
{
	if (status == GSL_EUNDRFLW) {
		*out = 0;
		return 0;
	}
	if (status != GSL_SUCCESS || !isfinite(val)) {
		*cause = xasprintf("numerical error: %s", gsl_strerror(status));
		return -1;
	}
	*out = val < 0 ? 0 : (val > 1 ? 1 : val);
	return 0;
}

int abtest_norm_upper(double z, double *q, char **cause)
{
	gsl_sf_result r;
	int status;

	if (isnan(z)) {
		*cause = xasprintf("numerical error: z is not a number");
		return -1;
	}
	if (z == 0) {
		*q = 0.5;
		return 0;
	}
	status = gsl_sf_erfc_e(z / M_SQRT2, &r);
	return dist_status(status, r.val / 2, q, cause);
}

/* Continued fraction of I_x(a, b) (modified Lentz), without its prefactor. */
static int dist_beta_cf(double a, double b, double x, double *out)
{
	const double tiny = 1e-300;
	double c = 1, d = 1 - (a + b) * x / (a + 1), f, num, del;

	d = 1 / (fabs(d) < tiny ? tiny : d);
	f = d;
	for (int m = 1; m < DIST_CF_ITER; m++) {
		for (int odd = 0; odd < 2; odd++) {
			num = odd ? -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)) :
			    m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
			d = 1 + num * d;
			d = 1 / (fabs(d) < tiny ? tiny : d);
			c = 1 + num / c;
			c = fabs(c) < tiny ? tiny : c;
			del = c * d;
			f *= del;
		}
		if (fabs(del - 1) < 1e-16) {
			*out = f;
			return 0;
		}
	}
	return -1;
}

int abtest_beta_inc(double a, double b, double x, double *out, char **cause)
{
	gsl_sf_result r, lb;
	double cf, lnpre;
	int status, flip;

	status = gsl_sf_beta_inc_e(a, b, x, &r);
	if (status == GSL_SUCCESS || status == GSL_EUNDRFLW)
		return dist_status(status, r.val, out, cause);
	if (!(x > 0 && x < 1) || gsl_sf_lnbeta_e(a, b, &lb) != GSL_SUCCESS) {
		*cause = xasprintf("numerical error: %s", gsl_strerror(status));
		return -1;
	}
	/* The fraction converges fast below the mean; above it, use symmetry. */
	flip = x > (a + 1) / (a + b + 2);
	lnpre = a * log(x) + b * log1p(-x) - lb.val - log(flip ? b : a);
	if (dist_beta_cf(flip ? b : a, flip ? a : b, flip ? 1 - x : x, &cf) != 0) {
		*cause = xasprintf("numerical error: incomplete beta did not converge");
		return -1;
	}
	*out = flip ? 1 - exp(lnpre) * cf : exp(lnpre) * cf;
	*out = fmin(1, fmax(0, *out));
	return 0;
}

/* Upper tail of t with many df, t >= 0: 0.5 I_x(df / 2, 1 / 2) at
 * x = df / (df + t^2), with the prefactor in logs so that df / 2 times
 * log x keeps its precision (log1p), and log Gamma(a + 1/2) - log Gamma(a)
 * from its asymptotic series (the difference of two lgammas cancels). */
static int dist_t_tail_large(double t, double df, double *q, char **cause)
{
	double a = df / 2, t2 = t * t, y = t2 / (df + t2), lnx, lnpre, cf, poch;
	int rc;

	poch = 0.5 * log(a) - 1 / (8 * a) + 1 / (192 * a * a * a);
	lnx = -log1p(t2 / df);
	/* log B(a, 1/2) = log Gamma(1/2) - poch. */
	lnpre = a * lnx + 0.5 * log(y) - 0.5 * log(M_PI) + poch;
	if (t2 > 3) {
		rc = dist_beta_cf(a, 0.5, 1 - y, &cf);
		*q = 0.5 * exp(lnpre - log(a)) * cf;
	} else {
		/* Near the centre: one minus the other side, I_y(1/2, a). */
		rc = dist_beta_cf(0.5, a, y, &cf);
		*q = 0.5 * (1 - exp(lnpre + log(2.0)) * cf);
	}
	if (rc != 0 || !isfinite(*q)) {
		*cause = xasprintf("numerical error: t tail did not converge");
		return -1;
	}
	return 0;
}

int abtest_t_upper(double t, double df, double *q, char **cause)
{
	gsl_sf_result r;
	double val;
	int status;

	if (isnan(t) || !(df > 0)) {
		*cause = xasprintf("numerical error: bad t statistic or df");
		return -1;
	}
	if (df > DIST_T_NORMAL_DF) {
		val = 1 / (4 * df);
		return abtest_norm_upper(t * (1 - val) / sqrt(1 + t * t * 2 * val), q, cause);
	}
	if (df > DIST_T_LARGE_DF) {
		if (dist_t_tail_large(fabs(t), df, &val, cause) != 0)
			return -1;
		*q = t >= 0 ? val : 1 - val;
		return 0;
	}
	/* Two-sided tail is the regularised incomplete beta at df / (df + t^2). */
	status = gsl_sf_beta_inc_e(df / 2, 0.5, df / (df + t * t), &r);
	if (dist_status(status, r.val, &val, cause) != 0)
		return -1;
	*q = t >= 0 ? val / 2 : 1 - val / 2;
	return 0;
}

int abtest_chisq_upper(double x, double df, double *q, char **cause)
{
	gsl_sf_result r;
	int status;

	if (isnan(x) || !(df > 0)) {
		*cause = xasprintf("numerical error: bad chi-square or df");
		return -1;
	}
	if (x <= 0) {
		*q = 1;
		return 0;
	}
	status = gsl_sf_gamma_inc_Q_e(df / 2, x / 2, &r);
	return dist_status(status, r.val, q, cause);
}

int abtest_f_upper(double f, double df1, double df2, double *q, char **cause)
{
	gsl_sf_result r;
	int status;

	if (isnan(f) || !(df1 > 0) || !(df2 > 0)) {
		*cause = xasprintf("numerical error: bad F or df");
		return -1;
	}
	if (f <= 0) {
		*q = 1;
		return 0;
	}
	status = gsl_sf_beta_inc_e(df2 / 2, df1 / 2, df2 / (df2 + df1 * f), &r);
	return dist_status(status, r.val, q, cause);
}
