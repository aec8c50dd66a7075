/* ui_main: start-up, the event loop and key routing. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "console.h"
#include "demodata.h"
#include "job.h"
#include "keys.h"
#include "msglog.h"
#include "pager.h"
#include "playback.h"
#include "prompt.h"
#include "session.h"
#include "sidebar.h"
#include "text.h"
#include "tty.h"
#include "ui.h"
#include "view.h"
#include "xdg.h"
#include "xmalloc.h"

#define UI_REFRESH_MS 1000

static const char *const ui_demo_names[] = {
	"users", "items", "events", "daily", "stores", "arms"
};

static void ui_queue_load(struct console *c, const char *name, const char *path)
{
	char *line = xstrdup("load");

	cmd_append(&line, NULL, name);
	cmd_append(&line, NULL, path);
	console_enqueue(c, line, false);
	free(line);
}

static void ui_queue_demo(struct console *c)
{
	char *dir = demodata_dir(), *searched;

	if (dir == NULL) {
		searched = demodata_searched();
		console_message(c, true, "demo data not found (no users.csv in %s); load files "
		    "with :load NAME PATH", searched);
		free(searched);
		return;
	}
	for (size_t i = 0; i < sizeof ui_demo_names / sizeof ui_demo_names[0]; i++) {
		char *path = xasprintf("%s/%s.csv", dir, ui_demo_names[i]);

		ui_queue_load(c, ui_demo_names[i], path);
		free(path);
	}
	free(dir);
	c->demo_campaign = true;
}

/* A dataset name from a path: its basename without ".csv". */
static char *ui_file_name(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base != NULL ? base + 1 : path;
	n = strlen(base);
	if (n > 4 && strcasecmp(base + n - 4, ".csv") == 0)
		n -= 4;
	return n > 0 ? xstrndup(base, n) : xstrdup("data");
}

static void ui_queue_files(struct console *c, char *const *files, size_t n_files)
{
	for (size_t i = 0; i < n_files; i++) {
		char *name = ui_file_name(files[i]);

		ui_queue_load(c, name, files[i]);
		free(name);
	}
}

static void ui_close_prompt(struct console *c, enum prompt_state st)
{
	struct prompt *p = c->prompt;
	char *text = xstrdup(p->buf);

	c->prompt = NULL;
	console_dirty(c, DIRTY_STATUS | DIRTY_FOOTER);
	if (st == PROMPT_SUBMIT && p->submit != NULL)
		p->submit(c, text);
	prompt_free(p);
	free(text);
}

/* The start-up loads: the demo data and the files given. */
static void ui_queue_start(struct console *c)
{
	if (c->n_start_files == 0 || c->opts.demo)
		ui_queue_demo(c);
	ui_queue_files(c, c->start_files, c->n_start_files);
}

/* y replays the session given with --replay; n starts without it. */
static void ui_replay_answer(struct console *c, bool yes)
{
	c->replay_ask = false;
	pager_free(c->pager);
	c->pager = NULL;
	console_dirty(c, DIRTY_ALL);
	c->replayed = yes;
	if (yes)
		return;
	console_message(c, false, "not replayed: %s", playback_name(c->replay));
	playback_free(c->replay);
	c->replay = NULL;
	ui_queue_start(c);
}

/* y replays the autosaved session; n starts afresh. */
static void ui_restore_answer(struct console *c, bool yes)
{
	char *cause = NULL;

	c->restore_ask = false;
	console_dirty(c, DIRTY_STATUS | DIRTY_FOOTER);
	if (yes && playback_open(c->restore_path, NULL, 0, NULL, &c->replay, &cause) == 0) {
		playback_restoring(c->replay);
		console_message(c, false, "restoring the last session");
		console_dirty(c, DIRTY_STATUS | DIRTY_FOOTER);
		return;
	}
	if (yes) {
		console_message(c, true, "%s", cause);
		free(cause);
	}
	ui_queue_start(c);
}

/* True when a session did more than the start-up does by itself. */
static bool ui_session_worth(const struct session *s)
{
	for (size_t i = 0; i < session_count(s); i++) {
		const char *line = session_command(s, i);

		if (strncmp(line, "load ", 5) != 0 && strcmp(line, CONSOLE_DEMO_CAMPAIGN) != 0)
			return true;
	}
	return false;
}

