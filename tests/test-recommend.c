/* Recommendation engine: similarities and metrics worked by hand. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "command.h"
#include "cutest.h"
#include "dict.h"
#include "recommend.h"
#include "xmalloc.h"

#define REL 1e-12

/*
 * The small example. Item columns over users 0..3 (u1 has item 1 twice):
 *   i0 = (1 1 0 0), i1 = (1 2 1 1), i2 = (0 1 1 0)
 *   |i0| = sqrt 2, |i1| = sqrt 7, |i2| = sqrt 2
 *   dot(0,1) = 3, dot(0,2) = 1, dot(1,2) = 3
 */
static const uint32_t small_user[] = { 0, 0, 1, 1, 1, 1, 2, 2, 3 };
static const uint32_t small_item[] = { 0, 1, 0, 1, 1, 2, 1, 2, 1 };

static void small_input(struct recommend_input *in)
{
	memset(in, 0, sizeof *in);
	in->nusers = 4;
	in->nitems = 3;
	in->n = sizeof small_user / sizeof small_user[0];
	in->user = small_user;
	in->item = small_item;
}

static struct recommend_model *fit(const struct recommend_matrix *m,
    struct recommend_spec *spec)
{
	struct recommend_model *model = NULL;
	char *cause = NULL;

	CU_ASSERT_FATAL(recommend_model_fit(m, spec, &model, &cause) == 0);
	return model;
}

static struct recommend_matrix *build(const struct recommend_input *in)
{
	struct recommend_matrix *m = NULL;
	char *cause = NULL;

	CU_ASSERT_FATAL(recommend_matrix_build(in, NULL, &m, &cause) == 0);
	return m;
}

static struct recommend_model *small_model(struct recommend_matrix **m,
    enum recommend_method method, double shrink)
{
	struct recommend_input in;
	struct recommend_spec spec;

	small_input(&in);
	*m = build(&in);
	recommend_spec_init(&spec);
	spec.method = method;
	spec.shrink = shrink;
	return fit(*m, &spec);
}

static uint32_t top(const struct recommend_model *model, uint32_t user,
    uint32_t k, unsigned kinds, struct recommend_hit *out)
{
	struct recommend_query q = { k, kinds, 0 };
	uint32_t n = 99;
	char *cause = NULL;

	CU_ASSERT_FATAL(recommend_user(model, user, &q, out, &n, &cause) == 0);
	return n;
}

static void test_matrix(void)
{
	struct recommend_input in;
	struct recommend_matrix *m;

	small_input(&in);
	m = build(&in);
	CU_ASSERT_EQUAL(m->nnz, 8);
	/* User 1: items 0 1 2, the repeated item 1 summed. */
	CU_ASSERT_EQUAL(m->urow[1], 2);
	CU_ASSERT_EQUAL(m->uitem[3], 1);
	CU_ASSERT_EQUAL(m->uval[3], 2.0);
	/* Item 1's users, ascending. */
	CU_ASSERT_EQUAL(m->irow[2] - m->irow[1], 4);
	for (uint32_t u = 0; u < 4; u++)
		CU_ASSERT_EQUAL(m->iuser[m->irow[1] + u], u);
	recommend_matrix_free(m);
}

static void check_neighbour(const struct recommend_model *model, uint32_t a,
    uint32_t r, uint32_t b, double sim)
{
	const uint32_t *items;
	const double *sims;
	uint32_t n = recommend_neighbours(model, a, &items, &sims);

	CU_ASSERT_FATAL(r < n);
	CU_ASSERT_EQUAL(items[r], b);
	CU_ASSERT_REL(sims[r], sim, REL);
}

static void test_cosine(void)
{
	struct recommend_matrix *m;
	struct recommend_model *model = small_model(&m, RECOMMEND_ITEMCF, 0);
	double s01 = 3 / sqrt(14);

	/* Items 0 and 2 tie with item 1: lower index first. */
	check_neighbour(model, 0, 0, 1, s01);
	check_neighbour(model, 0, 1, 2, 0.5);
	check_neighbour(model, 1, 0, 0, s01);
	check_neighbour(model, 1, 1, 2, s01);
	check_neighbour(model, 2, 0, 1, s01);
	check_neighbour(model, 2, 1, 0, 0.5);
	recommend_model_free(model);
	recommend_matrix_free(m);

	/* Shrinkage adds to the denominator. */
	model = small_model(&m, RECOMMEND_ITEMCF, 1);
	check_neighbour(model, 0, 0, 1, 3 / (sqrt(14) + 1));
	check_neighbour(model, 0, 1, 2, 1.0 / 3);
	check_neighbour(model, 2, 0, 1, 3 / (sqrt(14) + 1));
	recommend_model_free(model);
	recommend_matrix_free(m);
}

