/* watch DATASET [delim=C]: appends the rows written to the dataset's file
 * since it was loaded. Here it reads to the file's current end once; the
 * console then keeps following the file and updates what depends on it.
 * watch CAMPAIGN, for a campaign whose data are in PostgreSQL (pg=): runs
 * its query once; the console then runs it again at the refresh interval. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "csvappend.h"
#include "xmalloc.h"

static const char *const cmd_watch_keys[] = { "delim", NULL };

static int cmd_watch_delim(const char *s, char *delim, char **cause)
{
	*delim = 0;
	if (s == NULL)
		return 0;
	if (strcmp(s, "tab") == 0) {
		*delim = '\t';
		return 0;
	}
	if (strlen(s) != 1 || s[0] == '"') {
		*cause = xasprintf("delim=%s: give one character, such as delim=';' or delim=tab", s);
		return -1;
	}
	*delim = s[0];
	return 0;
}

/* watch CAMPAIGN: its statistics, read once. */
static int cmd_watch_campaign(struct cmd_ctx *ctx, const struct campaign *k, cJSON **result,
    char **cause)
{
	struct campaign_stats s;
	double users = 0;

	if (campaign_stats(k, &ctx->ws, NULL, &s, cause) != 0)
		return -1;
	for (size_t a = 0; a < s.n_arms; a++)
		users += s.total[a].n;
	campaign_stats_done(&s);
	*result = cJSON_CreateObject();
	cJSON_AddStringToObject(*result, "campaign", k->name);
	cJSON_AddNumberToObject(*result, "users", users);
	return 0;
}

static int cmd_watch_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	const struct campaign *k = campaigns_get(&ctx->campaigns, args->pos[0]);
	struct table *t;
	struct csvappend_pos pos;
	size_t added, total = 0;
	char delim;

	if (k != NULL && k->pg != NULL && workspace_get(&ctx->ws, args->pos[0]) == NULL)
		return cmd_watch_campaign(ctx, k, result, cause);
	if ((t = workspace_need(&ctx->ws, args->pos[0], cause)) == NULL)
		return -1;
	if (cmd_watch_delim(cmd_arg(args, "delim", NULL), &delim, cause) != 0)
		return CMD_USAGE;
	if (t->path == NULL) {
		*cause = xasprintf("dataset '%s' was not loaded from a file", t->name);
		return -1;
	}
	/* Loaded before the replay began, perhaps from anywhere. */
	if (cmd_path_allowed(ctx, t->path, PATHPOLICY_READ, cause) != 0)
		return -1;
	if (csvappend_where(t, delim, &pos, cause) != 0)
		return CMD_FILE_ERROR;
	do {
		if (csvappend_read(t, t->path, &pos, 0, &added, cause) != 0)
			return CMD_FILE_ERROR;
		csvappend_remember(t, &pos);
		total += added;
	} while (added > 0);
	*result = cJSON_CreateObject();
	cJSON_AddStringToObject(*result, "dataset", t->name);
	cJSON_AddNumberToObject(*result, "rows_added", (double)total);
	cJSON_AddNumberToObject(*result, "rows", (double)t->n_rows);
	return 0;
}

const struct cmd_entry cmd_watch_entry = {
	.name = "watch",
	.usage = "DATASET [delim=C] | CAMPAIGN",
	.help = "append the rows added to the dataset's file since it was read; the console "
	    "keeps following the file and updates the results that use it (a pg= campaign: "
	    "its query runs again at the refresh interval)",
	.min_pos = 1, .max_pos = 1,
	.keys = cmd_watch_keys,
	.exec = cmd_watch_exec,
	.flags = CMD_SCREEN_THREAD,
};
