/* The syntax tree shared by the parser (expr-parse.c), the type checker
 * (expr.c) and the evaluator (expr-eval.c). Not for use outside them. */
#ifndef CROSSMKT_EXPR_NODE_H
#define CROSSMKT_EXPR_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "table.h"

/* Rows per evaluation block: big enough to amortise the per-node dispatch,
 * small enough that a node's vector stays in cache. Multiple of 64 so a
 * block starts on a word of the missing bitsets. */
#define EXPR_BLOCK 1024

enum expr_op {
	EXPR_COLUMN, EXPR_CONST, EXPR_CAST,
	EXPR_NEG, EXPR_ADD, EXPR_SUB, EXPR_MUL, EXPR_DIV,
	EXPR_EQ, EXPR_NE, EXPR_LT, EXPR_LE, EXPR_GT, EXPR_GE,
	EXPR_AND, EXPR_OR, EXPR_NOT,
	EXPR_IN, EXPR_MISSING, EXPR_CONTAINS, EXPR_STARTSWITH,
	EXPR_CALL
};

enum expr_fn {
	EXPR_FN_ABS, EXPR_FN_COALESCE, EXPR_FN_DAY, EXPR_FN_HOUR, EXPR_FN_LOG,
	EXPR_FN_MONTH, EXPR_FN_ROUND, EXPR_FN_WEEK,
	EXPR_FN_COUNT
};

/* A literal; which member holds it follows the node's type. */
union expr_value {
	int64_t i;              /* int, and datetime milliseconds */
	double f;
	int32_t days;
	uint8_t b;
	const char *s;          /* points at the node's str */
};

struct expr_run;
struct expr_node;
struct expr_vec;

/* Computes one block of a node into its vector. */
typedef void (*expr_kernel)(struct expr_run *, const struct expr_node *);

struct expr_node {
	enum expr_op op;
	enum expr_fn fn;        /* EXPR_CALL */
	bool negate;            /* not in, not contains, is not missing */
	bool is_literal;        /* written as a literal (maybe negated) */
	enum col_type type;     /* COL_CATEGORY or COL_TEXT for strings */
	bool monthly;           /* a date that reads as a month */
	size_t off;             /* byte offset where the node's text starts */
	size_t op_off;          /* byte offset of its operator or name */
	struct expr_node **args;
	size_t n_args;
	int col;                /* EXPR_COLUMN */
	union expr_value lit;   /* EXPR_CONST */
	int16_t tz;             /* EXPR_CONST datetime offset, or TZ_NONE */
	char *str;              /* EXPR_CONST string text */
	int digits;             /* round() */
	size_t id;              /* index of its vector in a run */
	expr_kernel kernel;
};

struct expr {
	char *text;
	struct expr_node *root;
	size_t n_nodes;
	size_t n_cols;          /* shape of the table it was compiled for */
	char **col_names;
	enum col_type *col_types;
};

/* One node's values for the current block. */
struct expr_vec {
	union {
		int64_t *i64;
		double *f64;
		int32_t *days;
		uint8_t *b;
		const char **s;
		void *raw;
	} v;
	const uint8_t *miss;    /* 1 = missing; NULL when no row is; may
	                           point at a child's mask, so never write
	                           through it (write mbuf) */
	int16_t *tz;            /* datetime offsets, NULL when none */
	void *buf;              /* storage owned by the run */
	uint8_t *mbuf;
	int16_t *tzbuf;
	uint8_t *map;           /* per dictionary code, for string tests */
	bool filled;            /* constants are written once per run */
};

struct expr_run {
	const struct expr *e;
	const struct table *t;
	struct expr_vec *vecs;  /* by node id */
	size_t start;           /* first row of the block */
	size_t n;               /* rows in the block */
};

/* A node starting at byte offset off; it owns its arguments. */
struct expr_node *expr_node_new(enum expr_op op, size_t off);
/* Frees a node and its arguments. */
void expr_node_free(struct expr_node *n);
/* Appends an argument, taking ownership. */
void expr_node_add(struct expr_node *n, struct expr_node *arg);
/* The function named by len bytes at name, any case, or -1. */
int expr_fn_find(const char *name, size_t len);
/* "int", "float", "bool", "date", "datetime" or "string". */
const char *expr_type_name(enum col_type type);

/* Builds the tree of text against t's columns; NULL and *cause on error. */
struct expr_node *expr_parse(const char *text, const struct table *t, char **cause);
/* Chooses the kernel of a checked node. */
void expr_eval_bind(struct expr_node *n);

#endif
