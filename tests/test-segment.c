/* Segmentation engine: k-means, scaling, silhouette, labels, RFM, geo.
 * Expected values are worked by hand in the comments, or computed with the
 * same formula in Python where noted. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "command.h"
#include "cutest.h"
#include "geo.h"
#include "kmeans.h"
#include "rfm.h"
#include "segment.h"
#include "xmalloc.h"

/* Two unit squares far apart: the optimum puts each in its own cluster,
 * centroids at the square centres, every point 0.5 from its centroid
 * squared, so inertia 8 x 0.5 = 4. */
static const double two_squares[] = {
	0, 0, 0, 1, 1, 0, 1, 1,
	10, 10, 10, 11, 11, 10, 11, 11
};

/* n x d normal noise around k random centres. */
static double *test_blobs(size_t n, size_t d, size_t k, unsigned long seed)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	double *centre = xcalloc(k * d, sizeof *centre);
	double *x = xcalloc(n * d, sizeof *x);
	size_t g;

	gsl_rng_set(rng, seed);
	for (size_t e = 0; e < k * d; e++)
		centre[e] = gsl_ran_flat(rng, -5, 5);
	for (size_t i = 0; i < n; i++) {
		g = gsl_rng_uniform_int(rng, k);
		for (size_t f = 0; f < d; f++)
			x[i * d + f] = centre[g * d + f] +
			    gsl_ran_gaussian(rng, 2);
	}
	free(centre);
	gsl_rng_free(rng);
	return x;
}

static struct kmeans_result *test_fit(const double *x, size_t n, size_t d,
    const struct kmeans_options *opt)
{
	struct kmeans_result *r = NULL;
	char *cause = NULL;

	CU_ASSERT_EQUAL_FATAL(kmeans_fit(x, n, d, opt, &r, &cause), 0);
	CU_ASSERT_PTR_NULL(cause);
	return r;
}

/* Same labels, centroids and inertia, to the bit. */
static int test_same(const struct kmeans_result *a,
    const struct kmeans_result *b)
{
	return a->n == b->n && a->k == b->k && a->d == b->d &&
	    memcmp(a->labels, b->labels, a->n * sizeof *a->labels) == 0 &&
	    memcmp(a->centroids, b->centroids,
	    a->k * a->d * sizeof *a->centroids) == 0 &&
	    memcmp(a->sizes, b->sizes, a->k * sizeof *a->sizes) == 0 &&
	    memcmp(&a->inertia, &b->inertia, sizeof a->inertia) == 0 &&
	    a->n_iter == b->n_iter;
}

static void test_kmeans_two_groups(void)
{
	struct kmeans_options opt;
	struct kmeans_result *r;
	const double *a, *b;
	size_t lo;

	for (unsigned long seed = 1; seed <= 10; seed++) {
		kmeans_options_init(&opt, 2);
		opt.init = seed % 2 ? KMEANS_INIT_RANDOM : KMEANS_INIT_PLUSPLUS;
		opt.n_init = 3;
		opt.seed = seed;
		r = test_fit(two_squares, 8, 2, &opt);
		lo = r->centroids[0] < 5 ? 0 : 1;
		a = r->centroids + lo * 2;
		b = r->centroids + (1 - lo) * 2;
		CU_ASSERT_DOUBLE_EQUAL(r->inertia, 4.0, 1e-12);
		CU_ASSERT_DOUBLE_EQUAL(a[0], 0.5, 1e-12);
		CU_ASSERT_DOUBLE_EQUAL(a[1], 0.5, 1e-12);
		CU_ASSERT_DOUBLE_EQUAL(b[0], 10.5, 1e-12);
		CU_ASSERT_DOUBLE_EQUAL(b[1], 10.5, 1e-12);
		CU_ASSERT_EQUAL(r->sizes[0], 4);
		CU_ASSERT_EQUAL(r->sizes[1], 4);
		for (size_t i = 0; i < 8; i++)
			CU_ASSERT_EQUAL(r->labels[i], i < 4 ? lo : 1 - lo);
		CU_ASSERT(r->converged);
		kmeans_result_free(r);
	}
}

/* 30 points around three centres, started from rows 0, 1 and 3 (two of
 * them from the same group). Reference: scikit-learn 1.2.1, KMeans(init=
 * those rows, n_init=1, algorithm="lloyd", tol=0), which stops after 4
 * passes with these centroids and inertia; its silhouette_score of the
 * labelling is checked too. */
static void test_kmeans_reference(void)
{
	static const double x[] = {
		0.0, 0.5, 3.6, -0.4, 0.3, 3.4, 0.1, 2.1, 3.2, 0.0, 1.8, 5.6,
		0.2, -1.5, 4.0, 2.1, -1.2, 4.3, -3.0, -2.1, 1.1, 0.6, -1.0,
		5.4, 0.3, -0.3, -0.0, 0.1, 0.9, 5.2, -2.4, -0.8, 2.4, -0.3,
		2.7, 3.7, -0.1, 1.4, 3.1, 0.8, 1.2, 5.1, -2.0, 0.1, 6.2, -1.5,
		2.4, 5.2, -1.0, 3.2, 5.2, -0.9, 1.1, 5.9, -0.3, 1.1, 3.9, 2.1,
		3.3, 3.9
	};
	static const double start[] = { 0.0, 0.5, 3.6, -0.4, 0.0, 1.8 };
	static const double want[] = {
		-0.5545454545454547, 0.10909090909090913,
		3.95, 0.23750000000000027,
		0.9545454545454546, 4.627272727272727
	};
	static const size_t labels[] = { 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 0, 2,
	    0, 0, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 2, 1, 2, 0, 1, 2 };
	struct kmeans_options opt;
	struct kmeans_result *r;
	struct segment_silhouette sil;
	char *cause = NULL;

	for (int alg = 0; alg < 2; alg++) {
		kmeans_options_init(&opt, 3);
		opt.init = KMEANS_INIT_GIVEN;
		opt.centroids = start;
		opt.tol = 0;
		opt.algorithm = alg ? KMEANS_LLOYD : KMEANS_HAMERLY;
		r = test_fit(x, 30, 2, &opt);
		for (int e = 0; e < 6; e++)
			CU_ASSERT_REL(r->centroids[e], want[e], 1e-12);
		CU_ASSERT_REL(r->inertia, 88.28420454545454, 1e-12);
		CU_ASSERT_EQUAL(r->n_iter, 4);
		CU_ASSERT(r->converged);
		for (size_t i = 0; i < 30; i++)
			CU_ASSERT_EQUAL(r->labels[i], labels[i]);
		kmeans_result_free(r);
	}
	/* sklearn.metrics.silhouette_score of the same labelling. */
	CU_ASSERT_EQUAL_FATAL(segment_silhouette(x, 30, 2, labels, 3, 1, 2,
	    NULL, &sil, &cause), 0);
	CU_ASSERT_REL(sil.score, 0.4813751147327838, 1e-12);
}

