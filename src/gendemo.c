/* crossmkt-gendemo: writes the demo datasets in data/ from a seed.
 *
 * Every number comes from GSL's MT19937 generator seeded from --seed, one
 * independent stream per dataset, so changing --events leaves items.csv and
 * daily.csv alone. Money is kept in integer cents and coordinates in
 * micro-degrees and printed with integer formats: the output does not
 * depend on the C library's float printing, the locale or the clock. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "datetime.h"
#include "xmalloc.h"

#define GENDEMO_NAME "crossmkt-gendemo"
#define GENDEMO_CAMPAIGN "spring_combo"
#define GENDEMO_WINDOW (14 * 86400)	/* conversion window after exposure */
#define GENDEMO_BROWSE_DAYS 21		/* browsing goes on after the window */

enum { KIND_COURSE, KIND_DISH, KIND_COUPON };
enum { EV_VIEW, EV_CLICK, EV_PURCHASE, EV_REDEEM };
enum { ARM_CONTROL, ARM_COUPON, ARM_DISCOUNT, ARM_COUNT };
enum { PLAT_COURSE, PLAT_RESTAURANT, PLAT_BOTH, PLAT_COUNT };
enum { SEG_HEAVY, SEG_LIGHT, SEG_NEW, SEG_LEARNER, SEG_COUNT };
enum { STREAM_ITEMS = 1, STREAM_USERS, STREAM_STORES, STREAM_EVENTS, STREAM_DAILY };

#define N_TOPICS 6
#define N_BRANDS 5
#define N_AGES 5
#define N_HOURS 24

static const char *const gendemo_kind_names[] = { "course", "dish", "coupon" };
static const char *const gendemo_event_names[] = { "view", "click", "purchase", "redeem" };
static const char *const gendemo_arm_names[] = { "control", "coupon", "discount" };
static const char *const gendemo_platform_names[] = { "course", "restaurant", "both" };
static const char *const gendemo_age_names[] = { "18-24", "25-34", "35-44", "45-54", "55+" };

/* Calendar of the story, as YYYYMMDD. */
#define GENDEMO_SNAPSHOT 20250531	/* users.csv describes users as of this day */
#define GENDEMO_CAMPAIGN_FROM 20250303
#define GENDEMO_CAMPAIGN_TO 20250427
#define GENDEMO_DAILY_FROM 20240101
#define GENDEMO_OUTAGE 20240814		/* tracking outage: dau and sessions lost */

/* A behavioural cluster of users; k-means should find these again. */
struct gendemo_segment {
	const char *name;
	double share;
	double platform[PLAT_COUNT];
	double age[N_AGES];
	double sessions, orders, courses;	/* Poisson means, last 90 days */
	int signup_from, signup_to;		/* YYYYMMDD */
	int idle_min, idle_max;			/* days since last activity */
	double activity;			/* relative share of campaign events */
	double convert;				/* control conversion probability */
};

static const struct gendemo_segment gendemo_segments[SEG_COUNT] = {
	{ "heavy spenders", 0.15, { 0.00, 0.30, 0.70 }, { 0.10, 0.45, 0.35, 0.08, 0.02 },
	  95, 18, 3, 20230101, 20240630, 0, 6, 3.0, 0.16 },
	{ "light browsers", 0.40, { 0.25, 0.50, 0.25 }, { 0.25, 0.30, 0.22, 0.13, 0.10 },
	  12, 0.6, 0.2, 20230101, 20250131, 25, 200, 0.6, 0.05 },
	{ "new users", 0.20, { 0.35, 0.45, 0.20 }, { 0.40, 0.35, 0.15, 0.07, 0.03 },
	  7, 1.2, 0.5, 20250215, 20250520, 0, 14, 0.8, 0.075 },
	{ "course-only learners", 0.25, { 0.80, 0.00, 0.20 }, { 0.20, 0.50, 0.22, 0.06, 0.02 },
	  48, 0.3, 5, 20230601, 20250131, 0, 30, 1.5, 0.08 },
};

/* Relative conversion lift of each arm: the coupon works, the discount does not. */
static const double gendemo_arm_lift[ARM_COUNT] = { 1.00, 1.50, 1.00 };
#define GENDEMO_DISCOUNT_PCT 15		/* discount arm: 15% off the order */
#define GENDEMO_REDEEM_SHARE 0.75	/* coupon-arm conversions that redeem */

struct gendemo_district {
	int city;
	const char *name, *shortname;
	int lat, lon;			/* micro-degrees */
};

static const char *const gendemo_cities[] = { "上海", "北京", "深圳", "杭州", "成都", "广州" };
static const double gendemo_city_weights[] = { 22, 20, 16, 14, 14, 14 };
#define N_CITIES 6

static const struct gendemo_district gendemo_districts[] = {
	{ 0, "黄浦区", "黄浦", 31231700, 121484600 },
	{ 0, "徐汇区", "徐汇", 31188500, 121436500 },
	{ 0, "静安区", "静安", 31229000, 121448000 },
	{ 0, "浦东新区", "浦东", 31221400, 121544700 },
	{ 0, "长宁区", "长宁", 31220400, 121424200 },
	{ 1, "朝阳区", "朝阳", 39921900, 116443600 },
	{ 1, "海淀区", "海淀", 39959300, 116298100 },
	{ 1, "东城区", "东城", 39928800, 116416000 },
	{ 1, "西城区", "西城", 39912300, 116366000 },
	{ 1, "丰台区", "丰台", 39858500, 116287000 },
	{ 2, "南山区", "南山", 22533300, 113930400 },
	{ 2, "福田区", "福田", 22541000, 114055000 },
	{ 2, "罗湖区", "罗湖", 22548300, 114131500 },
	{ 2, "宝安区", "宝安", 22555300, 113883000 },
	{ 3, "西湖区", "西湖", 30259500, 120130000 },
	{ 3, "上城区", "上城", 30242500, 120169300 },
	{ 3, "拱墅区", "拱墅", 30319500, 120141700 },
	{ 3, "滨江区", "滨江", 30208400, 120211900 },
	{ 4, "锦江区", "锦江", 30657100, 104083100 },
	{ 4, "武侯区", "武侯", 30642300, 104043000 },
	{ 4, "青羊区", "青羊", 30674000, 104062000 },
	{ 4, "成华区", "成华", 30660000, 104101600 },
	{ 5, "天河区", "天河", 23124600, 113361300 },
	{ 5, "越秀区", "越秀", 23129000, 113266800 },
	{ 5, "海珠区", "海珠", 23083700, 113317400 },
	{ 5, "番禺区", "番禺", 22937000, 113384300 },
};
#define N_DISTRICTS (sizeof gendemo_districts / sizeof gendemo_districts[0])

#define GENDEMO_PLATFORM_BRAND "知行课堂"

/* Restaurant brands; topic is the course topic whose learners favour it. */
struct gendemo_brand {
	const char *name, *shortname, *tags;
	int topic;
	double aov;			/* typical order, yuan */
	const char *dishes[8];
	int prices[8];			/* yuan */
};

static const struct gendemo_brand gendemo_brands[N_BRANDS] = {
	{ "蜀香阁", "蜀香阁", "川菜|火锅", 1, 95,
	  { "Sichuan Hotpot Set", "麻辣香锅", "水煮鱼", "毛血旺", "夫妻肺片", "担担面",
	    "宫保鸡丁 Kung Pao Chicken", "冒菜 Mao Cai" },
	  { 168, 68, 78, 72, 38, 22, 42, 35 } },
	{ "粤点轩", "粤点轩", "粤菜|点心", 5, 80,
	  { "虾饺 Har Gow", "烧卖", "叉烧包", "Dim Sum Platter, for two", "肠粉", "艇仔粥",
	    "烧鹅饭", "早茶套餐 Morning Tea Set" },
	  { 32, 28, 24, 128, 26, 22, 45, 88 } },
	{ "绿碗轻食 Green Bowl", "绿碗轻食", "轻食|沙拉", 0, 55,
	  { "Chicken Caesar Salad", "牛油果能量碗", "藜麦鸡胸沙拉", "Salmon Poke Bowl",
	    "全麦三明治", "冷压果汁 Cold-pressed Juice", "低脂便当", "Vegan \"Buddha\" Bowl" },
	  { 46, 52, 48, 62, 32, 28, 39, 45 } },
	{ "江南小馆", "江南小馆", "江浙菜|家常", 4, 110,
	  { "东坡肉", "西湖醋鱼", "龙井虾仁", "Shanghai Soup Dumplings 小笼包", "腌笃鲜",
	    "葱油拌面", "糖醋小排", "江南家宴套餐 Family Set" },
	  { 58, 78, 88, 32, 68, 18, 52, 268 } },
	{ "面道 Noodle Way", "面道", "面食|快餐", 2, 40,
	  { "兰州牛肉面", "Beef Noodle Soup", "重庆小面", "油泼面", "Dan Dan Noodles", "炸酱面",
	    "番茄鸡蛋面", "Noodle Combo, drink included" },
	  { 28, 32, 18, 22, 26, 24, 20, 36 } },
};

