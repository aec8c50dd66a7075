/* Tests for the CSV loader: fixtures with exact values and errors, number
 * parsing, chunking across threads, growing files, progress and cancel. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvchunk.h"
#include "csvload.h"
#include "csvnum.h"
#include "cutest.h"
#include "datetime.h"
#include "dict.h"
#include "table.h"
#include "xmalloc.h"

static char *test_fixture(const char *name)
{
	return xasprintf("%s/tests/fixtures/csv/%s", cutest_srcdir(), name);
}

/* Loads path with the given threads; reports the cause when it fails. */
static struct table *test_load_path(const char *path, int threads)
{
	struct csvload_opts opts = { 0 };
	struct table *t = NULL;
	char *cause = NULL;

	opts.threads = threads;
	if (csvload_file(path, "t", &opts, &t, &cause) != 0) {
		fprintf(stderr, "\nunexpected error: %s\n", cause);
		free(cause);
		return NULL;
	}
	return t;
}

static struct table *test_load(const char *name, int threads)
{
	char *path = test_fixture(name);
	struct table *t = test_load_path(path, threads);

	free(path);
	return t;
}

/* The error of loading path with opts (NULL when it loads). */
static char *test_error_opts(const char *path, const struct csvload_opts *opts)
{
	struct table *t = NULL;
	char *cause = NULL;

	if (csvload_file(path, "t", opts, &t, &cause) == 0) {
		table_free(t);
		return NULL;
	}
	CU_ASSERT_PTR_NULL(t);
	return cause;
}

/* tmpl with every "PATH" replaced by path. */
static char *test_subst(const char *tmpl, const char *path)
{
	char *out = xstrdup(""), *next;
	const char *at;

	while ((at = strstr(tmpl, "PATH")) != NULL) {
		next = xasprintf("%s%.*s%s", out, (int)(at - tmpl), tmpl, path);
		free(out);
		out = next;
		tmpl = at + 4;
	}
	next = xasprintf("%s%s", out, tmpl);
	free(out);
	return next;
}

/* Checks the error of a fixture for both thread counts. */
static void test_expect_error(const char *name, const char *tmpl)
{
	char *path = test_fixture(name), *want = test_subst(tmpl, path);

	for (int threads = 1; threads <= 2; threads++) {
		struct csvload_opts opts = { .threads = threads };
		char *got = test_error_opts(path, &opts);

		CU_ASSERT_PTR_NOT_NULL(got);
		if (got != NULL && strcmp(got, want) != 0)
			fprintf(stderr, "\n got: %s\nwant: %s\n", got, want);
		CU_ASSERT(got != NULL && strcmp(got, want) == 0);
		free(got);
	}
	free(want);
	free(path);
}

/* A cell as text, in a static buffer. */
static const char *test_cell(const struct table *t, const char *col, size_t row)
{
	static char buf[256];
	int j = table_find_column(t, col);

	if (j < 0)
		return "(no such column)";
	column_format(&t->cols[j], row, buf, sizeof buf);
	return buf;
}

static const struct column *test_col(const struct table *t, const char *name)
{
	int j = table_find_column(t, name);

	CU_ASSERT_FATAL(j >= 0);
	return &t->cols[j];
}

