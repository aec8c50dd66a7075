/* Formatting numbers for people. */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "numfmt.h"

/* Inserts a ',' every three digits of the integer part of s (in place;
 * s has room for NUMFMT_SIZE bytes) when it has at least min digits. */
static void numfmt_group(char *s, size_t min)
{
	char *digits = s + (*s == '-' || *s == '+');
	size_t n = strspn(digits, "0123456789"), commas = n > 0 ? (n - 1) / 3 : 0;

	if (n < min || strlen(s) + commas >= NUMFMT_SIZE)
		return;
	memmove(digits + n + commas, digits + n, strlen(digits + n) + 1);
	for (size_t i = n, o = n + commas; i > 0 && commas > 0; ) {
		for (int k = 0; k < 3; k++)
			digits[--o] = digits[--i];
		digits[--o] = ',';
		commas--;
	}
}

/* Drops the zeros at the end of a fraction, and the point if it is left. */
static void numfmt_trim(char *s)
{
	char *end;

	if (strchr(s, '.') == NULL)
		return;
	end = s + strlen(s);
	while (end[-1] == '0')
		*--end = '\0';
	if (end[-1] == '.')
		end[-1] = '\0';
	if (strcmp(s, "-0") == 0)
		strcpy(s, "0");
}

static bool numfmt_special(double x, char *buf)
{
	if (isnan(x))
		snprintf(buf, NUMFMT_SIZE, "NaN");
	else if (isinf(x))
		snprintf(buf, NUMFMT_SIZE, x > 0 ? "Inf" : "-Inf");
	else
		return false;
	return true;
}

char *numfmt_sig(double x, int digits, char buf[NUMFMT_SIZE])
{
	double ax = fabs(x);
	int decimals;

	if (numfmt_special(x, buf))
		return buf;
	digits = digits < 1 ? 1 : digits > 15 ? 15 : digits;
	/* a whole number is shown whole and ungrouped: a seed, a year, an
	 * identifier (counts are known by their names) */
	if (x == floor(x) && ax < 1e15) {
		snprintf(buf, NUMFMT_SIZE, "%.0f", x);
		return buf;
	}
	if (ax != 0 && (ax < 1e-4 || ax >= 1e15)) {
		snprintf(buf, NUMFMT_SIZE, "%.*g", digits, x);
		return buf;
	}
	decimals = ax == 0 ? 0 : digits - 1 - (int)floor(log10(ax));
	snprintf(buf, NUMFMT_SIZE, "%.*f", decimals < 0 ? 0 : decimals, x);
	numfmt_trim(buf);
	numfmt_group(buf, 5);
	return buf;
}

static char *numfmt_percent(double x, bool sign, char *buf)
{
	double pct = 100 * x;

	snprintf(buf, NUMFMT_SIZE, sign ? "%+.*f%%" : "%.*f%%", fabs(pct) >= 9.995 ? 1 : 2, pct);
	return buf;
}

static char *numfmt_p(double p, char *buf)
{
	if (p < NUMFMT_P_FLOOR)
		snprintf(buf, NUMFMT_SIZE, "< %g", NUMFMT_P_FLOOR);
	else
		snprintf(buf, NUMFMT_SIZE, "%.2g", p);
	return buf;
}

char *numfmt_format(double x, enum numfmt_kind kind, char buf[NUMFMT_SIZE])
{
	if (numfmt_special(x, buf))
		return buf;
	switch (kind) {
	case NUMFMT_COUNT:
		if (x != floor(x) || fabs(x) >= 1e15)
			return numfmt_sig(x, NUMFMT_DIGITS, buf);
		snprintf(buf, NUMFMT_SIZE, "%.0f", x);
		numfmt_group(buf, 4);
		return buf;
	case NUMFMT_MONEY:
		if (fabs(x) >= 1e15)
			return numfmt_sig(x, NUMFMT_DIGITS, buf);
		snprintf(buf, NUMFMT_SIZE, "%.2f", x);
		numfmt_group(buf, 4);
		return buf;
	case NUMFMT_RATE:
	case NUMFMT_CHANGE:
		return numfmt_percent(x, kind == NUMFMT_CHANGE, buf);
	case NUMFMT_P:
		return numfmt_p(x, buf);
	default:
		return numfmt_sig(x, NUMFMT_DIGITS, buf);
	}
}

