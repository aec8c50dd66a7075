/* CSV output of the generated tables, and files replaced atomically.
 * Numbers are printed from integers, never through float formatting. */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomicio.h"
#include "gendemo.h"
#include "xmalloc.h"

#define GENDEMO_PLATFORM_BRAND "知行课堂"

static const char *const gendemo_write_kinds[] = { "course", "dish", "coupon" };
static const char *const gendemo_write_types[] = { "view", "click", "purchase", "redeem" };
static const char *const gendemo_write_platforms[] = { "course", "restaurant", "both" };
static const char *const gendemo_write_ages[] = { "18-24", "25-34", "35-44", "45-54", "55+" };

static const char *const gendemo_write_nick_zh[2][8] = {
	{ "快乐的", "安静的", "爱吃的", "勤奋的", "好奇的", "慢跑的", "早起的", "微笑的" },
	{ "熊猫", "橘猫", "柴犬", "海豚", "松鼠", "刺猬", "考拉", "企鹅" },
};
static const char *const gendemo_write_nick_en[2][8] = {
	{ "sunny", "quiet", "hungry", "curious", "brave", "lazy", "swift", "cosy" },
	{ "fox", "panda", "otter", "koala", "owl", "tiger", "whale", "lynx" },
};

void gendemo_write_money(FILE *f, int64_t cents)
{
	uint64_t a = cents < 0 ? (uint64_t)-cents : (uint64_t)cents;

	fprintf(f, "%s%" PRIu64 ".%02u", cents < 0 ? "-" : "", a / 100, (unsigned)(a % 100));
}

void gendemo_write_date(FILE *f, int32_t days)
{
	char buf[32];

	datetime_format_date(days, false, buf, sizeof buf);
	fputs(buf, f);
}

/* Writes micro-degrees as degrees with six decimals. */
static void gendemo_write_degrees(FILE *f, int32_t micro)
{
	uint32_t a = micro < 0 ? (uint32_t)-(int64_t)micro : (uint32_t)micro;

	fprintf(f, "%s%u.%06u", micro < 0 ? "-" : "", a / 1000000, a % 1000000);
}

/* Writes a point as two fields, latitude then longitude. */
static void gendemo_write_point(FILE *f, int32_t lat, int32_t lon)
{
	gendemo_write_degrees(f, lat);
	putc(',', f);
	gendemo_write_degrees(f, lon);
}

/* Writes a CSV field, quoted (RFC 4180) only when it has to be. */
static void gendemo_write_field(FILE *f, const char *s)
{
	const char *p;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	putc('"', f);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			putc('"', f);
		putc(*p, f);
	}
	putc('"', f);
}

/* Writes a non-negative count of 1/10000 units with four decimals. */
static void gendemo_write_ten_thousandths(FILE *f, uint64_t v)
{
	fprintf(f, "%" PRIu64 ".%04u", v / 10000, (unsigned)(v % 10000));
}

/* Writes a user's nickname field, Chinese or English style. */
static void gendemo_write_nick(FILE *f, const struct gendemo_user *u)
{
	if (u->nick_style == 0)
		fprintf(f, "%s%s%02u,", gendemo_write_nick_zh[0][u->nick_adj],
		    gendemo_write_nick_zh[1][u->nick_noun], u->nick_num);
	else
		fprintf(f, "%s_%s_%02u,", gendemo_write_nick_en[0][u->nick_adj],
		    gendemo_write_nick_en[1][u->nick_noun], u->nick_num);
}

/* Writes user i's row. */
static void gendemo_write_user(FILE *f, const struct gendemo_user *u, size_t i)
{
	const struct gendemo_district *d = &gendemo_districts[u->district];

	fprintf(f, "u%05zu,", i + 1);
	gendemo_write_nick(f, u);
	fprintf(f, "%s,%s,%s,", gendemo_write_platforms[u->platform], gendemo_cities[d->city],
	    d->name);
	gendemo_write_point(f, u->lat, u->lon);
	fprintf(f, ",%s,%" PRId32 ",", gendemo_write_ages[u->age], u->sessions);
	gendemo_write_money(f, u->spend);
	fprintf(f, ",%" PRId32 ",%" PRId32 ",", u->orders, u->courses);
	gendemo_write_date(f, u->last_active);
	putc(',', f);
	gendemo_write_date(f, u->signup);
	putc('\n', f);
}