static void test_exclude(void)
{
	struct recommend_matrix *m;
	struct recommend_model *model = small_model(&m, RECOMMEND_ITEMCF, 0);
	struct recommend_hit out[3];

	/* User 0 has items 0 and 1: only item 2 is left. */
	CU_ASSERT_EQUAL_FATAL(top(model, 0, 3, 0, out), 1);
	CU_ASSERT_EQUAL(out[0].item, 2);
	CU_ASSERT_REL(out[0].score, 0.5 + 3 / sqrt(14), REL);
	CU_ASSERT_EQUAL_FATAL(out[0].nbecause, 2);
	CU_ASSERT_EQUAL(out[0].because[0].type, RECOMMEND_REASON_ITEM);
	CU_ASSERT_EQUAL(out[0].because[0].id, 1);
	CU_ASSERT_REL(out[0].because[0].weight, 3 / sqrt(14), REL);
	CU_ASSERT_EQUAL(out[0].because[1].id, 0);
	CU_ASSERT_REL(out[0].because[1].weight, 0.5, REL);
	/* User 1 has everything. */
	CU_ASSERT_EQUAL(top(model, 1, 3, 0, out), 0);
	recommend_model_free(model);
	recommend_matrix_free(m);
}

/* Equal scores are ordered by ascending item index. */
static void test_ties(void)
{
	struct recommend_matrix *m;
	struct recommend_model *model = small_model(&m, RECOMMEND_ITEMCF, 0);
	struct recommend_hit out[3];

	CU_ASSERT_EQUAL_FATAL(top(model, 3, 3, 0, out), 2);
	CU_ASSERT_EQUAL(out[0].item, 0);
	CU_ASSERT_EQUAL(out[1].item, 2);
	CU_ASSERT_EQUAL(out[0].score, out[1].score);
	/* k = 1 keeps the lower index of the tie. */
	CU_ASSERT_EQUAL_FATAL(top(model, 3, 1, 0, out), 1);
	CU_ASSERT_EQUAL(out[0].item, 0);
	recommend_model_free(model);
	recommend_matrix_free(m);

	/* Popularity: item 1 has 4 users, items 0 and 2 have 2 each. */
	model = small_model(&m, RECOMMEND_POPULAR, 0);
	CU_ASSERT_EQUAL_FATAL(top(model, 3, 3, 0, out), 2);
	CU_ASSERT_EQUAL(out[0].item, 0);
	CU_ASSERT_EQUAL(out[1].item, 2);
	CU_ASSERT_EQUAL(out[0].score, 2.0);
	CU_ASSERT_EQUAL_FATAL(top(model, 2, 3, 0, out), 1);
	CU_ASSERT_EQUAL(out[0].item, 0);
	recommend_model_free(model);
	recommend_matrix_free(m);
}

static void test_segment(void)
{
	struct recommend_matrix *m;
	struct recommend_model *model = small_model(&m, RECOMMEND_ITEMCF, 0);
	struct recommend_query q = { 3, 0, 0 };
	struct recommend_hit out[3];
	uint32_t users[] = { 0, 3 }, n;
	char *cause = NULL;

	/* User 0: item 2 (normalised 1); user 3: items 0 and 2 (1 each). */
	CU_ASSERT_EQUAL_FATAL(recommend_segment(model, users, 2, &q, out, &n,
	    &cause), 0);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(out[0].item, 2);
	CU_ASSERT_REL(out[0].score, 1.0, REL);
	CU_ASSERT_EQUAL(out[1].item, 0);
	CU_ASSERT_REL(out[1].score, 0.5, REL);
	recommend_model_free(model);
	recommend_matrix_free(m);

	/* Popular: item 2 (2/4) for both, item 0 (2/4) for user 3 only. */
	model = small_model(&m, RECOMMEND_POPULAR, 0);
	CU_ASSERT_EQUAL_FATAL(recommend_segment(model, users, 2, &q, out, &n,
	    &cause), 0);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(out[0].item, 2);
	CU_ASSERT_REL(out[0].score, 0.5, REL);
	CU_ASSERT_EQUAL(out[1].item, 0);
	CU_ASSERT_REL(out[1].score, 0.25, REL);
	recommend_model_free(model);
	recommend_matrix_free(m);
}

struct tokens {
	char buf[256];
	size_t len;
};

static void collect(const char *tok, size_t len, void *arg)
{
	struct tokens *t = arg;

	memcpy(t->buf + t->len, tok, len);
	t->len += len;
	t->buf[t->len++] = ' ';
	t->buf[t->len] = '\0';
}

static void check_tokens(const char *text, const char *expected)
{
	struct tokens t = { "", 0 };

	recommend_tokenize(text, collect, &t);
	CU_ASSERT_STRING_EQUAL(t.buf, expected);
}

static void test_tokenize(void)
{
	check_tokens("健康饮食", "健康 康饮 饮食 ");
	check_tokens("饮食指南", "饮食 食指 指南 ");
	check_tokens("Python入门, A Guide", "python 入门 guide ");
	check_tokens("「茶」Café ＡＢＣ", "茶 café abc ");
	check_tokens("x\xff\xfe中国", "中国 ");
	check_tokens("", "");
}

