/* Campaigns: an experiment defined on a loaded dataset, and the per-arm
 * sufficient statistics (users, conversions, sum, sum of squares, and the
 * covariate's sums) read from it.
 *
 * A campaign is a definition, not data: it names datasets and columns, and
 * campaign_stats reads them each time it is called, so reloading or
 * appending events changes the next result.
 *
 * Four sources:
 * - raw events (metric conversion, ctr, revenue or retention:N): a user is
 *   exposed at their first event that carries an arm value; a user seen in
 *   more than one arm is left out and counted as contaminated;
 * - one row per user (metric column:COL): every row is a unit;
 * - per-arm aggregates (aggregates=DATASET): the sums as a warehouse
 *   query exports them;
 * - a PostgreSQL table or query (pg=): events or one row per user, by the
 *   rules above, summed per arm by the database (campaign-pg.c).
 *
 * Ownership: a campaign owns its strings and alloc; struct campaigns owns
 * its campaigns; campaign_stats fills a struct that campaign_stats_done
 * frees. Functions returning int give 0, or -1 with *cause set to a message
 * the caller frees. */
#ifndef CROSSMKT_CAMPAIGN_H
#define CROSSMKT_CAMPAIGN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abtest.h"
#include "workspace.h"

enum campaign_kind {
	CAMPAIGN_CONVERSION,    /* purchase or redeem within the window */
	CAMPAIGN_CTR,           /* clicks per view within the window */
	CAMPAIGN_REVENUE,       /* amount of purchases and redeems in the window */
	CAMPAIGN_RETENTION,     /* any event on day N after exposure */
	CAMPAIGN_COLUMN         /* a column of a one-row-per-user dataset */
};

/* start= / end=: a date compares with the local day of the exposure, a
 * datetime with its instant. */
enum campaign_bound_kind { CAMPAIGN_BOUND_NONE, CAMPAIGN_BOUND_DATE, CAMPAIGN_BOUND_TIME };

struct campaign_bound {
	enum campaign_bound_kind kind;
	int32_t day;
	int64_t ms;
};

#define CAMPAIGN_WINDOW_DEFAULT (14 * 86400000LL)
#define CAMPAIGN_NSTAR_DEFAULT 5000.0
#define CAMPAIGN_ALPHA_DEFAULT 0.05

struct campaign {
	char *name;
	char *command;          /* the defining command line as typed */
	char *dataset;          /* raw data; NULL with aggregates */
	char *aggregates;       /* per-arm sums; NULL with raw data */
	char *arm;              /* arm column; NULL: the dataset's arm role */
	char *control;          /* NULL: the arm named "control" */
	enum campaign_kind kind;
	char *metric;           /* the metric as given: "conversion", "column:spend" */
	char *metric_col;       /* CAMPAIGN_COLUMN */
	int retention_day;      /* CAMPAIGN_RETENTION */
	char *target;           /* expression, or NULL */
	double *alloc;          /* expected shares in result arm order, or NULL */
	size_t n_alloc;
	double alpha;
	double nstar;           /* tuning of the confidence sequences */
	struct campaign_bound start, end;
	int64_t window;         /* ms after exposure */
	bool window_given;
	char *covariate;        /* per-user column, or NULL */
	int64_t pre;            /* ms before exposure for the covariate; 0: none */
	bool has_margin;
	double margin;          /* non-inferiority margin, metric units */
	char *users;            /* per-user attributes, or NULL */
	bool adjust_bh;         /* adjust=bh: Benjamini-Hochberg instead of Holm */
	bool has_cap;           /* cap=: outliers of a mean metric are capped */
	bool cap_pct;           /* cap is a percentile (cap=99%) */
	double cap;             /* the percentile, or the cap in metric units */
	long shared_revision;   /* of the shared file it was opened from or
	                           saved to; 0 for none */
	char *pg;               /* libpq service or connection string, or NULL */
	char *pg_table;         /* with pg: a table (schema.table) ... */
	char *pg_query;         /* ... or a query */
	bool pg_readonly;       /* connect with default_transaction_read_only */
	char *roles[ROLE_COUNT]; /* with pg: role columns given (user=, time=...) */
	int tz_minutes;         /* with pg: the local days' offset from UTC */
};

