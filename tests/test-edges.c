/* Experiment statistics at the edges, against R: means far from zero
 * (values near 1e7..1e9 with unit spread; ab_precision.R) from summaries,
 * one row per user with CUPED and aggregates about a reference value;
 * merging arms; power.t.test from 2 to 1e11 users per arm
 * (power_means.R); k arms of which some have sd 0 (ab_karm.R). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <gsl/gsl_errno.h>

#include "abtest.h"
#include "command.h"
#include "forecast.h"
#include "cutest.h"
#include "xmalloc.h"

#define CLOSED 1e-9

static cJSON *ref;
static struct cmd_ctx ctx;

/* The number at a path of keys and array indexes ("rows.cuped.diff_ci.0"). */
static double test_num(const cJSON *j, const char *path)
{
	char *p = xstrdup(path), *save = NULL;
	const cJSON *v = j;

	for (char *k = strtok_r(p, ".", &save); k != NULL && v != NULL;
	    k = strtok_r(NULL, ".", &save))
		v = cJSON_IsArray(v) ? cJSON_GetArrayItem(v, atoi(k)) :
		    cJSON_GetObjectItemCaseSensitive(v, k);
	if (!cJSON_IsNumber(v)) {
		fprintf(stderr, "no number at %s\n", path);
		exit(99);
	}
	free(p);
	return v->valuedouble;
}

static cJSON *test_run(const char *line)
{
	cJSON *res = NULL;
	char *cause = NULL;
	int rc = cmd_run(&ctx, line, &res, &cause);

	if (rc != 0)
		fprintf(stderr, "%s: %s\n", line, cause);
	CU_ASSERT_FATAL(rc == 0);
	free(cause);
	return res;
}

/* abtest means from summaries: Welch's t as R computes it. */
static void test_summaries(void)
{
	static const char *const lines[] = {
		"abtest means n=2506,211 mean=1000000001.082652,1000000000.1080449 "
		    "sd=1.5062617352248406,0.21491422123153245",
		"abtest means n=1000,1200 mean=1e7,10000000.1 sd=1,1.1",
		"abtest means n=1000,1200 mean=1e8,100000000.1 sd=1,1.1",
	};
	const cJSON *s = cJSON_GetObjectItem(ref, "summaries");

	for (int i = 0; i < 3; i++) {
		cJSON *r = test_run(lines[i]), *c = cJSON_GetArrayItem(s, i);

		CU_ASSERT_REL(test_num(r, "t"), test_num(c, "t"), CLOSED);
		CU_ASSERT_REL(test_num(r, "df"), test_num(c, "df"), CLOSED);
		CU_ASSERT_REL(test_num(r, "p_value"), test_num(c, "p_value"), CLOSED);
		cJSON_Delete(r);
	}
}

/* The comparison and arms of a 'test' result against R's t.test. */
static void test_check_rows(const cJSON *r, int cuped)
{
	const cJSON *rows = cJSON_GetObjectItem(ref, "rows");

	for (int a = 0; a < 2; a++) {
		char key[32], want[32];

		snprintf(key, sizeof key, "arms.%d.mean", a);
		snprintf(want, sizeof want, "mean.%d", a);
		CU_ASSERT_REL(test_num(r, key), test_num(rows, want), CLOSED);
		snprintf(key, sizeof key, "arms.%d.sd", a);
		snprintf(want, sizeof want, "sd.%d", a);
		CU_ASSERT_REL(test_num(r, key), test_num(rows, want), CLOSED);
	}
	CU_ASSERT_REL(test_num(r, "comparisons.0.t"), test_num(rows, "t"), CLOSED);
	CU_ASSERT_REL(test_num(r, "comparisons.0.df"), test_num(rows, "df"), CLOSED);
	CU_ASSERT_REL(test_num(r, "comparisons.0.p_value"), test_num(rows, "p_value"), CLOSED);
	CU_ASSERT_REL(test_num(r, "comparisons.0.diff_ci.0"), test_num(rows, "diff_ci.0"),
	    CLOSED);
	CU_ASSERT_REL(test_num(r, "comparisons.0.diff_ci.1"), test_num(rows, "diff_ci.1"),
	    CLOSED);
	if (!cuped)
		return;
	CU_ASSERT_REL(test_num(r, "comparisons.0.cuped.theta"), test_num(rows, "cuped.theta"),
	    CLOSED);
	CU_ASSERT_REL(test_num(r, "comparisons.0.cuped.variance_reduction"),
	    test_num(rows, "cuped.variance_reduction"), CLOSED);
	CU_ASSERT_REL(test_num(r, "comparisons.0.cuped.diff"), test_num(rows, "cuped.diff"),
	    CLOSED);
	CU_ASSERT_REL(test_num(r, "comparisons.0.cuped.diff_ci.0"),
	    test_num(rows, "cuped.diff_ci.0"), CLOSED);
	CU_ASSERT_REL(test_num(r, "comparisons.0.cuped.p_value"),
	    test_num(rows, "cuped.p_value"), CLOSED);
}

