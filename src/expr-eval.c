/* Expression evaluation, one block of EXPR_BLOCK rows at a time: each node
 * computes its whole block into a typed vector with a missing mask before
 * its parent reads it, so the dispatch cost is paid once per block rather
 * than once per cell. Column operands are read in place. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "expr-node.h"
#include "expr.h"
#include "xmalloc.h"

/* Dates must stay within years 1 to 9999. */
#define EXPR_DAY_MIN (-719162)
#define EXPR_DAY_MAX 2932896

#define EXPR_OUT(run, n) (&(run)->vecs[(n)->id])

static const struct expr_vec *expr_eval_arg(struct expr_run *run, const struct expr_node *n,
    size_t k)
{
	const struct expr_node *arg = n->args[k];

	arg->kernel(run, arg);
	return EXPR_OUT(run, arg);
}

/* Expands a block of a column's missing bitset; NULL when none is set. */
static const uint8_t *expr_eval_load_mask(const struct column *c, size_t start, size_t n,
    uint8_t *buf)
{
	const uint64_t *w;
	uint64_t any = 0;

	if (c->missing == NULL)
		return NULL;
	w = c->missing + start / 64;
	for (size_t k = 0; k < (n + 63) / 64; k++)
		any |= w[k];
	if (any == 0)
		return NULL;
	for (size_t i = 0; i < n; i++)
		buf[i] = (w[i / 64] >> (i % 64)) & 1;
	return buf;
}

/* Either mask, or both merged into out's own buffer. */
static const uint8_t *expr_eval_union(struct expr_vec *out, const uint8_t *a, const uint8_t *b,
    size_t n)
{
	if (a == NULL || b == NULL)
		return a != NULL ? a : b;
	for (size_t i = 0; i < n; i++)
		out->mbuf[i] = a[i] | b[i];
	return out->mbuf;
}

/* A writable mask in out's buffer, for kernels that add missing rows. */
static uint8_t *expr_eval_own_mask(struct expr_vec *out, const uint8_t *a, const uint8_t *b,
    size_t n)
{
	if (a == NULL)
		memset(out->mbuf, 0, n);
	else
		memcpy(out->mbuf, a, n);
	for (size_t i = 0; b != NULL && i < n; i++)
		out->mbuf[i] |= b[i];
	out->miss = out->mbuf;
	return out->mbuf;
}

static void expr_k_column(struct expr_run *run, const struct expr_node *n)
{
	const struct column *c = &run->t->cols[n->col];
	struct expr_vec *out = EXPR_OUT(run, n);
	size_t start = run->start;

	out->miss = expr_eval_load_mask(c, start, run->n, out->mbuf);
	out->tz = c->tz != NULL ? c->tz + start : NULL;
	if (!col_type_string(c->type)) {
		out->v.raw = (char *)c->v.raw + start * col_type_width(c->type);
		return;
	}
	out->v.s = out->buf;
	for (size_t i = 0; i < run->n; i++)
		out->v.s[i] = out->miss != NULL && out->miss[i] ? "" :
		    dict_str(c->dict, c->v.codes[start + i]);
}

static void expr_k_const(struct expr_run *run, const struct expr_node *n)
{
	struct expr_vec *out = EXPR_OUT(run, n);

	if (out->filled)
		return;
	out->filled = true;
	out->v.raw = out->buf;
	for (size_t i = 0; i < EXPR_BLOCK; i++) {
		switch (n->type) {
		case COL_INT:
		case COL_DATETIME:
			out->v.i64[i] = n->lit.i;
			break;
		case COL_FLOAT:
			out->v.f64[i] = n->lit.f;
			break;
		case COL_DATE:
			out->v.days[i] = n->lit.days;
			break;
		case COL_BOOL:
			out->v.b[i] = n->lit.b;
			break;
		default:
			out->v.s[i] = n->lit.s;
		}
	}
	if (n->type == COL_DATETIME && n->tz != TZ_NONE) {
		for (size_t i = 0; i < EXPR_BLOCK; i++)
			out->tzbuf[i] = n->tz;
		out->tz = out->tzbuf;
	}
}

/* Widening casts: bool to int or float, int to float. */
static void expr_k_cast(struct expr_run *run, const struct expr_node *n)
{
	const struct expr_vec *a = expr_eval_arg(run, n, 0);
	struct expr_vec *out = EXPR_OUT(run, n);
	enum col_type from = n->args[0]->type;

	out->v.raw = out->buf;
	out->miss = a->miss;
	if (from == COL_BOOL && n->type == COL_INT) {
		for (size_t i = 0; i < run->n; i++)
			out->v.i64[i] = a->v.b[i];
	} else if (from == COL_BOOL) {
		for (size_t i = 0; i < run->n; i++)
			out->v.f64[i] = a->v.b[i];
	} else {
		for (size_t i = 0; i < run->n; i++)
			out->v.f64[i] = (double)a->v.i64[i];
	}
}

