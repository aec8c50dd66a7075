/* mask DATASET columns=C,C: hide personal data (phone, e-mail, name) in
 * every view and export. */
#include "config.h"

#include <stdlib.h>

#include "command.h"
#include "xmalloc.h"

static const char *const cmd_mask_keys[] = { "columns", NULL };

static cJSON *cmd_mask_list(const struct table *t)
{
	cJSON *list = cJSON_CreateArray();

	for (size_t i = 0; i < t->n_cols; i++)
		if (t->cols[i].masked)
			cJSON_AddItemToArray(list, cJSON_CreateString(t->cols[i].name));
	return list;
}

static int cmd_mask_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	struct table *t = workspace_need(&ctx->ws, args->pos[0], cause);
	const char *value = cmd_arg(args, "columns", NULL);
	size_t n;
	int *cols;

	if (t == NULL)
		return -1;
	if (value == NULL) {
		*cause = xstrdup("give the columns to hide: columns=C,C");
		return CMD_USAGE;
	}
	/* All or nothing: every name is checked before any column changes. */
	if (cmd_need_columns(t, "columns", value, &cols, &n, cause) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		t->cols[cols[i]].masked = true;
	free(cols);
	*result = cJSON_CreateObject();
	cJSON_AddStringToObject(*result, "dataset", t->name);
	cJSON_AddItemToObject(*result, "masked", cmd_mask_list(t));
	return 0;
}

const struct cmd_entry cmd_mask_entry = {
	.name = "mask",
	.usage = "DATASET columns=C,C",
	.help = "hide personal columns (phone, e-mail, name) as *** in every view and export",
	.min_pos = 1, .max_pos = 1,
	.keys = cmd_mask_keys,
	.exec = cmd_mask_exec,
	.flags = CMD_CHANGES_DATA,
};
