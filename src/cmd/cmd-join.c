/* join LEFT RIGHT on=KEY[=RIGHT_KEY] [how=left|inner] [dup=error|first|last|all]
 * [columns=C,C] as=NAME */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "join.h"
#include "report.h"
#include "xmalloc.h"

static const char *const cmd_join_keys[] = { "on", "how", "dup", "columns", "as", NULL };

static int cmd_join_keys_parse(const struct table *l, const struct table *r, const char *on,
    struct join_request *req, char **cause)
{
	const char *eq = strchr(on, '=');
	char *lname = eq ? xstrndup(on, (size_t)(eq - on)) : xstrdup(on);
	const char *rname = eq ? eq + 1 : on;

	req->left_key = cmd_need_column(l, lname, cause);
	free(lname);
	if (req->left_key < 0)
		return -1;
	req->right_key = cmd_need_column(r, rname, cause);
	return req->right_key < 0 ? -1 : 0;
}

static int cmd_join_options(const struct cmd_args *args, struct join_request *req, char **cause)
{
	static const char *const dups[] = { "error", "first", "last", "all" };
	const char *how = cmd_arg(args, "how", "left"), *dup = cmd_arg(args, "dup", "error");

	if (strcmp(how, "left") == 0)
		req->how = JOIN_LEFT;
	else if (strcmp(how, "inner") == 0)
		req->how = JOIN_INNER;
	else {
		*cause = xasprintf("how=%s: give left or inner", how);
		return -1;
	}
	for (size_t i = 0; i < 4; i++) {
		if (strcmp(dup, dups[i]) == 0) {
			req->dup = (enum join_dup)i;
			return 0;
		}
	}
	*cause = xasprintf("dup=%s: give error, first, last or all", dup);
	return -1;
}

static int cmd_join_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	struct table *l, *r, *out;
	const char *on = cmd_arg(args, "on", NULL), *as = cmd_arg(args, "as", NULL);
	struct join_request req = { 0 };
	struct join_stats stats;
	int *cols = NULL, rc = -1;

	if (on == NULL || as == NULL) {
		*cause = xstrdup(on == NULL ? "give the key with on=KEY or on=LEFT_KEY=RIGHT_KEY" :
		    "name the result with as=NAME");
		return CMD_USAGE;
	}
	if ((l = workspace_need(&ctx->ws, args->pos[0], cause)) == NULL ||
	    (r = workspace_need(&ctx->ws, args->pos[1], cause)) == NULL)
		return -1;
	if (cmd_join_keys_parse(l, r, on, &req, cause) != 0 ||
	    cmd_join_options(args, &req, cause) != 0 ||
	    cmd_need_columns(r, "columns", cmd_arg(args, "columns", NULL), &cols, &req.n_cols, cause) != 0)
		goto done;
	req.cols = cols;
	if (join_run(l, r, &req, as, &out, &stats, cause) != 0)
		goto done;
	*result = report_table_summary(out);
	cJSON_AddNumberToObject(*result, "matched", (double)stats.matched);
	cJSON_AddNumberToObject(*result, "unmatched", (double)stats.unmatched);
	workspace_put(&ctx->ws, out);
	rc = 0;
done:
	free(cols);
	return rc;
}

const struct cmd_entry cmd_join_entry = {
	.name = "join",
	.usage = "LEFT RIGHT on=KEY[=RIGHT_KEY] [how=left|inner] [dup=error|first|last|all] "
	    "[columns=C,C] as=NAME",
	.help = "add columns of RIGHT to the rows of LEFT with the same key (hash join)",
	.min_pos = 2, .max_pos = 2,
	.keys = cmd_join_keys,
	.exec = cmd_join_exec,
	.flags = CMD_CHANGES_DATA | CMD_SHOWS_DATASET,
};
