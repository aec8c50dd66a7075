/* Experiment statistics against R (tests/fixtures/ab_reference.json and
 * ab_extra.json), GrowthBook's gbstats test vectors and published figures
 * for the Hillstrom and Cookie Cats experiments. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <gsl/gsl_errno.h>

#include "abtest.h"
#include "cutest.h"
#include "xmalloc.h"

#define CLOSED 1e-9             /* closed forms against R */
#define ROOT 1e-4               /* values R finds with uniroot */

static cJSON *ref, *extra;

static cJSON *test_get(const cJSON *obj, const char *key)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (v == NULL) {
		fprintf(stderr, "fixture key %s missing\n", key);
		exit(99);
	}
	return v;
}

static double test_num(const cJSON *obj, const char *key)
{
	cJSON *v = test_get(obj, key);

	if (cJSON_IsArray(v))
		v = cJSON_GetArrayItem(v, 0);
	if (cJSON_IsString(v))
		return strcmp(v->valuestring, "Inf") == 0 ? INFINITY :
		    (strcmp(v->valuestring, "-Inf") == 0 ? -INFINITY : NAN);
	return v->valuedouble;
}

static double test_at(const cJSON *obj, const char *key, int i)
{
	cJSON *v = cJSON_GetArrayItem(test_get(obj, key), i);

	if (cJSON_IsString(v))
		return strcmp(v->valuestring, "Inf") == 0 ? INFINITY :
		    (strcmp(v->valuestring, "-Inf") == 0 ? -INFINITY : NAN);
	return v->valuedouble;
}

/* Agreement to the digits printed: |a - e| within half a unit of the
 * last printed decimal place. */
#define CU_ASSERT_DIGITS(actual, expected, places) \
	CU_ASSERT(fabs((double)(actual) - (double)(expected)) <= \
	    0.5000001 * pow(10, -(places)))

/* Agreement to sig significant digits. */
#define CU_ASSERT_SIG(actual, expected, sig) \
	CU_ASSERT(fabs((double)(actual) - (double)(expected)) <= \
	    0.5000001 * pow(10, floor(log10(fabs((double)(expected)))) - (sig) + 1))

static void test_no_nan_props(const struct abtest_props_result *r)
{
	const double v[] = { r->z, r->p_value_z, r->p_value_z_greater, r->chi2,
	    r->p_value_chi2, r->chi2_yates, r->p_value_chi2_yates, r->p_value_fisher,
	    r->p_value_fisher_greater, r->diff, r->diff_se, r->diff_ci[0], r->diff_ci[1],
	    r->diff_ci_yates[0], r->diff_ci_yates[1], r->diff_lower, r->lift, r->lift_se,
	    r->lift_ci[0], r->lift_ci[1] };

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		CU_ASSERT(isfinite(v[i]));
	CU_ASSERT(r->p_value_z >= 0 && r->p_value_z <= 1);
	CU_ASSERT(r->p_value_fisher >= 0 && r->p_value_fisher <= 1);
}

static void test_props_scenario(const cJSON *s)
{
	struct abtest_arm a, b;
	struct abtest_props_result r;
	struct abtest_fisher_result f;
	const cJSON *u = test_get(s, "prop_test_uncorrected");
	const cJSON *c = test_get(s, "prop_test_corrected");
	const cJSON *l = test_get(s, "prop_test_uncorrected_less");
	const cJSON *fi = test_get(s, "fisher_test"), *fl = test_get(s, "fisher_test_less");
	char *cause = NULL;

	abtest_arm_from_counts(&a, test_at(s, "conversions", 0), test_at(s, "n", 0));
	abtest_arm_from_counts(&b, test_at(s, "conversions", 1), test_at(s, "n", 1));
	CU_ASSERT_FATAL(abtest_two_props(&a, &b, 0.05, &r, &cause) == 0);
	test_no_nan_props(&r);
	CU_ASSERT_REL(r.chi2, test_num(u, "statistic"), CLOSED);
	CU_ASSERT_REL(r.z * r.z, test_num(u, "statistic"), CLOSED);
	CU_ASSERT_REL(r.p_value_z, test_num(u, "p_value"), CLOSED);
	CU_ASSERT_REL(r.p_value_chi2, test_num(u, "p_value"), CLOSED);
	CU_ASSERT_REL(r.chi2, test_num(test_get(s, "chisq_test_uncorrected"), "statistic"), CLOSED);
	CU_ASSERT_REL(r.chi2_yates, test_num(c, "statistic"), CLOSED);
	CU_ASSERT_REL(r.p_value_chi2_yates, test_num(c, "p_value"), CLOSED);
	CU_ASSERT_REL(r.p_value_chi2_yates,
	    test_num(test_get(s, "chisq_test_corrected"), "p_value"), CLOSED);
	/* R's intervals are for A - B; ours for B - A. */
	CU_ASSERT_REL(r.diff_ci[0], -test_at(u, "conf_int", 1), CLOSED);
	CU_ASSERT_REL(r.diff_ci[1], -test_at(u, "conf_int", 0), CLOSED);
	CU_ASSERT_REL(r.diff_ci_yates[0], -test_at(c, "conf_int", 1), CLOSED);
	CU_ASSERT_REL(r.diff_ci_yates[1], -test_at(c, "conf_int", 0), CLOSED);
	CU_ASSERT_REL(r.p_value_z_greater, test_num(l, "p_value"), CLOSED);
	CU_ASSERT_REL(r.diff_lower, -test_at(l, "conf_int", 1), CLOSED);
	CU_ASSERT_REL(r.p_value_fisher, test_num(fi, "p_value"), CLOSED);
	CU_ASSERT_REL(r.p_value_fisher_greater, test_num(fl, "p_value"), CLOSED);
	/* Odds ratio: R reports control over treatment. */
	CU_ASSERT_FATAL(abtest_fisher(&a, &b, 0.05, &f, &cause) == 0);
	CU_ASSERT_REL(1 / f.odds_ratio, test_num(fi, "estimate"), ROOT);
	CU_ASSERT_REL(1 / f.ci[1], test_at(fi, "conf_int", 0), ROOT);
	CU_ASSERT_REL(1 / f.ci[0], test_at(fi, "conf_int", 1), ROOT);
	CU_ASSERT_REL(1 / f.lower, test_at(fl, "conf_int", 1), ROOT);
	CU_ASSERT_EQUAL(f.odds_exact, 1);
	CU_ASSERT_REL(r.rate_ctl, test_at(u, "estimate", 0), CLOSED);
	CU_ASSERT_REL(r.rate_trt, test_at(u, "estimate", 1), CLOSED);
}

static void test_r_props(void)
{
	const cJSON *s;
	int n = 0;

	cJSON_ArrayForEach(s, test_get(ref, "proportions")) {
		test_props_scenario(s);
		n++;
	}
	CU_ASSERT_EQUAL(n, 5);
}

