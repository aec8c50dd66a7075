/* Shared between campaign.c (definitions, aggregates, one row per user)
 * and campaign-events.c (raw events). Not part of the module's interface. */
#ifndef CROSSMKT_CAMPAIGN_IMPL_H
#define CROSSMKT_CAMPAIGN_IMPL_H

#include <math.h>
#include <stdint.h>

#include "campaign.h"
#include "dict.h"
#include "table.h"

#define CAMPAIGN_NONE UINT32_MAX

/* A sum carried in two doubles (value hi + lo), so that sums of cents and
 * of their squares come out as a warehouse's exact ones, on every machine
 * alike (long double differs between them). */
struct campaign_dd {
	double hi, lo;
};

static inline void campaign_dd_add(struct campaign_dd *a, double x)
{
	double s = a->hi + x, bp = s - a->hi;

	a->lo += (a->hi - (s - bp)) + (x - bp);
	a->hi = s;
}

/* Adds x * y with the product's rounding error. */
static inline void campaign_dd_add_prod(struct campaign_dd *a, double x, double y)
{
	double p = x * y;

	campaign_dd_add(a, p);
	a->lo += fma(x, y, -p);
}

static inline double campaign_dd_value(const struct campaign_dd *a)
{
	return a->hi + a->lo;
}

/* The analysed units (users) before they are summed per arm. */
struct campaign_units {
	size_t n, cap;
	uint32_t *arm;          /* index in result order, control 0 */
	double *y, *x;          /* metric; covariate or views */
	uint32_t *group;        /* code in groups, or CAMPAIGN_NONE */
	struct dict *groups;    /* by= values; NULL without by= */
};

/* Dense codes for the values of any column (strings by their text, other
 * types by their written form), interned into d; CAMPAIGN_NONE where the
 * cell is missing or keep (when not NULL) is 0. */
uint32_t *campaign_codes(const struct column *c, size_t n_rows, const uint8_t *keep,
    struct dict *d);
/* Orders the arm values found (control first, then byte order) into
 * out->arms and sets order[code] to each value's index; checks control=. */
int campaign_arm_order(const struct campaign *c, const char *col, const struct dict *values,
    struct campaign_stats *out, uint32_t **order, char **cause);
/* target=: match[r] is 1 where the expression is true on row r of t (a
 * new array the caller frees), or NULL with *cause. */
uint8_t *campaign_target_rows(const char *target, const struct table *t, char **cause);
/* The value of a column cell written for a by= group. */
size_t campaign_cell_text(const struct column *c, size_t row, char *buf, size_t size);

void campaign_units_init(struct campaign_units *u, bool grouped);
void campaign_units_done(struct campaign_units *u);
void campaign_units_add(struct campaign_units *u, uint32_t arm, double y, double x,
    uint32_t group);
/* Applies cap=, sums the units per arm and group into out (whose arms
 * are set) and checks that every arm has users. */
int campaign_units_finish(const struct campaign *c, struct campaign_units *u,
    struct campaign_stats *out, char **cause);

/* 0 when every arm has users, else -1 with *cause naming the empty arm and
 * the users left out. */
int campaign_check_arms(const struct campaign_stats *out, char **cause);
/* metric=ctr: 0 when every arm has views. */
int campaign_check_views(const struct campaign_stats *out, char **cause);
/* The arguments that raw events do not combine (covariate= with pre=...). */
int campaign_check_events(const struct campaign *c, char **cause);

/* The same statistics computed by PostgreSQL (campaign-pg.c). */
int campaign_stats_pg(const struct campaign *c, const char *by, const atomic_bool *cancel,
    struct campaign_stats *out, char **cause);

/* Raw events: conversion, ctr, revenue, retention:N. */
int campaign_stats_events(const struct campaign *c, const struct workspace *ws,
    const struct table *t, const char *by, struct campaign_stats *out, char **cause);

#endif
