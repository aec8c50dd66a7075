/* The campaign form: one line per argument, choices from menus. */
#include "config.h"

#include <form.h>
#include <menu.h>
#include <stdlib.h>
#include <string.h>

#include "campaign-form.h"
#include "campaign-hint.h"
#include "console.h"
#include "keys.h"
#include "prompt.h"
#include "text.h"
#include "tty.h"
#include "xmalloc.h"

#define CFORM_LABEL 14
#define CFORM_MAX_CHOICES 200

enum cform_field {
	CF_NAME, CF_DATASET, CF_ARM, CF_CONTROL, CF_METRIC, CF_TARGET, CF_ALLOC, CF_ALPHA,
	CF_RUN, CF_COUNT
};

/* Each line: its label, the command's key, and whether a menu offers values. */
static const struct cform_line {
	const char *label;
	const char *key;
	bool menu;
} cform_lines[CF_COUNT] = {
	{ "Name", NULL, false },
	{ "Dataset", "dataset", true },
	{ "Arm column", "arm", true },
	{ "Control", "control", true },
	{ "Metric", "metric", true },
	{ "Target", "target", false },
	{ "Allocation", "alloc", false },
	{ "Alpha", "alpha", false },
	{ "", NULL, false },
};

/* An open menu of choices for one field. */
struct cform_menu {
	MENU *menu;
	ITEM **items;
	struct prompt_list names;       /* clean choices, owned */
	WINDOW *win, *sub;
	PANEL *pan;
	int field;
};

struct campaign_form {
	struct console *c;
	char *title;
	FIELD *fields[CF_COUNT + 1];
	FORM *form;
	WINDOW *win, *sub;
	PANEL *pan;
	char *values[CF_COUNT];         /* kept across resizes */
	char *initial[CF_COUNT];        /* as the form opened, to see changes */
	bool esc_asked;                 /* Esc was pressed on changes: again discards */
	struct cform_menu *menu;
};

/* The field's text without the padding (new string). */
static char *cform_value(struct campaign_form *f, int i)
{
	const char *b;
	size_t n;

	if (f->form == NULL)
		return xstrdup(f->values[i] ? f->values[i] : "");
	form_driver(f->form, REQ_VALIDATION);
	b = field_buffer(f->fields[i], 0);
	if (b == NULL)
		return xstrdup("");
	while (*b == ' ')
		b++;
	n = strlen(b);
	while (n > 0 && b[n - 1] == ' ')
		n--;
	return xstrndup(b, n);
}

static void cform_set(struct campaign_form *f, int i, const char *v)
{
	free(f->values[i]);
	f->values[i] = xstrdup(v != NULL ? v : "");
	if (f->fields[i] != NULL)
		set_field_buffer(f->fields[i], 0, f->values[i]);
}

/* Keeps the fields' text, for a resize or the end. */
static void cform_save(struct campaign_form *f)
{
	for (int i = 0; f->form != NULL && i < CF_RUN; i++) {
		char *v = cform_value(f, i);

		free(f->values[i]);
		f->values[i] = v;
	}
}

static const struct table *cform_table(struct campaign_form *f)
{
	char *name = cform_value(f, CF_DATASET);
	const struct table *t = workspace_get(&f->c->ctx->ws, name);

	free(name);
	return t;
}

static int cform_column(struct campaign_form *f, const struct table *t, int field)
{
	char *name = cform_value(f, field);
	int col = t != NULL ? table_find_column(t, name) : -1;

	free(name);
	return col;
}

/* The arm column a dataset suggests (see campaign_hint_arm). */
static const char *cform_default_arm(const struct table *t)
{
	int col = t != NULL ? campaign_hint_arm(t) : -1;

	return col >= 0 ? t->cols[col].name : "";
}

/* Sets the control a column suggests and says why it was picked. */
static void cform_default_control(struct campaign_form *f, const struct table *t, int col)
{
	bool named;
	const char *v = t != NULL ? campaign_hint_control(t, col, &named) : NULL;

	cform_set(f, CF_CONTROL, v);
	if (v == NULL)
		return;
	if (named)
		console_message(f->c, false, "Control '%s': named like a control", v);
	else
		console_message(f->c, false, "Control '%s': the first arm in the file (no value "
		    "of '%s' is named like a control)", v, t->cols[col].name);
}

/* True when the metric can be chosen on t (see cform_choices). */
static bool cform_metric_fits(const struct table *t, const char *metric)
{
	int col;

	if (strncmp(metric, "column:", 7) != 0)
		return campaign_hint_events(t);
	col = table_find_column(t, metric + 7);
	return col >= 0 && campaign_hint_metric_column(t, (size_t)col);
}

