/* Runner shared by the CUnit test programs. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cutest.h"
#include "xmalloc.h"

const char *cutest_srcdir(void)
{
	const char *s = getenv("srcdir");

	return s && *s ? s : ".";
}

char *cutest_shared(const char *name)
{
	const char *dir = getenv("CROSSMKT_SHARED");
	char *path;

	path = dir && *dir ? xasprintf("%s/%s", dir, name) :
	    xasprintf("%s/../shared/%s", cutest_srcdir(), name);
	if (access(path, R_OK) == 0)
		return path;
	free(path);
	return NULL;
}

void cutest_expect_error(int rc, char **cause, const char *want)
{
	CU_ASSERT_EQUAL(rc, -1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*cause);
	CU_ASSERT_STRING_EQUAL(*cause, want);
	free(*cause);
	*cause = NULL;
}

static size_t cutest_columns(const struct cmd_ctx *ctx)
{
	size_t n = 0;

	for (size_t i = 0; i < ctx->ws.n_tables; i++)
		n += ctx->ws.tables[i]->n_cols;
	return n;
}

void cutest_cancel_commands(struct cmd_ctx *ctx, atomic_bool *flag, const char *const *lines,
    size_t n)
{
	for (size_t e = 0; e < n; e++) {
		size_t before = cutest_columns(ctx);
		char *cause = NULL, *want = xasprintf("%.*s: cancelled",
		    (int)strcspn(lines[e], " "), lines[e]);
		cJSON *res = NULL;

		*flag = true;
		cutest_expect_error(cmd_run(ctx, lines[e], &res, &cause), &cause, want);
		CU_ASSERT_PTR_NULL(res);
		CU_ASSERT_EQUAL(cutest_columns(ctx), before);
		*flag = false;
		CU_ASSERT_EQUAL(cmd_run(ctx, lines[e], &res, &cause), 0);
		CU_ASSERT_PTR_NULL(cause);
		free(cause);
		cJSON_Delete(res);
		free(want);
	}
}

int cutest_run(const char *suite_name, const struct cutest_case *cases)
{
	CU_pSuite suite;
	unsigned failures;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 99;
	suite = CU_add_suite(suite_name, NULL, NULL);
	for (; suite && cases->name; cases++)
		CU_add_test(suite, cases->name, cases->fn);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failures = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failures ? 1 : 0;
}

cJSON *cutest_fixture_json(const char *name)
{
	char *path = xasprintf("%s/tests/fixtures/%s", cutest_srcdir(), name), *buf;
	FILE *f = fopen(path, "rb");
	long len;
	cJSON *json;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(99);
	}
	rewind(f);
	buf = xmalloc((size_t)len + 1);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len)
		exit(99);
	buf[len] = '\0';
	fclose(f);
	if ((json = cJSON_Parse(buf)) == NULL) {
		fprintf(stderr, "cannot parse %s\n", path);
		exit(99);
	}
	free(buf);
	free(path);
	return json;
}
