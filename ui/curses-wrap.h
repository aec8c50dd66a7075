/* The one place that includes the wide-character curses headers. */
#ifndef CROSSMKT_CURSES_WRAP_H
#define CROSSMKT_CURSES_WRAP_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#include <panel.h>

#endif
