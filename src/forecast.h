/* Forecasting engine on plain arrays of doubles: exponential smoothing
 * (simple, Holt, damped), Holt-Winters as R's stats::HoltWinters, the Theta
 * method as R's forecast::thetaf, linear trend regression, a combination and
 * an automatic choice by rolling-origin backtest.
 *
 * SES and Holt are non-seasonal; given a season length they run on the
 * series adjusted by classical multiplicative decomposition when thetaf's
 * seasonality test passes (as the M3 benchmarks did) and reseasonalise.
 *
 * Ownership: forecast_fit fills a caller-provided struct forecast_result
 * whose arrays and why string it allocates; forecast_result_done frees
 * them (a failed fit leaves nothing to free). Inputs are never kept.
 * Results never hold NaN: a fit that would is an error. forecast_accuracy
 * and forecast_backtest fill the caller's struct and allocate nothing it
 * must free; forecast_model_name returns a static string. */
#ifndef CROSSMKT_FORECAST_H
#define CROSSMKT_FORECAST_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

enum forecast_model {
	FORECAST_AUTO,
	FORECAST_SES,		/* simple exponential smoothing */
	FORECAST_HOLT,		/* Holt linear trend, damped when spec asks */
	FORECAST_HW_ADDITIVE,	/* Holt-Winters, additive seasonality */
	FORECAST_HW_MULTIPLICATIVE,
	FORECAST_THETA,		/* thetaf: SES with drift on adjusted data */
	FORECAST_LINEAR,	/* trend + season dummies + regressors */
	FORECAST_COMB,		/* median of SES, damped Holt, Theta and
				 * additive HW (when the data allow) */
	FORECAST_SNAIVE,	/* seasonal naive */
	FORECAST_MSTL,		/* seasons removed one at a time, the rest
				 * forecast by comb, the seasons added back */
	FORECAST_FOURIER,	/* Fourier terms per season, trend,
				 * regressors and ARMA errors */
	FORECAST_NMODELS
};

#define FORECAST_MAX_PERIODS 3

struct forecast_spec {
	enum forecast_model model;
	size_t period;		/* season length; 0 or 1 for none */
	size_t horizon;		/* points to forecast */
	int damped;		/* Holt and Holt-Winters: damped trend */
	/* Linear model only: nxreg regressors, row-major, n + horizon rows
	 * (the future rows are needed to forecast). */
	const double *xreg;
	size_t nxreg;
	unsigned long seed;	/* simulated intervals; 0: a fixed default */
	int no_intervals;	/* skip intervals (bounds = mean), for speed */
	int model_intervals;	/* auto: the model's own intervals, not
				 * calibrated on backtest errors (their growth
				 * with the horizon is the model's) */
	size_t origins;		/* auto: backtest origins; 0 means 3 */
	/* Holt-Winters only: when fixed is set, use these instead of
	 * fitting (phi only with damped), as HoltWinters(alpha = ...). */
	int fixed;
	double alpha, beta, gamma, phi;
	/* mstl and fourier: the seasons' lengths, which need not be whole
	 * (7 and 365.25 for daily data); none: period alone. */
	double periods[FORECAST_MAX_PERIODS];
	size_t nperiods;
	/* fourier: a name per regressor; regressors sharing a name form one
	 * component of the forecast. NULL: "xreg". */
	const char *const *xreg_names;
	/* Polled by backtests (per origin, auto's too); once set, they fail
	 * with "cancelled". NULL: not cancellable. */
	const atomic_bool *cancel;
};

struct forecast_point {
	double mean, lo80, hi80, lo95, hi95;
};

struct forecast_result {
	enum forecast_model model;	/* the model fitted (auto: chosen) */
	int damped;
	int seasonal;		/* seasonal component or adjustment used */
	size_t period;
	/* Smoothing parameters: SES and Holt in ets's error-correction form
	 * (beta <= alpha), Holt-Winters in R's form; unused ones 0, phi 1. */
	double alpha, beta, gamma, phi;

	/* Start values: Holt-Winters as R computes them; SES and Holt the
	 * fitted initial states. */
	double l_start, b_start;
	double *s_start;	/* period values */

	/* Final states: forecasts are built from these (Theta: trend is
	 * the drift, half the least-squares slope). */
	double level, trend;
	double *season;		/* period values, next point's phase first */

	/* Linear model: coefficients and their standard errors, in the order
	 * intercept, trend, season 2..period, regressors. */
	double *coef, *coef_se;
	size_t ncoef;

	double *fitted;		/* one-step fitted values for y[first..n-1] */
	size_t first, n;
	double sse;		/* sum of squared one-step errors */
	double sigma;		/* residual standard deviation (Theta: of the
				 * adjusted series, as thetaf) */
	double aicc;		/* Gaussian AICc of the one-step errors; not
				 * comparable with ets's state-space AICc */

	/* horizon points; the pool's bounds are the medians of its members'
	 * bounds, multiplicative HW's come from seeded simulation */
	struct forecast_point *points;
	size_t horizon;
	char *why;		/* auto: how the model was chosen, else NULL */

	/* mstl and fourier: what makes up each forecast mean, in the
	 * series' units: comp[c * horizon + h] is component c's part of
	 * point h (trend, then each season, then each named regressor).
	 * On a log scale (log set) a part is what the mean would lose
	 * without it. */
	size_t ncomp;
	char **comp_name;
	double *comp;
	int log;		/* fitted to log(y) */
};

/* Accuracy of a forecast against held-out values. */
struct forecast_accuracy {
	double mase;		/* scaled by in-sample seasonal naive MAE */
	double smape;		/* percent, 200/h sum |y-f|/(|y|+|f|) */
	double rmse;
	double mae;
};

/* Fits spec->model to y[0..n-1] and forecasts spec->horizon points. */
int forecast_fit(const double *y, size_t n, const struct forecast_spec *spec,
    struct forecast_result *out, char **cause);
/* Frees the arrays of a result and clears it. */
void forecast_result_done(struct forecast_result *r);

/* Compares forecasts f with actual values; train (n values) and period give
 * the MASE scale (lag 1 when the series is shorter than two periods). */
int forecast_accuracy(const double *train, size_t n, size_t period,
    const double *actual, const double *f, size_t h,
    struct forecast_accuracy *out, char **cause);
/* Rolling-origin backtest: refits spec at `origins` origins (0: 3), h /
 * origins apart, the last h points before the end, and averages the
 * accuracy of the h-step forecasts. */
int forecast_backtest(const double *y, size_t n,
    const struct forecast_spec *spec, size_t origins, size_t h,
    struct forecast_accuracy *out, char **cause);

/* Short name of a model ("ses", "hw-mult"...); never NULL. */
const char *forecast_model_name(enum forecast_model model);
/* Model for a short name; -1 when unknown. */
int forecast_model_find(const char *name);

#endif
