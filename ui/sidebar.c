/* Drawing the sidebar as a scrolled list of lines. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "sidebar.h"
#include "text.h"
#include "tty.h"
#include "xmalloc.h"

/* One line of the sidebar before scrolling. */
struct sb_line {
	enum { SB_HEADING, SB_NONE, SB_BLANK, SB_ENTRY } kind;
	const char *title;      /* SB_HEADING */
	size_t entry;           /* SB_ENTRY: index of console_side_entry */
};

struct sb_lines {
	struct sb_line *v;
	size_t n;
};

static void sb_push(struct sb_lines *l, struct sb_line line)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = line;
}

/* A heading, then entries [first, end) or "(none)". */
static void sb_section(struct sb_lines *l, const char *title, size_t first, size_t end)
{
	if (l->n > 0)
		sb_push(l, (struct sb_line){ SB_BLANK, NULL, 0 });
	sb_push(l, (struct sb_line){ SB_HEADING, title, 0 });
	if (first == end)
		sb_push(l, (struct sb_line){ SB_NONE, NULL, 0 });
	for (size_t i = first; i < end; i++)
		sb_push(l, (struct sb_line){ SB_ENTRY, NULL, i });
}

static struct sb_lines sb_build(const struct console *c)
{
	struct sb_lines l = { NULL, 0 };
	size_t total = console_side_count(c), nd = c->ctx->ws.n_tables;
	size_t nk = c->ctx->campaigns.n;

	sb_section(&l, c->side_focus ? "Datasets (Tab)" : "Datasets", 0, nd);
	sb_section(&l, "Segmentations", nd, total - nk);
	sb_section(&l, "Campaigns", total - nk, total);
	return l;
}

/* The entry's label (new string) and the figure at its right. */
static char *sb_label(const struct console *c, size_t i, char *right, size_t size)
{
	struct console_side_entry e = console_side_entry(c, i);

	right[0] = '\0';
	if (e.kind == SIDE_DATASET) {
		snprintf(right, size, "%zu", c->ctx->ws.tables[i]->n_rows);
		return xstrdup(e.dataset);
	}
	if (e.kind == SIDE_SEGMENTATION)
		return xasprintf("%s.%s", e.dataset, e.name);
	return xstrdup(e.name);
}

/* One selectable line: marks, a label and a figure. */
static void sb_entry(struct console *c, WINDOW *w, int y, int sw, size_t i)
{
	const struct tty_glyphs *g = tty_glyphs();
	bool sel = c->side_focus && c->side_sel == i;
	char right[32], *raw = sb_label(c, i, right, sizeof right), *name = text_clean(raw);
	int rw = (int)strlen(right);
	bool current = i < c->ctx->ws.n_tables && c->dataset != NULL &&
	    strcmp(c->dataset, c->ctx->ws.tables[i]->name) == 0;

	wattrset(w, sel ? tty_attr(TTY_CURSOR) : current ? A_BOLD : A_NORMAL);
	text_put(w, y, 0, sel ? g->select : " ", 0, 1, TEXT_LEFT, false);
	text_put(w, y, 1, current ? g->current : " ", 0, 1, TEXT_LEFT, false);
	text_put(w, y, 2, " ", 0, 1, TEXT_LEFT, false);
	text_put(w, y, 3, name, 0, sw - 6 - rw, TEXT_LEFT, true);
	text_put(w, y, sw - 3 - rw, " ", 0, 1, TEXT_LEFT, false);
	text_put(w, y, sw - 2 - rw, right, 0, rw + 1, TEXT_LEFT, false);
	wattrset(w, A_NORMAL);
	free(raw);
	free(name);
}

