/* Following growing files in the console: after 'watch DATASET', the
 * event loop polls the file's size and appends the whole records it
 * gained, then the views that use the dataset are updated (the Data and
 * Forecast views, and the results of the campaigns on it). Everything runs
 * on the console's thread; a poll reads at most FOLLOW_MAX_BYTES so that
 * keys are never held up for long. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "campaign.h"
#include "console.h"
#include "csvappend.h"
#include "view.h"
#include "xmalloc.h"

#define FOLLOW_PERIOD_MS 250
/* A database query is heavier than a look at a file's size. */
#define FOLLOW_CAMPAIGN_MS 5000
#define FOLLOW_MAX_BYTES (4u << 20)

struct follow {
	char *dataset;
	char *path;
	struct csvappend_pos pos;
	size_t rows;            /* of the dataset when pos was found */
	char *error;            /* the last error shown, to show it once */
	size_t skipped;         /* records that did not fit, stepped over */
	char *last_skip;        /* "FILE:LINE" of the last of them */
	struct console *c;      /* for the skip callback */
};

long long console_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int follow_period(const struct console *c)
{
	int r = c->opts.refresh_ms;

	return r > 0 && r < FOLLOW_PERIOD_MS ? r : FOLLOW_PERIOD_MS;
}

static void follow_free(struct follow *f)
{
	free(f->dataset);
	free(f->path);
	free(f->error);
	free(f->last_skip);
}

static void follow_remove(struct console *c, size_t i)
{
	follow_free(&c->follows[i]);
	memmove(c->follows + i, c->follows + i + 1, (--c->n_follows - i) * sizeof *c->follows);
}

/* Finds where the dataset's rows end in its file; false after a message. */
static bool follow_locate(struct console *c, struct follow *f, const struct table *t)
{
	char *cause = NULL;

	if (csvappend_where(t, f->pos.delim, &f->pos, &cause) != 0) {
		console_message(c, true, "watch %s: %s", f->dataset, cause);
		free(cause);
		return false;
	}
	f->rows = t->n_rows;
	return true;
}

void follow_add(struct console *c, const char *dataset)
{
	struct table *t = workspace_get(&c->ctx->ws, dataset);
	struct follow f = { 0 };

	if (t == NULL || t->path == NULL)
		return;
	for (size_t i = 0; i < c->n_follows; i++)
		if (strcmp(c->follows[i].dataset, dataset) == 0)
			follow_remove(c, i);
	f.dataset = xstrdup(dataset);
	f.path = xstrdup(t->path);
	if (!follow_locate(c, &f, t)) {
		follow_free(&f);
		return;
	}
	c->follows = xreallocarray(c->follows, c->n_follows + 1, sizeof *c->follows);
	c->follows[c->n_follows++] = f;
	c->follow_due = console_now_ms() + follow_period(c);
	console_dirty(c, DIRTY_SIDE);
}

int follow_campaign_period(const struct console *c)
{
	return c->opts.refresh_ms > 0 ? c->opts.refresh_ms : FOLLOW_CAMPAIGN_MS;
}

void follow_add_campaign(struct console *c, const char *campaign)
{
	for (size_t i = 0; i < c->n_watched; i++)
		if (strcmp(c->watched[i], campaign) == 0)
			return;
	c->watched = xreallocarray(c->watched, c->n_watched + 1, sizeof *c->watched);
	c->watched[c->n_watched++] = xstrdup(campaign);
	c->watched_due = console_now_ms() + follow_campaign_period(c);
}

/* Queues the watched campaigns' tests when they are due and nothing else
 * waits; a campaign that was dropped is no longer watched. */
static void follow_campaigns(struct console *c, long long now)
{
	if (c->n_watched == 0 || now < c->watched_due || c->job != NULL || c->n_queue > 0)
		return;
	c->watched_due = now + follow_campaign_period(c);
	for (size_t i = 0; i < c->n_watched; i++) {
		if (campaigns_get(&c->ctx->campaigns, c->watched[i]) == NULL) {
			free(c->watched[i]);
			memmove(c->watched + i, c->watched + i + 1,
			    (--c->n_watched - i) * sizeof *c->watched);
			i--;
		} else
			console_enqueue_refresh(c, c->watched[i]);
	}
	console_jobs(c);
}

void follow_done(struct console *c)
{
	for (size_t i = 0; i < c->n_watched; i++)
		free(c->watched[i]);
	free(c->watched);
	c->watched = NULL;
	c->n_watched = 0;
	for (size_t i = 0; i < c->n_follows; i++)
		follow_free(&c->follows[i]);
	free(c->follows);
	c->follows = NULL;
	c->n_follows = 0;
}

int follow_timeout(const struct console *c, int timeout)
{
	long long left;

	if (c->n_watched > 0 && c->job == NULL) {
		left = c->watched_due - console_now_ms();
		timeout = left < 0 ? 0 : left < timeout ? (int)left : timeout;
	}
	if (c->n_follows == 0 || c->job != NULL)
		return timeout;
	left = c->follow_due - console_now_ms();
	if (left < 0)
		left = 0;
	return left < timeout ? (int)left : timeout;
}

/* True when the campaign reads dataset. */
static bool follow_uses(const struct campaign *k, const char *dataset)
{
	const char *names[] = { k->dataset, k->aggregates, k->users };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (dataset == NULL || (names[i] != NULL && strcmp(names[i], dataset) == 0))
			return true;
	return false;
}

