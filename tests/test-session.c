/* Tests for sessions (parsing, parameters, autosave) and the shared-file
 * layer (locking, revisions, crashes during a save, permissions). */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cutest.h"
#include "reportfmt.h"
#include "session.h"
#include "sharedfile.h"
#include "xdg.h"
#include "xmalloc.h"

static char *test_dir;

static char *test_path(const char *name)
{
	return xasprintf("%s/%s", test_dir, name);
}

static void test_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

static unsigned test_mode(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return 0;
	return (unsigned)(st.st_mode & 07777);
}

/* Loads text as a session file; returns the error or NULL. */
static char *test_load_error(const char *text, struct session **out)
{
	char *path = test_path("s.json"), *cause = NULL;

	test_write(path, text);
	if (session_load(path, out, &cause) == 0)
		cause = NULL;
	free(path);
	return cause;
}

static void test_round_trip(void)
{
	struct session *s = session_new(7), *back = NULL;
	char *path = test_path("rt.json"), *cause = NULL;

	session_record(s, "load users users.csv", 0, true);
	session_record(s, "head users n=\"2\"", 1500, false);
	session_set_default(s, "day", "2024-03-01");
	CU_ASSERT_EQUAL(session_save(s, path, &cause), 0);
	CU_ASSERT_EQUAL(test_mode(path), 0600);
	CU_ASSERT_EQUAL_FATAL(session_load(path, &back, &cause), 0);
	CU_ASSERT_EQUAL(session_count(back), 2);
	CU_ASSERT_STRING_EQUAL(session_command(back, 1), "head users n=\"2\"");
	CU_ASSERT_EQUAL(session_time_ms(back, 1), 1500);
	CU_ASSERT_TRUE(session_recorded_ok(back, 0));
	CU_ASSERT_FALSE(session_recorded_ok(back, 1));
	CU_ASSERT_EQUAL(session_seed(back), 7);
	session_free(s);
	session_free(back);
	free(path);
}

