/* Item-item collaborative filtering: cosine similarity with shrinkage,
 * sim(a, b) = dot(a, b) / (|a| |b| + shrink) over the item columns, keeping
 * the M best neighbours of each item. Dot products are accumulated sparsely
 * by walking, for each item, its users and their items, so the cost is the
 * sum of squared user activity rather than items squared. */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cancel.h"
#include "recommend-impl.h"
#include "xmalloc.h"

#define CF_AHEAD 4

struct cf_job {
	const struct recommend_matrix *m;
	const double *norm;
	double shrink;
	uint32_t cap;		/* neighbours kept per item */
	unsigned self, nthreads;
	uint32_t *item;		/* nitems * cap slots */
	double *sim;
	uint32_t *count;	/* per item */
	const atomic_bool *cancel;
};

static void cf_norms(const struct recommend_matrix *m, double *norm)
{
	for (uint32_t i = 0; i < m->nitems; i++) {
		double s = 0;

		for (size_t p = m->irow[i]; p < m->irow[i + 1]; p++)
			s += m->ival[p] * m->ival[p];
		norm[i] = sqrt(s);
	}
}

/* Dot products of item a with every item sharing a user (a itself
 * included), in a fixed order: users ascending, then their items. acc is
 * all zero on entry and every contribution is positive, so a zero marks
 * an item not yet seen; the caller zeroes the touched entries again. */
static size_t cf_dots(const struct recommend_matrix *m, uint32_t a,
    double *acc, uint32_t *touched)
{
	const size_t *urow = m->urow;
	const uint32_t *uitem = m->uitem;
	const double *uval = m->uval;
	size_t n = 0;
	double v;

	for (size_t p = m->irow[a]; p < m->irow[a + 1]; p++) {
		uint32_t u = m->iuser[p];
		double w = m->ival[p];

		/* Short user rows are scattered: fetch a few users ahead. */
		if (p + CF_AHEAD < m->irow[a + 1]) {
			size_t ahead = urow[m->iuser[p + CF_AHEAD]];

			__builtin_prefetch(uitem + ahead);
			__builtin_prefetch(uval + ahead);
		}
		for (size_t q = urow[u]; q < urow[u + 1]; q++) {
			uint32_t b = uitem[q];

			/* Branch-free: first sightings are unpredictable. */
			v = acc[b];
			touched[n] = b;
			n += v == 0;
			acc[b] = v + w * uval[q];
		}
	}
	return n;
}

static void cf_item(struct cf_job *job, uint32_t a, double *acc,
    uint32_t *touched, struct recommend_cand *heap)
{
	size_t nt = cf_dots(job->m, a, acc, touched);
	uint32_t n = 0;
	size_t base = (size_t)a * job->cap;
	double dot, s;

	for (size_t t = 0; t < nt; t++) {
		uint32_t b = touched[t];

		dot = acc[b];
		acc[b] = 0;
		s = dot / (job->norm[a] * job->norm[b] + job->shrink);
		if (s <= 0 || b == a || (n == job->cap && s < heap[0].score))
			continue;
		recommend_heap_offer(heap, &n, job->cap, b, s);
	}
	recommend_heap_sort(heap, n);
	for (uint32_t r = 0; r < n; r++) {
		job->item[base + r] = heap[r].id;
		job->sim[base + r] = heap[r].score;
	}
	job->count[a] = n;
}

/* Items are dealt round-robin; each item's list depends on it alone. An
 * item can cost as much as thousands of rows, so the flag is polled for
 * each. */
static void *cf_worker(void *arg)
{
	struct cf_job *job = arg;
	uint32_t nitems = job->m->nitems;
	double *acc = xcalloc(nitems, sizeof *acc);
	/* One spare slot for the branch-free append in cf_dots. */
	uint32_t *touched = xmalloc(((size_t)nitems + 1) * sizeof *touched);
	struct recommend_cand *heap = xmalloc(job->cap * sizeof *heap);

	for (uint32_t a = job->self; a < nitems; a += job->nthreads) {
		if (cancel_requested(job->cancel))
			break;
		cf_item(job, a, acc, touched, heap);
	}
	free(acc);
	free(touched);
	free(heap);
	return NULL;
}

static void cf_run(struct cf_job *jobs, unsigned nt)
{
	pthread_t *tids = xcalloc(nt, sizeof *tids);
	unsigned started = 1;

	for (unsigned t = 1; t < nt; t++, started++) {
		if (pthread_create(&tids[t], NULL, cf_worker, &jobs[t]) != 0)
			break;
	}
	for (unsigned t = started; t < nt; t++)
		cf_worker(&jobs[t]);
	cf_worker(&jobs[0]);
	for (unsigned t = 1; t < started; t++)
		pthread_join(tids[t], NULL);
	free(tids);
}

