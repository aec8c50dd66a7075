/* Expression lexer and recursive-descent parser: text to an untyped tree
 * whose columns are resolved against a table. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "datetime.h"
#include "expr-node.h"
#include "suggest.h"
#include "utf8.h"
#include "xmalloc.h"

enum expr_tok {
	TOK_END, TOK_NAME, TOK_QNAME, TOK_INT, TOK_FLOAT, TOK_STRING, TOK_DATE,
	TOK_LPAREN, TOK_RPAREN, TOK_COMMA, TOK_PLUS, TOK_MINUS, TOK_STAR, TOK_SLASH,
	TOK_EQ, TOK_NE, TOK_LT, TOK_LE, TOK_GT, TOK_GE,
	TOK_AND, TOK_OR, TOK_NOT, TOK_IN, TOK_IS, TOK_MISSING, TOK_CONTAINS,
	TOK_STARTSWITH, TOK_TRUE, TOK_FALSE
};

struct expr_token {
	enum expr_tok kind;
	size_t off, end;        /* bytes of text it covers */
	char *str;              /* decoded string or quoted name */
	size_t len;
	int64_t i;
	double f;
};

struct expr_parser {
	const char *text;
	size_t len, pos;
	const struct table *t;
	struct expr_token tok;
	char *cause;
	size_t ops, depth;      /* operators and calls so far; open '(' */
};

/* The parser, the type checker and the evaluator recurse over the tree:
 * these keep the recursion shallow whatever the text. */
#define EXPR_PARSE_MAX_OPS 1000
#define EXPR_PARSE_MAX_DEPTH 200

static const struct {
	const char *word;
	enum expr_tok kind;
} expr_parse_keywords[] = {
	{ "and", TOK_AND }, { "or", TOK_OR }, { "not", TOK_NOT }, { "in", TOK_IN },
	{ "is", TOK_IS }, { "missing", TOK_MISSING }, { "contains", TOK_CONTAINS },
	{ "startswith", TOK_STARTSWITH }, { "true", TOK_TRUE }, { "false", TOK_FALSE },
};

static const struct {
	const char *text;
	enum expr_tok kind;
} expr_parse_symbols[] = {
	{ "==", TOK_EQ }, { "!=", TOK_NE }, { "<=", TOK_LE }, { ">=", TOK_GE },
	{ "<", TOK_LT }, { ">", TOK_GT }, { "(", TOK_LPAREN }, { ")", TOK_RPAREN },
	{ ",", TOK_COMMA }, { "+", TOK_PLUS }, { "-", TOK_MINUS }, { "*", TOK_STAR },
	{ "/", TOK_SLASH },
};

static struct expr_node *expr_parse_or(struct expr_parser *p);

/* Records the first error only: later ones are consequences. */
static void __attribute__((format(printf, 3, 4)))
expr_parse_error(struct expr_parser *p, size_t off, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (p->cause != NULL)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	p->cause = xasprintf("expression '%s': position %zu: %s", p->text,
	    utf8_position(p->text, off), msg);
	free(msg);
}

/* Counts an operator or call at off; false past the limit. */
static bool expr_parse_count_op(struct expr_parser *p, size_t off)
{
	if (++p->ops <= EXPR_PARSE_MAX_OPS)
		return true;
	expr_parse_error(p, off, "more than %d operators and calls; split the work over "
	    "several commands", EXPR_PARSE_MAX_OPS);
	return false;
}

/* Length of the UTF-8 sequence at s, or 0 when it is not valid. */
static size_t expr_parse_utf8_len(const unsigned char *s, size_t left)
{
	uint32_t cp;

	return utf8_decode(s, left, &cp);
}

static int expr_parse_check_utf8(struct expr_parser *p)
{
	for (size_t i = 0; i < p->len;) {
		size_t n = expr_parse_utf8_len((const unsigned char *)p->text + i, p->len - i);

		if (n == 0) {
			expr_parse_error(p, i, "invalid UTF-8");
			return -1;
		}
		i += n;
	}
	return 0;
}

