/* filter DATASET where=EXPR as=NAME: the rows where EXPR is true. */
#include "config.h"

#include <stdlib.h>

#include "command.h"
#include "expr.h"
#include "report.h"
#include "tableops.h"
#include "xmalloc.h"

static const char *const cmd_filter_keys[] = { "where", "as", NULL };

static int cmd_filter_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	struct table *t = workspace_need(&ctx->ws, args->pos[0], cause), *out;
	const char *where = cmd_arg(args, "where", NULL), *as = cmd_arg(args, "as", NULL);
	struct expr *e;
	uint8_t *keep;
	size_t kept, *rows, n = 0;

	if (t == NULL)
		return -1;
	if (where == NULL || as == NULL) {
		*cause = xstrdup(where == NULL ? "give the condition with where=EXPR" :
		    "name the result with as=NAME");
		return CMD_USAGE;
	}
	if ((e = expr_compile(where, t, cause)) == NULL)
		return -1;
	keep = xmalloc(t->n_rows ? t->n_rows : 1);
	if (expr_eval_filter(e, t, keep, &kept, cause) != 0) {
		expr_free(e);
		free(keep);
		return -1;
	}
	expr_free(e);
	rows = xmalloc((kept ? kept : 1) * sizeof *rows);
	for (size_t r = 0; r < t->n_rows; r++)
		if (keep[r])
			rows[n++] = r;
	free(keep);
	out = tableops_select(t, as, rows, n);
	free(rows);
	*result = report_table_summary(out);
	cJSON_AddNumberToObject(*result, "kept", (double)kept);
	cJSON_AddNumberToObject(*result, "dropped", (double)(t->n_rows - kept));
	workspace_put(&ctx->ws, out);
	return 0;
}

const struct cmd_entry cmd_filter_entry = {
	.name = "filter",
	.usage = "DATASET where=EXPR as=NAME",
	.help = "keep the rows where an expression is true, as a new dataset",
	.min_pos = 1, .max_pos = 1,
	.keys = cmd_filter_keys,
	.exec = cmd_filter_exec,
	.flags = CMD_CHANGES_DATA | CMD_SHOWS_DATASET,
};
