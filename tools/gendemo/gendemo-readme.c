/* README.md: what the files hold and the effects planted in them, with
 * the figures of this run. */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "gendemo.h"
#include "xmalloc.h"

/* Conversion rate of an arm. */
static double gendemo_readme_rate(const struct gendemo_arm *a)
{
	return a->users == 0 ? 0.0 : (double)a->conversions / (double)a->users;
}

/* Pooled two-proportion z statistic of arm b against arm a. */
static double gendemo_readme_z(const struct gendemo_arm *a, const struct gendemo_arm *b)
{
	double n1 = (double)a->users, n2 = (double)b->users, p, se;

	if (a->users == 0 || b->users == 0)
		return 0.0;
	p = (double)(a->conversions + b->conversions) / (n1 + n2);
	se = sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
	return se > 0 ? (gendemo_readme_rate(b) - gendemo_readme_rate(a)) / se : 0.0;
}

/* The fixed sections: what each file holds. */
static const char *const gendemo_readme_sections[] = {
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
#define N_SECTIONS (sizeof gendemo_readme_sections / sizeof gendemo_readme_sections[0])

/* One arm's row of the effects table; control has no test against itself. */
static void gendemo_readme_arm(FILE *f, const struct gendemo *g, size_t i)
{
	const struct gendemo_arm *a = &g->arms[i];
	double z = gendemo_readme_z(&g->arms[ARM_CONTROL], a);

	fprintf(f, "| %s | %" PRIu64 " | %" PRIu64 " | %.2f%% | %.2f |",
	    gendemo_arm_names[i], a->users, a->conversions, 100 * gendemo_readme_rate(a),
	    a->users ? (double)a->revenue / 100.0 / (double)a->users : 0.0);
	if (i == ARM_CONTROL)
		fputs(" | |\n", f);
	else
		fprintf(f, " %.2f | %.4f |\n", z, 2 * gsl_cdf_ugaussian_Q(fabs(z)));
}

/* The planted campaign effect, with the numbers actually generated. */
static void gendemo_readme_effects(FILE *f, const struct gendemo *g)
{
	size_t i;

	fprintf(f, "## Planted effects\n\n"
	    "Campaign `spring_combo`, exposures from 2025-03-03 to 2025-04-27; every user\n"
	    "who signed up before the end (a random subset of them when --events is\n"
	    "under five per user) is exposed once, to an arm drawn at random:\n\n"
	    "| arm | users | conversions | rate | revenue per user | z vs control | p (two-sided) |\n"
	    "|---|---|---|---|---|---|---|\n");
	for (i = 0; i < ARM_COUNT; i++)
		gendemo_readme_arm(f, g, i);
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

/* " --name value" when value is not the default, else "". */
static char *gendemo_readme_size(const char *name, unsigned long value, unsigned long dflt)
{
	return value == dflt ? xstrdup("") : xasprintf(" --%s %lu", name, value);
}

/* The size options that differ from the defaults, as command-line text. */
static char *gendemo_readme_sizes(const struct gendemo_opts *o)
{
	const struct gendemo_opts d = GENDEMO_DEFAULTS;
	char *users = gendemo_readme_size("users", o->users, d.users);
	char *events = gendemo_readme_size("events", o->events, d.events);
	char *days = gendemo_readme_size("days", o->days, d.days);
	char *s = xasprintf("%s%s%s", users, events, days);

	free(users);
	free(events);
	free(days);
	return s;
}

/* Title, the story, and how these files were made. */
static void gendemo_readme_intro(FILE *f, const struct gendemo *g)
{
	char *sizes = gendemo_readme_sizes(&g->o);

	fprintf(f, "# crossmkt demo data\n\n"
	    "Made-up data telling one story: 知行课堂, a paid-knowledge course platform,\n"
	    "and five restaurant brands (蜀香阁, 粤点轩, 绿碗轻食 Green Bowl, 江南小馆,\n"
	    "面道 Noodle Way) run a joint spring campaign. No row describes a real\n"
	    "person, business or place beyond city and district names.\n\n"
	    "Written by `crossmkt-gendemo` (tools/gendemo/gendemo.c) with seed %lu, %lu users,\n"
	    "%lu events and %lu days. To regenerate, from the build directory:\n\n"
	    "    ./crossmkt-gendemo --seed %lu%s --out data\n\n"
	    "The output depends only on the options: money and coordinates are printed\n"
	    "from integers, and nothing reads the clock or the locale. `make check`\n"
	    "regenerates it and compares byte for byte (tests/gendemo.sh). A large\n"
	    "events file for benchmarks (about 66 MB):\n\n"
	    "    crossmkt-gendemo --seed 1 --users 100000 --events 1000000 \\\n"
	    "        --only events --out DIR\n\n",
	    g->o.seed, g->o.users, g->o.events, g->o.days, g->o.seed, sizes);
	free(sizes);
}

void gendemo_readme_write(FILE *f, const struct gendemo *g)
{
	size_t i;

	gendemo_readme_intro(f, g);
	for (i = 0; i < N_SECTIONS; i++)
		fputs(gendemo_readme_sections[i], f);
	gendemo_readme_effects(f, g);
	gendemo_readme_segments(f, g);
	fputs("## Licence\n\n"
	    "Generated data, part of crossmkt and distributed under the same terms:\n"
	    "GPL-3.0-or-later (see COPYING).\n", f);
}