static void expr_k_neg_int(struct expr_run *run, const struct expr_node *n)
{
	const struct expr_vec *a = expr_eval_arg(run, n, 0);
	struct expr_vec *out = EXPR_OUT(run, n);
	uint8_t *m = expr_eval_own_mask(out, a->miss, NULL, run->n);

	out->v.raw = out->buf;
	for (size_t i = 0; i < run->n; i++) {
		m[i] |= a->v.i64[i] == INT64_MIN;
		out->v.i64[i] = m[i] ? 0 : -a->v.i64[i];
	}
}

static void expr_k_neg_float(struct expr_run *run, const struct expr_node *n)
{
	const struct expr_vec *a = expr_eval_arg(run, n, 0);
	struct expr_vec *out = EXPR_OUT(run, n);

	out->v.raw = out->buf;
	out->miss = a->miss;
	for (size_t i = 0; i < run->n; i++)
		out->v.f64[i] = -a->v.f64[i];
}

/* int64 arithmetic where overflow gives missing instead of wrapping. */
static void expr_k_arith_int(struct expr_run *run, const struct expr_node *n)
{
	const struct expr_vec *a = expr_eval_arg(run, n, 0), *b = expr_eval_arg(run, n, 1);
	struct expr_vec *out = EXPR_OUT(run, n);
	uint8_t *m = expr_eval_own_mask(out, a->miss, b->miss, run->n);
	const int64_t *x = a->v.i64, *y = b->v.i64;
	int64_t *r = out->v.i64 = out->buf;
	bool over;

	for (size_t i = 0; i < run->n; i++) {
		if (n->op == EXPR_ADD)
			over = __builtin_add_overflow(x[i], y[i], &r[i]);
		else if (n->op == EXPR_SUB)
			over = __builtin_sub_overflow(x[i], y[i], &r[i]);
		else
			over = __builtin_mul_overflow(x[i], y[i], &r[i]);
		m[i] |= over;
		if (m[i])
			r[i] = 0;
	}
}

static void expr_k_arith_float(struct expr_run *run, const struct expr_node *n)
{
	const struct expr_vec *a = expr_eval_arg(run, n, 0), *b = expr_eval_arg(run, n, 1);
	struct expr_vec *out = EXPR_OUT(run, n);
	const double *x = a->v.f64, *y = b->v.f64;
	double *r = out->v.f64 = out->buf;
	size_t len = run->n;

	uint8_t *m = expr_eval_own_mask(out, a->miss, b->miss, len);

	switch (n->op) {
	case EXPR_ADD:
		for (size_t i = 0; i < len; i++)
			r[i] = x[i] + y[i];
		break;
	case EXPR_SUB:
		for (size_t i = 0; i < len; i++)
			r[i] = x[i] - y[i];
		break;
	default:
		for (size_t i = 0; i < len; i++)
			r[i] = x[i] * y[i];
	}
	/* Overflow gives missing, never an infinity. */
	for (size_t i = 0; i < len; i++) {
		m[i] |= !isfinite(r[i]);
		if (m[i])
			r[i] = 0.0;
	}
}

/* Division by zero gives missing, never an infinity or NaN. */
static void expr_k_div(struct expr_run *run, const struct expr_node *n)
{
	const struct expr_vec *a = expr_eval_arg(run, n, 0), *b = expr_eval_arg(run, n, 1);
	struct expr_vec *out = EXPR_OUT(run, n);
	uint8_t *m = expr_eval_own_mask(out, a->miss, b->miss, run->n);
	const double *x = a->v.f64, *y = b->v.f64;
	double *r = out->v.f64 = out->buf;

	for (size_t i = 0; i < run->n; i++) {
		m[i] |= y[i] == 0.0;
		r[i] = m[i] ? 0.0 : x[i] / y[i];
	}
}

/* date + int, date - int: missing outside years 1 to 9999. */
static void expr_k_date_shift(struct expr_run *run, const struct expr_node *n)
{
	const struct expr_vec *a = expr_eval_arg(run, n, 0), *b = expr_eval_arg(run, n, 1);
	struct expr_vec *out = EXPR_OUT(run, n);
	uint8_t *m = expr_eval_own_mask(out, a->miss, b->miss, run->n);
	int32_t *r = out->v.days = out->buf;
	int64_t d;

	for (size_t i = 0; i < run->n; i++) {
		int64_t k = b->v.i64[i];

		if (k < -EXPR_DAY_MAX * 2LL || k > EXPR_DAY_MAX * 2LL)
			k = EXPR_DAY_MAX * 2LL;
		d = a->v.days[i] + (n->op == EXPR_ADD ? k : -k);
		m[i] |= d < EXPR_DAY_MIN || d > EXPR_DAY_MAX;
		r[i] = m[i] ? 0 : (int32_t)d;
	}
}

