/* campaign NAME dataset=EVENTS|aggregates=DATASET [arm=COL] [control=VALUE]
 * [metric=KIND] [...]: defines a campaign (checked against its data at
 * once); campaign list, show NAME and drop NAME manage the definitions, and
 * save NAME / open NAME keep them in the team's shared directory. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "command.h"
#include "datetime.h"
#include "pgsource.h"
#include "sharedfile.h"
#include "xmalloc.h"

static const char *const cmd_campaign_keys[] = { "dataset", "aggregates", "arm", "control",
	"metric", "target", "alloc", "alpha", "start", "end", "window", "covariate", "pre",
	"margin", "users", "nstar", "base", "cap", "adjust", "pg", "table", "query", "user", "time",
	"event", "amount", "campaign", "tz", NULL };

/* Names that are subcommands, not campaigns. */
static const char *const cmd_campaign_verbs[] = { "list", "show", "drop", "save", "open",
	NULL };

static int cmd_campaign_number(const char *key, const char *s, double lo, double hi,
    double *out, char **cause)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno == ERANGE || !(*out > lo && *out < hi)) {
		*cause = isinf(lo) ? xasprintf("%s=%s: not a number", key, s) :
		    isinf(hi) ? xasprintf("%s=%s: give a number above %g", key, s, lo) :
		    xasprintf("%s=%s: give a number between %g and %g", key, s, lo, hi);
		return -1;
	}
	return 0;
}

/* cap=99% (a percentile of all units) or cap=500 (metric units). */
static int cmd_campaign_cap(struct campaign *c, const char *s, char **cause)
{
	size_t len = strlen(s);
	char *num;
	int rc;

	c->cap_pct = len > 0 && s[len - 1] == '%';
	num = xstrndup(s, c->cap_pct ? len - 1 : len);
	rc = cmd_campaign_number("cap", num, 0, c->cap_pct ? 100 : INFINITY, &c->cap, cause);
	free(num);
	if (rc != 0) {
		free(*cause);
		*cause = xasprintf("cap=%s: give a percentile above 0 and below 100 such as cap=99%%, "
		    "or a value above 0 in the metric's units", s);
		return -1;
	}
	c->has_cap = true;
	return 0;
}

static int cmd_campaign_alloc(struct campaign *c, const char *s, char **cause)
{
	char **items;
	size_t n;

	if (cmd_split_list("alloc", s, &items, &n, cause) != 0)
		return -1;
	c->alloc = xcalloc(n, sizeof *c->alloc);
	c->n_alloc = n;
	for (size_t i = 0; i < n; i++) {
		if (cmd_campaign_number("alloc", items[i], 0, INFINITY, &c->alloc[i], cause) != 0) {
			free(*cause);
			*cause = xasprintf("alloc=%s: give shares above 0 such as 50,50", s);
			cmd_list_free(items, n);
			return -1;
		}
	}
	cmd_list_free(items, n);
	return 0;
}

static char *cmd_campaign_dup(const struct cmd_args *args, const char *key)
{
	const char *v = cmd_arg(args, key, NULL);

	return v ? xstrdup(v) : NULL;
}