/* Offers the autosaved session back when there is one worth restoring. */
static bool ui_restore_offer(struct console *c)
{
	struct session *s;
	char *cause = NULL, *path = NULL;
	struct stat st;
	bool worth;

	if (xdg_find(XDG_STATE, "autosave.json", &path, &cause) != 0 || stat(path, &st) != 0 ||
	    session_load(path, &s, &cause) != 0) {
		free(cause);
		free(path);
		return false;
	}
	worth = ui_session_worth(s);
	session_free(s);
	if (!worth) {
		free(path);
		return false;
	}
	c->restore_ask = true;
	c->restore_path = path;
	return true;
}

/* Keys for the modal parts first: the quit question, a prompt, a popup. */
static bool ui_key_modal(struct console *c, int key)
{
	if (c->restore_ask) {
		ui_restore_answer(c, key == 'y' || key == 'Y');
		return true;
	}
	if (c->replay_ask) {
		/* Other keys scroll the list. */
		if (key == 'y' || key == 'Y' || key == 'n' || key == 'N' || key == 'q' || key == KEYS_ESC)
			ui_replay_answer(c, key == 'y' || key == 'Y');
		else if (c->pager != NULL)
			pager_key(c->pager, key);
		console_dirty(c, DIRTY_ALL);
		return true;
	}
	if (c->confirm_quit) {
		c->confirm_quit = false;
		/* q again quits, as in htop. */
		if (key == 'y' || key == 'Y' || key == 'q')
			c->quit = true;
		console_dirty(c, DIRTY_STATUS | DIRTY_FOOTER);
		return true;
	}
	if (c->prompt != NULL) {
		enum prompt_state st = prompt_key(c->prompt, c, key);

		if (st != PROMPT_EDIT)
			ui_close_prompt(c, st);
		console_dirty(c, DIRTY_STATUS | DIRTY_FOOTER);
		return true;
	}
	if (c->pager == NULL)
		return false;
	/* A replay's keys work over the popups its commands open. */
	if (playback_key(c, key))
		return true;
	if (!pager_key(c->pager, key)) {
		pager_free(c->pager);
		c->pager = NULL;
		console_dirty(c, DIRTY_ALL);
	}
	return true;
}

/* On the "terminal too small" screen only quitting works: the keys would
 * act on views nobody sees. */
static void ui_key_small(struct console *c, int key)
{
	if (c->confirm_quit)
		ui_key_modal(c, key);
	else if (key == 'q' || key == KEYS_FN(KEY_F(10)))
		console_quit(c);
}

static void ui_key(struct console *c, int key)
{
	void *state = c->view_state[c->view];

	if (key == KEYS_FN(KEY_RESIZE)) {
		layout_create(c);
		return;
	}
	if (c->too_small) {
		ui_key_small(c, key);
		return;
	}
	if (ui_key_modal(c, key))
		return;
	if (!c->too_small && console_views[c->view]->modal != NULL &&
	    console_views[c->view]->modal(state)) {
		console_views[c->view]->key(c, state, key);
		return;
	}
	if (playback_key(c, key))
		return;
	if (c->side_focus && keys_dispatch(keys_sidebar, c, NULL, key))
		return;
	if (!c->side_focus && !c->too_small &&
	    (keys_dispatch(console_views[c->view]->keys, c, state, key) ||
	    (console_views[c->view]->key != NULL && console_views[c->view]->key(c, state, key))))
		return;
	if (!keys_dispatch(keys_global, c, NULL, key) && c->side_focus)
		sidebar_jump(c, key);
}

static void ui_tick(struct console *c)
{
	for (int i = 0; i < CONSOLE_VIEWS; i++)
		if (console_views[i]->update != NULL)
			console_views[i]->update(c, c->view_state[i], VIEW_TICK, NULL, NULL);
}

/* Waits for a key, a worker byte, a signal or the refresh period. */
static int ui_wait(struct console *c, int timeout)
{
	struct pollfd fds[3];
	nfds_t n = 0;

	fds[n].fd = STDIN_FILENO;
	fds[n++].events = POLLIN;
	fds[n].fd = tty_signal_fd();
	fds[n++].events = POLLIN;
	if (c->job != NULL) {
		fds[n].fd = job_fd(c->job);
		fds[n++].events = POLLIN;
	}
	return poll(fds, n, timeout);
}

/* Returns the signal that ended the loop, or 0 when the user quit. */
static int ui_loop(struct console *c)
{
	int timeout = c->opts.refresh_ms > 0 ? c->opts.refresh_ms : UI_REFRESH_MS, key, rc, sig;

	while (!c->quit) {
		console_jobs(c);
		follow_poll(c);
		playback_run(c);
		layout_draw(c);
		rc = ui_wait(c, playback_timeout(c, follow_timeout(c, timeout)));
		if ((sig = tty_signal_read()) != 0)
			return sig;
		if (rc == 0)
			ui_tick(c);
		while (!c->quit && keys_read(&key))
			ui_key(c, key);
		if (c->job != NULL)
			console_dirty(c, DIRTY_STATUS);
	}
	return 0;
}

