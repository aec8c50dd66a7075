/* The console's text functions without a terminal: cleaning untrusted text,
 * display widths of Chinese text, charts and JSON results as lines. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "chart.h"
#include "cutest.h"
#include "pager.h"
#include "result.h"
#include "text.h"

static bool have_utf8;

static void check_clean(const char *in, const char *want)
{
	char *got = text_clean(in);

	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
}

static void test_clean_controls(void)
{
	text_set_utf8(true);
	check_clean("plain", "plain");
	check_clean("a\x1b[31mred", "a\\x1b[31mred");
	check_clean("tab\there\r\n", "tab\\x09here\\x0d\\x0a");
	check_clean("del\x7f", "del\\x7f");
	/* C1 control U+009B (CSI) and a right-to-left override U+202E */
	check_clean("c1\xc2\x9b", "c1\\u009b");
	check_clean("rtl\xe2\x80\xae", "rtl\\u202e");
}

static void test_clean_invalid(void)
{
	text_set_utf8(true);
	check_clean("bad\xff!", "bad\\xff!");
	check_clean("cut\xe4\xb8", "cut\\xe4\\xb8");
	check_clean("overlong\xc0\xaf", "overlong\\xc0\\xaf");
	check_clean("\xed\xa0\x80", "\\xed\\xa0\\x80");
}

static void test_clean_idempotent(void)
{
	const char *in = "x\x1b y\xff 上海";
	char *once, *twice;

	text_set_utf8(true);
	once = text_clean(in);
	twice = text_clean(once);
	CU_ASSERT_STRING_EQUAL(once, twice);
	free(once);
	free(twice);
}

static void test_ascii_fallback(void)
{
	text_set_utf8(false);
	check_clean("上海 ok", "?? ok");
	check_clean("\x1b", "\\x1b");
	CU_ASSERT_EQUAL(text_width("?? ok"), 5);
	text_set_utf8(true);
}

static void test_width(void)
{
	if (!have_utf8)
		return;
	text_set_utf8(true);
	CU_ASSERT_EQUAL(text_width(""), 0);
	CU_ASSERT_EQUAL(text_width("abc"), 3);
	CU_ASSERT_EQUAL(text_width("上海"), 4);
	CU_ASSERT_EQUAL(text_width("Latte 拿铁"), 10);
	CU_ASSERT_EQUAL(text_width("健康饮食入门 · 进阶"), 19);
	CU_ASSERT_EQUAL(text_width("e\xcc\x81"), 1);   /* e + combining acute */
}

static void test_sparkline(void)
{
	static const double v[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	char *s = chart_sparkline(v, 8, 8, false);

	CU_ASSERT_STRING_EQUAL(s, "_.,-=+*#");
	free(s);
	s = chart_sparkline(v, 8, 8, true);
	CU_ASSERT_STRING_EQUAL(s, "\xe2\x96\x81\xe2\x96\x82\xe2\x96\x83\xe2\x96\x84"
	    "\xe2\x96\x85\xe2\x96\x86\xe2\x96\x87\xe2\x96\x88");
	free(s);
	/* averaged into 4 columns */
	s = chart_sparkline(v, 8, 4, false);
	CU_ASSERT_STRING_EQUAL(s, "_,+#");
	free(s);
}

static void test_line_chart(void)
{
	static const double up[] = { 0, 1, 2, 3 };
	char **l = chart_line(up, 4, 2, 4, false);

	/* ASCII: one mark per column, rising from the bottom-left */
	CU_ASSERT_STRING_EQUAL(l[0], "  **");
	CU_ASSERT_STRING_EQUAL(l[1], "**  ");
	chart_lines_free(l, 2);
	l = chart_line(up, 4, 1, 2, true);
	/* braille: 4x4 dots, the lowest left dot and the highest right one set */
	CU_ASSERT_EQUAL(strlen(l[0]), 6);
	CU_ASSERT_EQUAL((unsigned char)l[0][0], 0xe2);
	CU_ASSERT_NOT_EQUAL(strcmp(l[0], "\xe2\xa0\x80\xe2\xa0\x80"), 0);
	chart_lines_free(l, 1);
}

static void test_result_table(void)
{
	cJSON *r = cJSON_Parse("{\"dataset\":\"users\",\"rows\":3,"
	    "\"columns\":[{\"name\":\"city\",\"distinct\":6,"
	    "\"top\":{\"value\":\"上海\",\"count\":679}},"
	    "{\"name\":\"spend\",\"distinct\":2058,\"mean\":812.25}]}");
	struct pager *p = pager_new("describe");
	char *s;

	text_set_utf8(true);
	result_render(p, r);
	/* dataset, rows, blank, title, header, two rows */
	CU_ASSERT_EQUAL(pager_count(p), 7);
	s = result_summary("describe", r);
	CU_ASSERT_STRING_EQUAL(s, "describe: users, 3 rows, 2 columns");
	free(s);
	pager_free(p);
	cJSON_Delete(r);
}

int main(void)
{
	static const struct cutest_case cases[] = {
		{ "control characters are escaped", test_clean_controls },
		{ "invalid UTF-8 is escaped", test_clean_invalid },
		{ "cleaning twice changes nothing", test_clean_idempotent },
		{ "ASCII stand-ins without UTF-8", test_ascii_fallback },
		{ "display width of wide characters", test_width },
		{ "sparklines", test_sparkline },
		{ "line charts", test_line_chart },
		{ "results as tables", test_result_table },
		{ NULL, NULL }
	};

	have_utf8 = setlocale(LC_ALL, "C.UTF-8") != NULL || setlocale(LC_ALL, "C.utf8") != NULL ||
	    setlocale(LC_ALL, "en_US.UTF-8") != NULL;
	return cutest_run("ui-text", cases);
}
