/* The shared directory under hostile use: processes saving one document at
 * once, and savers killed with SIGKILL in the middle of a save.
 *
 *   hostile-saves saves DIR PROCS ROUNDS   PROCS processes each add 1 to a
 *       counter ROUNDS times (open, add, save based on the revision opened,
 *       again on a conflict) while a reader opens the file in a loop:
 *       prints the lost updates (PROCS x ROUNDS - final count), the torn
 *       reads (the file did not open as a whole document), the saves that
 *       failed otherwise and the seconds taken.
 *   hostile-saves kills DIR KILLS          KILLS times a saver is killed 1
 *       to 20 ms into a loop of saves: prints the torn files (the file did
 *       not open after a kill), the kills that left a new temporary file,
 *       and the temporary files there after one more save. */
#include "config.h"

#include <dirent.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sharedfile.h"
#include "xmalloc.h"

/* The counter and its revision; -1 when the file does not open whole. */
static long hostile_counter(const char *dir, long *revision)
{
	struct sharedfile_meta meta;
	cJSON *data, *n;
	char *cause = NULL;
	long v = -1;

	if (sharedfile_open(dir, "counter", &data, &meta, &cause) != 0) {
		free(cause);
		return -1;
	}
	n = cJSON_GetObjectItem(data, "n");
	if (cJSON_IsNumber(n))
		v = (long)n->valuedouble;
	*revision = meta.revision;
	sharedfile_meta_done(&meta);
	cJSON_Delete(data);
	return v;
}

/* Saves n (with padding, so that a write takes several system calls). */
static int hostile_save(const char *dir, long n, long base)
{
	cJSON *d = cJSON_CreateObject();
	char pad[4096], *cause = NULL;
	long rev;
	int rc;

	memset(pad, 'x', sizeof pad - 1);
	pad[sizeof pad - 1] = '\0';
	cJSON_AddNumberToObject(d, "n", (double)n);
	cJSON_AddStringToObject(d, "pad", pad);
	rc = sharedfile_save(dir, "counter", d, base, false, NULL, &rev, &cause);
	if (rc == -1)
		fprintf(stderr, "hostile-saves: %s\n", cause);
	free(cause);
	cJSON_Delete(d);
	return rc;
}

/* One increment, again on a conflict: 0, or -1 when a save failed otherwise. */
static int hostile_increment(const char *dir)
{
	for (;;) {
		long rev = 0, n = hostile_counter(dir, &rev);
		int rc;

		if (n < 0) {
			fprintf(stderr, "hostile-saves: the counter does not open\n");
			return -1;
		}
		rc = hostile_save(dir, n + 1, rev);
		if (rc != SHAREDFILE_CONFLICT)
			return rc;
	}
}

static double hostile_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int hostile_saves(const char *dir, int procs, int rounds)
{
	pid_t *pids = xcalloc((size_t)procs, sizeof *pids), reader;
	/* The reader's counts: torn reads, reads. */
	volatile long *counts = mmap(NULL, 2 * sizeof *counts, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int failed = 0, st;
	long rev = 0, n;
	double t0 = hostile_now();

	mkdir(dir, 0700);
	if (counts == MAP_FAILED || hostile_save(dir, 0, 0) != 0)
		return 1;
	counts[0] = counts[1] = 0;
	for (int k = 0; k < procs; k++) {
		if ((pids[k] = fork()) == 0) {
			int bad = 0;

			for (int i = 0; i < rounds; i++)
				bad += hostile_increment(dir) != 0;
			_exit(bad > 255 ? 255 : bad);
		}
	}
	if ((reader = fork()) == 0) {
		for (;;) {
			long r;

			counts[0] += hostile_counter(dir, &r) < 0;
			counts[1]++;
		}
	}
	for (int k = 0; k < procs; k++) {
		waitpid(pids[k], &st, 0);
		failed += WIFEXITED(st) ? WEXITSTATUS(st) : rounds;
	}
	kill(reader, SIGKILL);
	waitpid(reader, NULL, 0);
	n = hostile_counter(dir, &rev);
	printf("saves: %d processes x %d: lost updates %ld, torn reads %ld of %ld, failed saves %d, "
	    "final revision %ld, %.1f s\n", procs, rounds, (long)procs * rounds - n, counts[0],
	    counts[1], failed, rev, hostile_now() - t0);
	free(pids);
	return 0;
}

/* The names of the temporary files of saves in dir, one string
 * "/NAME/NAME/.../" (the caller's). */
static char *hostile_temps(const char *dir, int *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *names = xstrdup("/"), *more;

	*n = 0;
	while (d != NULL && (e = readdir(d)) != NULL) {
		if (strstr(e->d_name, ".tmp.") == NULL)
			continue;
		more = xasprintf("%s%s/", names, e->d_name);
		free(names);
		names = more;
		(*n)++;
	}
	if (d != NULL)
		closedir(d);
	return names;
}

/* Whether after holds a name before does not. */
static bool hostile_new_temp(const char *before, const char *after)
{
	for (const char *p = after + 1; *p; p = strchr(p, '/') + 1) {
		char *name = xasprintf("/%.*s/", (int)(strchr(p, '/') - p), p);
		bool fresh = strstr(before, name) == NULL;

		free(name);
		if (fresh)
			return true;
	}
	return false;
}

static int hostile_kills(const char *dir, int kills)
{
	long torn = 0, left = 0, rev;
	int n;
	char *before, *after;

	mkdir(dir, 0700);
	srand(42);
	for (int round = 0; round < kills; round++) {
		pid_t pid;

		before = hostile_temps(dir, &n);
		if ((pid = fork()) == 0) {
			for (long i = 0;; i++) {
				long r = 0;

				hostile_counter(dir, &r);
				hostile_save(dir, i, r);
			}
		}
		usleep((useconds_t)(1000 + rand() % 20000));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		/* Before the first complete save there may be no file. */
		if (hostile_counter(dir, &rev) < 0) {
			char *path = xasprintf("%s/counter.json", dir);

			torn += access(path, F_OK) == 0;
			free(path);
		}
		after = hostile_temps(dir, &n);
		left += hostile_new_temp(before, after);
		free(before);
		free(after);
	}
	rev = 0;
	hostile_counter(dir, &rev);
	hostile_save(dir, 0, rev);
	free(hostile_temps(dir, &n));
	printf("kills: %d: torn files %ld, kills that left a temporary file %ld, temporary files "
	    "there after one more save %d\n", kills, torn, left, n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "saves") == 0)
		return hostile_saves(argv[2], atoi(argv[3]), atoi(argv[4]));
	if (argc == 4 && strcmp(argv[1], "kills") == 0)
		return hostile_kills(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: hostile-saves saves DIR PROCS ROUNDS | kills DIR KILLS\n");
	return 2;
}
