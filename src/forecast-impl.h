/* Pieces shared by the forecast*.c files only; other modules include
 * forecast.h. */
#ifndef CROSSMKT_FORECAST_IMPL_H
#define CROSSMKT_FORECAST_IMPL_H

#include "forecast.h"

/* Normal quantiles for the 80% and 95% intervals. */
#define FORECAST_Z80 1.2815515655446004
#define FORECAST_Z95 1.959963984540054

/* The model fits, one per file; each fills out and its points. */
int forecast_es_fit(const double *y, size_t n,
    const struct forecast_spec *spec, struct forecast_result *out,
    char **cause);
int forecast_hw_fit(const double *y, size_t n,
    const struct forecast_spec *spec, struct forecast_result *out,
    char **cause);
int forecast_theta_fit(const double *y, size_t n,
    const struct forecast_spec *spec, struct forecast_result *out,
    char **cause);
/* forecast-calib.c: rescales out's intervals to the model's errors at
 * rolling origins (out fitted by spec on y); leaves them when there are
 * too few errors. -1 only when cancelled. */
int forecast_calibrate(const double *y, size_t n, const struct forecast_spec *spec,
    struct forecast_result *out, char **cause);
/* forecast-damped.c: auto without a season, the pool or a trend model by
 * backtest; 1 when the series is too short for the backtest. */
int forecast_auto_trend(const double *y, size_t n, const struct forecast_spec *spec,
    struct forecast_result *out, char **cause);
/* Chooses between the pool and Holt-Winters by backtest (auto). */
int forecast_auto(const double *y, size_t n, const struct forecast_spec *spec,
    struct forecast_result *out, char **cause);
int forecast_linear_fit(const double *y, size_t n,
    const struct forecast_spec *spec, struct forecast_result *out,
    char **cause);

int forecast_mstl_fit(const double *y, size_t n,
    const struct forecast_spec *spec, struct forecast_result *out,
    char **cause);
int forecast_fourier_fit(const double *y, size_t n,
    const struct forecast_spec *spec, struct forecast_result *out,
    char **cause);

/* The seasons of spec (periods, else period) that n points cover: a
 * season enters when the history holds FORECAST_SEASON_COVER of its
 * length (and two lengths for one under a fortnight's). Writes up to
 * FORECAST_MAX_PERIODS lengths, shortest first; returns how many. */
#define FORECAST_SEASON_COVER 1.25
size_t forecast_periods(const struct forecast_spec *spec, size_t n,
    double *periods);
/* Adds a component of horizon values named name to r. */
void forecast_add_component(struct forecast_result *r, const char *name,
    const double *v);

/* auto on calendar data (several or fractional seasons, regressors). */
bool forecast_calendar_wanted(const struct forecast_spec *spec, size_t n);
int forecast_calendar_auto(const double *y, size_t n,
    const struct forecast_spec *spec, struct forecast_result *out,
    char **cause);

/* Classical decomposition (R's decompose) of y: writes the period seasonal
 * figures, normalised, aligned with y[0]. Needs n >= 2 * period. */
int forecast_decompose(const double *y, size_t n, size_t period, int mult,
    double *figure, double *trend);
/* thetaf's seasonality test: lag-period autocorrelation beyond the 90%
 * limit. */
int forecast_seasonality_test(const double *y, size_t n, size_t period);
/* Seasonal indices for multiplicative adjustment when the test passes and
 * the data allow it; 0 when no adjustment applies. */
int forecast_seasonal_index(const double *y, size_t n, size_t period,
    double *figure);

/* Allocates the arrays of out for n observations and spec's horizon. */
void forecast_result_alloc(struct forecast_result *out, size_t n,
    const struct forecast_spec *spec);
/* Sets a point from a mean and a forecast variance. */
void forecast_point_normal(struct forecast_point *p, double mean, double var);
/* Fills sse, sigma and aicc from the fitted values and k parameters. */
void forecast_result_stats(struct forecast_result *out, const double *y,
    size_t k);
/* Finds the minimum of f on [lo, hi] by a grid and golden section. */
double forecast_golden(double (*f)(double, void *), void *arg, double lo,
    double hi, double *fbest);

#endif
