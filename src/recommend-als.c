/* Implicit-feedback ALS (Hu, Koren and Volinsky 2008): minimises
 *   sum over all (u, i) of c_ui (p_ui - x_u . y_i)^2
 *     + reg (sum |x_u|^2 + sum |y_i|^2)
 * with p_ui = 1 and c_ui = 1 + alpha w_ui for a consumed pair (weight w),
 * p = 0 and c = 1 otherwise. Each half-sweep solves every user's (then
 * item's) normal equations
 *   (Y'Y + reg I + sum_i (c_i - 1) y_i y_i') x = sum_i c_i y_i
 * by a few conjugate-gradient steps from the previous solution (Takacs,
 * Pilaszy and Tikk 2011), which needs Y'Y once per half-sweep and then
 * only the user's own items. A CG step from a warm start never raises its
 * quadratic, so the loss never rises.
 *
 * Rows are solved independently from the other side's factors, and Y'Y is
 * summed on one thread, so the factors do not depend on the number of
 * threads. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "cancel.h"
#include "parallel.h"
#include "recommend-impl.h"
#include "xmalloc.h"

#define ALS_CG_STEPS 3
#define ALS_ROWS 256		/* rows per task */
#define ALS_MAX_FACTORS 1024

/* One half-sweep: rows of `out` from the fixed `other` factors. */
struct als_side {
	uint32_t nrows, f;
	const size_t *row;	/* CSR of the rows' consumed columns */
	const uint32_t *col;
	const double *val;
	const double *other;	/* ncols x f */
	const double *gram;	/* f x f: other'other + reg I */
	double *out;		/* nrows x f */
	double alpha;
	const atomic_bool *cancel;
};

static double als_dot(const double *a, const double *b, uint32_t f)
{
	double s = 0;

	for (uint32_t k = 0; k < f; k++)
		s += a[k] * b[k];
	return s;
}

/* out = A v for one row: gram v + sum (c - 1) (y . v) y. */
static void als_apply(const struct als_side *sd, size_t lo, size_t hi,
    const double *v, double *out)
{
	uint32_t f = sd->f;

	for (uint32_t a = 0; a < f; a++)
		out[a] = als_dot(sd->gram + (size_t)a * f, v, f);
	for (size_t p = lo; p < hi; p++) {
		const double *y = sd->other + (size_t)sd->col[p] * f;
		double t = sd->alpha * sd->val[p] * als_dot(y, v, f);

		for (uint32_t a = 0; a < f; a++)
			out[a] += t * y[a];
	}
}

/* A few CG steps on one row's normal equations, from its current x. */
static void als_solve(const struct als_side *sd, uint32_t r, double *work)
{
	uint32_t f = sd->f;
	double *x = sd->out + (size_t)r * f, *res = work, *dir = work + f,
	    *ad = work + 2 * f, rs, rsnew, step;
	size_t lo = sd->row[r], hi = sd->row[r + 1];

	als_apply(sd, lo, hi, x, ad);
	for (uint32_t a = 0; a < f; a++)
		res[a] = -ad[a];
	for (size_t p = lo; p < hi; p++) {
		const double *y = sd->other + (size_t)sd->col[p] * f;
		double c = 1 + sd->alpha * sd->val[p];

		for (uint32_t a = 0; a < f; a++)
			res[a] += c * y[a];
	}
	memcpy(dir, res, f * sizeof *dir);
	rs = als_dot(res, res, f);
	for (int it = 0; it < ALS_CG_STEPS && rs > 1e-20; it++) {
		als_apply(sd, lo, hi, dir, ad);
		step = rs / als_dot(dir, ad, f);
		for (uint32_t a = 0; a < f; a++) {
			x[a] += step * dir[a];
			res[a] -= step * ad[a];
		}
		rsnew = als_dot(res, res, f);
		for (uint32_t a = 0; a < f; a++)
			dir[a] = res[a] + rsnew / rs * dir[a];
		rs = rsnew;
	}
}

static void als_rows(void *arg, size_t task)
{
	struct als_side *sd = arg;
	double *work = xmalloc(3 * (size_t)sd->f * sizeof *work);
	uint32_t end = (uint32_t)(task + 1) * ALS_ROWS;

	if (!cancel_requested(sd->cancel)) {
		for (uint32_t r = (uint32_t)task * ALS_ROWS; r < end &&
		    r < sd->nrows; r++)
			als_solve(sd, r, work);
	}
	free(work);
}

/* g = y'y (+ reg on the diagonal), summed item by item on one thread. */
static void als_gram(const double *y, uint32_t n, uint32_t f, double reg,
    double *g)
{
	memset(g, 0, (size_t)f * f * sizeof *g);
	for (uint32_t i = 0; i < n; i++) {
		const double *v = y + (size_t)i * f;

		for (uint32_t a = 0; a < f; a++) {
			for (uint32_t b = 0; b < f; b++)
				g[(size_t)a * f + b] += v[a] * v[b];
		}
	}
	for (uint32_t a = 0; a < f; a++)
		g[(size_t)a * f + a] += reg;
}

static void als_half(struct recommend_model *model, struct als_side *sd,
    uint32_t nother, double reg, double *gram)
{
	als_gram(sd->other, nother, sd->f, reg, gram);
	parallel_run((sd->nrows + ALS_ROWS - 1) / ALS_ROWS, model->threads,
	    als_rows, sd);
}