struct gendemo_course {
	const char *title, *tags;
	int topic;
	int price;			/* yuan */
};

static const struct gendemo_course gendemo_courses[] = {
	{ "健康饮食入门", "健康|饮食|入门", 0, 99 },
	{ "Mindful Eating 正念饮食", "健康|饮食|正念", 0, 129 },
	{ "营养学基础", "健康|营养|入门", 0, 149 },
	{ "减脂训练营 Fat-loss Bootcamp", "健康|运动|减脂", 0, 299 },
	{ "家常菜三十讲", "烹饪|家常|入门", 1, 99 },
	{ "Sichuan Cooking 川菜烹饪", "烹饪|川菜", 1, 199 },
	{ "烘焙基础 Baking Basics", "烹饪|烘焙|入门", 1, 169 },
	{ "粤式点心制作", "烹饪|粤菜|点心", 1, 229 },
	{ "职场沟通课", "职场|沟通|软技能", 2, 199 },
	{ "时间管理 Time Management", "职场|效率|软技能", 2, 99 },
	{ "产品经理入门", "职场|产品|入门", 2, 399 },
	{ "Public Speaking 演讲力", "职场|沟通|演讲", 2, 249 },
	{ "Python for Data Analysis", "编程|数据|Python", 3, 499 },
	{ "SQL in 30 Days", "编程|数据|SQL", 3, 299 },
	{ "Excel 高效办公", "办公|数据|效率", 3, 129 },
	{ "机器学习入门", "编程|AI|入门", 3, 599 },
	{ "理财第一课", "理财|入门|基金", 4, 49 },
	{ "个人财务规划", "理财|规划|家庭", 4, 199 },
	{ "Investing 101 指数基金", "理财|投资|基金", 4, 299 },
	{ "保险怎么买", "理财|保险|家庭", 4, 99 },
	{ "咖啡品鉴 Coffee Tasting", "生活|咖啡|品鉴", 5, 159 },
	{ "茶文化十讲", "生活|茶|文化", 5, 129 },
	{ "手机摄影入门", "生活|摄影|入门", 5, 99 },
	{ "Wine Basics 葡萄酒入门", "生活|葡萄酒|品鉴", 5, 199 },
};
#define N_COURSES (sizeof gendemo_courses / sizeof gendemo_courses[0])

/* Editions of each course: title suffix, tag, price factor in percent. */
static const struct { const char *suffix, *tag; int pct; } gendemo_editions[] = {
	{ "", NULL, 100 }, { " · 进阶", "进阶", 150 }, { " · 实战", "实战", 180 },
	{ " (2025版)", "2025", 110 }, { " · 第二季", "第二季", 120 },
};
#define N_EDITIONS 5

static const struct { const char *suffix, *tag; int pct; } gendemo_sizes[] = {
	{ "", "单人", 100 }, { " 双人份", "双人", 180 }, { " 家庭装", "家庭", 300 },
};
#define N_SIZES 3

/* Coupon kinds: threshold and amount off in yuan, or percent off. */
struct gendemo_coupon {
	const char *title, *tag;
	int threshold, off, pct;
};

static const struct gendemo_coupon gendemo_coupons[] = {
	{ "满100减20 coupon", "满减", 100, 20, 0 },	/* the campaign coupon */
	{ "满200减50 coupon", "满减", 200, 50, 0 },
	{ "满50减8 coupon", "满减", 50, 8, 0 },
	{ "8折券 20% off", "折扣", 0, 0, 20 },
	{ "第二份半价 2nd \"half price\"", "折扣", 0, 0, 25 },
	{ "免配送费 Free delivery", "配送", 30, 6, 0 },
};
#define N_COUPONS 6

/* Hour-of-day weights, Asia/Shanghai: lunch, dinner and evening study. */
static const double gendemo_hours[N_HOURS] = {
	1.0, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 2.0, 3.0, 3.0, 3.0, 5.0,
	7.0, 5.0, 3.0, 3.0, 3.0, 5.0, 7.0, 7.0, 7.0, 8.0, 6.0, 3.0,
};

static const char *const gendemo_nick_zh[2][8] = {
	{ "快乐的", "安静的", "爱吃的", "勤奋的", "好奇的", "慢跑的", "早起的", "微笑的" },
	{ "熊猫", "橘猫", "柴犬", "海豚", "松鼠", "刺猬", "考拉", "企鹅" },
};
static const char *const gendemo_nick_en[2][8] = {
	{ "sunny", "quiet", "hungry", "curious", "brave", "lazy", "swift", "cosy" },
	{ "fox", "panda", "otter", "koala", "owl", "tiger", "whale", "lynx" },
};

struct gendemo_item {
	int kind, topic, brand;		/* topic for courses, brand for the rest */
	char *title, *tags;
	int64_t price;			/* cents */
	int coupon;			/* index in gendemo_coupons */
	double popularity;
};

struct gendemo_user {
	uint8_t segment, platform, age, topic, brand, arm;
	uint8_t nick_style, nick_adj, nick_noun, nick_num;
	uint16_t district;
	int32_t lat, lon;
	int32_t signup, last_active;	/* days since 1970-01-01 */
	int32_t sessions, orders, courses;
	int64_t spend;			/* cents */
	bool exposed, converts;
	int64_t exposed_at;		/* local seconds since 1970-01-01 */
};

struct gendemo_event {
	int64_t ts;			/* local (+08:00) seconds since 1970-01-01 */
	uint32_t user, seq;
	int32_t amount;			/* cents */
	uint16_t item;
	uint8_t type, arm;
};

struct gendemo_store {
	int brand, district;
	char *name;
	int32_t lat, lon;
};

/* Per-arm sufficient statistics, in cents (sum) and cents squared. */
struct gendemo_arm {
	uint64_t users, conversions;
	int64_t revenue;
	uint64_t revenue_sq;
};

struct gendemo_opts {
	unsigned long seed, users, events, days;
	const char *out;
	unsigned only;			/* bit set of gendemo_files; 0 = all */
};

#define GENDEMO_DEFAULTS { 42, 3000, 40000, 730, ".", 0 }

struct gendemo {
	struct gendemo_opts o;
	struct gendemo_item *items;
	size_t n_items;
	gsl_ran_discrete_t *pick_topic[N_TOPICS], *pick_brand[N_BRANDS];
	gsl_ran_discrete_t *pick_courses, *pick_dishes, *pick_hour;
	size_t first_dish, first_coupon;
	struct gendemo_user *users;
	struct gendemo_store *stores;
	size_t n_stores;
	struct gendemo_event *events;
	size_t n_events;
	struct gendemo_arm arms[ARM_COUNT];
	uint64_t segment_count[SEG_COUNT];
	uint64_t platform_count[PLAT_COUNT];
};

/* Days since 1970-01-01 of a YYYYMMDD constant. */
static int32_t gendemo_day(int ymd)
{
	return datetime_days_from_civil(ymd / 10000, ymd / 100 % 100, ymd % 100);
}

/* A generator for one dataset: streams differ so datasets are independent. */
static gsl_rng *gendemo_rng_new(unsigned long seed, unsigned stream)
{
	uint64_t z = (uint64_t)seed + 0x9e3779b97f4a7c15ULL * stream;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

	/* splitmix64 finaliser: nearby seeds give unrelated streams */
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	gsl_rng_set(r, (unsigned long)(z & 0xffffffffUL));
	return r;
}

