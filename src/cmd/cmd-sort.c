/* sort DATASET by=COL [desc] [as=NAME]: reorders the rows (in place, or
 * into a new dataset with as=). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "report.h"
#include "tableops.h"
#include "xmalloc.h"

static const char *const cmd_sort_keys[] = { "by", "as", NULL };

static int cmd_sort_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	struct table *t = workspace_need(&ctx->ws, args->pos[0], cause), *sorted;
	const char *by = cmd_arg(args, "by", NULL), *as = cmd_arg(args, "as", args->pos[0]);
	bool desc = args->n_pos == 2;
	size_t *rows;
	int col;

	if (t == NULL)
		return -1;
	if (desc && strcmp(args->pos[1], "desc") != 0 && strcmp(args->pos[1], "asc") != 0) {
		*cause = xasprintf("'%s': expected 'desc' or 'asc'", args->pos[1]);
		return CMD_USAGE;
	}
	desc = desc && strcmp(args->pos[1], "desc") == 0;
	if (by == NULL) {
		*cause = xstrdup("give the column to sort by with by=COLUMN");
		return CMD_USAGE;
	}
	if ((col = cmd_need_column(t, by, cause)) < 0)
		return -1;
	rows = xmalloc((t->n_rows ? t->n_rows : 1) * sizeof *rows);
	tableops_sort_order(t, col, desc, rows);
	sorted = tableops_select(t, as, rows, t->n_rows);
	free(rows);
	sorted->path = t->path && strcmp(as, t->name) == 0 ? xstrdup(t->path) : NULL;
	*result = cJSON_CreateObject();
	cJSON_AddStringToObject(*result, "dataset", as);
	cJSON_AddNumberToObject(*result, "rows", (double)sorted->n_rows);
	cJSON_AddStringToObject(*result, "by", by);
	cJSON_AddBoolToObject(*result, "desc", desc);
	workspace_put(&ctx->ws, sorted);
	return 0;
}

const struct cmd_entry cmd_sort_entry = {
	.name = "sort",
	.usage = "DATASET by=COL [desc] [as=NAME]",
	.help = "sort the rows by a column (stable; missing values last)",
	.min_pos = 1, .max_pos = 2,
	.keys = cmd_sort_keys,
	.exec = cmd_sort_exec,
	.flags = CMD_CHANGES_DATA | CMD_SHOWS_DATASET,
};