/* The campaigns of a session, in definition order. */
struct campaigns {
	struct campaign **v;
	size_t n;
};

/* One arm (of one group, with by=). Sums are of the per-user metric y and
 * of the covariate x; for ctr y is clicks and x views. The tests use mom,
 * the same sums taken about the cell's means, which keep the variances
 * exact for values far from zero. */
struct campaign_cell {
	double n;               /* users */
	double converters;      /* users whose metric is not 0 */
	double sum, sumsq;
	double xsum, xsumsq, xysum;
	struct abtest_cov_arm mom;
};

struct campaign_stats {
	bool binary;            /* a 0/1 metric: proportion tests */
	bool ratio;             /* ctr: sum / xsum, delta method */
	bool covariate;         /* xsum... hold a CUPED covariate */
	size_t n_arms;          /* control first, then by value */
	char **arms;
	struct campaign_cell *total;    /* n_arms */
	size_t n_groups;        /* by= values, in byte order; 0 without by= */
	char **groups;
	struct campaign_cell *cells;    /* n_groups * n_arms, group-major */
	/* Units left out, and why. */
	size_t contaminated;    /* seen in more than one arm */
	size_t outside;         /* exposed outside start= / end= */
	size_t untargeted;      /* not matching target= */
	size_t too_recent;      /* retention:N: exposed under N days before the data end */
	size_t missing;         /* missing metric, covariate or by= value */
	/* cap=: the cap in metric units and the units it lowered. */
	bool capped;
	double cap_value;
	size_t n_capped;
};

void campaigns_init(struct campaigns *cs);
void campaigns_done(struct campaigns *cs);
/* Adds c, taking ownership; a campaign of the same name is replaced. */
void campaigns_put(struct campaigns *cs, struct campaign *c);
/* The campaign named name, or NULL. */
struct campaign *campaigns_get(const struct campaigns *cs, const char *name);
/* Like campaigns_get, with a message naming the campaigns there are. */
struct campaign *campaigns_need(const struct campaigns *cs, const char *name, char **cause);
/* Removes and frees; -1 when absent. */
int campaigns_drop(struct campaigns *cs, const char *name);

/* A campaign with the defaults (conversion, alpha 0.05, window 14 days,
 * N* 5000); the caller fills the rest. */
struct campaign *campaign_new(const char *name, const char *command);
void campaign_free(struct campaign *c);

/* metric=KIND: conversion, ctr, revenue, retention:N or column:COL. */
int campaign_parse_metric(struct campaign *c, const char *s, char **cause);
/* A duration such as 14d, 36h or 2w, above 0, in ms. */
int campaign_parse_duration(const char *key, const char *s, int64_t *ms, char **cause);
/* A date (YYYY-MM-DD) or a datetime. */
int campaign_parse_bound(const char *key, const char *s, struct campaign_bound *b,
    char **cause);
/* The metric in words for verdicts: "conversion", "day-7 retention", "spend". */
const char *campaign_metric_words(const struct campaign *c, char *buf, size_t size);

/* Reads the campaign's data: per-arm sums, overall and per value of the
 * column by (NULL for none). Every bad definition (unknown column or arm
 * value, a metric that does not fit the data, an arm without users) is an
 * error naming what is wrong. */
int campaign_stats(const struct campaign *c, const struct workspace *ws, const char *by,
    struct campaign_stats *out, char **cause);
/* The same, polling cancel (NULL for none) while a database computes them
 * (pg=): once it becomes true the query is cancelled and the call fails with
 * "cancelled". */
int campaign_stats_cancel(const struct campaign *c, const struct workspace *ws, const char *by,
    const atomic_bool *cancel, struct campaign_stats *out, char **cause);
void campaign_stats_done(struct campaign_stats *s);
/* For a pg= campaign: connects and checks the source and the columns the
 * definition names, without computing the statistics (campaign_stats
 * does, on the server). */
int campaign_check_pg(const struct campaign *c, char **cause);

#endif
