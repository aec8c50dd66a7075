/* The console's state, shared by the event loop, the layout and the views.
 * Every curses call happens on the thread that runs ui_main. */
#ifndef CROSSMKT_CONSOLE_H
#define CROSSMKT_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "command.h"
#include "curses-wrap.h"
#include "ui.h"

#define CONSOLE_VIEWS 5
#define CONSOLE_MIN_ROWS 20
#define CONSOLE_MIN_COLS 60
/* Below this the sidebar is hidden and the view takes the whole width. */
#define CONSOLE_SIDE_ROWS 24
#define CONSOLE_SIDE_COLS 80

/* Regions to redraw. */
enum console_dirty {
	DIRTY_TABS = 1, DIRTY_SIDE = 2, DIRTY_MAIN = 4, DIRTY_STATUS = 8, DIRTY_FOOTER = 16,
	DIRTY_ALL = 31
};

enum console_region { REGION_TABS, REGION_SIDE, REGION_MAIN, REGION_STATUS, REGION_FOOTER,
	REGION_COUNT };

struct job;
struct follow;
struct replay_run;
struct prompt;
struct prompt_list;
struct pager;
struct view;

struct console {
	struct cmd_ctx *ctx;
	struct ui_opts opts;
	WINDOW *win[REGION_COUNT];
	PANEL *pan[REGION_COUNT];
	int rows, cols;
	bool too_small;
	unsigned dirty;

	int view;
	void *view_state[CONSOLE_VIEWS];
	bool side_focus;
	size_t side_sel;
	size_t side_top;        /* the first sidebar line shown (sidebar.c) */
	char *dataset;          /* shown in the Data view; NULL for none */

	char *message;          /* status line text, clean */
	struct msglog *log;     /* the messages shown, in full */
	char *hint;             /* shown once the first loads are done */
	char *dropped;                  /* queued lines a cancel dropped, for its message */
	bool message_error;
	bool unsaved;
	bool confirm_quit;
	bool quit;

	struct job *job;        /* the command running on the worker, or NULL */
	struct console_queued {
		char *line;     /* a command line waiting for its turn */
		bool show;      /* show its dataset when it is loaded */
		/* A replayed session's command: the files it may open. */
		const struct pathpolicy *confine;
		bool refresh;   /* a watched campaign's test: not recorded */
	} *queue;
	size_t n_queue;
	struct cmd_args job_args;       /* the running job's command, parsed */
	bool job_show;
	bool job_refresh;
	long long job_since;    /* console_now_ms() then */
	size_t n_loaded;        /* loads done since the queue was last empty */

	struct prompt *prompt;  /* the open prompt, or NULL */
	struct prompt_list *history;    /* of the ':' line */
	struct pager *pager;    /* the open popup, or NULL */
	bool pager_wide;

	struct follow *follows;         /* files followed by watch */
	size_t n_follows;
	long long follow_due;           /* next poll, ms on the monotonic clock */
	char **watched;                 /* pg= campaigns tested again and again */
	size_t n_watched;
	long long watched_due;          /* next test of them */
	bool restore_ask;               /* asking whether to restore the autosave */
	char *restore_path;
	struct replay_run *replay;      /* a session replayed in view, or NULL */
	bool replay_ask;                /* asking whether to replay it at all */
	bool replayed;                  /* it ran: nothing is autosaved */
	char *const *start_files;       /* given on the command line */
	size_t n_start_files;
	bool demo_campaign;             /* define the demo campaign after the loads */
	struct prompt_list *segmentations;      /* "DATASET.COLUMN" made by segment */
	/* The command whose result the views are being given, for the views
	 * that need its words; NULL at other times. */
	const struct cmd_args *routed;
};

/* The campaign defined when the demo data are loaded. */
#define CONSOLE_DEMO_CAMPAIGN "campaign demo dataset=events arm=arm control=control " \
	"metric=conversion window=14d"


extern const struct view *const console_views[CONSOLE_VIEWS];

