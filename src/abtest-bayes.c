/* Bayesian summaries: Beta-Binomial for rates, Gaussian for effects. */
#include "config.h"

#include <float.h>
#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>

#include "abtest.h"
#include "xmalloc.h"

/* Below this b1 the terms of the sum decay too slowly to normalise. */
#define BAYES_NORMALISE 50

static int bayes_lnbeta(double a, double b, double *out, char **cause)
{
	gsl_sf_result r;
	int status = gsl_sf_lnbeta_e(a, b, &r);

	if (status != GSL_SUCCESS) {
		*cause = xasprintf("numerical error: %s", gsl_strerror(status));
		return -1;
	}
	*out = r.val;
	return 0;
}

/* log of term i of Evan Miller's sum for P(Y > X), Y ~ Beta(a2, b2),
 * X ~ Beta(a1, b1): B(a1 + i, b1 + b2) / ((b2 + i) B(1 + i, b2) B(a1, b1)). */
static int bayes_term(double a1, double b1, double b2, double i, long double *out,
    char **cause)
{
	double l1, l2, l3;

	if (bayes_lnbeta(a1 + i, b1 + b2, &l1, cause) != 0 ||
	    bayes_lnbeta(1 + i, b2, &l2, cause) != 0 ||
	    bayes_lnbeta(a1, b1, &l3, cause) != 0)
		return -1;
	*out = (long double)l1 - l2 - l3 - logl(b2 + i);
	return 0;
}

/* log of term i + 1 over term i. */
static long double bayes_ratio(double a1, double b1, double b2, double i)
{
	return logl((a1 + i) * (long double)(b2 + i)) -
	    logl((a1 + b1 + b2 + i) * (long double)(i + 1));
}

/* Walks from the mode down to lo and up to hi (which may be infinite),
 * adding the terms relative to the mode's into below (i < a2) or above.
 * The terms are unimodal: a direction ends once they fall under e^-60 of
 * the first term of the last region reached, or under e^-1200 of the mode,
 * past which nothing shows in a double. */
static void bayes_walk(const double *ab, double mode, double lo, double hi, double a2,
    long double *below, long double *above)
{
	long double l, stop;
	double i;
	int ahead;

	*below = mode < a2 ? 1 : 0;
	*above = mode < a2 ? 0 : 1;
	for (int dir = -1; dir <= 1; dir += 2) {
		/* Is the boundary between a2 - 1 and a2 still to be crossed? */
		ahead = dir < 0 ? mode >= a2 : mode < a2;
		stop = ahead ? -1200 : -60;
		for (i = mode, l = 0; dir < 0 ? i > lo : i < hi;) {
			l += dir > 0 ? bayes_ratio(ab[0], ab[1], ab[2], i) :
			    -bayes_ratio(ab[0], ab[1], ab[2], i - 1);
			i += dir;
			if (ahead && (i < a2) == (dir < 0)) {
				ahead = 0;
				stop = fmaxl(l - 60, -1200);
			}
			if (l < stop)
				break;
			*(i < a2 ? below : above) += expl(l);
		}
	}
}

/* P(Y > X) as Evan Miller's sum of terms t_i over i < a2 (a2 a whole
 * number). The ratio of neighbouring terms exceeds 1 exactly while
 * i < (a1 b2 - a1 - b1 - b2) / (b1 + 1), which locates the mode. The t_i
 * do not depend on a2 and sum to 1 over all i, so when they decay fast
 * (b1 large) the sum is normalised by its whole: that cancels the error of
 * the log-beta values, which grows with the counts. */
static int bayes_sum(double a1, double b1, double a2, double b2, double *p,
    char **cause)
{
	const double ab[3] = { a1, b1, b2 };
	long double below, above, l;
	double mode = fmax(0, ceil((a1 * b2 - a1 - b1 - b2) / (b1 + 1)));

	if (b1 >= BAYES_NORMALISE) {
		bayes_walk(ab, mode, 0, INFINITY, a2, &below, &above);
		*p = (double)(below / (below + above));
		return 0;
	}
	mode = fmin(mode, a2 - 1);
	if (bayes_term(a1, b1, b2, mode, &l, cause) != 0)
		return -1;
	bayes_walk(ab, mode, 0, a2 - 1, a2, &below, &above);
	*p = fmin(1, fmax(0, (double)(expl(l) * below)));
	return 0;
}

/* P(Y > X), from the complement when it is the smaller: the sum is good to
 * about 1e-13 relative, which keeps small probabilities exact. */
static int bayes_prob_greater(double a1, double b1, double a2, double b2, double *p,
    char **cause)
{
	double q;

	if (bayes_sum(a1, b1, a2, b2, p, cause) != 0)
		return -1;
	if (*p <= 0.5)
		return 0;
	if (bayes_sum(a2, b2, a1, b1, &q, cause) != 0)
		return -1;
	*p = 1 - q;
	return 0;
}

