/* Dataset columns to regular series: time keys, sorting, the period, gaps
 * and fills. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "series.h"
#include "xmalloc.h"

struct series_key {
	int32_t day;
	size_t row;
};

static const char *const series_period_names[] = {
	"daily", "weekly", "monthly", "quarterly", "yearly"
};
static const char *const series_units[] = { "day", "week", "month", "quarter", "year" };
static const size_t series_seasons[] = { 7, 52, 12, 4, 1 };
/* Months per step of the month-based periods (monthly, quarterly, yearly). */
static const int series_step_months[] = { 0, 0, 1, 3, 12 };
static const char *const series_weekdays[] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
};

const char *series_period_name(enum series_period p)
{
	return series_period_names[p];
}

size_t series_period_season(enum series_period p)
{
	return series_seasons[p];
}

int series_fill_parse(const char *s)
{
	static const char *const names[] = { "none", "zero", "interpolate" };

	for (int i = 0; i < 3; i++) {
		if (strcmp(s, names[i]) == 0)
			return i;
	}
	return -1;
}

/* The year in the first 4 bytes of s, all digits; -1 when not. */
static int series_year4(const char *s)
{
	int y = 0;

	for (int i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		y = y * 10 + (s[i] - '0');
	}
	return y;
}

/* "2024-Q2" (or q2) -> the first day of the quarter. */
static bool series_parse_quarter(const char *s, int32_t *day)
{
	int y = series_year4(s);

	if (y < 1 || s[4] != '-' || (s[5] != 'Q' && s[5] != 'q') ||
	    s[6] < '1' || s[6] > '4' || s[7] != '\0')
		return false;
	*day = datetime_days_from_civil(y, 3 * (s[6] - '1') + 1, 1);
	return true;
}

/* "1995" -> 1995-01-01. */
static bool series_parse_year(const char *s, int32_t *day)
{
	int y = series_year4(s);

	if (y < 1000 || s[4] != '\0')
		return false;
	*day = datetime_days_from_civil(y, 1, 1);
	return true;
}

bool series_column_is_years(const struct table *t, int col)
{
	const struct column *c = &t->cols[col];

	if (c->type != COL_INT)
		return false;
	for (size_t r = 0; r < t->n_rows; r++) {
		if (!column_is_missing(c, r) && (c->v.i64[r] < 1000 || c->v.i64[r] > 9999))
			return false;
	}
	return true;
}

static size_t series_format_day(enum series_style style, int32_t day, char *buf,
    size_t size)
{
	int y, m, d;

	if (style != SERIES_STYLE_QUARTER && style != SERIES_STYLE_YEAR)
		return datetime_format_date(day, style == SERIES_STYLE_MONTH, buf, size);
	datetime_civil_from_days(day, &y, &m, &d);
	if (style == SERIES_STYLE_YEAR)
		return (size_t)xsnprintf(buf, size, "%04d", y);
	return (size_t)xsnprintf(buf, size, "%04d-Q%d", y, (m - 1) / 3 + 1);
}

static int32_t series_month_index(int32_t day)
{
	int y, m, d;

	datetime_civil_from_days(day, &y, &m, &d);
	return (int32_t)(y * 12 + m - 1);
}

static bool series_is_month_end(int32_t day)
{
	int y, m, d;

	datetime_civil_from_days(day, &y, &m, &d);
	return d == datetime_days_in_month(y, m);
}

/* The day of month mi (year * 12 + month - 1) that the clock's dates use. */
static int32_t series_month_day(const struct series_clock *c, int32_t mi)
{
	int y = mi / 12, m = mi % 12 + 1, dim = datetime_days_in_month(y, m);
	int d = c->month_end || c->dom > dim ? dim : c->dom;

	return datetime_days_from_civil(y, m, d);
}

