/* The abtest, power and srm commands: JSON keys, values and messages. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "command.h"
#include "cutest.h"
#include "xmalloc.h"

extern const struct cmd_entry cmd_abtest_entry, cmd_power_entry, cmd_srm_entry;

static struct cmd_ctx ctx;

/* Runs one line through its entry as cmd_run does: the message of a
 * failure is prefixed by the command name. */
static int test_run(const char *line, cJSON **result, char **cause)
{
	const struct cmd_entry *entries[] = { &cmd_abtest_entry, &cmd_power_entry,
	    &cmd_srm_entry };
	struct cmd_args args;
	char *why = NULL;
	int rc = CMD_USAGE;

	*result = NULL;
	*cause = NULL;
	if (cmd_parse(line, &args, cause) != 0)
		return CMD_USAGE;
	for (size_t i = 0; i < 3; i++) {
		if (strcmp(entries[i]->name, args.name) != 0)
			continue;
		rc = entries[i]->exec(&ctx, &args, result, &why);
		if (rc != 0) {
			*cause = xasprintf("%s: %s", args.name, why);
			free(why);
			cJSON_Delete(*result);
			*result = NULL;
		}
	}
	cmd_args_done(&args);
	return rc;
}

static double test_key(const cJSON *r, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, key);

	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	return v->valuedouble;
}

static double test_item(const cJSON *r, const char *key, int i)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, key);

	CU_ASSERT_FATAL(cJSON_IsArray(v) && cJSON_GetArraySize(v) == 2);
	return cJSON_GetArrayItem(v, i)->valuedouble;
}

static void test_props(void)
{
	cJSON *r;
	char *cause;

	/* R: prop.test(c(200, 245), c(10000, 10000)), fisher.test. */
	CU_ASSERT_FATAL(test_run("abtest props x=200,245 n=10000,10000", &r, &cause) == 0);
	CU_ASSERT_REL(test_key(r, "chi2"), 4.65411587599, 1e-9);
	CU_ASSERT_REL(test_key(r, "z") * test_key(r, "z"), 4.65411587599, 1e-9);
	CU_ASSERT_REL(test_key(r, "p_value_z"), 0.0309791824945, 1e-9);
	CU_ASSERT_REL(test_key(r, "p_value_chi2"), 0.0309791824945, 1e-9);
	CU_ASSERT_REL(test_key(r, "p_value_chi2_yates"), 0.0349101461552, 1e-9);
	CU_ASSERT_REL(test_key(r, "p_value_fisher"), 0.0347976244993, 1e-9);
	CU_ASSERT_REL(test_key(r, "diff"), 0.0045, 1e-12);
	CU_ASSERT_REL(test_item(r, "diff_ci", 0), 0.000412182754385, 1e-9);
	CU_ASSERT_REL(test_item(r, "diff_ci", 1), 0.00858781724562, 1e-9);
	CU_ASSERT_REL(test_key(r, "lift"), 0.225, 1e-12);
	CU_ASSERT(test_item(r, "lift_ci", 0) < 0.225 && test_item(r, "lift_ci", 1) > 0.225);
	CU_ASSERT_REL(test_key(r, "prob_beat_control"), 0.984472982958235, 1e-9);
	cJSON_Delete(r);
	/* Zero conversions in control: no lift, JSON null. */
	CU_ASSERT_FATAL(test_run("abtest props x=0,7 n=150,160", &r, &cause) == 0);
	CU_ASSERT(cJSON_IsNull(cJSON_GetObjectItem(r, "lift")));
	CU_ASSERT(cJSON_IsNull(cJSON_GetObjectItem(r, "lift_ci")));
	cJSON_Delete(r);
	/* Three arms: k-sample chi-square, exact test, comparisons to control. */
	CU_ASSERT_FATAL(test_run("abtest props x=120,150,135 n=4000,4000,4100", &r,
	    &cause) == 0);
	CU_ASSERT_REL(test_key(r, "chi2"), 3.53428549249, 1e-9);
	CU_ASSERT_REL(test_key(r, "p_value_chi2"), 0.170820369351, 1e-9);
	CU_ASSERT_REL(test_key(r, "p_value_fisher"), 0.172767884514, 1e-9);
	CU_ASSERT_EQUAL(cJSON_GetArraySize(cJSON_GetObjectItem(r, "comparisons")), 2);
	cJSON_Delete(r);
}

static const char *test_skipped(const cJSON *r)
{
	const cJSON *why = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "skipped"), "fisher");

	return cJSON_IsString(why) ? why->valuestring : NULL;
}

/* Three arms with millions of users beside an arm of 2: the chi-square
 * test as R's chisq.test (tests/fixtures/ab_props_many.R), the exact test
 * where its work is bounded, else said to be skipped. */
