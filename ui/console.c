/* The console's commands: running them, routing results, the worker
 * queue, messages and quitting. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "console.h"
#include "job.h"
#include "msglog.h"
#include "pager.h"
#include "prompt.h"
#include "result.h"
#include "text.h"
#include "view.h"
#include "xmalloc.h"

const struct view *const console_views[CONSOLE_VIEWS] = {
	&view_data, &view_segments, &view_recommend, &view_campaigns, &view_forecast
};

/* The table entry of a command known to exist (it was parsed and found). */
static unsigned console_flags(const char *name)
{
	const struct cmd_entry *e = cmd_find(name);

	return e != NULL ? e->flags : 0;
}

void console_message(struct console *c, bool error, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	free(c->message);
	c->message = text_clean(s);
	c->message_error = error;
	msglog_add(c->log, c->message, error, time(NULL));
	free(s);
	console_dirty(c, DIRTY_STATUS);
}

void console_dirty(struct console *c, unsigned regions)
{
	c->dirty |= regions;
}

void console_notify(struct console *c, int ev)
{
	for (int i = 0; i < CONSOLE_VIEWS; i++)
		if (console_views[i]->update != NULL)
			console_views[i]->update(c, c->view_state[i], (enum view_event)ev, NULL,
			    NULL);
	console_dirty(c, DIRTY_SIDE | DIRTY_MAIN);
}

struct table *console_table(struct console *c)
{
	return c->dataset != NULL ? workspace_get(&c->ctx->ws, c->dataset) : NULL;
}

void console_set_dataset(struct console *c, const char *name)
{
	char *copy = name != NULL ? xstrdup(name) : NULL;

	free(c->dataset);
	c->dataset = copy;
	for (size_t i = 0; name != NULL && i < c->ctx->ws.n_tables; i++)
		if (strcmp(c->ctx->ws.tables[i]->name, name) == 0)
			c->side_sel = i;
	console_notify(c, VIEW_DATASET);
}

void console_show_view(struct console *c, int i)
{
	const struct view *v = console_views[c->view];

	if (i < 0 || i >= CONSOLE_VIEWS)
		return;
	/* A view with a form open stays in front until the form closes. */
	if (i != c->view && v->modal != NULL && v->modal(c->view_state[c->view]))
		return;
	c->view = i;
	c->side_focus = false;
	console_dirty(c, DIRTY_ALL);
}

void console_popup_area(const struct console *c, bool wide, int *y, int *x, int *rows,
    int *cols)
{
	*y = 1;
	*x = wide ? 0 : layout_side_width(c);
	*rows = c->rows - 3;
	*cols = c->cols - *x;
}

static void console_popup_place(struct console *c, struct pager *p)
{
	int y, x, rows, cols;

	pager_free(c->pager);
	c->pager = p;
	console_popup_area(c, c->pager_wide, &y, &x, &rows, &cols);
	if (!c->too_small)
		pager_place(p, y, x, rows, cols);
	console_dirty(c, DIRTY_FOOTER);
}

void console_popup(struct console *c, struct pager *p)
{
	c->pager_wide = false;
	console_popup_place(c, p);
}

void console_popup_wide(struct console *c, struct pager *p)
{
	c->pager_wide = true;
	console_popup_place(c, p);
}

void console_prompt(struct console *c, struct prompt *p)
{
	prompt_free(c->prompt);
	c->prompt = p;
	console_dirty(c, DIRTY_STATUS | DIRTY_FOOTER);
}

/* Keeps the current dataset valid after a drop. */
static void console_check_dataset(struct console *c)
{
	if (c->dataset != NULL && workspace_get(&c->ctx->ws, c->dataset) != NULL)
		return;
	console_set_dataset(c, c->ctx->ws.n_tables ? c->ctx->ws.tables[0]->name : NULL);
}

/* Gives a result to the view that shows the command's results; false when
 * there is none. */
static bool console_route_view(struct console *c, const char *name, const cJSON *res)
{
	for (int i = 0; i < CONSOLE_VIEWS; i++) {
		const struct view *v = console_views[i];

		if (!view_has_command(v, name))
			continue;
		/* The view comes to the front: an earlier popup would hide it. */
		pager_free(c->pager);
		c->pager = NULL;
		v->update(c, c->view_state[i], VIEW_RESULT, name, res);
		console_show_view(c, i);
		return true;
	}
	return false;
}

/* Shows a successful result: in the view that owns the command, as the
 * current dataset (in front when show is set), or in a popup. */
