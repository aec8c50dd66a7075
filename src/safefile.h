/* Opening files someone else may have put in place: a FIFO or a device
 * where a data file should be must not block the program, and a link in a
 * shared directory must not redirect it. */
#ifndef CROSSMKT_SAFEFILE_H
#define CROSSMKT_SAFEFILE_H

#include <sys/stat.h>

/* Opens path read-only without blocking on a FIFO (O_NONBLOCK, cleared
 * once fstat shows a regular file), adding flags (e.g. O_NOFOLLOW). The
 * descriptor (the caller's), with *st the opened file's; or -1 with
 * *cause set for a file that is not regular or, under O_NOFOLLOW, a
 * symbolic link; or -1 with *cause left NULL and errno set when open
 * failed otherwise (the caller words that, e.g. ENOENT). */
int safefile_open_read(const char *path, int flags, struct stat *st, char **cause);
/* What kind of file a mode is: "a FIFO", "a directory", ... */
const char *safefile_kind(mode_t mode);

#endif
