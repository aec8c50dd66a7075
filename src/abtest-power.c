/* Power and sample size.
 *
 * Proportions, per arm, with za = z(1 - alpha / sides), zb = z(power):
 *   R power.prop.test:  n = (za sqrt((p1 + p2)(q1 + q2) / 2)
 *                           + zb sqrt(p1 q1 + p2 q2))^2 / (p2 - p1)^2,
 *     the exact root of the equation R solves with uniroot;
 *   Evan Miller's calculator: n = (za sqrt(2 p1 q1)
 *                           + zb sqrt(p1 q1 + p2 q2))^2 / (p2 - p1)^2,
 *     the null variance taken at the baseline rate p1.
 * Means follow power.t.test: df = 2 (n - 1), noncentrality
 * sqrt(n / 2) delta / sd, power from the noncentral t, solved for n by
 * bisection between brackets (n from 2 to 1e15). The noncentral t's upper
 * tail is an integral over the chi-square; above POWER_LOG_DF degrees of
 * freedom the chi-square density is taken in log space about its mean, and
 * above POWER_NORMAL_DF (or for a noncentrality above 37.62) it is the
 * normal approximation of Abramowitz and Stegun 26.7.10, as R's pnt. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>

#include "abtest.h"
#include "xmalloc.h"

#define POWER_LOG_DF 2e4
#define POWER_NORMAL_DF 4e5
#define POWER_NORMAL_NCP 37.62

struct power_nct {
	double c, ncp, df;
};

static int power_check(double alpha, double power, char **cause)
{
	if (!(alpha > 0 && alpha < 1) || !(power > 0 && power < 1)) {
		*cause = xasprintf("alpha and power must be between 0 and 1");
		return -1;
	}
	return 0;
}

static int power_check_rates(double p1, double p2, char **cause)
{
	if (!(p1 > 0 && p1 < 1) || !(p2 > 0 && p2 < 1) || p1 == p2) {
		*cause = xasprintf("rates must be between 0 and 1 and differ");
		return -1;
	}
	return 0;
}

int abtest_power_props_n(double p1, double p2, double alpha, double power,
    int one_sided, struct abtest_power_n *out, char **cause)
{
	double za, zb, d, v, r, e;

	if (power_check(alpha, power, cause) != 0 || power_check_rates(p1, p2, cause) != 0)
		return -1;
	za = gsl_cdf_ugaussian_Qinv(one_sided ? alpha : alpha / 2);
	zb = gsl_cdf_ugaussian_Pinv(power);
	d = fabs(p2 - p1);
	v = sqrt(p1 * (1 - p1) + p2 * (1 - p2));
	r = (za * sqrt((p1 + p2) * (2 - p1 - p2) / 2) + zb * v) / d;
	e = (za * sqrt(2 * p1 * (1 - p1)) + zb * v) / d;
	out->n_r = r * r;
	out->n_evanmiller = e * e;
	out->n_r_ceiling = ceil(out->n_r);
	out->n_evanmiller_ceiling = ceil(out->n_evanmiller);
	return 0;
}

int abtest_power_props_power(double p1, double p2, double n, double alpha,
    int one_sided, double *power, char **cause)
{
	double za, z;

	if (!(alpha > 0 && alpha < 1) || !(n > 0) || power_check_rates(p1, p2, cause) != 0) {
		if (!(n > 0) || !(alpha > 0 && alpha < 1))
			*cause = xasprintf("n must be above 0 and alpha between 0 and 1");
		return -1;
	}
	za = gsl_cdf_ugaussian_Qinv(one_sided ? alpha : alpha / 2);
	z = (sqrt(n) * fabs(p1 - p2) - za * sqrt((p1 + p2) * (2 - p1 - p2) / 2)) /
	    sqrt(p1 * (1 - p1) + p2 * (1 - p2));
	*power = gsl_cdf_ugaussian_P(z);
	return 0;
}

int abtest_power_props_mde(double p1, double n, double alpha, double power,
    int one_sided, double *mde, char **cause)
{
	struct abtest_power_n pn;
	double a = 0, b = 1 - p1, m;
	char *err;

	if (power_check(alpha, power, cause) != 0)
		return -1;
	if (!(p1 > 0 && p1 < 1) || !(n >= 1)) {
		*cause = xasprintf("p1 must be between 0 and 1 and n at least 1");
		return -1;
	}
	/* The required n falls as the difference grows: bisect on it. */
	for (int i = 0; i < 200 && b - a > 1e-15; i++) {
		m = (a + b) / 2;
		err = NULL;
		if (abtest_power_props_n(p1, p1 + m, alpha, power, one_sided, &pn, &err) != 0) {
			free(err);
			b = m;
			continue;
		}
		if (pn.n_r > n)
			a = m;
		else
			b = m;
	}
	*mde = (a + b) / 2;
	return 0;
}

static double power_nct_integrand(double v, void *arg)
{
	const struct power_nct *p = arg;
	double x = p->ncp - p->c * sqrt(v / p->df);

	/* P(Z > c sqrt(V / df) - ncp) weighted by the chi-square density. */
	return gsl_cdf_ugaussian_P(x) * gsl_ran_chisq_pdf(v, p->df);
}

/* log of the chi-square density at v = df (1 + t), without the terms of
 * size df that cancel: with h = df / 2 and lgamma's Stirling remainder,
 * -log 2 - log(2 pi h) / 2 - stirling(h) + h (log1p(t) - t) - log1p(t). */
static double power_chisq_logpdf(double t, double h)
{
	double stirling = 1 / (12 * h) - 1 / (360 * h * h * h) + 1 / (1260 * pow(h, 5));

	return -M_LN2 - 0.5 * log(2 * M_PI * h) - stirling + h * (log1p(t) - t) - log1p(t);
}

