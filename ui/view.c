/* Pieces shared by the views: titled boxes, the notice for commands that
 * are not built in, and results shown as text. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "pager.h"
#include "result.h"
#include "text.h"
#include "tty.h"
#include "view.h"
#include "console.h"
#include "xmalloc.h"

/* Lays boxes out by fractions of the area: each row of spec gives top,
 * left, height and width in percent. */
static void view_box_layout(int rows, int cols, const int (*spec)[4], struct view_box *boxes, int n)
{
	for (int i = 0; i < n; i++) {
		boxes[i].y = spec[i][0] * rows / 100;
		boxes[i].x = spec[i][1] * cols / 100;
		boxes[i].rows = (spec[i][0] + spec[i][2]) * rows / 100 - boxes[i].y;
		boxes[i].cols = (spec[i][1] + spec[i][3]) * cols / 100 - boxes[i].x;
	}
}

void view_box_title(WINDOW *w, const struct view_box *b, const char *title)
{
	char *clean = text_clean(title != NULL ? title : "");
	int tw = text_width(clean);

	wattrset(w, tty_attr(TTY_HEADER));
	if (tw > b->cols - 4)
		tw = b->cols - 4;
	text_put(w, b->y, b->x + 2, clean, 0, tw, TEXT_LEFT, true);
	wattrset(w, A_NORMAL);
	free(clean);
}

/* Draws a box with its title; returns the inner area in *inner. */
static void view_box_draw(WINDOW *w, const struct view_box *b, struct view_box *inner)
{
	wattrset(w, tty_attr(TTY_BORDER));
	tty_box(w, b->y, b->x, b->rows, b->cols);
	view_box_title(w, b, b->title);
	inner->title = NULL;
	inner->y = b->y + 1;
	inner->x = b->x + 1;
	inner->rows = b->rows - 2;
	inner->cols = b->cols - 2;
}

int view_notice(WINDOW *w, const char *command)
{
	char *msg;

	if (cmd_find(command) != NULL)
		return 0;
	msg = xasprintf("%s command not available in this build", command);
	wattrset(w, tty_attr(TTY_ERROR));
	text_put(w, 0, 1, msg, 0, getmaxx(w) - 1, TEXT_LEFT, true);
	wattrset(w, A_NORMAL);
	free(msg);
	return 1;
}

/* True when s is one of list (NULL-terminated; NULL for none). */
static bool view_listed(const char *const *list, const char *s)
{
	for (size_t i = 0; list != NULL && list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

bool view_has_command(const struct view *v, const char *command)
{
	return view_listed(v->commands, command);
}

const char *view_str(const cJSON *o, const char *key)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(s) ? s->valuestring : "";
}

double view_num(const cJSON *o, const char *key)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(n) ? n->valuedouble : NAN;
}

char *view_line_without(const char *line, const char *const *keys)
{
	struct cmd_args args;
	char *cause = NULL, *out;

	if (line == NULL || cmd_parse(line, &args, &cause) != 0) {
		free(cause);
		return NULL;
	}
	out = xstrdup(args.name);
	for (size_t i = 0; i < args.n_pos + args.n_kv; i++) {
		bool kv = i >= args.n_pos;
		const char *key = kv ? args.keys[i - args.n_pos] : NULL;

		if (!kv || !view_listed(keys, key))
			cmd_append(&out, key, kv ? args.vals[i - args.n_pos] : args.pos[i]);
	}
	cmd_args_done(&args);
	return out;
}

/* The first of commands that is built in, or NULL. */
static const struct cmd_entry *view_first_command(const char *const *commands)
{
	for (size_t i = 0; commands[i] != NULL; i++)
		if (cmd_find(commands[i]) != NULL)
			return cmd_find(commands[i]);
	return NULL;
}

void view_box_result(WINDOW *w, const struct view_box *b, const char *const *commands,
    const cJSON *result, int scroll)
{
	const struct cmd_entry *e = view_first_command(commands);
	struct pager *p = pager_new(commands[0]);

	if (result != NULL) {
		result_render(p, result);
		for (int i = 0; i < scroll; i++)
			pager_key(p, KEYS_FN(KEY_DOWN));
	} else if (e == NULL)
		pager_add(p, TTY_DIM, "%s", "not available in this build");
	else {
		char *hint = xasprintf("No results yet: type :%s %s", e->name, e->usage);

		pager_add_wrapped(p, TTY_DIM, hint, b->cols);
		pager_add_wrapped(p, TTY_DIM, e->help, b->cols);
		free(hint);
	}
	pager_draw_into(p, w, b->y, b->x, b->rows, b->cols);
	pager_free(p);
}

void view_panes_frame(const struct view_panes *vp, WINDOW *w, struct view_box *boxes,
    struct view_box *inner)
{
	int rows, cols, top;

	getmaxyx(w, rows, cols);
	top = view_notice(w, vp->command);
	view_box_layout(rows - top, cols, vp->spec, boxes, vp->n);
	for (int i = 0; i < vp->n; i++) {
		boxes[i].title = vp->titles[i];
		boxes[i].y += top;
		view_box_draw(w, &boxes[i], &inner[i]);
	}
}

void view_list_line(WINDOW *w, int y, int x, int cols, const char *raw, bool selected)
{
	wattrset(w, selected ? tty_attr(TTY_CURSOR) : A_NORMAL);
	text_put(w, y, x, selected ? tty_glyphs()->select : " ", 0, 2, TEXT_LEFT, false);
	text_put_raw(w, y, x + 2, raw, cols - 2, TEXT_LEFT);
	wattrset(w, A_NORMAL);
}

void view_panes_update(const struct view_panes *vp, struct view_panes_state *st,
    enum view_event ev, const char *command, const cJSON *result)
{
	if (ev != VIEW_RESULT || result == NULL)
		return;
	for (int i = 0; vp->box_commands != NULL && i < vp->n; i++) {
		const char *const *cmds = vp->box_commands[i];

		for (size_t k = 0; cmds != NULL && cmds[k] != NULL; k++) {
			if (strcmp(cmds[k], command) != 0)
				continue;
			cJSON_Delete(st->result[i]);
			st->result[i] = cJSON_Duplicate(result, true);
		}
	}
	st->scroll = 0;
}

void view_panes_destroy(void *state)
{
	struct view_panes_state *st = state;

	for (int i = 0; i < VIEW_PANES_MAX; i++)
		cJSON_Delete(st->result[i]);
	free(st);
}

bool view_panes_scroll(struct console *c, void *state, int key)
{
	struct view_panes_state *st = state;

	if (key == KEYS_FN(KEY_DOWN) || key == 'j' || key == 'J')
		st->scroll++;
	else if (st->scroll > 0)
		st->scroll--;
	console_dirty(c, DIRTY_MAIN);
	return true;
}
