/* Results as JSON: the shapes that batch mode prints and the console
 * draws. Every function returns a new cJSON tree owned by the caller. */
#ifndef CROSSMKT_REPORT_H
#define CROSSMKT_REPORT_H

#include <cjson/cJSON.h>

#include "colstats.h"
#include "table.h"

/* {dataset, path, rows, columns: [{name, type, missing}], roles: {role: column}} */
cJSON *report_table_summary(const struct table *t);
/* {name, type, count, missing, distinct, min, max, mean, sd | top: {value, count}} */
cJSON *report_column_stats(const struct column *c, const struct colstats *s);
/* What a masked column shows for a present cell. */
#define REPORT_MASK "***"

/* A cell as a JSON value of its type: number, bool, string, or null when
 * missing; REPORT_MASK for a present cell of a masked column. */
cJSON *report_cell(const struct column *c, size_t row);

/* A cell as text for display: column_format's text, or REPORT_MASK for a
 * present cell of a masked column. Returns the length written. */
size_t report_cell_text(const struct column *c, size_t row, char *buf, size_t size);

/* Rows first..first+n of t as a list of {column: value} objects. */
cJSON *report_rows(const struct table *t, size_t first, size_t n);

#endif
