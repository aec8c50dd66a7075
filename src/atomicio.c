/* Temporary file, fsync, rename; stale temporary files swept. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomicio.h"
#include "xmalloc.h"

#define ATOMICIO_SUFFIX ".tmp."
#define ATOMICIO_RAND_LEN 6
/* A temporary file this old is stale even when its pid is alive again
 * (pids are reused). No save takes anywhere near as long. */
#define ATOMICIO_STALE_SECONDS 3600

/* The writer's pid in a name NAME.tmp.PID.XXXXXX, or 0 when the name is
 * not of that form. */
static pid_t atomicio_tmp_pid(const char *name)
{
	const char *p = strstr(name, ATOMICIO_SUFFIX), *last = NULL;
	char *end;
	long pid;

	for (; p != NULL; p = strstr(p + 1, ATOMICIO_SUFFIX))
		last = p;
	if (last == NULL || last == name)
		return 0;
	last += strlen(ATOMICIO_SUFFIX);
	if (*last < '1' || *last > '9')
		return 0;
	errno = 0;
	pid = strtol(last, &end, 10);
	if (errno != 0 || pid <= 0 || (pid_t)pid != pid || *end != '.' ||
	    strlen(end + 1) != ATOMICIO_RAND_LEN)
		return 0;
	for (const char *s = end + 1; *s; s++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') && !(*s >= '0' && *s <= '9'))
			return 0;
	return (pid_t)pid;
}

/* Whether a temporary file of pid, last changed at mtime, is stale: its
 * writer is gone or it is over an hour old. A pid of another user's live
 * process answers EPERM: alive. */
static bool atomicio_stale(pid_t pid, time_t mtime)
{
	if (pid == getpid())
		return false;
	if (kill(pid, 0) != 0 && errno == ESRCH)
		return true;
	return time(NULL) - mtime > ATOMICIO_STALE_SECONDS;
}

/* Removes the stale temporary files of our naming in dir. Best effort:
 * what cannot be removed (another user's, in a sticky directory) stays. */
static void atomicio_sweep(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;
	pid_t pid;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if ((pid = atomicio_tmp_pid(e->d_name)) == 0 ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode) || !atomicio_stale(pid, st.st_mtime))
			continue;
		(void)unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}

/* The directory part of path ("." when none). */
static char *atomicio_dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* Creates PATH.tmp.PID.XXXXXX exclusively with mode (the umask applies).
 * The letters come from the clock through splitmix64, leaving the
 * program's random() sequence alone. */
static int atomicio_create(struct atomicio_file *af, mode_t mode)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	char letters[ATOMICIO_RAND_LEN + 1];
	struct timespec ts;
	unsigned long long x;
	int fd = -1;

	clock_gettime(CLOCK_REALTIME, &ts);
	x = (unsigned long long)ts.tv_sec * 1000000007ULL ^ (unsigned long long)ts.tv_nsec ^
	    (unsigned long long)(uintptr_t)af;
	for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
		for (int i = 0; i < ATOMICIO_RAND_LEN; i++) {
			unsigned long long z = (x += 0x9e3779b97f4a7c15ULL);

			z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
			z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
			letters[i] = set[(z ^ (z >> 31)) % (sizeof set - 1)];
		}
		letters[ATOMICIO_RAND_LEN] = '\0';
		free(af->tmp);
		af->tmp = xasprintf("%s" ATOMICIO_SUFFIX "%ld.%s", af->path, (long)getpid(), letters);
		fd = open(af->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	return fd;
}

int atomicio_open(struct atomicio_file *af, const char *path, mode_t mode, char **cause)
{
	char *dir = atomicio_dir(path);
	int fd;

	atomicio_sweep(dir);
	free(dir);
	af->path = xstrdup(path);
	af->tmp = NULL;
	fd = atomicio_create(af, mode);
	if (fd < 0) {
		*cause = xasprintf("%s: cannot write here: %s", path, strerror(errno));
		free(af->tmp);
		free(af->path);
		return -1;
	}
	if ((af->f = fdopen(fd, "w")) == NULL) {
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
