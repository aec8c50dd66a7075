/* Calendar arithmetic (Howard Hinnant's days_from_civil) and ISO 8601. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "datetime.h"

int32_t datetime_days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void datetime_civil_from_days(int32_t days, int *y, int *m, int *d)
{
	int z = days + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int datetime_weekday(int32_t days)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	return (int)(((int64_t)days % 7 + 7 + 3) % 7);
}

int datetime_days_in_month(int y, int m)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : mdays[m - 1];
}

/* Reads exactly n decimal digits. */
static bool datetime_digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* Parses YYYY-MM (7 bytes) or YYYY-MM-DD (10 bytes) at s. */
static bool datetime_ymd(const char *s, size_t len, int *y, int *m, int *d)
{
	if (len < 7 || s[4] != '-' || !datetime_digits(s, 4, y) ||
	    !datetime_digits(s + 5, 2, m) || *y < 1 || *m < 1 || *m > 12)
		return false;
	if (len == 7) {
		*d = 0;
		return true;
	}
	if (len < 10 || s[7] != '-' || !datetime_digits(s + 8, 2, d))
		return false;
	return *d >= 1 && *d <= datetime_days_in_month(*y, *m);
}

bool datetime_parse_date(const char *s, size_t len, int32_t *days, bool *monthly)
{
	int y, m, d;

	if ((len != 10 && !(len == 7 && monthly != NULL)) || !datetime_ymd(s, len, &y, &m, &d))
		return false;
	if (monthly != NULL)
		*monthly = len == 7;
	*days = datetime_days_from_civil(y, m, len == 7 ? 1 : d);
	return true;
}

bool datetime_parse_offset(const char *s, size_t len, int16_t *tz)
{
	int hh, mm, sign;

	if (len == 1 && (s[0] == 'Z' || s[0] == 'z')) {
		*tz = 0;
		return true;
	}
	if (len < 5 || (s[0] != '+' && s[0] != '-'))
		return false;
	sign = s[0] == '-' ? -1 : 1;
	if (!datetime_digits(s + 1, 2, &hh))
		return false;
	if (len == 6 && s[3] == ':' && datetime_digits(s + 4, 2, &mm)) {
	} else if (len == 5 && datetime_digits(s + 3, 2, &mm)) {
	} else
		return false;
	if (hh > 18 || mm > 59)
		return false;
	*tz = (int16_t)(sign * (hh * 60 + mm));
	return true;
}

/* Parses ":SS" and an optional ".fff" fraction; returns bytes used or 0. */
static size_t datetime_seconds(const char *s, size_t len, int *sec, int *msec)
{
	size_t i = 3;
	int scale = 100;

	*sec = 0;
	*msec = 0;
	if (len < 3 || s[0] != ':' || !datetime_digits(s + 1, 2, sec) || *sec > 60)
		return 0;
	if (i < len && s[i] == '.') {
		i++;
		if (i >= len || s[i] < '0' || s[i] > '9')
			return 0;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			*msec += (s[i] - '0') * scale;
			scale /= 10;
		}
	}
	return i;
}

bool datetime_parse_datetime(const char *s, size_t len, int64_t *ms, int16_t *tz)
{
	int y, m, d, hh, mi, sec = 0, msec = 0;
	size_t i = 16, used;

	if (len < 16 || !datetime_ymd(s, 10, &y, &m, &d) || (s[10] != 'T' && s[10] != ' ') ||
	    !datetime_digits(s + 11, 2, &hh) || s[13] != ':' ||
	    !datetime_digits(s + 14, 2, &mi) || hh > 23 || mi > 59)
		return false;
	if (i < len && s[i] == ':') {
		used = datetime_seconds(s + i, len - i, &sec, &msec);
		if (used == 0)
			return false;
		i += used;
	}
	*tz = TZ_NONE;
	if (i < len && !datetime_parse_offset(s + i, len - i, tz))
		return false;
	*ms = ((int64_t)datetime_days_from_civil(y, m, d) * 86400 + hh * 3600 + mi * 60 + sec) *
	    1000 + msec;
	if (*tz != TZ_NONE)
		*ms -= (int64_t)*tz * 60000;
	return true;
}

size_t datetime_format_date(int32_t days, bool monthly, char *buf, size_t size)
{
	int y, m, d;

	datetime_civil_from_days(days, &y, &m, &d);
	if (monthly)
		return (size_t)snprintf(buf, size, "%04d-%02d", y, m);
	return (size_t)snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

size_t datetime_format_datetime(int64_t ms, int16_t tz, char *buf, size_t size)
{
	int64_t local = ms + (tz == TZ_NONE ? 0 : (int64_t)tz * 60000);
	int64_t days = datetime_floordiv(local, MS_PER_DAY), rest = local - days * MS_PER_DAY;
	int y, m, d, n, secs = (int)(rest / 1000), msec = (int)(rest % 1000);

	datetime_civil_from_days((int32_t)days, &y, &m, &d);
	n = snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d,
	    secs / 3600, secs / 60 % 60, secs % 60);
	if (msec != 0 && n > 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, ".%03d", msec);
	if (tz != TZ_NONE && n > 0 && (size_t)n < size) {
		int a = abs(tz);

		if (tz == 0)
			n += snprintf(buf + n, size - (size_t)n, "Z");
		else
			n += snprintf(buf + n, size - (size_t)n, "%c%02d:%02d",
			    tz < 0 ? '-' : '+', a / 60, a % 60);
	}
	return n < 0 ? 0 : (size_t)n;
}
