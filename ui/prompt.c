/* The line editor. */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "keys.h"
#include "prompt.h"
#include "text.h"
#include "tty.h"
#include "xmalloc.h"

#define PROMPT_HISTORY_MAX 200

void prompt_list_add(struct prompt_list *l, const char *s)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = xstrdup(s);
}

void prompt_list_done(struct prompt_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void prompt_set(struct prompt *p, const char *text)
{
	p->len = strlen(text);
	if (p->len + 1 > p->cap) {
		p->cap = p->len + 64;
		p->buf = xreallocarray(p->buf, p->cap, 1);
	}
	memcpy(p->buf, text, p->len + 1);
	p->cur = p->len;
}

struct prompt *prompt_new(const char *label, const char *text, struct prompt_list *history,
    prompt_complete_fn complete, void (*submit)(struct console *, const char *))
{
	struct prompt *p = xcalloc(1, sizeof *p);

	p->label = xstrdup(label);
	prompt_set(p, text != NULL ? text : "");
	p->history = history;
	p->hist_pos = history != NULL ? history->n : 0;
	p->complete = complete;
	p->submit = submit;
	return p;
}

void prompt_free(struct prompt *p)
{
	if (p == NULL)
		return;
	free(p->label);
	free(p->buf);
	free(p->saved);
	free(p->hint);
	free(p);
}

static void prompt_insert(struct prompt *p, const char *s, size_t n)
{
	if (p->len + n + 1 > p->cap) {
		p->cap = (p->len + n + 1) * 2;
		p->buf = xreallocarray(p->buf, p->cap, 1);
	}
	memmove(p->buf + p->cur + n, p->buf + p->cur, p->len - p->cur + 1);
	memcpy(p->buf + p->cur, s, n);
	p->cur += n;
	p->len += n;
}

static void prompt_erase(struct prompt *p, size_t from, size_t to)
{
	memmove(p->buf + from, p->buf + to, p->len - to + 1);
	p->len -= to - from;
	p->cur = from;
}

static size_t prompt_prev(const struct prompt *p, size_t i)
{
	while (i > 0 && ((unsigned char)p->buf[--i] & 0xc0) == 0x80)
		;
	return i;
}

static size_t prompt_next(const struct prompt *p, size_t i)
{
	if (i < p->len)
		i++;
	while (i < p->len && ((unsigned char)p->buf[i] & 0xc0) == 0x80)
		i++;
	return i;
}

static void prompt_history_move(struct prompt *p, int dir)
{
	size_t n = p->history != NULL ? p->history->n : 0;

	if (n == 0 || (dir < 0 && p->hist_pos == 0) || (dir > 0 && p->hist_pos >= n))
		return;
	if (p->hist_pos == n) {
		free(p->saved);
		p->saved = xstrdup(p->buf);
	}
	p->hist_pos = dir < 0 ? p->hist_pos - 1 : p->hist_pos + 1;
	prompt_set(p, p->hist_pos == n ? (p->saved ? p->saved : "") : p->history->v[p->hist_pos]);
}

/* The start of the word under the cursor, its index and NAME= key. */
static size_t prompt_word(const struct prompt *p, size_t *index, char **key)
{
	size_t start = p->cur, eq;

	while (start > 0 && p->buf[start - 1] != ' ')
		start--;
	*index = 0;
	for (size_t i = 0; i < start; i++)
		if (p->buf[i] != ' ' && (i == 0 || p->buf[i - 1] == ' '))
			(*index)++;
	*key = NULL;
	for (eq = start; eq < p->cur && p->buf[eq] != '='; eq++)
		;
	if (eq < p->cur && *index > 0) {
		*key = xstrndup(p->buf + start, eq - start);
		return eq + 1;
	}
	return start;
}

static size_t prompt_common(const struct prompt_list *l, size_t min)
{
	size_t n = strlen(l->v[0]);

	for (size_t i = 1; i < l->n; i++) {
		size_t k = 0;

		while (k < n && l->v[i][k] == l->v[0][k])
			k++;
		n = k;
	}
	return n < min ? min : n;
}

static void prompt_hint(struct prompt *p, const struct prompt_list *l)
{
	size_t len = 0;

	free(p->hint);
	for (size_t i = 0; i < l->n; i++)
		len += strlen(l->v[i]) + 2;
	p->hint = xcalloc(1, len + 1);
	for (size_t i = 0; i < l->n; i++) {
		strcat(p->hint, l->v[i]);
		strcat(p->hint, "  ");
	}
}

/* A word "~" or "~/..." starts with the home directory, as a shell would
 * have it. */
static void prompt_home_expand(struct prompt *p, size_t start)
{
	const char *home = getenv("HOME");
	size_t save;

	if (home == NULL || *home == '\0' || p->cur <= start || p->buf[start] != '~' ||
	    (p->cur > start + 1 && p->buf[start + 1] != '/'))
		return;
	save = p->cur;
	prompt_erase(p, start, start + 1);
	prompt_insert(p, home, strlen(home));
	p->cur = save - 1 + strlen(home);
}

static void prompt_tab(struct prompt *p, struct console *c)
{
	struct prompt_list all = { 0 }, match = { 0 };
	size_t index, start, plen, common;
	char *key, *prefix;

	if (p->complete == NULL)
		return;
	start = prompt_word(p, &index, &key);
	prompt_home_expand(p, start);
	prefix = xstrndup(p->buf + start, p->cur - start);
	plen = strlen(prefix);
	p->complete(c, p->buf, index, key, &all);
	for (size_t i = 0; i < all.n; i++)
		if (strncmp(all.v[i], prefix, plen) == 0)
			prompt_list_add(&match, all.v[i]);
	free(p->hint);
	p->hint = NULL;
	if (match.n > 0) {
		common = prompt_common(&match, plen);
		prompt_erase(p, start, p->cur);
		prompt_insert(p, match.v[0], common);
		/* A directory goes on with its files: no space after it. */
		if (match.n == 1 && key == NULL && match.v[0][common - 1] != '/')
			prompt_insert(p, " ", 1);
		else if (match.n > 1)
			prompt_hint(p, &match);
	}
	prompt_list_done(&all);
	prompt_list_done(&match);
	free(prefix);
	free(key);
}

static void prompt_insert_key(struct prompt *p, int key)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n;

	memset(&st, 0, sizeof st);
	if (key < 0x20 || key >= KEYS_FN(0))
		return;
	n = wcrtomb(mb, (wchar_t)key, &st);
	if (n != (size_t)-1)
		prompt_insert(p, mb, n);
}