/* An index drawn from weights, for a one-off draw. */
static size_t gendemo_pick(const gsl_rng *r, const double *w, size_t n)
{
	double total = 0, x;
	size_t i;

	for (i = 0; i < n; i++)
		total += w[i];
	x = gsl_rng_uniform(r) * total;
	for (i = 0; i + 1 < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* Yuan to cents, rounded half away from zero. */
static int64_t gendemo_cents(double yuan)
{
	return (int64_t)llround(yuan * 100.0);
}

/* Writes cents as yuan with two decimals, without float printing. */
static void gendemo_put_money(FILE *f, int64_t cents)
{
	uint64_t a = cents < 0 ? (uint64_t)-cents : (uint64_t)cents;

	fprintf(f, "%s%" PRIu64 ".%02u", cents < 0 ? "-" : "", a / 100, (unsigned)(a % 100));
}

/* Writes micro-degrees as degrees with six decimals. */
static void gendemo_put_degrees(FILE *f, int32_t micro)
{
	uint32_t a = micro < 0 ? (uint32_t)-(int64_t)micro : (uint32_t)micro;

	fprintf(f, "%s%u.%06u", micro < 0 ? "-" : "", a / 1000000, a % 1000000);
}

/* Writes a CSV field, quoted (RFC 4180) only when it has to be. */
static void gendemo_put_field(FILE *f, const char *s)
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

/* Writes a date as YYYY-MM-DD. */
static void gendemo_put_date(FILE *f, int32_t days)
{
	char buf[32];

	datetime_format_date(days, false, buf, sizeof buf);
	fputs(buf, f);
}

/* ---- items ---- */

/* Appends one item to the catalogue. */
static struct gendemo_item *gendemo_item_add(struct gendemo *g, const gsl_rng *r, int kind)
{
	struct gendemo_item *it = &g->items[g->n_items++];

	memset(it, 0, sizeof *it);
	it->kind = kind;
	/* a long tail of popularity, so "most viewed" means something */
	it->popularity = gsl_ran_lognormal(r, 0, 0.8);
	return it;
}

/* Courses: every base course in every edition. */
static void gendemo_items_courses(struct gendemo *g, const gsl_rng *r)
{
	size_t c, e;

	for (c = 0; c < N_COURSES; c++) {
		for (e = 0; e < N_EDITIONS; e++) {
			const struct gendemo_course *gc = &gendemo_courses[c];
			struct gendemo_item *it = gendemo_item_add(g, r, KIND_COURSE);

			it->topic = gc->topic;
			it->title = xasprintf("%s%s", gc->title, gendemo_editions[e].suffix);
			it->tags = gendemo_editions[e].tag == NULL ? xstrdup(gc->tags) :
			    xasprintf("%s|%s", gc->tags, gendemo_editions[e].tag);
			/* prices end in 9, as course prices do */
			it->price = ((int64_t)gc->price * gendemo_editions[e].pct / 1000 * 10 + 9) *
			    100;
		}
	}
}

/* Dishes: every brand's dishes in every portion size. */
static void gendemo_items_dishes(struct gendemo *g, const gsl_rng *r)
{
	size_t b, d, s;

	for (b = 0; b < N_BRANDS; b++) {
		const struct gendemo_brand *gb = &gendemo_brands[b];

		for (d = 0; d < 8; d++) {
			for (s = 0; s < N_SIZES; s++) {
				struct gendemo_item *it = gendemo_item_add(g, r, KIND_DISH);

				it->brand = (int)b;
				it->topic = gb->topic;
				it->title = xasprintf("%s%s", gb->dishes[d],
				    gendemo_sizes[s].suffix);
				it->tags = xasprintf("%s|%s", gb->tags, gendemo_sizes[s].tag);
				it->price = (int64_t)gb->prices[d] * gendemo_sizes[s].pct;
			}
		}
	}
}

/* Coupons: free to claim, so their price is zero. */
static void gendemo_items_coupons(struct gendemo *g, const gsl_rng *r)
{
	size_t b, c;

	for (b = 0; b < N_BRANDS; b++) {
		for (c = 0; c < N_COUPONS; c++) {
			struct gendemo_item *it = gendemo_item_add(g, r, KIND_COUPON);
			const char *cuisine = gendemo_brands[b].tags;

			it->brand = (int)b;
			it->topic = gendemo_brands[b].topic;
			it->coupon = (int)c;
			it->title = xasprintf("%s %s", gendemo_brands[b].shortname,
			    gendemo_coupons[c].title);
			it->tags = xasprintf("优惠|%s|%.*s", gendemo_coupons[c].tag,
			    (int)strcspn(cuisine, "|"), cuisine);
		}
	}
}

/* A weighted sampler over the items of [from, to) that pass a filter. */
static gsl_ran_discrete_t *gendemo_items_sampler(const struct gendemo *g, size_t from,
    size_t to, int brand, int topic)
{
	double *w = xcalloc(to - from, sizeof *w);
	gsl_ran_discrete_t *d;
	size_t i;

	for (i = from; i < to; i++) {
		const struct gendemo_item *it = &g->items[i];

		if ((brand < 0 || it->brand == brand) && (topic < 0 || it->topic == topic))
			w[i - from] = it->popularity;
	}
	d = gsl_ran_discrete_preproc(to - from, w);
	free(w);
	return d;
}

/* Builds the catalogue and the samplers used to pick what users look at. */
static void gendemo_items_make(struct gendemo *g, unsigned long seed)
{
	gsl_rng *r = gendemo_rng_new(seed, STREAM_ITEMS);
	size_t i;

	g->items = xcalloc(N_COURSES * N_EDITIONS + N_BRANDS * 8 * N_SIZES +
	    N_BRANDS * N_COUPONS, sizeof *g->items);
	gendemo_items_courses(g, r);
	g->first_dish = g->n_items;
	gendemo_items_dishes(g, r);
	g->first_coupon = g->n_items;
	gendemo_items_coupons(g, r);
	for (i = 0; i < N_TOPICS; i++)
		g->pick_topic[i] = gendemo_items_sampler(g, 0, g->first_dish, -1, (int)i);
	for (i = 0; i < N_BRANDS; i++)
		g->pick_brand[i] = gendemo_items_sampler(g, g->first_dish, g->first_coupon,
		    (int)i, -1);
	g->pick_courses = gendemo_items_sampler(g, 0, g->first_dish, -1, -1);
	g->pick_dishes = gendemo_items_sampler(g, g->first_dish, g->first_coupon, -1, -1);
	g->pick_hour = gsl_ran_discrete_preproc(N_HOURS, gendemo_hours);
	gsl_rng_free(r);
}

/* ---- stores ---- */

/* Adds a store of a brand in a district, numbering a second one there. */
static void gendemo_store_add(struct gendemo *g, const gsl_rng *r, int brand, int district)
{
	const struct gendemo_district *d = &gendemo_districts[district];
	struct gendemo_store *s = &g->stores[g->n_stores];
	size_t i;
	int same = 0;

	for (i = 0; i < g->n_stores; i++)
		same += g->stores[i].brand == brand && g->stores[i].district == district;
	s->brand = brand;
	s->district = district;
	s->name = xasprintf("%s(%s%s店)", gendemo_brands[brand].shortname, d->shortname,
	    same == 0 ? "" : "二");
	s->lat = d->lat + (int32_t)lround(gsl_ran_gaussian(r, 0.012) * 1e6);
	s->lon = d->lon + (int32_t)lround(gsl_ran_gaussian(r, 0.012) * 1e6);
	g->n_stores++;
}

/* A random district of a city. */
static int gendemo_city_district(const gsl_rng *r, int city)
{
	int first = -1, n = 0;
	size_t i;

	for (i = 0; i < N_DISTRICTS; i++) {
		if (gendemo_districts[i].city != city)
			continue;
		if (first < 0)
			first = (int)i;
		n++;
	}
	return first + (int)gsl_rng_uniform_int(r, (unsigned long)n);
}

/* Every brand in every city, and two more stores of random brands per city. */
static void gendemo_stores_make(struct gendemo *g, unsigned long seed)
{
	gsl_rng *r = gendemo_rng_new(seed, STREAM_STORES);
	int c, b;

	g->stores = xcalloc(N_CITIES * (N_BRANDS + 2), sizeof *g->stores);
	for (c = 0; c < N_CITIES; c++) {
		for (b = 0; b < N_BRANDS + 2; b++) {
			int brand = b < N_BRANDS ? b : (int)gsl_rng_uniform_int(r, N_BRANDS);

			gendemo_store_add(g, r, brand, gendemo_city_district(r, c));
		}
	}
	gsl_rng_free(r);
}

/* ---- users ---- */

/* A day drawn uniformly between two YYYYMMDD dates, both included. */
static int32_t gendemo_uniform_day(const gsl_rng *r, int from, int to)
{
	int32_t a = gendemo_day(from), b = gendemo_day(to);

	return a + (int32_t)gsl_rng_uniform_int(r, (unsigned long)(b - a + 1));
}

/* Activity counts and spend over the last 90 days, by segment and platform. */
static void gendemo_user_activity(struct gendemo_user *u, const gsl_rng *r)
{
	const struct gendemo_segment *s = &gendemo_segments[u->segment];
	double aov = gsl_ran_lognormal(r, log(65.0), 0.35);
	double course_price = gsl_ran_lognormal(r, log(190.0), 0.4);

	u->sessions = 1 + (int32_t)gsl_ran_poisson(r, s->sessions);
	u->orders = u->platform == PLAT_COURSE ? 0 : (int32_t)gsl_ran_poisson(r, s->orders);
	u->courses = u->platform == PLAT_RESTAURANT ? 0 :
	    (int32_t)gsl_ran_poisson(r, s->courses);
	u->spend = gendemo_cents(u->orders * aov + u->courses * course_price);
}

/* Nickname parts: playful, never a real-looking name. */
static void gendemo_user_nick(struct gendemo_user *u, const gsl_rng *r)
{
	u->nick_style = (uint8_t)gsl_rng_uniform_int(r, 2);
	u->nick_adj = (uint8_t)gsl_rng_uniform_int(r, 8);
	u->nick_noun = (uint8_t)gsl_rng_uniform_int(r, 8);
	u->nick_num = (uint8_t)gsl_rng_uniform_int(r, 100);
}

/* Where the user lives: a district of a city, a point near its centre. */
static void gendemo_user_place(struct gendemo_user *u, const gsl_rng *r)
{
	int city = (int)gendemo_pick(r, gendemo_city_weights, N_CITIES);
	const struct gendemo_district *d;

	u->district = (uint16_t)gendemo_city_district(r, city);
	d = &gendemo_districts[u->district];
	u->lat = d->lat + (int32_t)lround(gsl_ran_gaussian(r, 0.02) * 1e6);
	u->lon = d->lon + (int32_t)lround(gsl_ran_gaussian(r, 0.02) * 1e6);
}

/* Tastes: a favourite course topic, and a brand that often goes with it. */
static void gendemo_user_tastes(struct gendemo_user *u, const gsl_rng *r)
{
	size_t b;

	u->topic = (uint8_t)gsl_rng_uniform_int(r, N_TOPICS);
	u->brand = (uint8_t)gsl_rng_uniform_int(r, N_BRANDS);
	if (gsl_rng_uniform(r) < 0.5)
		return;
	for (b = 0; b < N_BRANDS; b++)
		if (gendemo_brands[b].topic == u->topic)
			u->brand = (uint8_t)b;
}

/* One user: segment first, everything else follows from it. */
static void gendemo_user_make(struct gendemo_user *u, const gsl_rng *r)
{
	double shares[SEG_COUNT];
	const struct gendemo_segment *s;
	int32_t snapshot = gendemo_day(GENDEMO_SNAPSHOT), idle;
	size_t i;

	for (i = 0; i < SEG_COUNT; i++)
		shares[i] = gendemo_segments[i].share;
	u->segment = (uint8_t)gendemo_pick(r, shares, SEG_COUNT);
	s = &gendemo_segments[u->segment];
	u->platform = (uint8_t)gendemo_pick(r, s->platform, PLAT_COUNT);
	u->age = (uint8_t)gendemo_pick(r, s->age, N_AGES);
	gendemo_user_nick(u, r);
	gendemo_user_place(u, r);
	gendemo_user_tastes(u, r);
	gendemo_user_activity(u, r);
	u->signup = gendemo_uniform_day(r, s->signup_from, s->signup_to);
	idle = s->idle_min + (int32_t)gsl_rng_uniform_int(r,
	    (unsigned long)(s->idle_max - s->idle_min + 1));
	u->last_active = snapshot - idle < u->signup ? u->signup : snapshot - idle;
}

/* All users, from their own stream. */
static void gendemo_users_make(struct gendemo *g, unsigned long seed)
{
	gsl_rng *r = gendemo_rng_new(seed, STREAM_USERS);
	size_t i;

	g->users = xcalloc(g->o.users, sizeof *g->users);
	for (i = 0; i < g->o.users; i++) {
		gendemo_user_make(&g->users[i], r);
		g->segment_count[g->users[i].segment]++;
		g->platform_count[g->users[i].platform]++;
	}
	gsl_rng_free(r);
}

/* ---- events ---- */

/* A local time on a day, at an hour people actually use the apps. */
static int64_t gendemo_time_of_day(const struct gendemo *g, const gsl_rng *r, int32_t day)
{
	int64_t hour = (int64_t)gsl_ran_discrete(r, g->pick_hour);

	return (int64_t)day * 86400 + hour * 3600 + (int64_t)gsl_rng_uniform_int(r, 3600);
}

/* Something the user would look at: a course of their topic or a dish of
 * their brand, sometimes anything popular. */
static size_t gendemo_pick_item(const struct gendemo *g, const gsl_rng *r,
    const struct gendemo_user *u)
{
	bool course = u->platform == PLAT_COURSE ||
	    (u->platform == PLAT_BOTH && gsl_rng_uniform(r) < 0.5);
	bool own = gsl_rng_uniform(r) < 0.7;

	if (course)
		return gsl_ran_discrete(r, own ? g->pick_topic[u->topic] : g->pick_courses);
	return g->first_dish + gsl_ran_discrete(r, own ? g->pick_brand[u->brand] :
	    g->pick_dishes);
}

/* The campaign coupon of the user's favourite brand. */
static size_t gendemo_campaign_coupon(const struct gendemo *g, const struct gendemo_user *u)
{
	return g->first_coupon + (size_t)u->brand * N_COUPONS;
}

/* Appends an event of user u. */
static void gendemo_event_add(struct gendemo *g, uint32_t u, uint32_t *seq, int64_t ts,
    size_t item, int type, int64_t amount)
{
	struct gendemo_event *e = &g->events[g->n_events++];

	e->ts = ts;
	e->user = u;
	e->seq = (*seq)++;
	e->item = (uint16_t)item;
	e->type = (uint8_t)type;
	e->arm = g->users[u].arm;
	e->amount = (int32_t)amount;
}

/* When a conversion happens: front-loaded, always inside the window. */
static int64_t gendemo_conversion_time(const struct gendemo *g, const gsl_rng *r, int64_t t0)
{
	double days = gsl_ran_exponential(r, 2.5);

	if (days < 1.0)
		return t0 + 120 + (int64_t)gsl_rng_uniform_int(r, 7200);
	if (days > 13.0)
		days = 13.0;
	/* day 13 plus a time of day stays under 14 days from t0 */
	return gendemo_time_of_day(g, r, (int32_t)datetime_floordiv(t0, 86400) + (int32_t)days);
}

/* The order paid with the campaign coupon: at least its threshold. */
static int64_t gendemo_redeem_amount(const gsl_rng *r, const struct gendemo_user *u)
{
	const struct gendemo_coupon *c = &gendemo_coupons[0];
	double order = gsl_ran_lognormal(r, log(gendemo_brands[u->brand].aov * 1.3), 0.35);

	if (order < c->threshold)
		order = c->threshold + gsl_rng_uniform(r) * 30.0;
	return gendemo_cents(order) - (int64_t)c->off * 100;
}

/* A purchase or a redemption; returns the item. */
static size_t gendemo_conversion(struct gendemo *g, const gsl_rng *r, uint32_t u,
    uint32_t *seq, int64_t tc, bool first)
{
	const struct gendemo_user *user = &g->users[u];
	size_t item;
	int64_t amount;

	if (first && user->arm == ARM_COUPON && gsl_rng_uniform(r) < GENDEMO_REDEEM_SHARE) {
		item = gendemo_campaign_coupon(g, user);
		gendemo_event_add(g, u, seq, tc, item, EV_REDEEM, gendemo_redeem_amount(r, user));
		return item;
	}
	item = gendemo_pick_item(g, r, user);
	amount = g->items[item].price;
	if (g->items[item].kind == KIND_DISH && gsl_rng_uniform(r) < 0.2)
		amount *= 2;		/* two portions */
	if (user->arm == ARM_DISCOUNT)
		amount = (amount * (100 - GENDEMO_DISCOUNT_PCT) + 50) / 100;
	gendemo_event_add(g, u, seq, tc, item, EV_PURCHASE, amount);
	return item;
}

/* A view or click after the exposure, sometimes in the same session. */
static void gendemo_browse(struct gendemo *g, const gsl_rng *r, uint32_t u, uint32_t *seq,
    int64_t t0)
{
	const struct gendemo_user *user = &g->users[u];
	unsigned long day = gsl_rng_uniform_int(r, GENDEMO_BROWSE_DAYS);
	int64_t ts;
	size_t item;

	if (day == 0)
		ts = t0 + 30 + (int64_t)gsl_rng_uniform_int(r, 1800);
	else
		ts = gendemo_time_of_day(g, r,
		    (int32_t)datetime_floordiv(t0, 86400) + (int32_t)day);
	if (user->arm == ARM_COUPON && gsl_rng_uniform(r) < 0.15)
		item = g->first_coupon + user->brand * N_COUPONS +
		    gsl_rng_uniform_int(r, N_COUPONS);
	else
		item = gendemo_pick_item(g, r, user);
	gendemo_event_add(g, u, seq, ts, item, gsl_rng_uniform(r) < 0.3 ? EV_CLICK : EV_VIEW, 0);
}

/* Exactly k events of one exposed user: the exposure view, maybe
 * conversions (each usually after a click), then browsing. */
static void gendemo_events_user(struct gendemo *g, const gsl_rng *r, uint32_t u, uint32_t k)
{
	struct gendemo_user *user = &g->users[u];
	uint32_t seq = 0, slots = k - 1, nconv = 0, i;
	int64_t t0 = user->exposed_at;

	gendemo_event_add(g, u, &seq, t0, user->arm == ARM_COUPON ?
	    gendemo_campaign_coupon(g, user) : gendemo_pick_item(g, r, user), EV_VIEW, 0);
	if (slots >= 1 && user->converts)
		nconv = slots >= 4 && gsl_rng_uniform(r) < 0.2 ? 2 : 1;
	slots -= nconv;
	for (i = 0; i < nconv; i++) {
		int64_t tc = gendemo_conversion_time(g, r, t0);
		size_t item = gendemo_conversion(g, r, u, &seq, tc, i == 0);

		if (slots > 0 && gsl_rng_uniform(r) < 0.8) {
			/* tc is at least 120 s after t0, so the click is too */
			gendemo_event_add(g, u, &seq, tc - 30 - (int64_t)gsl_rng_uniform_int(r, 90),
			    item, EV_CLICK, 0);
			slots--;
		}
	}
	while (slots-- > 0)
		gendemo_browse(g, r, u, &seq, t0);
}

/* Who converts: systematic sampling within each arm, so each user converts
 * with their own probability while an arm's count of conversions stays
 * within one of its expectation; the planted difference is not left to luck. */
static void gendemo_converters(struct gendemo *g, const gsl_rng *r, const uint32_t *exposed,
    size_t n)
{
	double acc[ARM_COUNT];
	size_t i;

	for (i = 0; i < ARM_COUNT; i++)
		acc[i] = gsl_rng_uniform(r);
	for (i = 0; i < n; i++) {
		struct gendemo_user *u = &g->users[exposed[i]];
		double before = acc[u->arm];

		acc[u->arm] += gendemo_segments[u->segment].convert * gendemo_arm_lift[u->arm];
		u->converts = floor(acc[u->arm]) > floor(before);
	}
}

/* Picks the exposed users (all eligible ones when events allow) and
 * assigns each an arm and an exposure time. Returns how many. */
static size_t gendemo_exposures(struct gendemo *g, const gsl_rng *r, uint32_t **out)
{
	int32_t from = gendemo_day(GENDEMO_CAMPAIGN_FROM), to = gendemo_day(GENDEMO_CAMPAIGN_TO);
	uint32_t *eligible = xcalloc(g->o.users, sizeof *eligible);
	size_t n = 0, want, i;

	for (i = 0; i < g->o.users; i++)
		if (g->users[i].signup <= to)
			eligible[n++] = (uint32_t)i;
	want = g->o.events / 5 > 0 ? g->o.events / 5 : 1;
	if (want < n) {
		*out = xcalloc(want, sizeof **out);
		gsl_ran_choose(r, *out, want, eligible, n, sizeof *eligible);
		free(eligible);
		n = want;
	} else
		*out = eligible;
	for (i = 0; i < n; i++) {
		struct gendemo_user *u = &g->users[(*out)[i]];
		int32_t start = u->signup > from ? u->signup : from;
		int32_t day = start +
		    (int32_t)gsl_rng_uniform_int(r, (unsigned long)(to - start + 1));

		u->exposed = true;
		u->arm = (uint8_t)gsl_rng_uniform_int(r, ARM_COUNT);
		u->exposed_at = gendemo_time_of_day(g, r, day);
	}
	gendemo_converters(g, r, *out, n);
	return n;
}

/* Splits the events among exposed users: two each at least (exposure and
 * room for a conversion), the rest in proportion to their activity. */
static unsigned *gendemo_events_split(const struct gendemo *g, const gsl_rng *r,
    const uint32_t *exposed, size_t n)
{
	unsigned *k = xcalloc(n, sizeof *k);
	double *w = xcalloc(n, sizeof *w);
	unsigned base = g->o.events >= 2 * n ? 2 : 1;
	size_t i;

	for (i = 0; i < n; i++)
		w[i] = gendemo_segments[g->users[exposed[i]].segment].activity;
	gsl_ran_multinomial(r, n, (unsigned)(g->o.events - base * n), w, k);
	for (i = 0; i < n; i++)
		k[i] += base;
	free(w);
	return k;
}

/* Time order; ties keep each user's own order. */
static int gendemo_event_cmp(const void *a, const void *b)
{
	const struct gendemo_event *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Moves last_active up to the user's last event. */
static void gendemo_events_touch_users(struct gendemo *g)
{
	size_t i;

	for (i = 0; i < g->n_events; i++) {
		struct gendemo_user *u = &g->users[g->events[i].user];
		int32_t day = (int32_t)datetime_floordiv(g->events[i].ts, 86400);

		if (day > u->last_active)
			u->last_active = day;
	}
}

/* The per-arm statistics, recomputed from the events as an analyst would:
 * a conversion is a purchase or redemption within 14 days of exposure. */
static void gendemo_arms_measure(struct gendemo *g)
{
	int64_t *revenue = xcalloc(g->o.users, sizeof *revenue);
	bool *converted = xcalloc(g->o.users, sizeof *converted);
	size_t i;

	for (i = 0; i < g->n_events; i++) {
		const struct gendemo_event *e = &g->events[i];

		if (e->type != EV_PURCHASE && e->type != EV_REDEEM)
			continue;
		if (e->ts - g->users[e->user].exposed_at >= GENDEMO_WINDOW)
			continue;
		revenue[e->user] += e->amount;
		converted[e->user] = true;
	}
	for (i = 0; i < g->o.users; i++) {
		struct gendemo_arm *a = &g->arms[g->users[i].arm];

		if (!g->users[i].exposed)
			continue;
		a->users++;
		a->conversions += converted[i];
		a->revenue += revenue[i];
		a->revenue_sq += (uint64_t)(revenue[i] * revenue[i]);
	}
	free(revenue);
	free(converted);
}

/* The campaign's events, in time order, exactly --events of them. */
static int gendemo_events_make(struct gendemo *g, unsigned long seed, char **cause)
{
	gsl_rng *r = gendemo_rng_new(seed, STREAM_EVENTS);
	uint32_t *exposed = NULL;
	unsigned *k;
	size_t n, i;

	g->events = xcalloc(g->o.events, sizeof *g->events);
	if (g->o.events == 0) {
		gsl_rng_free(r);
		return 0;
	}
	n = gendemo_exposures(g, r, &exposed);
	if (n == 0) {
		*cause = xstrdup("no user signed up before the campaign ended; "
		    "try more --users");
		free(exposed);
		gsl_rng_free(r);
		return -1;
	}
	k = gendemo_events_split(g, r, exposed, n);
	for (i = 0; i < n; i++)
		gendemo_events_user(g, r, exposed[i], k[i]);
	qsort(g->events, g->n_events, sizeof *g->events, gendemo_event_cmp);
	gendemo_events_touch_users(g);
	gendemo_arms_measure(g);
	free(k);
	free(exposed);
	gsl_rng_free(r);
	return 0;
}

/* ---- writers ---- */

/* users.csv */
static void gendemo_write_users(FILE *f, const struct gendemo *g)
{
	size_t i;

	fputs("user_id,nickname,platform,city,district,lat,lon,age_band,sessions,spend,"
	    "orders,courses_bought,last_active,signup_date\n", f);
	for (i = 0; i < g->o.users; i++) {
		const struct gendemo_user *u = &g->users[i];
		const struct gendemo_district *d = &gendemo_districts[u->district];

		fprintf(f, "u%05zu,", i + 1);
		if (u->nick_style == 0)
			fprintf(f, "%s%s%02u,", gendemo_nick_zh[0][u->nick_adj],
			    gendemo_nick_zh[1][u->nick_noun], u->nick_num);
		else
			fprintf(f, "%s_%s_%02u,", gendemo_nick_en[0][u->nick_adj],
			    gendemo_nick_en[1][u->nick_noun], u->nick_num);
		fprintf(f, "%s,%s,%s,", gendemo_platform_names[u->platform],
		    gendemo_cities[d->city], d->name);
		gendemo_put_degrees(f, u->lat);
		putc(',', f);
		gendemo_put_degrees(f, u->lon);
		fprintf(f, ",%s,%" PRId32 ",", gendemo_age_names[u->age], u->sessions);
		gendemo_put_money(f, u->spend);
		fprintf(f, ",%" PRId32 ",%" PRId32 ",", u->orders, u->courses);
		gendemo_put_date(f, u->last_active);
		putc(',', f);
		gendemo_put_date(f, u->signup);
		putc('\n', f);
	}
}

/* items.csv */
static void gendemo_write_items(FILE *f, const struct gendemo *g)
{
	size_t i;

	fputs("item_id,kind,title,tags,price,brand\n", f);
	for (i = 0; i < g->n_items; i++) {
		const struct gendemo_item *it = &g->items[i];

		fprintf(f, "i%04zu,%s,", i + 1, gendemo_kind_names[it->kind]);
		gendemo_put_field(f, it->title);
		putc(',', f);
		gendemo_put_field(f, it->tags);
		putc(',', f);
		gendemo_put_money(f, it->price);
		putc(',', f);
		gendemo_put_field(f, it->kind == KIND_COURSE ? GENDEMO_PLATFORM_BRAND :
		    gendemo_brands[it->brand].name);
		putc('\n', f);
	}
}

/* stores.csv */
static void gendemo_write_stores(FILE *f, const struct gendemo *g)
{
	size_t i;

	fputs("store_id,brand,city,name,lat,lon\n", f);
	for (i = 0; i < g->n_stores; i++) {
		const struct gendemo_store *s = &g->stores[i];

		fprintf(f, "s%03zu,%s,%s,%s,", i + 1, gendemo_brands[s->brand].name,
		    gendemo_cities[gendemo_districts[s->district].city], s->name);
		gendemo_put_degrees(f, s->lat);
		putc(',', f);
		gendemo_put_degrees(f, s->lon);
		putc('\n', f);
	}
}

/* events.csv: the hot path of the 1M-event benchmark file, so the
 * timestamp text is cached per second. */
static void gendemo_write_events(FILE *f, const struct gendemo *g)
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
		    gendemo_event_names[e->type]);
		if (e->type == EV_PURCHASE || e->type == EV_REDEEM)
			gendemo_put_money(f, e->amount);
		fprintf(f, ",%s,%s\n", GENDEMO_CAMPAIGN, gendemo_arm_names[e->arm]);
	}
}

