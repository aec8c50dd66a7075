/* Command results (cJSON trees) as readable text: scalars as "key: value"
 * lines, arrays of objects as aligned tables. */
#ifndef CROSSMKT_RESULT_H
#define CROSSMKT_RESULT_H

#include <cjson/cJSON.h>

#include "pager.h"

/* Appends the text of r to p. */
void result_render(struct pager *p, const cJSON *r);
/* A one-line summary of a result for the status line (new string). */
char *result_summary(const char *command, const cJSON *r);
/* A scalar as text: numbers as numfmt formats them for their key, null as the missing glyph
 * (new string, not yet cleaned). */
char *result_scalar(const cJSON *v);
/* Any value as one line: a scalar as result_scalar, an array's items
 * joined with ", ", "value (count)" for a top value, else an object's
 * "key=value" pairs (new string, not yet cleaned). */
char *result_cell(const cJSON *v);

#endif
