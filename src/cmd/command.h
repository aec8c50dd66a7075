/* The command table: every action a user can take, from a key binding, the
 * ':' line, a replayed session or --batch, is one of these commands.
 *
 * A command line is split like a shell's words (quotes keep spaces,
 * backslash escapes); a word NAME=VALUE whose NAME is an identifier is a
 * keyword argument, every other word is positional. */
#ifndef CROSSMKT_COMMAND_H
#define CROSSMKT_COMMAND_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "campaign.h"
#include "pathpolicy.h"
#include "workspace.h"

struct cmd_args {
	char *line;             /* the command as typed */
	char *name;             /* first word */
	size_t n_pos;
	char **pos;             /* positional words after the name */
	size_t n_kv;
	char **keys;
	char **vals;
};

/* What commands act on. */
struct cmd_ctx {
	struct workspace ws;
	/* Load progress: bytes done of total; NULL for none. */
	void (*progress)(void *arg, unsigned long long done, unsigned long long total);
	void *progress_arg;
	/* When set, long commands poll it and stop with "cancelled" once it
	 * becomes true; NULL for none. */
	const atomic_bool *cancel;
	/* When set, called by cmd_run (through cmd_record) after every
	 * command that ran, succeeded or failed, but not after a usage error
	 * or a CMD_UNRECORDED command: line as given, took_ms how long it ran.
	 * NULL for none; record_arg is not owned. A session records this way
	 * (session_attach). */
	void (*record)(void *arg, const char *line, long took_ms, bool ok);
	void *record_arg;
	/* Called about every 100 ms while a command waits for another
	 * process (a lock in the shared directory), with what it waits for;
	 * true gives up. Lets a command on the screen's thread show the wait
	 * and hear Esc. NULL for none. */
	bool (*waiting)(void *arg, const char *what);
	void *waiting_arg;
	/* The shared directory of a team's files (--shared-dir, or shared-dir
	 * in the config file); NULL for none. Not owned. */
	const char *shared_dir;
	/* Campaign definitions (campaign, test; listed by the console). */
	struct campaigns campaigns;
	/* --readonly: commands that write files or the shared directory are
	 * refused (cmd_writes); work in memory is allowed. */
	bool readonly;
	/* While a replayed session's command runs: the files it may open
	 * (cmd_run checks the table's paths, commands the paths they find
	 * elsewhere with cmd_path_allowed); NULL for none. Not owned. */
	const struct pathpolicy *confine;
};

/* A handler returns 0 with *result set (the command's JSON result, owned by
 * the caller) or -1 with *cause set (a message the caller shows and frees;
 * cmd_run prefixes it with the command name). CMD_USAGE instead of -1 marks
 * a usage error (wrong arguments); CMD_FILE_ERROR marks a message that
 * already starts with "FILE:LINE:" and is shown as it is. */
#define CMD_USAGE (-2)
#define CMD_FILE_ERROR (-3)
/* cmd_run's answer for a command it did not run: --readonly, or a path a
 * replayed session may not open. A replay stops on it even where the
 * command also failed when it was recorded, and it is not recorded. */
#define CMD_REFUSED (-4)

/* What a command is, for everything that treats commands alike: --readonly,
 * the console's thread and views, the unsaved-work check, help. */
enum cmd_flags {
	CMD_CHANGES_DATA = 1 << 0,  /* changes datasets or campaigns in memory */
	CMD_WRITES = 1 << 1,        /* writes a file or the shared directory */
	CMD_SCREEN_THREAD = 1 << 2, /* changes what a console job only borrows:
	                               runs on the screen's thread, in its turn */
	CMD_SHOWS_DATASET = 1 << 3, /* its result is a dataset to show */
	CMD_UNRECORDED = 1 << 4,    /* not recorded in sessions (commands about
	                               the session itself) */
};

/* A file a command opens, as its table entry gives it. */
struct cmd_path {
	const char *path;       /* borrowed from the arguments; NULL for the
	                           shared directory or the user's key */
	unsigned access;        /* enum pathpolicy_access, and one of: */
#define CMD_PATH_SHARED (1u << 8)       /* the shared directory */
#define CMD_PATH_OWN_KEY (1u << 9)      /* the default pseudonym key */
};
#define CMD_MAX_PATHS 2

/* A file a command line opens, with its path found (cmd_line_files). */
struct cmd_file {
	char *path;
	unsigned access;        /* enum pathpolicy_access */
};

