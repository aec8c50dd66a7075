/* The campaign: who is exposed, to which arm, what they do afterwards,
 * and the per-arm statistics an analyst would compute from it. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "gendemo.h"
#include "xmalloc.h"

#define GENDEMO_WINDOW (14 * 86400)	/* conversion window after exposure */
#define GENDEMO_BROWSE_DAYS 21		/* browsing goes on after the window */
#define GENDEMO_REDEEM_SHARE 0.75	/* coupon-arm conversions that redeem */
#define N_HOURS 24

/* Relative conversion lift of each arm: the coupon works, the discount does not. */
static const double gendemo_events_lift[ARM_COUNT] = { 1.00, 1.50, 1.00 };

/* Hour-of-day weights, Asia/Shanghai: lunch, dinner and evening study. */
static const double gendemo_events_hours[N_HOURS] = {
	1.0, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 2.0, 3.0, 3.0, 3.0, 5.0,
	7.0, 5.0, 3.0, 3.0, 3.0, 5.0, 7.0, 7.0, 7.0, 8.0, 6.0, 3.0,
};

/* A local time on a day, at an hour people actually use the apps. */
static int64_t gendemo_events_time_of_day(const struct gendemo *g, const gsl_rng *r,
    int32_t day)
{
	int64_t hour = (int64_t)gsl_ran_discrete(r, g->pick_hour);

	return (int64_t)day * 86400 + hour * 3600 + (int64_t)gsl_rng_uniform_int(r, 3600);
}

/* A time of day some days after the day of t0. */
static int64_t gendemo_events_days_after(const struct gendemo *g, const gsl_rng *r,
    int64_t t0, int32_t days)
{
	return gendemo_events_time_of_day(g, r, (int32_t)datetime_floordiv(t0, 86400) + days);
}

/* Something the user would look at: a course of their topic or a dish of
 * their brand, sometimes anything popular. */
static size_t gendemo_events_pick_item(const struct gendemo *g, const gsl_rng *r,
    const struct gendemo_user *u)
{
	bool course = u->platform == PLAT_COURSE ||
	    (u->platform == PLAT_BOTH && gsl_rng_uniform(r) < 0.5);
	bool own = gsl_rng_uniform(r) < 0.7;

	if (course)
		return gsl_ran_discrete(r, own ? g->pick_topic[u->topic] : g->pick_courses);
	return g->first_dish + gsl_ran_discrete(r, own ? g->pick_brand[u->brand] :
	    g->pick_dishes);
}

/* The campaign coupon of the user's favourite brand; the brand's other
 * coupons follow it. */
static size_t gendemo_events_coupon(const struct gendemo *g, const struct gendemo_user *u)
{
	return g->first_coupon + (size_t)u->brand * N_COUPONS;
}

/* Appends an event of user u. */
static void gendemo_events_add(struct gendemo *g, uint32_t u, uint32_t *seq, int64_t ts,
    size_t item, int type, int64_t amount)
{
	struct gendemo_event *e = &g->events[g->n_events++];

	e->ts = ts;
	e->user = u;
	e->seq = (*seq)++;
	e->item = (uint16_t)item;
	e->type = (uint8_t)type;
	e->arm = g->users[u].arm;
	e->amount = (int32_t)amount;
}

/* When a conversion happens: front-loaded, always inside the window. */
static int64_t gendemo_events_conversion_time(const struct gendemo *g, const gsl_rng *r,
    int64_t t0)
{
	double days = gsl_ran_exponential(r, 2.5);

	if (days < 1.0)
		return t0 + 120 + (int64_t)gsl_rng_uniform_int(r, 7200);
	if (days > 13.0)
		days = 13.0;
	/* day 13 plus a time of day stays under 14 days from t0 */
	return gendemo_events_days_after(g, r, t0, (int32_t)days);
}

/* The order paid with the campaign coupon: at least its threshold. */
static int64_t gendemo_events_redeem_amount(const gsl_rng *r, const struct gendemo_user *u)
{
	const struct gendemo_coupon *c = &gendemo_coupons[0];
	double order = gsl_ran_lognormal(r, log(gendemo_brands[u->brand].aov * 1.3), 0.35);

	if (order < c->threshold)
		order = c->threshold + gsl_rng_uniform(r) * 30.0;
	return gendemo_cents(order) - (int64_t)c->off * 100;
}

/* A purchase or a redemption; returns the item. */
static size_t gendemo_events_conversion(struct gendemo *g, const gsl_rng *r, uint32_t u,
    uint32_t *seq, int64_t tc, bool first)
{
	const struct gendemo_user *user = &g->users[u];
	size_t item;
	int64_t amount;

	if (first && user->arm == ARM_COUPON && gsl_rng_uniform(r) < GENDEMO_REDEEM_SHARE) {
		item = gendemo_events_coupon(g, user);
		gendemo_events_add(g, u, seq, tc, item, EV_REDEEM,
		    gendemo_events_redeem_amount(r, user));
		return item;
	}
	item = gendemo_events_pick_item(g, r, user);
	amount = g->items[item].price;
	if (g->items[item].kind == KIND_DISH && gsl_rng_uniform(r) < 0.2)
		amount *= 2;		/* two portions */
	if (user->arm == ARM_DISCOUNT)
		amount = (amount * (100 - GENDEMO_DISCOUNT_PCT) + 50) / 100;
	gendemo_events_add(g, u, seq, tc, item, EV_PURCHASE, amount);
	return item;
}

