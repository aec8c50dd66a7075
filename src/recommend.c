/* Recommendation engine: the interaction matrix, model fitting, and the
 * per-user, all-user and segment top-N lists. Scoring accumulates into a
 * dense per-thread array with a list of touched items, so a user costs in
 * proportion to the evidence about them, not to the catalogue. */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cancel.h"
#include "recommend-impl.h"
#include "xmalloc.h"

/* Users between polls of the cancel flag: a user costs microseconds (more
 * with content scoring), far more than a row. */
#define RECOMMEND_POLL_USERS 256

static const char *recommend_names[RECOMMEND_NMETHODS] = {
	"popular", "itemcf", "content", "hybrid", "ease", "als"
};

/* Method names index recommend_names; out-of-range values get "?". */
const char *recommend_method_name(enum recommend_method method)
{
	if ((unsigned)method >= RECOMMEND_NMETHODS)
		return "?";
	return recommend_names[method];
}

/* Linear search: there are six methods. */
int recommend_method_find(const char *name)
{
	for (int i = 0; i < RECOMMEND_NMETHODS; i++) {
		if (strcmp(recommend_names[i], name) == 0)
			return i;
	}
	return -1;
}

/* Defaults that suit catalogues of thousands of items. */
void recommend_spec_init(struct recommend_spec *spec)
{
	memset(spec, 0, sizeof *spec);
	spec->method = RECOMMEND_ITEMCF;
	spec->neighbours = 20;
	spec->shrink = 10;
	spec->cf_weight = 0.5;
	spec->base = RECOMMEND_EASE;
	spec->lambda = 200;
	spec->max_mb = RECOMMEND_EASE_MAX_MB;
	spec->factors = 64;
	spec->reg = 100;
	spec->alpha = 10;
	spec->iterations = 15;
	spec->seed = 42;
	spec->threads = 2;
}

static int recommend_check_input(const struct recommend_input *in,
    char **cause)
{
	if (in->n == 0) {
		*cause = xasprintf("no interactions");
		return -1;
	}
	if (in->nusers == 0 || in->nitems == 0) {
		*cause = xasprintf("no users or no items");
		return -1;
	}
	for (size_t e = 0; e < in->n; e++) {
		double w = in->weight != NULL ? in->weight[e] : 1;

		if (in->user[e] >= in->nusers) {
			*cause = xasprintf("interaction %zu: user %u out of range "
			    "(%u users)", e, in->user[e], in->nusers);
			return -1;
		}
		if (in->item[e] >= in->nitems) {
			*cause = xasprintf("interaction %zu: item %u out of range "
			    "(%u items)", e, in->item[e], in->nitems);
			return -1;
		}
		/* Bounded so that no product of weights and similarities
		 * underflows to zero, which marks an untouched item. */
		if (!(w >= RECOMMEND_MIN_WEIGHT && w <= RECOMMEND_MAX_WEIGHT)) {
			*cause = xasprintf("interaction %zu: weight %g out of "
			    "range (%g to %g)", e, w, RECOMMEND_MIN_WEIGHT,
			    RECOMMEND_MAX_WEIGHT);
			return -1;
		}
	}
	return 0;
}

/* Kept events grouped by user, stably (input order within a user, so sums
 * of repeated pairs always add in the same order). start[u] .. start[u+1]
 * index order[]. */
static size_t *recommend_group(const struct recommend_input *in,
    const uint8_t *keep, size_t *start)
{
	size_t *order = xmalloc((in->n ? in->n : 1) * sizeof *order);

	memset(start, 0, ((size_t)in->nusers + 1) * sizeof *start);
	for (size_t e = 0; e < in->n; e++) {
		if (keep == NULL || keep[e])
			start[in->user[e] + 1]++;
	}
	for (uint32_t u = 0; u < in->nusers; u++)
		start[u + 1] += start[u];
	for (size_t e = 0; e < in->n; e++) {
		if (keep == NULL || keep[e])
			order[start[in->user[e]]++] = e;
	}
	/* start[u] now ends user u: shift back by one user. */
	memmove(start + 1, start, in->nusers * sizeof *start);
	start[0] = 0;
	return order;
}

