/* Restaurant stores: where each brand can be found. */
#include "config.h"

#include <stdlib.h>

#include "gendemo.h"
#include "xmalloc.h"

/* Adds a store of a brand in a district, numbering a second one there. */
static void gendemo_stores_add(struct gendemo *g, const gsl_rng *r, int brand, int district)
{
	const struct gendemo_district *d = &gendemo_districts[district];
	struct gendemo_store *s = &g->stores[g->n_stores];
	size_t i;
	int same = 0;

	for (i = 0; i < g->n_stores; i++)
		same += g->stores[i].brand == brand && g->stores[i].district == district;
	s->brand = brand;
	s->district = district;
	s->name = xasprintf("%s(%s%s店)", gendemo_brands[brand].shortname, d->shortname,
	    same == 0 ? "" : "二");
	gendemo_random_near(r, d, 0.012, &s->lat, &s->lon);
	g->n_stores++;
}

void gendemo_stores_make(struct gendemo *g)
{
	gsl_rng *r = gendemo_random_stream(g->o.seed, STREAM_STORES);
	int c, b;

	g->stores = xcalloc(N_CITIES * (N_BRANDS + 2), sizeof *g->stores);
	for (c = 0; c < N_CITIES; c++) {
		for (b = 0; b < N_BRANDS + 2; b++) {
			int brand = b < N_BRANDS ? b : (int)gsl_rng_uniform_int(r, N_BRANDS);

			gendemo_stores_add(g, r, brand, gendemo_random_district(r, c));
		}
	}
	gsl_rng_free(r);
}

void gendemo_stores_free(struct gendemo *g)
{
	size_t i;

	for (i = 0; i < g->n_stores; i++)
		free(g->stores[i].name);
	free(g->stores);
}
