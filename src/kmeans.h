/* k-means clustering of an n x d row-major matrix of doubles.
 *
 * Seeding is k-means++ (greedy, several candidates per centre, as in
 * scikit-learn) or k distinct random rows, drawn from GSL's mt19937 with an
 * explicit seed, or centroids the caller gives. Two exact algorithms share
 * the seeding, the centroid update and the stopping rule: Lloyd's, and
 * Hamerly's, which skips distance computations with triangle-inequality
 * bounds and so gives the same labels, centroids and inertia as Lloyd's, bit
 * for bit.
 *
 * Rows are processed in fixed chunks whose partial sums are added in chunk
 * order, so results do not depend on the number of threads. An empty
 * cluster is moved onto the row farthest from its centroid.
 *
 * Ownership: kmeans_fit returns a result the caller frees with
 * kmeans_result_free; the input matrix is only read. */
#ifndef CROSSMKT_KMEANS_H
#define CROSSMKT_KMEANS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

enum kmeans_init {
	KMEANS_INIT_PLUSPLUS,   /* k-means++ */
	KMEANS_INIT_RANDOM,     /* k distinct rows chosen uniformly */
	KMEANS_INIT_GIVEN       /* opt->centroids; one run whatever n_init */
};

enum kmeans_algorithm {
	KMEANS_HAMERLY,
	KMEANS_LLOYD
};

struct kmeans_options {
	size_t k;
	enum kmeans_init init;
	enum kmeans_algorithm algorithm;
	unsigned n_init;        /* restarts; the lowest inertia wins */
	unsigned max_iter;      /* assignment passes per restart */
	/* Stop when the summed squared centroid shift is at most tol times the
	 * mean per-feature variance of the data (scikit-learn's rule), or when
	 * no label changes. */
	double tol;
	unsigned long seed;     /* mt19937 seed; 0 selects GSL's default 4357 */
	unsigned threads;       /* 0: one per online CPU */
	unsigned local_trials;  /* k-means++ candidates per centre; 0: 2+ln k */
	const double *centroids; /* k x d starting centroids, for _GIVEN */
	/* Polled per chunk of rows in every pass and before each k-means++
	 * centre, so also between restarts; once set, kmeans_fit fails with
	 * "cancelled". NULL: not cancellable. */
	const atomic_bool *cancel;
};

struct kmeans_result {
	size_t n, d, k;
	double *centroids;      /* k x d, row-major */
	size_t *labels;         /* n, each in 0 .. k - 1 */
	size_t *sizes;          /* k rows per cluster */
	double inertia;         /* sum of squared distances to own centroid */
	unsigned n_iter;        /* assignment passes of the winning restart */
	bool converged;         /* the winning restart met the stopping rule */
	unsigned best_run;      /* 0-based index of the winning restart */
	size_t n_empty;         /* clusters left empty: fewer distinct rows */
	/* Point-to-centroid distances computed, over all restarts: shows how
	 * much work the bounds saved. */
	unsigned long long n_distances;
};

/* Fills defaults: k-means++, Hamerly, n_init 1, max_iter 300, tol 1e-4,
 * seed 1, all CPUs, no cancel flag. */
void kmeans_options_init(struct kmeans_options *opt, size_t k);
/* Clusters x (n rows, d features); returns 0, or -1 with *cause set. */
int kmeans_fit(const double *x, size_t n, size_t d,
    const struct kmeans_options *opt, struct kmeans_result **out,
    char **cause);
/* Squared Euclidean distance between two d-vectors. */
double kmeans_dist2(const double *a, const double *b, size_t d);
/* Frees a result and its arrays; NULL is ignored. */
void kmeans_result_free(struct kmeans_result *r);

#endif
