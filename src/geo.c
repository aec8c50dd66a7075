/* Haversine distances and a latitude sweep for the nearest store: stores
 * are sorted by latitude, and since a great-circle distance is never less
 * than R times the latitude difference, the search walks outwards from the
 * point's latitude and stops once that bound passes the best distance. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "geo.h"
#include "parallel.h"
#include "xmalloc.h"

#define GEO_RAD (M_PI / 180.0)
#define GEO_POINTS_PER_TASK 1024

struct geo_ctx {
	const double *lat, *lon, *slat, *slon;
	size_t n, m;
	const size_t *order;    /* stores by latitude, then index */
	size_t *nearest;
	double *km;
};

static const double geo_band_lower[GEO_BAND_COUNT] = { 0, 1, 3, 5, 10 };
static const char *const geo_band_names[GEO_BAND_COUNT] = {
	"<1 km", "1-3 km", "3-5 km", "5-10 km", ">10 km"
};

double geo_distance_km(double lat1, double lon1, double lat2, double lon2)
{
	double p1 = lat1 * GEO_RAD, p2 = lat2 * GEO_RAD;
	double sp = sin((p2 - p1) / 2), sl = sin((lon2 - lon1) * GEO_RAD / 2);
	double a = sp * sp + cos(p1) * cos(p2) * sl * sl;

	return 2 * GEO_EARTH_RADIUS_KM * asin(a < 1 ? sqrt(a) : 1);
}

enum geo_band geo_band_of(double km)
{
	enum geo_band b = GEO_BAND_UNDER_1;

	for (int e = 1; e < GEO_BAND_COUNT; e++) {
		if (km >= geo_band_lower[e])
			b = (enum geo_band)e;
	}
	return b;
}

const char *geo_band_name(enum geo_band band)
{
	return band < GEO_BAND_COUNT ? geo_band_names[band] : "?";
}

static int geo_check(const char *what, const double *lat, const double *lon,
    size_t n, char **cause)
{
	for (size_t i = 0; i < n; i++) {
		if (!(lat[i] >= -90 && lat[i] <= 90))
			*cause = xasprintf("%s %zu: latitude %g is not in [-90, 90]",
			    what, i + 1, lat[i]);
		else if (!(lon[i] >= -180 && lon[i] <= 180))
			*cause = xasprintf("%s %zu: longitude %g is not in "
			    "[-180, 180]", what, i + 1, lon[i]);
		else
			continue;
		return -1;
	}
	return 0;
}

struct geo_key {
	double lat;
	size_t s;
};

static int geo_cmp_store(const void *a, const void *b)
{
	const struct geo_key *x = a, *y = b;

	if (x->lat != y->lat)
		return x->lat < y->lat ? -1 : 1;
	return x->s < y->s ? -1 : x->s > y->s;
}

/* Store indices ordered by latitude, then index. */
static size_t *geo_order_stores(const double *lat, size_t m)
{
	struct geo_key *key = xcalloc(m, sizeof *key);
	size_t *order = xcalloc(m, sizeof *order);

	for (size_t s = 0; s < m; s++)
		key[s] = (struct geo_key){ lat[s], s };
	qsort(key, m, sizeof *key, geo_cmp_store);
	for (size_t s = 0; s < m; s++)
		order[s] = key[s].s;
	free(key);
	return order;
}

/* First position in the sorted stores with latitude at least lat. */
static size_t geo_lower_bound(const struct geo_ctx *ctx, double lat)
{
	size_t lo = 0, hi = ctx->m, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ctx->slat[ctx->order[mid]] < lat)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Considers store s for point i; returns false once s, and so every store
 * further out in latitude, is certainly farther than the best so far. */
static int geo_consider(const struct geo_ctx *ctx, size_t i, size_t s,
    size_t *best, double *best_km)
{
	double bound, km;

	bound = GEO_EARTH_RADIUS_KM * fabs(ctx->slat[s] - ctx->lat[i]) * GEO_RAD;
	/* The margin keeps rounding in the bound from hiding an exact tie. */
	if (bound > *best_km * (1 + 1e-9) + 1e-9)
		return 0;
	km = geo_distance_km(ctx->lat[i], ctx->lon[i], ctx->slat[s],
	    ctx->slon[s]);
	if (km < *best_km || (km == *best_km && s < *best)) {
		*best_km = km;
		*best = s;
	}
	return 1;
}

static void geo_nearest_one(const struct geo_ctx *ctx, size_t i)
{
	size_t start = geo_lower_bound(ctx, ctx->lat[i]), up, down, best = 0;
	double best_km = HUGE_VAL;
	int go_up = 1, go_down = 1;

	for (up = start, down = start; go_up || go_down;) {
		if (go_up)
			go_up = up < ctx->m &&
			    geo_consider(ctx, i, ctx->order[up++], &best, &best_km);
		if (go_down)
			go_down = down > 0 &&
			    geo_consider(ctx, i, ctx->order[--down], &best, &best_km);
	}
	ctx->nearest[i] = best;
	ctx->km[i] = best_km;
}

static void geo_nearest_task(void *arg, size_t t)
{
	struct geo_ctx *ctx = arg;
	size_t hi = (t + 1) * GEO_POINTS_PER_TASK;

	for (size_t i = t * GEO_POINTS_PER_TASK; i < hi && i < ctx->n; i++)
		geo_nearest_one(ctx, i);
}

int geo_nearest(const double *lat, const double *lon, size_t n,
    const double *store_lat, const double *store_lon, size_t m,
    unsigned threads, size_t *nearest, double *km, char **cause)
{
	struct geo_ctx ctx = { lat, lon, store_lat, store_lon, n, m, NULL,
	    nearest, km };
	size_t *order;

	if (m == 0) {
		*cause = xasprintf("no stores to measure from");
		return -1;
	}
	if (geo_check("store", store_lat, store_lon, m, cause) != 0 ||
	    geo_check("point", lat, lon, n, cause) != 0)
		return -1;
	ctx.order = order = geo_order_stores(store_lat, m);
	parallel_run((n + GEO_POINTS_PER_TASK - 1) / GEO_POINTS_PER_TASK,
	    threads, geo_nearest_task, &ctx);
	free(order);
	return 0;
}
