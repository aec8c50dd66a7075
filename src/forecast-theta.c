/* Classical decomposition, the seasonality test and the Theta method as
 * R's forecast::thetaf: SES on the seasonally adjusted series plus a drift
 * of half the least-squares slope, reseasonalised (Hyndman & Billah 2003
 * show this equals the M3 Theta method). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "forecast-impl.h"
#include "xmalloc.h"

/* qnorm(0.95): the test is one-sided at 90% two-sided. */
#define THETA_Z90 1.6448536269514722

/* Centred moving average of order period (2 x period when even), as R's
 * filter(x, sides = 2); NAN where it does not reach. */
static void theta_trend(const double *y, size_t n, size_t m, double *trend)
{
	size_t half = m / 2;
	double w;

	for (size_t i = 0; i < n; i++) {
		trend[i] = NAN;
		if (i < half || i + half >= n)
			continue;
		trend[i] = 0;
		for (size_t k = 0; k <= 2 * half; k++) {
			w = (m % 2 == 0 && (k == 0 || k == 2 * half)) ? 0.5 : 1;
			trend[i] += w * y[i + k - half];
		}
		trend[i] /= (double)m;
	}
}

int forecast_decompose(const double *y, size_t n, size_t m, int mult,
    double *figure, double *trend)
{
	double sum, mean = 0;
	size_t cnt;

	if (m < 2 || n < 2 * m)
		return -1;
	theta_trend(y, n, m, trend);
	for (size_t j = 0; j < m; j++) {
		sum = 0;
		cnt = 0;
		for (size_t i = j; i < n; i += m) {
			if (isnan(trend[i]))
				continue;
			sum += mult ? y[i] / trend[i] : y[i] - trend[i];
			cnt++;
		}
		figure[j] = sum / (double)cnt;
		mean += figure[j] / (double)m;
	}
	for (size_t j = 0; j < m; j++)
		figure[j] = mult ? figure[j] / mean : figure[j] - mean;
	for (size_t j = 0; j < m; j++) {
		if (!isfinite(figure[j]))
			return -1;
	}
	return 0;
}

static int theta_constant(const double *y, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		if (y[i] != y[0])
			return 0;
	}
	return 1;
}

int forecast_seasonality_test(const double *y, size_t n, size_t m)
{
	double mean = 0, c0 = 0, ck, r, sum2 = 0;

	if (m < 2 || n <= 2 * m || theta_constant(y, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		mean += y[i] / (double)n;
	for (size_t i = 0; i < n; i++)
		c0 += (y[i] - mean) * (y[i] - mean);
	for (size_t k = 1; k <= m; k++) {
		ck = 0;
		for (size_t i = 0; i + k < n; i++)
			ck += (y[i] - mean) * (y[i + k] - mean);
		r = ck / c0;
		if (k < m)
			sum2 += r * r;
		else
			return fabs(r) / sqrt((1 + 2 * sum2) / (double)n) >
			    THETA_Z90;
	}
	return 0;
}

int forecast_seasonal_index(const double *y, size_t n, size_t m,
    double *figure)
{
	double *trend;
	int rc;

	if (!forecast_seasonality_test(y, n, m))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!(y[i] > 0))
			return 0;	/* multiplicative needs positive data */
	}
	trend = xreallocarray(NULL, n, sizeof *trend);
	rc = forecast_decompose(y, n, m, 1, figure, trend);
	free(trend);
	if (rc != 0)
		return 0;
	for (size_t j = 0; j < m; j++) {
		if (fabs(figure[j]) < 1e-4)
			return 0;	/* as thetaf: indices near zero */
	}
	return 1;
}

/* Half the least-squares slope of x on 0..n-1. */
static double theta_drift(const double *x, size_t n)
{
	double tm = (double)(n - 1) / 2, xm = 0, sxy = 0, sxx = 0;

	for (size_t i = 0; i < n; i++)
		xm += x[i] / (double)n;
	for (size_t i = 0; i < n; i++) {
		sxy += ((double)i - tm) * (x[i] - xm);
		sxx += ((double)i - tm) * ((double)i - tm);
	}
	return sxx > 0 ? sxy / sxx / 2 : 0;
}

/* The intervals are thetaf's: the adjusted series' SES variance around the
 * reseasonalised mean, not scaled by the seasonal index. */
static void theta_forecast(struct forecast_result *out, const double *fig,
    int seasonal, size_t n, int intervals)
{
	double a = fmax(1e-10, out->alpha), s = 1, mean, var;
	double shift = (1 - pow(1 - a, (double)n)) / a;
	size_t m = out->period;

	for (size_t h = 0; h < out->horizon; h++) {
		if (seasonal)
			s = fig[(n + h) % m];
		mean = out->level + out->trend * ((double)h + shift);
		var = intervals ? out->sigma * out->sigma * (1 + (double)h * a * a) : 0;
		forecast_point_normal(&out->points[h], mean * s, var);
	}
}

int forecast_theta_fit(const double *y, size_t n,
    const struct forecast_spec *spec, struct forecast_result *out,
    char **cause)
{
	struct forecast_spec ses = *spec;
	size_t m = spec->period > 1 ? spec->period : 1;
	double *fig = xcalloc(m, sizeof *fig), *x;
	double sigma;
	int seasonal;

	if (n < 3) {
		free(fig);
		*cause = xasprintf("Theta needs at least 3 points, got %zu", n);
		return -1;
	}
	seasonal = m > 1 && forecast_seasonal_index(y, n, m, fig);
	x = xreallocarray(NULL, n, sizeof *x);
	for (size_t i = 0; i < n; i++)
		x[i] = seasonal ? y[i] / fig[i % m] : y[i];
	ses.model = FORECAST_SES;
	ses.no_intervals = 1;
	if (forecast_es_fit(x, n, &ses, out, cause) != 0) {
		free(x);
		free(fig);
		return -1;
	}
	out->model = FORECAST_THETA;
	out->period = m;
	out->seasonal = seasonal;
	out->trend = theta_drift(x, n);
	sigma = out->sigma;
	for (size_t i = 0; i < n && seasonal; i++)
		out->fitted[i] *= fig[i % m];
	forecast_result_stats(out, y, 3);
	out->sigma = sigma;	/* on the adjusted scale, as thetaf's SES */
	theta_forecast(out, fig, seasonal, n, !spec->no_intervals);
	free(x);
	free(fig);
	return 0;
}
