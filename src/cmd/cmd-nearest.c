/* nearest DATASET stores=DATASET [lat=COL] [lon=COL] [store_lat=COL]
 * [store_lon=COL] [id=COL] [name=PREFIX] */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "geo.h"
#include "xmalloc.h"

static const char *const cmd_nearest_keys[] = { "stores", "lat", "lon", "store_lat",
	"store_lon", "id", "name", NULL };

/* The request; coordinates are copied out before any column is added, so
 * DATASET and the stores may be the same dataset. */
struct cmd_nearest {
	struct table *t;
	const struct table *st;
	int lat, lon, slat, slon, id;
	char *names[3];         /* PREFIX_km, PREFIX_id, PREFIX_band */
	size_t n, m, n_points;
	double *plat, *plon;    /* n_points rows with both coordinates */
	size_t *row;            /* n_points: their rows */
	double *store_lat, *store_lon; /* m */
	size_t *nearest;        /* n_points: store index */
	double *km;             /* n_points */
};

static void cmd_nearest_done(struct cmd_nearest *q)
{
	for (size_t j = 0; j < 3; j++)
		free(q->names[j]);
	free(q->plat);
	free(q->plon);
	free(q->row);
	free(q->store_lat);
	free(q->store_lon);
	free(q->nearest);
	free(q->km);
}

/* "a" or "an" before a type name. */
static const char *cmd_nearest_article(enum col_type type)
{
	return type == COL_INT ? "an" : "a";
}

/* KEY=COL, else the column of the role; int or float. */
static int cmd_nearest_coord(const struct table *t, const struct cmd_args *args,
    const char *key, enum col_role role, int *col, char **cause)
{
	const char *name = cmd_arg(args, key, NULL);
	const struct column *c;

	if (name != NULL)
		*col = cmd_need_column(t, name, cause);
	else if ((*col = t->roles[role]) < 0)
		*cause = xasprintf("'%s' has no %s column; give %s=COL", t->name,
		    col_role_name(role), key);
	if (*col < 0)
		return -1;
	c = &t->cols[*col];
	if (c->type == COL_INT || c->type == COL_FLOAT)
		return 0;
	*cause = xasprintf("%s=%s: '%s' is %s %s column, not a number", key, c->name, c->name,
	    cmd_nearest_article(c->type), col_type_name(c->type));
	return -1;
}

/* The stores' id: id=COL, else their id role, else their first column. */
static int cmd_nearest_id(struct cmd_nearest *q, const char *name, char **cause)
{
	if (name != NULL)
		q->id = cmd_need_column(q->st, name, cause);
	else
		q->id = q->st->roles[ROLE_ID] >= 0 ? q->st->roles[ROLE_ID] : 0;
	return q->id < 0 ? -1 : 0;
}

static int cmd_nearest_names(struct cmd_nearest *q, const char *prefix, char **cause)
{
	static const char *const suffix[] = { "km", "id", "band" };

	if (*prefix == '\0') {
		*cause = xstrdup("name=: give a prefix for the new columns");
		return -1;
	}

	for (size_t j = 0; j < 3; j++)
		q->names[j] = xasprintf("%s_%s", prefix, suffix[j]);
	for (size_t j = 0; j < 3; j++) {
		if (table_find_column(q->t, q->names[j]) >= 0) {
			*cause = xasprintf("'%s' has a column '%s' already; pick another prefix "
			    "with name=PREFIX", q->t->name, q->names[j]);
			return -1;
		}
	}
	return 0;
}

static int cmd_nearest_parse(struct cmd_ctx *ctx, struct cmd_nearest *q,
    const struct cmd_args *args, char **cause)
{
	if ((q->t = workspace_need(&ctx->ws, args->pos[0], cause)) == NULL ||
	    (q->st = workspace_need(&ctx->ws, cmd_arg(args, "stores", NULL), cause)) == NULL)
		return -1;
	if (cmd_nearest_coord(q->t, args, "lat", ROLE_LAT, &q->lat, cause) != 0 ||
	    cmd_nearest_coord(q->t, args, "lon", ROLE_LON, &q->lon, cause) != 0 ||
	    cmd_nearest_coord(q->st, args, "store_lat", ROLE_LAT, &q->slat, cause) != 0 ||
	    cmd_nearest_coord(q->st, args, "store_lon", ROLE_LON, &q->slon, cause) != 0 ||
	    cmd_nearest_id(q, cmd_arg(args, "id", NULL), cause) != 0)
		return -1;
	return cmd_nearest_names(q, cmd_arg(args, "name", "nearest"), cause);
}

