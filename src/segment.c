/* Scaling, silhouette, choice of k and segment labels. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "cancel.h"
#include "parallel.h"
#include "segment.h"
#include "xmalloc.h"

/* Rows per silhouette task; each task writes only its rows' widths. */
#define SEGMENT_SIL_ROWS 64

/* Labellings of the same rows, scored in one pass over pairs of rows, so
 * that choosing k computes each distance once for all candidates. */
struct segment_sil {
	size_t d, m;            /* m rows used */
	size_t *rows;           /* the rows used, ascending */
	double *xt;             /* d x m: the rows used, transposed */
	size_t n_lab;
	size_t *k;              /* n_lab: clusters per labelling */
	size_t *off;            /* n_lab: first slot of each in size, sums */
	size_t n_slots;         /* clusters over all labellings */
	size_t *size;           /* n_slots: rows used per cluster */
	uint32_t *lab;          /* n_lab x m: cluster of each row used */
	double *width;          /* n_lab x m: silhouette of each row used */
	const atomic_bool *cancel; /* polled per task */
};

static int segment_check_cell(double v, size_t i, size_t f, bool log1p,
    char **cause)
{
	if (!isfinite(v))
		*cause = xasprintf("row %zu, feature %zu is not a finite "
		    "number", i + 1, f + 1);
	else if (log1p && v <= -1)
		*cause = xasprintf("row %zu, feature %zu is %g: log1p needs "
		    "values above -1", i + 1, f + 1, v);
	else
		return 0;
	return -1;
}

static double segment_scale_cell(const struct segment_scale *s, double v,
    size_t f)
{
	return s->log1p[f] ? log1p(v) : v;
}

int segment_scale_init(struct segment_scale *s, const double *x, size_t n,
    size_t d, const bool *log1p, char **cause)
{
	double v, t;

	memset(s, 0, sizeof *s);
	if (n == 0 || d == 0) {
		*cause = xasprintf("no %s to scale",
		    n == 0 ? "rows" : "features");
		return -1;
	}
	s->d = d;
	s->mean = xcalloc(d, sizeof *s->mean);
	s->sd = xcalloc(d, sizeof *s->sd);
	s->log1p = xcalloc(d, sizeof *s->log1p);
	for (size_t f = 0; f < d; f++)
		s->log1p[f] = log1p != NULL && log1p[f];
	for (size_t i = 0; i < n * d; i++) {
		if (segment_check_cell(x[i], i / d, i % d, s->log1p[i % d],
		    cause) != 0) {
			segment_scale_done(s);
			return -1;
		}
		s->mean[i % d] += segment_scale_cell(s, x[i], i % d);
	}
	for (size_t f = 0; f < d; f++)
		s->mean[f] /= n;
	for (size_t i = 0; i < n * d; i++) {
		v = segment_scale_cell(s, x[i], i % d);
		t = v - s->mean[i % d];
		s->sd[i % d] += t * t;
	}
	/* A constant feature has no spread to divide by: it maps to 0. */
	for (size_t f = 0; f < d; f++) {
		s->sd[f] = n > 1 ? sqrt(s->sd[f] / (n - 1)) : 0;
		if (!(s->sd[f] > 0))
			s->sd[f] = 1;
	}
	return 0;
}

int segment_scale_apply(const struct segment_scale *s, double *x, size_t n,
    char **cause)
{
	size_t d = s->d;

	for (size_t i = 0; i < n * d; i++) {
		if (segment_check_cell(x[i], i / d, i % d, s->log1p[i % d],
		    cause) != 0)
			return -1;
	}
	for (size_t i = 0; i < n * d; i++)
		x[i] = (segment_scale_cell(s, x[i], i % d) - s->mean[i % d]) /
		    s->sd[i % d];
	return 0;
}

void segment_scale_invert(const struct segment_scale *s, double *x, size_t n)
{
	size_t f;

	for (size_t i = 0; i < n * s->d; i++) {
		f = i % s->d;
		x[i] = x[i] * s->sd[f] + s->mean[f];
		if (s->log1p[f])
			x[i] = expm1(x[i]);
	}
}

void segment_scale_done(struct segment_scale *s)
{
	free(s->mean);
	free(s->sd);
	free(s->log1p);
	memset(s, 0, sizeof *s);
}