static const char *ct_titles[] = {
	"健康饮食", "饮食指南", "Python Programming Basics", "python 入门"
};
static const char *ct_tags[] = { "health", NULL, "Tech, Coding", "tech；入门" };
static const uint32_t ct_user[] = { 0, 1, 2, 3 };
static const uint32_t ct_item[] = { 0, 1, 2, 3 };

static struct recommend_model *content_model(struct recommend_matrix **m,
    enum recommend_method method)
{
	struct recommend_input in = { 4, 4, 4, ct_user, ct_item, NULL, NULL };
	struct recommend_spec spec;

	*m = build(&in);
	recommend_spec_init(&spec);
	spec.method = method;
	spec.base = RECOMMEND_ITEMCF;	/* the blend worked by hand */
	spec.titles = ct_titles;
	spec.tags = ct_tags;
	return fit(*m, &spec);
}

/*
 * Item 0: 健康 康饮 饮食 health; item 1: 饮食 食指 指南. With N = 4 items,
 * idf = ln(5 / (1 + df)) + 1: a = ln(5/2) + 1 (df 1), b = ln(5/3) + 1 for
 * 饮食 (df 2), so cos = b^2 / sqrt((3a^2 + b^2)(2a^2 + b^2)).
 */
static void test_content(void)
{
	struct recommend_matrix *m;
	struct recommend_model *model = content_model(&m, RECOMMEND_CONTENT);
	struct recommend_hit out[4];
	double a = log(2.5) + 1, b = log(5.0 / 3) + 1;

	CU_ASSERT_EQUAL_FATAL(top(model, 0, 4, 0, out), 1);
	CU_ASSERT_EQUAL(out[0].item, 1);
	CU_ASSERT_REL(out[0].score, b * b / sqrt((3 * a * a + b * b) *
	    (2 * a * a + b * b)), REL);
	CU_ASSERT_EQUAL_FATAL(out[0].nbecause, 1);
	CU_ASSERT_EQUAL(out[0].because[0].type, RECOMMEND_REASON_FEATURE);
	CU_ASSERT_STRING_EQUAL(recommend_feature_name(model,
	    out[0].because[0].id), "饮食");
	/* The "python" word and the "tech" tag link the English titles. */
	CU_ASSERT_EQUAL_FATAL(top(model, 3, 4, 0, out), 1);
	CU_ASSERT_EQUAL(out[0].item, 2);
	CU_ASSERT_EQUAL_FATAL(out[0].nbecause, 2);
	CU_ASSERT_STRING_EQUAL(recommend_feature_name(model,
	    out[0].because[0].id), "python");
	CU_ASSERT_STRING_EQUAL(recommend_feature_name(model,
	    out[0].because[1].id), "tech");
	recommend_model_free(model);
	recommend_matrix_free(m);
}

/* With nothing in common by users, the hybrid is content scaled by 1/2. */
static void test_hybrid(void)
{
	struct recommend_matrix *m;
	struct recommend_model *model = content_model(&m, RECOMMEND_HYBRID);
	struct recommend_hit out[4];

	CU_ASSERT_EQUAL_FATAL(top(model, 0, 4, 0, out), 1);
	CU_ASSERT_EQUAL(out[0].item, 1);
	CU_ASSERT_REL(out[0].score, 0.5, REL);
	CU_ASSERT_EQUAL(out[0].because[0].type, RECOMMEND_REASON_FEATURE);
	CU_ASSERT_REL(out[0].because[0].weight, 0.5, REL);
	recommend_model_free(model);
	recommend_matrix_free(m);
}

/*
 * Users 0 {0, 1} and 1 {0}: for user 1, itemcf gives item 1 by sim(0, 1)
 * and content by the shared bigram 饮食; each normalises to 1, so the
 * blend is 1 with half from each kind of reason.
 */
static void test_hybrid_reasons(void)
{
	static const char *titles[] = { "健康饮食", "饮食指南", "python basics" };
	static const uint32_t user[] = { 0, 0, 1 };
	static const uint32_t item[] = { 0, 1, 0 };
	struct recommend_input in = { 2, 3, 3, user, item, NULL, NULL };
	struct recommend_matrix *m = build(&in);
	struct recommend_spec spec;
	struct recommend_model *model;
	struct recommend_hit out[3];
	unsigned types = 0;

	recommend_spec_init(&spec);
	spec.method = RECOMMEND_HYBRID;
	spec.base = RECOMMEND_ITEMCF;
	spec.shrink = 0;
	spec.titles = titles;
	model = fit(m, &spec);
	CU_ASSERT_EQUAL_FATAL(top(model, 1, 3, 0, out), 1);
	CU_ASSERT_EQUAL(out[0].item, 1);
	CU_ASSERT_REL(out[0].score, 1.0, REL);
	CU_ASSERT_EQUAL_FATAL(out[0].nbecause, 2);
	for (unsigned r = 0; r < 2; r++) {
		types |= 1u << out[0].because[r].type;
		CU_ASSERT_REL(out[0].because[r].weight, 0.5, REL);
	}
	CU_ASSERT_EQUAL(types, 3);
	recommend_model_free(model);
	recommend_matrix_free(m);
}

