/* An expression written as standard SQL, for a query that a database runs
 * (campaign target= with pg=). Columns are quoted identifiers and literals
 * quoted literals, both by libpq, so no text of the expression reaches the
 * query unquoted. SQL's NULL follows the same Kleene logic as missing.
 * Functions the database would compute differently (local days and hours
 * need each row's own offset) are refused. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "datetime.h"
#include "expr-node.h"
#include "expr.h"
#include "xmalloc.h"

struct expr_sql {
	const struct expr *e;
	PGconn *conn;
	char *cause;
};

static char *expr_sql_node(struct expr_sql *s, const struct expr_node *n);

static char *expr_sql_quote(PGconn *conn, const char *text, bool ident)
{
	char *q = ident ? PQescapeIdentifier(conn, text, strlen(text)) :
	    PQescapeLiteral(conn, text, strlen(text));
	char *out = xstrdup(q ? q : "NULL");

	PQfreemem(q);
	return out;
}

static char *expr_sql_const(struct expr_sql *s, const struct expr_node *n)
{
	char buf[64];

	if (n->type == COL_BOOL)
		return xstrdup(n->lit.b ? "TRUE" : "FALSE");
	if (n->type == COL_INT)
		return xasprintf("%" PRId64, n->lit.i);
	if (n->type == COL_FLOAT)
		return xasprintf("CAST(%.17g AS double precision)", n->lit.f);
	if (n->type == COL_DATE) {
		datetime_format_date(n->lit.days, false, buf, sizeof buf);
		return xasprintf("DATE '%s'", buf);
	}
	if (n->type == COL_DATETIME) {
		datetime_format_datetime(n->lit.i, 0, buf, sizeof buf);
		return xasprintf("CAST('%s' AS timestamp with time zone)", buf);
	}
	return expr_sql_quote(s->conn, n->str, false);
}

static char *expr_sql_binary(struct expr_sql *s, const struct expr_node *n, const char *op)
{
	char *a = expr_sql_node(s, n->args[0]), *b = a ? expr_sql_node(s, n->args[1]) : NULL;
	char *out = b ? xasprintf("(%s %s %s)", a, op, b) : NULL;

	free(a);
	free(b);
	return out;
}

/* The arguments from first on, each in SQL, joined by ", "; NULL when one
 * cannot be written. */
static char *expr_sql_args(struct expr_sql *s, const struct expr_node *n, size_t first)
{
	size_t k = n->n_args - first, done = 0;
	char **v = xcalloc(k ? k : 1, sizeof *v), *out = NULL;

	while (done < k && (v[done] = expr_sql_node(s, n->args[first + done])) != NULL)
		done++;
	if (done == k)
		out = xstrjoin((const char *const *)v, k, ", ");
	for (size_t i = 0; i < done; i++)
		free(v[i]);
	free(v);
	return out;
}

/* 'in' and the string tests, with their negation. */
static char *expr_sql_test(struct expr_sql *s, const struct expr_node *n)
{
	char *a = expr_sql_node(s, n->args[0]), *list = a ? expr_sql_args(s, n, 1) : NULL;
	char *out = NULL;

	if (list != NULL) {
		if (n->op == EXPR_IN)
			out = xasprintf("(%s %sIN (%s))", a, n->negate ? "NOT " : "", list);
		else if (n->op == EXPR_CONTAINS)
			out = xasprintf("(%sPOSITION(%s IN %s) > 0)", n->negate ? "NOT " : "", list, a);
		else
			out = xasprintf("(%sSUBSTRING(%s FROM 1 FOR CHAR_LENGTH(%s)) = %s)",
			    n->negate ? "NOT " : "", a, list, list);
	}
	free(a);
	free(list);
	return out;
}

static char *expr_sql_call(struct expr_sql *s, const struct expr_node *n)
{
	char *list, *out;

	if (n->fn != EXPR_FN_ABS && n->fn != EXPR_FN_COALESCE) {
		s->cause = xasprintf("expression '%s': position %zu: this function is not computed "
		    "in the database; with pg= give target= comparisons, and, or, not, in, "
		    "contains, startswith, is missing, abs() and coalesce()", expr_text(s->e),
		    n->op_off + 1);
		return NULL;
	}
	if ((list = expr_sql_args(s, n, 0)) == NULL)
		return NULL;
	out = xasprintf("%s(%s)", n->fn == EXPR_FN_ABS ? "ABS" : "COALESCE", list);
	free(list);
	return out;
}

static char *expr_sql_node(struct expr_sql *s, const struct expr_node *n)
{
	static const char *const ops[] = {
		[EXPR_ADD] = "+", [EXPR_SUB] = "-", [EXPR_MUL] = "*", [EXPR_EQ] = "=",
		[EXPR_NE] = "<>", [EXPR_LT] = "<", [EXPR_LE] = "<=", [EXPR_GT] = ">",
		[EXPR_GE] = ">=", [EXPR_AND] = "AND", [EXPR_OR] = "OR"
	};
	char *a, *b, *out;

	switch (n->op) {
	case EXPR_COLUMN:
		return expr_sql_quote(s->conn, s->e->col_names[n->col], true);
	case EXPR_CONST:
		return expr_sql_const(s, n);
	case EXPR_CAST:
		a = expr_sql_node(s, n->args[0]);
		out = a ? xasprintf("CAST(%s AS %s)", a, n->type == COL_FLOAT ? "double precision" :
		    "bigint") : NULL;
		free(a);
		return out;
	case EXPR_NEG:
	case EXPR_NOT:
	case EXPR_MISSING:
		a = expr_sql_node(s, n->args[0]);
		out = a == NULL ? NULL : n->op == EXPR_NEG ? xasprintf("(-%s)", a) :
		    n->op == EXPR_NOT ? xasprintf("(NOT %s)", a) :
		    xasprintf("(%s IS %sNULL)", a, n->negate ? "NOT " : "");
		free(a);
		return out;
	case EXPR_DIV:
		/* '/' is always a float division, and x / 0 is missing. */
		a = expr_sql_node(s, n->args[0]);
		b = a ? expr_sql_node(s, n->args[1]) : NULL;
		out = b ? xasprintf("(CAST(%s AS double precision) / NULLIF(CAST(%s AS double "
		    "precision), 0))", a, b) : NULL;
		free(a);
		free(b);
		return out;
	case EXPR_IN:
	case EXPR_CONTAINS:
	case EXPR_STARTSWITH:
		return expr_sql_test(s, n);
	case EXPR_CALL:
		return expr_sql_call(s, n);
	default:
		return expr_sql_binary(s, n, ops[n->op]);
	}
}

char *expr_sql(const char *text, const struct table *t, struct pg_conn *conn, char **cause)
{
	struct expr *e = expr_compile(text, t, cause);
	struct expr_sql s = { e, conn, NULL };
	char *out;

	if (e == NULL)
		return NULL;
	if (expr_type(e) != COL_BOOL) {
		*cause = xasprintf("expression '%s' is not true or false", text);
		expr_free(e);
		return NULL;
	}
	out = expr_sql_node(&s, e->root);
	if (out == NULL)
		*cause = s.cause;
	expr_free(e);
	return out;
}
