/* The console's key tables and the help screen built from them and from
 * the command table. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "keys.h"
#include "msglog.h"
#include "pager.h"
#include "prompt.h"
#include "view.h"
#include "xmalloc.h"

/* The next byte already sent, or -1: the rest of a sequence comes in the
 * same write as its Escape. */
static int keys_pending(void)
{
	wint_t ch;
	int rc = get_wch(&ch);

	if (rc == ERR)
		return -1;
	return rc == KEY_CODE_YES ? KEYS_FN((int)ch) : (int)ch;
}

/* Reads the rest of a sequence curses did not know (an F key the terminal
 * type lacks, Alt with a key): CSI parameters up to the final byte, one
 * byte after SS3, else the Alt key itself. True when there was one. */
static bool keys_swallow(void)
{
	int ch = keys_pending();

	if (ch < 0)
		return false;
	if (ch == KEYS_ESC) {
		/* Escape twice: each is a key of its own. */
		unget_wch(KEYS_ESC);
		return false;
	}
	if (ch == 'O') {
		keys_pending();
		return true;
	}
	if (ch != '[')
		return true;
	/* The Linux console's F1-F5 are CSI [ and a letter. */
	if ((ch = keys_pending()) == '[')
		ch = keys_pending();
	while (ch >= 0 && ch < 0x40)
		ch = keys_pending();
	return true;
}

bool keys_read(int *key)
{
	wint_t ch;
	int rc;

	do {
		rc = get_wch(&ch);
		if (rc == ERR)
			return false;
	} while (rc != KEY_CODE_YES && ch == KEYS_ESC && keys_swallow());
	*key = rc == KEY_CODE_YES ? KEYS_FN((int)ch) : (int)ch;
	return true;
}

bool keys_dispatch(const struct keys_binding *table, struct console *c, void *state, int key)
{
	for (const struct keys_binding *b = table; b != NULL && b->key != 0; b++)
		if (b->key == key && b->fn != NULL && b->fn(c, state, key))
			return true;
	return false;
}

static bool keys_view(struct console *c, void *state, int key)
{
	(void)state;
	console_show_view(c, key - '1');
	return true;
}

static bool keys_focus(struct console *c, void *state, int key)
{
	(void)state;
	(void)key;
	if (layout_side_width(c) == 0) {
		console_message(c, false, "the sidebar shows from %dx%d up", CONSOLE_SIDE_COLS,
		    CONSOLE_SIDE_ROWS);
		return true;
	}
	c->side_focus = !c->side_focus;
	console_dirty(c, DIRTY_SIDE | DIRTY_FOOTER);
	return true;
}

static bool keys_command(struct console *c, void *state, int key)
{
	(void)state;
	(void)key;
	console_command_line(c, "");
	return true;
}

static bool keys_help_open(struct console *c, void *state, int key)
{
	(void)state;
	(void)key;
	console_popup_wide(c, keys_help(c));
	return true;
}

static bool keys_log_open(struct console *c, void *state, int key)
{
	int y, x, rows, cols;

	(void)state;
	(void)key;
	console_popup_area(c, true, &y, &x, &rows, &cols);
	console_popup_wide(c, msglog_pager(c->log, cols - 2));
	return true;
}

static bool keys_quit(struct console *c, void *state, int key)
{
	(void)state;
	(void)key;
	console_quit(c);
	return true;
}

static bool keys_redraw(struct console *c, void *state, int key)
{
	(void)state;
	(void)key;
	clearok(curscr, TRUE);
	console_dirty(c, DIRTY_ALL);
	return true;
}

/* Escape and ctrl-c stop the running command and those queued; otherwise
 * Escape clears the message. */
static bool keys_cancel(struct console *c, void *state, int key)
{
	(void)state;
	if (c->job != NULL || c->n_queue > 0)
		console_cancel(c);
	else if (key == KEYS_CTRL('c'))
		console_message(c, false, "press q to quit");
	else {
		free(c->message);
		c->message = NULL;
		console_dirty(c, DIRTY_STATUS);
	}
	return true;
}

const struct keys_binding keys_global[] = {
	{ '?', "?", "Help", "show this help", keys_help_open },
	{ ':', ":", "Cmd", "open the command line (Tab completes, Up/Down recalls)", keys_command },
	{ 'q', "q", "Quit", "quit (asks first when there is unsaved work)", keys_quit },
	{ '\t', "Tab", "Sidebar", "move between the sidebar and the view", keys_focus },
	{ '1', "1-5", "Views", "show a view: 1 Data, 2 Segments, 3 Recommendations, "
	    "4 Campaigns, 5 Forecast", keys_view },
	{ '2', "2", NULL, NULL, keys_view },
	{ '3', "3", NULL, NULL, keys_view },
	{ '4', "4", NULL, NULL, keys_view },
	{ '5', "5", NULL, NULL, keys_view },
	{ KEYS_FN(KEY_BTAB), "S-Tab", NULL, NULL, keys_focus },
	{ KEYS_FN(KEY_F(1)), "F1", NULL, "show this help", keys_help_open },
	{ KEYS_FN(KEY_F(10)), "F10", NULL, "quit", keys_quit },
	{ KEYS_ESC, "Esc", NULL, "close a popup or prompt; cancel the running command", keys_cancel },
	{ KEYS_CTRL('c'), "C-c", NULL, "cancel the running command", keys_cancel },
	{ KEYS_CTRL('l'), "C-l", NULL, "redraw the screen", keys_redraw },
	{ KEYS_CTRL('p'), "C-p", NULL, "the message log: the recent messages in full", keys_log_open },
	{ 0, NULL, NULL, NULL, NULL }
};

