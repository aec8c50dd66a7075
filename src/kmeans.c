/* k-means: seeding, Lloyd and Hamerly passes, restarts.
 *
 * Both algorithms decide a row's label with the same nearest-centroid scan
 * over the same centroids, and Hamerly's only skips that scan when its bounds
 * prove, with a margin far wider than rounding error, that the current label
 * is strictly nearest. Centroids are always recomputed from scratch from
 * chunk partial sums, never updated incrementally, so the two algorithms
 * and any thread count agree bit for bit. */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "cancel.h"
#include "kmeans.h"
#include "parallel.h"
#include "xmalloc.h"

#define KMEANS_CHUNK_MIN 4096
#define KMEANS_CHUNKS_MAX 256
/* Cap on the doubles held by per-chunk centroid sums. */
#define KMEANS_PARTIAL_MAX ((size_t)1 << 23)
/* Bound tests must clear this fraction of the data's coordinate scale. */
#define KMEANS_SLACK 1e-9
#define KMEANS_NO_LABEL SIZE_MAX

struct kmeans_ctx {
	const double *x;
	size_t n, d, k;
	unsigned threads;
	size_t chunk_rows, n_chunks;
	bool hamerly;
	const atomic_bool *cancel;
	bool first;             /* no labels or bounds, or no centre, yet */
	double slack;
	double tol_abs;

	double *c;              /* k x d centroids */
	double *c_old;          /* k x d centroids before the last update */
	double *ct;             /* d x k: centroids or candidates, transposed */
	double *scratch;        /* n_chunks x n_scratch: per-row distances */
	size_t n_scratch;
	size_t *labels;
	double *upper;          /* Hamerly: bound on distance to own centroid */
	double *lower;          /* Hamerly: bound on distance to any other */
	double *half;           /* k: half the distance to the nearest other */
	double *shift;          /* k: distance moved in the last update */
	double max_shift, max_shift2;
	size_t max_shift_at;

	double *sum;            /* k x d totals */
	size_t *count;          /* k totals */
	size_t changed;

	double *psum;           /* n_chunks x k x d */
	size_t *pcount;         /* n_chunks x k */
	size_t *pchanged;
	double *pval;           /* n_chunks x trials: inertia or potentials */
	size_t *pidx;           /* n_chunks: farthest row */
	unsigned long long *pdist;
	unsigned long long n_distances;

	double *closest;        /* k-means++: squared distance to chosen set */
	double *cum;            /* k-means++: running total within the chunk */
	double *ctotal;         /* k-means++: n_chunks chunk totals */
	size_t *cand;           /* k-means++: candidate rows this round */
	double *cand_rows;      /* k-means++: their coordinates */
	size_t n_cand;
	size_t *taken;          /* rows already used to refill empty clusters */
	size_t n_taken;
};

void kmeans_options_init(struct kmeans_options *opt, size_t k)
{
	memset(opt, 0, sizeof *opt);
	opt->k = k;
	opt->init = KMEANS_INIT_PLUSPLUS;
	opt->algorithm = KMEANS_HAMERLY;
	opt->n_init = 1;
	opt->max_iter = 300;
	opt->tol = 1e-4;
	opt->seed = 1;
}

double kmeans_dist2(const double *a, const double *b, size_t d)
{
	double s = 0, t;

	for (size_t f = 0; f < d; f++) {
		t = a[f] - b[f];
		s += t * t;
	}
	return s;
}

/* Squared distances from p to the k columns of ct (d x k, a transposed
 * centroid matrix). Each sum runs over features in order, exactly as in
 * kmeans_dist2; the loop across columns is what vectorises. */
