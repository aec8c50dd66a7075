/* The frame around the views: tab bar, sidebar, status line and footer,
 * and the "terminal too small" screen. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "job.h"
#include "keys.h"
#include "pager.h"
#include "playback.h"
#include "prompt.h"
#include "sidebar.h"
#include "text.h"
#include "tty.h"
#include "view.h"
#include "xmalloc.h"

int layout_side_width(const struct console *c)
{
	if (c->cols < CONSOLE_SIDE_COLS || c->rows < CONSOLE_SIDE_ROWS)
		return 0;
	return c->cols >= 140 ? 28 : c->cols >= 100 ? 24 : 20;
}

void layout_destroy(struct console *c)
{
	for (int i = 0; i < REGION_COUNT; i++) {
		if (c->pan[i] != NULL)
			del_panel(c->pan[i]);
		if (c->win[i] != NULL)
			delwin(c->win[i]);
		c->pan[i] = NULL;
		c->win[i] = NULL;
	}
}

/* Creates the region windows at their places for the screen size. */
void layout_create(struct console *c)
{
	int sw, y, x, rows, cols;

	layout_destroy(c);
	c->rows = LINES;
	c->cols = COLS;
	c->too_small = c->rows < CONSOLE_MIN_ROWS || c->cols < CONSOLE_MIN_COLS;
	werase(stdscr);
	wnoutrefresh(stdscr);
	console_dirty(c, DIRTY_ALL);
	if (c->too_small)
		return;
	sw = layout_side_width(c);
	if (sw == 0)
		c->side_focus = false;
	c->win[REGION_TABS] = newwin(1, c->cols, 0, 0);
	if (sw > 0)
		c->win[REGION_SIDE] = newwin(c->rows - 3, sw, 1, 0);
	c->win[REGION_MAIN] = newwin(c->rows - 3, c->cols - sw, 1, sw);
	c->win[REGION_STATUS] = newwin(1, c->cols, c->rows - 2, 0);
	c->win[REGION_FOOTER] = newwin(1, c->cols, c->rows - 1, 0);
	for (int i = 0; i < REGION_COUNT; i++)
		if (c->win[i] != NULL)
			c->pan[i] = new_panel(c->win[i]);
	for (int i = 0; i < CONSOLE_VIEWS; i++)
		if (console_views[i]->resize != NULL)
			console_views[i]->resize(c, c->view_state[i], c->rows - 3, c->cols - sw);
	if (c->pager != NULL) {
		console_popup_area(c, c->pager_wide, &y, &x, &rows, &cols);
		pager_place(c->pager, y, x, rows, cols);
		top_panel(pager_panel(c->pager));
	}
}

static void layout_draw_small(struct console *c)
{
	char *msg = xasprintf("terminal too small: %dx%d, need %dx%d", c->cols, c->rows,
	    CONSOLE_MIN_COLS, CONSOLE_MIN_ROWS);
	int w = (int)strlen(msg), y = c->rows / 2, x = (c->cols - w) / 2;

	werase(stdscr);
	wattrset(stdscr, tty_attr(TTY_ERROR));
	if (x < 0) {
		x = 0;
		w = c->cols;
	}
	text_put(stdscr, y, x, msg, 0, w < c->cols ? w : c->cols, TEXT_LEFT, false);
	wattrset(stdscr, A_NORMAL);
	if (y + 1 < c->rows)
		mvwaddnstr(stdscr, y + 1, 0, c->confirm_quit ? "Quit? (y/n) there is unsaved work" :
		    "q quits; other keys wait for a larger terminal", c->cols);
	free(msg);
	wnoutrefresh(stdscr);
}

static void layout_draw_tabs(struct console *c)
{
	WINDOW *w = c->win[REGION_TABS];
	int x = 10;

	werase(w);
	wattrset(w, tty_attr(TTY_TITLE));
	mvwaddstr(w, 0, 0, " crossmkt ");
	for (int i = 0; i < CONSOLE_VIEWS; i++) {
		char *label = xasprintf(" %d %s ", i + 1, console_views[i]->name);
		int lw = text_width(label);

		if (x + lw >= c->cols)
			lw = c->cols - x;
		wattrset(w, i == c->view ? tty_attr(TTY_TAB) : A_NORMAL);
		text_put(w, 0, x, label, 0, lw, TEXT_LEFT, false);
		x += lw + 1;
		free(label);
	}
	wattrset(w, tty_attr(TTY_NOTICE));
	if (c->opts.readonly && x + 11 <= c->cols)
		mvwaddstr(w, 0, c->cols - 11, "[read-only]");
	wattrset(w, A_NORMAL);
}