static void expr_k_date_diff(struct expr_run *run, const struct expr_node *n)
{
	const struct expr_vec *a = expr_eval_arg(run, n, 0), *b = expr_eval_arg(run, n, 1);
	struct expr_vec *out = EXPR_OUT(run, n);

	out->v.raw = out->buf;
	out->miss = expr_eval_union(out, a->miss, b->miss, run->n);
	for (size_t i = 0; i < run->n; i++)
		out->v.i64[i] = (int64_t)a->v.days[i] - b->v.days[i];
}

/* One comparison kernel per value representation; the operator switch
 * sits outside the loops so that each loop is a plain vector compare. */
#define EXPR_CMP_KERNEL(name, field)                                          \
static void name(struct expr_run *run, const struct expr_node *n)            \
{                                                                             \
	const struct expr_vec *a = expr_eval_arg(run, n, 0);                  \
	const struct expr_vec *b = expr_eval_arg(run, n, 1);                  \
	struct expr_vec *out = EXPR_OUT(run, n);                              \
	uint8_t *r = out->v.b = out->buf;                                     \
	size_t len = run->n;                                                  \
                                                                              \
	out->miss = expr_eval_union(out, a->miss, b->miss, len);              \
	switch (n->op) {                                                      \
	case EXPR_EQ:                                                         \
		for (size_t i = 0; i < len; i++)                              \
			r[i] = a->v.field[i] == b->v.field[i];                \
		break;                                                        \
	case EXPR_NE:                                                         \
		for (size_t i = 0; i < len; i++)                              \
			r[i] = a->v.field[i] != b->v.field[i];                \
		break;                                                        \
	case EXPR_LT:                                                         \
		for (size_t i = 0; i < len; i++)                              \
			r[i] = a->v.field[i] < b->v.field[i];                 \
		break;                                                        \
	case EXPR_LE:                                                         \
		for (size_t i = 0; i < len; i++)                              \
			r[i] = a->v.field[i] <= b->v.field[i];                \
		break;                                                        \
	case EXPR_GT:                                                         \
		for (size_t i = 0; i < len; i++)                              \
			r[i] = a->v.field[i] > b->v.field[i];                 \
		break;                                                        \
	default:                                                              \
		for (size_t i = 0; i < len; i++)                              \
			r[i] = a->v.field[i] >= b->v.field[i];                \
	}                                                                     \
}

EXPR_CMP_KERNEL(expr_k_cmp_i64, i64)
EXPR_CMP_KERNEL(expr_k_cmp_f64, f64)
EXPR_CMP_KERNEL(expr_k_cmp_days, days)

static bool expr_eval_cmp_result(enum expr_op op, int c)
{
	switch (op) {
	case EXPR_EQ:
		return c == 0;
	case EXPR_NE:
		return c != 0;
	case EXPR_LT:
		return c < 0;
	case EXPR_LE:
		return c <= 0;
	case EXPR_GT:
		return c > 0;
	default:
		return c >= 0;
	}
}

/* Two string operands, neither a constant: compare row by row. */
static void expr_k_cmp_str(struct expr_run *run, const struct expr_node *n)
{
	const struct expr_vec *a = expr_eval_arg(run, n, 0), *b = expr_eval_arg(run, n, 1);
	struct expr_vec *out = EXPR_OUT(run, n);

	out->v.b = out->buf;
	out->miss = expr_eval_union(out, a->miss, b->miss, run->n);
	for (size_t i = 0; i < run->n; i++)
		out->v.b[i] = expr_eval_cmp_result(n->op, strcmp(a->v.s[i], b->v.s[i]));
}

/* A string test against literals: comparison, in, contains, startswith.
 * Byte-wise matching is code point correct because UTF-8 never lets one
 * character's bytes appear inside another's. */
static bool expr_eval_str_test(const struct expr_node *n, const char *s)
{
	bool hit = false;

	switch (n->op) {
	case EXPR_IN:
		for (size_t k = 1; k < n->n_args && !hit; k++)
			hit = strcmp(s, n->args[k]->lit.s) == 0;
		break;
	case EXPR_CONTAINS:
		hit = strstr(s, n->args[1]->lit.s) != NULL;
		break;
	case EXPR_STARTSWITH:
		hit = strncmp(s, n->args[1]->lit.s, strlen(n->args[1]->lit.s)) == 0;
		break;
	default:
		return expr_eval_cmp_result(n->op, strcmp(s, n->args[1]->lit.s));
	}
	return hit != n->negate;
}

