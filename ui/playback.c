/* A session replayed in the console, one command after another: the next
 * command starts only when the previous one's work (loads on the worker
 * included) is done, then after a pause the user sets with + and -. Space
 * pauses, n runs the next command. A command that fails where it had
 * succeeded pauses the replay; one recorded as failed does not. The
 * autosaved session is restored the same way but at full speed, never
 * pausing. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "pager.h"
#include "playback.h"
#include "session.h"
#include "xmalloc.h"

/* Pauses between commands, in ms; the default is PLAYBACK_SPEED. */
static const int playback_pauses[] = { 2000, 1000, 500, 200, 0 };
#define PLAYBACK_SPEEDS ((int)(sizeof playback_pauses / sizeof playback_pauses[0]))
#define PLAYBACK_SPEED 2

struct replay_run {
	char *name;             /* the file, for messages */
	char **lines;
	bool *ok;               /* each command succeeded when recorded */
	size_t n, next, failed;
	bool paused, step;
	bool restore;           /* the autosave: no pauses at all */
	int speed;
	long long due;          /* the next command may start from then on */
	bool waiting;           /* the last command's work is not done yet */
	const struct pathpolicy *confine;
};

struct replay_run *playback_new(const char *name, char **lines, size_t n)
{
	struct replay_run *r = xcalloc(1, sizeof *r);

	r->name = xstrdup(name);
	r->lines = lines;
	r->n = n;
	r->ok = xcalloc(n + 1, sizeof *r->ok);
	for (size_t i = 0; i < n; i++)
		r->ok[i] = true;
	r->speed = PLAYBACK_SPEED;
	return r;
}

const char *playback_name(const struct replay_run *r)
{
	return r->name;
}

void playback_free(struct replay_run *r)
{
	if (r == NULL)
		return;
	session_lines_free(r->lines, r->n);
	free(r->ok);
	free(r->name);
	free(r);
}

/* The closing message, with the number of commands that failed. */
static void playback_done(struct console *c, const struct replay_run *r)
{
	char *failed = r->failed > 0 ? xasprintf(", %zu failed", r->failed) : xstrdup("");

	if (r->restore)
		console_message(c, r->failed > 0, "restored the last session: %zu commands%s",
		    r->n, failed);
	else
		console_message(c, r->failed > 0, "replay of %s done: %zu commands%s", r->name,
		    r->n, failed);
	free(failed);
}

/* True while the console still works on the last command. */
static bool playback_busy(const struct console *c)
{
	return c->job != NULL || c->n_queue > 0;
}

void playback_run(struct console *c)
{
	struct replay_run *r = c->replay;
	long long now = console_now_ms();

	if (r == NULL || c->replay_ask)
		return;
	if (r->waiting) {
		if (playback_busy(c))
			return;
		/* The pause counts from the end of the work, not from its start. */
		r->waiting = false;
		r->due = now + playback_pauses[r->speed];
		/* A new failure stops the replay where the user can see it. */
		r->failed += c->message_error;
		if (c->message_error && r->next < r->n && r->ok[r->next - 1] && !r->restore)
			r->paused = true;
		console_dirty(c, DIRTY_STATUS);
	}
	if (r->next == r->n) {
		playback_done(c, r);
		playback_free(r);
		c->replay = NULL;
		console_dirty(c, DIRTY_STATUS | DIRTY_FOOTER);
		return;
	}
	if ((r->paused && !r->step) || (!r->step && now < r->due))
		return;
	r->step = false;
	r->waiting = true;
	console_command_confined(c, r->lines[r->next++], r->confine);
	console_dirty(c, DIRTY_STATUS);
}

int playback_timeout(const struct console *c, int timeout)
{
	const struct replay_run *r = c->replay;
	long long left;

	if (r == NULL || r->paused)
		return timeout;
	if (r->waiting)
		return timeout < 100 ? timeout : 100;
	left = r->due - console_now_ms();
	if (left < 0)
		left = 0;
	return left < timeout ? (int)left : timeout;
}

