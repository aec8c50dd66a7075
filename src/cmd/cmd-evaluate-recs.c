/* evaluate-recs EVENTS [k=10] [split=0.2|last] [seed=42]
 * [method=popular|itemcf|content|hybrid|ease|als] [items=DATASET]
 * [neighbours=M] [shrink=S] [lambda=L] [factors=F] [reg=R] [alpha=A]
 * [iterations=N] [base=METHOD] [weight=W] [tune=yes] [user=COL] [item=COL]
 * [event=COL] [time=COL] [weights=TYPE:W,...] [repeats=max|sum] */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cmd-recs.h"
#include "xmalloc.h"

static const char *const cmd_evaluate_recs_keys[] = { CMD_RECS_KEYS, "k",
	"split", NULL };

/* split=FRACTION (0 < f < 1) or split=last; frac 0 means last. */
static int cmd_evaluate_recs_split(const struct cmd_args *args, double *frac,
    unsigned long *seed, char **cause)
{
	const char *split = cmd_arg(args, "split", "0.2");
	long s = 42;
	char *end;

	if (cmd_arg_count(args, "seed", &s, cause) != 0)
		return -1;
	*seed = (unsigned long)s;
	if (strcmp(split, "last") == 0) {
		*frac = 0;
		return 0;
	}
	*frac = strtod(split, &end);
	if (*split != '\0' && *end == '\0' && *frac > 0 && *frac < 1)
		return 0;
	*cause = xasprintf("split=%s: give a fraction between 0 and 1, such as "
	    "0.2, or last", split);
	return -1;
}

static cJSON *cmd_evaluate_recs_metrics(const char *method, uint32_t k,
    const struct recommend_metrics *m)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "method", method);
	cJSON_AddNumberToObject(o, "k", k);
	cJSON_AddNumberToObject(o, "users", m->users);
	cJSON_AddNumberToObject(o, "precision_at_k", m->precision);
	cJSON_AddNumberToObject(o, "recall_at_k", m->recall);
	cJSON_AddNumberToObject(o, "ndcg_at_k", m->ndcg);
	cJSON_AddNumberToObject(o, "hit_rate", m->hit_rate);
	cJSON_AddNumberToObject(o, "coverage", m->coverage);
	return o;
}

static cJSON *cmd_evaluate_recs_result(const struct cmd_recs *r, uint32_t k,
    double frac, unsigned long seed, const struct recommend_metrics *model,
    const struct recommend_metrics *base)
{
	cJSON *o = cmd_evaluate_recs_metrics(
	    recommend_method_name(r->spec.method), k, model);

	cmd_recs_modelled(o, r, model->modelled);
	cJSON_AddItemToObject(o, "baseline", cmd_evaluate_recs_metrics(
	    recommend_method_name(RECOMMEND_POPULAR), k, base));
	if (frac > 0) {
		cJSON_AddNumberToObject(o, "split", frac);
		cJSON_AddNumberToObject(o, "seed", (double)seed);
	} else
		cJSON_AddStringToObject(o, "split", "last");
	cJSON_AddNumberToObject(o, "skipped", (double)r->x->skipped);
	return o;
}

/* The split, tuning inside its training part when asked, the evaluation. */
static int cmd_evaluate_recs_run(struct cmd_recs *r, const char *name,
    uint32_t k, double frac, unsigned long seed, int tune,
    struct recommend_metrics *model, struct recommend_metrics *base,
    cJSON **tuned, char **cause)
{
	struct recommend_split s = { 0 };
	struct recommend_input in;
	int rc;

	interactions_input(r->x, &in);
	if (frac > 0)
		rc = recommend_split_fraction(&in, frac, seed, &s, cause);
	else
		rc = recommend_split_last(&in, &s, cause);
	if (rc == 0 && s.ntestusers == 0) {
		*cause = xasprintf("no user of '%s' has two or more items, so "
		    "none can be held out", name);
		rc = -1;
	}
	if (rc == 0 && tune)
		rc = cmd_recs_tune(r, &in, s.train, frac, seed, k, tuned, cause);
	if (rc == 0)
		rc = recommend_evaluate(&in, &s, &r->spec, k, model, base,
		    cause);
	recommend_split_done(&s);
	return rc;
}

static int cmd_evaluate_recs_exec(struct cmd_ctx *ctx,
    const struct cmd_args *args, cJSON **result, char **cause)
{
	struct recommend_metrics model, base;
	struct cmd_recs r;
	cJSON *tuned = NULL;
	unsigned long seed;
	uint32_t k;
	double frac;
	int rc, tune;

	if (cmd_recs_count(args, "k", 10, &k, cause) != 0 ||
	    cmd_evaluate_recs_split(args, &frac, &seed, cause) != 0 ||
	    cmd_recs_tune_wanted(args, &tune, cause) != 0 ||
	    cmd_recs_open(ctx, args, &r, cause) != 0)
		return -1;
	rc = cmd_evaluate_recs_run(&r, args->pos[0], k, frac, seed, tune,
	    &model, &base, &tuned, cause);
	if (rc == 0) {
		*result = cmd_evaluate_recs_result(&r, k, frac, seed, &model,
		    &base);
		if (tuned != NULL)
			cJSON_AddItemToObject(*result, "tuned", tuned);
	} else
		cJSON_Delete(tuned);
	cmd_recs_close(&r);
	return rc;
}

const struct cmd_entry cmd_evaluate_recs_entry = {
	.name = "evaluate-recs",
	.usage = "EVENTS [k=10] [split=0.2|last] [seed=42] "
	    "[method=popular|itemcf|content|hybrid|ease|als] [items=DATASET] "
	    "[neighbours=50] [shrink=10] [lambda=100] [factors=64] [reg=0.1] "
	    "[alpha=10] [iterations=15] [base=itemcf|ease|als] [weight=0.5] "
	    "[tune=no|yes] [user=COL] [item=COL] [event=COL] "
	    "[time=COL] [weights=TYPE:W,...] [repeats=max|sum]",
	.help = "hold out part of each user's items and score a recommender's "
	    "top k against popularity (precision, recall, NDCG, hit rate, "
	    "coverage)",
	.min_pos = 1, .max_pos = 1,
	.keys = cmd_evaluate_recs_keys,
	.exec = cmd_evaluate_recs_exec,
};