/* The string test on a column: one lookup per row in the per-code answers
 * computed when the run began. */
static void expr_k_str_map(struct expr_run *run, const struct expr_node *n)
{
	const struct column *c = &run->t->cols[n->args[0]->col];
	struct expr_vec *out = EXPR_OUT(run, n);
	const uint32_t *codes = c->v.codes + run->start;
	const uint8_t *map = out->map;

	out->v.b = out->buf;
	out->miss = expr_eval_load_mask(c, run->start, run->n, out->mbuf);
	for (size_t i = 0; i < run->n; i++)
		out->v.b[i] = map[codes[i]];
}

/* The string test on a computed string: one test per row. */
static void expr_k_str_test(struct expr_run *run, const struct expr_node *n)
{
	const struct expr_vec *a = expr_eval_arg(run, n, 0);
	struct expr_vec *out = EXPR_OUT(run, n);

	out->v.b = out->buf;
	out->miss = a->miss;
	for (size_t i = 0; i < run->n; i++)
		out->v.b[i] = expr_eval_str_test(n, a->v.s[i]);
}

/* Kleene logic on (value, missing) pairs: false wins over missing in
 * 'and', true wins over missing in 'or'. */
static void expr_k_logic(struct expr_run *run, const struct expr_node *n)
{
	const struct expr_vec *a = expr_eval_arg(run, n, 0), *b = expr_eval_arg(run, n, 1);
	struct expr_vec *out = EXPR_OUT(run, n);
	uint8_t *r = out->v.b = out->buf;
	const uint8_t *x = a->v.b, *y = b->v.b, *mx = a->miss, *my = b->miss;
	uint8_t want = n->op == EXPR_OR;

	if (mx == NULL && my == NULL) {
		out->miss = NULL;
		for (size_t i = 0; i < run->n; i++)
			r[i] = want ? (x[i] | y[i]) : (x[i] & y[i]);
		return;
	}
	out->miss = out->mbuf;
	for (size_t i = 0; i < run->n; i++) {
		uint8_t ma = mx ? mx[i] : 0, mb = my ? my[i] : 0;
		/* A known operand equal to 'want' decides the result alone. */
		uint8_t decided = (!ma && x[i] == want) | (!mb && y[i] == want);

		out->mbuf[i] = (uint8_t)(decided ^ 1) & (ma | mb);
		r[i] = decided ? want : (uint8_t)((want ^ 1) & (out->mbuf[i] ^ 1));
	}
}

static void expr_k_not(struct expr_run *run, const struct expr_node *n)
{
	const struct expr_vec *a = expr_eval_arg(run, n, 0);
	struct expr_vec *out = EXPR_OUT(run, n);

	out->v.b = out->buf;
	out->miss = a->miss;
	for (size_t i = 0; i < run->n; i++)
		out->v.b[i] = !a->v.b[i];
}

static void expr_k_missing(struct expr_run *run, const struct expr_node *n)
{
	const struct expr_vec *a = expr_eval_arg(run, n, 0);
	struct expr_vec *out = EXPR_OUT(run, n);

	out->v.b = out->buf;
	out->miss = NULL;
	for (size_t i = 0; i < run->n; i++)
		out->v.b[i] = (a->miss != NULL && a->miss[i]) != n->negate;
}

#define EXPR_IN_KERNEL(name, field, litfield)                                 \
static void name(struct expr_run *run, const struct expr_node *n)            \
{                                                                             \
	const struct expr_vec *a = expr_eval_arg(run, n, 0);                  \
	struct expr_vec *out = EXPR_OUT(run, n);                              \
                                                                              \
	out->v.b = out->buf;                                                  \
	out->miss = a->miss;                                                  \
	memset(out->v.b, 0, run->n);                                          \
	for (size_t k = 1; k < n->n_args; k++) {                              \
		for (size_t i = 0; i < run->n; i++)                           \
			out->v.b[i] |= a->v.field[i] == n->args[k]->lit.litfield; \
	}                                                                     \
	for (size_t i = 0; n->negate && i < run->n; i++)                      \
		out->v.b[i] = !out->v.b[i];                                   \
}

EXPR_IN_KERNEL(expr_k_in_i64, i64, i)
EXPR_IN_KERNEL(expr_k_in_f64, f64, f)
EXPR_IN_KERNEL(expr_k_in_days, days, days)

