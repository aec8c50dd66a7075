/* UTF-8 decoding, the one place the program reads its sequences: what the
 * CSV loader, expressions, batch output, content tokens and the console
 * accept as valid is decided here. */
#ifndef CROSSMKT_UTF8_H
#define CROSSMKT_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the sequence at s, of which len bytes may be read: returns its
 * length (1 to 4) with the code point in *cp, or 0 when the bytes there
 * are not valid UTF-8 (a stray continuation byte, a truncated or overlong
 * sequence, a surrogate, a code point past U+10FFFF). A NUL ends any
 * sequence, so NUL-terminated text may give SIZE_MAX for len. */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* The character position (from 1) of byte offset off in text, for error
 * messages that point into a line a person typed. */
size_t utf8_position(const char *text, size_t off);

#endif
