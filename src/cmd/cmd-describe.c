/* describe NAME: per-column counts, missing values, distinct values and
 * either moments (numbers, dates) or the most frequent value (strings). */
#include "config.h"

#include "colstats.h"
#include "command.h"
#include "report.h"

static const char *const cmd_describe_keys[] = { NULL };

static int cmd_describe_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	struct table *t = workspace_need(&ctx->ws, args->pos[0], cause);
	cJSON *cols;

	if (t == NULL)
		return -1;
	cols = cJSON_CreateArray();
	for (size_t i = 0; i < t->n_cols; i++) {
		struct colstats s;

		colstats_compute(&t->cols[i], t->n_rows, &s);
		cJSON_AddItemToArray(cols, report_column_stats(&t->cols[i], &s));
	}
	*result = cJSON_CreateObject();
	cJSON_AddStringToObject(*result, "dataset", t->name);
	cJSON_AddNumberToObject(*result, "rows", (double)t->n_rows);
	cJSON_AddItemToObject(*result, "columns", cols);
	return 0;
}

const struct cmd_entry cmd_describe_entry = {
	.name = "describe",
	.usage = "NAME",
	.help = "summarise each column of a dataset: counts, missing, distinct, range, mean, sd, top value",
	.min_pos = 1, .max_pos = 1,
	.keys = cmd_describe_keys,
	.exec = cmd_describe_exec,
};