/* One row per user, y = 1e9 + N(0, 1): Welch and CUPED as R. */
static void test_rows(void)
{
	cJSON *r;
	char *line = xasprintf("load prec %s/tests/fixtures/ops/precision_rows.csv",
	    cutest_srcdir());

	cJSON_Delete(test_run(line));
	free(line);
	cJSON_Delete(test_run("campaign py dataset=prec arm=arm control=control "
	    "metric=column:y covariate=x"));
	r = test_run("test py");
	test_check_rows(r, 1);
	cJSON_Delete(r);
}

/* The same arms as aggregates: about 1e9 they are exact; about 0 the sums
 * of squares have lost the variance, and the command says so. */
static void test_aggregates(void)
{
	cJSON *r, *res = NULL;
	char *line, *cause = NULL;

	line = xasprintf("load pagg %s/tests/fixtures/ops/precision_agg.csv", cutest_srcdir());
	cJSON_Delete(test_run(line));
	free(line);
	line = xasprintf("load pagg0 %s/tests/fixtures/ops/precision_agg0.csv",
	    cutest_srcdir());
	cJSON_Delete(test_run(line));
	free(line);
	cJSON_Delete(test_run("campaign pa aggregates=pagg metric=revenue"));
	r = test_run("test pa");
	test_check_rows(r, 0);
	cJSON_Delete(r);
	CU_ASSERT(cmd_run(&ctx, "campaign pa0 aggregates=pagg0 metric=revenue", &res,
	    &cause) != 0);
	CU_ASSERT_PTR_NULL(res);
	CU_ASSERT_STRING_EQUAL(cause, "campaign: aggregates 'pagg0' arm 'control': the sum of "
	    "squares is too large beside the spread of the values (cancellation would leave "
	    "the variance wrong beyond 1e-9): give the sums about a reference value near the "
	    "mean (column shift)");
	free(cause);
}

/* Chan's merge of arms about different references: n = 1000, mean 1e9,
 * m2 999 with n = 2000, mean 1e9 + 0.5, m2 7996 is n = 3000, mean
 * 1e9 + 1/3, m2 = 999 + 7996 + 0.25 * 1000 * 2000 / 3000. */
static void test_merge(void)
{
	struct abtest_arm a, b, c;
	double var;
	char *cause = NULL;

	abtest_arm_from_centered(&a, 1000, 1e9, 999);
	abtest_arm_from_centered(&b, 2000, 1e9 + 0.5, 7996);
	c = a;
	abtest_arm_merge(&c, &b);
	CU_ASSERT_EQUAL(c.n, 3000);
	CU_ASSERT_REL(abtest_arm_mean(&c), 1e9 + 1.0 / 3, 1e-16);
	CU_ASSERT_REL(abtest_arm_diff(&a, &c), 1.0 / 3, 1e-15);
	CU_ASSERT_FATAL(abtest_arm_var(&c, &var, &cause) == 0);
	CU_ASSERT_REL(var, (999 + 7996 + 0.25 * 1000 * 2000 / 3000) / 2999, 1e-15);
	/* Merging into an empty arm copies; about one reference, sums add. */
	c = (struct abtest_arm){ 0, 0, 0, 0 };
	abtest_arm_merge(&c, &b);
	CU_ASSERT(c.n == b.n && c.shift == b.shift && c.sumsq == b.sumsq);
	abtest_arm_merge(&c, &b);
	CU_ASSERT(c.n == 4000 && c.shift == b.shift && c.sumsq == 2 * b.sumsq);
}