static bool expr_parse_is_name(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    (!first && c >= '0' && c <= '9');
}

/* Reads a quoted run up to the closing quote, where a doubled quote stands
 * for one; returns -1 when the text ends first. */
static int expr_parse_quoted(struct expr_parser *p, char quote, size_t *end)
{
	size_t i = p->pos + 1;
	char *out = xmalloc(p->len - p->pos);
	size_t n = 0;

	for (; i < p->len; i++) {
		if (p->text[i] == quote) {
			if (i + 1 < p->len && p->text[i + 1] == quote) {
				out[n++] = quote;
				i++;
				continue;
			}
			out[n] = '\0';
			p->tok.str = out;
			p->tok.len = n;
			*end = i + 1;
			return 0;
		}
		out[n++] = p->text[i];
	}
	free(out);
	return -1;
}

static int expr_parse_lex_number(struct expr_parser *p)
{
	const char *s = p->text + p->pos;
	size_t i = 0;
	bool is_float = false;
	char *num, *end;

	while (s[i] >= '0' && s[i] <= '9')
		i++;
	if (s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
		is_float = true;
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			;
	}
	if (s[i] == 'e' || s[i] == 'E') {
		size_t j = i + 1 + (s[i + 1] == '+' || s[i + 1] == '-');

		if (s[j] >= '0' && s[j] <= '9') {
			is_float = true;
			for (i = j; s[i] >= '0' && s[i] <= '9'; i++)
				;
		}
	}
	num = xstrndup(s, i);
	errno = 0;
	if (is_float)
		p->tok.f = strtod(num, &end);
	else
		p->tok.i = strtoll(num, &end, 10);
	free(num);
	if (errno == ERANGE) {
		expr_parse_error(p, p->pos, "number '%.*s' is out of range", (int)i, s);
		return -1;
	}
	p->tok.kind = is_float ? TOK_FLOAT : TOK_INT;
	p->tok.end = p->pos + i;
	return 0;
}

static void expr_parse_lex_name(struct expr_parser *p)
{
	size_t i = p->pos;

	while (i < p->len && expr_parse_is_name(p->text[i], i == p->pos))
		i++;
	p->tok.kind = TOK_NAME;
	p->tok.end = i;
	for (size_t k = 0; k < sizeof expr_parse_keywords / sizeof expr_parse_keywords[0]; k++) {
		const char *w = expr_parse_keywords[k].word;

		if (strlen(w) == i - p->pos && strncasecmp(w, p->text + p->pos, i - p->pos) == 0)
			p->tok.kind = expr_parse_keywords[k].kind;
	}
}

static int expr_parse_lex_quoted(struct expr_parser *p, enum expr_tok kind)
{
	size_t end, start = p->pos;
	char quote = p->text[p->pos];

	if (expr_parse_quoted(p, quote, &end) != 0) {
		expr_parse_error(p, start, quote == '`' ? "unterminated quoted name" :
		    "unterminated string");
		return -1;
	}
	if (kind == TOK_QNAME && p->tok.len == 0) {
		expr_parse_error(p, start, "empty quoted name");
		return -1;
	}
	p->tok.kind = kind;
	p->tok.end = end;
	return 0;
}

/* A character that starts no token: say what it is and what was meant. */
static void expr_parse_lex_bad(struct expr_parser *p)
{
	const char *s = p->text + p->pos;
	size_t n = expr_parse_utf8_len((const unsigned char *)s, p->len - p->pos), w = 0;

	/* The whole name, for the hint: non-ASCII bytes and name characters. */
	while (w < p->len - p->pos &&
	    ((unsigned char)s[w] >= 0x80 || expr_parse_is_name(s[w], false)))
		w++;
	if (*s == '=')
		expr_parse_error(p, p->pos, "unexpected '=' (use '==' to compare)");
	else if (*s == '!')
		expr_parse_error(p, p->pos, "unexpected '!' (use 'not' or '!=')");
	else if ((unsigned char)*s >= 0x80)
		expr_parse_error(p, p->pos, "unexpected character '%.*s' (write names "
		    "that are not ASCII between backticks: `%.*s`)", (int)n, s, (int)w, s);
	else if (*s == '"')
		expr_parse_error(p, p->pos, "unexpected '\"' (strings take single "
		    "quotes, names backticks)");
	else
		expr_parse_error(p, p->pos, "unexpected character '%.*s'", (int)n, s);
}

