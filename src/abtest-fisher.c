/* Fisher's exact test on a 2x2 table, as R's fisher.test.
 *
 * The count X of control conversions given both margins is hypergeometric.
 * Densities are kept as logs relative to the mode, built by the ratio of
 * neighbours in long double, over the window where they are above e^-2000
 * of the mode: everything outside adds less than any double can hold. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>

#include "abtest.h"
#include "cancel.h"
#include "xmalloc.h"

#define FISHER_FLOOR (-2000.0L)
#define FISHER_MARGIN (400.0L)
#define FISHER_RELERR 1e-7      /* R's relErr: ties within this count as equal */

struct fisher_window {
	double k, n1, n2;       /* total conversions, arm sizes */
	double lo, hi;          /* support */
	double x;               /* observed control conversions */
	double first;           /* x of ld[0] */
	size_t len;
	long double *ld;        /* log density relative to the mode */
};

/* log of d(x + 1) / d(x). */
static long double fisher_step(const struct fisher_window *w, double x)
{
	long double a = (w->k - x) * (long double)(w->n1 - x);
	long double b = (x + 1) * (long double)(w->n2 - w->k + x + 1);

	return logl(a) - logl(b);
}

static int fisher_lnterm(const struct fisher_window *w, double x, double *out,
    char **cause)
{
	gsl_sf_result a, b;
	int s1, s2;

	s1 = gsl_sf_lnchoose_e((unsigned)w->k, (unsigned)x, &a);
	s2 = gsl_sf_lnchoose_e((unsigned)(w->n1 + w->n2 - w->k), (unsigned)(w->n1 - x), &b);
	if (s1 != GSL_SUCCESS || s2 != GSL_SUCCESS) {
		*cause = xasprintf("numerical error: %s", gsl_strerror(s1 ? s1 : s2));
		return -1;
	}
	*out = a.val + b.val;
	return 0;
}

/* Walks from the mode in one direction until the density drops below floor. */
static double fisher_edge(const struct fisher_window *w, double mode, int dir,
    long double stop)
{
	long double l = 0;
	double x = mode;

	while (dir < 0 ? x > w->lo : x < w->hi) {
		l += dir < 0 ? -fisher_step(w, x - 1) : fisher_step(w, x);
		if (l < stop)
			break;
		x += dir;
	}
	return x;
}

static int fisher_window_init(struct fisher_window *w, const struct abtest_arm *ctl,
    const struct abtest_arm *trt, char **cause)
{
	double mode, lmode, lobs, last;
	long double stop;

	w->k = ctl->sum + trt->sum;
	w->n1 = ctl->n;
	w->n2 = trt->n;
	w->x = ctl->sum;
	w->lo = fmax(0, w->k - w->n2);
	w->hi = fmin(w->n1, w->k);
	mode = floor((w->n1 + 1) * (w->k + 1) / (w->n1 + w->n2 + 2));
	mode = fmin(fmax(mode, w->lo), w->hi);
	if (fisher_lnterm(w, mode, &lmode, cause) != 0 ||
	    fisher_lnterm(w, w->x, &lobs, cause) != 0)
		return -1;
	stop = fmaxl(fminl(lobs - lmode, 0) - FISHER_MARGIN, FISHER_FLOOR);
	w->first = fisher_edge(w, mode, -1, stop);
	last = fisher_edge(w, mode, 1, stop);
	w->len = (size_t)(last - w->first) + 1;
	w->ld = xreallocarray(NULL, w->len, sizeof *w->ld);
	w->ld[(size_t)(mode - w->first)] = 0;
	for (double x = mode; x > w->first; x--) {
		size_t i = (size_t)(x - w->first);
		w->ld[i - 1] = w->ld[i] - fisher_step(w, x - 1);
	}
	for (double x = mode; x < last; x++) {
		size_t i = (size_t)(x - w->first);
		w->ld[i + 1] = w->ld[i] + fisher_step(w, x);
	}
	return 0;
}

static int fisher_has_x(const struct fisher_window *w)
{
	return w->x >= w->first && w->x < w->first + (double)w->len;
}

/* Two-sided p: the tables no more likely than the observed one. */
static double fisher_two_sided(const struct fisher_window *w)
{
	long double all = 0, sel = 0, e, thresh;

	if (!fisher_has_x(w))
		return 0;
	thresh = w->ld[(size_t)(w->x - w->first)] + log1pl(FISHER_RELERR);
	for (size_t i = 0; i < w->len; i++) {
		e = expl(w->ld[i]);
		all += e;
		if (w->ld[i] <= thresh)
			sel += e;
	}
	return fmin(1, (double)(sel / all));
}

/* Weights of the noncentral distribution at log odds ratio t, in e[]. */
static long double fisher_weights(const struct fisher_window *w, double t,
    long double *e)
{
	long double max = -INFINITY, sum = 0;

	for (size_t i = 0; i < w->len; i++) {
		e[i] = w->ld[i] + (long double)t * (w->first + (double)i);
		if (e[i] > max)
			max = e[i];
	}
	for (size_t i = 0; i < w->len; i++) {
		e[i] = exp((double)(e[i] - max));
		sum += e[i];
	}
	return sum;
}

