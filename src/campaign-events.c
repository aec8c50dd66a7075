/* Campaign statistics from raw events.
 *
 * A user's exposure is their first event (by time, then row order) that
 * carries an arm value; when the dataset has a campaign column holding the
 * campaign's name, only that campaign's rows carry exposures. A user with
 * arm values from two arms is contaminated and left out. Every other event
 * of the user, with or without an arm, is an outcome: a purchase or redeem
 * within the window is a conversion, views and clicks make the ctr, the
 * amounts of purchases and redeems the revenue, and any event on the N-th
 * local day after the exposure day a retention. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign-hint.h"
#include "campaign-impl.h"
#include "datetime.h"
#include "xmalloc.h"

enum { EV_OTHER, EV_VIEW, EV_CLICK, EV_CONVERT };

enum { USER_UNSEEN, USER_EXPOSED, USER_CONTAMINATED, USER_OUT };

struct campaign_ev {
	const struct campaign *c;
	const struct table *t;
	const struct column *time, *event, *amount;
	int user_col, arm_col;
	size_t n_users;
	uint32_t *ucode;        /* per row: user code */
	uint32_t *acode;        /* per row: arm code where the row can expose */
	uint8_t *eclass;        /* per row: EV_*; NULL without an event column */
	struct dict *users, *arms;
	/* per user */
	uint8_t *state;
	int64_t *t0;
	int32_t *day0;
	size_t *row0;
	uint32_t *arm0;
	uint32_t *urow;         /* row in users=, or CAMPAIGN_NONE */
	struct campaign_dd *y, *x;
	/* users= */
	const struct table *ut;
};

static int64_t campaign_ev_ms(const struct column *tc, size_t r)
{
	return tc->type == COL_DATE ? (int64_t)tc->v.days[r] * MS_PER_DAY : tc->v.i64[r];
}

/* The local day of a time cell: its own offset, or UTC. */
static int32_t campaign_ev_day(const struct column *tc, size_t r)
{
	if (tc->type == COL_DATE)
		return tc->v.days[r];
	return (int32_t)datetime_floordiv(tc->v.i64[r] + (tc->tz && tc->tz[r] != TZ_NONE ?
	    tc->tz[r] * 60000LL : 0), MS_PER_DAY);
}

static void campaign_ev_done(struct campaign_ev *ev)
{
	free(ev->ucode);
	free(ev->acode);
	free(ev->eclass);
	if (ev->users != NULL)
		dict_free(ev->users);
	if (ev->arms != NULL)
		dict_free(ev->arms);
	free(ev->state);
	free(ev->t0);
	free(ev->day0);
	free(ev->row0);
	free(ev->arm0);
	free(ev->urow);
	free(ev->y);
	free(ev->x);
}

static int campaign_ev_role(const struct table *t, enum col_role role, const char *why,
    int *col, char **cause)
{
	if ((*col = t->roles[role]) >= 0)
		return 0;
	*cause = xasprintf("%s: dataset '%s' has no %s column (load it with %s=COLUMN)", why,
	    t->name, col_role_name(role), col_role_name(role));
	return -1;
}

/* Event classes by dictionary code. */
static int campaign_ev_classes(struct campaign_ev *ev, char **cause)
{
	static const struct { const char *name; uint8_t cls; } names[] = {
		{ "view", EV_VIEW }, { "click", EV_CLICK },
		{ "purchase", EV_CONVERT }, { "redeem", EV_CONVERT }
	};
	const struct column *e = ev->event;
	uint8_t *cls;

	if (!col_type_string(e->type)) {
		*cause = xasprintf("metric=%s: event column '%s' is %s, not text",
		    ev->c->metric, e->name, col_type_name(e->type));
		return -1;
	}
	cls = xcalloc(dict_count(e->dict) + 1, 1);
	for (size_t i = 0; i < 4; i++) {
		uint32_t code;

		if (dict_find(e->dict, names[i].name, strlen(names[i].name), &code))
			cls[code] = names[i].cls;
	}
	ev->eclass = xcalloc(ev->t->n_rows + 1, 1);
	for (size_t r = 0; r < ev->t->n_rows; r++)
		ev->eclass[r] = column_is_missing(e, r) ? EV_OTHER : cls[e->v.codes[r]];
	free(cls);
	return 0;
}

