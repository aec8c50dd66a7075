/* Cleaning, measuring and drawing text that came from data files. */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "text.h"
#include "utf8.h"
#include "xmalloc.h"

#define TEXT_BAD UINT32_MAX

static bool text_is_utf8 = true;

void text_set_utf8(bool utf8)
{
	text_is_utf8 = utf8;
}

bool text_utf8(void)
{
	return text_is_utf8;
}

/* Decodes one UTF-8 sequence; *cp is TEXT_BAD for an invalid byte, which
 * then counts as one byte. Returns the bytes used (0 at the end). */
static size_t text_decode(const char *s, uint32_t *cp)
{
	size_t n;

	if (*s == '\0')
		return 0;
	if ((n = utf8_decode((const unsigned char *)s, SIZE_MAX, cp)) != 0)
		return n;
	*cp = TEXT_BAD;
	return 1;
}

/* Characters that must not reach the terminal as they are. */
static bool text_unsafe(uint32_t c)
{
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
		return true;
	if ((c >= 0x200e && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069) || c == 0xfeff)
		return true;
	return text_is_utf8 && wcwidth((wchar_t)c) < 0;
}

char *text_clean(const char *s)
{
	size_t cap = strlen(s) * 6 + 1, o = 0, n;
	char *out = xmalloc(cap);
	uint32_t c;

	while ((n = text_decode(s, &c)) != 0) {
		if (c == TEXT_BAD)
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", (unsigned char)*s);
		else if (text_unsafe(c))
			o += (size_t)snprintf(out + o, cap - o, c < 0x80 ? "\\x%02x" : "\\u%04x",
			    (unsigned)c);
		else if (c >= 0x80 && !text_is_utf8)
			out[o++] = '?';
		else {
			memcpy(out + o, s, n);
			o += n;
		}
		s += n;
	}
	out[o] = '\0';
	return out;
}

static int text_cp_width(uint32_t c)
{
	int w;

	if (c < 0x80 || !text_is_utf8)
		return 1;
	w = wcwidth((wchar_t)c);
	return w < 0 ? 1 : w;
}

int text_width(const char *clean)
{
	int w = 0;
	size_t n;
	uint32_t c;

	while ((n = text_decode(clean, &c)) != 0) {
		w += text_cp_width(c);
		clean += n;
	}
	return w;
}

/* Copies the columns [skip, skip + width) of s into buf; returns the
 * columns written and sets *more when text was left out on the right. A
 * wide character cut by the left edge becomes spaces. */
static int text_slice(const char *s, int skip, int width, char *buf, size_t *len, bool *more)
{
	int col = 0, out = 0;
	size_t n, o = 0;
	uint32_t c;

	*more = false;
	for (; (n = text_decode(s, &c)) != 0; s += n) {
		int w = text_cp_width(c);

		if (col + w <= skip) {
			col += w;
			continue;
		}
		if (out + w > width) {
			*more = true;
			break;
		}
		if (col < skip) {
			for (int i = col + w - skip; i > 0; i--)
				buf[o++] = ' ', out++;
		} else {
			memcpy(buf + o, s, n);
			o += n;
			out += w;
		}
		col += w;
	}
	*len = o;
	return out;
}

/* Drops characters from the end of buf until one column is free, then
 * appends an ellipsis; returns the new column count. */
static int text_add_ellipsis(char *buf, size_t *len, int cols, int width)
{
	const char *dots = text_is_utf8 ? "\xe2\x80\xa6" : "~";
	size_t o = *len;
	uint32_t c;

	while (o > 0 && cols + 1 > width) {
		size_t start = o - 1;

		while (start > 0 && ((unsigned char)buf[start] & 0xc0) == 0x80)
			start--;
		text_decode(buf + start, &c);
		cols -= buf[start] == ' ' ? 1 : text_cp_width(c);
		o = start;
	}
	memcpy(buf + o, dots, strlen(dots));
	*len = o + strlen(dots);
	return cols + 1;
}

bool text_starts_with_key(const char *s, int key)
{
	uint32_t c;

	if (key <= 0x20 || key == 0x7f || key > 0x10ffff || text_decode(s, &c) == 0)
		return false;
	if (c < 0x80 && key < 0x80)
		return tolower((int)c) == tolower(key);
	return c == (uint32_t)key;
}

char *text_clip(const char *clean, int width)
{
	size_t len;
	char *buf = xmalloc(strlen(clean) + 8);
	bool more;
	int cols;

	if (width < 1)
		width = 1;
	cols = text_slice(clean, 0, width, buf, &len, &more);
	if (more)
		text_add_ellipsis(buf, &len, cols, width);
	buf[len] = '\0';
	return buf;
}

char *text_fit(const char *raw, int width, enum text_align align)
{
	char *clean = text_clean(raw), *cut = text_clip(clean, width), *out;
	int pad = width - text_width(cut);

	pad = pad > 0 ? pad : 0;
	if (align == TEXT_RIGHT)
		out = xasprintf("%*s%s", pad, "", cut);
	else
		out = xasprintf("%s%*s", cut, pad, "");
	free(clean);
	free(cut);
	return out;
}

void text_put(WINDOW *w, int y, int x, const char *clean, int skip, int width,
    enum text_align align, bool ellipsis)
{
	size_t len;
	char *buf;
	int cols, pad;
	bool more;

	if (width <= 0)
		return;
	buf = xmalloc(strlen(clean) + (size_t)width + 8);
	cols = text_slice(clean, skip, width, buf, &len, &more);
	if (more && ellipsis)
		cols = text_add_ellipsis(buf, &len, cols, width);
	pad = width - cols;
	wmove(w, y, x);
	if (align == TEXT_RIGHT)
		for (int i = 0; i < pad; i++)
			waddch(w, ' ');
	waddnstr(w, buf, (int)len);
	if (align == TEXT_LEFT)
		for (int i = 0; i < pad; i++)
			waddch(w, ' ');
	free(buf);
}

void text_put_raw(WINDOW *w, int y, int x, const char *raw, int width, enum text_align align)
{
	char *clean = text_clean(raw);

	text_put(w, y, x, clean, 0, width, align, true);
	free(clean);
}