/* Mean (what 0), P(X <= x) (what 1) or P(X >= x) (what 2) at log odds t. */
static double fisher_moment(const struct fisher_window *w, double t, int what,
    long double *e)
{
	long double sum = fisher_weights(w, t, e), acc = 0;
	double x;

	for (size_t i = 0; i < w->len; i++) {
		x = w->first + (double)i;
		if (what == 0)
			acc += e[i] * x;
		else if ((what == 1 && x <= w->x) || (what == 2 && x >= w->x))
			acc += e[i];
	}
	return (double)(acc / sum);
}

/* Solves fisher_moment(t) = target for t in [-700, 700] by bisection. */
static double fisher_solve(const struct fisher_window *w, int what, double target,
    long double *e)
{
	double a = -700, b = 700, m;
	int increasing = what != 1;

	for (int i = 0; i < 200 && b - a > 1e-13 * fmax(1, fabs(a)); i++) {
		m = (a + b) / 2;
		if ((fisher_moment(w, m, what, e) < target) == increasing)
			a = m;
		else
			b = m;
	}
	return (a + b) / 2;
}

/* Conditional MLE and interval of the control-over-treatment odds ratio
 * (R's orientation), inverted for the caller. */
static void fisher_odds(const struct fisher_window *w, double alpha,
    struct abtest_fisher_result *out)
{
	long double *e = xreallocarray(NULL, w->len, sizeof *e);
	double est, l, u;

	if (w->x <= w->lo)
		est = 0;
	else if (w->x >= w->hi)
		est = INFINITY;
	else
		est = exp(fisher_solve(w, 0, w->x, e));
	l = w->x <= w->lo ? 0 : exp(fisher_solve(w, 2, alpha / 2, e));
	u = w->x >= w->hi ? INFINITY : exp(fisher_solve(w, 1, alpha / 2, e));
	out->lower = w->x >= w->hi ? 0 : 1 / exp(fisher_solve(w, 1, alpha, e));
	free(e);
	out->odds_ratio = 1 / est;
	out->ci[0] = 1 / u;
	out->ci[1] = 1 / l;
	out->odds_exact = 1;
}

/* Beyond the window the conditional estimate is out of reach: report the
 * sample odds ratio and an unbounded interval instead. */
static void fisher_odds_sample(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    struct abtest_fisher_result *out)
{
	double num = trt->sum * (ctl->n - ctl->sum), den = ctl->sum * (trt->n - trt->sum);

	out->odds_ratio = den > 0 ? num / den : INFINITY;
	out->ci[0] = out->lower = 0;
	out->ci[1] = INFINITY;
	out->odds_exact = 0;
}

int abtest_fisher(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    double alpha, struct abtest_fisher_result *out, char **cause)
{
	struct fisher_window w;
	long double *e;

	if (!(alpha > 0 && alpha < 1)) {
		*cause = xasprintf("alpha must be between 0 and 1");
		return -1;
	}
	if (fisher_window_init(&w, ctl, trt, cause) != 0)
		return -1;
	out->p_value = fisher_two_sided(&w);
	if (!fisher_has_x(&w))
		out->p_value_greater = w.x < w.first ? 0 : 1;
	else {
		e = xreallocarray(NULL, w.len, sizeof *e);
		out->p_value_greater = fmin(1, fisher_moment(&w, 0, 1, e));
		free(e);
	}
	if (fisher_has_x(&w))
		fisher_odds(&w, alpha, out);
	else
		fisher_odds_sample(ctl, trt, out);
	free(w.ld);
	return 0;
}

/* Enumeration state for the k x 2 table. */
struct fisher_enum {
	size_t k;
	double **lc;            /* lc[i][x] = log choose(n_i, x) */
	double *room;           /* room[i]: most the arms after i can take */
	const struct abtest_arm *arms;
	long double norm;       /* log choose(N, K) */
	long double thresh;     /* log probability of the observed table, with R's slack */
	long double sum;
	long long budget;       /* steps left: tables and partial tables visited */
	const atomic_bool *cancel;
	bool cancelled;
};

/* Polls the cancel flag every this many steps. */
#define FISHER_POLL 65536

/* Spends one step; false once the budget is spent or the work cancelled
 * (polled at the first step and every FISHER_POLL after). */
static bool fisher_enum_step(struct fisher_enum *fe)
{
	if (fe->budget-- % FISHER_POLL == 0 && cancel_requested(fe->cancel))
		fe->cancelled = true;
	return fe->budget > 0 && !fe->cancelled;
}

/* Visits the tables whose arms i.. share left conversions. Only counts
 * the later arms can still hold are tried, so that every step is a step
 * towards a table and the budget bounds the real work. */
