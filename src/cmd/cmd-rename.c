/* rename NAME NEW: rename a dataset. */
#include "config.h"

#include <stdlib.h>

#include "command.h"
#include "xmalloc.h"

static const char *const cmd_rename_keys[] = { NULL };

static int cmd_rename_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	struct table *t = workspace_need(&ctx->ws, args->pos[0], cause);

	if (t == NULL)
		return -1;
	if (workspace_get(&ctx->ws, args->pos[1]) != NULL) {
		*cause = xasprintf("a dataset named '%s' exists already (drop it first)", args->pos[1]);
		return -1;
	}
	free(t->name);
	t->name = xstrdup(args->pos[1]);
	*result = cJSON_CreateObject();
	cJSON_AddStringToObject(*result, "dataset", t->name);
	cJSON_AddStringToObject(*result, "was", args->pos[0]);
	return 0;
}

const struct cmd_entry cmd_rename_entry = {
	.name = "rename",
	.usage = "NAME NEW",
	.help = "rename a dataset",
	.min_pos = 2, .max_pos = 2,
	.keys = cmd_rename_keys,
	.exec = cmd_rename_exec,
	.flags = CMD_CHANGES_DATA | CMD_SHOWS_DATASET,
};
