/* Whole-table operations that make new tables: row selection and order.
 * Returned tables are owned by the caller. */
#ifndef CROSSMKT_TABLEOPS_H
#define CROSSMKT_TABLEOPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "table.h"

/* A copy of rows[0..n) of t, in that order, named name (roles kept). */
struct table *tableops_select(const struct table *t, const char *name, const size_t *rows, size_t n);
/* Copies column src's cells rows[0..n) into a new column of dst (which must
 * have n_rows == n) named name; a row of TABLEOPS_NO_ROW gives a missing
 * cell. */
#define TABLEOPS_NO_ROW SIZE_MAX
void tableops_copy_column(struct table *dst, const char *name, const struct column *src,
    const size_t *rows, size_t n);
/* Fills rows[0..n_rows) with the row order sorted by column col: a stable
 * sort, missing values last in either direction, strings by their UTF-8
 * bytes. */
void tableops_sort_order(const struct table *t, int col, bool desc, size_t *rows);
/* Compares two cells of one column (missing sorts after everything). */
int tableops_compare_cells(const struct column *c, size_t a, size_t b);
/* The bits of a present cell as a 64-bit key: equal keys, equal values
 * (-0.0 and 0.0 are one value; strings compare by dictionary code). */
uint64_t tableops_cell_key(const struct column *c, size_t row);
/* Appends cell src[row] as row i of dst, which has the same type (strings
 * are interned into dst's dictionary; offsets are kept). */
void tableops_set_cell(struct column *dst, size_t n_rows, size_t i, const struct column *src, size_t row);
/* A new dictionary with the same codes as d. */
struct dict *tableops_dict_clone(const struct dict *d);

#endif
