/* crossmkt-gendemo internals: the story's fixed tables, the generated world
 * and the functions that build and write it. Not a library interface.
 *
 * Ownership: struct gendemo owns every array and string that the _make
 * functions store in it; gendemo_items_free, gendemo_stores_free and
 * gendemo_events_free release theirs, and users is a single array for
 * free(). Generators from gendemo_random_stream belong to the caller, who
 * frees them with gsl_rng_free. */
#ifndef CROSSMKT_GENDEMO_H
#define CROSSMKT_GENDEMO_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "datetime.h"

#define GENDEMO_NAME "crossmkt-gendemo"
#define GENDEMO_CAMPAIGN "spring_combo"

enum { KIND_COURSE, KIND_DISH, KIND_COUPON };
enum { EV_VIEW, EV_CLICK, EV_PURCHASE, EV_REDEEM };
enum { ARM_CONTROL, ARM_COUPON, ARM_DISCOUNT, ARM_COUNT };
enum { PLAT_COURSE, PLAT_RESTAURANT, PLAT_BOTH, PLAT_COUNT };
enum { SEG_HEAVY, SEG_LIGHT, SEG_NEW, SEG_LEARNER, SEG_COUNT };
enum { STREAM_ITEMS = 1, STREAM_USERS, STREAM_STORES, STREAM_EVENTS, STREAM_DAILY };

#define N_TOPICS 6
#define N_BRANDS 5
#define N_DISHES 8			/* per brand */
#define N_COUPONS 6			/* per brand */
#define N_CITIES 6
#define N_AGES 5

/* Calendar of the story, as YYYYMMDD. */
#define GENDEMO_SNAPSHOT 20250531	/* users.csv describes users as of this day */
#define GENDEMO_CAMPAIGN_FROM 20250303
#define GENDEMO_CAMPAIGN_TO 20250427
#define GENDEMO_DAILY_FROM 20240101
#define GENDEMO_OUTAGE 20240814		/* tracking outage: dau and sessions lost */

#define GENDEMO_DISCOUNT_PCT 15		/* discount arm: 15% off the order */

/* A behavioural cluster of users; k-means should find these again. */
struct gendemo_segment {
	const char *name;
	double share;
	double platform[PLAT_COUNT];
	double age[N_AGES];
	double sessions, orders, courses;	/* Poisson means, last 90 days */
	int signup_from, signup_to;		/* YYYYMMDD */
	int idle_min, idle_max;			/* days since last activity */
	double activity;			/* relative share of campaign events */
	double convert;				/* control conversion probability */
};

struct gendemo_district {
	int city;
	const char *name, *shortname;
	int lat, lon;			/* micro-degrees */
};

/* Restaurant brands; topic is the course topic whose learners favour it. */
struct gendemo_brand {
	const char *name, *shortname, *tags;
	int topic;
	double aov;			/* typical order, yuan */
	const char *dishes[N_DISHES];
	int prices[N_DISHES];		/* yuan */
};

/* Coupon kinds: threshold and amount off in yuan, or percent off. */
struct gendemo_coupon {
	const char *title, *tag;
	int threshold, off, pct;
};

extern const struct gendemo_segment gendemo_segments[SEG_COUNT];
extern const struct gendemo_district gendemo_districts[];
extern const size_t gendemo_n_districts;
extern const char *const gendemo_cities[N_CITIES];
extern const struct gendemo_brand gendemo_brands[N_BRANDS];
extern const struct gendemo_coupon gendemo_coupons[N_COUPONS];
extern const char *const gendemo_arm_names[ARM_COUNT];

struct gendemo_item {
	int kind, topic, brand;		/* topic for courses, brand for the rest */
	char *title, *tags;
	int64_t price;			/* cents */
	int coupon;			/* index in gendemo_coupons */
	double popularity;
};

struct gendemo_user {
	uint8_t segment, platform, age, topic, brand, arm;
	uint8_t nick_style, nick_adj, nick_noun, nick_num;
	uint16_t district;
	int32_t lat, lon;
	int32_t signup, last_active;	/* days since 1970-01-01 */
	int32_t sessions, orders, courses;
	int64_t spend;			/* cents */
	bool exposed, converts;
	int64_t exposed_at;		/* local seconds since 1970-01-01 */
};

struct gendemo_event {
	int64_t ts;			/* local (+08:00) seconds since 1970-01-01 */
	uint32_t user, seq;
	int32_t amount;			/* cents */
	uint16_t item;
	uint8_t type, arm;
};

struct gendemo_store {
	int brand, district;
	char *name;
	int32_t lat, lon;
};