char *numfmt_compact(double v, char buf[NUMFMT_SIZE])
{
	static const char units[] = "kMGTPE";
	double a = fabs(v);
	int u = -1;

	/* Thousands from 10000 on, so that the unit never stands for less. */
	if (isfinite(v) && a >= 1e4)
		for (; a >= 999.5 && u < 5; u++) {
			a /= 1000;
			v /= 1000;
		}
	if (u < 0 && a >= 100 && isfinite(v)) {
		snprintf(buf, NUMFMT_SIZE, "%.0f", v);
		return buf;
	}
	for (int prec = 3; prec > 0; prec--) {
		snprintf(buf, NUMFMT_SIZE, "%.*g%.*s", prec, v, u >= 0 ? 1 : 0, u >= 0 ? units + u : "");
		if (strlen(buf) <= 6)
			break;
	}
	return buf;
}

/* Names by kind: exact names, then "*suffix" and "prefix*" patterns. */
struct numfmt_name {
	const char *pattern;
	enum numfmt_kind kind;
};

static const struct numfmt_name numfmt_names[] = {
	{ "p", NUMFMT_P }, { "p_value*", NUMFMT_P }, { "*_p_value", NUMFMT_P },
	{ "p_adj*", NUMFMT_P }, { "pvalue", NUMFMT_P },
	{ "lift", NUMFMT_CHANGE }, { "rate", NUMFMT_RATE }, { "*_rate", NUMFMT_RATE },
	{ "share", NUMFMT_RATE }, { "prob_beat_control", NUMFMT_RATE },
	{ "n", NUMFMT_COUNT }, { "n_*", NUMFMT_COUNT }, { "*_count", NUMFMT_COUNT },
	{ "count", NUMFMT_COUNT }, { "users", NUMFMT_COUNT }, { "rows", NUMFMT_COUNT },
	{ "conversions", NUMFMT_COUNT }, { "size", NUMFMT_COUNT }, { "distinct", NUMFMT_COUNT },
	{ "missing", NUMFMT_COUNT }, { "contaminated", NUMFMT_COUNT },
	{ "bytes", NUMFMT_COUNT }, { "columns", NUMFMT_COUNT },
	{ "*revenue*", NUMFMT_MONEY }, { "*amount*", NUMFMT_MONEY }, { "*spend*", NUMFMT_MONEY },
	{ "*price*", NUMFMT_MONEY }, { "*monetary*", NUMFMT_MONEY }, { "*sales*", NUMFMT_MONEY },
	{ NULL, NUMFMT_NUMBER }
};

/* Case-insensitive match of name against "word", "*suffix", "prefix*" or
 * "*inner*". */
static bool numfmt_match(const char *pattern, const char *name)
{
	size_t p = strlen(pattern), n = strlen(name);
	bool head = pattern[0] == '*', tail = pattern[p - 1] == '*';
	size_t core = p - head - tail;
	char word[32];

	if (core >= sizeof word || core > n)
		return false;
	memcpy(word, pattern + head, core);
	word[core] = '\0';
	if (head && tail) {
		for (size_t i = 0; i + core <= n; i++)
			if (strncasecmp(name + i, word, core) == 0)
				return true;
		return false;
	}
	if (head)
		return strcasecmp(name + n - core, word) == 0;
	if (tail)
		return strncasecmp(name, word, core) == 0;
	return strcasecmp(name, word) == 0;
}

enum numfmt_kind numfmt_kind_of(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (dot != NULL)
		name = dot + 1;
	for (const struct numfmt_name *k = numfmt_names; k->pattern != NULL; k++)
		if (numfmt_match(k->pattern, name))
			return k->kind;
	return NUMFMT_NUMBER;
}

char *numfmt_named(const char *name, double x, char buf[NUMFMT_SIZE])
{
	return numfmt_format(x, name != NULL ? numfmt_kind_of(name) : NUMFMT_NUMBER, buf);
}
