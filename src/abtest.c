/* Frequentist experiment statistics from per-arm sums. */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "abtest.h"
#include "xmalloc.h"

/* Relative accuracy the figures keep (the agreement with R asked of them). */
#define ABTEST_PRECISION 1e-9

void abtest_acc_init(struct abtest_acc *acc)
{
	acc->n = 0;
	acc->mean = acc->m2 = 0;
	acc->xmean = acc->xm2 = acc->cxy = 0;
}

void abtest_acc_add(struct abtest_acc *acc, double y)
{
	long double d;

	acc->n++;
	d = y - acc->mean;
	acc->mean += d / acc->n;
	acc->m2 += d * (y - acc->mean);
}

void abtest_acc_add_pair(struct abtest_acc *acc, double y, double x)
{
	long double dx = x - acc->xmean;

	abtest_acc_add(acc, y);
	acc->xmean += dx / acc->n;
	acc->xm2 += dx * (x - acc->xmean);
	/* Co-moment update uses the new metric mean and the old covariate one. */
	acc->cxy += dx * (y - acc->mean);
}

void abtest_acc_arm(const struct abtest_acc *acc, struct abtest_arm *arm)
{
	long double d;

	/* About the mean rounded to double: sum holds what the rounding left. */
	arm->n = acc->n;
	arm->shift = (double)acc->mean;
	d = acc->mean - arm->shift;
	arm->sum = (double)(acc->n * d);
	arm->sumsq = (double)(acc->m2 + acc->n * d * d);
}

void abtest_acc_cov_arm(const struct abtest_acc *acc, struct abtest_cov_arm *arm)
{
	long double n = acc->n, dy, dx;

	arm->n = acc->n;
	arm->shift = (double)acc->mean;
	arm->xshift = (double)acc->xmean;
	dy = acc->mean - arm->shift;
	dx = acc->xmean - arm->xshift;
	arm->sum = (double)(n * dy);
	arm->sumsq = (double)(acc->m2 + n * dy * dy);
	arm->xsum = (double)(n * dx);
	arm->xsumsq = (double)(acc->xm2 + n * dx * dx);
	arm->xysum = (double)(acc->cxy + n * dy * dx);
}

static void abtest_arm_set(struct abtest_arm *arm, double n, double mean, long double m2)
{
	long double ln = n, lm = mean;

	arm->n = n;
	if (ln * lm * lm <= ABTEST_RAW_LOSS * m2) {
		arm->shift = 0;
		arm->sum = (double)(ln * lm);
		arm->sumsq = (double)(m2 + ln * lm * lm);
		return;
	}
	arm->shift = mean;
	arm->sum = 0;
	arm->sumsq = (double)m2;
}

void abtest_arm_from_moments(struct abtest_arm *arm, double n, double mean, double sd)
{
	long double ls = sd;

	abtest_arm_set(arm, n, mean, (n - 1) * ls * ls);
}

void abtest_arm_from_centered(struct abtest_arm *arm, double n, double mean, double m2)
{
	abtest_arm_set(arm, n, mean, m2);
}

double abtest_arm_mean(const struct abtest_arm *arm)
{
	return arm->shift + arm->sum / arm->n;
}

double abtest_arm_diff(const struct abtest_arm *ctl, const struct abtest_arm *trt)
{
	return (trt->shift - ctl->shift) + (trt->sum / trt->n - ctl->sum / ctl->n);
}

/* mt / mc - 1; from the difference when the arms have references, as the
 * ratio of two means near 1e9 would keep only 7 of the lift's digits. */
static double abtest_lift(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    double mc, double mt)
{
	if (ctl->shift == 0 && trt->shift == 0)
		return mt / mc - 1;
	return abtest_arm_diff(ctl, trt) / mc;
}

