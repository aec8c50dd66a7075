/* Terminal set-up and tear-down, glyphs and attributes.
 *
 * Colour is never the only carrier of meaning: every role has a monochrome
 * attribute (bold, reverse, underline) that is kept when colour is added. */
#ifndef CROSSMKT_TTY_H
#define CROSSMKT_TTY_H

#include <stdbool.h>

#include "curses-wrap.h"

enum tty_role {
	TTY_NORMAL,
	TTY_TITLE,             /* program name in the tab bar */
	TTY_TAB,               /* the current tab */
	TTY_HEADER,            /* table headers, pane titles */
	TTY_CURSOR,            /* the selected row */
	TTY_KEY,               /* a key name in the footer */
	TTY_ERROR,             /* error messages */
	TTY_NOTICE,            /* confirmations and prompts */
	TTY_DIM,               /* missing values, hints */
	TTY_BORDER,
	TTY_BAR,               /* progress and chart marks */
	TTY_ROLE_COUNT
};

struct tty_glyphs {
	const char *asc, *desc;         /* sort direction */
	const char *select;             /* selected sidebar entry */
	const char *current;            /* dataset shown in the Data view */
	const char *missing;            /* missing cell */
	const char *bar_done, *bar_left;
	const char *sep;                /* between tabs */
	const char *const *blocks;      /* 8 levels for sparklines */
	bool braille;
};

/* Opens the terminal: locale, fallback terminal type, colours, ESCDELAY
 * and the signal handlers that restore it. Returns -1 with *cause when no
 * terminal could be opened. *hint is set when the terminal type was
 * replaced. */
int tty_init(char **hint, char **cause);
/* Restores the terminal; safe to call more than once. */
void tty_done(void);
/* The attribute of a role. */
attr_t tty_attr(enum tty_role role);
/* The glyphs for the locale: Unicode with UTF-8, ASCII otherwise. */
const struct tty_glyphs *tty_glyphs(void);
/* Lines and corners: Unicode box drawing with UTF-8 (whatever the
 * terminal type), the terminal's line-drawing set otherwise. */
enum tty_line { TTY_VLINE, TTY_HLINE, TTY_UL, TTY_UR, TTY_LL, TTY_LR };
/* Draws n of a line or corner glyph from (y, x), down or across. */
void tty_line(WINDOW *w, int y, int x, enum tty_line what, int n);
/* A box around the area of w. */
void tty_box(WINDOW *w, int y, int x, int rows, int cols);
/* The descriptor that becomes readable when SIGTERM or SIGHUP arrived. */
int tty_signal_fd(void);
/* Drains the signal pipe; returns the signal that asks the program to
 * end, or 0. */
int tty_signal_read(void);

#endif