static bool expr_parse_lex_symbol(struct expr_parser *p)
{
	for (size_t k = 0; k < sizeof expr_parse_symbols / sizeof expr_parse_symbols[0]; k++) {
		size_t n = strlen(expr_parse_symbols[k].text);

		if (strncmp(p->text + p->pos, expr_parse_symbols[k].text, n) == 0) {
			p->tok.kind = expr_parse_symbols[k].kind;
			p->tok.end = p->pos + n;
			return true;
		}
	}
	return false;
}

/* Moves to the next token; -1 on a lexical error. */
static int expr_parse_next(struct expr_parser *p)
{
	const char *s;

	free(p->tok.str);
	memset(&p->tok, 0, sizeof p->tok);
	while (p->pos < p->len && strchr(" \t\r\n", p->text[p->pos]) != NULL)
		p->pos++;
	p->tok.off = p->tok.end = p->pos;
	if (p->pos == p->len)
		return 0;
	s = p->text + p->pos;
	if ((s[0] == 'd' || s[0] == 'D') && s[1] == '\'') {
		p->pos++;
		if (expr_parse_lex_quoted(p, TOK_DATE) != 0)
			return -1;
	} else if (*s >= '0' && *s <= '9') {
		if (expr_parse_lex_number(p) != 0)
			return -1;
	} else if (expr_parse_is_name(*s, true))
		expr_parse_lex_name(p);
	else if (*s == '\'' || *s == '`') {
		if (expr_parse_lex_quoted(p, *s == '`' ? TOK_QNAME : TOK_STRING) != 0)
			return -1;
	} else if (!expr_parse_lex_symbol(p)) {
		expr_parse_lex_bad(p);
		return -1;
	}
	p->pos = p->tok.end;
	return 0;
}

/* How the current token reads in a message. */
static char *expr_parse_describe(const struct expr_parser *p)
{
	if (p->tok.kind == TOK_END)
		return xstrdup("end of expression");
	return xasprintf("'%.*s'", (int)(p->tok.end - p->tok.off), p->text + p->tok.off);
}

static void expr_parse_unexpected(struct expr_parser *p, const char *wanted)
{
	char *what = expr_parse_describe(p);

	expr_parse_error(p, p->tok.off, "expected %s, got %s", wanted, what);
	free(what);
}

/* Consumes a token of the given kind or reports what was found instead. */
static int expr_parse_expect(struct expr_parser *p, enum expr_tok kind, const char *wanted)
{
	if (p->tok.kind != kind) {
		expr_parse_unexpected(p, wanted);
		return -1;
	}
	return expr_parse_next(p);
}

static void expr_parse_unknown_column(struct expr_parser *p, const char *name, size_t len,
    size_t off)
{
	const struct table *t = p->t;
	struct suggest s;

	suggest_init(&s, name, len);
	for (size_t c = 0; c < t->n_cols; c++)
		suggest_try(&s, t->cols[c].name);
	if (s.found != NULL)
		expr_parse_error(p, off, "unknown column '%.*s' (did you mean '%s'?)",
		    (int)len, name, s.found);
	else
		expr_parse_error(p, off, "unknown column '%.*s'", (int)len, name);
}

static struct expr_node *expr_parse_column(struct expr_parser *p)
{
	const char *name = p->tok.kind == TOK_QNAME ? p->tok.str : p->text + p->tok.off;
	size_t len = p->tok.kind == TOK_QNAME ? p->tok.len : p->tok.end - p->tok.off;
	char *copy = xstrndup(name, len);
	int c = table_find_column(p->t, copy);
	struct expr_node *n;