static void test_r_three_arms(void)
{
	const cJSON *t = test_get(ref, "three_arm");
	const cJSON *chi = test_get(t, "chisq_test"), *pt = test_get(t, "prop_test");
	struct abtest_arm arms[3];
	struct abtest_karm_result r;
	struct abtest_fisher_result f;
	double p;
	char *cause = NULL;

	for (int i = 0; i < 3; i++)
		abtest_arm_from_counts(&arms[i], test_at(t, "conversions", i), test_at(t, "n", i));
	CU_ASSERT_FATAL(abtest_props_chi2(arms, 3, &r, &cause) == 0);
	CU_ASSERT_REL(r.stat, test_num(chi, "statistic"), CLOSED);
	CU_ASSERT_REL(r.df1, test_num(chi, "parameter"), CLOSED);
	CU_ASSERT_REL(r.p_value, test_num(chi, "p_value"), CLOSED);
	CU_ASSERT_REL(r.stat, test_num(pt, "statistic"), CLOSED);
	CU_ASSERT_REL(r.p_value, test_num(pt, "p_value"), CLOSED);
	CU_ASSERT_FATAL(abtest_fisher_k(arms, 3, 1e7, NULL, &p, &cause) == 0);
	CU_ASSERT_REL(p, test_num(test_get(t, "fisher_test"), "p_value"), CLOSED);
	/* Two arms: the same p as the 2x2 test. */
	CU_ASSERT_FATAL(abtest_fisher_k(arms, 2, 1e7, NULL, &p, &cause) == 0);
	CU_ASSERT_FATAL(abtest_fisher(&arms[0], &arms[1], 0.05, &f, &cause) == 0);
	CU_ASSERT_REL(p, f.p_value, CLOSED);
	CU_ASSERT(abtest_fisher_k(arms, 3, 1000, NULL, &p, &cause) == -1);
	free(cause);
}

static void test_raw_arm(const cJSON *values, struct abtest_arm *arm)
{
	struct abtest_acc acc;
	const cJSON *v;

	abtest_acc_init(&acc);
	cJSON_ArrayForEach(v, values)
		abtest_acc_add(&acc, v->valuedouble);
	abtest_acc_arm(&acc, arm);
}

static void test_means_scenario(const cJSON *s)
{
	struct abtest_arm a, b;
	struct abtest_means_result w, st;
	const cJSON *wt = test_get(s, "t_test_welch"), *wl = test_get(s, "t_test_welch_less");
	const cJSON *sr = test_get(s, "t_test_student");
	char *cause = NULL;

	test_raw_arm(test_get(s, "a"), &a);
	test_raw_arm(test_get(s, "b"), &b);
	CU_ASSERT_FATAL(abtest_welch(&a, &b, 0.05, &w, &cause) == 0);
	CU_ASSERT_REL(w.mean_ctl, test_at(s, "mean", 0), CLOSED);
	CU_ASSERT_REL(w.mean_trt, test_at(s, "mean", 1), CLOSED);
	CU_ASSERT_REL(w.sd_ctl, test_at(s, "sd", 0), CLOSED);
	CU_ASSERT_REL(w.sd_trt, test_at(s, "sd", 1), CLOSED);
	CU_ASSERT_REL(w.t, -test_num(wt, "statistic"), CLOSED);
	CU_ASSERT_REL(w.df, test_num(wt, "parameter"), CLOSED);
	CU_ASSERT_REL(w.p_value, test_num(wt, "p_value"), CLOSED);
	CU_ASSERT_REL(w.diff_ci[0], -test_at(wt, "conf_int", 1), CLOSED);
	CU_ASSERT_REL(w.diff_ci[1], -test_at(wt, "conf_int", 0), CLOSED);
	CU_ASSERT_REL(w.p_value_greater, test_num(wl, "p_value"), CLOSED);
	CU_ASSERT_REL(w.diff_lower, -test_at(wl, "conf_int", 1), CLOSED);
	CU_ASSERT_FATAL(abtest_student(&a, &b, 0.05, &st, &cause) == 0);
	CU_ASSERT_REL(st.t, -test_num(sr, "statistic"), CLOSED);
	CU_ASSERT_REL(st.df, test_num(sr, "parameter"), CLOSED);
	CU_ASSERT_REL(st.p_value, test_num(sr, "p_value"), CLOSED);
	CU_ASSERT_REL(st.diff_ci[0], -test_at(sr, "conf_int", 1), CLOSED);
	CU_ASSERT_REL(st.diff_ci[1], -test_at(sr, "conf_int", 0), CLOSED);
}

static void test_r_means(void)
{
	const cJSON *s;
	int n = 0;

	cJSON_ArrayForEach(s, test_get(ref, "revenue")) {
		test_means_scenario(s);
		n++;
	}
	CU_ASSERT_EQUAL(n, 3);
}

static void test_r_power_props(void)
{
	const cJSON *s;
	struct abtest_power_n pn;
	double pw;
	char *cause = NULL;
	int one, n = 0;

	cJSON_ArrayForEach(s, test_get(ref, "power_prop_test")) {
		one = strcmp(test_get(s, "alternative")->valuestring, "one.sided") == 0;
		if (strcmp(test_get(s, "id")->valuestring, "power_given_n5000") == 0) {
			CU_ASSERT_FATAL(abtest_power_props_power(test_num(s, "p1"),
			    test_num(s, "p2"), test_num(s, "n"), test_num(s, "sig_level"),
			    one, &pw, &cause) == 0);
			CU_ASSERT_REL(pw, test_num(s, "power"), CLOSED);
			continue;
		}
		CU_ASSERT_FATAL(abtest_power_props_n(test_num(s, "p1"), test_num(s, "p2"),
		    test_num(s, "sig_level"), test_num(s, "power"), one, &pn, &cause) == 0);
		CU_ASSERT_REL(pn.n_r, test_num(s, "n"), ROOT);
		CU_ASSERT_EQUAL(pn.n_r_ceiling, test_num(s, "n_ceiling"));
		CU_ASSERT(pn.n_evanmiller > 0);
		n++;
	}
	CU_ASSERT_EQUAL(n, 5);
}

static void test_r_power_means(void)
{
	const cJSON *s;
	struct abtest_power_n pn;
	double pw;
	char *cause = NULL;

	cJSON_ArrayForEach(s, test_get(ref, "power_t_test")) {
		if (strcmp(test_get(s, "id")->valuestring, "n1000_delta2_sd15") == 0) {
			CU_ASSERT_FATAL(abtest_power_means_power(test_num(s, "n"),
			    test_num(s, "delta"), test_num(s, "sd"), test_num(s, "sig_level"),
			    0, &pw, &cause) == 0);
			CU_ASSERT_REL(pw, test_num(s, "power"), CLOSED);
			continue;
		}
		CU_ASSERT_FATAL(abtest_power_means_n(test_num(s, "delta"), test_num(s, "sd"),
		    test_num(s, "sig_level"), test_num(s, "power"), 0, &pn, &cause) == 0);
		CU_ASSERT_REL(pn.n_r, test_num(s, "n"), ROOT);
		CU_ASSERT_EQUAL(pn.n_r_ceiling, ceil(test_num(s, "n")));
	}
}

