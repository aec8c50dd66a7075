/* Tests for the directories a replayed session may open: the edges of
 * path resolution (trailing slashes, "..", links, the root), denied
 * directories over allowed ones, and the messages. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cutest.h"
#include "pathpolicy.h"
#include "xmalloc.h"

static char *test_dir;

static char *test_path(const char *name)
{
	return xasprintf("%s/%s", test_dir, name);
}

/* A policy reading under in/, writing under out/, denying in/secret/. */
static struct pathpolicy *test_policy(void)
{
	struct pathpolicy *p = pathpolicy_new();
	char *in = test_path("in"), *out = test_path("out"), *secret = test_path("in/secret");
	char *cause = NULL;

	CU_ASSERT_EQUAL(pathpolicy_allow(p, PATHPOLICY_READ, in, NULL, &cause), 0);
	CU_ASSERT_EQUAL(pathpolicy_allow(p, PATHPOLICY_READ | PATHPOLICY_WRITE, out,
	    "--allow-write", &cause), 0);
	pathpolicy_deny(p, secret);
	free(in);
	free(out);
	free(secret);
	return p;
}

static int test_check(const struct pathpolicy *p, const char *rel, unsigned access)
{
	char *path = rel[0] == '/' ? xstrdup(rel) : test_path(rel), *cause = NULL;
	int rc = pathpolicy_check(p, path, access, &cause);

	CU_ASSERT((rc == 0) == (cause == NULL));
	free(cause);
	free(path);
	return rc;
}

struct test_case {
	const char *path;       /* under the test directory unless absolute */
	unsigned access;
};

static void test_cases(const struct test_case *cases, int want)
{
	struct pathpolicy *p = test_policy();

	for (const struct test_case *c = cases; c->path != NULL; c++) {
		int rc = test_check(p, c->path, c->access);

		CU_ASSERT_EQUAL(rc, want);
		if (rc != want)
			fprintf(stderr, "%s (access %u): %d, want %d\n", c->path, c->access, rc, want);
	}
	pathpolicy_free(p);
}

static void test_allowed(void)
{
	static const struct test_case cases[] = {
		{ "in/a.csv", PATHPOLICY_READ }, { "in/", PATHPOLICY_READ },
		{ "in/.", PATHPOLICY_READ }, { "in/inner.csv", PATHPOLICY_READ },
		{ "out/new.csv", PATHPOLICY_WRITE }, { "out/new.csv", PATHPOLICY_READ },
		{ "in/../out/x.csv", PATHPOLICY_WRITE }, { NULL, 0 }
	};

	test_cases(cases, 0);
}

static void test_refused(void)
{
	static const struct test_case cases[] = {
		{ "in/a.csv", PATHPOLICY_WRITE }, { "in/..", PATHPOLICY_READ },
		{ "in/../x.csv", PATHPOLICY_READ }, { "in/link.csv", PATHPOLICY_READ },
		{ "in/up/x.csv", PATHPOLICY_READ }, { "in/dangling.csv", PATHPOLICY_READ },
		{ "in/nosuch/x.csv", PATHPOLICY_READ }, { "in/secret/key", PATHPOLICY_READ },
		{ "in/secret", PATHPOLICY_READ }, { "inside/x.csv", PATHPOLICY_READ },
		{ "/", PATHPOLICY_READ }, { "/etc/passwd", PATHPOLICY_READ }, { NULL, 0 }
	};

	test_cases(cases, -1);
}

static void test_messages(void)
{
	struct pathpolicy *p = test_policy();
	char *link = test_path("in/link.csv"), *key = test_path("in/secret/key");
	char *in = test_path("in"), *out = test_path("out"), *outside = test_path("x.csv");
	char *want, *cause = NULL;

	want = xasprintf("%s (that is %s): a replayed session reads only under its own directory, "
	    "the current directory and those given with --allow-read DIR (allowed: %s, %s)", link,
	    outside, in, out);
	cutest_expect_error(pathpolicy_check(p, link, PATHPOLICY_READ, &cause), &cause, want);
	free(want);
	want = xasprintf("%s/a.csv: a replayed session writes only under the directories given "
	    "with --allow-write DIR (allowed: %s)", in, out);
	free(link);
	link = test_path("in/a.csv");
	cutest_expect_error(pathpolicy_check(p, link, PATHPOLICY_WRITE, &cause), &cause, want);
	free(want);
	want = xasprintf("%s: a replayed session never opens your crossmkt settings, keys or "
	    "state (%s/secret), whatever --allow-read and --allow-write say", key, in);
	cutest_expect_error(pathpolicy_check(p, key, PATHPOLICY_READ, &cause), &cause, want);
	free(want);
	want = xasprintf("--allow-read %s: not a directory", link);
	cutest_expect_error(pathpolicy_allow(p, PATHPOLICY_READ, link, "--allow-read", &cause),
	    &cause, want);
	free(want);
	free(link);
	free(key);
	free(in);
	free(out);
	free(outside);
	pathpolicy_free(p);
}

/* The root allows everything but what is denied. */
static void test_root(void)
{
	struct pathpolicy *p = pathpolicy_new();
	char *cause = NULL, *secret = test_path("in/secret");

	CU_ASSERT_EQUAL(pathpolicy_allow(p, PATHPOLICY_READ, "/", NULL, &cause), 0);
	pathpolicy_deny(p, secret);
	CU_ASSERT_EQUAL(test_check(p, "/etc/passwd", PATHPOLICY_READ), 0);
	CU_ASSERT_EQUAL(test_check(p, "in/a.csv", PATHPOLICY_READ), 0);
	CU_ASSERT_EQUAL(test_check(p, "in/a.csv", PATHPOLICY_WRITE), -1);
	CU_ASSERT_EQUAL(test_check(p, "in/secret/key", PATHPOLICY_READ), -1);
	free(secret);
	pathpolicy_free(p);
}

static void test_setup(void)
{
	static const char *const dirs[] = { "in", "in/secret", "out", NULL };
	static const char *const files[] = { "in/a.csv", "in/secret/key", "x.csv", NULL };

	for (size_t i = 0; dirs[i] != NULL; i++) {
		char *d = test_path(dirs[i]);

		mkdir(d, 0700);
		free(d);
	}
	for (size_t i = 0; files[i] != NULL; i++) {
		char *f = test_path(files[i]);
		FILE *fp = fopen(f, "w");

		if (fp != NULL)
			fclose(fp);
		free(f);
	}
	if (symlink("../x.csv", "in/link.csv") != 0 || symlink("..", "in/up") != 0 ||
	    symlink("a.csv", "in/inner.csv") != 0 || symlink("gone.csv", "in/dangling.csv") != 0)
		perror("symlink");
}

int main(void)
{
	static const struct cutest_case cases[] = {
		{ "allowed paths", test_allowed },
		{ "refused paths", test_refused },
		{ "messages", test_messages },
		{ "the root", test_root },
		{ NULL, NULL }
	};
	char tmpl[] = "/tmp/crossmkt-test-pathpolicy.XXXXXX", real[4096];
	char *cmd;
	int rc;

	if (mkdtemp(tmpl) == NULL || realpath(tmpl, real) == NULL || chdir(real) != 0)
		return 99;
	test_dir = real;
	test_setup();
	rc = cutest_run("pathpolicy", cases);
	cmd = xasprintf("rm -rf '%s'", test_dir);
	if (chdir("/") != 0 || system(cmd) != 0)
		rc = rc ? rc : 1;
	free(cmd);
	return rc;
}