/* Chooses m of n rows in ascending order, each m-subset equally likely
 * (Knuth's selection sampling). */
static void segment_sample_rows(size_t *rows, size_t n, size_t m,
    unsigned long seed)
{
	gsl_rng *rng;
	size_t got = 0;

	if (m == n) {
		for (size_t i = 0; i < n; i++)
			rows[i] = i;
		return;
	}
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, seed);
	for (size_t i = 0; i < n && got < m; i++) {
		if ((double)(n - i) * gsl_rng_uniform(rng) < (double)(m - got))
			rows[got++] = i;
	}
	gsl_rng_free(rng);
}

static void segment_sil_init(struct segment_sil *s, const double *x,
    size_t n, size_t d, size_t n_lab, const size_t *k, unsigned long seed)
{
	size_t *rows;

	memset(s, 0, sizeof *s);
	s->d = d;
	s->m = n > SEGMENT_SILHOUETTE_MAX ? SEGMENT_SILHOUETTE_MAX : n;
	s->n_lab = n_lab;
	s->rows = rows = xcalloc(s->m, sizeof *rows);
	segment_sample_rows(rows, n, s->m, seed);
	s->xt = xcalloc(s->m * d, sizeof *s->xt);
	for (size_t e = 0; e < s->m; e++) {
		for (size_t f = 0; f < d; f++)
			s->xt[f * s->m + e] = x[rows[e] * d + f];
	}
	s->k = xcalloc(n_lab, sizeof *s->k);
	s->off = xcalloc(n_lab, sizeof *s->off);
	for (size_t l = 0; l < n_lab; l++) {
		s->k[l] = k[l];
		s->off[l] = s->n_slots;
		s->n_slots += k[l];
	}
	s->size = xcalloc(s->n_slots, sizeof *s->size);
	s->lab = xcalloc(n_lab * s->m, sizeof *s->lab);
	s->width = xcalloc(n_lab * s->m, sizeof *s->width);
}

static void segment_sil_done(struct segment_sil *s)
{
	free(s->rows);
	free(s->xt);
	free(s->k);
	free(s->off);
	free(s->size);
	free(s->lab);
	free(s->width);
}

/* Takes labelling l from full-length labels, already checked below k. */
static void segment_sil_set(struct segment_sil *s, size_t l,
    const size_t *labels)
{
	size_t *size = s->size + s->off[l];
	uint32_t *lab = s->lab + l * s->m;

	for (size_t e = 0; e < s->m; e++) {
		lab[e] = (uint32_t)labels[s->rows[e]];
		size[lab[e]]++;
	}
}

/* A silhouette needs 2 .. m - 1 non-empty clusters among the rows used. */
static int segment_sil_valid(const struct segment_sil *s, size_t l,
    size_t *n_clusters, char **cause)
{
	const size_t *size = s->size + s->off[l];

	*n_clusters = 0;
	for (size_t j = 0; j < s->k[l]; j++)
		*n_clusters += size[j] > 0;
	if (*n_clusters < 2)
		*cause = xasprintf("silhouette needs at least 2 non-empty "
		    "clusters, not %zu", *n_clusters);
	else if (*n_clusters >= s->m)
		*cause = xasprintf("silhouette needs fewer clusters (%zu) than "
		    "rows (%zu)", *n_clusters, s->m);
	else
		return 0;
	return -1;
}

/* Distances from used row e to every used row. Each squared sum runs over
 * features in order, as in kmeans_dist2; the loop across rows, unrolled,
 * is what vectorises. */
static void segment_sil_dists(const struct segment_sil *s, size_t e,
    double *restrict dist)
{
	const double *restrict col;
	double v, t0, t1, t2, t3;
	size_t q, m = s->m;

	for (q = 0; q < m; q++)
		dist[q] = 0;
	for (size_t f = 0; f < s->d; f++) {
		col = s->xt + f * m;
		v = col[e];
		for (q = 0; q + 4 <= m; q += 4) {
			t0 = v - col[q];
			t1 = v - col[q + 1];
			t2 = v - col[q + 2];
			t3 = v - col[q + 3];
			dist[q] += t0 * t0;
			dist[q + 1] += t1 * t1;
			dist[q + 2] += t2 * t2;
			dist[q + 3] += t3 * t3;
		}
		for (; q < m; q++) {
			t0 = v - col[q];
			dist[q] += t0 * t0;
		}
	}
	for (q = 0; q < m; q++)
		dist[q] = sqrt(dist[q]);
}

