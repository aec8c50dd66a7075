/* "Did you mean": the closest of a few names to a misspelt one. */
#ifndef CROSSMKT_SUGGEST_H
#define CROSSMKT_SUGGEST_H

#include <stddef.h>

/* The best candidate so far; found points into the caller's names. */
struct suggest {
	const char *name;
	size_t len;
	size_t best;
	const char *found;
};

/* Starts a search for the name closest to name[0..len). */
void suggest_init(struct suggest *s, const char *name, size_t len);
/* Offers a candidate: kept when it is within two edits (a change of ASCII
 * case is free), closer than any before and not shorter than the edits. */
void suggest_try(struct suggest *s, const char *candidate);

#endif
