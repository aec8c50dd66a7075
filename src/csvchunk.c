/* Parsing one chunk of records into typed chunk-local buffers. */
#include "config.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "csvchunk.h"
#include "utf8.h"
#include "csvnum.h"
#include "datetime.h"
#include "table.h"
#include "xmalloc.h"

#define CSVCHUNK_DEFAULT_SIZE (1u << 20)
/* libcsv is fed this much at a time so an error stops the work early. */
#define CSVCHUNK_FEED (256u << 10)

static size_t csvchunk_size_bytes = CSVCHUNK_DEFAULT_SIZE;

size_t csvchunk_size(void)
{
	return csvchunk_size_bytes;
}

void csvchunk_set_size(size_t size)
{
	csvchunk_size_bytes = size ? size : CSVCHUNK_DEFAULT_SIZE;
}

size_t csvchunk_count_byte(const char *s, size_t len, unsigned char c)
{
	const uint64_t ones = 0x0101010101010101ULL, low7 = 0x7f7f7f7f7f7f7f7fULL;
	const uint64_t pat = ones * c;
	size_t n = 0, i = 0;

	/* Eight bytes at a time: the high bit of y is set exactly for the
	 * bytes of w equal to c (no carries cross bytes). */
	for (; i + 8 <= len; i += 8) {
		uint64_t w, t, y;

		memcpy(&w, s + i, 8);
		t = w ^ pat;
		y = ~(((t & low7) + low7) | t | low7);
		/* One bit per matching byte, summed by a multiply. */
		n += (size_t)(((y >> 7) * ones) >> 56);
	}
	for (; i < len; i++)
		n += (unsigned char)s[i] == c;
	return n;
}

size_t csvchunk_split(const char *s, size_t len, size_t from, size_t *quotes)
{
	size_t q = *quotes + csvchunk_count_byte(s + from, len - from, '"'), end = len;
	const char *nl;

	*quotes = q;
	/* Walk back over newlines, keeping the parity of quotes before each. */
	while (end > from && (nl = memrchr(s + from, '\n', end - from)) != NULL) {
		size_t at = (size_t)(nl - s);

		q -= csvchunk_count_byte(nl, end - at, '"');
		if (q % 2 == 0)
			return at + 1;
		end = at;
	}
	return 0;
}

/* A walk over records and fields with libcsv's rules: quotes, doubled
 * quotes, CR or LF ending a record, blank lines skipped. */
struct csvchunk_walk {
	const char *s;
	size_t len, i;
	char delim;
	size_t lines, row, field;
	size_t q_lines, q_field;        /* where the last quote opened */
	bool quoted, begun;
};

enum csvchunk_step { CS_BYTE, CS_BEGIN, CS_FIELD, CS_END };

/* Consumes one byte; reports when a record begins, a field begins after a
 * delimiter, or a record ends. */
static enum csvchunk_step csvchunk_walk_step(struct csvchunk_walk *w)
{
	char c = w->s[w->i++];

	if (w->quoted) {
		if (c == '"' && w->i < w->len && w->s[w->i] == '"')
			w->i++;
		else if (c == '"')
			w->quoted = false;
		else if (c == '\n')
			w->lines++;
		return CS_BYTE;
	}
	if (c == '\n' || c == '\r') {
		w->lines += c == '\n';
		if (!w->begun)
			return CS_BYTE;
		w->begun = false;
		w->row++;
		w->field = 0;
		return CS_END;
	}
	if (c == w->delim) {
		enum csvchunk_step st = w->begun ? CS_FIELD : CS_BEGIN;

		w->begun = true;
		w->field++;
		return st;
	}
	if (!w->begun && (c == ' ' || c == '\t'))
		return CS_BYTE;
	if (c == '"') {
		w->quoted = true;
		w->q_lines = w->lines;
		w->q_field = w->field;
	}
	if (w->begun)
		return CS_BYTE;
	w->begun = true;
	return CS_BEGIN;
}

static void csvchunk_walk_init(struct csvchunk_walk *w, const char *s, size_t len, char delim)
{
	memset(w, 0, sizeof *w);
	w->s = s;
	w->len = len;
	w->delim = delim;
}

size_t csvchunk_record_end(const char *s, size_t len, char delim)
{
	struct csvchunk_walk w;

	csvchunk_walk_init(&w, s, len, delim);
	while (w.i < len) {
		if (csvchunk_walk_step(&w) != CS_END)
			continue;
		if (s[w.i - 1] == '\r' && w.i < len && s[w.i] == '\n')
			w.i++;
		return w.i;
	}
	return 0;
}

