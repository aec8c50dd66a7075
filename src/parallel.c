/* Fork-join over tasks: threads are started per loop, which costs tens of
 * microseconds, small beside the loops that are worth splitting. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "parallel.h"

struct parallel_job {
	size_t n_tasks;
	size_t next;            /* next unclaimed task, taken atomically */
	parallel_fn fn;
	void *arg;
};

unsigned parallel_threads(unsigned wanted)
{
	long online;

	if (wanted == 0) {
		online = sysconf(_SC_NPROCESSORS_ONLN);
		wanted = online > 0 ? (unsigned)online : 1;
	}
	return wanted > PARALLEL_MAX_THREADS ? PARALLEL_MAX_THREADS : wanted;
}

static void *parallel_worker(void *p)
{
	struct parallel_job *job = p;
	size_t t;

	for (;;) {
		t = __atomic_fetch_add(&job->next, 1, __ATOMIC_RELAXED);
		if (t >= job->n_tasks)
			return NULL;
		job->fn(job->arg, t);
	}
}

void parallel_run(size_t n_tasks, unsigned threads, parallel_fn fn, void *arg)
{
	struct parallel_job job = { n_tasks, 0, fn, arg };
	pthread_t tid[PARALLEL_MAX_THREADS];
	unsigned started = 0;

	threads = parallel_threads(threads);
	if (threads > n_tasks)
		threads = n_tasks ? (unsigned)n_tasks : 1;
	/* The calling thread is one of the workers. */
	for (; started + 1 < threads; started++) {
		if (pthread_create(&tid[started], NULL, parallel_worker,
		    &job) != 0)
			break;
	}
	parallel_worker(&job);
	for (unsigned i = 0; i < started; i++) {
		if (pthread_join(tid[i], NULL) != 0) {
			fprintf(stderr, "crossmkt: pthread_join failed\n");
			abort();
		}
	}
}
