/* Offline evaluation: train / test splits over each user's distinct items,
 * and precision, recall, NDCG, hit rate and catalogue coverage at k. A
 * held-out item leaves training entirely (all its events), since a list
 * never repeats what the user has consumed. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "recommend-impl.h"
#include "xmalloc.h"

/* Position of item in user's sorted row. */
static size_t eval_find(const struct recommend_matrix *m, uint32_t user,
    uint32_t item)
{
	size_t lo = m->urow[user], hi = m->urow[user + 1], mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (m->uitem[mid] < item)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The held-out part of a split: of each user's pairs (row offsets into
 * item), those whose keep flag is set. */
static void eval_select(uint32_t nusers, const size_t *row, const uint32_t *item,
    const uint8_t *keep, struct recommend_split *out)
{
	memset(out, 0, sizeof *out);
	out->nusers = nusers;
	out->trow = xmalloc(((size_t)nusers + 1) * sizeof *out->trow);
	out->titem = xmalloc((row[nusers] ? row[nusers] : 1) * sizeof *out->titem);
	for (uint32_t u = 0; u < nusers; u++) {
		out->trow[u] = out->ntest;
		for (size_t p = row[u]; p < row[u + 1]; p++) {
			if (keep[p])
				out->titem[out->ntest++] = item[p];
		}
		out->ntestusers += out->ntest > out->trow[u];
	}
	out->trow[nusers] = out->ntest;
}

/* Fills a split from per-pair held-out flags. */
static void eval_fill(const struct recommend_input *in,
    const struct recommend_matrix *m, const uint8_t *held,
    struct recommend_split *out)
{
	eval_select(m->nusers, m->urow, m->uitem, held, out);
	out->train = xmalloc(in->n);
	for (size_t e = 0; e < in->n; e++)
		out->train[e] = !held[eval_find(m, in->user[e], in->item[e])];
}

/* Partial Fisher-Yates over the user's items in ascending order; users with
 * fewer than two items draw nothing, so each user's draws are fixed by the
 * seed and the users before them. */
static void eval_draw(const struct recommend_matrix *m, double frac,
    gsl_rng *rng, uint8_t *held)
{
	size_t *idx = xmalloc((m->nnz ? m->nnz : 1) * sizeof *idx), h, j, t;

	for (uint32_t u = 0; u < m->nusers; u++) {
		size_t base = m->urow[u], n = m->urow[u + 1] - base;

		if (n < 2)
			continue;
		h = (size_t)floor(frac * (double)n + 0.5);
		h = h < 1 ? 1 : (h > n - 1 ? n - 1 : h);
		for (size_t i = 0; i < n; i++)
			idx[i] = i;
		for (size_t i = 0; i < h; i++) {
			j = i + gsl_rng_uniform_int(rng, n - i);
			t = idx[i]; idx[i] = idx[j]; idx[j] = t;
			held[base + idx[i]] = 1;
		}
	}
	free(idx);
}

/* Dedupes first: shares are of distinct items, not events. */
int recommend_split_fraction(const struct recommend_input *in, double frac,
    unsigned long seed, struct recommend_split *out, char **cause)
{
	struct recommend_matrix *m;
	uint8_t *held;
	gsl_rng *rng;

	if (!(frac > 0 && frac < 1)) {
		*cause = xasprintf("split fraction must be between 0 and 1");
		return -1;
	}
	if (recommend_matrix_build(in, NULL, &m, cause) != 0)
		return -1;
	held = xcalloc(m->nnz ? m->nnz : 1, 1);
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (rng == NULL)
		abort();
	gsl_rng_set(rng, seed);
	eval_draw(m, frac, rng, held);
	eval_fill(in, m, held, out);
	gsl_rng_free(rng);
	free(held);
	recommend_matrix_free(m);
	return 0;
}

/* Without times, input order decides. */
int recommend_split_last(const struct recommend_input *in,
    struct recommend_split *out, char **cause)
{
	struct recommend_matrix *m;
	uint8_t *held;
	size_t *last;
	uint32_t u;