static void kmeans_dists(const double *p, const double *ct, size_t k,
    size_t d, double *acc)
{
	const double *col;
	double s0, s1, s2, s3, t0, t1, t2, t3;
	size_t j = 0;

	for (; j + 4 <= k; j += 4) {
		s0 = s1 = s2 = s3 = 0;
		for (size_t f = 0; f < d; f++) {
			col = ct + f * k + j;
			t0 = p[f] - col[0];
			t1 = p[f] - col[1];
			t2 = p[f] - col[2];
			t3 = p[f] - col[3];
			s0 += t0 * t0;
			s1 += t1 * t1;
			s2 += t2 * t2;
			s3 += t3 * t3;
		}
		acc[j] = s0;
		acc[j + 1] = s1;
		acc[j + 2] = s2;
		acc[j + 3] = s3;
	}
	for (; j < k; j++) {
		s0 = 0;
		for (size_t f = 0; f < d; f++) {
			t0 = p[f] - ct[f * k + j];
			s0 += t0 * t0;
		}
		acc[j] = s0;
	}
}

/* The one scan that decides labels, for Lloyd and Hamerly alike: lowest
 * index wins a tie. */
static size_t kmeans_nearest(const double *p, const double *ct, size_t k,
    size_t d, double *acc, double *best, double *second)
{
	double b1 = HUGE_VAL, b2 = HUGE_VAL;
	size_t bj = 0;

	kmeans_dists(p, ct, k, d, acc);
	for (size_t j = 0; j < k; j++) {
		if (acc[j] < b1) {
			b2 = b1;
			b1 = acc[j];
			bj = j;
		} else if (acc[j] < b2)
			b2 = acc[j];
	}
	*best = b1;
	*second = b2;
	return bj;
}

/* Copies n rows of d values into a d x n matrix. */
static void kmeans_transpose(double *to, const double *from, size_t n,
    size_t d)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t f = 0; f < d; f++)
			to[f * n + i] = from[i * d + f];
	}
}

static inline bool kmeans_cancelled(const struct kmeans_ctx *ctx)
{
	return cancel_requested(ctx->cancel);
}

static void kmeans_chunk_range(const struct kmeans_ctx *ctx, size_t t,
    size_t *lo, size_t *hi)
{
	*lo = t * ctx->chunk_rows;
	*hi = *lo + ctx->chunk_rows < ctx->n ? *lo + ctx->chunk_rows : ctx->n;
}

/* Chunking depends on n, k and d only, never on the thread count. */
static void kmeans_plan_chunks(struct kmeans_ctx *ctx)
{
	size_t rows = KMEANS_CHUNK_MIN, per = ctx->k * ctx->d, most;

	if ((ctx->n + rows - 1) / rows > KMEANS_CHUNKS_MAX)
		rows = (ctx->n + KMEANS_CHUNKS_MAX - 1) / KMEANS_CHUNKS_MAX;
	most = KMEANS_PARTIAL_MAX / per > 0 ? KMEANS_PARTIAL_MAX / per : 1;
	if ((ctx->n + rows - 1) / rows > most)
		rows = (ctx->n + most - 1) / most;
	ctx->chunk_rows = rows;
	ctx->n_chunks = (ctx->n + rows - 1) / rows;
}

/* Hamerly's test for one row; returns true when its label certainly stands.
 * Bounds are first moved by last update's centroid shifts. */
static bool kmeans_bounds_hold(struct kmeans_ctx *ctx, size_t i,
    unsigned long long *dists)
{
	size_t a = ctx->labels[i];
	double u, l, m;

	u = ctx->upper[i] + ctx->shift[a];
	l = ctx->lower[i] -
	    (a == ctx->max_shift_at ? ctx->max_shift2 : ctx->max_shift);
	ctx->lower[i] = l;
	m = ctx->half[a] > l ? ctx->half[a] : l;
	if (u + ctx->slack < m) {
		ctx->upper[i] = u;
		return true;
	}
	u = sqrt(kmeans_dist2(ctx->x + i * ctx->d, ctx->c + a * ctx->d,
	    ctx->d));
	(*dists)++;
	ctx->upper[i] = u;
	return u + ctx->slack < m;
}

static size_t kmeans_assign_row(struct kmeans_ctx *ctx, size_t i,
    double *acc, unsigned long long *dists)
{
	double b1, b2;
	size_t j;

	if (ctx->hamerly && !ctx->first && kmeans_bounds_hold(ctx, i, dists))
		return ctx->labels[i];
	j = kmeans_nearest(ctx->x + i * ctx->d, ctx->ct, ctx->k, ctx->d, acc,
	    &b1, &b2);
	*dists += ctx->k;
	if (ctx->hamerly) {
		ctx->upper[i] = sqrt(b1);
		ctx->lower[i] = sqrt(b2);
	}
	return j;
}