/* The position of a day on the clock; false when it is off the step. */
static bool series_clock_pos(const struct series_clock *c, int32_t day, long *pos)
{
	int32_t mi, dm;

	switch (c->period) {
	case SERIES_DAILY:
		*pos = (long)day - c->origin;
		return true;
	case SERIES_WEEKLY:
		*pos = ((long)day - c->origin) / 7;
		return ((long)day - c->origin) % 7 == 0;
	default:
		mi = series_month_index(day);
		dm = mi - c->origin;
		if (dm % series_step_months[c->period] != 0)
			return false;
		*pos = dm / series_step_months[c->period];
		return series_month_day(c, mi) == day;
	}
}

size_t series_format(const struct series_clock *c, long pos, char *buf, size_t size)
{
	int32_t day;

	switch (c->period) {
	case SERIES_DAILY:
		day = (int32_t)(c->origin + pos);
		break;
	case SERIES_WEEKLY:
		day = (int32_t)(c->origin + 7 * pos);
		break;
	default:
		day = series_month_day(c, (int32_t)(c->origin +
		    series_step_months[c->period] * pos));
		break;
	}
	return series_format_day(c->style, day, buf, size);
}

/* Text the time column would hold, parsed as the clock's style. */
static bool series_parse_time(const struct series_clock *c, const char *text, int32_t *day)
{
	bool monthly = false;

	if (c->style == SERIES_STYLE_QUARTER)
		return series_parse_quarter(text, day);
	if (c->style == SERIES_STYLE_YEAR)
		return series_parse_year(text, day);
	if (!datetime_parse_date(text, strlen(text), day, &monthly))
		return false;
	if (monthly && series_step_months[c->period] == 0)
		return false;
	if (monthly)		/* a month names the series' date in it */
		*day = series_month_day(c, series_month_index(*day));
	return true;
}

/* How a style is written, for messages. */
static const char *series_style_text(enum series_style style)
{
	static const char *const text[] = { "YYYY-MM-DD", "YYYY-MM", "YYYY-Qn", "YYYY" };

	return text[style];
}

static const char *series_step_text(enum series_period p)
{
	return p == SERIES_MONTHLY ? "month" : p == SERIES_QUARTERLY ? "third month" :
	    "twelfth month";
}

/* A description of the step, for "not on the step" messages. */
static char *series_step_rule(const struct series_clock *c)
{
	char first[32];

	series_format(c, 0, first, sizeof first);
	switch (c->period) {
	case SERIES_DAILY:
		return xasprintf("one date a day from %s", first);
	case SERIES_WEEKLY:
		return xasprintf("one date a week, on %ss, from %s",
		    series_weekdays[datetime_weekday(c->origin)], first);
	default:
		if (c->style != SERIES_STYLE_DATE)
			return xasprintf("%ss written %s from %s", series_units[c->period],
			    series_style_text(c->style), first);
		if (c->month_end)
			return xasprintf("the last day of every %s from %s",
			    series_step_text(c->period), first);
		return xasprintf("day %d of every %s from %s", c->dom,
		    series_step_text(c->period), first);
	}
}

int series_position(const struct series_clock *c, const char *text, long *pos, char **cause)
{
	int32_t day;
	char *rule;

	if (!series_parse_time(c, text, &day)) {
		*cause = xasprintf("not a date written as the time column's (%s)",
		    series_style_text(c->style));
		return -1;
	}
	if (series_clock_pos(c, day, pos))
		return 0;
	rule = series_step_rule(c);
	*cause = xasprintf("not a date of this %s series (%s)", series_period_name(c->period),
	    rule);
	free(rule);
	return -1;
}

