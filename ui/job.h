/* Commands run on a worker thread, for loads that take a while.
 *
 * A job runs one command line against a private command context, so the
 * console's workspace is never touched from another thread; when the job
 * is done, the console moves the new datasets into its own workspace. The
 * worker writes a byte to a pipe on progress and at the end; the event
 * loop polls it. */
#ifndef CROSSMKT_JOB_H
#define CROSSMKT_JOB_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "command.h"

struct job;

/* Starts line on a new thread; NULL with *cause when it cannot. */
struct job *job_start(const char *line, char **cause);
/* The descriptor to poll for reading. */
int job_fd(const struct job *j);
/* Drains the pipe; true once the command has finished. */
bool job_poll(struct job *j);
/* Progress as a fraction 0..1, or -1 when unknown. */
double job_progress(const struct job *j);
/* The command line the job runs. */
const char *job_line(const struct job *j);
/* Asks the command to stop (a load stops at its next chunk). */
void job_cancel(struct job *j);
/* After job_poll returned true: the status, and the result or cause, which
 * pass to the caller. The datasets it made are moved into ws. */
int job_finish(struct job *j, struct workspace *ws, cJSON **result, char **cause);
/* Leaves a job that has not finished to end with the process, without
 * waiting; for quitting. Frees it when it has finished. */
void job_abandon(struct job *j);
/* Waits for the thread and frees the job. */
void job_free(struct job *j);

#endif