	free(copy);
	if (c < 0) {
		expr_parse_unknown_column(p, name, len, p->tok.off);
		return NULL;
	}
	n = expr_node_new(EXPR_COLUMN, p->tok.off);
	n->col = c;
	if (expr_parse_next(p) != 0) {
		expr_node_free(n);
		return NULL;
	}
	return n;
}

static int expr_parse_date_literal(struct expr_parser *p, struct expr_node *n)
{
	const char *s = p->tok.str;

	if (datetime_parse_date(s, p->tok.len, &n->lit.days, &n->monthly)) {
		n->type = COL_DATE;
		return 0;
	}
	if (datetime_parse_datetime(s, p->tok.len, &n->lit.i, &n->tz)) {
		n->type = COL_DATETIME;
		return 0;
	}
	expr_parse_error(p, p->tok.off, "invalid date '%s' (expected YYYY-MM-DD, YYYY-MM or "
	    "YYYY-MM-DD HH:MM[:SS][+HH:MM])", s);
	return -1;
}

/* A literal token as a constant node. */
static struct expr_node *expr_parse_literal(struct expr_parser *p)
{
	struct expr_node *n = expr_node_new(EXPR_CONST, p->tok.off);

	n->is_literal = true;
	n->tz = TZ_NONE;
	switch (p->tok.kind) {
	case TOK_INT:
		n->type = COL_INT;
		n->lit.i = p->tok.i;
		break;
	case TOK_FLOAT:
		n->type = COL_FLOAT;
		n->lit.f = p->tok.f;
		break;
	case TOK_TRUE:
	case TOK_FALSE:
		n->type = COL_BOOL;
		n->lit.b = p->tok.kind == TOK_TRUE;
		break;
	case TOK_STRING:
		n->type = COL_CATEGORY;
		n->str = xstrdup(p->tok.str);
		n->lit.s = n->str;
		break;
	default:
		if (expr_parse_date_literal(p, n) != 0) {
			expr_node_free(n);
			return NULL;
		}
		n->str = xstrdup(p->tok.str);
	}
	if (expr_parse_next(p) != 0) {
		expr_node_free(n);
		return NULL;
	}
	return n;
}

/* Arguments of a call or an 'in' list, after the '(' at off. */
static int expr_parse_list(struct expr_parser *p, struct expr_node *n, size_t off,
    struct expr_node *(*item)(struct expr_parser *))
{
	struct expr_node *arg;

	if (p->tok.kind == TOK_RPAREN)
		return expr_parse_next(p);
	for (;;) {
		if ((arg = item(p)) == NULL)
			return -1;
		expr_node_add(n, arg);
		if (p->tok.kind == TOK_RPAREN)
			return expr_parse_next(p);
		if (p->tok.kind != TOK_COMMA) {
			char *what = expr_parse_describe(p);

			expr_parse_error(p, p->tok.off, "expected ',' or ')' to close '(' at "
			    "position %zu, got %s", utf8_position(p->text, off), what);
			free(what);
			return -1;
		}
		if (expr_parse_next(p) != 0)
			return -1;
	}
}

static struct expr_node *expr_parse_call(struct expr_parser *p)
{
	int fn = expr_fn_find(p->text + p->tok.off, p->tok.end - p->tok.off);
	struct expr_node *n;
	size_t off = p->tok.off, paren;

	if (fn < 0) {
		expr_parse_error(p, off, "unknown function '%.*s' (functions: abs, coalesce, "
		    "day, hour, log, month, round, week)", (int)(p->tok.end - off), p->text + off);
		return NULL;
	}
	if (!expr_parse_count_op(p, off))
		return NULL;
	n = expr_node_new(EXPR_CALL, off);
	n->fn = (enum expr_fn)fn;
	if (expr_parse_next(p) != 0)
		goto fail;
	paren = p->tok.off;
	if (expr_parse_next(p) != 0 || expr_parse_list(p, n, paren, expr_parse_or) != 0)
		goto fail;
	return n;
fail:
	expr_node_free(n);
	return NULL;
}

static struct expr_node *expr_parse_group(struct expr_parser *p)
{
	size_t off = p->tok.off;
	struct expr_node *n;