/* After a dataset or arm column was chosen, the later fields follow. */
static void cform_follow(struct campaign_form *f, int field)
{
	const struct table *t = cform_table(f);
	char *metric;
	int col;

	if (field == CF_DATASET && cform_column(f, t, CF_ARM) < 0)
		cform_set(f, CF_ARM, cform_default_arm(t));
	col = cform_column(f, t, CF_ARM);
	if (field == CF_DATASET || field == CF_ARM) {
		char *ctl = cform_value(f, CF_CONTROL);
		uint32_t code;

		if (col < 0 || !col_type_string(t->cols[col].type) ||
		    !dict_find(t->cols[col].dict, ctl, strlen(ctl), &code))
			cform_default_control(f, t, col);
		free(ctl);
	}
	metric = cform_value(f, CF_METRIC);
	if (field == CF_DATASET && t != NULL && !cform_metric_fits(t, metric)) {
		free(metric);
		metric = campaign_hint_metric(t, col);
		cform_set(f, CF_METRIC, metric);
	}
	free(metric);
}

static void cform_fill(struct campaign_form *f, const struct campaign *k)
{
	struct console *c = f->c;
	const char *ds = NULL;
	char buf[32];

	if (k == NULL) {
		if (workspace_get(&c->ctx->ws, "events") != NULL)
			ds = "events";
		else if (c->dataset != NULL)
			ds = c->dataset;
		cform_set(f, CF_DATASET, ds);
		cform_set(f, CF_METRIC, "conversion");
		cform_set(f, CF_ALPHA, "0.05");
		cform_follow(f, CF_DATASET);
		return;
	}
	cform_set(f, CF_NAME, k->name);
	cform_set(f, CF_DATASET, k->dataset);
	cform_set(f, CF_ARM, k->arm);
	cform_set(f, CF_CONTROL, k->control);
	cform_set(f, CF_METRIC, k->metric);
	cform_set(f, CF_TARGET, k->target);
	snprintf(buf, sizeof buf, "%g", k->alpha);
	cform_set(f, CF_ALPHA, buf);
	if (k->alloc != NULL) {
		char *s = xstrdup("");

		for (size_t i = 0; i < k->n_alloc; i++) {
			char *n = xasprintf("%s%s%g", s, i ? "," : "", k->alloc[i]);

			free(s);
			s = n;
		}
		cform_set(f, CF_ALLOC, s);
		free(s);
	}
}

struct campaign_form *campaign_form_new(struct console *c, const struct campaign *k)
{
	struct campaign_form *f = xcalloc(1, sizeof *f);

	f->c = c;
	f->title = k != NULL ? xasprintf(" Edit campaign %s ", k->name) :
	    xstrdup(" New campaign ");
	for (int i = 0; i < CF_COUNT; i++)
		f->values[i] = xstrdup("");
	cform_fill(f, k);
	for (int i = 0; i < CF_COUNT; i++)
		f->initial[i] = xstrdup(f->values[i]);
	return f;
}

static void cform_menu_close(struct campaign_form *f)
{
	struct cform_menu *m = f->menu;

	if (m == NULL)
		return;
	unpost_menu(m->menu);
	free_menu(m->menu);
	for (size_t i = 0; i < m->names.n; i++)
		free_item(m->items[i]);
	free(m->items);
	prompt_list_done(&m->names);
	del_panel(m->pan);
	delwin(m->sub);
	delwin(m->win);
	free(m);
	f->menu = NULL;
}

static void cform_unplace(struct campaign_form *f)
{
	cform_menu_close(f);
	if (f->form != NULL) {
		cform_save(f);
		unpost_form(f->form);
		free_form(f->form);
		f->form = NULL;
	}
	for (int i = 0; i < CF_COUNT; i++) {
		if (f->fields[i] != NULL)
			free_field(f->fields[i]);
		f->fields[i] = NULL;
	}
	if (f->pan != NULL)
		del_panel(f->pan);
	if (f->sub != NULL)
		delwin(f->sub);
	if (f->win != NULL)
		delwin(f->win);
	f->pan = NULL;
	f->sub = f->win = NULL;
}

void campaign_form_free(struct campaign_form *f)
{
	if (f == NULL)
		return;
	cform_unplace(f);
	for (int i = 0; i < CF_COUNT; i++) {
		free(f->values[i]);
		free(f->initial[i]);
	}
	free(f->title);
	free(f);
}

