/* EASE against numpy's scores, and implicit ALS's properties. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "cutest.h"
#include "recommend.h"
#include "xmalloc.h"

/* tests/fixtures/ease-small.csv, users u1..u6 and items a..e numbered in
 * order of first appearance. */
static const uint32_t ease_user[] = { 0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4,
	5, 5 };
static const uint32_t ease_item[] = { 0, 1, 2, 0, 2, 1, 3, 4, 0, 3, 2, 4, 1,
	4, 0 };

/* bench/ease_reference.py tests/fixtures/ease-small.csv --user user
 * --item item --scores --lambda 0.5: X B, users by items. */
static const double ease_scores[6][5] = {
	{ 0.38202247191011235, 0.38626609442060089, 1.0098831985624437,
	  0.26321036889332, 0.57217165149544869 },
	{ 0.7319422150882825, 0.38626609442060089, 0.40970350404312667,
	  -0.11764705882352938, 0.015604681404421367 },
	{ 0.2728731942215088, 0.69527896995708149, 0.1563342318059299,
	  0.48255234297108679, 0.68920676202860864 },
	{ 0.48475120385232745, 0.1407725321888412, 0.032345013477088957,
	  0.30109670987038883, 0.24447334200260079 },
	{ 0.52006420545746379, 0.94077253218884116, 0.53369272237196763,
	  0.063808574277168559, 0.46033810143042919 },
	{ 0.1380417335473515, 0.18025751072961368, 0.34321653189577717,
	  0.40279162512462618, 0.11183355006501947 },
};

static struct recommend_matrix *build(const struct recommend_input *in)
{
	struct recommend_matrix *m = NULL;
	char *cause = NULL;

	CU_ASSERT_FATAL(recommend_matrix_build(in, NULL, &m, &cause) == 0);
	return m;
}

static struct recommend_model *fit(const struct recommend_matrix *m,
    const struct recommend_spec *spec)
{
	struct recommend_model *model = NULL;
	char *cause = NULL;

	CU_ASSERT_FATAL(recommend_model_fit(m, spec, &model, &cause) == 0);
	return model;
}

static int ease_consumed(uint32_t u, uint32_t j)
{
	for (size_t e = 0; e < sizeof ease_user / sizeof ease_user[0]; e++) {
		if (ease_user[e] == u && ease_item[e] == j)
			return 1;
	}
	return 0;
}

/* Every unconsumed item comes back, with numpy's score, best first. */
static void test_ease_reference(void)
{
	struct recommend_input in = { 6, 5, sizeof ease_user / sizeof
	    ease_user[0], ease_user, ease_item, NULL, NULL };
	struct recommend_matrix *m = build(&in);
	struct recommend_query q = { 5, 0, 0 };
	struct recommend_hit hits[5];
	struct recommend_spec spec;
	struct recommend_model *model;
	uint32_t n, want;
	char *cause = NULL;

	recommend_spec_init(&spec);
	spec.method = RECOMMEND_EASE;
	spec.lambda = 0.5;
	model = fit(m, &spec);
	CU_ASSERT_EQUAL(recommend_model_items(model), 5);
	for (uint32_t u = 0; u < 6; u++) {
		CU_ASSERT_EQUAL_FATAL(recommend_user(model, u, &q, hits, &n,
		    &cause), 0);
		want = 0;
		for (uint32_t j = 0; j < 5; j++)
			want += !ease_consumed(u, j);
		CU_ASSERT_EQUAL(n, want);
		for (uint32_t r = 0; r < n; r++) {
			CU_ASSERT(!ease_consumed(u, hits[r].item));
			CU_ASSERT(fabs(hits[r].score -
			    ease_scores[u][hits[r].item]) < 1e-9);
			CU_ASSERT(r == 0 || hits[r].score <= hits[r - 1].score);
		}
	}
	/* u2 (a, c): d's score is negative and still listed, last. */
	CU_ASSERT_FATAL(recommend_user(model, 1, &q, hits, &n, &cause) == 0);
	CU_ASSERT_EQUAL(hits[n - 1].item, 3);
	recommend_model_free(model);
	recommend_matrix_free(m);
}

/* Reasons are the consumed items with the largest w_i B[i][j]: for u1
 * (a, b, c) and e, B[b][e] x 1 = 0.57217... - the others, so b first. */
