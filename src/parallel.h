/* A fork-join loop over numbered tasks on a few pthreads.
 *
 * Tasks are claimed in any order by any thread, so a task must write only
 * to its own slot of the caller's arrays; callers then combine the slots in
 * task order, which keeps floating-point results identical for any thread
 * count. */
#ifndef CROSSMKT_PARALLEL_H
#define CROSSMKT_PARALLEL_H

#include <stddef.h>

/* Upper bound on threads for one loop. */
#define PARALLEL_MAX_THREADS 64

typedef void (*parallel_fn)(void *arg, size_t task);

/* Number of threads to use when the caller asked for 0 (all online CPUs). */
unsigned parallel_threads(unsigned wanted);
/* Runs fn(arg, t) for t = 0 .. n_tasks - 1 and returns when all are done. */
void parallel_run(size_t n_tasks, unsigned threads, parallel_fn fn, void *arg);

#endif
