/* The interactive console: an ncurses front end over the command table. */
#ifndef CROSSMKT_UI_H
#define CROSSMKT_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "command.h"

struct ui_opts {
	bool readonly;          /* refuse commands that write files; write nothing */
	int refresh_ms;         /* period of view updates; 0 for the default */
	bool demo;              /* load the demo datasets even when files are given */
	/* A session file to replay in view instead of the start-up loads,
	 * with --set NAME=VALUE overrides; NULL for none. */
	const char *replay;
	char *const *sets;
	size_t n_sets;
	/* The files that session's commands may open; not owned. */
	const struct pathpolicy *confine;
};

/* Runs the console on ctx until the user quits; files are loaded first
 * (or the demo datasets when there are none). Returns the exit status. */
int ui_main(struct cmd_ctx *ctx, char *const *files, size_t n_files, const struct ui_opts *opts);

#endif