/* The focused field stands out, not only by the cursor. */
static void cform_field_enter(FORM *form)
{
	set_field_back(current_field(form), tty_attr(TTY_CURSOR));
}

static void cform_field_leave(FORM *form)
{
	FIELD *fd = current_field(form);

	set_field_back(fd, field_index(fd) == CF_RUN ? tty_attr(TTY_KEY) : A_UNDERLINE);
}

static FIELD *cform_new_field(int y, int width, const char *value, bool button)
{
	FIELD *fd = new_field(1, width, y, CFORM_LABEL, 0, 0);

	set_field_back(fd, button ? tty_attr(TTY_KEY) : A_UNDERLINE);
	field_opts_off(fd, O_AUTOSKIP | O_BLANK | (button ? O_EDIT : O_STATIC));
	if (!button)
		set_max_field(fd, 1024);
	set_field_buffer(fd, 0, value);
	return fd;
}

static void cform_draw_frame(struct campaign_form *f, int rows, int cols)
{
	wattrset(f->win, tty_attr(TTY_BORDER));
	tty_box(f->win, 0, 0, rows, cols);
	wattrset(f->win, tty_attr(TTY_HEADER));
	text_put(f->win, 0, 2, f->title, 0, text_width(f->title), TEXT_LEFT, false);
	wattrset(f->win, A_NORMAL);
}

/* The labels and the hint, drawn once the form is posted. */
static void cform_draw_labels(struct campaign_form *f, int rows, int cols)
{
	for (int i = 0; i < CF_RUN; i++)
		text_put(f->win, 2 + i, 2, cform_lines[i].label, 0, CFORM_LABEL - 1, TEXT_LEFT, false);
	wattrset(f->win, tty_attr(TTY_DIM));
	text_put(f->win, rows - 2, 2, "Enter choose/next  Tab next  F2 run  Esc cancel", 0,
	    cols - 4, TEXT_LEFT, true);
	wattrset(f->win, A_NORMAL);
}

void campaign_form_place(struct campaign_form *f, int y, int x, int rows, int cols)
{
	int width;

	cform_unplace(f);
	if (rows > CF_COUNT + 6)
		rows = CF_COUNT + 6;
	width = cols - CFORM_LABEL - 4;
	if (width < 8)
		return;
	f->win = newwin(rows, cols, y, x);
	f->sub = derwin(f->win, rows - 2, cols - 2, 1, 1);
	keypad(f->win, TRUE);
	for (int i = 0; i < CF_COUNT; i++)
		f->fields[i] = cform_new_field(1 + i + (i == CF_RUN), i == CF_RUN ? 20 : width,
		    i == CF_RUN ? "  Define and test" : f->values[i], i == CF_RUN);
	f->fields[CF_COUNT] = NULL;
	f->form = new_form(f->fields);
	set_field_init(f->form, cform_field_enter);
	set_field_term(f->form, cform_field_leave);
	set_form_win(f->form, f->win);
	set_form_sub(f->form, f->sub);
	werase(f->win);
	cform_draw_frame(f, rows, cols);
	post_form(f->form);
	cform_draw_labels(f, rows, cols);
	f->pan = new_panel(f->win);
}

/* The choices of a menu field. */
static void cform_choices(struct campaign_form *f, int field, struct prompt_list *out)
{
	const struct table *t = cform_table(f);
	int col = cform_column(f, t, CF_ARM);

	if (field == CF_DATASET)
		for (size_t i = 0; i < f->c->ctx->ws.n_tables; i++)
			prompt_list_add(out, f->c->ctx->ws.tables[i]->name);
	/* Arm columns: the string columns first, then the others. */
	for (int pass = 0; field == CF_ARM && t != NULL && pass < 2; pass++)
		for (size_t i = 0; i < t->n_cols; i++)
			if (col_type_string(t->cols[i].type) == (pass == 0))
				prompt_list_add(out, t->cols[i].name);
	for (uint32_t i = 0; field == CF_CONTROL && col >= 0 && col_type_string(t->cols[col].type) &&
	    i < dict_count(t->cols[col].dict) && out->n < CFORM_MAX_CHOICES; i++)
		prompt_list_add(out, dict_str(t->cols[col].dict, i));
	/* The event metrics on an event log; on one row per user, columns. */
	for (size_t i = 0; field == CF_METRIC && (t == NULL || campaign_hint_events(t)) &&
	    campaign_hint_event_metrics[i] != NULL; i++)
		prompt_list_add(out, campaign_hint_event_metrics[i]);
	for (size_t i = 0; field == CF_METRIC && t != NULL && i < t->n_cols; i++) {
		if (campaign_hint_metric_column(t, i) && (int)i != col) {
			char *s = xasprintf("column:%s", t->cols[i].name);

			prompt_list_add(out, s);
			free(s);
		}
	}
}