/* Sums repeated (user, item) pairs, remembering each item's slot for the
 * current user. Rows come out unsorted. */
static size_t recommend_dedupe(const struct recommend_input *in,
    const uint8_t *keep, size_t *row, uint32_t *col, double *val)
{
	size_t *start = xmalloc(((size_t)in->nusers + 1) * sizeof *start);
	size_t *order = recommend_group(in, keep, start), nnz = 0, e;
	uint32_t *owner = xmalloc(in->nitems * sizeof *owner), i;
	size_t *slot = xmalloc(in->nitems * sizeof *slot);

	memset(owner, 0xff, in->nitems * sizeof *owner);
	for (uint32_t u = 0; u < in->nusers; u++) {
		row[u] = nnz;
		for (size_t p = start[u]; p < start[u + 1]; p++) {
			e = order[p];
			i = in->item[e];
			if (owner[i] != u) {
				owner[i] = u;
				slot[i] = nnz;
				col[nnz] = i;
				val[nnz++] = 0;
			}
			val[slot[i]] += in->weight != NULL ? in->weight[e] : 1;
		}
	}
	row[in->nusers] = nnz;
	free(owner);
	free(slot);
	free(start);
	free(order);
	return nnz;
}

/* Counting-sort transpose: scanning rows in order leaves each output row
 * sorted by the original row index. */
void recommend_transpose(uint32_t nrows, uint32_t ncols,
    const size_t *row, const uint32_t *col, const double *val,
    size_t *trow, uint32_t *tcol, double *tval)
{
	size_t *next;

	memset(trow, 0, ((size_t)ncols + 1) * sizeof *trow);
	for (size_t p = 0; p < row[nrows]; p++)
		trow[col[p] + 1]++;
	for (uint32_t c = 0; c < ncols; c++)
		trow[c + 1] += trow[c];
	next = xmalloc(((size_t)ncols + 1) * sizeof *next);
	memcpy(next, trow, ((size_t)ncols + 1) * sizeof *next);
	for (uint32_t r = 0; r < nrows; r++) {
		for (size_t p = row[r]; p < row[r + 1]; p++) {
			tcol[next[col[p]]] = r;
			tval[next[col[p]]++] = val[p];
		}
	}
	free(next);
}

/* Dedupes by user, then transposes twice: both orientations sorted. */
int recommend_matrix_build(const struct recommend_input *in,
    const uint8_t *keep, struct recommend_matrix **out, char **cause)
{
	struct recommend_matrix *m;
	size_t *row;
	uint32_t *col;
	double *val;

	if (recommend_check_input(in, cause) != 0)
		return -1;
	row = xmalloc(((size_t)in->nusers + 1) * sizeof *row);
	col = xmalloc(in->n * sizeof *col);
	val = xmalloc(in->n * sizeof *val);
	m = xcalloc(1, sizeof *m);
	m->nusers = in->nusers;
	m->nitems = in->nitems;
	m->nnz = recommend_dedupe(in, keep, row, col, val);
	m->irow = xmalloc(((size_t)in->nitems + 1) * sizeof *m->irow);
	m->iuser = xmalloc((m->nnz ? m->nnz : 1) * sizeof *m->iuser);
	m->ival = xmalloc((m->nnz ? m->nnz : 1) * sizeof *m->ival);
	recommend_transpose(in->nusers, in->nitems, row, col, val, m->irow,
	    m->iuser, m->ival);
	m->urow = row;
	m->uitem = col;
	m->uval = val;
	/* Transposing back sorts each user's items. */
	recommend_transpose(in->nitems, in->nusers, m->irow, m->iuser,
	    m->ival, m->urow, m->uitem, m->uval);
	*out = m;
	return 0;
}

/* Frees a matrix and its arrays; NULL is allowed. */
void recommend_matrix_free(struct recommend_matrix *m)
{
	if (m == NULL)
		return;
	free(m->urow);
	free(m->uitem);
	free(m->uval);
	free(m->irow);
	free(m->iuser);
	free(m->ival);
	free(m);
}

