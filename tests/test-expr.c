/* Tests of the expression language: values through every operator and
 * function (missing values included), dates and offsets, exact error
 * messages, and counts over a million rows. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cutest.h"
#include "datetime.h"
#include "expr.h"
#include "table.h"
#include "xmalloc.h"

#define TEST_ROWS 6
#define NA NULL

static void test_set_str(struct column *c, size_t n, size_t row, const char *s)
{
	if (s == NA)
		column_set_missing(c, n, row);
	else
		c->v.codes[row] = dict_intern(c->dict, s, strlen(s));
}

static void test_set_date(struct column *c, size_t n, size_t row, const char *s)
{
	if (s == NA)
		column_set_missing(c, n, row);
	else
		CU_ASSERT_FATAL(datetime_parse_date(s, strlen(s), &c->v.days[row], NULL));
}

static void test_set_datetime(struct column *c, size_t n, size_t row, const char *s)
{
	int16_t tz;

	if (s == NA) {
		column_set_missing(c, n, row);
		c->tz[row] = TZ_NONE;
		return;
	}
	CU_ASSERT_FATAL(datetime_parse_datetime(s, strlen(s), &c->v.i64[row], &tz));
	c->tz[row] = tz;
}

static void test_add_strings(struct table *t, const char *name, enum col_type type,
    const char *const *values)
{
	struct column *c = table_add_column(t, name, type);

	for (size_t i = 0; i < t->n_rows; i++)
		test_set_str(c, t->n_rows, i, values[i]);
}

static void test_add_numbers(struct table *t, const char *name, enum col_type type,
    const double *values, const bool *missing)
{
	struct column *c = table_add_column(t, name, type);

	for (size_t i = 0; i < t->n_rows; i++) {
		if (missing[i])
			column_set_missing(c, t->n_rows, i);
		else if (type == COL_INT)
			c->v.i64[i] = (int64_t)values[i];
		else if (type == COL_BOOL)
			c->v.b[i] = (uint8_t)values[i];
		else
			c->v.f64[i] = values[i];
	}
}

/* Six rows covering CJK text, missing cells in every column and datetimes
 * at +08:00, Z, -05:00 and without an offset. */
static struct table *test_table(void)
{
	static const double id[] = { 1, 2, 3, 4, 5, 6 };
	static const double amount[] = { 10.5, 60, 0, 75.25, 0, 51 };
	static const double qty[] = { 2, 0, 5, 1, 0, 3 };
	static const double price[] = { 3.5, 10, 0, 2, 4, 1.5 };
	static const double flag[] = { 1, 0, 0, 1, 0, 1 };
	static const bool none[TEST_ROWS], miss2[] = { 0, 0, 1, 0, 0, 0 },
	    miss4[] = { 0, 0, 0, 0, 1, 0 };
	static const char *const city[] = { "上海", "北京", "上海", NA, "Shenzhen", "上海" };
	static const char *const note[] = { "优惠券 coupon", "hello", NA, "上海人", "ab", "" };
	static const char *const signup[] = { "2024-03-01", "2024-02-29", "2024-03-04", NA,
	    "2023-12-31", "2024-01-15" };
	static const char *const ts[] = { "2024-03-01 23:30:00+08:00", "2024-03-01 00:30:00+08:00",
	    NA, "2024-03-03 12:00:00Z", "2024-03-04 08:00:00", "2024-02-29 16:00:00-05:00" };
	struct table *t = table_new("t", NULL);
	struct column *c;

	t->n_rows = TEST_ROWS;
	test_add_numbers(t, "id", COL_INT, id, none);
	test_add_numbers(t, "amount", COL_FLOAT, amount, miss2);
	test_add_strings(t, "city", COL_CATEGORY, city);
	test_add_numbers(t, "qty", COL_INT, qty, miss4);
	test_add_numbers(t, "unit price", COL_FLOAT, price, miss2);
	c = table_add_column(t, "signup", COL_DATE);
	for (size_t i = 0; i < TEST_ROWS; i++)
		test_set_date(c, TEST_ROWS, i, signup[i]);
	c = table_add_column(t, "ts", COL_DATETIME);
	c->tz = xcalloc(TEST_ROWS, sizeof *c->tz);
	for (size_t i = 0; i < TEST_ROWS; i++)
		test_set_datetime(c, TEST_ROWS, i, ts[i]);
	test_add_numbers(t, "flag", COL_BOOL, flag, miss2);
	test_add_strings(t, "备注", COL_TEXT, note);
	return t;
}

