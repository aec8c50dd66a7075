/* The command table, shell-like word splitting and dispatch. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "command.h"
#include "suggest.h"
#include "utf8.h"
#include "xdg.h"
#include "xmalloc.h"

extern const struct cmd_entry cmd_load_entry;
extern const struct cmd_entry cmd_watch_entry;
extern const struct cmd_entry cmd_describe_entry;
extern const struct cmd_entry cmd_datasets_entry;
extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_abtest_entry;
extern const struct cmd_entry cmd_power_entry;
extern const struct cmd_entry cmd_srm_entry;
extern const struct cmd_entry cmd_campaign_entry;
extern const struct cmd_entry cmd_test_entry;
extern const struct cmd_entry cmd_filter_entry;
extern const struct cmd_entry cmd_derive_entry;
extern const struct cmd_entry cmd_aggregate_entry;
extern const struct cmd_entry cmd_join_entry;
extern const struct cmd_entry cmd_export_entry;
extern const struct cmd_entry cmd_sort_entry;
extern const struct cmd_entry cmd_head_entry;
extern const struct cmd_entry cmd_drop_entry;
extern const struct cmd_entry cmd_rename_entry;
extern const struct cmd_entry cmd_save_session_entry;
extern const struct cmd_entry cmd_pseudonymize_entry;
extern const struct cmd_entry cmd_mask_entry;
extern const struct cmd_entry cmd_forget_entry;
extern const struct cmd_entry cmd_share_session_entry;
extern const struct cmd_entry cmd_shared_entry;
extern const struct cmd_entry cmd_recommend_entry;
extern const struct cmd_entry cmd_evaluate_recs_entry;
extern const struct cmd_entry cmd_forecast_entry;
extern const struct cmd_entry cmd_backtest_entry;
extern const struct cmd_entry cmd_uplift_entry;
extern const struct cmd_entry cmd_segment_entry;
extern const struct cmd_entry cmd_rfm_entry;
extern const struct cmd_entry cmd_nearest_entry;

const struct cmd_entry *const cmd_table[] = {
	&cmd_load_entry,
	&cmd_watch_entry,
	&cmd_describe_entry,
	&cmd_datasets_entry,
	&cmd_filter_entry,
	&cmd_derive_entry,
	&cmd_aggregate_entry,
	&cmd_join_entry,
	&cmd_sort_entry,
	&cmd_head_entry,
	&cmd_drop_entry,
	&cmd_rename_entry,
	&cmd_export_entry,
	&cmd_save_session_entry,
	&cmd_pseudonymize_entry,
	&cmd_mask_entry,
	&cmd_forget_entry,
	&cmd_share_session_entry,
	&cmd_shared_entry,
	&cmd_segment_entry,
	&cmd_rfm_entry,
	&cmd_nearest_entry,
	&cmd_recommend_entry,
	&cmd_evaluate_recs_entry,
	&cmd_forecast_entry,
	&cmd_backtest_entry,
	&cmd_uplift_entry,
	&cmd_abtest_entry,
	&cmd_power_entry,
	&cmd_srm_entry,
	&cmd_campaign_entry,
	&cmd_test_entry,
	&cmd_help_entry,
	NULL
};

void cmd_ctx_init(struct cmd_ctx *ctx)
{
	memset(ctx, 0, sizeof *ctx);
	workspace_init(&ctx->ws);
	campaigns_init(&ctx->campaigns);
}

void cmd_ctx_done(struct cmd_ctx *ctx)
{
	campaigns_done(&ctx->campaigns);
	workspace_done(&ctx->ws);
}

/* Growable array of words. */
struct cmd_words {
	char **v;
	size_t n;
};

static void cmd_words_push(struct cmd_words *w, char *s)
{
	w->v = xreallocarray(w->v, w->n + 1, sizeof *w->v);
	w->v[w->n++] = s;
}

static void cmd_words_free(struct cmd_words *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
}

/* Splits like a POSIX shell without expansions: '...' is literal, "..."
 * honours \" and \\, a backslash outside quotes escapes the next byte. */