static void test_content_segment(void)
{
	struct recommend_matrix *m;
	struct recommend_model *model = content_model(&m, RECOMMEND_CONTENT);
	struct recommend_query q = { 4, 0, 0 };
	struct recommend_hit out[4];
	uint32_t users[] = { 0, 3 }, n;
	char *cause = NULL;

	/* Each user's single candidate normalises to 1: a tie at 1/2. */
	CU_ASSERT_EQUAL_FATAL(recommend_segment(model, users, 2, &q, out, &n,
	    &cause), 0);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_EQUAL(out[0].item, 1);
	CU_ASSERT_EQUAL(out[1].item, 2);
	CU_ASSERT_REL(out[0].score, 0.5, REL);
	CU_ASSERT_REL(out[1].score, 0.5, REL);
	recommend_model_free(model);
	recommend_matrix_free(m);
}

/*
 * Courses 0 and 1, dishes 2 and 3. Users 0 and 1 take course 0 and dish 2,
 * user 2 course 1 and dish 3, user 3 only course 0. Item columns:
 * i0 = (1 1 0 1), i2 = (1 1 0 0): sim(0, 2) = 2 / sqrt 6.
 */
static void test_cross_domain(void)
{
	static const uint32_t user[] = { 0, 0, 1, 1, 2, 2, 3 };
	static const uint32_t item[] = { 0, 2, 0, 2, 1, 3, 0 };
	static const uint8_t kinds[] = { 0, 0, 1, 1 };
	struct recommend_input in = { 4, 4, 7, user, item, NULL, NULL };
	struct recommend_matrix *m = build(&in);
	struct recommend_spec spec;
	struct recommend_model *model;
	struct recommend_hit out[4];

	recommend_spec_init(&spec);
	spec.shrink = 0;
	spec.kinds = kinds;
	model = fit(m, &spec);
	CU_ASSERT_EQUAL_FATAL(top(model, 3, 4, 1u << 1, out), 1);
	CU_ASSERT_EQUAL(out[0].item, 2);
	CU_ASSERT_REL(out[0].score, 2 / sqrt(6), REL);
	CU_ASSERT_EQUAL(out[0].because[0].id, 0);
	/* Asking for courses only: none shares a user with course 0. */
	CU_ASSERT_EQUAL(top(model, 3, 4, 1u << 0, out), 0);
	recommend_model_free(model);

	/* Popular dishes: dish 2 has two users, dish 3 one. */
	spec.method = RECOMMEND_POPULAR;
	model = fit(m, &spec);
	CU_ASSERT_EQUAL_FATAL(top(model, 3, 4, 1u << 1, out), 2);
	CU_ASSERT_EQUAL(out[0].item, 2);
	CU_ASSERT_EQUAL(out[1].item, 3);
	recommend_model_free(model);
	recommend_matrix_free(m);
}

/*
 * Two evaluated users, k = 3, ten items. User 0 holds out {5, 7} and gets
 * 5 1 7: P = 2/3, R = 1, NDCG = (1 + 1/2) / (1 + 1/log2 3). User 1 holds
 * out {2} and gets 0 1 3: no hit. User 2 holds nothing out.
 */
static void test_metrics(void)
{
	size_t trow[] = { 0, 2, 3, 3 };
	uint32_t titem[] = { 5, 7, 2 };
	struct recommend_split s = { 3, NULL, trow, titem, 3, 2 };
	uint32_t recs[] = { 5, 1, 7, 0, 1, 3, 9, 9, 9 }, nrecs[] = { 3, 3, 3 };
	struct recommend_metrics mt;
	char *cause = NULL;

	CU_ASSERT_EQUAL_FATAL(recommend_metrics_score(&s, 10, recs, nrecs, 3,
	    &mt, &cause), 0);
	CU_ASSERT_EQUAL(mt.users, 2);
	CU_ASSERT_REL(mt.precision, 1.0 / 3, REL);
	CU_ASSERT_REL(mt.recall, 0.5, REL);
	CU_ASSERT_REL(mt.ndcg, 1.5 / (1 + 1 / log2(3)) / 2, REL);
	CU_ASSERT_REL(mt.hit_rate, 0.5, REL);
	CU_ASSERT_REL(mt.coverage, 0.5, REL);
}

/*
 * Last-item split: user 0 holds out item 2, user 1 item 1 (time 6 beats
 * the later event at time 5), user 2 has one item and stays in training. Popularity on training:
 * item 0 has 2 users, items 1 2 3 one each, so both users get their
 * held-out item first at k = 2: P = 1/2, R = 1, NDCG = 1, coverage 3/4.
 */
