/* Cancelling long computations. A caller passes a flag that another thread
 * may set (NULL: the work cannot be cancelled); engines poll it between
 * blocks of work and fail with the cause "cancelled". Once set, the flag
 * stays set until the call returns. */
#ifndef CROSSMKT_CANCEL_H
#define CROSSMKT_CANCEL_H

#include <stdatomic.h>
#include <stdbool.h>

#include "xmalloc.h"

/* Cheap units of work (rows, users, items) between polls: an atomic load
 * per block costs nothing next to the block. */
#define CANCEL_BLOCK 4096

static inline bool cancel_requested(const atomic_bool *flag)
{
	return flag != NULL && *flag;
}

/* True, with *cause set to "cancelled", once the flag is set. */
static inline bool cancel_check(const atomic_bool *flag, char **cause)
{
	if (!cancel_requested(flag))
		return false;
	*cause = xstrdup("cancelled");
	return true;
}

#endif