static bool keys_side_move(struct console *c, void *state, int key)
{
	size_t n = console_side_count(c);

	(void)state;
	if (n == 0)
		return true;
	if ((key == KEYS_FN(KEY_UP) || key == 'k') && c->side_sel > 0)
		c->side_sel--;
	else if ((key == KEYS_FN(KEY_DOWN) || key == 'j') && c->side_sel + 1 < n)
		c->side_sel++;
	if (c->side_sel >= n)
		c->side_sel = n - 1;
	console_dirty(c, DIRTY_SIDE);
	return true;
}

/* Enter: a dataset or segmentation in the Data view, a campaign in the
 * Campaigns view. */
static bool keys_side_open(struct console *c, void *state, int key)
{
	struct console_side_entry e;

	(void)state;
	(void)key;
	if (c->side_sel >= console_side_count(c))
		return true;
	e = console_side_entry(c, c->side_sel);
	if (e.kind == SIDE_CAMPAIGN) {
		view_campaigns_select(c, e.name);
		return true;
	}
	console_set_dataset(c, e.dataset);
	console_show_view(c, 0);
	if (e.kind == SIDE_SEGMENTATION)
		console_message(c, false, "segmentation %s.%s: sort by the column with s",
		    e.dataset, e.name);
	return true;
}

static bool keys_side_describe(struct console *c, void *state, int key)
{
	struct console_side_entry e;
	char *line;

	(void)state;
	(void)key;
	if (c->side_sel >= console_side_count(c))
		return true;
	e = console_side_entry(c, c->side_sel);
	if (e.kind == SIDE_CAMPAIGN)
		line = xasprintf("campaign show '%s'", e.name);
	else
		line = xasprintf("describe '%s'", e.dataset);
	console_command(c, line);
	free(line);
	return true;
}

const struct keys_binding keys_sidebar[] = {
	{ KEYS_FN(KEY_UP), "Up/Down", "Select", "select a dataset, segmentation or campaign",
	    keys_side_move },
	{ KEYS_FN(KEY_DOWN), "Down", NULL, "select the next entry", keys_side_move },
	{ 'k', "k", NULL, "select the previous entry", keys_side_move },
	{ 'j', "j", NULL, "select the next entry", keys_side_move },
	{ '\r', "Enter", "Open", "show the selected dataset or segmentation in the Data view, "
	    "a campaign in the Campaigns view", keys_side_open },
	{ 'd', "d", "Describe", "run 'describe' on the selected dataset ('campaign show' on a "
	    "campaign)", keys_side_describe },
	{ 0, NULL, NULL, NULL, NULL }
};

static void keys_help_table(struct pager *p, const char *title, const struct keys_binding *b)
{
	pager_add(p, TTY_HEADER, "%s", title);
	for (; b != NULL && b->key != 0; b++)
		if (b->help != NULL)
			pager_add(p, TTY_NORMAL, "  %-10s %s", b->name, b->help);
	pager_add(p, TTY_NORMAL, "%s", "");
}

static const char *const keys_prompt_help[] = {
	"  Enter      run the line            Esc        cancel",
	"  Tab        complete a command, dataset, column, metric (after metric=,",
	"             from the dataset= named) or file path (after load NAME; ~ expands)",
	"  Up/Down    previous / next line from the history",
	"  Left/Right move; Home/C-a, End/C-e; C-u, C-k, C-w delete",
	NULL
};

struct pager *keys_help(struct console *c)
{
	struct pager *p = pager_new("Help");
	const struct view *v = console_views[c->view];
	char *title = xasprintf("Keys in the %s view", v->name);

	keys_help_table(p, title, v->keys);
	keys_help_table(p, "Keys everywhere", keys_global);
	keys_help_table(p, "Keys in the sidebar (Tab)", keys_sidebar);
	pager_add(p, TTY_HEADER, "%s", "Keys on the command line (:)");
	for (size_t i = 0; keys_prompt_help[i] != NULL; i++)
		pager_add(p, TTY_NORMAL, "%s", keys_prompt_help[i]);
	pager_add(p, TTY_NORMAL, "%s", "");
	pager_add(p, TTY_HEADER, "%s", "Commands (type : then the command)");
	for (size_t i = 0; cmd_table[i] != NULL; i++) {
		pager_add(p, TTY_BAR, "  %s %s", cmd_table[i]->name, cmd_table[i]->usage);
		pager_add(p, TTY_NORMAL, "      %s", cmd_table[i]->help);
	}
	free(title);
	return p;
}