/* A conversion, usually after a click on the item when there is room for
 * one; returns the number of clicks added. */
static uint32_t gendemo_events_convert(struct gendemo *g, const gsl_rng *r, uint32_t u,
    uint32_t *seq, bool first, bool room)
{
	int64_t tc = gendemo_events_conversion_time(g, r, g->users[u].exposed_at);
	size_t item = gendemo_events_conversion(g, r, u, seq, tc, first);

	if (!room || gsl_rng_uniform(r) >= 0.8)
		return 0;
	/* tc is at least 120 s after the exposure, so the click is too */
	gendemo_events_add(g, u, seq, tc - 30 - (int64_t)gsl_rng_uniform_int(r, 90), item,
	    EV_CLICK, 0);
	return 1;
}

/* A view or click after the exposure, sometimes in the same session. */
static void gendemo_events_browse(struct gendemo *g, const gsl_rng *r, uint32_t u,
    uint32_t *seq)
{
	const struct gendemo_user *user = &g->users[u];
	unsigned long day = gsl_rng_uniform_int(r, GENDEMO_BROWSE_DAYS);
	int64_t t0 = user->exposed_at, ts;
	size_t item;

	if (day == 0)
		ts = t0 + 30 + (int64_t)gsl_rng_uniform_int(r, 1800);
	else
		ts = gendemo_events_days_after(g, r, t0, (int32_t)day);
	if (user->arm == ARM_COUPON && gsl_rng_uniform(r) < 0.15)
		item = gendemo_events_coupon(g, user) + gsl_rng_uniform_int(r, N_COUPONS);
	else
		item = gendemo_events_pick_item(g, r, user);
	gendemo_events_add(g, u, seq, ts, item, gsl_rng_uniform(r) < 0.3 ? EV_CLICK : EV_VIEW,
	    0);
}

/* Exactly k events of one exposed user: the exposure view, maybe
 * conversions (each usually after a click), then browsing. */
static void gendemo_events_user(struct gendemo *g, const gsl_rng *r, uint32_t u, uint32_t k)
{
	const struct gendemo_user *user = &g->users[u];
	uint32_t seq = 0, slots = k - 1, nconv = 0, i;

	gendemo_events_add(g, u, &seq, user->exposed_at, user->arm == ARM_COUPON ?
	    gendemo_events_coupon(g, user) : gendemo_events_pick_item(g, r, user), EV_VIEW, 0);
	if (slots >= 1 && user->converts)
		nconv = slots >= 4 && gsl_rng_uniform(r) < 0.2 ? 2 : 1;
	slots -= nconv;
	for (i = 0; i < nconv; i++)
		slots -= gendemo_events_convert(g, r, u, &seq, i == 0, slots > 0);
	while (slots-- > 0)
		gendemo_events_browse(g, r, u, &seq);
}

/* Who converts: systematic sampling within each arm, so each user converts
 * with their own probability while an arm's count of conversions stays
 * within one of its expectation; the planted difference is not left to luck. */
static void gendemo_events_converters(struct gendemo *g, const gsl_rng *r,
    const uint32_t *exposed, size_t n)
{
	double acc[ARM_COUNT];
	size_t i;

	for (i = 0; i < ARM_COUNT; i++)
		acc[i] = gsl_rng_uniform(r);
	for (i = 0; i < n; i++) {
		struct gendemo_user *u = &g->users[exposed[i]];
		double before = acc[u->arm];

		acc[u->arm] += gendemo_segments[u->segment].convert * gendemo_events_lift[u->arm];
		u->converts = floor(acc[u->arm]) > floor(before);
	}
}

/* The users to expose: all who signed up before the campaign ended, or a
 * random subset of them when the events do not allow for all. Returns how
 * many. */
static size_t gendemo_events_choose(const struct gendemo *g, const gsl_rng *r, uint32_t **out)
{
	int32_t to = gendemo_day(GENDEMO_CAMPAIGN_TO);
	uint32_t *eligible = xcalloc(g->o.users, sizeof *eligible);
	size_t n = 0, want, i;

	for (i = 0; i < g->o.users; i++)
		if (g->users[i].signup <= to)
			eligible[n++] = (uint32_t)i;
	want = g->o.events / 5 > 0 ? g->o.events / 5 : 1;
	if (want >= n) {
		*out = eligible;
		return n;
	}
	*out = xcalloc(want, sizeof **out);
	gsl_ran_choose(r, *out, want, eligible, n, sizeof *eligible);
	free(eligible);
	return want;
}

/* Exposes a user: an arm and a time during the campaign after sign-up. */
static void gendemo_events_expose(const struct gendemo *g, const gsl_rng *r,
    struct gendemo_user *u)
{
	int32_t from = gendemo_day(GENDEMO_CAMPAIGN_FROM), to = gendemo_day(GENDEMO_CAMPAIGN_TO);
	int32_t start = u->signup > from ? u->signup : from;
	int32_t day = start + (int32_t)gsl_rng_uniform_int(r, (unsigned long)(to - start + 1));