static void test_extra_power(void)
{
	const cJSON *p = test_get(extra, "power"), *s;
	struct abtest_power_n pn;
	double v;
	char *cause = NULL;

	s = test_get(p, "t_d2_sd10_p90_a01");
	CU_ASSERT_FATAL(abtest_power_means_n(2, 10, 0.01, 0.9, 0, &pn, &cause) == 0);
	CU_ASSERT_REL(pn.n_r, test_num(s, "n"), ROOT);
	CU_ASSERT_EQUAL(pn.n_r_ceiling, test_num(s, "n_ceiling"));
	s = test_get(p, "t_d1_sd3_p80_one_sided");
	CU_ASSERT_FATAL(abtest_power_means_n(1, 3, 0.05, 0.8, 1, &pn, &cause) == 0);
	CU_ASSERT_REL(pn.n_r, test_num(s, "n"), ROOT);
	CU_ASSERT_EQUAL(pn.n_r_ceiling, test_num(s, "n_ceiling"));
	CU_ASSERT_FATAL(abtest_power_means_power(20, 1, 2, 0.05, 0, &v, &cause) == 0);
	CU_ASSERT_REL(v, test_num(p, "t_power_n20_d1_sd2"), CLOSED);
	CU_ASSERT_FATAL(abtest_power_props_mde(0.03, 5000, 0.05, 0.8, 0, &v, &cause) == 0);
	CU_ASSERT(fabs(v - test_num(p, "prop_mde_n5000_p03_p80")) <= 1.22e-4);
	CU_ASSERT_REL(v, test_num(p, "prop_mde_n5000_p03_p80_exact"), CLOSED);
	/* The MDE for the n that power.t.test gives back is the delta. */
	CU_ASSERT_FATAL(abtest_power_means_mde(1005.61787009, 40, 0.05, 0.8, 0, &v, &cause) == 0);
	CU_ASSERT_REL(v, 5, ROOT);
	/* Evan Miller: baseline 2% to 2.5%, 80% power, 5% two-sided:
	 * (1.959964 sqrt(2 .02 .98) + .841621 sqrt(.02 .98 + .025 .975))^2 / .005^2. */
	CU_ASSERT_FATAL(abtest_power_props_n(0.02, 0.025, 0.05, 0.8, 0, &pn, &cause) == 0);
	CU_ASSERT_REL(pn.n_evanmiller, 12748.346065105, 1e-10);
	CU_ASSERT_EQUAL(pn.n_evanmiller_ceiling, 12749);
	CU_ASSERT_FATAL(abtest_power_days(13809, 2, 1000, &v, &cause) == 0);
	CU_ASSERT_EQUAL(v, 28);
	CU_ASSERT_FATAL(abtest_power_days(13809, 3, 41427, &v, &cause) == 0);
	CU_ASSERT_EQUAL(v, 1);
	CU_ASSERT(abtest_power_days(100, 2, 0, &v, &cause) == -1);
	free(cause);
}

static void test_extra_huge(void)
{
	const cJSON *s;
	struct abtest_arm a, b;
	struct abtest_props_result r;
	char *cause = NULL;

	cJSON_ArrayForEach(s, test_get(extra, "huge")) {
		abtest_arm_from_counts(&a, test_at(s, "conversions", 0), test_at(s, "n", 0));
		abtest_arm_from_counts(&b, test_at(s, "conversions", 1), test_at(s, "n", 1));
		CU_ASSERT_FATAL(abtest_two_props(&a, &b, 0.05, &r, &cause) == 0);
		test_no_nan_props(&r);
		CU_ASSERT_REL(r.chi2, test_num(s, "chi2"), CLOSED);
		CU_ASSERT_REL(r.chi2_yates, test_num(s, "chi2_yates"), CLOSED);
		CU_ASSERT_REL(r.p_value_z, test_num(s, "p_value"), CLOSED);
		CU_ASSERT_REL(r.p_value_chi2, test_num(s, "p_value"), CLOSED);
		CU_ASSERT_REL(r.p_value_chi2_yates, test_num(s, "p_value_yates"), CLOSED);
		CU_ASSERT_REL(r.p_value_fisher, test_num(s, "p_value_fisher"), CLOSED);
		CU_ASSERT_REL(r.p_value_z_greater, test_num(s, "p_value_z_less"), CLOSED);
	}
}

static void test_extra_srm_adjust_anova(void)
{
	const cJSON *s = test_get(extra, "srm"), *p = test_get(extra, "p_adjust");
	const cJSON *an = test_get(extra, "anova"), *rv = test_get(ref, "revenue");
	double n[3], w[3], pv[7], out[7];
	struct abtest_srm_result r;
	struct abtest_karm_result k;
	struct abtest_arm arms[3];
	char *cause = NULL;

	for (int i = 0; i < 3; i++) {
		n[i] = test_at(s, "n", i);
		w[i] = test_at(s, "alloc", i) * 10;
	}
	CU_ASSERT_FATAL(abtest_srm(n, w, 3, &r, &cause) == 0);
	CU_ASSERT_REL(r.chi2, test_num(s, "chi2"), CLOSED);
	CU_ASSERT_REL(r.p_value, test_num(s, "p_value"), CLOSED);
	CU_ASSERT_STRING_EQUAL(r.verdict_name, "ok");
	for (int i = 0; i < 7; i++)
		pv[i] = test_at(p, "p", i);
	CU_ASSERT_FATAL(abtest_p_adjust(pv, 7, ABTEST_ADJUST_HOLM, out, &cause) == 0);
	for (int i = 0; i < 7; i++)
		CU_ASSERT_REL(out[i], test_at(p, "holm", i), CLOSED);
	CU_ASSERT_FATAL(abtest_p_adjust(pv, 7, ABTEST_ADJUST_BH, pv, &cause) == 0);
	for (int i = 0; i < 7; i++)
		CU_ASSERT_REL(pv[i], test_at(p, "bh", i), CLOSED);
	test_raw_arm(test_get(cJSON_GetArrayItem(rv, 0), "a"), &arms[0]);
	test_raw_arm(test_get(cJSON_GetArrayItem(rv, 0), "b"), &arms[1]);
	test_raw_arm(test_get(cJSON_GetArrayItem(rv, 1), "a"), &arms[2]);
	CU_ASSERT_FATAL(abtest_anova(arms, 3, &k, &cause) == 0);
	CU_ASSERT_REL(k.stat, test_num(an, "f"), CLOSED);
	CU_ASSERT_EQUAL(k.df1, test_num(an, "df1"));
	CU_ASSERT_EQUAL(k.df2, test_num(an, "df2"));
	CU_ASSERT_REL(k.p_value, test_num(an, "p_value"), CLOSED);
}

