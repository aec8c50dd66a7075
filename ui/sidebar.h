/* The sidebar: datasets, segmentations and campaigns under their headings,
 * scrolled to keep the selected entry in sight, with marks where entries
 * are out of sight above or below. */
#ifndef CROSSMKT_SIDEBAR_H
#define CROSSMKT_SIDEBAR_H

#include <stdbool.h>

struct console;

/* Draws the sidebar into its region. */
void sidebar_draw(struct console *c);
/* A typed letter or digit selects the next entry whose name starts with
 * it (any case), after the selected one, wrapping; false when the key is
 * not one or no name matches. */
bool sidebar_jump(struct console *c, int key);

#endif