/* Local calendar day of a datetime, at its own offset. */
static void expr_k_day(struct expr_run *run, const struct expr_node *n)
{
	const struct expr_vec *a = expr_eval_arg(run, n, 0);
	struct expr_vec *out = EXPR_OUT(run, n);

	out->v.days = out->buf;
	out->miss = a->miss;
	for (size_t i = 0; i < run->n; i++) {
		int64_t ms = a->v.i64[i];

		if (a->tz != NULL && a->tz[i] != TZ_NONE)
			ms += (int64_t)a->tz[i] * 60000;
		out->v.days[i] = (int32_t)datetime_floordiv(ms, MS_PER_DAY);
	}
}

static void expr_k_hour(struct expr_run *run, const struct expr_node *n)
{
	const struct expr_vec *a = expr_eval_arg(run, n, 0);
	struct expr_vec *out = EXPR_OUT(run, n);

	out->v.i64 = out->buf;
	out->miss = a->miss;
	for (size_t i = 0; i < run->n; i++) {
		int64_t ms = a->v.i64[i];

		if (a->tz != NULL && a->tz[i] != TZ_NONE)
			ms += (int64_t)a->tz[i] * 60000;
		out->v.i64[i] = (ms - datetime_floordiv(ms, MS_PER_DAY) * MS_PER_DAY) / 3600000;
	}
}

/* week(): the Monday on or before the date; month(): the first. */
static void expr_k_date_floor(struct expr_run *run, const struct expr_node *n)
{
	const struct expr_vec *a = expr_eval_arg(run, n, 0);
	struct expr_vec *out = EXPR_OUT(run, n);
	int y, m, d;

	out->v.days = out->buf;
	out->miss = a->miss;
	for (size_t i = 0; i < run->n; i++) {
		int32_t days = a->v.days[i];

		if (n->fn == EXPR_FN_WEEK) {
			out->v.days[i] = days - datetime_weekday(days);
			continue;
		}
		datetime_civil_from_days(days, &y, &m, &d);
		out->v.days[i] = days - (d - 1);
	}
}

static void expr_k_abs_int(struct expr_run *run, const struct expr_node *n)
{
	const struct expr_vec *a = expr_eval_arg(run, n, 0);
	struct expr_vec *out = EXPR_OUT(run, n);
	uint8_t *m = expr_eval_own_mask(out, a->miss, NULL, run->n);

	out->v.i64 = out->buf;
	for (size_t i = 0; i < run->n; i++) {
		int64_t x = a->v.i64[i];

		m[i] |= x == INT64_MIN;
		out->v.i64[i] = m[i] ? 0 : x < 0 ? -x : x;
	}
}

/* log of x <= 0 is missing rather than -inf or NaN. */
static void expr_k_log(struct expr_run *run, const struct expr_node *n)
{
	const struct expr_vec *a = expr_eval_arg(run, n, 0);
	struct expr_vec *out = EXPR_OUT(run, n);
	uint8_t *m = expr_eval_own_mask(out, a->miss, NULL, run->n);

	out->v.f64 = out->buf;
	for (size_t i = 0; i < run->n; i++) {
		m[i] |= !(a->v.f64[i] > 0.0);
		out->v.f64[i] = m[i] ? 0.0 : log(a->v.f64[i]);
	}
}

/* abs and round on floats; round is half away from zero. */
static void expr_k_math_float(struct expr_run *run, const struct expr_node *n)
{
	const struct expr_vec *a = expr_eval_arg(run, n, 0);
	struct expr_vec *out = EXPR_OUT(run, n);
	const double *x = a->v.f64;
	double scale = pow(10.0, abs(n->digits)), *r = out->v.f64 = out->buf;

	out->miss = a->miss;
	if (n->fn == EXPR_FN_ABS) {
		for (size_t i = 0; i < run->n; i++)
			r[i] = fabs(x[i]);
	} else if (n->digits >= 0) {
		/* Finer than a double holds: the value as it is. */
		for (size_t i = 0; i < run->n; i++)
			r[i] = isfinite(x[i] * scale) ? round(x[i] * scale) / scale : x[i];
	} else {
		uint8_t *m = expr_eval_own_mask(out, a->miss, NULL, run->n);

		for (size_t i = 0; i < run->n; i++) {
			r[i] = round(x[i] / scale) * scale;
			m[i] |= !isfinite(r[i]);
			if (m[i])
				r[i] = 0.0;
		}
	}
}

/* round(int, digits): digits >= 0 changes nothing; negative digits round
 * half away from zero to tens, hundreds... */
