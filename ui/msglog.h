/* The message log: the recent messages of the status line kept in full,
 * for a popup (C-p, as in VisiData) where none is cut. */
#ifndef CROSSMKT_MSGLOG_H
#define CROSSMKT_MSGLOG_H

#include <stdbool.h>
#include <time.h>

#include "pager.h"

/* Messages kept; older ones are dropped. */
#define MSGLOG_MAX 200

struct msglog;

/* An empty log; the caller owns it. */
struct msglog *msglog_new(void);
/* Frees l; NULL is ignored. */
void msglog_free(struct msglog *l);
/* Keeps a copy of a clean message shown at when (the same text again
 * right after itself is kept once). */
void msglog_add(struct msglog *l, const char *clean, bool error, time_t when);
/* A popup listing the messages, oldest first, wrapped to width columns
 * (the caller owns it). */
struct pager *msglog_pager(const struct msglog *l, int width);

#endif
