/* share-session NAME [base=REV] and shared: a team's files in the shared
 * directory. */
#include "config.h"

#include <stdlib.h>

#include "command.h"
#include "session.h"
#include "sharedfile.h"
#include "xmalloc.h"

static const char *const cmd_share_session_keys[] = { "base", NULL };
static const char *const cmd_shared_keys[] = { NULL };

static int cmd_share_session_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	struct session *s = session_attached(ctx);
	long base = 0, revision;
	cJSON *doc;
	struct sharedfile_wait wait = { SHAREDFILE_WAIT_SECONDS, ctx->cancel, ctx->waiting,
		ctx->waiting_arg };
	int rc;

	if (cmd_arg_count(args, "base", &base, cause) != 0)
		return CMD_USAGE;
	if (cmd_need_shared_dir(ctx, cause) != 0)
		return -1;
	if (s == NULL) {
		*cause = xstrdup("this session is not being recorded");
		return -1;
	}
	doc = session_json(s);
	rc = sharedfile_save(ctx->shared_dir, args->pos[0], doc, base, true, &wait, &revision, cause);
	cJSON_Delete(doc);
	if (rc != 0)
		return -1;
	*result = cJSON_CreateObject();
	cJSON_AddStringToObject(*result, "name", args->pos[0]);
	cJSON_AddStringToObject(*result, "dir", ctx->shared_dir);
	cJSON_AddNumberToObject(*result, "revision", (double)revision);
	cJSON_AddNumberToObject(*result, "commands", (double)session_count(s));
	return 0;
}

static int cmd_shared_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	cJSON *list;

	(void)args;
	if (cmd_need_shared_dir(ctx, cause) != 0 || sharedfile_list(ctx->shared_dir, &list, cause) != 0)
		return -1;
	*result = cJSON_CreateObject();
	cJSON_AddStringToObject(*result, "dir", ctx->shared_dir);
	cJSON_AddItemToObject(*result, "files", list);
	return 0;
}

static size_t cmd_share_session_paths(const struct cmd_args *args,
    struct cmd_path out[CMD_MAX_PATHS])
{
	(void)args;
	out[0] = (struct cmd_path){ NULL, PATHPOLICY_WRITE | CMD_PATH_SHARED };
	return 1;
}

static size_t cmd_shared_paths(const struct cmd_args *args, struct cmd_path out[CMD_MAX_PATHS])
{
	(void)args;
	out[0] = (struct cmd_path){ NULL, PATHPOLICY_READ | CMD_PATH_SHARED };
	return 1;
}

const struct cmd_entry cmd_share_session_entry = {
	.name = "share-session",
	.usage = "NAME [base=REV]",
	.help = "save the commands run so far to the shared directory for the team to replay",
	.min_pos = 1, .max_pos = 1,
	.keys = cmd_share_session_keys,
	.exec = cmd_share_session_exec,
	.flags = CMD_WRITES | CMD_SCREEN_THREAD | CMD_UNRECORDED,
	.paths = cmd_share_session_paths,
};

const struct cmd_entry cmd_shared_entry = {
	.name = "shared",
	.usage = "",
	.help = "list the files in the shared directory with their revision, author and time",
	.min_pos = 0, .max_pos = 0,
	.keys = cmd_shared_keys,
	.exec = cmd_shared_exec,
	.flags = CMD_SCREEN_THREAD,
	.paths = cmd_shared_paths,
};