static void test_ease_reasons(void)
{
	struct recommend_input in = { 6, 5, sizeof ease_user / sizeof
	    ease_user[0], ease_user, ease_item, NULL, NULL };
	struct recommend_matrix *m = build(&in);
	struct recommend_query q = { 2, 0, 0 };
	struct recommend_hit hits[2];
	struct recommend_spec spec;
	struct recommend_model *model;
	double sum;
	uint32_t n;
	char *cause = NULL;

	recommend_spec_init(&spec);
	spec.method = RECOMMEND_EASE;
	spec.lambda = 0.5;
	model = fit(m, &spec);
	CU_ASSERT_FATAL(recommend_user(model, 0, &q, hits, &n, &cause) == 0);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(hits[0].item, 4);
	CU_ASSERT_FATAL(hits[0].nbecause >= 1);
	sum = 0;
	for (unsigned b = 0; b < hits[0].nbecause; b++) {
		CU_ASSERT(hits[0].because[b].weight > 0);
		CU_ASSERT(b == 0 || hits[0].because[b].weight <=
		    hits[0].because[b - 1].weight);
		sum += hits[0].because[b].weight;
	}
	/* Positive terms add up to at least the score. */
	CU_ASSERT(sum >= hits[0].score - 1e-12);
	recommend_model_free(model);
	recommend_matrix_free(m);
}

/* A budget of 1 MB holds 362 items: only the 362 most popular are
 * modelled. */
static void test_ease_budget(void)
{
	uint32_t nitems = 500, nusers = 2000, *user, *item;
	size_t n = 0;
	struct recommend_input in;
	struct recommend_matrix *m;
	struct recommend_spec spec;
	struct recommend_model *model;
	struct recommend_query q = { 10, 0, 1 };
	struct recommend_hit hits[10], again[10];
	uint32_t got;
	char *cause = NULL;

	user = xmalloc((size_t)nusers * 3 * sizeof *user);
	item = xmalloc((size_t)nusers * 3 * sizeof *item);
	/* Item j is consumed by about nusers / (j + 1) users. */
	for (uint32_t u = 0; u < nusers; u++) {
		for (uint32_t k = 0; k < 3; k++) {
			user[n] = u;
			item[n++] = (u * 7 + k * 131) % ((u % nitems) + 1);
		}
	}
	in = (struct recommend_input){ nusers, nitems, n, user, item, NULL,
	    NULL };
	m = build(&in);
	memset(hits, 0, sizeof hits);
	memset(again, 0, sizeof again);
	recommend_spec_init(&spec);
	spec.method = RECOMMEND_EASE;
	spec.max_mb = 1;
	model = fit(m, &spec);
	CU_ASSERT_EQUAL(recommend_model_items(model), 362);
	CU_ASSERT_FATAL(recommend_user(model, 1999, &q, hits, &got,
	    &cause) == 0);
	CU_ASSERT_EQUAL(got, 10);
	recommend_model_free(model);
	/* The Gram rows are summed per task: 5 threads, the same bits. */
	spec.threads = 5;
	model = fit(m, &spec);
	CU_ASSERT_FATAL(recommend_user(model, 1999, &q, again, &got,
	    &cause) == 0);
	CU_ASSERT_EQUAL(memcmp(hits, again, sizeof hits), 0);
	recommend_model_free(model);
	recommend_matrix_free(m);
	free(user);
	free(item);
}

/* One user, one item: the minimum has x = y and x y = 1 - reg / c,
 * so the loss c (reg / c)^2 + 2 reg (1 - reg / c) = 2 reg - reg^2 / c;
 * the alternation nears it slowly (about 7% a sweep) as x and y balance. */
static void test_als_known(void)
{
	static const uint32_t user[] = { 0 }, item[] = { 0 };
	struct recommend_input in = { 1, 1, 1, user, item, NULL, NULL };
	struct recommend_matrix *m = build(&in);
	struct recommend_spec spec;
	struct recommend_model *model;
	const double *loss;
	double c = 11, reg = 0.1;

	recommend_spec_init(&spec);
	spec.method = RECOMMEND_ALS;
	spec.factors = 1;
	spec.alpha = c - 1;
	spec.reg = reg;
	spec.iterations = 400;
	model = fit(m, &spec);
	loss = recommend_als_loss(model);
	CU_ASSERT_FATAL(loss != NULL);
	CU_ASSERT(fabs(loss[399] - (2 * reg - reg * reg / c)) < 1e-9);
	recommend_model_free(model);
	recommend_matrix_free(m);
}

