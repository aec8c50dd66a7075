/* The one formatting module for numbers people read, case by case. */
#include "config.h"

#include <math.h>

#include "cutest.h"
#include "numfmt.h"

static void check(double x, enum numfmt_kind kind, const char *want)
{
	char buf[NUMFMT_SIZE];

	CU_ASSERT_STRING_EQUAL(numfmt_format(x, kind, buf), want);
}

static void check_named(const char *name, double x, const char *want)
{
	char buf[NUMFMT_SIZE];

	CU_ASSERT_STRING_EQUAL(numfmt_named(name, x, buf), want);
}

/* The raw doubles that reached the screen and the reports. */
static void test_numbers(void)
{
	check(31.030555555555555, NUMFMT_NUMBER, "31.03");
	check(3237.5400000000009, NUMFMT_NUMBER, "3238");
	check(5.75917e+06, NUMFMT_NUMBER, "5759170");
	check(5759172.25, NUMFMT_NUMBER, "5,759,172");
	check(0.005726086548390125, NUMFMT_NUMBER, "0.005726");
	check(-0.1234567, NUMFMT_NUMBER, "-0.1235");
	check(12, NUMFMT_NUMBER, "12");
	check(2025, NUMFMT_NUMBER, "2025");
	check(1234567, NUMFMT_NUMBER, "1234567");
	check(0, NUMFMT_NUMBER, "0");
	check(9.99996, NUMFMT_NUMBER, "10");
	check(6.549340364680404e-06, NUMFMT_NUMBER, "6.549e-06");
	check(2e20, NUMFMT_NUMBER, "2e+20");
	check(NAN, NUMFMT_NUMBER, "NaN");
	check(-INFINITY, NUMFMT_RATE, "-Inf");
}

static void test_sig(void)
{
	char buf[NUMFMT_SIZE];

	CU_ASSERT_STRING_EQUAL(numfmt_sig(75.6321, 3, buf), "75.6");
	CU_ASSERT_STRING_EQUAL(numfmt_sig(0.55317, 3, buf), "0.553");
	CU_ASSERT_STRING_EQUAL(numfmt_sig(1881.7, 3, buf), "1882");
	CU_ASSERT_STRING_EQUAL(numfmt_sig(-123456.7, 3, buf), "-123,457");
	CU_ASSERT_STRING_EQUAL(numfmt_sig(1234567.891, 15, buf), "1,234,567.891");
	CU_ASSERT_STRING_EQUAL(numfmt_sig(17850, 3, buf), "17850");
}

static void test_money_counts(void)
{
	check(3237.5400000000009, NUMFMT_MONEY, "3,237.54");
	check(0.5, NUMFMT_MONEY, "0.50");
	check(-1234567.891, NUMFMT_MONEY, "-1,234,567.89");
	check(999.999, NUMFMT_MONEY, "1,000.00");
	check(5759170, NUMFMT_COUNT, "5,759,170");
	check(953, NUMFMT_COUNT, "953");
	check(3000, NUMFMT_COUNT, "3,000");
	check(-40000, NUMFMT_COUNT, "-40,000");
	check(2.5, NUMFMT_COUNT, "2.5");
}

static void test_rates_p(void)
{
	check(0.07869884575026233, NUMFMT_RATE, "7.87%");
	check(0.11875, NUMFMT_RATE, "11.9%");
	check(1, NUMFMT_RATE, "100.0%");
	check(0.09996, NUMFMT_RATE, "10.0%");
	check(0.5089166666666667, NUMFMT_CHANGE, "+50.9%");
	check(-0.0123, NUMFMT_CHANGE, "-1.23%");
	check(0.003332067567165719, NUMFMT_P, "0.0033");
	check(0.9550702494094477, NUMFMT_P, "0.96");
	check(0.005726086548390125, NUMFMT_P, "0.0057");
	check(1.52e-13, NUMFMT_P, "< 0.001");
	check(0.001, NUMFMT_P, "0.001");
	check(1, NUMFMT_P, "1");
}

static void test_compact(void)
{
	char buf[NUMFMT_SIZE];

	CU_ASSERT_STRING_EQUAL(numfmt_compact(3818.8, buf), "3819");
	CU_ASSERT_STRING_EQUAL(numfmt_compact(12345, buf), "12.3k");
	CU_ASSERT_STRING_EQUAL(numfmt_compact(5.75917e+06, buf), "5.76M");
	CU_ASSERT_STRING_EQUAL(numfmt_compact(999999, buf), "1M");
	CU_ASSERT_STRING_EQUAL(numfmt_compact(-0.0012, buf), "-0.001");
	CU_ASSERT_STRING_EQUAL(numfmt_compact(31.030555555555555, buf), "31");
}

/* Result fields and columns by name. */
static void test_names(void)
{
	check_named("p_value", 0.0047, "0.0047");
	check_named("comparisons.p_adjusted", 0.00001, "< 0.001");
	check_named("seq_p_value", 0.07714622292667526, "0.077");
	check_named("p_value_fisher", 0.0035509052507145186, "0.0036");
	check_named("rate", 0.0793991416309013, "7.94%");
	check_named("conversion_rate", 0.5, "50.0%");
	check_named("lift", 0.00889842632331894, "+0.89%");
	check_named("users", 12345, "12,345");
	check_named("n_users", 1200, "1,200");
	check_named("group_count", 12, "12");
	check_named("datasets.bytes", 671456, "671,456");
	check_named("columns", 14, "14");
	check_named("revenue_sum", 1234.5, "1,234.50");
	check_named("Amount", 3237.5400000000009, "3,237.54");
	check_named("mean", 31.030555555555555, "31.03");
	check_named("z", 2.9353173102911434, "2.935");
	check_named(NULL, 0.25, "0.25");
	CU_ASSERT_EQUAL(numfmt_kind_of("happy"), NUMFMT_NUMBER);
	CU_ASSERT_EQUAL(numfmt_kind_of("share"), NUMFMT_RATE);
}

int main(void)
{
	static const struct cutest_case cases[] = {
		{ "other values have 4 significant digits", test_numbers },
		{ "significant digits without an exponent", test_sig },
		{ "money has 2 decimals, counts thousands separators", test_money_counts },
		{ "rates are percentages, p-values have 2 digits and a floor", test_rates_p },
		{ "result fields and columns are formatted by their names", test_names },
		{ "compact numbers for axes", test_compact },
		{ NULL, NULL }
	};

	return cutest_run("numfmt", cases);
}
