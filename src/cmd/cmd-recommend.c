/* recommend EVENTS for=USER_ID | segment=VALUE [by=COLUMN] [users=DATASET]
 * [items=DATASET] [n=10] [method=popular|itemcf|content|hybrid|ease|als]
 * [domain=KIND[,KIND]] [neighbours=M] [shrink=S] [lambda=L] [factors=F]
 * [reg=R] [alpha=A] [iterations=N] [seed=S] [base=METHOD] [weight=W]
 * [tune=yes]
 * [user=COL] [item=COL] [event=COL] [time=COL] [weights=TYPE:W,...]
 * [repeats=max|sum] */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cmd-recs.h"
#include "report.h"
#include "xmalloc.h"

static const char *const cmd_recommend_keys[] = { CMD_RECS_KEYS, "for",
	"segment", "by", "users", "n", "domain", NULL };

/* The list's length and the kinds it may hold. */
static int cmd_recommend_query(const struct cmd_args *args,
    const struct cmd_recs *r, struct recommend_query *q, char **cause)
{
	const char *domain = cmd_arg(args, "domain", NULL);
	char **names;
	size_t n;
	int rc;

	memset(q, 0, sizeof *q);
	if (cmd_recs_count(args, "n", 10, &q->k, cause) != 0)
		return -1;
	if (domain == NULL)
		return 0;
	if (cmd_split_list("domain", domain, &names, &n, cause) != 0)
		return -1;
	rc = interactions_kinds_mask(r->x, (const char *const *)names, n,
	    &q->kinds, cause);
	cmd_list_free(names, n);
	return rc;
}

/* tune=yes: values chosen on each user's last item (by time; without a
 * time column, 20% of each user's items, seed 42), before fitting on all. */
static int cmd_recommend_tune(const struct cmd_args *args, struct cmd_recs *r,
    cJSON **tuned, char **cause)
{
	struct recommend_input in;
	bool yes = false;

	*tuned = NULL;
	if (cmd_arg_yes(args, "tune", &yes, cause) != 0)
		return -1;
	if (!yes)
		return 0;
	interactions_input(r->x, &in);
	return cmd_recs_tune(r, &in, NULL, in.time != NULL ? 0 : 0.2, 42, 10,
	    tuned, cause);
}

/* Fits on every pair; with extra set, one more user without events. */
static int cmd_recommend_fit(const struct cmd_recs *r, int extra,
    struct recommend_matrix **m, struct recommend_model **model, char **cause)
{
	struct recommend_input in;

	interactions_input(r->x, &in);
	in.nusers += extra != 0;
	if (recommend_matrix_build(&in, NULL, m, cause) != 0)
		return -1;
	if (recommend_model_fit(*m, &r->spec, model, cause) == 0)
		return 0;
	recommend_matrix_free(*m);
	*m = NULL;	/* the callers free it too */
	return -1;
}

/* Adds method, tuned values, items and skipped to a result. */
static void cmd_recommend_fill(cJSON *o, const struct cmd_recs *r,
    const struct recommend_model *model, const struct recommend_hit *hits,
    uint32_t n, cJSON **tuned)
{
	cJSON_AddStringToObject(o, "method",
	    recommend_method_name(r->spec.method));
	cmd_recs_modelled(o, r, recommend_model_items(model));
	if (*tuned != NULL)
		cJSON_AddItemToObject(o, "tuned", *tuned);
	*tuned = NULL;
	cJSON_AddItemToObject(o, "items", cmd_recs_hits(r, model, hits, n));
	cJSON_AddNumberToObject(o, "skipped", (double)r->x->skipped);
}

/* The user's index; one past the last for a newcomer under popular. */
static int cmd_recommend_user(const struct cmd_recs *r, const char *id,
    const char *events, uint32_t *user, char **cause)
{
	if (interactions_find_user(r->x, id, user) == 0)
		return 0;
	if (r->spec.method == RECOMMEND_POPULAR) {
		*user = r->x->nusers;
		return 0;
	}
	*cause = xasprintf("user '%s' has no events in '%s'; for a user "
	    "without a history use method=popular, or segment=VALUE for "
	    "their segment", id, events);
	return -1;
}

/* The top n for one user, with reasons. */
static int cmd_recommend_for(const struct cmd_args *args,
    struct cmd_recs *r, const char *id, cJSON **result, char **cause)
{
	struct recommend_model *model = NULL;
	struct recommend_matrix *m = NULL;
	struct recommend_hit *hits;
	struct recommend_query q;
	uint32_t user, n = 0;
	cJSON *tuned = NULL;

