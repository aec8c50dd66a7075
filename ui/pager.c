/* Scrolling text popups. */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "pager.h"
#include "text.h"
#include "xmalloc.h"

struct pager_line {
	char *text;
	enum tty_role role;
};

struct pager {
	char *title;
	struct pager_line *lines;
	size_t n;
	int top, left;
	int widest;
	WINDOW *win;
	PANEL *pan;
	bool dirty;
};

struct pager *pager_new(const char *title)
{
	struct pager *p = xcalloc(1, sizeof *p);

	p->title = text_clean(title);
	p->dirty = true;
	return p;
}

void pager_free(struct pager *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n; i++)
		free(p->lines[i].text);
	free(p->lines);
	if (p->pan != NULL)
		del_panel(p->pan);
	if (p->win != NULL)
		delwin(p->win);
	free(p->title);
	free(p);
}

void pager_add_clean(struct pager *p, enum tty_role role, char *clean)
{
	int w = text_width(clean);

	p->lines = xreallocarray(p->lines, p->n + 1, sizeof *p->lines);
	p->lines[p->n].text = clean;
	p->lines[p->n++].role = role;
	if (w > p->widest)
		p->widest = w;
	p->dirty = true;
}

void pager_add(struct pager *p, enum tty_role role, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	pager_add_clean(p, role, text_clean(s));
	free(s);
}

void pager_add_wrapped(struct pager *p, enum tty_role role, const char *text, int width)
{
	char *s = text_clean(text), *line = xstrdup(""), *word, *save = NULL;

	for (word = strtok_r(s, " ", &save); word != NULL; word = strtok_r(NULL, " ", &save)) {
		char *n = xasprintf("%s%s%s", line, *line ? " " : "", word);

		if (*line && text_width(n) > width) {
			pager_add_clean(p, role, line);
			line = NULL;
			free(n);
			n = xstrdup(word);
		}
		free(line);
		line = n;
	}
	if (*line)
		pager_add_clean(p, role, line);
	else
		free(line);
	free(s);
}

size_t pager_count(const struct pager *p)
{
	return p->n;
}

void pager_place(struct pager *p, int y, int x, int rows, int cols)
{
	if (p->pan != NULL)
		del_panel(p->pan);
	if (p->win != NULL)
		delwin(p->win);
	p->win = newwin(rows, cols, y, x);
	p->pan = new_panel(p->win);
	p->dirty = true;
}

PANEL *pager_panel(const struct pager *p)
{
	return p->pan;
}

void pager_draw_into(const struct pager *p, WINDOW *w, int y, int x, int rows, int cols)
{
	for (int r = 0; r < rows; r++) {
		size_t i = (size_t)p->top + (size_t)r;

		if (i >= p->n) {
			wattrset(w, A_NORMAL);
			text_put(w, y + r, x, "", 0, cols, TEXT_LEFT, false);
			continue;
		}
		wattrset(w, tty_attr(p->lines[i].role));
		text_put(w, y + r, x, p->lines[i].text, p->left, cols, TEXT_LEFT, true);
	}
	wattrset(w, A_NORMAL);
}

static void pager_draw_frame(struct pager *p, int rows, int cols)
{
	char *hint;

	wattrset(p->win, tty_attr(TTY_BORDER));
	tty_box(p->win, 0, 0, rows, cols);
	wattrset(p->win, tty_attr(TTY_HEADER));
	text_put(p->win, 0, 2, p->title, 0, text_width(p->title) < cols - 4 ?
	    text_width(p->title) : cols - 4, TEXT_LEFT, true);
	hint = xasprintf(" %d-%d of %zu  Esc closes ", p->n ? p->top + 1 : 0,
	    p->top + rows - 2 < (int)p->n ? p->top + rows - 2 : (int)p->n, p->n);
	wattrset(p->win, tty_attr(TTY_DIM));
	if (text_width(hint) < cols - 4)
		text_put(p->win, rows - 1, cols - 2 - text_width(hint), hint, 0, text_width(hint),
		    TEXT_LEFT, false);
	wattrset(p->win, A_NORMAL);
	free(hint);
}

void pager_draw(struct pager *p)
{
	int rows, cols;

	if (p->win == NULL || !p->dirty)
		return;
	getmaxyx(p->win, rows, cols);
	pager_draw_frame(p, rows, cols);
	pager_draw_into(p, p->win, 1, 1, rows - 2, cols - 2);
	p->dirty = false;
}

/* Keeps the scroll position inside the text. */
static void pager_clamp(struct pager *p, int rows, int cols)
{
	int max_top = (int)p->n - rows, max_left = p->widest - cols;

	if (p->top > max_top)
		p->top = max_top;
	if (p->top < 0)
		p->top = 0;
	if (p->left > max_left)
		p->left = max_left;
	if (p->left < 0)
		p->left = 0;
}

/* Scroll keys: lines down (or whole pages when page is set) and columns
 * right; INT_MAX goes to the end. */
static const struct pager_move {
	int key;
	int down, right;
	bool page;
} pager_moves[] = {
	{ KEYS_FN(KEY_UP), -1, 0, false }, { 'k', -1, 0, false },
	{ KEYS_FN(KEY_DOWN), 1, 0, false }, { 'j', 1, 0, false },
	{ KEYS_FN(KEY_PPAGE), -1, 0, true }, { KEYS_CTRL('b'), -1, 0, true },
	{ KEYS_FN(KEY_NPAGE), 1, 0, true }, { ' ', 1, 0, true }, { KEYS_CTRL('f'), 1, 0, true },
	{ KEYS_FN(KEY_HOME), -INT_MAX, 0, false }, { 'g', -INT_MAX, 0, false },
	{ KEYS_FN(KEY_END), INT_MAX, 0, false }, { 'G', INT_MAX, 0, false },
	{ KEYS_FN(KEY_LEFT), 0, -8, false }, { 'h', 0, -8, false },
	{ KEYS_FN(KEY_RIGHT), 0, 8, false }, { 'l', 0, 8, false },
};

bool pager_key(struct pager *p, int key)
{
	int rows = 3, cols = 3;

	if (key == KEYS_ESC || key == 'q')
		return false;
	if (p->win != NULL)
		getmaxyx(p->win, rows, cols);
	rows -= 2;
	cols -= 2;
	for (size_t i = 0; i < sizeof pager_moves / sizeof pager_moves[0]; i++) {
		const struct pager_move *m = &pager_moves[i];

		if (m->key != key)
			continue;
		if (m->down == INT_MAX || m->down == -INT_MAX)
			p->top = m->down > 0 ? (int)p->n : 0;
		else
			p->top += m->page ? m->down * rows : m->down;
		p->left += m->right;
		pager_clamp(p, rows, cols);
		p->dirty = true;
	}
	return true;
}