static void cform_menu_open(struct campaign_form *f, int field)
{
	struct cform_menu *m = xcalloc(1, sizeof *m);
	struct prompt_list raw = { 0 };
	int y, x, h, w = 12, rows, cols, top;

	cform_choices(f, field, &raw);
	if (raw.n == 0) {
		console_message(f->c, true, "no choices for %s: type a value",
		    cform_lines[field].label);
		free(m);
		return;
	}
	m->items = xcalloc(raw.n + 1, sizeof *m->items);
	for (size_t i = 0; i < raw.n; i++) {
		char *clean = text_clean(raw.v[i]);

		prompt_list_add(&m->names, clean);
		if (text_width(clean) + 4 > w)
			w = text_width(clean) + 4;
		free(clean);
	}
	for (size_t i = 0; i < m->names.n; i++)
		m->items[i] = new_item(m->names.v[i], "");
	prompt_list_done(&raw);
	getbegyx(f->win, y, x);
	getmaxyx(f->win, rows, cols);
	h = (int)m->names.n + 2;
	if (h > rows - 2)
		h = rows - 2;
	if (w > cols - CFORM_LABEL - 2)
		w = cols - CFORM_LABEL - 2;
	m->field = field;
	m->menu = new_menu(m->items);
	/* Below the field when it fits, else as low as it fits. */
	top = 3 + field;
	if (top + h > rows)
		top = rows - h;
	m->win = newwin(h, w, y + (top > 0 ? top : 0), x + CFORM_LABEL + 1);
	m->sub = derwin(m->win, h - 2, w - 2, 1, 1);
	keypad(m->win, TRUE);
	set_menu_win(m->menu, m->win);
	set_menu_sub(m->menu, m->sub);
	set_menu_format(m->menu, h - 2, 1);
	/* The menu library counts the mark in bytes: keep it ASCII. */
	set_menu_mark(m->menu, ">");
	set_menu_fore(m->menu, tty_attr(TTY_CURSOR));
	wattrset(m->win, tty_attr(TTY_BORDER));
	tty_box(m->win, 0, 0, h, w);
	wattrset(m->win, A_NORMAL);
	post_menu(m->menu);
	m->pan = new_panel(m->win);
	f->menu = m;
	/* Start on the value the field holds. */
	{
		char *cur = cform_value(f, field);

		for (size_t i = 0; i < m->names.n; i++)
			if (strcmp(m->names.v[i], cur) == 0)
				set_current_item(m->menu, m->items[i]);
		free(cur);
	}
}

/* A typed letter picks the next item starting with it, wrapping. */
static void cform_menu_jump(struct cform_menu *m, int key)
{
	size_t n = m->names.n, cur = (size_t)item_index(current_item(m->menu));

	for (size_t k = 1; k <= n; k++) {
		size_t i = (cur + k) % n;

		if (text_starts_with_key(m->names.v[i], key)) {
			set_current_item(m->menu, m->items[i]);
			return;
		}
	}
}

static void cform_menu_key(struct campaign_form *f, int key)
{
	struct cform_menu *m = f->menu;

	if (key == KEYS_FN(KEY_UP) || key == 'k')
		menu_driver(m->menu, REQ_UP_ITEM);
	else if (key == KEYS_FN(KEY_DOWN) || key == 'j')
		menu_driver(m->menu, REQ_DOWN_ITEM);
	else if (key == KEYS_FN(KEY_PPAGE))
		menu_driver(m->menu, REQ_SCR_UPAGE);
	else if (key == KEYS_FN(KEY_NPAGE))
		menu_driver(m->menu, REQ_SCR_DPAGE);
	else if (key == KEYS_FN(KEY_HOME))
		menu_driver(m->menu, REQ_FIRST_ITEM);
	else if (key == KEYS_FN(KEY_END))
		menu_driver(m->menu, REQ_LAST_ITEM);
	else if (key == '\r' || key == '\n' || key == ' ') {
		int field = m->field;
		char *v = xstrdup(item_name(current_item(m->menu)));

		cform_menu_close(f);
		cform_set(f, field, v);
		free(v);
		cform_follow(f, field);
		form_driver(f->form, REQ_NEXT_FIELD);
		form_driver(f->form, REQ_END_FIELD);
	} else if (key == KEYS_ESC)
		cform_menu_close(f);
	else
		cform_menu_jump(m, key);
}

static int cform_current(const struct campaign_form *f)
{
	return field_index(current_field(f->form));
}

