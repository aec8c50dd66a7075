/* The console's text functions without a terminal: cleaning untrusted text,
 * display widths of Chinese text, charts and JSON results as lines. */
#include "config.h"

#include <locale.h>
#include <math.h>
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

/* The tiny forecast of the chart tests: 6 history steps, 3 forecast. */
static const double fc_hist[] = { 10, 12, 11, 13, 12, 14 };
static const struct chart_band fc_points[] = {
	{ 14, 12, 16, 11, 17 }, { 15, 12, 18, 10, 20 }, { 16, 13, 19, 10, 22 }
};

/* The character at column col of a chart line (every glyph is one column). */
static const char *chart_cell(const char *line, int col, char *buf)
{
	for (int i = 0; i < col && *line != '\0'; i++)
		line += (unsigned char)*line < 0x80 ? 1 : 3;
	memcpy(buf, line, (unsigned char)*line < 0x80 ? 1 : 3);
	buf[(unsigned char)*line < 0x80 ? 1 : 3] = '\0';
	return buf;
}

static char **chart_of(const double *hist, size_t n_hist, const struct chart_band *fc,
    size_t n_fc, size_t start, int rows, int cols, bool utf8, struct chart_frame *f)
{
	struct chart_series s = { hist, n_hist, fc, n_fc, start };

	return chart_forecast(&s, rows, cols, utf8, f);
}

static void check_frame(const struct chart_frame *f, size_t first, size_t last, size_t per_col,
    int divider, int cols)
{
	CU_ASSERT_EQUAL(f->first, first);
	CU_ASSERT_EQUAL(f->last, last);
	CU_ASSERT_EQUAL(f->per_col, per_col);
	CU_ASSERT_EQUAL(f->divider, divider);
	CU_ASSERT_EQUAL(f->cols, cols);
}

static void test_forecast_chart_ascii(void)
{
	struct chart_frame f;
	char **l = chart_of(fc_hist, 6, fc_points, 3, 6, 4, 12, false, &f);

	/* rows cover 10..22: history '*', divider '|' in column 6, then the
	 * mean 'o' inside its 80% '=' and 95% ':' bands */
	CU_ASSERT_STRING_EQUAL(l[0], "      | ::  ");
	CU_ASSERT_STRING_EQUAL(l[1], "      |==o  ");
	CU_ASSERT_STRING_EQUAL(l[2], " * ***|oo=  ");
	CU_ASSERT_STRING_EQUAL(l[3], "* *   |:::  ");
	CU_ASSERT_EQUAL(f.lo, 10);
	CU_ASSERT_EQUAL(f.hi, 22);
	check_frame(&f, 0, 8, 1, 6, 10);
	chart_lines_free(l, 4);
	CU_ASSERT_STRING_EQUAL(chart_forecast_legend(false),
	    "* history  o forecast  = 80%  : 95%  | forecast starts");
}

static void test_forecast_chart_utf8(void)
{
	struct chart_frame f;
	char **l = chart_of(fc_hist, 6, fc_points, 3, 6, 4, 12, true, &f);
	char c[4];

	CU_ASSERT_STRING_EQUAL(l[0], "      │ ░░  ");
	CU_ASSERT_STRING_EQUAL(l[1], "      │▒▒●  ");
	CU_ASSERT_STRING_EQUAL(l[2], "   ⣀⢀⠄│●●▒  ");
	CU_ASSERT_STRING_EQUAL(l[3], "⡔⠑⠎ ⠁ │▒▒░  ");
	/* the history starts at the bottom-left dot (10) and rises towards 12
	 * in the next column: dots 7, 3 and 5 */
	CU_ASSERT_STRING_EQUAL(chart_cell(l[3], 0, c), "\xe2\xa1\x94");
	CU_ASSERT_STRING_EQUAL(chart_cell(l[0], 0, c), " ");
	for (int r = 0; r < 4; r++)
		CU_ASSERT_STRING_EQUAL(chart_cell(l[r], 6, c), "│");
	CU_ASSERT_STRING_EQUAL(chart_cell(l[2], 7, c), "●");       /* mean 14 */
	CU_ASSERT_STRING_EQUAL(chart_cell(l[1], 7, c), "▒");       /* 80% up to 16 */
	CU_ASSERT_STRING_EQUAL(chart_cell(l[0], 8, c), "░");       /* 95% up to 20 */
	CU_ASSERT_STRING_EQUAL(chart_cell(l[0], 7, c), " ");       /* above 17 */
	CU_ASSERT_STRING_EQUAL(chart_cell(l[1], 9, c), "●");       /* mean 16 */
	CU_ASSERT_STRING_EQUAL(chart_cell(l[0], 10, c), " ");      /* past the forecast */
	CU_ASSERT_EQUAL(f.divider, 6);
	chart_lines_free(l, 4);
	CU_ASSERT_STRING_EQUAL(chart_forecast_legend(true),
	    "⠒ history  ● forecast  ▒ 80%  ░ 95%  │ forecast starts");
}