/* power.t.test to tol = 1e-12 over n = 2 .. 1e11 per arm: n, power, delta. */
static void test_power_grid(void)
{
	cJSON *g = cutest_fixture_json("power_means.json"), *c;
	struct abtest_power_n pn;
	double v;
	char *cause = NULL;
	int k = 0;

	cJSON_ArrayForEach(c, cJSON_GetObjectItem(g, "n")) {
		CU_ASSERT_FATAL(abtest_power_means_n(test_num(c, "delta"), test_num(c, "sd"),
		    test_num(c, "alpha"), test_num(c, "power"), test_num(c, "sided") == 1, &pn,
		    &cause) == 0);
		CU_ASSERT_REL(pn.n_r, test_num(c, "n"), 1e-6);
		k++;
	}
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(g, "power")) {
		CU_ASSERT_FATAL(abtest_power_means_power(test_num(c, "n"), test_num(c, "delta"),
		    test_num(c, "sd"), test_num(c, "alpha"), test_num(c, "sided") == 1, &v,
		    &cause) == 0);
		CU_ASSERT_REL(v, test_num(c, "power"), 1e-6);
		k++;
	}
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(g, "delta")) {
		CU_ASSERT_FATAL(abtest_power_means_mde(test_num(c, "n"), test_num(c, "sd"),
		    test_num(c, "alpha"), test_num(c, "power"), test_num(c, "sided") == 1, &v,
		    &cause) == 0);
		CU_ASSERT_REL(v, test_num(c, "delta"), 1e-6);
		k++;
	}
	CU_ASSERT_EQUAL(k, 78);
	cJSON_Delete(g);
}

/* k-arm comparisons of arms with given n, mean, sd against ab_karm.json. */
static cJSON *test_karm(const cJSON *c, const char *extra)
{
	char buf[3][256];
	const char *keys[3] = { "n", "mean", "sd" };
	char *line;
	cJSON *r;

	for (int k = 0; k < 3; k++) {
		const cJSON *v;
		size_t at = 0;

		buf[k][0] = '\0';
		cJSON_ArrayForEach(v, cJSON_GetObjectItem(c, keys[k]))
			at += (size_t)snprintf(buf[k] + at, sizeof buf[k] - at, "%s%.17g",
			    at ? "," : "", v->valuedouble);
	}
	line = xasprintf("abtest means n=%s mean=%s sd=%s%s", buf[0], buf[1], buf[2], extra);
	r = test_run(line);
	free(line);
	return r;
}

static void test_karm_compare(const cJSON *r, const cJSON *c)
{
	int k = cJSON_GetArraySize(cJSON_GetObjectItem(c, "p"));

	for (int i = 0; i < k; i++) {
		const cJSON *got = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "comparisons"), i);
		const cJSON *want = cJSON_GetArrayItem(cJSON_GetObjectItem(c, "p"), i);
		char key[32];

		if (cJSON_IsNull(want)) {
			CU_ASSERT(cJSON_IsNull(cJSON_GetObjectItem(got, "p_value")));
			CU_ASSERT(cJSON_IsNull(cJSON_GetObjectItem(got, "p_value_holm")));
			continue;
		}
		snprintf(key, sizeof key, "t.%d", i);
		CU_ASSERT_REL(test_num(got, "t"), test_num(c, key), CLOSED);
		snprintf(key, sizeof key, "p.%d", i);
		CU_ASSERT_REL(test_num(got, "p_value"), test_num(c, key), CLOSED);
		snprintf(key, sizeof key, "p_holm.%d", i);
		CU_ASSERT_REL(test_num(got, "p_value_holm"), test_num(c, key), CLOSED);
	}
}

/* Two of five arms with sd 0: R's aov and t.test on the defined pairs. */
static void test_karm_degenerate(void)
{
	cJSON *ref_k = cutest_fixture_json("ab_karm.json");
	const cJSON *d = cJSON_GetObjectItem(ref_k, "degenerate");
	const cJSON *v = cJSON_GetObjectItem(ref_k, "varying");
	cJSON *r = test_karm(d, "");

	CU_ASSERT_REL(test_num(r, "f"), test_num(d, "f"), CLOSED);
	CU_ASSERT_EQUAL(test_num(r, "df2"), test_num(d, "df2"));
	CU_ASSERT_REL(test_num(r, "p_value"), test_num(d, "p_value"), CLOSED);
	test_karm_compare(r, d);
	CU_ASSERT_STRING_EQUAL(cJSON_GetArrayItem(cJSON_GetObjectItem(r, "notes"), 0)->valuestring,
	    "arm 3: no t-test (data are essentially constant)");
	cJSON_Delete(r);
	/* Welch's F has no weights for an sd of 0: marked, the rest stays. */
	r = test_karm(d, " welch=yes");
	CU_ASSERT(cJSON_IsNull(cJSON_GetObjectItem(r, "f")));
	CU_ASSERT_STRING_EQUAL(cJSON_GetArrayItem(cJSON_GetObjectItem(r, "notes"), 1)->valuestring,
	    "no Welch F test (arm 1 has no variation: Welch's weights are undefined)");
	test_karm_compare(r, d);
	cJSON_Delete(r);
	/* oneway.test's default on arms that all vary. */
	r = test_karm(v, " welch=yes");
	CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(r, "f_test")->valuestring, "Welch");
	CU_ASSERT_REL(test_num(r, "f"), test_num(v, "welch.f"), CLOSED);
	CU_ASSERT_REL(test_num(r, "df2"), test_num(v, "welch.df2"), CLOSED);
	CU_ASSERT_REL(test_num(r, "p_value"), test_num(v, "welch.p_value"), CLOSED);
	test_karm_compare(r, v);
	cJSON_Delete(r);
	r = test_karm(v, "");
	CU_ASSERT_REL(test_num(r, "f"), test_num(v, "f"), CLOSED);
	CU_ASSERT_REL(test_num(r, "p_value"), test_num(v, "p_value"), CLOSED);
	cJSON_Delete(r);
	cJSON_Delete(ref_k);
}