static void test_split_last(void)
{
	static const uint32_t user[] = { 0, 0, 0, 1, 1, 1, 2 };
	static const uint32_t item[] = { 0, 1, 2, 0, 1, 2, 3 };
	static const int64_t time[] = { 1, 2, 3, 1, 6, 5, 1 };
	struct recommend_input in = { 3, 4, 7, user, item, NULL, time };
	struct recommend_split s;
	struct recommend_spec spec;
	struct recommend_metrics mt, base;
	char *cause = NULL;

	CU_ASSERT_EQUAL_FATAL(recommend_split_last(&in, &s, &cause), 0);
	CU_ASSERT_EQUAL(s.ntest, 2);
	CU_ASSERT_EQUAL(s.ntestusers, 2);
	CU_ASSERT_EQUAL(s.titem[s.trow[0]], 2);
	CU_ASSERT_EQUAL(s.titem[s.trow[1]], 1);
	CU_ASSERT_EQUAL(s.train[4], 0);
	CU_ASSERT_EQUAL(s.train[5], 1);
	recommend_spec_init(&spec);
	spec.method = RECOMMEND_POPULAR;
	CU_ASSERT_EQUAL_FATAL(recommend_evaluate(&in, &s, &spec, 2, &mt, &base,
	    &cause), 0);
	CU_ASSERT_EQUAL(mt.users, 2);
	CU_ASSERT_REL(mt.precision, 0.5, REL);
	CU_ASSERT_REL(mt.recall, 1.0, REL);
	CU_ASSERT_REL(mt.ndcg, 1.0, REL);
	CU_ASSERT_REL(mt.hit_rate, 1.0, REL);
	CU_ASSERT_REL(mt.coverage, 0.75, REL);
	CU_ASSERT_REL(base.ndcg, 1.0, REL);
	recommend_split_done(&s);
}

/* Random interactions with a seeded generator, for the larger cases. */
static void random_input(struct recommend_input *in, uint32_t nusers,
    uint32_t nitems, size_t n, unsigned long seed)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	uint32_t *user = xmalloc(n * sizeof *user);
	uint32_t *item = xmalloc(n * sizeof *item);
	double *weight = xmalloc(n * sizeof *weight);
	int64_t *time = xmalloc(n * sizeof *time);

	gsl_rng_set(r, seed);
	for (size_t e = 0; e < n; e++) {
		user[e] = (uint32_t)gsl_rng_uniform_int(r, nusers);
		/* Skewed towards low item indices, grouped by user. */
		item[e] = (uint32_t)((user[e] % 4) * (nitems / 4) +
		    (uint32_t)(nitems / 4 * pow(gsl_rng_uniform(r), 2)));
		if (gsl_rng_uniform(r) < 0.3)
			item[e] = (uint32_t)gsl_rng_uniform_int(r, nitems);
		weight[e] = 1 + (double)gsl_rng_uniform_int(r, 3);
		time[e] = (int64_t)e;
	}
	gsl_rng_free(r);
	*in = (struct recommend_input){ nusers, nitems, n, user, item,
	    weight, time };
}

static void random_free(struct recommend_input *in)
{
	free((void *)in->user);
	free((void *)in->item);
	free((void *)in->weight);
	free((void *)in->time);
}

static void split_counts(void)
{
	struct recommend_input in;
	struct recommend_matrix *m;
	struct recommend_split s, t;
	char *cause = NULL;

	random_input(&in, 50, 40, 600, 7);
	m = build(&in);
	CU_ASSERT_EQUAL_FATAL(recommend_split_fraction(&in, 0.2, 42, &s,
	    &cause), 0);
	CU_ASSERT_EQUAL_FATAL(recommend_split_fraction(&in, 0.2, 42, &t,
	    &cause), 0);
	CU_ASSERT_EQUAL(memcmp(s.train, t.train, in.n), 0);
	for (uint32_t u = 0; u < in.nusers; u++) {
		size_t n = m->urow[u + 1] - m->urow[u];
		size_t h = (size_t)floor(0.2 * (double)n + 0.5);

		h = n < 2 ? 0 : (h < 1 ? 1 : h);
		CU_ASSERT_EQUAL(s.trow[u + 1] - s.trow[u], h);
	}
	recommend_split_done(&s);
	recommend_split_done(&t);
	recommend_matrix_free(m);
	random_free(&in);
}

static void test_split_fraction(void)
{
	static const uint32_t user[] = { 0, 1, 1 };
	static const uint32_t item[] = { 0, 0, 1 };
	struct recommend_input in = { 2, 2, 3, user, item, NULL, NULL };
	struct recommend_split s;
	char *cause = NULL;

	/* One held out of two, and the single-item user is training only. */
	CU_ASSERT_EQUAL_FATAL(recommend_split_fraction(&in, 0.2, 1, &s,
	    &cause), 0);
	CU_ASSERT_EQUAL(s.ntest, 1);
	CU_ASSERT_EQUAL(s.trow[1], 0);
	CU_ASSERT_EQUAL(s.train[0], 1);
	CU_ASSERT_EQUAL(s.train[1] + s.train[2], 1);
	recommend_split_done(&s);
	split_counts();
}