/* The numeric and time arguments. */
static int cmd_campaign_options(struct campaign *c, const struct cmd_args *args, char **cause)
{
	const char *v;

	if ((v = cmd_arg(args, "metric", NULL)) != NULL && campaign_parse_metric(c, v, cause) != 0)
		return -1;
	if ((v = cmd_arg(args, "alpha", NULL)) != NULL &&
	    cmd_campaign_number("alpha", v, 0, 0.5, &c->alpha, cause) != 0)
		return -1;
	if ((v = cmd_arg(args, "nstar", NULL)) != NULL &&
	    cmd_campaign_number("nstar", v, 0, INFINITY, &c->nstar, cause) != 0)
		return -1;
	if ((v = cmd_arg(args, "margin", NULL)) != NULL) {
		if (cmd_campaign_number("margin", v, -INFINITY, INFINITY, &c->margin, cause) != 0 ||
		    c->margin < 0) {
			if (c->margin < 0)
				*cause = xasprintf("margin=%s: give a margin of 0 or more, in the "
				    "metric's units (0.01 is one point of conversion)", v);
			return -1;
		}
		c->has_margin = true;
	}
	if ((v = cmd_arg(args, "alloc", NULL)) != NULL && cmd_campaign_alloc(c, v, cause) != 0)
		return -1;
	if ((v = cmd_arg(args, "cap", NULL)) != NULL && cmd_campaign_cap(c, v, cause) != 0)
		return -1;
	if ((v = cmd_arg(args, "adjust", NULL)) != NULL) {
		if (strcmp(v, "holm") != 0 && strcmp(v, "bh") != 0) {
			*cause = xasprintf("adjust=%s: give holm or bh", v);
			return -1;
		}
		c->adjust_bh = strcmp(v, "bh") == 0;
	}
	if ((v = cmd_arg(args, "window", NULL)) != NULL) {
		if (campaign_parse_duration("window", v, &c->window, cause) != 0)
			return -1;
		c->window_given = true;
	}
	if ((v = cmd_arg(args, "pre", NULL)) != NULL &&
	    campaign_parse_duration("pre", v, &c->pre, cause) != 0)
		return -1;
	if ((v = cmd_arg(args, "start", NULL)) != NULL &&
	    campaign_parse_bound("start", v, &c->start, cause) != 0)
		return -1;
	if ((v = cmd_arg(args, "end", NULL)) != NULL &&
	    campaign_parse_bound("end", v, &c->end, cause) != 0)
		return -1;
	return 0;
}

/* pg=CONNINFO table=|query= [ROLE=COLUMN...] [tz=+HH:MM]: the data in
 * PostgreSQL. */
static int cmd_campaign_pg(struct campaign *c, const struct cmd_args *args, bool readonly,
    char **cause)
{
	static const enum col_role roles[] = { ROLE_USER, ROLE_TIME, ROLE_EVENT, ROLE_AMOUNT,
		ROLE_CAMPAIGN };
	const char *tz = cmd_arg(args, "tz", NULL);
	int16_t minutes = 0;

	c->pg = cmd_campaign_dup(args, "pg");
	c->pg_table = cmd_campaign_dup(args, "table");
	c->pg_query = cmd_campaign_dup(args, "query");
	c->pg_readonly = readonly;
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
		c->roles[roles[i]] = cmd_campaign_dup(args, col_role_name(roles[i]));
	if (c->pg == NULL) {
		if (c->pg_table || c->pg_query || tz || c->roles[ROLE_USER] || c->roles[ROLE_TIME] ||
		    c->roles[ROLE_EVENT] || c->roles[ROLE_AMOUNT] || c->roles[ROLE_CAMPAIGN]) {
			*cause = xstrdup("table=, query=, tz= and user=, time=, event=, amount=, "
			    "campaign= go with pg=CONNINFO");
			return CMD_USAGE;
		}
		return 0;
	}
	if (c->dataset || c->aggregates || (c->pg_table == NULL) == (c->pg_query == NULL)) {
		*cause = xstrdup("with pg= give the data with table=TABLE or query=SQL (one of "
		    "them), not dataset= or aggregates=");
		return CMD_USAGE;
	}
	if (tz != NULL && !datetime_parse_offset(tz, strlen(tz), &minutes)) {
		*cause = xasprintf("tz=%s: give the local days' offset from UTC, such as tz=+08:00", tz);
		return CMD_USAGE;
	}
	c->tz_minutes = minutes;
	return pgsource_check_conninfo(c->pg, cause) == 0 ? 0 : CMD_USAGE;
}

static int cmd_campaign_parse(const struct cmd_args *args, bool readonly,
    struct campaign **out, char **cause)
{
	int rc;
	struct campaign *c = campaign_new(args->pos[0], args->line);