static void sb_line(struct console *c, WINDOW *w, int y, int sw, const struct sb_line *l)
{
	if (l->kind == SB_ENTRY) {
		sb_entry(c, w, y, sw, l->entry);
		return;
	}
	wattrset(w, tty_attr(l->kind == SB_HEADING ? TTY_HEADER : TTY_DIM));
	if (l->kind == SB_HEADING)
		text_put(w, y, 1, l->title, 0, sw - 3, TEXT_LEFT, true);
	else if (l->kind == SB_NONE)
		text_put(w, y, 3, "(none)", 0, sw - 5, TEXT_LEFT, false);
	wattrset(w, A_NORMAL);
}

/* "more above" or "more below" in place of a line. */
static void sb_more(WINDOW *w, int y, int sw, bool above, size_t n)
{
	char *s = xasprintf("%s %zu more", above ? (text_utf8() ? "\xe2\x96\xb2" : "^") :
	    (text_utf8() ? "\xe2\x96\xbc" : "v"), n);

	wattrset(w, tty_attr(TTY_DIM));
	text_put(w, y, 3, s, 0, sw - 5, TEXT_LEFT, true);
	wattrset(w, A_NORMAL);
	free(s);
}

/* The first line shown: the last one kept when the selection is in sight
 * between the marks, else the nearest that brings it in. */
static size_t sb_top(const struct console *c, const struct sb_lines *l, size_t rows)
{
	size_t top = c->side_top, sel = 0;

	if (l->n <= rows)
		return 0;
	if (top > l->n - rows)
		top = l->n - rows;
	if (!c->side_focus)
		return top;
	while (sel < l->n && !(l->v[sel].kind == SB_ENTRY && l->v[sel].entry == c->side_sel))
		sel++;
	if (sel == l->n)
		return top;
	while (top > 0 && sel < top + 1)
		top--;
	while (sel + 1 + (top + rows < l->n) > top + rows)
		top++;
	/* a heading just above the first entry comes along */
	if (top == 1)
		top = 0;
	return top;
}

static size_t sb_entries(const struct sb_lines *l, size_t from, size_t to)
{
	size_t n = 0;

	for (size_t i = from; i < to; i++)
		n += l->v[i].kind == SB_ENTRY;
	return n;
}

void sidebar_draw(struct console *c)
{
	WINDOW *w = c->win[REGION_SIDE];
	int rows = getmaxy(w), sw = getmaxx(w), room = rows - (c->opts.readonly ? 1 : 0);
	struct sb_lines l = sb_build(c);
	size_t top, end;

	werase(w);
	wattrset(w, tty_attr(TTY_BORDER));
	tty_line(w, 0, sw - 1, TTY_VLINE, rows);
	wattrset(w, A_NORMAL);
	room = room > 0 ? room : 0;
	top = sb_top(c, &l, (size_t)room);
	c->side_top = top;
	end = top + (size_t)room < l.n ? top + (size_t)room : l.n;
	for (size_t i = top; i < end; i++) {
		int y = (int)(i - top);

		if (i == top && top > 0)
			sb_more(w, y, sw, true, sb_entries(&l, 0, top + 1));
		else if (i + 1 == end && end < l.n)
			sb_more(w, y, sw, false, sb_entries(&l, end - 1, l.n));
		else
			sb_line(c, w, y, sw, &l.v[i]);
	}
	if (c->opts.readonly) {
		wattrset(w, tty_attr(TTY_NOTICE));
		text_put(w, rows - 1, 1, "read-only session", 0, sw - 3, TEXT_LEFT, true);
		wattrset(w, A_NORMAL);
	}
	free(l.v);
}

bool sidebar_jump(struct console *c, int key)
{
	size_t n = console_side_count(c);
	char right[32];

	for (size_t k = 1; k <= n; k++) {
		size_t i = (c->side_sel + k) % n;
		char *name = sb_label(c, i, right, sizeof right);
		bool match = text_starts_with_key(name, key);

		free(name);
		if (match) {
			c->side_sel = i;
			console_dirty(c, DIRTY_SIDE);
			return true;
		}
	}
	return false;
}
