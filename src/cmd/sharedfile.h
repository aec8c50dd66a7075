/* Files on a shared analytics box: JSON documents saved under a name in a
 * shared directory, so that two marketers never lose each other's edits.
 *
 * A save takes an fcntl write lock on NAME.lock, checks the revision on
 * disk, writes NAME.json atomically (temporary file, fsync, rename) and
 * lets go of the lock. Concurrency is optimistic: a document carries its
 * revision, author (login name) and time, and a save based on a revision
 * other than the one on disk is refused with a message naming who changed
 * it and when; the caller opens it again, reapplies the change and saves.
 *
 * On disk: {"format": "crossmkt-shared", "version": 1, "name": NAME,
 * "revision": N, "author": LOGIN, "saved": ISO time, "data": {...}}.
 * Shared files get mode 0660 (the directory's group shares them: make it
 * setgid), private ones 0600.
 *
 * A group member may plant anything in the directory: NAME.lock and
 * NAME.json are opened without following symbolic links, and must be
 * regular files (a FIFO never blocks a read); a lock file must have a
 * single link, and be the user's own when private. A lock held by another
 * process is waited for (sharedfile_wait), never forever. A document is
 * at most 64 MB: a larger one is refused when saved, not when read back. Names are letters, digits, '.', '_' and '-',
 * not starting with '.'. */
#ifndef CROSSMKT_SHAREDFILE_H
#define CROSSMKT_SHAREDFILE_H

#include <stdatomic.h>
#include <stdbool.h>

#include <cjson/cJSON.h>

/* How long a save waits for another process's lock by default. */
#define SHAREDFILE_WAIT_SECONDS 10.0

/* How a save waits while another process holds NAME.lock. */
struct sharedfile_wait {
	double timeout;                 /* seconds, then it fails */
	const atomic_bool *cancel;      /* set: give up now; NULL for none */
	/* Called about every 100 ms of a wait with "waiting for NAME's lock
	 * held by USER (pid N)"; true gives up. NULL for none. */
	bool (*waiting)(void *arg, const char *what);
	void *arg;
};

/* sharedfile_save's return when someone else saved first. */
#define SHAREDFILE_CONFLICT (-2)

struct sharedfile_meta {
	long revision;          /* 0: no such file yet */
	char *author;
	char *saved;
};

/* Opens NAME: *data (the caller's) and *meta (free with
 * sharedfile_meta_done). -1 with *cause. */
int sharedfile_open(const char *dir, const char *name, cJSON **data, struct sharedfile_meta *meta,
    char **cause);
/* Saves data as NAME, based on revision base (0 for a new file): 0 with
 * *revision set to the new revision, SHAREDFILE_CONFLICT when the file on
 * disk is at another revision, -1 on other errors (the lock not had
 * within wait's time, NULL for SHAREDFILE_WAIT_SECONDS); *cause either
 * way. */
int sharedfile_save(const char *dir, const char *name, const cJSON *data, long base, bool shared,
    const struct sharedfile_wait *wait, long *revision, char **cause);
/* The documents in dir, sorted by name: [{name, revision, author, saved}]. */
int sharedfile_list(const char *dir, cJSON **list, char **cause);
void sharedfile_meta_done(struct sharedfile_meta *meta);

#endif