static void expr_k_round_int(struct expr_run *run, const struct expr_node *n)
{
	const struct expr_vec *a = expr_eval_arg(run, n, 0);
	struct expr_vec *out = EXPR_OUT(run, n);
	uint8_t *m = expr_eval_own_mask(out, a->miss, NULL, run->n);
	int64_t q = 1, x, rem, r;

	for (int k = 0; k < -n->digits; k++)
		q *= 10;
	out->v.i64 = out->buf;
	for (size_t i = 0; i < run->n; i++) {
		x = a->v.i64[i];
		rem = x % q;
		r = x - rem;
		if (rem != 0 && (rem < 0 ? -rem : rem) * 2 >= q)
			m[i] |= __builtin_add_overflow(r, x < 0 ? -q : q, &r);
		out->v.i64[i] = m[i] ? 0 : r;
	}
}

/* Takes the rows still missing in m from a where a has them. */
#define EXPR_FILL_LOOP(field)                                                 \
	for (size_t i = 0; i < len; i++) {                                    \
		if (m[i] && (am == NULL || !am[i])) {                         \
			out->v.field[i] = a->v.field[i];                      \
			m[i] = 0;                                             \
		}                                                             \
	}

static void expr_eval_fill(struct expr_vec *out, uint8_t *m, const struct expr_vec *a,
    enum col_type type, size_t len)
{
	const uint8_t *am = a->miss;

	if (type == COL_DATETIME) {
		for (size_t i = 0; i < len; i++) {
			if (m[i] && (am == NULL || !am[i]))
				out->tzbuf[i] = a->tz != NULL ? a->tz[i] : TZ_NONE;
		}
	}
	if (col_type_string(type)) {
		EXPR_FILL_LOOP(s)
	} else if (type == COL_BOOL) {
		EXPR_FILL_LOOP(b)
	} else if (type == COL_DATE) {
		EXPR_FILL_LOOP(days)
	} else {
		EXPR_FILL_LOOP(i64)
	}
}

/* Later arguments are only computed while some row is still missing. */
static void expr_k_coalesce(struct expr_run *run, const struct expr_node *n)
{
	struct expr_vec *out = EXPR_OUT(run, n);
	uint8_t *m = out->mbuf;
	size_t left = run->n;

	out->v.raw = out->buf;
	out->miss = m;
	out->tz = n->type == COL_DATETIME ? out->tzbuf : NULL;
	memset(m, 1, run->n);
	memset(out->buf, 0, run->n * sizeof(int64_t));
	for (size_t i = 0; n->type == COL_DATETIME && i < run->n; i++)
		out->tzbuf[i] = TZ_NONE;
	for (size_t k = 0; k < n->n_args && left > 0; k++) {
		expr_eval_fill(out, m, expr_eval_arg(run, n, k), n->type, run->n);
		left = 0;
		for (size_t i = 0; i < run->n; i++)
			left += m[i];
	}
}

static bool expr_eval_is_str_test(const struct expr_node *n)
{
	if (n->n_args == 0 || !col_type_string(n->args[0]->type))
		return false;
	switch (n->op) {
	case EXPR_IN:
	case EXPR_CONTAINS:
	case EXPR_STARTSWITH:
		return true;
	case EXPR_EQ:
	case EXPR_NE:
	case EXPR_LT:
	case EXPR_LE:
	case EXPR_GT:
	case EXPR_GE:
		return n->args[1]->op == EXPR_CONST;
	default:
		return false;
	}
}

static expr_kernel expr_eval_bind_compare(const struct expr_node *n)
{
	if (expr_eval_is_str_test(n))
		return n->args[0]->op == EXPR_COLUMN ? expr_k_str_map : expr_k_str_test;
	switch (n->args[0]->type) {
	case COL_FLOAT:
		return n->op == EXPR_IN ? expr_k_in_f64 : expr_k_cmp_f64;
	case COL_DATE:
		return n->op == EXPR_IN ? expr_k_in_days : expr_k_cmp_days;
	case COL_CATEGORY:
	case COL_TEXT:
		return expr_k_cmp_str;
	default:
		return n->op == EXPR_IN ? expr_k_in_i64 : expr_k_cmp_i64;
	}
}

static expr_kernel expr_eval_bind_call(const struct expr_node *n)
{
	switch (n->fn) {
	case EXPR_FN_DAY:
		return expr_k_day;
	case EXPR_FN_HOUR:
		return expr_k_hour;
	case EXPR_FN_WEEK:
	case EXPR_FN_MONTH:
		return expr_k_date_floor;
	case EXPR_FN_COALESCE:
		return expr_k_coalesce;
	case EXPR_FN_ABS:
		return n->type == COL_INT ? expr_k_abs_int : expr_k_math_float;
	case EXPR_FN_ROUND:
		return n->type == COL_INT ? expr_k_round_int : expr_k_math_float;
	default:
		return expr_k_log;
	}
}