	*out = NULL;
	c->dataset = cmd_campaign_dup(args, "dataset");
	c->aggregates = cmd_campaign_dup(args, "aggregates");
	c->arm = cmd_campaign_dup(args, "arm");
	c->control = cmd_campaign_dup(args, "control");
	c->target = cmd_campaign_dup(args, "target");
	c->covariate = cmd_campaign_dup(args, "covariate");
	c->users = cmd_campaign_dup(args, "users");
	if (cmd_arg(args, "base", NULL) != NULL) {
		*cause = xstrdup("base= goes with 'campaign save NAME'");
		campaign_free(c);
		return CMD_USAGE;
	}
	if ((rc = cmd_campaign_pg(c, args, readonly, cause)) != 0) {
		campaign_free(c);
		return rc;
	}
	if (c->pg == NULL && (c->dataset == NULL) == (c->aggregates == NULL)) {
		*cause = xstrdup(c->dataset ? "give dataset= or aggregates=, not both" :
		    "give the data with dataset=EVENTS, aggregates=DATASET or pg=CONNINFO");
		campaign_free(c);
		return CMD_USAGE;
	}
	if (cmd_campaign_options(c, args, cause) != 0) {
		campaign_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

static void cmd_campaign_duration(cJSON *o, const char *key, int64_t ms)
{
	char buf[32];

	if (ms % MS_PER_DAY == 0)
		snprintf(buf, sizeof buf, "%lldd", (long long)(ms / MS_PER_DAY));
	else
		snprintf(buf, sizeof buf, "%lldh", (long long)(ms / 3600000LL));
	cJSON_AddStringToObject(o, key, buf);
}

static void cmd_campaign_bound(cJSON *o, const char *key, const struct campaign_bound *b)
{
	char buf[32];

	if (b->kind == CAMPAIGN_BOUND_NONE)
		return;
	if (b->kind == CAMPAIGN_BOUND_DATE)
		datetime_format_date(b->day, false, buf, sizeof buf);
	else
		datetime_format_datetime(b->ms, 0, buf, sizeof buf);
	cJSON_AddStringToObject(o, key, buf);
}

static void cmd_campaign_str(cJSON *o, const char *key, const char *v)
{
	if (v != NULL)
		cJSON_AddStringToObject(o, key, v);
}

/* The definition as an object, for list, show and the console. */
static cJSON *cmd_campaign_describe(const struct campaign *c)
{
	cJSON *o = cJSON_CreateObject();
	bool raw = c->aggregates == NULL && c->kind != CAMPAIGN_COLUMN;

	cJSON_AddStringToObject(o, "campaign", c->name);
	cJSON_AddStringToObject(o, "source", c->pg ? "pg" : c->aggregates ? "aggregates" :
	    raw ? "events" : "rows");
	cmd_campaign_str(o, "pg", c->pg);
	cmd_campaign_str(o, "table", c->pg_table);
	cmd_campaign_str(o, "query", c->pg_query);
	cmd_campaign_str(o, "dataset", c->dataset);
	cmd_campaign_str(o, "aggregates", c->aggregates);
	cmd_campaign_str(o, "arm", c->arm);
	cJSON_AddStringToObject(o, "control", c->control ? c->control : "control");
	cJSON_AddStringToObject(o, "metric", c->metric);
	if (raw && c->kind != CAMPAIGN_RETENTION)
		cmd_campaign_duration(o, "window", c->window);
	cmd_campaign_str(o, "target", c->target);
	if (c->alloc != NULL)
		cJSON_AddItemToObject(o, "alloc", cJSON_CreateDoubleArray(c->alloc, (int)c->n_alloc));
	cJSON_AddNumberToObject(o, "alpha", c->alpha);
	cJSON_AddNumberToObject(o, "nstar", c->nstar);
	cmd_campaign_bound(o, "start", &c->start);
	cmd_campaign_bound(o, "end", &c->end);
	cmd_campaign_str(o, "covariate", c->covariate);
	if (c->pre)
		cmd_campaign_duration(o, "pre", c->pre);
	if (c->has_margin)
		cJSON_AddNumberToObject(o, "margin", c->margin);
	if (c->adjust_bh)
		cJSON_AddStringToObject(o, "adjust", "bh");
	if (c->has_cap && c->cap_pct)
		cJSON_AddNumberToObject(o, "cap_percentile", c->cap);
	else if (c->has_cap)
		cJSON_AddNumberToObject(o, "cap", c->cap);
	cmd_campaign_str(o, "users", c->users);
	cJSON_AddStringToObject(o, "command", c->command);
	return o;
}

/* What the data hold for a new definition: arms and users. */
static void cmd_campaign_summary(const struct campaign_stats *s, cJSON *o)
{
	cJSON *arms = cJSON_AddArrayToObject(o, "arms");

	for (size_t i = 0; i < s->n_arms; i++) {
		cJSON *a = cJSON_CreateObject();

		cJSON_AddStringToObject(a, "arm", s->arms[i]);
		cJSON_AddNumberToObject(a, "users", s->total[i].n);
		cJSON_AddItemToArray(arms, a);
	}
	cJSON_AddNumberToObject(o, "contaminated", (double)s->contaminated);
}

/* Defines (or redefines) a campaign after checking it against its data. */
static int cmd_campaign_define(struct cmd_ctx *ctx, const struct cmd_args *args,
    cJSON **result, char **cause)
{
	struct campaign_stats s;
	struct campaign *c, *old;
	int rc;

	if ((rc = cmd_campaign_parse(args, ctx->readonly, &c, cause)) != 0)
		return rc;
	/* The warehouse's work waits for test; the definition is checked. */
	if (c->pg != NULL ? campaign_check_pg(c, cause) != 0 :
	    campaign_stats(c, &ctx->ws, NULL, &s, cause) != 0) {
		campaign_free(c);
		return -1;
	}
	/* A redefinition stays based on the shared revision it came from. */
	if ((old = campaigns_get(&ctx->campaigns, c->name)) != NULL)
		c->shared_revision = old->shared_revision;
	*result = cmd_campaign_describe(c);
	if (c->pg == NULL) {
		cmd_campaign_summary(&s, *result);
		campaign_stats_done(&s);
	}
	campaigns_put(&ctx->campaigns, c);
	return 0;
}

/* campaign save NAME [base=REV]: the definition as campaign.NAME in the
 * shared directory, based on the revision it was opened from unless base=
 * says otherwise. */
static int cmd_campaign_save(struct cmd_ctx *ctx, struct campaign *c,
    const struct cmd_args *args, cJSON **result, char **cause)
{
	long base = c->shared_revision, revision;
	char *file;
	struct sharedfile_wait wait = { SHAREDFILE_WAIT_SECONDS, ctx->cancel, ctx->waiting,
		ctx->waiting_arg };
	cJSON *doc;
	int rc;

	if (cmd_arg_count(args, "base", &base, cause) != 0)
		return CMD_USAGE;
	if (cmd_need_shared_dir(ctx, cause) != 0)
		return -1;
	doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "kind", "campaign");
	cJSON_AddStringToObject(doc, "campaign", c->name);
	cJSON_AddStringToObject(doc, "command", c->command);
	file = xasprintf("campaign.%s", c->name);
	rc = sharedfile_save(ctx->shared_dir, file, doc, base, true, &wait, &revision, cause);
	cJSON_Delete(doc);
	if (rc != 0) {
		free(file);
		return -1;
	}
	c->shared_revision = revision;
	*result = cJSON_CreateObject();
	cJSON_AddStringToObject(*result, "campaign", c->name);
	cJSON_AddStringToObject(*result, "dir", ctx->shared_dir);
	cJSON_AddStringToObject(*result, "file", file);
	cJSON_AddNumberToObject(*result, "revision", (double)revision);
	free(file);
	return 0;
}

/* The stored command must define this very campaign and nothing else. */
static int cmd_campaign_stored(const char *name, const char *file, cJSON *data,
    struct cmd_args *args, char **cause)
{
	cJSON *kind = cJSON_GetObjectItem(data, "kind"), *cmd = cJSON_GetObjectItem(data, "command");
	char *why = NULL;