/* The day a row's time falls on; -1 with *cause when missing or unreadable. */
static int series_row_day(const struct column *c, size_t row, int32_t *day, char **cause)
{
	int16_t tz;

	if (column_is_missing(c, row)) {
		*cause = xasprintf("row %zu: the time '%s' is missing", row + 1, c->name);
		return -1;
	}
	switch (c->type) {
	case COL_DATE:
		*day = c->v.days[row];
		return 0;
	case COL_DATETIME:
		tz = c->tz != NULL && c->tz[row] != TZ_NONE ? c->tz[row] : 0;
		*day = (int32_t)datetime_floordiv(c->v.i64[row] + tz * 60000LL, MS_PER_DAY);
		return 0;
	case COL_INT:
		if (c->v.i64[row] >= 1000 && c->v.i64[row] <= 9999) {
			*day = datetime_days_from_civil((int)c->v.i64[row], 1, 1);
			return 0;
		}
		*cause = xasprintf("row %zu: %lld in '%s' is not a year written YYYY", row + 1,
		    (long long)c->v.i64[row], c->name);
		return -1;
	case COL_CATEGORY:
	case COL_TEXT:
		if (series_parse_quarter(column_str(c, row), day))
			return 0;
		*cause = xasprintf("row %zu: '%s' in '%s' is not a date or a quarter written YYYY-Qn",
		    row + 1, column_str(c, row), c->name);
		return -1;
	default:
		*cause = xasprintf("'%s' is %s; the time column must hold dates, datetimes, "
		    "quarters written YYYY-Qn or years written YYYY", c->name,
		    col_type_name(c->type));
		return -1;
	}
}