/* "loading NAME (FILE) " for a load, else the command line; clean. */
static char *layout_job_label(const struct console *c)
{
	const struct cmd_args *args = &c->job_args;
	char *raw, *out;
	const char *base;

	if (strcmp(args->name, "load") == 0 && args->n_pos >= 2 && !job_cancelled(c->job)) {
		base = strrchr(args->pos[1], '/');
		raw = xasprintf("loading %s (%s) ", args->pos[0], base != NULL ? base + 1 : args->pos[1]);
	} else
		raw = xasprintf("%s%s ", job_cancelled(c->job) ? "cancelling: " : "", args->line);
	out = text_clean(raw);
	free(raw);
	return out;
}

/* "loading users [#####.....] 45%  Esc cancels" in the first columns of the
 * status; a command without progress shows the seconds it has run. */
static int layout_draw_job(struct console *c, WINDOW *w)
{
	const struct tty_glyphs *g = tty_glyphs();
	double f = job_progress(c->job);
	char *label = layout_job_label(c);
	long long secs = (console_now_ms() - c->job_since) / 1000;
	int x = 0, bar = 20, done = f < 0 ? 0 : (int)(f * bar + 0.5);
	int room = c->cols / 2 > 30 ? c->cols / 2 : 30;

	wattrset(w, tty_attr(TTY_NOTICE));
	if (f < 0 || job_cancelled(c->job)) {
		text_put(w, 0, 0, label, 0, room, TEXT_LEFT, true);
		x = text_width(label) < room ? text_width(label) : room;
		free(label);
		wattrset(w, A_NORMAL);
		label = job_cancelled(c->job) ? xstrdup("") : xasprintf(" %lld s  Esc cancels ", secs);
		text_put(w, 0, x, label, 0, (int)strlen(label), TEXT_LEFT, false);
		x += (int)strlen(label);
		free(label);
		return x;
	}
	text_put(w, 0, 0, label, 0, 30, TEXT_LEFT, true);
	x = 30;
	wattrset(w, tty_attr(TTY_BAR));
	for (int i = 0; i < bar; i++)
		text_put(w, 0, x++, i < done ? g->bar_done : g->bar_left, 0, 1, TEXT_LEFT, false);
	wattrset(w, A_NORMAL);
	free(label);
	label = xasprintf(" %3d%%  Esc cancels ", (int)(f * 100));
	text_put(w, 0, x, label, 0, (int)strlen(label), TEXT_LEFT, false);
	x += (int)strlen(label);
	free(label);
	return x;
}

/* A y/n question in the status line, highlighted, and what it is about. */
static void layout_draw_question(struct console *c, const char *question, const char *about)
{
	WINDOW *w = c->win[REGION_STATUS];
	int n = text_width(question);

	wattrset(w, tty_attr(TTY_NOTICE) | A_REVERSE);
	text_put(w, 0, 0, question, 0, n, TEXT_LEFT, false);
	wattrset(w, A_NORMAL);
	text_put(w, 0, n, about, 0, c->cols - n, TEXT_LEFT, true);
}

/* The message from column x; returns the column after it. */
static int layout_draw_message(struct console *c, WINDOW *w, int x)
{
	int mw = text_width(c->message), hint;

	wattrset(w, tty_attr(c->message_error ? TTY_ERROR : TTY_NORMAL));
	if (c->message_error) {
		text_put(w, 0, x, "error: ", 0, 7, TEXT_LEFT, false);
		x += 7;
	}
	/* a message cut short points to the log that has it in full */
	hint = mw > c->cols - x && c->cols - x > 20 ? 4 : 0;
	text_put(w, 0, x, c->message, 0, c->cols - x - hint, TEXT_LEFT, true);
	wattrset(w, tty_attr(TTY_DIM));
	text_put(w, 0, c->cols - hint, " C-p", 0, hint, TEXT_LEFT, false);
	wattrset(w, A_NORMAL);
	return x + mw + 1;
}