static void kmeans_assign_chunk(void *arg, size_t t)
{
	struct kmeans_ctx *ctx = arg;
	size_t lo, hi, j, d = ctx->d, changed = 0;
	double *sum = ctx->psum + t * ctx->k * d;
	size_t *count = ctx->pcount + t * ctx->k;
	double *acc = ctx->scratch + t * ctx->n_scratch;
	unsigned long long dists = 0;
	const double *p;

	/* The pass is abandoned, so its sums may stay stale. */
	if (kmeans_cancelled(ctx))
		return;
	kmeans_chunk_range(ctx, t, &lo, &hi);
	memset(sum, 0, ctx->k * d * sizeof *sum);
	memset(count, 0, ctx->k * sizeof *count);
	for (size_t i = lo; i < hi; i++) {
		j = kmeans_assign_row(ctx, i, acc, &dists);
		if (j != ctx->labels[i])
			changed++;
		ctx->labels[i] = j;
		p = ctx->x + i * d;
		for (size_t f = 0; f < d; f++)
			sum[j * d + f] += p[f];
		count[j]++;
	}
	ctx->pchanged[t] = changed;
	ctx->pdist[t] = dists;
}

/* One assignment pass; leaves totals in ctx->sum, count and changed.
 * -1 when cancelled. */
static int kmeans_assign(struct kmeans_ctx *ctx)
{
	size_t kd = ctx->k * ctx->d;

	kmeans_transpose(ctx->ct, ctx->c, ctx->k, ctx->d);
	parallel_run(ctx->n_chunks, ctx->threads, kmeans_assign_chunk, ctx);
	if (kmeans_cancelled(ctx))
		return -1;
	memset(ctx->sum, 0, kd * sizeof *ctx->sum);
	memset(ctx->count, 0, ctx->k * sizeof *ctx->count);
	ctx->changed = 0;
	for (size_t t = 0; t < ctx->n_chunks; t++) {
		for (size_t e = 0; e < kd; e++)
			ctx->sum[e] += ctx->psum[t * kd + e];
		for (size_t j = 0; j < ctx->k; j++)
			ctx->count[j] += ctx->pcount[t * ctx->k + j];
		ctx->changed += ctx->pchanged[t];
		ctx->n_distances += ctx->pdist[t];
	}
	ctx->first = false;
	return 0;
}

static bool kmeans_is_taken(const struct kmeans_ctx *ctx, size_t i)
{
	for (size_t e = 0; e < ctx->n_taken; e++) {
		if (ctx->taken[e] == i)
			return true;
	}
	return false;
}

static void kmeans_farthest_chunk(void *arg, size_t t)
{
	struct kmeans_ctx *ctx = arg;
	size_t lo, hi, best = KMEANS_NO_LABEL;
	double dd, top = -1;

	kmeans_chunk_range(ctx, t, &lo, &hi);
	for (size_t i = lo; i < hi; i++) {
		dd = kmeans_dist2(ctx->x + i * ctx->d,
		    ctx->c_old + ctx->labels[i] * ctx->d, ctx->d);
		if (dd > top && !kmeans_is_taken(ctx, i)) {
			top = dd;
			best = i;
		}
	}
	ctx->pval[t] = top;
	ctx->pidx[t] = best;
}

/* Moves an empty cluster's centroid onto the row farthest from its own
 * centroid (lowest row on a tie), as scikit-learn does; stays put when every
 * row sits on a centroid. */
static void kmeans_refill(struct kmeans_ctx *ctx, size_t j)
{
	size_t best = KMEANS_NO_LABEL;
	double top = 0;

	parallel_run(ctx->n_chunks, ctx->threads, kmeans_farthest_chunk, ctx);
	for (size_t t = 0; t < ctx->n_chunks; t++) {
		if (ctx->pval[t] > top) {
			top = ctx->pval[t];
			best = ctx->pidx[t];
		}
	}
	if (best == KMEANS_NO_LABEL)
		return;
	ctx->taken[ctx->n_taken++] = best;
	memcpy(ctx->c + j * ctx->d, ctx->x + best * ctx->d,
	    ctx->d * sizeof *ctx->c);
}