static void console_route(struct console *c, const char *name, cJSON *res, bool show)
{
	unsigned flags = console_flags(name);
	const cJSON *ds = cJSON_GetObjectItemCaseSensitive(res, "dataset");
	char *summary = result_summary(name, res);

	c->unsaved |= (flags & CMD_CHANGES_DATA) != 0;
	if (flags & (CMD_CHANGES_DATA | CMD_SHOWS_DATASET))
		console_notify(c, VIEW_DATA_CHANGED);
	console_check_dataset(c);
	if (console_route_view(c, name, res))
		;
	else if ((flags & CMD_SHOWS_DATASET) && cJSON_IsString(ds)) {
		if (show || c->dataset == NULL)
			console_set_dataset(c, ds->valuestring);
		if (show)
			console_show_view(c, 0);
	} else {
		struct pager *p = pager_new(name);

		result_render(p, res);
		console_popup(c, p);
	}
	console_message(c, false, "%s", summary);
	free(summary);
}

static void console_fail(struct console *c, char *cause)
{
	console_message(c, true, "%s", cause != NULL ? cause : "failed");
	free(cause);
}

/* Segmentation i (in the order listed) or false past the last; the
 * datasets' cluster columns first, then what segment commands added. */
static bool console_segmentation(const struct console *c, size_t i,
    struct console_side_entry *e)
{
	const struct workspace *ws = &c->ctx->ws;

	for (size_t k = 0; k < ws->n_tables; k++) {
		if (table_find_column(ws->tables[k], "cluster") >= 0 && i-- == 0) {
			*e = (struct console_side_entry){ SIDE_SEGMENTATION, ws->tables[k]->name,
			    "cluster" };
			return true;
		}
	}
	for (size_t k = 0; k < c->segmentations->n; k++) {
		const char *entry = c->segmentations->v[k], *dot = strrchr(entry, '.');
		const struct table *t;
		char *ds;

		if (dot == NULL || strcmp(dot + 1, "cluster") == 0)
			continue;
		ds = xstrndup(entry, (size_t)(dot - entry));
		t = workspace_get(ws, ds);
		free(ds);
		if (t == NULL || table_find_column(t, dot + 1) < 0 || i-- > 0)
			continue;
		*e = (struct console_side_entry){ SIDE_SEGMENTATION, t->name, dot + 1 };
		return true;
	}
	return false;
}

static size_t console_n_segmentations(const struct console *c)
{
	struct console_side_entry e;
	size_t n = 0;

	while (console_segmentation(c, n, &e))
		n++;
	return n;
}

size_t console_side_count(const struct console *c)
{
	return c->ctx->ws.n_tables + console_n_segmentations(c) + c->ctx->campaigns.n;
}

struct console_side_entry console_side_entry(const struct console *c, size_t i)
{
	struct console_side_entry e = { SIDE_DATASET, NULL, NULL };
	size_t nd = c->ctx->ws.n_tables, ns = console_n_segmentations(c);

	if (i < nd) {
		e.dataset = c->ctx->ws.tables[i]->name;
		return e;
	}
	if (i < nd + ns) {
		console_segmentation(c, i - nd, &e);
		return e;
	}
	e.kind = SIDE_CAMPAIGN;
	e.name = c->ctx->campaigns.v[i - nd - ns]->name;
	return e;
}

void console_demo_campaign(struct console *c)
{
	char *cause = NULL;
	cJSON *res = NULL;

	c->demo_campaign = false;
	if (workspace_get(&c->ctx->ws, "events") == NULL || c->opts.readonly)
		return;
	/* Run as a command, so that it is in the session, but without leaving
	 * the view the user is looking at. */
	if (cmd_run(c->ctx, CONSOLE_DEMO_CAMPAIGN, &res, &cause) != 0) {
		free(cause);
		return;
	}
	for (int i = 0; i < CONSOLE_VIEWS; i++)
		if (view_has_command(console_views[i], "campaign"))
			console_views[i]->update(c, c->view_state[i], VIEW_RESULT, "campaign", res);
	cJSON_Delete(res);
	console_test_campaign(c, "demo");
	console_dirty(c, DIRTY_SIDE);
}

void console_enqueue(struct console *c, const char *line, bool show)
{
	c->queue = xreallocarray(c->queue, c->n_queue + 1, sizeof *c->queue);
	c->queue[c->n_queue].line = xstrdup(line);
	c->queue[c->n_queue].confine = NULL;
	c->queue[c->n_queue].refresh = false;
	c->queue[c->n_queue++].show = show;
	console_dirty(c, DIRTY_STATUS);
}

void console_enqueue_refresh(struct console *c, const char *name)
{
	char *line = xstrdup("test");

	cmd_append(&line, NULL, name);
	console_enqueue(c, line, false);
	c->queue[c->n_queue - 1].refresh = true;
	free(line);
}

