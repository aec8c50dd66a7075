/* Summary statistics of one column, for describe and the console's column
 * view. Plain numbers; nothing here formats or draws. */
#ifndef CROSSMKT_COLSTATS_H
#define CROSSMKT_COLSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "table.h"

struct colstats {
	size_t count;           /* values present */
	size_t missing;
	size_t distinct;        /* distinct values present */
	/* int, float, bool, date, datetime; valid when count > 0. Dates are
	 * days and datetimes milliseconds, as stored. */
	double min, max, mean;
	size_t min_row, max_row;        /* the first rows holding them */
	double sd;              /* sample sd (n - 1); valid when count > 1 */
	/* category, text, bool: the most frequent value (the first seen on a
	 * tie) and its count; top_row is a row holding it. */
	size_t top_count;
	size_t top_row;
};

void colstats_compute(const struct column *c, size_t n_rows, struct colstats *out);
/* Mean and sample sd of x[0..n) as R computes them: a long double sum, a
 * correction pass for the mean, then the sum of squared deviations. sd is
 * 0 when n < 2. */
void colstats_mean_sd(const double *x, size_t n, double *mean, double *sd);

#endif