	if (++p->depth > EXPR_PARSE_MAX_DEPTH) {
		expr_parse_error(p, off, "parentheses nested more than %d deep",
		    EXPR_PARSE_MAX_DEPTH);
		return NULL;
	}
	if (expr_parse_next(p) != 0 || (n = expr_parse_or(p)) == NULL)
		return NULL;
	p->depth--;
	if (p->tok.kind != TOK_RPAREN) {
		char *what = expr_parse_describe(p);

		expr_parse_error(p, p->tok.off, "expected ')' to close '(' at position %zu, "
		    "got %s", utf8_position(p->text, off), what);
		free(what);
		expr_node_free(n);
		return NULL;
	}
	n->off = off;
	if (expr_parse_next(p) != 0) {
		expr_node_free(n);
		return NULL;
	}
	return n;
}

static bool expr_parse_next_is_paren(const struct expr_parser *p)
{
	size_t i = p->tok.end;

	while (i < p->len && strchr(" \t\r\n", p->text[i]) != NULL)
		i++;
	return i < p->len && p->text[i] == '(';
}

static struct expr_node *expr_parse_primary(struct expr_parser *p)
{
	switch (p->tok.kind) {
	case TOK_INT:
	case TOK_FLOAT:
	case TOK_STRING:
	case TOK_DATE:
	case TOK_TRUE:
	case TOK_FALSE:
		return expr_parse_literal(p);
	case TOK_NAME:
		if (expr_parse_next_is_paren(p))
			return expr_parse_call(p);
		return expr_parse_column(p);
	case TOK_QNAME:
		return expr_parse_column(p);
	case TOK_LPAREN:
		return expr_parse_group(p);
	default:
		expr_parse_unexpected(p, "a value");
		return NULL;
	}
}

/* Negation folds into numeric literals so that -3 stays a literal. */
static struct expr_node *expr_parse_unary(struct expr_parser *p)
{
	struct expr_node *n, *arg;
	size_t off = p->tok.off;

	if (p->tok.kind != TOK_MINUS)
		return expr_parse_primary(p);
	if (!expr_parse_count_op(p, off) || expr_parse_next(p) != 0 ||
	    (arg = expr_parse_unary(p)) == NULL)
		return NULL;
	if (arg->op == EXPR_CONST && arg->type == COL_INT && arg->lit.i != INT64_MIN) {
		arg->lit.i = -arg->lit.i;
		arg->off = off;
		return arg;
	}
	if (arg->op == EXPR_CONST && arg->type == COL_FLOAT) {
		arg->lit.f = -arg->lit.f;
		arg->off = off;
		return arg;
	}
	n = expr_node_new(EXPR_NEG, off);
	n->op_off = off;
	expr_node_add(n, arg);
	return n;
}

static struct expr_node *expr_parse_binary(struct expr_node *left, enum expr_op op,
    size_t op_off, struct expr_node *right)
{
	struct expr_node *n = expr_node_new(op, left->off);

	n->op_off = op_off;
	expr_node_add(n, left);
	expr_node_add(n, right);
	return n;
}

/* Parses left-associative runs of operators from a table. */
static struct expr_node *expr_parse_chain(struct expr_parser *p,
    struct expr_node *(*operand)(struct expr_parser *), const enum expr_tok *toks,
    const enum expr_op *ops, size_t n_ops)
{
	struct expr_node *left, *right;

	if ((left = operand(p)) == NULL)
		return NULL;
	for (;;) {
		size_t k, op_off = p->tok.off;

		for (k = 0; k < n_ops && p->tok.kind != toks[k]; k++)
			;
		if (k == n_ops)
			return left;
		if (!expr_parse_count_op(p, op_off) || expr_parse_next(p) != 0 ||
		    (right = operand(p)) == NULL) {
			expr_node_free(left);
			return NULL;
		}
		left = expr_parse_binary(left, ops[k], op_off, right);
	}
}

static struct expr_node *expr_parse_product(struct expr_parser *p)
{
	static const enum expr_tok toks[] = { TOK_STAR, TOK_SLASH };
	static const enum expr_op ops[] = { EXPR_MUL, EXPR_DIV };