/* Silhouette of one row from its summed distances to each cluster. */
static double segment_sil_width(const size_t *size, size_t k,
    const double *sums, size_t own)
{
	double a, b = HUGE_VAL, mean;

	if (size[own] < 2)
		return 0;
	a = sums[own] / (size[own] - 1);
	for (size_t j = 0; j < k; j++) {
		if (j == own || size[j] == 0)
			continue;
		mean = sums[j] / size[j];
		if (mean < b)
			b = mean;
	}
	if (!(a > b ? a > 0 : b > 0))
		return 0;
	return (b - a) / (a > b ? a : b);
}

static void segment_sil_task(void *arg, size_t t)
{
	struct segment_sil *s = arg;
	double *dist, *sums;
	size_t lo = t * SEGMENT_SIL_ROWS, hi = lo + SEGMENT_SIL_ROWS;
	const uint32_t *lab;

	/* The widths are then never read. */
	if (cancel_requested(s->cancel))
		return;
	dist = xcalloc(s->m, sizeof *dist);
	sums = xcalloc(s->n_slots, sizeof *sums);
	for (size_t e = lo; e < hi && e < s->m; e++) {
		segment_sil_dists(s, e, dist);
		memset(sums, 0, s->n_slots * sizeof *sums);
		for (size_t l = 0; l < s->n_lab; l++) {
			lab = s->lab + l * s->m;
			for (size_t q = 0; q < s->m; q++)
				sums[s->off[l] + lab[q]] += dist[q];
			s->width[l * s->m + e] = segment_sil_width(s->size +
			    s->off[l], s->k[l], sums + s->off[l], lab[e]);
		}
	}
	free(sums);
	free(dist);
}

/* Widths of every labelling; -1 with *cause when cancelled. */
static int segment_sil_run(struct segment_sil *s, unsigned threads,
    char **cause)
{
	parallel_run((s->m + SEGMENT_SIL_ROWS - 1) / SEGMENT_SIL_ROWS, threads,
	    segment_sil_task, s);
	return cancel_check(s->cancel, cause) ? -1 : 0;
}

static double segment_sil_mean(const struct segment_sil *s, size_t l)
{
	double total = 0;

	for (size_t e = 0; e < s->m; e++)
		total += s->width[l * s->m + e];
	return total / s->m;
}

static int segment_sil_check(const double *x, size_t n, size_t d,
    const size_t *labels, size_t k, char **cause)
{
	for (size_t i = 0; i < n * d; i++) {
		if (segment_check_cell(x[i], i / d, i % d, false, cause) != 0)
			return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (labels[i] >= k) {
			*cause = xasprintf("row %zu has label %zu, not below "
			    "k (%zu)", i + 1, labels[i], k);
			return -1;
		}
	}
	if (k > UINT32_MAX) {
		*cause = xasprintf("too many clusters (%zu)", k);
		return -1;
	}
	return 0;
}

int segment_silhouette(const double *x, size_t n, size_t d,
    const size_t *labels, size_t k, unsigned long seed, unsigned threads,
    const atomic_bool *cancel, struct segment_silhouette *out,
    char **cause)
{
	struct segment_sil s;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (segment_sil_check(x, n, d, labels, k, cause) != 0)
		return -1;
	segment_sil_init(&s, x, n, d, 1, &k, seed);
	s.cancel = cancel;
	segment_sil_set(&s, 0, labels);
	if (segment_sil_valid(&s, 0, &out->n_clusters, cause) == 0 &&
	    segment_sil_run(&s, threads, cause) == 0) {
		out->score = segment_sil_mean(&s, 0);
		out->n_used = s.m;
		out->sampled = s.m < n;
		rc = 0;
	}
	segment_sil_done(&s);
	return rc;
}

/* Fits every candidate k, keeping only inertia and the sampled labels. */
static int segment_auto_fit(const double *x, size_t n, size_t d,
    const struct kmeans_options *opt, struct segment_auto *a,
    struct segment_sil *s, char **cause)
{
	struct kmeans_options o = *opt;
	struct kmeans_result *r;

