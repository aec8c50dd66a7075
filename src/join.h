/* Hash join of two tables on one key column each.
 *
 * Ownership: join_run returns a new table in *out that the caller frees
 * with table_free (on error *out is left unset); it copies what it needs,
 * so the inputs stay the caller's and may be freed afterwards. req->cols
 * is only read. */
#ifndef CROSSMKT_JOIN_H
#define CROSSMKT_JOIN_H

#include <stddef.h>

#include "table.h"

enum join_how { JOIN_LEFT, JOIN_INNER };
/* What to do when the right side has several rows for one key. */
enum join_dup { JOIN_DUP_ERROR, JOIN_DUP_FIRST, JOIN_DUP_LAST, JOIN_DUP_ALL };

struct join_request {
	int left_key, right_key;
	enum join_how how;
	enum join_dup dup;
	const int *cols;        /* right columns to bring; NULL: all but the key */
	size_t n_cols;
};

struct join_stats {
	size_t matched;         /* left rows with a match */
	size_t unmatched;       /* left rows without one */
	size_t rows;            /* output rows */
};

/* Joins into a new table named name: the left columns, then the right
 * ones (a name taken already gets "_" and the right dataset's name
 * appended). Left row order is kept. Keys match by value: strings by
 * their text, numbers and dates by value; missing keys never match. */
int join_run(const struct table *l, const struct table *r, const struct join_request *req,
    const char *name, struct table **out, struct join_stats *stats, char **cause);

#endif
