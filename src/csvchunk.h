/* One chunk of a CSV file: whole records, parsed with libcsv into typed,
 * chunk-local column buffers that the loader later appends to the table.
 *
 * Internal to the CSV loader (csvload.c) and its tests. A chunk owns its raw
 * bytes and its buffers; csvchunk_free releases both. */
#ifndef CROSSMKT_CSVCHUNK_H
#define CROSSMKT_CSVCHUNK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dict.h"

/* The types a column can have while loading, in no particular order; see
 * csvchunk_join for how two of them combine. */
enum csvchunk_type {
	CT_EMPTY,       /* only missing values so far */
	CT_BOOL,        /* int64_t 0 or 1 */
	CT_INT,         /* int64_t */
	CT_FLOAT,       /* double */
	CT_DATE,        /* int64_t days */
	CT_DATETIME,    /* int64_t ms, optional tz */
	CT_STRING,      /* uint32_t code in the chunk's dictionary */
	CT_PENDING      /* became a string after other values: parse again */
};

enum csvchunk_err {
	CE_NONE,
	CE_RAGGED,      /* err_row has err_fields fields */
	CE_QUOTE,       /* misplaced quote at err_off */
	CE_UNCLOSED,    /* a quote is still open at the end of the file */
	CE_UTF8,        /* invalid UTF-8 in err_row, field err_field */
	CE_LIBCSV       /* libcsv failed otherwise (out of memory) */
};

struct csvchunk_col {
	enum csvchunk_type type;
	void *vals;             /* 8 bytes per row, 4 for CT_STRING */
	int16_t *tz;            /* datetime offsets, NULL until one is seen */
	uint64_t *missing;      /* NULL until a value is missing */
	size_t n_missing;
	size_t n_monthly, n_daily;      /* date values written YYYY-MM / YYYY-MM-DD */
	struct dict *dict;
	uint32_t last;          /* code of the last string stored */
};

struct csvchunk {
	char *raw;              /* whole records; the last chunk may lack a newline */
	size_t len;
	size_t n_cols;
	char delim;
	size_t n_rows, cap;
	size_t n_newlines;      /* '\n' bytes in raw, for line numbers */
	struct csvchunk_col *cols;
	bool done;

	enum csvchunk_err err;
	size_t err_row, err_field, err_fields, err_off;
	size_t err_byte_at;     /* CE_UTF8: offset of the bad byte in the field */
	size_t err_lines;       /* CE_UTF8: newlines in the field before it */
	unsigned char err_byte;
	bool err_gbk;           /* CE_UTF8: the field looks GBK-encoded */
};

/* Takes ownership of raw (len bytes, plus one spare byte). */
struct csvchunk *csvchunk_new(char *raw, size_t len, size_t n_cols, char delim);
/* Frees the chunk, its raw bytes and its buffers; NULL is ignored. */
void csvchunk_free(struct csvchunk *ch);
/* Frees the typed buffers but keeps the raw bytes. */
void csvchunk_free_cols(struct csvchunk *ch);
/* Parses the raw bytes; columns with forced[j] set are read as strings.
 * Stops at the first error (ch->err). */
void csvchunk_parse(struct csvchunk *ch, const bool *forced);

/* The type of a column holding values of types a and b. */
enum csvchunk_type csvchunk_join(enum csvchunk_type a, enum csvchunk_type b);
/* Rewrites the first rows values of an 8-byte array from one type to a
 * wider one (int to float, date to datetime); other pairs are left alone. */
void csvchunk_widen_vals(void *vals, size_t rows, enum csvchunk_type from,
    enum csvchunk_type to);
/* Bytes per value of a loading type. */
size_t csvchunk_width(enum csvchunk_type type);

/* Number of bytes equal to c. */
size_t csvchunk_count_byte(const char *s, size_t len, unsigned char c);
/* Offset just past the last '\n' of s[from..len) that is outside quotes,
 * given that s starts outside quotes and s[0..from) holds *quotes quote
 * bytes and no such newline; 0 when there is none. Sets *quotes to the
 * count for all of s, so a caller that reads on scans new bytes only. */
size_t csvchunk_split(const char *s, size_t len, size_t from, size_t *quotes);
/* Offset just past the end of the first record (its line end, CRLF
 * included); 0 when the record does not end within s. */
size_t csvchunk_record_end(const char *s, size_t len, char delim);

/* Where something is in a chunk: newlines before it, and its field. */
struct csvchunk_where {
	size_t lines;
	size_t field;
};
/* Locates byte off. */
struct csvchunk_where csvchunk_locate_offset(const char *s, size_t len, char delim, size_t off);
/* Locates the start of field `field` of record `row` (records as libcsv
 * counts them: blank lines are skipped). */
struct csvchunk_where csvchunk_locate_field(const char *s, size_t len, char delim,
    size_t row, size_t field);
/* Locates the quote that is still open at the end of s. */
struct csvchunk_where csvchunk_locate_open_quote(const char *s, size_t len, char delim);

/* Offset of the first byte of s that is not valid UTF-8, or len. */
size_t csvchunk_check_utf8(const char *s, size_t len);
/* Whether the non-ASCII bytes of s pair up as GBK double-byte characters. */
bool csvchunk_looks_gbk(const char *s, size_t len);

/* Chunk size in bytes used by the loader; tests make it small so little
 * files span many chunks. 0 restores the default. */
size_t csvchunk_size(void);
void csvchunk_set_size(size_t size);

#endif
