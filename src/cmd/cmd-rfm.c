/* rfm DATASET [user=COL] [time=COL] [amount=COL] [asof=DATE] [as=NAME] */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "datetime.h"
#include "report.h"
#include "rfm.h"
#include "xmalloc.h"

static const char *const cmd_rfm_keys[] = { "user", "time", "amount", "asof", "as", NULL };

/* Tiers in the order results list them. */
static const enum rfm_tier cmd_rfm_tiers[] = {
	RFM_TIER_HEAVY, RFM_TIER_REGULAR, RFM_TIER_LIGHT, RFM_TIER_NEW,
	RFM_TIER_AT_RISK, RFM_TIER_LOST
};
#define CMD_RFM_NTIERS (sizeof cmd_rfm_tiers / sizeof cmd_rfm_tiers[0])

/* Events with a user and a time, users numbered by first appearance. */
struct cmd_rfm {
	const struct table *t;
	int user, time, amount;
	struct rfm_options opt;
	size_t n_events, skipped, n_users;
	size_t *uidx;           /* n_events */
	double *tm, *amt;       /* n_events */
	size_t *first_row;      /* n_users: the row a user first appears in */
	char asof[40];          /* as shown in the result */
};

static void cmd_rfm_done(struct cmd_rfm *r)
{
	free(r->uidx);
	free(r->tm);
	free(r->amt);
	free(r->first_row);
}

/* KEY=COL, else the column of the role. */
static int cmd_rfm_column(const struct table *t, const struct cmd_args *args, const char *key,
    enum col_role role, int *col, char **cause)
{
	const char *name = cmd_arg(args, key, NULL);

	if (name != NULL)
		*col = cmd_need_column(t, name, cause);
	else if ((*col = t->roles[role]) < 0)
		*cause = xasprintf("'%s' has no %s column; give %s=COL", t->name, key, key);
	return *col < 0 ? -1 : 0;
}

/* "a" or "an" before a type name. */
static const char *cmd_rfm_article(enum col_type type)
{
	return type == COL_INT ? "an" : "a";
}

static int cmd_rfm_columns(struct cmd_rfm *r, const struct cmd_args *args, char **cause)
{
	const struct column *c;

	if (cmd_rfm_column(r->t, args, "user", ROLE_USER, &r->user, cause) != 0 ||
	    cmd_rfm_column(r->t, args, "time", ROLE_TIME, &r->time, cause) != 0 ||
	    cmd_rfm_column(r->t, args, "amount", ROLE_AMOUNT, &r->amount, cause) != 0)
		return -1;
	c = &r->t->cols[r->time];
	if (c->type != COL_DATE && c->type != COL_DATETIME) {
		*cause = xasprintf("time=%s: '%s' is %s %s column, not a date or datetime",
		    c->name, c->name, cmd_rfm_article(c->type), col_type_name(c->type));
		return -1;
	}
	c = &r->t->cols[r->amount];
	if (c->type != COL_INT && c->type != COL_FLOAT) {
		*cause = xasprintf("amount=%s: '%s' is %s %s column, not a number",
		    c->name, c->name, cmd_rfm_article(c->type), col_type_name(c->type));
		return -1;
	}
	r->opt.unit = r->t->cols[r->time].type == COL_DATE ? RFM_TIME_DAYS : RFM_TIME_MS;
	r->opt.count = RFM_COUNT_DAYS;
	return 0;
}

/* A user's index: string columns by dictionary code, other types by their
 * text in a scratch dictionary; both number users by first appearance. */
struct cmd_rfm_map {
	size_t *by_code;
	struct dict *text;
};

static size_t cmd_rfm_user(struct cmd_rfm *r, struct cmd_rfm_map *map, size_t row)
{
	const struct column *c = &r->t->cols[r->user];
	char buf[64];
	size_t idx;

	if (map->by_code != NULL) {
		if (map->by_code[c->v.codes[row]] == SIZE_MAX)
			map->by_code[c->v.codes[row]] = r->n_users;
		idx = map->by_code[c->v.codes[row]];
	} else
		idx = dict_intern(map->text, buf, column_format(c, row, buf, sizeof buf));
	if (idx == r->n_users)
		r->first_row[r->n_users++] = row;
	return idx;
}

/* Collects the events; rows without a user or a time are skipped, a
 * missing amount counts as 0. */