static expr_kernel expr_eval_bind_arith(const struct expr_node *n)
{
	if (n->op == EXPR_DIV)
		return expr_k_div;
	if (n->type == COL_DATE)
		return expr_k_date_shift;
	if (n->args[0]->type == COL_DATE)
		return expr_k_date_diff;
	return n->type == COL_FLOAT ? expr_k_arith_float : expr_k_arith_int;
}

void expr_eval_bind(struct expr_node *n)
{
	switch (n->op) {
	case EXPR_COLUMN:
		n->kernel = expr_k_column;
		break;
	case EXPR_CONST:
		n->kernel = expr_k_const;
		break;
	case EXPR_CAST:
		n->kernel = expr_k_cast;
		break;
	case EXPR_NEG:
		n->kernel = n->type == COL_INT ? expr_k_neg_int : expr_k_neg_float;
		break;
	case EXPR_ADD:
	case EXPR_SUB:
	case EXPR_MUL:
	case EXPR_DIV:
		n->kernel = expr_eval_bind_arith(n);
		break;
	case EXPR_AND:
	case EXPR_OR:
		n->kernel = expr_k_logic;
		break;
	case EXPR_NOT:
		n->kernel = expr_k_not;
		break;
	case EXPR_MISSING:
		n->kernel = expr_k_missing;
		break;
	case EXPR_CALL:
		n->kernel = expr_eval_bind_call(n);
		break;
	default:
		n->kernel = expr_eval_bind_compare(n);
	}
}

/* Answers a column string test once per dictionary entry. The extra entry
 * covers code 0 of missing rows in a column with an empty dictionary. */
static uint8_t *expr_eval_build_map(const struct expr_node *n, const struct column *c)
{
	uint32_t count = dict_count(c->dict);
	uint8_t *map = xcalloc((size_t)count + 1, 1);

	for (uint32_t code = 0; code < count; code++)
		map[code] = expr_eval_str_test(n, dict_str(c->dict, code));
	return map;
}

static void expr_eval_prepare(struct expr_run *run, const struct expr_node *n)
{
	struct expr_vec *v = EXPR_OUT(run, n);

	v->buf = xmalloc(EXPR_BLOCK * sizeof(int64_t));
	v->mbuf = xmalloc(EXPR_BLOCK);
	if (n->type == COL_DATETIME)
		v->tzbuf = xmalloc(EXPR_BLOCK * sizeof(int16_t));
	if (n->kernel == expr_k_str_map)
		v->map = expr_eval_build_map(n, &run->t->cols[n->args[0]->col]);
	for (size_t i = 0; i < n->n_args; i++)
		expr_eval_prepare(run, n->args[i]);
}

/* The columns must be those the expression was compiled against. */
static int expr_eval_begin(struct expr_run *run, const struct expr *e, const struct table *t,
    char **cause)
{
	for (size_t i = 0; i < e->n_cols; i++) {
		if (i >= t->n_cols || strcmp(t->cols[i].name, e->col_names[i]) != 0 ||
		    t->cols[i].type != e->col_types[i]) {
			*cause = xasprintf("expression '%s': the columns of dataset '%s' changed "
			    "since it was compiled", e->text, t->name);
			return -1;
		}
	}
	memset(run, 0, sizeof *run);
	run->e = e;
	run->t = t;
	run->vecs = xcalloc(e->n_nodes, sizeof *run->vecs);
	expr_eval_prepare(run, e->root);
	return 0;
}

static void expr_eval_end(struct expr_run *run)
{
	for (size_t i = 0; i < run->e->n_nodes; i++) {
		free(run->vecs[i].buf);
		free(run->vecs[i].mbuf);
		free(run->vecs[i].tzbuf);
		free(run->vecs[i].map);
	}
	free(run->vecs);
}

static const struct expr_vec *expr_eval_block(struct expr_run *run, size_t start)
{
	const struct expr_node *root = run->e->root;

	run->start = start;
	run->n = run->t->n_rows - start < EXPR_BLOCK ? run->t->n_rows - start : EXPR_BLOCK;
	root->kernel(run, root);
	return EXPR_OUT(run, root);
}