/* The objective above, from the two sides' factors. */
static double als_loss(const struct recommend_model *model, double alpha,
    double reg, double *gram)
{
	const struct recommend_matrix *m = model->m;
	uint32_t f = model->factors;
	double loss = 0, s, c, *tmp = xmalloc(f * sizeof *tmp);

	als_gram(model->ifac, m->nitems, f, 0, gram);
	for (uint32_t u = 0; u < m->nusers; u++) {
		const double *x = model->ufac + (size_t)u * f;

		for (uint32_t a = 0; a < f; a++)
			tmp[a] = als_dot(gram + (size_t)a * f, x, f);
		loss += als_dot(tmp, x, f) + reg * als_dot(x, x, f);
		for (size_t p = m->urow[u]; p < m->urow[u + 1]; p++) {
			s = als_dot(x, model->ifac + (size_t)m->uitem[p] * f, f);
			c = 1 + alpha * m->uval[p];
			loss += c * (1 - s) * (1 - s) - s * s;
		}
	}
	for (uint32_t i = 0; i < m->nitems; i++) {
		const double *y = model->ifac + (size_t)i * f;

		loss += reg * als_dot(y, y, f);
	}
	free(tmp);
	return loss;
}

static int als_check(const struct recommend_spec *spec, char **cause)
{
	if (spec->factors < 1 || spec->factors > ALS_MAX_FACTORS) {
		*cause = xasprintf("factors must be between 1 and %d",
		    ALS_MAX_FACTORS);
		return -1;
	}
	if (!(spec->reg >= 0 && isfinite(spec->reg)) ||
	    !(spec->alpha >= 0 && isfinite(spec->alpha))) {
		*cause = xasprintf("reg and alpha must be numbers of 0 or more");
		return -1;
	}
	if (spec->iterations < 1) {
		*cause = xasprintf("iterations must be at least 1");
		return -1;
	}
	return 0;
}

/* Small positive starting factors from the seed, users then items. */
static void als_init(struct recommend_model *model, unsigned long seed)
{
	const struct recommend_matrix *m = model->m;
	size_t nu = (size_t)m->nusers * model->factors,
	    ni = (size_t)m->nitems * model->factors;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);

	if (rng == NULL)
		abort();
	gsl_rng_set(rng, seed);
	model->ufac = xmalloc(nu * sizeof *model->ufac);
	model->ifac = xmalloc(ni * sizeof *model->ifac);
	for (size_t k = 0; k < nu; k++)
		model->ufac[k] = gsl_rng_uniform(rng) * 0.01;
	for (size_t k = 0; k < ni; k++)
		model->ifac[k] = gsl_rng_uniform(rng) * 0.01;
	gsl_rng_free(rng);
}

static void als_norms(struct recommend_model *model)
{
	uint32_t f = model->factors, n = model->m->nitems;

	model->inorm = xmalloc((n ? n : 1) * sizeof *model->inorm);
	for (uint32_t i = 0; i < n; i++) {
		const double *y = model->ifac + (size_t)i * f;

		model->inorm[i] = sqrt(als_dot(y, y, f));
	}
}

/* Alternating sweeps, users then items, recording the loss after each. */
int recommend_als_fit(struct recommend_model *model,
    const struct recommend_spec *spec, char **cause)
{
	const struct recommend_matrix *m = model->m;
	struct als_side users = { m->nusers, spec->factors, m->urow, m->uitem,
	    m->uval, NULL, NULL, NULL, spec->alpha, model->cancel };
	struct als_side items = { m->nitems, spec->factors, m->irow, m->iuser,
	    m->ival, NULL, NULL, NULL, spec->alpha, model->cancel };
	double *gram;

	if (als_check(spec, cause) != 0)
		return -1;
	model->factors = spec->factors;
	als_init(model, spec->seed);
	gram = xmalloc((size_t)spec->factors * spec->factors * sizeof *gram);
	users.gram = items.gram = gram;
	users.other = items.out = model->ifac;
	items.other = users.out = model->ufac;
	model->loss = xcalloc(spec->iterations, sizeof *model->loss);
	for (uint32_t it = 0; it < spec->iterations; it++) {
		als_half(model, &users, m->nitems, spec->reg, gram);
		als_half(model, &items, m->nusers, spec->reg, gram);
		if (cancel_check(model->cancel, cause)) {
			free(gram);
			return -1;
		}
		model->loss[it] = als_loss(model, spec->alpha, spec->reg, gram);
	}
	free(gram);
	als_norms(model);
	return 0;
}

/* x_u . y_j for every item. */
void recommend_als_score(const struct recommend_model *model,
    struct recommend_scratch *sc, uint32_t user)
{
	uint32_t f = model->factors, n = model->m->nitems;
	const double *x = model->ufac + (size_t)user * f;

	for (uint32_t j = 0; j < n; j++)
		sc->dense[j] = als_dot(x, model->ifac + (size_t)j * f, f);
	recommend_dense_touch(model, sc, sc->dense, NULL, n);
}

/* The consumed items whose factors point most nearly the hit's way. */
void recommend_als_explain(const struct recommend_model *model,
    uint32_t user, struct recommend_hit *hits, uint32_t n, double scale)
{
	const struct recommend_matrix *m = model->m;
	uint32_t f = model->factors;
	double cos, d;

	if (scale <= 0)
		return;
	for (size_t p = m->urow[user]; p < m->urow[user + 1]; p++) {
		uint32_t i = m->uitem[p];
		const double *yi = model->ifac + (size_t)i * f;

		for (uint32_t r = 0; r < n; r++) {
			uint32_t j = hits[r].item;

			d = model->inorm[i] * model->inorm[j];
			cos = d > 0 ? als_dot(yi, model->ifac + (size_t)j * f,
			    f) / d : 0;
			if (cos > 0)
				recommend_reason_add(&hits[r],
				    RECOMMEND_REASON_ITEM, i, cos * scale);
		}
	}
}
