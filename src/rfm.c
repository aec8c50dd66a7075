/* RFM: one pass for recency and money, a sort for purchase occasions, and
 * ranks for the scores. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cancel.h"
#include "rfm.h"
#include "xmalloc.h"

#define RFM_MS_PER_DAY 86400000.0

struct rfm_rule {
	enum rfm_tier tier;
	unsigned r_lo, r_hi, f_lo, f_hi, m_lo, m_hi;
};

/* Keep in step with the table in rfm.h; the first match wins. */
static const struct rfm_rule rfm_rules[] = {
	{ RFM_TIER_HEAVY,   4, 5, 4, 5, 4, 5 },
	{ RFM_TIER_NEW,     4, 5, 1, 2, 1, 5 },
	{ RFM_TIER_REGULAR, 3, 5, 3, 5, 1, 5 },
	{ RFM_TIER_AT_RISK, 1, 2, 3, 5, 1, 5 },
	{ RFM_TIER_LOST,    1, 1, 1, 2, 1, 5 },
	{ RFM_TIER_LIGHT,   2, 3, 1, 2, 1, 5 },
};

static const char *const rfm_tier_names[RFM_TIER_COUNT] = {
	"none", "heavy", "new", "regular", "at risk", "lost", "light"
};

struct rfm_key {
	double v;
	size_t i;
};

/* A user's event on a day, for counting distinct days. */
struct rfm_visit {
	size_t user;
	int64_t day;
};