	if (cmd_recommend_query(args, r, &q, cause) != 0 ||
	    cmd_recommend_user(r, id, args->pos[0], &user, cause) != 0 ||
	    cmd_recommend_tune(args, r, &tuned, cause) != 0)
		return -1;
	if (cmd_recommend_fit(r, user == r->x->nusers, &m, &model,
	    cause) != 0) {
		cJSON_Delete(tuned);
		return -1;
	}
	hits = xmalloc(q.k * sizeof *hits);
	if (recommend_user(model, user, &q, hits, &n, cause) == 0) {
		*result = cJSON_CreateObject();
		cJSON_AddItemToObject(*result, "user", user < r->x->nusers ?
		    report_cell(&r->x->events->cols[r->x->user_col],
		    r->x->user_row[user]) : cJSON_CreateString(id));
		cmd_recommend_fill(*result, r, model, hits, n, &tuned);
	}
	cJSON_Delete(tuned);
	free(hits);
	recommend_model_free(model);
	recommend_matrix_free(m);
	return *result != NULL ? 0 : -1;
}

/* The users of the segment, from users= or from the events. */
static int cmd_recommend_members(struct cmd_ctx *ctx,
    const struct cmd_args *args, const struct cmd_recs *r, const char *by,
    const char *value, uint32_t **users, size_t *n, char **cause)
{
	const char *name = cmd_arg(args, "users", NULL);
	const struct table *t = NULL;
	size_t rows;

	if (name != NULL && (t = workspace_need(&ctx->ws, name, cause)) == NULL)
		return -1;
	if (interactions_segment(r->x, t, by, value, users, n, &rows,
	    cause) != 0)
		return -1;
	if (rows == 0)
		*cause = xasprintf("no row of '%s' has %s=%s",
		    t ? t->name : args->pos[0], by, value);
	else if (*n == 0)
		*cause = xasprintf("no user with %s=%s in '%s' has events in "
		    "'%s'", by, value, t ? t->name : args->pos[0],
		    args->pos[0]);
	if (*n > 0)
		return 0;
	free(*users);
	return -1;
}

/* The segment's top n: each member's normalised scores averaged. */
static int cmd_recommend_segment(struct cmd_ctx *ctx,
    const struct cmd_args *args, struct cmd_recs *r, const char *value,
    cJSON **result, char **cause)
{
	const char *by = cmd_arg(args, "by", "segment");
	struct recommend_model *model = NULL;
	struct recommend_matrix *m = NULL;
	struct recommend_hit *hits;
	struct recommend_query q;
	uint32_t *users, n = 0;
	size_t nusers;
	cJSON *tuned = NULL;

	if (cmd_recommend_query(args, r, &q, cause) != 0 ||
	    cmd_recommend_members(ctx, args, r, by, value, &users, &nusers,
	    cause) != 0)
		return -1;
	if (cmd_recommend_tune(args, r, &tuned, cause) != 0) {
		free(users);
		return -1;
	}
	hits = xmalloc(q.k * sizeof *hits);
	if (cmd_recommend_fit(r, 0, &m, &model, cause) == 0 &&
	    recommend_segment(model, users, nusers, &q, hits, &n, cause) == 0) {
		*result = cJSON_CreateObject();
		cJSON_AddStringToObject(*result, "segment", value);
		cJSON_AddStringToObject(*result, "by", by);
		cJSON_AddNumberToObject(*result, "users", (double)nusers);
		cmd_recommend_fill(*result, r, model, hits, n, &tuned);
	}
	cJSON_Delete(tuned);
	free(hits);
	free(users);
	recommend_model_free(model);
	recommend_matrix_free(m);
	return *result != NULL ? 0 : -1;
}

static int cmd_recommend_exec(struct cmd_ctx *ctx, const struct cmd_args *args,
    cJSON **result, char **cause)
{
	const char *user = cmd_arg(args, "for", NULL),
	    *segment = cmd_arg(args, "segment", NULL);
	struct cmd_recs r;
	int rc;

	if ((user == NULL) == (segment == NULL)) {
		*cause = xstrdup(user == NULL ? "give for=USER_ID or "
		    "segment=VALUE" : "give for= or segment=, not both");
		return CMD_USAGE;
	}
	if (cmd_recs_open(ctx, args, &r, cause) != 0)
		return -1;
	if (user != NULL)
		rc = cmd_recommend_for(args, &r, user, result, cause);
	else
		rc = cmd_recommend_segment(ctx, args, &r, segment, result, cause);
	cmd_recs_close(&r);
	return rc;
}

const struct cmd_entry cmd_recommend_entry = {
	.name = "recommend",
	.usage = "EVENTS for=USER_ID|segment=VALUE [by=COL] [users=DATASET] "
	    "[items=DATASET] [n=10] "
	    "[method=popular|itemcf|content|hybrid|ease|als] "
	    "[domain=KIND[,KIND]] [neighbours=20] [shrink=10] [lambda=200] "
	    "[factors=64] [reg=100] [alpha=10] [iterations=15] [seed=42] "
	    "[base=ease|itemcf|als] [weight=0.5] [tune=no|yes] [user=COL] "
	    "[item=COL] [event=COL] [time=COL] [weights=TYPE:W,...] "
	    "[repeats=max|sum]",
	.help = "top items for a user or a segment from implicit feedback "
	    "(popular, item-item CF, content, hybrid, EASE, implicit ALS), "
	    "with reasons",
	.min_pos = 1, .max_pos = 1,
	.keys = cmd_recommend_keys,
	.exec = cmd_recommend_exec,
};