/* k = 1: the centroid is the mean; inertia the total sum of squares. */
static void test_kmeans_one_cluster(void)
{
	static const double x[] = { 1, 2, 3, 4, 10 };
	struct kmeans_options opt;
	struct kmeans_result *r;

	kmeans_options_init(&opt, 1);
	r = test_fit(x, 5, 1, &opt);
	CU_ASSERT_DOUBLE_EQUAL(r->centroids[0], 4.0, 1e-12);
	/* 9 + 4 + 1 + 0 + 36 */
	CU_ASSERT_DOUBLE_EQUAL(r->inertia, 50.0, 1e-12);
	kmeans_result_free(r);
}

static void test_kmeans_deterministic(void)
{
	double *x = test_blobs(50000, 4, 6, 7);
	struct kmeans_options opt;
	struct kmeans_result *a, *b, *c;

	kmeans_options_init(&opt, 6);
	opt.seed = 99;
	opt.n_init = 2;
	opt.threads = 2;
	a = test_fit(x, 50000, 4, &opt);
	b = test_fit(x, 50000, 4, &opt);
	CU_ASSERT(test_same(a, b));
	kmeans_result_free(b);
	opt.threads = 1;
	b = test_fit(x, 50000, 4, &opt);
	CU_ASSERT(test_same(a, b));
	opt.threads = 3;
	c = test_fit(x, 50000, 4, &opt);
	CU_ASSERT(test_same(a, c));
	kmeans_result_free(c);
	opt.seed = 100;
	c = test_fit(x, 50000, 4, &opt);
	CU_ASSERT(!test_same(a, c));
	kmeans_result_free(a);
	kmeans_result_free(b);
	kmeans_result_free(c);
	free(x);
}

static void test_kmeans_compare(const double *x, size_t n, size_t d,
    struct kmeans_options *opt)
{
	struct kmeans_result *h, *l;

	opt->algorithm = KMEANS_HAMERLY;
	h = test_fit(x, n, d, opt);
	opt->algorithm = KMEANS_LLOYD;
	l = test_fit(x, n, d, opt);
	CU_ASSERT(test_same(h, l));
	/* The bounds must actually save work. */
	CU_ASSERT(h->n_distances < l->n_distances);
	kmeans_result_free(h);
	kmeans_result_free(l);
}

static void test_kmeans_hamerly_lloyd(void)
{
	double *x = test_blobs(20000, 5, 7, 11);
	struct kmeans_options opt;

	for (unsigned long seed = 1; seed <= 4; seed++) {
		kmeans_options_init(&opt, 7);
		opt.seed = seed;
		opt.tol = 0;
		test_kmeans_compare(x, 20000, 5, &opt);
		opt.init = KMEANS_INIT_RANDOM;
		opt.k = 12;
		test_kmeans_compare(x, 20000, 5, &opt);
	}
	free(x);
}

/* Small integer coordinates: many exact ties between centroids, which the
 * bounds must leave to the full scan. */
static void test_kmeans_hamerly_ties(void)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	size_t n = 6000;
	double *x = xcalloc(n * 2, sizeof *x);
	struct kmeans_options opt;

	gsl_rng_set(rng, 3);
	for (size_t e = 0; e < n * 2; e++)
		x[e] = (double)gsl_rng_uniform_int(rng, 5);
	for (unsigned long seed = 1; seed <= 5; seed++) {
		kmeans_options_init(&opt, 6);
		opt.seed = seed;
		opt.init = seed % 2 ? KMEANS_INIT_RANDOM : KMEANS_INIT_PLUSPLUS;
		test_kmeans_compare(x, n, 2, &opt);
	}
	gsl_rng_free(rng);
	free(x);
}

/* Five rows at 0, one at 10, one at 20: a random start that picks two of
 * the zeros leaves a cluster empty, which is refilled at the farthest row,
 * so every seed ends with inertia 0 and sizes 5, 1, 1. */
static void test_kmeans_empty_cluster(void)
{
	static const double x[] = { 0, 0, 0, 0, 0, 10, 20 };
	struct kmeans_options opt;
	struct kmeans_result *r, *l;
	size_t ones;

	for (unsigned long seed = 1; seed <= 30; seed++) {
		kmeans_options_init(&opt, 3);
		opt.init = KMEANS_INIT_RANDOM;
		opt.seed = seed;
		r = test_fit(x, 7, 1, &opt);
		CU_ASSERT_DOUBLE_EQUAL(r->inertia, 0, 1e-12);
		ones = 0;
		for (size_t j = 0; j < 3; j++)
			ones += r->sizes[j] == 1;
		CU_ASSERT_EQUAL(ones, 2);
		CU_ASSERT_EQUAL(r->n_empty, 0);
		opt.algorithm = KMEANS_LLOYD;
		l = test_fit(x, 7, 1, &opt);
		CU_ASSERT(test_same(r, l));
		kmeans_result_free(l);
		kmeans_result_free(r);
	}
}

/* Fewer distinct rows than k: the extra clusters stay empty. */
static void test_kmeans_duplicates(void)
{
	static const double x[] = { 1, 1, 1, 2, 2, 2 };
	struct kmeans_options opt;
	struct kmeans_result *r;

	kmeans_options_init(&opt, 3);
	r = test_fit(x, 6, 1, &opt);
	CU_ASSERT_EQUAL(r->n_empty, 1);
	CU_ASSERT_DOUBLE_EQUAL(r->inertia, 0, 1e-12);
	kmeans_result_free(r);
}

