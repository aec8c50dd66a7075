/* The directories a replayed session may read and write. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pathpolicy.h"
#include "xdg.h"
#include "xmalloc.h"

struct pathpolicy_dir {
	char *dir;              /* canonical */
	unsigned access;
};

struct pathpolicy {
	struct pathpolicy_dir *dirs;
	size_t n_dirs;
	char **denied;          /* canonical when they exist */
	size_t n_denied;
};

struct pathpolicy *pathpolicy_new(void)
{
	return xcalloc(1, sizeof(struct pathpolicy));
}

void pathpolicy_free(struct pathpolicy *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n_dirs; i++)
		free(p->dirs[i].dir);
	for (size_t i = 0; i < p->n_denied; i++)
		free(p->denied[i]);
	free(p->dirs);
	free(p->denied);
	free(p);
}

int pathpolicy_allow(struct pathpolicy *p, unsigned access, const char *dir, const char *option,
    char **cause)
{
	char *real = realpath(dir, NULL);
	struct stat st;

	if (real == NULL || stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
		*cause = xasprintf("%s%s%s: not a directory%s%s", option ? option : "",
		    option ? " " : "", dir, real ? "" : ": ", real ? "" : strerror(errno));
		free(real);
		return -1;
	}
	for (size_t i = 0; i < p->n_dirs; i++) {
		if (strcmp(p->dirs[i].dir, real) == 0) {
			p->dirs[i].access |= access;
			free(real);
			return 0;
		}
	}
	p->dirs = xreallocarray(p->dirs, p->n_dirs + 1, sizeof *p->dirs);
	p->dirs[p->n_dirs++] = (struct pathpolicy_dir){ real, access };
	return 0;
}

void pathpolicy_deny(struct pathpolicy *p, const char *dir)
{
	char *real = realpath(dir, NULL);

	p->denied = xreallocarray(p->denied, p->n_denied + 1, sizeof *p->denied);
	p->denied[p->n_denied++] = real != NULL ? real : xstrdup(dir);
}

/* The directory part of path ("." when it has none). */
static char *pathpolicy_dirname(const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');

	*base = slash != NULL ? slash + 1 : path;
	if (slash == NULL)
		return xstrdup(".");
	return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

struct pathpolicy *pathpolicy_replay(const char *session, char *const *reads, size_t n_reads,
    char *const *writes, size_t n_writes, char **cause)
{
	struct pathpolicy *p = pathpolicy_new();
	const char *base;
	char *own = pathpolicy_dirname(session, &base), *dir = NULL;
	int rc = pathpolicy_allow(p, PATHPOLICY_READ, own, NULL, cause);

	free(own);
	if (rc == 0)
		rc = pathpolicy_allow(p, PATHPOLICY_READ, ".", NULL, cause);
	for (size_t i = 0; rc == 0 && i < n_reads; i++)
		rc = pathpolicy_allow(p, PATHPOLICY_READ, reads[i], "--allow-read", cause);
	for (size_t i = 0; rc == 0 && i < n_writes; i++)
		rc = pathpolicy_allow(p, PATHPOLICY_READ | PATHPOLICY_WRITE, writes[i],
		    "--allow-write", cause);
	/* Without a home to find them in, nothing is replayed. */
	for (int kind = XDG_STATE; rc == 0 && kind <= XDG_CONFIG; kind++) {
		if ((rc = xdg_where(kind, &dir, cause)) == 0)
			pathpolicy_deny(p, dir);
		free(dir);
		dir = NULL;
	}
	if (rc == 0)
		return p;
	pathpolicy_free(p);
	return NULL;
}

/* The file path names, canonical: its directory resolved by realpath, and
 * the last component too when it is a symbolic link or a directory
 * name; NULL with *cause when that cannot be found. */
static char *pathpolicy_resolve(const char *path, char **cause)
{
	const char *base;
	char *dir = pathpolicy_dirname(path, &base), *real = realpath(dir, NULL), *full;
	struct stat st;

	free(dir);
	if (real == NULL) {
		*cause = xasprintf("%s: cannot find its directory: %s", path, strerror(errno));
		return NULL;
	}
	if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		full = xasprintf("%s/%s", real, base);
	else
		full = xasprintf("%s%s%s", real, strcmp(real, "/") == 0 ? "" : "/", base);
	free(real);
	if (lstat(full, &st) != 0 || !(S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode)))
		return full;
	real = realpath(full, NULL);
	if (real == NULL)
		*cause = xasprintf("%s: a symbolic link to %s: %s", path, full, strerror(errno));
	free(full);
	return real;
}

static bool pathpolicy_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return true;
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* The directories allowed access, for messages: "A, B", or "none". */
static char *pathpolicy_list(const struct pathpolicy *p, unsigned access)
{
	char *list = NULL, *next;

	for (size_t i = 0; i < p->n_dirs; i++) {
		if ((p->dirs[i].access & access) != access)
			continue;
		next = xasprintf("%s%s%s", list ? list : "", list ? ", " : "", p->dirs[i].dir);
		free(list);
		list = next;
	}
	return list != NULL ? list : xstrdup("none");
}

/* Why path (resolved as real) may not be opened with access. */
static char *pathpolicy_refusal(const struct pathpolicy *p, const char *path, const char *real,
    unsigned access)
{
	char *list = pathpolicy_list(p, access), *why, *that = NULL;

	if (strcmp(path, real) != 0)
		that = xasprintf(" (that is %s)", real);
	if (access & PATHPOLICY_WRITE)
		why = xasprintf("%s%s: a replayed session writes only under the directories given "
		    "with --allow-write DIR (allowed: %s)", path, that ? that : "", list);
	else
		why = xasprintf("%s%s: a replayed session reads only under its own directory, the "
		    "current directory and those given with --allow-read DIR (allowed: %s)", path,
		    that ? that : "", list);
	free(that);
	free(list);
	return why;
}

int pathpolicy_check(const struct pathpolicy *p, const char *path, unsigned access, char **cause)
{
	char *real = pathpolicy_resolve(path, cause);

	if (real == NULL)
		return -1;
	for (size_t i = 0; i < p->n_denied; i++) {
		if (pathpolicy_under(real, p->denied[i])) {
			*cause = xasprintf("%s: a replayed session never opens your crossmkt settings, "
			    "keys or state (%s), whatever --allow-read and --allow-write say", path,
			    p->denied[i]);
			free(real);
			return -1;
		}
	}
	for (size_t i = 0; i < p->n_dirs; i++) {
		if ((p->dirs[i].access & access) == access && pathpolicy_under(real, p->dirs[i].dir)) {
			free(real);
			return 0;
		}
	}
	*cause = pathpolicy_refusal(p, path, real, access);
	free(real);
	return -1;
}