/* Writes a non-negative count of 1/10000 units with four decimals. */
static void gendemo_put_ten_thousandths(FILE *f, uint64_t v)
{
	fprintf(f, "%" PRIu64 ".%04u", v / 10000, (unsigned)(v % 10000));
}

/* arms.csv: sufficient statistics per arm, revenue in yuan. */
static void gendemo_write_arms(FILE *f, const struct gendemo *g)
{
	size_t i;

	fputs("arm,users,conversions,revenue_sum,revenue_sumsq\n", f);
	for (i = 0; i < ARM_COUNT; i++) {
		const struct gendemo_arm *a = &g->arms[i];

		fprintf(f, "%s,%" PRIu64 ",%" PRIu64 ",", gendemo_arm_names[i], a->users,
		    a->conversions);
		gendemo_put_money(f, a->revenue);
		putc(',', f);
		/* cents squared are exactly 1/10000 of yuan squared */
		gendemo_put_ten_thousandths(f, a->revenue_sq);
		putc('\n', f);
	}
}

/* Multipliers of one day of the daily series. */
struct gendemo_dayfx {
	double dau, orders, aov, redeem, signups;
};

static const int gendemo_new_years[] = {	/* Spring Festival, YYYYMMDD */
	20240210, 20250129, 20260217, 20270206, 20280126, 20290213, 20300203,
	20310123, 20320211, 20330131, 20340219, 20350208,
};

