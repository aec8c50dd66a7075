/* Times dataset operations on a loaded CSV file (the benchmark's 1M-event
 * file): a filter, a derived column and a daily aggregate, each the best of
 * several runs, in milliseconds. bench/ops.R does the same in data.table. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "aggregate.h"
#include "csvload.h"
#include "expr.h"
#include "xmalloc.h"

#define BENCH_RUNS 7

static double bench_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void bench_fail(char *cause)
{
	fprintf(stderr, "bench-ops: %s\n", cause);
	free(cause);
	exit(1);
}

static double bench_filter(const struct table *t, const char *text, size_t *kept)
{
	uint8_t *keep = xmalloc(t->n_rows);
	char *cause = NULL;
	struct expr *e = expr_compile(text, t, &cause);
	double start;

	if (e == NULL)
		bench_fail(cause);
	start = bench_now_ms();
	if (expr_eval_filter(e, t, keep, kept, &cause) != 0)
		bench_fail(cause);
	start = bench_now_ms() - start;
	expr_free(e);
	free(keep);
	return start;
}

static double bench_derive(const struct table *t, const char *text)
{
	char *cause = NULL;
	struct expr *e = expr_compile(text, t, &cause);
	struct column c;
	double start;

	if (e == NULL)
		bench_fail(cause);
	start = bench_now_ms();
	if (expr_eval_column(e, t, &c, &cause) != 0)
		bench_fail(cause);
	start = bench_now_ms() - start;
	expr_column_done(&c);
	expr_free(e);
	return start;
}

static double bench_daily(const struct table *t, size_t *groups)
{
	struct agg_spec specs[] = {
		{ "events", AGG_COUNT, -1 },
		{ "revenue", AGG_SUM, table_find_column(t, "amount") },
	};
	struct agg_request req = { NULL, 0, AGG_EVERY_DAY, table_find_column(t, "ts"), TZ_NONE, specs, 2 };
	struct agg_stats stats;
	struct table *out;
	char *cause = NULL;
	double start = bench_now_ms();

	if (aggregate_run(t, &req, "daily", &out, &stats, &cause) != 0)
		bench_fail(cause);
	start = bench_now_ms() - start;
	*groups = out->n_rows;
	table_free(out);
	return start;
}

static double bench_min(double a, double b)
{
	return a < b ? a : b;
}

int main(int argc, char **argv)
{
	struct csvload_opts opts = { 0 };
	struct table *t;
	char *cause = NULL;
	double f = 1e300, d = 1e300, a = 1e300;
	size_t kept = 0, groups = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: bench-ops EVENTS.csv\n");
		return 2;
	}
	gsl_set_error_handler_off();
	if (csvload_file(argv[1], "events", &opts, &t, &cause) != 0)
		bench_fail(cause);
	for (int i = 0; i < BENCH_RUNS; i++) {
		f = bench_min(f, bench_filter(t, "amount > 50 and arm == 'coupon'", &kept));
		d = bench_min(d, bench_derive(t, "amount * 2"));
		a = bench_min(a, bench_daily(t, &groups));
	}
	printf("crossmkt  filter (amount > 50 and arm == 'coupon'): %8.1f ms  (%zu rows kept)\n", f, kept);
	printf("crossmkt  derive (amount * 2):                       %8.1f ms\n", d);
	printf("crossmkt  aggregate by local day (count, sum):       %8.1f ms  (%zu days)\n", a, groups);
	table_free(t);
	return 0;
}