static void test_types(void)
{
	struct table *t = test_load("types.csv", 0);
	const struct column *c;
	int32_t days;

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_EQUAL(t->n_rows, 4);
	CU_ASSERT_EQUAL(t->n_cols, 12);
	c = test_col(t, "id");
	CU_ASSERT_EQUAL(c->type, COL_INT);
	CU_ASSERT_EQUAL(c->v.i64[2], INT64_MIN);
	CU_ASSERT_EQUAL(c->v.i64[3], INT64_MAX);
	CU_ASSERT_PTR_NULL(c->missing);
	c = test_col(t, "score");
	CU_ASSERT_EQUAL(c->type, COL_FLOAT);
	CU_ASSERT_EQUAL(c->v.f64[0], 2.5);
	CU_ASSERT_EQUAL(c->v.f64[1], -3.0);
	CU_ASSERT_EQUAL(c->v.f64[2], 1000.0);
	CU_ASSERT_EQUAL(c->n_missing, 1);
	CU_ASSERT(column_is_missing(c, 3));
	CU_ASSERT_EQUAL(c->v.f64[3], 0.0);
	c = test_col(t, "mixed");
	CU_ASSERT_EQUAL(c->type, COL_FLOAT);
	CU_ASSERT_EQUAL(c->v.f64[0], 1.0);
	CU_ASSERT_EQUAL(c->v.f64[1], 2.25);
	CU_ASSERT(column_is_missing(c, 3));
	c = test_col(t, "day");
	CU_ASSERT_EQUAL(c->type, COL_DATE);
	CU_ASSERT_FALSE(c->monthly);
	CU_ASSERT_EQUAL(c->v.days[0], datetime_days_from_civil(2024, 2, 29));
	CU_ASSERT_EQUAL(c->v.days[1], datetime_days_from_civil(9999, 12, 31));
	CU_ASSERT_EQUAL(c->v.days[2], datetime_days_from_civil(1, 1, 1));
	CU_ASSERT_STRING_EQUAL(test_cell(t, "day", 2), "0001-01-01");
	c = test_col(t, "month");
	CU_ASSERT_EQUAL(c->type, COL_DATE);
	CU_ASSERT_TRUE(c->monthly);
	CU_ASSERT_TRUE(datetime_parse_date("0001-01-01", 10, &days, NULL));
	CU_ASSERT_EQUAL(c->v.days[0], days);
	CU_ASSERT_STRING_EQUAL(test_cell(t, "month", 0), "0001-01");
	CU_ASSERT_STRING_EQUAL(test_cell(t, "month", 2), "9999-12");
	c = test_col(t, "ts");
	CU_ASSERT_EQUAL(c->type, COL_DATETIME);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c->tz);
	CU_ASSERT_EQUAL(c->tz[0], TZ_NONE);
	CU_ASSERT_EQUAL(c->tz[1], 480);
	CU_ASSERT_EQUAL(c->tz[2], -330);
	CU_ASSERT_EQUAL(c->v.i64[0], (int64_t)datetime_days_from_civil(2010, 12, 1) * MS_PER_DAY +
	    (8 * 60 + 26) * 60000LL);
	CU_ASSERT_EQUAL(c->v.i64[1], (int64_t)datetime_days_from_civil(2024, 3, 1) * MS_PER_DAY +
	    13000LL + 26 * 60000LL);
	CU_ASSERT_STRING_EQUAL(test_cell(t, "ts", 0), "2010-12-01 08:26:00");
	CU_ASSERT_STRING_EQUAL(test_cell(t, "ts", 1), "2024-03-01 08:26:13+08:00");
	CU_ASSERT_STRING_EQUAL(test_cell(t, "ts", 2), "2024-03-01 08:26:13.250-05:30");
	c = test_col(t, "flag");
	CU_ASSERT_EQUAL(c->type, COL_BOOL);
	CU_ASSERT_EQUAL(c->v.b[0], 1);
	CU_ASSERT_EQUAL(c->v.b[1], 0);
	CU_ASSERT_EQUAL(c->v.b[2], 1);
	CU_ASSERT(column_is_missing(c, 3));
	/* 2 distinct of 3 values: more than half, so text. */
	CU_ASSERT_EQUAL(test_col(t, "city")->type, COL_TEXT);
	CU_ASSERT_EQUAL(test_col(t, "note")->type, COL_TEXT);
	c = test_col(t, "when");
	CU_ASSERT_EQUAL(c->type, COL_DATETIME);
	CU_ASSERT_EQUAL(c->v.i64[0], (int64_t)datetime_days_from_civil(2024, 3, 1) * MS_PER_DAY);
	CU_ASSERT_STRING_EQUAL(test_cell(t, "when", 1), "2024-03-01 12:00:00Z");
	CU_ASSERT_STRING_EQUAL(test_cell(t, "when", 3), "2024-03-02 00:00:00");
	c = test_col(t, "gap");
	CU_ASSERT_EQUAL(c->type, COL_TEXT);
	CU_ASSERT_EQUAL(c->n_missing, 4);
	CU_ASSERT_EQUAL(dict_count(c->dict), 0);
	c = test_col(t, "code");
	CU_ASSERT_EQUAL(c->type, COL_TEXT);
	CU_ASSERT_STRING_EQUAL(test_cell(t, "code", 0), "007");
	CU_ASSERT_STRING_EQUAL(test_cell(t, "code", 1), "12");
	CU_ASSERT_EQUAL(c->n_missing, 1);
	table_free(t);
}

static void test_roles(void)
{
	struct table *t = test_load("header-only.csv", 1);

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_EQUAL(t->n_rows, 0);
	CU_ASSERT_EQUAL(t->n_cols, 3);
	for (size_t j = 0; j < t->n_cols; j++) {
		CU_ASSERT_EQUAL(t->cols[j].type, COL_TEXT);
		CU_ASSERT_EQUAL(t->cols[j].n_missing, 0);
	}
	CU_ASSERT_EQUAL(t->roles[ROLE_USER], 0);
	CU_ASSERT_EQUAL(t->roles[ROLE_AMOUNT], 1);
	CU_ASSERT_EQUAL(t->roles[ROLE_TIME], 2);
	CU_ASSERT_STRING_EQUAL(t->name, "t");
	table_free(t);
}

static void test_chinese(void)
{
	struct table *t = test_load("chinese.csv", 0);
	const struct column *c;

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_EQUAL(t->n_rows, 3);
	/* The BOM is not part of the first name. */
	CU_ASSERT_STRING_EQUAL(t->cols[0].name, "用户");
	CU_ASSERT_STRING_EQUAL(t->cols[1].name, "城市");
	c = test_col(t, "城市");
	CU_ASSERT_EQUAL(c->type, COL_TEXT);
	CU_ASSERT_EQUAL(c->v.codes[0], 0);
	CU_ASSERT_EQUAL(c->v.codes[1], 1);
	CU_ASSERT_EQUAL(c->v.codes[2], 0);
	CU_ASSERT_STRING_EQUAL(dict_str(c->dict, 1), "上海");
	CU_ASSERT_STRING_EQUAL(test_cell(t, "用户", 2), "王五");
	c = test_col(t, "金额");
	CU_ASSERT_EQUAL(c->type, COL_FLOAT);
	CU_ASSERT_EQUAL(c->v.f64[0], 12.5);
	CU_ASSERT_EQUAL(c->v.f64[1], 7.0);
	CU_ASSERT(column_is_missing(c, 2));
	table_free(t);
}

