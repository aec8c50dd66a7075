/* The worker thread behind long commands. */
#include "config.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "job.h"
#include "xmalloc.h"

struct job {
	pthread_t thread;
	bool running;           /* the thread is not joined yet */
	int fd[2];
	char *line;
	struct cmd_ctx ctx;
	const struct workspace *owner;  /* the workspace ctx borrows from */
	atomic_bool cancel;
	int rc;
	cJSON *result;
	char *cause;
	bool finished;
	/* Written by the worker, read by the console. */
	unsigned long long done, total;
	int last_permille;
};

static void job_notify(struct job *j)
{
	(void)!write(j->fd[1], "p", 1);
}

static void job_on_progress(void *arg, unsigned long long done, unsigned long long total)
{
	struct job *j = arg;
	int permille = total ? (int)(done * 1000 / total) : 0;

	__atomic_store_n(&j->done, done, __ATOMIC_RELAXED);
	__atomic_store_n(&j->total, total, __ATOMIC_RELAXED);
	if (permille / 10 != j->last_permille / 10) {
		j->last_permille = permille;
		job_notify(j);
	}
}

static void *job_main(void *arg)
{
	struct job *j = arg;
	int rc = cmd_run(&j->ctx, j->line, &j->result, &j->cause);

	__atomic_store_n(&j->rc, rc, __ATOMIC_RELEASE);
	(void)!write(j->fd[1], "d", 1);
	return NULL;
}

struct job *job_start(const char *line, const struct cmd_ctx *owner, char **cause)
{
	struct job *j = xcalloc(1, sizeof *j);

	if (pipe(j->fd) != 0) {
		*cause = xstrdup("cannot start the worker: no pipe");
		free(j);
		return NULL;
	}
	fcntl(j->fd[0], F_SETFL, fcntl(j->fd[0], F_GETFL) | O_NONBLOCK);
	j->line = xstrdup(line);
	j->last_permille = -10;
	cmd_ctx_init(&j->ctx);
	j->ctx.progress = job_on_progress;
	j->ctx.progress_arg = j;
	j->ctx.cancel = &j->cancel;
	j->ctx.shared_dir = owner->shared_dir;
	j->ctx.readonly = owner->readonly;
	j->ctx.confine = owner->confine;
	j->owner = &owner->ws;
	workspace_borrow(&j->ctx.ws, &owner->ws);
	/* The campaigns are only read here: commands that change them run on
	 * the console's thread. */
	j->ctx.campaigns.n = owner->campaigns.n;
	j->ctx.campaigns.v = xreallocarray(NULL, owner->campaigns.n ? owner->campaigns.n : 1,
	    sizeof *j->ctx.campaigns.v);
	if (owner->campaigns.n > 0)
		memcpy(j->ctx.campaigns.v, owner->campaigns.v,
		    owner->campaigns.n * sizeof *owner->campaigns.v);
	if (pthread_create(&j->thread, NULL, job_main, j) != 0) {
		*cause = xstrdup("cannot start the worker thread");
		job_free(j);
		return NULL;
	}
	j->running = true;
	return j;
}

int job_fd(const struct job *j)
{
	return j->fd[0];
}

bool job_poll(struct job *j)
{
	char buf[64];
	ssize_t n;

	while ((n = read(j->fd[0], buf, sizeof buf)) > 0) {
		if (memchr(buf, 'd', (size_t)n) != NULL)
			j->finished = true;
	}
	return j->finished;
}

double job_progress(const struct job *j)
{
	unsigned long long done = __atomic_load_n(&j->done, __ATOMIC_RELAXED);
	unsigned long long total = __atomic_load_n(&j->total, __ATOMIC_RELAXED);

	return total ? (double)done / (double)total : -1;
}

const char *job_line(const struct job *j)
{
	return j->line;
}

void job_cancel(struct job *j)
{
	j->cancel = true;
}

bool job_cancelled(const struct job *j)
{
	return j->cancel;
}

static void job_join(struct job *j)
{
	if (j->running)
		pthread_join(j->thread, NULL);
	j->running = false;
}

int job_finish(struct job *j, struct cmd_ctx *owner, cJSON **result, char **cause)
{
	int rc;

	job_join(j);
	rc = j->rc;
	/* A command that ended before it saw the cancel is given up too. */
	if (j->cancel && rc == 0) {
		size_t n = strcspn(j->line, " ");

		rc = -1;
		free(j->cause);
		j->cause = xasprintf("%.*s: cancelled", (int)n, j->line);
	}
	if (rc == 0)
		workspace_adopt(&owner->ws, &j->ctx.ws);
	else
		workspace_release(&j->ctx.ws, &owner->ws);
	*result = rc == 0 ? j->result : NULL;
	*cause = j->cause;
	if (rc == 0)
		j->result = NULL;
	j->cause = NULL;
	return rc;
}

void job_free(struct job *j)
{
	job_join(j);
	workspace_release(&j->ctx.ws, j->owner);
	free(j->ctx.campaigns.v);
	j->ctx.campaigns.v = NULL;
	j->ctx.campaigns.n = 0;
	cmd_ctx_done(&j->ctx);
	cJSON_Delete(j->result);
	free(j->cause);
	free(j->line);
	close(j->fd[0]);
	close(j->fd[1]);
	free(j);
}
