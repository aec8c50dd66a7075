/* Batch replay of session files into reports. */
#include "config.h"

#include <stdlib.h>

#include "atomicio.h"
#include "batch.h"
#include "replay.h"
#include "session.h"
#include "xmalloc.h"

/* Loads the session, applies --set values and checks every command. */
static int replay_prepare(const struct replay_opts *o, struct session **s, char ***lines,
    char **cause)
{
	if (session_load(o->path, s, cause) != 0)
		return -1;
	for (size_t i = 0; i < o->n_sets; i++) {
		if (session_set_param(*s, o->sets[i], cause) != 0) {
			char *why = *cause;

			*cause = xasprintf("%s: %s", o->path, why);
			free(why);
			return -1;
		}
	}
	return session_expand(*s, o->path, lines, cause);
}

/* Runs one command and writes its part of the report; returns cmd_run's
 * code. */
static int replay_one(struct cmd_ctx *ctx, struct reportfmt *r, const char *line, FILE *err)
{
	cJSON *result = NULL;
	char *cause = NULL;
	int rc = cmd_run(ctx, line, &result, &cause);

	if (rc != 0)
		batch_print_error(err, cause);
	if (r->kind == REPORTFMT_JSON) {
		if (!batch_emit(r->f, err, line, result, cause) && rc == 0)
			rc = -1;
	} else {
		reportfmt_command(r, line, result, cause);
		cJSON_Delete(result);
	}
	free(cause);
	return rc;
}

/* Runs the commands in order; a command that also failed when it was
 * recorded may fail again without stopping the replay, but not one that
 * was refused. */
static int replay_commands(struct cmd_ctx *ctx, const struct session *s, char **lines,
    struct reportfmt *r, bool keep_going, FILE *err)
{
	int status = 0;

	for (size_t i = 0; i < session_count(s); i++) {
		int rc = replay_one(ctx, r, lines[i], err);

		if (rc == 0 || (rc != CMD_REFUSED && !session_recorded_ok(s, i)))
			continue;
		status = rc == CMD_USAGE ? EXIT_USAGE : EXIT_CMD_FAILED;
		if (!keep_going)
			break;
	}
	return status;
}

int replay_run(struct cmd_ctx *ctx, const struct replay_opts *o, FILE *err)
{
	struct session *s = NULL;
	struct reportfmt r = { stdout, o->kind, o->min_group, &ctx->ws, 0 };
	struct atomicio_file af;
	char **lines = NULL, *cause = NULL;
	cJSON *params;
	int status;

	if (replay_prepare(o, &s, &lines, &cause) != 0 ||
	    (o->report != NULL && atomicio_open(&af, o->report, 0666, &cause) != 0)) {
		batch_print_error(err, cause);
		free(cause);
		session_lines_free(lines, s ? session_count(s) : 0);
		session_free(s);
		return EXIT_USAGE;
	}
	if (o->report != NULL)
		r.f = af.f;
	params = session_params(s);
	reportfmt_begin(&r, o->path, params);
	cJSON_Delete(params);
	ctx->confine = o->confine;
	status = replay_commands(ctx, s, lines, &r, o->keep_going, err);
	ctx->confine = NULL;
	if (o->report != NULL && atomicio_commit(&af, &cause) != 0) {
		batch_print_error(err, cause);
		free(cause);
		status = EXIT_CMD_FAILED;
	} else if (o->report == NULL)
		fflush(stdout);
	session_lines_free(lines, session_count(s));
	session_free(s);
	return status;
}