static void test_quotes(void)
{
	struct table *t = test_load("quotes.csv", 0);
	const struct column *c;

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_EQUAL(t->n_rows, 4);
	CU_ASSERT_STRING_EQUAL(test_cell(t, "name", 0), "Smith, John");
	CU_ASSERT_STRING_EQUAL(test_cell(t, "comment", 0), "He said \"hi\"");
	CU_ASSERT_STRING_EQUAL(test_cell(t, "name", 1), "multi\nline\nfield");
	/* A quoted empty field is missing like an unquoted one. */
	CU_ASSERT(column_is_missing(test_col(t, "name"), 2));
	/* libcsv drops the spaces around unquoted fields. */
	CU_ASSERT_STRING_EQUAL(test_cell(t, "comment", 2), "spaced");
	/* The last record has no newline after it. */
	CU_ASSERT_STRING_EQUAL(test_cell(t, "comment", 3), "ends \"here\"\nok");
	c = test_col(t, "n");
	CU_ASSERT_EQUAL(c->type, COL_INT);
	CU_ASSERT_EQUAL(c->v.i64[3], 4);
	table_free(t);
}

static void test_delimiters(void)
{
	struct table *t = test_load("tab.tsv", 0);
	struct csvload_opts opts = { .delim = ',' };
	char *path, *err, *want;

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_EQUAL(t->n_cols, 3);
	CU_ASSERT_STRING_EQUAL(test_cell(t, "b", 0), "x,y");
	CU_ASSERT_EQUAL(test_col(t, "c")->type, COL_FLOAT);
	table_free(t);
	t = test_load("semicolon.csv", 2);
	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_EQUAL(t->n_cols, 3);
	CU_ASSERT_STRING_EQUAL(test_cell(t, "b", 0), "x,y");
	/* A decimal comma is not a number. */
	CU_ASSERT_EQUAL(test_col(t, "c")->type, COL_TEXT);
	CU_ASSERT_STRING_EQUAL(test_cell(t, "c", 1), "3,5");
	table_free(t);
	/* A given delimiter wins over sniffing. */
	path = test_fixture("semicolon.csv");
	err = test_error_opts(path, &opts);
	want = xasprintf("%s:2: row has 3 fields, the header has 1; quote any field that contains ','", path);
	CU_ASSERT(err != NULL && strcmp(err, want) == 0);
	free(err);
	free(want);
	opts.delim = ';';
	t = NULL;
	CU_ASSERT_EQUAL(csvload_file(path, "t", &opts, &t, &err), 0);
	CU_ASSERT(t != NULL && t->n_cols == 3);
	table_free(t);
	free(path);
}

static void test_missing(void)
{
	struct table *t = test_load("missing.csv", 0);
	const struct column *c;

	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_EQUAL(t->n_rows, 5);
	c = test_col(t, "a");
	CU_ASSERT_EQUAL(c->type, COL_INT);
	CU_ASSERT_EQUAL(c->n_missing, 3);
	CU_ASSERT(!column_is_missing(c, 0) && column_is_missing(c, 1) && column_is_missing(c, 2) &&
	    column_is_missing(c, 3) && !column_is_missing(c, 4));
	CU_ASSERT_EQUAL(c->v.i64[1], 0);
	CU_ASSERT_STRING_EQUAL(test_cell(t, "a", 1), "");
	c = test_col(t, "b");
	CU_ASSERT_EQUAL(c->type, COL_TEXT);
	CU_ASSERT_EQUAL(c->n_missing, 2);
	CU_ASSERT_EQUAL(dict_count(c->dict), 2);
	CU_ASSERT_EQUAL(c->v.codes[1], 0);
	CU_ASSERT_EQUAL(c->v.codes[2], 1);
	CU_ASSERT_EQUAL(c->v.codes[4], 0);
	c = test_col(t, "c");
	CU_ASSERT_EQUAL(c->type, COL_INT);
	CU_ASSERT_EQUAL(c->n_missing, 2);
	CU_ASSERT_EQUAL(c->v.i64[3], 4);
	table_free(t);
}

static void test_spaces_names_category(void)
{
	struct table *t = test_load("spaces.csv", 0);

	CU_ASSERT_FATAL(t != NULL);
	/* Unquoted spaces and tabs around a number are dropped by libcsv... */
	CU_ASSERT_EQUAL(test_col(t, "a")->type, COL_INT);
	CU_ASSERT_EQUAL(test_col(t, "a")->v.i64[1], 7);
	/* ...but spaces inside quotes are data, so " 3" is text. */
	CU_ASSERT_EQUAL(test_col(t, "c")->type, COL_TEXT);
	CU_ASSERT_STRING_EQUAL(test_cell(t, "c", 1), " 3");
	CU_ASSERT_STRING_EQUAL(test_cell(t, "b", 1), "x");
	table_free(t);
	t = test_load("empty-name.csv", 0);
	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_STRING_EQUAL(t->cols[0].name, "col1");
	CU_ASSERT_STRING_EQUAL(t->cols[1].name, "a");
	CU_ASSERT_STRING_EQUAL(t->cols[2].name, "col3");
	table_free(t);
	t = test_load("category.csv", 0);
	CU_ASSERT_FATAL(t != NULL);
	/* 2 distinct of 4 is exactly half: category; 4 of 4: text. */
	CU_ASSERT_EQUAL(test_col(t, "half")->type, COL_CATEGORY);
	CU_ASSERT_EQUAL(test_col(t, "more")->type, COL_TEXT);
	table_free(t);
	t = test_load("mixed.csv", 0);
	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_EQUAL(test_col(t, "a")->type, COL_TEXT);
	CU_ASSERT_EQUAL(test_col(t, "b")->type, COL_DATE);
	CU_ASSERT_EQUAL(test_col(t, "c")->type, COL_TEXT);
	CU_ASSERT_STRING_EQUAL(test_cell(t, "c", 1), "1");
	CU_ASSERT_EQUAL(test_col(t, "d")->type, COL_TEXT);
	CU_ASSERT_STRING_EQUAL(test_cell(t, "d", 1), "2024-01-01");
	table_free(t);
}

