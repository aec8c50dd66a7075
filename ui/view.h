/* The views of the main area. Each view is one file exporting a const
 * struct view; a view fills only the hooks it needs. */
#ifndef CROSSMKT_VIEW_H
#define CROSSMKT_VIEW_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "curses-wrap.h"
#include "keys.h"

struct console;

enum view_event {
	VIEW_DATA_CHANGED,      /* a command changed the workspace */
	VIEW_DATASET,           /* the current dataset changed */
	VIEW_RESULT,            /* a result of one of the view's commands */
	VIEW_TICK               /* the refresh period passed */
};

struct view {
	const char *name;       /* tab label */
	/* The commands whose results it shows, NULL-terminated; the first
	 * is the one it is about. NULL for none. */
	const char *const *commands;
	const struct keys_binding *keys; /* its bindings, ending with key 0 */
	void *(*create)(struct console *c);
	void (*destroy)(void *state);
	/* Draws the whole view into w (the main area). */
	void (*draw)(struct console *c, void *state, WINDOW *w);
	/* Keys that are not in the keys table, such as those typed into a
	 * form; returns false to leave the key to the console. */
	bool (*key)(struct console *c, void *state, int key);
	/* Called after the main area changed size. */
	void (*resize)(struct console *c, void *state, int rows, int cols);
	/* Something the view may show changed; for VIEW_RESULT, command and
	 * result are the command's name and result (the view copies what it
	 * keeps), NULL otherwise. */
	void (*update)(struct console *c, void *state, enum view_event ev, const char *command,
	    const cJSON *result);
	/* True while the view takes every key (a form is open). */
	bool (*modal)(void *state);
	/* While modal: shows the cursor where the view edits. */
	void (*cursor)(struct console *c, void *state);
};

/* True when the view shows the results of command. */
bool view_has_command(const struct view *v, const char *command);
/* The string at key of a result object, or "". */
const char *view_str(const cJSON *o, const char *key);
/* The number at key of a result object, or NaN. */
double view_num(const cJSON *o, const char *key);
/* A command line again without its key=value words for keys (NULL-
 * terminated), the words quoted anew; NULL when line is NULL or does not
 * parse. Returns a new string. */
char *view_line_without(const char *line, const char *const *keys);

extern const struct view view_data;
extern const struct view view_segments;
extern const struct view view_recommend;
extern const struct view view_campaigns;
extern const struct view view_forecast;

/* Shows the Campaigns view on the campaign called name. */
void view_campaigns_select(struct console *c, const char *name);

/* A titled box inside a view. */
struct view_box {
	const char *title;
	int y, x, rows, cols;
};

/* Draws "COMMAND command not available in this build" on the first line
 * of w when the command is missing; returns the lines used (0 or 1). */
int view_notice(WINDOW *w, const char *command);
/* Draws title on the top border of box b, for a title known only once its
 * contents are drawn. */
void view_box_title(WINDOW *w, const struct view_box *b, const char *title);
/* One line of a list to pick from, in cols columns: the selected line
 * marked with a glyph and the cursor's attribute; raw is cleaned. */
void view_list_line(WINDOW *w, int y, int x, int cols, const char *raw, bool selected);
/* Draws the last result of one of commands (NULL-terminated) inside b, or
 * how to get one, or that none of them is built in. */
void view_box_result(WINDOW *w, const struct view_box *b, const char *const *commands,
    const cJSON *result, int scroll);

/* Views made of boxes, some of which show the results of commands; the
 * state behind the analysis views until they draw more. */
#define VIEW_PANES_MAX 6

struct view_panes {
	const char *command;    /* the view's main command, for the notice */
	const char *const *titles;
	const int (*spec)[4];   /* top, left, height, width in percent */
	/* Per box: the commands whose results it shows (view_panes_update), or
	 * NULL; NULL for none at all. */
	const char *const *const *box_commands;
	int n;
};

struct view_panes_state {
	cJSON *result[VIEW_PANES_MAX];  /* copies of the last results per box */
	int scroll;
};

/* Draws the notice and the empty boxes of vp (a NULL title for one drawn
 * later with view_box_title); the boxes go to boxes and their inner areas
 * to inner (vp->n of each). */
void view_panes_frame(const struct view_panes *vp, WINDOW *w, struct view_box *boxes,
    struct view_box *inner);
/* Keeps a copy of a VIEW_RESULT result in the boxes that show command. */
void view_panes_update(const struct view_panes *vp, struct view_panes_state *st,
    enum view_event ev, const char *command, const cJSON *result);
/* Frees a struct view_panes_state. */
void view_panes_destroy(void *state);
/* Up/Down (j/k, J/K) scroll the results. */
bool view_panes_scroll(struct console *c, void *state, int key);

#endif