/* The state of the files followed, at the right end of the status line
 * when the text before it (up to column used) leaves room. */
static void layout_draw_follow(struct console *c, WINDOW *w, int used)
{
	char *label = follow_label(c);
	int lw = label != NULL ? text_width(label) : 0;

	if (label != NULL && used + lw < c->cols) {
		wattrset(w, tty_attr(TTY_NOTICE));
		text_put(w, 0, c->cols - lw, label, 0, lw, TEXT_LEFT, false);
		wattrset(w, A_NORMAL);
	}
	free(label);
}

static void layout_draw_status(struct console *c)
{
	WINDOW *w = c->win[REGION_STATUS];
	char *replay;
	int x = 0;

	werase(w);
	if (c->restore_ask) {
		layout_draw_question(c, "Restore the last session? (y/n)",
		    "  it was saved when the console last quit");
		return;
	}
	if (c->replay_ask) {
		layout_draw_question(c, "Replay this session? (y/n)",
		    "  the files it opens are listed above");
		return;
	}
	if (c->confirm_quit) {
		layout_draw_question(c, "Quit? (y/n)",
		    "  there are derived or filtered datasets that are not saved");
		return;
	}
	if (c->prompt != NULL) {
		prompt_draw(c->prompt, w, 0);
		return;
	}
	if (c->job != NULL)
		x = layout_draw_job(c, w);
	if ((replay = playback_label(c)) != NULL && x + text_width(replay) + 1 < c->cols) {
		wattrset(w, tty_attr(TTY_NOTICE));
		text_put(w, 0, x, replay, 0, text_width(replay), TEXT_LEFT, false);
		wattrset(w, A_NORMAL);
		x += text_width(replay) + 1;
	}
	free(replay);
	if (c->message != NULL && x < c->cols)
		x = layout_draw_message(c, w, x);
	layout_draw_follow(c, w, x);
}

/* Draws "key label" pairs of a table from column *x. */
static void layout_footer_keys(WINDOW *w, const struct keys_binding *b, int *x, int cols)
{
	for (; b != NULL && b->key != 0; b++) {
		int kw, lw;

		if (b->label == NULL)
			continue;
		kw = text_width(b->name);
		lw = text_width(b->label);
		if (*x + kw + lw + 3 > cols)
			return;
		wattrset(w, tty_attr(TTY_KEY));
		text_put(w, 0, *x, b->name, 0, kw, TEXT_LEFT, false);
		wattrset(w, A_NORMAL);
		text_put(w, 0, *x + kw, " ", 0, 1, TEXT_LEFT, false);
		text_put(w, 0, *x + kw + 1, b->label, 0, lw + 2, TEXT_LEFT, false);
		*x += kw + lw + 3;
	}
}

static const struct keys_binding layout_prompt_keys[] = {
	{ '\r', "Enter", "Run", NULL, NULL },
	{ KEYS_ESC, "Esc", "Cancel", NULL, NULL },
	{ '\t', "Tab", "Complete", NULL, NULL },
	{ KEYS_FN(KEY_UP), "Up/Down", "History", NULL, NULL },
	{ 0, NULL, NULL, NULL, NULL }
};

static const struct keys_binding layout_pager_keys[] = {
	{ KEYS_FN(KEY_UP), "Up/Down", "Scroll", NULL, NULL },
	{ KEYS_FN(KEY_NPAGE), "PgUp/PgDn", "Page", NULL, NULL },
	{ KEYS_FN(KEY_LEFT), "Left/Right", "Pan", NULL, NULL },
	{ KEYS_ESC, "Esc", "Close", NULL, NULL },
	{ 0, NULL, NULL, NULL, NULL }
};

static const struct keys_binding layout_quit_keys[] = {
	{ 'y', "y/q", "Quit", NULL, NULL },
	{ 'n', "n", "Stay", NULL, NULL },
	{ 0, NULL, NULL, NULL, NULL }
};

static const struct keys_binding layout_restore_keys[] = {
	{ 'y', "y", "Restore", NULL, NULL },
	{ 'n', "n", "Start afresh", NULL, NULL },
	{ 0, NULL, NULL, NULL, NULL }
};

static const struct keys_binding layout_replay_ask_keys[] = {
	{ 'y', "y", "Replay", NULL, NULL },
	{ 'n', "n", "Start without it", NULL, NULL },
	{ 0, NULL, NULL, NULL, NULL }
};