void abtest_arm_merge(struct abtest_arm *a, const struct abtest_arm *b)
{
	long double ra, delta, n, m2, r, old;

	if (b->n == 0)
		return;
	if (a->n == 0 || a->shift == b->shift) {
		/* Sums about one reference add as they are. */
		if (a->n == 0)
			*a = (struct abtest_arm){ 0, 0, 0, b->shift };
		a->n += b->n;
		a->sum += b->sum;
		a->sumsq += b->sumsq;
		return;
	}
	/* Chan et al.: means relative to a's reference, so no 1e9 enters. */
	ra = (long double)a->sum / a->n;
	delta = ((long double)b->shift - a->shift) + (long double)b->sum / b->n - ra;
	n = (long double)a->n + b->n;
	m2 = a->sumsq - ra * a->sum + b->sumsq - (long double)b->sum * b->sum / b->n +
	    delta * delta * a->n * b->n / n;
	r = ra + delta * b->n / n;     /* the merged mean less a's reference */
	old = a->shift;
	a->shift = (double)(old + r);
	r = (old - a->shift) + r;
	a->n = (double)n;
	a->sum = (double)(n * r);
	a->sumsq = (double)(m2 + n * r * r);
}

int abtest_arm_check_precision(const struct abtest_arm *arm, const char *what,
    char **cause)
{
	long double ss = arm->sumsq - (long double)arm->sum * arm->sum / arm->n;

	/* Rounding of sumsq and sum^2 / n leaves about 2 eps sumsq in ss; an
	 * ss of 0 may be constant data or the whole spread cancelled, which
	 * sums alone cannot tell apart. */
	if (arm->n < 2 || arm->sumsq == 0 ||
	    (ss > 0 && 2 * DBL_EPSILON * arm->sumsq <= ABTEST_PRECISION * ss))
		return 0;
	*cause = xasprintf("%s: the sum of squares is too large beside the spread of the "
	    "values (cancellation would leave the variance wrong beyond 1e-9): give the "
	    "sums about a reference value near the mean (column shift)", what);
	return -1;
}

void abtest_arm_from_counts(struct abtest_arm *arm, double conversions, double n)
{
	arm->n = n;
	arm->sum = conversions;
	arm->sumsq = conversions;
	arm->shift = 0;
}

int abtest_arm_var(const struct abtest_arm *arm, double *var, char **cause)
{
	long double n = arm->n, s = arm->sum, ss;

	if (!(arm->n >= 2) || !isfinite(arm->sum) || !isfinite(arm->sumsq)) {
		*cause = xasprintf("an arm needs at least 2 finite observations");
		return -1;
	}
	ss = (long double)arm->sumsq - s * s / n;
	/* Rounding can leave a tiny negative sum of squares for constant data. */
	*var = ss > 0 ? (double)(ss / (n - 1)) : 0;
	return 0;
}

static int abtest_check_alpha(double alpha, char **cause)
{
	if (!(alpha > 0 && alpha < 1)) {
		*cause = xasprintf("alpha must be between 0 and 1");
		return -1;
	}
	return 0;
}

static int abtest_check_counts(const struct abtest_arm *a, char **cause)
{
	if (!(a->n >= 1) || !(a->sum >= 0) || a->sum > a->n || !isfinite(a->n) ||
	    floor(a->n) != a->n || floor(a->sum) != a->sum) {
		*cause = xasprintf("conversions must be whole numbers from 0 to n, "
		    "with n at least 1");
		return -1;
	}
	return 0;
}

/* Pearson chi-square of the 2x2 table, with Yates' correction when yates. */
static double abtest_chi2_2x2(const struct abtest_arm *c, const struct abtest_arm *t,
    int yates)
{
	double n = c->n + t->n, p = (c->sum + t->sum) / n;
	double obs[4] = { c->sum, c->n - c->sum, t->sum, t->n - t->sum };
	double ex[4] = { c->n * p, c->n * (1 - p), t->n * p, t->n * (1 - p) };
	double corr = 0, stat = 0;

	if (yates)
		corr = fmin(0.5, fabs(obs[0] - ex[0]));
	for (int i = 0; i < 4; i++) {
		/* A zero expected cell means a column of zeros: it adds nothing. */
		if (ex[i] > 0)
			stat += pow(fabs(obs[i] - ex[i]) - corr, 2) / ex[i];
	}
	return stat;
}

