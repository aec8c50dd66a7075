/* Recording, saving, loading and expanding sessions. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "atomicio.h"
#include "command.h"
#include "safefile.h"
#include "session.h"
#include "xdg.h"
#include "xmalloc.h"

/* Session files larger than this are refused rather than read. */
#define SESSION_MAX_BYTES (64L << 20)

struct session_command {
	char *line;
	long t;
	bool ok;
};

struct session {
	char *created;
	char *user;
	unsigned long seed;
	cJSON *params;          /* defaults: {name: "value"} */
	cJSON *overrides;       /* --set values */
	struct session_command *cmds;
	size_t n;
	struct timespec start;
};

static struct session *session_alloc(void)
{
	struct session *s = xcalloc(1, sizeof *s);

	s->params = cJSON_CreateObject();
	s->overrides = cJSON_CreateObject();
	clock_gettime(CLOCK_MONOTONIC, &s->start);
	return s;
}

struct session *session_new(unsigned long seed)
{
	struct session *s = session_alloc();
	char buf[32];

	xdg_iso_time(time(NULL), buf, sizeof buf);
	s->created = xstrdup(buf);
	s->user = xstrdup(xdg_login_name());
	s->seed = seed;
	return s;
}

void session_free(struct session *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->cmds[i].line);
	free(s->cmds);
	cJSON_Delete(s->params);
	cJSON_Delete(s->overrides);
	free(s->created);
	free(s->user);
	free(s);
}

long session_elapsed_ms(const struct session *s)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - s->start.tv_sec) * 1000 +
	    (long)(now.tv_nsec - s->start.tv_nsec) / 1000000;
}

void session_record(struct session *s, const char *line, long t_ms, bool ok)
{
	s->cmds = xreallocarray(s->cmds, s->n + 1, sizeof *s->cmds);
	s->cmds[s->n].line = xstrdup(line);
	s->cmds[s->n].t = t_ms < 0 ? 0 : t_ms;
	s->cmds[s->n++].ok = ok;
}

/* The record hook of an attached context: the command started took_ms
 * before now. */
static void session_record_hook(void *arg, const char *line, long took_ms, bool ok)
{
	struct session *s = arg;

	session_record(s, line, session_elapsed_ms(s) - took_ms, ok);
}

void session_attach(struct cmd_ctx *ctx, struct session *s)
{
	ctx->record = s != NULL ? session_record_hook : NULL;
	ctx->record_arg = s;
}

struct session *session_attached(const struct cmd_ctx *ctx)
{
	return ctx->record == session_record_hook ? ctx->record_arg : NULL;
}

size_t session_count(const struct session *s)
{
	return s->n;
}

const char *session_command(const struct session *s, size_t i)
{
	return s->cmds[i].line;
}

long session_time_ms(const struct session *s, size_t i)
{
	return s->cmds[i].t;
}

bool session_recorded_ok(const struct session *s, size_t i)
{
	return s->cmds[i].ok;
}

unsigned long session_seed(const struct session *s)
{
	return s->seed;
}

void session_set_default(struct session *s, const char *name, const char *value)
{
	cJSON_DeleteItemFromObjectCaseSensitive(s->params, name);
	cJSON_AddStringToObject(s->params, name, value);
}

cJSON *session_json(const struct session *s)
{
	cJSON *o = cJSON_CreateObject(), *cmds = cJSON_CreateArray();

	cJSON_AddStringToObject(o, "format", SESSION_FORMAT);
	cJSON_AddNumberToObject(o, "version", SESSION_VERSION);
	cJSON_AddStringToObject(o, "created", s->created);
	cJSON_AddStringToObject(o, "user", s->user);
	cJSON_AddNumberToObject(o, "seed", (double)s->seed);
	cJSON_AddItemToObject(o, "params", cJSON_Duplicate(s->params, true));
	for (size_t i = 0; i < s->n; i++) {
		cJSON *c = cJSON_CreateObject();

		cJSON_AddStringToObject(c, "command", s->cmds[i].line);
		cJSON_AddNumberToObject(c, "t", (double)s->cmds[i].t);
		if (!s->cmds[i].ok)
			cJSON_AddFalseToObject(c, "ok");
		cJSON_AddItemToArray(cmds, c);
	}
	cJSON_AddItemToObject(o, "commands", cmds);
	return o;
}