struct csvchunk_where csvchunk_locate_offset(const char *s, size_t len, char delim, size_t off)
{
	struct csvchunk_walk w;

	csvchunk_walk_init(&w, s, len, delim);
	while (w.i < len && w.i < off)
		csvchunk_walk_step(&w);
	return (struct csvchunk_where){ w.lines, w.field };
}

struct csvchunk_where csvchunk_locate_field(const char *s, size_t len, char delim,
    size_t row, size_t field)
{
	struct csvchunk_walk w;

	csvchunk_walk_init(&w, s, len, delim);
	while (w.i < len) {
		size_t lines = w.lines;
		enum csvchunk_step st = csvchunk_walk_step(&w);

		/* A delimiter that begins a record also begins its field 1. */
		if (st == CS_BEGIN && w.row == row && field == 0)
			return (struct csvchunk_where){ lines, 0 };
		if ((st == CS_FIELD || st == CS_BEGIN) && w.row == row && w.field == field &&
		    field > 0)
			return (struct csvchunk_where){ w.lines, field };
	}
	return (struct csvchunk_where){ w.lines, field };
}

struct csvchunk_where csvchunk_locate_open_quote(const char *s, size_t len, char delim)
{
	struct csvchunk_walk w;

	csvchunk_walk_init(&w, s, len, delim);
	while (w.i < len)
		csvchunk_walk_step(&w);
	return (struct csvchunk_where){ w.q_lines, w.q_field };
}

size_t csvchunk_check_utf8(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		uint64_t w;

		if (i + 8 <= len && (memcpy(&w, u + i, 8), (w & 0x8080808080808080ULL) == 0)) {
			i += 8;
			continue;
		}
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = utf8_decode(u + i, len - i, &cp)) == 0)
			return i;
		i += n;
	}
	return len;
}

bool csvchunk_looks_gbk(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	bool pairs = false;

	for (size_t i = 0; i < len; i++) {
		if (u[i] < 0x80)
			continue;
		if (u[i] == 0x80 || u[i] == 0xff || i + 1 == len || u[i + 1] < 0x40 ||
		    u[i + 1] == 0x7f || u[i + 1] == 0xff)
			return false;
		i++;
		pairs = true;
	}
	return pairs;
}

enum csvchunk_type csvchunk_join(enum csvchunk_type a, enum csvchunk_type b)
{
	if (a == b || b == CT_EMPTY)
		return a;
	if (a == CT_EMPTY)
		return b;
	if ((a == CT_INT && b == CT_FLOAT) || (a == CT_FLOAT && b == CT_INT))
		return CT_FLOAT;
	if ((a == CT_DATE && b == CT_DATETIME) || (a == CT_DATETIME && b == CT_DATE))
		return CT_DATETIME;
	return CT_STRING;
}

size_t csvchunk_width(enum csvchunk_type type)
{
	return type == CT_STRING ? sizeof(uint32_t) : sizeof(int64_t);
}

struct csvchunk *csvchunk_new(char *raw, size_t len, size_t n_cols, char delim)
{
	struct csvchunk *ch = xcalloc(1, sizeof *ch);

	ch->raw = raw;
	ch->len = len;
	ch->n_cols = n_cols;
	ch->delim = delim;
	return ch;
}

void csvchunk_free_cols(struct csvchunk *ch)
{
	for (size_t j = 0; ch->cols != NULL && j < ch->n_cols; j++) {
		free(ch->cols[j].vals);
		free(ch->cols[j].tz);
		free(ch->cols[j].missing);
		dict_free(ch->cols[j].dict);
	}
	free(ch->cols);
	ch->cols = NULL;
}

void csvchunk_free(struct csvchunk *ch)
{
	if (ch == NULL)
		return;
	csvchunk_free_cols(ch);
	free(ch->raw);
	free(ch);
}

/* The state of one libcsv pass over a chunk. */
struct csvchunk_ctx {
	struct csvchunk *ch;
	size_t field;           /* fields seen in the current record */
	bool stop;              /* an error was recorded */
	bool pending;           /* some column must be parsed again as strings */
};

/* Whether s is written like NaN or Inf (nan, NAN, inf, INF, Infinity,
 * INFINITY, infinity, with a sign for the infinities). */
