/* Seeded streams and the one-off draws shared by the datasets. */
#include "config.h"

#include <math.h>

#include "gendemo.h"

gsl_rng *gendemo_random_stream(unsigned long seed, unsigned stream)
{
	uint64_t z = (uint64_t)seed + 0x9e3779b97f4a7c15ULL * stream;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

	/* splitmix64 finaliser: nearby seeds give unrelated streams */
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	gsl_rng_set(r, (unsigned long)(z & 0xffffffffUL));
	return r;
}

size_t gendemo_random_pick(const gsl_rng *r, const double *w, size_t n)
{
	double total = 0, x;
	size_t i;

	for (i = 0; i < n; i++)
		total += w[i];
	x = gsl_rng_uniform(r) * total;
	for (i = 0; i + 1 < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

int32_t gendemo_random_day(const gsl_rng *r, int from, int to)
{
	int32_t a = gendemo_day(from), b = gendemo_day(to);

	return a + (int32_t)gsl_rng_uniform_int(r, (unsigned long)(b - a + 1));
}

int gendemo_random_district(const gsl_rng *r, int city)
{
	int first = -1, n = 0;
	size_t i;

	for (i = 0; i < gendemo_n_districts; i++) {
		if (gendemo_districts[i].city != city)
			continue;
		if (first < 0)
			first = (int)i;
		n++;
	}
	return first + (int)gsl_rng_uniform_int(r, (unsigned long)n);
}

void gendemo_random_near(const gsl_rng *r, const struct gendemo_district *d, double sigma,
    int32_t *lat, int32_t *lon)
{
	*lat = d->lat + (int32_t)lround(gsl_ran_gaussian(r, sigma) * 1e6);
	*lon = d->lon + (int32_t)lround(gsl_ran_gaussian(r, sigma) * 1e6);
}