	if (recommend_matrix_build(in, NULL, &m, cause) != 0)
		return -1;
	last = xmalloc(in->nusers * sizeof *last);
	memset(last, 0xff, in->nusers * sizeof *last);
	for (size_t e = 0; e < in->n; e++) {
		u = in->user[e];
		if (last[u] == SIZE_MAX || in->time == NULL ||
		    in->time[e] >= in->time[last[u]])
			last[u] = e;
	}
	held = xcalloc(m->nnz ? m->nnz : 1, 1);
	for (u = 0; u < m->nusers; u++) {
		if (m->urow[u + 1] - m->urow[u] >= 2)
			held[eval_find(m, u, in->item[last[u]])] = 1;
	}
	eval_fill(in, m, held, out);
	free(held);
	free(last);
	recommend_matrix_free(m);
	return 0;
}

/* Frees a split's arrays and clears it. */
void recommend_split_done(struct recommend_split *s)
{
	free(s->train);
	free(s->trow);
	free(s->titem);
	memset(s, 0, sizeof *s);
}

static int eval_is_test(const struct recommend_split *s, uint32_t user,
    uint32_t item)
{
	size_t lo = s->trow[user], hi = s->trow[user + 1], mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->titem[mid] < item)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->trow[user + 1] && s->titem[lo] == item;
}

/* Adds one user's precision, recall, NDCG and hit to the sums. */
static void eval_user(const struct recommend_split *s, uint32_t u,
    const uint32_t *recs, uint32_t nrecs, uint32_t k, double *sum)
{
	size_t ntest = s->trow[u + 1] - s->trow[u];
	double dcg = 0, idcg = 0;
	uint32_t hits = 0;

	for (uint32_t r = 0; r < nrecs && r < k; r++) {
		if (eval_is_test(s, u, recs[r])) {
			hits++;
			dcg += 1 / log2(r + 2.0);
		}
	}
	for (size_t r = 0; r < ntest && r < k; r++)
		idcg += 1 / log2(r + 2.0);
	sum[0] += (double)hits / k;
	sum[1] += (double)hits / ntest;
	sum[2] += dcg / idcg;
	sum[3] += hits > 0;
}

static int eval_check_recs(uint32_t nitems, const uint32_t *recs,
    uint32_t nrecs, uint32_t k, char **cause)
{
	if (nrecs > k) {
		*cause = xasprintf("list longer than k");
		return -1;
	}
	for (uint32_t r = 0; r < nrecs; r++) {
		if (recs[r] >= nitems) {
			*cause = xasprintf("recommended item %u out of range "
			    "(%u items)", recs[r], nitems);
			return -1;
		}
	}
	return 0;
}

/* Users without held-out items are skipped; precision divides by k. */
int recommend_metrics_score(const struct recommend_split *s, uint32_t nitems,
    const uint32_t *recs, const uint32_t *nrecs, uint32_t k,
    struct recommend_metrics *out, char **cause)
{
	double sum[4] = { 0, 0, 0, 0 };
	uint8_t *seen;
	uint32_t covered = 0;

	if (k == 0) {
		*cause = xasprintf("k must be at least 1");
		return -1;
	}
	memset(out, 0, sizeof *out);
	seen = xcalloc(nitems ? nitems : 1, 1);
	for (uint32_t u = 0; u < s->nusers; u++) {
		const uint32_t *list = recs + (size_t)u * k;

		if (s->trow[u + 1] == s->trow[u])
			continue;
		if (eval_check_recs(nitems, list, nrecs[u], k, cause) != 0) {
			free(seen);
			return -1;
		}
		eval_user(s, u, list, nrecs[u], k, sum);
		for (uint32_t r = 0; r < nrecs[u]; r++) {
			covered += !seen[list[r]];
			seen[list[r]] = 1;
		}
		out->users++;
	}
	free(seen);
	if (out->users == 0) {
		*cause = xasprintf("no held-out items to evaluate");
		return -1;
	}
	out->precision = sum[0] / out->users;
	out->recall = sum[1] / out->users;
	out->ndcg = sum[2] / out->users;
	out->hit_rate = sum[3] / out->users;
	out->coverage = (double)covered / nitems;
	return 0;
}

