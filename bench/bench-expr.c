/* Times the expression evaluator over a million rows built in memory: a
 * filter on a number and a category, and a derived revenue column. Prints
 * the best and median of several runs in milliseconds. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "expr.h"
#include "table.h"
#include "xmalloc.h"

#define BENCH_ROWS 1000000
#define BENCH_RUNS 15

static double bench_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A cheap deterministic generator so every run sees the same data. */
static uint32_t bench_rand(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*state >> 33);
}

static struct table *bench_table(void)
{
	static const char *const arms[] = { "control", "coupon", "折扣" };
	struct table *t = table_new("bench", NULL);
	uint64_t seed = 42;

	t->n_rows = BENCH_ROWS;
	table_add_column(t, "amount", COL_FLOAT);
	table_add_column(t, "arm", COL_CATEGORY);
	table_add_column(t, "Quantity", COL_INT);
	table_add_column(t, "UnitPrice", COL_FLOAT);
	for (int k = 0; k < 3; k++)
		dict_intern(t->cols[1].dict, arms[k], strlen(arms[k]));
	for (size_t i = 0; i < BENCH_ROWS; i++) {
		t->cols[0].v.f64[i] = bench_rand(&seed) % 10000 / 100.0;
		t->cols[1].v.codes[i] = bench_rand(&seed) % 3;
		t->cols[2].v.i64[i] = 1 + bench_rand(&seed) % 12;
		t->cols[3].v.f64[i] = bench_rand(&seed) % 2000 / 100.0;
		/* About one price in a hundred is missing, as in real exports. */
		if (bench_rand(&seed) % 100 == 0)
			column_set_missing(&t->cols[3], BENCH_ROWS, i);
	}
	return t;
}

static int bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void bench_report(const char *what, const char *text, double *ms, const char *extra)
{
	qsort(ms, BENCH_RUNS, sizeof *ms, bench_cmp);
	printf("%-7s %-36s %d rows  best %7.2f ms  median %7.2f ms  %s\n", what, text,
	    BENCH_ROWS, ms[0], ms[BENCH_RUNS / 2], extra);
}

static int bench_filter(const struct table *t, const char *text)
{
	uint8_t *keep = xmalloc(t->n_rows);
	double ms[BENCH_RUNS], t0;
	size_t kept = 0;
	char *cause = NULL, extra[64];
	struct expr *e = expr_compile(text, t, &cause);

	if (e == NULL) {
		fprintf(stderr, "bench-expr: %s\n", cause);
		free(cause);
		free(keep);
		return -1;
	}
	for (int r = 0; r < BENCH_RUNS; r++) {
		t0 = bench_now_ms();
		if (expr_eval_filter(e, t, keep, &kept, &cause) != 0) {
			fprintf(stderr, "bench-expr: %s\n", cause);
			exit(1);
		}
		ms[r] = bench_now_ms() - t0;
	}
	snprintf(extra, sizeof extra, "kept %zu", kept);
	bench_report("filter", text, ms, extra);
	expr_free(e);
	free(keep);
	return 0;
}

static int bench_derive(const struct table *t, const char *text)
{
	double ms[BENCH_RUNS], t0;
	char *cause = NULL, extra[64];
	struct column out;
	struct expr *e = expr_compile(text, t, &cause);

	if (e == NULL) {
		fprintf(stderr, "bench-expr: %s\n", cause);
		free(cause);
		return -1;
	}
	for (int r = 0; r < BENCH_RUNS; r++) {
		t0 = bench_now_ms();
		if (expr_eval_column(e, t, &out, &cause) != 0) {
			fprintf(stderr, "bench-expr: %s\n", cause);
			exit(1);
		}
		ms[r] = bench_now_ms() - t0;
		snprintf(extra, sizeof extra, "missing %zu", out.n_missing);
		expr_column_done(&out);
	}
	bench_report("derive", text, ms, extra);
	expr_free(e);
	return 0;
}

int main(void)
{
	struct table *t = bench_table();
	int rc = 0;

	rc |= bench_filter(t, "amount > 50 and arm == 'coupon'");
	rc |= bench_filter(t, "arm in ('coupon', '折扣') or amount < 5");
	rc |= bench_derive(t, "Quantity * UnitPrice");
	rc |= bench_derive(t, "round(coalesce(UnitPrice, 0) * 1.13, 2)");
	rc |= bench_derive(t, "arm");
	rc |= bench_derive(t, "coalesce(arm, 'none')");
	table_free(t);
	return rc ? 1 : 0;
}