static void cform_edit_key(struct campaign_form *f, int key)
{
	static const struct { int key; int req; } reqs[] = {
		{ KEYS_FN(KEY_LEFT), REQ_LEFT_CHAR }, { KEYS_FN(KEY_RIGHT), REQ_RIGHT_CHAR },
		{ KEYS_FN(KEY_HOME), REQ_BEG_FIELD }, { KEYS_FN(KEY_END), REQ_END_FIELD },
		{ KEYS_CTRL('a'), REQ_BEG_FIELD }, { KEYS_CTRL('e'), REQ_END_FIELD },
		{ KEYS_FN(KEY_BACKSPACE), REQ_DEL_PREV }, { 0x7f, REQ_DEL_PREV },
		{ KEYS_CTRL('h'), REQ_DEL_PREV }, { KEYS_FN(KEY_DC), REQ_DEL_CHAR },
		{ KEYS_CTRL('u'), REQ_CLR_FIELD }, { KEYS_CTRL('k'), REQ_CLR_EOF },
		{ KEYS_FN(KEY_UP), REQ_PREV_FIELD }, { KEYS_FN(KEY_DOWN), REQ_NEXT_FIELD },
		{ '\t', REQ_NEXT_FIELD }, { KEYS_FN(KEY_BTAB), REQ_PREV_FIELD },
	};

	for (size_t i = 0; i < sizeof reqs / sizeof reqs[0]; i++) {
		if (reqs[i].key != key)
			continue;
		form_driver(f->form, reqs[i].req);
		if (reqs[i].req == REQ_NEXT_FIELD || reqs[i].req == REQ_PREV_FIELD)
			form_driver(f->form, REQ_END_FIELD);
		return;
	}
	if ((key & 0x1000000) == 0 && key >= 0x20)
		form_driver_w(f->form, OK, (wchar_t)key);
}

/* True when a field differs from what the form opened with. */
static bool cform_changed(struct campaign_form *f)
{
	bool changed = false;

	for (int i = 0; !changed && i < CF_RUN; i++) {
		char *v = cform_value(f, i);

		changed = strcmp(v, f->initial[i]) != 0;
		free(v);
	}
	return changed;
}

/* Esc closes an untouched form; on changes it asks first. */
static enum campaign_form_state cform_escape(struct campaign_form *f)
{
	if (f->esc_asked || !cform_changed(f))
		return CFORM_CANCEL;
	f->esc_asked = true;
	console_message(f->c, false, "Discard the changes? Esc again discards them, any other "
	    "key goes on editing");
	return CFORM_EDIT;
}

enum campaign_form_state campaign_form_key(struct campaign_form *f, struct console *c, int key)
{
	int cur;

	(void)c;
	if (f->form == NULL)
		return key == KEYS_ESC ? CFORM_CANCEL : CFORM_EDIT;
	if (f->menu != NULL) {
		cform_menu_key(f, key);
		return CFORM_EDIT;
	}
	if (key == KEYS_ESC)
		return cform_escape(f);
	f->esc_asked = false;
	if (key == KEYS_FN(KEY_F(2)))
		return CFORM_SUBMIT;
	cur = cform_current(f);
	if (key == '\r' || key == '\n') {
		if (cur == CF_RUN)
			return CFORM_SUBMIT;
		if (cform_lines[cur].menu)
			cform_menu_open(f, cur);
		else {
			form_driver(f->form, REQ_NEXT_FIELD);
			form_driver(f->form, REQ_END_FIELD);
		}
		return CFORM_EDIT;
	}
	cform_edit_key(f, key);
	return CFORM_EDIT;
}

char *campaign_form_command(struct campaign_form *f, char **cause)
{
	char *v = cform_value(f, CF_NAME), *line;

	if (*v == '\0') {
		free(v);
		*cause = xstrdup("give the campaign a name");
		return NULL;
	}
	line = xstrdup("campaign");
	cmd_append(&line, NULL, v);
	free(v);
	for (int i = CF_DATASET; i < CF_RUN; i++) {
		v = cform_value(f, i);
		if (*v != '\0')
			cmd_append(&line, cform_lines[i].key, v);
		free(v);
	}
	return line;
}

void campaign_form_cursor(struct campaign_form *f)
{
	if (f->form == NULL)
		return;
	if (f->menu != NULL) {
		top_panel(f->menu->pan);
		pos_menu_cursor(f->menu->menu);
		wnoutrefresh(f->menu->win);
		return;
	}
	pos_form_cursor(f->form);
	wnoutrefresh(f->win);
}