/* The held-out items of the kinds in mask (0: all), users as they are. */
static void eval_restrict(const struct recommend_split *s,
    const struct recommend_model *model, unsigned mask,
    struct recommend_split *out)
{
	uint8_t *keep = xmalloc(s->ntest ? s->ntest : 1);

	for (size_t p = 0; p < s->ntest; p++)
		keep[p] = mask == 0 || (mask & (1u << model->kinds[s->titem[p]]));
	eval_select(s->nusers, s->trow, s->titem, keep, out);
	free(keep);
}

/* One model's lists restricted to the kinds in mask, scored against the
 * held-out items of those kinds. */
static int eval_lists(const struct recommend_model *model,
    const struct recommend_split *s, uint32_t k, unsigned mask,
    struct recommend_metrics *out, char **cause)
{
	const struct recommend_matrix *m = model->m;
	struct recommend_query q = { k, mask, 1 };
	struct recommend_split sub;
	struct recommend_hit *hits;
	uint32_t *nout, *recs;
	size_t total = (size_t)m->nusers * k;
	int rc;

	hits = xmalloc(total * sizeof *hits);
	nout = xmalloc(m->nusers * sizeof *nout);
	recs = xmalloc(total * sizeof *recs);
	eval_restrict(s, model, mask, &sub);
	rc = recommend_all(model, &q, hits, nout, cause);
	for (size_t i = 0; rc == 0 && i < total; i++)
		recs[i] = hits[i].item;
	/* A domain nobody held out an item of scores no user, not an error. */
	memset(out, 0, sizeof *out);
	if (rc == 0 && (mask == 0 || sub.ntestusers > 0))
		rc = recommend_metrics_score(&sub, m->nitems, recs, nout, k,
		    out, cause);
	out->modelled = recommend_model_items(model);
	recommend_split_done(&sub);
	free(recs);
	free(nout);
	free(hits);
	return rc;
}

/* Fits one method on the training matrix and scores its lists for each
 * mask. */
static int eval_method(const struct recommend_matrix *m,
    const struct recommend_split *s, const struct recommend_spec *spec,
    uint32_t k, const unsigned *masks, size_t nmasks,
    struct recommend_metrics *out, char **cause)
{
	struct recommend_model *model;
	int rc = 0;

	if (recommend_model_fit(m, spec, &model, cause) != 0)
		return -1;
	for (size_t i = 0; rc == 0 && i < nmasks; i++)
		rc = eval_lists(model, s, k, masks[i], &out[i], cause);
	recommend_model_free(model);
	return rc;
}

static int eval_check(const struct recommend_input *in,
    const struct recommend_split *s, uint32_t k, char **cause)
{
	if (k == 0) {
		*cause = xasprintf("k must be at least 1");
		return -1;
	}
	if (s->nusers != in->nusers) {
		*cause = xasprintf("split has %u users, input %u", s->nusers,
		    in->nusers);
		return -1;
	}
	return 0;
}

/* The training matrix is shared by the method and the baseline. */
int recommend_evaluate_kinds(const struct recommend_input *in,
    const struct recommend_split *s, const struct recommend_spec *spec,
    uint32_t k, const unsigned *masks, size_t nmasks,
    struct recommend_metrics *model, struct recommend_metrics *baseline,
    char **cause)
{
	struct recommend_spec pop = *spec;
	struct recommend_matrix *m;
	int rc;

	if (eval_check(in, s, k, cause) != 0 ||
	    recommend_matrix_build(in, s->train, &m, cause) != 0)
		return -1;
	rc = eval_method(m, s, spec, k, masks, nmasks, model, cause);
	pop.method = RECOMMEND_POPULAR;
	if (rc == 0 && baseline != NULL)
		rc = eval_method(m, s, &pop, k, masks, nmasks, baseline, cause);
	recommend_matrix_free(m);
	return rc;
}

/* Every kind at once. */
int recommend_evaluate(const struct recommend_input *in,
    const struct recommend_split *s, const struct recommend_spec *spec,
    uint32_t k, struct recommend_metrics *model,
    struct recommend_metrics *baseline, char **cause)
{
	static const unsigned all = 0;

	return recommend_evaluate_kinds(in, s, spec, k, &all, 1, model,
	    baseline, cause);
}