	u->exposed = true;
	u->arm = (uint8_t)gsl_rng_uniform_int(r, ARM_COUNT);
	u->exposed_at = gendemo_events_time_of_day(g, r, day);
}

/* Picks the exposed users and assigns each an arm, an exposure time and
 * whether they convert. Returns how many. */
static size_t gendemo_events_exposures(struct gendemo *g, const gsl_rng *r, uint32_t **out)
{
	size_t n = gendemo_events_choose(g, r, out), i;

	for (i = 0; i < n; i++)
		gendemo_events_expose(g, r, &g->users[(*out)[i]]);
	gendemo_events_converters(g, r, *out, n);
	return n;
}

/* Splits the events among exposed users: two each at least (exposure and
 * room for a conversion), the rest in proportion to their activity. */
static unsigned *gendemo_events_split(const struct gendemo *g, const gsl_rng *r,
    const uint32_t *exposed, size_t n)
{
	unsigned *k = xcalloc(n, sizeof *k);
	double *w = xcalloc(n, sizeof *w);
	unsigned base = g->o.events >= 2 * n ? 2 : 1;
	size_t i;

	for (i = 0; i < n; i++)
		w[i] = gendemo_segments[g->users[exposed[i]].segment].activity;
	gsl_ran_multinomial(r, n, (unsigned)(g->o.events - base * n), w, k);
	for (i = 0; i < n; i++)
		k[i] += base;
	free(w);
	return k;
}

/* Time order; ties keep each user's own order. */
static int gendemo_events_cmp(const void *a, const void *b)
{
	const struct gendemo_event *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Moves last_active up to the user's last event. */
static void gendemo_events_touch_users(struct gendemo *g)
{
	size_t i;

	for (i = 0; i < g->n_events; i++) {
		struct gendemo_user *u = &g->users[g->events[i].user];
		int32_t day = (int32_t)datetime_floordiv(g->events[i].ts, 86400);

		if (day > u->last_active)
			u->last_active = day;
	}
}

/* Each user's revenue from conversions inside the window after exposure. */
static void gendemo_events_window(const struct gendemo *g, int64_t *revenue, bool *converted)
{
	size_t i;

	for (i = 0; i < g->n_events; i++) {
		const struct gendemo_event *e = &g->events[i];

		if (e->type != EV_PURCHASE && e->type != EV_REDEEM)
			continue;
		if (e->ts - g->users[e->user].exposed_at >= GENDEMO_WINDOW)
			continue;
		revenue[e->user] += e->amount;
		converted[e->user] = true;
	}
}

/* The per-arm statistics, recomputed from the events as an analyst would:
 * a conversion is a purchase or redemption within 14 days of exposure. */
static void gendemo_events_measure(struct gendemo *g)
{
	int64_t *revenue = xcalloc(g->o.users, sizeof *revenue);
	bool *converted = xcalloc(g->o.users, sizeof *converted);
	size_t i;

	gendemo_events_window(g, revenue, converted);
	for (i = 0; i < g->o.users; i++) {
		struct gendemo_arm *a = &g->arms[g->users[i].arm];

		if (!g->users[i].exposed)
			continue;
		a->users++;
		a->conversions += converted[i];
		a->revenue += revenue[i];
		a->revenue_sq += (uint64_t)(revenue[i] * revenue[i]);
	}
	free(revenue);
	free(converted);
}

/* Every exposed user's events, in the order users were chosen. */
static int gendemo_events_draw(struct gendemo *g, const gsl_rng *r, char **cause)
{
	uint32_t *exposed = NULL;
	unsigned *k;
	size_t n, i;

	n = gendemo_events_exposures(g, r, &exposed);
	if (n == 0) {
		*cause = xstrdup("no user signed up before the campaign ended; "
		    "try more --users");
		free(exposed);
		return -1;
	}
	k = gendemo_events_split(g, r, exposed, n);
	for (i = 0; i < n; i++)
		gendemo_events_user(g, r, exposed[i], k[i]);
	free(k);
	free(exposed);
	return 0;
}

int gendemo_events_make(struct gendemo *g, char **cause)
{
	gsl_rng *r;
	int rc;

	g->events = xcalloc(g->o.events, sizeof *g->events);
	if (g->o.events == 0)
		return 0;
	g->pick_hour = gsl_ran_discrete_preproc(N_HOURS, gendemo_events_hours);
	r = gendemo_random_stream(g->o.seed, STREAM_EVENTS);
	rc = gendemo_events_draw(g, r, cause);
	gsl_rng_free(r);
	if (rc != 0)
		return -1;
	qsort(g->events, g->n_events, sizeof *g->events, gendemo_events_cmp);
	gendemo_events_touch_users(g);
	gendemo_events_measure(g);
	return 0;
}

void gendemo_events_free(struct gendemo *g)
{
	if (g->pick_hour != NULL)
		gsl_ran_discrete_free(g->pick_hour);
	free(g->events);
}