static void abtest_props_ci(const struct abtest_arm *c, const struct abtest_arm *t,
    double alpha, struct abtest_props_result *out)
{
	double p1 = out->rate_ctl, p2 = out->rate_trt, zq, zq1, yates, sn;

	out->diff_se = sqrt(p1 * (1 - p1) / c->n + p2 * (1 - p2) / t->n);
	zq = gsl_cdf_ugaussian_Qinv(alpha / 2);
	zq1 = gsl_cdf_ugaussian_Qinv(alpha);
	out->diff_ci[0] = fmax(out->diff - zq * out->diff_se, -1);
	out->diff_ci[1] = fmin(out->diff + zq * out->diff_se, 1);
	out->diff_lower = fmax(out->diff - zq1 * out->diff_se, -1);
	sn = 1 / c->n + 1 / t->n;
	yates = fmin(0.5, fabs(out->diff) / sn);
	out->diff_ci_yates[0] = fmax(out->diff - zq * out->diff_se - yates * sn, -1);
	out->diff_ci_yates[1] = fmin(out->diff + zq * out->diff_se + yates * sn, 1);

	out->lift_defined = p1 > 0;
	out->lift = out->lift_se = out->lift_ci[0] = out->lift_ci[1] = 0;
	if (!out->lift_defined)
		return;
	out->lift = p2 / p1 - 1;
	out->lift_se = sqrt(p2 * (1 - p2) / (p1 * p1 * t->n) +
	    p1 * (1 - p1) * p2 * p2 / (pow(p1, 4) * c->n));
	out->lift_ci[0] = out->lift - zq * out->lift_se;
	out->lift_ci[1] = out->lift + zq * out->lift_se;
}

int abtest_two_props(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    double alpha, struct abtest_props_result *out, char **cause)
{
	struct abtest_fisher_result f;
	double p, se0;

	if (abtest_check_alpha(alpha, cause) != 0 ||
	    abtest_check_counts(ctl, cause) != 0 || abtest_check_counts(trt, cause) != 0)
		return -1;
	out->test = "two-proportion z-test";
	out->rate_ctl = ctl->sum / ctl->n;
	out->rate_trt = trt->sum / trt->n;
	out->diff = out->rate_trt - out->rate_ctl;
	p = (ctl->sum + trt->sum) / (ctl->n + trt->n);
	se0 = sqrt(p * (1 - p) * (1 / ctl->n + 1 / trt->n));
	/* All or no conversions anywhere: the arms cannot differ. */
	out->z = se0 > 0 ? out->diff / se0 : 0;
	out->chi2 = abtest_chi2_2x2(ctl, trt, 0);
	out->chi2_yates = abtest_chi2_2x2(ctl, trt, 1);
	if (abtest_norm_upper(fabs(out->z), &out->p_value_z, cause) != 0 ||
	    abtest_norm_upper(out->z, &out->p_value_z_greater, cause) != 0 ||
	    abtest_chisq_upper(out->chi2, 1, &out->p_value_chi2, cause) != 0 ||
	    abtest_chisq_upper(out->chi2_yates, 1, &out->p_value_chi2_yates, cause) != 0)
		return -1;
	/* Past what the exact test takes, only it is dropped. */
	out->fisher_skipped = ctl->n + trt->n > ABTEST_FISHER_MAX_N ?
	    "over 4294967295 users in all" : NULL;
	f.p_value = f.p_value_greater = NAN;
	if (out->fisher_skipped == NULL && abtest_fisher(ctl, trt, alpha, &f, cause) != 0)
		return -1;
	out->p_value_z = fmin(1, 2 * out->p_value_z);
	out->p_value_fisher = f.p_value;
	out->p_value_fisher_greater = f.p_value_greater;
	abtest_props_ci(ctl, trt, alpha, out);
	return 0;
}

