/* Internals shared by the recommend-*.c files. */
#ifndef CROSSMKT_RECOMMEND_IMPL_H
#define CROSSMKT_RECOMMEND_IMPL_H

#include "recommend.h"

struct content_feats;

struct recommend_model {
	const struct recommend_matrix *m;
	enum recommend_method method;
	enum recommend_method collab;	/* itemcf, ease, als, or popular for
					 * none */
	int dense;		/* collab scores every item (ease, als) */
	unsigned threads;
	double cf_weight;
	uint8_t *kinds;		/* nitems */
	const atomic_bool *cancel; /* from the spec */

	uint32_t *popcount;	/* distinct users per item */
	uint32_t *poporder;	/* items by popcount, best first */

	size_t *noff;		/* itemcf: nitems + 1 offsets */
	uint32_t *nitem;	/* neighbours, best first */
	double *nsim;

	uint32_t nslot;		/* ease: modelled items */
	uint32_t *slot_item;	/* nslot items, ascending */
	uint32_t *item_slot;	/* nitems: slot or UINT32_MAX */
	double *ease;		/* nslot x nslot B, row-major */

	uint32_t factors;	/* als */
	double *ufac;		/* nusers x factors */
	double *ifac;		/* nitems x factors */
	double *inorm;		/* nitems: |item factors| */
	double *loss;		/* per iteration */

	struct content_feats *feat; /* content: feature texts */
	uint32_t nfeat;
	size_t *foff;		/* item -> unit TF-IDF vector */
	uint32_t *ffeat;
	double *fval;
	size_t *poff;		/* feature -> items (postings) */
	uint32_t *pitem;
	double *pval;
};

#define RECOMMEND_CONSUMED 1
#define RECOMMEND_TOUCHED 2

/* Per-thread working memory, all zero between users. */
struct recommend_scratch {
	double *cf;		/* nitems itemcf scores */
	double *ct;		/* nitems content scores */
	double *final;		/* nitems blended scores (segments) */
	double *dense;		/* nitems ease / als scores before selection */
	uint8_t *state;		/* nitems RECOMMEND_* flags */
	uint32_t *touched;	/* items with a score */
	size_t ntouched;
	int32_t *rank;		/* nitems: result position + 1, or 0 */
	uint64_t *ranked;	/* bit per item: rank is set; fits in L1 */
	double *profile;	/* nfeat content profile */
	uint32_t *ftouched;
	size_t nftouched;
	double pnorm;		/* |profile| */
};

/* A candidate for a bounded best-first selection. */
struct recommend_cand {
	uint32_t id;
	double score;
};

/* True when a is ranked before b. */
static inline int recommend_better(const struct recommend_cand *a,
    const struct recommend_cand *b)
{
	return a->score > b->score || (a->score == b->score && a->id < b->id);
}

static inline void recommend_heap_down(struct recommend_cand *h, uint32_t n)
{
	uint32_t i = 0, c;
	struct recommend_cand t;

	while ((c = 2 * i + 1) < n) {
		if (c + 1 < n && recommend_better(&h[c], &h[c + 1]))
			c++;
		if (!recommend_better(&h[i], &h[c]))
			break;
		t = h[i]; h[i] = h[c]; h[c] = t;
		i = c;
	}
}

/* Offers a candidate to a min-heap of the cap best; *n is its size. Inline:
 * it sits in the innermost selection loops. */
static inline void recommend_heap_offer(struct recommend_cand *h,
    uint32_t *n, uint32_t cap, uint32_t id, double score)
{
	struct recommend_cand c = { id, score }, t;
	uint32_t i, p;

	if (*n == cap) {
		if (cap == 0 || !recommend_better(&c, &h[0]))
			return;
		h[0] = c;
		recommend_heap_down(h, *n);
		return;
	}
	/* The root holds the worst kept candidate. */
	i = (*n)++;
	h[i] = c;
	while (i > 0 && recommend_better(&h[p = (i - 1) / 2], &h[i])) {
		t = h[i]; h[i] = h[p]; h[p] = t;
		i = p;
	}
}
/* Sorts a heap best first (higher score, then lower id). */
void recommend_heap_sort(struct recommend_cand *h, uint32_t n);
/* Keeps the RECOMMEND_BECAUSE largest reasons of a hit. */
void recommend_reason_add(struct recommend_hit *hit,
    enum recommend_reason_type type, uint32_t id, double weight);
/* Marks an item as scored, the first time only. */
static inline void recommend_touch(struct recommend_scratch *sc, uint32_t j)
{
	if (!(sc->state[j] & RECOMMEND_TOUCHED)) {
		sc->state[j] |= RECOMMEND_TOUCHED;
		sc->touched[sc->ntouched++] = j;
	}
}

/* Transposes a CSR matrix; output rows come out sorted. */
void recommend_transpose(uint32_t nrows, uint32_t ncols,
    const size_t *row, const uint32_t *col, const double *val,
    size_t *trow, uint32_t *tcol, double *tval);

int recommend_cf_fit(struct recommend_model *model, uint32_t neighbours,
    double shrink, char **cause);
void recommend_cf_score(const struct recommend_model *model,
    struct recommend_scratch *sc, uint32_t user);
/* Adds each consumed item's share (times scale) to the ranked hits. */
void recommend_cf_explain(const struct recommend_model *model,
    const struct recommend_scratch *sc, uint32_t user,
    struct recommend_hit *hits, double scale);

/* Sets cf[] of the slots' items (all nitems when slot_item is NULL) not
 * consumed to acc[slot], and touches them. */
void recommend_dense_touch(const struct recommend_model *model,
    struct recommend_scratch *sc, const double *acc,
    const uint32_t *slot_item, uint32_t nslot);

int recommend_ease_fit(struct recommend_model *model, double lambda,
    unsigned long max_mb, char **cause);
void recommend_ease_score(const struct recommend_model *model,
    struct recommend_scratch *sc, uint32_t user);
void recommend_ease_explain(const struct recommend_model *model,
    uint32_t user, struct recommend_hit *hits, uint32_t n, double scale);

int recommend_als_fit(struct recommend_model *model,
    const struct recommend_spec *spec, char **cause);
void recommend_als_score(const struct recommend_model *model,
    struct recommend_scratch *sc, uint32_t user);
void recommend_als_explain(const struct recommend_model *model,
    uint32_t user, struct recommend_hit *hits, uint32_t n, double scale);

int recommend_content_fit(struct recommend_model *model,
    const char *const *titles, const char *const *tags, char **cause);
void recommend_content_free(struct recommend_model *model);
void recommend_content_score(const struct recommend_model *model,
    struct recommend_scratch *sc, uint32_t user);
void recommend_content_explain(const struct recommend_model *model,
    const struct recommend_scratch *sc, struct recommend_hit *hit,
    double scale);
/* Clears the profile left by recommend_content_score. */
void recommend_content_clear(const struct recommend_model *model,
    struct recommend_scratch *sc);

#endif