static void test_props_many(void)
{
	char *path = xasprintf("%s/tests/fixtures/ab_props_many.json", cutest_srcdir()), *text;
	cJSON *cases, *c, *r;
	char *cause;
	FILE *f = fopen(path, "r");
	size_t len;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	text = xmalloc(1 << 16);
	len = fread(text, 1, (1 << 16) - 1, f);
	text[len] = '\0';
	fclose(f);
	cases = cJSON_Parse(text);
	CU_ASSERT_FATAL(cJSON_GetArraySize(cases) == 3);
	cJSON_ArrayForEach(c, cases) {
		char *line = xasprintf("abtest props x=%s n=%s", cJSON_GetObjectItem(c, "x")->valuestring,
		    cJSON_GetObjectItem(c, "n")->valuestring);
		const cJSON *fisher = cJSON_GetObjectItem(c, "p_value_fisher");

		CU_ASSERT_FATAL(test_run(line, &r, &cause) == 0);
		CU_ASSERT_REL(test_key(r, "chi2"), test_key(c, "chi2"), 1e-9);
		CU_ASSERT_EQUAL(test_key(r, "df"), test_key(c, "df"));
		CU_ASSERT(fabs(test_key(r, "p_value_chi2") - test_key(c, "p_value")) <=
		    1e-9 * test_key(c, "p_value"));
		/* R's network algorithm stops at a relative error of 1e-7. */
		if (fisher != NULL)
			CU_ASSERT_REL(test_key(r, "p_value_fisher"), fisher->valuedouble, 1e-6);
		CU_ASSERT((cJSON_GetObjectItem(r, "p_value_fisher") != NULL) != (test_skipped(r) != NULL));
		CU_ASSERT_EQUAL(cJSON_GetArraySize(cJSON_GetObjectItem(r, "comparisons")), 2);
		cJSON_Delete(r);
		free(line);
	}
	cJSON_Delete(cases);
	free(text);
	free(path);
}

/* Past its bounds only the exact test is dropped, and says why. */
static void test_props_skipped(void)
{
	atomic_bool stop = true;
	cJSON *r;
	char *cause;

	CU_ASSERT_FATAL(test_run("abtest props x=300,200,250,400 n=1000,1000,1000,1000", &r,
	    &cause) == 0);
	CU_ASSERT_STRING_EQUAL(test_skipped(r), "over 20000000 steps (tables and partial tables) "
	    "to enumerate");
	CU_ASSERT_PTR_NULL(cJSON_GetObjectItem(r, "p_value_fisher"));
	CU_ASSERT_REL(test_key(r, "chi2"), 106.78871090770406, 1e-9);
	cJSON_Delete(r);
	/* Over 2^32 users: GSL's coefficients take unsigned ints. */
	CU_ASSERT_FATAL(test_run("abtest props x=100,200,300 n=2200000000,2200000000,2200000000",
	    &r, &cause) == 0);
	CU_ASSERT_STRING_EQUAL(test_skipped(r), "over 4294967295 users in all");
	CU_ASSERT_EQUAL(cJSON_GetArraySize(cJSON_GetObjectItem(r, "comparisons")), 2);
	CU_ASSERT(test_key(r, "p_value_chi2") > 0);
	cJSON_Delete(r);
	CU_ASSERT_FATAL(test_run("abtest props x=100,200 n=2200000000,2200000000", &r, &cause) == 0);
	CU_ASSERT_STRING_EQUAL(test_skipped(r), "over 4294967295 users in all");
	CU_ASSERT_REL(test_key(r, "p_value_chi2"), test_key(r, "p_value_z"), 1e-9);
	cJSON_Delete(r);
	/* The enumeration hears the cancel flag. */
	ctx.cancel = &stop;
	CU_ASSERT(test_run("abtest props x=30,20,25,40 n=100,100,100,100", &r, &cause) == -1);
	CU_ASSERT_STRING_EQUAL(cause, "abtest: cancelled");
	free(cause);
	ctx.cancel = NULL;
}

static void test_means(void)
{
	cJSON *r;
	char *cause;

	/* Hillstrom spend, Mens E-Mail against No E-Mail. */
	CU_ASSERT_FATAL(test_run("abtest means n=21306,21307 mean=0.652789,1.422617 "
	    "sd=11.588200,17.754205", &r, &cause) == 0);
	CU_ASSERT(fabs(test_key(r, "t") - 5.3001) < 5e-5);
	CU_ASSERT(fabs(test_key(r, "df") - 36671.2) < 0.05);
	CU_ASSERT(fabs(test_key(r, "p_value") - 1.164e-7) < 5e-11);
	CU_ASSERT(fabs(test_key(r, "diff") - 0.7698) < 5e-5);
	CU_ASSERT(fabs(test_item(r, "diff_ci", 0) - 0.4851) < 5e-5);
	CU_ASSERT(fabs(test_item(r, "diff_ci", 1) - 1.0545) < 5e-5);
	CU_ASSERT_PTR_NOT_NULL(cJSON_GetObjectItem(r, "lift_ci"));
	cJSON_Delete(r);
	CU_ASSERT_FATAL(test_run("abtest means n=21306,21307,21387 "
	    "mean=0.652789,1.422617,1.077202 sd=11.588200,17.754205,15.116106", &r,
	    &cause) == 0);
	CU_ASSERT(test_key(r, "p_value") < 1e-5);
	cJSON_Delete(r);
}