static int recommend_cand_cmp(const void *va, const void *vb)
{
	const struct recommend_cand *a = va, *b = vb;

	if (recommend_better(a, b))
		return -1;
	return recommend_better(b, a);
}

/* Lists are short (k, M): insertion sort beats qsort's call overhead. */
void recommend_heap_sort(struct recommend_cand *h, uint32_t n)
{
	struct recommend_cand c;
	uint32_t j;

	if (n > 64) {
		qsort(h, n, sizeof *h, recommend_cand_cmp);
		return;
	}
	for (uint32_t i = 1; i < n; i++) {
		c = h[i];
		for (j = i; j > 0 && recommend_better(&c, &h[j - 1]); j--)
			h[j] = h[j - 1];
		h[j] = c;
	}
}

/* Reasons stay sorted, largest weight first. */
void recommend_reason_add(struct recommend_hit *hit,
    enum recommend_reason_type type, uint32_t id, double weight)
{
	struct recommend_reason r = { type, id, weight };
	unsigned i = hit->nbecause;

	if (i == RECOMMEND_BECAUSE) {
		if (weight <= hit->because[i - 1].weight)
			return;
		i--;
	} else
		hit->nbecause++;
	/* Insertion keeps the list largest first; earlier arrivals win ties. */
	for (; i > 0 && hit->because[i - 1].weight < weight; i--)
		hit->because[i] = hit->because[i - 1];
	hit->because[i] = r;
}

static void recommend_popular_fit(struct recommend_model *model)
{
	const struct recommend_matrix *m = model->m;
	struct recommend_cand *h;
	uint32_t n = m->nitems;

	model->popcount = xmalloc(n * sizeof *model->popcount);
	model->poporder = xmalloc(n * sizeof *model->poporder);
	h = xmalloc(n * sizeof *h);
	for (uint32_t i = 0; i < n; i++) {
		model->popcount[i] = (uint32_t)(m->irow[i + 1] - m->irow[i]);
		h[i].id = i;
		h[i].score = model->popcount[i];
	}
	recommend_heap_sort(h, n);
	for (uint32_t i = 0; i < n; i++)
		model->poporder[i] = h[i].id;
	free(h);
}

static int recommend_check_spec(const struct recommend_matrix *m,
    const struct recommend_spec *spec, char **cause)
{
	if ((unsigned)spec->method >= RECOMMEND_NMETHODS) {
		*cause = xasprintf("unknown recommendation method");
		return -1;
	}
	if (spec->threads == 0 || spec->threads > RECOMMEND_MAX_THREADS) {
		*cause = xasprintf("threads must be between 1 and %d",
		    RECOMMEND_MAX_THREADS);
		return -1;
	}
	if (spec->base != RECOMMEND_ITEMCF && spec->base != RECOMMEND_EASE &&
	    spec->base != RECOMMEND_ALS) {
		*cause = xasprintf("the hybrid's base must be itemcf, ease or als");
		return -1;
	}
	if (!(spec->cf_weight >= 0 && spec->cf_weight <= 1)) {
		*cause = xasprintf("hybrid weight must be between 0 and 1");
		return -1;
	}
	for (uint32_t i = 0; spec->kinds != NULL && i < m->nitems; i++) {
		if (spec->kinds[i] >= RECOMMEND_MAX_KINDS) {
			*cause = xasprintf("item %u: kind %u out of range", i,
			    spec->kinds[i]);
			return -1;
		}
	}
	return 0;
}

/* The collaborative part of a method: itself, a hybrid's base, or popular
 * for none. */
static enum recommend_method recommend_collab(const struct recommend_spec *spec)
{
	switch (spec->method) {
	case RECOMMEND_ITEMCF:
	case RECOMMEND_EASE:
	case RECOMMEND_ALS:
		return spec->method;
	case RECOMMEND_HYBRID:
		return spec->base;
	default:
		return RECOMMEND_POPULAR;
	}
}

