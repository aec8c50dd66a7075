/* Temporary file, fsync, rename. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicio.h"
#include "xmalloc.h"

int atomicio_open(struct atomicio_file *af, const char *path, mode_t mode, char **cause)
{
	int fd;

	af->path = xstrdup(path);
	af->tmp = xasprintf("%s.tmp.XXXXXX", path);
	fd = mkstemp(af->tmp);
	if (fd < 0) {
		*cause = xasprintf("%s: cannot write here: %s", path, strerror(errno));
		free(af->tmp);
		free(af->path);
		return -1;
	}
	/* mkstemp makes 0600; widen or keep as asked, whatever the umask. */
	if (fchmod(fd, mode) != 0 || (af->f = fdopen(fd, "w")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		close(fd);
		unlink(af->tmp);
		free(af->tmp);
		free(af->path);
		return -1;
	}
	return 0;
}

static void atomic_release(struct atomicio_file *af)
{
	free(af->tmp);
	free(af->path);
	af->tmp = af->path = NULL;
	af->f = NULL;
}

void atomicio_abort(struct atomicio_file *af)
{
	if (af->f != NULL)
		fclose(af->f);
	unlink(af->tmp);
	atomic_release(af);
}

int atomicio_commit(struct atomicio_file *af, char **cause)
{
	int err = 0;

	if (fflush(af->f) != 0 || ferror(af->f))
		err = errno ? errno : EIO;
	else if (fsync(fileno(af->f)) != 0)
		err = errno;
	if (fclose(af->f) != 0 && err == 0)
		err = errno;
	af->f = NULL;
	if (err == 0 && rename(af->tmp, af->path) != 0)
		err = errno;
	if (err != 0) {
		*cause = xasprintf("%s: could not save: %s (the previous file, if any, is unchanged)",
		    af->path, strerror(err));
		unlink(af->tmp);
		atomic_release(af);
		return -1;
	}
	atomic_release(af);
	return 0;
}