int session_save(const struct session *s, const char *path, char **cause)
{
	struct atomicio_file af;
	cJSON *o = session_json(s);
	char *text = cJSON_Print(o);

	cJSON_Delete(o);
	if (strlen(text) + 1 > (size_t)SESSION_MAX_BYTES) {
		*cause = xasprintf("%s: %zu MB, over the %ld MB a session file may hold: it could not "
		    "be read back; save a shorter session", path, (strlen(text) + (1 << 20)) >> 20,
		    SESSION_MAX_BYTES >> 20);
		cJSON_free(text);
		return -1;
	}
	if (atomicio_open(&af, path, 0600, cause) != 0) {
		cJSON_free(text);
		return -1;
	}
	fputs(text, af.f);
	putc('\n', af.f);
	cJSON_free(text);
	return atomicio_commit(&af, cause);
}

int session_autosave(const struct session *s, char **path, char **cause)
{
	char *where;
	int rc;

	if (xdg_path(XDG_STATE, "autosave.json", &where, cause) != 0)
		return -1;
	rc = session_save(s, where, cause);
	if (path != NULL && rc == 0)
		*path = where;
	else
		free(where);
	return rc;
}

/* Reads a whole file into a NUL-terminated buffer. */
static char *session_read_file(const char *path, size_t *len, char **cause)
{
	struct stat st;
	int fd = safefile_open_read(path, 0, &st, cause);
	FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (f == NULL) {
		if (*cause == NULL)
			*cause = xasprintf("%s: cannot open session file: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	for (;;) {
		size_t got;

		if (cap - n < 4096)
			buf = xreallocarray(buf, cap = cap ? cap * 2 : 8192, 1);
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0 || n > (size_t)SESSION_MAX_BYTES)
			break;
	}
	if (ferror(f) || n > (size_t)SESSION_MAX_BYTES) {
		*cause = ferror(f) ? xasprintf("%s: cannot read session file: %s", path, strerror(errno)) :
		    xasprintf("%s: too large for a session file (over %ld MB)", path, SESSION_MAX_BYTES >> 20);
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* "line L, column C" of a byte offset. */
static char *session_position(const char *text, size_t off)
{
	size_t line = 1, col = 1;

	for (size_t i = 0; i < off && text[i]; i++) {
		if (text[i] == '\n') {
			line++;
			col = 1;
		} else
			col++;
	}
	return xasprintf("line %zu, column %zu", line, col);
}

static int session_check_header(const cJSON *o, const char *path, char **cause)
{
	const cJSON *format = cJSON_GetObjectItemCaseSensitive(o, "format");
	const cJSON *version = cJSON_GetObjectItemCaseSensitive(o, "version");

	if (!cJSON_IsString(format) || strcmp(format->valuestring, SESSION_FORMAT) != 0) {
		*cause = xasprintf("%s: not a crossmkt session file (\"format\" must be \"%s\")",
		    path, SESSION_FORMAT);
		return -1;
	}
	if (!cJSON_IsNumber(version) || !(version->valuedouble >= 1 && version->valuedouble < 1e9) ||
	    version->valuedouble != (double)(int)version->valuedouble) {
		*cause = xasprintf("%s: \"version\" must be a whole number (this crossmkt reads version %d)",
		    path, SESSION_VERSION);
		return -1;
	}
	if (version->valueint > SESSION_VERSION) {
		*cause = xasprintf("%s: session format version %d is newer than this crossmkt reads "
		    "(version %d); use a newer crossmkt", path, version->valueint, SESSION_VERSION);
		return -1;
	}
	return 0;
}

static int session_load_params(struct session *s, const cJSON *params, const char *path, char **cause)
{
	const cJSON *p;

	if (params == NULL)
		return 0;
	if (!cJSON_IsObject(params)) {
		*cause = xasprintf("%s: \"params\" must be an object of NAME: \"value\"", path);
		return -1;
	}
	cJSON_ArrayForEach(p, params) {
		if (!cJSON_IsString(p)) {
			*cause = xasprintf("%s: parameter '%s': the default must be a string", path, p->string);
			return -1;
		}
		session_set_default(s, p->string, p->valuestring);
	}
	return 0;
}

/* C0 controls but tab, DEL, and C1 controls (UTF-8 C2 80 to C2 9F). */
static bool session_has_control(const char *s)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f ||
		    ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] >= 0x80 &&
		    (unsigned char)s[1] <= 0x9f))
			return true;
	return false;
}

