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
	volatile bool cancel;
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

struct job *job_start(const char *line, char **cause)
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

int job_finish(struct job *j, struct workspace *ws, cJSON **result, char **cause)
{
	if (j->running)
		pthread_join(j->thread, NULL);
	j->running = false;
	for (size_t i = 0; i < j->ctx.ws.n_tables; i++)
		workspace_put(ws, j->ctx.ws.tables[i]);
	j->ctx.ws.n_tables = 0;
	*result = j->result;
	*cause = j->cause;
	j->result = NULL;
	j->cause = NULL;
	return j->rc;
}

void job_abandon(struct job *j)
{
	if (job_poll(j)) {
		job_free(j);
		return;
	}
	j->cancel = true;
	pthread_detach(j->thread);
}

void job_free(struct job *j)
{
	if (j->running)
		pthread_join(j->thread, NULL);
	cmd_ctx_done(&j->ctx);
	cJSON_Delete(j->result);
	free(j->cause);
	free(j->line);
	close(j->fd[0]);
	close(j->fd[1]);
	free(j);
}
