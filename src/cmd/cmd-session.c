/* save-session PATH: save the commands run so far as a session file. */
#include "config.h"

#include "command.h"
#include "session.h"
#include "xmalloc.h"

static const char *const cmd_save_session_keys[] = { NULL };

static int cmd_save_session_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	struct session *s = session_attached(ctx);

	if (s == NULL) {
		*cause = xstrdup("this session is not being recorded");
		return -1;
	}
	if (session_save(s, args->pos[0], cause) != 0)
		return -1;
	*result = cJSON_CreateObject();
	cJSON_AddStringToObject(*result, "path", args->pos[0]);
	cJSON_AddNumberToObject(*result, "commands", (double)session_count(s));
	return 0;
}

static size_t cmd_save_session_paths(const struct cmd_args *args,
    struct cmd_path out[CMD_MAX_PATHS])
{
	out[0] = (struct cmd_path){ args->pos[0], PATHPOLICY_WRITE };
	return 1;
}

const struct cmd_entry cmd_save_session_entry = {
	.name = "save-session",
	.usage = "PATH",
	.help = "save the commands run so far as a session file (mode 600) to replay later",
	.min_pos = 1, .max_pos = 1,
	.keys = cmd_save_session_keys,
	.exec = cmd_save_session_exec,
	.flags = CMD_WRITES | CMD_SCREEN_THREAD | CMD_UNRECORDED,
	.paths = cmd_save_session_paths,
};
