/* Number and boolean cells: a hand-written integer reader and a float
 * reader with Clinger's exact fast path, falling back to strtod_l. */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvnum.h"

/* Powers of ten that are exact doubles (10^22 is the largest). */
static const double csvnum_pow10[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

static pthread_once_t csvnum_once = PTHREAD_ONCE_INIT;
static locale_t csvnum_c_locale;

static void csvnum_init_locale(void)
{
	csvnum_c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static inline bool csvnum_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Skips the sign; false when what follows cannot start a number. */
static inline bool csvnum_sign(const char **p, const char *end, bool *neg)
{
	*neg = false;
	if (*p < end && (**p == '-' || **p == '+'))
		*neg = *(*p)++ == '-';
	if (*p == end)
		return false;
	/* A leading zero must stand alone before the point. */
	return !(**p == '0' && *p + 1 < end && csvnum_digit((*p)[1]));
}

bool csvnum_parse_int(const char *s, size_t len, int64_t *out)
{
	const char *p = s, *end = s + len;
	uint64_t v = 0, limit;
	bool neg;

	if (!csvnum_sign(&p, end, &neg) || end - p > 19)
		return false;
	for (; p < end; p++) {
		if (!csvnum_digit(*p))
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	/* 19 digits cannot wrap a uint64_t, so one check suffices. */
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (v > limit)
		return false;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

struct csvnum_dec {
	uint64_t mant;          /* first 19 significant digits */
	int digits;             /* significant digits kept in mant */
	int exp10;              /* value = mant * 10^exp10 (when !inexact) */
	bool inexact;           /* non-zero digits were dropped */
};

/* Reads the digits of the integer and fraction parts. */
static const char *csvnum_mantissa(const char *p, const char *end, struct csvnum_dec *d,
    bool *any)
{
	bool frac = false;

	for (; p < end; p++) {
		if (*p == '.' && !frac) {
			frac = true;
			continue;
		}
		if (!csvnum_digit(*p))
			break;
		*any = true;
		if (d->mant == 0 && *p == '0') {
			d->exp10 -= frac;
		} else if (d->digits < 19) {
			d->mant = d->mant * 10 + (uint64_t)(*p - '0');
			d->digits++;
			d->exp10 -= frac;
		} else {
			d->inexact |= *p != '0';
			d->exp10 += !frac;
		}
	}
	return p;
}

/* Reads an exponent; false when malformed. Huge exponents are clamped
 * (the strtod fallback then sees the real text). */
static bool csvnum_exponent(const char *p, const char *end, int *exp10)
{
	bool neg = false;
	int e = 0;

	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	if (p == end)
		return false;
	for (; p < end; p++) {
		if (!csvnum_digit(*p))
			return false;
		if (e < 100000)
			e = e * 10 + (*p - '0');
	}
	*exp10 += neg ? -e : e;
	return true;
}

/* Reads a decimal number; the value may be infinite when it overflows. */
static bool csvnum_read_float(const char *s, size_t len, double *out)
{
	const char *p = s, *end = s + len;
	struct csvnum_dec d = { 0, 0, 0, false };
	bool neg, any = false;
	double v;

	if (!csvnum_sign(&p, end, &neg))
		return false;
	p = csvnum_mantissa(p, end, &d, &any);
	if (!any)
		return false;
	if (p < end && (*p == 'e' || *p == 'E')) {
		if (!csvnum_exponent(p + 1, end, &d.exp10))
			return false;
	} else if (p != end)
		return false;
	if (d.mant == 0) {
		*out = neg ? -0.0 : 0.0;
		return true;
	}
	/* Clinger: both operands are exact doubles, so one correctly rounded
	 * multiplication or division gives the correctly rounded result. */
	if (!d.inexact && d.digits <= 15 && d.exp10 >= -22 && d.exp10 <= 22) {
		v = (double)d.mant;
		v = d.exp10 < 0 ? v / csvnum_pow10[-d.exp10] : v * csvnum_pow10[d.exp10];
		*out = neg ? -v : v;
		return true;
	}
	pthread_once(&csvnum_once, csvnum_init_locale);
	*out = csvnum_c_locale ? strtod_l(s, NULL, csvnum_c_locale) : strtod(s, NULL);
	return true;
}

bool csvnum_parse_float(const char *s, size_t len, double *out)
{
	double v;

	if (!csvnum_read_float(s, len, &v) || !isfinite(v))
		return false;
	*out = v;
	return true;
}

bool csvnum_overflows(const char *s, size_t len)
{
	double v;

	return csvnum_read_float(s, len, &v) && !isfinite(v);
}

bool csvnum_parse_bool(const char *s, size_t len, bool *out)
{
	if (len == 4 && strncasecmp(s, "true", 4) == 0) {
		*out = true;
		return true;
	}
	if (len == 5 && strncasecmp(s, "false", 5) == 0) {
		*out = false;
		return true;
	}
	return false;
}