/* The integrand over x, v = df + x sqrt(2 df). */
static double power_nct_integrand_log(double x, void *arg)
{
	const struct power_nct *p = arg;
	double t = x * sqrt(2 / p->df);

	return gsl_cdf_ugaussian_P(p->ncp - p->c * sqrt(1 + t)) *
	    exp(power_chisq_logpdf(t, p->df / 2)) * sqrt(2 * p->df);
}

static int power_nct_integrate(gsl_function *f, double lo, double hi, double *q,
    char **cause)
{
	gsl_integration_workspace *ws = gsl_integration_workspace_alloc(1000);
	double err;
	int status;

	status = gsl_integration_qags(f, lo, hi, 0, 1e-13, 1000, ws, q, &err);
	gsl_integration_workspace_free(ws);
	if (status == GSL_EROUND && err < 1e-12)
		status = GSL_SUCCESS;
	if (status != GSL_SUCCESS || !isfinite(*q)) {
		*cause = xasprintf("numerical error: %s", gsl_strerror(status));
		return -1;
	}
	*q = fmin(1, fmax(0, *q));
	return 0;
}

/* Upper tail of the noncentral t at c > 0. */
static int power_nct_upper(double c, double df, double ncp, double *q, char **cause)
{
	struct power_nct p = { c, ncp, df };
	gsl_function f = { power_nct_integrand, &p };
	double s = 1 / (4 * df);

	if (df > POWER_NORMAL_DF || ncp > POWER_NORMAL_NCP) {
		*q = gsl_cdf_ugaussian_Q((c * (1 - s) - ncp) / sqrt(1 + c * c * 2 * s));
		return 0;
	}
	if (df > POWER_LOG_DF) {
		f.function = power_nct_integrand_log;
		return power_nct_integrate(&f, -60, 60, q, cause);
	}
	return power_nct_integrate(&f, fmax(0, df - 60 * sqrt(2 * df)),
	    df + 60 * sqrt(2 * df) + 60, q, cause);
}

int abtest_power_means_power(double n, double delta, double sd, double alpha,
    int one_sided, double *power, char **cause)
{
	double df, c;

	if (!(n >= 2) || !(sd > 0) || !isfinite(delta) || !(alpha > 0 && alpha < 1)) {
		*cause = xasprintf("n must be at least 2, sd above 0, alpha in (0, 1)");
		return -1;
	}
	df = 2 * (n - 1);
	c = gsl_cdf_tdist_Qinv(one_sided ? alpha : alpha / 2, df);
	return power_nct_upper(c, df, sqrt(n / 2) * fabs(delta) / sd, power, cause);
}

int abtest_power_means_n(double delta, double sd, double alpha, double power,
    int one_sided, struct abtest_power_n *out, char **cause)
{
	double a = 2, b = 4, m, pw, za, zb;

	if (power_check(alpha, power, cause) != 0)
		return -1;
	if (!(delta != 0) || !isfinite(delta) || !(sd > 0)) {
		*cause = xasprintf("delta must be nonzero and sd above 0");
		return -1;
	}
	za = gsl_cdf_ugaussian_Qinv(one_sided ? alpha : alpha / 2);
	zb = gsl_cdf_ugaussian_Pinv(power);
	out->n_evanmiller = 2 * pow((za + zb) * sd / delta, 2);
	out->n_evanmiller_ceiling = ceil(out->n_evanmiller);
	do {
		if (abtest_power_means_power(b, delta, sd, alpha, one_sided, &pw, cause) != 0)
			return -1;
		if (pw >= power)
			break;
		a = b;
		b *= 2;
	} while (b < 1e15);
	for (int i = 0; i < 200 && b - a > 1e-10 * b; i++) {
		m = (a + b) / 2;
		if (abtest_power_means_power(m, delta, sd, alpha, one_sided, &pw, cause) != 0)
			return -1;
		if (pw < power)
			a = m;
		else
			b = m;
	}
	out->n_r = (a + b) / 2;
	out->n_r_ceiling = ceil(out->n_r);
	return 0;
}

int abtest_power_means_mde(double n, double sd, double alpha, double power,
    int one_sided, double *mde, char **cause)
{
	double a = 0, b = sd, m, pw;

	if (power_check(alpha, power, cause) != 0)
		return -1;
	if (!(n >= 2) || !(sd > 0)) {
		*cause = xasprintf("n must be at least 2 and sd above 0");
		return -1;
	}
	do {
		if (abtest_power_means_power(n, b, sd, alpha, one_sided, &pw, cause) != 0)
			return -1;
		if (pw >= power)
			break;
		a = b;
		b *= 2;
	} while (b < 1e15 * sd);
	for (int i = 0; i < 200 && b - a > 1e-12 * b; i++) {
		m = (a + b) / 2;
		if (abtest_power_means_power(n, m, sd, alpha, one_sided, &pw, cause) != 0)
			return -1;
		if (pw < power)
			a = m;
		else
			b = m;
	}
	*mde = (a + b) / 2;
	return 0;
}

int abtest_power_days(double n_per_arm, size_t arms, double daily_traffic,
    double *days, char **cause)
{
	if (!(n_per_arm > 0) || arms < 1 || !(daily_traffic > 0) ||
	    !isfinite(n_per_arm) || !isfinite(daily_traffic)) {
		*cause = xasprintf("n, arms and daily traffic must be above 0");
		return -1;
	}
	*days = ceil(ceil(n_per_arm) * (double)arms / daily_traffic);
	return 0;
}