static void test_extra_beta(void)
{
	const cJSON *s;
	struct abtest_arm a, b;
	struct abtest_beta_result r;
	char *cause = NULL;

	cJSON_ArrayForEach(s, test_get(extra, "beta")) {
		abtest_arm_from_counts(&a, test_at(s, "conversions", 0), test_at(s, "n", 0));
		abtest_arm_from_counts(&b, test_at(s, "conversions", 1), test_at(s, "n", 1));
		CU_ASSERT_FATAL(abtest_beta_binomial(&a, &b, 1, 1, 0.05, &r, &cause) == 0);
		CU_ASSERT_REL(r.prob_beat, test_num(s, "prob_beat"), CLOSED);
		CU_ASSERT_REL(r.loss_trt, test_num(s, "loss_trt"), 1e-7);
		CU_ASSERT_REL(r.loss_ctl, test_num(s, "loss_ctl"), 1e-7);
		for (int i = 0; i < 2; i++) {
			CU_ASSERT_REL(r.ci_ctl[i], test_at(s, "ci_ctl", i), CLOSED);
			CU_ASSERT_REL(r.ci_trt[i], test_at(s, "ci_trt", i), CLOSED);
		}
	}
}

static void test_extra_cuped(void)
{
	const cJSON *c = test_get(extra, "cuped");
	const char *keys[2][2] = { { "y_ctl", "x_ctl" }, { "y_trt", "x_trt" } };
	struct abtest_cov_arm arm[2];
	struct abtest_cuped_result r;
	struct abtest_acc acc;
	char *cause = NULL;

	for (int k = 0; k < 2; k++) {
		const cJSON *y = test_get(c, keys[k][0]), *x = test_get(c, keys[k][1]);

		abtest_acc_init(&acc);
		for (int i = 0; i < cJSON_GetArraySize(y); i++)
			abtest_acc_add_pair(&acc, cJSON_GetArrayItem(y, i)->valuedouble,
			    cJSON_GetArrayItem(x, i)->valuedouble);
		abtest_acc_cov_arm(&acc, &arm[k]);
	}
	CU_ASSERT_FATAL(abtest_cuped(&arm[0], &arm[1], 0.05, &r, &cause) == 0);
	CU_ASSERT_REL(r.theta, test_num(c, "theta"), CLOSED);
	CU_ASSERT_REL(r.var_reduction, test_num(c, "var_reduction"), CLOSED);
	CU_ASSERT_REL(r.means.t, test_num(c, "t"), CLOSED);
	CU_ASSERT_REL(r.means.df, test_num(c, "df"), CLOSED);
	CU_ASSERT_REL(r.means.p_value, test_num(c, "p_value"), CLOSED);
	CU_ASSERT_REL(r.means.diff_ci[0], test_at(c, "diff_ci", 0), CLOSED);
	CU_ASSERT_REL(r.means.diff_ci[1], test_at(c, "diff_ci", 1), CLOSED);
}

static void test_extra_noninf_caps(void)
{
	const cJSON *ni = test_get(extra, "noninf"), *caps = test_get(extra, "caps");
	const cJSON *rv = cJSON_GetArrayItem(test_get(ref, "revenue"), 0), *v;
	struct abtest_arm a, b;
	struct abtest_noninf_result r;
	double *vals, cap;
	size_t n = 0, capped;
	char *cause = NULL;

	test_raw_arm(test_get(rv, "a"), &a);
	test_raw_arm(test_get(rv, "b"), &b);
	CU_ASSERT_FATAL(abtest_noninf_means(&a, &b, 5, 0.05, &r, &cause) == 0);
	CU_ASSERT_REL(r.stat, test_num(ni, "t"), CLOSED);
	CU_ASSERT_REL(r.df, test_num(ni, "df"), CLOSED);
	CU_ASSERT_REL(r.p_value, test_num(ni, "p_value"), CLOSED);
	CU_ASSERT_REL(r.lower, test_num(ni, "lower"), CLOSED);
	CU_ASSERT_EQUAL(r.non_inferior, 1);

	vals = xreallocarray(NULL, (size_t)cJSON_GetArraySize(test_get(rv, "a")), sizeof *vals);
	cJSON_ArrayForEach(v, test_get(rv, "a"))
		vals[n++] = v->valuedouble;
	CU_ASSERT_FATAL(abtest_cap_percentile(vals, n, 99, &cap, &capped, &cause) == 0);
	CU_ASSERT_REL(cap, test_num(caps, "p99"), CLOSED);
	CU_ASSERT_EQUAL(capped, (size_t)test_num(caps, "n_above_p99"));
	CU_ASSERT_FATAL(abtest_cap_percentile(vals, n, 95, &cap, &capped, &cause) == 0);
	CU_ASSERT_REL(cap, test_num(caps, "p95"), CLOSED);
	free(vals);
}

static void test_growthbook_ttest(void)
{
	struct abtest_arm a = { 3407, 1396.87, 52377.9767, 0 }, b = { 3461, 2422.7, 134698.29, 0 };
	struct abtest_arm pa, pb;
	struct abtest_ttest_result r;
	char *cause = NULL;

	CU_ASSERT_FATAL(abtest_effect_ttest(&a, &b, ABTEST_MEAN, 1, 0.05, &r, &cause) == 0);
	CU_ASSERT_DIGITS(r.estimate, 0.70732, 5);
	CU_ASSERT_DIGITS(r.ci[0], -0.03526, 5);
	CU_ASSERT_DIGITS(r.ci[1], 1.44989, 5);
	CU_ASSERT_DIGITS(r.se, 0.37879, 5);
	CU_ASSERT_DIGITS(r.p_value, 0.06191, 5);
	CU_ASSERT_FATAL(abtest_effect_ttest(&a, &b, ABTEST_MEAN, 0, 0.05, &r, &cause) == 0);
	CU_ASSERT_DIGITS(r.estimate, 0.29, 5);
	CU_ASSERT_DIGITS(r.ci[0], 0.04538, 5);
	CU_ASSERT_DIGITS(r.ci[1], 0.53462, 5);
	CU_ASSERT_DIGITS(r.se, 0.12478, 5);
	CU_ASSERT_DIGITS(r.p_value, 0.02016, 5);
	abtest_arm_from_counts(&pa, 14, 28);
	abtest_arm_from_counts(&pb, 16, 30);
	CU_ASSERT_FATAL(abtest_effect_ttest(&pa, &pb, ABTEST_PROPORTION, 1, 0.05, &r, &cause) == 0);
	CU_ASSERT_DIGITS(r.estimate, 0.06667, 5);
	CU_ASSERT_DIGITS(r.ci[0], -0.47767, 5);
	CU_ASSERT_DIGITS(r.ci[1], 0.61101, 5);
	CU_ASSERT_DIGITS(r.se, 0.2717, 4);
	CU_ASSERT_DIGITS(r.p_value, 0.80707, 5);
}

static void test_growthbook_sequential(void)
{
	struct abtest_arm a = { 3000, 1396.87, 52377.9767, 0 }, b = { 3461, 2422.7, 134698.29, 0 };
	struct abtest_arm pa, pb;
	struct abtest_ttest_result r;
	char *cause = NULL;

	CU_ASSERT_FATAL(abtest_seq_ttest(&a, &b, ABTEST_MEAN, 1, 0.05, 1000, &r, &cause) == 0);
	CU_ASSERT_DIGITS(r.estimate, 0.50336, 5);
	CU_ASSERT_DIGITS(r.ci[0], -0.55844, 5);
	CU_ASSERT_DIGITS(r.ci[1], 1.56516, 5);
	CU_ASSERT_EQUAL(r.p_value, 1);
	abtest_arm_from_counts(&pa, 1396, 3000);
	abtest_arm_from_counts(&pb, 2422, 3461);
	CU_ASSERT_FATAL(abtest_seq_ttest(&pa, &pb, ABTEST_PROPORTION, 1, 0.05, 5000, &r,
	    &cause) == 0);
	CU_ASSERT_DIGITS(r.estimate, 0.50386, 5);
	CU_ASSERT_DIGITS(r.ci[0], 0.40098, 5);
	CU_ASSERT_DIGITS(r.ci[1], 0.60675, 5);
	/* The interval excludes 0, so the always-valid p is below alpha. */
	CU_ASSERT(r.p_value < 0.05);
}