static bool csvchunk_nonfinite(const char *s, size_t len)
{
	static const char *const words[] = { "inf", "Inf", "INF", "infinity", "Infinity", "INFINITY" };

	if (len == 3 && (memcmp(s, "NaN", 3) == 0 || memcmp(s, "nan", 3) == 0 ||
	    memcmp(s, "NAN", 3) == 0))
		return true;
	if (len > 0 && (s[0] == '+' || s[0] == '-')) {
		s++;
		len--;
	}
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (len == strlen(words[i]) && memcmp(s, words[i], len) == 0)
			return true;
	return false;
}

/* Missing: empty, NA, NULL, null, and NaN and the infinities (so that no
 * value is ever NaN or infinite). */
static inline bool csvchunk_missing(const char *s, size_t len)
{
	switch (len) {
	case 0:
		return true;
	case 2:
		return s[0] == 'N' && s[1] == 'A';
	case 4:
		return memcmp(s, "NULL", 4) == 0 || memcmp(s, "null", 4) == 0 ||
		    csvchunk_nonfinite(s, len);
	case 3: case 8: case 9:
		return csvchunk_nonfinite(s, len);
	default:
		return false;
	}
}

static void csvchunk_grow(struct csvchunk *ch)
{
	size_t cap = ch->cap ? ch->cap * 2 : 1024, words = (cap + 63) / 64;

	for (size_t j = 0; j < ch->n_cols; j++) {
		struct csvchunk_col *c = &ch->cols[j];

		if (c->vals != NULL)
			c->vals = xreallocarray(c->vals, cap, csvchunk_width(c->type));
		if (c->tz != NULL)
			c->tz = xreallocarray(c->tz, cap, sizeof *c->tz);
		if (c->missing != NULL) {
			size_t old = (ch->cap + 63) / 64;

			c->missing = xreallocarray(c->missing, words, sizeof *c->missing);
			memset(c->missing + old, 0, (words - old) * sizeof *c->missing);
		}
	}
	ch->cap = cap;
}

static void csvchunk_set_missing(struct csvchunk *ch, struct csvchunk_col *c, size_t row)
{
	if (c->missing == NULL)
		c->missing = xcalloc((ch->cap + 63) / 64, sizeof *c->missing);
	c->missing[row / 64] |= (uint64_t)1 << (row % 64);
	c->n_missing++;
	if (c->vals != NULL && c->type == CT_STRING)
		((uint32_t *)c->vals)[row] = 0;
	else if (c->vals != NULL)
		((int64_t *)c->vals)[row] = 0;
	if (c->tz != NULL)
		c->tz[row] = TZ_NONE;
}

static void csvchunk_fail(struct csvchunk_ctx *x, enum csvchunk_err err)
{
	x->ch->err = err;
	x->ch->err_row = x->ch->n_rows;
	x->ch->err_field = x->field;
	x->stop = true;
}

static void csvchunk_store_string(struct csvchunk_ctx *x, struct csvchunk_col *c,
    const char *s, size_t len)
{
	uint32_t before = dict_count(c->dict), code;
	size_t bad;

	/* Runs of one value (a campaign name, sorted ids) skip the hash. */
	if (before > 0 && dict_strlen(c->dict, c->last) == len &&
	    memcmp(dict_str(c->dict, c->last), s, len) == 0) {
		((uint32_t *)c->vals)[x->ch->n_rows] = c->last;
		return;
	}
	code = dict_intern(c->dict, s, len);
	c->last = code;

	/* Each distinct string is checked once, when it is first seen. */
	if (code == before && (bad = csvchunk_check_utf8(s, len)) < len) {
		csvchunk_fail(x, CE_UTF8);
		x->ch->err_byte_at = bad;
		x->ch->err_lines = csvchunk_count_byte(s, bad, '\n');
		x->ch->err_byte = (unsigned char)s[bad];
		x->ch->err_gbk = csvchunk_looks_gbk(s, len);
		return;
	}
	((uint32_t *)c->vals)[x->ch->n_rows] = code;
}

/* A value of any non-string type, as classified by csvchunk_classify. */
struct csvchunk_val {
	enum csvchunk_type type;
	int64_t i;
	double f;
	int16_t tz;
	bool monthly;
};

static enum csvchunk_type csvchunk_classify(const char *s, size_t len, struct csvchunk_val *v)
{
	int32_t days;
	bool b;

