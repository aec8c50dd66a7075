/* forget [DATASET...] user=ID [column=COL], or forget ID: erase one user
 * from the loaded datasets. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "csvappend.h"
#include "privacy.h"
#include "tableops.h"
#include "xmalloc.h"

static const char *const cmd_forget_keys[] = { "user", "column", NULL };

/* One dataset to search and the column holding the user. */
struct cmd_forget_target {
	struct table *t;
	int col;
};

static int cmd_forget_column(const struct table *t, const char *column, char **cause)
{
	if (column != NULL)
		return cmd_need_column(t, column, cause);
	if (t->roles[ROLE_USER] < 0) {
		*cause = xasprintf("dataset '%s' has no user column: give column=COL "
		    "(or load it with user=COLUMN)", t->name);
		return -1;
	}
	return t->roles[ROLE_USER];
}

static bool cmd_forget_listed(const struct cmd_forget_target *g, size_t n, const struct table *t)
{
	for (size_t i = 0; i < n; i++)
		if (g[i].t == t)
			return true;
	return false;
}

/* The named datasets, or every dataset with a user column. */
static int cmd_forget_targets(struct cmd_ctx *ctx, const struct cmd_args *args, bool named,
    struct cmd_forget_target **out, size_t *n, char **cause)
{
	const char *column = cmd_arg(args, "column", NULL);
	size_t want = named ? args->n_pos : ctx->ws.n_tables;

	*out = xcalloc(want ? want : 1, sizeof **out);
	*n = 0;
	for (size_t i = 0; i < want; i++) {
		struct table *t = named ? workspace_need(&ctx->ws, args->pos[i], cause) : ctx->ws.tables[i];

		if (!named && t->roles[ROLE_USER] < 0)
			continue;
		if (t == NULL || ((*out)[*n].col = cmd_forget_column(t, column, cause)) < 0)
			return -1;
		if (!cmd_forget_listed(*out, *n, t))
			(*out)[(*n)++].t = t;
	}
	if (*n == 0) {
		*cause = xstrdup("no loaded dataset has a user column: name the datasets and give column=COL");
		return -1;
	}
	return 0;
}

/* Removes the user's rows from one dataset; returns how many. */
static size_t cmd_forget_one(struct cmd_ctx *ctx, const struct cmd_forget_target *g, const char *id)
{
	struct table *t = g->t, *kept;
	struct csvappend_pos pos;
	char *cause = NULL;
	uint8_t *keep = xmalloc(t->n_rows ? t->n_rows : 1);
	size_t removed = privacy_rows_without(t, g->col, id, keep), n = 0;
	size_t *rows;

	if (removed == 0) {
		free(keep);
		return 0;
	}
	rows = xmalloc((t->n_rows ? t->n_rows : 1) * sizeof *rows);
	for (size_t r = 0; r < t->n_rows; r++)
		if (keep[r])
			rows[n++] = r;
	kept = tableops_select(t, t->name, rows, n);
	kept->path = t->path ? xstrdup(t->path) : NULL;
	/* The file still holds the erased rows: watch must go on from where
	 * the rows ended, not count the rows that are left. */
	if (t->path != NULL && csvappend_where(t, 0, &pos, &cause) == 0)
		csvappend_remember(kept, &pos);
	free(cause);
	workspace_put(&ctx->ws, kept);
	free(rows);
	free(keep);
	return removed;
}

static int cmd_forget_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	const char *id = cmd_arg(args, "user", NULL);
	struct cmd_forget_target *targets;
	cJSON *list;
	size_t n, total = 0;

	if (id == NULL && args->n_pos != 1) {
		*cause = xstrdup("give the user: forget [DATASET...] user=ID, or forget ID");
		return CMD_USAGE;
	}
	if (cmd_forget_targets(ctx, args, id != NULL && args->n_pos > 0, &targets, &n, cause) != 0) {
		free(targets);
		return -1;
	}
	if (id == NULL)
		id = args->pos[0];
	*result = cJSON_CreateObject();
	cJSON_AddStringToObject(*result, "user", id);
	list = cJSON_AddArrayToObject(*result, "datasets");
	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		char *name = xstrdup(targets[i].t->name), *column = xstrdup(targets[i].t->cols[targets[i].col].name);
		size_t removed = cmd_forget_one(ctx, &targets[i], id);

		cJSON_AddStringToObject(o, "dataset", name);
		cJSON_AddStringToObject(o, "column", column);
		cJSON_AddNumberToObject(o, "removed", (double)removed);
		cJSON_AddItemToArray(list, o);
		total += removed;
		free(name);
		free(column);
	}
	cJSON_AddNumberToObject(*result, "removed", (double)total);
	free(targets);
	return 0;
}

const struct cmd_entry cmd_forget_entry = {
	.name = "forget",
	.usage = "[DATASET...] user=ID [column=COL] | ID",
	.help = "erase one user from the loaded datasets and say where they were found",
	.min_pos = 0, .max_pos = 1000,
	.keys = cmd_forget_keys,
	.exec = cmd_forget_exec,
	.flags = CMD_CHANGES_DATA,
};
