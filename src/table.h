/* The dataset model: a named table of typed columns.
 *
 * Columns are stored column by column, one array of fixed-width values per
 * column, so a million rows of an events file stay small. Strings (category
 * and text columns) are dictionary-encoded: the column holds 32-bit codes and
 * a dictionary owns each distinct string once. Missing values are a bitset
 * beside the values; a missing cell's value slot holds 0 and must not be
 * read as data.
 *
 * Ownership: a table owns its columns, their arrays, dictionaries and names.
 * table_free frees everything. */
#ifndef CROSSMKT_TABLE_H
#define CROSSMKT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "datetime.h"
#include "dict.h"

enum col_type {
	COL_INT,        /* int64_t */
	COL_FLOAT,      /* double */
	COL_DATE,       /* int32_t days since 1970-01-01 (proleptic Gregorian) */
	COL_DATETIME,   /* int64_t milliseconds since 1970-01-01T00:00Z */
	COL_BOOL,       /* uint8_t 0 or 1 */
	COL_CATEGORY,   /* uint32_t dictionary code, few distinct values */
	COL_TEXT,       /* uint32_t dictionary code, mostly distinct values */
	COL_TYPE_COUNT
};

/* What a column means to the analyses; inferred from its name or given on
 * the load command as ROLE=COLUMN. */
enum col_role {
	ROLE_ID, ROLE_USER, ROLE_ITEM, ROLE_TIME, ROLE_AMOUNT, ROLE_ARM,
	ROLE_EVENT, ROLE_CAMPAIGN, ROLE_LAT, ROLE_LON,
	ROLE_COUNT
};

struct column {
	char *name;
	enum col_type type;
	size_t n_missing;
	uint64_t *missing;      /* bit i set: row i is missing; NULL when none */
	union {
		int64_t *i64;   /* COL_INT, COL_DATETIME */
		double *f64;    /* COL_FLOAT */
		int32_t *days;  /* COL_DATE */
		uint8_t *b;     /* COL_BOOL */
		uint32_t *codes; /* COL_CATEGORY, COL_TEXT */
		void *raw;
	} v;
	struct dict *dict;      /* COL_CATEGORY, COL_TEXT */
	int16_t *tz;            /* COL_DATETIME: minutes east of UTC per row, or
	                           TZ_NONE; NULL when no value had an offset */
	bool monthly;           /* COL_DATE written as YYYY-MM */
	/* Personal data hidden by 'mask': views and exports show "***" for
	 * every present cell (report_cell, csvwrite, describe). */
	bool masked;
	/* Made by aggregate count() or distinct() and counting users (see
	 * privacy_counts_users): a group's size, which min_group= checks. */
	bool group_count;
	/* Made by table_borrow: the arrays may be another table's, so
	 * table_free leaves them (see workspace_adopt). */
	bool borrowed;
};

/* A file's identity: its device and inode, and a hash of the bytes
 * before tail_off (up to TABLE_SOURCE_TAIL of them: the last line read).
 * ino 0: unknown. */
#define TABLE_SOURCE_TAIL 256
struct table_source {
	unsigned long long dev, ino;
	unsigned long long tail_off;
	uint64_t tail_hash;
};

struct table {
	char *name;
	char *path;             /* file it was loaded from, or NULL */
	size_t n_rows;
	size_t n_cols;
	struct column *cols;
	int roles[ROLE_COUNT];  /* column index per role, -1 when none */
	/* Where the rows read from path end in it, once watch or forget has
	 * found out: the offset after the last record, the newlines before it
	 * (0 while unknown) and the delimiter. */
	unsigned long long path_end;
	size_t path_end_line;
	char path_delim;
	/* What path was when its rows were read, so that watch notices a
	 * file replaced (renamed over or rewritten) rather than reading on. */
	struct table_source source;
	/* The table this one was borrowed from (table_borrow), or NULL. */
	const struct table *origin;
};

/* "int", "float", "date", "datetime", "bool", "category", "text". */
const char *col_type_name(enum col_type type);
/* "id", "user", "item", "time", "amount", "arm", "event", "campaign", "lat", "lon". */
const char *col_role_name(enum col_role role);
/* Parses a role name; -1 when unknown. */
int col_role_parse(const char *name);
/* Bytes per value of a type. */
size_t col_type_width(enum col_type type);
bool col_type_numeric(enum col_type type);      /* int, float, bool */
bool col_type_string(enum col_type type);       /* category, text */

struct table *table_new(const char *name, const char *path);
void table_free(struct table *t);
/* A copy of t's header (names, roles, column list) whose columns share t's
 * arrays, marked borrowed. A command may add, drop or rename columns of the
 * copy while t is read on another thread; nothing may change the shared
 * arrays in place. */
struct table *table_borrow(const struct table *t);
/* Appends a column with n_rows zeroed values (and a dictionary for string
 * types); returns it. The pointer is valid until the next add. */
struct column *table_add_column(struct table *t, const char *name, enum col_type type);
/* Replaces column j by a new one of type with zeroed values, keeping its
 * name and place; returns it. */
struct column *table_reset_column(struct table *t, size_t j, enum col_type type);
/* Appends a column whose arrays were filled elsewhere (for example by the
 * expression evaluator), taking ownership of them and of name. */
void table_adopt_column(struct table *t, struct column *c, char *name);
/* Makes c a string column (text unless it is a category) of codes in d,
 * taking both; its old values are freed unless it is borrowed. */
void column_replace_strings(struct column *c, uint32_t *codes, struct dict *d);
/* Frees the columns from index n on, keeping the first n. */
void table_truncate_columns(struct table *t, size_t n);
/* Index of a column by exact name, or -1. */
int table_find_column(const struct table *t, const char *name);
/* The column names with sep between them, for messages (the caller's). */
char *table_column_names(const struct table *t, const char *sep);
/* Sets roles from column names (user_id, CustomerID, timestamp, ...) for
 * every role not yet set. */
void table_infer_roles(struct table *t);
/* Bytes held by the table, for memory reports. */
size_t table_bytes(const struct table *t);

static inline bool column_is_missing(const struct column *c, size_t row)
{
	return c->missing != NULL && (c->missing[row / 64] >> (row % 64)) & 1;
}

/* Marks a row missing (allocating the bitset for n_rows on first use). */
void column_set_missing(struct column *c, size_t n_rows, size_t row);
/* The value of a numeric, date or datetime cell as a double (days for date,
 * milliseconds for datetime). The cell must not be missing. */
double column_number(const struct column *c, size_t row);
/* Writes a cell as text ("" when missing): numbers in shortest round-trip
 * form, dates as YYYY-MM-DD (or YYYY-MM), datetimes as YYYY-MM-DD HH:MM:SS
 * with their offset when they had one. Returns the length written; the
 * output is truncated to size - 1 bytes. */
size_t column_format(const struct column *c, size_t row, char *buf, size_t size);
/* The string of a category or text cell (not missing). */
static inline const char *column_str(const struct column *c, size_t row)
{
	return dict_str(c->dict, c->v.codes[row]);
}

#endif
