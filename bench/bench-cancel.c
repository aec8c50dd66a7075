/* How fast the console gets a long command off its hands: each command runs
 * as the console runs it (a job on borrowed datasets), once to its end (the
 * reference) and once cancelled halfway, timing from the cancel to the job's
 * end. The datasets must come back unchanged.
 *
 * bench-cancel EVENTS.CSV POINTS.CSV DAILY.CSV (POINTS with columns a, b, c) */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "command.h"
#include "job.h"
#include "xmalloc.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Waits for the job up to limit seconds; true when it ended. */
static bool wait_job(struct job *j, double limit)
{
	double end = now() + limit;
	struct pollfd p = { job_fd(j), POLLIN, 0 };

	while (!job_poll(j)) {
		double left = end - now();

		if (left <= 0)
			return false;
		poll(&p, 1, (int)(left * 1000) + 1);
	}
	return true;
}

/* Runs line as a job; -1 when it fails. cancel_after < 0 runs it to the
 * end; otherwise *latency is the time from the cancel to the end. */
static int run(struct cmd_ctx *ctx, const char *line, double cancel_after, double *took,
    double *latency)
{
	char *cause = NULL;
	cJSON *res = NULL;
	double t0 = now(), t1;
	struct job *j = job_start(line, ctx, &cause);
	int rc;

	if (j == NULL) {
		fprintf(stderr, "%s: %s\n", line, cause);
		free(cause);
		return -1;
	}
	if (cancel_after >= 0 && !wait_job(j, cancel_after)) {
		t1 = now();
		job_cancel(j);
		wait_job(j, 1e9);
		*latency = now() - t1;
	}
	wait_job(j, 1e9);
	*took = now() - t0;
	rc = job_finish(j, ctx, &res, &cause);
	if (rc != 0 && cancel_after < 0)
		fprintf(stderr, "%s\n", cause);
	job_free(j);
	cJSON_Delete(res);
	free(cause);
	return cancel_after < 0 ? rc : 0;
}

/* Runs line here, for setting up. */
static int run_here(struct cmd_ctx *ctx, const char *line)
{
	char *cause = NULL;
	cJSON *res = NULL;
	int rc = cmd_run(ctx, line, &res, &cause);

	if (rc != 0)
		fprintf(stderr, "%s\n", cause);
	cJSON_Delete(res);
	free(cause);
	return rc;
}

static size_t columns(const struct cmd_ctx *ctx)
{
	size_t n = 0;

	for (size_t i = 0; i < ctx->ws.n_tables; i++)
		n += ctx->ws.tables[i]->n_cols;
	return n;
}

int main(int argc, char **argv)
{
	struct cmd_ctx ctx;
	char *lines[4];
	int status = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: bench-cancel EVENTS.CSV POINTS.CSV DAILY.CSV\n");
		return 2;
	}
	cmd_ctx_init(&ctx);
	lines[0] = xasprintf("load events2 '%s'", argv[1]);
	lines[1] = xstrdup("segment points features=a,b,c k=auto");
	lines[2] = xstrdup("evaluate-recs events method=itemcf");
	lines[3] = xstrdup("forecast daily column=value time=date by=series_id holdout=14 model=auto");
	for (size_t i = 0; i < 3; i++) {
		const char *what[] = { "events", "points", "daily" };
		char *load = xasprintf("load %s '%s'", what[i], argv[1 + i]);

		if (run_here(&ctx, load) != 0)
			return 1;
		free(load);
	}
	printf("%-72s %9s %9s %11s\n", "command", "whole", "cancelled", "cancel->end");
	for (size_t i = 0; i < 4; i++) {
		double whole, took, latency = -1;
		size_t before, tables;

		if (run(&ctx, lines[i], -1, &whole, &latency) != 0)
			return 1;
		/* Back to the datasets as loaded, then the cancelled run. */
		if (i == 0 && run_here(&ctx, "drop events2") != 0)
			return 1;
		if (i == 1) {
			struct table *t = workspace_get(&ctx.ws, "points");

			table_truncate_columns(t, t->n_cols - 1);
		}
		before = columns(&ctx);
		tables = ctx.ws.n_tables;
		run(&ctx, lines[i], whole / 2, &took, &latency);
		printf("%-72.72s %8.3fs %8.3fs %10.1fms%s\n", lines[i], whole, took, latency * 1000,
		    latency < 0 ? "  (ended before the cancel)" : "");
		if (columns(&ctx) != before || ctx.ws.n_tables != tables) {
			printf("  the datasets changed after a cancel\n");
			status = 1;
		}
		free(lines[i]);
	}
	cmd_ctx_done(&ctx);
	return status;
}
