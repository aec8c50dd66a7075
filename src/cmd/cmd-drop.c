/* drop NAME: forget a dataset. */
#include "config.h"

#include "command.h"
#include "xmalloc.h"

static const char *const cmd_drop_keys[] = { NULL };

static int cmd_drop_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	if (workspace_need(&ctx->ws, args->pos[0], cause) == NULL)
		return -1;
	workspace_drop(&ctx->ws, args->pos[0]);
	*result = cJSON_CreateObject();
	cJSON_AddStringToObject(*result, "dropped", args->pos[0]);
	return 0;
}

const struct cmd_entry cmd_drop_entry = {
	.name = "drop",
	.usage = "NAME",
	.help = "remove a dataset from the session (its file is untouched)",
	.min_pos = 1, .max_pos = 1,
	.keys = cmd_drop_keys,
	.exec = cmd_drop_exec,
	.flags = CMD_CHANGES_DATA,
};
