/* Users: a behavioural cluster each, and what follows from it. */
#include "config.h"

#include <math.h>

#include "gendemo.h"
#include "xmalloc.h"

static const double gendemo_users_city_weights[N_CITIES] = { 22, 20, 16, 14, 14, 14 };

/* Activity counts and spend over the last 90 days, by segment and platform. */
static void gendemo_users_activity(struct gendemo_user *u, const gsl_rng *r)
{
	const struct gendemo_segment *s = &gendemo_segments[u->segment];
	double aov = gsl_ran_lognormal(r, log(65.0), 0.35);
	double course_price = gsl_ran_lognormal(r, log(190.0), 0.4);

	u->sessions = 1 + (int32_t)gsl_ran_poisson(r, s->sessions);
	u->orders = u->platform == PLAT_COURSE ? 0 : (int32_t)gsl_ran_poisson(r, s->orders);
	u->courses = u->platform == PLAT_RESTAURANT ? 0 :
	    (int32_t)gsl_ran_poisson(r, s->courses);
	u->spend = gendemo_cents(u->orders * aov + u->courses * course_price);
}

/* Nickname parts: playful, never a real-looking name. */
static void gendemo_users_nick(struct gendemo_user *u, const gsl_rng *r)
{
	u->nick_style = (uint8_t)gsl_rng_uniform_int(r, 2);
	u->nick_adj = (uint8_t)gsl_rng_uniform_int(r, 8);
	u->nick_noun = (uint8_t)gsl_rng_uniform_int(r, 8);
	u->nick_num = (uint8_t)gsl_rng_uniform_int(r, 100);
}

/* Where the user lives: a district of a city, a point near its centre. */
static void gendemo_users_place(struct gendemo_user *u, const gsl_rng *r)
{
	int city = (int)gendemo_random_pick(r, gendemo_users_city_weights, N_CITIES);

	u->district = (uint16_t)gendemo_random_district(r, city);
	gendemo_random_near(r, &gendemo_districts[u->district], 0.02, &u->lat, &u->lon);
}

/* Tastes: a favourite course topic, and a brand that often goes with it. */
static void gendemo_users_tastes(struct gendemo_user *u, const gsl_rng *r)
{
	size_t b;

	u->topic = (uint8_t)gsl_rng_uniform_int(r, N_TOPICS);
	u->brand = (uint8_t)gsl_rng_uniform_int(r, N_BRANDS);
	if (gsl_rng_uniform(r) < 0.5)
		return;
	for (b = 0; b < N_BRANDS; b++)
		if (gendemo_brands[b].topic == u->topic)
			u->brand = (uint8_t)b;
}

/* Sign-up day, and the last day seen: some idle days before the snapshot. */
static void gendemo_users_dates(struct gendemo_user *u, const gsl_rng *r)
{
	const struct gendemo_segment *s = &gendemo_segments[u->segment];
	int32_t snapshot = gendemo_day(GENDEMO_SNAPSHOT), idle;

	u->signup = gendemo_random_day(r, s->signup_from, s->signup_to);
	idle = s->idle_min + (int32_t)gsl_rng_uniform_int(r,
	    (unsigned long)(s->idle_max - s->idle_min + 1));
	u->last_active = snapshot - idle < u->signup ? u->signup : snapshot - idle;
}

/* One user: segment first, everything else follows from it. */
static void gendemo_users_draw(struct gendemo_user *u, const gsl_rng *r)
{
	double shares[SEG_COUNT];
	const struct gendemo_segment *s;
	size_t i;

	for (i = 0; i < SEG_COUNT; i++)
		shares[i] = gendemo_segments[i].share;
	u->segment = (uint8_t)gendemo_random_pick(r, shares, SEG_COUNT);
	s = &gendemo_segments[u->segment];
	u->platform = (uint8_t)gendemo_random_pick(r, s->platform, PLAT_COUNT);
	u->age = (uint8_t)gendemo_random_pick(r, s->age, N_AGES);
	gendemo_users_nick(u, r);
	gendemo_users_place(u, r);
	gendemo_users_tastes(u, r);
	gendemo_users_activity(u, r);
	gendemo_users_dates(u, r);
}

void gendemo_users_make(struct gendemo *g)
{
	gsl_rng *r = gendemo_random_stream(g->o.seed, STREAM_USERS);
	size_t i;

	g->users = xcalloc(g->o.users, sizeof *g->users);
	for (i = 0; i < g->o.users; i++) {
		gendemo_users_draw(&g->users[i], r);
		g->segment_count[g->users[i].segment]++;
		g->platform_count[g->users[i].platform]++;
	}
	gsl_rng_free(r);
}