/* Every cell of the result joined by '|', "NA" for missing. */
static char *test_cells(const struct table *t, const char *text, enum col_type *type)
{
	struct expr *e;
	struct column out;
	char *cause = NULL, *s = xstrdup(""), *next, buf[64];

	if ((e = expr_compile(text, t, &cause)) == NULL)
		return cause;
	if (expr_eval_column(e, t, &out, &cause) != 0) {
		expr_free(e);
		return cause;
	}
	for (size_t i = 0; i < t->n_rows; i++) {
		column_format(&out, i, buf, sizeof buf);
		next = xasprintf("%s%s%s", s, i ? "|" : "", column_is_missing(&out, i) ? "NA" : buf);
		free(s);
		s = next;
	}
	if (type != NULL)
		*type = out.type;
	expr_column_done(&out);
	expr_free(e);
	return s;
}

static void test_check_cells(const struct table *t, const char *text, const char *want)
{
	char *got = test_cells(t, text, NULL);

	if (strcmp(got, want) != 0)
		fprintf(stderr, "\n  %s\n    got  %s\n    want %s\n", text, got, want);
	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
}

static const struct {
	const char *text, *want;
} test_values[] = {
	/* Comparisons and missing propagation. */
	{ "amount > 50", "false|true|NA|true|false|true" },
	{ "amount <= 51", "true|false|NA|false|true|true" },
	{ "qty == 0", "false|true|false|false|NA|false" },
	{ "qty != 0", "true|false|true|true|NA|true" },
	{ "qty >= 2.5", "false|false|true|false|NA|true" },
	{ "flag == true", "true|false|NA|true|false|true" },
	{ "`unit price` > 3", "true|true|NA|false|true|false" },
	/* Strings, CJK, constant on either side. */
	{ "city == '上海'", "true|false|true|NA|false|true" },
	{ "'上海' == city", "true|false|true|NA|false|true" },
	{ "city != '上海'", "false|true|false|NA|true|false" },
	{ "city < 'Z'", "false|false|false|NA|true|false" },
	{ "'Z' > city", "false|false|false|NA|true|false" },
	{ "city == 'nowhere'", "false|false|false|NA|false|false" },
	{ "city in ('北京', 'Shenzhen')", "false|true|false|NA|true|false" },
	{ "city not in ('北京')", "true|false|true|NA|true|true" },
	{ "city == coalesce(city, 'x')", "true|true|true|NA|true|true" },
	{ "`备注` contains '上海'", "false|false|NA|true|false|false" },
	{ "`备注` contains '海人'", "false|false|NA|true|false|false" },
	{ "`备注` contains 'coupon'", "true|false|NA|false|false|false" },
	{ "`备注` contains ''", "true|true|NA|true|true|true" },
	{ "`备注` not contains 'o'", "false|false|NA|true|true|true" },
	{ "`备注` startswith '优惠'", "true|false|NA|false|false|false" },
	{ "city startswith '上'", "true|false|true|NA|false|true" },
	{ "coalesce(`备注`, 'x') contains 'a'", "false|false|false|false|true|false" },
	{ "coalesce(`备注`, 'x') in ('x', 'ab')", "false|false|true|false|true|false" },
	{ "coalesce(`备注`, 'it''s')", "优惠券 coupon|hello|it's|上海人|ab|" },
	{ "coalesce(city, '未知')", "上海|北京|上海|未知|Shenzhen|上海" },
	{ "city", "上海|北京|上海|NA|Shenzhen|上海" },
	/* Arithmetic. */
	{ "qty * `unit price`", "7|0|NA|2|NA|4.5" },
	{ "amount / qty", "5.25|NA|NA|75.25|NA|17" },
	{ "id + qty", "3|2|8|5|NA|9" },
	{ "id - qty * 2", "-3|2|-7|2|NA|0" },
	{ "-qty", "-2|0|-5|-1|NA|-3" },
	{ "id / 2", "0.5|1|1.5|2|2.5|3" },
	{ "flag + 1", "2|1|NA|2|1|2" },
	{ "id * 9223372036854775807", "9223372036854775807|NA|NA|NA|NA|NA" },
	{ "-(id - 1) * 4611686018427387904", "0|-4611686018427387904|-9223372036854775808|NA|NA|NA" },
	{ "1 + 2 * 3", "7|7|7|7|7|7" },
	{ "(1 + 2) * 3", "9|9|9|9|9|9" },
	{ "2 - 3 - 4", "-5|-5|-5|-5|-5|-5" },
	{ "8 / 2 / 2", "2|2|2|2|2|2" },
	{ "-2 * -3", "6|6|6|6|6|6" },
	{ "1e3 + 0.5", "1000.5|1000.5|1000.5|1000.5|1000.5|1000.5" },
	/* Kleene logic. */
	{ "amount > 50 and flag", "false|false|NA|true|false|true" },
	{ "amount > 50 or flag", "true|true|NA|true|false|true" },
	{ "amount > 50 and city == 'x'", "false|false|false|NA|false|false" },
	{ "amount > 50 or city == '上海'", "true|true|true|true|false|true" },
	{ "amount > 50 AND NOT flag", "false|true|NA|false|false|false" },
	{ "not flag", "false|true|NA|false|true|false" },
	{ "not amount > 50 or id == 1", "true|false|NA|false|true|false" },
	{ "qty == 5 or id == 1 and false", "false|false|true|false|NA|false" },
	{ "amount is missing", "false|false|true|false|false|false" },
	{ "city is not missing", "true|true|true|false|true|true" },
	{ "amount is missing or amount > 70", "false|false|true|true|false|false" },
	{ "id in (1, 3, -4)", "true|false|true|false|false|false" },
	{ "qty in (0, 2.5, 3)", "false|true|false|false|NA|true" },
	{ "amount not in (60, 0)", "true|false|NA|true|false|true" },
	/* coalesce. */
	{ "coalesce(amount, `unit price`, 0)", "10.5|60|0|75.25|0|51" },
	{ "coalesce(amount, qty)", "10.5|60|5|75.25|0|51" },
	{ "coalesce(qty, flag)", "2|0|5|1|0|3" },
	{ "coalesce(signup, d'2000-01-01')",
	    "2024-03-01|2024-02-29|2024-03-04|2000-01-01|2023-12-31|2024-01-15" },
	{ "coalesce(ts, d'2024-01-01 00:00+08:00')",
	    "2024-03-01 23:30:00+08:00|2024-03-01 00:30:00+08:00|2024-01-01 00:00:00+08:00|"
	    "2024-03-03 12:00:00Z|2024-03-04 08:00:00|2024-02-29 16:00:00-05:00" },
	/* Dates and datetimes. */
	{ "signup >= '2024-03-01'", "true|false|true|NA|false|false" },
	{ "signup == d'2024-02-29'", "false|true|false|NA|false|false" },
	{ "signup in ('2024-02-29', d'2024-01-15')", "false|true|false|NA|false|true" },
	{ "signup + 1", "2024-03-02|2024-03-01|2024-03-05|NA|2024-01-01|2024-01-16" },
	{ "7 + signup", "2024-03-08|2024-03-07|2024-03-11|NA|2024-01-07|2024-01-22" },
	{ "signup - d'2024-01-01'", "60|59|63|NA|-1|14" },
	{ "signup - 3000000", "NA|NA|NA|NA|NA|NA" },
	{ "week(signup)", "2024-02-26|2024-02-26|2024-03-04|NA|2023-12-25|2024-01-15" },
	{ "month(signup)", "2024-03|2024-02|2024-03|NA|2023-12|2024-01" },
	{ "day(signup)", "2024-03-01|2024-02-29|2024-03-04|NA|2023-12-31|2024-01-15" },
	{ "ts", "2024-03-01 23:30:00+08:00|2024-03-01 00:30:00+08:00|NA|2024-03-03 12:00:00Z|"
	    "2024-03-04 08:00:00|2024-02-29 16:00:00-05:00" },
	{ "day(ts)", "2024-03-01|2024-03-01|NA|2024-03-03|2024-03-04|2024-02-29" },
	{ "day(ts) == '2024-03-01'", "true|true|NA|false|false|false" },
	{ "hour(ts)", "23|0|NA|12|8|16" },
	{ "week(ts)", "2024-02-26|2024-02-26|NA|2024-02-26|2024-03-04|2024-02-26" },
	{ "month(ts)", "2024-03|2024-03|NA|2024-03|2024-03|2024-02" },
	{ "month(ts) == '2024-03'", "true|true|NA|true|true|false" },
	{ "month(signup) in (d'2024-02', '2023-12')", "false|true|false|NA|true|false" },
	{ "coalesce(month(signup), d'1999-09')", "2024-03|2024-02|2024-03|1999-09|2023-12|2024-01" },
	/* The same instants compared in UTC. */
	{ "ts < '2024-03-01 00:00Z'", "false|true|NA|false|false|true" },
	{ "ts == '2024-03-01 15:30:00Z'", "true|false|NA|false|false|false" },
	{ "ts == d'2024-03-01 23:30+08:00'", "true|false|NA|false|false|false" },
	{ "day(ts) == signup", "true|false|NA|NA|false|false" },
	/* Math. */
	{ "abs(-qty)", "2|0|5|1|NA|3" },
	{ "abs(amount - 60)", "49.5|0|NA|15.25|60|9" },
	{ "round(amount / 4)", "3|15|NA|19|0|13" },
	{ "round(amount / 4, 1)", "2.6|15|NA|18.8|0|12.8" },
	{ "round(id * 1234, -2)", "1200|2500|3700|4900|6200|7400" },
	{ "round(-15, -1)", "-20|-20|-20|-20|-20|-20" },
	{ "round(-2.5) + round(2.5)", "0|0|0|0|0|0" },
	{ "round(qty, 2)", "2|0|5|1|NA|3" },
	{ "log(qty - 1)", "0|NA|1.3862943611198906|NA|NA|0.6931471805599453" },
	{ "LOG(1)", "0|0|0|0|0|0" },
};

