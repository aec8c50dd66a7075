/* M3 monthly evaluation of the forecast engine: fits each model on the
 * training part of every series, forecasts the 18 held-out months and
 * prints mean sMAPE and MASE per model with the time taken.
 *
 * usage: m3eval [-d dump.csv] [-m model,model...] [m3_monthly.csv]
 * The CSV is long format, series_id,date,value,split with split "train" or
 * "test", rows of a series together, no quoting. Published and R scores
 * for monthly series are printed from m3_benchmarks.csv beside it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "forecast.h"
#include "xmalloc.h"

#define M3_PERIOD 12

struct m3_series {
	char id[32];
	double *train, *test;
	size_t ntrain, ntest;
};

struct m3_score {
	enum forecast_model model;
	double smape, mase, seconds;
	size_t failed;
	size_t chose[FORECAST_NMODELS];	/* auto: how often each model */
};

static void m3_push(double **a, size_t *n, double v)
{
	*a = xreallocarray(*a, *n + 1, sizeof **a);
	(*a)[(*n)++] = v;
}

/* Splits one line in place into 4 fields; -1 when it has fewer. */
static int m3_fields(char *line, char **f)
{
	for (int i = 0; i < 4; i++) {
		f[i] = line;
		line = strchr(line, i < 3 ? ',' : '\n');
		if (line == NULL)
			return i == 3 ? 0 : -1;
		*line++ = '\0';
	}
	return 0;
}

static struct m3_series *m3_load(const char *path, size_t *count)
{
	FILE *f = fopen(path, "r");
	struct m3_series *s = NULL, *cur = NULL;
	char line[256], *fl[4];
	size_t n = 0;

	if (f == NULL)
		return NULL;
	if (fgets(line, sizeof line, f) == NULL) {	/* header */
		fclose(f);
		return NULL;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\r")] = '\0';
		if (m3_fields(line, fl) != 0)
			continue;
		if (cur == NULL || strcmp(cur->id, fl[0]) != 0) {
			s = xreallocarray(s, n + 1, sizeof *s);
			cur = memset(&s[n++], 0, sizeof *s);
			xsnprintf(cur->id, sizeof cur->id, "%s", fl[0]);
		}
		if (strncmp(fl[3], "test", 4) == 0)
			m3_push(&cur->test, &cur->ntest, strtod(fl[2], NULL));
		else
			m3_push(&cur->train, &cur->ntrain, strtod(fl[2], NULL));
	}
	fclose(f);
	*count = n;
	return s;
}

static double m3_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Fits one model on one series; the forecast means go to f. */
static int m3_fit(const struct m3_series *s, enum forecast_model model,
    double *f, char **why)
{
	struct forecast_spec spec = { 0 };
	struct forecast_result r;
	char *cause = NULL;

	spec.model = model;
	spec.period = M3_PERIOD;
	spec.horizon = s->ntest;
	spec.damped = model == FORECAST_HOLT;
	if (forecast_fit(s->train, s->ntrain, &spec, &r, &cause) != 0) {
		fprintf(stderr, "%s %s: %s\n", s->id,
		    forecast_model_name(model), cause);
		free(cause);
		return -1;
	}
	for (size_t i = 0; i < s->ntest; i++)
		f[i] = r.points[i].mean;
	if (why != NULL)
		*why = r.why != NULL ? xstrdup(r.why) : NULL;
	forecast_result_done(&r);
	return 0;
}

static void m3_dump(FILE *d, const struct m3_series *s,
    enum forecast_model model, const double *f, const char *why)
{
	fprintf(d, "%s,%s", s->id, forecast_model_name(model));
	for (size_t i = 0; i < s->ntest; i++)
		fprintf(d, ",%.10g", f[i]);
	fprintf(d, ",%s\n", why != NULL ? why : "");
}

/* Counts auto's choice, the model name that starts its reason. */
static void m3_tally(struct m3_score *sc, const char *why)
{
	char name[32];
	int m;

	if (why == NULL || sscanf(why, "%31[^: ]", name) != 1)
		return;
	if ((m = forecast_model_find(name)) >= 0)
		sc->chose[m]++;
}

static void m3_print_choices(const struct m3_score *sc)
{
	int any = 0;

	for (int m = 0; m < FORECAST_NMODELS; m++) {
		if (sc->chose[m] == 0)
			continue;
		printf("%s %s %zu", any ? "," : "  auto chose",
		    forecast_model_name((enum forecast_model)m), sc->chose[m]);
		any = 1;
	}
	if (any)
		printf("\n");
}

