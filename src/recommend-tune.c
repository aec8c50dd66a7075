/* Tuning on validation: the training events are split once more (the same
 * kind of split as the test, so the choice sees the task it is judged on),
 * and each parameter of the method is set in turn to the value with the
 * best validation NDCG, the others held at their best so far (coordinate
 * search over fixed grids). Ties keep the earlier value, so the choice is
 * reproducible. The test split is never seen. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "recommend-impl.h"
#include "xmalloc.h"

#define TUNE_MAX_VALUES 8

/* One parameter's grid and where it lives in a spec. */
struct tune_axis {
	enum recommend_param param;
	double values[TUNE_MAX_VALUES];
	unsigned n;
};

static const struct tune_axis tune_itemcf[] = {
	{ RECOMMEND_PARAM_NEIGHBOURS, { 5, 10, 20, 50, 100, 200, 500 }, 7 },
	{ RECOMMEND_PARAM_SHRINK, { 0, 2, 10, 50, 200 }, 5 },
};
static const struct tune_axis tune_ease[] = {
	{ RECOMMEND_PARAM_LAMBDA, { 10, 30, 100, 300, 1000, 3000 }, 6 },
};
static const struct tune_axis tune_als[] = {
	{ RECOMMEND_PARAM_REG, { 0.1, 1, 10, 100, 1000 }, 5 },
	{ RECOMMEND_PARAM_FACTORS, { 32, 64, 128 }, 3 },
};
static const struct tune_axis tune_weight = {
	RECOMMEND_PARAM_WEIGHT, { 0.2, 0.35, 0.5, 0.65, 0.8 }, 5
};

static const char *const tune_names[RECOMMEND_NPARAMS] = {
	"neighbours", "shrink", "lambda", "factors", "reg", "weight"
};

const char *recommend_param_name(enum recommend_param p)
{
	return (unsigned)p < RECOMMEND_NPARAMS ? tune_names[p] : "?";
}

double recommend_param_get(const struct recommend_spec *spec,
    enum recommend_param p)
{
	switch (p) {
	case RECOMMEND_PARAM_NEIGHBOURS: return spec->neighbours;
	case RECOMMEND_PARAM_SHRINK: return spec->shrink;
	case RECOMMEND_PARAM_LAMBDA: return spec->lambda;
	case RECOMMEND_PARAM_FACTORS: return spec->factors;
	case RECOMMEND_PARAM_REG: return spec->reg;
	default: return spec->cf_weight;
	}
}

static void tune_set(struct recommend_spec *spec, enum recommend_param p,
    double v)
{
	switch (p) {
	case RECOMMEND_PARAM_NEIGHBOURS: spec->neighbours = (uint32_t)v; break;
	case RECOMMEND_PARAM_SHRINK: spec->shrink = v; break;
	case RECOMMEND_PARAM_LAMBDA: spec->lambda = v; break;
	case RECOMMEND_PARAM_FACTORS: spec->factors = (uint32_t)v; break;
	case RECOMMEND_PARAM_REG: spec->reg = v; break;
	default: spec->cf_weight = v; break;
	}
}

/* The axes of a collaborative method; none for popular and content. */
static const struct tune_axis *tune_axes(enum recommend_method m,
    unsigned *n)
{
	switch (m) {
	case RECOMMEND_ITEMCF:
		*n = sizeof tune_itemcf / sizeof tune_itemcf[0];
		return tune_itemcf;
	case RECOMMEND_EASE:
		*n = sizeof tune_ease / sizeof tune_ease[0];
		return tune_ease;
	case RECOMMEND_ALS:
		*n = sizeof tune_als / sizeof tune_als[0];
		return tune_als;
	default:
		*n = 0;
		return NULL;
	}
}

/* The kept events as an input of their own (same users and items). */
static void tune_subset(const struct recommend_input *in, const uint8_t *keep,
    struct recommend_input *sub)
{
	size_t n = 0;
	uint32_t *user = xmalloc((in->n ? in->n : 1) * sizeof *user);
	uint32_t *item = xmalloc((in->n ? in->n : 1) * sizeof *item);
	double *weight = in->weight ? xmalloc(in->n * sizeof *weight) : NULL;
	int64_t *time = in->time ? xmalloc(in->n * sizeof *time) : NULL;

