/* Fuzz target: a command line run the way the console runs it, on borrowed
 * copies of a workspace of fixtures; the first byte says whether the owner
 * then adopts the copies or they are released. Every cell of the owner is
 * read afterwards, so an array freed while still held shows up at once.
 * The commands are those the console runs on borrowed copies (the table's
 * commands without CMD_SCREEN_THREAD) less those that write files or keys
 * (cmd_writes). */
#include "config.h"

#include <stdlib.h>

#include "command.h"
#include "workspace.h"
#include "xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz_borrow_files[][2] = {
	{ "users", "users.csv" }, { "ev", "events.csv" }, { "pts", "seg_points.csv" },
	{ "stores", "nn_stores.csv" }, { "nusers", "nn_users.csv" }, { "fc", "fc_daily.csv" },
	{ "recs", "recs_events.csv" }, { "items", "recs_items.csv" }, { "rfm", "rfm_events.csv" },
};

static bool fuzz_borrow_allowed(const char *line)
{
	const struct cmd_entry *e;
	struct cmd_args args;
	char *cause = NULL;
	bool ok;

	if (cmd_parse(line, &args, &cause) != 0) {
		free(cause);
		return false;
	}
	e = cmd_find(args.name);
	ok = e != NULL && !(e->flags & CMD_SCREEN_THREAD) && !cmd_writes(e, &args);
	cmd_args_done(&args);
	return ok;
}

static void fuzz_borrow_run(struct cmd_ctx *ctx, const char *line)
{
	char *cause = NULL;
	cJSON *res = NULL;

	cmd_run(ctx, line, &res, &cause);
	cJSON_Delete(res);
	free(cause);
}

/* Reads every cell: values, missing bits, dictionaries and offsets. */
static size_t fuzz_borrow_touch(const struct workspace *ws)
{
	char buf[256];
	size_t sum = 0;

	for (size_t i = 0; i < ws->n_tables; i++) {
		const struct table *t = ws->tables[i];

		for (size_t j = 0; j < t->n_cols; j++) {
			if (t->cols[j].borrowed)
				abort();
			for (size_t r = 0; r < t->n_rows; r++)
				sum += column_format(&t->cols[j], r, buf, sizeof buf);
		}
	}
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cmd_ctx owner, job;
	char *line;

	if (size < 2)
		return 0;
	line = xstrndup((const char *)data + 1, size - 1);
	if (!fuzz_borrow_allowed(line)) {
		free(line);
		return 0;
	}
	cmd_ctx_init(&owner);
	for (size_t i = 0; i < sizeof fuzz_borrow_files / sizeof fuzz_borrow_files[0]; i++) {
		char *load = xasprintf("load %s '%s/%s'", fuzz_borrow_files[i][0], FUZZ_FIXTURES,
		    fuzz_borrow_files[i][1]);

		fuzz_borrow_run(&owner, load);
		free(load);
	}
	cmd_ctx_init(&job);
	workspace_borrow(&job.ws, &owner.ws);
	fuzz_borrow_run(&job, line);
	if (data[0] & 1)
		workspace_adopt(&owner.ws, &job.ws);
	else
		workspace_release(&job.ws, &owner.ws);
	fuzz_borrow_touch(&owner.ws);
	cmd_ctx_done(&job);
	cmd_ctx_done(&owner);
	free(line);
	return 0;
}