/* The columns the metric needs. */
static int campaign_ev_columns(struct campaign_ev *ev, char **cause)
{
	const struct table *t = ev->t;
	char *why = xasprintf("metric=%s", ev->c->metric);
	int tc, ec = t->roles[ROLE_EVENT], mc, rc = -1;

	if (campaign_ev_role(t, ROLE_USER, why, &ev->user_col, cause) != 0 ||
	    campaign_ev_role(t, ROLE_TIME, why, &tc, cause) != 0) {
		campaign_hint_explain(t, ev->c->metric, cause);
		goto done;
	}
	ev->time = &t->cols[tc];
	if (ev->time->type != COL_DATE && ev->time->type != COL_DATETIME) {
		*cause = xasprintf("%s: time column '%s' is %s, not a date or datetime", why,
		    ev->time->name, col_type_name(ev->time->type));
		goto done;
	}
	if ((ev->c->kind == CAMPAIGN_CONVERSION || ev->c->kind == CAMPAIGN_CTR) &&
	    campaign_ev_role(t, ROLE_EVENT, why, &ec, cause) != 0)
		goto done;
	if (ev->c->kind == CAMPAIGN_REVENUE) {
		if (campaign_ev_role(t, ROLE_AMOUNT, why, &mc, cause) != 0)
			goto done;
		if (!col_type_numeric(t->cols[mc].type)) {
			*cause = xasprintf("%s: amount column '%s' is %s, not a number", why,
			    t->cols[mc].name, col_type_name(t->cols[mc].type));
			goto done;
		}
		ev->amount = &t->cols[mc];
	}
	if (ev->c->kind != CAMPAIGN_RETENTION && ec >= 0) {
		ev->event = &t->cols[ec];
		if (campaign_ev_classes(ev, cause) != 0)
			goto done;
	}
	rc = 0;
done:
	free(why);
	return rc;
}

/* Rows that can expose: an arm value, a user, a time, and the campaign's
 * own rows when a campaign column names it. */
static uint8_t *campaign_ev_exposing(const struct campaign_ev *ev)
{
	const struct table *t = ev->t;
	int cc = t->roles[ROLE_CAMPAIGN];
	const struct column *camp = cc >= 0 && col_type_string(t->cols[cc].type) ?
	    &t->cols[cc] : NULL;
	uint8_t *keep = xmalloc(t->n_rows ? t->n_rows : 1);
	uint32_t code = 0;
	bool own = camp != NULL && dict_find(camp->dict, ev->c->name, strlen(ev->c->name),
	    &code);

	for (size_t r = 0; r < t->n_rows; r++)
		keep[r] = !column_is_missing(&t->cols[ev->user_col], r) &&
		    !column_is_missing(ev->time, r) &&
		    (!own || (!column_is_missing(camp, r) && camp->v.codes[r] == code));
	return keep;
}

/* Finds each user's exposure and marks contaminated users. */
static void campaign_ev_expose(struct campaign_ev *ev, struct campaign_stats *out)
{
	for (size_t r = 0; r < ev->t->n_rows; r++) {
		uint32_t u = ev->ucode[r], a = ev->acode[r];
		int64_t ms;

		if (a == CAMPAIGN_NONE)
			continue;
		ms = campaign_ev_ms(ev->time, r);
		if (ev->state[u] == USER_UNSEEN) {
			ev->state[u] = USER_EXPOSED;
			ev->arm0[u] = a;
			ev->t0[u] = ms;
			ev->row0[u] = r;
			continue;
		}
		if (a != ev->arm0[u])
			ev->state[u] = USER_CONTAMINATED;
		if (ms < ev->t0[u]) {
			ev->t0[u] = ms;
			ev->row0[u] = r;
		}
	}
	for (size_t u = 0; u < ev->n_users; u++) {
		if (ev->state[u] == USER_CONTAMINATED)
			out->contaminated++;
		else if (ev->state[u] == USER_EXPOSED)
			ev->day0[u] = campaign_ev_day(ev->time, ev->row0[u]);
	}
}