static void test_growthbook_bayes(void)
{
	struct abtest_arm pa, pb;
	struct abtest_arm a = { 10, 100, 1002.25, 0 }, b = { 10, 105, 1111.5, 0 };
	struct abtest_gauss_prior prior = { 1, 0.1, 0.1 };
	struct abtest_gauss_result r;
	char *cause = NULL;

	abtest_arm_from_counts(&pa, 49, 100);
	abtest_arm_from_counts(&pb, 51, 100);
	CU_ASSERT_FATAL(abtest_gauss_bayes(&pa, &pb, ABTEST_PROPORTION, 1, NULL, 0.05, &r,
	    &cause) == 0);
	CU_ASSERT_DIGITS(r.estimate, 0.04082, 5);
	CU_ASSERT_DIGITS(r.sd, 0.14725, 5);
	CU_ASSERT_DIGITS(r.ci[0], -0.24779, 5);
	CU_ASSERT_DIGITS(r.ci[1], 0.32943, 5);
	CU_ASSERT_DIGITS(r.chance_to_win, 0.60918, 5);
	CU_ASSERT_DIGITS(r.risk_ctl, 0.0814, 4);
	CU_ASSERT_DIGITS(r.risk_trt, 0.04058, 5);
	CU_ASSERT_FATAL(abtest_gauss_bayes(&a, &b, ABTEST_MEAN, 1, NULL, 0.05, &r, &cause) == 0);
	CU_ASSERT_DIGITS(r.estimate, 0.05, 5);
	CU_ASSERT_DIGITS(r.ci[0], -0.02, 5);
	CU_ASSERT_DIGITS(r.ci[1], 0.12, 5);
	CU_ASSERT_DIGITS(r.chance_to_win, 0.91923, 5);
	CU_ASSERT_DIGITS(r.risk_ctl, 0.05131, 5);
	CU_ASSERT_DIGITS(r.risk_trt, 0.00131, 5);
	CU_ASSERT_FATAL(abtest_gauss_bayes(&a, &b, ABTEST_MEAN, 1, &prior, 0.05, &r,
	    &cause) == 0);
	CU_ASSERT_DIGITS(r.estimate, 0.05063, 5);
	CU_ASSERT_DIGITS(r.chance_to_win, 0.92315, 5);
}

/* Hillstrom arms: conversions and visits are the published rates times n. */
static void test_hillstrom_props(void)
{
	struct abtest_arm ctl, mens, womens, vctl, vmens;
	struct abtest_props_result r;
	char *cause = NULL;

	abtest_arm_from_counts(&ctl, 122, 21306);
	abtest_arm_from_counts(&mens, 267, 21307);
	abtest_arm_from_counts(&womens, 189, 21387);
	CU_ASSERT_DIGITS(ctl.sum / ctl.n * 100, 0.5726, 4);
	CU_ASSERT_DIGITS(mens.sum / mens.n * 100, 1.2531, 4);
	CU_ASSERT_DIGITS(womens.sum / womens.n * 100, 0.8837, 4);
	CU_ASSERT_FATAL(abtest_two_props(&ctl, &mens, 0.05, &r, &cause) == 0);
	CU_ASSERT_DIGITS(r.z, 7.3851, 4);
	CU_ASSERT_SIG(r.p_value_z, 1.523e-13, 4);
	CU_ASSERT_SIG(r.p_value_chi2_yates, 2.231e-13, 4);
	CU_ASSERT_SIG(r.p_value_fisher, 1.167e-13, 4);
	CU_ASSERT_DIGITS(r.diff * 100, 0.6805, 4);
	CU_ASSERT_DIGITS(r.diff_ci[0] * 100, 0.500, 3);
	CU_ASSERT_DIGITS(r.diff_ci[1] * 100, 0.861, 3);
	CU_ASSERT_FATAL(abtest_two_props(&ctl, &womens, 0.05, &r, &cause) == 0);
	CU_ASSERT_DIGITS(r.z, 3.7796, 4);
	CU_ASSERT_SIG(r.p_value_z, 1.571e-4, 4);
	CU_ASSERT_SIG(r.p_value_chi2_yates, 1.971e-4, 4);
	CU_ASSERT_SIG(r.p_value_fisher, 1.650e-4, 4);
	CU_ASSERT_DIGITS(r.diff * 100, 0.3111, 4);
	CU_ASSERT_DIGITS(r.diff_ci[0] * 100, 0.150, 3);
	CU_ASSERT_DIGITS(r.diff_ci[1] * 100, 0.472, 3);
	abtest_arm_from_counts(&vctl, 2262, 21306);
	abtest_arm_from_counts(&vmens, 3894, 21307);
	CU_ASSERT_DIGITS(vctl.sum / vctl.n * 100, 10.6167, 4);
	CU_ASSERT_DIGITS(vmens.sum / vmens.n * 100, 18.2757, 4);
	CU_ASSERT_FATAL(abtest_two_props(&vctl, &vmens, 0.05, &r, &cause) == 0);
	CU_ASSERT_DIGITS(r.z, 22.486, 3);
	CU_ASSERT_SIG(r.p_value_z, 5.69e-112, 3);
	CU_ASSERT_SIG(r.p_value_chi2_yates, 7.75e-112, 3);
	CU_ASSERT_DIGITS(r.diff * 100, 7.659, 3);
	CU_ASSERT_DIGITS(r.diff_ci[0] * 100, 6.995, 3);
	CU_ASSERT_DIGITS(r.diff_ci[1] * 100, 8.323, 3);
}

