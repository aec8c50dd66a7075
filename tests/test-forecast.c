/* Forecast engine against R (tests/fixtures/forecast_reference.json, made
 * by forecast_reference.R; series from daily.csv and forecast_series.csv). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <gsl/gsl_errno.h>

#include "command.h"
#include "cutest.h"
#include "forecast.h"
#include "xmalloc.h"

#define NSERIES 5

static const char *series_ids[NSERIES] = {
	"daily_orders", "daily_gmv", "AirPassengers", "UKgas", "nottem"
};

static cJSON *reference;

struct series {
	double *y;
	size_t n, train, h, m;
	const cJSON *ref;
};

static struct series all[NSERIES];

static void test_push(struct series *s, double v)
{
	s->y = xreallocarray(s->y, s->n + 1, sizeof *s->y);
	s->y[s->n++] = v;
}

/* daily.csv: date,dau,sessions,orders,gmv,... */
static void test_load_daily(void)
{
	char *buf = cutest_fixture("daily.csv"), *line, *save = NULL, *p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	line = strtok_r(buf, "\n", &save);	/* header */
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		p = line;
		for (int i = 0; i < 3; i++)
			p = strchr(p, ',') + 1;
		test_push(&all[0], strtod(p, &p));
		test_push(&all[1], strtod(p + 1, NULL));
	}
	free(buf);
}

/* forecast_series.csv: series,index,value */
static void test_load_r(void)
{
	char *buf = cutest_fixture("forecast_series.csv"), *line, *save = NULL, *p;
	size_t len;

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	line = strtok_r(buf, "\n", &save);
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		p = strrchr(line, ',');
		for (int i = 2; i < NSERIES; i++) {
			len = strlen(series_ids[i]);
			if (strncmp(line, series_ids[i], len) == 0 &&
			    line[len] == ',')
				test_push(&all[i], strtod(p + 1, NULL));
		}
	}
	free(buf);
}

static double num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	CU_ASSERT_FATAL(cJSON_IsNumber(v));
	return v->valuedouble;
}

static const cJSON *obj(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	return v;
}

static double item(const cJSON *a, size_t i)
{
	const cJSON *v = cJSON_GetArrayItem(a, (int)i);

	CU_ASSERT_FATAL(cJSON_IsNumber(v));
	return v->valuedouble;
}

static const cJSON *method(const struct series *s, const char *name)
{
	return obj(obj(s->ref, "methods"), name);
}