static void test_kmeans_bad_input(void)
{
	static const double x[] = { 1, 2, 3, 4, 5, 6 };
	double bad[] = { 1, 2, 3, NAN, 5, 6 };
	struct kmeans_options opt;
	struct kmeans_result *r = (struct kmeans_result *)1;
	char *cause = NULL;

	kmeans_options_init(&opt, 5);
	cutest_expect_error(kmeans_fit(x, 3, 2, &opt, &r, &cause), &cause,
	    "k (5) is larger than the number of rows (3)");
	CU_ASSERT_PTR_NULL(r);
	opt.k = 0;
	cutest_expect_error(kmeans_fit(x, 3, 2, &opt, &r, &cause), &cause,
	    "k must be at least 1");
	opt.k = 2;
	cutest_expect_error(kmeans_fit(x, 0, 2, &opt, &r, &cause), &cause,
	    "no rows to cluster");
	cutest_expect_error(kmeans_fit(x, 3, 0, &opt, &r, &cause), &cause,
	    "no features to cluster on");
	cutest_expect_error(kmeans_fit(bad, 3, 2, &opt, &r, &cause), &cause,
	    "row 2, feature 2 is not a finite number");
	bad[3] = INFINITY;
	cutest_expect_error(kmeans_fit(bad, 3, 2, &opt, &r, &cause), &cause,
	    "row 2, feature 2 is not a finite number");
	opt.n_init = 0;
	cutest_expect_error(kmeans_fit(x, 3, 2, &opt, &r, &cause), &cause,
	    "n_init must be at least 1");
	opt.n_init = 1;
	opt.max_iter = 0;
	cutest_expect_error(kmeans_fit(x, 3, 2, &opt, &r, &cause), &cause,
	    "max_iter must be at least 1");
	opt.max_iter = 10;
	opt.tol = NAN;
	cutest_expect_error(kmeans_fit(x, 3, 2, &opt, &r, &cause), &cause,
	    "tol must be a finite number, at least 0");
	opt.tol = 0;
	opt.init = KMEANS_INIT_GIVEN;
	cutest_expect_error(kmeans_fit(x, 3, 2, &opt, &r, &cause), &cause,
	    "no starting centroids given");
	opt.centroids = bad;
	cutest_expect_error(kmeans_fit(x, 3, 2, &opt, &r, &cause), &cause,
	    "starting centroid 2, feature 2 is not a finite number");
	CU_ASSERT_PTR_NULL(r);
}

/* Column 1: 1, 2, 3 (mean 2, sd 1); column 2 constant (sd taken as 1);
 * column 3: expm1 of 1, 2, 3, so its log1p is 1, 2, 3 again. */