int expr_eval_filter(const struct expr *e, const struct table *t, uint8_t *keep, size_t *kept,
    char **cause)
{
	struct expr_run run;
	size_t count = 0;

	if (expr_type(e) != COL_BOOL) {
		*cause = xasprintf("expression '%s': a filter needs a bool expression, got %s",
		    e->text, expr_type_name(expr_type(e)));
		return -1;
	}
	if (expr_eval_begin(&run, e, t, cause) != 0)
		return -1;
	for (size_t start = 0; start < t->n_rows; start += EXPR_BLOCK) {
		const struct expr_vec *v = expr_eval_block(&run, start);
		uint8_t *k = keep + start;

		for (size_t i = 0; i < run.n; i++) {
			k[i] = v->v.b[i] & !(v->miss != NULL && v->miss[i]);
			count += k[i];
		}
	}
	expr_eval_end(&run);
	*kept = count;
	return 0;
}

/* Interns a block of strings; a small cache keyed by the string's address
 * skips the hash for repeats, the common case for category columns. */
static void expr_eval_intern(struct column *out, size_t start, const struct expr_vec *v, size_t n,
    const char **cache_p, uint32_t *cache_code)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = v->v.s[i];
		size_t slot = (size_t)(((uintptr_t)s * 0x9e3779b97f4a7c15ULL) >> 56);

		if (v->miss != NULL && v->miss[i])
			continue;
		if (cache_p[slot] != s) {
			cache_p[slot] = s;
			cache_code[slot] = dict_intern(out->dict, s, strlen(s));
		}
		out->v.codes[start + i] = cache_code[slot];
	}
}

/* Copies a block into the result column and its missing bitset. */
static void expr_eval_store(struct column *out, size_t n_rows, size_t start,
    const struct expr_vec *v, size_t n)
{
	size_t width = col_type_width(out->type);

	if (!col_type_string(out->type))
		memcpy((char *)out->v.raw + start * width, v->v.raw, n * width);
	if (out->type == COL_DATETIME && v->tz != NULL) {
		if (out->tz == NULL) {
			out->tz = xmalloc(n_rows * sizeof *out->tz);
			for (size_t i = 0; i < n_rows; i++)
				out->tz[i] = TZ_NONE;
		}
		memcpy(out->tz + start, v->tz, n * sizeof *out->tz);
	}
	for (size_t i = 0; v->miss != NULL && i < n; i++) {
		if (!v->miss[i])
			continue;
		column_set_missing(out, n_rows, start + i);
		memset((char *)out->v.raw + (start + i) * width, 0, width);
		if (out->tz != NULL)
			out->tz[start + i] = TZ_NONE;
	}
}

/* A bare string column: interning its dictionary in code order gives the
 * same codes, so the codes copy over unchanged. */
static void expr_eval_copy_strings(const struct expr *e, const struct table *t,
    struct column *out)
{
	const struct column *c = &t->cols[e->root->col];

	for (uint32_t code = 0; code < dict_count(c->dict); code++)
		dict_intern(out->dict, dict_str(c->dict, code), dict_strlen(c->dict, code));
	memcpy(out->v.codes, c->v.codes, t->n_rows * sizeof *c->v.codes);
	if (c->missing != NULL) {
		out->missing = xmalloc((t->n_rows + 63) / 64 * sizeof *out->missing);
		memcpy(out->missing, c->missing, (t->n_rows + 63) / 64 * sizeof *out->missing);
		out->n_missing = c->n_missing;
	}
}

int expr_eval_column(const struct expr *e, const struct table *t, struct column *out,
    char **cause)
{
	struct expr_run run;
	const char *cache_p[256] = { NULL };
	uint32_t cache_code[256];

	if (expr_eval_begin(&run, e, t, cause) != 0)
		return -1;
	memset(out, 0, sizeof *out);
	out->type = expr_type(e);
	out->monthly = e->root->monthly;
	out->v.raw = xcalloc(t->n_rows ? t->n_rows : 1, col_type_width(out->type));
	if (col_type_string(out->type))
		out->dict = dict_new();
	if (col_type_string(out->type) && e->root->op == EXPR_COLUMN) {
		expr_eval_copy_strings(e, t, out);
		expr_eval_end(&run);
		return 0;
	}
	for (size_t start = 0; start < t->n_rows; start += EXPR_BLOCK) {
		const struct expr_vec *v = expr_eval_block(&run, start);

		if (col_type_string(out->type))
			expr_eval_intern(out, start, v, run.n, cache_p, cache_code);
		expr_eval_store(out, t->n_rows, start, v, run.n);
	}
	expr_eval_end(&run);
	return 0;
}

void expr_column_done(struct column *c)
{
	free(c->name);
	free(c->missing);
	free(c->v.raw);
	free(c->tz);
	dict_free(c->dict);
	memset(c, 0, sizeof *c);
}