static void cmd_rfm_events(struct cmd_rfm *r)
{
	const struct column *u = &r->t->cols[r->user], *tc = &r->t->cols[r->time],
	    *ac = &r->t->cols[r->amount];
	size_t n = r->t->n_rows, e = 0;
	struct cmd_rfm_map map = { NULL, NULL };

	if (col_type_string(u->type)) {
		map.by_code = xmalloc((dict_count(u->dict) + 1) * sizeof *map.by_code);
		for (uint32_t v = 0; v <= dict_count(u->dict); v++)
			map.by_code[v] = SIZE_MAX;
	} else
		map.text = dict_new();
	r->uidx = xcalloc(n + 1, sizeof *r->uidx);
	r->tm = xcalloc(n + 1, sizeof *r->tm);
	r->amt = xcalloc(n + 1, sizeof *r->amt);
	r->first_row = xcalloc(n + 1, sizeof *r->first_row);
	for (size_t i = 0; i < n; i++) {
		if (column_is_missing(u, i) || column_is_missing(tc, i)) {
			r->skipped++;
			continue;
		}
		r->uidx[e] = cmd_rfm_user(r, &map, i);
		r->tm[e] = column_number(tc, i);
		r->amt[e++] = column_is_missing(ac, i) ? 0 : column_number(ac, i);
	}
	r->n_events = e;
	free(map.by_code);
	if (map.text != NULL)
		dict_free(map.text);
}

/* asof=DATE is the end of that day; for datetimes also a date and time.
 * The default is the latest time in the data. */
static int cmd_rfm_asof(struct cmd_rfm *r, const char *s, char **cause)
{
	bool daily = r->opt.unit == RFM_TIME_DAYS;
	double latest = -HUGE_VAL;
	int32_t days;
	int64_t ms;
	int16_t tz;

	if (s == NULL) {
		for (size_t e = 0; e < r->n_events; e++)
			latest = r->tm[e] > latest ? r->tm[e] : latest;
		r->opt.as_of = latest;
		if (daily)
			datetime_format_date((int32_t)latest, false, r->asof, sizeof r->asof);
		else
			datetime_format_datetime((int64_t)latest, TZ_NONE, r->asof, sizeof r->asof);
		return 0;
	}
	xsnprintf(r->asof, sizeof r->asof, "%.39s", s);
	if (datetime_parse_date(s, strlen(s), &days, NULL))
		r->opt.as_of = daily ? days : (double)(days + 1) * MS_PER_DAY;
	else if (!daily && datetime_parse_datetime(s, strlen(s), &ms, &tz))
		r->opt.as_of = (double)ms;
	else {
		*cause = xasprintf("asof=%s: give a date such as 2025-05-31%s", s,
		    daily ? "" : ", or a date and time");
		return -1;
	}
	return 0;
}

/* The user's id as text, in buf or in the source dictionary. */
static const char *cmd_rfm_id(const struct column *c, size_t row, char *buf, size_t size)
{
	if (col_type_string(c->type))
		return column_str(c, row);
	column_format(c, row, buf, size);
	return buf;
}

/* The user column keeps its name unless an output column has it. */
static bool cmd_rfm_taken(const char *name)
{
	static const char *const names[] = { "recency_days", "frequency", "monetary", "r", "f",
		"m", "tier" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(names[i], name) == 0)
			return true;
	}
	return false;
}

/* One row per user active by as-of, in order of first appearance. */
static struct table *cmd_rfm_table(const struct cmd_rfm *r, const struct rfm_result *res,
    const char *name)
{
	const struct column *src = &r->t->cols[r->user];
	struct table *out = table_new(name, NULL);
	struct column *c[8];
	const struct rfm_user *u;
	const char *id;
	char buf[64];
	size_t o = 0;

	out->n_rows = res->n_active;
	c[0] = table_add_column(out, cmd_rfm_taken(src->name) ? "user" : src->name, COL_TEXT);
	c[0]->masked = src->masked;
	out->roles[ROLE_USER] = 0;
	table_add_column(out, "recency_days", COL_FLOAT);
	table_add_column(out, "frequency", COL_INT);
	table_add_column(out, "monetary", COL_FLOAT);
	table_add_column(out, "r", COL_INT);
	table_add_column(out, "f", COL_INT);
	table_add_column(out, "m", COL_INT);
	table_add_column(out, "tier", COL_CATEGORY);
	for (size_t j = 0; j < 8; j++)
		c[j] = &out->cols[j];
	for (size_t i = 0; i < res->n_users; i++) {
		u = &res->users[i];
		if (u->tier == RFM_TIER_NONE)
			continue;
		id = cmd_rfm_id(src, r->first_row[i], buf, sizeof buf);
		c[0]->v.codes[o] = dict_intern(c[0]->dict, id, strlen(id));
		c[1]->v.f64[o] = u->recency;
		c[2]->v.i64[o] = (int64_t)u->frequency;
		c[3]->v.f64[o] = u->monetary;
		c[4]->v.i64[o] = u->r;
		c[5]->v.i64[o] = u->f;
		c[6]->v.i64[o] = u->m;
		id = rfm_tier_name(u->tier);
		c[7]->v.codes[o++] = dict_intern(c[7]->dict, id, strlen(id));
	}
	return out;
}

