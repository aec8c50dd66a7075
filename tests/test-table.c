/* Tests for the dataset model: calendar, date and datetime text, cell
 * formatting, dictionaries and role inference. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cutest.h"
#include "datetime.h"
#include "dict.h"
#include "table.h"
#include "xmalloc.h"

static void test_civil_round_trip(void)
{
	int32_t first = datetime_days_from_civil(1, 1, 1), prev = first - 1;
	unsigned bad = 0;

	/* Every day of years 1 to 9999, in order and without gaps. */
	for (int y = 1; y <= 9999; y++) {
		for (int m = 1; m <= 12; m++) {
			for (int d = 1; d <= datetime_days_in_month(y, m); d++) {
				int32_t days = datetime_days_from_civil(y, m, d);
				int yy, mm, dd;

				datetime_civil_from_days(days, &yy, &mm, &dd);
				bad += days != prev + 1 || yy != y || mm != m || dd != d;
				prev = days;
			}
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL(datetime_days_from_civil(1970, 1, 1), 0);
	CU_ASSERT_EQUAL(first, -719162);
	CU_ASSERT_EQUAL(prev, datetime_days_from_civil(9999, 12, 31));
	CU_ASSERT_EQUAL(prev - first + 1, 3652059);
}

static void test_weekday_leap(void)
{
	CU_ASSERT_EQUAL(datetime_weekday(0), 3);                /* Thursday */
	CU_ASSERT_EQUAL(datetime_weekday(-1), 2);
	CU_ASSERT_EQUAL(datetime_weekday(datetime_days_from_civil(1, 1, 1)), 0);
	CU_ASSERT_EQUAL(datetime_weekday(datetime_days_from_civil(2024, 3, 1)), 4);
	CU_ASSERT_EQUAL(datetime_weekday(datetime_days_from_civil(9999, 12, 31)), 4);
	CU_ASSERT_EQUAL(datetime_weekday(datetime_days_from_civil(2010, 12, 1)), 2);
	CU_ASSERT_EQUAL(datetime_days_in_month(2000, 2), 29);
	CU_ASSERT_EQUAL(datetime_days_in_month(1900, 2), 28);
	CU_ASSERT_EQUAL(datetime_days_in_month(2024, 2), 29);
	CU_ASSERT_EQUAL(datetime_days_in_month(2023, 2), 28);
	CU_ASSERT_EQUAL(datetime_days_in_month(4, 2), 29);
	CU_ASSERT_EQUAL(datetime_days_in_month(2023, 4), 30);
	CU_ASSERT_EQUAL(datetime_days_in_month(2023, 12), 31);
}

static void test_parse_date(void)
{
	int32_t days;
	bool monthly = true;
	char buf[32];

	CU_ASSERT(datetime_parse_date("2024-02-29", 10, &days, &monthly));
	CU_ASSERT_FALSE(monthly);
	CU_ASSERT_EQUAL(days, datetime_days_from_civil(2024, 2, 29));
	CU_ASSERT_FALSE(datetime_parse_date("2023-02-29", 10, &days, NULL));
	CU_ASSERT_FALSE(datetime_parse_date("1900-02-29", 10, &days, NULL));
	CU_ASSERT(datetime_parse_date("2000-02-29", 10, &days, NULL));
	CU_ASSERT(datetime_parse_date("0001-01", 7, &days, &monthly));
	CU_ASSERT_TRUE(monthly);
	CU_ASSERT_EQUAL(days, datetime_days_from_civil(1, 1, 1));
	CU_ASSERT_FALSE(datetime_parse_date("0001-01", 7, &days, NULL));
	CU_ASSERT(datetime_parse_date("9999-12-31", 10, &days, NULL));
	CU_ASSERT_FALSE(datetime_parse_date("0000-01-01", 10, &days, NULL));
	CU_ASSERT_FALSE(datetime_parse_date("2024-13-01", 10, &days, NULL));
	CU_ASSERT_FALSE(datetime_parse_date("2024-00-10", 10, &days, NULL));
	CU_ASSERT_FALSE(datetime_parse_date("2024-01-00", 10, &days, NULL));
	CU_ASSERT_FALSE(datetime_parse_date("2024/01/01", 10, &days, NULL));
	CU_ASSERT_FALSE(datetime_parse_date("2024-1-1", 8, &days, NULL));
	CU_ASSERT_FALSE(datetime_parse_date("10000-01-01", 11, &days, NULL));
	CU_ASSERT_EQUAL(datetime_format_date(datetime_days_from_civil(1, 1, 1), false, buf, sizeof buf), 10);
	CU_ASSERT_STRING_EQUAL(buf, "0001-01-01");
	datetime_format_date(datetime_days_from_civil(9999, 12, 1), true, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "9999-12");
}

static int64_t test_ms(int y, int m, int d, int hh, int mi, int ss)
{
	return ((int64_t)datetime_days_from_civil(y, m, d) * 86400 + hh * 3600 + mi * 60 + ss) * 1000;
}

static void test_parse_datetime(void)
{
	static const struct {
		const char *text;
		int64_t ms;
		int16_t tz;
		const char *out;
	} cases[] = {
		{ "2010-12-01 08:26", 1291191960000LL, TZ_NONE, "2010-12-01 08:26:00" },
		{ "2010-12-01T08:26:59", 1291192019000LL, TZ_NONE, "2010-12-01 08:26:59" },
		{ "2024-03-01 08:26:13+08:00", 1709252773000LL, 480, "2024-03-01 08:26:13+08:00" },
		{ "2024-03-01T08:26:13Z", 1709281573000LL, 0, "2024-03-01 08:26:13Z" },
		{ "2024-03-01 08:26-05:30", 1709301360000LL, -330, "2024-03-01 08:26:00-05:30" },
		{ "2024-03-01 08:26:13.5+0800", 1709252773500LL, 480, "2024-03-01 08:26:13.500+08:00" },
		{ "2024-03-01 00:30+08:00", 1709224200000LL, 480, "2024-03-01 00:30:00+08:00" },
		{ "1969-12-31 23:59:59", -1000, TZ_NONE, "1969-12-31 23:59:59" },
		{ "0001-01-01 00:00", -62135596800000LL, TZ_NONE, "0001-01-01 00:00:00" },
		{ "9999-12-31 23:59:59", 253402300799000LL, TZ_NONE, "9999-12-31 23:59:59" },
	};
	static const char *const bad[] = {
		"2010-12-01", "2010-12-01 24:00", "2010-12-01 08:60", "2010-12-01 8:26",
		"2010-12-01 08:26:", "2010-12-01 08:26+8", "2010-12-01 08:26 +08:00",
		"2010-12-01x08:26", "2010-12-01 08:26+19:00", "2010-02-30 08:26",
	};
	int64_t ms;
	int16_t tz;
	char buf[40];

	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		CU_ASSERT(datetime_parse_datetime(cases[k].text, strlen(cases[k].text), &ms, &tz));
		CU_ASSERT_EQUAL(ms, cases[k].ms);
		CU_ASSERT_EQUAL(tz, cases[k].tz);
		datetime_format_datetime(ms, tz, buf, sizeof buf);
		CU_ASSERT_STRING_EQUAL(buf, cases[k].out);
	}
	CU_ASSERT_EQUAL(test_ms(2010, 12, 1, 8, 26, 0), 1291191960000LL);
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		CU_ASSERT_FALSE(datetime_parse_datetime(bad[k], strlen(bad[k]), &ms, &tz));
	CU_ASSERT(datetime_parse_offset("Z", 1, &tz) && tz == 0);
	CU_ASSERT(datetime_parse_offset("+08:00", 6, &tz) && tz == 480);
	CU_ASSERT(datetime_parse_offset("-0530", 5, &tz) && tz == -330);
	CU_ASSERT_FALSE(datetime_parse_offset("+19:00", 6, &tz));
	CU_ASSERT_FALSE(datetime_parse_offset("+8", 2, &tz));
	CU_ASSERT_FALSE(datetime_parse_offset("08:00", 5, &tz));
	CU_ASSERT_EQUAL(datetime_floordiv(-1, MS_PER_DAY), -1);
	CU_ASSERT_EQUAL(datetime_floordiv(MS_PER_DAY, MS_PER_DAY), 1);
}