/* users=: each events user's row there, by the users dataset's user column. */
static int campaign_ev_users(struct campaign_ev *ev, const struct workspace *ws, char **cause)
{
	const struct table *ut;
	const struct column *uc;
	char buf[128];

	ev->urow = xmalloc((ev->n_users ? ev->n_users : 1) * sizeof *ev->urow);
	for (size_t u = 0; u < ev->n_users; u++)
		ev->urow[u] = CAMPAIGN_NONE;
	if (ev->c->users == NULL)
		return 0;
	if ((ut = workspace_need(ws, ev->c->users, cause)) == NULL ||
	    campaign_ev_role(ut, ROLE_USER, "users", &(int){ 0 }, cause) != 0)
		return -1;
	ev->ut = ut;
	uc = &ut->cols[ut->roles[ROLE_USER]];
	for (size_t r = 0; r < ut->n_rows; r++) {
		uint32_t code;
		size_t len;

		if (column_is_missing(uc, r))
			continue;
		len = campaign_cell_text(uc, r, buf, sizeof buf);
		if (!dict_find(ev->users, buf, len, &code))
			continue;
		if (ev->urow[code] != CAMPAIGN_NONE) {
			*cause = xasprintf("users=%s: user '%s' is on rows %u and %zu; give one row "
			    "per user", ut->name, buf, ev->urow[code] + 1, r + 1);
			return -1;
		}
		ev->urow[code] = (uint32_t)r;
	}
	return 0;
}

/* A per-user column: from users= when it has one of that name, else the
 * events dataset at the exposure row. */
struct campaign_attr {
	const struct column *col;
	bool from_users;
};

static int campaign_ev_attr(const struct campaign_ev *ev, const char *key, const char *name,
    bool numeric, struct campaign_attr *a, char **cause)
{
	int col = ev->ut ? table_find_column(ev->ut, name) : -1;

	a->from_users = col >= 0;
	if (col < 0 && (col = table_find_column(ev->t, name)) < 0) {
		*cause = ev->ut ? xasprintf("%s=%s: neither dataset '%s' nor '%s' has a column "
		    "'%s'", key, name, ev->t->name, ev->ut->name, name) :
		    xasprintf("%s=%s: dataset '%s' has no column '%s'", key, name, ev->t->name,
		    name);
		return -1;
	}
	a->col = a->from_users ? &ev->ut->cols[col] : &ev->t->cols[col];
	if (numeric && !col_type_numeric(a->col->type)) {
		*cause = xasprintf("%s=%s: column '%s' is %s, not a number or 0/1", key, name,
		    name, col_type_name(a->col->type));
		return -1;
	}
	return 0;
}

/* The attribute's row for user u, or -1 when the user has none. */
static ptrdiff_t campaign_ev_attr_row(const struct campaign_ev *ev,
    const struct campaign_attr *a, size_t u)
{
	size_t r = a->from_users ? ev->urow[u] : ev->row0[u];

	if (a->from_users && ev->urow[u] == CAMPAIGN_NONE)
		return -1;
	return column_is_missing(a->col, r) ? -1 : (ptrdiff_t)r;
}

/* target=: on users= when given (a user without a row there does not
 * match), else on the events dataset at the exposure row. */
static int campaign_ev_target(struct campaign_ev *ev, struct campaign_stats *out, char **cause)
{
	uint8_t *match;

	if (ev->c->target == NULL)
		return 0;
	if ((match = campaign_target_rows(ev->c->target, ev->ut ? ev->ut : ev->t, cause)) == NULL)
		return -1;
	for (size_t u = 0; u < ev->n_users; u++) {
		size_t r = ev->ut ? ev->urow[u] : ev->row0[u];

		if (ev->state[u] != USER_EXPOSED)
			continue;
		if ((ev->ut && ev->urow[u] == CAMPAIGN_NONE) || !match[r]) {
			ev->state[u] = USER_OUT;
			out->untargeted++;
		}
	}
	free(match);
	return 0;
}