static int abtest_means_moments(const struct abtest_arm *ctl,
    const struct abtest_arm *trt, struct abtest_means_result *out, char **cause)
{
	double vc, vt;

	if (abtest_arm_var(ctl, &vc, cause) != 0 || abtest_arm_var(trt, &vt, cause) != 0)
		return -1;
	out->mean_ctl = abtest_arm_mean(ctl);
	out->mean_trt = abtest_arm_mean(trt);
	out->sd_ctl = sqrt(vc);
	out->sd_trt = sqrt(vt);
	out->diff = abtest_arm_diff(ctl, trt);
	return 0;
}

/* Fills t, p-values, CIs and the delta-method lift from diff_se and df. */
static int abtest_means_finish(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    double alpha, struct abtest_means_result *out, char **cause)
{
	double tq, tq1, mc = out->mean_ctl, mt = out->mean_trt;
	double vc = out->sd_ctl * out->sd_ctl, vt = out->sd_trt * out->sd_trt;

	if (!(out->diff_se > 0)) {
		*cause = xasprintf("data are essentially constant");
		return -1;
	}
	out->t = out->diff / out->diff_se;
	if (abtest_t_upper(fabs(out->t), out->df, &out->p_value, cause) != 0 ||
	    abtest_t_upper(out->t, out->df, &out->p_value_greater, cause) != 0)
		return -1;
	out->p_value = fmin(1, 2 * out->p_value);
	tq = gsl_cdf_tdist_Qinv(alpha / 2, out->df);
	tq1 = gsl_cdf_tdist_Qinv(alpha, out->df);
	if (!isfinite(tq) || !isfinite(tq1)) {
		*cause = xasprintf("numerical error: t quantile");
		return -1;
	}
	out->diff_ci[0] = out->diff - tq * out->diff_se;
	out->diff_ci[1] = out->diff + tq * out->diff_se;
	out->diff_lower = out->diff - tq1 * out->diff_se;
	out->lift_defined = mc != 0;
	out->lift = out->lift_se = out->lift_ci[0] = out->lift_ci[1] = 0;
	if (mc == 0)
		return 0;
	out->lift = abtest_lift(ctl, trt, mc, mt);
	out->lift_se = sqrt(vt / (mc * mc * trt->n) + vc * mt * mt / (pow(mc, 4) * ctl->n));
	out->lift_ci[0] = out->lift - tq * out->lift_se;
	out->lift_ci[1] = out->lift + tq * out->lift_se;
	return 0;
}

static double abtest_welch_df(double vc, double nc, double vt, double nt)
{
	double a = vc / nc, b = vt / nt;

	return (a + b) * (a + b) / (a * a / (nc - 1) + b * b / (nt - 1));
}

int abtest_welch(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    double alpha, struct abtest_means_result *out, char **cause)
{
	double vc, vt;

	if (abtest_check_alpha(alpha, cause) != 0 ||
	    abtest_means_moments(ctl, trt, out, cause) != 0)
		return -1;
	out->test = "Welch two-sample t-test";
	vc = out->sd_ctl * out->sd_ctl;
	vt = out->sd_trt * out->sd_trt;
	out->diff_se = sqrt(vc / ctl->n + vt / trt->n);
	out->df = out->diff_se > 0 ? abtest_welch_df(vc, ctl->n, vt, trt->n) : 0;
	return abtest_means_finish(ctl, trt, alpha, out, cause);
}

int abtest_student(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    double alpha, struct abtest_means_result *out, char **cause)
{
	double vc, vt, sp2;

	if (abtest_check_alpha(alpha, cause) != 0 ||
	    abtest_means_moments(ctl, trt, out, cause) != 0)
		return -1;
	out->test = "Student two-sample t-test";
	vc = out->sd_ctl * out->sd_ctl;
	vt = out->sd_trt * out->sd_trt;
	out->df = ctl->n + trt->n - 2;
	sp2 = ((ctl->n - 1) * vc + (trt->n - 1) * vt) / out->df;
	out->diff_se = sqrt(sp2 * (1 / ctl->n + 1 / trt->n));
	return abtest_means_finish(ctl, trt, alpha, out, cause);
}

int abtest_props_chi2(const struct abtest_arm *arms, size_t k,
    struct abtest_karm_result *out, char **cause)
{
	double x = 0, n = 0, p, e, stat = 0;

