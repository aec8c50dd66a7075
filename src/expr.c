/* Expressions: the type checker and the compile entry point. Every type
 * question is settled here, before any row is read, so the kernels in
 * expr-eval.c only ever see operands of the exact types they expect. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "datetime.h"
#include "expr-node.h"
#include "expr.h"
#include "utf8.h"
#include "xmalloc.h"

static const struct {
	const char *name;
	size_t min, max;
} expr_fns[EXPR_FN_COUNT] = {
	[EXPR_FN_ABS] = { "abs", 1, 1 },
	[EXPR_FN_COALESCE] = { "coalesce", 2, SIZE_MAX },
	[EXPR_FN_DAY] = { "day", 1, 1 },
	[EXPR_FN_HOUR] = { "hour", 1, 1 },
	[EXPR_FN_LOG] = { "log", 1, 1 },
	[EXPR_FN_MONTH] = { "month", 1, 1 },
	[EXPR_FN_ROUND] = { "round", 1, 2 },
	[EXPR_FN_WEEK] = { "week", 1, 1 },
};

static const char *const expr_op_names[] = {
	[EXPR_NEG] = "-", [EXPR_ADD] = "+", [EXPR_SUB] = "-", [EXPR_MUL] = "*",
	[EXPR_DIV] = "/", [EXPR_AND] = "and", [EXPR_OR] = "or", [EXPR_NOT] = "not",
	[EXPR_CONTAINS] = "contains", [EXPR_STARTSWITH] = "startswith",
};

struct expr_checker {
	const char *text;
	const struct table *t;
	char *cause;
};

static int expr_check(struct expr_checker *c, struct expr_node **np);

struct expr_node *expr_node_new(enum expr_op op, size_t off)
{
	struct expr_node *n = xcalloc(1, sizeof *n);

	n->op = op;
	n->off = n->op_off = off;
	n->col = -1;
	n->tz = TZ_NONE;
	return n;
}

void expr_node_free(struct expr_node *n)
{
	if (n == NULL)
		return;
	for (size_t i = 0; i < n->n_args; i++)
		expr_node_free(n->args[i]);
	free(n->args);
	free(n->str);
	free(n);
}

void expr_node_add(struct expr_node *n, struct expr_node *arg)
{
	n->args = xreallocarray(n->args, n->n_args + 1, sizeof *n->args);
	n->args[n->n_args++] = arg;
}

int expr_fn_find(const char *name, size_t len)
{
	for (int fn = 0; fn < EXPR_FN_COUNT; fn++) {
		if (strlen(expr_fns[fn].name) == len &&
		    strncasecmp(name, expr_fns[fn].name, len) == 0)
			return fn;
	}
	return -1;
}

const char *expr_type_name(enum col_type type)
{
	return col_type_string(type) ? "string" : col_type_name(type);
}

static int __attribute__((format(printf, 3, 4)))
expr_check_error(struct expr_checker *c, const struct expr_node *at, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	c->cause = xasprintf("expression '%s': position %zu: %s", c->text,
	    utf8_position(c->text, at->off), msg);
	free(msg);
	return -1;
}

static bool expr_is_num(enum col_type type)
{
	return col_type_numeric(type);
}

static bool expr_is_time(enum col_type type)
{
	return type == COL_DATE || type == COL_DATETIME;
}

static bool expr_is_string_literal(const struct expr_node *n)
{
	return n->op == EXPR_CONST && n->is_literal && col_type_string(n->type);
}

/* Makes *np produce type to: folds constants, wraps anything else in a
 * cast. Only widening numeric conversions are asked for. */
static void expr_coerce(struct expr_node **np, enum col_type to)
{
	struct expr_node *n = *np, *cast;

	if (n->type == to)
		return;
	if (n->op == EXPR_CONST) {
		if (to == COL_FLOAT)
			n->lit.f = n->type == COL_BOOL ? n->lit.b : (double)n->lit.i;
		else
			n->lit.i = n->lit.b;
		n->type = to;
		return;
	}
	cast = expr_node_new(EXPR_CAST, n->off);
	cast->type = to;
	expr_node_add(cast, n);
	*np = cast;
}