static int recommend_fit_method(struct recommend_model *model,
    const struct recommend_spec *spec, char **cause)
{
	int ct = spec->method == RECOMMEND_CONTENT ||
	    spec->method == RECOMMEND_HYBRID, rc = 0;

	model->collab = recommend_collab(spec);
	model->dense = model->collab == RECOMMEND_EASE ||
	    model->collab == RECOMMEND_ALS;
	if (model->collab == RECOMMEND_ITEMCF)
		rc = recommend_cf_fit(model, spec->neighbours, spec->shrink,
		    cause);
	else if (model->collab == RECOMMEND_EASE)
		rc = recommend_ease_fit(model, spec->lambda, spec->max_mb,
		    cause);
	else if (model->collab == RECOMMEND_ALS)
		rc = recommend_als_fit(model, spec, cause);
	if (rc == 0 && ct && recommend_content_fit(model, spec->titles,
	    spec->tags, cause) != 0)
		return -1;
	return rc;
}

/* Popularity is always fitted: it is the evaluation baseline. */
int recommend_model_fit(const struct recommend_matrix *m,
    const struct recommend_spec *spec, struct recommend_model **out,
    char **cause)
{
	struct recommend_model *model;

	if (recommend_check_spec(m, spec, cause) != 0)
		return -1;
	model = xcalloc(1, sizeof *model);
	model->m = m;
	model->method = spec->method;
	model->threads = spec->threads;
	model->cf_weight = spec->cf_weight;
	model->cancel = spec->cancel;
	model->kinds = xcalloc(m->nitems, 1);
	if (spec->kinds != NULL)
		memcpy(model->kinds, spec->kinds, m->nitems);
	recommend_popular_fit(model);
	/* The check after covers popular, which has no loop to poll in. */
	if (recommend_fit_method(model, spec, cause) != 0 ||
	    cancel_check(spec->cancel, cause)) {
		recommend_model_free(model);
		return -1;
	}
	*out = model;
	return 0;
}

/* Frees a model (not its matrix); NULL is allowed. */
void recommend_model_free(struct recommend_model *model)
{
	if (model == NULL)
		return;
	free(model->kinds);
	free(model->popcount);
	free(model->poporder);
	free(model->noff);
	free(model->nitem);
	free(model->nsim);
	free(model->slot_item);
	free(model->item_slot);
	free(model->ease);
	free(model->ufac);
	free(model->ifac);
	free(model->inorm);
	free(model->loss);
	recommend_content_free(model);
	free(model);
}

uint32_t recommend_model_items(const struct recommend_model *model)
{
	return model->collab == RECOMMEND_EASE ? model->nslot :
	    model->m->nitems;
}

const double *recommend_als_loss(const struct recommend_model *model)
{
	return model->loss;
}

/* Zero for content and popular models, which keep no neighbours. */
uint32_t recommend_neighbours(const struct recommend_model *model,
    uint32_t item, const uint32_t **items, const double **sims)
{
	size_t off;

	if (model->noff == NULL || item >= model->m->nitems)
		return 0;
	off = model->noff[item];
	*items = model->nitem + off;
	*sims = model->nsim + off;
	return (uint32_t)(model->noff[item + 1] - off);
}

static void recommend_scratch_init(const struct recommend_model *model,
    struct recommend_scratch *sc)
{
	uint32_t n = model->m->nitems;

	memset(sc, 0, sizeof *sc);
	sc->cf = xcalloc(n, sizeof *sc->cf);
	sc->ct = xcalloc(n, sizeof *sc->ct);
	sc->final = xcalloc(n, sizeof *sc->final);
	sc->dense = model->dense ? xcalloc(n, sizeof *sc->dense) : NULL;
	sc->state = xcalloc(n, 1);
	/* One spare slot for the branch-free append in recommend_cf_score. */
	sc->touched = xmalloc(((size_t)n + 1) * sizeof *sc->touched);
	sc->rank = xcalloc(n, sizeof *sc->rank);
	sc->ranked = xcalloc(n / 64 + 1, sizeof *sc->ranked);
	sc->profile = xcalloc(model->nfeat + 1, sizeof *sc->profile);
	sc->ftouched = xmalloc((model->nfeat + 1) * sizeof *sc->ftouched);
}

static void recommend_scratch_done(struct recommend_scratch *sc)
{
	free(sc->cf);
	free(sc->ct);
	free(sc->final);
	free(sc->dense);
	free(sc->state);
	free(sc->touched);
	free(sc->rank);
	free(sc->ranked);
	free(sc->profile);
	free(sc->ftouched);
}

