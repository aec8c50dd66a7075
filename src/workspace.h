/* The named datasets of a session. The workspace owns its tables. */
#ifndef CROSSMKT_WORKSPACE_H
#define CROSSMKT_WORKSPACE_H

#include <stddef.h>

#include "table.h"

struct workspace {
	struct table **tables;
	size_t n_tables;
};

void workspace_init(struct workspace *ws);
void workspace_done(struct workspace *ws);
/* Registers t under t->name, taking ownership; a dataset of the same name
 * is replaced and freed. */
void workspace_put(struct workspace *ws, struct table *t);
/* The dataset named name, or NULL. */
struct table *workspace_get(const struct workspace *ws, const char *name);
/* Like workspace_get, but sets *cause to a message naming the datasets that
 * do exist when there is none. */
struct table *workspace_need(const struct workspace *ws, const char *name, char **cause);
/* Unregisters and frees; returns -1 when absent. */
int workspace_drop(struct workspace *ws, const char *name);

/* Borrowing, for a command that runs on another thread: dst (empty) gets
 * a table_borrow copy of every dataset of src. The two may then be read on
 * two threads at once; only the borrower may add, drop, rename or replace
 * datasets and columns, and neither may change the shared arrays in place
 * (appending rows waits until nothing borrows). */
void workspace_borrow(struct workspace *dst, const struct workspace *src);
/* Ends a borrowing that succeeded: ws takes the datasets of next (which is
 * left empty), and of its old datasets frees what next no longer holds. A
 * dataset that was borrowed keeps its address. */
void workspace_adopt(struct workspace *ws, struct workspace *next);
/* Ends a borrowing that is given up: frees borrowed except the arrays
 * owner still holds. */
void workspace_release(struct workspace *borrowed, const struct workspace *owner);

#endif
