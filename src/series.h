/* A dataset's value column read as a regular time series: the time column
 * sets the period (daily, weekly, monthly, quarterly or yearly), rows are put in
 * time order, and gaps, irregular steps, duplicate dates and missing values
 * are errors naming the rows, unless a fill policy says how to fill gaps
 * and missing values.
 *
 * Ownership: series_build fills a caller-provided struct series whose
 * arrays it allocates; series_done frees them (on error there is nothing
 * to free). The table and the rows are not kept. series_format writes into
 * the caller's buffer; series_period_name returns a static string. */
#ifndef CROSSMKT_SERIES_H
#define CROSSMKT_SERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "table.h"

enum series_period {
	SERIES_DAILY,
	SERIES_WEEKLY,
	SERIES_MONTHLY,
	SERIES_QUARTERLY,
	SERIES_YEARLY		/* YYYY, or dates a year apart; season 1 */
};

enum series_fill {
	SERIES_FILL_NONE,	/* gaps and missing values are errors */
	SERIES_FILL_ZERO,
	SERIES_FILL_INTERPOLATE	/* linear between the nearest values */
};

/* How the time column was written, for messages and output. */
enum series_style {
	SERIES_STYLE_DATE,	/* YYYY-MM-DD (dates, or days of datetimes) */
	SERIES_STYLE_MONTH,	/* YYYY-MM */
	SERIES_STYLE_QUARTER,	/* YYYY-Qn text */
	SERIES_STYLE_YEAR	/* YYYY, a whole number from 1000 to 9999 */
};

/* Maps point positions (0 = the first point) to dates. */
struct series_clock {
	enum series_period period;
	enum series_style style;
	int32_t origin;		/* daily, weekly: day of point 0; monthly,
				 * quarterly, yearly: its month, year * 12 +
				 * month - 1 */
	int dom;		/* monthly, quarterly, yearly: day of the month */
	bool month_end;		/* monthly, quarterly, yearly: last day of the month */
};

struct series {
	struct series_clock clock;
	size_t n;
	double *y;
	size_t *row;		/* 0-based data row per point; SIZE_MAX when
				 * the point filled a gap */
	size_t filled;		/* gap points and missing values filled */
};

/* Reads the value column over rows[0..n_rows-1] of t (all rows when rows
 * is NULL), in time order. Errors name 1-based data rows and dates. */
int series_build(const struct table *t, int time_col, int value_col,
    const size_t *rows, size_t n_rows, enum series_fill fill,
    struct series *out, char **cause);
void series_done(struct series *s);

/* Writes the date of position pos as the time column is written. Returns
 * the length; buf needs 32 bytes. */
size_t series_format(const struct series_clock *c, long pos, char *buf,
    size_t size);
/* The position of a date written as in the data (or YYYY-MM for a monthly
 * or quarterly series); -1 with *cause when it is not on the series' step. */
int series_position(const struct series_clock *c, const char *text,
    long *pos, char **cause);

/* "daily", "weekly", "monthly", "quarterly", "yearly". */
const char *series_period_name(enum series_period p);
/* The usual season length of a period: 7, 52, 12, 4, 1. */
size_t series_period_season(enum series_period p);
/* Whether an int column holds years written YYYY (1000 to 9999), which a
 * time column may be. */
bool series_column_is_years(const struct table *t, int col);
/* Parses fill=none|zero|interpolate; -1 when unknown. */
int series_fill_parse(const char *s);

#endif
