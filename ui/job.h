/* Commands run on a worker thread, so that the console answers keys while
 * they work and can cancel them.
 *
 * A job runs one command line against a private command context holding
 * borrowed copies of the console's datasets (workspace_borrow) and its
 * campaigns, so the console may go on reading its own while the worker
 * reads and changes the copies. While a job runs nothing may change the
 * console's datasets or campaigns. When the job is done the console's
 * workspace adopts the copies; when it failed or was cancelled they are
 * released and nothing changed. The worker writes a byte to a pipe on
 * progress and at the end; the event loop polls it. */
#ifndef CROSSMKT_JOB_H
#define CROSSMKT_JOB_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "command.h"

struct job;

/* Starts line on a new thread, on borrowed copies of owner's datasets and
 * campaigns; NULL with *cause when it cannot. */
struct job *job_start(const char *line, const struct cmd_ctx *owner, char **cause);
/* The descriptor to poll for reading. */
int job_fd(const struct job *j);
/* Drains the pipe; true once the command has finished. */
bool job_poll(struct job *j);
/* Progress as a fraction 0..1, or -1 when unknown. */
double job_progress(const struct job *j);
/* The command line the job runs. */
const char *job_line(const struct job *j);
/* Asks the command to stop; long commands poll for it (a load at its next
 * chunk, k-means every pass). */
void job_cancel(struct job *j);
bool job_cancelled(const struct job *j);
/* After job_poll returned true: the status, and the result or cause, which
 * pass to the caller. On success the owner's workspace adopts the copies;
 * otherwise (a cancelled job fails with "NAME: cancelled") it is as it
 * was. */
int job_finish(struct job *j, struct cmd_ctx *owner, cJSON **result, char **cause);
/* Waits for the thread (cancel first to make it short) and frees the job;
 * copies not adopted are released. */
void job_free(struct job *j);

#endif
