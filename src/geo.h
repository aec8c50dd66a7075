/* Great-circle distances, nearest store and distance bands.
 *
 * Distances use the haversine formula on a sphere of the mean Earth radius
 * 6371.0088 km (the IUGG mean radius R1); coordinates are decimal degrees,
 * latitude in [-90, 90] and longitude in [-180, 180].
 *
 * Ownership: callers pass all arrays; nothing here allocates what it
 * returns. */
#ifndef CROSSMKT_GEO_H
#define CROSSMKT_GEO_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#define GEO_EARTH_RADIUS_KM 6371.0088

/* Distance bands by lower edge: [0, 1), [1, 3), [3, 5), [5, 10), [10, inf). */
enum geo_band {
	GEO_BAND_UNDER_1,
	GEO_BAND_1_3,
	GEO_BAND_3_5,
	GEO_BAND_5_10,
	GEO_BAND_OVER_10,
	GEO_BAND_COUNT
};

/* Haversine distance in km between two points. */
double geo_distance_km(double lat1, double lon1, double lat2, double lon2);
/* For each of n points, the nearest of m stores (lowest store index on a
 * tie) and its distance in km; returns 0, or -1 with *cause set. cancel
 * (NULL: none) is polled per block of points; once set, the call fails
 * with "cancelled" and nearest and km hold nothing usable. */
int geo_nearest(const double *lat, const double *lon, size_t n,
    const double *store_lat, const double *store_lon, size_t m,
    unsigned threads, const atomic_bool *cancel, size_t *nearest,
    double *km, char **cause);
/* The band a distance in km falls in. */
enum geo_band geo_band_of(double km);
/* Band name for display, such as "1-3 km". */
const char *geo_band_name(enum geo_band band);

#endif