/* While a command on this thread waits for another process (a lock in
 * the shared directory): shows what it waits for, and Esc or ctrl-c gives
 * up. Other keys pressed meanwhile are dropped. */
static bool ui_waiting(void *arg, const char *what)
{
	struct console *c = arg;
	bool stop = false;
	int key;

	console_message(c, false, "%s; Esc cancels", what);
	layout_draw(c);
	while (keys_read(&key))
		stop |= key == KEYS_ESC || key == KEYS_CTRL('c');
	return stop;
}

static void ui_init(struct console *c, struct cmd_ctx *ctx, const struct ui_opts *opts)
{
	memset(c, 0, sizeof *c);
	c->ctx = ctx;
	ctx->waiting = ui_waiting;
	ctx->waiting_arg = c;
	c->log = msglog_new();
	c->opts = *opts;
	c->history = xcalloc(1, sizeof *c->history);
	c->segmentations = xcalloc(1, sizeof *c->segmentations);
	for (int i = 0; i < CONSOLE_VIEWS; i++)
		if (console_views[i]->create != NULL)
			c->view_state[i] = console_views[i]->create(c);
}

static void ui_done(struct console *c)
{
	c->ctx->waiting = NULL;
	c->ctx->waiting_arg = NULL;
	for (int i = 0; i < CONSOLE_VIEWS; i++)
		if (console_views[i]->destroy != NULL)
			console_views[i]->destroy(c->view_state[i]);
	/* The job borrows the datasets freed after this: it must end first. */
	if (c->job != NULL || c->n_queue > 0)
		console_cancel(c);
	if (c->job != NULL)
		job_free(c->job);
	cmd_args_done(&c->job_args);
	free(c->queue);
	pager_free(c->pager);
	prompt_free(c->prompt);
	prompt_list_done(c->history);
	free(c->history);
	free(c->message);
	msglog_free(c->log);
	free(c->hint);
	free(c->dropped);
	free(c->dataset);
	follow_done(c);
	playback_free(c->replay);
	free(c->restore_path);
	prompt_list_done(c->segmentations);
	free(c->segmentations);
}

/* Saves the session on the way out, so that quitting never loses work; a
 * read-only console writes nothing. Someone else's commands never go into
 * the autosave, which is restored unconfined. */
static char *ui_autosave(const struct console *c)
{
	char *cause = NULL;

	const struct session *s = session_attached(c->ctx);

	if (c->replayed && !c->ctx->readonly)
		return xstrdup("it replayed someone else's session, whose commands are not "
		    "restored unconfined; save-session FILE saves such a session");
	if (c->ctx->readonly || s == NULL || session_count(s) == 0 ||
	    session_autosave(s, NULL, &cause) == 0)
		return NULL;
	return cause;
}

int ui_main(struct cmd_ctx *ctx, char *const *files, size_t n_files, const struct ui_opts *opts)
{
	struct replay_run *replay = NULL;
	struct console c;
	char *hint = NULL, *cause = NULL;
	int sig;

	if (opts->replay != NULL &&
	    playback_open(opts->replay, opts->sets, opts->n_sets, opts->confine, &replay,
	    &cause) != 0) {
		fprintf(stderr, "crossmkt: %s\n", cause);
		free(cause);
		return 1;
	}
	if (tty_init(&hint, &cause) != 0) {
		fprintf(stderr, "crossmkt: %s\n", cause);
		free(cause);
		playback_free(replay);
		return 1;
	}
	ui_init(&c, ctx, opts);
	if (hint != NULL)
		console_message(&c, false, "%s", hint);
	c.hint = hint;
	c.start_files = files;
	c.n_start_files = n_files;
	c.replay = replay;
	if (replay == NULL && !ui_restore_offer(&c))
		ui_queue_start(&c);
	layout_create(&c);
	/* Someone else's session: the user sees what it opens first. */
	if (replay != NULL) {
		c.replay_ask = true;
		console_popup_wide(&c, playback_files(&c));
	}
	sig = ui_loop(&c);
	cause = ui_autosave(&c);
	layout_destroy(&c);
	ui_done(&c);
	tty_done();
	if (cause != NULL) {
		fprintf(stderr, "crossmkt: the session was not autosaved: %s\n", cause);
		free(cause);
	}
	return sig != 0 ? 128 + sig : 0;
}