	for (size_t e = 0; e < in->n; e++) {
		if (keep != NULL && !keep[e])
			continue;
		user[n] = in->user[e];
		item[n] = in->item[e];
		if (weight != NULL)
			weight[n] = in->weight[e];
		if (time != NULL)
			time[n] = in->time[e];
		n++;
	}
	*sub = (struct recommend_input){ in->nusers, in->nitems, n, user, item,
	    weight, time };
}

static void tune_subset_free(struct recommend_input *sub)
{
	free((void *)sub->user);
	free((void *)sub->item);
	free((void *)sub->weight);
	free((void *)sub->time);
}

struct tune_state {
	const struct recommend_input *in;
	const struct recommend_split *s;
	uint32_t k;
	struct recommend_spec best;
	double best_ndcg;
	struct recommend_tuning *out;
};

/* Validation NDCG of one spec; -1 with *cause on failure. */
static int tune_try(struct tune_state *st, const struct recommend_spec *spec,
    double *ndcg, char **cause)
{
	struct recommend_metrics mt;

	if (recommend_evaluate(st->in, st->s, spec, st->k, &mt, NULL,
	    cause) != 0)
		return -1;
	st->out->tried++;
	*ndcg = mt.ndcg;
	return 0;
}

/* Each value of one axis against the best so far. */
static int tune_axis_run(struct tune_state *st, const struct tune_axis *ax,
    char **cause)
{
	double cur = recommend_param_get(&st->best, ax->param), ndcg;
	struct recommend_spec c;

	for (unsigned v = 0; v < ax->n; v++) {
		if (ax->values[v] == cur)
			continue;
		c = st->best;
		tune_set(&c, ax->param, ax->values[v]);
		if (tune_try(st, &c, &ndcg, cause) != 0)
			return -1;
		if (ndcg > st->best_ndcg) {
			st->best_ndcg = ndcg;
			st->best = c;
		}
	}
	st->out->params[st->out->nparams++] = ax->param;
	return 0;
}

static int tune_search(struct tune_state *st, char **cause)
{
	enum recommend_method m = st->best.method == RECOMMEND_HYBRID ?
	    st->best.base : st->best.method;
	const struct tune_axis *axes;
	unsigned n;

	if (tune_try(st, &st->best, &st->best_ndcg, cause) != 0)
		return -1;
	axes = tune_axes(m, &n);
	for (unsigned a = 0; a < n; a++) {
		if (tune_axis_run(st, &axes[a], cause) != 0)
			return -1;
	}
	if (st->best.method == RECOMMEND_HYBRID)
		return tune_axis_run(st, &tune_weight, cause);
	return 0;
}

/* Validation split of the kept events, search, chosen values into spec. */
int recommend_tune(const struct recommend_input *in, const uint8_t *keep,
    double frac, unsigned long seed, uint32_t k, struct recommend_spec *spec,
    struct recommend_tuning *out, char **cause)
{
	struct recommend_input sub;
	struct recommend_split s = { 0 };
	struct tune_state st = { &sub, &s, k, *spec, 0, out };
	int rc;

	memset(out, 0, sizeof *out);
	tune_subset(in, keep, &sub);
	if (frac > 0)
		rc = recommend_split_fraction(&sub, frac, seed, &s, cause);
	else
		rc = recommend_split_last(&sub, &s, cause);
	if (rc == 0 && s.ntestusers == 0) {
		*cause = xasprintf("tuning: no user has two or more training "
		    "items to hold out for validation");
		rc = -1;
	}
	if (rc == 0)
		rc = tune_search(&st, cause);
	if (rc == 0) {
		*spec = st.best;
		out->ndcg = st.best_ndcg;
		out->users = s.ntestusers;
	}
	recommend_split_done(&s);
	tune_subset_free(&sub);
	return rc;
}