/* After watch: follow the file, and show what the rows changed. */
static void console_watched(struct console *c, const cJSON *res)
{
	const cJSON *ds = cJSON_GetObjectItemCaseSensitive(res, "dataset");
	const cJSON *added = cJSON_GetObjectItemCaseSensitive(res, "rows_added");
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(res, "rows");

	const cJSON *camp = cJSON_GetObjectItemCaseSensitive(res, "campaign");

	if (cJSON_IsString(camp)) {
		follow_add_campaign(c, camp->valuestring);
		console_message(c, false, "watching campaign %s: its query runs again every %d s",
		    camp->valuestring, follow_campaign_period(c) / 1000);
		return;
	}
	if (!cJSON_IsString(ds) || !cJSON_IsNumber(added) || !cJSON_IsNumber(rows))
		return;
	follow_add(c, ds->valuestring);
	console_notify(c, VIEW_DATA_CHANGED);
	if (added->valuedouble > 0)
		console_retest(c, ds->valuestring);
	console_message(c, false, "watching %s: %.0f rows (+%.0f); new rows show as they land",
	    ds->valuestring, rows->valuedouble, added->valuedouble);
}

/* A segment command's new column, for the sidebar. */
static void console_segmented(struct console *c, const struct cmd_args *args)
{
	char *entry;

	if (strcmp(args->name, "segment") != 0 || args->n_pos < 1)
		return;
	entry = xasprintf("%s.%s", args->pos[0], cmd_arg(args, "name", "cluster"));
	for (size_t i = 0; i < c->segmentations->n; i++) {
		if (strcmp(c->segmentations->v[i], entry) == 0) {
			free(entry);
			return;
		}
	}
	prompt_list_add(c->segmentations, entry);
	free(entry);
	console_dirty(c, DIRTY_SIDE);
}

/* A campaign just defined gets its results at once. */
static void console_defined(struct console *c, const char *name, const cJSON *res)
{
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(res, "campaign");

	if (strcmp(name, "campaign") == 0 && cJSON_IsString(k) &&
	    cJSON_GetObjectItemCaseSensitive(res, "command") != NULL)
		console_test_campaign(c, k->valuestring);
	if (strcmp(name, "campaign") == 0)
		console_dirty(c, DIRTY_SIDE);
}

/* Shows how a command ended, wherever it ran; takes cause. */
static void console_ended(struct console *c, const struct cmd_args *args, bool show, int rc,
    cJSON *res, char *cause)
{
	const cJSON *ds = cJSON_GetObjectItemCaseSensitive(res, "dataset");

	if (rc != 0) {
		console_fail(c, cause);
		return;
	}
	free(cause);
	if (strcmp(args->name, "watch") == 0) {
		console_watched(c, res);
		return;
	}
	c->routed = args;
	console_route(c, args->name, res, show);
	c->routed = NULL;
	console_defined(c, args->name, res);
	console_segmented(c, args);
	if (strcmp(args->name, "load") == 0) {
		c->n_loaded++;
		if (cJSON_IsString(ds))
			console_retest(c, ds->valuestring);
	}
}

static void console_job_done(struct console *c)
{
	cJSON *res = NULL;
	char *cause = NULL;
	bool cancelled = job_cancelled(c->job);
	int rc = job_finish(c->job, c->ctx, &res, &cause);

	/* The worker's context records nothing: the command is recorded here,
	 * on this thread, as cmd_run would have; a cancelled one is not. */
	if (!cancelled && !c->job_refresh)
		cmd_record(c->ctx, cmd_find(c->job_args.name), job_line(c->job),
		    (long)(console_now_ms() - c->job_since), rc);
	/* Datasets the command dropped or replaced are gone: views look again. */
	if (rc == 0)
		console_notify(c, VIEW_DATA_CHANGED);
	if (cancelled) {
		free(cause);
		console_message(c, false, "cancelled: %s%s", job_line(c->job),
		    c->dropped != NULL ? c->dropped : "");
		free(c->dropped);
		c->dropped = NULL;
	} else
		console_ended(c, &c->job_args, c->job_show, rc, res, cause);
	cmd_args_done(&c->job_args);
	job_free(c->job);
	c->job = NULL;
	cJSON_Delete(res);
	if (c->n_queue == 0 && c->n_loaded > 1 && rc == 0)
		console_message(c, false, "loaded %zu datasets", c->n_loaded);
	if (c->n_queue == 0)
		c->n_loaded = 0;
	if (c->n_queue == 0 && c->demo_campaign)
		console_demo_campaign(c);
	if (c->n_queue == 0 && c->hint != NULL) {
		console_message(c, false, "%s", c->hint);
		free(c->hint);
		c->hint = NULL;
	}
	console_dirty(c, DIRTY_ALL);
}

