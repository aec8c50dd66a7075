/* Pieces shared by the forecast, backtest and uplift commands: the model
 * names users type, the arguments that pick and shape a series, and fits
 * as JSON. Every cJSON tree returned is new and owned by the caller. */
#ifndef CROSSMKT_TSCMD_H
#define CROSSMKT_TSCMD_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "command.h"
#include "forecast.h"
#include "holiday.h"
#include "series.h"

/* A model as the commands name it: hw-damped is additive Holt-Winters with
 * a damped trend. */
struct tscmd_model {
	enum forecast_model model;
	int damped;
};

/* The accepted names, for messages and help. */
#define TSCMD_MODEL_NAMES "auto, ses, holt, hw-add, hw-mul, hw-damped, theta, linear, combo, snaive, mstl, fourier"
#define TSCMD_MODEL_NAMES_BAR "auto|ses|holt|hw-add|hw-mul|hw-damped|theta|linear|combo|snaive|mstl|fourier"

/* Parses a model name (also the engine's hw-mult and comb); -1 with *cause
 * naming KEY=NAME when unknown. */
int tscmd_model_parse(const char *key, const char *name, struct tscmd_model *m, char **cause);
/* The name of a fitted model as the commands spell it. */
const char *tscmd_model_name(enum forecast_model model, int damped);

/* column=, time=, season=, fill= and seed=, resolved against a table. */
struct tscmd_input {
	int value_col, time_col;
	enum series_fill fill;
	long season;		/* -1: the period's usual season */
	unsigned long seed;
};

/* Finds the dataset the command names first (*t) and reads the series
 * arguments: 0, -1 or CMD_USAGE, with *cause. */
int tscmd_input_parse(const struct workspace *ws, const struct cmd_args *args,
    const struct table **t, struct tscmd_input *in, char **cause);
/* The season length to use for a series (1 for none). */
size_t tscmd_season(const struct tscmd_input *in, const struct series *s);
/* The series of all of t's rows, as in asks, and its season length. */
int tscmd_series(const struct table *t, const struct tscmd_input *in, struct series *s,
    size_t *season, char **cause);
/* Reads key=N as a whole number >= 1 into *out when present. */
int tscmd_arg_positive(const struct cmd_args *args, const char *key, long *out, char **cause);
/* Sets up an engine request. */
void tscmd_spec_init(struct forecast_spec *spec, const struct tscmd_model *m, size_t season,
    size_t horizon, unsigned long seed);
/* The seasons of the multi-season models: season=S alone when given,
 * else the period's: 7 and 365.25 days, 52.18 weeks, 12 months, 4
 * quarters. */
void tscmd_spec_seasons(struct forecast_spec *spec, const struct tscmd_input *in,
    const struct series *s);
/* holidays=DATASET and events=DATASET: the datasets, or NULL. */
struct tscmd_calendar {
	const struct table *holidays, *events;
};

/* Reads holidays= and events=; they need model auto, mstl, fourier or
 * linear. */
int tscmd_calendar_parse(const struct workspace *ws, const struct cmd_args *args,
    const struct tscmd_model *m, struct tscmd_calendar *cal, char **cause);
/* Gives spec the calendar's regressors for s, n points fitted and spec's
 * horizon; x holds them (holiday_xreg_done) for as long as spec is used.
 * Nothing to do without a calendar. */
int tscmd_calendar_apply(const struct tscmd_calendar *cal, const struct series *s, size_t n,
    struct forecast_spec *spec, struct holiday_xreg *x, char **cause);
/* forecast_fit, setting *cause only when it fails (the engine may leave
 * its cause pointer dangling after a fallback that succeeded). */
int tscmd_fit(const double *y, size_t n, const struct forecast_spec *spec,
    struct forecast_result *out, char **cause);
/* hw-mul needs y[0..n-1] > 0: -1 with *cause naming the first date that
 * is not. */
int tscmd_check_positive(const struct series *s, size_t n, const struct tscmd_model *m,
    char **cause);

/* Adds model, params, aicc and (auto) why to o. */
void tscmd_add_fit(cJSON *o, const struct forecast_result *r);
/* Adds the forecast's components ([{name, values}], one value per point)
 * to o when the model has them. */
void tscmd_add_components(cJSON *o, const struct forecast_result *r);
/* {t, mean, lo80, hi80, lo95, hi95} for position pos. */
cJSON *tscmd_point(const struct series_clock *c, long pos, const struct forecast_point *p);
/* {mase, smape, rmse}. */
cJSON *tscmd_accuracy(const struct forecast_accuracy *a);
/* Adds the series' period, season length and points fitted to o. */
void tscmd_add_series(cJSON *o, const struct series *s, size_t season, size_t n_fit,
    enum series_fill fill);
/* -1 with *cause when any number in the tree is NaN or infinite (cJSON
 * would print null). */
int tscmd_check_finite(const cJSON *o, char **cause);
/* Ends a command: on rc 0 with only finite numbers, hands out over as
 * *result and returns 0; otherwise frees out and returns the error. */
int tscmd_result(int rc, cJSON *out, cJSON **result, char **cause);

#endif