static void test_expr_values(void)
{
	struct table *t = test_table();

	for (size_t k = 0; k < sizeof test_values / sizeof test_values[0]; k++)
		test_check_cells(t, test_values[k].text, test_values[k].want);
	table_free(t);
}

/* Every prefix of every valid case either compiles or gives an error that
 * names the expression: no crash, no leak, no silent NULL. */
static void test_expr_prefixes(void)
{
	struct table *t = test_table();

	for (size_t k = 0; k < sizeof test_values / sizeof test_values[0]; k++) {
		const char *text = test_values[k].text;

		for (size_t len = 0; len <= strlen(text); len++) {
			char *prefix = xstrndup(text, len), *cause = NULL, *want;
			struct expr *e = expr_compile(prefix, t, &cause);

			want = xasprintf("expression '%s': ", prefix);
			CU_ASSERT(e != NULL || (cause != NULL &&
			    strncmp(cause, want, strlen(want)) == 0));
			expr_free(e);
			free(cause);
			free(want);
			free(prefix);
		}
	}
	table_free(t);
}

static const struct {
	const char *text, *want;
} test_errors[] = {
	{ "amount > 'x'", "expression 'amount > 'x'': position 10: cannot compare float with string" },
	{ "amout > 5", "expression 'amout > 5': position 1: unknown column 'amout' "
	    "(did you mean 'amount'?)" },
	{ "AMOUNT > 5", "expression 'AMOUNT > 5': position 1: unknown column 'AMOUNT' "
	    "(did you mean 'amount'?)" },
	{ "zzz > 5", "expression 'zzz > 5': position 1: unknown column 'zzz'" },
	{ "city == '上海' and amout > 1", "expression 'city == '上海' and amout > 1': "
	    "position 18: unknown column 'amout' (did you mean 'amount'?)" },
	{ "`城市` == 'x'", "expression '`城市` == 'x'': position 1: unknown column '城市'" },
	{ "城市 == 'x'", "expression '城市 == 'x'': position 1: unexpected character '城' "
	    "(write names that are not ASCII between backticks: `城市`)" },
	{ "(amount > 5", "expression '(amount > 5': position 12: expected ')' to close '(' "
	    "at position 1, got end of expression" },
	{ "((amount > 5) and flag", "expression '((amount > 5) and flag': position 23: "
	    "expected ')' to close '(' at position 1, got end of expression" },
	{ "amount > 5)", "expression 'amount > 5)': position 11: unmatched ')'" },
	{ "foo(amount)", "expression 'foo(amount)': position 1: unknown function 'foo' "
	    "(functions: abs, coalesce, day, hour, log, month, round, week)" },
	{ "round(amount, 1, 2)", "expression 'round(amount, 1, 2)': position 1: "
	    "round() takes 1 or 2 arguments, got 3" },
	{ "abs()", "expression 'abs()': position 1: abs() takes 1 argument, got 0" },
	{ "coalesce(amount)", "expression 'coalesce(amount)': position 1: "
	    "coalesce() takes at least 2 arguments, got 1" },
	{ "abs(amount", "expression 'abs(amount': position 11: expected ',' or ')' to close "
	    "'(' at position 4, got end of expression" },
	{ "city == 'abc", "expression 'city == 'abc': position 9: unterminated string" },
	{ "`unit price > 1", "expression '`unit price > 1': position 1: "
	    "unterminated quoted name" },
	{ "amount > 5 5", "expression 'amount > 5 5': position 12: unexpected '5' after a "
	    "complete expression" },
	{ "amount > 5 flag", "expression 'amount > 5 flag': position 12: unexpected 'flag' "
	    "after a complete expression" },
	{ "amount > ", "expression 'amount > ': position 10: expected a value, got end of "
	    "expression" },
	{ "amount > 5 and", "expression 'amount > 5 and': position 15: expected a value, got "
	    "end of expression" },
	{ "", "expression '': position 1: empty expression" },
	{ "   ", "expression '   ': position 1: empty expression" },
	{ "amount = 5", "expression 'amount = 5': position 8: unexpected '=' (use '==' to "
	    "compare)" },
	{ "!flag", "expression '!flag': position 1: unexpected '!' (use 'not' or '!=')" },
	{ "city == \"x\"", "expression 'city == \"x\"': position 9: unexpected '\"' (strings "
	    "take single quotes, names backticks)" },
	{ "amount ^ 2", "expression 'amount ^ 2': position 8: unexpected character '^'" },
	{ "1 < amount < 5", "expression '1 < amount < 5': position 12: comparisons cannot be "
	    "chained (use 'and')" },
	{ "amount is 5", "expression 'amount is 5': position 11: expected 'missing' after 'is', "
	    "got '5'" },
	{ "amount not 5", "expression 'amount not 5': position 12: expected 'in', 'contains' "
	    "or 'startswith' after 'not', got '5'" },
	{ "city in 'x'", "expression 'city in 'x'': position 9: expected '(' after 'in', "
	    "got ''x''" },
	{ "city in ()", "expression 'city in ()': position 9: 'in' needs at least one value" },
	{ "amount in (1, city)", "expression 'amount in (1, city)': position 15: 'in' takes a "
	    "list of literal values" },
	{ "city in ('a', 1)", "expression 'city in ('a', 1)': position 15: cannot compare "
	    "string with int" },
	{ "city contains 1", "expression 'city contains 1': position 15: expected a string "
	    "literal after 'contains', got '1'" },
	{ "d'2024-13-01' < signup", "expression 'd'2024-13-01' < signup': position 1: invalid "
	    "date '2024-13-01' (expected YYYY-MM-DD, YYYY-MM or YYYY-MM-DD HH:MM[:SS][+HH:MM])" },
	{ "99999999999999999999 > 1", "expression '99999999999999999999 > 1': position 1: "
	    "number '99999999999999999999' is out of range" },
	{ "city == '\xff'", "expression 'city == '\xff'': position 10: invalid UTF-8" },
	/* Type errors. */
	{ "city + 1", "expression 'city + 1': position 1: cannot apply '+' to string and int" },
	{ "amount * signup", "expression 'amount * signup': position 10: cannot apply '*' to "
	    "float and date" },
	{ "signup + signup", "expression 'signup + signup': position 10: cannot apply '+' to "
	    "date and date" },
	{ "-city", "expression '-city': position 2: cannot apply '-' to string" },
	{ "amount and flag", "expression 'amount and flag': position 1: 'and' needs bool "
	    "operands, got float" },
	{ "flag or 1", "expression 'flag or 1': position 9: 'or' needs bool operands, got int" },
	{ "not amount", "expression 'not amount': position 5: 'not' needs a bool operand, got "
	    "float" },
	{ "ts > '2024-03-01'", "expression 'ts > '2024-03-01'': position 6: cannot compare "
	    "datetime with date (use day() to compare days)" },
	{ "ts > signup", "expression 'ts > signup': position 6: cannot compare datetime with "
	    "date (use day() to compare days)" },
	{ "signup > 'March'", "expression 'signup > 'March'': position 10: cannot read 'March' "
	    "as a date (expected YYYY-MM-DD or YYYY-MM)" },
	{ "ts > 'soon'", "expression 'ts > 'soon'': position 6: cannot read 'soon' as a datetime "
	    "(expected YYYY-MM-DD HH:MM[:SS][+HH:MM])" },
	{ "city == 1", "expression 'city == 1': position 9: cannot compare string with int" },
	{ "flag == signup", "expression 'flag == signup': position 9: cannot compare bool with "
	    "date" },
	{ "hour(signup)", "expression 'hour(signup)': position 6: hour() needs a datetime, got "
	    "date" },
	{ "day(amount)", "expression 'day(amount)': position 5: day() needs a date or datetime, "
	    "got float" },
	{ "log(city)", "expression 'log(city)': position 5: log() needs a number, got string" },
	{ "qty contains 'a'", "expression 'qty contains 'a'': position 1: 'contains' needs a "
	    "string, got int" },
	{ "coalesce(signup, '2024-01-01')", "expression 'coalesce(signup, '2024-01-01')': "
	    "position 18: coalesce() cannot mix date and string (write dates as d'YYYY-MM-DD')" },
	{ "coalesce(amount, city)", "expression 'coalesce(amount, city)': position 18: "
	    "coalesce() cannot mix float and string" },
	{ "round(amount, qty)", "expression 'round(amount, qty)': position 15: round() digits "
	    "must be an int literal" },
	{ "round(amount, 99)", "expression 'round(amount, 99)': position 15: round() digits "
	    "must be between -15 and 15" },
};

