/* Batch mode: runs commands without the UI and prints one JSON object per
 * command (JSON Lines). */
#ifndef CROSSMKT_BATCH_H
#define CROSSMKT_BATCH_H

#include <stdbool.h>
#include <stdio.h>

#include "command.h"

/* Exit statuses, as documented in crossmkt(1). */
#define EXIT_CMD_FAILED 1
#define EXIT_USAGE 2

/* Prints "crossmkt: MESSAGE" and a newline with control characters shown
 * as \xHH: messages quote file contents, which must not reach a terminal
 * raw. */
void batch_print_error(FILE *err, const char *cause);
/* Prints JSON text and a newline with DEL and C1 controls as \u00HH (cJSON
 * escapes the others). */
void batch_print_json(FILE *out, const char *text);
/* The JSON line of a command: {"command", "ok", "result"} taking
 * ownership of result, or {"command", "ok": false, "error"} when cause is
 * set. */
cJSON *batch_line(const char *line, cJSON *result, const char *cause);
/* JSON lines printed are shorter than this (cJSON prints at most 2 GiB). */
#define BATCH_MAX_LINE_MB 2047

/* Prints the JSON line of a command (batch_line, taking result) to out;
 * when it would be over BATCH_MAX_LINE_MB (or CROSSMKT_MAX_LINE_MB, set
 * lower), prints an error's line instead and the error to err, and
 * returns false. */
bool batch_emit(FILE *out, FILE *err, const char *line, cJSON *result, const char *cause);
/* Runs one command, printing its JSON line to out and any error to err as
 * "crossmkt: MESSAGE". Returns 0, EXIT_CMD_FAILED or EXIT_USAGE. */
int batch_run_one(struct cmd_ctx *ctx, const char *line, FILE *out, FILE *err);
/* Runs commands in order, stopping at the first failure unless keep_going.
 * Returns the exit status: the worst of the commands'. */
int batch_run(struct cmd_ctx *ctx, char *const *lines, size_t n, bool keep_going,
    FILE *out, FILE *err);
/* Reads commands from a stream, one per line; blank lines and lines
 * starting with '#' are skipped. */
int batch_run_stream(struct cmd_ctx *ctx, FILE *in, bool keep_going, FILE *out, FILE *err);

#endif