static void test_hillstrom_spend_srm(void)
{
	struct abtest_arm ctl, mens, womens, arms[3];
	struct abtest_means_result w;
	struct abtest_karm_result k;
	struct abtest_srm_result s;
	double n[3] = { 21306, 21307, 21387 };
	char *cause = NULL;

	abtest_arm_from_moments(&ctl, 21306, 0.652789, 11.588200);
	abtest_arm_from_moments(&mens, 21307, 1.422617, 17.754205);
	abtest_arm_from_moments(&womens, 21387, 1.077202, 15.116106);
	CU_ASSERT_FATAL(abtest_welch(&ctl, &mens, 0.05, &w, &cause) == 0);
	CU_ASSERT_DIGITS(w.t, 5.3001, 4);
	CU_ASSERT_DIGITS(w.df, 36671.2, 1);
	CU_ASSERT_SIG(w.p_value, 1.164e-7, 4);
	CU_ASSERT_DIGITS(w.diff, 0.7698, 4);
	CU_ASSERT_DIGITS(w.diff_ci[0], 0.4851, 4);
	CU_ASSERT_DIGITS(w.diff_ci[1], 1.0545, 4);
	CU_ASSERT_FATAL(abtest_welch(&ctl, &womens, 0.05, &w, &cause) == 0);
	CU_ASSERT_DIGITS(w.t, 3.2564, 4);
	CU_ASSERT_DIGITS(w.df, 40064.9, 1);
	CU_ASSERT_SIG(w.p_value, 1.129e-3, 4);
	CU_ASSERT_DIGITS(w.diff, 0.4244, 4);
	CU_ASSERT_DIGITS(w.diff_ci[0], 0.1690, 4);
	CU_ASSERT_DIGITS(w.diff_ci[1], 0.6799, 4);
	abtest_arm_from_counts(&arms[0], 122, 21306);
	abtest_arm_from_counts(&arms[1], 267, 21307);
	abtest_arm_from_counts(&arms[2], 189, 21387);
	CU_ASSERT_FATAL(abtest_props_chi2(arms, 3, &k, &cause) == 0);
	CU_ASSERT_DIGITS(k.stat, 55.258, 3);
	CU_ASSERT_EQUAL(k.df1, 2);
	CU_ASSERT_SIG(k.p_value, 1.0e-12, 2);
	CU_ASSERT_FATAL(abtest_srm(n, NULL, 3, &s, &cause) == 0);
	CU_ASSERT_DIGITS(s.chi2, 0.2025, 4);
	CU_ASSERT_DIGITS(s.p_value, 0.904, 3);
	CU_ASSERT_EQUAL(s.verdict, ABTEST_SRM_OK);
}

/* Cookie Cats: gate_30 (control) 44,700 players, gate_40 45,489. */
static void test_cookie_cats(void)
{
	struct abtest_arm c1, t1, c7, t7;
	struct abtest_arm gc = { 44700, 2344795, 3068811771.0, 0 };
	struct abtest_arm gt = { 45489, 2333530, 605052202.0, 0 };
	/* gate_30 without its single 49,854-round player. */
	struct abtest_arm gco = { 44699, 2344795 - 49854, 3068811771.0 - 49854.0 * 49854, 0 };
	struct abtest_props_result r;
	struct abtest_beta_result b;
	struct abtest_means_result w;
	struct abtest_srm_result s;
	double n[2] = { 44700, 45489 }, half[2] = { 0.5, 0.5 };
	char *cause = NULL;

	abtest_arm_from_counts(&c1, 20034, 44700);
	abtest_arm_from_counts(&t1, 20119, 45489);
	abtest_arm_from_counts(&c7, 8502, 44700);
	abtest_arm_from_counts(&t7, 8279, 45489);
	CU_ASSERT_FATAL(abtest_two_props(&c1, &t1, 0.05, &r, &cause) == 0);
	CU_ASSERT_DIGITS(r.rate_trt * 100, 44.2283, 4);
	CU_ASSERT_DIGITS(r.rate_ctl * 100, 44.8188, 4);
	CU_ASSERT_DIGITS(r.z, -1.7841, 4);
	CU_ASSERT_DIGITS(r.p_value_z, 0.0744, 4);
	CU_ASSERT_DIGITS(r.p_value_chi2_yates, 0.0755, 4);
	CU_ASSERT_DIGITS(r.p_value_fisher, 0.0747, 4);
	CU_ASSERT_FATAL(abtest_two_props(&c7, &t7, 0.05, &r, &cause) == 0);
	CU_ASSERT_DIGITS(r.z, -3.1644, 4);
	CU_ASSERT_SIG(r.p_value_z, 0.001554, 4);
	CU_ASSERT_FATAL(abtest_beta_binomial(&c7, &t7, 1, 1, 0.05, &b, &cause) == 0);
	CU_ASSERT_SIG(b.prob_beat, 0.000777, 3);
	CU_ASSERT_FATAL(abtest_srm(n, half, 2, &s, &cause) == 0);
	CU_ASSERT_DIGITS(s.chi2, 6.902, 3);
	CU_ASSERT_SIG(s.p_value, 0.0086, 2);
	CU_ASSERT_EQUAL(s.verdict, ABTEST_SRM_WARN);
	CU_ASSERT_STRING_EQUAL(s.verdict_name, "warn");
	CU_ASSERT_FATAL(abtest_welch(&gc, &gt, 0.05, &w, &cause) == 0);
	CU_ASSERT_DIGITS(w.p_value, 0.376, 3);
	CU_ASSERT_FATAL(abtest_welch(&gco, &gt, 0.05, &w, &cause) == 0);
	CU_ASSERT_DIGITS(w.p_value, 0.949, 3);
}

/* Reads version and sum_gamerounds of the raw Cookie Cats file; the arm
 * is 0 for gate_30, 1 for gate_40. */
static size_t test_cookie_rounds(FILE *f, double **v, int **arm)
{
	char line[256], version[16];
	size_t n = 0, cap = 0;
	double g;

	*v = NULL;
	*arm = NULL;
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "%*[^,],%15[^,],%lf", version, &g) != 2)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			*v = xreallocarray(*v, cap, sizeof **v);
			*arm = xreallocarray(*arm, cap, sizeof **arm);
		}
		(*v)[n] = g;
		(*arm)[n++] = strcmp(version, "gate_40") == 0;
	}
	return n;
}

static void test_welch_rounds(const double *v, const int *arm, size_t n,
    struct abtest_means_result *w)
{
	struct abtest_acc acc[2];
	struct abtest_arm a[2];
	char *cause = NULL;

	abtest_acc_init(&acc[0]);
	abtest_acc_init(&acc[1]);
	for (size_t i = 0; i < n; i++)
		abtest_acc_add(&acc[arm[i]], v[i]);
	abtest_acc_arm(&acc[0], &a[0]);
	abtest_acc_arm(&acc[1], &a[1]);
	CU_ASSERT_FATAL(abtest_welch(&a[0], &a[1], 0.05, w, &cause) == 0);
}

/* Capping on the raw file when ../shared/data is present: the pooled
 * 99.9th percentile, against R. */
static void test_cookie_cats_capping(void)
{
	const cJSON *c = cJSON_GetObjectItem(extra, "cookie_cats_gamerounds");
	char *path = cutest_shared("data/cookie_cats.csv"), *cause = NULL;
	struct abtest_means_result w;
	double *v, cap;
	size_t n, capped;
	int *arm;
	FILE *f;

	if (path == NULL || c == NULL || (f = fopen(path, "r")) == NULL) {
		free(path);
		return;
	}
	n = test_cookie_rounds(f, &v, &arm);
	fclose(f);
	free(path);
	CU_ASSERT_EQUAL(n, 90189);
	test_welch_rounds(v, arm, n, &w);
	CU_ASSERT_REL(w.t, test_num(c, "t_raw"), CLOSED);
	CU_ASSERT_REL(w.p_value, test_num(c, "p_value_raw"), CLOSED);
	CU_ASSERT_FATAL(abtest_cap_percentile(v, n, test_num(c, "cap_pct"), &cap, &capped,
	    &cause) == 0);
	CU_ASSERT_REL(cap, test_num(c, "cap"), CLOSED);
	CU_ASSERT_EQUAL(capped, (size_t)test_num(c, "n_capped"));
	test_welch_rounds(v, arm, n, &w);
	CU_ASSERT_REL(w.t, test_num(c, "t_capped"), CLOSED);
	CU_ASSERT_REL(w.p_value, test_num(c, "p_value_capped"), CLOSED);
	free(v);
	free(arm);
}

