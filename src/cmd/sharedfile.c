/* Locked, revisioned, atomic saves of JSON documents. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomicio.h"
#include "cancel.h"
#include "safefile.h"
#include "sharedfile.h"
#include "xdg.h"
#include "xmalloc.h"

#define SHAREDFILE_FORMAT "crossmkt-shared"
#define SHAREDFILE_VERSION 1
#define SHAREDFILE_MAX_BYTES (64L << 20)

static int sharedfile_check_name(const char *name, char **cause)
{
	const char *p = name;

	for (; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '_' && *p != '-')
			break;
	if (*name == '\0' || *name == '.' || *p != '\0') {
		*cause = xasprintf("'%s': a shared name is letters, digits, '.', '_' and '-', "
		    "not starting with '.'", name);
		return -1;
	}
	return 0;
}

void sharedfile_meta_done(struct sharedfile_meta *meta)
{
	free(meta->author);
	free(meta->saved);
	meta->author = meta->saved = NULL;
	meta->revision = 0;
}

/* Opens path for reading, refusing links and special files; NULL (and
 * *cause NULL) when it does not exist. */
static FILE *sharedfile_fopen(const char *path, struct stat *st, char **cause)
{
	int fd = safefile_open_read(path, O_NOFOLLOW, st, cause);
	FILE *f;

	if (fd < 0) {
		if (*cause == NULL && errno != ENOENT)
			*cause = xasprintf("%s: cannot read: %s", path, strerror(errno));
		return NULL;
	}
	if ((f = fdopen(fd, "rb")) == NULL) {
		*cause = xasprintf("%s: cannot read: %s", path, strerror(errno));
		close(fd);
	}
	return f;
}

/* Reads and parses path; *doc NULL (and 0) when the file does not exist. */
static int sharedfile_read(const char *path, cJSON **doc, char **cause)
{
	struct stat st;
	FILE *f = sharedfile_fopen(path, &st, cause);
	char *buf;
	size_t len;

	*doc = NULL;
	if (f == NULL)
		return *cause == NULL ? 0 : -1;
	if (st.st_size > SHAREDFILE_MAX_BYTES) {
		*cause = xasprintf("%s: cannot read: over the %ld MB a shared file may hold", path,
		    SHAREDFILE_MAX_BYTES >> 20);
		fclose(f);
		return -1;
	}
	len = (size_t)st.st_size;
	buf = xmalloc(len + 1);
	if (fread(buf, 1, len, f) != len) {
		*cause = xasprintf("%s: cannot read: %s", path, ferror(f) ? strerror(errno) :
		    "the file shrank while it was read");
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	*doc = cJSON_ParseWithLength(buf, len);
	free(buf);
	if (*doc == NULL) {
		*cause = xasprintf("%s: not valid JSON", path);
		return -1;
	}
	return 0;
}

/* Checks the envelope and fills meta from it. */
static int sharedfile_meta_from(const cJSON *doc, const char *path, struct sharedfile_meta *meta,
    char **cause)
{
	const cJSON *format = cJSON_GetObjectItemCaseSensitive(doc, "format");
	const cJSON *version = cJSON_GetObjectItemCaseSensitive(doc, "version");
	const cJSON *rev = cJSON_GetObjectItemCaseSensitive(doc, "revision");
	const cJSON *author = cJSON_GetObjectItemCaseSensitive(doc, "author");
	const cJSON *saved = cJSON_GetObjectItemCaseSensitive(doc, "saved");

	if (!cJSON_IsString(format) || strcmp(format->valuestring, SHAREDFILE_FORMAT) != 0 ||
	    !cJSON_IsNumber(version) || !cJSON_IsNumber(rev) || !(rev->valuedouble >= 1 &&
	    rev->valuedouble < 1e15)) {
		*cause = xasprintf("%s: not a crossmkt shared file", path);
		return -1;
	}
	if (version->valueint > SHAREDFILE_VERSION) {
		*cause = xasprintf("%s: shared file version %d is newer than this crossmkt reads (%d)",
		    path, version->valueint, SHAREDFILE_VERSION);
		return -1;
	}
	meta->revision = (long)rev->valuedouble;
	meta->author = xstrdup(cJSON_IsString(author) ? author->valuestring : "someone");
	meta->saved = xstrdup(cJSON_IsString(saved) ? saved->valuestring : "an unknown time");
	return 0;
}

int sharedfile_open(const char *dir, const char *name, cJSON **data, struct sharedfile_meta *meta,
    char **cause)
{
	char *path;
	cJSON *doc;
	int rc = -1;

	*data = NULL;
	memset(meta, 0, sizeof *meta);
	if (sharedfile_check_name(name, cause) != 0)
		return -1;
	path = xasprintf("%s/%s.json", dir, name);
	if (sharedfile_read(path, &doc, cause) == 0 && doc == NULL)
		*cause = xasprintf("%s: no such shared file", path);
	else if (doc != NULL && sharedfile_meta_from(doc, path, meta, cause) == 0) {
		*data = cJSON_DetachItemFromObjectCaseSensitive(doc, "data");
		if (*data == NULL)
			*data = cJSON_CreateNull();
		rc = 0;
	}
	cJSON_Delete(doc);
	free(path);
	return rc;
}

/* Opens NAME.lock without following a link: created here (and then
 * made group-writable for a shared file), or an existing regular file
 * with one link, ours when the file is private. Never changes the mode of
 * a file this process did not create. */
static int sharedfile_lock_open(const char *path, bool shared, char **cause)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, shared ? 0660 : 0600);
	bool created = fd >= 0;
	struct stat st;

	if (fd < 0 && errno == EEXIST)
		fd = open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		*cause = errno == ELOOP ? xasprintf("%s: is a symbolic link; not following it (remove it "
		    "to save)", path) : xasprintf("%s: cannot open the lock file: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		*cause = xasprintf("%s: cannot open the lock file: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_nlink != 1 || (!shared && st.st_uid != geteuid())) {
		*cause = xasprintf("%s: not a lock file of this directory (%s%s); remove it to save", path,
		    safefile_kind(st.st_mode), S_ISREG(st.st_mode) ? (st.st_nlink != 1 ?
		    " with another link" : " owned by another user") : "");
		close(fd);
		return -1;
	}
	/* Whatever the umask, the group must be able to lock a shared file. */
	if (created && shared)
		(void)fchmod(fd, 0660);
	return fd;
}