/* Spring Festival: a big dinner on the eve, then a quiet week at home. */
static void gendemo_fx_new_year(struct gendemo_dayfx *fx, int32_t day)
{
	size_t i;

	for (i = 0; i < sizeof gendemo_new_years / sizeof gendemo_new_years[0]; i++) {
		int32_t off = day - gendemo_day(gendemo_new_years[i]);

		if (off == -1) {
			fx->orders *= 1.35;
			fx->aov *= 1.40;
		} else if (off >= -7 && off < -1) {
			fx->dau *= 0.90;
		} else if (off >= 0 && off <= 6) {
			fx->dau *= 0.72;
			fx->orders *= 0.70;
		}
	}
}

/* 618, Double 11 and the National Day week. */
static void gendemo_fx_shopping(struct gendemo_dayfx *fx, int m, int d)
{
	if (m == 6 && d >= 14 && d <= 18) {
		fx->orders *= 1.0 + 0.12 * (d - 13);
		fx->aov *= 1.10;
	} else if (m == 11 && d >= 8 && d <= 12) {
		static const double peak[] = { 1.35, 1.60, 1.80, 2.10, 1.40 };

		fx->orders *= peak[d - 8];
		fx->aov *= 1.15;
		fx->dau *= 1.10;
	} else if (m == 10 && d <= 7) {
		fx->orders *= 1.30;
		fx->dau *= 0.92;
	}
}