/* Shows a message in the status line (the text is cleaned). */
void console_message(struct console *c, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Runs a command line as typed on the ':' line, after those queued: most
 * on the worker (job.h), the few that change campaigns or the session on
 * this thread; the result is routed to its view or a popup. */
void console_command(struct console *c, const char *line);
/* The same for a command of a replayed session, confined to what its
 * policy allows (NULL: the user's own). */
void console_command_confined(struct console *c, const char *line,
    const struct pathpolicy *confine);
/* The dataset shown in the Data view, or NULL. */
struct table *console_table(struct console *c);
/* Makes name the current dataset and tells the views. */
void console_set_dataset(struct console *c, const char *name);
/* Switches the main area to view i. */
void console_show_view(struct console *c, int i);
/* Marks regions for redrawing. */
void console_dirty(struct console *c, unsigned regions);
/* Opens a popup over the main area; the console owns it. */
void console_popup(struct console *c, struct pager *p);
/* The same over the sidebar too, for wide text such as the help. */
void console_popup_wide(struct console *c, struct pager *p);
/* Asks for quitting (with a confirmation when there is unsaved work). */
void console_quit(struct console *c);
/* Cancels the running command and those queued. */
void console_cancel(struct console *c);
/* Queues a command line; show brings its dataset to the front. */
void console_enqueue(struct console *c, const char *line, bool show);
/* Queues 'test NAME' of a watched campaign, not recorded in the session. */
void console_enqueue_refresh(struct console *c, const char *name);
/* Finishes a job that is done and runs what is queued until a job is
 * running; called by the loop. */
void console_jobs(struct console *c);
/* Opens a prompt in the status line; the console owns it. */
void console_prompt(struct console *c, struct prompt *p);
/* Opens the ':' command line with text already typed. */
void console_command_line(struct console *c, const char *text);
/* The completion source of the ':' line: command, dataset and column names. */
void console_complete(struct console *c, const char *line, size_t index, const char *key,
    struct prompt_list *out);
/* Tells every view that something changed. */
void console_notify(struct console *c, int ev);
/* The area popups cover: y, x, rows, cols. */
void console_popup_area(const struct console *c, bool wide, int *y, int *x, int *rows,
    int *cols);

/* Files followed by watch (follow.c). Starts following the file of a
 * dataset after a watch command read it. */
void follow_add(struct console *c, const char *dataset);
/* Reads what the followed files gained when a poll is due and updates
 * the views that depend on them. */
void follow_poll(struct console *c);
/* Milliseconds until the next poll, at most timeout (timeout when none). */
int follow_timeout(const struct console *c, int timeout);
/* "[following ev: 40101 rows, 1 skipped (last ev.csv:40103)]" (new
 * string), or NULL when nothing is followed. */
char *follow_label(const struct console *c);
/* Starts re-testing a pg= campaign at the refresh interval, after a watch
 * command ran its query. */
void follow_add_campaign(struct console *c, const char *campaign);
/* Milliseconds between two tests of a watched pg= campaign. */
int follow_campaign_period(const struct console *c);
/* Stops following everything. */
void follow_done(struct console *c);
/* Runs 'test NAME' for every campaign on dataset (NULL: every campaign),
 * unrecorded, and gives the results to the Campaigns view. */
void console_retest(struct console *c, const char *dataset);
/* Runs 'test NAME' unrecorded and gives the result to the Campaigns view. */
void console_test_campaign(struct console *c, const char *name);
/* Milliseconds on the monotonic clock. */
long long console_now_ms(void);

/* The entries of the sidebar: datasets, segmentations (a dataset's
 * cluster column, or the column a segment command added) and campaigns. */
enum console_side_kind { SIDE_DATASET, SIDE_SEGMENTATION, SIDE_CAMPAIGN };

struct console_side_entry {
	enum console_side_kind kind;
	const char *dataset;    /* SIDE_DATASET, SIDE_SEGMENTATION */
	const char *name;       /* the column, or the campaign's name */
};

/* The number of sidebar entries. */
size_t console_side_count(const struct console *c);
/* Entry i of the sidebar (i < console_side_count). */
struct console_side_entry console_side_entry(const struct console *c, size_t i);

/* Defines the demo campaign once the demo data are loaded. */
void console_demo_campaign(struct console *c);

/* Layout (layout.c). Creates the region windows for the screen size (again
 * after a resize). */
void layout_create(struct console *c);
/* Deletes the region windows. */
void layout_destroy(struct console *c);
/* Draws the dirty regions and updates the screen. */
void layout_draw(struct console *c);
/* Columns of the sidebar for the screen width. */
int layout_side_width(const struct console *c);

/* The help popup (keys.c). */
struct pager *keys_help(struct console *c);

#endif