static int recommend_check_query(const struct recommend_query *q,
    char **cause)
{
	if (q->k == 0) {
		*cause = xasprintf("k must be at least 1");
		return -1;
	}
	return 0;
}

static int recommend_allowed(const struct recommend_model *model,
    const struct recommend_query *q, uint32_t item)
{
	return q->kinds == 0 || (q->kinds & (1u << model->kinds[item]));
}

static void recommend_hit_set(struct recommend_hit *hit,
    const struct recommend_cand *c)
{
	hit->item = c->id;
	hit->score = c->score;
	hit->nbecause = 0;
}

/* Popularity needs no scoring pass: walk the global order. */
static uint32_t recommend_popular_user(const struct recommend_model *model,
    const struct recommend_scratch *sc, const struct recommend_query *q,
    struct recommend_hit *out)
{
	uint32_t n = 0, j;
	struct recommend_cand c;

	for (uint32_t r = 0; r < model->m->nitems && n < q->k; r++) {
		j = model->poporder[r];
		if (sc->state[j] & RECOMMEND_CONSUMED)
			continue;
		if (model->popcount[j] == 0 || !recommend_allowed(model, q, j))
			continue;
		c.id = j;
		c.score = model->popcount[j];
		recommend_hit_set(&out[n++], &c);
	}
	return n;
}

/* Consumed items are flagged, and their itemcf score set negative so the
 * itemcf inner loop needs no second array. */
static void recommend_mark(const struct recommend_model *model,
    struct recommend_scratch *sc, uint32_t user, uint8_t flag)
{
	const struct recommend_matrix *m = model->m;

	for (size_t p = m->urow[user]; p < m->urow[user + 1]; p++) {
		sc->state[m->uitem[p]] = flag;
		sc->cf[m->uitem[p]] = flag ? -1 : 0;
	}
}

/* Largest itemcf and content scores over the touched items. */
static void recommend_maxima(const struct recommend_scratch *sc,
    double *maxcf, double *maxct)
{
	*maxcf = *maxct = 0;
	for (size_t t = 0; t < sc->ntouched; t++) {
		uint32_t j = sc->touched[t];

		if (sc->cf[j] > *maxcf)
			*maxcf = sc->cf[j];
		if (sc->ct[j] > *maxct)
			*maxct = sc->ct[j];
	}
}

/* The score of a touched item under the model's method. */
static double recommend_blend(const struct recommend_model *model,
    const struct recommend_scratch *sc, uint32_t j, double maxcf,
    double maxct)
{
	double s = 0;

	switch (model->method) {
	case RECOMMEND_ITEMCF:
	case RECOMMEND_EASE:
	case RECOMMEND_ALS:
		return sc->cf[j];
	case RECOMMEND_CONTENT:
		return sc->ct[j];
	default:
		if (maxcf > 0)
			s += model->cf_weight * sc->cf[j] / maxcf;
		if (maxct > 0)
			s += (1 - model->cf_weight) * sc->ct[j] / maxct;
		return s;
	}
}

void recommend_dense_touch(const struct recommend_model *model,
    struct recommend_scratch *sc, const double *acc,
    const uint32_t *slot_item, uint32_t nslot)
{
	uint8_t flag = model->method == RECOMMEND_HYBRID ? RECOMMEND_TOUCHED :
	    0;
	size_t nt = sc->ntouched;

	for (uint32_t s = 0; s < nslot; s++) {
		uint32_t j = slot_item != NULL ? slot_item[s] : s;

		if (sc->state[j] & RECOMMEND_CONSUMED)
			continue;
		sc->cf[j] = acc[s];
		sc->state[j] |= flag;
		sc->touched[nt++] = j;
	}
	sc->ntouched = nt;
}

/* The collaborative part goes first: itemcf tells new items by a zero
 * score, which content scoring would not leave. */
