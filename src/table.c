/* The dataset model: typed columns, roles, cell access. */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "table.h"
#include "xmalloc.h"

static const char *const table_type_names[COL_TYPE_COUNT] = {
	"int", "float", "date", "datetime", "bool", "category", "text"
};
static const size_t table_type_widths[COL_TYPE_COUNT] = {
	sizeof(int64_t), sizeof(double), sizeof(int32_t), sizeof(int64_t),
	sizeof(uint8_t), sizeof(uint32_t), sizeof(uint32_t)
};
static const char *const table_role_names[ROLE_COUNT] = {
	"id", "user", "item", "time", "amount", "arm", "event", "campaign", "lat", "lon"
};

/* Column names that imply a role, compared ignoring case, '_', '-' and ' '.
 * Earlier entries win when several columns match one role. */
static const struct {
	enum col_role role;
	const char *name;
} table_role_names_inferred[] = {
	{ ROLE_ID, "id" },
	{ ROLE_USER, "userid" }, { ROLE_USER, "user" }, { ROLE_USER, "customerid" },
	{ ROLE_USER, "customer" }, { ROLE_USER, "uid" }, { ROLE_USER, "memberid" },
	{ ROLE_ITEM, "itemid" }, { ROLE_ITEM, "item" }, { ROLE_ITEM, "stockcode" },
	{ ROLE_ITEM, "productid" }, { ROLE_ITEM, "product" }, { ROLE_ITEM, "sku" },
	{ ROLE_TIME, "timestamp" }, { ROLE_TIME, "time" }, { ROLE_TIME, "ts" },
	{ ROLE_TIME, "eventtime" }, { ROLE_TIME, "datetime" }, { ROLE_TIME, "invoicedate" },
	{ ROLE_TIME, "createdat" }, { ROLE_TIME, "date" },
	{ ROLE_AMOUNT, "amount" }, { ROLE_AMOUNT, "revenue" }, { ROLE_AMOUNT, "spend" },
	{ ROLE_AMOUNT, "value" },
	{ ROLE_ARM, "arm" }, { ROLE_ARM, "variant" }, { ROLE_ARM, "treatment" },
	{ ROLE_ARM, "version" }, { ROLE_ARM, "group" },
	{ ROLE_EVENT, "event" }, { ROLE_EVENT, "eventtype" }, { ROLE_EVENT, "action" },
	{ ROLE_CAMPAIGN, "campaign" }, { ROLE_CAMPAIGN, "campaignid" },
	{ ROLE_LAT, "lat" }, { ROLE_LAT, "latitude" },
	{ ROLE_LON, "lon" }, { ROLE_LON, "lng" }, { ROLE_LON, "longitude" },
};

const char *col_type_name(enum col_type type)
{
	return table_type_names[type];
}

const char *col_role_name(enum col_role role)
{
	return table_role_names[role];
}

int col_role_parse(const char *name)
{
	for (int r = 0; r < ROLE_COUNT; r++) {
		if (strcmp(name, table_role_names[r]) == 0)
			return r;
	}
	return -1;
}

size_t col_type_width(enum col_type type)
{
	return table_type_widths[type];
}

bool col_type_numeric(enum col_type type)
{
	return type == COL_INT || type == COL_FLOAT || type == COL_BOOL;
}

bool col_type_string(enum col_type type)
{
	return type == COL_CATEGORY || type == COL_TEXT;
}

struct table *table_new(const char *name, const char *path)
{
	struct table *t = xcalloc(1, sizeof *t);

	t->name = xstrdup(name);
	t->path = path ? xstrdup(path) : NULL;
	for (int r = 0; r < ROLE_COUNT; r++)
		t->roles[r] = -1;
	return t;
}

static void table_column_done(struct column *c)
{
	free(c->name);
	if (c->borrowed)
		return;
	free(c->missing);
	free(c->v.raw);
	free(c->tz);
	dict_free(c->dict);
}

void table_truncate_columns(struct table *t, size_t n)
{
	while (t->n_cols > n)
		table_column_done(&t->cols[--t->n_cols]);
}

void table_free(struct table *t)
{
	if (t == NULL)
		return;
	table_truncate_columns(t, 0);
	free(t->cols);
	free(t->name);
	free(t->path);
	free(t);
}

struct table *table_borrow(const struct table *t)
{
	struct table *copy = table_new(t->name, t->path);

	copy->n_rows = t->n_rows;
	copy->n_cols = t->n_cols;
	copy->cols = xreallocarray(NULL, t->n_cols ? t->n_cols : 1, sizeof *copy->cols);
	for (size_t j = 0; j < t->n_cols; j++) {
		copy->cols[j] = t->cols[j];
		copy->cols[j].name = xstrdup(t->cols[j].name);
		copy->cols[j].borrowed = true;
	}
	memcpy(copy->roles, t->roles, sizeof copy->roles);
	copy->path_end = t->path_end;
	copy->path_end_line = t->path_end_line;
	copy->path_delim = t->path_delim;
	copy->source = t->source;
	copy->origin = t;
	return copy;
}

/* A column of n_rows zeroed values, taking name. */
static void table_column_init(struct column *c, char *name, enum col_type type, size_t n_rows)
{
	memset(c, 0, sizeof *c);
	c->name = name;
	c->type = type;
	c->v.raw = xcalloc(n_rows ? n_rows : 1, col_type_width(type));
	if (col_type_string(type))
		c->dict = dict_new();
}