static int bayes_check(const struct abtest_arm *a, double pa, double pb, char **cause)
{
	if (!(a->n >= 1) || !(a->sum >= 0) || a->sum > a->n || floor(a->sum) != a->sum ||
	    floor(a->n) != a->n || !isfinite(a->n)) {
		*cause = xasprintf("conversions must be whole numbers from 0 to n");
		return -1;
	}
	if (!(pa >= 1) || !(pb >= 1) || floor(pa) != pa || floor(pb) != pb) {
		*cause = xasprintf("prior parameters must be whole numbers >= 1");
		return -1;
	}
	return 0;
}

/* Beta quantile by bisection on the incomplete beta: gsl_cdf_beta_Pinv
 * fails or never returns for parameters in the thousands and millions. */
static int bayes_beta_quantile(double p, double a, double b, double *x, char **cause)
{
	double lo = 0, hi = 1, m, v;

	for (int i = 0; i < 1100; i++) {
		m = lo + (hi - lo) / 2;
		if (hi - lo <= 4 * DBL_EPSILON * m)
			break;
		if (abtest_beta_inc(a, b, m, &v, cause) != 0)
			return -1;
		if (v < p)
			lo = m;
		else
			hi = m;
	}
	*x = lo + (hi - lo) / 2;
	return 0;
}

static int bayes_interval(double a, double b, double alpha, double *ci, char **cause)
{
	if (bayes_beta_quantile(alpha / 2, a, b, &ci[0], cause) != 0 ||
	    bayes_beta_quantile(1 - alpha / 2, a, b, &ci[1], cause) != 0)
		return -1;
	return 0;
}

int abtest_beta_binomial(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    double prior_a, double prior_b, double alpha, struct abtest_beta_result *out,
    char **cause)
{
	double a1, b1, a2, b2, p1, p2;

	if (bayes_check(ctl, prior_a, prior_b, cause) != 0 ||
	    bayes_check(trt, prior_a, prior_b, cause) != 0)
		return -1;
	if (!(alpha > 0 && alpha < 1)) {
		*cause = xasprintf("alpha must be between 0 and 1");
		return -1;
	}
	a1 = prior_a + ctl->sum;
	b1 = prior_b + ctl->n - ctl->sum;
	a2 = prior_a + trt->sum;
	b2 = prior_b + trt->n - trt->sum;
	if (bayes_prob_greater(a1, b1, a2, b2, &out->prob_beat, cause) != 0)
		return -1;
	/* E[max(X - Y, 0)] = E[X] P(X' > Y) - E[Y] P(X > Y'), where a prime
	 * adds one to the first beta parameter (the size-biased law). */
	if (bayes_prob_greater(a2, b2, a1 + 1, b1, &p1, cause) != 0 ||
	    bayes_prob_greater(a2 + 1, b2, a1, b1, &p2, cause) != 0)
		return -1;
	out->loss_trt = fmax(0, a1 / (a1 + b1) * p1 - a2 / (a2 + b2) * p2);
	if (bayes_prob_greater(a1, b1, a2 + 1, b2, &p1, cause) != 0 ||
	    bayes_prob_greater(a1 + 1, b1, a2, b2, &p2, cause) != 0)
		return -1;
	out->loss_ctl = fmax(0, a2 / (a2 + b2) * p1 - a1 / (a1 + b1) * p2);
	if (bayes_interval(a1, b1, alpha, out->ci_ctl, cause) != 0 ||
	    bayes_interval(a2, b2, alpha, out->ci_trt, cause) != 0)
		return -1;
	return 0;
}

int abtest_gauss_bayes(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    enum abtest_metric metric, int relative, const struct abtest_gauss_prior *prior,
    double alpha, struct abtest_gauss_result *out, char **cause)
{
	struct abtest_effect e;
	double prec, mean, sd, z, q, pdf;

	if (!(alpha > 0 && alpha < 1)) {
		*cause = xasprintf("alpha must be between 0 and 1");
		return -1;
	}
	if (prior && prior->proper && !(prior->var > 0)) {
		*cause = xasprintf("the prior variance must be above 0");
		return -1;
	}
	if (abtest_effect(ctl, trt, metric, relative, &e, cause) != 0)
		return -1;
	mean = e.estimate;
	prec = 1 / e.var;
	if (prior && prior->proper) {
		mean = (prior->mean / prior->var + e.estimate / e.var) /
		    (1 / prior->var + 1 / e.var);
		prec += 1 / prior->var;
	}
	sd = 1 / sqrt(prec);
	out->estimate = mean;
	out->sd = sd;
	q = gsl_cdf_ugaussian_Qinv(alpha / 2);
	out->ci[0] = mean - q * sd;
	out->ci[1] = mean + q * sd;
	z = mean / sd;
	if (abtest_norm_upper(-z, &out->chance_to_win, cause) != 0 ||
	    abtest_norm_upper(z, &q, cause) != 0)
		return -1;
	/* Normal partial expectations: E[max(D, 0)] and E[max(-D, 0)]. */
	pdf = exp(-z * z / 2) / sqrt(2 * M_PI);
	out->risk_ctl = fmax(0, mean * out->chance_to_win + sd * pdf);
	out->risk_trt = fmax(0, -mean * q + sd * pdf);
	return 0;
}
