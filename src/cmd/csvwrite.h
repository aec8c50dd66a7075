/* Writing tables as CSV (RFC 4180: a field is quoted when it holds the
 * delimiter, a quote, CR or LF, and quotes inside are doubled; missing
 * cells are empty) or as a JSON array of row objects. */
#ifndef CROSSMKT_CSVWRITE_H
#define CROSSMKT_CSVWRITE_H

#include <stdint.h>
#include <stdio.h>

#include "table.h"

/* The columns cols[0..n_cols) of the rows where keep is NULL or keep[row]
 * is set. Returns the rows written; check ferror(f) for write errors. */
size_t csvwrite_table(FILE *f, const struct table *t, const int *cols, size_t n_cols,
    const uint8_t *keep);
size_t csvwrite_json(FILE *f, const struct table *t, const int *cols, size_t n_cols,
    const uint8_t *keep);

#endif