static void test_dict(void)
{
	struct dict *d = dict_new(), *e = dict_new();
	uint32_t code, map[3];
	char buf[32];

	CU_ASSERT_EQUAL(dict_intern(d, "view", 4), 0);
	CU_ASSERT_EQUAL(dict_intern(d, "click", 5), 1);
	CU_ASSERT_EQUAL(dict_intern(d, "view", 4), 0);
	CU_ASSERT_EQUAL(dict_intern(d, "clicks", 5), 1);        /* length counts */
	CU_ASSERT_EQUAL(dict_intern(d, "", 0), 2);
	CU_ASSERT_EQUAL(dict_count(d), 3);
	CU_ASSERT_STRING_EQUAL(dict_str(d, 1), "click");
	CU_ASSERT_EQUAL(dict_strlen(d, 2), 0);
	CU_ASSERT(dict_find(d, "click", 5, &code) && code == 1);
	CU_ASSERT_FALSE(dict_find(d, "purchase", 8, &code));
	/* Many strings, long and short, keep their first-insertion codes. */
	for (uint32_t i = 0; i < 100000; i++) {
		int n = snprintf(buf, sizeof buf, i % 2 ? "u%07u" : "a long user name %u", i);

		CU_ASSERT_EQUAL_FATAL(dict_intern(d, buf, (size_t)n), i + 3);
	}
	for (uint32_t i = 0; i < 100000; i += 997) {
		int n = snprintf(buf, sizeof buf, i % 2 ? "u%07u" : "a long user name %u", i);

		CU_ASSERT(dict_find(d, buf, (size_t)n, &code) && code == i + 3);
		CU_ASSERT_STRING_EQUAL(dict_str(d, i + 3), buf);
	}
	CU_ASSERT(dict_bytes(d) > 100000);
	dict_intern(e, "redeem", 6);
	dict_intern(e, "view", 4);
	dict_intern(e, "click", 5);
	dict_merge(d, e, map);
	CU_ASSERT_EQUAL(map[0], 100003);
	CU_ASSERT_EQUAL(map[1], 0);
	CU_ASSERT_EQUAL(map[2], 1);
	dict_free(d);
	dict_free(e);
}

