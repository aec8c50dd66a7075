/* evaluate-recs EVENTS [k=10] [split=0.2|last] [seed=42]
 * [method=popular|itemcf|content|hybrid|ease|als] [items=DATASET]
 * [neighbours=M] [shrink=S] [lambda=L] [factors=F] [reg=R] [alpha=A]
 * [iterations=N] [base=METHOD] [weight=W] [tune=yes] [domain=KIND[,KIND]]
 * [user=COL] [item=COL]
 * [event=COL] [time=COL] [weights=TYPE:W,...] [repeats=max|sum] */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cmd-recs.h"
#include "xmalloc.h"

static const char *const cmd_evaluate_recs_keys[] = { CMD_RECS_KEYS, "k",
	"split", "domain", NULL };

/* What one evaluation asks: the split, tuning, and the domains scored
 * apart (masks[0] is every kind). */
struct cmd_evaluate_recs_job {
	uint32_t k;
	double frac;
	unsigned long seed;
	bool tune;
	unsigned masks[RECOMMEND_MAX_KINDS + 1];
	char **domains;		/* ndomains kind names, masks[1..] */
	size_t ndomains, nmasks;
};

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

/* domain=KIND[,KIND]: one mask per kind after the overall one. */
static int cmd_evaluate_recs_domains(const struct cmd_args *args,
    const struct cmd_recs *r, struct cmd_evaluate_recs_job *job, char **cause)
{
	const char *domain = cmd_arg(args, "domain", NULL);

	job->masks[0] = 0;
	job->nmasks = 1;
	if (domain == NULL)
		return 0;
	if (cmd_split_list("domain", domain, &job->domains, &job->ndomains,
	    cause) != 0)
		return -1;
	if (job->ndomains > RECOMMEND_MAX_KINDS) {
		*cause = xasprintf("domain=%s: at most %d kinds", domain,
		    RECOMMEND_MAX_KINDS);
		return -1;
	}
	for (; job->nmasks <= job->ndomains; job->nmasks++) {
		if (interactions_kinds_mask(r->x, (const char *const *)
		    &job->domains[job->nmasks - 1], 1,
		    &job->masks[job->nmasks], cause) != 0)
			return -1;
	}
	return 0;
}

/* [{kind, metrics..., baseline}] for each domain asked. */
static cJSON *cmd_evaluate_recs_per_domain(const struct cmd_recs *r,
    const struct cmd_evaluate_recs_job *job,
    const struct recommend_metrics *model,
    const struct recommend_metrics *base)
{
	cJSON *list = cJSON_CreateArray(), *o;

	for (size_t i = 1; i < job->nmasks; i++) {
		o = cmd_evaluate_recs_metrics(
		    recommend_method_name(r->spec.method), job->k, &model[i]);
		cJSON_AddItemToObject(o, "baseline", cmd_evaluate_recs_metrics(
		    recommend_method_name(RECOMMEND_POPULAR), job->k, &base[i]));
		cJSON_AddItemToObjectCS(o, "kind",
		    cJSON_CreateString(job->domains[i - 1]));
		cJSON_AddItemToArray(list, o);
	}
	return list;
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
    const struct cmd_evaluate_recs_job *job, struct recommend_metrics *model,
    struct recommend_metrics *base, cJSON **tuned, char **cause)
{
	struct recommend_split s = { 0 };
	struct recommend_input in;
	int rc;

	interactions_input(r->x, &in);
	if (job->frac > 0)
		rc = recommend_split_fraction(&in, job->frac, job->seed, &s,
		    cause);
	else
		rc = recommend_split_last(&in, &s, cause);
	if (rc == 0 && s.ntestusers == 0) {
		*cause = xasprintf("no user of '%s' has two or more items, so "
		    "none can be held out", name);
		rc = -1;
	}
	if (rc == 0 && job->tune)
		rc = cmd_recs_tune(r, &in, s.train, job->frac, job->seed, job->k,
		    tuned, cause);
	if (rc == 0)
		rc = recommend_evaluate_kinds(&in, &s, &r->spec, job->k,
		    job->masks, job->nmasks, model, base, cause);
	recommend_split_done(&s);
	return rc;
}

static int cmd_evaluate_recs_exec(struct cmd_ctx *ctx,
    const struct cmd_args *args, cJSON **result, char **cause)
{
	struct recommend_metrics model[RECOMMEND_MAX_KINDS + 1],
	    base[RECOMMEND_MAX_KINDS + 1];
	struct cmd_evaluate_recs_job job = { 0 };
	struct cmd_recs r;
	cJSON *tuned = NULL;
	int rc;

	if (cmd_recs_count(args, "k", 10, &job.k, cause) != 0 ||
	    cmd_evaluate_recs_split(args, &job.frac, &job.seed, cause) != 0 ||
	    cmd_arg_yes(args, "tune", &job.tune, cause) != 0 ||
	    cmd_recs_open(ctx, args, &r, cause) != 0)
		return -1;
	rc = cmd_evaluate_recs_domains(args, &r, &job, cause);
	if (rc == 0)
		rc = cmd_evaluate_recs_run(&r, args->pos[0], &job, model, base,
		    &tuned, cause);
	if (rc == 0) {
		*result = cmd_evaluate_recs_result(&r, job.k, job.frac,
		    job.seed, model, base);
		if (tuned != NULL)
			cJSON_AddItemToObject(*result, "tuned", tuned);
		if (job.nmasks > 1)
			cJSON_AddItemToObject(*result, "domains",
			    cmd_evaluate_recs_per_domain(&r, &job, model, base));
	} else
		cJSON_Delete(tuned);
	cmd_list_free(job.domains, job.ndomains);
	cmd_recs_close(&r);
	return rc;
}

const struct cmd_entry cmd_evaluate_recs_entry = {
	.name = "evaluate-recs",
	.usage = "EVENTS [k=10] [split=0.2|last] [seed=42] "
	    "[method=popular|itemcf|content|hybrid|ease|als] [items=DATASET] "
	    "[neighbours=20] [shrink=10] [lambda=200] [factors=64] [reg=100] "
	    "[alpha=10] [iterations=15] [base=ease|itemcf|als] [weight=0.5] "
	    "[tune=no|yes] [domain=KIND[,KIND]] [user=COL] [item=COL] "
	    "[event=COL] "
	    "[time=COL] [weights=TYPE:W,...] [repeats=max|sum]",
	.help = "hold out part of each user's items and score a recommender's "
	    "top k against popularity (precision, recall, NDCG, hit rate, "
	    "coverage)",
	.min_pos = 1, .max_pos = 1,
	.keys = cmd_evaluate_recs_keys,
	.exec = cmd_evaluate_recs_exec,
};