/* Coordinates in range, or an error naming the dataset, column and row. */
static int cmd_nearest_check(const struct table *t, const struct column *la,
    const struct column *lo, size_t row, double lat, double lon, char **cause)
{
	if (!(lat >= -90 && lat <= 90))
		*cause = xasprintf("'%s' row %zu: %s %g is not a latitude in [-90, 90]", t->name,
		    row + 1, la->name, lat);
	else if (!(lon >= -180 && lon <= 180))
		*cause = xasprintf("'%s' row %zu: %s %g is not a longitude in [-180, 180]",
		    t->name, row + 1, lo->name, lon);
	else
		return 0;
	return -1;
}

/* Store coordinates; a store without both is an error. */
static int cmd_nearest_stores(struct cmd_nearest *q, char **cause)
{
	const struct column *la = &q->st->cols[q->slat], *lo = &q->st->cols[q->slon];

	q->m = q->st->n_rows;
	for (const struct column *c = la; c != NULL; c = c == la ? lo : NULL) {
		if (c->n_missing > 0) {
			*cause = xasprintf("stores '%s': '%s' has %zu missing value%s; filter them "
			    "out", q->st->name, c->name, c->n_missing, c->n_missing == 1 ? "" : "s");
			return -1;
		}
	}
	q->store_lat = xcalloc(q->m + 1, sizeof *q->store_lat);
	q->store_lon = xcalloc(q->m + 1, sizeof *q->store_lon);
	for (size_t s = 0; s < q->m; s++) {
		q->store_lat[s] = column_number(la, s);
		q->store_lon[s] = column_number(lo, s);
		if (cmd_nearest_check(q->st, la, lo, s, q->store_lat[s], q->store_lon[s],
		    cause) != 0)
			return -1;
	}
	return 0;
}

/* The rows with both coordinates; the others get missing cells. */
static int cmd_nearest_points(struct cmd_nearest *q, char **cause)
{
	const struct column *la = &q->t->cols[q->lat], *lo = &q->t->cols[q->lon];

	q->n = q->t->n_rows;
	q->plat = xcalloc(q->n + 1, sizeof *q->plat);
	q->plon = xcalloc(q->n + 1, sizeof *q->plon);
	q->row = xcalloc(q->n + 1, sizeof *q->row);
	for (size_t i = 0; i < q->n; i++) {
		if (column_is_missing(la, i) || column_is_missing(lo, i))
			continue;
		q->plat[q->n_points] = column_number(la, i);
		q->plon[q->n_points] = column_number(lo, i);
		if (cmd_nearest_check(q->t, la, lo, i, q->plat[q->n_points],
		    q->plon[q->n_points], cause) != 0)
			return -1;
		q->row[q->n_points++] = i;
	}
	q->nearest = xcalloc(q->n_points + 1, sizeof *q->nearest);
	q->km = xcalloc(q->n_points + 1, sizeof *q->km);
	return 0;
}

/* The store's id as text; NULL when it is missing. */
static const char *cmd_nearest_store_id(const struct cmd_nearest *q, size_t s, char *buf,
    size_t size)
{
	const struct column *c = &q->st->cols[q->id];

	if (column_is_missing(c, s))
		return NULL;
	if (col_type_string(c->type))
		return column_str(c, s);
	column_format(c, s, buf, size);
	return buf;
}

/* Fills row i of the new columns from measured point p. */
static void cmd_nearest_fill(const struct cmd_nearest *q, struct column *c, size_t p, size_t *bands)
{
	size_t i = q->row[p];
	enum geo_band b = geo_band_of(q->km[p]);
	const char *s = geo_band_name(b);
	char buf[64];

	c[0].v.f64[i] = q->km[p];
	bands[b]++;
	c[2].v.codes[i] = dict_intern(c[2].dict, s, strlen(s));
	if ((s = cmd_nearest_store_id(q, q->nearest[p], buf, sizeof buf)) != NULL)
		c[1].v.codes[i] = dict_intern(c[1].dict, s, strlen(s));
	else
		column_set_missing(&c[1], q->n, i);
}

