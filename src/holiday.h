/* Holiday and event calendars as regressors of a daily or weekly series.
 *
 * A holidays dataset has the columns date and name, and optionally before
 * and after: the days around the date that belong to it (0 when absent).
 * Each name gets one regressor per day offset in its widest window (a
 * weekly series: one per name, the weeks that hold a day of a window). An
 * events dataset has start, end and name: one regressor per name, 1 on the
 * days from start to end. Regressors never 1 in the history are left out:
 * nothing can be learnt of them.
 *
 * Ownership: holiday_xreg_build fills a caller-provided struct whose arrays
 * it allocates; holiday_xreg_done frees them. The tables are not kept. */
#ifndef CROSSMKT_HOLIDAY_H
#define CROSSMKT_HOLIDAY_H

#include <stddef.h>

#include "series.h"
#include "table.h"

struct holiday_xreg {
	size_t ncol, rows;
	double *x;		/* rows x ncol, row-major */
	char **name;		/* per column: the holiday's or event's name */
	int *offset;		/* per column: days from the holiday's date */
};

/* Regressors for the positions 0..rows-1 of the clock, n of them history,
 * from holidays (or NULL) and events (or NULL); key names the argument in
 * messages ("holidays=" or "events="). */
int holiday_xreg_build(const struct table *holidays, const struct table *events,
    const struct series_clock *c, size_t n, size_t rows, struct holiday_xreg *out,
    char **cause);
void holiday_xreg_done(struct holiday_xreg *x);

#endif
