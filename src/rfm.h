/* Recency, frequency and monetary value per user, their quintile scores and
 * a named tier.
 *
 * Definitions:
 * - recency: days from the user's last event to the as-of time (fractional
 *   when times are in milliseconds); events after as-of are ignored.
 * - frequency: distinct purchase occasions, an occasion being a calendar
 *   day (UTC) with at least one event, by default; or the number of events
 *   (RFM_COUNT_EVENTS).
 * - monetary: the sum of the amounts.
 * - scores 1-5: rfm_ntile over the active users (those with an event by
 *   as-of), keyed on -recency, frequency and monetary, so 5 is always best.
 *   Ties are broken by user index, lower index ranking lower, exactly as
 *   dplyr::ntile breaks them by position: ranks 1..len are cut into 5
 *   groups, the len % 5 larger groups first (checked against dplyr 1.0.10
 *   on random vectors with ties and NAs).
 * - tier: the first row of this table that matches (R, F, M):
 *
 *     tier      R      F      M
 *     heavy     4-5    4-5    4-5
 *     new       4-5    1-2    any
 *     regular   3-5    3-5    any
 *     at risk   1-2    3-5    any
 *     lost      1      1-2    any
 *     light     2-3    1-2    any
 *
 *   Every active user matches one row; users without events get
 *   RFM_TIER_NONE and scores of 0.
 *
 * Ownership: rfm_compute returns a result the caller frees with
 * rfm_result_free; inputs are only read. */
#ifndef CROSSMKT_RFM_H
#define CROSSMKT_RFM_H

#include <stdatomic.h>
#include <stddef.h>

#define RFM_BINS 5

enum rfm_time_unit {
	RFM_TIME_DAYS,          /* days since 1970-01-01 (date columns) */
	RFM_TIME_MS             /* milliseconds since 1970-01-01T00:00Z */
};

enum rfm_count {
	RFM_COUNT_DAYS,         /* distinct days with an event */
	RFM_COUNT_EVENTS        /* every event */
};

enum rfm_tier {
	RFM_TIER_NONE,
	RFM_TIER_HEAVY,
	RFM_TIER_NEW,
	RFM_TIER_REGULAR,
	RFM_TIER_AT_RISK,
	RFM_TIER_LOST,
	RFM_TIER_LIGHT,
	RFM_TIER_COUNT
};

struct rfm_options {
	double as_of;           /* in the unit of the times */
	enum rfm_time_unit unit;
	enum rfm_count count;
	const atomic_bool *cancel;      /* polled between passes; NULL for none */
};

struct rfm_user {
	double recency;         /* days; NaN without events */
	size_t frequency;
	double monetary;
	unsigned r, f, m;       /* 1-5; 0 without events */
	enum rfm_tier tier;
};

struct rfm_result {
	size_t n_users;
	struct rfm_user *users; /* n_users, by user index */
	size_t n_active;        /* users with an event by as-of */
	size_t n_later;         /* events after as-of, ignored */
	size_t tier_count[RFM_TIER_COUNT];
};

/* Scores per-event arrays (user index below n_users, time, amount);
 * returns 0, or -1 with *cause set. */
int rfm_compute(const size_t *user, const double *time, const double *amount,
    size_t n_events, size_t n_users, const struct rfm_options *opt,
    struct rfm_result **out, char **cause);
/* Frees a result; NULL is ignored. */
void rfm_result_free(struct rfm_result *r);
/* dplyr::ntile: bins 1..n_bins by ascending x, ties by position; NaN
 * entries get 0 and are left out of the count. */
void rfm_ntile(const double *x, size_t n, unsigned n_bins, unsigned *out);
/* The tier for scores 1-5 by the table above. */
enum rfm_tier rfm_tier_of(unsigned r, unsigned f, unsigned m);
/* Tier name for display, such as "at risk". */
const char *rfm_tier_name(enum rfm_tier tier);

#endif