static int session_load_command(struct session *s, const cJSON *c, size_t i, const char *path,
    char **cause)
{
	const cJSON *line = cJSON_GetObjectItemCaseSensitive(c, "command");
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(c, "t");
	const cJSON *ok = cJSON_GetObjectItemCaseSensitive(c, "ok");

	if (!cJSON_IsObject(c) || !cJSON_IsString(line)) {
		*cause = xasprintf("%s: command %zu: not an object with a \"command\" string", path, i + 1);
		return -1;
	}
	/* Within 1e15 ms (31,000 years), so that it fits a long. */
	if ((t != NULL && !(cJSON_IsNumber(t) && t->valuedouble > -1e15 && t->valuedouble < 1e15)) ||
	    (ok != NULL && !cJSON_IsBool(ok))) {
		*cause = xasprintf("%s: command %zu: \"t\" must be a number and \"ok\" true or false",
		    path, i + 1);
		return -1;
	}
	if (session_has_control(line->valuestring)) {
		*cause = xasprintf("%s: command %zu: contains a control character", path, i + 1);
		return -1;
	}
	session_record(s, line->valuestring, t ? (long)t->valuedouble : 0, ok == NULL || cJSON_IsTrue(ok));
	return 0;
}

static int session_from_json(struct session *s, const cJSON *o, const char *path, char **cause)
{
	const cJSON *cmds = cJSON_GetObjectItemCaseSensitive(o, "commands");
	const cJSON *created = cJSON_GetObjectItemCaseSensitive(o, "created");
	const cJSON *user = cJSON_GetObjectItemCaseSensitive(o, "user");
	const cJSON *seed = cJSON_GetObjectItemCaseSensitive(o, "seed");
	size_t i = 0;
	const cJSON *c;

	if (session_check_header(o, path, cause) != 0)
		return -1;
	if (!cJSON_IsArray(cmds)) {
		*cause = xasprintf("%s: \"commands\" must be a list of {\"command\": \"...\"}", path);
		return -1;
	}
	s->created = xstrdup(cJSON_IsString(created) ? created->valuestring : "");
	s->user = xstrdup(cJSON_IsString(user) ? user->valuestring : "");
	s->seed = cJSON_IsNumber(seed) && seed->valuedouble >= 0 && seed->valuedouble < (double)ULONG_MAX ?
	    (unsigned long)seed->valuedouble : 0;
	if (session_load_params(s, cJSON_GetObjectItemCaseSensitive(o, "params"), path, cause) != 0)
		return -1;
	cJSON_ArrayForEach(c, cmds) {
		if (session_load_command(s, c, i++, path, cause) != 0)
			return -1;
	}
	return 0;
}

/* A session saved to a shared directory is the "data" of the envelope. */
static const cJSON *session_unwrap(const cJSON *o)
{
	const cJSON *format = cJSON_GetObjectItemCaseSensitive(o, "format");
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(o, "data");

	if (cJSON_IsString(format) && strcmp(format->valuestring, "crossmkt-shared") == 0 &&
	    cJSON_IsObject(data))
		return data;
	return o;
}

static int session_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Where a value is in a document, for messages (as jq writes it:
 * .commands[1]): a chain up to the root. */
struct session_where {
	const struct session_where *up;
	const char *key;        /* the member's name, or NULL for an array item */
	size_t index;
};

static char *session_where_text(const struct session_where *w)
{
	char *up, *out;

	if (w == NULL)
		return xstrdup("");
	up = session_where_text(w->up);
	out = w->key != NULL ? xasprintf("%s.%s", up, w->key) :
	    xasprintf("%s[%zu]", up, w->index);
	free(up);
	return out;
}