static void test_bad_files(void)
{
	static const struct {
		const char *text, *error;
	} cases[] = {
		{ "[1, 2", "not valid JSON (line 1, column 6)" },
		{ "[]", "not a crossmkt session file (not a JSON object)" },
		{ "{\"format\": \"other\"}", "not a crossmkt session file (\"format\" must be \"crossmkt-session\")" },
		{ "{\"format\": \"crossmkt-session\", \"version\": 3, \"commands\": []}",
		  "session format version 3 is newer than this crossmkt reads (version 1); use a newer crossmkt" },
		{ "{\"format\": \"crossmkt-session\", \"version\": 1}",
		  "\"commands\" must be a list of {\"command\": \"...\"}" },
		{ "{\"format\": \"crossmkt-session\", \"version\": 1, \"commands\": [{\"command\": 3}]}",
		  "command 1: not an object with a \"command\" string" },
		{ "{\"format\": \"crossmkt-session\", \"version\": 1, \"commands\": [{\"command\": \"a\"}, {\"command\": \"b\\u0007\"}]}",
		  "command 2: contains a control character" },
		{ "{\"format\": \"crossmkt-session\", \"version\": 1, \"params\": {\"n\": 3}, \"commands\": []}",
		  "parameter 'n': the default must be a string" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct session *s = NULL;
		char *cause = test_load_error(cases[i].text, &s), *want;

		want = xasprintf("%s/s.json: %s", test_dir, cases[i].error);
		CU_ASSERT_PTR_NOT_NULL(cause);
		if (cause != NULL && strcmp(cause, want) != 0)
			fprintf(stderr, "\ncase %zu: got '%s'\n", i, cause);
		CU_ASSERT(cause != NULL && strcmp(cause, want) == 0);
		CU_ASSERT_PTR_NULL(s);
		free(cause);
		free(want);
	}
}

static void test_expand(void)
{
	struct session *s = NULL;
	char *cause = test_load_error("{\"format\": \"crossmkt-session\", \"version\": 1,"
	    " \"params\": {\"name\": \"users\"}, \"commands\": ["
	    "{\"command\": \"head ${name} n=${n}\"}, {\"command\": \"head \\\"${name}\\\" n=$${x}$5\"}]}", &s);
	char **lines = NULL;

	CU_ASSERT_PTR_NULL_FATAL(cause);
	CU_ASSERT_EQUAL(session_expand(s, "f.json", &lines, &cause), -1);
	CU_ASSERT_STRING_EQUAL(cause, "f.json: command 1: ${n} has no value; give --set n=...");
	free(cause);
	CU_ASSERT_EQUAL(session_set_param(s, "m=1", &cause), -1);
	CU_ASSERT_STRING_EQUAL(cause, "--set m=1: the session has no parameter 'm'");
	free(cause);
	CU_ASSERT_EQUAL(session_set_param(s, "x=1", &cause), -1);
	free(cause);
	CU_ASSERT_EQUAL(session_set_param(s, "n=3", &cause), 0);
	/* Values are pasted as text: unquoted, a space makes two words. */
	CU_ASSERT_EQUAL(session_set_param(s, "name=my data", &cause), 0);
	CU_ASSERT_EQUAL(session_expand(s, "f.json", &lines, &cause), -1);
	CU_ASSERT_STRING_EQUAL(cause, "f.json: command 1: head: too many arguments; usage: head DATASET [n=N]");
	free(cause);
	CU_ASSERT_EQUAL(session_set_param(s, "name=users", &cause), 0);
	CU_ASSERT_EQUAL_FATAL(session_expand(s, "f.json", &lines, &cause), 0);
	CU_ASSERT_STRING_EQUAL(lines[0], "head users n=3");
	CU_ASSERT_STRING_EQUAL(lines[1], "head \"users\" n=${x}$5");
	session_lines_free(lines, session_count(s));
	session_free(s);
}

static void test_autosave(void)
{
	char *state = test_path("state"), *cause = NULL, *where = NULL, *want;
	struct session *s = session_new(0);

	setenv("XDG_STATE_HOME", state, 1);
	CU_ASSERT_EQUAL(session_autosave(s, &where, &cause), 0);
	want = xasprintf("%s/crossmkt/autosave.json", state);
	CU_ASSERT_STRING_EQUAL(where, want);
	CU_ASSERT_EQUAL(test_mode(want), 0600);
	free(want);
	want = xasprintf("%s/crossmkt", state);
	CU_ASSERT_EQUAL(test_mode(want), 0700);
	CU_ASSERT_EQUAL(test_mode(state), 0700);
	free(want);
	free(where);
	free(state);
	session_free(s);
}

/* The counter in a shared document, or -1. */
static long test_counter(const char *dir, long *revision)
{
	struct sharedfile_meta meta;
	cJSON *data;
	char *cause = NULL;
	long n;

	if (sharedfile_open(dir, "counter", &data, &meta, &cause) != 0) {
		free(cause);
		return -1;
	}
	n = (long)cJSON_GetNumberValue(cJSON_GetObjectItem(data, "n"));
	*revision = meta.revision;
	sharedfile_meta_done(&meta);
	cJSON_Delete(data);
	return n;
}

/* Load, add one, save; again on a conflict. */
static int test_increment(const char *dir)
{
	for (int attempt = 0; attempt < 1000; attempt++) {
		long revision = 0, n = test_counter(dir, &revision), saved;
		cJSON *data = cJSON_CreateObject();
		char *cause = NULL;
		int rc;

		if (n < 0)
			return -1;
		cJSON_AddNumberToObject(data, "n", (double)(n + 1));
		rc = sharedfile_save(dir, "counter", data, revision, true, NULL, &saved, &cause);
		cJSON_Delete(data);
		free(cause);
		if (rc == 0)
			return 0;
		if (rc != SHAREDFILE_CONFLICT)
			return -1;
	}
	return -1;
}

static void test_two_savers(void)
{
	char *dir = test_path("shared"), *cause = NULL;
	cJSON *data = cJSON_CreateObject();
	long revision = 0, n;
	pid_t pids[2];
	enum { ROUNDS = 200 };

	mkdir(dir, 0770);
	cJSON_AddNumberToObject(data, "n", 0);
	CU_ASSERT_EQUAL_FATAL(sharedfile_save(dir, "counter", data, 0, true, NULL, &revision, &cause), 0);
	cJSON_Delete(data);
	for (int k = 0; k < 2; k++) {
		if ((pids[k] = fork()) == 0) {
			int bad = 0;

			for (int i = 0; i < ROUNDS; i++)
				bad += test_increment(dir) != 0;
			_exit(bad ? 1 : 0);
		}
	}
	for (int k = 0; k < 2; k++) {
		int st;

		waitpid(pids[k], &st, 0);
		CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	n = test_counter(dir, &revision);
	CU_ASSERT_EQUAL(n, 2 * ROUNDS);
	CU_ASSERT_EQUAL(revision, 2 * ROUNDS + 1);
	free(dir);
}

static void test_conflict_message(void)
{
	char *dir = test_path("shared"), *cause = NULL, *want;
	cJSON *data = cJSON_CreateObject();
	long revision = 0, rev;

	CU_ASSERT(test_counter(dir, &revision) >= 0);
	CU_ASSERT_EQUAL(sharedfile_save(dir, "counter", data, revision - 1, true, NULL, &rev, &cause),
	    SHAREDFILE_CONFLICT);
	want = xasprintf("counter was changed by %s at ", xdg_login_name());
	CU_ASSERT(cause != NULL && strncmp(cause, want, strlen(want)) == 0);
	CU_ASSERT(cause != NULL && strstr(cause, "open it again and redo your change") != NULL);
	free(cause);
	free(want);
	cause = NULL;
	CU_ASSERT_EQUAL(sharedfile_save(dir, "counter", data, 0, true, NULL, &rev, &cause), SHAREDFILE_CONFLICT);
	CU_ASSERT(cause != NULL && strstr(cause, "counter already exists") == cause);
	free(cause);
	cause = NULL;
	CU_ASSERT_EQUAL(sharedfile_save(dir, "../x", data, 0, true, NULL, &rev, &cause), -1);
	free(cause);
	cJSON_Delete(data);
	free(dir);
}

static void test_permissions(void)
{
	char *dir = test_path("perm"), *cause = NULL, *path;
	cJSON *data = cJSON_CreateObject(), *list = NULL;
	long rev;
	mode_t old = umask(077);

	mkdir(dir, 0700);
	CU_ASSERT_EQUAL(sharedfile_save(dir, "shared", data, 0, true, NULL, &rev, &cause), 0);
	CU_ASSERT_EQUAL(sharedfile_save(dir, "private", data, 0, false, NULL, &rev, &cause), 0);
	umask(old);
	path = xasprintf("%s/shared.json", dir);
	CU_ASSERT_EQUAL(test_mode(path), 0660);
	free(path);
	path = xasprintf("%s/shared.lock", dir);
	CU_ASSERT_EQUAL(test_mode(path), 0660);
	free(path);
	path = xasprintf("%s/private.json", dir);
	CU_ASSERT_EQUAL(test_mode(path), 0600);
	free(path);
	CU_ASSERT_EQUAL(sharedfile_list(dir, &list, &cause), 0);
	CU_ASSERT_EQUAL(cJSON_GetArraySize(list), 2);
	CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(cJSON_GetArrayItem(list, 0), "name")->valuestring, "private");
	cJSON_Delete(list);
	cJSON_Delete(data);
	free(dir);
}

/* A child saves a growing document in a loop and is killed at a random
 * moment; the file must always open as a whole document. */
static void test_kill_during_save(void)
{
	char *dir = test_path("crash"), *cause = NULL;
	unsigned bad = 0;

	mkdir(dir, 0700);
	srand(42);
	for (int round = 0; round < 40; round++) {
		pid_t pid = fork();
		struct sharedfile_meta meta;
		cJSON *data;

		if (pid == 0) {
			for (long i = 0;; i++) {
				long rev = 0;
				cJSON *d = cJSON_CreateObject();
				char *why = NULL;

				test_counter(dir, &rev);
				cJSON_AddNumberToObject(d, "n", (double)i);
				cJSON_AddStringToObject(d, "pad", "a few hundred bytes of padding to make the "
				    "write take more than one system call, so that a kill can land in the middle "
				    "of it rather than before or after the whole of it: 0123456789abcdef");
				sharedfile_save(dir, "counter", d, rev, false, NULL, &rev, &why);
				free(why);
				cJSON_Delete(d);
			}
		}
		usleep((useconds_t)(1000 + rand() % 20000));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		if (sharedfile_open(dir, "counter", &data, &meta, &cause) != 0) {
			/* Only before the first save completes may there be no file. */
			bad += strstr(cause, "no such shared file") == NULL;
			free(cause);
			cause = NULL;
			continue;
		}
		bad += !cJSON_IsNumber(cJSON_GetObjectItem(data, "n"));
		cJSON_Delete(data);
		sharedfile_meta_done(&meta);
	}
	CU_ASSERT_EQUAL(bad, 0);
	free(dir);
}

/* Renders one result with reportfmt into a string. */
static char *test_render(enum reportfmt_kind kind, const char *line, const char *json, long min_group)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct reportfmt r = { f, kind, min_group, NULL, 0 };
	cJSON *result = cJSON_Parse(json);

	reportfmt_command(&r, line, result, NULL);
	fclose(f);
	cJSON_Delete(result);
	return buf;
}