/* Half the distance from each centroid to its nearest neighbour. */
static void kmeans_update_half(struct kmeans_ctx *ctx)
{
	double dd;

	for (size_t j = 0; j < ctx->k; j++)
		ctx->half[j] = HUGE_VAL;
	for (size_t j = 0; j < ctx->k; j++) {
		for (size_t o = j + 1; o < ctx->k; o++) {
			dd = sqrt(kmeans_dist2(ctx->c + j * ctx->d,
			    ctx->c + o * ctx->d, ctx->d)) / 2;
			if (dd < ctx->half[j])
				ctx->half[j] = dd;
			if (dd < ctx->half[o])
				ctx->half[o] = dd;
		}
	}
}

/* Records how far centroids moved; returns the summed squared shift. */
static double kmeans_update_shift(struct kmeans_ctx *ctx)
{
	double total = 0, dd, s;

	ctx->max_shift = ctx->max_shift2 = 0;
	ctx->max_shift_at = 0;
	for (size_t j = 0; j < ctx->k; j++) {
		dd = kmeans_dist2(ctx->c + j * ctx->d, ctx->c_old + j * ctx->d,
		    ctx->d);
		total += dd;
		s = ctx->shift[j] = sqrt(dd);
		if (s > ctx->max_shift) {
			ctx->max_shift2 = ctx->max_shift;
			ctx->max_shift = s;
			ctx->max_shift_at = j;
		} else if (s > ctx->max_shift2)
			ctx->max_shift2 = s;
	}
	return total;
}

/* New centroids from the pass's totals; returns the summed squared shift. */
static double kmeans_update(struct kmeans_ctx *ctx)
{
	size_t d = ctx->d;

	memcpy(ctx->c_old, ctx->c, ctx->k * d * sizeof *ctx->c);
	for (size_t j = 0; j < ctx->k; j++) {
		if (ctx->count[j] == 0)
			continue;
		for (size_t f = 0; f < d; f++)
			ctx->c[j * d + f] = ctx->sum[j * d + f] / ctx->count[j];
	}
	ctx->n_taken = 0;
	for (size_t j = 0; j < ctx->k; j++) {
		if (ctx->count[j] == 0)
			kmeans_refill(ctx, j);
	}
	if (ctx->hamerly)
		kmeans_update_half(ctx);
	return kmeans_update_shift(ctx);
}

static void kmeans_inertia_chunk(void *arg, size_t t)
{
	struct kmeans_ctx *ctx = arg;
	size_t lo, hi;
	double s = 0;

	kmeans_chunk_range(ctx, t, &lo, &hi);
	for (size_t i = lo; i < hi; i++)
		s += kmeans_dist2(ctx->x + i * ctx->d,
		    ctx->c + ctx->labels[i] * ctx->d, ctx->d);
	ctx->pval[t] = s;
}

static double kmeans_inertia(struct kmeans_ctx *ctx)
{
	double s = 0;

	parallel_run(ctx->n_chunks, ctx->threads, kmeans_inertia_chunk, ctx);
	for (size_t t = 0; t < ctx->n_chunks; t++)
		s += ctx->pval[t];
	return s;
}

static void kmeans_potential_chunk(void *arg, size_t t)
{
	struct kmeans_ctx *ctx = arg;
	size_t lo, hi, nc = ctx->n_cand;
	double *pot = ctx->pval + t * nc;
	double *acc = ctx->scratch + t * ctx->n_scratch, near;

	kmeans_chunk_range(ctx, t, &lo, &hi);
	for (size_t e = 0; e < nc; e++)
		pot[e] = 0;
	for (size_t i = lo; i < hi; i++) {
		kmeans_dists(ctx->x + i * ctx->d, ctx->ct, nc, ctx->d, acc);
		near = ctx->closest[i];
		for (size_t e = 0; e < nc; e++)
			pot[e] += acc[e] < near ? acc[e] : near;
	}
}

