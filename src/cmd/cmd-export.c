/* export DATASET PATH [columns=C,C] [where=EXPR] [format=csv|json]
 * [min_group=N] */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomicio.h"
#include "command.h"
#include "csvwrite.h"
#include "expr.h"
#include "privacy.h"
#include "xmalloc.h"

static const char *const cmd_export_keys[] = { "columns", "where", "format", "min_group", NULL };

/* Refuses to write over a file that a loaded dataset came from. */
static int cmd_export_check_target(const struct workspace *ws, const char *path, char **cause)
{
	struct stat target, source;

	if (stat(path, &target) != 0)
		return 0;
	for (size_t i = 0; i < ws->n_tables; i++) {
		const struct table *t = ws->tables[i];

		if (t->path && stat(t->path, &source) == 0 && source.st_dev == target.st_dev &&
		    source.st_ino == target.st_ino) {
			*cause = xasprintf("%s is the file dataset '%s' was loaded from; export to another path",
			    path, t->name);
			return -1;
		}
	}
	return 0;
}

/* columns=, or every column. */
static int cmd_export_columns(const struct table *t, const char *value, int **cols, size_t *n,
    char **cause)
{
	if (value != NULL)
		return cmd_need_columns(t, "columns", value, cols, n, cause);
	*n = t->n_cols;
	*cols = xmalloc((*n ? *n : 1) * sizeof **cols);
	for (size_t i = 0; i < *n; i++)
		(*cols)[i] = (int)i;
	return 0;
}

/* Withholds the rows of groups smaller than min_group= (default
 * PRIVACY_MIN_GROUP) when the dataset has a group-count column; -1 when
 * it has none. */
static long cmd_export_withhold(const struct table *t, long min_group, uint8_t **keep)
{
	bool counted = false;

	for (size_t i = 0; i < t->n_cols; i++)
		counted |= privacy_is_group_count(&t->cols[i]);
	if (!counted)
		return -1;
	if (*keep == NULL) {
		*keep = xmalloc(t->n_rows ? t->n_rows : 1);
		memset(*keep, 1, t->n_rows);
	}
	return (long)privacy_withhold_small(t, min_group, *keep);
}

/* keep[] from where=, or NULL for every row. */
static int cmd_export_where(const struct table *t, const char *where, uint8_t **keep, char **cause)
{
	struct expr *e;
	size_t kept;
	int rc;

	*keep = NULL;
	if (where == NULL)
		return 0;
	if ((e = expr_compile(where, t, cause)) == NULL)
		return -1;
	*keep = xmalloc(t->n_rows ? t->n_rows : 1);
	rc = expr_eval_filter(e, t, *keep, &kept, cause);
	expr_free(e);
	return rc;
}

static int cmd_export_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	struct table *t = workspace_need(&ctx->ws, args->pos[0], cause);
	const char *path = args->pos[1], *format = cmd_arg(args, "format", "csv");
	struct atomicio_file af;
	uint8_t *keep = NULL;
	int *cols = NULL, rc = -1;
	size_t n_cols, rows;
	long min_group = PRIVACY_MIN_GROUP, withheld;
	bool json;

	if (t == NULL)
		return -1;
	if (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0) {
		*cause = xasprintf("format=%s: give csv or json", format);
		return CMD_USAGE;
	}
	json = strcmp(format, "json") == 0;
	if (cmd_arg_count(args, "min_group", &min_group, cause) != 0)
		return CMD_USAGE;
	if (cmd_export_check_target(&ctx->ws, path, cause) != 0 ||
	    cmd_export_columns(t, cmd_arg(args, "columns", NULL), &cols, &n_cols, cause) != 0 ||
	    cmd_export_where(t, cmd_arg(args, "where", NULL), &keep, cause) != 0)
		goto done;
	withheld = cmd_export_withhold(t, min_group, &keep);
	if (atomicio_open(&af, path, 0666, cause) != 0)
		goto done;
	rows = json ? csvwrite_json(af.f, t, cols, n_cols, keep) : csvwrite_table(af.f, t, cols, n_cols, keep);
	if (atomicio_commit(&af, cause) != 0)
		goto done;
	*result = cJSON_CreateObject();
	cJSON_AddStringToObject(*result, "dataset", t->name);
	cJSON_AddStringToObject(*result, "path", path);
	cJSON_AddStringToObject(*result, "format", format);
	cJSON_AddNumberToObject(*result, "rows", (double)rows);
	cJSON_AddNumberToObject(*result, "columns", (double)n_cols);
	if (withheld >= 0) {
		cJSON_AddNumberToObject(*result, "min_group", (double)min_group);
		cJSON_AddNumberToObject(*result, "withheld", (double)withheld);
	}
	rc = 0;
done:
	free(cols);
	free(keep);
	return rc;
}

static size_t cmd_export_paths(const struct cmd_args *args, struct cmd_path out[CMD_MAX_PATHS])
{
	out[0] = (struct cmd_path){ args->pos[1], PATHPOLICY_WRITE };
	return 1;
}

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "DATASET PATH [columns=C,C] [where=EXPR] [format=csv|json] [min_group=N]",
	.help = "write a dataset (or some of its rows and columns) to a file, atomically",
	.min_pos = 2, .max_pos = 2,
	.keys = cmd_export_keys,
	.exec = cmd_export_exec,
	.flags = CMD_WRITES,
	.paths = cmd_export_paths,
};