static int series_key_cmp(const void *a, const void *b)
{
	const struct series_key *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* Reads and sorts the time keys of the rows. */
static struct series_key *series_keys(const struct column *c, const size_t *rows, size_t n,
    char **cause)
{
	struct series_key *k = xreallocarray(NULL, n ? n : 1, sizeof *k);

	for (size_t i = 0; i < n; i++) {
		k[i].row = rows != NULL ? rows[i] : i;
		if (series_row_day(c, k[i].row, &k[i].day, cause) != 0) {
			free(k);
			return NULL;
		}
	}
	qsort(k, n, sizeof *k, series_key_cmp);
	return k;
}

static enum series_style series_style_of(const struct column *c)
{
	if (c->type == COL_INT)
		return SERIES_STYLE_YEAR;
	if (c->type == COL_CATEGORY || c->type == COL_TEXT)
		return SERIES_STYLE_QUARTER;
	return c->type == COL_DATE && c->monthly ? SERIES_STYLE_MONTH : SERIES_STYLE_DATE;
}

static int series_check_dups(const struct series_key *k, size_t n, enum series_style style,
    char **cause)
{
	char buf[32];

	for (size_t i = 1; i < n; i++) {
		if (k[i].day != k[i - 1].day)
			continue;
		series_format_day(style, k[i].day, buf, sizeof buf);
		*cause = xasprintf("rows %zu and %zu both have the date %s; keep one, or "
		    "aggregate the rows by date first", k[i - 1].row + 1, k[i].row + 1, buf);
		return -1;
	}
	return 0;
}

/* The period a step of d days belongs to; -1 for none. */
static int series_step_class(int32_t d)
{
	if (d == 1 || d == 7)
		return d == 1 ? SERIES_DAILY : SERIES_WEEKLY;
	if (d >= 28 && d <= 31)
		return SERIES_MONTHLY;
	if (d == 365 || d == 366)
		return SERIES_YEARLY;
	return d >= 89 && d <= 92 ? SERIES_QUARTERLY : -1;
}

/* Months written YYYY-MM are quarterly when most steps are three months
 * (a gap of a quarter is then a gap, not three missing months). */
static enum series_period series_months_apart(const struct series_key *k, size_t n)
{
	size_t one = 0, three = 0;
	int32_t d;

	for (size_t i = 1; i < n; i++) {
		d = series_month_index(k[i].day) - series_month_index(k[i - 1].day);
		one += d == 1;
		three += d == 3;
	}
	return three > one ? SERIES_QUARTERLY : SERIES_MONTHLY;
}

/* The period most steps between consecutive dates follow (the shorter on
 * a tie), so that one gap or stray date is reported as such; YYYY-MM,
 * YYYY-Qn and YYYY decide by themselves. */
static int series_detect(const struct series_key *k, size_t n, enum series_style style,
    enum series_period *p, char **cause)
{
	size_t votes[5] = { 0 }, at = 1, best = 0;
	int cl;
	char buf[32];

	if (style == SERIES_STYLE_MONTH) {
		*p = series_months_apart(k, n);
		return 0;
	}
	if (style != SERIES_STYLE_DATE) {
		*p = style == SERIES_STYLE_YEAR ? SERIES_YEARLY : SERIES_QUARTERLY;
		return 0;
	}
	if (n < 2) {
		series_format_day(style, k[0].day, buf, sizeof buf);
		*cause = xasprintf("one date only (%s, row %zu): at least two are needed to tell "
		    "the period", buf, k[0].row + 1);
		return -1;
	}
	for (size_t i = 1; i < n; i++) {
		if ((cl = series_step_class(k[i].day - k[i - 1].day)) >= 0)
			votes[cl]++;
		if (k[i].day - k[i - 1].day < k[at].day - k[at - 1].day)
			at = i;
	}
	for (size_t c = 1; c < 5; c++) {
		if (votes[c] > votes[best])
			best = c;
	}
	if (votes[best] > 0) {
		*p = (enum series_period)best;
		return 0;
	}
	*cause = xasprintf("the closest dates are %d days apart (rows %zu and %zu); daily, "
	    "weekly, monthly, quarterly and yearly series are recognised", (int)(k[at].day -
	    k[at - 1].day), k[at - 1].row + 1, k[at].row + 1);
	return -1;
}

static void series_clock_init(struct series_clock *c, enum series_period p,
    enum series_style style, const struct series_key *k, size_t n)
{
	int y, m, d;

	memset(c, 0, sizeof *c);
	c->period = p;
	c->style = style;
	if (p == SERIES_DAILY || p == SERIES_WEEKLY) {
		c->origin = k[0].day;
		return;
	}
	datetime_civil_from_days(k[0].day, &y, &m, &d);
	c->origin = (int32_t)(y * 12 + m - 1);
	c->dom = d;
	c->month_end = style == SERIES_STYLE_DATE;
	for (size_t i = 0; i < n && c->month_end; i++)
		c->month_end = series_is_month_end(k[i].day);
}

/* Fills the points, or names the first gap, irregular step or missing
 * value in time order. */
static int series_place(const struct table *t, int value_col, const struct series_key *k,
    size_t n, enum series_fill fill, struct series *s, char **cause);

int series_build(const struct table *t, int time_col, int value_col, const size_t *rows,
    size_t n_rows, enum series_fill fill, struct series *out, char **cause)
{
	const struct column *tc = &t->cols[time_col];
	enum series_style style = series_style_of(tc);
	enum series_period p;
	struct series_key *k;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (rows == NULL)
		n_rows = t->n_rows;
	if (n_rows == 0) {
		*cause = xasprintf("no rows to make a series of");
		return -1;
	}
	if ((k = series_keys(tc, rows, n_rows, cause)) == NULL)
		return -1;
	if (series_check_dups(k, n_rows, style, cause) == 0 &&
	    series_detect(k, n_rows, style, &p, cause) == 0) {
		series_clock_init(&out->clock, p, style, k, n_rows);
		rc = series_place(t, value_col, k, n_rows, fill, out, cause);
	}
	free(k);
	if (rc != 0)
		series_done(out);
	return rc;
}

void series_done(struct series *s)
{
	free(s->y);
	free(s->row);
	memset(s, 0, sizeof *s);
}

#define SERIES_FILL_HINT "; fill it with fill=zero or fill=interpolate"

/* "(a gap of 2 days in a daily series)" or an irregular step. */
static int series_step_error(const struct series_clock *c, const struct series_key *prev,
    const struct series_key *cur, long step, bool aligned, char **cause)
{
	char a[32], b[32], *rule;
	const char *unit = series_units[c->period];

	series_format_day(c->style, cur->day, b, sizeof b);
	series_format_day(c->style, prev->day, a, sizeof a);
	if (aligned) {
		*cause = xasprintf("%s: row %zu: %s follows %s (a gap of %ld %ss in a %s series)"
		    SERIES_FILL_HINT, series_period_name(c->period), cur->row + 1, b, a, step,
		    unit, series_period_name(c->period));
		return -1;
	}
	rule = series_step_rule(c);
	*cause = xasprintf("%s: row %zu: %s follows %s (a step of %d days in a %s series, "
	    "which has %s)", series_period_name(c->period), cur->row + 1, b, a,
	    (int)(cur->day - prev->day), series_period_name(c->period), rule);
	free(rule);
	return -1;
}

static int series_missing_error(const struct series *s, const struct column *vc,
    const struct series_key *k, const char *why, char **cause)
{
	char buf[32];

	series_format_day(s->clock.style, k->day, buf, sizeof buf);
	*cause = xasprintf("%s: row %zu (%s): '%s' is missing%s", series_period_name(s->clock.period),
	    k->row + 1, buf, vc->name, why);
	return -1;
}

/* Linear interpolation over runs of NaN; ends have nothing to lean on. */
static int series_interpolate(struct series *s, const struct column *vc,
    const struct series_key *k, size_t n, char **cause)
{
	size_t i = 0, j;

	if (isnan(s->y[0]))
		return series_missing_error(s, vc, &k[0], ", with no value before it to "
		    "interpolate from; use fill=zero or drop the row", cause);
	if (isnan(s->y[s->n - 1]))
		return series_missing_error(s, vc, &k[n - 1], ", with no value after it to "
		    "interpolate from; use fill=zero or drop the row", cause);
	while (i < s->n) {
		if (!isnan(s->y[i])) {
			i++;
			continue;
		}
		for (j = i; isnan(s->y[j]); j++)
			;
		for (size_t h = i; h < j; h++)
			s->y[h] = s->y[i - 1] + (s->y[j] - s->y[i - 1]) *
			    (double)(h - i + 1) / (double)(j - i + 1);
		i = j;
	}
	return 0;
}

static int series_place(const struct table *t, int value_col, const struct series_key *k,
    size_t n, enum series_fill fill, struct series *s, char **cause)
{
	const struct column *vc = &t->cols[value_col];
	long pos = 0, prev = 0;
	bool aligned;

	for (size_t i = 1; i < n; i++, prev = pos) {
		aligned = series_clock_pos(&s->clock, k[i].day, &pos);
		if (!aligned || (pos - prev > 1 && fill == SERIES_FILL_NONE))
			return series_step_error(&s->clock, &k[i - 1], &k[i], pos - prev,
			    aligned, cause);
	}
	for (size_t i = 0; fill == SERIES_FILL_NONE && i < n; i++) {
		if (column_is_missing(vc, k[i].row))
			return series_missing_error(s, vc, &k[i], SERIES_FILL_HINT, cause);
	}
	s->n = (size_t)prev + 1;
	s->y = xreallocarray(NULL, s->n, sizeof *s->y);
	s->row = xreallocarray(NULL, s->n, sizeof *s->row);
	for (size_t i = 0; i < s->n; i++) {
		s->y[i] = NAN;
		s->row[i] = SIZE_MAX;
	}
	for (size_t i = 0; i < n; i++) {
		series_clock_pos(&s->clock, k[i].day, &pos);
		s->row[pos] = k[i].row;
		if (!column_is_missing(vc, k[i].row))
			s->y[pos] = column_number(vc, k[i].row);
	}
	for (size_t i = 0; i < s->n; i++)
		s->filled += isnan(s->y[i]);
	if (fill == SERIES_FILL_INTERPOLATE)
		return series_interpolate(s, vc, k, n, cause);
	for (size_t i = 0; i < s->n; i++) {
		if (isnan(s->y[i]))
			s->y[i] = 0;
	}
	return 0;
}
