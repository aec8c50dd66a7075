/* Group-by aggregation, with calendar buckets for time series.
 *
 * Groups are keyed by the by-columns' values (missing is a value of its
 * own) and, with a period, by the calendar bucket of a date or datetime
 * column. With a period, every group gets every bucket between the first
 * and the last one in the data, so a daily series has no silent gaps: an
 * empty bucket counts 0, sums 0 and has missing means, extremes and
 * medians. Output rows are sorted by the keys (missing last), then period.
 *
 * Ownership: aggregate_run returns a new table in *out that the caller
 * frees with table_free (on error *out is left unset); the input table and
 * the request are only read. aggregate_func_name returns a static string. */
#ifndef CROSSMKT_AGGREGATE_H
#define CROSSMKT_AGGREGATE_H

#include <stddef.h>
#include <stdint.h>

#include "table.h"

enum agg_func {
	AGG_COUNT, AGG_SUM, AGG_MEAN, AGG_SD, AGG_MIN, AGG_MAX, AGG_DISTINCT,
	AGG_MEDIAN, AGG_FIRST, AGG_LAST, AGG_FUNC_COUNT
};

enum agg_every { AGG_EVERY_NONE, AGG_EVERY_DAY, AGG_EVERY_WEEK, AGG_EVERY_MONTH };

struct agg_spec {
	const char *name;       /* output column */
	enum agg_func func;
	int col;                /* input column; -1 for count() of rows */
};

struct agg_request {
	const int *by;
	size_t n_by;
	enum agg_every every;
	int time_col;           /* with every */
	/* Fixed offset in minutes for bucketing datetimes, or TZ_NONE to use
	 * each value's own offset (UTC when it has none). */
	int16_t tz;
	const struct agg_spec *specs;
	size_t n_specs;
};

struct agg_stats {
	size_t groups;          /* output rows */
	size_t filled;          /* of which empty periods added */
	size_t skipped;         /* rows without a time value (with every) */
};

/* "count", "sum", ... ; -1 when unknown. */
int aggregate_func_parse(const char *name);
const char *aggregate_func_name(enum agg_func f);
/* Checks a spec against its column's type; -1 with *cause. */
int aggregate_check(const struct table *t, const struct agg_spec *spec, char **cause);
/* Runs the aggregation into a new table named name. */
int aggregate_run(const struct table *t, const struct agg_request *req, const char *name,
    struct table **out, struct agg_stats *stats, char **cause);

#endif