static void test_column_format(void)
{
	struct table *t = table_new("t", NULL);
	struct column *c;
	char buf[64];

	t->n_rows = 3;
	c = table_add_column(t, "f", COL_FLOAT);
	c->v.f64[0] = 0.1;
	c->v.f64[1] = 1.0 / 3.0;
	c->v.f64[2] = 1e20;
	column_format(c, 0, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "0.1");
	column_format(c, 1, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "0.3333333333333333");
	column_format(c, 2, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "1e+20");
	c = table_add_column(t, "i", COL_INT);
	c->v.i64[0] = INT64_MIN;
	column_set_missing(c, t->n_rows, 1);
	column_set_missing(c, t->n_rows, 1);
	CU_ASSERT_EQUAL(c->n_missing, 1);
	CU_ASSERT_EQUAL(column_format(c, 0, buf, sizeof buf), 20);
	CU_ASSERT_STRING_EQUAL(buf, "-9223372036854775808");
	CU_ASSERT_EQUAL(column_format(c, 1, buf, sizeof buf), 0);
	CU_ASSERT_STRING_EQUAL(buf, "");
	c = table_add_column(t, "d", COL_DATE);
	c->v.days[0] = datetime_days_from_civil(2024, 3, 1);
	column_format(c, 0, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "2024-03-01");
	c->monthly = true;
	column_format(c, 0, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "2024-03");
	c = table_add_column(t, "ts", COL_DATETIME);
	c->v.i64[0] = 1709252773000LL;
	column_format(c, 0, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "2024-03-01 00:26:13");
	c->tz = xcalloc(3, sizeof *c->tz);
	c->tz[0] = 480;
	column_format(c, 0, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "2024-03-01 08:26:13+08:00");
	/* Truncated to the buffer. */
	column_format(c, 0, buf, 11);
	CU_ASSERT_STRING_EQUAL(buf, "2024-03-01");
	c = table_add_column(t, "b", COL_BOOL);
	c->v.b[2] = 1;
	column_format(c, 2, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "true");
	c = table_add_column(t, "s", COL_CATEGORY);
	c->v.codes[0] = dict_intern(c->dict, "北京", strlen("北京"));
	c->v.codes[1] = dict_intern(c->dict, "上海", strlen("上海"));
	column_format(c, 1, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "上海");
	CU_ASSERT_EQUAL(c->v.codes[1], 1);
	CU_ASSERT_EQUAL(column_number(&t->cols[0], 0), 0.1);
	CU_ASSERT_EQUAL(table_find_column(t, "ts"), 3);
	CU_ASSERT_EQUAL(table_find_column(t, "nope"), -1);
	CU_ASSERT(table_bytes(t) > 3 * (8 + 8 + 4 + 8 + 1 + 4));
	table_free(t);
}