bool playback_key(struct console *c, int key)
{
	struct replay_run *r = c->replay;

	if (r == NULL || r->restore)
		return false;
	switch (key) {
	case ' ':
		r->paused = !r->paused;
		console_message(c, false, "replay %s", r->paused ? "paused: n runs the next "
		    "command, space goes on" : "goes on");
		break;
	case 'n':
		r->step = true;
		r->paused = true;
		break;
	case '+':
		if (r->speed + 1 < PLAYBACK_SPEEDS)
			r->speed++;
		break;
	case '-':
		if (r->speed > 0)
			r->speed--;
		break;
	default:
		return false;
	}
	if (key == '+' || key == '-')
		console_message(c, false, "replay: %d ms between commands",
		    playback_pauses[r->speed]);
	console_dirty(c, DIRTY_STATUS);
	return true;
}

char *playback_label(const struct console *c)
{
	const struct replay_run *r = c->replay;

	if (r == NULL)
		return NULL;
	if (r->restore)
		return xasprintf("[restoring %zu/%zu]", r->next, r->n);
	/* The pace stays in sight: a command's own message soon replaces the
	 * one that said it. */
	return xasprintf("[replay %zu/%zu%s, %d ms]", r->next, r->n, r->paused ? " paused" : "",
	    playback_pauses[r->speed]);
}

/* Whether files[0..n) already holds f. */
static bool playback_listed(const struct cmd_file *files, size_t n, const struct cmd_file *f)
{
	for (size_t i = 0; i < n; i++)
		if (files[i].access == f->access && strcmp(files[i].path, f->path) == 0)
			return true;
	return false;
}

/* One file of the list, with the reason when the policy refuses it. */
static void playback_file(const struct replay_run *r, struct pager *p, const struct cmd_file *f,
    int width)
{
	char *why = NULL;

	pager_add(p, TTY_NORMAL, "  %-6s %s", f->access & PATHPOLICY_WRITE ? "write" : "read",
	    f->path);
	if (r->confine == NULL || pathpolicy_check(r->confine, f->path, f->access, &why) == 0)
		return;
	pager_add_wrapped(p, TTY_ERROR, why, width);
	free(why);
}

struct pager *playback_files(const struct console *c)
{
	const struct replay_run *r = c->replay;
	struct pager *p = pager_new("Replay a session");
	struct cmd_file *all = NULL, *files;
	size_t n_all = 0, n;

	pager_add(p, TTY_NOTICE, "%s asks to open these files:", r->name);
	for (size_t i = 0; i < r->n; i++) {
		cmd_line_files(c->ctx, r->lines[i], &files, &n);
		for (size_t k = 0; k < n; k++) {
			if (playback_listed(all, n_all, &files[k])) {
				free(files[k].path);
				continue;
			}
			all = xreallocarray(all, n_all + 1, sizeof *all);
			all[n_all++] = files[k];
			playback_file(r, p, &files[k], c->cols - 12);
		}
		free(files);
	}
	if (n_all == 0)
		pager_add(p, TTY_DIM, "  none: it works on what is loaded");
	pager_add(p, TTY_NORMAL, "%s", "");
	pager_add(p, TTY_DIM, "Files refused are not opened: the command fails. --allow-read DIR "
	    "and --allow-write DIR allow more.");
	cmd_files_free(all, n_all);
	return p;
}

int playback_open(const char *path, char *const *sets, size_t n_sets,
    const struct pathpolicy *confine, struct replay_run **out, char **cause)
{
	struct session *s;
	char **lines;

	if (session_load(path, &s, cause) != 0)
		return -1;
	for (size_t i = 0; i < n_sets; i++) {
		if (session_set_param(s, sets[i], cause) != 0) {
			session_free(s);
			return -1;
		}
	}
	if (session_expand(s, path, &lines, cause) != 0) {
		session_free(s);
		return -1;
	}
	*out = playback_new(path, lines, session_count(s));
	(*out)->confine = confine;
	for (size_t i = 0; i < session_count(s); i++)
		(*out)->ok[i] = session_recorded_ok(s, i);
	session_free(s);
	return 0;
}

void playback_restoring(struct replay_run *r)
{
	r->restore = true;
	r->speed = PLAYBACK_SPEEDS - 1;
}