static int cmd_split(const char *line, struct cmd_words *w, char **cause)
{
	const char *p = line;
	size_t len = strlen(line);
	char *buf = xmalloc(len + 1);

	while (*p) {
		size_t n = 0;
		char quote = 0;
		const char *open = NULL;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p == '\0')
			break;
		for (; *p && (quote || !(*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')); p++) {
			if (quote == 0 && (*p == '\'' || *p == '"')) {
				quote = *p;
				open = p;
			} else if (quote && *p == quote) {
				quote = 0;
			} else if (*p == '\\' && quote != '\'' && p[1] != '\0' &&
			    (quote == 0 || p[1] == '"' || p[1] == '\\')) {
				buf[n++] = *++p;
			} else
				buf[n++] = *p;
		}
		if (quote) {
			*cause = xasprintf("unterminated %s quote at position %zu",
			    quote == '"' ? "double" : "single",
			    utf8_position(line, (size_t)(open - line)));
			free(buf);
			return -1;
		}
		cmd_words_push(w, xstrndup(buf, n));
	}
	free(buf);
	return 0;
}

/* NAME=VALUE with NAME an identifier is a keyword argument. */
static size_t cmd_key_length(const char *word)
{
	size_t i = 0;

	if (!isalpha((unsigned char)word[0]) && word[0] != '_')
		return 0;
	while (isalnum((unsigned char)word[i]) || word[i] == '_' || word[i] == '-' || word[i] == '.')
		i++;
	return word[i] == '=' ? i : 0;
}

char *cmd_quote(const char *s)
{
	size_t n = 3, o = 0;
	char *out;

	if (*s != '\0' && s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_.:,-/")] == '\0')
		return xstrdup(s);
	for (const char *p = s; *p; p++)
		n += *p == '\'' ? 4 : 1;
	out = xmalloc(n);
	out[o++] = '\'';
	for (const char *p = s; *p; p++) {
		if (*p == '\'') {
			memcpy(out + o, "'\\''", 4);
			o += 4;
		} else
			out[o++] = *p;
	}
	out[o++] = '\'';
	out[o] = '\0';
	return out;
}

void cmd_append(char **line, const char *key, const char *value)
{
	char *q = cmd_quote(value), *next;

	next = key != NULL ? xasprintf("%s %s=%s", *line, key, q) : xasprintf("%s %s", *line, q);
	free(q);
	free(*line);
	*line = next;
}

int cmd_parse(const char *line, struct cmd_args *args, char **cause)
{
	struct cmd_words w = { NULL, 0 };

	memset(args, 0, sizeof *args);
	if (cmd_split(line, &w, cause) != 0) {
		cmd_words_free(&w);
		return -1;
	}
	if (w.n == 0) {
		*cause = xstrdup("empty command (type 'help' for the list of commands)");
		free(w.v);
		return -1;
	}
	args->line = xstrdup(line);
	args->name = w.v[0];
	for (size_t i = 1; i < w.n; i++) {
		size_t k = cmd_key_length(w.v[i]);

		if (k == 0) {
			args->pos = xreallocarray(args->pos, args->n_pos + 1, sizeof *args->pos);
			args->pos[args->n_pos++] = w.v[i];
			continue;
		}
		args->keys = xreallocarray(args->keys, args->n_kv + 1, sizeof *args->keys);
		args->vals = xreallocarray(args->vals, args->n_kv + 1, sizeof *args->vals);
		args->keys[args->n_kv] = xstrndup(w.v[i], k);
		args->vals[args->n_kv++] = xstrdup(w.v[i] + k + 1);
		free(w.v[i]);
	}
	free(w.v);
	return 0;
}

void cmd_args_done(struct cmd_args *args)
{
	for (size_t i = 0; i < args->n_pos; i++)
		free(args->pos[i]);
	for (size_t i = 0; i < args->n_kv; i++) {
		free(args->keys[i]);
		free(args->vals[i]);
	}
	free(args->pos);
	free(args->keys);
	free(args->vals);
	free(args->name);
	free(args->line);
	memset(args, 0, sizeof *args);
}

const char *cmd_arg(const struct cmd_args *args, const char *key, const char *def)
{
	/* The last occurrence wins, as with repeated shell options. */
	for (size_t i = args->n_kv; i-- > 0;) {
		if (strcmp(args->keys[i], key) == 0)
			return args->vals[i];
	}
	return def;
}

const struct cmd_entry *cmd_find(const char *name)
{
	for (size_t i = 0; cmd_table[i] != NULL; i++) {
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
	}
	return NULL;
}

char *cmd_unknown(const char *name)
{
	struct suggest s;

	suggest_init(&s, name, strlen(name));
	for (size_t i = 0; cmd_table[i] != NULL; i++)
		suggest_try(&s, cmd_table[i]->name);
	if (s.found != NULL)
		return xasprintf("unknown command '%s' (did you mean '%s'?)", name, s.found);
	return xasprintf("unknown command '%s' (type 'help' for the list of commands)", name);
}

int cmd_need_shared_dir(const struct cmd_ctx *ctx, char **cause)
{
	if (ctx->shared_dir != NULL)
		return 0;
	*cause = xstrdup("no shared directory: start crossmkt with --shared-dir DIR or set "
	    "'shared-dir = DIR' in $XDG_CONFIG_HOME/crossmkt/config");
	return -1;
}

int cmd_arg_count(const struct cmd_args *args, const char *key, long *out, char **cause)
{
	const char *v = cmd_arg(args, key, NULL);
	char *end;
	long n;

	if (v == NULL)
		return 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || n < 0) {
		*cause = xasprintf("%s=%s: give a whole number of 0 or more", key, v);
		return -1;
	}
	*out = n;
	return 0;
}

int cmd_arg_yes(const struct cmd_args *args, const char *key, bool *out, char **cause)
{
	const char *v = cmd_arg(args, key, NULL);

	if (v == NULL)
		return 0;
	if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0) {
		*cause = xasprintf("%s=%s: give yes or no", key, v);
		return -1;
	}
	*out = strcmp(v, "yes") == 0;
	return 0;
}

