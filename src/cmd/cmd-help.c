/* help [COMMAND]: the commands, from the command table. */
#include "config.h"

#include <string.h>

#include "command.h"
#include "xmalloc.h"

static const char *const cmd_help_keys[] = { NULL };

static cJSON *cmd_help_entry_json(const struct cmd_entry *e)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "name", e->name);
	cJSON_AddStringToObject(o, "usage", e->usage);
	cJSON_AddStringToObject(o, "help", e->help);
	cJSON_AddBoolToObject(o, "changes_data", (e->flags & CMD_CHANGES_DATA) != 0);
	cJSON_AddBoolToObject(o, "writes", (e->flags & CMD_WRITES) != 0);
	if (e->writes != NULL)
		cJSON_AddBoolToObject(o, "writes_with_some_arguments", true);
	return o;
}

static int cmd_help_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	cJSON *list = cJSON_CreateArray();

	(void)ctx;
	if (args->n_pos == 1) {
		const struct cmd_entry *e = cmd_find(args->pos[0]);

		if (e == NULL) {
			cJSON_Delete(list);
			*cause = cmd_unknown(args->pos[0]);
			return CMD_USAGE;
		}
		cJSON_AddItemToArray(list, cmd_help_entry_json(e));
	} else {
		for (size_t i = 0; cmd_table[i] != NULL; i++)
			cJSON_AddItemToArray(list, cmd_help_entry_json(cmd_table[i]));
	}
	*result = cJSON_CreateObject();
	cJSON_AddItemToObject(*result, "commands", list);
	return 0;
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.usage = "[COMMAND]",
	.help = "list the commands, or show one command's arguments",
	.min_pos = 0, .max_pos = 1,
	.keys = cmd_help_keys,
	.exec = cmd_help_exec,
	.flags = CMD_SCREEN_THREAD,
};
