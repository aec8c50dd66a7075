/* datasets: the loaded datasets with their size. */
#include "config.h"

#include "command.h"

static const char *const cmd_datasets_keys[] = { NULL };

static int cmd_datasets_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	cJSON *list = cJSON_CreateArray();

	(void)args;
	(void)cause;
	for (size_t i = 0; i < ctx->ws.n_tables; i++) {
		const struct table *t = ctx->ws.tables[i];
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "name", t->name);
		if (t->path)
			cJSON_AddStringToObject(o, "path", t->path);
		cJSON_AddNumberToObject(o, "rows", (double)t->n_rows);
		cJSON_AddNumberToObject(o, "columns", (double)t->n_cols);
		cJSON_AddNumberToObject(o, "bytes", (double)table_bytes(t));
		cJSON_AddItemToArray(list, o);
	}
	*result = cJSON_CreateObject();
	cJSON_AddItemToObject(*result, "datasets", list);
	return 0;
}

const struct cmd_entry cmd_datasets_entry = {
	.name = "datasets",
	.usage = "",
	.help = "list the loaded datasets with rows, columns and memory use",
	.min_pos = 0, .max_pos = 0,
	.keys = cmd_datasets_keys,
	.exec = cmd_datasets_exec,
};
