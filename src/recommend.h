/* Recommendation engine on plain arrays: a sparse user x item matrix built
 * from (user, item, weight) interactions, four methods (popular, item-item
 * collaborative filtering, TF-IDF content, a hybrid of the two), per-user
 * and segment top-N lists with reasons, and offline evaluation.
 *
 * Ownership: recommend_matrix_build returns a matrix the caller frees with
 * recommend_matrix_free. A model borrows its matrix, which must outlive it;
 * everything else a model needs (texts, kinds) is copied. Result arrays are
 * caller-provided. Splits are filled by recommend_split_* and released by
 * recommend_split_done.
 *
 * Ordering rule everywhere: higher score first, equal scores by ascending
 * item index, so output never depends on the number of threads. */
#ifndef CROSSMKT_RECOMMEND_H
#define CROSSMKT_RECOMMEND_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Event weights are bounded so products of weights and similarities
 * neither underflow nor overflow. */
#define RECOMMEND_MIN_WEIGHT 1e-9
#define RECOMMEND_MAX_WEIGHT 1e9

/* Interactions as parallel arrays of n events. Weights express the event
 * type (view < click < purchase); repeated pairs are summed. */
struct recommend_input {
	uint32_t nusers, nitems;
	size_t n;
	const uint32_t *user;
	const uint32_t *item;
	const double *weight;	/* NULL: every event weighs 1; else within
				 * RECOMMEND_MIN_WEIGHT..MAX_WEIGHT */
	const int64_t *time;	/* NULL: input order is time order */
};

/* CSR by user and its transpose (CSC by item); indices ascending. */
struct recommend_matrix {
	uint32_t nusers, nitems;
	size_t nnz;
	size_t *urow;		/* nusers + 1 offsets */
	uint32_t *uitem;
	double *uval;
	size_t *irow;		/* nitems + 1 offsets */
	uint32_t *iuser;
	double *ival;
};

enum recommend_method {
	RECOMMEND_POPULAR,	/* distinct users per item */
	RECOMMEND_ITEMCF,	/* item-item cosine, top-M neighbours */
	RECOMMEND_CONTENT,	/* TF-IDF over tags and title tokens: count
				 * x (ln((1 + N) / (1 + df)) + 1), unit
				 * length; profile cosine */
	RECOMMEND_HYBRID,	/* blend of a max-normalised collaborative
				 * method (spec.base) and content */
	RECOMMEND_EASE,		/* Steck's closed-form item-item model */
	RECOMMEND_ALS,		/* implicit-feedback matrix factorisation
				 * (Hu, Koren and Volinsky), CG updates */
	RECOMMEND_NMETHODS
};

#define RECOMMEND_MAX_KINDS 8
#define RECOMMEND_MAX_THREADS 64
/* OpenBLAS threads for EASE's factorisation, whatever spec.threads says,
 * so that its sums are split the same way on every run. */
#define RECOMMEND_BLAS_THREADS 2
/* EASE's default memory budget for its n x n matrix (8 n^2 bytes): 1 GB,
 * 11,585 items. */
#define RECOMMEND_EASE_MAX_MB 1024

struct recommend_spec {
	enum recommend_method method;
	uint32_t neighbours;	/* itemcf: M neighbours kept per item */
	double shrink;		/* itemcf: sim = dot / (|a| |b| + shrink) */
	double cf_weight;	/* hybrid: share of the base method, 0 to 1 */
	enum recommend_method base; /* hybrid: itemcf, ease or als */
	double lambda;		/* ease: L2 penalty on B */
	unsigned long max_mb;	/* ease: budget for B; over it, only the most
				 * popular items that fit are modelled */
	uint32_t factors;	/* als: latent dimensions */
	double reg;		/* als: L2 penalty on the factors */
	double alpha;		/* als: confidence 1 + alpha * weight */
	uint32_t iterations;	/* als: alternating sweeps */
	unsigned long seed;	/* als: initial factors */
	unsigned threads;	/* worker threads, 1 to RECOMMEND_MAX_THREADS */
	/* Content and hybrid: per-item title and tags (NULL entries allowed);
	 * tags are separated by ',', ';', '|', '，', '；' or '、'. */
	const char *const *titles;
	const char *const *tags;
	/* Per-item kind (course, dish, coupon...) below RECOMMEND_MAX_KINDS,
	 * for domain filters; NULL puts every item in kind 0. */
	const uint8_t *kinds;
	/* Polled while fitting (itemcf per item, content per block of items)
	 * and, kept by the model, by its all-user and segment lists (per
	 * block of users); once set, those calls fail with "cancelled".
	 * NULL: not cancellable. */
	const atomic_bool *cancel;
};

