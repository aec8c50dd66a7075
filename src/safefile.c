/* Non-blocking, link-aware opens. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "safefile.h"
#include "xmalloc.h"

const char *safefile_kind(mode_t mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	if (S_ISLNK(mode))
		return "a symbolic link";
	return "not a regular file";
}

int safefile_open_read(const char *path, int flags, struct stat *st, char **cause)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | flags), err;

	*cause = NULL;
	if (fd < 0) {
		err = errno;
		if (err == ELOOP && (flags & O_NOFOLLOW))
			*cause = xasprintf("%s: is a symbolic link; not following it", path);
		errno = err;
		return -1;
	}
	if (fstat(fd, st) != 0) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		*cause = xasprintf("%s: is %s, not a regular file", path, safefile_kind(st->st_mode));
		close(fd);
		return -1;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}