/* A new job's line replaces what the last command said (an error stays
 * until it has been seen). */
static void console_unstale(struct console *c)
{
	if (c->message_error)
		return;
	free(c->message);
	c->message = NULL;
}

/* Runs the first queued command: here, or on the worker. */
static void console_next(struct console *c)
{
	char *line = c->queue[0].line, *cause = NULL;
	bool show = c->queue[0].show, refresh = c->queue[0].refresh;
	const struct pathpolicy *confine = c->queue[0].confine;
	struct cmd_args args;
	cJSON *res = NULL;
	int rc;

	memmove(c->queue, c->queue + 1, --c->n_queue * sizeof *c->queue);
	/* The worker's context takes it over at its start. */
	c->ctx->confine = confine;
	if (cmd_parse(line, &args, &cause) != 0)
		console_fail(c, cause);
	else if (!(console_flags(args.name) & CMD_SCREEN_THREAD)) {
		c->job_show = show;
		c->job_refresh = refresh;
		c->job_since = console_now_ms();
		if ((c->job = job_start(line, c->ctx, &cause)) == NULL) {
			console_fail(c, cause);
			cmd_args_done(&args);
		} else {
			c->job_args = args;
			console_unstale(c);
		}
	} else {
		rc = cmd_run(c->ctx, line, &res, &cause);
		console_ended(c, &args, show, rc, res, cause);
		cJSON_Delete(res);
		cmd_args_done(&args);
	}
	c->ctx->confine = NULL;
	free(line);
	console_dirty(c, DIRTY_STATUS);
}

void console_jobs(struct console *c)
{
	if (c->job != NULL && job_poll(c->job))
		console_job_done(c);
	while (c->job == NULL && c->n_queue > 0)
		console_next(c);
}

/* Empties the queue into c->dropped: " (and 2 queued: describe pts, head
 * pts)", or NULL when nothing was queued. */
static void console_drop_queue(struct console *c)
{
	char *list = xstrdup("");

	free(c->dropped);
	c->dropped = NULL;
	for (size_t i = 0; i < c->n_queue; i++) {
		char *more = xasprintf("%s%s%s", list, i > 0 ? ", " : "", c->queue[i].line);

		free(list);
		list = more;
		free(c->queue[i].line);
	}
	if (c->n_queue > 0)
		c->dropped = xasprintf(" (and %zu queued: %s)", c->n_queue, list);
	free(list);
	c->n_queue = 0;
}

void console_cancel(struct console *c)
{
	if (c->job == NULL && c->n_queue == 0)
		return;
	console_drop_queue(c);
	if (c->job != NULL) {
		job_cancel(c->job);
		console_message(c, false, "cancelling: %s%s", job_line(c->job),
		    c->dropped != NULL ? c->dropped : "");
	} else {
		console_message(c, false, "cancelled%s", c->dropped);
		free(c->dropped);
		c->dropped = NULL;
	}
	console_dirty(c, DIRTY_ALL);
}

/* ":q" and ":quit", as in vi: the console's own, not commands. */
static bool console_quit_line(const char *line)
{
	size_t n = strcspn(line, " ");

	return (n == 1 || n == 4) && strncmp(line, "quit", n) == 0 &&
	    line[n + strspn(line + n, " ")] == '\0';
}

void console_command(struct console *c, const char *line)
{
	console_command_confined(c, line, NULL);
}

void console_command_confined(struct console *c, const char *line,
    const struct pathpolicy *confine)
{
	struct cmd_args args;
	char *cause = NULL;

	while (*line == ' ' || *line == ':')
		line++;
	if (*line == '\0')
		return;
	if (console_quit_line(line)) {
		console_quit(c);
		return;
	}
	if (cmd_parse(line, &args, &cause) != 0) {
		console_fail(c, cause);
		return;
	}
	if (c->job != NULL)
		console_message(c, false, "queued: %s", line);
	console_enqueue(c, line, true);
	c->queue[c->n_queue - 1].confine = confine;
	cmd_args_done(&args);
	console_jobs(c);
}

static void console_submit(struct console *c, const char *text)
{
	console_command(c, text);
}

void console_command_line(struct console *c, const char *text)
{
	console_prompt(c, prompt_new(":", text, c->history, console_complete, console_submit));
}

void console_quit(struct console *c)
{
	if (c->unsaved && !c->confirm_quit) {
		c->confirm_quit = true;
		console_dirty(c, DIRTY_STATUS | DIRTY_FOOTER);
		return;
	}
	c->quit = true;
}
