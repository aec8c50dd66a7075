/* Atomic file replacement: write to a temporary file in the target's
 * directory, flush, fsync, then rename over the target. A reader (or a
 * crash) sees the old complete file or the new complete file, never a torn
 * one.
 *
 * The temporary file is PATH.tmp.PID.XXXXXX (PID the writer's). Opening
 * sweeps the target's directory of such files left by a writer killed in
 * the middle of a save: those whose process is gone or that are over an
 * hour old; never a live process's file. */
#ifndef CROSSMKT_ATOMICIO_H
#define CROSSMKT_ATOMICIO_H

#include <stdio.h>
#include <sys/types.h>

struct atomicio_file {
	FILE *f;                /* write here */
	char *path;             /* the target */
	char *tmp;              /* the temporary file */
};

/* Opens a temporary file beside path, created with mode as open(2) does:
 * the umask applies (0666 for a file the user's umask decides, 0600 for a
 * private one); -1 with *cause when the directory is not writable. */
int atomicio_open(struct atomicio_file *af, const char *path, mode_t mode, char **cause);
/* Flushes, fsyncs and renames into place; on any error removes the
 * temporary file, leaves the target untouched and returns -1 with *cause. */
int atomicio_commit(struct atomicio_file *af, char **cause);
/* Gives up: removes the temporary file. */
void atomicio_abort(struct atomicio_file *af);

#endif
