/* JSON shapes of tables and column statistics. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "datetime.h"
#include "report.h"

cJSON *report_table_summary(const struct table *t)
{
	cJSON *o = cJSON_CreateObject(), *cols = cJSON_CreateArray(), *roles = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "dataset", t->name);
	if (t->path)
		cJSON_AddStringToObject(o, "path", t->path);
	cJSON_AddNumberToObject(o, "rows", (double)t->n_rows);
	for (size_t i = 0; i < t->n_cols; i++) {
		cJSON *c = cJSON_CreateObject();

		cJSON_AddStringToObject(c, "name", t->cols[i].name);
		cJSON_AddStringToObject(c, "type", col_type_name(t->cols[i].type));
		cJSON_AddNumberToObject(c, "missing", (double)t->cols[i].n_missing);
		cJSON_AddItemToArray(cols, c);
	}
	cJSON_AddItemToObject(o, "columns", cols);
	for (int r = 0; r < ROLE_COUNT; r++) {
		if (t->roles[r] >= 0)
			cJSON_AddStringToObject(roles, col_role_name(r), t->cols[t->roles[r]].name);
	}
	cJSON_AddItemToObject(o, "roles", roles);
	return o;
}

cJSON *report_cell(const struct column *c, size_t row)
{
	char buf[64];

	if (column_is_missing(c, row))
		return cJSON_CreateNull();
	if (c->masked)
		return cJSON_CreateString(REPORT_MASK);
	switch (c->type) {
	case COL_INT:
	case COL_FLOAT:
		return cJSON_CreateNumber(column_number(c, row));
	case COL_BOOL:
		return cJSON_CreateBool(c->v.b[row]);
	case COL_CATEGORY:
	case COL_TEXT:
		return cJSON_CreateString(column_str(c, row));
	default:
		column_format(c, row, buf, sizeof buf);
		return cJSON_CreateString(buf);
	}
}

size_t report_cell_text(const struct column *c, size_t row, char *buf, size_t size)
{
	if (!c->masked || column_is_missing(c, row) || size == 0)
		return column_format(c, row, buf, size);
	snprintf(buf, size, "%s", REPORT_MASK);
	return strlen(buf);
}

/* min / max of a date or datetime column, written as in the data: a
 * datetime at the offset of the row that holds it. */
static cJSON *report_time_value(const struct column *c, double v, size_t row)
{
	char buf[64];

	if (c->type == COL_DATE)
		datetime_format_date((int32_t)v, c->monthly, buf, sizeof buf);
	else
		datetime_format_datetime((int64_t)v, c->tz != NULL ? c->tz[row] : TZ_NONE, buf,
		    sizeof buf);
	return cJSON_CreateString(buf);
}

static void report_numeric_stats(cJSON *o, const struct column *c, const struct colstats *s)
{
	bool time = c->type == COL_DATE || c->type == COL_DATETIME;

	if (c->masked && s->count > 0) {
		cJSON_AddStringToObject(o, "min", REPORT_MASK);
		cJSON_AddStringToObject(o, "max", REPORT_MASK);
		return;
	}
	if (s->count == 0) {
		cJSON_AddNullToObject(o, "min");
		cJSON_AddNullToObject(o, "max");
		return;
	}
	cJSON_AddItemToObject(o, "min", time ? report_time_value(c, s->min, s->min_row) :
	    cJSON_CreateNumber(s->min));
	cJSON_AddItemToObject(o, "max", time ? report_time_value(c, s->max, s->max_row) :
	    cJSON_CreateNumber(s->max));
	if (time)
		return;
	cJSON_AddNumberToObject(o, "mean", s->mean);
	if (s->count > 1)
		cJSON_AddNumberToObject(o, "sd", s->sd);
	else
		cJSON_AddNullToObject(o, "sd");
}

cJSON *report_column_stats(const struct column *c, const struct colstats *s)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "name", c->name);
	cJSON_AddStringToObject(o, "type", col_type_name(c->type));
	cJSON_AddNumberToObject(o, "count", (double)s->count);
	cJSON_AddNumberToObject(o, "missing", (double)s->missing);
	cJSON_AddNumberToObject(o, "distinct", (double)s->distinct);
	if (!col_type_string(c->type))
		report_numeric_stats(o, c, s);
	if (col_type_string(c->type) || c->type == COL_BOOL) {
		cJSON *top = cJSON_CreateObject();

		if (s->top_count > 0) {
			cJSON_AddItemToObject(top, "value", report_cell(c, s->top_row));
			cJSON_AddNumberToObject(top, "count", (double)s->top_count);
		}
		cJSON_AddItemToObject(o, "top", s->top_count > 0 ? top : cJSON_CreateNull());
		if (s->top_count == 0)
			cJSON_Delete(top);
	}
	return o;
}

cJSON *report_rows(const struct table *t, size_t first, size_t n)
{
	cJSON *rows = cJSON_CreateArray();

	for (size_t r = first; r < first + n && r < t->n_rows; r++) {
		cJSON *o = cJSON_CreateObject();

		for (size_t i = 0; i < t->n_cols; i++)
			cJSON_AddItemToObject(o, t->cols[i].name, report_cell(&t->cols[i], r));
		cJSON_AddItemToArray(rows, o);
	}
	return rows;
}