static void test_power_srm(void)
{
	cJSON *r;
	char *cause;

	CU_ASSERT_FATAL(test_run("power props p1=0.02 p2=0.025", &r, &cause) == 0);
	CU_ASSERT_REL(test_key(r, "n_per_arm_r"), 13808.924918, 1e-6);
	CU_ASSERT_REL(test_key(r, "n_per_arm_evanmiller"), 12748.346065105, 1e-10);
	CU_ASSERT_EQUAL(test_key(r, "n_per_arm"), 13809);
	cJSON_Delete(r);
	CU_ASSERT_FATAL(test_run("power props p1=0.02 p2=0.025 sided=1", &r, &cause) == 0);
	CU_ASSERT_REL(test_key(r, "n_per_arm_r"), 10877.1630649, 1e-6);
	cJSON_Delete(r);
	CU_ASSERT_FATAL(test_run("power means delta=5 sd=40 daily=500", &r, &cause) == 0);
	CU_ASSERT_REL(test_key(r, "n_per_arm_r"), 1005.61787009, 1e-6);
	CU_ASSERT_EQUAL(test_key(r, "days"), 5);
	cJSON_Delete(r);
	CU_ASSERT_FATAL(test_run("srm n=44700,45489", &r, &cause) == 0);
	CU_ASSERT(fabs(test_key(r, "chi2") - 6.902) < 5e-4);
	CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(r, "verdict")->valuestring, "warn");
	cJSON_Delete(r);
	CU_ASSERT_FATAL(test_run("srm n=50310,29870,19820 alloc=50,30,20", &r, &cause) == 0);
	CU_ASSERT_REL(test_key(r, "chi2"), 4.10533333333333, 1e-9);
	CU_ASSERT_REL(test_key(r, "p_value"), 0.128392067829077, 1e-9);
	CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(r, "verdict")->valuestring, "ok");
	cJSON_Delete(r);
}

static const struct {
	const char *line, *message;
} test_errors[] = {
	{ "abtest props x=12,abc n=100,100", "abtest: x=12,abc: 'abc' is not a number" },
	{ "abtest props x=12, n=100,100", "abtest: x=12,: '' is not a number" },
	{ "abtest props x=12,13 n=100,1e999", "abtest: n=100,1e999: '1e999' is not a number" },
	{ "abtest props x=12,13,14 n=100,100", "abtest: x= has 3 arms but n= has 2" },
	{ "abtest props x=12 n=100", "abtest: give at least 2 arms (control first)" },
	{ "abtest props n=100,100", "abtest: give x=V1,V2,..." },
	{ "abtest props x=120,13 n=100,100",
	    "abtest: arm 1: give whole numbers with 0 <= x <= n and n >= 1" },
	{ "abtest props x=12,13 n=100,100 alpha=2",
	    "abtest: alpha=2: give a number between 0 and 1" },
	{ "abtest medians x=1,2 n=3,4", "abtest: 'medians': give props or means" },
	{ "abtest means n=10,10 mean=1,x sd=1,1", "abtest: mean=1,x: 'x' is not a number" },
	{ "power props p1=0.02", "power: give p1=RATE p2=RATE [alpha=] [power=] [sided=1|2]" },
	{ "power props p1=0.02 p2=1.5", "power: p2=1.5: give a number between 0 and 1" },
	{ "power props p1=0.02 p2=0.03 sided=3", "power: sided=3: give 1 or 2" },
	{ "srm n=100,abc", "srm: n=100,abc: 'abc' is not a number" },
	{ "srm n=100,100 alloc=1", "srm: n= has 2 arms but alloc= has 1" },
	{ NULL, NULL }
};

static void test_messages(void)
{
	cJSON *r;
	char *cause;

	for (size_t i = 0; test_errors[i].line; i++) {
		CU_ASSERT_EQUAL(test_run(test_errors[i].line, &r, &cause), CMD_USAGE);
		CU_ASSERT_PTR_NULL(r);
		CU_ASSERT_PTR_NOT_NULL_FATAL(cause);
		if (strcmp(cause, test_errors[i].message) != 0)
			fprintf(stderr, "\n%s\n  got      %s\n  expected %s\n",
			    test_errors[i].line, cause, test_errors[i].message);
		CU_ASSERT_STRING_EQUAL(cause, test_errors[i].message);
		free(cause);
	}
}

static const struct cutest_case cases[] = {
	{ "abtest props", test_props },
	{ "abtest props, three large arms", test_props_many },
	{ "abtest props, the exact test skipped", test_props_skipped },
	{ "abtest means", test_means },
	{ "power and srm", test_power_srm },
	{ "error messages", test_messages },
	{ NULL, NULL }
};

int main(void)
{
	int rc;

	gsl_set_error_handler_off();
	cmd_ctx_init(&ctx);
	rc = cutest_run("cmd-abtest", cases);
	cmd_ctx_done(&ctx);
	return rc;
}