/* int when both are int or bool, float when either is float. */
static enum col_type expr_check_promote(struct expr_node **a, struct expr_node **b)
{
	enum col_type to = (*a)->type == COL_FLOAT || (*b)->type == COL_FLOAT ?
	    COL_FLOAT : COL_INT;

	expr_coerce(a, to);
	expr_coerce(b, to);
	return to;
}

/* Reads a string literal compared with a date or datetime as one. */
static int expr_check_as_time(struct expr_checker *c, struct expr_node *n, enum col_type type)
{
	size_t len = strlen(n->str);
	int32_t days;
	bool monthly;

	if (type == COL_DATE) {
		if (!datetime_parse_date(n->str, len, &n->lit.days, &monthly))
			return expr_check_error(c, n, "cannot read '%s' as a date (expected "
			    "YYYY-MM-DD or YYYY-MM)", n->str);
	} else if (!datetime_parse_datetime(n->str, len, &n->lit.i, &n->tz)) {
		if (datetime_parse_date(n->str, len, &days, &monthly))
			return expr_check_error(c, n, "cannot compare datetime with date (use "
			    "day() to compare days)");
		return expr_check_error(c, n, "cannot read '%s' as a datetime (expected "
		    "YYYY-MM-DD HH:MM[:SS][+HH:MM])", n->str);
	}
	n->type = type;
	return 0;
}

static int expr_check_args(struct expr_checker *c, struct expr_node *n)
{
	for (size_t i = 0; i < n->n_args; i++) {
		if (expr_check(c, &n->args[i]) != 0)
			return -1;
	}
	return 0;
}

static int expr_check_leaf(struct expr_checker *c, struct expr_node **np)
{
	struct expr_node *n = *np;
	const struct column *col;

	if (n->op == EXPR_COLUMN) {
		col = &c->t->cols[n->col];
		n->type = col->type;
		n->monthly = col->monthly;
	}
	return 0;
}

static int expr_check_neg(struct expr_checker *c, struct expr_node **np)
{
	struct expr_node *n = *np;

	if (expr_check_args(c, n) != 0)
		return -1;
	if (!expr_is_num(n->args[0]->type))
		return expr_check_error(c, n->args[0], "cannot apply '-' to %s",
		    expr_type_name(n->args[0]->type));
	if (n->args[0]->type == COL_BOOL)
		expr_coerce(&n->args[0], COL_INT);
	n->type = n->args[0]->type;
	return 0;
}

/* Date arithmetic: date +/- int, int + date, date - date. */
static bool expr_check_date_arith(struct expr_node *n)
{
	enum col_type ta = n->args[0]->type, tb = n->args[1]->type;
	struct expr_node *swap;

	if (n->op == EXPR_ADD && tb == COL_DATE && (ta == COL_INT || ta == COL_BOOL)) {
		swap = n->args[0];
		n->args[0] = n->args[1];
		n->args[1] = swap;
		ta = COL_DATE;
		tb = n->args[1]->type;
	}
	if (ta != COL_DATE || (n->op != EXPR_ADD && n->op != EXPR_SUB))
		return false;
	if (tb == COL_INT || tb == COL_BOOL) {
		expr_coerce(&n->args[1], COL_INT);
		n->type = COL_DATE;
		return true;
	}
	if (n->op == EXPR_SUB && tb == COL_DATE) {
		n->type = COL_INT;
		return true;
	}
	return false;
}

static int expr_check_arith(struct expr_checker *c, struct expr_node **np)
{
	struct expr_node *n = *np, *a, *b;

	if (expr_check_args(c, n) != 0)
		return -1;
	a = n->args[0];
	b = n->args[1];
	if (expr_is_num(a->type) && expr_is_num(b->type)) {
		if (n->op == EXPR_DIV) {
			expr_coerce(&n->args[0], COL_FLOAT);
			expr_coerce(&n->args[1], COL_FLOAT);
			n->type = COL_FLOAT;
		} else
			n->type = expr_check_promote(&n->args[0], &n->args[1]);
		return 0;
	}
	if (expr_check_date_arith(n))
		return 0;
	return expr_check_error(c, expr_is_num(a->type) || a->type == COL_DATE ? b : a,
	    "cannot apply '%s' to %s and %s", expr_op_names[n->op],
	    expr_type_name(a->type), expr_type_name(b->type));
}

