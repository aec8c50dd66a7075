/* Runner shared by the CUnit test programs. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
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