/* Packs the fixed-stride lists into offsets. */
static void cf_pack(struct recommend_model *model, const struct cf_job *job)
{
	uint32_t nitems = model->m->nitems;
	size_t total = 0;

	model->noff = xmalloc(((size_t)nitems + 1) * sizeof *model->noff);
	for (uint32_t i = 0; i < nitems; i++) {
		model->noff[i] = total;
		total += job->count[i];
	}
	model->noff[nitems] = total;
	model->nitem = xmalloc((total ? total : 1) * sizeof *model->nitem);
	model->nsim = xmalloc((total ? total : 1) * sizeof *model->nsim);
	for (uint32_t i = 0; i < nitems; i++) {
		size_t base = (size_t)i * job->cap, o = model->noff[i];

		memcpy(model->nitem + o, job->item + base,
		    job->count[i] * sizeof *model->nitem);
		memcpy(model->nsim + o, job->sim + base,
		    job->count[i] * sizeof *model->nsim);
	}
}

static int cf_check(uint32_t neighbours, double shrink, char **cause)
{
	if (neighbours == 0) {
		*cause = xasprintf("neighbours must be at least 1");
		return -1;
	}
	if (!(shrink >= 0 && isfinite(shrink))) {
		*cause = xasprintf("shrink must be non-negative");
		return -1;
	}
	return 0;
}

/* Similarities for every item, then packed into offsets; -1 with
 * "cancelled" when the model's flag is set. */
int recommend_cf_fit(struct recommend_model *model, uint32_t neighbours,
    double shrink, char **cause)
{
	const struct recommend_matrix *m = model->m;
	unsigned nt = model->threads;
	struct cf_job base, *jobs;
	double *norm;
	int rc;

	if (cf_check(neighbours, shrink, cause) != 0)
		return -1;
	if (neighbours > m->nitems)
		neighbours = m->nitems;
	norm = xmalloc(m->nitems * sizeof *norm);
	cf_norms(m, norm);
	base.m = m;
	base.norm = norm;
	base.shrink = shrink;
	base.cap = neighbours;
	base.nthreads = nt;
	base.item = xmalloc((size_t)m->nitems * neighbours * sizeof *base.item);
	base.sim = xmalloc((size_t)m->nitems * neighbours * sizeof *base.sim);
	base.count = xcalloc(m->nitems, sizeof *base.count);
	base.cancel = model->cancel;
	jobs = xcalloc(nt, sizeof *jobs);
	for (unsigned t = 0; t < nt; t++) {
		jobs[t] = base;
		jobs[t].self = t;
	}
	cf_run(jobs, nt);
	rc = cancel_check(model->cancel, cause) ? -1 : 0;
	if (rc == 0)
		cf_pack(model, &base);
	free(jobs);
	free(base.item);
	free(base.sim);
	free(base.count);
	free(norm);
	return rc;
}

/* A consumed item's score is negative and an untouched one zero (every
 * contribution is positive), so the inner loop reads one array. */
void recommend_cf_score(const struct recommend_model *model,
    struct recommend_scratch *sc, uint32_t user)
{
	const struct recommend_matrix *m = model->m;
	const size_t *noff = model->noff;
	const uint32_t *nitem = model->nitem;
	const double *nsim = model->nsim;
	uint32_t *touched = sc->touched;
	double *cf = sc->cf, v;
	size_t nt = sc->ntouched, first = nt;

	for (size_t p = m->urow[user]; p < m->urow[user + 1]; p++) {
		uint32_t i = m->uitem[p];
		double w = m->uval[p];
		size_t end = noff[i + 1];

		if (p + 1 < m->urow[user + 1]) {
			__builtin_prefetch(nitem + noff[m->uitem[p + 1]]);
			__builtin_prefetch(nsim + noff[m->uitem[p + 1]]);
		}
		for (size_t r = noff[i]; r < end; r++) {
			uint32_t j = nitem[r];

			if ((v = cf[j]) < 0)
				continue;
			/* Branch-free: first touches are unpredictable. */
			touched[nt] = j;
			nt += v == 0;
			cf[j] = v + w * nsim[r];
		}
	}
	/* Only content scoring, in hybrids, reads the flags. */
	for (size_t t = first; model->method == RECOMMEND_HYBRID && t < nt; t++)
		sc->state[touched[t]] |= RECOMMEND_TOUCHED;
	sc->ntouched = nt;
}

/* The same walk as scoring, kept only for the ranked items; the bitset
 * rejects the others without touching the larger rank array. */
void recommend_cf_explain(const struct recommend_model *model,
    const struct recommend_scratch *sc, uint32_t user,
    struct recommend_hit *hits, double scale)
{
	const struct recommend_matrix *m = model->m;
	const size_t *noff = model->noff;
	const uint32_t *nitem = model->nitem;
	const uint64_t *ranked = sc->ranked;
	const int32_t *rank = sc->rank;

	if (scale <= 0)
		return;
	for (size_t p = m->urow[user]; p < m->urow[user + 1]; p++) {
		uint32_t i = m->uitem[p], j;
		double w = m->uval[p] * scale;
		size_t end = noff[i + 1];

		for (size_t r = noff[i]; r < end; r++) {
			j = nitem[r];
			if (!(ranked[j / 64] & (1ULL << (j % 64))))
				continue;
			recommend_reason_add(&hits[rank[j] - 1],
			    RECOMMEND_REASON_ITEM, i, w * model->nsim[r]);
		}
	}
}