	if (csvnum_parse_int(s, len, &v->i))
		return v->type = CT_INT;
	if (csvnum_parse_float(s, len, &v->f))
		return v->type = CT_FLOAT;
	if (datetime_parse_date(s, len, &days, &v->monthly)) {
		v->i = days;
		return v->type = CT_DATE;
	}
	if (datetime_parse_datetime(s, len, &v->i, &v->tz))
		return v->type = CT_DATETIME;
	if (csvnum_parse_bool(s, len, &b)) {
		v->i = b;
		return v->type = CT_BOOL;
	}
	return v->type = CT_STRING;
}

void csvchunk_widen_vals(void *vals, size_t rows, enum csvchunk_type from,
    enum csvchunk_type to)
{
	int64_t *i64 = vals;
	double *f64 = vals;

	for (size_t r = 0; from == CT_INT && to == CT_FLOAT && r < rows; r++)
		f64[r] = (double)i64[r];
	for (size_t r = 0; from == CT_DATE && to == CT_DATETIME && r < rows; r++)
		i64[r] *= MS_PER_DAY;
}

static void csvchunk_put_tz(struct csvchunk *ch, struct csvchunk_col *c, int16_t tz)
{
	if (c->tz == NULL && tz == TZ_NONE)
		return;
	if (c->tz == NULL) {
		c->tz = xreallocarray(NULL, ch->cap, sizeof *c->tz);
		for (size_t r = 0; r < ch->n_rows; r++)
			c->tz[r] = TZ_NONE;
	}
	c->tz[ch->n_rows] = tz;
}

/* Stores a classified value in a column of type c->type (already joined). */
static void csvchunk_put(struct csvchunk *ch, struct csvchunk_col *c, struct csvchunk_val *v)
{
	int64_t *i64 = c->vals;

	if (c->type == CT_FLOAT) {
		((double *)c->vals)[ch->n_rows] = v->type == CT_INT ? (double)v->i : v->f;
		return;
	}
	if (c->type == CT_DATETIME && v->type == CT_DATE) {
		v->i *= MS_PER_DAY;
		v->tz = TZ_NONE;
	}
	if (v->type == CT_DATE)
		*(v->monthly ? &c->n_monthly : &c->n_daily) += 1;
	if (c->type == CT_DATETIME)
		csvchunk_put_tz(ch, c, v->tz);
	i64[ch->n_rows] = v->i;
}

/* The general path: classify the cell and widen the column if needed. */
static void csvchunk_store_slow(struct csvchunk_ctx *x, struct csvchunk_col *c,
    const char *s, size_t len)
{
	struct csvchunk_val v;
	enum csvchunk_type t, to;

	/* Beyond the range of a double (1e999): missing, like NaN. */
	if (c->type != CT_STRING && csvnum_overflows(s, len)) {
		csvchunk_set_missing(x->ch, c, x->ch->n_rows);
		return;
	}
	t = csvchunk_classify(s, len, &v);
	to = csvchunk_join(c->type, t);
	if (to == CT_STRING && c->type != CT_EMPTY) {
		/* Values of another type were stored: read the column again. */
		c->type = CT_PENDING;
		x->pending = true;
		return;
	}
	if (c->type == CT_EMPTY) {
		c->vals = xcalloc(x->ch->cap, csvchunk_width(to));
		c->type = to;
		if (to == CT_STRING)
			c->dict = dict_new();
	} else if (to != c->type) {
		csvchunk_widen_vals(c->vals, x->ch->n_rows, c->type, to);
		c->type = to;
	}
	if (to == CT_STRING)
		csvchunk_store_string(x, c, s, len);
	else
		csvchunk_put(x->ch, c, &v);
}

static bool csvchunk_store_date(struct csvchunk_col *c, size_t row, const char *s, size_t len)
{
	int32_t days;
	bool monthly;

	if (!datetime_parse_date(s, len, &days, &monthly))
		return false;
	((int64_t *)c->vals)[row] = days;
	*(monthly ? &c->n_monthly : &c->n_daily) += 1;
	return true;
}

/* Stores one cell; the common cases take the first branch that matches
 * the column's current type. */
