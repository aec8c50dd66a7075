/* Markdown and CSV reports, byte for byte: numbers formatted for people,
 * the groups of a by= test as tables of their own. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cutest.h"
#include "reportfmt.h"

/* A test result with one group, as cmd-test writes it (cut short). */
static const char *const by_result =
	"{\"campaign\":\"demo\",\"alpha\":0.05,\"by\":\"platform\","
	"\"arms\":[{\"arm\":\"control\",\"users\":1953,\"rate\":0.07869884575026233},"
	"{\"arm\":\"coupon\",\"users\":960,\"rate\":0.11875}],"
	"\"groups\":[{\"value\":\"both\",\"arms\":[{\"arm\":\"control\",\"users\":287,"
	"\"revenue\":3237.5400000000009}],\"comparisons\":[{\"arm\":\"coupon\","
	"\"lift\":0.9141,\"p_value\":0.005726086548390125,\"p_adjusted\":1.2e-05,"
	"\"diff_ci\":[0.017751,0.1160]}]}]}";

static char *report(enum reportfmt_kind kind, const char *json)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct reportfmt r = { f, kind, 0, NULL, 0 };
	cJSON *res = cJSON_Parse(json);

	reportfmt_command(&r, "test demo by=platform", res, NULL);
	fclose(f);
	cJSON_Delete(res);
	return out;
}

static void test_md_groups(void)
{
	char *got = report(REPORTFMT_MD, by_result);

	CU_ASSERT_STRING_EQUAL(got,
	    "\n## 1. `test demo by=platform`\n\n"
	    "| field | value |\n|---|---|\n"
	    "| campaign | demo |\n| alpha | 0.05 |\n| by | platform |\n"
	    "\n**arms**\n\n"
	    "| arm | users | rate |\n|---|---|---|\n"
	    "| control | 1,953 | 7.87% |\n| coupon | 960 | 11.9% |\n"
	    "\n### groups (platform = both)\n\n"
	    "| field | value |\n|---|---|\n| value | both |\n"
	    "\n**groups (platform = both): arms**\n\n"
	    "| arm | users | revenue |\n|---|---|---|\n"
	    "| control | 287 | 3,237.54 |\n"
	    "\n**groups (platform = both): comparisons**\n\n"
	    "| arm | lift | p\\_value | p\\_adjusted | diff\\_ci |\n|---|---|---|---|---|\n"
	    "| coupon | +91.4% | 0.0057 | \\< 0.001 | 0.01775, 0.116 |\n");
	free(got);
}

static void test_csv_groups(void)
{
	char *got = report(REPORTFMT_CSV, by_result);

	CU_ASSERT_STRING_EQUAL(got,
	    "\ncommand,1,test demo by=platform\nstatus,ok\n"
	    "field,value\ncampaign,demo\nalpha,0.05\nby,platform\n"
	    "\ntable,arms\narm,users,rate\ncontrol,\"1,953\",7.87%\ncoupon,960,11.9%\n"
	    "\nsection,groups (platform = both)\nfield,value\nvalue,both\n"
	    "\ntable,groups (platform = both): arms\narm,users,revenue\n"
	    "control,287,\"3,237.54\"\n"
	    "\ntable,groups (platform = both): comparisons\n"
	    "arm,lift,p_value,p_adjusted,diff_ci\n"
	    "coupon,+91.4%,0.0057,< 0.001,\"0.01775, 0.116\"\n");
	free(got);
}

int main(void)
{
	static const struct cutest_case cases[] = {
		{ "Markdown: by= groups as tables, numbers for people", test_md_groups },
		{ "CSV: by= groups as tables, numbers for people", test_csv_groups },
		{ NULL, NULL }
	};

	return cutest_run("reportfmt", cases);
}