static void prompt_left(struct prompt *p, struct console *c)
{
	(void)c;
	p->cur = prompt_prev(p, p->cur);
}

static void prompt_right(struct prompt *p, struct console *c)
{
	(void)c;
	p->cur = prompt_next(p, p->cur);
}

static void prompt_home(struct prompt *p, struct console *c)
{
	(void)c;
	p->cur = 0;
}

static void prompt_end(struct prompt *p, struct console *c)
{
	(void)c;
	p->cur = p->len;
}

static void prompt_backspace(struct prompt *p, struct console *c)
{
	(void)c;
	if (p->cur > 0)
		prompt_erase(p, prompt_prev(p, p->cur), p->cur);
}

static void prompt_delete(struct prompt *p, struct console *c)
{
	(void)c;
	if (p->cur < p->len)
		prompt_erase(p, p->cur, prompt_next(p, p->cur));
}

static void prompt_kill_start(struct prompt *p, struct console *c)
{
	(void)c;
	prompt_erase(p, 0, p->cur);
}

static void prompt_kill_end(struct prompt *p, struct console *c)
{
	(void)c;
	p->len = p->cur;
	p->buf[p->len] = '\0';
}

static void prompt_kill_word(struct prompt *p, struct console *c)
{
	size_t s = p->cur;

	(void)c;
	while (s > 0 && p->buf[s - 1] == ' ')
		s--;
	while (s > 0 && p->buf[s - 1] != ' ')
		s--;
	prompt_erase(p, s, p->cur);
}

static void prompt_older(struct prompt *p, struct console *c)
{
	(void)c;
	prompt_history_move(p, -1);
}

static void prompt_newer(struct prompt *p, struct console *c)
{
	(void)c;
	prompt_history_move(p, 1);
}

