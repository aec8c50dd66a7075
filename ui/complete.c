/* Tab completion on the command line: command names, then dataset names,
 * columns of the dataset the command works on, metric names after
 * metric=, and file paths after "load NAME". */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "campaign-hint.h"
#include "console.h"
#include "prompt.h"
#include "xmalloc.h"

#define COMPLETE_MAX_FILES 500

/* Keys whose value is a dataset's name. */
static const char *const complete_dataset_keys[] = {
	"dataset", "users", "items", "aggregates", NULL
};

static void complete_columns(const struct table *t, struct prompt_list *out)
{
	for (size_t i = 0; t != NULL && i < t->n_cols; i++)
		prompt_list_add(out, t->cols[i].name);
}

static void complete_datasets(const struct console *c, struct prompt_list *out)
{
	for (size_t i = 0; i < c->ctx->ws.n_tables; i++)
		prompt_list_add(out, c->ctx->ws.tables[i]->name);
}

/* The dataset the line works on: dataset=, else the first positional word
 * naming one, else the one shown. */
static struct table *complete_table(struct console *c, const char *line)
{
	struct table *t = NULL;
	struct cmd_args args;
	char *cause = NULL;

	if (cmd_parse(line, &args, &cause) != 0) {
		free(cause);
		return console_table(c);
	}
	t = workspace_get(&c->ctx->ws, cmd_arg(&args, "dataset", ""));
	for (size_t i = 0; t == NULL && i < args.n_pos; i++)
		t = workspace_get(&c->ctx->ws, args.pos[i]);
	cmd_args_done(&args);
	return t != NULL ? t : console_table(c);
}

/* The event metrics (on an event log) and column:COL for t's metric
 * columns. */
static void complete_metrics(const struct table *t, struct prompt_list *out)
{
	for (size_t i = 0; (t == NULL || campaign_hint_events(t)) &&
	    campaign_hint_event_metrics[i] != NULL; i++)
		prompt_list_add(out, campaign_hint_event_metrics[i]);
	for (size_t j = 0; t != NULL && j < t->n_cols; j++) {
		char *m;

		if (!campaign_hint_metric_column(t, j))
			continue;
		m = xasprintf("column:%s", t->cols[j].name);
		prompt_list_add(out, m);
		free(m);
	}
}

/* The files and directories (with a slash) that the last word of line
 * starts to name. */
static void complete_paths(const char *line, struct prompt_list *out)
{
	const char *word = strrchr(line, ' '), *slash;
	char *dir, *path;
	struct dirent *e;
	struct stat st;
	size_t n = 0;
	DIR *d;

	word = word != NULL ? word + 1 : line;
	slash = strrchr(word, '/');
	dir = slash != NULL ? xstrndup(word, (size_t)(slash - word) + 1) : xstrdup("");
	if ((d = opendir(*dir != '\0' ? dir : ".")) == NULL) {
		free(dir);
		return;
	}
	while ((e = readdir(d)) != NULL && n < COMPLETE_MAX_FILES) {
		/* Hidden files only when asked for with a dot. */
		if (e->d_name[0] == '.' && (slash != NULL ? slash[1] : word[0]) != '.')
			continue;
		path = xasprintf("%s%s", dir, e->d_name);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			char *d2 = xasprintf("%s/", path);

			free(path);
			path = d2;
		}
		prompt_list_add(out, path);
		free(path);
		n++;
	}
	closedir(d);
	free(dir);
}

static bool complete_is_dataset_key(const char *key)
{
	for (size_t i = 0; complete_dataset_keys[i] != NULL; i++)
		if (strcmp(key, complete_dataset_keys[i]) == 0)
			return true;
	return false;
}

void console_complete(struct console *c, const char *line, size_t index, const char *key,
    struct prompt_list *out)
{
	if (index == 0 || (index == 1 && strncmp(line, "help ", 5) == 0)) {
		for (size_t i = 0; cmd_table[i] != NULL; i++)
			prompt_list_add(out, cmd_table[i]->name);
		return;
	}
	if (key == NULL && index == 2 && strncmp(line, "load ", 5) == 0) {
		complete_paths(line, out);
		return;
	}
	if (key == NULL) {
		complete_datasets(c, out);
		if (index > 1)
			complete_columns(console_table(c), out);
		return;
	}
	if (complete_is_dataset_key(key))
		complete_datasets(c, out);
	else if (strcmp(key, "metric") == 0)
		complete_metrics(complete_table(c, line), out);
	else
		complete_columns(complete_table(c, line), out);
}
