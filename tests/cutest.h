/* Shared helpers for the CUnit test programs. */
#ifndef CROSSMKT_CUTEST_H
#define CROSSMKT_CUTEST_H

#include <CUnit/Basic.h>
#include <math.h>
#include <stdatomic.h>

#include "command.h"

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
/* Asserts that a call failed (rc -1) with exactly the cause want, and
 * frees the cause. Takes &cause: the call that sets it is another argument,
 * so the cause is read only after the call has run. */
void cutest_expect_error(int rc, char **cause, const char *want);
/* Runs each line twice on ctx, whose cancel is flag: with the flag set it
 * must fail with "NAME: cancelled", no result and the datasets' columns as
 * they were; with it clear it must succeed. */
void cutest_cancel_commands(struct cmd_ctx *ctx, atomic_bool *flag, const char *const *lines,
    size_t n);
/* tests/fixtures/NAME parsed; exits 99 when it cannot be read. */
cJSON *cutest_fixture_json(const char *name);
/* Path of ../shared/data/NAME, or NULL when that folder is absent. */
char *cutest_shared(const char *name);

#endif