/* Puts a string constant on the right so kernels look one way only. */
static void expr_check_flip(struct expr_node *n)
{
	static const enum expr_op flipped[] = {
		[EXPR_EQ] = EXPR_EQ, [EXPR_NE] = EXPR_NE, [EXPR_LT] = EXPR_GT,
		[EXPR_LE] = EXPR_GE, [EXPR_GT] = EXPR_LT, [EXPR_GE] = EXPR_LE,
	};
	struct expr_node *swap;

	if (n->args[0]->op != EXPR_CONST || n->args[1]->op == EXPR_CONST)
		return;
	swap = n->args[0];
	n->args[0] = n->args[1];
	n->args[1] = swap;
	n->op = flipped[n->op];
}

/* Whether values of types a and b can be compared, reading a string
 * literal as a date where the other side is a date. */
static int expr_check_comparable(struct expr_checker *c, struct expr_node **a,
    struct expr_node **b)
{
	enum col_type ta = (*a)->type, tb = (*b)->type;

	if (expr_is_time(ta) && expr_is_string_literal(*b))
		return expr_check_as_time(c, *b, ta);
	if (expr_is_time(tb) && expr_is_string_literal(*a))
		return expr_check_as_time(c, *a, tb);
	if (expr_is_num(ta) && expr_is_num(tb)) {
		expr_check_promote(a, b);
		return 0;
	}
	if ((col_type_string(ta) && col_type_string(tb)) || ta == tb)
		return 0;
	if (expr_is_time(ta) && expr_is_time(tb))
		return expr_check_error(c, *b, "cannot compare %s with %s (use day() to "
		    "compare days)", expr_type_name(ta), expr_type_name(tb));
	return expr_check_error(c, *b, "cannot compare %s with %s", expr_type_name(ta),
	    expr_type_name(tb));
}

static int expr_check_compare(struct expr_checker *c, struct expr_node **np)
{
	struct expr_node *n = *np;

	if (expr_check_args(c, n) != 0 ||
	    expr_check_comparable(c, &n->args[0], &n->args[1]) != 0)
		return -1;
	expr_check_flip(n);
	n->type = COL_BOOL;
	return 0;
}

static int expr_check_logic(struct expr_checker *c, struct expr_node **np)
{
	struct expr_node *n = *np;

	if (expr_check_args(c, n) != 0)
		return -1;
	for (size_t i = 0; i < n->n_args; i++) {
		if (n->args[i]->type != COL_BOOL)
			return expr_check_error(c, n->args[i], "'%s' needs %s, got %s",
			    expr_op_names[n->op], n->op == EXPR_NOT ? "a bool operand" :
			    "bool operands", expr_type_name(n->args[i]->type));
	}
	n->type = COL_BOOL;
	return 0;
}

static int expr_check_in(struct expr_checker *c, struct expr_node **np)
{
	struct expr_node *n = *np;
	bool any_float = false;

	if (expr_check_args(c, n) != 0)
		return -1;
	n->type = COL_BOOL;
	for (size_t i = 1; i < n->n_args; i++) {
		if (expr_check_comparable(c, &n->args[0], &n->args[i]) != 0)
			return -1;
		any_float |= n->args[i]->type == COL_FLOAT;
	}
	if (!expr_is_num(n->args[0]->type))
		return 0;
	/* Pairwise promotion may have left a mix of int and float. */
	for (size_t i = 0; i < n->n_args; i++)
		expr_coerce(&n->args[i], any_float || n->args[0]->type == COL_FLOAT ?
		    COL_FLOAT : COL_INT);
	return 0;
}

static int expr_check_test(struct expr_checker *c, struct expr_node **np)
{
	struct expr_node *n = *np;

	if (expr_check_args(c, n) != 0)
		return -1;
	n->type = COL_BOOL;
	if (n->op == EXPR_MISSING || col_type_string(n->args[0]->type))
		return 0;
	return expr_check_error(c, n->args[0], "'%s' needs a string, got %s",
	    expr_op_names[n->op], expr_type_name(n->args[0]->type));
}