static void test_expr_errors(void)
{
	struct table *t = test_table();

	for (size_t k = 0; k < sizeof test_errors / sizeof test_errors[0]; k++) {
		char *cause = NULL;
		struct expr *e = expr_compile(test_errors[k].text, t, &cause);

		CU_ASSERT_PTR_NULL(e);
		expr_free(e);
		if (cause == NULL || strcmp(cause, test_errors[k].want) != 0)
			fprintf(stderr, "\n  %s\n    got  %s\n    want %s\n", test_errors[k].text,
			    cause ? cause : "(no error)", test_errors[k].want);
		CU_ASSERT_STRING_EQUAL(cause ? cause : "", test_errors[k].want);
		free(cause);
	}
	table_free(t);
}

static void test_expr_types(void)
{
	static const struct {
		const char *text;
		enum col_type type;
	} cases[] = {
		{ "city == 'x'", COL_BOOL }, { "coalesce(`备注`, city)", COL_TEXT },
		{ "coalesce(city, 'x')", COL_CATEGORY }, { "month(ts)", COL_DATE },
		{ "hour(ts)", COL_INT }, { "qty / 1", COL_FLOAT }, { "qty * 1", COL_INT },
		{ "-flag", COL_INT }, { "abs(amount)", COL_FLOAT }, { "ts", COL_DATETIME },
		{ "signup - signup", COL_INT }, { "log(qty)", COL_FLOAT },
	};
	struct table *t = test_table();
	char *cause = NULL;

	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct expr *e = expr_compile(cases[k].text, t, &cause);

		CU_ASSERT_PTR_NOT_NULL_FATAL(e);
		CU_ASSERT_EQUAL(expr_type(e), cases[k].type);
		CU_ASSERT_STRING_EQUAL(expr_text(e), cases[k].text);
		expr_free(e);
	}
	table_free(t);
}

