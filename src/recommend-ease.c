/* EASE (Steck 2019): a closed-form item-item model. With X the user x item
 * matrix of event weights, P = (X'X + lambda I)^-1 and
 * B = I - P diag(1 / diag(P)), so B[i][j] = -P[i][j] / P[j][j] off the
 * diagonal and 0 on it; a user's scores are x_u B.
 *
 * The Gram matrix is summed sparsely, one row per task (so its values do
 * not depend on the number of threads), then factorised and inverted in
 * place: with OpenBLAS's LAPACK (dpotrf, dpotri) when it is linked, on a
 * fixed number of its threads, else with GSL's Cholesky. B takes
 * 8 n^2 bytes for n items: over the memory budget, only the most popular
 * items that fit are modelled. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "cancel.h"
#include "parallel.h"
#include "recommend-impl.h"
#include "xmalloc.h"

#ifdef HAVE_OPENBLAS
/* OpenBLAS's own declarations clash with GSL's gsl_cblas.h. */
void openblas_set_num_threads(int n);
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda,
    int *info);
void dpotri_(const char *uplo, const int *n, double *a, const int *lda,
    int *info);
#endif

/* Rows of the Gram matrix per task. */
#define EASE_ROWS 64

struct ease_gram {
	const struct recommend_model *model;
	double *g;
};