/* All multipliers of a day except noise. */
static struct gendemo_dayfx gendemo_fx(int32_t day, size_t t)
{
	static const double wk_dau[7] = { 1.00, 1.01, 1.02, 1.00, 0.97, 0.93, 0.98 };
	static const double wk_orders[7] = { 0.88, 0.90, 0.92, 0.96, 1.10, 1.25, 1.08 };
	int w = datetime_weekday(day), y, m, d;
	double trend = 1.0 + 0.45 * (double)t / 730.0;
	struct gendemo_dayfx fx = { trend * wk_dau[w], trend * wk_orders[w], 1.0, 1.0, 1.0 };

	datetime_civil_from_days(day, &y, &m, &d);
	gendemo_fx_new_year(&fx, day);
	gendemo_fx_shopping(&fx, m, d);
	if (day >= gendemo_day(GENDEMO_CAMPAIGN_FROM) && day <= gendemo_day(GENDEMO_CAMPAIGN_TO)) {
		fx.redeem = 1.40;
		fx.signups = 1.15;
	}
	return fx;
}

/* A multiplicative noise factor. */
static double gendemo_noise(const gsl_rng *r, double sigma)
{
	return gsl_ran_lognormal(r, 0, sigma);
}

/* daily.csv: one row per day from 2024-01-01. */
static void gendemo_write_daily(FILE *f, const struct gendemo *g)
{
	gsl_rng *r = gendemo_rng_new(g->o.seed, STREAM_DAILY);
	int32_t first = gendemo_day(GENDEMO_DAILY_FROM), outage = gendemo_day(GENDEMO_OUTAGE);
	size_t t;

	fputs("date,dau,sessions,orders,gmv,new_users,coupon_redemptions\n", f);
	for (t = 0; t < g->o.days; t++) {
		int32_t day = first + (int32_t)t;
		struct gendemo_dayfx fx = gendemo_fx(day, t);
		long dau = lround(9500 * fx.dau * gendemo_noise(r, 0.04));
		long sessions = lround(dau * 1.68 * gendemo_noise(r, 0.03));
		long orders = lround(2900 * fx.orders * gendemo_noise(r, 0.05));
		int64_t gmv = gendemo_cents(orders * 72.5 * fx.aov * gendemo_noise(r, 0.03));
		unsigned signups = gsl_ran_poisson(r, dau * 0.036 * fx.signups);
		unsigned redeemed = gsl_ran_binomial(r, 0.17 * fx.redeem, (unsigned)orders);

		if (day == outage) {
			/* the app's tracking broke; orders come from the till */
			dau = dau * 55 / 100;
			sessions = sessions * 55 / 100;
		}
		gendemo_put_date(f, day);
		fprintf(f, ",%ld,%ld,%ld,", dau, sessions, orders);
		gendemo_put_money(f, gmv);
		fprintf(f, ",%u,%u\n", signups, redeemed);
	}
	gsl_rng_free(r);
}

/* Conversion rate of an arm. */
static double gendemo_arm_rate(const struct gendemo_arm *a)
{
	return a->users == 0 ? 0.0 : (double)a->conversions / (double)a->users;
}

/* Pooled two-proportion z statistic of arm b against arm a. */
static double gendemo_arm_z(const struct gendemo_arm *a, const struct gendemo_arm *b)
{
	double n1 = (double)a->users, n2 = (double)b->users, p, se;

	if (a->users == 0 || b->users == 0)
		return 0.0;
	p = (double)(a->conversions + b->conversions) / (n1 + n2);
	se = sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
	return se > 0 ? (gendemo_arm_rate(b) - gendemo_arm_rate(a)) / se : 0.0;
}