static void test_errors(void)
{
	char *err;

	test_expect_error("ragged.csv",
	    "PATH:8: row has 4 fields, the header has 3; quote any field that contains ','");
	test_expect_error("ragged-short.csv",
	    "PATH:3: row has 2 fields, the header has 3; add the missing fields (they may be empty)");
	test_expect_error("unclosed.csv",
	    "PATH:3:2: the quote opened here is never closed; close it, or write quotes inside a quoted field twice (\"\")");
	test_expect_error("stray-quote.csv",
	    "PATH:3:2: misplaced '\"'; a quote must start a field and quotes inside a quoted field are written twice (\"\")");
	test_expect_error("gbk.csv",
	    "PATH:3:2: invalid UTF-8; the text looks GBK-encoded: convert the file with iconv -f GBK -t UTF-8 PATH > out.csv");
	test_expect_error("bad-utf8.csv",
	    "PATH:3:2: invalid UTF-8 (byte 0xe9); save the file as UTF-8");
	test_expect_error("dup-header.csv",
	    "PATH:1: columns 1 and 5 are both named 'x'; rename one of them");
	test_expect_error("empty.csv",
	    "PATH: the file is empty; a CSV file starts with a header line naming its columns");
	test_expect_error("blank.csv",
	    "PATH: the file is empty; a CSV file starts with a header line naming its columns");
	test_expect_error("gbk-header.csv",
	    "PATH:1:1: invalid UTF-8 in the header; the text looks GBK-encoded: convert the file with iconv -f GBK -t UTF-8 PATH > out.csv");
	test_expect_error("header-unclosed.csv",
	    "PATH:1:2: the quote opened here is never closed; close it, or write quotes inside a quoted field twice (\"\")");
	test_expect_error("no-such-file.csv", "PATH: cannot open: No such file or directory");
	test_expect_error("", "PATH: is a directory; give the path of a CSV file");
	err = test_error_opts("/dev/null", NULL);
	CU_ASSERT(err != NULL &&
	    strcmp(err, "/dev/null: not a regular file; save the data to a file first") == 0);
	free(err);
}

static void test_numbers(void)
{
	static const char *const floats[] = {
		"0.1", "1e23", "9007199254740993", "9007199254740993.0", "2.2250738585072011e-308",
		"1.7976931348623157e308", "4.9e-324", "123456789012345678901234567890", "-0.0",
		"+5", "5.", ".5", "0.07", "3.14159265358979323846", "1e-400", "100e-2",
		"0.000000000000000000000000000001", "123.456e-7",
	};
	static const char *const not_numbers[] = {
		"", "-", "+", ".", "1e", "e5", "1e+", "--1", "1-", "0x10", "inf", "nan", "007",
		"00.5", "-01", "1,5", "1 ", " 1", "1.2.3", "1e5e5",
		"1e400", "-1e400", "123e999",
	};
	int64_t i;
	double d;

	for (size_t k = 0; k < sizeof floats / sizeof floats[0]; k++) {
		double want = strtod(floats[k], NULL);

		CU_ASSERT(csvnum_parse_float(floats[k], strlen(floats[k]), &d));
		CU_ASSERT(memcmp(&d, &want, sizeof d) == 0);
	}
	for (size_t k = 0; k < sizeof not_numbers / sizeof not_numbers[0]; k++) {
		CU_ASSERT_FALSE(csvnum_parse_float(not_numbers[k], strlen(not_numbers[k]), &d));
		CU_ASSERT_FALSE(csvnum_parse_int(not_numbers[k], strlen(not_numbers[k]), &i));
	}
	CU_ASSERT(csvnum_parse_int("9223372036854775807", 19, &i) && i == INT64_MAX);
	CU_ASSERT(csvnum_parse_int("-9223372036854775808", 20, &i) && i == INT64_MIN);
	CU_ASSERT_FALSE(csvnum_parse_int("9223372036854775808", 19, &i));
	CU_ASSERT_FALSE(csvnum_parse_int("-9223372036854775809", 20, &i));
	CU_ASSERT_FALSE(csvnum_parse_int("1.0", 3, &i));
	CU_ASSERT(csvnum_parse_int("0", 1, &i) && i == 0);
	CU_ASSERT(csvnum_parse_int("-0", 2, &i) && i == 0);
}