struct column *table_add_column(struct table *t, const char *name, enum col_type type)
{
	t->cols = xreallocarray(t->cols, t->n_cols + 1, sizeof *t->cols);
	table_column_init(&t->cols[t->n_cols], xstrdup(name), type, t->n_rows);
	return &t->cols[t->n_cols++];
}

struct column *table_reset_column(struct table *t, size_t j, enum col_type type)
{
	char *name = xstrdup(t->cols[j].name);

	table_column_done(&t->cols[j]);
	table_column_init(&t->cols[j], name, type, t->n_rows);
	return &t->cols[j];
}

void table_adopt_column(struct table *t, struct column *c, char *name)
{
	t->cols = xreallocarray(t->cols, t->n_cols + 1, sizeof *t->cols);
	t->cols[t->n_cols] = *c;
	t->cols[t->n_cols++].name = name;
}

void column_replace_strings(struct column *c, uint32_t *codes, struct dict *d)
{
	if (!c->borrowed) {
		free(c->v.raw);
		free(c->tz);
		dict_free(c->dict);
	}
	c->v.codes = codes;
	c->dict = d;
	c->tz = NULL;
	c->monthly = false;
	if (c->type != COL_CATEGORY)
		c->type = COL_TEXT;
}

int table_find_column(const struct table *t, const char *name)
{
	for (size_t i = 0; i < t->n_cols; i++) {
		if (strcmp(t->cols[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

char *table_column_names(const struct table *t, const char *sep)
{
	const char **names = xmalloc((t->n_cols + 1) * sizeof *names);
	char *s;

	for (size_t i = 0; i < t->n_cols; i++)
		names[i] = t->cols[i].name;
	s = xstrjoin(names, t->n_cols, sep);
	free(names);
	return s;
}

/* Compares a column name with a role key, ignoring case and separators. */
static bool table_name_matches(const char *name, const char *key)
{
	for (;; name++) {
		if (*name == '_' || *name == '-' || *name == ' ')
			continue;
		if (tolower((unsigned char)*name) != *key)
			return false;
		if (*key++ == '\0')
			return true;
	}
}

void table_infer_roles(struct table *t)
{
	bool fixed[ROLE_COUNT];

	for (int r = 0; r < ROLE_COUNT; r++)
		fixed[r] = t->roles[r] >= 0;
	for (size_t k = 0; k < sizeof table_role_names_inferred / sizeof table_role_names_inferred[0]; k++) {
		enum col_role r = table_role_names_inferred[k].role;

		if (fixed[r] || t->roles[r] >= 0)
			continue;
		for (size_t i = 0; i < t->n_cols; i++) {
			if (table_name_matches(t->cols[i].name, table_role_names_inferred[k].name)) {
				t->roles[r] = (int)i;
				break;
			}
		}
	}
}

size_t table_bytes(const struct table *t)
{
	size_t n = sizeof *t + t->n_cols * sizeof *t->cols;

	for (size_t i = 0; i < t->n_cols; i++) {
		const struct column *c = &t->cols[i];

		n += t->n_rows * col_type_width(c->type);
		if (c->missing)
			n += (t->n_rows + 63) / 64 * sizeof(uint64_t);
		if (c->tz)
			n += t->n_rows * sizeof(int16_t);
		if (c->dict)
			n += dict_bytes(c->dict);
	}
	return n;
}

void column_set_missing(struct column *c, size_t n_rows, size_t row)
{
	if (c->missing == NULL)
		c->missing = xcalloc((n_rows + 63) / 64, sizeof(uint64_t));
	if (!column_is_missing(c, row)) {
		c->missing[row / 64] |= (uint64_t)1 << (row % 64);
		c->n_missing++;
	}
}

double column_number(const struct column *c, size_t row)
{
	switch (c->type) {
	case COL_INT:
	case COL_DATETIME:
		return (double)c->v.i64[row];
	case COL_FLOAT:
		return c->v.f64[row];
	case COL_DATE:
		return c->v.days[row];
	case COL_BOOL:
		return c->v.b[row];
	default:
		return 0.0;
	}
}

/* Shortest %g form that reads back as the same double; a value that is
 * not a finite number is written empty, as a missing one. */
static size_t table_format_double(double x, char *buf, size_t size)
{
	int n = 0;

	if (!isfinite(x))
		return 0;

	for (int prec = 15; prec <= 17; prec++) {
		n = snprintf(buf, size, "%.*g", prec, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	return n < 0 ? 0 : (size_t)n;
}

size_t column_format(const struct column *c, size_t row, char *buf, size_t size)
{
	int n;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	if (column_is_missing(c, row))
		return 0;
	switch (c->type) {
	case COL_INT:
		n = snprintf(buf, size, "%lld", (long long)c->v.i64[row]);
		return n < 0 ? 0 : (size_t)n;
	case COL_FLOAT:
		return table_format_double(c->v.f64[row], buf, size);
	case COL_DATE:
		return datetime_format_date(c->v.days[row], c->monthly, buf, size);
	case COL_DATETIME:
		return datetime_format_datetime(c->v.i64[row], c->tz ? c->tz[row] : TZ_NONE, buf, size);
	case COL_BOOL:
		n = snprintf(buf, size, "%s", c->v.b[row] ? "true" : "false");
		return n < 0 ? 0 : (size_t)n;
	case COL_CATEGORY:
	case COL_TEXT:
		n = snprintf(buf, size, "%s", column_str(c, row));
		return n < 0 ? 0 : (size_t)n;
	default:
		return 0;
	}
}