static void all_lists(const struct recommend_input *in, unsigned threads,
    enum recommend_method method, struct recommend_hit *out, uint32_t *nout)
{
	static const char *titles[] = { "apple pie", "苹果派", "pear tart" };
	const char **t = xmalloc(in->nitems * sizeof *t);
	struct recommend_matrix *m = build(in);
	struct recommend_query q = { 5, 0, 0 };
	struct recommend_spec spec;
	struct recommend_model *model;
	char *cause = NULL;

	for (uint32_t i = 0; i < in->nitems; i++)
		t[i] = titles[i % 3];
	recommend_spec_init(&spec);
	spec.method = method;
	spec.threads = threads;
	spec.neighbours = 7;
	spec.titles = t;
	model = fit(m, &spec);
	memset(out, 0, (size_t)in->nusers * 5 * sizeof *out);
	CU_ASSERT_EQUAL(recommend_all(model, &q, out, nout, &cause), 0);
	recommend_model_free(model);
	recommend_matrix_free(m);
	free(t);
}

static int same_hit(const struct recommend_hit *a,
    const struct recommend_hit *b)
{
	if (a->item != b->item || a->score != b->score ||
	    a->nbecause != b->nbecause)
		return 0;
	for (unsigned r = 0; r < a->nbecause; r++) {
		if (a->because[r].type != b->because[r].type ||
		    a->because[r].id != b->because[r].id ||
		    a->because[r].weight != b->because[r].weight)
			return 0;
	}
	return 1;
}

static void test_determinism(void)
{
	struct recommend_input in;
	struct recommend_hit *a, *b;
	uint32_t *na, *nb;
	size_t total;

	random_input(&in, 300, 80, 4000, 3);
	total = (size_t)in.nusers * 5;
	a = xmalloc(total * sizeof *a);
	b = xmalloc(total * sizeof *b);
	na = xmalloc(in.nusers * sizeof *na);
	nb = xmalloc(in.nusers * sizeof *nb);
	for (int method = 0; method < RECOMMEND_NMETHODS; method++) {
		all_lists(&in, 1, method, a, na);
		all_lists(&in, 2, method, b, nb);
		CU_ASSERT_EQUAL(memcmp(na, nb, in.nusers * sizeof *na), 0);
		for (size_t i = 0; i < total; i++) {
			if (i % 5 < na[i / 5] && !same_hit(&a[i], &b[i])) {
				CU_FAIL("lists differ");
				break;
			}
		}
		CU_ASSERT_EQUAL(na[0], 5);
	}
	free(a);
	free(b);
	free(na);
	free(nb);
	random_free(&in);
}

static void bad_input(void)
{
	static const uint32_t user[] = { 0, 9 };
	static const uint32_t item[] = { 0, 0 };
	static const double weight[] = { 1, -1 };
	struct recommend_input in = { 3, 2, 0, user, item, NULL, NULL };
	struct recommend_matrix *m;
	struct recommend_split s;
	char *cause = NULL;

	cutest_expect_error(recommend_matrix_build(&in, NULL, &m, &cause), &cause,
	    "no interactions");
	in.n = 2;
	cutest_expect_error(recommend_matrix_build(&in, NULL, &m, &cause), &cause,
	    "interaction 1: user 9 out of range (3 users)");
	in.n = 1;
	in.nitems = 0;
	cutest_expect_error(recommend_matrix_build(&in, NULL, &m, &cause), &cause,
	    "no users or no items");
	in = (struct recommend_input){ 10, 2, 2, user, item, weight, NULL };
	cutest_expect_error(recommend_matrix_build(&in, NULL, &m, &cause), &cause,
	    "interaction 1: weight -1 out of range (1e-09 to 1e+09)");
	cutest_expect_error(recommend_split_fraction(&in, 1.5, 1, &s, &cause), &cause,
	    "split fraction must be between 0 and 1");
}

static void bad_query(void)
{
	static const uint8_t bad_kinds[] = { 0, 1, 9 };
	struct recommend_matrix *m;
	struct recommend_model *model = small_model(&m, RECOMMEND_ITEMCF, 0);
	struct recommend_query q = { 0, 0, 0 };
	struct recommend_hit out[4];
	struct recommend_spec spec;
	uint32_t n, users[] = { 0 };
	char *cause = NULL;

	cutest_expect_error(recommend_user(model, 0, &q, out, &n, &cause), &cause,
	    "k must be at least 1");
	cutest_expect_error(recommend_all(model, &q, out, &n, &cause), &cause,
	    "k must be at least 1");
	cutest_expect_error(recommend_segment(model, users, 1, &q, out, &n, &cause),
	    &cause, "k must be at least 1");
	q.k = 2;
	cutest_expect_error(recommend_user(model, 4, &q, out, &n, &cause), &cause,
	    "user 4 out of range (4 users)");
	cutest_expect_error(recommend_segment(model, users, 0, &q, out, &n, &cause),
	    &cause, "empty segment");
	recommend_model_free(model);
	recommend_spec_init(&spec);
	spec.neighbours = 0;
	cutest_expect_error(recommend_model_fit(m, &spec, &model, &cause), &cause,
	    "neighbours must be at least 1");
	spec.method = RECOMMEND_CONTENT;
	cutest_expect_error(recommend_model_fit(m, &spec, &model, &cause), &cause,
	    "content needs item titles or tags");
	spec.threads = 0;
	cutest_expect_error(recommend_model_fit(m, &spec, &model, &cause), &cause,
	    "threads must be between 1 and 64");
	recommend_spec_init(&spec);
	spec.kinds = bad_kinds;
	cutest_expect_error(recommend_model_fit(m, &spec, &model, &cause), &cause,
	    "item 2: kind 9 out of range");
	recommend_matrix_free(m);
}