/* Who holds the lock on fd: "USER (pid N)", or NULL when nobody does now.
 * The user owns /proc/PID, else the lock file. */
static char *sharedfile_holder(int fd)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	struct passwd *pw;
	struct stat st;
	char proc[64];

	if (fcntl(fd, F_GETLK, &fl) != 0 || fl.l_type == F_UNLCK)
		return NULL;
	snprintf(proc, sizeof proc, "/proc/%ld", (long)fl.l_pid);
	if (stat(proc, &st) != 0 && fstat(fd, &st) != 0)
		return xasprintf("someone (pid %ld)", (long)fl.l_pid);
	pw = getpwuid(st.st_uid);
	if (pw != NULL)
		return xasprintf("%s (pid %ld)", pw->pw_name, (long)fl.l_pid);
	return xasprintf("uid %ld (pid %ld)", (long)st.st_uid, (long)fl.l_pid);
}

static double sharedfile_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Pauses between attempts at a held lock. A lock is held for a moment at a
 * time: polling must be quick to catch the moment it is free, or a saver
 * waits out the time limit while others keep taking the lock in turn. */
#define SHAREDFILE_PAUSE_MIN_US 100
#define SHAREDFILE_PAUSE_MAX_US 2000

/* Tries to lock fd until it is ours (0), the time is up or the wait is
 * cancelled (-1 with *cause). Polls: a wait on F_SETLKW could not be
 * cancelled. The caller hears every 100 ms or so. */
static int sharedfile_lock_wait(int fd, const char *name, const struct sharedfile_wait *w,
    char **cause)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	double start = sharedfile_now(), told = start, now;
	long pause_us = SHAREDFILE_PAUSE_MIN_US;
	char *holder, *what, *why = NULL;

	while (fcntl(fd, F_SETLK, &fl) != 0) {
		if (errno != EACCES && errno != EAGAIN && errno != EINTR) {
			*cause = xasprintf("%s: cannot lock: %s", name, strerror(errno));
			return -1;
		}
		if ((holder = sharedfile_holder(fd)) == NULL)
			continue;
		now = sharedfile_now();
		what = xasprintf("waiting for %s's lock held by %s", name, holder);
		free(holder);
		if (now - start >= w->timeout)
			why = xasprintf("gave up %s after %g s; try again when the other save is done",
			    what, w->timeout);
		else if (cancel_requested(w->cancel) ||
		    (now - told >= 0.1 && w->waiting != NULL && (told = now, w->waiting(w->arg, what))))
			why = xasprintf("cancelled %s", what);
		free(what);
		if (why != NULL) {
			*cause = why;
			return -1;
		}
		usleep((useconds_t)pause_us);
		pause_us = pause_us * 2 > SHAREDFILE_PAUSE_MAX_US ? SHAREDFILE_PAUSE_MAX_US : pause_us * 2;
	}
	return 0;
}

