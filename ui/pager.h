/* A scrolling list of text lines: the popups (help, results, column
 * statistics) and the result panes of the views. Lines are cleaned when
 * added, so any text may be given. */
#ifndef CROSSMKT_PAGER_H
#define CROSSMKT_PAGER_H

#include <stdbool.h>
#include <stddef.h>

#include "curses-wrap.h"
#include "tty.h"

struct pager;

/* An empty list titled title; the caller owns it. */
struct pager *pager_new(const char *title);
/* Frees p with its window; NULL is ignored. */
void pager_free(struct pager *p);
/* Appends a formatted line drawn with role. */
void pager_add(struct pager *p, enum tty_role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Appends a line that is already clean text. */
void pager_add_clean(struct pager *p, enum tty_role role, char *clean);
/* Appends text (cleaned) in lines of at most width columns, broken
 * between words. */
void pager_add_wrapped(struct pager *p, enum tty_role role, const char *text, int width);
/* The number of lines. */
size_t pager_count(const struct pager *p);
/* Puts the popup in its own panel at the given place (again after a
 * resize). */
void pager_place(struct pager *p, int y, int x, int rows, int cols);
/* The popup's panel, NULL before pager_place. */
PANEL *pager_panel(const struct pager *p);
/* Draws the popup if it changed. */
void pager_draw(struct pager *p);
/* Draws lines from scroll position (top, left) into an area of w. */
void pager_draw_into(const struct pager *p, WINDOW *w, int y, int x, int rows, int cols);
/* Handles a key; false when the key closes the popup. */
bool pager_key(struct pager *p, int key);

#endif