struct recommend_query {
	uint32_t k;		/* list length, at least 1 */
	unsigned kinds;		/* bit (1 << kind) per allowed kind; 0: all */
	int no_because;		/* skip the reasons, for speed (bulk lists) */
};

#define RECOMMEND_BECAUSE 3

enum recommend_reason_type {
	RECOMMEND_REASON_ITEM,		/* a consumed item (itemcf, ease,
					 * als) */
	RECOMMEND_REASON_FEATURE	/* a tag or title token (content) */
};

struct recommend_reason {
	enum recommend_reason_type type;
	uint32_t id;		/* item index or feature code */
	double weight;		/* its share of the score */
};

struct recommend_hit {
	uint32_t item;
	double score;
	unsigned nbecause;
	struct recommend_reason because[RECOMMEND_BECAUSE];
};

struct recommend_model;

/* Builds the matrix from the events whose keep flag is set (keep NULL: all). */
int recommend_matrix_build(const struct recommend_input *in,
    const uint8_t *keep, struct recommend_matrix **out, char **cause);
void recommend_matrix_free(struct recommend_matrix *m);

/* Defaults (chosen by validation on Online Retail, the demo events and
 * generated events): itemcf, 20 neighbours, shrink 10, hybrid weight 0.5
 * on ease, ease lambda 200 within RECOMMEND_EASE_MAX_MB, als 64 factors,
 * reg 100,
 * alpha 10, 15 iterations, seed 42; 2 threads, no cancel flag. */
void recommend_spec_init(struct recommend_spec *spec);
/* Fits spec->method on m, which the model borrows. */
int recommend_model_fit(const struct recommend_matrix *m,
    const struct recommend_spec *spec, struct recommend_model **out,
    char **cause);
void recommend_model_free(struct recommend_model *model);

/* Top-k unconsumed items for one user into out[0..k-1]; *nout may be below
 * k when fewer items have any evidence (popular lists are always full).
 * Reasons: itemcf gives consumed items with their share w * sim, ease
 * the consumed items with the largest positive terms w_i B[i][j], als the
 * consumed items nearest the hit in factor space (cosine of the item
 * factors), content features with their term of the cosine, hybrid both,
 * scaled as the blend scales them. Ease and als rank every modelled item
 * the user has not consumed, whatever the sign of its score. */
int recommend_user(const struct recommend_model *model, uint32_t user,
    const struct recommend_query *q, struct recommend_hit *out,
    uint32_t *nout, char **cause);
/* Top-k for every user, in parallel: out holds nusers * k hits, user u's
 * list at out + u * k with nout[u] entries. When cancelled, out and nout
 * hold nothing usable. */
int recommend_all(const struct recommend_model *model,
    const struct recommend_query *q, struct recommend_hit *out,
    uint32_t *nout, char **cause);
/* Top-k for a segment: each user's max-normalised scores (own consumed
 * items excluded) averaged over the segment; popularity is normalised by
 * the most popular item instead. Single-threaded, so sums keep one order.
 * Reasons are not given. */
int recommend_segment(const struct recommend_model *model,
    const uint32_t *users, size_t nusers, const struct recommend_query *q,
    struct recommend_hit *out, uint32_t *nout, char **cause);

/* Items an ease model covers (all but over its memory budget), else all. */
uint32_t recommend_model_items(const struct recommend_model *model);
/* ALS training loss after each iteration (model's iterations values), or
 * NULL for other methods; owned by the model. */
const double *recommend_als_loss(const struct recommend_model *model);

/* Neighbours of an item (itemcf and hybrid), best first; returns how many. */
uint32_t recommend_neighbours(const struct recommend_model *model,
    uint32_t item, const uint32_t **items, const double **sims);
/* The text of a content feature code; owned by the model. */
const char *recommend_feature_name(const struct recommend_model *model,
    uint32_t id);
/* Splits UTF-8 text into content tokens: lower-cased ASCII words (other
 * letters kept as they are) of two or more characters, and CJK character
 * bigrams (a lone CJK character stands for itself). Full-width ASCII is
 * folded; punctuation separates. Calls fn for each; returns the count. */