	for (size_t l = 0; l < s->n_lab; l++) {
		o.k = s->k[l];
		if (cancel_check(opt->cancel, cause) ||
		    kmeans_fit(x, n, d, &o, &r, cause) != 0)
			return -1;
		a->inertia[o.k] = r->inertia;
		segment_sil_set(s, l, r->labels);
		kmeans_result_free(r);
	}
	return 0;
}

/* Scores the valid labellings and picks the best, the smaller k on a tie. */
static void segment_auto_pick(struct segment_auto *a,
    const struct segment_sil *s)
{
	size_t n_clusters;
	char *why;

	for (size_t l = 0; l < s->n_lab; l++) {
		if (segment_sil_valid(s, l, &n_clusters, &why) != 0) {
			free(why);
			continue;
		}
		a->score[s->k[l]] = segment_sil_mean(s, l);
		if (a->best_k == 0 || a->score[s->k[l]] > a->score[a->best_k])
			a->best_k = s->k[l];
	}
}

int segment_auto_k(const double *x, size_t n, size_t d,
    const struct kmeans_options *opt, struct segment_auto *out, char **cause)
{
	struct kmeans_options o = *opt;
	struct segment_sil s;
	size_t ks[SEGMENT_AUTO_KMAX], n_lab;

	memset(out, 0, sizeof *out);
	for (size_t k = 0; k <= SEGMENT_AUTO_KMAX; k++)
		out->score[k] = out->inertia[k] = NAN;
	if (n < SEGMENT_AUTO_KMIN + 1) {
		*cause = xasprintf("choosing k needs at least %d rows, not %zu",
		    SEGMENT_AUTO_KMIN + 1, n);
		return -1;
	}
	out->k_min = SEGMENT_AUTO_KMIN;
	out->k_max = n - 1 < SEGMENT_AUTO_KMAX ? n - 1 : SEGMENT_AUTO_KMAX;
	n_lab = out->k_max - out->k_min + 1;
	for (size_t l = 0; l < n_lab; l++)
		ks[l] = out->k_min + l;
	/* One sample, and one pass over its pairs, for every candidate. */
	segment_sil_init(&s, x, n, d, n_lab, ks, opt->seed);
	s.cancel = opt->cancel;
	out->sampled = s.m < n;
	if (segment_auto_fit(x, n, d, opt, out, &s, cause) != 0 ||
	    segment_sil_run(&s, opt->threads, cause) != 0) {
		segment_sil_done(&s);
		return -1;
	}
	segment_auto_pick(out, &s);
	segment_sil_done(&s);
	if (out->best_k == 0) {
		*cause = xasprintf("no k from %zu to %zu gave two distinct "
		    "clusters", out->k_min, out->k_max);
		return -1;
	}
	/* Fits are deterministic, so refitting beats keeping every result. */
	o.k = out->best_k;
	return kmeans_fit(x, n, d, &o, &out->best, cause);
}

void segment_auto_done(struct segment_auto *a)
{
	kmeans_result_free(a->best);
	a->best = NULL;
}

/* Orders feature indices by |z|, largest first, lower index on a tie. */
static bool segment_label_before(const double *z, size_t f, size_t g)
{
	if (fabs(z[f]) != fabs(z[g]))
		return fabs(z[f]) > fabs(z[g]);
	return f < g;
}

char *segment_label(const double *z, size_t d, const char *const *names)
{
	size_t pick[SEGMENT_LABEL_TERMS], got = 0, e;
	char *s = NULL, *t;

	for (size_t f = 0; f < d; f++) {
		if (!(fabs(z[f]) >= SEGMENT_LABEL_MIN_Z))
			continue;
		for (e = got; e > 0; e--) {
			if (!segment_label_before(z, f, pick[e - 1]))
				break;
			if (e < SEGMENT_LABEL_TERMS)
				pick[e] = pick[e - 1];
		}
		if (e < SEGMENT_LABEL_TERMS) {
			pick[e] = f;
			if (got < SEGMENT_LABEL_TERMS)
				got++;
		}
	}
	if (got == 0)
		return xstrdup("average");
	for (e = 0; e < got; e++) {
		t = xasprintf("%s%s%s %s", s ? s : "", s ? ", " : "",
		    z[pick[e]] > 0 ? "high" : "low", names[pick[e]]);
		free(s);
		s = t;
	}
	return s;
}