	if (!cJSON_IsString(kind) || strcmp(kind->valuestring, "campaign") != 0 ||
	    !cJSON_IsString(cmd) || cmd_parse(cmd->valuestring, args, &why) != 0) {
		free(why);
		*cause = xasprintf("shared file '%s' holds no campaign definition", file);
		return -1;
	}
	if (strcmp(args->name, "campaign") != 0 || args->n_pos != 1 ||
	    strcmp(args->pos[0], name) != 0) {
		*cause = xasprintf("shared file '%s' holds no definition of campaign '%s'", file,
		    name);
		cmd_args_done(args);
		return -1;
	}
	for (size_t i = 0; i < args->n_kv; i++) {
		bool known = false;

		for (size_t k = 0; cmd_campaign_keys[k] != NULL; k++)
			known = known || strcmp(cmd_campaign_keys[k], args->keys[i]) == 0;
		if (!known) {
			*cause = xasprintf("shared file '%s': unknown argument '%s='", file,
			    args->keys[i]);
			cmd_args_done(args);
			return -1;
		}
	}
	return 0;
}

/* campaign open NAME: defines the campaign saved as campaign.NAME. */
static int cmd_campaign_open(struct cmd_ctx *ctx, const char *name, cJSON **result,
    char **cause)
{
	struct sharedfile_meta meta = { 0, NULL, NULL };
	struct cmd_args args;
	char *file;
	cJSON *data = NULL;
	int rc = -1;

	if (cmd_need_shared_dir(ctx, cause) != 0)
		return -1;
	file = xasprintf("campaign.%s", name);
	if (sharedfile_open(ctx->shared_dir, file, &data, &meta, cause) != 0)
		goto done;
	if (cmd_campaign_stored(name, file, data, &args, cause) != 0)
		goto done;
	rc = cmd_campaign_define(ctx, &args, result, cause);
	cmd_args_done(&args);
	if (rc != 0)
		goto done;
	campaigns_get(&ctx->campaigns, name)->shared_revision = meta.revision;
	cJSON_AddNumberToObject(*result, "revision", (double)meta.revision);
	cJSON_AddStringToObject(*result, "author", meta.author ? meta.author : "");
	cJSON_AddStringToObject(*result, "saved", meta.saved ? meta.saved : "");
done:
	cJSON_Delete(data);
	sharedfile_meta_done(&meta);
	free(file);
	return rc;
}

static int cmd_campaign_verb(struct cmd_ctx *ctx, const struct cmd_args *args,
    cJSON **result, char **cause)
{
	const char *verb = args->pos[0];
	struct campaign *c;
	cJSON *list;

	if (strcmp(verb, "list") == 0) {
		*result = cJSON_CreateObject();
		list = cJSON_AddArrayToObject(*result, "campaigns");
		for (size_t i = 0; i < ctx->campaigns.n; i++)
			cJSON_AddItemToArray(list, cmd_campaign_describe(ctx->campaigns.v[i]));
		return 0;
	}
	if (args->n_pos != 2) {
		*cause = xasprintf("give the campaign: campaign %s NAME", verb);
		return CMD_USAGE;
	}
	if (strcmp(verb, "open") == 0)
		return cmd_campaign_open(ctx, args->pos[1], result, cause);
	if ((c = campaigns_need(&ctx->campaigns, args->pos[1], cause)) == NULL)
		return -1;
	if (strcmp(verb, "save") == 0)
		return cmd_campaign_save(ctx, c, args, result, cause);
	if (strcmp(verb, "show") == 0) {
		*result = cmd_campaign_describe(c);
		return 0;
	}
	campaigns_drop(&ctx->campaigns, args->pos[1]);
	*result = cJSON_CreateObject();
	cJSON_AddStringToObject(*result, "dropped", args->pos[1]);
	return 0;
}

static int cmd_campaign_exec(struct cmd_ctx *ctx, const struct cmd_args *args,
    cJSON **result, char **cause)
{
	for (size_t i = 0; cmd_campaign_verbs[i] != NULL; i++) {
		if (strcmp(args->pos[0], cmd_campaign_verbs[i]) == 0) {
			if ((args->n_kv > 0 && !(i == 3 && args->n_kv == 1 &&
			    cmd_arg(args, "base", NULL) != NULL)) || (i == 0 && args->n_pos > 1)) {
				*cause = xasprintf("'%s' is a subcommand, not a campaign name; usage: "
				    "campaign %s%s", args->pos[0], args->pos[0],
				    i == 0 ? "" : i == 3 ? " NAME [base=REV]" : " NAME");
				return CMD_USAGE;
			}
			return cmd_campaign_verb(ctx, args, result, cause);
		}
	}
	if (args->n_pos > 1) {
		*cause = xasprintf("'%s': give arguments as KEY=VALUE", args->pos[1]);
		return CMD_USAGE;
	}
	return cmd_campaign_define(ctx, args, result, cause);
}

/* campaign save writes to the shared directory; the rest stays in memory. */
static bool cmd_campaign_writes(const struct cmd_args *args)
{
	return args->n_pos > 0 && strcmp(args->pos[0], "save") == 0;
}

/* save writes to the shared directory, open reads from it. */
static size_t cmd_campaign_paths(const struct cmd_args *args, struct cmd_path out[CMD_MAX_PATHS])
{
	if (args->n_pos > 0 && strcmp(args->pos[0], "open") == 0) {
		out[0] = (struct cmd_path){ NULL, PATHPOLICY_READ | CMD_PATH_SHARED };
		return 1;
	}
	if (!cmd_campaign_writes(args))
		return 0;
	out[0] = (struct cmd_path){ NULL, PATHPOLICY_WRITE | CMD_PATH_SHARED };
	return 1;
}

const struct cmd_entry cmd_campaign_entry = {
	.name = "campaign",
	.usage = "NAME dataset=EVENTS [arm=COL] [control=VALUE] "
	    "[metric=conversion|ctr|revenue|retention:N|column:COL] [target=EXPR] "
	    "[alloc=W,W...] [alpha=A] [start=DATE] [end=DATE] [window=14d] "
	    "[covariate=COL|pre=14d] [margin=M] [cap=P%|VALUE] [adjust=holm|bh] [users=DATASET] [nstar=N] | "
	    "NAME aggregates=DATASET [metric=conversion|revenue] [arm=COL] [control=VALUE] "
	    "[alloc=W,W...] [alpha=A] [margin=M] [adjust=holm|bh] [nstar=N] | "
	    "NAME pg=CONNINFO table=TABLE|query=SQL [user=COL] [time=COL] [event=COL] [amount=COL] "
	    "[campaign=COL] [tz=+HH:MM] [arm=COL] [control=VALUE] "
	    "[metric=conversion|ctr|revenue|retention:N|column:COL] [target=EXPR] [start=DATE] "
	    "[end=DATE] [window=14d] [covariate=COL|pre=14d] [alloc=W,W...] [alpha=A] [margin=M] "
	    "[adjust=holm|bh] [nstar=N] | "
	    "list | show NAME | drop NAME | save NAME [base=REV] | open NAME",
	.help = "define an experiment on a dataset (checked at once); list, show, drop, or "
	    "save to and open from the shared directory",
	.min_pos = 1, .max_pos = 2,
	.keys = cmd_campaign_keys,
	.exec = cmd_campaign_exec,
	.flags = CMD_CHANGES_DATA | CMD_SCREEN_THREAD,
	.writes = cmd_campaign_writes,
	.paths = cmd_campaign_paths,
};