	return expr_parse_chain(p, expr_parse_unary, toks, ops, 2);
}

static struct expr_node *expr_parse_sum(struct expr_parser *p)
{
	static const enum expr_tok toks[] = { TOK_PLUS, TOK_MINUS };
	static const enum expr_op ops[] = { EXPR_ADD, EXPR_SUB };

	return expr_parse_chain(p, expr_parse_product, toks, ops, 2);
}

static int expr_parse_cmp_op(enum expr_tok kind)
{
	static const enum expr_tok toks[] = { TOK_EQ, TOK_NE, TOK_LT, TOK_LE, TOK_GT, TOK_GE };
	static const enum expr_op ops[] = { EXPR_EQ, EXPR_NE, EXPR_LT, EXPR_LE, EXPR_GT, EXPR_GE };

	for (size_t k = 0; k < sizeof toks / sizeof toks[0]; k++) {
		if (kind == toks[k])
			return (int)ops[k];
	}
	return -1;
}

/* An 'in' list item: a literal, maybe negated. */
static struct expr_node *expr_parse_in_item(struct expr_parser *p)
{
	struct expr_node *n;
	size_t off = p->tok.off, ops = p->ops;

	/* A literal is no operator, whatever its sign: lists may be long. */
	if ((n = expr_parse_unary(p)) == NULL)
		return NULL;
	p->ops = ops;
	if (n->op != EXPR_CONST) {
		expr_parse_error(p, off, "'in' takes a list of literal values");
		expr_node_free(n);
		return NULL;
	}
	return n;
}

static int expr_parse_in(struct expr_parser *p, struct expr_node *n)
{
	size_t paren = p->tok.off;

	if (expr_parse_expect(p, TOK_LPAREN, "'(' after 'in'") != 0)
		return -1;
	if (expr_parse_list(p, n, paren, expr_parse_in_item) != 0)
		return -1;
	if (n->n_args == 1) {
		expr_parse_error(p, paren, "'in' needs at least one value");
		return -1;
	}
	return 0;
}

/* The string literal after contains / startswith. */
static int expr_parse_pattern(struct expr_parser *p, struct expr_node *n, const char *word)
{
	char *wanted;
	struct expr_node *lit;

	if (p->tok.kind != TOK_STRING) {
		wanted = xasprintf("a string literal after '%s'", word);
		expr_parse_unexpected(p, wanted);
		free(wanted);
		return -1;
	}
	if ((lit = expr_parse_literal(p)) == NULL)
		return -1;
	expr_node_add(n, lit);
	return 0;
}

/* 'is' ['not'] 'missing'. */
static int expr_parse_is(struct expr_parser *p, struct expr_node *n)
{
	n->op = EXPR_MISSING;
	if (expr_parse_next(p) != 0)
		return -1;
	if (p->tok.kind == TOK_NOT) {
		n->negate = true;
		if (expr_parse_next(p) != 0)
			return -1;
	}
	return expr_parse_expect(p, TOK_MISSING, "'missing' after 'is'");
}

/* ['not'] followed by 'in', 'contains' or 'startswith'. */
static int expr_parse_membership(struct expr_parser *p, struct expr_node *n)
{
	enum expr_tok kind;

	if (p->tok.kind == TOK_NOT) {
		n->negate = true;
		if (expr_parse_next(p) != 0)
			return -1;
		if (p->tok.kind != TOK_IN && p->tok.kind != TOK_CONTAINS &&
		    p->tok.kind != TOK_STARTSWITH) {
			expr_parse_unexpected(p, "'in', 'contains' or 'startswith' after 'not'");
			return -1;
		}
	}
	kind = p->tok.kind;
	if (expr_parse_next(p) != 0)
		return -1;
	if (kind == TOK_IN)
		return expr_parse_in(p, n);
	n->op = kind == TOK_CONTAINS ? EXPR_CONTAINS : EXPR_STARTSWITH;
	return expr_parse_pattern(p, n, kind == TOK_CONTAINS ? "contains" : "startswith");
}