static void fisher_enum_arm(struct fisher_enum *fe, size_t i, double left, long double lp)
{
	double top = fmin(left, fe->arms[i].n);

	if (i + 1 == fe->k) {
		if (!fisher_enum_step(fe))
			return;
		lp += fe->lc[i][(size_t)left];
		if (lp <= fe->thresh)
			fe->sum += expl(lp - fe->norm);
		return;
	}
	for (double x = fmax(0, left - fe->room[i]); x <= top && fisher_enum_step(fe); x++)
		fisher_enum_arm(fe, i + 1, left - x, lp + fe->lc[i][(size_t)x]);
}

/* The log binomial coefficients each arm needs; -1 with *cause when their
 * count alone is over the budget (nothing allocated then). */
static int fisher_enum_init(struct fisher_enum *fe, const struct abtest_arm *arms,
    size_t k, double total, char **cause)
{
	gsl_sf_result r;
	int status = GSL_SUCCESS;
	double need = 0;

	for (size_t i = 0; i < k; i++)
		need += fmin(arms[i].n, total) + 1;
	if (need > (double)fe->budget) {
		*cause = xasprintf("over %lld steps (tables and partial tables) to enumerate", fe->budget);
		return -1;
	}
	fe->budget -= (long long)need;
	/* The first step polls: budgets stay multiples of FISHER_POLL. */
	fe->budget -= fe->budget % FISHER_POLL;
	fe->k = k;
	fe->arms = arms;
	fe->lc = xcalloc(k, sizeof *fe->lc);
	fe->room = xcalloc(k, sizeof *fe->room);
	for (size_t i = k; i-- > 1;)
		fe->room[i - 1] = fe->room[i] + fmin(arms[i].n, total);
	for (size_t i = 0; i < k; i++) {
		size_t top = (size_t)fmin(arms[i].n, total);

		fe->lc[i] = xreallocarray(NULL, top + 1, sizeof **fe->lc);
		for (size_t x = 0; x <= top && status == GSL_SUCCESS; x++) {
			status = gsl_sf_lnchoose_e((unsigned)arms[i].n, (unsigned)x, &r);
			fe->lc[i][x] = r.val;
		}
	}
	if (status != GSL_SUCCESS) {
		*cause = xasprintf("numerical error: %s", gsl_strerror(status));
		return -1;
	}
	return 0;
}

static void fisher_enum_done(struct fisher_enum *fe)
{
	for (size_t i = 0; fe->lc != NULL && i < fe->k; i++)
		free(fe->lc[i]);
	free(fe->lc);
	free(fe->room);
}

/* Checks the arms; false with *cause when the exact test cannot take them. */
static bool fisher_k_fits(const struct abtest_arm *arms, size_t k, double *total, double *n,
    char **cause)
{
	*total = *n = 0;
	for (size_t i = 0; i < k; i++) {
		if (!(arms[i].n >= 1) || !(arms[i].sum >= 0) || arms[i].sum > arms[i].n ||
		    floor(arms[i].sum) != arms[i].sum || floor(arms[i].n) != arms[i].n) {
			*cause = xasprintf("conversions must be whole numbers from 0 to n");
			return false;
		}
		*total += arms[i].sum;
		*n += arms[i].n;
	}
	if (*n > ABTEST_FISHER_MAX_N) {
		*cause = xasprintf("over %.0f users in all", ABTEST_FISHER_MAX_N);
		return false;
	}
	return true;
}

int abtest_fisher_k(const struct abtest_arm *arms, size_t k, double max_steps,
    const atomic_bool *cancel, double *p, char **cause)
{
	struct fisher_enum fe = { .budget = (long long)fmin(max_steps, 1e18), .cancel = cancel };
	double total, n, m;
	long double obs = 0;
	gsl_sf_result r;
	int rc = -1;

	if (k < 2) {
		*cause = xasprintf("need at least 2 arms");
		return -1;
	}
	if (!fisher_k_fits(arms, k, &total, &n, cause))
		return -1;
	/* Count conversions or non-conversions, whichever is fewer. */
	m = fmin(total, n - total);
	if (fisher_enum_init(&fe, arms, k, m, cause) == 0) {
		for (size_t i = 0; i < k; i++)
			obs += fe.lc[i][(size_t)(total <= n - total ? arms[i].sum :
			    arms[i].n - arms[i].sum)];
		gsl_sf_lnchoose_e((unsigned)n, (unsigned)m, &r);
		fe.norm = r.val;
		fe.thresh = obs + log1pl(FISHER_RELERR);
		fisher_enum_arm(&fe, 0, m, 0);
		if (fe.cancelled)
			*cause = xstrdup("cancelled");
		else if (fe.budget <= 0)
			*cause = xasprintf("over %.0f steps (tables and partial tables) to enumerate",
			    max_steps);
		else {
			*p = fmin(1, (double)fe.sum);
			rc = 0;
		}
	}
	fisher_enum_done(&fe);
	return rc;
}