struct cmd_entry {
	const char *name;
	const char *usage;      /* arguments, e.g. "NAME PATH [delim=C] [ROLE=COLUMN...]" */
	const char *help;       /* one line */
	size_t min_pos, max_pos;
	/* Keyword arguments accepted, NULL-terminated; NULL accepts any. */
	const char *const *keys;
	int (*exec)(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result, char **cause);
	unsigned flags;         /* enum cmd_flags */
	/* For a command that writes only with some arguments: whether these
	 * do (CMD_WRITES is then not set). */
	bool (*writes)(const struct cmd_args *args);
	/* The files the command opens with these arguments, into out; NULL
	 * for none. Replayed sessions are confined by it, and the console
	 * lists them before a replay. */
	size_t (*paths)(const struct cmd_args *args, struct cmd_path out[CMD_MAX_PATHS]);
};

extern const struct cmd_entry *const cmd_table[];

void cmd_ctx_init(struct cmd_ctx *ctx);
void cmd_ctx_done(struct cmd_ctx *ctx);

/* s as one word of a command line (the caller's): as it is when cmd_parse
 * reads it back unchanged, else in '...' with ' written as '\''. */
char *cmd_quote(const char *s);
/* Appends " VALUE" (key NULL) or " KEY=VALUE" to the command line *line
 * (allocated), the value quoted by cmd_quote. */
void cmd_append(char **line, const char *key, const char *value);
/* Splits a command line; -1 with *cause on unbalanced quotes or an empty
 * line. */
int cmd_parse(const char *line, struct cmd_args *args, char **cause);
void cmd_args_done(struct cmd_args *args);
/* The value of a keyword argument, or def. */
const char *cmd_arg(const struct cmd_args *args, const char *key, const char *def);
const struct cmd_entry *cmd_find(const char *name);
/* "unknown command 'NAME'" with the closest command's name when one is near
 * (new string). */
char *cmd_unknown(const char *name);
/* Whether e run with args writes a file or the shared directory. */
bool cmd_writes(const struct cmd_entry *e, const struct cmd_args *args);
/* 0 when the session has a shared directory, else -1 with *cause saying
 * how to give one. */
int cmd_need_shared_dir(const struct cmd_ctx *ctx, char **cause);
/* Reads key=N as a whole number >= 0 into *out when present (else leaves
 * *out); -1 with *cause when it is not one. */
int cmd_arg_count(const struct cmd_args *args, const char *key, long *out, char **cause);
/* Reads key=yes|no into *out when present (else leaves *out); -1 with
 * *cause on any other value. */
int cmd_arg_yes(const struct cmd_args *args, const char *key, bool *out, char **cause);
/* Splits a comma-separated value into *n newly allocated words (free with
 * cmd_list_free); empty items are an error. */
int cmd_split_list(const char *key, const char *value, char ***items, size_t *n, char **cause);
void cmd_list_free(char **items, size_t n);
/* The index of a column, or -1 with *cause naming the columns there are. */
int cmd_need_column(const struct table *t, const char *name, char **cause);
/* The indexes of the columns of a KEY=C,C list into a new array *cols of
 * *n (NULL and 0 when value is NULL); -1 with *cause on an unknown column. */
int cmd_need_columns(const struct table *t, const char *key, const char *value, int **cols,
    size_t *n, char **cause);
/* Parses a command line and checks it against the table (the command
 * exists, argument counts, keywords) without running it: 0, or CMD_USAGE
 * with *cause set as cmd_run would set it. */
int cmd_validate(const char *line, char **cause);
/* Calls ctx's record hook for e (NULL when unknown) having run line in
 * took_ms with status rc, when cmd_run's rule says it is recorded. */
void cmd_record(const struct cmd_ctx *ctx, const struct cmd_entry *e, const char *line,
    long took_ms, int rc);
/* 0 when ctx may open path with access (enum pathpolicy_access): always
 * outside a replay, else as ctx->confine says; -1 with *cause. */
int cmd_path_allowed(const struct cmd_ctx *ctx, const char *path, unsigned access, char **cause);
/* The files the command line opens, from its table entry, into a new
 * array *files of *n (free with cmd_files_free); none for a line that
 * does not parse. */
void cmd_line_files(const struct cmd_ctx *ctx, const char *line, struct cmd_file **files,
    size_t *n);
void cmd_files_free(struct cmd_file *files, size_t n);
/* Parses and runs one command line: 0, -1 (error), CMD_USAGE or
 * CMD_REFUSED. On error
 * *cause holds the message: "FILE:LINE: ..." when a file is at fault,
 * otherwise prefixed with the command name. */
int cmd_run(struct cmd_ctx *ctx, const char *line, cJSON **result, char **cause);

#endif
