/* Benchmark: item-CF top-10 for every user of a generated catalogue.
 *
 * Generates users x items interactions with a seeded gsl_rng_mt19937:
 * users belong to one of 50 taste clusters, 70% of events fall in the
 * user's cluster, and both item choice and user activity are skewed
 * towards low indices. Weights follow event types: view 1 (70%),
 * click 2 (20%), purchase 5 (10%). Times the matrix build, the item-item
 * similarities and the top-10 lists, and writes the events (and the lists)
 * for bench/bench-recommend.py. With -n the lists are built without
 * reasons, which is the work the scipy reference does.
 *
 * Data file: 8-byte magic "XMREC01\0", three little-endian uint64 (users,
 * items, events), then uint32 user[events], uint32 item[events], float64
 * weight[events]. Lists file: uint32 [users * k], UINT32_MAX for none.
 *
 * cc -O2 -pthread -I. -Isrc src/xmalloc.c src/recommend*.c \
 *     bench/bench-recommend.c -lgsl -lgslcblas -lm -o bench-recommend
 * ./bench-recommend -o rec.bin -l rec.lists
 * python3 bench/bench-recommend.py rec.bin -l rec.lists */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_rng.h>

#include "recommend.h"
#include "xmalloc.h"

#define BENCH_CLUSTERS 50

struct bench_opts {
	uint32_t nusers, nitems;
	size_t n;
	unsigned long seed;
	unsigned threads;
	uint32_t k, neighbours;
	double shrink;
	const char *data, *lists;
	int no_because;
	unsigned reps;
};

struct bench_data {
	uint32_t *user, *item;
	double *weight;
};

static double bench_clock(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double bench_now(void)
{
	return bench_clock(CLOCK_MONOTONIC);
}

/* CPU time of all threads: wall time is unreliable on a shared machine. */
static double bench_cpu(void)
{
	return bench_clock(CLOCK_PROCESS_CPUTIME_ID);
}

static uint32_t bench_item(gsl_rng *r, uint32_t nitems, uint32_t cluster)
{
	uint32_t per = nitems / BENCH_CLUSTERS, rank;

	if (per > 0 && gsl_rng_uniform(r) < 0.7) {
		rank = (uint32_t)(per * pow(gsl_rng_uniform(r), 2.5));
		return cluster + BENCH_CLUSTERS * rank;
	}
	return (uint32_t)(nitems * pow(gsl_rng_uniform(r), 3));
}

static double bench_weight(gsl_rng *r)
{
	double x = gsl_rng_uniform(r);

	return x < 0.7 ? 1 : (x < 0.9 ? 2 : 5);
}

static void bench_generate(const struct bench_opts *o, struct bench_data *d)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

	gsl_rng_set(r, o->seed);
	d->user = xmalloc(o->n * sizeof *d->user);
	d->item = xmalloc(o->n * sizeof *d->item);
	d->weight = xmalloc(o->n * sizeof *d->weight);
	for (size_t e = 0; e < o->n; e++) {
		d->user[e] = (uint32_t)(o->nusers *
		    pow(gsl_rng_uniform(r), 1.3));
		d->item[e] = bench_item(r, o->nitems,
		    d->user[e] % BENCH_CLUSTERS);
		d->weight[e] = bench_weight(r);
	}
	gsl_rng_free(r);
}

static int bench_close(FILE *f, const char *path)
{
	if (ferror(f) || fclose(f) != 0) {
		fprintf(stderr, "bench-recommend: %s: write failed\n", path);
		return -1;
	}
	return 0;
}

static int bench_write_data(const struct bench_opts *o,
    const struct bench_data *d)
{
	uint64_t head[3] = { o->nusers, o->nitems, o->n };
	FILE *f = fopen(o->data, "wb");

	if (f == NULL) {
		fprintf(stderr, "bench-recommend: %s: %s\n", o->data,
		    strerror(errno));
		return -1;
	}
	fwrite("XMREC01", 1, 8, f);
	fwrite(head, sizeof head[0], 3, f);
	fwrite(d->user, sizeof *d->user, o->n, f);
	fwrite(d->item, sizeof *d->item, o->n, f);
	fwrite(d->weight, sizeof *d->weight, o->n, f);
	return bench_close(f, o->data);
}