static void test_degenerate_props(void)
{
	struct abtest_arm a, b;
	struct abtest_props_result r;
	struct abtest_beta_result be;
	char *cause = NULL;

	/* No conversions anywhere, and everyone converted: nothing differs. */
	for (int all = 0; all < 2; all++) {
		abtest_arm_from_counts(&a, all ? 500 : 0, 500);
		abtest_arm_from_counts(&b, all ? 700 : 0, 700);
		CU_ASSERT_FATAL(abtest_two_props(&a, &b, 0.05, &r, &cause) == 0);
		test_no_nan_props(&r);
		CU_ASSERT_EQUAL(r.z, 0);
		CU_ASSERT_EQUAL(r.p_value_z, 1);
		CU_ASSERT_EQUAL(r.chi2, 0);
		CU_ASSERT_EQUAL(r.p_value_chi2, 1);
		CU_ASSERT_EQUAL(r.p_value_chi2_yates, 1);
		CU_ASSERT_EQUAL(r.p_value_fisher, 1);
		CU_ASSERT_EQUAL(r.diff, 0);
		CU_ASSERT_EQUAL(r.diff_ci[0], 0);
		CU_ASSERT_EQUAL(r.lift_defined, all);
	}
	/* Zero conversions in control: no relative lift. */
	abtest_arm_from_counts(&a, 0, 150);
	abtest_arm_from_counts(&b, 7, 160);
	CU_ASSERT_FATAL(abtest_two_props(&a, &b, 0.05, &r, &cause) == 0);
	test_no_nan_props(&r);
	CU_ASSERT_EQUAL(r.lift_defined, 0);
	CU_ASSERT_EQUAL(r.lift, 0);
	/* n = 1 in each arm. */
	abtest_arm_from_counts(&a, 0, 1);
	abtest_arm_from_counts(&b, 1, 1);
	CU_ASSERT_FATAL(abtest_two_props(&a, &b, 0.05, &r, &cause) == 0);
	test_no_nan_props(&r);
	CU_ASSERT_REL(r.chi2, 2, CLOSED);
	CU_ASSERT_EQUAL(r.p_value_fisher, 1);
	CU_ASSERT_EQUAL(r.p_value_fisher_greater, 0.5);
	CU_ASSERT_EQUAL(r.diff_ci[1], 1);
	CU_ASSERT_FATAL(abtest_beta_binomial(&a, &b, 1, 1, 0.05, &be, &cause) == 0);
	/* Beta(1, 2) against Beta(2, 1): P = 5/6. */
	CU_ASSERT_REL(be.prob_beat, 5.0 / 6, CLOSED);
	/* P(B beats A) far in the tail: about 4.66e-42 (normal approximation
	 * 1e-41), and exactly 1 the other way round. */
	abtest_arm_from_counts(&a, 1000, 10000);
	abtest_arm_from_counts(&b, 500, 10000);
	CU_ASSERT_FATAL(abtest_beta_binomial(&a, &b, 1, 1, 0.05, &be, &cause) == 0);
	CU_ASSERT(be.prob_beat > 4.66e-42 && be.prob_beat < 4.67e-42);
	CU_ASSERT_FATAL(abtest_beta_binomial(&b, &a, 1, 1, 0.05, &be, &cause) == 0);
	CU_ASSERT_EQUAL(be.prob_beat, 1);
	abtest_arm_from_counts(&a, 0, 1);
	/* Bad counts. */
	abtest_arm_from_counts(&b, 3, 2);
	CU_ASSERT(abtest_two_props(&a, &b, 0.05, &r, &cause) == -1);
	CU_ASSERT_PTR_NOT_NULL(cause);
	free(cause);
	cause = NULL;
	abtest_arm_from_counts(&b, 1, 0);
	CU_ASSERT(abtest_two_props(&a, &b, 0.05, &r, &cause) == -1);
	free(cause);
}

static void test_degenerate_means(void)
{
	struct abtest_arm one = { 1, 5, 25, 0 }, a = { 3, 6, 14, 0 }, k1 = { 4, 8, 16, 0 };
	struct abtest_arm k2 = { 5, 10, 20, 0 }, z = { 4, 0, 2, 0 };
	struct abtest_means_result w;
	struct abtest_karm_result k;
	struct abtest_arm arms[2] = { { 2, 2, 2, 0 }, { 2, 4, 8, 0 } };
	double var;
	char *cause = NULL;

	/* The sd of one observation is undefined: an error, never NaN. */
	CU_ASSERT(abtest_welch(&one, &a, 0.05, &w, &cause) == -1);
	CU_ASSERT_STRING_EQUAL(cause, "an arm needs at least 2 finite observations");
	free(cause);
	CU_ASSERT(abtest_arm_var(&one, &var, &cause) == -1);
	free(cause);
	/* Two constant arms: R says "data are essentially constant". */
	CU_ASSERT(abtest_welch(&k1, &k2, 0.05, &w, &cause) == -1);
	CU_ASSERT_STRING_EQUAL(cause, "data are essentially constant");
	free(cause);
	/* One constant arm is fine; a zero control mean has no lift. */
	CU_ASSERT_FATAL(abtest_welch(&z, &k1, 0.05, &w, &cause) == 0);
	CU_ASSERT_EQUAL(w.lift_defined, 0);
	CU_ASSERT_REL(w.df, 3, CLOSED);
	CU_ASSERT(isfinite(w.p_value));
	CU_ASSERT(abtest_anova(arms, 2, &k, &cause) == -1);
	free(cause);
	CU_ASSERT(abtest_seq_ttest(&z, &k1, ABTEST_MEAN, 1, 0.05, 100, NULL, &cause) == -1);
	free(cause);
}