	if (k < 2) {
		*cause = xasprintf("need at least 2 arms");
		return -1;
	}
	for (size_t i = 0; i < k; i++) {
		if (abtest_check_counts(&arms[i], cause) != 0)
			return -1;
		x += arms[i].sum;
		n += arms[i].n;
	}
	p = x / n;
	for (size_t i = 0; i < k && p > 0 && p < 1; i++) {
		e = arms[i].n * p;
		stat += pow(arms[i].sum - e, 2) / e;
		e = arms[i].n * (1 - p);
		stat += pow(arms[i].n - arms[i].sum - e, 2) / e;
	}
	out->stat = stat;
	out->df1 = (double)(k - 1);
	out->df2 = 0;
	out->test = "Pearson chi-square";
	return abtest_chisq_upper(stat, out->df1, &out->p_value, cause);
}

static int abtest_karm_check(const struct abtest_arm *arms, size_t k, double min_n,
    char **cause)
{
	if (k < 2) {
		*cause = xasprintf("need at least 2 arms");
		return -1;
	}
	for (size_t i = 0; i < k; i++) {
		if (!(arms[i].n >= min_n)) {
			*cause = xasprintf("every arm needs at least %g observation%s", min_n,
			    min_n == 1 ? "" : "s");
			return -1;
		}
	}
	return 0;
}

int abtest_anova(const struct abtest_arm *arms, size_t k,
    struct abtest_karm_result *out, char **cause)
{
	long double n = 0, sum = 0, ssb = 0, ssw = 0, grand, m;
	double ref = k > 0 ? arms[0].shift : 0;

	if (abtest_karm_check(arms, k, 1, cause) != 0)
		return -1;
	/* Means relative to the first arm's reference keep their digits. */
	for (size_t i = 0; i < k; i++) {
		n += arms[i].n;
		sum += ((long double)arms[i].shift - ref) * arms[i].n + arms[i].sum;
	}
	grand = sum / n;
	for (size_t i = 0; i < k; i++) {
		m = (long double)arms[i].sum / arms[i].n;
		ssw += arms[i].sumsq - arms[i].n * m * m;
		m += (long double)arms[i].shift - ref;
		ssb += arms[i].n * (m - grand) * (m - grand);
	}
	if (n <= k || !(ssw > 0)) {
		*cause = xasprintf("no variation within arms");
		return -1;
	}
	out->df1 = (double)(k - 1);
	out->df2 = (double)(n - k);
	out->stat = (double)((ssb / out->df1) / (ssw / out->df2));
	out->test = "one-way ANOVA";
	return abtest_f_upper(out->stat, out->df1, out->df2, &out->p_value, cause);
}

/* Welch's weight n / var of arm i and its mean relative to the first arm. */
static int abtest_welch_weight(const struct abtest_arm *arms, size_t i, long double *w,
    long double *m, char **cause)
{
	double var;

	if (abtest_arm_var(&arms[i], &var, cause) != 0)
		return -1;
	if (!(var > 0)) {
		*cause = xasprintf("arm %zu has no variation: Welch's weights are undefined",
		    i + 1);
		return -1;
	}
	*w = arms[i].n / var;
	*m = abtest_arm_diff(&arms[0], &arms[i]);
	return 0;
}

int abtest_anova_welch(const struct abtest_arm *arms, size_t k,
    struct abtest_karm_result *out, char **cause)
{
	long double w, m, sw = 0, swm = 0, a = 0, b = 0, kk = k;

	if (abtest_karm_check(arms, k, 2, cause) != 0)
		return -1;
	for (size_t i = 0; i < k; i++) {
		if (abtest_welch_weight(arms, i, &w, &m, cause) != 0)
			return -1;
		sw += w;
		swm += w * m;
	}
	for (size_t i = 0; i < k; i++) {
		abtest_welch_weight(arms, i, &w, &m, cause);
		a += w * (m - swm / sw) * (m - swm / sw);
		b += (1 - w / sw) * (1 - w / sw) / (arms[i].n - 1);
	}
	b /= kk * kk - 1;
	out->df1 = (double)(k - 1);
	out->df2 = (double)(1 / (3 * b));
	out->stat = (double)(a / (kk - 1) / (1 + 2 * (kk - 2) * b));
	out->test = "Welch one-way ANOVA";
	return abtest_f_upper(out->stat, out->df1, out->df2, &out->p_value, cause);
}

