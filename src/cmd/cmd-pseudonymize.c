/* pseudonymize DATASET [column=COL] [keyfile=PATH]: replace ids by keyed
 * pseudonyms, the same in every dataset so that joins still work. */
#include "config.h"

#include <stdlib.h>

#include <sodium.h>

#include "command.h"
#include "privacy.h"
#include "xmalloc.h"

static const char *const cmd_pseudonymize_keys[] = { "column", "keyfile", NULL };

/* column=, else the dataset's user column. */
static int cmd_pseudonymize_column(const struct table *t, const struct cmd_args *args, char **cause)
{
	const char *name = cmd_arg(args, "column", NULL);

	if (name != NULL)
		return cmd_need_column(t, name, cause);
	if (t->roles[ROLE_USER] < 0) {
		*cause = xasprintf("dataset '%s' has no user column: give column=COL", t->name);
		return -1;
	}
	return t->roles[ROLE_USER];
}

static int cmd_pseudonymize_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	struct table *t = workspace_need(&ctx->ws, args->pos[0], cause);
	uint8_t key[PRIVACY_KEY_BYTES];
	char *keyfile;
	bool created;
	size_t distinct, present;
	int col;

	if (t == NULL || (col = cmd_pseudonymize_column(t, args, cause)) < 0)
		return -1;
	if (privacy_key_load(cmd_arg(args, "keyfile", NULL), key, &keyfile, &created, cause) != 0)
		return -1;
	present = t->n_rows - t->cols[col].n_missing;
	distinct = privacy_pseudonymize(t, col, key);
	sodium_memzero(key, sizeof key);
	*result = cJSON_CreateObject();
	cJSON_AddStringToObject(*result, "dataset", t->name);
	cJSON_AddStringToObject(*result, "column", t->cols[col].name);
	cJSON_AddNumberToObject(*result, "rows", (double)present);
	cJSON_AddNumberToObject(*result, "distinct", (double)distinct);
	cJSON_AddStringToObject(*result, "keyfile", keyfile);
	cJSON_AddBoolToObject(*result, "key_created", created);
	free(keyfile);
	return 0;
}

/* The key is read, or created when missing. */
static size_t cmd_pseudonymize_paths(const struct cmd_args *args,
    struct cmd_path out[CMD_MAX_PATHS])
{
	const char *keyfile = cmd_arg(args, "keyfile", NULL);

	out[0] = (struct cmd_path){ keyfile, PATHPOLICY_READ | PATHPOLICY_WRITE |
	    (keyfile == NULL ? CMD_PATH_OWN_KEY : 0) };
	return 1;
}

const struct cmd_entry cmd_pseudonymize_entry = {
	.name = "pseudonymize",
	.usage = "DATASET [column=COL] [keyfile=PATH]",
	.help = "replace ids by keyed pseudonyms (HMAC-SHA-256, 16 hex digits), the same in every dataset",
	.min_pos = 1, .max_pos = 1,
	.keys = cmd_pseudonymize_keys,
	.exec = cmd_pseudonymize_exec,
	.flags = CMD_CHANGES_DATA | CMD_WRITES,
	.paths = cmd_pseudonymize_paths,
};