static const char *const gendemo_readme_files[] = {
	"## Files\n"
	"\n"
	"All files are UTF-8 CSV with LF line ends, a header row, commas between\n"
	"fields and RFC 4180 quotes where a field needs them (a few item titles\n"
	"contain commas and double quotes on purpose). Money is in yuan with two\n"
	"decimals; coordinates are WGS 84 degrees with six decimals.\n"
	"\n",
	"### users.csv\n"
	"\n"
	"| column | meaning |\n"
	"|---|---|\n"
	"| user_id | `u00001`, `u00002`, ... |\n"
	"| nickname | a made-up handle (`快乐的熊猫07`, `sunny_fox_31`), never a real name |\n"
	"| platform | `course` (the course platform only), `restaurant` (restaurant brands only) or `both` |\n"
	"| city, district | 上海, 北京, 深圳, 杭州, 成都 or 广州, and one of its districts |\n"
	"| lat, lon | home location, scattered about 2 km around the district centre |\n"
	"| age_band | 18-24, 25-34, 35-44, 45-54, 55+ |\n"
	"| sessions | app sessions in the 90 days before 2025-05-31 |\n"
	"| spend | yuan spent in those 90 days (restaurant orders and courses) |\n"
	"| orders | restaurant orders in those 90 days (0 for course-only users) |\n"
	"| courses_bought | courses bought in those 90 days (0 for restaurant-only users) |\n"
	"| last_active | last day seen, at the latest 2025-05-31; never before the user's last event |\n"
	"| signup_date | first day seen |\n"
	"\n",
	"### items.csv\n"
	"\n"
	"| column | meaning |\n"
	"|---|---|\n"
	"| item_id | `i0001`, ... |\n"
	"| kind | `course`, `dish` or `coupon` |\n"
	"| title | Chinese, English or both |\n"
	"| tags | `\\|`-separated, e.g. `健康\\|饮食\\|入门` |\n"
	"| price | list price; 0.00 for coupons, which are free to claim |\n"
	"| brand | 知行课堂 for courses, else the restaurant brand |\n"
	"\n"
	"Courses come in five editions of 24 titles over six topics (饮食健康, 烹饪,\n"
	"职场, 编程与数据, 理财, 生活方式); dishes in three portion sizes; each brand\n"
	"has six coupons, the first of which (`满100减20 coupon`) is the campaign's.\n"
	"\n",
	"### events.csv\n"
	"\n"
	"| column | meaning |\n"
	"|---|---|\n"
	"| ts | `YYYY-MM-DD HH:MM:SS+08:00`, Asia/Shanghai time, in non-decreasing order |\n"
	"| user_id | a user of users.csv |\n"
	"| item_id | an item of items.csv |\n"
	"| event | `view`, `click`, `purchase` or `redeem` |\n"
	"| amount | yuan paid, on purchase and redeem rows only (empty otherwise) |\n"
	"| campaign | `spring_combo` |\n"
	"| arm | `control`, `coupon` or `discount` |\n"
	"\n"
	"A user's first row is the exposure: a view of the campaign coupon in the\n"
	"coupon arm, of a course or dish otherwise. Each exposed user stays in one\n"
	"arm. `redeem` is an order paid with the campaign coupon (amount: the order\n"
	"less the 20 yuan off); in the discount arm purchases are 15% off.\n"
	"\n",
	"### arms.csv\n"
	"\n"
	"Per-arm sufficient statistics computed from events.csv, the shape a\n"
	"warehouse query would export: `users` exposed, `conversions` (users with a\n"
	"purchase or redeem within 14 days of their exposure), `revenue_sum` and\n"
	"`revenue_sumsq`, the sum and the sum of squares over exposed users of each\n"
	"user's revenue in that window (yuan, yuan squared; zero for non-converters).\n"
	"\n",
	"### daily.csv\n"
	"\n"
	"`date, dau, sessions, orders, gmv, new_users, coupon_redemptions`, one row a\n"
	"day from 2024-01-01: an upward trend (+45% over two years), weekly seasonality\n"
	"(orders peak on Friday and Saturday, daily users dip at the weekend), holidays\n"
	"(Spring Festival eve dinner and the quiet week after it, 618 from June 14 to\n"
	"18, Double 11 from November 8 to 12, the National Day week), the campaign\n"
	"(more coupon redemptions and sign-ups from 2025-03-03 to 2025-04-27), noise,\n"
	"and one anomaly: on 2024-08-14 tracking lost 45% of dau and sessions while\n"
	"orders and gmv are intact.\n"
	"\n",
	"### stores.csv\n"
	"\n"
	"`store_id, brand, city, name, lat, lon`: restaurant locations, every brand in\n"
	"every city plus two more stores a city.\n"
	"\n",
};

/* The planted campaign effect, with the numbers actually generated. */
static void gendemo_readme_effects(FILE *f, const struct gendemo *g)
{
	const struct gendemo_arm *c = &g->arms[ARM_CONTROL];
	size_t i;

	fprintf(f, "## Planted effects\n\n"
	    "Campaign `spring_combo`, exposures from 2025-03-03 to 2025-04-27; every user\n"
	    "who signed up before the end (a random subset of them when --events is\n"
	    "under five per user) is exposed once, to an arm drawn at random:\n\n"
	    "| arm | users | conversions | rate | revenue per user | z vs control | p (two-sided) |\n"
	    "|---|---|---|---|---|---|---|\n");
	for (i = 0; i < ARM_COUNT; i++) {
		const struct gendemo_arm *a = &g->arms[i];
		double z = gendemo_arm_z(c, a);

		fprintf(f, "| %s | %" PRIu64 " | %" PRIu64 " | %.2f%% | %.2f |",
		    gendemo_arm_names[i], a->users, a->conversions, 100 * gendemo_arm_rate(a),
		    a->users ? (double)a->revenue / 100.0 / (double)a->users : 0.0);
		if (i == ARM_CONTROL)
			fputs(" | |\n", f);
		else
			fprintf(f, " %.2f | %.4f |\n", z, 2 * gsl_cdf_ugaussian_Q(fabs(z)));
	}
	fprintf(f, "\nThe coupon arm (a restaurant coupon offered through the course platform)\n"
	    "converts at 1.5 times the control rate by construction; the discount arm\n"
	    "converts like control (no real effect) and earns %d%% less per order.\n"
	    "Revenue per exposed user moves much less than conversion: coupon orders\n"
	    "are restaurant meals, smaller than the course purchases they displace.\n"
	    "Conversions are drawn by systematic sampling within each arm: every user\n"
	    "converts with a probability set by their cluster and arm, and an arm's\n"
	    "count of conversions is within one of its expectation, so the difference\n"
	    "between arms is the planted one rather than the luck of the seed.\n"
	    "z is the pooled two-proportion z-test without continuity correction.\n\n",
	    GENDEMO_DISCOUNT_PCT);
}

/* The user clusters, with their generated sizes. */
static void gendemo_readme_segments(FILE *f, const struct gendemo *g)
{
	size_t i;

	fputs("Users fall into four behavioural clusters (not a column: k-means on\n"
	    "sessions, spend, orders, courses_bought, recency and tenure should find\n"
	    "them):\n\n", f);
	for (i = 0; i < SEG_COUNT; i++) {
		const struct gendemo_segment *s = &gendemo_segments[i];

		fprintf(f, "- %s: %" PRIu64 " users; about %.0f sessions, %.1f orders and"
		    " %.1f courses in 90 days; idle %d to %d days\n", s->name,
		    g->segment_count[i], s->sessions, s->orders, s->courses, s->idle_min,
		    s->idle_max);
	}
	fprintf(f, "\nIdle days count back from 2025-05-31, except that last_active is never\n"
	    "earlier than the user's last campaign event. Platforms: %" PRIu64
	    " course, %" PRIu64 " restaurant, %" PRIu64 " both.\n\n"
	    "A user's favourite course topic predicts their favourite restaurant\n"
	    "brand half of the time (health and 绿碗轻食, cooking and 蜀香阁, ...), and\n"
	    "70%% of what a user views is from that topic or brand: item-item and\n"
	    "cross-domain recommenders have signal to find.\n\n",
	    g->platform_count[PLAT_COURSE], g->platform_count[PLAT_RESTAURANT],
	    g->platform_count[PLAT_BOTH]);
}

/* The size options that differ from the defaults, as command-line text. */
static char *gendemo_readme_sizes(const struct gendemo_opts *o)
{
	const struct gendemo_opts d = GENDEMO_DEFAULTS;
	char *users = o->users == d.users ? xstrdup("") : xasprintf(" --users %lu", o->users);
	char *events = o->events == d.events ? xstrdup("") : xasprintf(" --events %lu", o->events);
	char *days = o->days == d.days ? xstrdup("") : xasprintf(" --days %lu", o->days);
	char *s = xasprintf("%s%s%s", users, events, days);

	free(users);
	free(events);
	free(days);
	return s;
}

/* README.md: generated, so its figures are always those of the data. */
static void gendemo_write_readme(FILE *f, const struct gendemo *g)
{
	char *sizes = gendemo_readme_sizes(&g->o);
	size_t i;

	fprintf(f, "# crossmkt demo data\n\n"
	    "Made-up data telling one story: 知行课堂, a paid-knowledge course platform,\n"
	    "and five restaurant brands (蜀香阁, 粤点轩, 绿碗轻食 Green Bowl, 江南小馆,\n"
	    "面道 Noodle Way) run a joint spring campaign. No row describes a real\n"
	    "person, business or place beyond city and district names.\n\n"
	    "Written by `crossmkt-gendemo` (src/gendemo.c) with seed %lu, %lu users,\n"
	    "%lu events and %lu days. To regenerate, from the build directory:\n\n"
	    "    ./crossmkt-gendemo --seed %lu%s --out data\n\n"
	    "The output depends only on the options: money and coordinates are printed\n"
	    "from integers, and nothing reads the clock or the locale. `make check`\n"
	    "regenerates it and compares byte for byte (tests/gendemo.sh). A large\n"
	    "events file for benchmarks (about 66 MB):\n\n"
	    "    crossmkt-gendemo --seed 1 --users 100000 --events 1000000 \\\n"
	    "        --only events --out DIR\n\n",
	    g->o.seed, g->o.users, g->o.events, g->o.days, g->o.seed, sizes);
	for (i = 0; i < sizeof gendemo_readme_files / sizeof gendemo_readme_files[0]; i++)
		fputs(gendemo_readme_files[i], f);
	gendemo_readme_effects(f, g);
	gendemo_readme_segments(f, g);
	fputs("## Licence\n\n"
	    "Generated data, part of crossmkt and distributed under the same terms:\n"
	    "GPL-3.0-or-later (see COPYING).\n", f);
	free(sizes);
}

/* ---- files and options ---- */

struct gendemo_file {
	const char *name, *path;
	void (*write)(FILE *, const struct gendemo *);
	bool needs_events;
};

static const struct gendemo_file gendemo_files[] = {
	{ "users", "users.csv", gendemo_write_users, true },
	{ "items", "items.csv", gendemo_write_items, false },
	{ "stores", "stores.csv", gendemo_write_stores, false },
	{ "events", "events.csv", gendemo_write_events, true },
	{ "arms", "arms.csv", gendemo_write_arms, true },
	{ "daily", "daily.csv", gendemo_write_daily, false },
	{ "readme", "README.md", gendemo_write_readme, true },
};
#define N_FILES (sizeof gendemo_files / sizeof gendemo_files[0])