/* Adds PREFIX_km, PREFIX_id and PREFIX_band, missing where a row has no
 * coordinates; counts rows per band. */
static void cmd_nearest_store(struct cmd_nearest *q, size_t *bands)
{
	size_t first = q->t->n_cols, p = 0;
	struct column *c;

	table_add_column(q->t, q->names[0], COL_FLOAT);
	table_add_column(q->t, q->names[1], COL_CATEGORY);
	table_add_column(q->t, q->names[2], COL_CATEGORY);
	c = &q->t->cols[first];
	c[1].masked = q->st->cols[q->id].masked;
	for (size_t i = 0; i < q->n; i++) {
		if (p < q->n_points && q->row[p] == i) {
			cmd_nearest_fill(q, c, p++, bands);
			continue;
		}
		for (size_t j = 0; j < 3; j++)
			column_set_missing(&c[j], q->n, i);
	}
}

static cJSON *cmd_nearest_result(const struct cmd_nearest *q, const size_t *bands)
{
	cJSON *o = cJSON_CreateObject(), *a, *b;
	double sum = 0;

	for (size_t p = 0; p < q->n_points; p++)
		sum += q->km[p];
	cJSON_AddStringToObject(o, "dataset", q->t->name);
	cJSON_AddStringToObject(o, "stores", q->st->name);
	cJSON_AddItemToObject(o, "columns", cJSON_CreateStringArray((const char *const *)q->names, 3));
	cJSON_AddNumberToObject(o, "rows", (double)q->n);
	cJSON_AddNumberToObject(o, "measured", (double)q->n_points);
	cJSON_AddNumberToObject(o, "missing", (double)(q->n - q->n_points));
	cJSON_AddItemToObject(o, "mean_km", q->n_points ?
	    cJSON_CreateNumber(sum / (double)q->n_points) : cJSON_CreateNull());
	a = cJSON_AddArrayToObject(o, "bands");
	for (int e = 0; e < GEO_BAND_COUNT; e++) {
		b = cJSON_CreateObject();
		cJSON_AddStringToObject(b, "band", geo_band_name((enum geo_band)e));
		cJSON_AddNumberToObject(b, "rows", (double)bands[e]);
		cJSON_AddNumberToObject(b, "share", q->n_points ?
		    (double)bands[e] / (double)q->n_points : 0);
		cJSON_AddItemToArray(a, b);
	}
	return o;
}

static int cmd_nearest_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	struct cmd_nearest q = { 0 };
	size_t bands[GEO_BAND_COUNT] = { 0 };
	int rc = -1;

	if (cmd_arg(args, "stores", NULL) == NULL) {
		*cause = xstrdup("give the stores with stores=DATASET");
		return CMD_USAGE;
	}
	if (cmd_nearest_parse(ctx, &q, args, cause) == 0 && cmd_nearest_stores(&q, cause) == 0 &&
	    cmd_nearest_points(&q, cause) == 0) {
		if (geo_nearest(q.plat, q.plon, q.n_points, q.store_lat, q.store_lon, q.m, 0,
		    ctx->cancel, q.nearest, q.km, cause) == 0) {
			cmd_nearest_store(&q, bands);
			*result = cmd_nearest_result(&q, bands);
			rc = 0;
		}
	}
	cmd_nearest_done(&q);
	return rc;
}

const struct cmd_entry cmd_nearest_entry = {
	.name = "nearest",
	.usage = "DATASET stores=DATASET [lat=COL] [lon=COL] [store_lat=COL] [store_lon=COL] "
	    "[id=COL] [name=PREFIX]",
	.help = "haversine distance to the nearest store, its id and a distance band "
	    "(<1, 1-3, 3-5, 5-10, >10 km) as new columns",
	.min_pos = 1, .max_pos = 1,
	.keys = cmd_nearest_keys,
	.exec = cmd_nearest_exec,
	.flags = CMD_CHANGES_DATA,
};