/* start= / end= on the exposure; retention:N needs N observed days. */
static void campaign_ev_window(struct campaign_ev *ev, struct campaign_stats *out)
{
	const struct campaign *c = ev->c;
	int32_t last = INT32_MIN;

	for (size_t r = 0; c->kind == CAMPAIGN_RETENTION && r < ev->t->n_rows; r++) {
		if (!column_is_missing(ev->time, r) && campaign_ev_day(ev->time, r) > last)
			last = campaign_ev_day(ev->time, r);
	}
	for (size_t u = 0; u < ev->n_users; u++) {
		if (ev->state[u] != USER_EXPOSED)
			continue;
		if ((c->start.kind == CAMPAIGN_BOUND_DATE && ev->day0[u] < c->start.day) ||
		    (c->start.kind == CAMPAIGN_BOUND_TIME && ev->t0[u] < c->start.ms) ||
		    (c->end.kind == CAMPAIGN_BOUND_DATE && ev->day0[u] > c->end.day) ||
		    (c->end.kind == CAMPAIGN_BOUND_TIME && ev->t0[u] >= c->end.ms)) {
			ev->state[u] = USER_OUT;
			out->outside++;
		} else if (c->kind == CAMPAIGN_RETENTION &&
		    (int64_t)last - ev->day0[u] < c->retention_day) {
			ev->state[u] = USER_OUT;
			out->too_recent++;
		}
	}
}

/* Adds row r to its user's metric (y) and pre-period covariate (x). */
static void campaign_ev_outcome(struct campaign_ev *ev, size_t r)
{
	const struct campaign *c = ev->c;
	uint32_t u = ev->ucode[r];
	uint8_t cls = ev->eclass ? ev->eclass[r] : EV_CONVERT;
	int64_t dt = campaign_ev_ms(ev->time, r) - ev->t0[u];
	bool in = dt >= 0 && dt < c->window, pre = dt < 0 && dt >= -c->pre;

	switch (c->kind) {
	case CAMPAIGN_CONVERSION:
		if (cls == EV_CONVERT && (in || pre))
			(in ? &ev->y[u] : &ev->x[u])->hi = 1;
		break;
	case CAMPAIGN_REVENUE:
		if (cls == EV_CONVERT && (in || pre) && !column_is_missing(ev->amount, r))
			campaign_dd_add(in ? &ev->y[u] : &ev->x[u], column_number(ev->amount, r));
		break;
	case CAMPAIGN_CTR:
		if (in && cls == EV_CLICK)
			ev->y[u].hi += 1;
		else if (in && cls == EV_VIEW)
			ev->x[u].hi += 1;
		break;
	case CAMPAIGN_RETENTION:
		if (campaign_ev_day(ev->time, r) - ev->day0[u] == c->retention_day)
			ev->y[u].hi = 1;
		break;
	case CAMPAIGN_COLUMN:
		break;
	}
}

int campaign_check_events(const struct campaign *c, char **cause)
{
	if (c->pre && c->covariate) {
		*cause = xasprintf("give covariate= or pre=, not both");
		return -1;
	}
	if ((c->pre || c->covariate) && c->kind == CAMPAIGN_CTR) {
		*cause = xasprintf("metric=ctr: a ratio metric takes no covariate (%s)",
		    c->pre ? "pre=" : "covariate=");
		return -1;
	}
	if (c->pre && c->kind == CAMPAIGN_RETENTION) {
		*cause = xasprintf("pre= gives conversion or revenue before exposure; for "
		    "retention:N use covariate=COL");
		return -1;
	}
	if (c->window_given && c->kind == CAMPAIGN_RETENTION) {
		*cause = xasprintf("window= does not apply to retention:N (day N is counted "
		    "from the exposure day)");
		return -1;
	}
	return 0;
}

static int campaign_ev_setup(struct campaign_ev *ev, const struct workspace *ws,
    struct campaign_stats *out, uint32_t **order, char **cause)
{
	uint8_t *exposing;
	int ac;

	if (campaign_check_events(ev->c, cause) != 0 || campaign_ev_columns(ev, cause) != 0)
		return -1;
	ac = ev->c->arm ? table_find_column(ev->t, ev->c->arm) : ev->t->roles[ROLE_ARM];
	if (ac < 0) {
		*cause = ev->c->arm ? xasprintf("arm=%s: dataset '%s' has no column '%s'",
		    ev->c->arm, ev->t->name, ev->c->arm) :
		    xasprintf("dataset '%s' has no arm column: give arm=COLUMN", ev->t->name);
		return -1;
	}
	ev->arm_col = ac;
	exposing = campaign_ev_exposing(ev);
	ev->users = dict_new();
	ev->arms = dict_new();
	ev->ucode = campaign_codes(&ev->t->cols[ev->user_col], ev->t->n_rows, NULL, ev->users);
	ev->acode = campaign_codes(&ev->t->cols[ac], ev->t->n_rows, exposing, ev->arms);
	free(exposing);
	if (campaign_arm_order(ev->c, ev->t->cols[ac].name, ev->arms, out, order, cause) != 0)
		return -1;
	ev->n_users = dict_count(ev->users);
	ev->state = xcalloc(ev->n_users + 1, 1);
	ev->t0 = xcalloc(ev->n_users + 1, sizeof *ev->t0);
	ev->day0 = xcalloc(ev->n_users + 1, sizeof *ev->day0);
	ev->row0 = xcalloc(ev->n_users + 1, sizeof *ev->row0);
	ev->arm0 = xcalloc(ev->n_users + 1, sizeof *ev->arm0);
	ev->y = xcalloc(ev->n_users + 1, sizeof *ev->y);
	ev->x = xcalloc(ev->n_users + 1, sizeof *ev->x);
	campaign_ev_expose(ev, out);
	return campaign_ev_users(ev, ws, cause);
}

