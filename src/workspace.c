/* The dataset registry, in load order. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "workspace.h"
#include "xmalloc.h"

void workspace_init(struct workspace *ws)
{
	ws->tables = NULL;
	ws->n_tables = 0;
}

void workspace_done(struct workspace *ws)
{
	for (size_t i = 0; i < ws->n_tables; i++)
		table_free(ws->tables[i]);
	free(ws->tables);
	workspace_init(ws);
}

static ptrdiff_t workspace_index(const struct workspace *ws, const char *name)
{
	for (size_t i = 0; i < ws->n_tables; i++) {
		if (strcmp(ws->tables[i]->name, name) == 0)
			return (ptrdiff_t)i;
	}
	return -1;
}

void workspace_put(struct workspace *ws, struct table *t)
{
	ptrdiff_t i = workspace_index(ws, t->name);

	if (i >= 0) {
		table_free(ws->tables[i]);
		ws->tables[i] = t;
		return;
	}
	ws->tables = xreallocarray(ws->tables, ws->n_tables + 1, sizeof *ws->tables);
	ws->tables[ws->n_tables++] = t;
}

struct table *workspace_get(const struct workspace *ws, const char *name)
{
	ptrdiff_t i = workspace_index(ws, name);

	return i < 0 ? NULL : ws->tables[i];
}

struct table *workspace_need(const struct workspace *ws, const char *name, char **cause)
{
	struct table *t = workspace_get(ws, name);
	size_t len = 0;
	char *names;

	if (t != NULL)
		return t;
	if (ws->n_tables == 0) {
		*cause = xasprintf("no dataset named '%s' (none is loaded: use 'load NAME PATH')", name);
		return NULL;
	}
	for (size_t i = 0; i < ws->n_tables; i++)
		len += strlen(ws->tables[i]->name) + 2;
	names = xcalloc(1, len + 1);
	for (size_t i = 0; i < ws->n_tables; i++) {
		if (i > 0)
			strcat(names, ", ");
		strcat(names, ws->tables[i]->name);
	}
	*cause = xasprintf("no dataset named '%s' (loaded: %s)", name, names);
	free(names);
	return NULL;
}

int workspace_drop(struct workspace *ws, const char *name)
{
	ptrdiff_t i = workspace_index(ws, name);

	if (i < 0)
		return -1;
	table_free(ws->tables[i]);
	memmove(&ws->tables[i], &ws->tables[i + 1], (ws->n_tables - (size_t)i - 1) * sizeof *ws->tables);
	ws->n_tables--;
	return 0;
}
