/* load NAME PATH [delim=C] [threads=N] [max_mb=N] [ROLE=COLUMN...], or
 * load NAME pg=CONNINFO query=SQL [ROLE=COLUMN...] */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "csvload.h"
#include "pgsource.h"
#include "report.h"
#include "xmalloc.h"

static const char *const cmd_load_keys[] = {
	"delim", "threads", "id", "user", "item", "time", "amount", "arm", "event",
	"campaign", "lat", "lon", "max_mb", "pg", "query", NULL
};

/* delim= takes one character or the word "tab". */
static int cmd_load_delim(const char *s, char *delim, char **cause)
{
	if (s == NULL) {
		*delim = 0;
		return 0;
	}
	if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0) {
		*delim = '\t';
		return 0;
	}
	if (strlen(s) != 1 || s[0] == '"' || s[0] == '\n' || s[0] == '\r') {
		*cause = xasprintf("delim=%s: give one character, such as delim=';' or delim=tab", s);
		return -1;
	}
	*delim = s[0];
	return 0;
}

/* max_mb= is the memory ceiling of the load, a whole number of MB. */
static int cmd_load_max_mb(const char *s, unsigned long *mb, char **cause)
{
	if (s == NULL || csvload_parse_mb(s, mb))
		return 0;
	*cause = xasprintf("max_mb=%s: give the memory ceiling in MB, a whole number from 1", s);
	return -1;
}

/* Applies ROLE=COLUMN arguments; they override inferred roles. */
static int cmd_load_roles(struct table *t, const struct cmd_args *args, char **cause)
{
	for (size_t i = 0; i < args->n_kv; i++) {
		int role = col_role_parse(args->keys[i]), col;

		if (role < 0)
			continue;
		col = table_find_column(t, args->vals[i]);
		if (col < 0) {
			*cause = xasprintf("%s=%s: %s has no column '%s'", args->keys[i],
			    args->vals[i], t->path, args->vals[i]);
			return -1;
		}
		t->roles[role] = col;
	}
	table_infer_roles(t);
	return 0;
}

/* The table from the file, or from the query with pg=: 0, or the
 * command's error code with *cause. */
static int cmd_load_source(struct cmd_ctx *ctx, const struct cmd_args *args,
    const struct csvload_opts *opts, struct table **t, char **cause)
{
	const char *pg = cmd_arg(args, "pg", NULL), *query = cmd_arg(args, "query", NULL);
	struct pgsource_opts popts = { .readonly = ctx->readonly, .cancel = ctx->cancel };

	if (pg == NULL && query == NULL && args->n_pos == 2)
		return csvload_file(args->pos[1], args->pos[0], opts, t, cause) ? CMD_FILE_ERROR : 0;
	if (pg == NULL || query == NULL || args->n_pos != 1) {
		*cause = xasprintf("give a file (load NAME PATH) or a query (load NAME pg=CONNINFO "
		    "query=SQL), not both");
		return CMD_USAGE;
	}
	return pgsource_load(pg, query, args->pos[0], &popts, opts, t, cause);
}

static int cmd_load_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	struct csvload_opts opts = { 0 };
	const char *threads = cmd_arg(args, "threads", NULL);
	struct table *t;
	int rc;

	if (cmd_load_delim(cmd_arg(args, "delim", NULL), &opts.delim, cause) != 0)
		return CMD_USAGE;
	if (threads != NULL) {
		char *end;
		long n = strtol(threads, &end, 10);

		if (*end != '\0' || n < 1 || n > 64) {
			*cause = xasprintf("threads=%s: give a whole number from 1 to 64", threads);
			return CMD_USAGE;
		}
		opts.threads = (int)n;
	}
	if (cmd_load_max_mb(cmd_arg(args, "max_mb", NULL), &opts.max_mb, cause) != 0)
		return CMD_USAGE;
	opts.progress = ctx->progress;
	opts.progress_arg = ctx->progress_arg;
	opts.cancel = ctx->cancel;
	if ((rc = cmd_load_source(ctx, args, &opts, &t, cause)) != 0)
		return rc;
	if (cmd_load_roles(t, args, cause) != 0) {
		table_free(t);
		return CMD_USAGE;
	}
	*result = report_table_summary(t);
	workspace_put(&ctx->ws, t);
	return 0;
}

static size_t cmd_load_paths(const struct cmd_args *args, struct cmd_path out[CMD_MAX_PATHS])
{
	out[0] = (struct cmd_path){ args->pos[1], PATHPOLICY_READ };
	return 1;
}

const struct cmd_entry cmd_load_entry = {
	.name = "load",
	.usage = "NAME PATH [delim=C] [threads=N] [max_mb=N] [ROLE=COLUMN...] | "
	    "NAME pg=CONNINFO query=SQL [ROLE=COLUMN...]",
	.help = "load a CSV file, or the rows of a PostgreSQL query, as the dataset NAME (roles: "
	    "id user item time amount arm event campaign lat lon)",
	.min_pos = 1, .max_pos = 2,
	.keys = cmd_load_keys,
	.exec = cmd_load_exec,
	.flags = CMD_SHOWS_DATASET,
	.paths = cmd_load_paths,
};