/* Random decimal strings must read as the same double as strtod. */
static void test_numbers_random(void)
{
	uint64_t x = 88172645463325252ULL;
	unsigned bad = 0;

	for (int k = 0; k < 200000; k++) {
		char buf[64];
		int n = 0, digits;
		double got, want;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		digits = 1 + (int)(x % 19);
		if (x >> 60 & 1)
			buf[n++] = '-';
		for (int q = 0; q < digits; q++) {
			buf[n++] = (char)('0' + (x >> (q * 3 % 56)) % 10);
			if (n == 1 + (buf[0] == '-') && buf[n - 1] == '0')
				buf[n - 1] = '1';
			if (q == (int)(x >> 40) % digits)
				buf[n++] = '.';
		}
		n += snprintf(buf + n, sizeof buf - (size_t)n, "e%d", (int)(x >> 20) % 60 - 30);
		want = strtod(buf, NULL);
		if (!csvnum_parse_float(buf, (size_t)n, &got) || memcmp(&got, &want, sizeof got) != 0) {
			if (bad++ < 5)
				fprintf(stderr, "\n%s: got %.17g want %.17g\n", buf, got, want);
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
}

/* Undoes the escapes of pycheck.expected in place. */
static void test_unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (*s != '\\') {
			*w++ = *s;
			continue;
		}
		s++;
		*w++ = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s == 'r' ? '\r' : *s;
	}
	*w = '\0';
}

/* Every cell against what Python's csv module read (see make-expected.py). */
static void test_python(void)
{
	struct table *t = test_load("pycheck.csv", 2);
	char *path = test_fixture("pycheck.expected"), *line = NULL;
	FILE *f = fopen(path, "r");
	size_t cap = 0, cells = 0, bad = 0;
	ssize_t n;

	CU_ASSERT_FATAL(t != NULL && f != NULL);
	CU_ASSERT_EQUAL(t->n_rows, 400);
	CU_ASSERT_EQUAL(t->cols[0].type, COL_TEXT);
	CU_ASSERT_EQUAL(t->cols[1].type, COL_FLOAT);
	CU_ASSERT_EQUAL(t->cols[2].type, COL_INT);
	while ((n = getline(&line, &cap, f)) > 0) {
		char *v = line, *end;
		size_t row = strtoul(v, &v, 10), col = strtoul(v + 1, &v, 10);
		const struct column *c = &t->cols[col];

		line[n - 1] = '\0';
		test_unescape(++v);
		if (c->type == COL_TEXT)
			bad += strcmp(column_str(c, row), v) != 0;
		else if (c->type == COL_FLOAT && !isfinite(strtod(v, &end)))
			bad += !column_is_missing(c, row);      /* beyond a double: missing */
		else if (c->type == COL_FLOAT)
			bad += c->v.f64[row] != strtod(v, &end);
		else
			bad += c->v.i64[row] != strtoll(v, &end, 10);
		cells++;
	}
	CU_ASSERT_EQUAL(cells, 1200);
	CU_ASSERT_EQUAL(bad, 0);
	free(line);
	fclose(f);
	free(path);
	table_free(t);
}

static char test_dir[] = "/tmp/test-csvload-XXXXXX";

static char *test_tmp(const char *name)
{
	return xasprintf("%s/%s", test_dir, name);
}

/* The note of generated row i: quotes, delimiters and line breaks. */
static void test_note(size_t i, char *buf, size_t size)
{
	static const char *const parts[] = { "plain", "a,b", "say \"\"hi\"\"", "two\nlines",
	    "三\n行\n字", "x;y", "tab\there" };

	xsnprintf(buf, size, "\"n%zu %s %s\"", i, parts[i % 7], parts[i * 3 % 7]);
}

struct test_gen {
	size_t rows;
	size_t bad_utf8_row;    /* 0: none */
	size_t ragged_row;      /* 0: none */
	size_t line_of_bad, line_of_ragged;
	size_t lines_in_bad;    /* line breaks in the note before the bad byte */
};

/* Writes a file of many chunks; records the lines of planted errors. */
static void test_generate(const char *path, struct test_gen *g)
{
	static const char *const cats[] = { "view", "click", "purchase", "redeem" };
	FILE *f = fopen(path, "w");
	size_t line = 2;
	char note[128], row[512];

	CU_ASSERT_FATAL(f != NULL);
	fputs("id,amount,ts,note,cat,flag,day,mixed,w\n", f);
	for (size_t i = 0; i < g->rows; i++) {
		test_note(i, note, sizeof note);
		if (i == g->bad_utf8_row && i) {
			/* A stray byte at the end of the quoted note. */
			strcpy(note + strlen(note) - 1, "\xff\"");
			g->lines_in_bad = 0;
			for (char *p = note; (p = strchr(p, '\n')) != NULL; p++)
				g->lines_in_bad++;
		}
		xsnprintf(row, sizeof row, "%zu,%s,%s,%s,%s,%s,2024-%02zu-%02zu,%s,%s%s\n", i,
		    i % 5 == 0 ? "" : i % 2 ? "12.50" : "3",
		    i % 3 == 0 ? "2024-03-01 08:26:13+08:00" : i % 3 == 1 ? "2024-03-02" : "NA",
		    note, cats[i * 7 % 4],
		    i % 4 ? "true" : "FALSE", i % 12 + 1, i % 28 + 1,
		    i == g->rows * 3 / 4 ? "x" : i % 9 == 0 ? "" : "7",
		    i < 3 ? "s" : "", i == g->ragged_row && i ? "4,extra" : "4");
		if (i == g->bad_utf8_row)
			g->line_of_bad = line;
		if (i == g->ragged_row)
			g->line_of_ragged = line;
		fputs(row, f);
		for (char *p = row; (p = strchr(p, '\n')) != NULL; p++)
			line++;
	}
	fclose(f);
}

