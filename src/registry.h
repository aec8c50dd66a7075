/* Named registries: an array of pointers to objects that have a `char
 * *name`, in the order they were put, the registry owning them. The
 * datasets of a workspace and the campaigns of a session are two.
 *
 * REGISTRY_DEFINE(P, R, T, ARRAY, COUNT, FREE, KIND, STATE, HINT) defines,
 * for a struct R holding `T **ARRAY` and `size_t COUNT`:
 *   void P_init(R *r), P_done(R *r)      empty; free every object (FREE)
 *   void P_put(R *r, T *t)               takes t; replaces (and frees) the
 *                                        object of the same name
 *   T *P_get(const R *r, const char *name)   or NULL
 *   T *P_need(const R *r, const char *name, char **cause)
 *       or NULL with *cause "no KIND named 'NAME' (STATE: a, b)", or
 *       "(none is STATE: use 'HINT')" when the registry is empty
 *   int P_drop(R *r, const char *name)   frees; -1 when absent
 * and declares nothing: the module's header declares what it exports. */
#ifndef CROSSMKT_REGISTRY_H
#define CROSSMKT_REGISTRY_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* The message of P_need from the n names there are. */
char *registry_missing(const char *kind, const char *name, const char *state, const char *hint,
    const char *const *names, size_t n);

#define REGISTRY_DEFINE(P, R, T, ARRAY, COUNT, FREE, KIND, STATE, HINT)			\
void P##_init(R *r)									\
{											\
	r->ARRAY = NULL;								\
	r->COUNT = 0;									\
}											\
											\
void P##_done(R *r)									\
{											\
	for (size_t i = 0; i < r->COUNT; i++)						\
		FREE(r->ARRAY[i]);							\
	free(r->ARRAY);									\
	P##_init(r);									\
}											\
											\
static ptrdiff_t P##_index(const R *r, const char *name)				\
{											\
	for (size_t i = 0; i < r->COUNT; i++) {						\
		if (strcmp(r->ARRAY[i]->name, name) == 0)				\
			return (ptrdiff_t)i;						\
	}										\
	return -1;									\
}											\
											\
void P##_put(R *r, T *t)								\
{											\
	ptrdiff_t i = P##_index(r, t->name);						\
											\
	if (i >= 0) {									\
		FREE(r->ARRAY[i]);							\
		r->ARRAY[i] = t;							\
		return;									\
	}										\
	r->ARRAY = xreallocarray(r->ARRAY, r->COUNT + 1, sizeof *r->ARRAY);		\
	r->ARRAY[r->COUNT++] = t;							\
}											\
											\
T *P##_get(const R *r, const char *name)						\
{											\
	ptrdiff_t i = P##_index(r, name);						\
											\
	return i < 0 ? NULL : r->ARRAY[i];						\
}											\
											\
T *P##_need(const R *r, const char *name, char **cause)				\
{											\
	T *t = P##_get(r, name);							\
	const char **names;								\
											\
	if (t != NULL)									\
		return t;								\
	names = xmalloc((r->COUNT + 1) * sizeof *names);				\
	for (size_t i = 0; i < r->COUNT; i++)						\
		names[i] = r->ARRAY[i]->name;						\
	*cause = registry_missing(KIND, name, STATE, HINT, names, r->COUNT);		\
	free(names);									\
	return NULL;									\
}											\
											\
int P##_drop(R *r, const char *name)							\
{											\
	ptrdiff_t i = P##_index(r, name);						\
											\
	if (i < 0)									\
		return -1;								\
	FREE(r->ARRAY[i]);								\
	memmove(&r->ARRAY[i], &r->ARRAY[i + 1],						\
	    (r->COUNT - (size_t)i - 1) * sizeof *r->ARRAY);				\
	r->COUNT--;									\
	return 0;									\
}

#endif
