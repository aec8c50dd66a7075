/* Haversine distances and a latitude sweep for the nearest store: stores
 * are sorted by latitude, and since a great-circle distance is never less
 * than R times the latitude difference, the search walks outwards from the
 * point's latitude and stops once that bound passes the best distance.
 * Candidates are compared by the haversine term, which grows with distance,
 * so the arcsine is only taken when the best changes. */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "cancel.h"
#include "geo.h"
#include "parallel.h"
#include "xmalloc.h"

#define GEO_RAD (M_PI / 180.0)
#define GEO_POINTS_PER_TASK 1024

struct geo_store {
	double lat, lon;        /* degrees, as given */
	double phi, cos_phi;    /* latitude in radians, and its cosine */
	size_t s;               /* index in the caller's arrays */
};

struct geo_ctx {
	const double *lat, *lon;
	size_t n, m;
	const struct geo_store *store;  /* by latitude, then index */
	size_t *nearest;
	double *km;
	const atomic_bool *cancel;
};

struct geo_best {
	double a;               /* haversine term */
	double km;
	size_t s;
};

static const double geo_band_lower[GEO_BAND_COUNT] = { 0, 1, 3, 5, 10 };
static const char *const geo_band_names[GEO_BAND_COUNT] = {
	"<1 km", "1-3 km", "3-5 km", "5-10 km", ">10 km"
};

/* a = sin^2(dphi / 2) + cos phi1 cos phi2 sin^2(dlambda / 2). */
static double geo_hav(double phi1, double cos1, double lon1, double phi2,
    double cos2, double lon2)
{
	double sp = sin((phi2 - phi1) / 2);
	double sl = sin((lon2 - lon1) * GEO_RAD / 2);

	return sp * sp + cos1 * cos2 * sl * sl;
}

static double geo_hav_km(double a)
{
	return 2 * GEO_EARTH_RADIUS_KM * asin(a < 1 ? sqrt(a) : 1);
}

double geo_distance_km(double lat1, double lon1, double lat2, double lon2)
{
	double p1 = lat1 * GEO_RAD, p2 = lat2 * GEO_RAD;

	return geo_hav_km(geo_hav(p1, cos(p1), lon1, p2, cos(p2), lon2));
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
			*cause = xasprintf("%s %zu: latitude %g is not in "
			    "[-90, 90]", what, i + 1, lat[i]);
		else if (!(lon[i] >= -180 && lon[i] <= 180))
			*cause = xasprintf("%s %zu: longitude %g is not in "
			    "[-180, 180]", what, i + 1, lon[i]);
		else
			continue;
		return -1;
	}
	return 0;
}

static int geo_cmp_store(const void *a, const void *b)
{
	const struct geo_store *x = a, *y = b;

	if (x->lat != y->lat)
		return x->lat < y->lat ? -1 : 1;
	return x->s < y->s ? -1 : x->s > y->s;
}

/* Stores ordered by latitude, then index, with their trigonometry. */
static struct geo_store *geo_sort_stores(const double *lat,
    const double *lon, size_t m)
{
	struct geo_store *st = xcalloc(m, sizeof *st);

	for (size_t s = 0; s < m; s++) {
		st[s].lat = lat[s];
		st[s].lon = lon[s];
		st[s].phi = lat[s] * GEO_RAD;
		st[s].cos_phi = cos(st[s].phi);
		st[s].s = s;
	}
	qsort(st, m, sizeof *st, geo_cmp_store);
	return st;
}

/* First position in the sorted stores with latitude at least lat. */
static size_t geo_lower_bound(const struct geo_ctx *ctx, double lat)
{
	size_t lo = 0, hi = ctx->m, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ctx->store[mid].lat < lat)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Considers a store for a point (phi, cos phi, lon); returns false once the
 * store, and so every store further out in latitude, is certainly farther
 * than the best so far. */
static bool geo_consider(const struct geo_store *st, double phi,
    double cos_phi, double lon, struct geo_best *b)
{
	double a;

	/* The margin keeps rounding in the bound from hiding an exact tie. */
	if (GEO_EARTH_RADIUS_KM * fabs(st->phi - phi) >
	    b->km * (1 + 1e-9) + 1e-9)
		return false;
	a = geo_hav(phi, cos_phi, lon, st->phi, st->cos_phi, st->lon);
	if (a < b->a || (a == b->a && st->s < b->s)) {
		b->a = a;
		b->s = st->s;
		b->km = geo_hav_km(a);
	}
	return true;
}

static void geo_nearest_one(const struct geo_ctx *ctx, size_t i)
{
	struct geo_best b = { HUGE_VAL, HUGE_VAL, 0 };
	double phi = ctx->lat[i] * GEO_RAD, cos_phi = cos(phi);
	size_t up, down;
	bool go_up = true, go_down = true;

	up = down = geo_lower_bound(ctx, ctx->lat[i]);
	while (go_up || go_down) {
		if (go_up)
			go_up = up < ctx->m && geo_consider(&ctx->store[up++],
			    phi, cos_phi, ctx->lon[i], &b);
		if (go_down)
			go_down = down > 0 && geo_consider(&ctx->store[--down],
			    phi, cos_phi, ctx->lon[i], &b);
	}
	ctx->nearest[i] = b.s;
	ctx->km[i] = b.km;
}

static void geo_nearest_task(void *arg, size_t t)
{
	struct geo_ctx *ctx = arg;
	size_t hi = (t + 1) * GEO_POINTS_PER_TASK;

	if (cancel_requested(ctx->cancel))
		return;
	for (size_t i = t * GEO_POINTS_PER_TASK; i < hi && i < ctx->n; i++)
		geo_nearest_one(ctx, i);
}

int geo_nearest(const double *lat, const double *lon, size_t n,
    const double *store_lat, const double *store_lon, size_t m,
    unsigned threads, const atomic_bool *cancel, size_t *nearest,
    double *km, char **cause)
{
	struct geo_ctx ctx = { lat, lon, n, m, NULL, nearest, km, cancel };
	struct geo_store *st;

	if (m == 0) {
		*cause = xasprintf("no stores to measure from");
		return -1;
	}
	if (geo_check("store", store_lat, store_lon, m, cause) != 0 ||
	    geo_check("point", lat, lon, n, cause) != 0)
		return -1;
	ctx.store = st = geo_sort_stores(store_lat, store_lon, m);
	parallel_run((n + GEO_POINTS_PER_TASK - 1) / GEO_POINTS_PER_TASK,
	    threads, geo_nearest_task, &ctx);
	free(st);
	return cancel_check(cancel, cause) ? -1 : 0;
}