/* Folds the newest centre into each row's squared distance to the chosen
 * set, and keeps running totals within the chunk for drawing. */
static void kmeans_closest_chunk(void *arg, size_t t)
{
	struct kmeans_ctx *ctx = arg;
	size_t lo, hi, d = ctx->d;
	const double *q = ctx->x + ctx->cand[0] * d;
	double dd, run = 0;

	kmeans_chunk_range(ctx, t, &lo, &hi);
	for (size_t i = lo; i < hi; i++) {
		dd = kmeans_dist2(ctx->x + i * d, q, d);
		if (ctx->first || dd < ctx->closest[i])
			ctx->closest[i] = dd;
		run += ctx->closest[i];
		ctx->cum[i] = run;
	}
	ctx->pval[t] = run;
}

static void kmeans_add_centre(struct kmeans_ctx *ctx, size_t j)
{
	memcpy(ctx->c + j * ctx->d, ctx->x + ctx->cand[0] * ctx->d,
	    ctx->d * sizeof *ctx->c);
	if (j + 1 == ctx->k)
		return;
	parallel_run(ctx->n_chunks, ctx->threads, kmeans_closest_chunk, ctx);
	memcpy(ctx->ctotal, ctx->pval, ctx->n_chunks * sizeof *ctx->ctotal);
	ctx->first = false;
}

/* The first row of the chunk whose running total exceeds u; rounding can
 * leave none, and then the chunk's last row of positive weight. */