size_t recommend_tokenize(const char *text,
    void (*fn)(const char *tok, size_t len, void *arg), void *arg);

/* Short name of a method ("itemcf"...); never NULL. */
const char *recommend_method_name(enum recommend_method method);
/* Method for a short name; -1 when unknown. */
int recommend_method_find(const char *name);

/* A train / test split: per-event training flags and, per user, the
 * held-out distinct items (ascending). */
struct recommend_split {
	uint32_t nusers;
	uint8_t *train;		/* n flags: 1 training, 0 held out */
	size_t *trow;		/* nusers + 1 offsets into titem */
	uint32_t *titem;
	size_t ntest;
	uint32_t ntestusers;	/* users with at least one held-out item */
};

struct recommend_metrics {
	double precision, recall, ndcg, hit_rate, coverage;
	uint32_t users;		/* users evaluated */
	uint32_t modelled;	/* items the model covers */
};

/* Holds out round(frac * n) of the distinct items (at least one, never all)
 * of each user with two or more, chosen with gsl_rng_mt19937 from seed. */
int recommend_split_fraction(const struct recommend_input *in, double frac,
    unsigned long seed, struct recommend_split *out, char **cause);
/* Holds out each user's last item by time (ties: the later event), for
 * users with two or more distinct items. */
int recommend_split_last(const struct recommend_input *in,
    struct recommend_split *out, char **cause);
void recommend_split_done(struct recommend_split *s);

/* Scores recommendation lists (recs + u * k, nrecs[u] long) against the
 * held-out items: binary relevance, log2 discount, coverage over nitems. */
int recommend_metrics_score(const struct recommend_split *s, uint32_t nitems,
    const uint32_t *recs, const uint32_t *nrecs, uint32_t k,
    struct recommend_metrics *out, char **cause);
/* Trains spec on the training events, recommends k items to every user
 * with held-out items, and scores them; baseline (if not NULL) gets the
 * popular method on the same split. spec->cancel is polled throughout. */
int recommend_evaluate(const struct recommend_input *in,
    const struct recommend_split *s, const struct recommend_spec *spec,
    uint32_t k, struct recommend_metrics *model,
    struct recommend_metrics *baseline, char **cause);
/* The same per domain: for each of the nmasks kind masks (bit 1 << kind;
 * 0 for all), lists of those kinds only scored against the held-out items
 * of those kinds (users with none are not counted), into model[i] and
 * baseline[i]. One fit serves every mask. */
int recommend_evaluate_kinds(const struct recommend_input *in,
    const struct recommend_split *s, const struct recommend_spec *spec,
    uint32_t k, const unsigned *masks, size_t nmasks,
    struct recommend_metrics *model, struct recommend_metrics *baseline,
    char **cause);

/* The parameters tuning chooses among. */
enum recommend_param {
	RECOMMEND_PARAM_NEIGHBOURS,
	RECOMMEND_PARAM_SHRINK,
	RECOMMEND_PARAM_LAMBDA,
	RECOMMEND_PARAM_FACTORS,
	RECOMMEND_PARAM_REG,
	RECOMMEND_PARAM_WEIGHT,
	RECOMMEND_NPARAMS
};

struct recommend_tuning {
	double ndcg;		/* validation NDCG@k of the chosen values */
	uint32_t users;		/* validation users */
	unsigned tried;		/* models fitted */
	enum recommend_param params[RECOMMEND_NPARAMS];	/* those tuned */
	unsigned nparams;
};

/* Chooses spec's parameters (itemcf: neighbours, shrink; ease: lambda;
 * als: reg, factors; hybrid: its base's and the weight) by validation
 * NDCG@k on a split of the kept events (keep NULL: all): split=last when
 * frac is 0, else frac of each user's items drawn from seed. The chosen
 * values are written into spec. Popular and content have nothing to tune
 * (tried is then 1). */
int recommend_tune(const struct recommend_input *in, const uint8_t *keep,
    double frac, unsigned long seed, uint32_t k, struct recommend_spec *spec,
    struct recommend_tuning *out, char **cause);
/* "neighbours", "lambda"...; never NULL. */
const char *recommend_param_name(enum recommend_param p);
double recommend_param_get(const struct recommend_spec *spec,
    enum recommend_param p);

#endif