static void test_same_column(const struct column *a, const struct column *b, size_t rows)
{
	CU_ASSERT_STRING_EQUAL(a->name, b->name);
	CU_ASSERT_EQUAL(a->type, b->type);
	CU_ASSERT_EQUAL(a->n_missing, b->n_missing);
	CU_ASSERT_EQUAL(a->monthly, b->monthly);
	CU_ASSERT(memcmp(a->v.raw, b->v.raw, rows * col_type_width(a->type)) == 0);
	CU_ASSERT((a->missing == NULL) == (b->missing == NULL));
	if (a->missing && b->missing)
		CU_ASSERT(memcmp(a->missing, b->missing, (rows + 63) / 64 * 8) == 0);
	CU_ASSERT((a->tz == NULL) == (b->tz == NULL));
	if (a->tz && b->tz)
		CU_ASSERT(memcmp(a->tz, b->tz, rows * sizeof *a->tz) == 0);
	CU_ASSERT((a->dict == NULL) == (b->dict == NULL));
	if (a->dict == NULL || b->dict == NULL)
		return;
	CU_ASSERT_EQUAL_FATAL(dict_count(a->dict), dict_count(b->dict));
	for (uint32_t k = 0; k < dict_count(a->dict); k++)
		CU_ASSERT_STRING_EQUAL(dict_str(a->dict, k), dict_str(b->dict, k));
}

static void test_same_table(const struct table *a, const struct table *b)
{
	CU_ASSERT_EQUAL_FATAL(a->n_rows, b->n_rows);
	CU_ASSERT_EQUAL_FATAL(a->n_cols, b->n_cols);
	for (size_t j = 0; j < a->n_cols; j++)
		test_same_column(&a->cols[j], &b->cols[j], a->n_rows);
}

/* Checks values of the generated file that exercise every path. */
static void test_generated_values(const struct table *t, size_t rows)
{
	const struct column *c = test_col(t, "note");
	char note[128];

	CU_ASSERT_EQUAL(t->n_rows, rows);
	for (size_t i = 0; i < rows; i += 97) {
		test_note(i, note, sizeof note);
		/* Strip the outer quotes and undouble the inner ones. */
		note[strlen(note) - 1] = '\0';
		for (char *p = note + 1, *w = note; ; p++) {
			if (*p == '"' && p[1] == '"')
				p++;
			if ((*w++ = *p) == '\0')
				break;
		}
		CU_ASSERT_STRING_EQUAL(column_str(c, i), note);
	}
	CU_ASSERT_EQUAL(c->type, COL_TEXT);
	CU_ASSERT_EQUAL(test_col(t, "id")->type, COL_INT);
	CU_ASSERT_EQUAL(test_col(t, "id")->v.i64[rows - 1], (int64_t)rows - 1);
	CU_ASSERT_EQUAL(test_col(t, "amount")->type, COL_FLOAT);
	CU_ASSERT_EQUAL(test_col(t, "amount")->n_missing, (rows + 4) / 5);
	CU_ASSERT_EQUAL(test_col(t, "ts")->type, COL_DATETIME);
	CU_ASSERT_STRING_EQUAL(test_cell(t, "ts", 1), "2024-03-02 00:00:00");
	CU_ASSERT_STRING_EQUAL(test_cell(t, "ts", 3), "2024-03-01 08:26:13+08:00");
	c = test_col(t, "cat");
	CU_ASSERT_EQUAL(c->type, COL_CATEGORY);
	CU_ASSERT_STRING_EQUAL(dict_str(c->dict, 0), "view");
	CU_ASSERT_STRING_EQUAL(dict_str(c->dict, 1), "redeem");
	CU_ASSERT_EQUAL(test_col(t, "flag")->type, COL_BOOL);
	CU_ASSERT_EQUAL(test_col(t, "day")->type, COL_DATE);
	/* Numbers until three quarters of the way, then one "x". */
	c = test_col(t, "mixed");
	CU_ASSERT_EQUAL(c->type, COL_CATEGORY);
	CU_ASSERT_STRING_EQUAL(dict_str(c->dict, 0), "7");
	CU_ASSERT_STRING_EQUAL(dict_str(c->dict, 1), "x");
	CU_ASSERT_STRING_EQUAL(column_str(c, rows * 3 / 4), "x");
	/* Strings in the first chunk, then numbers only. */
	c = test_col(t, "w");
	CU_ASSERT_EQUAL(c->type, COL_CATEGORY);
	CU_ASSERT_STRING_EQUAL(dict_str(c->dict, 0), "s4");
	CU_ASSERT_STRING_EQUAL(dict_str(c->dict, 1), "4");
	CU_ASSERT_STRING_EQUAL(column_str(c, rows - 1), "4");
}

static void test_threads(void)
{
	struct test_gen g = { 5000, 0, 0, 0, 0, 0 };
	char *path = test_tmp("many.csv");
	struct table *t1, *t2, *t3;

	test_generate(path, &g);
	csvchunk_set_size(777);
	t1 = test_load_path(path, 1);
	t2 = test_load_path(path, 2);
	csvchunk_set_size(0);
	t3 = test_load_path(path, 2);
	CU_ASSERT_FATAL(t1 && t2 && t3);
	test_same_table(t1, t2);
	test_same_table(t1, t3);
	test_generated_values(t1, g.rows);
	table_free(t1);
	table_free(t2);
	table_free(t3);
	free(path);
}

