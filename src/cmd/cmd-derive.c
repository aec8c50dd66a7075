/* derive DATASET COLUMN=EXPR...: add computed columns. */
#include "config.h"

#include <stdlib.h>

#include "command.h"
#include "expr.h"
#include "report.h"
#include "xmalloc.h"

/* Adds one column. */
static int cmd_derive_one(struct table *t, const char *name, const char *text, char **cause)
{
	struct column c;
	struct expr *e;

	if (table_find_column(t, name) >= 0) {
		*cause = xasprintf("'%s' has a column '%s' already; pick another name", t->name, name);
		return -1;
	}
	if ((e = expr_compile(text, t, cause)) == NULL)
		return -1;
	if (expr_eval_column(e, t, &c, cause) != 0) {
		expr_free(e);
		return -1;
	}
	expr_free(e);
	table_adopt_column(t, &c, xstrdup(name));
	return 0;
}

static int cmd_derive_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	struct table *t = workspace_need(&ctx->ws, args->pos[0], cause);

	if (t == NULL)
		return -1;
	if (args->n_kv == 0) {
		*cause = xstrdup("give at least one COLUMN=EXPR, e.g. revenue=Quantity*UnitPrice");
		return CMD_USAGE;
	}
	/* All or nothing: a failing column takes back the ones before it. */
	for (size_t i = 0, n = t->n_cols; i < args->n_kv; i++) {
		if (cmd_derive_one(t, args->keys[i], args->vals[i], cause) != 0) {
			table_truncate_columns(t, n);
			return -1;
		}
	}
	*result = report_table_summary(t);
	return 0;
}

const struct cmd_entry cmd_derive_entry = {
	.name = "derive",
	.usage = "DATASET COLUMN=EXPR...",
	.help = "add columns computed from an expression, e.g. revenue=Quantity*UnitPrice",
	.min_pos = 1, .max_pos = 1,
	.keys = NULL,
	.exec = cmd_derive_exec,
	.flags = CMD_CHANGES_DATA | CMD_SHOWS_DATASET,
};