/* The first name that o (an object) repeats, or NULL; sorted, so that a
 * large object costs n log n. */
static const char *session_repeated_name(const cJSON *o)
{
	const char **names = NULL, *dup = NULL;
	size_t n = 0;
	const cJSON *c;

	cJSON_ArrayForEach(c, o) {
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = c->string;
	}
	if (n > 1)
		qsort(names, n, sizeof *names, session_cmp_names);
	for (size_t i = 1; i < n && dup == NULL; i++)
		if (strcmp(names[i - 1], names[i]) == 0)
			dup = names[i];
	free(names);
	return dup;
}

/* cJSON keeps every member of an object and finds the first of a name,
 * where other readers (jq, Python) take the last: a repeated key would
 * make a reviewer read other commands than those that run. */
static int session_check_keys(const cJSON *v, const struct session_where *w, const char *path,
    char **cause)
{
	const char *dup = cJSON_IsObject(v) ? session_repeated_name(v) : NULL;
	struct session_where here = { w, NULL, 0 };
	const cJSON *c;

	if (dup != NULL) {
		char *where = session_where_text(w);

		*cause = xasprintf("%s: the key \"%s\" appears twice in %s; a session file "
		    "names each key once", path, dup, *where ? where : "the top-level object");
		free(where);
		return -1;
	}
	cJSON_ArrayForEach(c, v) {
		here.key = cJSON_IsObject(v) ? c->string : NULL;
		if (session_check_keys(c, &here, path, cause) != 0)
			return -1;
		here.index++;
	}
	return 0;
}

int session_load(const char *path, struct session **out, char **cause)
{
	size_t len;
	char *text = session_read_file(path, &len, cause), *where;
	const char *end = NULL;
	struct session *s;
	cJSON *o;

	*out = NULL;
	if (text == NULL)
		return -1;
	o = strlen(text) == len ? cJSON_ParseWithOpts(text, &end, true) : NULL;
	if (o == NULL || !cJSON_IsObject(o)) {
		where = session_position(text, end != NULL ? (size_t)(end - text) : 0);
		*cause = o == NULL ? xasprintf("%s: not valid JSON (%s)", path, where) :
		    xasprintf("%s: not a crossmkt session file (not a JSON object)", path);
		free(where);
		cJSON_Delete(o);
		free(text);
		return -1;
	}
	free(text);
	s = session_alloc();
	if (session_check_keys(o, NULL, path, cause) != 0 ||
	    session_from_json(s, session_unwrap(o), path, cause) != 0) {
		cJSON_Delete(o);
		session_free(s);
		return -1;
	}
	cJSON_Delete(o);
	*out = s;
	return 0;
}

/* Length of the parameter name at p, or 0 when p is not an identifier. */
static size_t session_name_length(const char *p)
{
	size_t n = 0;

	if (!isalpha((unsigned char)*p) && *p != '_')
		return 0;
	while (isalnum((unsigned char)p[n]) || p[n] == '_')
		n++;
	return n;
}

