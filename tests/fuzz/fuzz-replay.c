/* Fuzz target: a session file replayed under the confinement of replayed
 * sessions, with open, fopen, opendir, mkstemp, rename, unlink and mkdir
 * interposed: any file opened outside the directories the replay is allowed
 * (or written outside those it may write) aborts, whatever the policy code
 * said. The sandbox:
 *
 *   T/allowed/      the session's directory and the current directory:
 *                   a.csv, sub/b.csv, inlink.csv -> a.csv, and the ways
 *                   out: link.csv -> ../outside/secret.csv, up -> ../outside
 *   T/write/        given as --allow-write; the shared directory is in it,
 *                   and key.csv -> the pseudonym key
 *   T/outside/      secret.csv
 *   T/home/         HOME, XDG_CONFIG_HOME, XDG_STATE_HOME: pseudonym.key,
 *                   autosave.json
 *
 * The dictionary holds the relative ways out; the commands that only
 * compute (tests, forecasts, segments) are skipped: other targets and
 * tests cover them, and here they would only slow the search. */
#define _GNU_SOURCE
#include "config.h"

#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command.h"
#include "pathpolicy.h"
#include "session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* glibc's checked open, which _FORTIFY_SOURCE calls instead of open. */
int __open_2(const char *path, int flags);

#define FUZZ_MAX_COMMANDS 24

static char fuzz_root[PATH_MAX], fuzz_allowed[PATH_MAX], fuzz_write[PATH_MAX];
static char fuzz_session[PATH_MAX];
static bool fuzz_armed;         /* checking: a replayed command runs */
static struct pathpolicy *fuzz_policy;
static int fuzz_cwd = -1;       /* libFuzzer's own directory */

static const char *const fuzz_skipped[] = {
	"abtest", "power", "srm", "segment", "rfm", "nearest", "recommend", "evaluate-recs",
	"forecast", "backtest", "uplift", "aggregate", NULL
};

static bool fuzz_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* What path names, followed as the kernel would: realpath of the whole
 * path when it exists, else of its directory. */
static bool fuzz_where(const char *path, char *out)
{
	char dir[PATH_MAX], real[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (realpath(path, out) != NULL)
		return true;
	if (slash == NULL)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	if (realpath(dir, real) == NULL)
		return false;       /* nothing there to open */
	snprintf(out, PATH_MAX, "%s/%s", real, slash ? slash + 1 : path);
	return true;
}

/* Aborts when a replayed command opens path outside its directories. */
static void fuzz_check(const char *path, bool write)
{
	char real[PATH_MAX];
	bool ok;

	if (!fuzz_armed || path == NULL || strcmp(path, "/dev/urandom") == 0)
		return;
	if (!fuzz_where(path, real))
		return;
	ok = fuzz_under(real, fuzz_write) || (!write && fuzz_under(real, fuzz_allowed));
	if (ok)
		return;
	fprintf(stderr, "fuzz-replay: a replayed command %s %s (%s), outside the allowed "
	    "directories\n", write ? "writes" : "reads", path, real);
	abort();
}

static bool fuzz_flags_write(int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC)) != 0;
}

#define FUZZ_NEXT(type, name, args) \
	static type (*next) args; \
	if (next == NULL) \
		next = (type (*) args)dlsym(RTLD_NEXT, name)