static void m3_score_series(struct m3_score *sc, const struct m3_series *s,
    FILE *dump)
{
	struct forecast_accuracy a;
	double *f = xcalloc(s->ntest, sizeof *f), t0 = m3_now();
	char *cause = NULL, *why = NULL;

	if (m3_fit(s, sc->model, f, &why) != 0) {
		sc->failed++;
		free(f);
		return;
	}
	sc->seconds += m3_now() - t0;
	if (forecast_accuracy(s->train, s->ntrain, M3_PERIOD, s->test, f,
	    s->ntest, &a, &cause) != 0) {
		fprintf(stderr, "%s: %s\n", s->id, cause);
		free(cause);
		sc->failed++;
	} else {
		sc->smape += a.smape;
		sc->mase += a.mase;
	}
	if (dump != NULL)
		m3_dump(dump, s, sc->model, f, why);
	m3_tally(sc, why);
	free(why);
	free(f);
}

static size_t m3_models(const char *list, struct m3_score *sc)
{
	char *copy = xstrdup(list), *tok, *save = NULL;
	size_t n = 0;
	int m;

	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if ((m = forecast_model_find(tok)) < 0) {
			fprintf(stderr, "m3eval: unknown model %s\n", tok);
			continue;
		}
		memset(&sc[n], 0, sizeof sc[n]);
		sc[n++].model = (enum forecast_model)m;
		if (n == FORECAST_NMODELS)
			break;
	}
	free(copy);
	return n;
}

/* Prints the MONTHLY rows of m3_benchmarks.csv (subset,method,n,smape,
 * mase,...) found beside the data, for comparison. */
static void m3_benchmarks(const char *data)
{
	const char *slash = strrchr(data, '/');
	char *path, line[512], *f[5], *p;
	FILE *fp;

	path = slash ? xasprintf("%.*s/m3_benchmarks.csv", (int)(slash - data),
	    data) : xstrdup("m3_benchmarks.csv");
	fp = fopen(path, "r");
	free(path);
	if (fp == NULL)
		return;
	printf("published / R (m3_benchmarks.csv, monthly):\n");
	while (fgets(line, sizeof line, fp) != NULL) {
		p = line;
		for (int i = 0; i < 5; i++) {
			f[i] = p;
			p = p != NULL ? strchr(p, ',') : NULL;
			if (p != NULL)
				*p++ = '\0';
		}
		if (p != NULL && strcmp(f[0], "MONTHLY") == 0)
			printf("  %-14s sMAPE %7s  MASE %7s\n", f[1], f[3],
			    f[4]);
	}
	fclose(fp);
}

int main(int argc, char **argv)
{
	const char *path = "../shared/data/m3_monthly.csv", *list =
	    "auto,comb,theta,ses,holt,hw-add,hw-mult,linear,snaive";
	struct m3_score sc[FORECAST_NMODELS];
	struct m3_series *s;
	FILE *dump = NULL;
	size_t n = 0, nm;
	int c;

	gsl_set_error_handler_off();
	while ((c = getopt(argc, argv, "d:m:")) != -1) {
		if (c == 'd' && (dump = fopen(optarg, "w")) == NULL) {
			perror(optarg);
			return 1;
		}
		if (c == 'm')
			list = optarg;
		if (c == '?')
			return 1;
	}
	if (optind < argc)
		path = argv[optind];
	if ((s = m3_load(path, &n)) == NULL || n == 0) {
		fprintf(stderr, "m3eval: cannot read %s\n", path);
		return 1;
	}
	nm = m3_models(list, sc);
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < nm; k++)
			m3_score_series(&sc[k], &s[i], dump);
	}
	printf("%zu series, horizon 18\n%-8s %8s %8s %8s %6s\n", n, "model",
	    "sMAPE", "MASE", "cpu ms", "failed");
	for (size_t k = 0; k < nm; k++) {
		double ok = (double)(n - sc[k].failed);

		printf("%-8s %8.3f %8.4f %8.3f %6zu\n",
		    forecast_model_name(sc[k].model), sc[k].smape / ok,
		    sc[k].mase / ok, 1e3 * sc[k].seconds / ok, sc[k].failed);
	}
	for (size_t k = 0; k < nm; k++)
		m3_print_choices(&sc[k]);
	m3_benchmarks(path);
	for (size_t i = 0; i < n; i++) {
		free(s[i].train);
		free(s[i].test);
	}
	free(s);
	if (dump != NULL)
		fclose(dump);
	return 0;
}