/* Per-arm sufficient statistics, in cents (sum) and cents squared. */
struct gendemo_arm {
	uint64_t users, conversions;
	int64_t revenue;
	uint64_t revenue_sq;
};

struct gendemo_opts {
	unsigned long seed, users, events, days;
	const char *out;
	unsigned only;			/* bit set of the file table; 0 = all */
};

#define GENDEMO_DEFAULTS { 42, 3000, 40000, 730, ".", 0 }

struct gendemo {
	struct gendemo_opts o;
	struct gendemo_item *items;
	size_t n_items;
	gsl_ran_discrete_t *pick_topic[N_TOPICS], *pick_brand[N_BRANDS];
	gsl_ran_discrete_t *pick_courses, *pick_dishes, *pick_hour;
	size_t first_dish, first_coupon;
	struct gendemo_user *users;
	struct gendemo_store *stores;
	size_t n_stores;
	struct gendemo_event *events;
	size_t n_events;
	struct gendemo_arm arms[ARM_COUNT];
	uint64_t segment_count[SEG_COUNT];
	uint64_t platform_count[PLAT_COUNT];
};

/* Days since 1970-01-01 of a YYYYMMDD constant. */
static inline int32_t gendemo_day(int ymd)
{
	return datetime_days_from_civil(ymd / 10000, ymd / 100 % 100, ymd % 100);
}

/* Yuan to cents, rounded half away from zero. */
static inline int64_t gendemo_cents(double yuan)
{
	return (int64_t)llround(yuan * 100.0);
}

/* gendemo-random.c */
/* A new generator for one dataset; streams differ so datasets are independent. */
gsl_rng *gendemo_random_stream(unsigned long seed, unsigned stream);
/* An index drawn from n weights, for a one-off draw. */
size_t gendemo_random_pick(const gsl_rng *r, const double *w, size_t n);
/* A day drawn uniformly between two YYYYMMDD dates, both included. */
int32_t gendemo_random_day(const gsl_rng *r, int from, int to);
/* A random district of a city, as an index in gendemo_districts. */
int gendemo_random_district(const gsl_rng *r, int city);
/* A point scattered around a district's centre, sigma in degrees. */
void gendemo_random_near(const gsl_rng *r, const struct gendemo_district *d, double sigma,
    int32_t *lat, int32_t *lon);

/* gendemo-items.c */
/* Builds the catalogue and the samplers used to pick what users look at. */
void gendemo_items_make(struct gendemo *g);
/* Frees the catalogue and its samplers. */
void gendemo_items_free(struct gendemo *g);

/* gendemo-stores.c */
/* Every brand in every city, and two more stores of random brands per city. */
void gendemo_stores_make(struct gendemo *g);
/* Frees the stores. */
void gendemo_stores_free(struct gendemo *g);

/* gendemo-users.c */
/* All --users users, from their own stream. */
void gendemo_users_make(struct gendemo *g);

/* gendemo-events.c */
/* The campaign's events in time order, exactly --events of them, and the
 * per-arm statistics; -1 with *cause when no user can be exposed. */
int gendemo_events_make(struct gendemo *g, char **cause);
/* Frees the events and the hour sampler. */
void gendemo_events_free(struct gendemo *g);

/* gendemo-write.c */
/* Writes cents as yuan with two decimals, without float printing. */
void gendemo_write_money(FILE *f, int64_t cents);
/* Writes a date as YYYY-MM-DD. */
void gendemo_write_date(FILE *f, int32_t days);
/* users.csv */
void gendemo_write_users(FILE *f, const struct gendemo *g);
/* items.csv */
void gendemo_write_items(FILE *f, const struct gendemo *g);
/* stores.csv */
void gendemo_write_stores(FILE *f, const struct gendemo *g);
/* events.csv */
void gendemo_write_events(FILE *f, const struct gendemo *g);
/* arms.csv: sufficient statistics per arm, revenue in yuan. */
void gendemo_write_arms(FILE *f, const struct gendemo *g);
/* Writes out/path atomically with emit(); -1 with *cause on an I/O error. */
int gendemo_write_file(const struct gendemo *g, const char *path,
    void (*emit)(FILE *, const struct gendemo *), char **cause);

/* gendemo-daily.c */
/* daily.csv: one row per day from 2024-01-01, from its own stream. */
void gendemo_daily_write(FILE *f, const struct gendemo *g);

/* gendemo-readme.c */
/* README.md: generated, so its figures are always those of the data. */
void gendemo_readme_write(FILE *f, const struct gendemo *g);

#endif