static void test_extreme_pvalues(void)
{
	struct abtest_arm a, b;
	struct abtest_props_result r;
	struct abtest_fisher_result f;
	struct abtest_means_result w;
	struct abtest_arm ma = { 1e7, 1e7, 2e7, 0 }, mb = { 1e7, 1.1e7, 2.41e7, 0 };
	double q, v;
	char *cause = NULL;

	/* Far below 1e-300 but above underflow: Q(37.5) = 4.605e-308. */
	CU_ASSERT_FATAL(abtest_norm_upper(37.5, &q, &cause) == 0);
	CU_ASSERT(q > 4.6e-308 && q < 4.61e-308);
	CU_ASSERT_FATAL(abtest_chisq_upper(1400, 1, &q, &cause) == 0);
	CU_ASSERT(q > 0 && q < 1e-300);
	CU_ASSERT_FATAL(abtest_norm_upper(sqrt(1400), &v, &cause) == 0);
	CU_ASSERT_REL(q, 2 * v, CLOSED);
	/* Underflow reads 0, never NaN. */
	CU_ASSERT_FATAL(abtest_norm_upper(60, &q, &cause) == 0);
	CU_ASSERT_EQUAL(q, 0);
	CU_ASSERT_FATAL(abtest_t_upper(1e6, 10, &q, &cause) == 0);
	CU_ASSERT(isfinite(q) && q < 1e-50);
	abtest_arm_from_counts(&a, 0, 1e7);
	abtest_arm_from_counts(&b, 1e7, 1e7);
	CU_ASSERT_FATAL(abtest_two_props(&a, &b, 0.05, &r, &cause) == 0);
	test_no_nan_props(&r);
	CU_ASSERT_EQUAL(r.p_value_fisher, 0);
	CU_ASSERT_EQUAL(r.p_value_z, 0);
	CU_ASSERT_FATAL(abtest_fisher(&a, &b, 0.05, &f, &cause) == 0);
	CU_ASSERT_EQUAL(f.odds_exact, 0);
	CU_ASSERT(isinf(f.odds_ratio) && f.ci[0] == 0 && isinf(f.ci[1]));
	CU_ASSERT_FATAL(abtest_welch(&ma, &mb, 0.05, &w, &cause) == 0);
	CU_ASSERT(isfinite(w.t) && w.p_value == 0);
}

static void test_extra_t_tail(void)
{
	const cJSON *g = test_get(extra, "t_tail");
	double q;
	char *cause = NULL;

	CU_ASSERT_EQUAL(cJSON_GetArraySize(test_get(g, "t")), 20);
	for (int i = 0; i < cJSON_GetArraySize(test_get(g, "t")); i++) {
		CU_ASSERT_FATAL(abtest_t_upper(test_at(g, "t", i), test_at(g, "df", i), &q,
		    &cause) == 0);
		CU_ASSERT_REL(q, test_at(g, "upper", i), CLOSED);
	}
}

static void test_accumulator(void)
{
	struct abtest_acc acc;
	struct abtest_arm arm;
	double var;
	char *cause = NULL;

	/* Values near 1e9 with unit spread: sums of squares alone would lose it. */
	abtest_acc_init(&acc);
	for (int i = 0; i < 1000; i++)
		abtest_acc_add(&acc, 1e9 + (i % 2 ? 1 : -1));
	CU_ASSERT_REL(acc.mean, 1e9, 1e-15);
	CU_ASSERT_REL(acc.m2 / 999, 1000.0 / 999, 1e-12);
	abtest_acc_arm(&acc, &arm);
	CU_ASSERT_FATAL(abtest_arm_var(&arm, &var, &cause) == 0);
	CU_ASSERT(var >= 0);
}

static void test_adjust_edges(void)
{
	double p[3] = { 0.5, 0.5, 0.5 }, out[3];
	char *cause = NULL;

	CU_ASSERT_FATAL(abtest_p_adjust(p, 3, ABTEST_ADJUST_HOLM, out, &cause) == 0);
	CU_ASSERT_EQUAL(out[0], 1);
	CU_ASSERT_FATAL(abtest_p_adjust(p, 3, ABTEST_ADJUST_BH, out, &cause) == 0);
	CU_ASSERT_EQUAL(out[2], 0.5);
	CU_ASSERT_FATAL(abtest_p_adjust(p, 0, ABTEST_ADJUST_BH, out, &cause) == 0);
	p[1] = 1.5;
	CU_ASSERT(abtest_p_adjust(p, 3, ABTEST_ADJUST_BH, out, &cause) == -1);
	free(cause);
}

static void test_noninf_props_caps(void)
{
	struct abtest_arm a, b;
	struct abtest_noninf_result r;
	double v[5] = { 1, 2, 3, 4, 100 }, cap;
	size_t capped;
	char *cause = NULL;

	/* 50% vs 49% with 10,000 each and a 3-point margin: z = 0.02 / se. */
	abtest_arm_from_counts(&a, 5000, 10000);
	abtest_arm_from_counts(&b, 4900, 10000);
	CU_ASSERT_FATAL(abtest_noninf_props(&a, &b, 0.03, 0.05, &r, &cause) == 0);
	CU_ASSERT_REL(r.stat, 0.02 / sqrt(0.25 / 10000 + 0.49 * 0.51 / 10000), CLOSED);
	CU_ASSERT(r.non_inferior);
	CU_ASSERT(r.lower > -0.03);
	/* Type 7 quantile: 80th percentile of 1..4, 100 is 4 + 0.2 * 96. */
	CU_ASSERT_FATAL(abtest_cap_percentile(v, 5, 80, &cap, &capped, &cause) == 0);
	CU_ASSERT_REL(cap, 23.2, CLOSED);
	CU_ASSERT_EQUAL(capped, 1);
	CU_ASSERT_EQUAL(v[4], cap);
	abtest_cap_value(v, 5, 2.5, &capped);
	CU_ASSERT_EQUAL(capped, 3);
	CU_ASSERT(abtest_cap_percentile(v, 5, 101, &cap, &capped, &cause) == -1);
	free(cause);
}

static const struct cutest_case cases[] = {
	{ "R proportions", test_r_props },
	{ "R three arms", test_r_three_arms },
	{ "R Welch and Student", test_r_means },
	{ "R power.prop.test", test_r_power_props },
	{ "R power.t.test", test_r_power_means },
	{ "R power, MDE, days", test_extra_power },
	{ "R arms of 10 million", test_extra_huge },
	{ "R SRM, p.adjust, ANOVA", test_extra_srm_adjust_anova },
	{ "R Beta-Binomial", test_extra_beta },
	{ "R CUPED", test_extra_cuped },
	{ "R non-inferiority and caps", test_extra_noninf_caps },
	{ "GrowthBook t-tests", test_growthbook_ttest },
	{ "GrowthBook sequential", test_growthbook_sequential },
	{ "GrowthBook Bayesian", test_growthbook_bayes },
	{ "Hillstrom conversion and visits", test_hillstrom_props },
	{ "Hillstrom spend, 3 arms, SRM", test_hillstrom_spend_srm },
	{ "Cookie Cats", test_cookie_cats },
	{ "Cookie Cats capping (raw file)", test_cookie_cats_capping },
	{ "degenerate proportions", test_degenerate_props },
	{ "degenerate means", test_degenerate_means },
	{ "extreme p-values", test_extreme_pvalues },
	{ "R t tails to 2e7 df", test_extra_t_tail },
	{ "accumulator", test_accumulator },
	{ "p.adjust edges", test_adjust_edges },
	{ "non-inferiority, capping", test_noninf_props_caps },
	{ NULL, NULL }
};

int main(void)
{
	int rc;

	gsl_set_error_handler_off();
	ref = cutest_fixture_json("ab_reference.json");
	extra = cutest_fixture_json("ab_extra.json");
	rc = cutest_run("abtest", cases);
	cJSON_Delete(ref);
	cJSON_Delete(extra);
	return rc;
}
