/* Replaying a session without the console: every command is checked
 * before any runs, then each runs in order and its result goes to a
 * report (JSON Lines as in batch mode, Markdown or CSV). */
#ifndef CROSSMKT_REPLAY_H
#define CROSSMKT_REPLAY_H

#include <stdbool.h>
#include <stdio.h>

#include "command.h"
#include "reportfmt.h"

struct replay_opts {
	const char *path;               /* the session file */
	char *const *sets;              /* NAME=VALUE overrides */
	size_t n_sets;
	const char *report;             /* written atomically; NULL for stdout */
	enum reportfmt_kind kind;
	long min_group;                 /* for Markdown and CSV */
	bool keep_going;
	/* The files the session's commands may open (not the report). */
	const struct pathpolicy *confine;
};

/* Returns the exit status: 0, EXIT_CMD_FAILED, or EXIT_USAGE when the
 * session file is bad (then nothing ran). Messages go to err. */
int replay_run(struct cmd_ctx *ctx, const struct replay_opts *o, FILE *err);

#endif
