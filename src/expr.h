/* The expression language of filter, derive, campaign targeting and the
 * console's filter box.
 *
 * Grammar, loosest binding first (keywords and function names are not case
 * sensitive; column names are):
 *
 *   expr    := or
 *   or      := and { 'or' and }
 *   and     := not { 'and' not }
 *   not     := 'not' not | test
 *   test    := sum [ cmp-op sum
 *                  | ['not'] 'in' '(' literal { ',' literal } ')'
 *                  | ['not'] 'contains' string
 *                  | ['not'] 'startswith' string
 *                  | 'is' ['not'] 'missing' ]
 *   cmp-op  := '==' | '!=' | '<' | '<=' | '>' | '>='
 *   sum     := product { ('+' | '-') product }
 *   product := unary { ('*' | '/') unary }
 *   unary   := '-' unary | primary
 *   primary := number | string | date | 'true' | 'false'
 *            | name '(' [ expr { ',' expr } ] ')'
 *            | name | '`' quoted name '`' | '(' expr ')'
 *   literal := ['-'] number | string | date | 'true' | 'false'
 *
 * Names are ASCII letters, digits and '_' not starting with a digit; any
 * other column name is written between backticks (`城市`, `unit price`),
 * with `` standing for a backtick, and so is a column named like a keyword
 * (and, or, not, in, is, missing, contains, startswith, true, false). A
 * name followed by '(' is a function call. Strings are single-quoted UTF-8
 * with '' standing for a quote. Numbers without '.' or an exponent are int.
 *
 * Dates. d'2024-03-01' is a date literal, d'2024-03' the first of a month
 * and d'2024-03-01 08:00+08:00' a datetime literal (no offset means UTC;
 * seconds and milliseconds are optional). In addition, a plain string
 * literal that is compared with a date or datetime (by a comparison operator
 * or 'in') is read as one: date < '2024-03-01'. Nowhere else does a string
 * become a date. Datetimes compare as instants; a datetime never compares
 * with a date (use day(ts) to compare local days).
 *
 * Types: int, float, bool, date, datetime and string (category and text
 * columns). int and bool mix with float in arithmetic and comparisons (bool
 * counts as 0 or 1). '/' always gives a float. date + int and date - int
 * give a date, date - date the int number of days. Strings compare
 * byte-wise, which is code point order on UTF-8; contains and startswith
 * are case sensitive and code point correct.
 *
 * Functions: day(t) the date (for a datetime, the local date at its own
 * offset), week(t) the Monday of t's ISO week, month(t) the first of t's
 * month (a monthly date), hour(t) the local hour of a datetime, abs(x),
 * log(x) natural logarithm, round(x[, digits]) half away from zero with an
 * int literal digits (negative rounds to tens, hundreds...), coalesce(a, b,
 * ...) the first argument that is not missing.
 *
 * Missing values: any operator or function with a missing operand gives
 * missing, except 'and' / 'or' (Kleene logic: false and missing is false,
 * true or missing is true), 'is missing' and coalesce. Division by zero,
 * log of a number <= 0, int overflow and dates outside years 1 to 9999 give
 * missing rather than an infinity or a wrapped value. A filter keeps the
 * rows where the predicate is true, dropping false and missing.
 *
 * Errors name the expression and the 1-based character position:
 *   expression 'amount > 'x'': position 10: cannot compare float with string
 *
 * Evaluation runs over blocks of rows into typed vectors, never one tree walk
 * per cell; a string predicate against literals is decided once per
 * dictionary entry and then looked up by code. A compiled expression is
 * only read during evaluation, so threads may evaluate one concurrently. */
#ifndef CROSSMKT_EXPR_H
#define CROSSMKT_EXPR_H

#include <stddef.h>
#include <stdint.h>

#include "table.h"

struct expr;

/* Parses and type-checks text against t's columns; NULL with *cause set on
 * any error. The expression refers to columns by position, so evaluate it
 * only on t or a table with the same columns. */
struct expr *expr_compile(const char *text, const struct table *t, char **cause);
void expr_free(struct expr *e);
/* The result type: COL_BOOL for predicates; string results are COL_TEXT
 * when a text column feeds them and COL_CATEGORY otherwise. */
enum col_type expr_type(const struct expr *e);
/* The source text, owned by the expression. */
const char *expr_text(const struct expr *e);

/* Evaluates every row into out, a new column that the caller owns (free it
 * with expr_column_done unless it is handed to a table): values, missing
 * bitset, dictionary for strings, offsets for datetimes. out->name is
 * NULL. */
int expr_eval_column(const struct expr *e, const struct table *t, struct column *out,
    char **cause);
/* Sets keep[i] to 1 where the predicate is true and 0 where it is false or
 * missing; keep holds t->n_rows bytes. *kept counts the ones. */
int expr_eval_filter(const struct expr *e, const struct table *t, uint8_t *keep, size_t *kept,
    char **cause);
/* Frees the arrays of a column filled by expr_eval_column. */
void expr_column_done(struct column *c);

struct pg_conn;
/* A predicate written against t's columns as a standard SQL boolean for
 * the database conn is connected to (quoting follows its settings): a new
 * string, or NULL with *cause when the expression is not a predicate or
 * uses what the database would compute differently (expr-sql.c). */
char *expr_sql(const char *text, const struct table *t, struct pg_conn *conn, char **cause);

#endif