static void bad_metrics(void)
{
	size_t trow[] = { 0, 0 };
	uint32_t recs[] = { 0 }, nrecs[] = { 0 };
	struct recommend_split s = { 1, NULL, trow, NULL, 0, 0 };
	struct recommend_metrics mt;
	char *cause = NULL;

	cutest_expect_error(recommend_metrics_score(&s, 1, recs, nrecs, 0, &mt,
	    &cause), &cause, "k must be at least 1");
	cutest_expect_error(recommend_metrics_score(&s, 1, recs, nrecs, 1, &mt,
	    &cause), &cause, "no held-out items to evaluate");
}

static void test_bad_input(void)
{
	bad_input();
	bad_query();
	bad_metrics();
}

/* Lists of one model fitted with and one without a clear cancel flag. */
static void cancel_same_lists(const struct recommend_model *a,
    const struct recommend_model *b, uint32_t nusers)
{
	struct recommend_query q = { 5, 0, 0 };
	size_t total = (size_t)nusers * 5;
	struct recommend_hit *ha = xcalloc(total, sizeof *ha);
	struct recommend_hit *hb = xcalloc(total, sizeof *hb);
	uint32_t *na = xmalloc(nusers * sizeof *na);
	uint32_t *nb = xmalloc(nusers * sizeof *nb);
	char *cause = NULL;

	CU_ASSERT_EQUAL_FATAL(recommend_all(a, &q, ha, na, &cause), 0);
	CU_ASSERT_EQUAL_FATAL(recommend_all(b, &q, hb, nb, &cause), 0);
	CU_ASSERT_EQUAL(memcmp(na, nb, nusers * sizeof *na), 0);
	for (size_t i = 0; i < total; i++) {
		if (i % 5 < na[i / 5] && !same_hit(&ha[i], &hb[i])) {
			CU_FAIL("lists differ");
			break;
		}
	}
	free(ha);
	free(hb);
	free(na);
	free(nb);
}

/* Set, the flag stops every method's fit and the model's all-user and
 * segment lists, with nothing written; clear, it changes no list. */
static void test_cancel(void)
{
	static const char *titles[] = { "apple pie", "苹果派", "pear tart" };
	struct recommend_input in;
	struct recommend_matrix *m;
	struct recommend_model *plain, *model, *none;
	struct recommend_spec spec;
	struct recommend_query q = { 5, 0, 0 };
	struct recommend_hit hits[300 * 5];
	uint32_t nout[300], users[] = { 0, 1, 2 };
	const char *t[80];
	atomic_bool flag = false;
	char *cause = NULL;

	random_input(&in, 300, 80, 4000, 3);
	m = build(&in);
	for (uint32_t i = 0; i < 80; i++)
		t[i] = titles[i % 3];
	for (int method = 0; method < RECOMMEND_NMETHODS; method++) {
		recommend_spec_init(&spec);
		spec.method = method;
		spec.neighbours = 7;
		spec.titles = t;
		plain = fit(m, &spec);
		spec.cancel = &flag;
		model = fit(m, &spec);
		cancel_same_lists(plain, model, in.nusers);
		flag = true;
		none = plain;
		cutest_expect_error(recommend_model_fit(m, &spec, &none, &cause), &cause,
		    "cancelled");
		CU_ASSERT_PTR_EQUAL(none, plain);
		memset(nout, 0xff, sizeof nout);
		cutest_expect_error(recommend_all(model, &q, hits, nout, &cause), &cause,
		    "cancelled");
		for (uint32_t u = 0; u < in.nusers; u++)
			CU_ASSERT_EQUAL(nout[u], UINT32_MAX);
		cutest_expect_error(recommend_segment(model, users, 3, &q, hits, nout,
		    &cause), &cause, "cancelled");
		CU_ASSERT_EQUAL(nout[0], UINT32_MAX);
		flag = false;
		recommend_model_free(plain);
		recommend_model_free(model);
	}
	recommend_matrix_free(m);
	random_free(&in);
}

/* Set, the flag stops an evaluation with the metrics untouched; clear, it
 * changes none of them. */
