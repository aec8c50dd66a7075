/* Arguments and results shared by recommend and evaluate-recs. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-recs.h"
#include "csvload.h"
#include "report.h"
#include "xmalloc.h"

/* view < click < purchase, redeem (an order paid with a coupon). */
static const char *const cmd_recs_default_names[] = {
	"view", "click", "purchase", "redeem"
};
static const double cmd_recs_default_weights[] = { 1, 2, 4, 4 };

struct cmd_recs_weights {
	char **names;
	double *weights;
	size_t n;
};

static void cmd_recs_weights_free(struct cmd_recs_weights *w)
{
	cmd_list_free(w->names, w->n);
	free(w->weights);
}

/* One TYPE:WEIGHT item of weights=; the item becomes its TYPE. */
static int cmd_recs_weight(const char *value, char *item, double *w,
    char **cause)
{
	char *colon = strrchr(item, ':'), *end;

	if (colon == NULL || colon == item) {
		*cause = xasprintf("weights=%s: give TYPE:WEIGHT pairs, e.g. "
		    "weights=view:1,click:2,purchase:4,redeem:4", value);
		return -1;
	}
	*colon = '\0';
	*w = strtod(colon + 1, &end);
	if (colon[1] == '\0' || *end != '\0' || !(*w >= RECOMMEND_MIN_WEIGHT &&
	    *w <= RECOMMEND_MAX_WEIGHT)) {
		*cause = xasprintf("weights=%s: the weight of '%s' must be a "
		    "number from 1e-9 to 1e9", value, item);
		return -1;
	}
	return 0;
}

static int cmd_recs_weights(const char *value, struct cmd_recs_weights *w,
    char **cause)
{
	if (cmd_split_list("weights", value, &w->names, &w->n, cause) != 0)
		return -1;
	w->weights = xmalloc(w->n * sizeof *w->weights);
	for (size_t i = 0; i < w->n; i++) {
		if (cmd_recs_weight(value, w->names[i], &w->weights[i],
		    cause) != 0)
			return -1;
	}
	return 0;
}

/* A column by key=NAME, else by role: -1 when neither names one, -2 with
 * *cause when NAME is not a column. */
static int cmd_recs_column(const struct table *t, const struct cmd_args *args,
    const char *key, enum col_role role, char **cause)
{
	const char *name = cmd_arg(args, key, NULL);

	if (name != NULL)
		return cmd_need_column(t, name, cause) < 0 ? -2 :
		    table_find_column(t, name);
	return t->roles[role];
}

static int cmd_recs_id_columns(const struct table *t,
    const struct cmd_args *args, struct interactions_opts *o, char **cause)
{
	static const char *const what[] = { "user", "item" };
	enum col_role roles[] = { ROLE_USER, ROLE_ITEM };
	int *cols[] = { &o->user_col, &o->item_col };

	for (int i = 0; i < 2; i++) {
		*cols[i] = cmd_recs_column(t, args, what[i], roles[i], cause);
		if (*cols[i] == -2)
			return -1;
		if (*cols[i] < 0) {
			*cause = xasprintf("dataset '%s' has no %s column: give "
			    "%s=COLUMN", t->name, what[i], what[i]);
			return -1;
		}
	}
	return 0;
}

/* The event-type column must hold text; the time column must order. */
static int cmd_recs_event_time(const struct table *t,
    const struct cmd_args *args, struct interactions_opts *o, char **cause)
{
	const struct column *c;

	if ((o->event_col = cmd_recs_column(t, args, "event", ROLE_EVENT,
	    cause)) == -2 ||
	    (o->time_col = cmd_recs_column(t, args, "time", ROLE_TIME,
	    cause)) == -2)
		return -1;
	if (o->event_col >= 0 && !col_type_string(t->cols[o->event_col].type)) {
		c = &t->cols[o->event_col];
		*cause = xasprintf("event=%s: '%s' is %s, not text", c->name,
		    c->name, col_type_name(c->type));
		return -1;
	}
	if (o->time_col < 0)
		return 0;
	c = &t->cols[o->time_col];
	if (c->type == COL_DATE || c->type == COL_DATETIME || c->type == COL_INT)
		return 0;
	if (cmd_arg(args, "time", NULL) == NULL) {
		o->time_col = -1;	/* an inferred role that cannot order */
		return 0;
	}
	*cause = xasprintf("time=%s: '%s' is %s, not a date, datetime or int",
	    c->name, c->name, col_type_name(c->type));
	return -1;
}

static int cmd_recs_options(const struct table *t,
    const struct cmd_args *args, struct cmd_recs_weights *w,
    struct interactions_opts *o, char **cause)
{
	const char *weights = cmd_arg(args, "weights", NULL),
	    *repeats = cmd_arg(args, "repeats", "max");