void gendemo_write_users(FILE *f, const struct gendemo *g)
{
	size_t i;

	fputs("user_id,nickname,platform,city,district,lat,lon,age_band,sessions,spend,"
	    "orders,courses_bought,last_active,signup_date\n", f);
	for (i = 0; i < g->o.users; i++)
		gendemo_write_user(f, &g->users[i], i);
}

void gendemo_write_items(FILE *f, const struct gendemo *g)
{
	size_t i;

	fputs("item_id,kind,title,tags,price,brand\n", f);
	for (i = 0; i < g->n_items; i++) {
		const struct gendemo_item *it = &g->items[i];

		fprintf(f, "i%04zu,%s,", i + 1, gendemo_write_kinds[it->kind]);
		gendemo_write_field(f, it->title);
		putc(',', f);
		gendemo_write_field(f, it->tags);
		putc(',', f);
		gendemo_write_money(f, it->price);
		putc(',', f);
		gendemo_write_field(f, it->kind == KIND_COURSE ? GENDEMO_PLATFORM_BRAND :
		    gendemo_brands[it->brand].name);
		putc('\n', f);
	}
}

void gendemo_write_stores(FILE *f, const struct gendemo *g)
{
	size_t i;

	fputs("store_id,brand,city,name,lat,lon\n", f);
	for (i = 0; i < g->n_stores; i++) {
		const struct gendemo_store *s = &g->stores[i];

		fprintf(f, "s%03zu,%s,%s,%s,", i + 1, gendemo_brands[s->brand].name,
		    gendemo_cities[gendemo_districts[s->district].city], s->name);
		gendemo_write_point(f, s->lat, s->lon);
		putc('\n', f);
	}
}

/* The hot path of the 1M-event benchmark file, so the timestamp text is
 * cached per second. */
void gendemo_write_events(FILE *f, const struct gendemo *g)
{
	char ts[32];
	int64_t cached = INT64_MIN;
	size_t i;

	fputs("ts,user_id,item_id,event,amount,campaign,arm\n", f);
	for (i = 0; i < g->n_events; i++) {
		const struct gendemo_event *e = &g->events[i];

		if (e->ts != cached) {
			/* the stored time is local; the writer wants UTC and an offset */
			datetime_format_datetime((e->ts - 8 * 3600) * 1000, 8 * 60, ts, sizeof ts);
			cached = e->ts;
		}
		fprintf(f, "%s,u%05" PRIu32 ",i%04u,%s,", ts, e->user + 1, e->item + 1u,
		    gendemo_write_types[e->type]);
		if (e->type == EV_PURCHASE || e->type == EV_REDEEM)
			gendemo_write_money(f, e->amount);
		fprintf(f, ",%s,%s\n", GENDEMO_CAMPAIGN, gendemo_arm_names[e->arm]);
	}
}

void gendemo_write_arms(FILE *f, const struct gendemo *g)
{
	size_t i;

	fputs("arm,users,conversions,revenue_sum,revenue_sumsq\n", f);
	for (i = 0; i < ARM_COUNT; i++) {
		const struct gendemo_arm *a = &g->arms[i];

		fprintf(f, "%s,%" PRIu64 ",%" PRIu64 ",", gendemo_arm_names[i], a->users,
		    a->conversions);
		gendemo_write_money(f, a->revenue);
		putc(',', f);
		/* cents squared are exactly 1/10000 of yuan squared */
		gendemo_write_ten_thousandths(f, a->revenue_sq);
		putc('\n', f);
	}
}

int gendemo_write_file(const struct gendemo *g, const char *path,
    void (*emit)(FILE *, const struct gendemo *), char **cause)
{
	char *target = xasprintf("%s/%s", g->o.out, path);
	mode_t mask = umask(0);
	struct atomicio_file af;
	int rc = -1;

	umask(mask);
	/* Readable like any file the user writes. */
	if (atomicio_open(&af, target, 0666 & ~mask, cause) == 0) {
		setvbuf(af.f, NULL, _IOFBF, 1 << 20);
		emit(af.f, g);
		rc = atomicio_commit(&af, cause);
	}
	free(target);
	return rc;
}