static void test_setup(void)
{
	char *text;
	const cJSON *ser;

	if (reference != NULL)
		return;
	text = cutest_fixture("forecast_reference.json");
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	reference = cJSON_Parse(text);
	free(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(reference);
	test_load_daily();
	test_load_r();
	ser = obj(reference, "series");
	for (int i = 0; i < NSERIES; i++) {
		all[i].ref = obj(ser, series_ids[i]);
		CU_ASSERT_EQUAL_FATAL(all[i].n, (size_t)num(all[i].ref, "n"));
		all[i].train = (size_t)num(all[i].ref, "train_n");
		all[i].h = (size_t)num(all[i].ref, "h");
		all[i].m = (size_t)num(all[i].ref, "frequency");
	}
}

static int fit_spec(const struct series *s, struct forecast_spec *spec,
    struct forecast_result *r)
{
	char *cause = NULL;

	spec->period = s->m;
	spec->horizon = s->h;
	if (forecast_fit(s->y, s->train, spec, r, &cause) != 0) {
		fprintf(stderr, "%s: %s\n", forecast_model_name(spec->model),
		    cause);
		free(cause);
		return -1;
	}
	return 0;
}

static int fit(const struct series *s, enum forecast_model model,
    struct forecast_result *r)
{
	struct forecast_spec spec = { 0 };

	spec.model = model;
	return fit_spec(s, &spec, r);
}

static double mase_of(const struct series *s, const struct forecast_result *r)
{
	struct forecast_accuracy a;
	double *f = xcalloc(s->h, sizeof *f);
	char *cause = NULL;

	for (size_t i = 0; i < s->h; i++)
		f[i] = r->points[i].mean;
	CU_ASSERT_EQUAL(forecast_accuracy(s->y, s->train, s->m,
	    s->y + s->train, f, s->h, &a, &cause), 0);
	free(f);
	return a.mase;
}

/* Start values: R's decompose of the first two periods, exactly. */
static void test_hw_start(void)
{
	static const char *keys[2] = { "holtwinters_start_additive",
	    "holtwinters_start_multiplicative" };
	struct forecast_result r;
	const cJSON *st;

	test_setup();
	for (int i = 0; i < NSERIES; i++) {
		for (int k = 0; k < 2; k++) {
			CU_ASSERT_EQUAL_FATAL(fit(&all[i], k ?
			    FORECAST_HW_MULTIPLICATIVE : FORECAST_HW_ADDITIVE,
			    &r), 0);
			st = obj(all[i].ref, keys[k]);
			CU_ASSERT_REL(r.l_start, num(st, "l_start"), 1e-10);
			CU_ASSERT_REL(r.b_start, num(st, "b_start"), 1e-9);
			for (size_t j = 0; j < all[i].m; j++)
				CU_ASSERT_REL(r.s_start[j],
				    item(obj(st, "s_start"), j), 1e-9);
			CU_ASSERT_EQUAL(r.first + 1,
			    (size_t)num(st, "start_time"));
			forecast_result_done(&r);
		}
	}
}

/* The filter at R's parameters gives R's SSE, final states and forecasts. */
static void test_hw_filter(void)
{
	static const char *keys[2] = { "holtwinters_additive",
	    "holtwinters_multiplicative" };
	struct forecast_spec spec = { 0 };
	struct forecast_result r;
	const cJSON *ref, *co, *fc;

	test_setup();
	for (int i = 0; i < NSERIES; i++) {
		for (int k = 0; k < 2; k++) {
			ref = method(&all[i], keys[k]);
			spec.model = k ? FORECAST_HW_MULTIPLICATIVE :
			    FORECAST_HW_ADDITIVE;
			spec.fixed = 1;
			spec.alpha = num(ref, "alpha");
			spec.beta = num(ref, "beta");
			spec.gamma = num(ref, "gamma");
			CU_ASSERT_EQUAL_FATAL(fit_spec(&all[i], &spec, &r), 0);
			CU_ASSERT_REL(r.sse, num(ref, "SSE"), 1e-9);
			co = obj(ref, "coefficients");
			CU_ASSERT_REL(r.level, item(co, 0), 1e-9);
			CU_ASSERT(fabs(r.trend - item(co, 1)) <=
			    1e-9 * fabs(item(co, 0)));
			for (size_t j = 0; j < all[i].m; j++)
				CU_ASSERT_REL(r.season[j], item(co, j + 2),
				    1e-8);
			fc = obj(ref, "forecast");
			for (size_t j = 0; j < all[i].h; j++)
				CU_ASSERT_REL(r.points[j].mean, item(fc, j),
				    1e-9);
			forecast_result_done(&r);
		}
	}
}

/* One Holt-Winters fit against R; returns 1 when R's optimum was also
 * ours, so that parameters and forecasts could be compared. */
static int check_hw_fit(const struct series *s, int mult, const cJSON *ref)
{
	struct forecast_result r;
	const cJSON *fc = obj(ref, "forecast");
	double sse = num(ref, "SSE");
	int same;

	CU_ASSERT_EQUAL_FATAL(fit(s, mult ? FORECAST_HW_MULTIPLICATIVE :
	    FORECAST_HW_ADDITIVE, &r), 0);
	CU_ASSERT(r.sse <= sse * (1 + 1e-9));
	fprintf(stderr, "\n  %-13s %-4s alpha %.6f/%.6f beta %.6f/%.6f gamma "
	    "%.6f/%.6f SSE %.8g/%.8g", series_ids[s - all],
	    mult ? "mult" : "add", r.alpha,
	    num(ref, "alpha"), r.beta, num(ref, "beta"), r.gamma,
	    num(ref, "gamma"), r.sse, sse);
	/* R's L-BFGS-B can stop in a worse basin (AirPassengers,
	 * multiplicative: SSE 20768 against 13287 here) */
	same = r.sse > 0.99 * sse;
	for (size_t j = 0; same && j < s->h; j++)
		CU_ASSERT_REL(r.points[j].mean, item(fc, j), 2e-3);
	if (same) {
		CU_ASSERT(fabs(r.alpha - num(ref, "alpha")) < 2e-3);
		CU_ASSERT(fabs(r.beta - num(ref, "beta")) < 2e-3);
		CU_ASSERT(fabs(r.gamma - num(ref, "gamma")) < 2e-3);
	}
	forecast_result_done(&r);
	return same;
}

/* Fitted smoothing parameters: the SSE is never worse than R's, and where
 * R found the same optimum the parameters and forecasts agree. */
static void test_hw_fit(void)
{
	int same = 0;

	test_setup();
	for (int i = 0; i < NSERIES; i++) {
		same += check_hw_fit(&all[i], 0,
		    method(&all[i], "holtwinters_additive"));
		same += check_hw_fit(&all[i], 1,
		    method(&all[i], "holtwinters_multiplicative"));
	}
	CU_ASSERT(same >= 9);
	fprintf(stderr, "\n  ");
}

/* Held-out accuracy of auto against R's ets and HoltWinters (mean MASE
 * over the five series), with the table printed. */
static void test_auto_accuracy(void)
{
	static const enum forecast_model ours[] = { FORECAST_AUTO,
	    FORECAST_COMB, FORECAST_THETA, FORECAST_HW_ADDITIVE,
	    FORECAST_HW_MULTIPLICATIVE };
	static const char *theirs[] = { "ets", "holtwinters_additive",
	    "holtwinters_multiplicative", "thetaf" };
	double sum[5] = { 0 }, rsum[4] = { 0 }, v;
	struct forecast_result r;

	test_setup();
	fprintf(stderr, "\n  MASE on held-out tails\n  %-13s %7s %7s %7s "
	    "%7s %7s | %7s %7s %7s %7s  auto's choice\n", "series", "auto",
	    "comb", "theta", "hw-add", "hw-mult", "R ets", "R hw-a", "R hw-m",
	    "R theta");
	for (int i = 0; i < NSERIES; i++) {
		fprintf(stderr, "  %-13s", series_ids[i]);
		for (size_t k = 0; k < 5; k++) {
			CU_ASSERT_EQUAL_FATAL(fit(&all[i], ours[k], &r), 0);
			v = mase_of(&all[i], &r);
			sum[k] += v / NSERIES;
			fprintf(stderr, " %7.4f", v);
			if (k == 4)
				break;
			forecast_result_done(&r);
		}
		forecast_result_done(&r);
		fprintf(stderr, " |");
		for (size_t k = 0; k < 4; k++) {
			v = num(method(&all[i], theirs[k]), "MASE");
			rsum[k] += v / NSERIES;
			fprintf(stderr, " %7.4f", v);
		}
		CU_ASSERT_EQUAL_FATAL(fit(&all[i], FORECAST_AUTO, &r), 0);
		fprintf(stderr, "  %s\n", r.why != NULL ? r.why : "");
		forecast_result_done(&r);
	}
	fprintf(stderr, "  %-13s", "mean");
	for (size_t k = 0; k < 5; k++)
		fprintf(stderr, " %7.4f", sum[k]);
	fprintf(stderr, " |");
	for (size_t k = 0; k < 4; k++)
		fprintf(stderr, " %7.4f", rsum[k]);
	fprintf(stderr, "\n");
	CU_ASSERT(sum[0] <= rsum[0]);
	CU_ASSERT(sum[0] <= rsum[1]);
	CU_ASSERT(sum[0] <= rsum[2]);
}

/* thetaf: forecasts as R (the SES fit differs only in the optimiser). */
static void test_theta(void)
{
	struct forecast_result r;
	const cJSON *fc;

	test_setup();
	for (int i = 0; i < NSERIES; i++) {
		CU_ASSERT_EQUAL_FATAL(fit(&all[i], FORECAST_THETA, &r), 0);
		fc = obj(method(&all[i], "thetaf"), "forecast");
		for (size_t j = 0; j < all[i].h; j++)
			CU_ASSERT_REL(r.points[j].mean, item(fc, j), 1e-3);
		forecast_result_done(&r);
	}
}

/* tslm(y ~ trend + season) and tslm(y ~ trend): coefficients and means. */
static void test_linear(void)
{
	static const char *keys[2] = { "tslm_trend_season", "tslm_trend" };
	struct forecast_spec spec = { 0 };
	struct forecast_result r;
	const cJSON *ref;
	char *cause = NULL;

	test_setup();
	for (int i = 0; i < NSERIES; i++) {
		for (int k = 0; k < 2; k++) {
			spec.model = FORECAST_LINEAR;
			CU_ASSERT_EQUAL_FATAL(fit_spec(&all[i], &spec, &r), 0);
			if (k == 1) {	/* fit_spec sets the period: redo */
				forecast_result_done(&r);
				spec.period = 0;
				CU_ASSERT_EQUAL_FATAL(forecast_fit(all[i].y,
				    all[i].train, &spec, &r, &cause), 0);
			}
			ref = method(&all[i], keys[k]);
			CU_ASSERT_EQUAL(r.ncoef, (size_t)cJSON_GetArraySize(
			    obj(ref, "coefficients")));
			for (size_t j = 0; j < r.ncoef; j++)
				CU_ASSERT_REL(r.coef[j],
				    item(obj(ref, "coefficients"), j), 1e-8);
			for (size_t j = 0; j < all[i].h; j++)
				CU_ASSERT_REL(r.points[j].mean,
				    item(obj(ref, "forecast"), j), 1e-9);
			forecast_result_done(&r);
		}
	}
}

/* Standard errors and t intervals: R's summary(lm) and forecast(tslm) on
 * the AirPassengers training part. */
static void test_linear_se(void)
{
	struct forecast_result r;

	test_setup();
	CU_ASSERT_EQUAL_FATAL(fit(&all[2], FORECAST_LINEAR, &r), 0);
	CU_ASSERT_REL(r.coef_se[0], 7.82746161, 1e-8);
	CU_ASSERT_REL(r.coef_se[1], 0.05401333, 1e-6);
	CU_ASSERT_REL(r.coef_se[2], 10.04139634, 1e-8);
	CU_ASSERT_REL(r.points[0].lo80, 378.632, 1e-6);
	CU_ASSERT_REL(r.points[0].lo95, 361.4153, 1e-6);
	CU_ASSERT_REL(r.points[1].hi80, 437.8134, 1e-6);
	CU_ASSERT_REL(r.points[1].hi95, 455.0302, 1e-6);
	forecast_result_done(&r);
}

static int all_finite(const struct forecast_result *r)
{
	for (size_t j = 0; j < r->horizon; j++) {
		if (!isfinite(r->points[j].mean) ||
		    !isfinite(r->points[j].lo95) ||
		    !isfinite(r->points[j].hi95))
			return 0;
	}
	return isfinite(r->sse) && isfinite(r->sigma) && isfinite(r->aicc);
}

/* Trend, season and an indicator regressor recovered exactly from
 * noise-free data; the future rows of the regressor drive the forecast. */
static void test_linear_xreg(void)
{
	struct forecast_spec spec = { 0 };
	struct forecast_result r;
	double y[40], x[44];
	char *cause = NULL;

	for (int i = 0; i < 44; i++) {
		x[i] = i % 5 == 0 ? 1 : 0;
		if (i < 40)
			y[i] = 3 + 2 * (i + 1) + (i % 4 == 1 ? 4 : 0) +
			    5 * x[i];
	}
	spec.model = FORECAST_LINEAR;
	spec.period = 4;
	spec.horizon = 4;
	spec.xreg = x;
	spec.nxreg = 1;
	CU_ASSERT_EQUAL_FATAL(forecast_fit(y, 40, &spec, &r, &cause), 0);
	CU_ASSERT_EQUAL(r.ncoef, 6);
	CU_ASSERT(fabs(r.coef[0] - 3) < 1e-9);
	CU_ASSERT(fabs(r.coef[1] - 2) < 1e-9);
	CU_ASSERT(fabs(r.coef[2] - 4) < 1e-9);
	CU_ASSERT(fabs(r.coef[5] - 5) < 1e-9);
	CU_ASSERT(fabs(r.points[0].mean - (3 + 2 * 41 + 5)) < 1e-8);
	CU_ASSERT(fabs(r.points[1].mean - (3 + 2 * 42 + 4)) < 1e-8);
	forecast_result_done(&r);
}

/* Damped Holt-Winters: phi within its bounds; phi = 1 when fixed and not
 * damped reproduces the undamped filter. */
static void test_hw_damped(void)
{
	struct forecast_spec spec = { 0 };
	struct forecast_result r;

	test_setup();
	spec.model = FORECAST_HW_MULTIPLICATIVE;
	spec.damped = 1;
	CU_ASSERT_EQUAL_FATAL(fit_spec(&all[2], &spec, &r), 0);
	CU_ASSERT(r.phi >= 0.8 && r.phi <= 0.98);
	CU_ASSERT(r.damped);
	CU_ASSERT(all_finite(&r));
	forecast_result_done(&r);
}

static void test_snaive(void)
{
	struct forecast_result r;
	const cJSON *fc;

	test_setup();
	for (int i = 0; i < NSERIES; i++) {
		CU_ASSERT_EQUAL_FATAL(fit(&all[i], FORECAST_SNAIVE, &r), 0);
		fc = obj(method(&all[i], "snaive"), "forecast");
		for (size_t j = 0; j < all[i].h; j++)
			CU_ASSERT_EQUAL(r.points[j].mean, item(fc, j));
		forecast_result_done(&r);
	}
}

/* MASE, sMAPE and RMSE of R's own forecasts, as the R script computed. */
static void test_accuracy(void)
{
	static const char *keys[] = { "ets", "thetaf", "holtwinters_additive",
	    "snaive" };
	struct forecast_accuracy a;
	const cJSON *ref;
	double f[64];
	char *cause = NULL;

	test_setup();
	for (int i = 0; i < NSERIES; i++) {
		for (size_t k = 0; k < 4; k++) {
			ref = method(&all[i], keys[k]);
			for (size_t j = 0; j < all[i].h; j++)
				f[j] = item(obj(ref, "forecast"), j);
			CU_ASSERT_EQUAL_FATAL(forecast_accuracy(all[i].y,
			    all[i].train, all[i].m, all[i].y + all[i].train, f,
			    all[i].h, &a, &cause), 0);
			CU_ASSERT_REL(a.mase, num(ref, "MASE"), 1e-9);
			CU_ASSERT_REL(a.smape, num(ref, "sMAPE"), 1e-9);
			CU_ASSERT_REL(a.rmse, num(ref, "RMSE"), 1e-9);
			CU_ASSERT_REL(a.mae, num(ref, "MAE"), 1e-9);
		}
	}
}

/* 50 + 0.3 t + 8 sin(0.9 t) + 6 sin(2.3 t) + 4 sin(0.05 t^2), t = 1..80:
 * smooth enough for interior smoothing parameters. */
static void test_wave(double *y)
{
	for (int t = 1; t <= 80; t++)
		y[t - 1] = 50 + 0.3 * t + 8 * sin(0.9 * t) + 6 * sin(2.3 * t) +
		    4 * sin(0.05 * t * t);
}

/* ses() and holt() of R's forecast package (ets, opt.crit = "mse"). */
static void test_smoothing(void)
{
	struct forecast_spec spec = { 0 };
	struct forecast_result r;
	double y[80];
	char *cause = NULL;

	test_wave(y);
	spec.model = FORECAST_SES;
	spec.horizon = 5;
	CU_ASSERT_EQUAL_FATAL(forecast_fit(y, 80, &spec, &r, &cause), 0);
	CU_ASSERT(r.sse <= 70.24085931 * 80 * (1 + 1e-9));
	CU_ASSERT(fabs(r.alpha - 0.1310252475) < 1e-4);
	/* the SSE is flat in alpha: ours is 0.13106, slightly lower SSE */
	CU_ASSERT_REL(r.points[0].mean, 72.97437258, 1e-4);
	CU_ASSERT_REL(r.points[0].lo80, 62.09688276, 1e-4);
	CU_ASSERT_REL(r.points[4].hi95, 90.17176471, 1e-4);
	CU_ASSERT_REL(r.sigma * r.sigma, 72.04190698, 1e-5);
	forecast_result_done(&r);
	/* R: 59.7457 undamped, 65.5511 damped (its optimiser stops early) */
	spec.model = FORECAST_HOLT;
	CU_ASSERT_EQUAL_FATAL(forecast_fit(y, 80, &spec, &r, &cause), 0);
	CU_ASSERT(r.sse <= 59.7457194 * 80 * (1 + 1e-6));
	CU_ASSERT_REL(r.points[4].mean, 74.62358256, 1e-2);
	forecast_result_done(&r);
	spec.damped = 1;
	CU_ASSERT_EQUAL_FATAL(forecast_fit(y, 80, &spec, &r, &cause), 0);
	CU_ASSERT(r.sse <= 65.55112258 * 80 * (1 + 1e-9));
	CU_ASSERT(r.phi >= 0.8 && r.phi <= 0.98);
	CU_ASSERT(r.beta <= r.alpha);
	forecast_result_done(&r);
}

/* Additive Holt-Winters intervals as predict(HoltWinters(nottem train),
 * 12, prediction.interval = TRUE). */
static void test_hw_intervals(void)
{
	struct forecast_spec spec = { 0 };
	struct forecast_result r;
	const cJSON *ref = method(&all[4], "holtwinters_additive");

	test_setup();
	spec.model = FORECAST_HW_ADDITIVE;
	spec.fixed = 1;
	spec.alpha = num(ref, "alpha");
	spec.beta = num(ref, "beta");
	spec.gamma = num(ref, "gamma");
	CU_ASSERT_EQUAL_FATAL(fit_spec(&all[4], &spec, &r), 0);
	CU_ASSERT_REL(r.points[0].hi95, 45.87714, 1e-6);
	CU_ASSERT_REL(r.points[0].lo95, 35.46708, 1e-6);
	CU_ASSERT_REL(r.points[11].hi95, 45.98348, 1e-6);
	CU_ASSERT_REL(r.points[11].lo95, 34.15765, 1e-6);
	forecast_result_done(&r);
}

static int ordered(const struct forecast_point *p)
{
	return p->lo95 <= p->lo80 && p->lo80 <= p->hi80 && p->hi80 <= p->hi95 &&
	    p->lo95 < p->hi95;
}

/* Every model: nested intervals around the mean, widening for the
 * smoothers; simulated intervals reproducible for a seed. */
static void test_intervals(void)
{
	struct forecast_result r, r2;
	struct forecast_spec spec = { 0 };

	test_setup();
	for (int k = FORECAST_AUTO; k < FORECAST_NMODELS; k++) {
		spec.model = (enum forecast_model)k;
		CU_ASSERT_EQUAL_FATAL(fit_spec(&all[2], &spec, &r), 0);
		for (size_t j = 0; j < r.horizon; j++) {
			CU_ASSERT(ordered(&r.points[j]));
			CU_ASSERT(r.points[j].mean > r.points[j].lo80);
			CU_ASSERT(r.points[j].mean < r.points[j].hi80);
		}
		forecast_result_done(&r);
	}
	spec.model = FORECAST_HW_MULTIPLICATIVE;
	spec.seed = 7;
	fit_spec(&all[2], &spec, &r);
	fit_spec(&all[2], &spec, &r2);
	CU_ASSERT_EQUAL(r.points[11].lo95, r2.points[11].lo95);
	CU_ASSERT(r.points[11].hi95 - r.points[11].lo95 >
	    r.points[0].hi95 - r.points[0].lo95);
	forecast_result_done(&r2);
	spec.seed = 8;
	fit_spec(&all[2], &spec, &r2);
	CU_ASSERT(r.points[11].lo95 != r2.points[11].lo95);
	forecast_result_done(&r);
	forecast_result_done(&r2);
}

/* Constant series: every model gives the constant, never NaN. */
static void test_constant(void)
{
	struct forecast_spec spec = { 0 };
	struct forecast_result r;
	struct forecast_accuracy a;
	double y[40];
	char *cause = NULL;

	for (int i = 0; i < 40; i++)
		y[i] = 5;
	spec.period = 4;
	spec.horizon = 6;
	for (int k = FORECAST_AUTO; k < FORECAST_NMODELS; k++) {
		spec.model = (enum forecast_model)k;
		CU_ASSERT_EQUAL_FATAL(forecast_fit(y, 40, &spec, &r, &cause),
		    0);
		CU_ASSERT(all_finite(&r));
		for (size_t j = 0; j < 6; j++)
			CU_ASSERT(fabs(r.points[j].mean - 5) < 1e-6);
		forecast_result_done(&r);
	}
	CU_ASSERT_EQUAL(forecast_accuracy(y, 40, 4, y, y, 6, &a, &cause), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(cause, "constant"));
	free(cause);
}

static void expect_error(const double *y, size_t n, enum forecast_model m,
    size_t period, const char *words)
{
	struct forecast_spec spec = { 0 };
	struct forecast_result r;
	char *cause = NULL;

	spec.model = m;
	spec.period = period;
	spec.horizon = 3;
	CU_ASSERT_EQUAL(forecast_fit(y, n, &spec, &r, &cause), -1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cause);
	CU_ASSERT_PTR_NOT_NULL(strstr(cause, words));
	CU_ASSERT_PTR_NULL(r.points);
	free(cause);
}

/* Short, non-positive and missing data: a clear error or a stated
 * fallback. */
static void test_degenerate(void)
{
	struct forecast_spec spec = { 0 };
	struct forecast_result r;
	double y[30];
	char *cause = NULL;

	for (int i = 0; i < 30; i++)
		y[i] = 10 + (i % 4) - (i % 7 == 3 ? 12 : 0);
	expect_error(y, 20, FORECAST_HW_ADDITIVE, 12, "two seasons");
	expect_error(y, 30, FORECAST_HW_MULTIPLICATIVE, 4, "positive");
	expect_error(y, 30, FORECAST_HW_ADDITIVE, 1, "season length");
	expect_error(y, 1, FORECAST_AUTO, 4, "at least");
	expect_error(y, 0, FORECAST_SES, 0, "no data");
	expect_error(y, 3, FORECAST_LINEAR, 4, "coefficients");
	y[5] = NAN;
	expect_error(y, 30, FORECAST_THETA, 4, "not finite");
	y[5] = 10;
	/* exactly two seasons is enough, as for R's HoltWinters */
	spec.model = FORECAST_HW_ADDITIVE;
	spec.period = 12;
	spec.horizon = 3;
	CU_ASSERT_EQUAL(forecast_fit(y, 24, &spec, &r, &cause), 0);
	CU_ASSERT(all_finite(&r));
	CU_ASSERT_EQUAL(r.first, 12);
	forecast_result_done(&r);
	/* Theta and the pool skip the multiplicative adjustment when values
	 * are not positive; auto still forecasts a short seasonal series. */
	spec.period = 4;
	spec.horizon = 8;
	spec.model = FORECAST_THETA;
	CU_ASSERT_EQUAL(forecast_fit(y, 30, &spec, &r, &cause), 0);
	CU_ASSERT_EQUAL(r.seasonal, 0);
	CU_ASSERT(all_finite(&r));
	forecast_result_done(&r);
	spec.model = FORECAST_AUTO;
	spec.period = 12;
	CU_ASSERT_EQUAL(forecast_fit(y, 10, &spec, &r, &cause), 0);
	CU_ASSERT(all_finite(&r));
	CU_ASSERT_PTR_NOT_NULL(r.why);
	forecast_result_done(&r);
}

/* A periodic series is forecast exactly by the seasonal naive method at
 * every origin. */
static void test_backtest(void)
{
	struct forecast_spec spec = { 0 };
	struct forecast_accuracy a;
	double y[60];
	char *cause = NULL;

	for (int i = 0; i < 60; i++)
		y[i] = 10 + i % 6 + (i % 6 == 2 ? 5 : 0);
	spec.model = FORECAST_SNAIVE;
	spec.period = 6;
	CU_ASSERT_EQUAL(forecast_backtest(y, 60, &spec, 4, 12, &a, &cause), 0);
	CU_ASSERT_EQUAL(a.mase, 0);
	CU_ASSERT_EQUAL(a.smape, 0);
	CU_ASSERT_EQUAL(forecast_backtest(y, 12, &spec, 4, 12, &a, &cause), -1);
	free(cause);
}

/* Set, the cancel flag stops a backtest, and the automatic choice, which
 * backtests; clear, it changes nothing. */
static void test_cancel(void)
{
	struct forecast_spec spec = { 0 };
	struct forecast_accuracy a, b;
	struct forecast_result r;
	atomic_bool flag = false;
	double y[80];
	char *cause = NULL;

	test_wave(y);
	spec.model = FORECAST_HW_ADDITIVE;
	spec.period = 6;
	CU_ASSERT_EQUAL_FATAL(forecast_backtest(y, 80, &spec, 4, 12, &a,
	    &cause), 0);
	spec.cancel = &flag;
	CU_ASSERT_EQUAL_FATAL(forecast_backtest(y, 80, &spec, 4, 12, &b,
	    &cause), 0);
	CU_ASSERT(memcmp(&a, &b, sizeof a) == 0);
	flag = true;
	CU_ASSERT_EQUAL(forecast_backtest(y, 80, &spec, 4, 12, &b, &cause),
	    -1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cause);
	CU_ASSERT_STRING_EQUAL(cause, "cancelled");
	free(cause);
	cause = NULL;
	spec.model = FORECAST_AUTO;
	spec.horizon = 6;
	CU_ASSERT_EQUAL(forecast_fit(y, 80, &spec, &r, &cause), -1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cause);
	CU_ASSERT_STRING_EQUAL(cause, "cancelled");
	CU_ASSERT_PTR_NULL(r.points);
	free(cause);
}

/* Through cmd_run: each series command fails as a whole. */
static void test_cancel_commands(void)
{
	static const char *const lines[] = {
		"forecast d column=v time=date",
		"forecast d column=v time=date holdout=7",
		"backtest d column=v time=date horizon=7 origins=3",
		"uplift d column=v time=date start=2024-03-01 end=2024-03-10",
	};
	struct cmd_ctx ctx;
	struct table *t;
	atomic_bool flag = true;
	double y[80];

	cmd_ctx_init(&ctx);
	ctx.cancel = &flag;
	test_wave(y);
	t = table_new("d", NULL);
	t->n_rows = 80;
	table_add_column(t, "date", COL_DATE);
	table_add_column(t, "v", COL_FLOAT);
	for (int i = 0; i < 80; i++) {
		t->cols[0].v.days[i] = 19723 + i;	/* from 2024-01-01 */
		t->cols[1].v.f64[i] = y[i];
	}
	workspace_put(&ctx.ws, t);
	cutest_cancel_commands(&ctx, &flag, lines, 4);
	cmd_ctx_done(&ctx);
}

static void test_names(void)
{
	for (int k = 0; k < FORECAST_NMODELS; k++)
		CU_ASSERT_EQUAL(forecast_model_find(forecast_model_name(
		    (enum forecast_model)k)), k);
	CU_ASSERT_EQUAL(forecast_model_find("arima"), -1);
}

int main(void)
{
	static const struct cutest_case cases[] = {
		{ "hw start values as R", test_hw_start },
		{ "hw filter at R's parameters", test_hw_filter },
		{ "hw fits as R", test_hw_fit },
		{ "auto beats R's ets and HoltWinters", test_auto_accuracy },
		{ "theta as R's thetaf", test_theta },
		{ "linear as R's tslm", test_linear },
		{ "linear standard errors and intervals", test_linear_se },
		{ "linear with a regressor", test_linear_xreg },
		{ "damped holt-winters", test_hw_damped },
		{ "seasonal naive", test_snaive },
		{ "accuracy measures as R", test_accuracy },
		{ "ses and holt as R", test_smoothing },
		{ "hw intervals as R", test_hw_intervals },
		{ "intervals nested and reproducible", test_intervals },
		{ "constant series", test_constant },
		{ "degenerate inputs", test_degenerate },
		{ "backtest", test_backtest },
		{ "cancel", test_cancel },
		{ "cancel: series commands", test_cancel_commands },
		{ "model names", test_names },
		{ NULL, NULL }
	};
	int rc;

	gsl_set_error_handler_off();
	rc = cutest_run("forecast", cases);
	for (int i = 0; i < NSERIES; i++)
		free(all[i].y);
	cJSON_Delete(reference);
	return rc;
}