static mode_t fuzz_mode(int flags, va_list ap)
{
	return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

static int fuzz_open(int (*next)(const char *, int, ...), const char *path, int flags,
    va_list ap)
{
	mode_t mode = fuzz_mode(flags, ap);

	fuzz_check(path, fuzz_flags_write(flags));
	return next(path, flags, mode);
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	int fd;
	FUZZ_NEXT(int, "open", (const char *, int, ...));

	va_start(ap, flags);
	fd = fuzz_open(next, path, flags, ap);
	va_end(ap);
	return fd;
}

int open64(const char *path, int flags, ...)
{
	va_list ap;
	int fd;
	FUZZ_NEXT(int, "open64", (const char *, int, ...));

	va_start(ap, flags);
	fd = fuzz_open(next, path, flags, ap);
	va_end(ap);
	return fd;
}

int __open_2(const char *path, int flags)
{
	FUZZ_NEXT(int, "__open_2", (const char *, int));

	fuzz_check(path, fuzz_flags_write(flags));
	return next(path, flags);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;
	FUZZ_NEXT(int, "openat", (int, const char *, int, ...));

	va_start(ap, flags);
	mode = fuzz_mode(flags, ap);
	va_end(ap);
	/* Only the current directory's relative paths can be judged here. */
	if (dirfd == AT_FDCWD || path[0] == '/')
		fuzz_check(path, fuzz_flags_write(flags));
	return next(dirfd, path, flags, mode);
}

FILE *fopen(const char *path, const char *mode)
{
	FUZZ_NEXT(FILE *, "fopen", (const char *, const char *));

	fuzz_check(path, strpbrk(mode, "wa+") != NULL);
	return next(path, mode);
}

FILE *fopen64(const char *path, const char *mode)
{
	FUZZ_NEXT(FILE *, "fopen64", (const char *, const char *));

	fuzz_check(path, strpbrk(mode, "wa+") != NULL);
	return next(path, mode);
}

DIR *opendir(const char *path)
{
	FUZZ_NEXT(DIR *, "opendir", (const char *));

	fuzz_check(path, false);
	return next(path);
}

int mkstemp(char *tmpl)
{
	FUZZ_NEXT(int, "mkstemp", (char *));

	fuzz_check(tmpl, true);
	return next(tmpl);
}

int rename(const char *from, const char *to)
{
	FUZZ_NEXT(int, "rename", (const char *, const char *));

	fuzz_check(from, true);
	fuzz_check(to, true);
	return next(from, to);
}

int unlink(const char *path)
{
	FUZZ_NEXT(int, "unlink", (const char *));

	fuzz_check(path, true);
	return next(path);
}

int mkdir(const char *path, mode_t mode)
{
	FUZZ_NEXT(int, "mkdir", (const char *, mode_t));

	fuzz_check(path, true);
	return next(path, mode);
}

static void fuzz_file(const char *rel, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", fuzz_root, rel);
	if ((f = fopen(path, "w")) == NULL || fputs(text, f) == EOF || fclose(f) != 0)
		abort();
}

static void fuzz_dirs(const char *const *rels)
{
	char path[PATH_MAX];

	for (; *rels != NULL; rels++) {
		snprintf(path, sizeof path, "%s/%s", fuzz_root, *rels);
		if (mkdir(path, 0700) != 0)
			abort();
	}
}

static void fuzz_link(const char *target, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof path, "%s/%s", fuzz_root, rel);
	if (symlink(target, path) != 0)
		abort();
}

static void fuzz_cleanup(void);

static void fuzz_env(const char *name, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof path, "%s/%s", fuzz_root, rel);
	setenv(name, path, 1);
}