static int expr_check_arity(struct expr_checker *c, const struct expr_node *n)
{
	size_t min = expr_fns[n->fn].min, max = expr_fns[n->fn].max;
	const char *name = expr_fns[n->fn].name;

	if (n->n_args >= min && n->n_args <= max)
		return 0;
	if (min == max)
		return expr_check_error(c, n, "%s() takes %zu argument%s, got %zu", name, min,
		    min == 1 ? "" : "s", n->n_args);
	if (max == min + 1)
		return expr_check_error(c, n, "%s() takes %zu or %zu arguments, got %zu", name,
		    min, max, n->n_args);
	return expr_check_error(c, n, "%s() takes at least %zu arguments, got %zu", name,
	    min, n->n_args);
}

/* day(date) is the date itself: the call disappears. */
static void expr_check_unwrap(struct expr_node **np)
{
	struct expr_node *n = *np;

	*np = n->args[0];
	n->n_args = 0;
	expr_node_free(n);
}

static int expr_check_calendar(struct expr_checker *c, struct expr_node **np)
{
	struct expr_node *n = *np, *day;
	enum col_type ta = n->args[0]->type;

	if (n->fn == EXPR_FN_HOUR && ta != COL_DATETIME)
		return expr_check_error(c, n->args[0], "hour() needs a datetime, got %s",
		    expr_type_name(ta));
	if (!expr_is_time(ta))
		return expr_check_error(c, n->args[0], "%s() needs a date or datetime, got %s",
		    expr_fns[n->fn].name, expr_type_name(ta));
	n->type = n->fn == EXPR_FN_HOUR ? COL_INT : COL_DATE;
	n->monthly = n->fn == EXPR_FN_MONTH;
	if (n->fn == EXPR_FN_DAY && ta == COL_DATE)
		expr_check_unwrap(np);
	else if ((n->fn == EXPR_FN_WEEK || n->fn == EXPR_FN_MONTH) && ta == COL_DATETIME) {
		/* week and month of a datetime are those of its local day. */
		day = expr_node_new(EXPR_CALL, n->args[0]->off);
		day->fn = EXPR_FN_DAY;
		day->type = COL_DATE;
		expr_node_add(day, n->args[0]);
		n->args[0] = day;
	}
	return 0;
}

static int expr_check_round_digits(struct expr_checker *c, struct expr_node *n)
{
	struct expr_node *d = n->args[1];

	if (d->op != EXPR_CONST || d->type != COL_INT)
		return expr_check_error(c, d, "round() digits must be an int literal");
	if (d->lit.i < -15 || d->lit.i > 15)
		return expr_check_error(c, d, "round() digits must be between -15 and 15");
	n->digits = (int)d->lit.i;
	expr_node_free(d);
	n->n_args = 1;
	return 0;
}

static int expr_check_math(struct expr_checker *c, struct expr_node **np)
{
	struct expr_node *n = *np;
	enum col_type ta = n->args[0]->type;

	if (!expr_is_num(ta))
		return expr_check_error(c, n->args[0], "%s() needs a number, got %s",
		    expr_fns[n->fn].name, expr_type_name(ta));
	if (n->fn == EXPR_FN_ROUND && n->n_args == 2 && expr_check_round_digits(c, n) != 0)
		return -1;
	expr_coerce(&n->args[0], n->fn == EXPR_FN_LOG ? COL_FLOAT :
	    ta == COL_BOOL ? COL_INT : ta);
	n->type = n->args[0]->type;
	return 0;
}

/* 0 numbers, 1 strings, 2 dates, 3 datetimes. */
static int expr_check_family(enum col_type type)
{
	return expr_is_num(type) ? 0 : col_type_string(type) ? 1 : type == COL_DATE ? 2 : 3;
}

static enum col_type expr_check_common(struct expr_node *n)
{
	enum col_type to = n->args[0]->type;

	n->monthly = true;
	for (size_t i = 0; i < n->n_args; i++) {
		enum col_type t = n->args[i]->type;

		n->monthly &= n->args[i]->monthly;
		if (t == COL_FLOAT || t == COL_TEXT || (t == COL_INT && to == COL_BOOL))
			to = t;
	}
	return to;
}

