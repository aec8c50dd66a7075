/* Shareable reports of command results: Markdown a marketer can paste,
 * or CSV a spreadsheet opens, rendered from the same JSON results that
 * batch mode prints.
 *
 * A result becomes a table of its plain fields ("field | value", nested
 * objects flattened as "roles.user") and one table per list of objects
 * (the rows of head, the columns of describe, the arms of a test), whose
 * columns are the keys in order of first appearance. A list whose objects
 * hold lists themselves (the groups of a by= test) gives one section per
 * object, headed by its first field ("platform = both"), with its own
 * fields and tables. Numbers read as numfmt formats them for their keys.
 *
 * Small groups are withheld: a listed object (a table row or a nested
 * object) with a size below min_group is not shown and the report says how
 * many were withheld. A size is a number under the key n, users or n_users,
 * or under a group_count column of the result's dataset. */
#ifndef CROSSMKT_REPORTFMT_H
#define CROSSMKT_REPORTFMT_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "workspace.h"

enum reportfmt_kind { REPORTFMT_JSON, REPORTFMT_MD, REPORTFMT_CSV };

struct reportfmt {
	FILE *f;
	enum reportfmt_kind kind;
	long min_group;                 /* 0: show every group */
	const struct workspace *ws;     /* for the datasets results name; may be NULL */
	size_t index;                   /* commands written so far */
};

/* "json", "md" (or "markdown"), "csv"; -1 when unknown. */
int reportfmt_parse(const char *name, enum reportfmt_kind *kind);
/* The report's heading: what was replayed and with which parameters. */
void reportfmt_begin(struct reportfmt *r, const char *source, const cJSON *params);
/* One command: its result (not consumed), or error when it failed. */
void reportfmt_command(struct reportfmt *r, const char *line, const cJSON *result, const char *error);

#endif