/* The sandbox, once; inputs run in T/allowed. */
static void fuzz_setup(void)
{
	static const char *const dirs[] = {
		"allowed", "allowed/sub", "write", "write/shared", "outside", "home", "home/.config",
		"home/.config/crossmkt", "home/.local", "home/.local/state",
		"home/.local/state/crossmkt", NULL
	};
	const char *base = getenv("TMPDIR");
	char tmpl[PATH_MAX], *cause = NULL, *writes[1];

	snprintf(tmpl, sizeof tmpl, "%s/crossmkt-fuzz-replay.XXXXXX", base ? base : "/tmp");
	if (mkdtemp(tmpl) == NULL || realpath(tmpl, fuzz_root) == NULL)
		abort();
	fuzz_dirs(dirs);
	fuzz_file("allowed/a.csv", "user_id,arm,converted,spend,ts\nu1,control,0,1.5,2024-01-01\n"
	    "u2,coupon,1,20,2024-01-02\nu3,control,1,3,2024-01-03\nu4,coupon,0,0,2024-01-04\n");
	fuzz_file("allowed/sub/b.csv", "user_id,city\nu1,成都\nu2,上海\n");
	fuzz_file("outside/secret.csv", "secret\n42\n");
	fuzz_file("home/.config/crossmkt/pseudonym.key",
	    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
	fuzz_file("home/.local/state/crossmkt/autosave.json",
	    "{\"format\":\"crossmkt-session\",\"version\":1,\"commands\":[]}\n");
	/* A shared directory is never empty here: listing an empty one is a
	 * known fault of its own. */
	fuzz_file("write/shared/seed.json", "{\"format\":\"crossmkt-shared\",\"version\":1,"
	    "\"name\":\"seed\",\"revision\":1,\"data\":{\"format\":\"crossmkt-session\","
	    "\"version\":1,\"commands\":[]}}\n");
	fuzz_link("a.csv", "allowed/inlink.csv");
	fuzz_link("../outside/secret.csv", "allowed/link.csv");
	fuzz_link("../outside", "allowed/up");
	fuzz_link("../home/.config/crossmkt/pseudonym.key", "write/key.csv");
	fuzz_env("HOME", "home");
	fuzz_env("XDG_CONFIG_HOME", "home/.config");
	fuzz_env("XDG_STATE_HOME", "home/.local/state");
	snprintf(fuzz_allowed, sizeof fuzz_allowed, "%s/allowed", fuzz_root);
	snprintf(fuzz_write, sizeof fuzz_write, "%s/write", fuzz_root);
	snprintf(fuzz_session, sizeof fuzz_session, "%s/s.json", fuzz_allowed);
	if ((fuzz_cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 || chdir(fuzz_allowed) != 0)
		abort();
	writes[0] = fuzz_write;
	fuzz_policy = pathpolicy_replay(fuzz_session, NULL, 0, writes, 1, &cause);
	if (fuzz_policy == NULL || fchdir(fuzz_cwd) != 0)
		abort();
	atexit(fuzz_cleanup);
}

static int fuzz_remove(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	static const char *const kept[] = { "/shared", "/shared/seed.json", "/key.csv", NULL };

	/* The directory itself and what the sandbox planted stay. */
	for (size_t i = 0; ftw->level > 0 && kept[i] != NULL; i++)
		if (strcmp(path + strlen(fuzz_write), kept[i]) == 0)
			return 0;
	if (ftw->level == 0)
		return 0;
	remove(path);
	return 0;
}

static int fuzz_remove_all(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	remove(path);
	return 0;
}

/* The sandbox goes when the run ends (a crash leaves it to look at). */
static void fuzz_cleanup(void)
{
	fuzz_armed = false;
	nftw(fuzz_root, fuzz_remove_all, 8, FTW_DEPTH | FTW_PHYS);
}

static bool fuzz_skip(const char *line)
{
	size_t n = strcspn(line, " \t");

	for (size_t i = 0; fuzz_skipped[i] != NULL; i++)
		if (strlen(fuzz_skipped[i]) == n && strncmp(line, fuzz_skipped[i], n) == 0)
			return true;
	return strlen(line) > 4096;
}

static void fuzz_replay(const struct session *s, char **lines)
{
	struct cmd_ctx ctx;
	struct session *rec = session_new(0);
	size_t n = session_count(s);

	cmd_ctx_init(&ctx);
	ctx.shared_dir = "../write/shared";
	session_attach(&ctx, rec);
	for (size_t i = 0; i < n && i < FUZZ_MAX_COMMANDS; i++) {
		cJSON *result = NULL;
		char *cause = NULL;

		if (fuzz_skip(lines[i]))
			continue;
		ctx.confine = fuzz_policy;
		fuzz_armed = true;
		cmd_run(&ctx, lines[i], &result, &cause);
		fuzz_armed = false;
		cJSON_Delete(result);
		free(cause);
	}
	ctx.confine = NULL;
	cmd_ctx_done(&ctx);
	session_free(rec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct session *s = NULL;
	char *cause = NULL, **lines = NULL;
	FILE *f;

	if (fuzz_policy == NULL)
		fuzz_setup();
	if (chdir(fuzz_allowed) != 0)
		abort();
	if ((f = fopen(fuzz_session, "wb")) == NULL || fwrite(data, 1, size, f) != size ||
	    fclose(f) != 0)
		abort();
	if (session_load(fuzz_session, &s, &cause) == 0 &&
	    session_expand(s, fuzz_session, &lines, &cause) == 0) {
		fuzz_replay(s, lines);
		session_lines_free(lines, session_count(s));
	}
	free(cause);
	session_free(s);
	nftw(fuzz_write, fuzz_remove, 8, FTW_DEPTH | FTW_PHYS);
	if (fchdir(fuzz_cwd) != 0)
		abort();
	return 0;
}