/* Random events: users with 1 to 20 items drawn with a skew. */
static struct recommend_matrix *als_random(uint32_t nusers, uint32_t nitems,
    uint32_t **user, uint32_t **item, double **weight, size_t *nout)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	size_t n = 0, cap = (size_t)nusers * 20;
	struct recommend_input in;

	*user = xmalloc(cap * sizeof **user);
	*item = xmalloc(cap * sizeof **item);
	*weight = xmalloc(cap * sizeof **weight);
	gsl_rng_set(rng, 7);
	for (uint32_t u = 0; u < nusers; u++) {
		uint32_t k = 1 + (uint32_t)gsl_rng_uniform_int(rng, 20);

		for (uint32_t e = 0; e < k; e++) {
			double r = gsl_rng_uniform(rng);

			(*user)[n] = u;
			(*item)[n] = (uint32_t)(r * r * nitems);
			(*weight)[n++] = 1 + (double)gsl_rng_uniform_int(rng, 4);
		}
	}
	gsl_rng_free(rng);
	in = (struct recommend_input){ nusers, nitems, n, *user, *item,
	    *weight, NULL };
	*nout = n;
	return build(&in);
}

static struct recommend_model *als_fit(const struct recommend_matrix *m,
    unsigned threads)
{
	struct recommend_spec spec;

	recommend_spec_init(&spec);
	spec.method = RECOMMEND_ALS;
	spec.factors = 16;
	spec.iterations = 8;
	spec.threads = threads;
	return fit(m, &spec);
}

/* The loss never rises, and 1, 2 and 5 threads give the same lists, to
 * the bit. */
static void test_als_properties(void)
{
	uint32_t *user, *item, nusers = 1500, n[3];
	double *weight;
	size_t nev;
	struct recommend_matrix *m = als_random(nusers, 300, &user, &item,
	    &weight, &nev);
	struct recommend_query q = { 10, 0, 0 };
	static const unsigned threads[] = { 1, 2, 5 };
	struct recommend_hit *hits[3];
	struct recommend_model *model;
	const double *loss;
	char *cause = NULL;

	for (int t = 0; t < 3; t++) {
		hits[t] = xmalloc((size_t)nusers * 10 * sizeof *hits[t]);
		memset(hits[t], 0, (size_t)nusers * 10 * sizeof *hits[t]);
		model = als_fit(m, threads[t]);
		loss = recommend_als_loss(model);
		for (int it = 1; t == 0 && it < 8; it++)
			CU_ASSERT(loss[it] <= loss[it - 1]);
		CU_ASSERT(t > 0 || loss[7] < 0.9 * loss[0]);
		CU_ASSERT_FATAL(recommend_user(model, 3, &q, hits[t], &n[t],
		    &cause) == 0);
		recommend_model_free(model);
	}
	for (int t = 1; t < 3; t++) {
		CU_ASSERT_EQUAL(n[t], n[0]);
		CU_ASSERT_EQUAL(memcmp(hits[t], hits[0], n[0] *
		    sizeof *hits[0]), 0);
	}
	for (int t = 0; t < 3; t++)
		free(hits[t]);
	recommend_matrix_free(m);
	free(user);
	free(item);
	free(weight);
}

/* The chosen lambda is the grid value with the best NDCG on a split of
 * the training events, recomputed here value by value. */
static void test_tune_ease(void)
{
	static const double grid[] = { 10, 30, 100, 300, 1000, 3000 };
	uint32_t *user, *item;
	double *weight, best = -1, want = 0;
	size_t nev;
	struct recommend_matrix *m = als_random(800, 120, &user, &item,
	    &weight, &nev);
	struct recommend_input in = { 800, 120, nev, user, item, weight, NULL };
	struct recommend_split s;
	struct recommend_metrics mt;
	struct recommend_spec spec;
	struct recommend_tuning t;
	char *cause = NULL;

	recommend_spec_init(&spec);
	spec.method = RECOMMEND_EASE;
	CU_ASSERT_FATAL(recommend_split_fraction(&in, 0.2, 5, &s, &cause) == 0);
	for (size_t g = 0; g < 6; g++) {
		spec.lambda = grid[g];
		CU_ASSERT_FATAL(recommend_evaluate(&in, &s, &spec, 10, &mt, NULL,
		    &cause) == 0);
		if (mt.ndcg > best) {
			best = mt.ndcg;
			want = grid[g];
		}
	}
	recommend_split_done(&s);
	spec.lambda = 100;
	CU_ASSERT_FATAL(recommend_tune(&in, NULL, 0.2, 5, 10, &spec, &t,
	    &cause) == 0);
	CU_ASSERT_EQUAL(spec.lambda, want);
	CU_ASSERT_EQUAL(t.ndcg, best);
	CU_ASSERT_EQUAL(t.tried, 6);
	CU_ASSERT_EQUAL(t.nparams, 1);
	CU_ASSERT_EQUAL(t.params[0], RECOMMEND_PARAM_LAMBDA);
	recommend_matrix_free(m);
	free(user);
	free(item);
	free(weight);
}