static void recommend_score(const struct recommend_model *model,
    struct recommend_scratch *sc, uint32_t user)
{
	recommend_mark(model, sc, user, RECOMMEND_CONSUMED);
	if (model->collab == RECOMMEND_ITEMCF)
		recommend_cf_score(model, sc, user);
	else if (model->collab == RECOMMEND_EASE)
		recommend_ease_score(model, sc, user);
	else if (model->collab == RECOMMEND_ALS)
		recommend_als_score(model, sc, user);
	if (model->method == RECOMMEND_CONTENT ||
	    model->method == RECOMMEND_HYBRID)
		recommend_content_score(model, sc, user);
}

static void recommend_explain(const struct recommend_model *model,
    struct recommend_scratch *sc, uint32_t user, struct recommend_hit *out,
    uint32_t n, double maxcf, double maxct)
{
	double wcf = 1, wct = 1;

	if (model->method == RECOMMEND_HYBRID) {
		wcf = maxcf > 0 ? model->cf_weight / maxcf : 0;
		wct = maxct > 0 ? (1 - model->cf_weight) / maxct : 0;
	}
	if (model->collab == RECOMMEND_EASE)
		recommend_ease_explain(model, user, out, n, wcf);
	else if (model->collab == RECOMMEND_ALS)
		recommend_als_explain(model, user, out, n, wcf);
	else if (model->collab == RECOMMEND_ITEMCF) {
		for (uint32_t r = 0; r < n; r++) {
			sc->rank[out[r].item] = (int32_t)r + 1;
			sc->ranked[out[r].item / 64] |= 1ULL << (out[r].item % 64);
		}
		recommend_cf_explain(model, sc, user, out, wcf);
		for (uint32_t r = 0; r < n; r++) {
			sc->rank[out[r].item] = 0;
			sc->ranked[out[r].item / 64] = 0;
		}
	}
	if (model->method != RECOMMEND_CONTENT &&
	    model->method != RECOMMEND_HYBRID)
		return;
	for (uint32_t r = 0; r < n; r++)
		recommend_content_explain(model, sc, &out[r], wct);
}

static void recommend_clear(const struct recommend_model *model,
    struct recommend_scratch *sc, uint32_t user)
{
	/* Itemcf alone leaves no flags on touched items. */
	if (model->method == RECOMMEND_ITEMCF) {
		for (size_t t = 0; t < sc->ntouched; t++)
			sc->cf[sc->touched[t]] = 0;
	} else {
		for (size_t t = 0; t < sc->ntouched; t++) {
			uint32_t j = sc->touched[t];

			sc->cf[j] = sc->ct[j] = 0;
			sc->state[j] = 0;
		}
	}
	sc->ntouched = 0;
	recommend_mark(model, sc, user, 0);
	if (model->method == RECOMMEND_CONTENT ||
	    model->method == RECOMMEND_HYBRID)
		recommend_content_clear(model, sc);
}

/* Offers the touched items to the heap; the common single-method cases
 * skip the blend and reject most items against the heap's worst. */
static uint32_t recommend_select(const struct recommend_model *model,
    const struct recommend_scratch *sc, const struct recommend_query *q,
    struct recommend_cand *heap, double maxcf, double maxct)
{
	const double *score = model->method == RECOMMEND_CONTENT ? sc->ct :
	    sc->cf;
	uint32_t n = 0, j;
	double s;

	for (size_t t = 0; t < sc->ntouched; t++) {
		j = sc->touched[t];
		if (model->method == RECOMMEND_HYBRID)
			s = recommend_blend(model, sc, j, maxcf, maxct);
		else
			s = score[j];
		if ((s <= 0 && !model->dense) ||
		    (n == q->k && s < heap[0].score))
			continue;
		if (recommend_allowed(model, q, j))
			recommend_heap_offer(heap, &n, q->k, j, s);
	}
	recommend_heap_sort(heap, n);
	return n;
}

/* One user's list, with scratch left clean for the next user. */
static uint32_t recommend_one(const struct recommend_model *model,
    struct recommend_scratch *sc, uint32_t user,
    const struct recommend_query *q, struct recommend_hit *out,
    struct recommend_cand *heap)
{
	uint32_t n = 0;
	double maxcf = 0, maxct = 0;