/* Theta on a seasonally adjusted series (M3 quarterly N0702): intervals as
 * thetaf's, about the reseasonalised mean but not scaled by the index. */
static void test_theta_seasonal(void)
{
	cJSON *ref_t = cutest_fixture_json("theta_seasonal.json");
	const cJSON *v;
	struct forecast_spec spec = { .model = FORECAST_THETA, .period = 4, .horizon = 8 };
	struct forecast_result r;
	double y[64];
	size_t n = 0;
	char *cause = NULL, key[16];

	cJSON_ArrayForEach(v, cJSON_GetObjectItem(ref_t, "y"))
		y[n++] = v->valuedouble;
	CU_ASSERT_FATAL(n == 37 && forecast_fit(y, n, &spec, &r, &cause) == 0);
	CU_ASSERT_EQUAL(r.seasonal, 1);
	for (int h = 0; h < 8; h++) {
		const struct forecast_point *p = &r.points[h];
		const char *name[5] = { "mean", "lo80", "hi80", "lo95", "hi95" };
		const double got[5] = { p->mean, p->lo80, p->hi80, p->lo95, p->hi95 };

		/* The SES fits differ only in the optimiser (alpha 0.9999 against
		 * 0.99989995, sigma^2 7e-6 apart); scaled by the index the
		 * bounds were up to 7% off. */
		for (int k = 0; k < 5; k++) {
			snprintf(key, sizeof key, "%s.%d", name[k], h);
			CU_ASSERT_REL(got[k], test_num(ref_t, key), 1e-5);
		}
	}
	forecast_result_done(&r);
	cJSON_Delete(ref_t);
}

/* auto without a season: a steady trend goes to a trend model (the pool's
 * ses and theta lag it), a level with noise stays with the pool. */
static void test_auto_trend(void)
{
	struct forecast_spec spec = { .model = FORECAST_AUTO, .period = 1, .horizon = 6 };
	struct forecast_result r;
	double y[40];
	char *cause = NULL;

	for (int i = 0; i < 40; i++)
		y[i] = 100 + 5 * i + 0.3 * sin(i * 1.7);
	CU_ASSERT_FATAL(forecast_fit(y, 40, &spec, &r, &cause) == 0);
	CU_ASSERT_EQUAL(r.model, FORECAST_HOLT);
	CU_ASSERT(r.why != NULL && strncmp(r.why, "holt", 4) == 0);
	CU_ASSERT(fabs(r.points[5].mean - (100 + 5 * 45)) < 2);
	forecast_result_done(&r);
	for (int i = 0; i < 40; i++)
		y[i] = 100 + 10 * sin(i * 2.3) + 7 * cos(i * 0.9);
	CU_ASSERT_FATAL(forecast_fit(y, 40, &spec, &r, &cause) == 0);
	CU_ASSERT_EQUAL(r.model, FORECAST_COMB);
	CU_ASSERT(r.why != NULL && strncmp(r.why, "combo: backtest MASE", 20) == 0);
	forecast_result_done(&r);
}

int main(void)
{
	static const struct cutest_case cases[] = {
		{ "R Welch from summaries near 1e9", test_summaries },
		{ "R t.test and CUPED on rows near 1e9", test_rows },
		{ "aggregates about a reference", test_aggregates },
		{ "merging arms", test_merge },
		{ "R power.t.test, n = 2 .. 1e11", test_power_grid },
		{ "R aov, oneway.test, t.test with sd 0 arms", test_karm_degenerate },
		{ "R thetaf intervals on a seasonal series", test_theta_seasonal },
		{ "auto: a trend model without a season", test_auto_trend },
		{ NULL, NULL }
	};
	int rc;

	gsl_set_error_handler_off();
	ref = cutest_fixture_json("ab_precision.json");
	cmd_ctx_init(&ctx);
	rc = cutest_run("edges", cases);
	cmd_ctx_done(&ctx);
	cJSON_Delete(ref);
	return rc;
}