/* Items 0, 1 are kind 0 and 2, 3 kind 1; each user's last item is held
 * out: u0 2, u1 3, u2 1, u3 0. Trained popularity: 0 and 3 twice, 1 and 2
 * once. Top 1 of all kinds: u0 3 (miss), u1 3 (hit), u2 0 (miss), u3 0
 * (hit). Kind 0 scores u2 and u3 only (0, 0: one hit); kind 1 u0 and u1
 * (3, 3: one hit). */
static void test_evaluate_kinds(void)
{
	static const uint32_t user[] = { 0, 0, 0, 1, 1, 1, 2, 2, 3, 3 };
	static const uint32_t item[] = { 0, 1, 2, 0, 2, 3, 3, 1, 3, 0 };
	static const uint8_t kinds[] = { 0, 0, 1, 1 };
	static const unsigned masks[] = { 0, 1, 2 };
	struct recommend_input in = { 4, 4, 10, user, item, NULL, NULL };
	struct recommend_metrics mt[3], base[3];
	struct recommend_spec spec;
	struct recommend_split s;
	char *cause = NULL;

	CU_ASSERT_FATAL(recommend_split_last(&in, &s, &cause) == 0);
	recommend_spec_init(&spec);
	spec.method = RECOMMEND_POPULAR;
	spec.kinds = kinds;
	CU_ASSERT_FATAL(recommend_evaluate_kinds(&in, &s, &spec, 1, masks, 3,
	    mt, base, &cause) == 0);
	CU_ASSERT_EQUAL(mt[0].users, 4);
	CU_ASSERT_EQUAL(mt[1].users, 2);
	CU_ASSERT_EQUAL(mt[2].users, 2);
	for (int i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(mt[i].hit_rate, 0.5);
		CU_ASSERT_EQUAL(base[i].users, mt[i].users);
	}
	/* Kind 1's lists hold item 3 only: one of four items. */
	CU_ASSERT_EQUAL(mt[2].coverage, 0.25);
	recommend_split_done(&s);
}

static void test_model_errors(void)
{
	static const uint32_t user[] = { 0 }, item[] = { 0 };
	struct recommend_input in = { 1, 1, 1, user, item, NULL, NULL };
	struct recommend_matrix *m = build(&in);
	struct recommend_model *model;
	struct recommend_spec spec;
	char *cause = NULL;

	recommend_spec_init(&spec);
	spec.method = RECOMMEND_EASE;
	spec.lambda = 0;
	cutest_expect_error(recommend_model_fit(m, &spec, &model, &cause),
	    &cause, "lambda must be a positive number");
	spec.method = RECOMMEND_ALS;
	spec.factors = 0;
	cutest_expect_error(recommend_model_fit(m, &spec, &model, &cause),
	    &cause, "factors must be between 1 and 1024");
	spec.factors = 4;
	spec.alpha = -1;
	cutest_expect_error(recommend_model_fit(m, &spec, &model, &cause),
	    &cause, "reg and alpha must be numbers of 0 or more");
	spec.method = RECOMMEND_HYBRID;
	spec.base = RECOMMEND_CONTENT;
	cutest_expect_error(recommend_model_fit(m, &spec, &model, &cause),
	    &cause, "the hybrid's base must be itemcf, ease or als");
	recommend_matrix_free(m);
}

static const struct cutest_case cases[] = {
	{ "ease: numpy's scores on the fixture", test_ease_reference },
	{ "ease: reasons are the largest terms", test_ease_reasons },
	{ "ease: most popular items within the budget", test_ease_budget },
	{ "als: one user, one item, closed form", test_als_known },
	{ "als: loss falls, same lists on any thread count",
	  test_als_properties },
	{ "tune: ease's lambda by validation", test_tune_ease },
	{ "evaluate: per-domain metrics", test_evaluate_kinds },
	{ "ease, als: bad parameters", test_model_errors },
	{ NULL, NULL }
};

int main(void)
{
	return cutest_run("recommend-models", cases);
}
