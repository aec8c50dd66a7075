/* Untrusted text made safe and measured for the terminal. */
#ifndef CROSSMKT_TEXT_H
#define CROSSMKT_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "curses-wrap.h"

enum text_align { TEXT_LEFT, TEXT_RIGHT };

/* Chooses UTF-8 or ASCII output; call once after setlocale. */
void text_set_utf8(bool utf8);
/* True when the terminal takes UTF-8. */
bool text_utf8(void);
/* A newly allocated copy of s with control characters, invalid bytes and
 * direction overrides shown escaped (\x1b, \u202e); without UTF-8, other
 * non-ASCII characters become '?'. Idempotent. */
char *text_clean(const char *s);
/* Display columns of an already clean string. */
int text_width(const char *clean);
/* True when s starts with the character typed as key (ASCII letters in
 * any case): typing a letter jumps to the next name starting with it. */
bool text_starts_with_key(const char *s, int key);
/* A new copy of clean text cut to at most width columns, ending in an
 * ellipsis when something was left out: the one way text is cut. */
char *text_clip(const char *clean, int width);
/* Raw text cleaned, clipped as text_clip and padded with spaces to
 * exactly width columns (new string): a cell of a table drawn as lines. */
char *text_fit(const char *raw, int width, enum text_align align);
/* Draws clean text in exactly width columns at (y, x): the first skip
 * columns are left out, the rest is clipped (ending in an ellipsis when
 * ellipsis is set) and padded with spaces. */
void text_put(WINDOW *w, int y, int x, const char *clean, int skip, int width,
    enum text_align align, bool ellipsis);
/* text_clean then text_put, for text straight from data or files. */
void text_put_raw(WINDOW *w, int y, int x, const char *raw, int width, enum text_align align);

#endif