static void test_expr_filter(void)
{
	struct table *t = test_table();
	struct expr *e;
	uint8_t keep[TEST_ROWS];
	size_t kept = 99;
	char *cause = NULL;

	e = expr_compile("amount > 50 or city == '上海'", t, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(expr_eval_filter(e, t, keep, &kept, &cause), 0);
	CU_ASSERT_EQUAL(kept, 5);
	CU_ASSERT(keep[0] && keep[1] && keep[2] && keep[3] && !keep[4] && keep[5]);
	expr_free(e);

	/* A missing predicate drops the row just as false does. */
	e = expr_compile("amount > 50", t, &cause);
	CU_ASSERT_EQUAL(expr_eval_filter(e, t, keep, &kept, &cause), 0);
	CU_ASSERT_EQUAL(kept, 3);
	CU_ASSERT(!keep[0] && keep[1] && !keep[2] && keep[3] && !keep[4] && keep[5]);
	expr_free(e);

	e = expr_compile("amount + 1", t, &cause);
	CU_ASSERT_EQUAL(expr_eval_filter(e, t, keep, &kept, &cause), -1);
	CU_ASSERT_STRING_EQUAL(cause, "expression 'amount + 1': a filter needs a bool "
	    "expression, got float");
	free(cause);
	expr_free(e);
	table_free(t);
}

/* Compiled against one table, evaluated on another with other columns. */
static void test_expr_changed(void)
{
	struct table *t = test_table(), *u = table_new("u", NULL);
	struct expr *e;
	struct column out;
	char *cause = NULL;

	u->n_rows = 3;
	table_add_column(u, "id", COL_FLOAT);
	e = expr_compile("id > 1", t, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(expr_eval_column(e, u, &out, &cause), -1);
	CU_ASSERT_STRING_EQUAL(cause, "expression 'id > 1': the columns of dataset 'u' changed "
	    "since it was compiled");
	free(cause);
	expr_free(e);
	table_free(u);
	table_free(t);
}

/* A string column with every cell missing has an empty dictionary; an
 * empty table has no rows at all. */
static void test_expr_edges(void)
{
	struct table *t = table_new("e", NULL);
	struct column *c;
	struct expr *e;
	uint8_t keep[4];
	size_t kept = 99;
	char *cause = NULL, *got;

	t->n_rows = 4;
	c = table_add_column(t, "s", COL_CATEGORY);
	for (size_t i = 0; i < 4; i++)
		column_set_missing(c, 4, i);
	got = test_cells(t, "s == 'x' or s contains 'y'", NULL);
	CU_ASSERT_STRING_EQUAL(got, "NA|NA|NA|NA");
	free(got);
	got = test_cells(t, "coalesce(s, 'z')", NULL);
	CU_ASSERT_STRING_EQUAL(got, "z|z|z|z");
	free(got);
	e = expr_compile("s is missing and not (s == 'x')", t, &cause);
	CU_ASSERT_EQUAL(expr_eval_filter(e, t, keep, &kept, &cause), 0);
	CU_ASSERT_EQUAL(kept, 0);
	expr_free(e);
	t->n_rows = 0;
	e = expr_compile("s is missing", t, &cause);
	CU_ASSERT_EQUAL(expr_eval_filter(e, t, keep, &kept, &cause), 0);
	CU_ASSERT_EQUAL(kept, 0);
	expr_free(e);
	table_free(t);
}

#define TEST_BIG 1000000

/* v = i % 1000 (missing on every 7th row), arm cycles through three
 * values, price = (i % 100) / 4. */
static struct table *test_big_table(void)
{
	static const char *const arms[] = { "control", "coupon", "折扣" };
	struct table *t = table_new("big", NULL);
	struct column *v, *arm, *price;

	t->n_rows = TEST_BIG;
	table_add_column(t, "v", COL_INT);
	table_add_column(t, "arm", COL_CATEGORY);
	table_add_column(t, "price", COL_FLOAT);
	/* Column pointers move with each add, so take them afterwards. */
	v = &t->cols[0];
	arm = &t->cols[1];
	price = &t->cols[2];
	for (int k = 0; k < 3; k++)
		dict_intern(arm->dict, arms[k], strlen(arms[k]));
	for (size_t i = 0; i < TEST_BIG; i++) {
		if (i % 7 == 0)
			column_set_missing(v, TEST_BIG, i);
		else
			v->v.i64[i] = (int64_t)(i % 1000);
		arm->v.codes[i] = (uint32_t)(i % 3);
		price->v.f64[i] = (double)(i % 100) / 4;
	}
	return t;
}

static size_t test_count(const struct table *t, const char *text)
{
	uint8_t *keep = xmalloc(t->n_rows);
	size_t kept = 0, ones = 0;
	char *cause = NULL;
	struct expr *e = expr_compile(text, t, &cause);

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(expr_eval_filter(e, t, keep, &kept, &cause), 0);
	for (size_t i = 0; i < t->n_rows; i++)
		ones += keep[i];
	CU_ASSERT_EQUAL(ones, kept);
	expr_free(e);
	free(keep);
	return kept;
}

static void test_expr_million(void)
{
	struct table *t = test_big_table();
	struct column out;
	struct expr *e;
	char *cause = NULL;
	size_t want = 0, n_missing = 0;
	double sum = 0;

	/* 1000 rows in every 7000 are missing (i % 7 == 0), 142858 in all. */
	CU_ASSERT_EQUAL(test_count(t, "v is missing"), 142858);
	CU_ASSERT_EQUAL(test_count(t, "v is not missing"), 857142);
	CU_ASSERT_EQUAL(test_count(t, "arm == 'coupon'"), 333333);
	CU_ASSERT_EQUAL(test_count(t, "arm in ('control', '折扣')"), 666667);
	CU_ASSERT_EQUAL(test_count(t, "arm startswith '折'"), 333333);
	for (size_t i = 0; i < TEST_BIG; i++)
		want += i % 7 != 0 && i % 1000 < 250 && i % 3 == 1;
	CU_ASSERT_EQUAL(test_count(t, "v < 250 and arm == 'coupon'"), want);
	/* 'or' with missing: v missing and price > 20 is still kept. */
	want = 0;
	for (size_t i = 0; i < TEST_BIG; i++)
		want += (i % 7 != 0 && i % 1000 >= 900) || (double)(i % 100) / 4 > 20;
	CU_ASSERT_EQUAL(test_count(t, "v >= 900 or price > 20"), want);

	e = expr_compile("v * price", t, &cause);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(expr_eval_column(e, t, &out, &cause), 0);
	CU_ASSERT_EQUAL(out.type, COL_FLOAT);
	CU_ASSERT_EQUAL(out.n_missing, 142858);
	for (size_t i = 0; i < TEST_BIG; i++) {
		n_missing += column_is_missing(&out, i);
		sum += out.v.f64[i];
	}
	CU_ASSERT_EQUAL(n_missing, 142858);
	want = 0;
	for (size_t i = 0; i < TEST_BIG; i++) {
		if (i % 7 != 0)
			want += (i % 1000) * (i % 100);
	}
	CU_ASSERT_REL(sum, (double)want / 4, 1e-12);
	expr_column_done(&out);
	expr_free(e);
	table_free(t);
}

int main(void)
{
	static const struct cutest_case cases[] = {
		{ "values", test_expr_values },
		{ "errors", test_expr_errors },
		{ "prefixes", test_expr_prefixes },
		{ "types", test_expr_types },
		{ "filter", test_expr_filter },
		{ "changed columns", test_expr_changed },
		{ "edges", test_expr_edges },
		{ "million rows", test_expr_million },
		{ NULL, NULL }
	};

	return cutest_run("expr", cases);
}