static int expr_check_coalesce(struct expr_checker *c, struct expr_node **np)
{
	struct expr_node *n = *np, *a = n->args[0];

	for (size_t i = 1; i < n->n_args; i++) {
		struct expr_node *b = n->args[i];

		if (expr_check_family(a->type) == expr_check_family(b->type))
			continue;
		return expr_check_error(c, b, "coalesce() cannot mix %s and %s%s",
		    expr_type_name(a->type), expr_type_name(b->type),
		    (expr_is_time(a->type) && expr_is_string_literal(b)) ||
		    (expr_is_time(b->type) && expr_is_string_literal(a)) ?
		    " (write dates as d'YYYY-MM-DD')" : "");
	}
	n->type = expr_check_common(n);
	n->monthly &= n->type == COL_DATE;
	if (expr_is_num(n->type)) {
		for (size_t i = 0; i < n->n_args; i++)
			expr_coerce(&n->args[i], n->type);
	}
	return 0;
}

static int expr_check_call(struct expr_checker *c, struct expr_node **np)
{
	struct expr_node *n = *np;

	if (expr_check_arity(c, n) != 0 || expr_check_args(c, n) != 0)
		return -1;
	switch (n->fn) {
	case EXPR_FN_DAY:
	case EXPR_FN_WEEK:
	case EXPR_FN_MONTH:
	case EXPR_FN_HOUR:
		return expr_check_calendar(c, np);
	case EXPR_FN_COALESCE:
		return expr_check_coalesce(c, np);
	default:
		return expr_check_math(c, np);
	}
}

static int (*const expr_checks[])(struct expr_checker *, struct expr_node **) = {
	[EXPR_COLUMN] = expr_check_leaf, [EXPR_CONST] = expr_check_leaf,
	[EXPR_CAST] = expr_check_leaf,
	[EXPR_NEG] = expr_check_neg,
	[EXPR_ADD] = expr_check_arith, [EXPR_SUB] = expr_check_arith,
	[EXPR_MUL] = expr_check_arith, [EXPR_DIV] = expr_check_arith,
	[EXPR_EQ] = expr_check_compare, [EXPR_NE] = expr_check_compare,
	[EXPR_LT] = expr_check_compare, [EXPR_LE] = expr_check_compare,
	[EXPR_GT] = expr_check_compare, [EXPR_GE] = expr_check_compare,
	[EXPR_AND] = expr_check_logic, [EXPR_OR] = expr_check_logic,
	[EXPR_NOT] = expr_check_logic,
	[EXPR_IN] = expr_check_in,
	[EXPR_MISSING] = expr_check_test, [EXPR_CONTAINS] = expr_check_test,
	[EXPR_STARTSWITH] = expr_check_test,
	[EXPR_CALL] = expr_check_call,
};

static int expr_check(struct expr_checker *c, struct expr_node **np)
{
	return expr_checks[(*np)->op](c, np);
}

/* Numbers the nodes depth first and picks each one's kernel. */
static void expr_finish(struct expr *e, struct expr_node *n)
{
	n->id = e->n_nodes++;
	for (size_t i = 0; i < n->n_args; i++)
		expr_finish(e, n->args[i]);
	expr_eval_bind(n);
}

struct expr *expr_compile(const char *text, const struct table *t, char **cause)
{
	struct expr_checker c = { .text = text, .t = t };
	struct expr_node *root;
	struct expr *e;

	if ((root = expr_parse(text, t, cause)) == NULL)
		return NULL;
	if (expr_check(&c, &root) != 0) {
		expr_node_free(root);
		*cause = c.cause;
		return NULL;
	}
	e = xcalloc(1, sizeof *e);
	e->text = xstrdup(text);
	e->root = root;
	e->n_cols = t->n_cols;
	e->col_names = xcalloc(t->n_cols, sizeof *e->col_names);
	e->col_types = xcalloc(t->n_cols, sizeof *e->col_types);
	for (size_t i = 0; i < t->n_cols; i++) {
		e->col_names[i] = xstrdup(t->cols[i].name);
		e->col_types[i] = t->cols[i].type;
	}
	expr_finish(e, root);
	return e;
}

void expr_free(struct expr *e)
{
	if (e == NULL)
		return;
	for (size_t i = 0; i < e->n_cols; i++)
		free(e->col_names[i]);
	free(e->col_names);
	free(e->col_types);
	expr_node_free(e->root);
	free(e->text);
	free(e);
}

enum col_type expr_type(const struct expr *e)
{
	return e->root->type;
}

const char *expr_text(const struct expr *e)
{
	return e->text;
}