static void test_scale(void)
{
	double x[9], orig[9];
	bool logf[] = { false, false, true };
	struct segment_scale s;
	char *cause = NULL;

	for (int i = 0; i < 3; i++) {
		x[i * 3] = i + 1;
		x[i * 3 + 1] = 7;
		x[i * 3 + 2] = expm1(i + 1);
	}
	memcpy(orig, x, sizeof x);
	CU_ASSERT_EQUAL_FATAL(segment_scale_init(&s, x, 3, 3, logf, &cause), 0);
	CU_ASSERT_DOUBLE_EQUAL(s.mean[0], 2, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(s.sd[0], 1, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(s.mean[1], 7, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(s.sd[1], 1, 0);
	CU_ASSERT_DOUBLE_EQUAL(s.mean[2], 2, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(s.sd[2], 1, 1e-12);
	CU_ASSERT_EQUAL_FATAL(segment_scale_apply(&s, x, 3, &cause), 0);
	for (int i = 0; i < 3; i++) {
		CU_ASSERT_DOUBLE_EQUAL(x[i * 3], i - 1, 1e-12);
		CU_ASSERT_DOUBLE_EQUAL(x[i * 3 + 1], 0, 0);
		CU_ASSERT_DOUBLE_EQUAL(x[i * 3 + 2], i - 1, 1e-12);
	}
	segment_scale_invert(&s, x, 3);
	for (int e = 0; e < 9; e++)
		CU_ASSERT_REL(x[e], orig[e], 1e-12);
	x[0] = NAN;
	cutest_expect_error(segment_scale_apply(&s, x, 3, &cause), &cause,
	    "row 1, feature 1 is not a finite number");
	x[0] = 0;
	x[5] = -2;
	cutest_expect_error(segment_scale_apply(&s, x, 3, &cause), &cause,
	    "row 2, feature 3 is -2: log1p needs values above -1");
	segment_scale_done(&s);
	cutest_expect_error(segment_scale_init(&s, x, 0, 3, NULL, &cause), &cause,
	    "no rows to scale");
}

/* 1-D points 0, 1, 4, 5 in clusters {0, 1} and {4, 5}. Every a(i) is 1;
 * b is (4 + 5) / 2 = 4.5 for 0 and 5, and (3 + 4) / 2 = 3.5 for 1 and 4.
 * s = 1 - 1/4.5 = 7/9 and 1 - 1/3.5 = 5/7; the mean is 47/63. */
static void test_silhouette_hand(void)
{
	static const double x[] = { 0, 1, 4, 5 };
	static const size_t lab[] = { 0, 0, 1, 1 };
	static const double y[] = { 0, 1, 10 };
	static const size_t ylab[] = { 0, 0, 1 };
	struct segment_silhouette s;
	char *cause = NULL;

	CU_ASSERT_EQUAL_FATAL(segment_silhouette(x, 4, 1, lab, 2, 1, 2, NULL,
	    &s, &cause), 0);
	CU_ASSERT_REL(s.score, 47.0 / 63.0, 1e-12);
	CU_ASSERT_EQUAL(s.n_used, 4);
	CU_ASSERT(!s.sampled);
	CU_ASSERT_EQUAL(s.n_clusters, 2);
	/* 0 and 1: a = 1, b = 10 and 9, so 0.9 and 8/9; 10 is alone: 0. */
	CU_ASSERT_EQUAL_FATAL(segment_silhouette(y, 3, 1, ylab, 2, 1, 1, NULL,
	    &s, &cause), 0);
	CU_ASSERT_REL(s.score, (0.9 + 8.0 / 9.0) / 3, 1e-12);
}

static void test_silhouette_errors(void)
{
	static const double x[] = { 0, 1, 4 }, holes[] = { 0, 1, NAN };
	static const size_t one[] = { 0, 0, 0 }, all[] = { 0, 1, 2 };
	static const size_t wild[] = { 0, 5, 1 };
	struct segment_silhouette s;
	char *cause = NULL;

	cutest_expect_error(segment_silhouette(x, 3, 1, one, 2, 1, 1, NULL, &s,
	    &cause), &cause,
	    "silhouette needs at least 2 non-empty clusters, not 1");
	cutest_expect_error(segment_silhouette(x, 3, 1, all, 3, 1, 1, NULL, &s,
	    &cause), &cause,
	    "silhouette needs fewer clusters (3) than rows (3)");
	cutest_expect_error(segment_silhouette(x, 3, 1, wild, 3, 1, 1, NULL, &s,
	    &cause), &cause, "row 2 has label 5, not below k (3)");
	cutest_expect_error(segment_silhouette(holes, 3, 1, all, 3, 1, 1, NULL,
	    &s, &cause), &cause, "row 3, feature 1 is not a finite number");
}

/* Above SEGMENT_SILHOUETTE_MAX rows the score comes from a seeded sample:
 * reproducible, and independent of the thread count. */
static void test_silhouette_sampled(void)
{
	size_t n = 12000;
	double *x = test_blobs(n, 3, 4, 5);
	struct kmeans_options opt;
	struct kmeans_result *r;
	struct segment_silhouette a, b;
	char *cause = NULL;

	kmeans_options_init(&opt, 4);
	r = test_fit(x, n, 3, &opt);
	CU_ASSERT_EQUAL_FATAL(segment_silhouette(x, n, 3, r->labels, 4, 8, 2,
	    NULL, &a, &cause), 0);
	CU_ASSERT(a.sampled);
	CU_ASSERT_EQUAL(a.n_used, SEGMENT_SILHOUETTE_MAX);
	CU_ASSERT(a.score > 0 && a.score < 1);
	CU_ASSERT_EQUAL_FATAL(segment_silhouette(x, n, 3, r->labels, 4, 8, 1,
	    NULL, &b, &cause), 0);
	CU_ASSERT(memcmp(&a.score, &b.score, sizeof a.score) == 0);
	CU_ASSERT_EQUAL_FATAL(segment_silhouette(x, n, 3, r->labels, 4, 9, 2,
	    NULL, &b, &cause), 0);
	CU_ASSERT(a.score != b.score);
	kmeans_result_free(r);
	free(x);
}

/* Three tight groups of 20 far apart, 60 x 2. */
static void test_three_groups(double *x)
{
	static const double centre[3][2] = { { 0, 0 }, { 20, 0 }, { 0, 20 } };

	for (int i = 0; i < 60; i++) {
		x[i * 2] = centre[i % 3][0] + (i / 3 % 5) * 0.2;
		x[i * 2 + 1] = centre[i % 3][1] + (i / 15) * 0.3;
	}
}

/* k = 3 has the best silhouette. */
static void test_auto_k(void)
{
	double x[60 * 2];
	struct kmeans_options opt;
	struct segment_auto a;
	struct segment_silhouette sil;
	char *cause = NULL;

	test_three_groups(x);
	kmeans_options_init(&opt, 0);
	opt.n_init = 4;
	CU_ASSERT_EQUAL_FATAL(segment_auto_k(x, 60, 2, &opt, &a, &cause), 0);
	CU_ASSERT_EQUAL(a.k_min, 2);
	CU_ASSERT_EQUAL(a.k_max, 10);
	CU_ASSERT_EQUAL(a.best_k, 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a.best);
	CU_ASSERT_EQUAL(a.best->k, 3);
	CU_ASSERT(!a.sampled);
	for (size_t k = 2; k <= 10; k++) {
		CU_ASSERT(isfinite(a.score[k]));
		CU_ASSERT(k == 3 || a.score[k] < a.score[3]);
	}
	CU_ASSERT(isnan(a.score[1]));
	/* Scoring all candidates together gives each the same value as
	 * scoring it alone. */
	CU_ASSERT_EQUAL_FATAL(segment_silhouette(x, 60, 2, a.best->labels, 3,
	    opt.seed, 1, NULL, &sil, &cause), 0);
	CU_ASSERT(memcmp(&sil.score, &a.score[3], sizeof sil.score) == 0);
	segment_auto_done(&a);
	cutest_expect_error(segment_auto_k(x, 2, 2, &opt, &a, &cause), &cause,
	    "choosing k needs at least 3 rows, not 2");
}

/* A cancel flag left clear changes nothing; set before the call, it stops
 * k-means++ in its seeding, the other starts in their first pass (on both
 * threads), returning nothing. */
static void test_kmeans_cancel(void)
{
	static const enum kmeans_init inits[] = { KMEANS_INIT_PLUSPLUS,
	    KMEANS_INIT_RANDOM, KMEANS_INIT_GIVEN };
	size_t n = 5000;
	double *x = test_blobs(n, 3, 4, 3);
	atomic_bool flag = false;
	struct kmeans_options opt;
	struct kmeans_result *a, *b, *r;
	char *cause = NULL;

	for (size_t e = 0; e < 3; e++) {
		for (int lloyd = 0; lloyd < 2; lloyd++) {
			kmeans_options_init(&opt, 4);
			opt.init = inits[e];
			opt.centroids = x;
			opt.algorithm = lloyd ? KMEANS_LLOYD : KMEANS_HAMERLY;
			opt.n_init = 2;
			opt.threads = 2;
			a = test_fit(x, n, 3, &opt);
			opt.cancel = &flag;
			b = test_fit(x, n, 3, &opt);
			CU_ASSERT(test_same(a, b));
			flag = true;
			r = a;
			cutest_expect_error(kmeans_fit(x, n, 3, &opt, &r, &cause),
			    &cause, "cancelled");
			CU_ASSERT_PTR_NULL(r);
			flag = false;
			kmeans_result_free(a);
			kmeans_result_free(b);
		}
	}
	free(x);
}

static void test_silhouette_cancel(void)
{
	double x[60 * 2];
	size_t labels[60];
	atomic_bool flag = true;
	struct segment_silhouette s, t;
	char *cause = NULL;

	test_three_groups(x);
	for (size_t i = 0; i < 60; i++)
		labels[i] = i % 3;
	cutest_expect_error(segment_silhouette(x, 60, 2, labels, 3, 1, 2, &flag,
	    &s, &cause), &cause, "cancelled");
	CU_ASSERT_EQUAL(s.n_used, 0);
	flag = false;
	CU_ASSERT_EQUAL_FATAL(segment_silhouette(x, 60, 2, labels, 3, 1, 2,
	    &flag, &s, &cause), 0);
	CU_ASSERT_EQUAL_FATAL(segment_silhouette(x, 60, 2, labels, 3, 1, 2,
	    NULL, &t, &cause), 0);
	CU_ASSERT(memcmp(&s.score, &t.score, sizeof s.score) == 0);
	CU_ASSERT_EQUAL(s.n_used, 60);
}

static void test_auto_k_cancel(void)
{
	double x[60 * 2];
	atomic_bool flag = false;
	struct kmeans_options opt;
	struct segment_auto a, b;
	char *cause = NULL;

	test_three_groups(x);
	kmeans_options_init(&opt, 0);
	opt.n_init = 2;
	CU_ASSERT_EQUAL_FATAL(segment_auto_k(x, 60, 2, &opt, &a, &cause), 0);
	opt.cancel = &flag;
	CU_ASSERT_EQUAL_FATAL(segment_auto_k(x, 60, 2, &opt, &b, &cause), 0);
	CU_ASSERT(memcmp(a.score, b.score, sizeof a.score) == 0);
	CU_ASSERT(memcmp(a.inertia, b.inertia, sizeof a.inertia) == 0);
	CU_ASSERT(test_same(a.best, b.best));
	segment_auto_done(&a);
	segment_auto_done(&b);
	flag = true;
	cutest_expect_error(segment_auto_k(x, 60, 2, &opt, &a, &cause), &cause,
	    "cancelled");
	CU_ASSERT_PTR_NULL(a.best);
}

static void test_label(void)
{
	static const char *const names[] = { "spend", "sessions", "orders" };
	static const double z1[] = { 1.2, -0.3, 0.8 };
	static const double z2[] = { 0.1, -0.9, 0.2 };
	static const double z3[] = { 0.49, -0.2, 0 }, z4[] = { -2, 2, 2 };
	char *s;

	s = segment_label(z1, 3, names);
	CU_ASSERT_STRING_EQUAL(s, "high spend, high orders");
	free(s);
	s = segment_label(z2, 3, names);
	CU_ASSERT_STRING_EQUAL(s, "low sessions");
	free(s);
	s = segment_label(z3, 3, names);
	CU_ASSERT_STRING_EQUAL(s, "average");
	free(s);
	/* Equal strength: the earlier feature first. */
	s = segment_label(z4, 3, names);
	CU_ASSERT_STRING_EQUAL(s, "low spend, high sessions");
	free(s);
}

/* Scale with log1p on spend, cluster, and report centroids in original
 * units: two kinds of user, 5 big spenders (1000, 10 orders) and 3 small
 * (10, 1 order), all with 4 sessions. The centroids come back exactly. */
static void test_segment_pipeline(void)
{
	static const char *const names[] = { "spend", "orders", "sessions" };
	static const bool logf[] = { true, false, false };
	double x[8 * 3], *c;
	struct segment_scale sc;
	struct kmeans_options opt;
	struct kmeans_result *r;
	char *cause = NULL, *label;
	size_t big;

	for (int i = 0; i < 8; i++) {
		x[i * 3] = i < 5 ? 1000 : 10;
		x[i * 3 + 1] = i < 5 ? 10 : 1;
		x[i * 3 + 2] = 4;
	}
	CU_ASSERT_EQUAL_FATAL(segment_scale_init(&sc, x, 8, 3, logf, &cause),
	    0);
	CU_ASSERT_EQUAL_FATAL(segment_scale_apply(&sc, x, 8, &cause), 0);
	kmeans_options_init(&opt, 2);
	r = test_fit(x, 8, 3, &opt);
	big = r->labels[0];
	CU_ASSERT_EQUAL(r->sizes[big], 5);
	CU_ASSERT_DOUBLE_EQUAL(r->inertia, 0, 1e-12);
	label = segment_label(r->centroids + (1 - big) * 3, 3, names);
	CU_ASSERT(strcmp(label, "low spend, low orders") == 0 ||
	    strcmp(label, "low orders, low spend") == 0);
	free(label);
	c = r->centroids;
	segment_scale_invert(&sc, c, 2);
	CU_ASSERT_REL(c[big * 3], 1000, 1e-12);
	CU_ASSERT_REL(c[big * 3 + 1], 10, 1e-12);
	CU_ASSERT_REL(c[big * 3 + 2], 4, 1e-12);
	CU_ASSERT_REL(c[(1 - big) * 3], 10, 1e-12);
	CU_ASSERT_REL(c[(1 - big) * 3 + 1], 1, 1e-12);
	kmeans_result_free(r);
	segment_scale_done(&sc);
}

static void test_assert_bins(const double *x, size_t n, unsigned bins,
    const unsigned *want)
{
	unsigned got[16];

	rfm_ntile(x, n, bins, got);
	for (size_t i = 0; i < n; i++)
		CU_ASSERT_EQUAL(got[i], want[i]);
}

/* dplyr's own cases, and ties worked by hand: 3 1 3 3 2 3 1 ranks (ties
 * by position) 4 1 5 6 3 7 2; 7 rows in 5 bins are 2 2 1 1 1. */
static void test_rfm_ntile(void)
{
	static const double a[] = { 1, 2, 3, 4, 5, 6 };
	static const unsigned wa[] = { 1, 1, 2, 3, 4, 5 };
	static const double b[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const unsigned wb[] = { 1, 1, 2, 3, 4, 5, 6, 7 };
	static const double c[] = { 1, 2, NAN, 1, 0, NAN };
	static const unsigned wc[] = { 1, 2, 0, 2, 1, 0 };
	static const double t[] = { 3, 1, 3, 3, 2, 3, 1 };
	static const unsigned wt[] = { 2, 1, 3, 4, 2, 5, 1 };
	static const double f[] = { 9, 8, 7 };
	static const unsigned wf[] = { 3, 2, 1 };
	/* From R: dplyr::ntile(c(6, 3, NA, 6, 2, 3, 4, 2, 2, 5, 1, 5, 6, 2, 1,
	 * 1), 5), dplyr 1.0.10. */
	static const double g[] = { 6, 3, NAN, 6, 2, 3, 4, 2, 2, 5, 1, 5, 6, 2,
	    1, 1 };
	static const unsigned wg[] = { 5, 3, 0, 5, 2, 3, 4, 2, 2, 4, 1, 4, 5,
	    3, 1, 1 };

	test_assert_bins(a, 6, 5, wa);
	test_assert_bins(b, 8, 7, wb);
	test_assert_bins(c, 6, 2, wc);
	test_assert_bins(t, 7, 5, wt);
	test_assert_bins(f, 3, 5, wf);
	test_assert_bins(g, 16, 5, wg);
}

/* Worked example, as of day 100:
 *   user 0: days 98 (10), 98 (5), 90 (20): R 2 days, F 2 days, M 35
 *   user 1: days 99, 95, 80, 60 (200 in all): R 1, F 4, M 200
 *   user 2: day 50 (5), and day 101 which is after as-of: R 50, F 1, M 5
 *   user 3: day 99 (40): R 1, F 1, M 40
 *   user 4: days 70, 71, 72 (10 each): R 28, F 3, M 30
 *   user 5: no events.
 * Scores (5 active users, so ranks are the scores): R by -recency with user
 * 1 before user 3 on the tie: 3 4 1 5 2; F: 3 5 1 2 4; M: 3 5 1 4 2.
 * Tiers: regular, heavy, lost, new, at risk, none. R's dplyr::ntile gives
 * the same scores. */
static void test_rfm_compute(void)
{
	static const size_t user[] = { 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 4, 4, 4 };
	static const double day[] = { 98, 98, 90, 99, 95, 80, 60, 50, 101, 99,
	    70, 71, 72 };
	static const double amt[] = { 10, 5, 20, 100, 50, 30, 20, 5, 1000, 40,
	    10, 10, 10 };
	static const double rec[] = { 2, 1, 50, 1, 28 };
	static const size_t freq[] = { 2, 4, 1, 1, 3 };
	static const double mon[] = { 35, 200, 5, 40, 30 };
	static const unsigned r[] = { 3, 4, 1, 5, 2 }, f[] = { 3, 5, 1, 2, 4 };
	static const unsigned m[] = { 3, 5, 1, 4, 2 };
	static const enum rfm_tier tier[] = { RFM_TIER_REGULAR, RFM_TIER_HEAVY,
	    RFM_TIER_LOST, RFM_TIER_NEW, RFM_TIER_AT_RISK, RFM_TIER_NONE };
	struct rfm_options opt = { 100, RFM_TIME_DAYS, RFM_COUNT_DAYS, NULL };
	atomic_bool cancel = true;
	struct rfm_result *res;
	char *cause = NULL;

	CU_ASSERT_EQUAL_FATAL(rfm_compute(user, day, amt, 13, 6, &opt, &res,
	    &cause), 0);
	CU_ASSERT_EQUAL(res->n_active, 5);
	CU_ASSERT_EQUAL(res->n_later, 1);
	for (size_t i = 0; i < 5; i++) {
		CU_ASSERT_DOUBLE_EQUAL(res->users[i].recency, rec[i], 0);
		CU_ASSERT_EQUAL(res->users[i].frequency, freq[i]);
		CU_ASSERT_DOUBLE_EQUAL(res->users[i].monetary, mon[i], 1e-12);
		CU_ASSERT_EQUAL(res->users[i].r, r[i]);
		CU_ASSERT_EQUAL(res->users[i].f, f[i]);
		CU_ASSERT_EQUAL(res->users[i].m, m[i]);
	}
	for (size_t i = 0; i < 6; i++)
		CU_ASSERT_EQUAL(res->users[i].tier, tier[i]);
	CU_ASSERT(isnan(res->users[5].recency));
	CU_ASSERT_EQUAL(res->users[5].r, 0);
	CU_ASSERT_EQUAL(res->tier_count[RFM_TIER_NONE], 1);
	CU_ASSERT_EQUAL(res->tier_count[RFM_TIER_HEAVY], 1);
	rfm_result_free(res);
	opt.count = RFM_COUNT_EVENTS;
	CU_ASSERT_EQUAL_FATAL(rfm_compute(user, day, amt, 13, 6, &opt, &res,
	    &cause), 0);
	CU_ASSERT_EQUAL(res->users[0].frequency, 3);
	CU_ASSERT_EQUAL(res->users[2].frequency, 1);
	rfm_result_free(res);
	opt.cancel = &cancel;
	cutest_expect_error(rfm_compute(user, day, amt, 13, 6, &opt, &res, &cause), &cause,
	    "cancelled");
	CU_ASSERT_PTR_NULL(res);
}

/* Milliseconds: two events 1 h apart on one UTC day are one occasion, the
 * next day's event another; the last is 1.5 days before as-of. */
static void test_rfm_ms(void)
{
	static const double day = 86400000.0;
	static const size_t user[] = { 0, 0, 0 };
	const double t[] = { 10 * day + 3600000, 10 * day + 7200000,
	    11 * day + 3600000 };
	static const double amt[] = { 1, 2, 3 };
	struct rfm_options opt = { 11 * day + 3600000 + 1.5 * day, RFM_TIME_MS,
	    RFM_COUNT_DAYS, NULL };
	struct rfm_result *res;
	char *cause = NULL;

	CU_ASSERT_EQUAL_FATAL(rfm_compute(user, t, amt, 3, 1, &opt, &res,
	    &cause), 0);
	CU_ASSERT_DOUBLE_EQUAL(res->users[0].recency, 1.5, 1e-12);
	CU_ASSERT_EQUAL(res->users[0].frequency, 2);
	CU_ASSERT_DOUBLE_EQUAL(res->users[0].monetary, 6, 0);
	CU_ASSERT_EQUAL(res->users[0].r, 1);
	rfm_result_free(res);
}

static void test_rfm_tiers(void)
{
	CU_ASSERT_EQUAL(rfm_tier_of(5, 5, 5), RFM_TIER_HEAVY);
	CU_ASSERT_EQUAL(rfm_tier_of(5, 5, 3), RFM_TIER_REGULAR);
	CU_ASSERT_EQUAL(rfm_tier_of(4, 1, 5), RFM_TIER_NEW);
	CU_ASSERT_EQUAL(rfm_tier_of(3, 2, 5), RFM_TIER_LIGHT);
	CU_ASSERT_EQUAL(rfm_tier_of(2, 1, 1), RFM_TIER_LIGHT);
	CU_ASSERT_EQUAL(rfm_tier_of(2, 5, 5), RFM_TIER_AT_RISK);
	CU_ASSERT_EQUAL(rfm_tier_of(1, 3, 1), RFM_TIER_AT_RISK);
	CU_ASSERT_EQUAL(rfm_tier_of(1, 2, 5), RFM_TIER_LOST);
	/* The table covers every score triple. */
	for (unsigned e = 0; e < 125; e++)
		CU_ASSERT(rfm_tier_of(e / 25 + 1, e / 5 % 5 + 1, e % 5 + 1) !=
		    RFM_TIER_NONE);
	CU_ASSERT_STRING_EQUAL(rfm_tier_name(RFM_TIER_AT_RISK), "at risk");
	CU_ASSERT_STRING_EQUAL(rfm_tier_name(RFM_TIER_LIGHT), "light");
}

static void test_rfm_errors(void)
{
	static const size_t user[] = { 0, 7 };
	static const double t[] = { 1, 2 }, amt[] = { 1, 1 };
	const double tn[] = { NAN, 2 }, an[] = { 1, INFINITY };
	static const size_t ok[] = { 0, 1 };
	struct rfm_options opt = { 10, RFM_TIME_DAYS, RFM_COUNT_DAYS, NULL };
	struct rfm_result *res;
	char *cause = NULL;

	cutest_expect_error(rfm_compute(user, t, amt, 2, 3, &opt, &res, &cause),
	    &cause,
	    "event 2: user index 7 is not below the number of users (3)");
	CU_ASSERT_PTR_NULL(res);
	cutest_expect_error(rfm_compute(ok, tn, amt, 2, 3, &opt, &res, &cause),
	    &cause, "event 1: time is not a finite number");
	cutest_expect_error(rfm_compute(ok, t, an, 2, 3, &opt, &res, &cause),
	    &cause, "event 2: amount is not a finite number");
	opt.as_of = NAN;
	cutest_expect_error(rfm_compute(ok, t, amt, 2, 3, &opt, &res, &cause),
	    &cause, "the as-of time is not a finite number");
}

/* Expected values from the same haversine formula evaluated in Python
 * (math module, R = 6371.0088). */
static void test_geo_distance(void)
{
	CU_ASSERT_REL(geo_distance_km(31.2304, 121.4737, 39.9042, 116.4074),
	    1067.3116451587262, 1e-9);
	CU_ASSERT_REL(geo_distance_km(51.5074, -0.1278, 48.8566, 2.3522),
	    343.55653488088313, 1e-9);
	CU_ASSERT_REL(geo_distance_km(-33.8688, 151.2093, 40.7128, -74.0060),
	    15988.777591649341, 1e-9);
	/* Half the equator is pi R. */
	CU_ASSERT_REL(geo_distance_km(0, 0, 0, 180), M_PI * 6371.0088, 1e-12);
	CU_ASSERT_EQUAL(geo_distance_km(31.2304, 121.4737, 31.2304, 121.4737),
	    0);
}

static void test_geo_nearest(void)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	size_t n = 3000, m = 400, near[3000], want;
	double lat[3000], lon[3000], slat[400], slon[400], km[3000], best, dd;
	char *cause = NULL;

	gsl_rng_set(rng, 17);
	for (size_t s = 0; s < m; s++) {
		slat[s] = gsl_ran_flat(rng, 30.9, 31.5);
		slon[s] = gsl_ran_flat(rng, 121.1, 121.8);
	}
	/* A duplicate store: ties go to the lower index. */
	slat[250] = slat[40];
	slon[250] = slon[40];
	for (size_t i = 0; i < n; i++) {
		lat[i] = gsl_ran_flat(rng, 30.8, 31.6);
		lon[i] = gsl_ran_flat(rng, 121.0, 121.9);
	}
	lat[0] = slat[40];
	lon[0] = slon[40];
	CU_ASSERT_EQUAL_FATAL(geo_nearest(lat, lon, n, slat, slon, m, 2, NULL,
	    near, km, &cause), 0);
	for (size_t i = 0; i < n; i++) {
		best = HUGE_VAL;
		want = 0;
		for (size_t s = 0; s < m; s++) {
			dd = geo_distance_km(lat[i], lon[i], slat[s], slon[s]);
			if (dd < best) {
				best = dd;
				want = s;
			}
		}
		CU_ASSERT_EQUAL(near[i], want);
		CU_ASSERT_EQUAL(km[i], best);
	}
	CU_ASSERT_EQUAL(near[0], 40);
	CU_ASSERT_EQUAL(km[0], 0);
	gsl_rng_free(rng);
}

static void test_geo_cancel(void)
{
	const double lat[] = { 31.2, 31.3, 31.4 }, lon[] = { 121.4, 121.5, 121.6 };
	size_t near[3] = { 7, 7, 7 };
	double km[3] = { -1, -1, -1 };
	atomic_bool flag = true;
	char *cause = NULL;

	cutest_expect_error(geo_nearest(lat, lon, 3, lat, lon, 2, 2, &flag, near,
	    km, &cause), &cause, "cancelled");
	for (size_t i = 0; i < 3; i++)
		CU_ASSERT(near[i] == 7 && km[i] == -1);
	flag = false;
	CU_ASSERT_EQUAL_FATAL(geo_nearest(lat, lon, 3, lat, lon, 2, 2, &flag,
	    near, km, &cause), 0);
	CU_ASSERT(near[0] == 0 && near[1] == 1 && near[2] == 1);
}

/* Through cmd_run: the error is the command's, and the dataset keeps its
 * columns. */
static void test_command_cancel(void)
{
	static const char *const lines[] = {
		"segment pts features=a,b k=3",
		"segment pts features=a,b k=auto name=auto",
		"nearest pts stores=st lat=a lon=b store_lat=a store_lon=b",
	};
	struct cmd_ctx ctx;
	struct table *t, *st;
	atomic_bool flag = true;
	double x[60 * 2];

	cmd_ctx_init(&ctx);
	ctx.cancel = &flag;
	test_three_groups(x);
	t = table_new("pts", NULL);
	st = table_new("st", NULL);
	t->n_rows = 60;
	st->n_rows = 2;
	for (size_t f = 0; f < 2; f++) {
		table_add_column(t, f ? "b" : "a", COL_FLOAT);
		table_add_column(st, f ? "b" : "a", COL_FLOAT);
		for (size_t i = 0; i < 60; i++)
			t->cols[f].v.f64[i] = x[i * 2 + f];
		st->cols[f].v.f64[0] = x[f];
		st->cols[f].v.f64[1] = x[2 + f];
	}
	workspace_put(&ctx.ws, t);
	workspace_put(&ctx.ws, st);
	cutest_cancel_commands(&ctx, &flag, lines, 3);
	/* cluster, auto and nearest's three columns */
	CU_ASSERT_EQUAL(t->n_cols, 7);
	cmd_ctx_done(&ctx);
}

static void test_geo_bands(void)
{
	CU_ASSERT_EQUAL(geo_band_of(0), GEO_BAND_UNDER_1);
	CU_ASSERT_EQUAL(geo_band_of(0.999), GEO_BAND_UNDER_1);
	CU_ASSERT_EQUAL(geo_band_of(1), GEO_BAND_1_3);
	CU_ASSERT_EQUAL(geo_band_of(2.999), GEO_BAND_1_3);
	CU_ASSERT_EQUAL(geo_band_of(3), GEO_BAND_3_5);
	CU_ASSERT_EQUAL(geo_band_of(7), GEO_BAND_5_10);
	CU_ASSERT_EQUAL(geo_band_of(10), GEO_BAND_OVER_10);
	CU_ASSERT_EQUAL(geo_band_of(1067), GEO_BAND_OVER_10);
	CU_ASSERT_STRING_EQUAL(geo_band_name(GEO_BAND_UNDER_1), "<1 km");
	CU_ASSERT_STRING_EQUAL(geo_band_name(GEO_BAND_1_3), "1-3 km");
	CU_ASSERT_STRING_EQUAL(geo_band_name(GEO_BAND_OVER_10), ">10 km");
}

static void test_geo_errors(void)
{
	const double lat[] = { 91, 0 }, lon[] = { 0, 0 }, blon[] = { 0, NAN };
	size_t near[2];
	double km[2];
	char *cause = NULL;

	cutest_expect_error(geo_nearest(lon, lon, 2, lat, lon, 0, 1, NULL, near,
	    km, &cause), &cause, "no stores to measure from");
	cutest_expect_error(geo_nearest(lat, lon, 2, lon, lon, 2, 1, NULL, near,
	    km, &cause), &cause, "point 1: latitude 91 is not in [-90, 90]");
	cutest_expect_error(geo_nearest(lon, lon, 2, lon, blon, 2, 1, NULL, near,
	    km, &cause), &cause, "store 2: longitude nan is not in [-180, 180]");
}

static const struct cutest_case cases[] = {
	{ "kmeans two groups", test_kmeans_two_groups },
	{ "kmeans against scikit-learn", test_kmeans_reference },
	{ "kmeans one cluster", test_kmeans_one_cluster },
	{ "kmeans deterministic across threads", test_kmeans_deterministic },
	{ "kmeans hamerly equals lloyd", test_kmeans_hamerly_lloyd },
	{ "kmeans hamerly equals lloyd on ties", test_kmeans_hamerly_ties },
	{ "kmeans empty cluster", test_kmeans_empty_cluster },
	{ "kmeans fewer distinct rows than k", test_kmeans_duplicates },
	{ "kmeans bad input", test_kmeans_bad_input },
	{ "kmeans cancelled", test_kmeans_cancel },
	{ "scale z-score and log1p", test_scale },
	{ "silhouette by hand", test_silhouette_hand },
	{ "silhouette errors", test_silhouette_errors },
	{ "silhouette sampled", test_silhouette_sampled },
	{ "auto k", test_auto_k },
	{ "silhouette cancelled", test_silhouette_cancel },
	{ "auto k cancelled, also mid-run", test_auto_k_cancel },
	{ "segment labels", test_label },
	{ "scale, cluster, label, invert", test_segment_pipeline },
	{ "rfm ntile", test_rfm_ntile },
	{ "rfm worked example", test_rfm_compute },
	{ "rfm milliseconds", test_rfm_ms },
	{ "rfm tier table", test_rfm_tiers },
	{ "rfm errors", test_rfm_errors },
	{ "geo haversine", test_geo_distance },
	{ "geo nearest store", test_geo_nearest },
	{ "geo bands", test_geo_bands },
	{ "geo errors", test_geo_errors },
	{ "geo nearest cancelled", test_geo_cancel },
	{ "segment and nearest commands cancelled", test_command_cancel },
	{ NULL, NULL }
};

int main(void)
{
	gsl_set_error_handler_off();
	return cutest_run("segment", cases);
}