static const struct keys_binding layout_form_keys[] = {
	{ '\r', "Enter", "Choose/Next", NULL, NULL },
	{ '\t', "Tab", "Next", NULL, NULL },
	{ KEYS_FN(KEY_F(2)), "F2", "Run", NULL, NULL },
	{ KEYS_ESC, "Esc", "Cancel", NULL, NULL },
	{ 0, NULL, NULL, NULL, NULL }
};

static const struct keys_binding layout_replay_keys[] = {
	{ ' ', "Space", "Pause", NULL, NULL },
	{ 'n', "n", "Step", NULL, NULL },
	{ '+', "+/-", "Speed", NULL, NULL },
	{ 'q', "q", "Quit", NULL, NULL },
	{ 0, NULL, NULL, NULL, NULL }
};

static void layout_draw_footer(struct console *c)
{
	WINDOW *w = c->win[REGION_FOOTER];
	int x = 0;

	werase(w);
	if (c->prompt != NULL && c->prompt->hint != NULL) {
		wattrset(w, tty_attr(TTY_DIM));
		text_put_raw(w, 0, 0, c->prompt->hint, c->cols, TEXT_LEFT);
		wattrset(w, A_NORMAL);
		return;
	}
	if (c->confirm_quit)
		layout_footer_keys(w, layout_quit_keys, &x, c->cols);
	else if (c->restore_ask)
		layout_footer_keys(w, layout_restore_keys, &x, c->cols);
	else if (c->replay_ask)
		layout_footer_keys(w, layout_replay_ask_keys, &x, c->cols);
	else if (c->replay != NULL && c->prompt == NULL && c->pager == NULL)
		layout_footer_keys(w, layout_replay_keys, &x, c->cols);
	else if (c->prompt == NULL && c->pager == NULL && console_views[c->view]->modal != NULL &&
	    console_views[c->view]->modal(c->view_state[c->view]))
		layout_footer_keys(w, layout_form_keys, &x, c->cols);
	else if (c->prompt != NULL)
		layout_footer_keys(w, layout_prompt_keys, &x, c->cols);
	else if (c->pager != NULL)
		layout_footer_keys(w, layout_pager_keys, &x, c->cols);
	else {
		layout_footer_keys(w, c->side_focus ? keys_sidebar : console_views[c->view]->keys,
		    &x, c->cols);
		layout_footer_keys(w, keys_global, &x, c->cols);
	}
}

static void layout_draw_main(struct console *c)
{
	const struct view *v = console_views[c->view];

	werase(c->win[REGION_MAIN]);
	if (v->draw != NULL)
		v->draw(c, c->view_state[c->view], c->win[REGION_MAIN]);
}

static void (*const layout_drawers[REGION_COUNT])(struct console *) = {
	layout_draw_tabs, sidebar_draw, layout_draw_main, layout_draw_status,
	layout_draw_footer
};

/* Places the cursor in the prompt, or hides it. */
static void layout_cursor(struct console *c)
{
	static int visible = -1;
	const struct view *v = console_views[c->view];
	bool modal = !c->too_small && c->prompt == NULL && c->pager == NULL && v->modal != NULL &&
	    v->modal(c->view_state[c->view]);
	int want = (c->prompt != NULL && !c->too_small) || modal;

	if (modal && v->cursor != NULL)
		v->cursor(c, c->view_state[c->view]);
	if (want && !modal) {
		int x = prompt_draw(c->prompt, c->win[REGION_STATUS], 0);

		wmove(c->win[REGION_STATUS], 0, x < c->cols ? x : c->cols - 1);
		wnoutrefresh(c->win[REGION_STATUS]);
	}
	if (want != visible)
		curs_set(want);
	visible = want;
}

void layout_draw(struct console *c)
{
	if (c->too_small) {
		if (c->dirty)
			layout_draw_small(c);
		c->dirty = 0;
		doupdate();
		return;
	}
	for (int i = 0; i < REGION_COUNT; i++)
		if ((c->dirty & (1u << i)) && c->win[i] != NULL)
			layout_drawers[i](c);
	c->dirty = 0;
	if (c->pager != NULL)
		pager_draw(c->pager);
	update_panels();
	layout_cursor(c);
	doupdate();
}
