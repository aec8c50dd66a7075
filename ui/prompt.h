/* A one-line editor in the status line: the ':' command line, the filter
 * and search boxes. History (up/down) and tab completion are optional. */
#ifndef CROSSMKT_PROMPT_H
#define CROSSMKT_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

#include "curses-wrap.h"

struct console;

enum prompt_state { PROMPT_EDIT, PROMPT_SUBMIT, PROMPT_CANCEL };

/* A growable list of strings; the history of a prompt. */
struct prompt_list {
	char **v;
	size_t n;
};

/* Fills out with the words that may complete the word being typed: index
 * is its position in the line (0 the command name), key the NAME of a
 * NAME=VALUE word being completed after its '=' (else NULL). */
typedef void (*prompt_complete_fn)(struct console *c, const char *line, size_t index,
    const char *key, struct prompt_list *out);

struct prompt {
	char *label;
	char *buf;
	size_t len, cap, cur;   /* bytes; cur is on a character boundary */
	struct prompt_list *history;    /* NULL for none */
	size_t hist_pos;
	char *saved;            /* the line being typed while browsing history */
	prompt_complete_fn complete;
	char *hint;             /* completion candidates to show, or NULL */
	bool selected;          /* the whole text, replaced by the next character typed */
	/* What to do with the text on Enter. */
	void (*submit)(struct console *c, const char *text);
};

/* A prompt showing label, with text already typed (may be NULL); history
 * and complete may be NULL. The caller owns it. */
struct prompt *prompt_new(const char *label, const char *text, struct prompt_list *history,
    prompt_complete_fn complete, void (*submit)(struct console *, const char *));
/* Selects the whole text (when there is some): typing replaces it, a
 * deleting key clears it, a moving key keeps it for editing. */
void prompt_select_all(struct prompt *p);
/* Frees p; NULL is ignored. */
void prompt_free(struct prompt *p);
/* Edits the line with a key. */
enum prompt_state prompt_key(struct prompt *p, struct console *c, int key);
/* Draws the prompt in one line of w; returns the cursor column. */
int prompt_draw(const struct prompt *p, WINDOW *w, int y);

/* Appends a copy of s. */
void prompt_list_add(struct prompt_list *l, const char *s);
/* Frees the strings and empties the list. */
void prompt_list_done(struct prompt_list *l);

#endif