int abtest_srm(const double *n, const double *alloc, size_t k,
    struct abtest_srm_result *out, char **cause)
{
	double total = 0, wsum = 0, e, w;

	if (k < 2) {
		*cause = xasprintf("need at least 2 arms");
		return -1;
	}
	for (size_t i = 0; i < k; i++) {
		w = alloc ? alloc[i] : 1;
		if (!(n[i] >= 0) || !isfinite(n[i]) || !(w > 0) || !isfinite(w)) {
			*cause = xasprintf("arm sizes must be >= 0 and allocations > 0");
			return -1;
		}
		total += n[i];
		wsum += w;
	}
	if (!(total > 0)) {
		*cause = xasprintf("no units assigned");
		return -1;
	}
	out->chi2 = 0;
	for (size_t i = 0; i < k; i++) {
		e = total * (alloc ? alloc[i] : 1) / wsum;
		out->chi2 += (n[i] - e) * (n[i] - e) / e;
	}
	out->df = (double)(k - 1);
	if (abtest_chisq_upper(out->chi2, out->df, &out->p_value, cause) != 0)
		return -1;
	out->verdict = out->p_value < 0.001 ? ABTEST_SRM_FLAG :
	    (out->p_value < 0.01 ? ABTEST_SRM_WARN : ABTEST_SRM_OK);
	out->verdict_name = (const char *[]){ "ok", "warn", "flag" }[out->verdict];
	return 0;
}

static const double *abtest_sort_p;