static int rfm_cmp_key(const void *a, const void *b)
{
	const struct rfm_key *x = a, *y = b;

	if (x->v != y->v)
		return x->v < y->v ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int rfm_cmp_visit(const void *a, const void *b)
{
	const struct rfm_visit *x = a, *y = b;

	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	return x->day < y->day ? -1 : x->day > y->day;
}

void rfm_ntile(const double *x, size_t n, unsigned n_bins, unsigned *out)
{
	struct rfm_key *key = xcalloc(n, sizeof *key);
	size_t len = 0, larger, big, small, threshold, r;

	for (size_t i = 0; i < n; i++) {
		out[i] = 0;
		if (!isnan(x[i]))
			key[len++] = (struct rfm_key){ x[i], i };
	}
	if (n_bins == 0)
		len = 0;
	qsort(key, len, sizeof *key, rfm_cmp_key);
	larger = len ? len % n_bins : 0;
	big = len ? (len + n_bins - 1) / n_bins : 0;
	small = len ? len / n_bins : 0;
	threshold = big * larger;
	for (size_t e = 0; e < len; e++) {
		r = e + 1;
		if (r <= threshold)
			out[key[e].i] = (unsigned)((r + big - 1) / big);
		else
			out[key[e].i] = (unsigned)((r - threshold + small - 1) /
			    small + larger);
	}
	free(key);
}

enum rfm_tier rfm_tier_of(unsigned r, unsigned f, unsigned m)
{
	const struct rfm_rule *u;

	for (size_t e = 0; e < sizeof rfm_rules / sizeof rfm_rules[0]; e++) {
		u = &rfm_rules[e];
		if (r >= u->r_lo && r <= u->r_hi && f >= u->f_lo &&
		    f <= u->f_hi && m >= u->m_lo && m <= u->m_hi)
			return u->tier;
	}
	return RFM_TIER_NONE;
}

const char *rfm_tier_name(enum rfm_tier tier)
{
	return tier < RFM_TIER_COUNT ? rfm_tier_names[tier] : "?";
}

static int rfm_check_event(const size_t *user, const double *time,
    const double *amount, size_t e, size_t n_users, char **cause)
{
	if (user[e] >= n_users)
		*cause = xasprintf("event %zu: user index %zu is not below the "
		    "number of users (%zu)", e + 1, user[e], n_users);
	else if (!isfinite(time[e]))
		*cause = xasprintf("event %zu: time is not a finite number",
		    e + 1);
	else if (!isfinite(amount[e]))
		*cause = xasprintf("event %zu: amount is not a finite number",
		    e + 1);
	else
		return 0;
	return -1;
}

static int rfm_check(const size_t *user, const double *time,
    const double *amount, size_t n_events, size_t n_users,
    const struct rfm_options *opt, char **cause)
{
	if (!isfinite(opt->as_of)) {
		*cause = xasprintf("the as-of time is not a finite number");
		return -1;
	}
	for (size_t e = 0; e < n_events; e++) {
		if (rfm_check_event(user, time, amount, e, n_users, cause) != 0)
			return -1;
	}
	return 0;
}

static int64_t rfm_day(double t, enum rfm_time_unit unit)
{
	return (int64_t)floor(unit == RFM_TIME_MS ? t / RFM_MS_PER_DAY : t);
}

/* Counts each user's distinct event days by sorting (user, day) pairs. */
static void rfm_count_days(struct rfm_result *res, const size_t *user,
    const double *time, size_t n_events, const struct rfm_options *opt)
{
	struct rfm_visit *v = xcalloc(n_events, sizeof *v);
	size_t m = 0;

	for (size_t e = 0; e < n_events; e++) {
		if (time[e] <= opt->as_of)
			v[m++] = (struct rfm_visit){ user[e],
			    rfm_day(time[e], opt->unit) };
	}
	qsort(v, m, sizeof *v, rfm_cmp_visit);
	for (size_t e = 0; e < m; e++) {
		if (e == 0 || rfm_cmp_visit(&v[e - 1], &v[e]) != 0)
			res->users[v[e].user].frequency++;
	}
	free(v);
}

/* Last event, event count and money per user; last is left in recency. */
static void rfm_accumulate(struct rfm_result *res, const size_t *user,
    const double *time, const double *amount, size_t n_events,
    const struct rfm_options *opt)
{
	struct rfm_user *u;

	for (size_t e = 0; e < n_events; e++) {
		if (time[e] > opt->as_of) {
			res->n_later++;
			continue;
		}
		u = &res->users[user[e]];
		if (u->frequency == 0 || time[e] > u->recency)
			u->recency = time[e];
		u->frequency++;
		u->monetary += amount[e];
	}
}

/* The ranking key of one measure for user u, or NaN to leave u unscored;
 * larger is better, so recency enters negated. */
static double rfm_key(const struct rfm_user *u, char measure)
{
	if (u->frequency == 0)
		return NAN;
	if (measure == 'r')
		return -u->recency;
	return measure == 'f' ? (double)u->frequency : u->monetary;
}

static void rfm_score(struct rfm_result *res)
{
	static const char measures[] = "rfm";
	size_t n = res->n_users;
	double *key = xcalloc(n, sizeof *key);
	unsigned *bin[3];
	struct rfm_user *u = res->users;

	for (int e = 0; e < 3; e++) {
		bin[e] = xcalloc(n, sizeof *bin[e]);
		for (size_t i = 0; i < n; i++)
			key[i] = rfm_key(&u[i], measures[e]);
		rfm_ntile(key, n, RFM_BINS, bin[e]);
	}
	for (size_t i = 0; i < n; i++) {
		u[i].r = bin[0][i];
		u[i].f = bin[1][i];
		u[i].m = bin[2][i];
		u[i].tier = RFM_TIER_NONE;
		if (u[i].frequency > 0)
			u[i].tier = rfm_tier_of(u[i].r, u[i].f, u[i].m);
		res->tier_count[u[i].tier]++;
	}
	for (int e = 0; e < 3; e++)
		free(bin[e]);
	free(key);
}

/* Turns last event times into recency in days and counts active users;
 * clears frequency when it is to be counted in days instead. */
static void rfm_finish_users(struct rfm_result *res,
    const struct rfm_options *opt)
{
	double per_day = opt->unit == RFM_TIME_MS ? RFM_MS_PER_DAY : 1;
	struct rfm_user *u;

	for (size_t i = 0; i < res->n_users; i++) {
		u = &res->users[i];
		u->recency = u->frequency ?
		    (opt->as_of - u->recency) / per_day : NAN;
		res->n_active += u->frequency > 0;
		if (opt->count == RFM_COUNT_DAYS)
			u->frequency = 0;
	}
}

int rfm_compute(const size_t *user, const double *time, const double *amount,
    size_t n_events, size_t n_users, const struct rfm_options *opt,
    struct rfm_result **out, char **cause)
{
	struct rfm_result *res;
	bool stop;

	*out = NULL;
	if (rfm_check(user, time, amount, n_events, n_users, opt, cause) != 0)
		return -1;
	res = xcalloc(1, sizeof *res);
	res->n_users = n_users;
	res->users = xcalloc(n_users, sizeof *res->users);
	rfm_accumulate(res, user, time, amount, n_events, opt);
	rfm_finish_users(res, opt);
	stop = cancel_check(opt->cancel, cause);
	if (!stop && opt->count == RFM_COUNT_DAYS)
		rfm_count_days(res, user, time, n_events, opt);
	if (stop || cancel_check(opt->cancel, cause)) {
		rfm_result_free(res);
		return -1;
	}
	rfm_score(res);
	*out = res;
	return 0;
}

void rfm_result_free(struct rfm_result *r)
{
	if (r == NULL)
		return;
	free(r->users);
	free(r);
}
