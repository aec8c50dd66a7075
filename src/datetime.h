/* Calendar arithmetic and the date / datetime text formats crossmkt reads
 * and writes. Proleptic Gregorian calendar, years 1 to 9999. */
#ifndef CROSSMKT_DATETIME_H
#define CROSSMKT_DATETIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MS_PER_DAY 86400000LL

/* Days since 1970-01-01 of a civil date (no range check). */
int32_t datetime_days_from_civil(int y, int m, int d);
void datetime_civil_from_days(int32_t days, int *y, int *m, int *d);
/* No offset was written with this datetime value. */
#define TZ_NONE INT16_MIN

/* 0 = Monday ... 6 = Sunday. */
int datetime_weekday(int32_t days);
int datetime_days_in_month(int y, int m);

/* "YYYY-MM-DD" -> days. With monthly != NULL also accepts "YYYY-MM" (the
 * first of the month) and sets *monthly. Exactly the whole string. */
bool datetime_parse_date(const char *s, size_t len, int32_t *days, bool *monthly);
/* ISO 8601 date and time: "YYYY-MM-DD[T ]HH:MM[:SS[.fff]]" with an optional
 * "Z" or "+HH:MM" / "-HH:MM" offset. *ms is the UTC instant; *tz the offset
 * in minutes, or TZ_NONE when none was written (the time is then taken as
 * UTC). */
bool datetime_parse_datetime(const char *s, size_t len, int64_t *ms, int16_t *tz);

/* A UTC offset making up the whole text: "Z", "+HH:MM", "-HH:MM" or
 * "+HHMM", in minutes east of UTC. */
bool datetime_parse_offset(const char *s, size_t len, int16_t *tz);

/* Writers; buf needs 32 bytes. Return the length. */
size_t datetime_format_date(int32_t days, bool monthly, char *buf, size_t size);
size_t datetime_format_datetime(int64_t ms, int16_t tz, char *buf, size_t size);

/* Floor division that rounds toward negative infinity (for ms -> days). */
static inline int64_t datetime_floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

#endif
