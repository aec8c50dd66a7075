/* Shared helpers for the CUnit test programs. */
#ifndef CROSSMKT_CUTEST_H
#define CROSSMKT_CUTEST_H

#include <CUnit/Basic.h>
#include <math.h>

/* Relative closeness, for reference values from R. */
#define CU_ASSERT_REL(actual, expected, rel) \
	CU_ASSERT(fabs((double)(actual) - (double)(expected)) <= \
	    (rel) * fmax(fabs((double)(expected)), 1e-300))

struct cutest_case {
	const char *name;
	void (*fn)(void);
};

/* Runs one suite of cases; returns the exit status for automake (0 when
 * every assertion passed). */
int cutest_run(const char *suite, const struct cutest_case *cases);
/* Directory of the test fixtures (from $srcdir). */
const char *cutest_srcdir(void);
/* Path of ../shared/data/NAME, or NULL when that folder is absent. */
char *cutest_shared(const char *name);

#endif