/* Opens and write-locks NAME.lock, waiting for another saver as w says. */
static int sharedfile_lock(const char *dir, const char *name, bool shared,
    const struct sharedfile_wait *w, char **cause)
{
	static const struct sharedfile_wait def = { SHAREDFILE_WAIT_SECONDS, NULL, NULL, NULL };
	char *path = xasprintf("%s/%s.lock", dir, name);
	int fd = sharedfile_lock_open(path, shared, cause);

	free(path);
	if (fd >= 0 && sharedfile_lock_wait(fd, name, w != NULL ? w : &def, cause) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The revision on disk (0 when none); conflict message when it is not base. */
static int sharedfile_check_base(const char *path, const char *name, long base, long *current,
    char **cause)
{
	struct sharedfile_meta meta = { 0 };
	cJSON *doc;

	if (sharedfile_read(path, &doc, cause) != 0)
		return -1;
	if (doc != NULL && sharedfile_meta_from(doc, path, &meta, cause) != 0) {
		cJSON_Delete(doc);
		return -1;
	}
	cJSON_Delete(doc);
	*current = meta.revision;
	if (meta.revision == base) {
		sharedfile_meta_done(&meta);
		return 0;
	}
	if (meta.revision == 0)
		*cause = xasprintf("%s was removed since you opened it (revision %ld); save it under "
		    "a new name or as new", name, base);
	else if (base == 0)
		*cause = xasprintf("%s already exists: %s saved revision %ld at %s; open it first",
		    name, meta.author, meta.revision, meta.saved);
	else
		*cause = xasprintf("%s was changed by %s at %s (revision %ld; yours is based on "
		    "revision %ld): open it again and redo your change", name, meta.author,
		    meta.saved, meta.revision, base);
	sharedfile_meta_done(&meta);
	return SHAREDFILE_CONFLICT;
}

static cJSON *sharedfile_envelope(const char *name, const cJSON *data, long revision)
{
	cJSON *doc = cJSON_CreateObject();
	char saved[32];

	xdg_iso_time(time(NULL), saved, sizeof saved);
	cJSON_AddStringToObject(doc, "format", SHAREDFILE_FORMAT);
	cJSON_AddNumberToObject(doc, "version", SHAREDFILE_VERSION);
	cJSON_AddStringToObject(doc, "name", name);
	cJSON_AddNumberToObject(doc, "revision", (double)revision);
	cJSON_AddStringToObject(doc, "author", xdg_login_name());
	cJSON_AddStringToObject(doc, "saved", saved);
	cJSON_AddItemToObject(doc, "data", cJSON_Duplicate(data, true));
	return doc;
}

static int sharedfile_write(const char *path, const cJSON *doc, bool shared, char **cause)
{
	struct atomicio_file af;
	char *text;

	if (atomicio_open(&af, path, shared ? 0660 : 0600, cause) != 0)
		return -1;
	/* The temporary file is ours: whatever the umask, the group shares it. */
	if (shared && fchmod(fileno(af.f), 0660) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		atomicio_abort(&af);
		return -1;
	}
	text = cJSON_Print(doc);
	if (strlen(text) + 1 > (size_t)SHAREDFILE_MAX_BYTES) {
		*cause = xasprintf("%s: %zu MB, over the %ld MB a shared file may hold: it could not be "
		    "read back; share less", path, (strlen(text) + 1 + (1 << 20) - 1) >> 20,
		    SHAREDFILE_MAX_BYTES >> 20);
		cJSON_free(text);
		atomicio_abort(&af);
		return -1;
	}
	fputs(text, af.f);
	putc('\n', af.f);
	cJSON_free(text);
	return atomicio_commit(&af, cause);
}

int sharedfile_save(const char *dir, const char *name, const cJSON *data, long base, bool shared,
    const struct sharedfile_wait *wait, long *revision, char **cause)
{
	char *path;
	long current = 0;
	int fd, rc;

	if (sharedfile_check_name(name, cause) != 0 || (fd = sharedfile_lock(dir, name, shared, wait, cause)) < 0)
		return -1;
	path = xasprintf("%s/%s.json", dir, name);
	rc = sharedfile_check_base(path, name, base, &current, cause);
	if (rc == 0) {
		cJSON *doc = sharedfile_envelope(name, data, current + 1);

		rc = sharedfile_write(path, doc, shared, cause);
		cJSON_Delete(doc);
		*revision = current + 1;
	}
	/* Closing the descriptor releases the lock. */
	close(fd);
	free(path);
	return rc;
}

static int sharedfile_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the NAME.json files in dir, sorted. */
static int sharedfile_names(const char *dir, char ***names, size_t *n, char **cause)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	*names = NULL;
	*n = 0;
	if (d == NULL) {
		*cause = xasprintf("%s: cannot list: %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		char *name;

		if (len <= 5 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		name = xstrndup(e->d_name, len - 5);
		*names = xreallocarray(*names, *n + 1, sizeof **names);
		(*names)[(*n)++] = name;
	}
	closedir(d);
	if (*n > 1)
		qsort(*names, *n, sizeof **names, sharedfile_cmp);
	return 0;
}

int sharedfile_list(const char *dir, cJSON **list, char **cause)
{
	char **names;
	size_t n;

	if (sharedfile_names(dir, &names, &n, cause) != 0)
		return -1;
	*list = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++) {
		struct sharedfile_meta meta;
		cJSON *data, *o;
		char *why = NULL;

		if (sharedfile_open(dir, names[i], &data, &meta, &why) == 0) {
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "name", names[i]);
			cJSON_AddNumberToObject(o, "revision", (double)meta.revision);
			cJSON_AddStringToObject(o, "author", meta.author);
			cJSON_AddStringToObject(o, "saved", meta.saved);
			cJSON_AddItemToArray(*list, o);
			cJSON_Delete(data);
			sharedfile_meta_done(&meta);
		}
		free(why);
		free(names[i]);
	}
	free(names);
	return 0;
}