/* Creates the temporary file beside the target, readable like any file. */
static FILE *gendemo_file_open(const char *out, const char *path, char **tmp, char **cause)
{
	mode_t mask = umask(0);
	FILE *f;
	int fd;

	umask(mask);
	*tmp = xasprintf("%s/.%s.XXXXXX", out, path);
	fd = mkstemp(*tmp);
	if (fd == -1) {
		*cause = xasprintf("cannot create a file in %s: %s", out, strerror(errno));
		return NULL;
	}
	if (fchmod(fd, 0666 & ~mask) == -1 || (f = fdopen(fd, "w")) == NULL) {
		*cause = xasprintf("%s: %s", *tmp, strerror(errno));
		close(fd);
		unlink(*tmp);
		return NULL;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	return f;
}

/* Flushes, syncs and renames the temporary file over the target. */
static int gendemo_file_commit(FILE *f, const char *tmp, const char *target, char **cause)
{
	bool failed = fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0;
	int saved = errno;

	if (fclose(f) != 0 && !failed) {
		failed = true;
		saved = errno;
	}
	if (!failed && rename(tmp, target) == 0)
		return 0;
	if (!failed)
		saved = errno;
	*cause = xasprintf("%s: %s", target, strerror(saved));
	unlink(tmp);
	return -1;
}

/* Writes one file atomically. */
static int gendemo_file_write(const struct gendemo *g, const struct gendemo_file *gf,
    char **cause)
{
	char *tmp, *target = xasprintf("%s/%s", g->o.out, gf->path);
	FILE *f = gendemo_file_open(g->o.out, gf->path, &tmp, cause);
	int rc = -1;

	if (f != NULL) {
		gf->write(f, g);
		rc = gendemo_file_commit(f, tmp, target, cause);
	}
	free(tmp);
	free(target);
	return rc;
}

/* The --help text; also printed on stderr after a usage error. */
static void gendemo_usage(FILE *f)
{
	fprintf(f,
	    "Usage: " GENDEMO_NAME " [OPTION]...\n"
	    "Write the crossmkt demo datasets (users, items, stores, events, arms, daily\n"
	    "CSV files and a README.md) into a directory. The same options give the same\n"
	    "files, byte for byte, on every machine.\n"
	    "\n"
	    "  -s, --seed=N      random seed, 0 to 4294967295 (default 42)\n"
	    "  -u, --users=N     number of users (default 3000)\n"
	    "  -e, --events=N    number of campaign events (default 40000)\n"
	    "  -d, --days=N      days in the daily series from 2024-01-01 (default 730)\n"
	    "  -o, --out=DIR     existing directory to write into (default .)\n"
	    "      --only=LIST   write only these, comma-separated: users, items, stores,\n"
	    "                    events, arms, daily, readme\n"
	    "  -h, --help        show this help and exit\n"
	    "  -V, --version     show the version and exit\n"
	    "\n"
	    "Exit status: 0 on success, 1 if a file cannot be written, 2 on a usage\n"
	    "error.\n");
}

/* The --version text, in the GNU form. */
static void gendemo_version(void)
{
	printf(GENDEMO_NAME " (crossmkt) %s\n"
	    "Copyright (C) 2026 the crossmkt authors.\n"
	    "License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
	    "This is free software: you are free to change and redistribute it.\n"
	    "There is NO WARRANTY, to the extent permitted by law.\n", PACKAGE_VERSION);
}

/* A decimal number in [min, max], or -1 with a message. */
static int gendemo_parse_number(const char *s, const char *option, unsigned long min,
    unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v < min || v > max) {
		fprintf(stderr, GENDEMO_NAME ": --%s wants a number from %lu to %lu, not '%s'\n",
		    option, min, max, s);
		return -1;
	}
	*out = (unsigned long)v;
	return 0;
}

/* The --out directory; an empty one would mean the root. */
static int gendemo_parse_dir(const char *s, const char **out)
{
	if (*s == '\0') {
		fprintf(stderr, GENDEMO_NAME ": --out wants a directory\n");
		return -1;
	}
	*out = s;
	return 0;
}

/* The --only list as a bit set of gendemo_files, or -1 with a message. */
static int gendemo_parse_only(const char *s, unsigned *out)
{
	char *copy = xstrdup(s), *next = copy, *name;
	int rc = 0;
	size_t i;

	*out = 0;
	while (rc == 0 && (name = strsep(&next, ",")) != NULL) {
		for (i = 0; i < N_FILES; i++)
			if (strcmp(name, gendemo_files[i].name) == 0)
				break;
		if (i == N_FILES) {
			fprintf(stderr, GENDEMO_NAME ": --only: unknown file '%s'\n", name);
			rc = -1;
		} else
			*out |= 1u << i;
	}
	free(copy);
	return rc;
}

/* Applies one option; returns -1 to exit with status *status. */
static int gendemo_option(struct gendemo_opts *o, int c, int *status)
{
	int rc = 0;

	switch (c) {
	case 's': rc = gendemo_parse_number(optarg, "seed", 0, 4294967295UL, &o->seed); break;
	case 'u': rc = gendemo_parse_number(optarg, "users", 1, 10000000, &o->users); break;
	case 'e': rc = gendemo_parse_number(optarg, "events", 0, 100000000, &o->events); break;
	case 'd': rc = gendemo_parse_number(optarg, "days", 1, 36500, &o->days); break;
	case 'o': rc = gendemo_parse_dir(optarg, &o->out); break;
	case 'O': rc = gendemo_parse_only(optarg, &o->only); break;
	case 'h': gendemo_usage(stdout); *status = 0; return -1;
	case 'V': gendemo_version(); *status = 0; return -1;
	default: gendemo_usage(stderr); *status = 2; return -1;
	}
	*status = 2;
	return rc;
}

/* Reads the command line; returns -1 to exit with status *status. */
static int gendemo_parse(int argc, char **argv, struct gendemo_opts *o, int *status)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "users", required_argument, NULL, 'u' },
		{ "events", required_argument, NULL, 'e' },
		{ "days", required_argument, NULL, 'd' },
		{ "out", required_argument, NULL, 'o' },
		{ "only", required_argument, NULL, 'O' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "s:u:e:d:o:hV", longopts, NULL)) != -1)
		if (gendemo_option(o, c, status) != 0)
			return -1;
	if (optind < argc) {
		fprintf(stderr, GENDEMO_NAME ": unexpected argument '%s'\n", argv[optind]);
		gendemo_usage(stderr);
		*status = 2;
		return -1;
	}
	return 0;
}

/* Whether --only selects file i. */
static bool gendemo_selected(const struct gendemo *g, size_t i)
{
	return g->o.only == 0 || (g->o.only & (1u << i)) != 0;
}

/* Builds what the selected files need, then writes them. */
static int gendemo_run(struct gendemo *g, char **cause)
{
	bool events = false;
	size_t i;

	for (i = 0; i < N_FILES; i++)
		events |= gendemo_selected(g, i) && gendemo_files[i].needs_events;
	gendemo_items_make(g, g->o.seed);
	gendemo_stores_make(g, g->o.seed);
	gendemo_users_make(g, g->o.seed);
	if (events && gendemo_events_make(g, g->o.seed, cause) != 0)
		return -1;
	for (i = 0; i < N_FILES; i++)
		if (gendemo_selected(g, i) && gendemo_file_write(g, &gendemo_files[i], cause) != 0)
			return -1;
	return 0;
}

/* Frees everything gendemo_run built. */
static void gendemo_free(struct gendemo *g)
{
	size_t i;

	for (i = 0; i < g->n_items; i++) {
		free(g->items[i].title);
		free(g->items[i].tags);
	}
	for (i = 0; i < N_TOPICS; i++)
		gsl_ran_discrete_free(g->pick_topic[i]);
	for (i = 0; i < N_BRANDS; i++)
		gsl_ran_discrete_free(g->pick_brand[i]);
	gsl_ran_discrete_free(g->pick_courses);
	gsl_ran_discrete_free(g->pick_dishes);
	gsl_ran_discrete_free(g->pick_hour);
	for (i = 0; i < g->n_stores; i++)
		free(g->stores[i].name);
	free(g->items);
	free(g->stores);
	free(g->users);
	free(g->events);
}

/* Exit status: 0 when every file was written, 1 on an I/O error, 2 on a
 * usage error. */
int main(int argc, char **argv)
{
	struct gendemo g = { .o = GENDEMO_DEFAULTS };
	char *cause = NULL;
	int status, rc;

	gsl_set_error_handler_off();
	if (gendemo_parse(argc, argv, &g.o, &status) != 0)
		return status;
	rc = gendemo_run(&g, &cause);
	if (rc != 0) {
		fprintf(stderr, GENDEMO_NAME ": %s\n", cause);
		free(cause);
	}
	gendemo_free(&g);
	return rc == 0 ? 0 : 1;
}