static const struct prompt_binding {
	int key;
	void (*fn)(struct prompt *p, struct console *c);
} prompt_bindings[] = {
	{ KEYS_FN(KEY_LEFT), prompt_left }, { KEYS_CTRL('b'), prompt_left },
	{ KEYS_FN(KEY_RIGHT), prompt_right }, { KEYS_CTRL('f'), prompt_right },
	{ KEYS_FN(KEY_HOME), prompt_home }, { KEYS_CTRL('a'), prompt_home },
	{ KEYS_FN(KEY_END), prompt_end }, { KEYS_CTRL('e'), prompt_end },
	{ KEYS_FN(KEY_BACKSPACE), prompt_backspace }, { 0x7f, prompt_backspace },
	{ KEYS_CTRL('h'), prompt_backspace },
	{ KEYS_FN(KEY_DC), prompt_delete }, { KEYS_CTRL('d'), prompt_delete },
	{ KEYS_CTRL('u'), prompt_kill_start }, { KEYS_CTRL('k'), prompt_kill_end },
	{ KEYS_CTRL('w'), prompt_kill_word },
	{ KEYS_FN(KEY_UP), prompt_older }, { KEYS_CTRL('p'), prompt_older },
	{ KEYS_FN(KEY_DOWN), prompt_newer }, { KEYS_CTRL('n'), prompt_newer },
	{ '\t', prompt_tab },
};

/* Editing keys; false when the key is not one of them. */
static bool prompt_edit(struct prompt *p, struct console *c, int key)
{
	for (size_t i = 0; i < sizeof prompt_bindings / sizeof prompt_bindings[0]; i++) {
		if (prompt_bindings[i].key != key)
			continue;
		if (key != '\t') {
			free(p->hint);
			p->hint = NULL;
		}
		prompt_bindings[i].fn(p, c);
		return true;
	}
	return false;
}

void prompt_select_all(struct prompt *p)
{
	p->selected = p->len > 0;
}

/* A key on a selected text: true when it was a deleting key, used up. */
static bool prompt_key_selected(struct prompt *p, int key)
{
	bool deletes = key == KEYS_FN(KEY_BACKSPACE) || key == 0x7f || key == KEYS_CTRL('h') ||
	    key == KEYS_FN(KEY_DC);
	bool types = (key & KEYS_FN(0)) == 0 && key >= 0x20 && key != 0x7f;

	p->selected = false;
	if (deletes || types)
		prompt_set(p, "");
	return deletes;
}

enum prompt_state prompt_key(struct prompt *p, struct console *c, int key)
{
	if (key == KEYS_ESC || key == KEYS_CTRL('c') || key == KEYS_CTRL('g'))
		return PROMPT_CANCEL;
	if (p->selected && key != '\r' && key != '\n' && key != KEYS_FN(KEY_ENTER) &&
	    prompt_key_selected(p, key))
		return PROMPT_EDIT;
	if (key == '\r' || key == '\n' || key == KEYS_FN(KEY_ENTER)) {
		if (p->history != NULL && p->len > 0 &&
		    (p->history->n == 0 || strcmp(p->history->v[p->history->n - 1], p->buf) != 0)) {
			if (p->history->n >= PROMPT_HISTORY_MAX) {
				free(p->history->v[0]);
				memmove(p->history->v, p->history->v + 1,
				    --p->history->n * sizeof *p->history->v);
			}
			prompt_list_add(p->history, p->buf);
		}
		return PROMPT_SUBMIT;
	}
	if (!prompt_edit(p, c, key)) {
		prompt_insert_key(p, key);
		free(p->hint);
		p->hint = NULL;
	}
	return PROMPT_EDIT;
}

int prompt_draw(const struct prompt *p, WINDOW *w, int y)
{
	int cols = getmaxx(w), lw, cw, skip, avail;
	char *label = text_clean(p->label), *before, *text = text_clean(p->buf);

	before = xstrndup(p->buf, p->cur);
	lw = text_width(label);
	{
		char *cb = text_clean(before);

		cw = text_width(cb);
		free(cb);
	}
	avail = cols - lw - 1;
	skip = cw > avail - 1 ? cw - (avail - 1) : 0;
	wattrset(w, tty_attr(TTY_NOTICE));
	text_put(w, y, 0, label, 0, lw, TEXT_LEFT, false);
	wattrset(w, p->selected ? A_REVERSE : A_NORMAL);
	text_put(w, y, lw, text, skip, cols - lw, TEXT_LEFT, false);
	wattrset(w, A_NORMAL);
	free(label);
	free(before);
	free(text);
	return lw + cw - skip;
}