static const char *session_lookup(const struct session *s, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(s->overrides, name);

	if (v == NULL)
		v = cJSON_GetObjectItemCaseSensitive(s->params, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Appends n bytes to the growing buffer. */
static void session_append(char **buf, size_t *len, const char *p, size_t n)
{
	*buf = xreallocarray(*buf, *len + n + 1, 1);
	memcpy(*buf + *len, p, n);
	*len += n;
	(*buf)[*len] = '\0';
}

/* Fills the placeholders of one command; when s is NULL only checks the
 * syntax. On a missing value *missing names it. */
/* Fills line's placeholders into *out, in at most room bytes. */
static int session_fill(const struct session *s, const char *line, size_t room, char **out,
    char **cause)
{
	size_t len = 0;
	char *buf = xstrdup("");

	for (const char *p = line; *p;) {
		size_t n, k = strcspn(p, "$");

		session_append(&buf, &len, p, k);
		if ((p += k)[0] == '\0')
			break;
		if (strncmp(p, "$${", 3) == 0) {
			session_append(&buf, &len, "${", 2);
			p += 3;
			continue;
		}
		if (p[1] != '{') {
			session_append(&buf, &len, p++, 1);
			continue;
		}
		n = session_name_length(p + 2);
		if (n == 0 || p[2 + n] != '}') {
			*cause = xasprintf("position %zu: write ${NAME} with NAME a parameter name "
			    "(or $${ for a literal ${)", (size_t)(p - line) + 1);
			free(buf);
			return -1;
		}
		if (s != NULL) {
			char *name = xstrndup(p + 2, n);
			const char *v = session_lookup(s, name);

			if (v == NULL) {
				*cause = xasprintf("${%s} has no value; give --set %s=...", name, name);
				free(name);
				free(buf);
				return -1;
			}
			session_append(&buf, &len, v, strlen(v));
			free(name);
			if (len > room) {
				*cause = xasprintf("the commands expand to more than %ld MB",
				    SESSION_MAX_BYTES >> 20);
				free(buf);
				return -1;
			}
		}
		p += 3 + n;
	}
	*out = buf;
	return 0;
}

/* True when some command uses ${name}. */
static bool session_uses(const struct session *s, const char *name)
{
	char *needle = xasprintf("${%s}", name);
	bool found = false;

	for (size_t i = 0; i < s->n && !found; i++) {
		const char *p = s->cmds[i].line;

		while (!found && (p = strstr(p, needle)) != NULL) {
			found = p == s->cmds[i].line || strncmp(p - 1, "$${", 3) != 0;
			p++;
		}
	}
	free(needle);
	return found;
}

int session_set_param(struct session *s, const char *assignment, char **cause)
{
	const char *eq = strchr(assignment, '=');
	char *name;

	if (eq == NULL || session_name_length(assignment) != (size_t)(eq - assignment)) {
		*cause = xasprintf("--set %s: write --set NAME=VALUE", assignment);
		return -1;
	}
	name = xstrndup(assignment, (size_t)(eq - assignment));
	if (cJSON_GetObjectItemCaseSensitive(s->params, name) == NULL && !session_uses(s, name)) {
		*cause = xasprintf("--set %s: the session has no parameter '%s'", assignment, name);
		free(name);
		return -1;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(s->overrides, name);
	cJSON_AddStringToObject(s->overrides, name, eq + 1);
	free(name);
	return 0;
}

int session_expand(const struct session *s, const char *path, char ***lines, char **cause)
{
	char **out = xcalloc(s->n ? s->n : 1, sizeof *out);
	char *why = NULL;
	/* Placeholders repeated many times must not expand without bound. */
	size_t room = (size_t)SESSION_MAX_BYTES;

	for (size_t i = 0; i < s->n; i++) {
		if (session_fill(s, s->cmds[i].line, room, &out[i], &why) != 0 ||
		    cmd_validate(out[i], &why) != 0) {
			*cause = xasprintf("%s: command %zu: %s", path, i + 1, why);
			free(why);
			session_lines_free(out, i + 1);
			return -1;
		}
		room -= strlen(out[i]) < room ? strlen(out[i]) : room;
	}
	*lines = out;
	return 0;
}

void session_lines_free(char **lines, size_t n)
{
	if (lines == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

cJSON *session_params(const struct session *s)
{
	size_t n = 0, i = 0;
	const cJSON *p;
	char **names;
	cJSON *o = cJSON_CreateObject();

	cJSON_ArrayForEach(p, s->params) n++;
	cJSON_ArrayForEach(p, s->overrides) n++;
	names = xcalloc(n ? n : 1, sizeof *names);
	cJSON_ArrayForEach(p, s->params) names[i++] = p->string;
	cJSON_ArrayForEach(p, s->overrides) {
		if (cJSON_GetObjectItemCaseSensitive(s->params, p->string) == NULL)
			names[i++] = p->string;
	}
	qsort(names, i, sizeof *names, session_cmp_names);
	for (size_t k = 0; k < i; k++)
		cJSON_AddStringToObject(o, names[k], session_lookup(s, names[k]));
	free(names);
	return o;
}