/* The earliest error wins whatever the chunking and threads. */
static void test_threads_errors(void)
{
	struct test_gen g = { 4000, 2103, 3000, 0, 0, 0 };
	char *path = test_tmp("bad.csv"), *want;

	test_generate(path, &g);
	want = xasprintf("%s:%zu:4: invalid UTF-8 (byte 0xff); save the file as UTF-8", path,
	    g.line_of_bad + g.lines_in_bad);
	CU_ASSERT_EQUAL(g.lines_in_bad, 1);
	for (size_t size = 500; size <= 1000000; size *= 10) {
		csvchunk_set_size(size);
		for (int threads = 1; threads <= 2; threads++) {
			struct csvload_opts opts = { .threads = threads };
			char *err = test_error_opts(path, &opts);

			CU_ASSERT(err != NULL && strcmp(err, want) == 0);
			if (err && strcmp(err, want) != 0)
				fprintf(stderr, "\n got: %s\nwant: %s\n", err, want);
			free(err);
		}
	}
	free(want);
	g.bad_utf8_row = 0;
	test_generate(path, &g);
	want = xasprintf("%s:%zu: row has 10 fields, the header has 9; quote any field that contains ','",
	    path, g.line_of_ragged);
	csvchunk_set_size(600);
	for (int threads = 1; threads <= 2; threads++) {
		struct csvload_opts opts = { .threads = threads };
		char *err = test_error_opts(path, &opts);

		CU_ASSERT(err != NULL && strcmp(err, want) == 0);
		free(err);
	}
	csvchunk_set_size(0);
	free(want);
	free(path);
}

/* Columns that change shape between chunks: int then float, date then
 * datetime, offsets appearing late, values then a chunk of nothing, long
 * rows first (so the first row-count guess is too small). */
static void test_shapes(void)
{
	char *path = test_tmp("shapes.csv");
	FILE *f = fopen(path, "w");
	struct table *t1, *t2;
	const struct column *c;

	CU_ASSERT_FATAL(f != NULL);
	fputs("v,e,z,d,pad\n", f);
	for (int i = 0; i < 3000; i++) {
		fprintf(f, i < 300 ? "%d," : "%d.5,", i);
		fputs(i < 10 ? "5," : ",", f);
		fprintf(f, "2024-01-01 00:00%s,", i < 300 ? "" : "+01:00");
		fputs(i < 300 ? "2024-01-02," : "2024-01-02T03:04,", f);
		if (i < 20) {
			for (int k = 0; k < 40; k++)
				fputs("padding..", f);
		}
		fputs("p\n", f);
	}
	fclose(f);
	csvchunk_set_size(1000);
	t1 = test_load_path(path, 1);
	t2 = test_load_path(path, 2);
	csvchunk_set_size(0);
	CU_ASSERT_FATAL(t1 && t2);
	test_same_table(t1, t2);
	CU_ASSERT_EQUAL(t1->n_rows, 3000);
	c = test_col(t1, "v");
	CU_ASSERT_EQUAL(c->type, COL_FLOAT);
	CU_ASSERT_EQUAL(c->v.f64[299], 299.0);
	CU_ASSERT_EQUAL(c->v.f64[300], 300.5);
	c = test_col(t1, "e");
	CU_ASSERT_EQUAL(c->type, COL_INT);
	CU_ASSERT_EQUAL(c->n_missing, 2990);
	CU_ASSERT_EQUAL(c->v.i64[9], 5);
	CU_ASSERT_EQUAL(c->v.i64[2999], 0);
	CU_ASSERT(column_is_missing(c, 2999));
	c = test_col(t1, "z");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c->tz);
	CU_ASSERT_EQUAL(c->tz[0], TZ_NONE);
	CU_ASSERT_EQUAL(c->tz[2999], 60);
	CU_ASSERT_STRING_EQUAL(test_cell(t1, "z", 2999), "2024-01-01 00:00:00+01:00");
	c = test_col(t1, "d");
	CU_ASSERT_EQUAL(c->type, COL_DATETIME);
	CU_ASSERT_STRING_EQUAL(test_cell(t1, "d", 0), "2024-01-02 00:00:00");
	CU_ASSERT_STRING_EQUAL(test_cell(t1, "d", 2999), "2024-01-02 03:04:00");
	CU_ASSERT_STRING_EQUAL(test_cell(t1, "pad", 2999), "p");
	table_free(t1);
	table_free(t2);
	unlink(path);
	free(path);
}

/* Old Mac line ends: bare CR ends a record in libcsv too. */
static void test_bare_cr(void)
{
	char *path = test_tmp("cr.csv");
	FILE *f = fopen(path, "w");
	struct table *t;

	CU_ASSERT_FATAL(f != NULL);
	fputs("a,b\r", f);
	for (int i = 0; i < 500; i++)
		fprintf(f, "%d,x%d\r", i, i % 3);
	fclose(f);
	t = test_load_path(path, 2);
	CU_ASSERT_FATAL(t != NULL);
	CU_ASSERT_EQUAL(t->n_rows, 500);
	CU_ASSERT_EQUAL(t->cols[0].v.i64[499], 499);
	CU_ASSERT_EQUAL(t->cols[1].type, COL_CATEGORY);
	CU_ASSERT_STRING_EQUAL(test_cell(t, "b", 499), "x1");
	table_free(t);
	unlink(path);
	free(path);
}

/* An unclosed quote early in a big file: reading stops after a bounded
 * amount instead of taking in the rest of the file. */