int cmd_split_list(const char *key, const char *value, char ***items, size_t *n, char **cause)
{
	const char *p = value;

	*items = NULL;
	*n = 0;
	for (;;) {
		size_t len = strcspn(p, ",");

		if (len == 0) {
			*cause = xasprintf("%s=%s: empty item in the list", key, value);
			cmd_list_free(*items, *n);
			return -1;
		}
		*items = xreallocarray(*items, *n + 1, sizeof **items);
		(*items)[(*n)++] = xstrndup(p, len);
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}

void cmd_list_free(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

int cmd_need_column(const struct table *t, const char *name, char **cause)
{
	int col = table_find_column(t, name);
	char *names;

	if (col >= 0)
		return col;
	names = table_column_names(t, ", ");
	*cause = xasprintf("dataset '%s' has no column '%s' (columns: %s)", t->name, name, names);
	free(names);
	return -1;
}

int cmd_need_columns(const struct table *t, const char *key, const char *value, int **cols,
    size_t *n, char **cause)
{
	char **items;
	size_t n_items;

	*cols = NULL;
	*n = 0;
	if (value == NULL)
		return 0;
	if (cmd_split_list(key, value, &items, &n_items, cause) != 0)
		return -1;
	*cols = xmalloc(n_items * sizeof **cols);
	for (; *n < n_items; (*n)++) {
		if (((*cols)[*n] = cmd_need_column(t, items[*n], cause)) < 0) {
			cmd_list_free(items, n_items);
			free(*cols);
			*cols = NULL;
			return -1;
		}
	}
	cmd_list_free(items, n_items);
	return 0;
}

static bool cmd_key_allowed(const struct cmd_entry *e, const char *key)
{
	if (e->keys == NULL)
		return true;
	for (size_t i = 0; e->keys[i] != NULL; i++) {
		if (strcmp(e->keys[i], key) == 0)
			return true;
	}
	return false;
}

/* Checks argument counts and keywords against the table entry. */
static int cmd_check(const struct cmd_entry *e, const struct cmd_args *args, char **cause)
{
	if (args->n_pos < e->min_pos || args->n_pos > e->max_pos) {
		*cause = xasprintf("%s: %s arguments; usage: %s %s", e->name,
		    args->n_pos < e->min_pos ? "missing" : "too many", e->name, e->usage);
		return -1;
	}
	for (size_t i = 0; i < args->n_kv; i++) {
		if (!cmd_key_allowed(e, args->keys[i])) {
			*cause = xasprintf("%s: unknown argument '%s='; usage: %s %s", e->name,
			    args->keys[i], e->name, e->usage);
			return -1;
		}
	}
	return 0;
}

/* Parses line into *args and finds its entry; CMD_USAGE with *cause, or
 * CMD_REFUSED when a read-only session may not run it. */
static int cmd_prepare(const char *line, bool readonly, struct cmd_args *args,
    const struct cmd_entry **e, char **cause)
{
	if (cmd_parse(line, args, cause) != 0)
		return CMD_USAGE;
	*e = cmd_find(args->name);
	if (*e == NULL) {
		*cause = cmd_unknown(args->name);
		cmd_args_done(args);
		return CMD_USAGE;
	}
	if (readonly && cmd_writes(*e, args)) {
		*cause = xasprintf("%s: refused in a read-only session (--readonly): it writes "
		    "files", (*e)->name);
		cmd_args_done(args);
		return CMD_REFUSED;
	}
	if (cmd_check(*e, args, cause) != 0) {
		cmd_args_done(args);
		return CMD_USAGE;
	}
	return 0;
}

bool cmd_writes(const struct cmd_entry *e, const struct cmd_args *args)
{
	return (e->flags & CMD_WRITES) || (e->writes != NULL && e->writes(args));
}

int cmd_validate(const char *line, char **cause)
{
	struct cmd_args args;
	const struct cmd_entry *e;

	if (cmd_prepare(line, false, &args, &e, cause) != 0)
		return CMD_USAGE;
	cmd_args_done(&args);
	return 0;
}

static long cmd_clock_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

void cmd_record(const struct cmd_ctx *ctx, const struct cmd_entry *e, const char *line,
    long took_ms, int rc)
{
	if (ctx->record != NULL && rc != CMD_USAGE && rc != CMD_REFUSED &&
	    !(e != NULL && (e->flags & CMD_UNRECORDED)))
		ctx->record(ctx->record_arg, line, took_ms, rc == 0);
}

int cmd_path_allowed(const struct cmd_ctx *ctx, const char *path, unsigned access, char **cause)
{
	if (ctx->confine == NULL)
		return 0;
	return pathpolicy_check(ctx->confine, path, access, cause);
}

/* The files e opens with args, their paths found, into a new array. */
static size_t cmd_entry_files(const struct cmd_ctx *ctx, const struct cmd_entry *e,
    const struct cmd_args *args, struct cmd_file **files)
{
	struct cmd_path paths[CMD_MAX_PATHS];
	size_t n = e->paths != NULL ? e->paths(args, paths) : 0, k = 0;
	char *why = NULL;

	*files = xcalloc(n ? n : 1, sizeof **files);
	for (size_t i = 0; i < n; i++) {
		char *path = NULL;

		if (paths[i].access & CMD_PATH_SHARED)
			path = ctx->shared_dir ? xstrdup(ctx->shared_dir) : NULL;
		else if ((paths[i].access & CMD_PATH_OWN_KEY) &&
		    xdg_find(XDG_CONFIG, "pseudonym.key", &path, &why) != 0)
			free(why);
		else if (paths[i].path != NULL)
			path = xstrdup(paths[i].path);
		/* No shared directory, no home: the command says so itself. */
		if (path != NULL)
			(*files)[k++] = (struct cmd_file){ path,
			    paths[i].access & (PATHPOLICY_READ | PATHPOLICY_WRITE) };
	}
	return k;
}

void cmd_files_free(struct cmd_file *files, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(files[i].path);
	free(files);
}

void cmd_line_files(const struct cmd_ctx *ctx, const char *line, struct cmd_file **files,
    size_t *n)
{
	struct cmd_args args;
	const struct cmd_entry *e;
	char *cause = NULL;

	*files = NULL;
	*n = 0;
	if (cmd_prepare(line, false, &args, &e, &cause) != 0) {
		free(cause);
		return;
	}
	*n = cmd_entry_files(ctx, e, &args, files);
	cmd_args_done(&args);
}

/* A replayed command may open only the files its policy allows. */
static int cmd_confine(const struct cmd_ctx *ctx, const struct cmd_entry *e,
    const struct cmd_args *args, char **cause)
{
	struct cmd_file *files;
	size_t n;
	char *why = NULL;
	int rc = 0;

	if (ctx->confine == NULL)
		return 0;
	n = cmd_entry_files(ctx, e, args, &files);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = pathpolicy_check(ctx->confine, files[i].path, files[i].access, &why);
	if (rc != 0) {
		*cause = xasprintf("%s: %s", e->name, why);
		free(why);
	}
	cmd_files_free(files, n);
	return rc;
}

int cmd_run(struct cmd_ctx *ctx, const char *line, cJSON **result, char **cause)
{
	struct cmd_args args;
	const struct cmd_entry *e;
	char *why = NULL;
	long started;
	int rc;

	*result = NULL;
	rc = cmd_prepare(line, ctx->readonly, &args, &e, cause);
	if (rc != 0)
		return rc;
	if (cmd_confine(ctx, e, &args, cause) != 0) {
		cmd_args_done(&args);
		return CMD_REFUSED;
	}
	started = cmd_clock_ms();
	rc = e->exec(ctx, &args, result, &why);
	cmd_record(ctx, e, line, cmd_clock_ms() - started, rc);
	if (rc == CMD_FILE_ERROR) {
		*cause = why;
		rc = -1;
	} else if (rc != 0) {
		*cause = xasprintf("%s: %s", e->name, why ? why : "failed");
		free(why);
	}
	if (rc != 0) {
		cJSON_Delete(*result);
		*result = NULL;
	}
	cmd_args_done(&args);
	return rc;
}
