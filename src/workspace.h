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

#endif