/* [{tier, users, share, monetary}] over the active users. */
static cJSON *cmd_rfm_tiers_json(const struct rfm_result *res)
{
	cJSON *a = cJSON_CreateArray(), *o;
	double money[RFM_TIER_COUNT] = { 0 };
	enum rfm_tier tier;

	for (size_t i = 0; i < res->n_users; i++)
		money[res->users[i].tier] += res->users[i].monetary;
	for (size_t e = 0; e < CMD_RFM_NTIERS; e++) {
		tier = cmd_rfm_tiers[e];
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "tier", rfm_tier_name(tier));
		cJSON_AddNumberToObject(o, "users", (double)res->tier_count[tier]);
		cJSON_AddNumberToObject(o, "share", res->n_active ?
		    (double)res->tier_count[tier] / (double)res->n_active : 0);
		cJSON_AddNumberToObject(o, "monetary", money[tier]);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static int cmd_rfm_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	struct cmd_rfm r = { 0 };
	struct rfm_result *res = NULL;
	struct table *out;
	char *as;
	int rc = -1;

	if (*cmd_arg(args, "as", "-") == '\0') {
		*cause = xstrdup("as=: give a name for the new dataset");
		return -1;
	}
	if ((r.t = workspace_need(&ctx->ws, args->pos[0], cause)) == NULL ||
	    cmd_rfm_columns(&r, args, cause) != 0)
		return -1;
	cmd_rfm_events(&r);
	r.opt.cancel = ctx->cancel;
	if (r.n_events == 0)
		*cause = xasprintf("'%s' has no rows with both a user and a time", r.t->name);
	else if (cmd_rfm_asof(&r, cmd_arg(args, "asof", NULL), cause) == 0 &&
	    rfm_compute(r.uidx, r.tm, r.amt, r.n_events, r.n_users, &r.opt, &res, cause) == 0) {
		if (res->n_active == 0)
			*cause = xasprintf("no event is on or before asof=%s", r.asof);
		else
			rc = 0;
	}
	if (rc == 0) {
		as = xasprintf("%s_rfm", r.t->name);
		out = cmd_rfm_table(&r, res, cmd_arg(args, "as", as));
		free(as);
		*result = report_table_summary(out);
		cJSON_AddStringToObject(*result, "source", r.t->name);
		cJSON_AddStringToObject(*result, "asof", r.asof);
		cJSON_AddNumberToObject(*result, "events", (double)r.n_events);
		cJSON_AddNumberToObject(*result, "skipped", (double)r.skipped);
		cJSON_AddNumberToObject(*result, "after_asof", (double)res->n_later);
		cJSON_AddNumberToObject(*result, "users", (double)res->n_active);
		cJSON_AddItemToObject(*result, "tiers", cmd_rfm_tiers_json(res));
		/* Last: the output may replace (and free) the source. */
		workspace_put(&ctx->ws, out);
	}
	rfm_result_free(res);
	cmd_rfm_done(&r);
	return rc;
}

const struct cmd_entry cmd_rfm_entry = {
	.name = "rfm",
	.usage = "DATASET [user=COL] [time=COL] [amount=COL] [asof=DATE] [as=NAME]",
	.help = "recency, frequency and monetary quintile scores per user and a tier (heavy, "
	    "regular, light, new, at risk, lost), as a new per-user dataset",
	.min_pos = 1, .max_pos = 1,
	.keys = cmd_rfm_keys,
	.exec = cmd_rfm_exec,
	.flags = CMD_CHANGES_DATA,
};
