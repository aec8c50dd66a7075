/* Sessions: the commands a user ran, recorded as the command strings that
 * reproduce them, saved as JSON and replayed.
 *
 * A session file (documented in crossmkt(1), SESSION FILES) is
 *   {"format": "crossmkt-session", "version": 1, "created": ISO time,
 *    "user": login, "seed": N, "params": {NAME: default, ...},
 *    "commands": [{"command": "...", "t": ms since the start}, ...]}
 * with "ok": false on a command that failed when it was recorded.
 * Commands may hold ${NAME} placeholders, filled from --set values and the
 * params defaults; $${ is a literal ${.
 *
 * Ownership: a session owns its strings; session_expand's lines are the
 * caller's (free with session_lines_free). A session is not locked:
 * record into it from one thread (cmd_run does on a context it is
 * attached to; a worker running commands on its own context records
 * nothing). */
#ifndef CROSSMKT_SESSION_H
#define CROSSMKT_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#define SESSION_FORMAT "crossmkt-session"
#define SESSION_VERSION 1

struct session;
struct cmd_ctx;

/* A new, empty session started now, for the login name of this process. */
struct session *session_new(unsigned long seed);
void session_free(struct session *s);
/* Milliseconds since the session started (monotonic clock). */
long session_elapsed_ms(const struct session *s);
/* Appends a command that ran t_ms after the start; ok is false when it
 * failed. */
void session_record(struct session *s, const char *line, long t_ms, bool ok);
/* Makes cmd_run record into s every command it runs on ctx (its record
 * hook); s NULL stops recording. s is not owned by ctx. */
void session_attach(struct cmd_ctx *ctx, struct session *s);
/* The session attached to ctx, or NULL. */
struct session *session_attached(const struct cmd_ctx *ctx);
/* The session as the JSON of a session file (the caller's). */
struct cJSON *session_json(const struct session *s);
/* Writes the session atomically with mode 0600. */
int session_save(const struct session *s, const char *path, char **cause);
/* Saves to autosave.json in the XDG state directory (created 0700), for
 * the console to call as commands run; *path (the caller's, may be NULL)
 * is where. */
int session_autosave(const struct session *s, char **path, char **cause);
/* Reads and checks a session file (or a shared file holding one, see
 * sharedfile.h); -1 with *cause naming the file (and the command's 1-based
 * index when one is at fault). */
int session_load(const char *path, struct session **out, char **cause);

/* Iterating over the commands as stored (placeholders unexpanded). */
size_t session_count(const struct session *s);
const char *session_command(const struct session *s, size_t i);
long session_time_ms(const struct session *s, size_t i);
/* False when the command failed when it was recorded. */
bool session_recorded_ok(const struct session *s, size_t i);
unsigned long session_seed(const struct session *s);

/* Sets a default for ${name} (kept in the saved file's params). */
void session_set_default(struct session *s, const char *name, const char *value);
/* Applies a NAME=VALUE override given with --set; -1 with *cause when it
 * is malformed or the session has no such parameter. */
int session_set_param(struct session *s, const char *assignment, char **cause);
/* The commands with their placeholders filled and each checked against
 * the command table (cmd_validate), before anything runs: 0 with *lines
 * (session_count entries), or -1 with *cause "PATH: command N: ...". */
int session_expand(const struct session *s, const char *path, char ***lines, char **cause);
void session_lines_free(char **lines, size_t n);
/* The parameters' values in use (overrides, then defaults), as a new
 * cJSON object sorted by name. */
struct cJSON *session_params(const struct session *s);

#endif
