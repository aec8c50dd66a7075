/* daily.csv: a two-year daily series with trend, weekly and holiday
 * seasonality, the campaign and one tracking outage. */
#include "config.h"

#include <math.h>

#include "gendemo.h"

/* Multipliers of one day of the daily series. */
struct gendemo_daily_fx {
	double dau, orders, aov, redeem, signups;
};

static const int gendemo_daily_new_years[] = {	/* Spring Festival, YYYYMMDD */
	20240210, 20250129, 20260217, 20270206, 20280126, 20290213, 20300203,
	20310123, 20320211, 20330131, 20340219, 20350208,
};
#define N_NEW_YEARS (sizeof gendemo_daily_new_years / sizeof gendemo_daily_new_years[0])

/* Spring Festival: a big dinner on the eve, then a quiet week at home. */
static void gendemo_daily_new_year(struct gendemo_daily_fx *fx, int32_t day)
{
	size_t i;

	for (i = 0; i < N_NEW_YEARS; i++) {
		int32_t off = day - gendemo_day(gendemo_daily_new_years[i]);

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
static void gendemo_daily_shopping(struct gendemo_daily_fx *fx, int m, int d)
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
static struct gendemo_daily_fx gendemo_daily_effects(int32_t day, size_t t)
{
	static const double wk_dau[7] = { 1.00, 1.01, 1.02, 1.00, 0.97, 0.93, 0.98 };
	static const double wk_orders[7] = { 0.88, 0.90, 0.92, 0.96, 1.10, 1.25, 1.08 };
	int w = datetime_weekday(day), y, m, d;
	double trend = 1.0 + 0.45 * (double)t / 730.0;
	struct gendemo_daily_fx fx = { trend * wk_dau[w], trend * wk_orders[w], 1.0, 1.0, 1.0 };

	datetime_civil_from_days(day, &y, &m, &d);
	gendemo_daily_new_year(&fx, day);
	gendemo_daily_shopping(&fx, m, d);
	if (day >= gendemo_day(GENDEMO_CAMPAIGN_FROM) && day <= gendemo_day(GENDEMO_CAMPAIGN_TO)) {
		fx.redeem = 1.40;
		fx.signups = 1.15;
	}
	return fx;
}

/* A multiplicative noise factor. */
static double gendemo_daily_noise(const gsl_rng *r, double sigma)
{
	return gsl_ran_lognormal(r, 0, sigma);
}

/* One day's figures. */
struct gendemo_daily_row {
	long dau, sessions, orders;
	int64_t gmv;			/* cents */
	unsigned signups, redeemed;
};

/* Day t of the series, drawing its noise from r. */
static void gendemo_daily_draw(const gsl_rng *r, int32_t day, size_t t,
    struct gendemo_daily_row *row)
{
	struct gendemo_daily_fx fx = gendemo_daily_effects(day, t);

	row->dau = lround(9500 * fx.dau * gendemo_daily_noise(r, 0.04));
	row->sessions = lround(row->dau * 1.68 * gendemo_daily_noise(r, 0.03));
	row->orders = lround(2900 * fx.orders * gendemo_daily_noise(r, 0.05));
	row->gmv = gendemo_cents(row->orders * 72.5 * fx.aov * gendemo_daily_noise(r, 0.03));
	row->signups = gsl_ran_poisson(r, row->dau * 0.036 * fx.signups);
	row->redeemed = gsl_ran_binomial(r, 0.17 * fx.redeem, (unsigned)row->orders);
	if (day == gendemo_day(GENDEMO_OUTAGE)) {
		/* the app's tracking broke; orders come from the till */
		row->dau = row->dau * 55 / 100;
		row->sessions = row->sessions * 55 / 100;
	}
}

void gendemo_daily_write(FILE *f, const struct gendemo *g)
{
	gsl_rng *r = gendemo_random_stream(g->o.seed, STREAM_DAILY);
	int32_t first = gendemo_day(GENDEMO_DAILY_FROM);
	struct gendemo_daily_row row;
	size_t t;

	fputs("date,dau,sessions,orders,gmv,new_users,coupon_redemptions\n", f);
	for (t = 0; t < g->o.days; t++) {
		int32_t day = first + (int32_t)t;

		gendemo_daily_draw(r, day, t, &row);
		gendemo_write_date(f, day);
		fprintf(f, ",%ld,%ld,%ld,", row.dau, row.sessions, row.orders);
		gendemo_write_money(f, row.gmv);
		fprintf(f, ",%u,%u\n", row.signups, row.redeemed);
	}
	gsl_rng_free(r);
}