	if (model->method == RECOMMEND_POPULAR) {
		recommend_mark(model, sc, user, RECOMMEND_CONSUMED);
		n = recommend_popular_user(model, sc, q, out);
		recommend_mark(model, sc, user, 0);
		return n;
	}
	recommend_score(model, sc, user);
	if (model->method == RECOMMEND_HYBRID)
		recommend_maxima(sc, &maxcf, &maxct);
	n = recommend_select(model, sc, q, heap, maxcf, maxct);
	for (uint32_t r = 0; r < n; r++)
		recommend_hit_set(&out[r], &heap[r]);
	if (!q->no_because)
		recommend_explain(model, sc, user, out, n, maxcf, maxct);
	recommend_clear(model, sc, user);
	return n;
}

static int recommend_check_user(const struct recommend_model *model,
    uint32_t user, char **cause)
{
	if (user >= model->m->nusers) {
		*cause = xasprintf("user %u out of range (%u users)", user,
		    model->m->nusers);
		return -1;
	}
	return 0;
}

/* One user with private scratch; for many users use recommend_all. */
int recommend_user(const struct recommend_model *model, uint32_t user,
    const struct recommend_query *q, struct recommend_hit *out,
    uint32_t *nout, char **cause)
{
	struct recommend_scratch sc;
	struct recommend_cand *heap;

	if (recommend_check_query(q, cause) != 0 ||
	    recommend_check_user(model, user, cause) != 0)
		return -1;
	recommend_scratch_init(model, &sc);
	heap = xmalloc(q->k * sizeof *heap);
	*nout = recommend_one(model, &sc, user, q, out, heap);
	free(heap);
	recommend_scratch_done(&sc);
	return 0;
}

struct recommend_job {
	const struct recommend_model *model;
	const struct recommend_query *q;
	struct recommend_hit *out;
	uint32_t *nout;
	unsigned self, nthreads;
};

/* Users are dealt round-robin; each list depends on its user alone. */
static void *recommend_worker(void *arg)
{
	struct recommend_job *job = arg;
	const struct recommend_model *model = job->model;
	struct recommend_scratch sc;
	struct recommend_cand *heap;
	uint32_t k = job->q->k, done = 0;

	recommend_scratch_init(model, &sc);
	heap = xmalloc(k * sizeof *heap);
	for (uint32_t u = job->self; u < model->m->nusers; u += job->nthreads) {
		if (done++ % RECOMMEND_POLL_USERS == 0 &&
		    cancel_requested(model->cancel))
			break;
		job->nout[u] = recommend_one(model, &sc, u, job->q,
		    job->out + (size_t)u * k, heap);
	}
	free(heap);
	recommend_scratch_done(&sc);
	return NULL;
}

/* The caller's thread works too, and runs the jobs of threads that fail. */
int recommend_all(const struct recommend_model *model,
    const struct recommend_query *q, struct recommend_hit *out,
    uint32_t *nout, char **cause)
{
	unsigned nt = model->threads, started = 1;
	struct recommend_job *jobs;
	pthread_t *tids;

	if (recommend_check_query(q, cause) != 0)
		return -1;
	jobs = xcalloc(nt, sizeof *jobs);
	tids = xcalloc(nt, sizeof *tids);
	for (unsigned t = 0; t < nt; t++) {
		jobs[t] = (struct recommend_job){ model, q, out, nout, t, nt };
	}
	/* A thread that cannot start leaves its users to the caller's. */
	for (unsigned t = 1; t < nt; t++, started++) {
		if (pthread_create(&tids[t], NULL, recommend_worker,
		    &jobs[t]) != 0)
			break;
	}
	for (unsigned t = started; t < nt; t++)
		recommend_worker(&jobs[t]);
	recommend_worker(&jobs[0]);
	for (unsigned t = 1; t < started; t++)
		pthread_join(tids[t], NULL);
	free(jobs);
	free(tids);
	return cancel_check(model->cancel, cause) ? -1 : 0;
}

