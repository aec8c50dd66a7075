/* k-means on 1,000,000 x 8 rows from a seeded mixture of 8 Gaussians:
 * prints the fit time and inertia, and can save the rows (raw little-endian
 * doubles, row-major) for bench-kmeans.py to fit the same data.
 *
 * usage: bench-kmeans [-a hamerly|lloyd] [-n rows] [-r runs]
 *        [-s data-seed] [-S fit-seed] [-t threads] [-T tol] [-w file]
 *
 * With -r, fits runs times with fit seeds fit-seed, fit-seed + 1, ...: with
 * n_init = 1 a seed sometimes lands in a worse local optimum, for us and for
 * scikit-learn alike, so compare over several. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "kmeans.h"
#include "xmalloc.h"

#define BENCH_D 8
#define BENCH_K 8

static double bench_now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Centres uniform in [-5, 5]^8, per-component sd in [1, 3], equal
 * weights. */
static double *bench_generate(size_t n, unsigned long seed)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	double centre[BENCH_K][BENCH_D], sd[BENCH_K], *x;
	size_t g;

	gsl_rng_set(rng, seed);
	for (g = 0; g < BENCH_K; g++) {
		for (size_t f = 0; f < BENCH_D; f++)
			centre[g][f] = gsl_ran_flat(rng, -5, 5);
		sd[g] = gsl_ran_flat(rng, 1, 3);
	}
	x = xcalloc(n * BENCH_D, sizeof *x);
	for (size_t i = 0; i < n; i++) {
		g = gsl_rng_uniform_int(rng, BENCH_K);
		for (size_t f = 0; f < BENCH_D; f++)
			x[i * BENCH_D + f] = centre[g][f] +
			    gsl_ran_gaussian_ziggurat(rng, sd[g]);
	}
	gsl_rng_free(rng);
	return x;
}

static int bench_write(const char *path, const double *x, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL) {
		perror(path);
		return -1;
	}
	fwrite(x, sizeof *x, n * BENCH_D, f);
	if (ferror(f) || fclose(f) != 0) {
		perror(path);
		return -1;
	}
	return 0;
}

/* One fit, printed in the format bench-kmeans.py also uses. */
static int bench_fit(const double *x, size_t n, struct kmeans_options *opt)
{
	struct kmeans_result *r;
	char *cause;
	double t0, t1, c0, c1;

	c0 = bench_now(CLOCK_PROCESS_CPUTIME_ID);
	t0 = bench_now(CLOCK_MONOTONIC);
	if (kmeans_fit(x, n, BENCH_D, opt, &r, &cause) != 0) {
		fprintf(stderr, "bench-kmeans: %s\n", cause);
		free(cause);
		return -1;
	}
	t1 = bench_now(CLOCK_MONOTONIC);
	c1 = bench_now(CLOCK_PROCESS_CPUTIME_ID);
	printf("crossmkt %s: n=%zu d=%d k=%d seed %lu time %.3f s "
	    "inertia %.6f iterations %u cpu %.3f s distances/row %.1f\n",
	    opt->algorithm == KMEANS_LLOYD ? "lloyd" : "hamerly", n, BENCH_D,
	    BENCH_K, opt->seed, t1 - t0, r->inertia, r->n_iter, c1 - c0,
	    (double)r->n_distances / n);
	kmeans_result_free(r);
	return 0;
}

static void bench_usage(void)
{
	fprintf(stderr, "usage: bench-kmeans [-a hamerly|lloyd] [-n rows] "
	    "[-r runs] [-s data-seed] [-S fit-seed] [-t threads] [-T tol] "
	    "[-w file]\n");
}

int main(int argc, char **argv)
{
	struct kmeans_options opt;
	size_t n = 1000000;
	unsigned long seed = 42, fit_seed = 1, runs = 1;
	const char *out = NULL;
	double *x;
	int c, rc = 0;

	gsl_set_error_handler_off();
	kmeans_options_init(&opt, BENCH_K);
	while ((c = getopt(argc, argv, "a:n:r:s:S:t:T:w:")) != -1) {
		switch (c) {
		case 'a':
			opt.algorithm = strcmp(optarg, "lloyd") == 0 ?
			    KMEANS_LLOYD : KMEANS_HAMERLY;
			break;
		case 'n':
			n = strtoul(optarg, NULL, 10);
			break;
		case 'r':
			runs = strtoul(optarg, NULL, 10);
			break;
		case 's':
			seed = strtoul(optarg, NULL, 10);
			break;
		case 'S':
			fit_seed = strtoul(optarg, NULL, 10);
			break;
		case 't':
			opt.threads = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'T':
			opt.tol = strtod(optarg, NULL);
			break;
		case 'w':
			out = optarg;
			break;
		default:
			bench_usage();
			return 2;
		}
	}
	x = bench_generate(n, seed);
	if (out != NULL && bench_write(out, x, n) != 0)
		rc = 1;
	for (unsigned long e = 0; rc == 0 && e < runs; e++) {
		opt.seed = fit_seed + e;
		if (bench_fit(x, n, &opt) != 0)
			rc = 1;
	}
	free(x);
	return rc;
}
