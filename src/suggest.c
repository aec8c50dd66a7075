/* "Did you mean": edit distance over a list of candidate names. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "suggest.h"
#include "xmalloc.h"

#define SUGGEST_MAX_EDITS 2

/* Edit distance where a change of ASCII case is free. */
static size_t suggest_distance(const char *a, size_t la, const char *b)
{
	size_t lb = strlen(b), *row = xcalloc(lb + 1, sizeof *row), d;

	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], cost = strncasecmp(a + i - 1, b + j - 1, 1) != 0;

			row[j] = diag + cost;
			if (up + 1 < row[j])
				row[j] = up + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			diag = up;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

void suggest_init(struct suggest *s, const char *name, size_t len)
{
	s->name = name;
	s->len = len;
	s->best = SUGGEST_MAX_EDITS + 1;
	s->found = NULL;
}

void suggest_try(struct suggest *s, const char *candidate)
{
	size_t d = suggest_distance(s->name, s->len, candidate);

	if (d < s->best && d < strlen(candidate)) {
		s->best = d;
		s->found = candidate;
	}
}