/* The analysed users with their metric, covariate and group. */
static int campaign_ev_units(struct campaign_ev *ev, const char *by, const uint32_t *order,
    struct campaign_units *units, struct campaign_stats *out, char **cause)
{
	struct campaign_attr cov = { NULL, false }, grp = { NULL, false };
	char buf[128];

	if ((ev->c->covariate != NULL && campaign_ev_attr(ev, "covariate", ev->c->covariate,
	    true, &cov, cause) != 0) ||
	    (by != NULL && campaign_ev_attr(ev, "by", by, false, &grp, cause) != 0))
		return -1;
	for (size_t u = 0; u < ev->n_users; u++) {
		ptrdiff_t xr = -1, gr = -1;
		uint32_t g = CAMPAIGN_NONE;
		double x = campaign_dd_value(&ev->x[u]);

		if (ev->state[u] != USER_EXPOSED)
			continue;
		if (cov.col != NULL && (xr = campaign_ev_attr_row(ev, &cov, u)) < 0) {
			out->missing++;
			continue;
		}
		if (cov.col != NULL)
			x = column_number(cov.col, (size_t)xr);
		if (grp.col != NULL && (gr = campaign_ev_attr_row(ev, &grp, u)) >= 0)
			g = dict_intern(units->groups, buf,
			    campaign_cell_text(grp.col, (size_t)gr, buf, sizeof buf));
		campaign_units_add(units, order[ev->arm0[u]], campaign_dd_value(&ev->y[u]), x, g);
	}
	return 0;
}

int campaign_check_views(const struct campaign_stats *out, char **cause)
{
	for (size_t a = 0; a < out->n_arms; a++) {
		if (out->total[a].xsum == 0) {
			*cause = xasprintf("metric=ctr: arm '%s' has no views within the window",
			    out->arms[a]);
			return -1;
		}
	}
	return 0;
}

int campaign_stats_events(const struct campaign *c, const struct workspace *ws,
    const struct table *t, const char *by, struct campaign_stats *out, char **cause)
{
	struct campaign_ev ev;
	struct campaign_units units;
	uint32_t *order = NULL;
	int rc = -1;

	memset(&ev, 0, sizeof ev);
	ev.c = c;
	ev.t = t;
	campaign_units_init(&units, by != NULL);
	if (campaign_ev_setup(&ev, ws, out, &order, cause) != 0 ||
	    campaign_ev_target(&ev, out, cause) != 0)
		goto done;
	campaign_ev_window(&ev, out);
	for (size_t r = 0; r < t->n_rows; r++) {
		if (ev.ucode[r] != CAMPAIGN_NONE && !column_is_missing(ev.time, r) &&
		    ev.state[ev.ucode[r]] == USER_EXPOSED)
			campaign_ev_outcome(&ev, r);
	}
	out->binary = c->kind == CAMPAIGN_CONVERSION || c->kind == CAMPAIGN_RETENTION;
	out->ratio = c->kind == CAMPAIGN_CTR;
	out->covariate = c->pre != 0 || c->covariate != NULL;
	if (campaign_ev_units(&ev, by, order, &units, out, cause) != 0 ||
	    campaign_units_finish(c, &units, out, cause) != 0)
		goto done;
	rc = out->ratio ? campaign_check_views(out, cause) : 0;
done:
	campaign_units_done(&units);
	campaign_ev_done(&ev);
	free(order);
	return rc;
}
