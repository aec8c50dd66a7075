/* Segmentation around k-means: feature scaling, silhouette scores, choosing
 * k, and a plain-words label for each segment.
 *
 * Everything works on row-major n x d matrices of doubles. Ownership: a
 * segment_scale is embedded by the caller (segment_scale_init / _done); a
 * segment_auto owns its winning kmeans_result until segment_auto_done;
 * segment_label returns a string the caller frees. */
#ifndef CROSSMKT_SEGMENT_H
#define CROSSMKT_SEGMENT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "kmeans.h"

/* Silhouette is exact up to this many rows, else computed on a seeded
 * sample of this many. */
#define SEGMENT_SILHOUETTE_MAX 10000
#define SEGMENT_AUTO_KMIN 2
#define SEGMENT_AUTO_KMAX 10
/* A feature names a segment when its centroid is this many sds out. */
#define SEGMENT_LABEL_MIN_Z 0.5
#define SEGMENT_LABEL_TERMS 2

/* z = (x' - mean) / sd, where x' = log1p(x) for the chosen features. */
struct segment_scale {
	size_t d;
	double *mean;           /* of x', per feature */
	double *sd;             /* sample sd (n - 1) of x'; 1 if constant */
	bool *log1p;
};

struct segment_silhouette {
	double score;           /* mean silhouette over the rows used */
	size_t n_used;          /* rows scored */
	bool sampled;           /* n was above SEGMENT_SILHOUETTE_MAX */
	size_t n_clusters;      /* clusters with rows among those used */
};

struct segment_auto {
	size_t k_min, k_max;    /* candidates tried, inclusive */
	/* Indexed by k; NaN for k not tried or without two non-empty
	 * clusters. */
	double score[SEGMENT_AUTO_KMAX + 1];
	double inertia[SEGMENT_AUTO_KMAX + 1];
	bool sampled;           /* silhouettes came from a sample */
	size_t best_k;          /* highest score, the smaller k on a tie */
	struct kmeans_result *best;
};

/* Learns per-feature means and sds; log1p may be NULL (no transform). */
int segment_scale_init(struct segment_scale *s, const double *x, size_t n,
    size_t d, const bool *log1p, char **cause);
/* Standardises n rows in place. */
int segment_scale_apply(const struct segment_scale *s, double *x, size_t n,
    char **cause);
/* Maps n standardised rows (centroids, say) back to original units in
 * place; a log1p feature comes back as expm1 of its mean log. */
void segment_scale_invert(const struct segment_scale *s, double *x, size_t n);
/* Frees the arrays of an initialised segment_scale. */
void segment_scale_done(struct segment_scale *s);

/* Mean silhouette width of a labelling (Euclidean distance); a row alone in
 * its cluster scores 0, as in R's cluster and scikit-learn. Above
 * SEGMENT_SILHOUETTE_MAX rows, the rows scored are a sample drawn with
 * seed, and distances are among the sample only (as scikit-learn's
 * silhouette_score with sample_size). cancel (NULL: none) is polled per
 * block of rows; once set, the call fails with "cancelled". */
int segment_silhouette(const double *x, size_t n, size_t d,
    const size_t *labels, size_t k, unsigned long seed, unsigned threads,
    const atomic_bool *cancel, struct segment_silhouette *out,
    char **cause);
/* Fits k = 2 .. 10 (up to n - 1 for tiny inputs) with opt, scores each by
 * silhouette on one sample drawn with opt->seed, and keeps the fit of the
 * best; opt->k is ignored. opt->cancel is polled between the fits and in
 * them, and per block of rows of the silhouettes. */
int segment_auto_k(const double *x, size_t n, size_t d,
    const struct kmeans_options *opt, struct segment_auto *out, char **cause);
/* Frees the winning fit. */
void segment_auto_done(struct segment_auto *a);
/* A segment's label from its standardised centroid z, such as "high spend,
 * high orders": the strongest features past SEGMENT_LABEL_MIN_Z, "average"
 * when there are none. */
char *segment_label(const double *z, size_t d, const char *const *names);

#endif