/* Adds one user's max-normalised scores to the segment total in final. */
static void recommend_segment_add(const struct recommend_model *model,
    struct recommend_scratch *sc, uint32_t user, uint32_t *agg,
    size_t *nagg, uint8_t *seen)
{
	double maxcf, maxct, best = 0, s;

	recommend_score(model, sc, user);
	recommend_maxima(sc, &maxcf, &maxct);
	for (size_t t = 0; t < sc->ntouched; t++)
		best = fmax(best, recommend_blend(model, sc, sc->touched[t],
		    maxcf, maxct));
	for (size_t t = 0; t < sc->ntouched && best > 0; t++) {
		uint32_t j = sc->touched[t];

		s = recommend_blend(model, sc, j, maxcf, maxct);
		if (!seen[j]) {
			seen[j] = 1;
			agg[(*nagg)++] = j;
		}
		sc->final[j] += s / best;
	}
	recommend_clear(model, sc, user);
}

/* Popularity is the same for everyone: count who has not consumed it. */
static void recommend_segment_popular(const struct recommend_model *model,
    const uint32_t *users, size_t nusers, double *total)
{
	const struct recommend_matrix *m = model->m;
	double top = model->popcount[model->poporder[0]];
	uint32_t *had = xcalloc(m->nitems, sizeof *had);

	for (size_t s = 0; s < nusers; s++) {
		for (size_t p = m->urow[users[s]]; p < m->urow[users[s] + 1];
		    p++)
			had[m->uitem[p]]++;
	}
	for (uint32_t j = 0; j < m->nitems && top > 0; j++)
		total[j] = (nusers - had[j]) * (model->popcount[j] / top);
	free(had);
}

static int recommend_check_segment(const struct recommend_model *model,
    const uint32_t *users, size_t nusers, char **cause)
{
	if (nusers == 0) {
		*cause = xasprintf("empty segment");
		return -1;
	}
	for (size_t s = 0; s < nusers; s++) {
		if (recommend_check_user(model, users[s], cause) != 0)
			return -1;
	}
	return 0;
}

/* The k best averages among the items any segment user scored. */
static uint32_t recommend_segment_pick(const struct recommend_model *model,
    const double *total, const uint32_t *agg, size_t nagg, size_t nusers,
    const struct recommend_query *q, struct recommend_hit *out)
{
	struct recommend_cand *heap = xmalloc(q->k * sizeof *heap);
	uint32_t n = 0;

	for (size_t t = 0; t < nagg; t++) {
		uint32_t j = agg[t];
		double s = total[j] / nusers;

		if (s > 0 && recommend_allowed(model, q, j))
			recommend_heap_offer(heap, &n, q->k, j, s);
	}
	recommend_heap_sort(heap, n);
	for (uint32_t r = 0; r < n; r++)
		recommend_hit_set(&out[r], &heap[r]);
	free(heap);
	return n;
}

/* Single-threaded so the floating-point sums keep one order. */
int recommend_segment(const struct recommend_model *model,
    const uint32_t *users, size_t nusers, const struct recommend_query *q,
    struct recommend_hit *out, uint32_t *nout, char **cause)
{
	struct recommend_scratch sc;
	uint32_t *agg, nitems = model->m->nitems;
	uint8_t *seen;
	size_t nagg = 0;
	int rc;

	if (recommend_check_query(q, cause) != 0 ||
	    recommend_check_segment(model, users, nusers, cause) != 0)
		return -1;
	recommend_scratch_init(model, &sc);
	agg = xmalloc(nitems * sizeof *agg);
	seen = xcalloc(nitems, 1);
	if (model->method == RECOMMEND_POPULAR) {
		recommend_segment_popular(model, users, nusers, sc.final);
		for (uint32_t j = 0; j < nitems; j++)
			agg[nagg++] = j;
	}
	for (size_t s = 0; model->method != RECOMMEND_POPULAR && s < nusers;
	    s++) {
		if (s % RECOMMEND_POLL_USERS == 0 &&
		    cancel_requested(model->cancel))
			break;
		recommend_segment_add(model, &sc, users[s], agg, &nagg, seen);
	}
	rc = cancel_check(model->cancel, cause) ? -1 : 0;
	if (rc == 0)
		*nout = recommend_segment_pick(model, sc.final, agg, nagg,
		    nusers, q, out);
	free(seen);
	free(agg);
	recommend_scratch_done(&sc);
	return rc;
}