	if (cmd_recs_id_columns(t, args, o, cause) != 0 ||
	    cmd_recs_event_time(t, args, o, cause) != 0)
		return -1;
	if (weights != NULL && o->event_col < 0) {
		*cause = xasprintf("weights= needs an event-type column in '%s': "
		    "give event=COLUMN", t->name);
		return -1;
	}
	if (weights != NULL && cmd_recs_weights(weights, w, cause) != 0)
		return -1;
	o->event_names = weights ? (const char *const *)w->names :
	    cmd_recs_default_names;
	o->event_weights = weights ? w->weights : cmd_recs_default_weights;
	o->n_events = weights ? w->n : 4;
	if (strcmp(repeats, "max") == 0 || strcmp(repeats, "sum") == 0) {
		o->repeat = *repeats == 'm' ? INTERACTIONS_MAX : INTERACTIONS_SUM;
		return 0;
	}
	*cause = xasprintf("repeats=%s: give max or sum", repeats);
	return -1;
}

/* key=X, a finite number above lo (or at least lo when closed), else
 * *out unchanged. */
static int cmd_recs_number(const struct cmd_args *args, const char *key,
    double lo, int closed, double *out, char **cause)
{
	const char *v = cmd_arg(args, key, NULL);
	char *end;
	double x;

	if (v == NULL)
		return 0;
	x = strtod(v, &end);
	if (*v != '\0' && *end == '\0' && isfinite(x) &&
	    (x > lo || (closed && x == lo))) {
		*out = x;
		return 0;
	}
	*cause = xasprintf(closed ? "%s=%s: give a number of %g or more" :
	    "%s=%s: give a number above %g", key, v, lo);
	return -1;
}

/* base=: the hybrid's collaborative method. */
static int cmd_recs_base(const struct cmd_args *args,
    struct recommend_spec *spec, char **cause)
{
	const char *base = cmd_arg(args, "base", NULL);
	int m;

	if (base == NULL)
		return 0;
	m = recommend_method_find(base);
	if (m == RECOMMEND_ITEMCF || m == RECOMMEND_EASE || m == RECOMMEND_ALS) {
		spec->base = (enum recommend_method)m;
		return 0;
	}
	*cause = xasprintf("base=%s: give itemcf, ease or als", base);
	return -1;
}

/* EASE's budget: CROSSMKT_MAX_MB when set (read as a load reads it), else
 * the engine's default. */
static int cmd_recs_budget(struct recommend_spec *spec, char **cause)
{
	const char *env = getenv("CROSSMKT_MAX_MB");

	if (env == NULL || csvload_parse_mb(env, &spec->max_mb))
		return 0;
	*cause = xasprintf("CROSSMKT_MAX_MB=%s in the environment: give the memory ceiling "
	    "in MB, a whole number from 1, or unset it", env);
	return -1;
}

/* The numeric arguments of each method. */
static int cmd_recs_params(const struct cmd_args *args,
    struct recommend_spec *spec, char **cause)
{
	long seed = (long)spec->seed;

	if (cmd_recs_count(args, "neighbours", spec->neighbours,
	    &spec->neighbours, cause) != 0 ||
	    cmd_recs_number(args, "shrink", 0, 1, &spec->shrink, cause) != 0 ||
	    cmd_recs_number(args, "lambda", 0, 0, &spec->lambda, cause) != 0 ||
	    cmd_recs_count(args, "factors", spec->factors, &spec->factors,
	    cause) != 0 ||
	    cmd_recs_number(args, "reg", 0, 1, &spec->reg, cause) != 0 ||
	    cmd_recs_number(args, "alpha", 0, 1, &spec->alpha, cause) != 0 ||
	    cmd_recs_count(args, "iterations", spec->iterations,
	    &spec->iterations, cause) != 0 ||
	    cmd_recs_number(args, "weight", 0, 1, &spec->cf_weight,
	    cause) != 0 ||
	    cmd_arg_count(args, "seed", &seed, cause) != 0)
		return -1;
	spec->seed = (unsigned long)seed;
	if (spec->cf_weight <= 1)
		return 0;
	*cause = xasprintf("weight=%s: give a number from 0 to 1",
	    cmd_arg(args, "weight", ""));
	return -1;
}

static int cmd_recs_method(const struct cmd_args *args,
    struct recommend_spec *spec, char **cause)
{
	const char *method = cmd_arg(args, "method", "itemcf");
	int m = recommend_method_find(method);

	if (m < 0) {
		*cause = xasprintf("method=%s: give popular, itemcf, content, "
		    "hybrid, ease or als", method);
		return -1;
	}
	spec->method = (enum recommend_method)m;
	if (cmd_recs_budget(spec, cause) != 0 || cmd_recs_base(args, spec, cause) != 0)
		return -1;
	return cmd_recs_params(args, spec, cause);
}

/* Content needs words: titles or tags from items=. */
static int cmd_recs_texts(struct cmd_recs *r, char **cause)
{
	struct recommend_spec *spec = &r->spec;

	spec->titles = r->x->titles;
	spec->tags = r->x->tags;
	spec->kinds = r->x->kinds;
	if (spec->method != RECOMMEND_CONTENT && spec->method != RECOMMEND_HYBRID)
		return 0;
	if (spec->titles != NULL || spec->tags != NULL)
		return 0;
	*cause = xasprintf("method=%s needs items=DATASET with a title or tags "
	    "column", recommend_method_name(spec->method));
	return -1;
}