static void test_unclosed_big(void)
{
	char *path = test_tmp("unclosed-big.csv"), *err, *want;
	FILE *f = fopen(path, "w");
	struct csvload_opts opts = { .threads = 2 };

	CU_ASSERT_FATAL(f != NULL);
	fputs("a,b\n1,2\n3,\"open\n", f);
	for (int i = 0; i < 20000; i++)
		fprintf(f, "%d,%d\n", i, i);
	fclose(f);
	csvchunk_set_size(1000);
	err = test_error_opts(path, &opts);
	csvchunk_set_size(0);
	want = xasprintf("%s:3:2: the quote opened here is not closed within 62 KB; close it, or write quotes inside a quoted field twice (\"\")",
	    path);
	CU_ASSERT(err != NULL && strcmp(err, want) == 0);
	if (err && strcmp(err, want) != 0)
		fprintf(stderr, "\n got: %s\nwant: %s\n", err, want);
	free(err);
	free(want);
	unlink(path);
	free(path);
}

struct test_progress {
	unsigned calls;
	unsigned long long last, total;
	bool monotonic;
	atomic_bool cancel;
	bool cancel_on_first;
	const char *grow;       /* appended to the file on the first call */
	const char *path;
};

static void test_on_progress(void *arg, unsigned long long done, unsigned long long total)
{
	struct test_progress *p = arg;

	p->monotonic &= done >= p->last && done <= total;
	p->last = done;
	p->total = total;
	if (p->calls++ == 0 && p->cancel_on_first)
		p->cancel = true;
	if (p->calls == 1 && p->grow != NULL) {
		FILE *f = fopen(p->path, "a");

		fputs(p->grow, f);
		fclose(f);
	}
}

static void test_progress_cancel(void)
{
	struct test_gen g = { 3000, 0, 0, 0, 0, 0 };
	char *path = test_tmp("progress.csv"), *err, *want;
	struct test_progress p = { .monotonic = true };
	struct csvload_opts opts = { .progress = test_on_progress, .progress_arg = &p,
	    .cancel = &p.cancel };
	struct table *t = NULL;
	struct stat st;

	test_generate(path, &g);
	stat(path, &st);
	csvchunk_set_size(4096);
	CU_ASSERT_EQUAL(csvload_file(path, "t", &opts, &t, &err), 0);
	CU_ASSERT(p.calls > 10);
	CU_ASSERT(p.monotonic);
	CU_ASSERT_EQUAL(p.last, (unsigned long long)st.st_size);
	CU_ASSERT_EQUAL(p.total, (unsigned long long)st.st_size);
	table_free(t);
	memset(&p, 0, sizeof p);
	p.cancel_on_first = true;
	p.monotonic = true;
	err = test_error_opts(path, &opts);
	want = xasprintf("%s: load cancelled", path);
	CU_ASSERT(err != NULL && strcmp(err, want) == 0);
	CU_ASSERT_EQUAL(p.calls, 1);
	free(err);
	free(want);
	csvchunk_set_size(0);
	free(path);
}

static void test_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CU_ASSERT_FATAL(f != NULL);
	fputs(text, f);
	fclose(f);
}

/* A file still being written: the partial last line is left out. */
static void test_growing(void)
{
	char *path = test_tmp("growing.csv"), *err;
	struct test_progress p = { .monotonic = true, .grow = "7\n8,9\n" };
	struct csvload_opts opts = { .threads = 1, .progress = test_on_progress,
	    .progress_arg = &p };
	struct table *t = NULL;

	p.path = path;
	test_write(path, "a,b\n1,2\n3,4\n5,6");
	csvchunk_set_size(4);
	CU_ASSERT_EQUAL(csvload_file(path, "t", &opts, &t, &err), 0);
	CU_ASSERT(t != NULL && t->n_rows == 2);
	CU_ASSERT_EQUAL(p.total, 15);
	table_free(t);
	/* Not growing: the last line counts even without a newline. */
	test_write(path, "a,b\n1,2\n3,4\n5,6");
	t = test_load_path(path, 1);
	CU_ASSERT(t != NULL && t->n_rows == 3);
	CU_ASSERT_STRING_EQUAL(test_cell(t, "b", 2), "6");
	table_free(t);
	csvchunk_set_size(0);
	free(path);
}

static void test_cleanup(void)
{
	static const char *const names[] = { "many.csv", "bad.csv", "progress.csv", "growing.csv" };

	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
		char *path = test_tmp(names[k]);

		unlink(path);
		free(path);
	}
	CU_ASSERT_EQUAL(rmdir(test_dir), 0);
}

int main(void)
{
	static const struct cutest_case cases[] = {
		{ "types", test_types },
		{ "header only and roles", test_roles },
		{ "Chinese, BOM and CRLF", test_chinese },
		{ "quotes", test_quotes },
		{ "delimiters", test_delimiters },
		{ "missing values", test_missing },
		{ "spaces, names, categories, mixes", test_spaces_names_category },
		{ "error messages", test_errors },
		{ "number parsing", test_numbers },
		{ "random floats against strtod", test_numbers_random },
		{ "against Python's csv module", test_python },
		{ "one or two threads, many chunks", test_threads },
		{ "earliest error across chunks", test_threads_errors },
		{ "columns changing between chunks", test_shapes },
		{ "bare CR line ends", test_bare_cr },
		{ "unclosed quote in a big file", test_unclosed_big },
		{ "progress and cancel", test_progress_cancel },
		{ "growing file", test_growing },
		{ "cleanup", test_cleanup },
		{ NULL, NULL }
	};

	if (mkdtemp(test_dir) == NULL) {
		perror("mkdtemp");
		return 99;
	}
	return cutest_run("csvload", cases);
}