static void test_types_roles_names(void)
{
	CU_ASSERT_STRING_EQUAL(col_type_name(COL_CATEGORY), "category");
	CU_ASSERT_EQUAL(col_type_width(COL_DATE), 4);
	CU_ASSERT_EQUAL(col_type_width(COL_BOOL), 1);
	CU_ASSERT(col_type_numeric(COL_BOOL) && !col_type_numeric(COL_DATE));
	CU_ASSERT(col_type_string(COL_TEXT) && !col_type_string(COL_INT));
	CU_ASSERT_EQUAL(col_role_parse("campaign"), ROLE_CAMPAIGN);
	CU_ASSERT_EQUAL(col_role_parse("nope"), -1);
	CU_ASSERT_STRING_EQUAL(col_role_name(ROLE_LON), "lon");
}

static void test_infer_roles(void)
{
	static const char *const names[] = {
		"InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate",
		"UnitPrice", "CustomerID", "Country", "Variant", "event_type", "Latitude", "lng",
	};
	struct table *t = table_new("retail", "retail.csv");

	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
		table_add_column(t, names[k], COL_INT);
	table_infer_roles(t);
	CU_ASSERT_EQUAL(t->roles[ROLE_USER], 6);
	CU_ASSERT_EQUAL(t->roles[ROLE_TIME], 4);
	CU_ASSERT_EQUAL(t->roles[ROLE_ITEM], 1);
	CU_ASSERT_EQUAL(t->roles[ROLE_ARM], 8);
	CU_ASSERT_EQUAL(t->roles[ROLE_EVENT], 9);
	CU_ASSERT_EQUAL(t->roles[ROLE_LAT], 10);
	CU_ASSERT_EQUAL(t->roles[ROLE_LON], 11);
	CU_ASSERT_EQUAL(t->roles[ROLE_ID], -1);
	CU_ASSERT_EQUAL(t->roles[ROLE_AMOUNT], -1);
	table_free(t);
	t = table_new("ev", NULL);
	table_add_column(t, "ts", COL_DATETIME);
	table_add_column(t, "user_id", COL_TEXT);
	table_add_column(t, "item-id", COL_TEXT);
	table_add_column(t, "Amount", COL_FLOAT);
	table_add_column(t, "date", COL_DATE);
	/* A role set beforehand is kept. */
	t->roles[ROLE_TIME] = 4;
	table_infer_roles(t);
	CU_ASSERT_EQUAL(t->roles[ROLE_TIME], 4);
	CU_ASSERT_EQUAL(t->roles[ROLE_USER], 1);
	CU_ASSERT_EQUAL(t->roles[ROLE_ITEM], 2);
	CU_ASSERT_EQUAL(t->roles[ROLE_AMOUNT], 3);
	table_free(t);
	t = table_new("ev", NULL);
	table_add_column(t, "date", COL_DATE);
	table_add_column(t, "timestamp", COL_DATETIME);
	/* "timestamp" ranks above "date" for the time role. */
	table_infer_roles(t);
	CU_ASSERT_EQUAL(t->roles[ROLE_TIME], 1);
	table_free(t);
}

int main(void)
{
	static const struct cutest_case cases[] = {
		{ "civil dates round trip, years 1 to 9999", test_civil_round_trip },
		{ "weekdays and leap years", test_weekday_leap },
		{ "date text", test_parse_date },
		{ "datetime text with offsets", test_parse_datetime },
		{ "dictionary codes", test_dict },
		{ "column_format", test_column_format },
		{ "type and role names", test_types_roles_names },
		{ "role inference", test_infer_roles },
		{ NULL, NULL }
	};

	return cutest_run("table", cases);
}