static void csvchunk_store(struct csvchunk_ctx *x, struct csvchunk_col *c, const char *s,
    size_t len)
{
	size_t row = x->ch->n_rows;
	int64_t *i64 = c->vals;
	int16_t tz;

	if (csvchunk_missing(s, len)) {
		csvchunk_set_missing(x->ch, c, row);
		return;
	}
	switch (c->type) {
	case CT_STRING:
		csvchunk_store_string(x, c, s, len);
		return;
	case CT_INT:
		if (csvnum_parse_int(s, len, &i64[row]))
			return;
		break;
	case CT_FLOAT:
		if (csvnum_parse_float(s, len, &((double *)c->vals)[row]))
			return;
		break;
	case CT_DATETIME:
		if (datetime_parse_datetime(s, len, &i64[row], &tz)) {
			csvchunk_put_tz(x->ch, c, tz);
			return;
		}
		break;
	case CT_DATE:
		if (csvchunk_store_date(c, row, s, len))
			return;
		break;
	case CT_PENDING:
		return;
	default:
		break;
	}
	csvchunk_store_slow(x, c, s, len);
}

static void csvchunk_on_field(void *s, size_t len, void *arg)
{
	struct csvchunk_ctx *x = arg;

	if (x->stop)
		return;
	if (x->field < x->ch->n_cols)
		csvchunk_store(x, &x->ch->cols[x->field], s, len);
	x->field++;
}

static void csvchunk_on_row(int c, void *arg)
{
	struct csvchunk_ctx *x = arg;

	(void)c;
	if (x->stop)
		return;
	if (x->field != x->ch->n_cols) {
		csvchunk_fail(x, CE_RAGGED);
		x->ch->err_fields = x->field;
		return;
	}
	x->field = 0;
	if (++x->ch->n_rows == x->ch->cap)
		csvchunk_grow(x->ch);
}

/* Sets up empty columns; forced ones start as strings. */
static void csvchunk_init_cols(struct csvchunk *ch, const bool *forced)
{
	/* Records end with a newline, except with bare CR line ends (then
	 * the buffers grow). */
	ch->cap = ch->n_newlines + 64;
	ch->n_rows = 0;
	ch->err = CE_NONE;
	ch->cols = xcalloc(ch->n_cols, sizeof *ch->cols);
	for (size_t j = 0; j < ch->n_cols; j++) {
		if (!forced[j])
			continue;
		ch->cols[j].type = CT_STRING;
		ch->cols[j].vals = xcalloc(ch->cap, sizeof(uint32_t));
		ch->cols[j].dict = dict_new();
	}
}

static void *csvchunk_realloc(void *p, size_t size)
{
	return xreallocarray(p, size, 1);
}

/* One libcsv pass over the chunk; returns true when it must be redone. */
static bool csvchunk_pass(struct csvchunk *ch, const bool *forced)
{
	struct csvchunk_ctx x = { ch, 0, false, false };
	struct csv_parser p;
	size_t off = 0;

	csvchunk_init_cols(ch, forced);
	csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	csv_set_delim(&p, (unsigned char)ch->delim);
	csv_set_realloc_func(&p, csvchunk_realloc);
	while (off < ch->len && !x.stop) {
		size_t n = ch->len - off < CSVCHUNK_FEED ? ch->len - off : CSVCHUNK_FEED;
		size_t used = csv_parse(&p, ch->raw + off, n, csvchunk_on_field, csvchunk_on_row, &x);

		if (used < n && !x.stop) {
			csvchunk_fail(&x, csv_error(&p) == CSV_EPARSE ? CE_QUOTE : CE_LIBCSV);
			ch->err_off = off + used;
		}
		off += n;
		/* libcsv grows its field buffer by a fixed step: make the step
		 * the size so far, so that a huge field costs linear time. */
		if (p.entry_size > p.blk_size)
			csv_set_blk_size(&p, p.entry_size);
	}
	if (!x.stop && csv_fini(&p, csvchunk_on_field, csvchunk_on_row, &x) != 0 && !x.stop)
		csvchunk_fail(&x, CE_UNCLOSED);
	csv_free(&p);
	return x.pending;
}

void csvchunk_parse(struct csvchunk *ch, const bool *forced)
{
	bool *force = xmalloc(ch->n_cols * sizeof *force);

	ch->n_newlines = csvchunk_count_byte(ch->raw, ch->len, '\n');
	memcpy(force, forced, ch->n_cols * sizeof *force);
	while (csvchunk_pass(ch, force)) {
		for (size_t j = 0; j < ch->n_cols; j++)
			force[j] |= ch->cols[j].type == CT_PENDING;
		csvchunk_free_cols(ch);
	}
	free(force);
}