/* Largest n with 8 n^2 bytes within max_mb. */
static uint32_t ease_cap(unsigned long max_mb)
{
	double n = floor(sqrt((double)max_mb * 1048576.0 / sizeof(double)));

	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

/* The modelled items: all, or the cap most popular (ascending index). */
static void ease_slots(struct recommend_model *model, uint32_t cap)
{
	uint32_t n = model->m->nitems, ns = n < cap ? n : cap, s = 0;

	model->item_slot = xmalloc(n * sizeof *model->item_slot);
	memset(model->item_slot, 0xff, n * sizeof *model->item_slot);
	for (uint32_t r = 0; r < ns; r++)
		model->item_slot[model->poporder[r]] = 0;
	model->slot_item = xmalloc((ns ? ns : 1) * sizeof *model->slot_item);
	for (uint32_t j = 0; j < n; j++) {
		if (model->item_slot[j] == 0) {
			model->item_slot[j] = s;
			model->slot_item[s++] = j;
		}
	}
	model->nslot = ns;
}

/* Rows task*EASE_ROWS.. of X'X: each row sums its users in one order. */
static void ease_gram_rows(void *arg, size_t task)
{
	struct ease_gram *job = arg;
	const struct recommend_model *model = job->model;
	const struct recommend_matrix *m = model->m;
	uint32_t ns = model->nslot, end, sa, sb;

	end = (uint32_t)(task + 1) * EASE_ROWS;
	for (sa = (uint32_t)task * EASE_ROWS; sa < end && sa < ns; sa++) {
		uint32_t a = model->slot_item[sa];
		double *row = job->g + (size_t)sa * ns;

		if (cancel_requested(model->cancel))
			return;
		for (size_t p = m->irow[a]; p < m->irow[a + 1]; p++) {
			uint32_t u = m->iuser[p];
			double w = m->ival[p];

			for (size_t q = m->urow[u]; q < m->urow[u + 1]; q++) {
				if ((sb = model->item_slot[m->uitem[q]]) !=
				    UINT32_MAX)
					row[sb] += w * m->uval[q];
			}
		}
	}
}

#ifdef HAVE_OPENBLAS
/* The symmetric matrix's inverse in place, by LAPACK; the upper triangle
 * in column-major order is the lower one in row-major order. */
static int ease_cholesky_invert(double *g, uint32_t n)
{
	int nn = (int)n, info = 0;

	/* A fixed count: how OpenBLAS deals out its blocks, and so its
	 * sums, must not follow threads= or the machine's cores. */
	openblas_set_num_threads(RECOMMEND_BLAS_THREADS);
	dpotrf_("U", &nn, g, &nn, &info);
	if (info == 0)
		dpotri_("U", &nn, g, &nn, &info);
	if (info != 0)
		return info < 0 ? GSL_EINVAL : GSL_EDOM;
	for (uint32_t i = 0; i < n; i++) {
		for (uint32_t j = i + 1; j < n; j++)
			g[(size_t)i * n + j] = g[(size_t)j * n + i];
	}
	return 0;
}
#else
static int ease_cholesky_invert(double *g, uint32_t n)
{
	gsl_matrix_view v = gsl_matrix_view_array(g, n, n);
	int rc = gsl_linalg_cholesky_decomp1(&v.matrix);

	return rc != 0 ? rc : gsl_linalg_cholesky_invert(&v.matrix);
}
#endif

/* P = (G + lambda I)^-1 in place. */
static int ease_invert(double *g, uint32_t n, double lambda, char **cause)
{
	int rc;

	for (uint32_t i = 0; i < n; i++)
		g[(size_t)i * n + i] += lambda;
	if ((rc = ease_cholesky_invert(g, n)) == 0)
		return 0;
	*cause = xasprintf("EASE: the Cholesky factorisation failed (%s)",
	    gsl_strerror(rc));
	return -1;
}

/* B = I - P diag(1 / diag(P)), in place. */
static void ease_weights(double *p, uint32_t n)
{
	double *d = xmalloc((n ? n : 1) * sizeof *d);

	for (uint32_t j = 0; j < n; j++)
		d[j] = p[(size_t)j * n + j];
	for (uint32_t i = 0; i < n; i++) {
		double *row = p + (size_t)i * n;

		for (uint32_t j = 0; j < n; j++)
			row[j] = -row[j] / d[j];
		row[i] = 0;
	}
	free(d);
}

static int ease_check(double lambda, unsigned long max_mb, char **cause)
{
	if (!(lambda > 0 && isfinite(lambda))) {
		*cause = xasprintf("lambda must be a positive number");
		return -1;
	}
	if (ease_cap(max_mb) < 1) {
		*cause = xasprintf("EASE: a memory budget of %lu MB holds no item",
		    max_mb);
		return -1;
	}
	return 0;
}

/* The modelled items' B; -1 with *cause when cancelled, out of memory or
 * not positive definite (lambda > 0 rules that out but for rounding). */
int recommend_ease_fit(struct recommend_model *model, double lambda,
    unsigned long max_mb, char **cause)
{
	struct ease_gram job = { model, NULL };
	uint32_t ns;

	if (ease_check(lambda, max_mb, cause) != 0)
		return -1;
	ease_slots(model, ease_cap(max_mb));
	ns = model->nslot;
	job.g = calloc(ns > 0 ? (size_t)ns * ns : 1, sizeof *job.g);
	if (job.g == NULL) {
		*cause = xasprintf("EASE: no memory for %u x %u items (%.0f MB)",
		    ns, ns, (double)ns * ns * 8 / 1048576);
		return -1;
	}
	parallel_run((ns + EASE_ROWS - 1) / EASE_ROWS, model->threads,
	    ease_gram_rows, &job);
	if (cancel_check(model->cancel, cause) ||
	    ease_invert(job.g, ns, lambda, cause) != 0) {
		free(job.g);
		return -1;
	}
	ease_weights(job.g, ns);
	model->ease = job.g;
	return 0;
}

/* Dense scores x_u B over the modelled items, into acc (nslot). */
static void ease_accumulate(const struct recommend_model *model,
    uint32_t user, double *acc)
{
	const struct recommend_matrix *m = model->m;
	uint32_t ns = model->nslot, s;

	memset(acc, 0, ns * sizeof *acc);
	for (size_t p = m->urow[user]; p < m->urow[user + 1]; p++) {
		const double *row;
		double w = m->uval[p];

		if ((s = model->item_slot[m->uitem[p]]) == UINT32_MAX)
			continue;
		row = model->ease + (size_t)s * ns;
		for (uint32_t j = 0; j < ns; j++)
			acc[j] += w * row[j];
	}
}

/* Every modelled item the user has not consumed is touched, whatever the
 * sign of its score. */
void recommend_ease_score(const struct recommend_model *model,
    struct recommend_scratch *sc, uint32_t user)
{
	ease_accumulate(model, user, sc->dense);
	recommend_dense_touch(model, sc, sc->dense, model->slot_item, model->nslot);
}

/* Each consumed item's term w_i B[i][j] of a ranked hit's score. */
void recommend_ease_explain(const struct recommend_model *model,
    uint32_t user, struct recommend_hit *hits, uint32_t n, double scale)
{
	const struct recommend_matrix *m = model->m;
	uint32_t ns = model->nslot, si;

	if (scale <= 0)
		return;
	for (size_t p = m->urow[user]; p < m->urow[user + 1]; p++) {
		uint32_t i = m->uitem[p];

		if ((si = model->item_slot[i]) == UINT32_MAX)
			continue;
		for (uint32_t r = 0; r < n; r++) {
			double b = model->ease[(size_t)si * ns +
			    model->item_slot[hits[r].item]];

			if (b > 0)
				recommend_reason_add(&hits[r],
				    RECOMMEND_REASON_ITEM, i,
				    m->uval[p] * b * scale);
		}
	}
}