void console_test_campaign(struct console *c, const char *name)
{
	void (*record)(void *, const char *, long, bool) = c->ctx->record;
	const struct campaign *k = campaigns_get(&c->ctx->campaigns, name);
	char *line, *cause = NULL;
	cJSON *res = NULL;

	/* A database may take a while: its test runs as a job, Esc cancels. */
	if (k != NULL && k->pg != NULL) {
		console_enqueue_refresh(c, name);
		console_jobs(c);
		return;
	}
	line = xasprintf("test '%s'", name);
	/* Refreshing a result is not a new command of the session. */
	c->ctx->record = NULL;
	if (cmd_run(c->ctx, line, &res, &cause) == 0) {
		for (int v = 0; v < CONSOLE_VIEWS; v++)
			if (view_has_command(console_views[v], "test"))
				console_views[v]->update(c, c->view_state[v], VIEW_RESULT, "test", res);
	}
	c->ctx->record = record;
	console_dirty(c, DIRTY_MAIN);
	free(cause);
	cJSON_Delete(res);
	free(line);
}

void console_retest(struct console *c, const char *dataset)
{
	for (size_t i = 0; i < c->ctx->campaigns.n; i++)
		if (follow_uses(c->ctx->campaigns.v[i], dataset))
			console_test_campaign(c, c->ctx->campaigns.v[i]->name);
}

/* Tells the views that a followed dataset grew. */
static void follow_changed_quietly(struct console *c, const struct follow *f)
{
	for (int i = 0; i < CONSOLE_VIEWS; i++)
		if (console_views[i]->update != NULL)
			console_views[i]->update(c, c->view_state[i], VIEW_DATA_CHANGED, NULL, NULL);
	console_retest(c, f->dataset);
	console_dirty(c, DIRTY_SIDE | DIRTY_MAIN);
}

/* ... and says so, unless a skipped line's error is in sight. */
static void follow_changed(struct console *c, const struct follow *f, size_t added)
{
	follow_changed_quietly(c, f);
	console_message(c, false, "watch %s: +%zu %s, %zu in all", f->dataset, added,
	    added == 1 ? "row" : "rows", f->rows);
}

/* "ev: 40101 rows, 1 skipped (last ev.csv:40103)" (new string). */
static char *follow_state(const struct follow *f)
{
	char *skipped = f->skipped == 0 ? xstrdup("") :
	    xasprintf(", %zu skipped (last %s)", f->skipped, f->last_skip);
	char *out = xasprintf("%s: %zu %s%s", f->dataset, f->rows, f->rows == 1 ? "row" : "rows",
	    skipped);

	free(skipped);
	return out;
}

char *follow_label(const struct console *c)
{
	char *out;

	if (c->n_follows == 0)
		return NULL;
	out = xstrdup("[following");
	for (size_t i = 0; i < c->n_follows; i++) {
		char *state = follow_state(&c->follows[i]);
		char *more = xasprintf("%s%s %s%s", out, i > 0 ? ";" : "", state,
		    i + 1 == c->n_follows ? "]" : "");

		free(state);
		free(out);
		out = more;
	}
	return out;
}

/* A record that did not fit: counted, its place kept, its error shown. */
static void follow_skip(void *arg, size_t line, char *message)
{
	struct follow *f = arg;
	const char *base = strrchr(f->path, '/');

	f->skipped++;
	free(f->last_skip);
	f->last_skip = xasprintf("%s:%zu", base != NULL ? base + 1 : f->path, line);
	console_message(f->c, true, "%s (line skipped; following goes on)", message);
	free(message);
}

/* Polls one followed file; false when it is no longer followed. */
static bool follow_one(struct console *c, struct follow *f)
{
	struct table *t = workspace_get(&c->ctx->ws, f->dataset);
	char *cause = NULL;
	long long size;
	size_t added, skipped;

	if (t == NULL || t->path == NULL || strcmp(t->path, f->path) != 0)
		return false;
	/* Fewer rows (a user forgotten): what was read stays read. More rows
	 * (the file loaded again): find where they end. */
	if (t->n_rows < f->rows)
		f->rows = t->n_rows;
	if (t->n_rows > f->rows && !follow_locate(c, f, t))
		return false;
	if ((size = csvappend_size(f->path)) >= 0 && (unsigned long long)size == f->pos.offset)
		return true;
	f->c = c;
	skipped = f->skipped;
	if (csvappend_read_skipping(t, f->path, &f->pos, FOLLOW_MAX_BYTES, &added, follow_skip, f,
	    &cause) != 0) {
		if (f->error == NULL || strcmp(f->error, cause) != 0)
			console_message(c, true, "%s", cause);
		free(f->error);
		f->error = cause;
		return true;
	}
	free(f->error);
	f->error = NULL;
	csvappend_remember(t, &f->pos);
	f->rows = t->n_rows;
	if (added > 0 && f->skipped == skipped)
		follow_changed(c, f, added);
	else if (added > 0)
		follow_changed_quietly(c, f);
	console_dirty(c, DIRTY_STATUS);
	return true;
}

void follow_poll(struct console *c)
{
	long long now = console_now_ms();

	follow_campaigns(c, now);
	/* Appending rows changes arrays a running job may be reading: the
	 * rows wait for it to end. */
	if (c->n_follows == 0 || c->job != NULL || now < c->follow_due)
		return;
	c->follow_due = now + follow_period(c);
	for (size_t i = 0; i < c->n_follows; i++) {
		if (!follow_one(c, &c->follows[i]))
			follow_remove(c, i--);
	}
}