static void test_forecast_chart_edges(void)
{
	static const double flat[] = { 5, 5, 5, 5, 5, 5 }, gap[] = { 1, NAN, 3, 4 };
	struct chart_band long_fc[30];
	double many[20];
	struct chart_frame f;
	char **l;

	/* a constant series: no range, the line in the middle */
	l = chart_of(flat, 6, NULL, 0, 6, 4, 12, false, &f);
	CU_ASSERT_STRING_EQUAL(l[1], "******      ");
	CU_ASSERT_STRING_EQUAL(l[2], "            ");
	CU_ASSERT_EQUAL(f.lo, 5);
	CU_ASSERT_EQUAL(f.hi, 5);
	CU_ASSERT_EQUAL(f.divider, -1);
	chart_lines_free(l, 4);
	l = chart_of(flat, 6, NULL, 0, 6, 4, 12, true, &f);
	CU_ASSERT_STRING_EQUAL(l[1], "⣀⣀⣀⣀⣀⡀      ");
	chart_lines_free(l, 4);
	/* a missing value leaves its column blank and breaks the line */
	l = chart_of(gap, 4, NULL, 0, 4, 2, 6, false, &f);
	CU_ASSERT_STRING_EQUAL(l[0], "  **  ");
	CU_ASSERT_STRING_EQUAL(l[1], "*     ");
	chart_lines_free(l, 2);
	l = chart_of(gap, 4, NULL, 0, 4, 1, 6, true, &f);
	CU_ASSERT_STRING_EQUAL(l[0], "⡀ ⠒⠁  ");
	chart_lines_free(l, 1);
	/* more steps than columns: the most recent history, all the forecast */
	for (int i = 0; i < 20; i++)
		many[i] = i;
	for (int i = 0; i < 30; i++)
		long_fc[i] = (struct chart_band){ 20 + i % 5, 19 + i % 5, 21 + i % 5, 18 + i % 5,
		    22 + i % 5 };
	l = chart_of(many, 20, long_fc, 5, 20, 4, 12, false, &f);
	check_frame(&f, 14, 24, 1, 6, 12);
	CU_ASSERT_STRING_EQUAL(l[3], "**    |     ");
	chart_lines_free(l, 4);
	/* a forecast too long for two thirds of the width: 5 steps a column */
	l = chart_of(many, 20, long_fc, 30, 20, 4, 12, false, &f);
	check_frame(&f, 0, 49, 5, 4, 11);
	chart_lines_free(l, 4);
	/* held-out points: the history goes on over the forecast */
	l = chart_of(fc_hist, 6, fc_points, 3, 3, 4, 12, false, &f);
	CU_ASSERT_STRING_EQUAL(l[2], " * |***     ");
	CU_ASSERT_EQUAL(f.divider, 3);
	chart_lines_free(l, 4);
	/* no room */
	l = chart_of(fc_hist, 6, fc_points, 3, 6, 2, 1, true, &f);
	CU_ASSERT_STRING_EQUAL(l[0], " ");
	CU_ASSERT_EQUAL(f.cols, 0);
	chart_lines_free(l, 2);
}

static void check_number(double v, const char *want)
{
	char buf[16];

	chart_number(v, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, want);
}

static void test_chart_number(void)
{
	check_number(3818.8, "3819");
	check_number(-9999, "-9999");
	check_number(12345, "12.3k");
	check_number(999999, "1M");
	check_number(1234567, "1.23M");
	check_number(7.5, "7.5");
	check_number(0, "0");
	check_number(0.0012, "0.0012");
	check_number(-0.0012, "-0.001");
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

/* Numbers in popups go through numfmt by their keys. */
static void test_result_numbers(void)
{
	cJSON *r = cJSON_Parse("{\"mean\":31.030555555555555,\"revenue\":3237.5400000000009,"
	    "\"p_value\":0.005726086548390125,\"rows\":40000,\"rate\":0.11875,"
	    "\"top\":{\"value\":\"view\",\"count\":24052},\"ci\":[5.75917e+06,0.5],"
	    "\"user\":17850}");
	static const char *const want[][2] = {
		{ "mean", "31.03" }, { "revenue", "3,237.54" }, { "p_value", "0.0057" },
		{ "rows", "40,000" }, { "rate", "11.9%" }, { "top", "view (24,052)" },
		{ "ci", "5759170, 0.5" }, { "user", "17850" }
	};

	text_set_utf8(true);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		char *s = result_cell(cJSON_GetObjectItemCaseSensitive(r, want[i][0]));

		CU_ASSERT_STRING_EQUAL(s, want[i][1]);
		free(s);
	}
	cJSON_Delete(r);
}

static void check_clip(const char *in, int width, const char *want)
{
	char *got = text_clip(in, width);

	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
}

/* Text cut to a width ends in an ellipsis; wide characters are not split. */
static void test_clip(void)
{
	text_set_utf8(true);
	check_clip("unknown column 'amout'", 30, "unknown column 'amout'");
	check_clip("unknown column 'amout' (did you mean 'amount'?)", 26,
	    "unknown column 'amout' (d\xe2\x80\xa6");
	check_clip("宫保鸡丁套餐", 6, "宫保\xe2\x80\xa6");
	check_clip("宫保鸡丁套餐", 12, "宫保鸡丁套餐");
	text_set_utf8(false);
	check_clip("discount_spring", 8, "discoun~");
	text_set_utf8(true);
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
		{ "forecast chart in ASCII", test_forecast_chart_ascii },
		{ "forecast chart in UTF-8", test_forecast_chart_utf8 },
		{ "forecast chart edge cases", test_forecast_chart_edges },
		{ "axis numbers", test_chart_number },
		{ "results as tables", test_result_table },
		{ "numbers in results are formatted for people", test_result_numbers },
		{ "text cut to a width ends in an ellipsis", test_clip },
		{ NULL, NULL }
	};

	have_utf8 = setlocale(LC_ALL, "C.UTF-8") != NULL || setlocale(LC_ALL, "C.utf8") != NULL ||
	    setlocale(LC_ALL, "en_US.UTF-8") != NULL;
	return cutest_run("ui-text", cases);
}