static int bench_write_lists(const struct bench_opts *o,
    const struct recommend_hit *hits, const uint32_t *nout)
{
	FILE *f = fopen(o->lists, "wb");
	uint32_t id;

	if (f == NULL) {
		fprintf(stderr, "bench-recommend: %s: %s\n", o->lists,
		    strerror(errno));
		return -1;
	}
	for (size_t u = 0; u < o->nusers; u++) {
		for (uint32_t r = 0; r < o->k; r++) {
			id = r < nout[u] ? hits[u * o->k + r].item : UINT32_MAX;
			fwrite(&id, sizeof id, 1, f);
		}
	}
	return bench_close(f, o->lists);
}

static void bench_usage(void)
{
	fprintf(stderr, "usage: bench-recommend [-u users] [-i items] "
	    "[-e events] [-s seed] [-t threads] [-k k] [-m neighbours] "
	    "[-h shrink] [-o data-file] [-l lists-file] [-n] [-r repeats]\n");
	exit(2);
}

static void bench_parse(int argc, char **argv, struct bench_opts *o)
{
	int c;

	*o = (struct bench_opts){ 100000, 5000, 1000000, 42, 2, 10, 50, 10,
	    NULL, NULL, 0, 1 };
	while ((c = getopt(argc, argv, "u:i:e:s:t:k:m:h:o:l:nr:")) != -1) {
		switch (c) {
		case 'u': o->nusers = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'i': o->nitems = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'e': o->n = strtoull(optarg, NULL, 10); break;
		case 's': o->seed = strtoul(optarg, NULL, 10); break;
		case 't': o->threads = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'k': o->k = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'm': o->neighbours = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'h': o->shrink = strtod(optarg, NULL); break;
		case 'o': o->data = optarg; break;
		case 'l': o->lists = optarg; break;
		case 'n': o->no_because = 1; break;
		case 'r': o->reps = (unsigned)strtoul(optarg, NULL, 10); break;
		default: bench_usage();
		}
	}
}

/* Times build, fit and lists; returns 0 or -1 after printing why. */
static int bench_run(const struct bench_opts *o, const struct bench_data *d)
{
	struct recommend_input in = { o->nusers, o->nitems, o->n, d->user,
	    d->item, d->weight, NULL };
	struct recommend_query q = { o->k, 0, o->no_because };
	struct recommend_matrix *m = NULL;
	struct recommend_model *model = NULL;
	struct recommend_hit *hits;
	struct recommend_spec spec;
	uint32_t *nout;
	double t0, t1, t2, t3, c0, c3;
	char *cause = NULL;
	int rc = -1;

	recommend_spec_init(&spec);
	spec.neighbours = o->neighbours;
	spec.shrink = o->shrink;
	spec.threads = o->threads;
	hits = xmalloc((size_t)o->nusers * o->k * sizeof *hits);
	nout = xmalloc(o->nusers * sizeof *nout);
	c0 = bench_cpu();
	t0 = bench_now();
	if (recommend_matrix_build(&in, NULL, &m, &cause) != 0)
		goto out;
	t1 = bench_now();
	if (recommend_model_fit(m, &spec, &model, &cause) != 0)
		goto out;
	t2 = bench_now();
	if (recommend_all(model, &q, hits, nout, &cause) != 0)
		goto out;
	t3 = bench_now();
	c3 = bench_cpu();
	printf("%u users x %u items, %zu pairs from %zu events, lists %s "
	    "reasons\n", m->nusers, m->nitems, m->nnz, o->n,
	    o->no_because ? "without" : "with");
	printf("build %.3f s, itemcf %.3f s, top-%u %.3f s, total %.3f s "
	    "(%u threads, %.3f s CPU)\n", t1 - t0, t2 - t1, o->k, t3 - t2,
	    t3 - t0, o->threads, c3 - c0);
	rc = o->lists != NULL ? bench_write_lists(o, hits, nout) : 0;
out:
	if (cause != NULL) {
		fprintf(stderr, "bench-recommend: %s\n", cause);
		free(cause);
	}
	recommend_model_free(model);
	recommend_matrix_free(m);
	free(hits);
	free(nout);
	return rc;
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	struct bench_data d;
	int rc;

	bench_parse(argc, argv, &o);
	if (o.nusers == 0 || o.nitems < BENCH_CLUSTERS || o.n == 0 ||
	    o.k == 0 || o.threads == 0 || o.reps == 0)
		bench_usage();
	bench_generate(&o, &d);
	rc = o.data != NULL ? bench_write_data(&o, &d) : 0;
	/* Repeats show how much a shared machine disturbs the timings. */
	for (unsigned r = 0; rc == 0 && r < o.reps; r++)
		rc = bench_run(&o, &d);
	free(d.user);
	free(d.item);
	free(d.weight);
	return rc == 0 ? 0 : 1;
}