static void test_cancel_evaluate(void)
{
	struct recommend_input in;
	struct recommend_split s;
	struct recommend_spec spec;
	struct recommend_metrics a, b, base;
	atomic_bool flag = true;
	char *cause = NULL;

	random_input(&in, 300, 80, 4000, 3);
	CU_ASSERT_EQUAL_FATAL(recommend_split_fraction(&in, 0.2, 42, &s,
	    &cause), 0);
	recommend_spec_init(&spec);
	spec.cancel = &flag;
	memset(&a, 0, sizeof a);
	a.users = 12345;
	base = a;
	cutest_expect_error(recommend_evaluate(&in, &s, &spec, 5, &a, &base, &cause),
	    &cause, "cancelled");
	CU_ASSERT_EQUAL(a.users, 12345);
	CU_ASSERT_EQUAL(base.users, 12345);
	flag = false;
	CU_ASSERT_EQUAL_FATAL(recommend_evaluate(&in, &s, &spec, 5, &a, &base,
	    &cause), 0);
	spec.cancel = NULL;
	CU_ASSERT_EQUAL_FATAL(recommend_evaluate(&in, &s, &spec, 5, &b, &base,
	    &cause), 0);
	CU_ASSERT(memcmp(&a, &b, sizeof a) == 0);
	recommend_split_done(&s);
	random_free(&in);
}

/* A category column of n cells "PREFIX<v>". */
static void cancel_column(struct table *t, const char *name,
    const char *prefix, const uint32_t *v, size_t n)
{
	struct column *c = table_add_column(t, name, COL_CATEGORY);
	char buf[32];

	for (size_t i = 0; i < n; i++) {
		snprintf(buf, sizeof buf, "%s%u", prefix, v[i]);
		c->v.codes[i] = dict_intern(c->dict, buf, strlen(buf));
	}
}

/* Through cmd_run, as the console's worker runs commands. */
static void test_cancel_commands(void)
{
	static const char *const lines[] = {
		"recommend ev for=u0",
		"recommend ev segment=s0 by=seg method=hybrid items=it",
		"evaluate-recs ev method=content items=it",
	};
	struct recommend_input in;
	struct cmd_ctx ctx;
	struct table *t, *it;
	uint32_t seg[4000], ids[80];
	atomic_bool flag = true;

	random_input(&in, 300, 80, 4000, 3);
	cmd_ctx_init(&ctx);
	ctx.cancel = &flag;
	t = table_new("ev", NULL);
	t->n_rows = in.n;
	cancel_column(t, "user", "u", in.user, in.n);
	cancel_column(t, "item", "i", in.item, in.n);
	for (size_t e = 0; e < in.n; e++)
		seg[e] = in.user[e] % 3;
	cancel_column(t, "seg", "s", seg, in.n);
	it = table_new("it", NULL);
	it->n_rows = 80;
	for (uint32_t i = 0; i < 80; i++)
		ids[i] = i;
	cancel_column(it, "item", "i", ids, 80);
	for (uint32_t i = 0; i < 80; i++)
		ids[i] = i % 7;
	cancel_column(it, "title", "word", ids, 80);
	table_infer_roles(t);
	table_infer_roles(it);
	workspace_put(&ctx.ws, t);
	workspace_put(&ctx.ws, it);
	cutest_cancel_commands(&ctx, &flag, lines, 3);
	cmd_ctx_done(&ctx);
	random_free(&in);
}

static void test_names(void)
{
	for (int i = 0; i < RECOMMEND_NMETHODS; i++)
		CU_ASSERT_EQUAL(recommend_method_find(recommend_method_name(i)),
		    i);
	CU_ASSERT_EQUAL(recommend_method_find("svd"), -1);
}

static const struct cutest_case cases[] = {
	{ "matrix: duplicates summed, rows sorted", test_matrix },
	{ "itemcf: cosine by hand, shrinkage", test_cosine },
	{ "itemcf: consumed items excluded, reasons", test_exclude },
	{ "top-N: ties by ascending item", test_ties },
	{ "segment: averaged normalised scores", test_segment },
	{ "content: CJK bigrams and ASCII words", test_tokenize },
	{ "content: TF-IDF cosine by hand", test_content },
	{ "hybrid: normalised blend", test_hybrid },
	{ "hybrid: item and feature reasons", test_hybrid_reasons },
	{ "content: segment", test_content_segment },
	{ "cross-domain through shared users", test_cross_domain },
	{ "eval: metrics by hand", test_metrics },
	{ "eval: last-item split, popular", test_split_last },
	{ "eval: fraction split", test_split_fraction },
	{ "threads 1 and 2 give identical lists", test_determinism },
	{ "bad input: exact errors", test_bad_input },
	{ "cancel: fit, all users, segment", test_cancel },
	{ "cancel: evaluation", test_cancel_evaluate },
	{ "cancel: commands", test_cancel_commands },
	{ "method names", test_names },
	{ NULL, NULL }
};

int main(void)
{
	return cutest_run("recommend", cases);
}