/* The tests that follow an operand: in, contains, startswith, is missing. */
static struct expr_node *expr_parse_test(struct expr_parser *p, struct expr_node *left)
{
	struct expr_node *n = expr_node_new(EXPR_IN, left->off);
	int rc;

	expr_node_add(n, left);
	n->op_off = p->tok.off;
	if (p->tok.kind == TOK_IS)
		rc = expr_parse_is(p, n);
	else
		rc = expr_parse_membership(p, n);
	if (rc == 0)
		return n;
	expr_node_free(n);
	return NULL;
}

static struct expr_node *expr_parse_compare(struct expr_parser *p)
{
	struct expr_node *left, *right;
	size_t op_off;
	int op;

	if ((left = expr_parse_sum(p)) == NULL)
		return NULL;
	switch (p->tok.kind) {
	case TOK_IS:
	case TOK_NOT:
	case TOK_IN:
	case TOK_CONTAINS:
	case TOK_STARTSWITH:
		return expr_parse_test(p, left);
	default:
		break;
	}
	if ((op = expr_parse_cmp_op(p->tok.kind)) < 0)
		return left;
	op_off = p->tok.off;
	if (!expr_parse_count_op(p, op_off) || expr_parse_next(p) != 0 ||
	    (right = expr_parse_sum(p)) == NULL) {
		expr_node_free(left);
		return NULL;
	}
	left = expr_parse_binary(left, (enum expr_op)op, op_off, right);
	if (expr_parse_cmp_op(p->tok.kind) >= 0) {
		expr_parse_error(p, p->tok.off, "comparisons cannot be chained (use 'and')");
		expr_node_free(left);
		return NULL;
	}
	return left;
}

static struct expr_node *expr_parse_not(struct expr_parser *p)
{
	struct expr_node *n, *arg;
	size_t off = p->tok.off;

	if (p->tok.kind != TOK_NOT)
		return expr_parse_compare(p);
	if (!expr_parse_count_op(p, off) || expr_parse_next(p) != 0 ||
	    (arg = expr_parse_not(p)) == NULL)
		return NULL;
	n = expr_node_new(EXPR_NOT, off);
	n->op_off = off;
	expr_node_add(n, arg);
	return n;
}

static struct expr_node *expr_parse_and(struct expr_parser *p)
{
	static const enum expr_tok toks[] = { TOK_AND };
	static const enum expr_op ops[] = { EXPR_AND };

	return expr_parse_chain(p, expr_parse_not, toks, ops, 1);
}

static struct expr_node *expr_parse_or(struct expr_parser *p)
{
	static const enum expr_tok toks[] = { TOK_OR };
	static const enum expr_op ops[] = { EXPR_OR };

	return expr_parse_chain(p, expr_parse_and, toks, ops, 1);
}

/* What follows a complete expression. */
static void expr_parse_trailing(struct expr_parser *p)
{
	char *what;

	if (p->tok.kind == TOK_RPAREN) {
		expr_parse_error(p, p->tok.off, "unmatched ')'");
		return;
	}
	what = expr_parse_describe(p);
	expr_parse_error(p, p->tok.off, "unexpected %s after a complete expression", what);
	free(what);
}

struct expr_node *expr_parse(const char *text, const struct table *t, char **cause)
{
	struct expr_parser p = { .text = text, .len = strlen(text), .t = t };
	struct expr_node *n = NULL;

	if (expr_parse_check_utf8(&p) == 0 && expr_parse_next(&p) == 0) {
		if (p.tok.kind == TOK_END)
			expr_parse_error(&p, 0, "empty expression");
		else if ((n = expr_parse_or(&p)) != NULL && p.tok.kind != TOK_END) {
			expr_parse_trailing(&p);
			expr_node_free(n);
			n = NULL;
		}
	}
	free(p.tok.str);
	if (n == NULL)
		*cause = p.cause ? p.cause : xasprintf("expression '%s': invalid", text);
	else
		free(p.cause);
	return n;
}
