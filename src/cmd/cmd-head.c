/* head DATASET [n=N]: the first rows. */
#include "config.h"

#include <stdlib.h>

#include "command.h"
#include "report.h"
#include "xmalloc.h"

static const char *const cmd_head_keys[] = { "n", NULL };

static int cmd_head_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	struct table *t = workspace_need(&ctx->ws, args->pos[0], cause);
	long n = 10;

	if (t == NULL)
		return -1;
	if (cmd_arg_count(args, "n", &n, cause) != 0)
		return CMD_USAGE;
	*result = cJSON_CreateObject();
	cJSON_AddStringToObject(*result, "dataset", t->name);
	cJSON_AddItemToObject(*result, "rows", report_rows(t, 0, (size_t)n));
	return 0;
}

const struct cmd_entry cmd_head_entry = {
	.name = "head",
	.usage = "DATASET [n=N]",
	.help = "show the first N rows (default 10)",
	.min_pos = 1, .max_pos = 1,
	.keys = cmd_head_keys,
	.exec = cmd_head_exec,
};