static int abtest_cmp_index(const void *a, const void *b)
{
	double x = abtest_sort_p[*(const size_t *)a], y = abtest_sort_p[*(const size_t *)b];

	if (x != y)
		return x < y ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

int abtest_p_adjust(const double *p, size_t m, enum abtest_adjust method,
    double *out, char **cause)
{
	size_t *ord;
	double *adj, run, v;

	for (size_t i = 0; i < m; i++) {
		if (!(p[i] >= 0 && p[i] <= 1)) {
			*cause = xasprintf("p-values must be between 0 and 1");
			return -1;
		}
	}
	ord = xcalloc(m ? m : 1, sizeof *ord);
	adj = xcalloc(m ? m : 1, sizeof *adj);
	for (size_t i = 0; i < m; i++)
		ord[i] = i;
	abtest_sort_p = p;
	qsort(ord, m, sizeof *ord, abtest_cmp_index);
	if (method == ABTEST_ADJUST_HOLM) {
		/* Step down: running maximum of (m - i) p_(i). */
		run = 0;
		for (size_t i = 0; i < m; i++) {
			v = fmin(1, (double)(m - i) * p[ord[i]]);
			run = fmax(run, v);
			adj[ord[i]] = run;
		}
	} else {
		/* Step up: running minimum of m / i p_(i) from the largest. */
		run = 1;
		for (size_t i = m; i-- > 0;) {
			v = (double)m / (double)(i + 1) * p[ord[i]];
			run = fmin(run, v);
			adj[ord[i]] = run;
		}
	}
	for (size_t i = 0; i < m; i++)
		out[i] = adj[i];
	free(adj);
	free(ord);
	return 0;
}

static int abtest_noninf_finish(double margin, double alpha,
    struct abtest_noninf_result *out, char **cause)
{
	double q;

	out->stat = (out->diff + margin) / out->se;
	if (out->df > 0) {
		if (abtest_t_upper(out->stat, out->df, &out->p_value, cause) != 0)
			return -1;
		q = gsl_cdf_tdist_Qinv(alpha, out->df);
	} else {
		if (abtest_norm_upper(out->stat, &out->p_value, cause) != 0)
			return -1;
		q = gsl_cdf_ugaussian_Qinv(alpha);
	}
	out->lower = out->diff - q * out->se;
	out->non_inferior = out->p_value < alpha;
	return 0;
}

int abtest_noninf_props(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    double margin, double alpha, struct abtest_noninf_result *out, char **cause)
{
	double p1, p2;

	if (abtest_check_alpha(alpha, cause) != 0 ||
	    abtest_check_counts(ctl, cause) != 0 || abtest_check_counts(trt, cause) != 0)
		return -1;
	if (!(margin >= 0) || !isfinite(margin)) {
		*cause = xasprintf("margin must be >= 0");
		return -1;
	}
	p1 = ctl->sum / ctl->n;
	p2 = trt->sum / trt->n;
	out->diff = p2 - p1;
	out->se = sqrt(p1 * (1 - p1) / ctl->n + p2 * (1 - p2) / trt->n);
	out->df = 0;
	if (!(out->se > 0)) {
		*cause = xasprintf("both rates are 0 or 1: no variance");
		return -1;
	}
	return abtest_noninf_finish(margin, alpha, out, cause);
}

int abtest_noninf_means(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    double margin, double alpha, struct abtest_noninf_result *out, char **cause)
{
	struct abtest_means_result w;

	if (!(margin >= 0) || !isfinite(margin)) {
		*cause = xasprintf("margin must be >= 0");
		return -1;
	}
	if (abtest_welch(ctl, trt, alpha, &w, cause) != 0)
		return -1;
	out->diff = w.diff;
	out->se = w.diff_se;
	out->df = w.df;
	return abtest_noninf_finish(margin, alpha, out, cause);
}

static int abtest_effect_moments(const struct abtest_arm *a, enum abtest_metric metric,
    double *mean, double *var, char **cause)
{
	if (!(a->n >= 2)) {
		*cause = xasprintf("an arm needs at least 2 observations");
		return -1;
	}
	*mean = abtest_arm_mean(a);
	if (metric == ABTEST_PROPORTION) {
		*var = *mean * (1 - *mean);
		return 0;
	}
	return abtest_arm_var(a, var, cause);
}

int abtest_effect(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    enum abtest_metric metric, int relative, struct abtest_effect *out, char **cause)
{
	double mc, mt, vc, vt;

	if (abtest_effect_moments(ctl, metric, &mc, &vc, cause) != 0 ||
	    abtest_effect_moments(trt, metric, &mt, &vt, cause) != 0)
		return -1;
	out->mean_ctl = mc;
	out->mean_trt = mt;
	if (!(vc / ctl->n + vt / trt->n > 0)) {
		*cause = xasprintf("data are essentially constant");
		return -1;
	}
	out->df = abtest_welch_df(vc, ctl->n, vt, trt->n);
	if (!relative) {
		out->estimate = abtest_arm_diff(ctl, trt);
		out->var = vt / trt->n + vc / ctl->n;
		return 0;
	}
	if (mc == 0) {
		*cause = xasprintf("the control mean is 0: no relative lift");
		return -1;
	}
	out->estimate = abtest_lift(ctl, trt, mc, mt);
	out->var = vt / (mc * mc * trt->n) + vc * mt * mt / (pow(mc, 4) * ctl->n);
	return 0;
}

int abtest_effect_ttest(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    enum abtest_metric metric, int relative, double alpha,
    struct abtest_ttest_result *out, char **cause)
{
	struct abtest_effect e;
	double tq;

	if (abtest_check_alpha(alpha, cause) != 0 ||
	    abtest_effect(ctl, trt, metric, relative, &e, cause) != 0)
		return -1;
	out->estimate = e.estimate;
	out->se = sqrt(e.var);
	out->df = e.df;
	tq = gsl_cdf_tdist_Qinv(alpha / 2, e.df);
	out->ci[0] = e.estimate - tq * out->se;
	out->ci[1] = e.estimate + tq * out->se;
	if (abtest_t_upper(fabs(e.estimate / out->se), e.df, &out->p_value, cause) != 0)
		return -1;
	out->p_value = fmin(1, 2 * out->p_value);
	return 0;
}