int cmd_recs_open(struct cmd_ctx *ctx, const struct cmd_args *args,
    struct cmd_recs *r, char **cause)
{
	struct table *t = workspace_need(&ctx->ws, args->pos[0], cause);
	const char *items = cmd_arg(args, "items", NULL);
	struct cmd_recs_weights w = { NULL, NULL, 0 };
	struct interactions_opts o = { 0 };
	int rc = -1;

	memset(r, 0, sizeof *r);
	recommend_spec_init(&r->spec);
	r->spec.cancel = o.cancel = ctx->cancel;
	if (t == NULL)
		return -1;
	if (items != NULL && (o.items = workspace_need(&ctx->ws, items,
	    cause)) == NULL)
		return -1;
	if (cmd_recs_method(args, &r->spec, cause) == 0 &&
	    cmd_recs_options(t, args, &w, &o, cause) == 0 &&
	    interactions_build(t, &o, &r->x, cause) == 0)
		rc = cmd_recs_texts(r, cause);
	cmd_recs_weights_free(&w);
	if (rc != 0)
		cmd_recs_close(r);
	return rc;
}

void cmd_recs_close(struct cmd_recs *r)
{
	interactions_free(r->x);
	r->x = NULL;
}

int cmd_recs_count(const struct cmd_args *args, const char *key, long def,
    uint32_t *out, char **cause)
{
	const char *v = cmd_arg(args, key, NULL);
	char *end;
	long n;

	if (v == NULL) {
		*out = (uint32_t)def;
		return 0;
	}
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || n < 1 || n > 100000) {
		*cause = xasprintf("%s=%s: give a whole number from 1 to 100000",
		    key, v);
		return -1;
	}
	*out = (uint32_t)n;
	return 0;
}

/* Reasons as text: an item's title (else its id), or a tag or word. */
static cJSON *cmd_recs_because(const struct cmd_recs *r,
    const struct recommend_model *model, const struct recommend_hit *h)
{
	cJSON *list = cJSON_CreateArray();
	const char *s;

	for (unsigned b = 0; b < h->nbecause; b++) {
		if (h->because[b].type == RECOMMEND_REASON_ITEM)
			s = interactions_item_label(r->x, h->because[b].id);
		else
			s = recommend_feature_name(model, h->because[b].id);
		cJSON_AddItemToArray(list, cJSON_CreateString(s));
	}
	return list;
}

int cmd_recs_tune(struct cmd_recs *r, const struct recommend_input *in,
    const uint8_t *keep, double frac, unsigned long seed, uint32_t k,
    cJSON **tuned, char **cause)
{
	struct recommend_tuning t;

	if (recommend_tune(in, keep, frac, seed, k, &r->spec, &t, cause) != 0)
		return -1;
	*tuned = cJSON_CreateObject();
	for (unsigned p = 0; p < t.nparams; p++)
		cJSON_AddNumberToObject(*tuned, recommend_param_name(t.params[p]),
		    recommend_param_get(&r->spec, t.params[p]));
	cJSON_AddNumberToObject(*tuned, "validation_ndcg", t.ndcg);
	cJSON_AddNumberToObject(*tuned, "validation_users", t.users);
	cJSON_AddNumberToObject(*tuned, "models", t.tried);
	return 0;
}

void cmd_recs_modelled(cJSON *o, const struct cmd_recs *r, uint32_t modelled)
{
	char *why;

	if (modelled >= r->x->nitems)
		return;
	cJSON_AddNumberToObject(o, "modelled_items", modelled);
	why = xasprintf("EASE holds %u x %u weights within %lu MB "
	    "(CROSSMKT_MAX_MB): only the %u most popular of %u items are "
	    "modelled", modelled, modelled, r->spec.max_mb, modelled,
	    r->x->nitems);
	cJSON_AddStringToObject(o, "note", why);
	free(why);
}

cJSON *cmd_recs_hits(const struct cmd_recs *r,
    const struct recommend_model *model, const struct recommend_hit *hits,
    uint32_t n)
{
	const struct interactions *x = r->x;
	cJSON *list = cJSON_CreateArray(), *o;

	for (uint32_t i = 0; i < n; i++) {
		uint32_t j = hits[i].item;

		o = cJSON_CreateObject();
		cJSON_AddItemToObject(o, "item", report_cell(x->item_src[j],
		    x->item_row[j]));
		if (x->titles != NULL && x->titles[j] != NULL)
			cJSON_AddStringToObject(o, "title", x->titles[j]);
		else
			cJSON_AddNullToObject(o, "title");
		cJSON_AddNumberToObject(o, "score", hits[i].score);
		cJSON_AddItemToObject(o, "because", cmd_recs_because(r, model,
		    &hits[i]));
		cJSON_AddItemToArray(list, o);
	}
	return list;
}
