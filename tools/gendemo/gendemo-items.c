/* The catalogue: courses in editions, dishes in portion sizes, coupons,
 * and the samplers that pick what a user looks at. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "gendemo.h"
#include "xmalloc.h"

/* Base courses; each comes in every edition. */
struct gendemo_items_course {
	const char *title, *tags;
	int topic;
	int price;			/* yuan */
};

static const struct gendemo_items_course gendemo_items_base[] = {
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
#define N_BASE_COURSES (sizeof gendemo_items_base / sizeof gendemo_items_base[0])

/* A variant of a base item: title suffix, extra tag, price factor in percent. */
struct gendemo_items_variant {
	const char *suffix, *tag;
	int pct;
};

/* Editions of each course. */
static const struct gendemo_items_variant gendemo_items_editions[] = {
	{ "", NULL, 100 }, { " · 进阶", "进阶", 150 }, { " · 实战", "实战", 180 },
	{ " (2025版)", "2025", 110 }, { " · 第二季", "第二季", 120 },
};
#define N_EDITIONS 5

/* Portion sizes of each dish. */
static const struct gendemo_items_variant gendemo_items_sizes[] = {
	{ "", "单人", 100 }, { " 双人份", "双人", 180 }, { " 家庭装", "家庭", 300 },
};
#define N_SIZES 3

/* Appends one item to the catalogue. */
static struct gendemo_item *gendemo_items_add(struct gendemo *g, const gsl_rng *r, int kind)
{
	struct gendemo_item *it = &g->items[g->n_items++];

	memset(it, 0, sizeof *it);
	it->kind = kind;
	/* a long tail of popularity, so "most viewed" means something */
	it->popularity = gsl_ran_lognormal(r, 0, 0.8);
	return it;
}

/* One edition of a base course. */
static void gendemo_items_course(struct gendemo *g, const gsl_rng *r,
    const struct gendemo_items_course *gc, const struct gendemo_items_variant *ed)
{
	struct gendemo_item *it = gendemo_items_add(g, r, KIND_COURSE);

	it->topic = gc->topic;
	it->title = xasprintf("%s%s", gc->title, ed->suffix);
	it->tags = ed->tag == NULL ? xstrdup(gc->tags) : xasprintf("%s|%s", gc->tags, ed->tag);
	/* prices end in 9, as course prices do */
	it->price = ((int64_t)gc->price * ed->pct / 1000 * 10 + 9) * 100;
}

/* One portion size of a brand's dish. */
static void gendemo_items_dish(struct gendemo *g, const gsl_rng *r, size_t b, size_t d,
    const struct gendemo_items_variant *size)
{
	const struct gendemo_brand *gb = &gendemo_brands[b];
	struct gendemo_item *it = gendemo_items_add(g, r, KIND_DISH);

	it->brand = (int)b;
	it->topic = gb->topic;
	it->title = xasprintf("%s%s", gb->dishes[d], size->suffix);
	it->tags = xasprintf("%s|%s", gb->tags, size->tag);
	it->price = (int64_t)gb->prices[d] * size->pct;
}

/* Courses: every base course in every edition. */
static void gendemo_items_courses(struct gendemo *g, const gsl_rng *r)
{
	size_t c, e;

	for (c = 0; c < N_BASE_COURSES; c++)
		for (e = 0; e < N_EDITIONS; e++)
			gendemo_items_course(g, r, &gendemo_items_base[c],
			    &gendemo_items_editions[e]);
}

/* Dishes: every brand's dishes in every portion size. */
static void gendemo_items_dishes(struct gendemo *g, const gsl_rng *r)
{
	size_t b, d, s;

	for (b = 0; b < N_BRANDS; b++)
		for (d = 0; d < N_DISHES; d++)
			for (s = 0; s < N_SIZES; s++)
				gendemo_items_dish(g, r, b, d, &gendemo_items_sizes[s]);
}

/* Coupons: free to claim, so their price is zero. */
static void gendemo_items_coupons(struct gendemo *g, const gsl_rng *r)
{
	size_t b, c;

	for (b = 0; b < N_BRANDS; b++) {
		for (c = 0; c < N_COUPONS; c++) {
			struct gendemo_item *it = gendemo_items_add(g, r, KIND_COUPON);
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

/* Samplers by topic and by brand, and over all courses and all dishes. */
static void gendemo_items_samplers(struct gendemo *g)
{
	size_t i;

	for (i = 0; i < N_TOPICS; i++)
		g->pick_topic[i] = gendemo_items_sampler(g, 0, g->first_dish, -1, (int)i);
	for (i = 0; i < N_BRANDS; i++)
		g->pick_brand[i] = gendemo_items_sampler(g, g->first_dish, g->first_coupon,
		    (int)i, -1);
	g->pick_courses = gendemo_items_sampler(g, 0, g->first_dish, -1, -1);
	g->pick_dishes = gendemo_items_sampler(g, g->first_dish, g->first_coupon, -1, -1);
}

void gendemo_items_make(struct gendemo *g)
{
	gsl_rng *r = gendemo_random_stream(g->o.seed, STREAM_ITEMS);

	g->items = xcalloc(N_BASE_COURSES * N_EDITIONS + N_BRANDS * N_DISHES * N_SIZES +
	    N_BRANDS * N_COUPONS, sizeof *g->items);
	gendemo_items_courses(g, r);
	g->first_dish = g->n_items;
	gendemo_items_dishes(g, r);
	g->first_coupon = g->n_items;
	gendemo_items_coupons(g, r);
	gendemo_items_samplers(g);
	gsl_rng_free(r);
}

void gendemo_items_free(struct gendemo *g)
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
	free(g->items);
}
