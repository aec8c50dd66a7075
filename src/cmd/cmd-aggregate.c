/* aggregate DATASET [by=COL[,COL]...] [every=day|week|month] [time=COL]
 * [tz=UTC|+HH:MM] VALUE=FUNC(COL)... as=NAME */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "command.h"
#include "datetime.h"
#include "report.h"
#include "xmalloc.h"

static const char *const cmd_aggregate_reserved[] = { "by", "every", "time", "tz", "as", NULL };

static bool cmd_aggregate_is_reserved(const char *key)
{
	for (size_t i = 0; cmd_aggregate_reserved[i] != NULL; i++) {
		if (strcmp(cmd_aggregate_reserved[i], key) == 0)
			return true;
	}
	return false;
}

/* Parses FUNC(COL) or count(); backticks around COL are dropped. */
static int cmd_aggregate_spec(const struct table *t, const char *key, const char *value,
    struct agg_spec *spec, char **cause)
{
	const char *open = strchr(value, '('), *close = strrchr(value, ')');
	char *fname, *col;
	int f;

	if (open == NULL || close == NULL || close < open || close[1] != '\0') {
		*cause = xasprintf("%s=%s: write VALUE=FUNC(COLUMN), e.g. revenue=sum(amount)", key, value);
		return -1;
	}
	fname = xstrndup(value, (size_t)(open - value));
	f = aggregate_func_parse(fname);
	free(fname);
	if (f < 0) {
		*cause = xasprintf("%s=%s: unknown function (count, sum, mean, sd, min, max, distinct, "
		    "median, first, last)", key, value);
		return -1;
	}
	open++;
	if (*open == '`' && close > open + 1 && close[-1] == '`') {
		open++;
		close--;
	}
	col = xstrndup(open, (size_t)(close - open));
	spec->name = key;
	spec->func = f;
	spec->col = *col == '\0' ? -1 : cmd_need_column(t, col, cause);
	free(col);
	if (spec->col == -1 && open != close)
		return -1;
	return aggregate_check(t, spec, cause);
}

static int cmd_aggregate_every(const char *s, enum agg_every *every, char **cause)
{
	if (s == NULL)
		*every = AGG_EVERY_NONE;
	else if (strcmp(s, "day") == 0)
		*every = AGG_EVERY_DAY;
	else if (strcmp(s, "week") == 0)
		*every = AGG_EVERY_WEEK;
	else if (strcmp(s, "month") == 0)
		*every = AGG_EVERY_MONTH;
	else {
		*cause = xasprintf("every=%s: give day, week or month", s);
		return -1;
	}
	return 0;
}

/* tz=UTC, tz=+08:00 or tz=local (each value's own offset). */
static int cmd_aggregate_tz(const char *s, int16_t *tz, char **cause)
{
	*tz = TZ_NONE;
	if (s == NULL || strcmp(s, "local") == 0)
		return 0;
	if (strcmp(s, "UTC") == 0) {
		*tz = 0;
		return 0;
	}
	if (datetime_parse_offset(s, strlen(s), tz))
		return 0;
	*cause = xasprintf("tz=%s: give UTC, local or a fixed offset such as +08:00", s);
	return -1;
}

/* Resolves every= / time= / tz= into the request. */
static int cmd_aggregate_time(const struct table *t, const struct cmd_args *args,
    struct agg_request *req, char **cause)
{
	const char *time = cmd_arg(args, "time", NULL);

	if (cmd_aggregate_every(cmd_arg(args, "every", NULL), &req->every, cause) != 0 ||
	    cmd_aggregate_tz(cmd_arg(args, "tz", NULL), &req->tz, cause) != 0)
		return -1;
	if (req->every == AGG_EVERY_NONE)
		return 0;
	if (time == NULL && t->roles[ROLE_TIME] < 0) {
		*cause = xasprintf("every= needs a time column: give time=COLUMN");
		return -1;
	}
	req->time_col = time ? cmd_need_column(t, time, cause) : t->roles[ROLE_TIME];
	if (req->time_col < 0)
		return -1;
	if (t->cols[req->time_col].type != COL_DATE && t->cols[req->time_col].type != COL_DATETIME) {
		*cause = xasprintf("time=%s: '%s' is %s, not a date or datetime",
		    t->cols[req->time_col].name, t->cols[req->time_col].name,
		    col_type_name(t->cols[req->time_col].type));
		return -1;
	}
	return 0;
}

static int cmd_aggregate_specs(const struct table *t, const struct cmd_args *args,
    struct agg_spec **specs, size_t *n, char **cause)
{
	*specs = xcalloc(args->n_kv ? args->n_kv : 1, sizeof **specs);
	*n = 0;
	for (size_t i = 0; i < args->n_kv; i++) {
		if (cmd_aggregate_is_reserved(args->keys[i]))
			continue;
		if (cmd_aggregate_spec(t, args->keys[i], args->vals[i], &(*specs)[*n], cause) != 0)
			return -1;
		(*n)++;
	}
	return 0;
}

static int cmd_aggregate_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	struct table *t = workspace_need(&ctx->ws, args->pos[0], cause), *out;
	const char *as = cmd_arg(args, "as", NULL);
	struct agg_request req = { 0 };
	struct agg_spec *specs = NULL;
	struct agg_stats stats;
	int *by = NULL, rc = -1;

	if (t == NULL)
		return -1;
	if (as == NULL) {
		*cause = xstrdup("name the result with as=NAME");
		return CMD_USAGE;
	}
	if (cmd_need_columns(t, "by", cmd_arg(args, "by", NULL), &by, &req.n_by, cause) != 0 ||
	    cmd_aggregate_time(t, args, &req, cause) != 0 ||
	    cmd_aggregate_specs(t, args, &specs, &req.n_specs, cause) != 0)
		goto done;
	if (req.n_by == 0 && req.every == AGG_EVERY_NONE && req.n_specs == 0) {
		*cause = xstrdup("give by=COLUMN, every=day|week|month, or VALUE=FUNC(COLUMN)");
		rc = CMD_USAGE;
		goto done;
	}
	req.by = by;
	req.specs = specs;
	if (aggregate_run(t, &req, as, &out, &stats, cause) != 0)
		goto done;
	*result = report_table_summary(out);
	cJSON_AddNumberToObject(*result, "groups", (double)stats.groups);
	cJSON_AddNumberToObject(*result, "filled", (double)stats.filled);
	cJSON_AddNumberToObject(*result, "skipped", (double)stats.skipped);
	workspace_put(&ctx->ws, out);
	rc = 0;
done:
	free(by);
	free(specs);
	return rc;
}

const struct cmd_entry cmd_aggregate_entry = {
	.name = "aggregate",
	.usage = "DATASET [by=COL[,COL]...] [every=day|week|month] [time=COL] [tz=local|UTC|+HH:MM] "
	    "VALUE=FUNC(COL)... as=NAME",
	.help = "group rows and summarise them (count sum mean sd min max distinct median first last); "
	    "every= makes a gap-free calendar series",
	.min_pos = 1, .max_pos = 1,
	.keys = NULL,
	.exec = cmd_aggregate_exec,
	.flags = CMD_CHANGES_DATA | CMD_SHOWS_DATASET,
};