static size_t kmeans_draw_in_chunk(const struct kmeans_ctx *ctx, size_t t,
    double u)
{
	size_t lo, hi, end, mid;

	kmeans_chunk_range(ctx, t, &lo, &end);
	for (hi = end; lo < hi;) {
		mid = lo + (hi - lo) / 2;
		if (ctx->cum[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	while (lo == end || !(ctx->closest[lo] > 0))
		lo--;
	return lo;
}

/* Draws a row with probability proportional to its squared distance to the
 * chosen centres: the first row whose running total exceeds u * total,
 * found chunk by chunk. */
static size_t kmeans_draw(struct kmeans_ctx *ctx, gsl_rng *rng)
{
	double total = 0, u;
	size_t t, last = 0;

	for (t = 0; t < ctx->n_chunks; t++) {
		total += ctx->ctotal[t];
		if (ctx->ctotal[t] > 0)
			last = t;
	}
	if (!(total > 0))
		return gsl_rng_uniform_int(rng, ctx->n);
	u = gsl_rng_uniform(rng) * total;
	for (t = 0; t < last && !(u < ctx->ctotal[t]); t++)
		u -= ctx->ctotal[t];
	return kmeans_draw_in_chunk(ctx, t, u);
}

/* Chooses among the round's candidates the one leaving the least total
 * potential (the first on a tie) and makes it centre j. */
static void kmeans_pick_candidate(struct kmeans_ctx *ctx, size_t j)
{
	double best = HUGE_VAL, pot;
	size_t bi = 0;

	for (size_t e = 0; e < ctx->n_cand; e++)
		memcpy(ctx->cand_rows + e * ctx->d,
		    ctx->x + ctx->cand[e] * ctx->d, ctx->d * sizeof *ctx->x);
	kmeans_transpose(ctx->ct, ctx->cand_rows, ctx->n_cand, ctx->d);
	parallel_run(ctx->n_chunks, ctx->threads, kmeans_potential_chunk, ctx);
	for (size_t e = 0; e < ctx->n_cand; e++) {
		pot = 0;
		for (size_t t = 0; t < ctx->n_chunks; t++)
			pot += ctx->pval[t * ctx->n_cand + e];
		if (pot < best) {
			best = pot;
			bi = e;
		}
	}
	ctx->cand[0] = ctx->cand[bi];
	kmeans_add_centre(ctx, j);
}

/* Greedy k-means++ (Arthur and Vassilvitskii, with scikit-learn's several
 * candidates per centre); -1 when cancelled. */
static int kmeans_seed_plusplus(struct kmeans_ctx *ctx, gsl_rng *rng,
    size_t trials)
{
	if (kmeans_cancelled(ctx))
		return -1;
	ctx->first = true;
	ctx->cand[0] = gsl_rng_uniform_int(rng, ctx->n);
	kmeans_add_centre(ctx, 0);
	for (size_t j = 1; j < ctx->k; j++) {
		if (kmeans_cancelled(ctx))
			return -1;
		ctx->n_cand = trials;
		for (size_t e = 0; e < trials; e++)
			ctx->cand[e] = kmeans_draw(ctx, rng);
		kmeans_pick_candidate(ctx, j);
	}
	return 0;
}

/* k distinct rows, uniformly, by Floyd's sampling: k draws, no n-sized
 * scratch. */
static void kmeans_seed_random(struct kmeans_ctx *ctx, gsl_rng *rng)
{
	size_t got = 0, r, e;

	for (size_t top = ctx->n - ctx->k; top < ctx->n; top++) {
		r = gsl_rng_uniform_int(rng, top + 1);
		for (e = 0; e < got && ctx->cand[e] != r; e++)
			;
		ctx->cand[got] = e < got ? top : r;
		got++;
	}
	for (size_t j = 0; j < ctx->k; j++)
		memcpy(ctx->c + j * ctx->d, ctx->x + ctx->cand[j] * ctx->d,
		    ctx->d * sizeof *ctx->c);
}

/* -1 when cancelled. */
static int kmeans_seed(struct kmeans_ctx *ctx,
    const struct kmeans_options *opt, gsl_rng *rng, size_t trials)
{
	if (opt->init == KMEANS_INIT_PLUSPLUS)
		return kmeans_seed_plusplus(ctx, rng, trials);
	if (opt->init == KMEANS_INIT_RANDOM)
		kmeans_seed_random(ctx, rng);
	else
		memcpy(ctx->c, opt->centroids,
		    ctx->k * ctx->d * sizeof *ctx->c);
	return 0;
}

static int kmeans_check_given(const struct kmeans_options *opt, size_t d,
    char **cause)
{
	if (opt->init != KMEANS_INIT_GIVEN)
		return 0;
	for (size_t e = 0; e < opt->k * d; e++) {
		if (!isfinite(opt->centroids[e])) {
			*cause = xasprintf("starting centroid %zu, feature "
			    "%zu is not a finite number", e / d + 1, e % d + 1);
			return -1;
		}
	}
	return 0;
}

static int kmeans_check_options(size_t n, size_t d,
    const struct kmeans_options *opt, char **cause)
{
	if (n == 0)
		*cause = xasprintf("no rows to cluster");
	else if (d == 0)
		*cause = xasprintf("no features to cluster on");
	else if (opt->k < 1)
		*cause = xasprintf("k must be at least 1");
	else if (opt->k > n)
		*cause = xasprintf("k (%zu) is larger than the number of "
		    "rows (%zu)", opt->k, n);
	else if (n > UINT32_MAX)
		*cause = xasprintf("too many rows (%zu) to sample from", n);
	else if (opt->n_init < 1)
		*cause = xasprintf("n_init must be at least 1");
	else if (opt->max_iter < 1)
		*cause = xasprintf("max_iter must be at least 1");
	else if (!(opt->tol >= 0) || isinf(opt->tol))
		*cause = xasprintf("tol must be a finite number, at least 0");
	else if (opt->init == KMEANS_INIT_GIVEN && opt->centroids == NULL)
		*cause = xasprintf("no starting centroids given");
	else
		return kmeans_check_given(opt, d, cause);
	return -1;
}

/* Rejects non-finite cells; sets the bound margin from the largest
 * coordinates and the stopping threshold from the mean feature variance. */
static int kmeans_scan_data(struct kmeans_ctx *ctx, double tol, char **cause)
{
	size_t n = ctx->n, d = ctx->d, f;
	double *mean = xcalloc(d, sizeof *mean), *big = xcalloc(d, sizeof *big);
	double scale = 0, var = 0, t;

	for (size_t i = 0; i < n * d; i++) {
		f = i % d;
		if (!isfinite(ctx->x[i])) {
			*cause = xasprintf("row %zu, feature %zu is not a "
			    "finite number", i / d + 1, f + 1);
			free(mean);
			free(big);
			return -1;
		}
		mean[f] += ctx->x[i];
		if (fabs(ctx->x[i]) > big[f])
			big[f] = fabs(ctx->x[i]);
	}
	for (f = 0; f < d; f++) {
		mean[f] /= n;
		scale += big[f] * big[f];
	}
	for (size_t i = 0; i < n * d; i++) {
		t = ctx->x[i] - mean[i % d];
		var += t * t;
	}
	free(mean);
	free(big);
	ctx->slack = KMEANS_SLACK * sqrt(scale);
	ctx->tol_abs = tol * var / n / d;
	return 0;
}

static void kmeans_ctx_init(struct kmeans_ctx *ctx, const double *x, size_t n,
    size_t d, const struct kmeans_options *opt, size_t trials)
{
	size_t k = opt->k;

	memset(ctx, 0, sizeof *ctx);
	ctx->x = x;
	ctx->n = n;
	ctx->d = d;
	ctx->k = k;
	ctx->threads = parallel_threads(opt->threads);
	ctx->hamerly = opt->algorithm == KMEANS_HAMERLY;
	ctx->cancel = opt->cancel;
	kmeans_plan_chunks(ctx);
	ctx->c = xcalloc(k * d, sizeof *ctx->c);
	ctx->c_old = xcalloc(k * d, sizeof *ctx->c_old);
	ctx->n_scratch = k > trials ? k : trials;
	ctx->ct = xcalloc(ctx->n_scratch * d, sizeof *ctx->ct);
	ctx->scratch = xcalloc(ctx->n_chunks * ctx->n_scratch,
	    sizeof *ctx->scratch);
	ctx->cand_rows = xcalloc(trials * d, sizeof *ctx->cand_rows);
	ctx->labels = xcalloc(n, sizeof *ctx->labels);
	ctx->half = xcalloc(k, sizeof *ctx->half);
	ctx->shift = xcalloc(k, sizeof *ctx->shift);
	ctx->sum = xcalloc(k * d, sizeof *ctx->sum);
	ctx->count = xcalloc(k, sizeof *ctx->count);
	ctx->psum = xcalloc(ctx->n_chunks * k * d, sizeof *ctx->psum);
	ctx->pcount = xcalloc(ctx->n_chunks * k, sizeof *ctx->pcount);
	ctx->pchanged = xcalloc(ctx->n_chunks, sizeof *ctx->pchanged);
	ctx->pval = xcalloc(ctx->n_chunks * (trials + 1), sizeof *ctx->pval);
	ctx->pidx = xcalloc(ctx->n_chunks, sizeof *ctx->pidx);
	ctx->pdist = xcalloc(ctx->n_chunks, sizeof *ctx->pdist);
	ctx->cand = xcalloc(k > trials ? k : trials, sizeof *ctx->cand);
	ctx->taken = xcalloc(k, sizeof *ctx->taken);
	if (ctx->hamerly) {
		ctx->upper = xcalloc(n, sizeof *ctx->upper);
		ctx->lower = xcalloc(n, sizeof *ctx->lower);
	}
	if (opt->init == KMEANS_INIT_PLUSPLUS) {
		ctx->closest = xcalloc(n, sizeof *ctx->closest);
		ctx->cum = xcalloc(n, sizeof *ctx->cum);
		ctx->ctotal = xcalloc(ctx->n_chunks, sizeof *ctx->ctotal);
	}
}

static void kmeans_ctx_done(struct kmeans_ctx *ctx)
{
	free(ctx->c);
	free(ctx->c_old);
	free(ctx->ct);
	free(ctx->scratch);
	free(ctx->cand_rows);
	free(ctx->labels);
	free(ctx->upper);
	free(ctx->lower);
	free(ctx->half);
	free(ctx->shift);
	free(ctx->sum);
	free(ctx->count);
	free(ctx->psum);
	free(ctx->pcount);
	free(ctx->pchanged);
	free(ctx->pval);
	free(ctx->pidx);
	free(ctx->pdist);
	free(ctx->closest);
	free(ctx->cum);
	free(ctx->ctotal);
	free(ctx->cand);
	free(ctx->taken);
}

/* Iterates from the seeded centroids, counting the passes in *iter; -1
 * when cancelled. Labels and totals on return belong to the final
 * centroids. */
static int kmeans_iterate(struct kmeans_ctx *ctx, unsigned max_iter,
    unsigned *iter, bool *converged)
{
	ctx->first = true;
	for (size_t i = 0; i < ctx->n; i++)
		ctx->labels[i] = KMEANS_NO_LABEL;
	*iter = 0;
	*converged = false;
	while (*iter < max_iter) {
		if (kmeans_assign(ctx) != 0)
			return -1;
		if ((*iter)++ > 0 && ctx->changed == 0) {
			*converged = true;
			return 0;
		}
		if (kmeans_update(ctx) <= ctx->tol_abs) {
			*converged = true;
			break;
		}
	}
	/* The last update moved the centroids: label against them once more. */
	return kmeans_assign(ctx);
}

static struct kmeans_result *kmeans_result_new(size_t n, size_t d, size_t k)
{
	struct kmeans_result *r = xcalloc(1, sizeof *r);

	r->n = n;
	r->d = d;
	r->k = k;
	r->centroids = xcalloc(k * d, sizeof *r->centroids);
	r->labels = xcalloc(n, sizeof *r->labels);
	r->sizes = xcalloc(k, sizeof *r->sizes);
	r->inertia = HUGE_VAL;
	return r;
}

static void kmeans_keep(struct kmeans_result *r, const struct kmeans_ctx *ctx)
{
	memcpy(r->centroids, ctx->c, ctx->k * ctx->d * sizeof *ctx->c);
	memcpy(r->labels, ctx->labels, ctx->n * sizeof *ctx->labels);
	memcpy(r->sizes, ctx->count, ctx->k * sizeof *ctx->count);
	r->n_empty = 0;
	for (size_t j = 0; j < ctx->k; j++)
		r->n_empty += ctx->count[j] == 0;
}

int kmeans_fit(const double *x, size_t n, size_t d,
    const struct kmeans_options *opt, struct kmeans_result **out,
    char **cause)
{
	struct kmeans_ctx ctx;
	struct kmeans_result *r;
	gsl_rng *rng;
	size_t trials = opt->local_trials;
	unsigned iter, runs;
	bool converged;
	double inertia;

	*out = NULL;
	if (kmeans_check_options(n, d, opt, cause) != 0)
		return -1;
	if (trials == 0)
		trials = 2 + (size_t)log((double)opt->k);
	kmeans_ctx_init(&ctx, x, n, d, opt, trials);
	if (kmeans_scan_data(&ctx, opt->tol, cause) != 0) {
		kmeans_ctx_done(&ctx);
		return -1;
	}
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, opt->seed);
	r = kmeans_result_new(n, d, opt->k);
	runs = opt->init == KMEANS_INIT_GIVEN ? 1 : opt->n_init;
	for (unsigned run = 0; run < runs; run++) {
		/* Seeding and passes poll, so each restart starts with one. */
		if (kmeans_seed(&ctx, opt, rng, trials) != 0 ||
		    kmeans_iterate(&ctx, opt->max_iter, &iter,
		    &converged) != 0) {
			*cause = xstrdup("cancelled");
			kmeans_result_free(r);
			r = NULL;
			break;
		}
		inertia = kmeans_inertia(&ctx);
		if (inertia < r->inertia) {
			kmeans_keep(r, &ctx);
			r->inertia = inertia;
			r->n_iter = iter;
			r->converged = converged;
			r->best_run = run;
		}
	}
	gsl_rng_free(rng);
	if (r != NULL)
		r->n_distances = ctx.n_distances;
	kmeans_ctx_done(&ctx);
	*out = r;
	return r != NULL ? 0 : -1;
}

void kmeans_result_free(struct kmeans_result *r)
{
	if (r == NULL)
		return;
	free(r->centroids);
	free(r->labels);
	free(r->sizes);
	free(r);
}
