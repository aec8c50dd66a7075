/* What the named registries share beyond their macro: the message for a
 * name that is not there. */
#include "config.h"

#include <stdlib.h>

#include "registry.h"
#include "xmalloc.h"

char *registry_missing(const char *kind, const char *name, const char *state, const char *hint,
    const char *const *names, size_t n)
{
	char *list, *s;

	if (n == 0)
		return xasprintf("no %s named '%s' (none is %s: use '%s')", kind, name, state, hint);
	list = xstrjoin(names, n, ", ");
	s = xasprintf("no %s named '%s' (%s: %s)", kind, name, state, list);
	free(list);
	return s;
}
