/* Locked, revisioned, atomic saves of JSON documents. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomicio.h"
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

/* Reads and parses path; *doc NULL (and 0) when the file does not exist. */
static int sharedfile_read(const char *path, cJSON **doc, char **cause)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	*doc = NULL;
	if (f == NULL && errno == ENOENT)
		return 0;
	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    len > SHAREDFILE_MAX_BYTES || fseek(f, 0, SEEK_SET) != 0) {
		*cause = xasprintf("%s: cannot read: %s", path, f ? "too large or not seekable" : strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	buf = xmalloc((size_t)len + 1);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
		*cause = xasprintf("%s: cannot read: %s", path, strerror(errno));
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	*doc = cJSON_ParseWithLength(buf, (size_t)len);
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

/* Opens and write-locks NAME.lock, waiting for another saver. */
static int sharedfile_lock(const char *dir, const char *name, bool shared, char **cause)
{
	char *path = xasprintf("%s/%s.lock", dir, name);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	struct stat st;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, shared ? 0660 : 0600);

	if (fd < 0) {
		*cause = xasprintf("%s: cannot open the lock file: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	/* Whatever the umask, the group must be able to lock a shared file. */
	if (shared && fstat(fd, &st) == 0 && st.st_uid == geteuid() && (st.st_mode & 0777) != 0660)
		(void)fchmod(fd, 0660);
	while (fcntl(fd, F_SETLKW, &fl) != 0) {
		if (errno == EINTR)
			continue;
		*cause = xasprintf("%s: cannot lock: %s", path, strerror(errno));
		close(fd);
		free(path);
		return -1;
	}
	free(path);
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
	fputs(text, af.f);
	putc('\n', af.f);
	cJSON_free(text);
	return atomicio_commit(&af, cause);
}

int sharedfile_save(const char *dir, const char *name, const cJSON *data, long base, bool shared,
    long *revision, char **cause)
{
	char *path;
	long current = 0;
	int fd, rc;

	if (sharedfile_check_name(name, cause) != 0 || (fd = sharedfile_lock(dir, name, shared, cause)) < 0)
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