static void test_report_escaping(void)
{
	char *md = test_render(REPORTFMT_MD, "note `x` a|b", "{\"v\": \"a|b*c\\nd\", \"l\": [1, \"x\"]}", 10);
	char *csv = test_render(REPORTFMT_CSV, "note", "{\"v\": \"=cmd()\", \"w\": -3, \"q\": \"a,\\\"b\"}", 10);

	CU_ASSERT_STRING_EQUAL(md, "\n## 1. `` note `x` a|b ``\n\n| field | value |\n|---|---|\n"
	    "| v | a\\|b\\*c d |\n| l | 1, x |\n");
	CU_ASSERT_STRING_EQUAL(csv, "\ncommand,1,note\nstatus,ok\nfield,value\nv,\"'=cmd()\"\n"
	    "w,-3\nq,\"a,\"\"b\"\n");
	free(md);
	free(csv);
}

static void test_report_min_group(void)
{
	const char *json = "{\"arms\": [{\"arm\": \"a\", \"n\": 12}, {\"arm\": \"b\", \"n\": 9}],"
	    " \"by\": {\"x\": {\"users\": 3, \"p\": 0.5}, \"y\": {\"users\": 30, \"p\": 0.25}}}";
	char *md = test_render(REPORTFMT_MD, "t", json, 10), *all = test_render(REPORTFMT_CSV, "t", json, 0);

	CU_ASSERT_STRING_EQUAL(md, "\n## 1. `t`\n\n| field | value |\n|---|---|\n"
	    "| by.y.users | 30 |\n| by.y.p | 0.25 |\n"
	    "\n_1 groups withheld: groups of fewer than 10 users (min\\_group)._\n"
	    "\n**arms**\n\n| arm | n |\n|---|---|\n| a | 12 |\n"
	    "\n_1 rows withheld: groups of fewer than 10 users (min\\_group)._\n");
	CU_ASSERT_PTR_NOT_NULL(strstr(all, "\nb,9\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(all, "\nby.x.users,3\n"));
	free(md);
	free(all);
}

/* An attached session records what cmd_run ran, failures marked, but no
 * usage error and no command about the session itself; detached, nothing. */
static void test_attach(void)
{
	struct session *s = session_new(1);
	char *path = test_path("attached.json"), *save = xasprintf("save-session %s", path);
	const char *const lines[] = { "help", "head nosuch", "head", "nosuch", save, "datasets" };
	struct cmd_ctx ctx;

	cmd_ctx_init(&ctx);
	CU_ASSERT_PTR_NULL(session_attached(&ctx));
	session_attach(&ctx, s);
	CU_ASSERT_PTR_EQUAL(session_attached(&ctx), s);
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		char *cause = NULL;
		cJSON *res = NULL;

		cmd_run(&ctx, lines[i], &res, &cause);
		cJSON_Delete(res);
		free(cause);
	}
	CU_ASSERT_EQUAL_FATAL(session_count(s), 3);
	CU_ASSERT_STRING_EQUAL(session_command(s, 0), "help");
	CU_ASSERT_TRUE(session_recorded_ok(s, 0));
	CU_ASSERT_STRING_EQUAL(session_command(s, 1), "head nosuch");
	CU_ASSERT_FALSE(session_recorded_ok(s, 1));
	CU_ASSERT_STRING_EQUAL(session_command(s, 2), "datasets");
	CU_ASSERT(session_time_ms(s, 0) >= 0 && session_time_ms(s, 2) >= session_time_ms(s, 0));
	CU_ASSERT_EQUAL(access(path, F_OK), 0);
	session_attach(&ctx, NULL);
	CU_ASSERT_PTR_NULL(session_attached(&ctx));
	CU_ASSERT_PTR_NULL(ctx.record);
	unlink(path);
	free(save);
	free(path);
	cmd_ctx_done(&ctx);
	session_free(s);
}

int main(void)
{
	static const struct cutest_case cases[] = {
		{ "round trip", test_round_trip },
		{ "bad session files", test_bad_files },
		{ "parameters", test_expand },
		{ "autosave", test_autosave },
		{ "two processes saving at once", test_two_savers },
		{ "conflict messages", test_conflict_message },
		{ "permissions", test_permissions },
		{ "kill -9 during a save", test_kill_during_save },
		{ "report escaping", test_report_escaping },
		{ "report min_group", test_report_min_group },
		{ "an attached session records the commands run", test_attach },
		{ NULL, NULL }
	};
	char tmpl[] = "/tmp/crossmkt-test-session.XXXXXX";
	char *cmd;
	int rc;

	test_dir = mkdtemp(tmpl);
	if (test_dir == NULL)
		return 99;
	rc = cutest_run("session", cases);
	cmd = xasprintf("rm -rf '%s'", test_dir);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	free(cmd);
	return rc;
}
