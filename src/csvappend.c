/* Appending new records of a growing CSV file to its table. The bytes are
 * parsed as one chunk of the loader (csvchunk.c) with the string columns
 * forced to strings; the chunk's columns are checked against the table's
 * types before anything is appended, so an error leaves the table as it
 * was. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvappend.h"
#include "csvchunk.h"
#include "csvload.h"
#include "csvnum.h"
#include "datetime.h"
#include "safefile.h"
#include "xmalloc.h"

#define CSVAPPEND_BLOCK (1u << 20)
#define CSVAPPEND_MAX_RECORD (64u << 20)

int csvappend_where(const struct table *t, char delim, struct csvappend_pos *pos, char **cause)
{
	pos->source = t->source;
	if (t->path_end_line == 0)
		return csvappend_locate(t, t->path, delim, pos, cause);
	pos->offset = t->path_end;
	pos->line = t->path_end_line;
	pos->delim = delim != 0 ? delim : t->path_delim;
	return 0;
}

void csvappend_remember(struct table *t, const struct csvappend_pos *pos)
{
	t->path_end = pos->offset;
	t->path_end_line = pos->line;
	t->path_delim = pos->delim;
	t->source = pos->source;
}

long long csvappend_size(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return -1;
	return (long long)st.st_size;
}

/* Reads up to n bytes at off; -1 with *cause on an error. */
static ssize_t csvappend_pread(int fd, const char *path, char *buf, size_t n,
    unsigned long long off, char **cause)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = pread(fd, buf + got, n - got, (off_t)(off + got));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* Opens path, refusing a FIFO or device put in its place (which would
 * block the console's following). */
static int csvappend_open(const char *path, char **cause)
{
	struct stat st;
	int fd = safefile_open_read(path, 0, &st, cause);

	if (fd < 0 && *cause == NULL)
		*cause = xasprintf("%s: %s", path, strerror(errno));
	return fd;
}

/* FNV-1a over up to TABLE_SOURCE_TAIL bytes before end; 0 on a read
 * error (then nothing is compared). */
static uint64_t csvappend_tail_hash(int fd, unsigned long long end)
{
	unsigned long long from = end > TABLE_SOURCE_TAIL ? end - TABLE_SOURCE_TAIL : 0;
	unsigned char buf[TABLE_SOURCE_TAIL];
	char *cause = NULL;
	ssize_t n = csvappend_pread(fd, "", (char *)buf, (size_t)(end - from), from, &cause);
	uint64_t h = 0xcbf29ce484222325ULL;

	if (n < 0) {
		free(cause);
		return 0;
	}
	for (ssize_t i = 0; i < n; i++)
		h = (h ^ buf[i]) * 0x100000001b3ULL;
	return h;
}

void csvappend_identify(int fd, unsigned long long end, struct table_source *src)
{
	struct stat st;

	memset(src, 0, sizeof *src);
	if (fstat(fd, &st) != 0)
		return;
	src->dev = (unsigned long long)st.st_dev;
	src->ino = (unsigned long long)st.st_ino;
	src->tail_off = end;
	src->tail_hash = csvappend_tail_hash(fd, end);
}

/* Whether the file open as fd (st its status) is the one the rows came
 * from: same device and inode, same bytes before where they ended. */
static bool csvappend_same_source(int fd, const struct stat *st, const struct table_source *src)
{
	if (src->ino == 0)
		return true;
	if ((unsigned long long)st->st_dev != src->dev || (unsigned long long)st->st_ino != src->ino)
		return false;
	return (unsigned long long)st->st_size < src->tail_off || src->tail_hash == 0 ||
	    csvappend_tail_hash(fd, src->tail_off) == src->tail_hash;
}

/* A window on the file for walking its records from the start. */
struct csvappend_scan {
	int fd;
	const char *path;
	char *buf;
	size_t len, at;                 /* bytes held, first unread byte */
	unsigned long long base;        /* file offset of buf[0] */
	bool eof;
};

/* Keeps the unread bytes and appends the next block; -1 on an error. */
static int csvappend_scan_more(struct csvappend_scan *s, char **cause)
{
	ssize_t n;

	if (s->buf != NULL)
		memmove(s->buf, s->buf + s->at, s->len - s->at);
	s->base += s->at;
	s->len -= s->at;
	s->at = 0;
	s->buf = xreallocarray(s->buf, s->len + CSVAPPEND_BLOCK + 1, 1);
	n = csvappend_pread(s->fd, s->path, s->buf + s->len, CSVAPPEND_BLOCK, s->base + s->len,
	    cause);
	if (n < 0)
		return -1;
	s->len += (size_t)n;
	s->eof = n == 0;
	return 0;
}

/* Moves past one record; false at the end of the file. */
static bool csvappend_scan_record(struct csvappend_scan *s, char delim, size_t *lines,
    char **cause)
{
	for (;;) {
		size_t end = csvchunk_record_end(s->buf + s->at, s->len - s->at, delim);

		if (end != 0) {
			*lines += csvchunk_count_byte(s->buf + s->at, end, '\n');
			s->at += end;
			return true;
		}
		if (s->eof || s->len - s->at > CSVAPPEND_MAX_RECORD)
			return false;
		if (csvappend_scan_more(s, cause) != 0)
			return false;
		if (s->eof && s->at == s->len)
			return false;
	}
}

int csvappend_locate(const struct table *t, const char *path, char delim,
    struct csvappend_pos *pos, char **cause)
{
	struct csvappend_scan s = { .path = path };
	size_t lines = 0, done = 0;
	int rc = -1;

	*cause = NULL;
	if ((s.fd = csvappend_open(path, cause)) < 0)
		return -1;
	if (csvappend_scan_more(&s, cause) != 0)
		goto out;
	if (s.len >= 3 && memcmp(s.buf, "\xef\xbb\xbf", 3) == 0)
		s.at = 3;
	if (delim == 0)
		delim = csvload_sniff_delim(s.buf + s.at, s.len - s.at);
	if (!csvappend_scan_record(&s, delim, &lines, cause) && *cause == NULL) {
		*cause = xasprintf("%s: no header line ending in a newline", path);
		goto out;
	}
	while (*cause == NULL && done < t->n_rows && csvappend_scan_record(&s, delim, &lines, cause))
		done++;
	if (*cause != NULL)
		goto out;
	/* A last record without its newline was loaded whole. */
	if (done + 1 == t->n_rows && s.eof && s.at < s.len) {
		lines += csvchunk_count_byte(s.buf + s.at, s.len - s.at, '\n');
		s.at = s.len;
		done++;
	}
	if (done < t->n_rows) {
		*cause = xasprintf("%s: the file has %zu rows, fewer than the %zu of dataset '%s'; "
		    "load it again", path, done, t->n_rows, t->name);
		goto out;
	}
	pos->offset = s.base + s.at;
	pos->line = lines;
	pos->delim = delim;
	rc = 0;
out:
	close(s.fd);
	free(s.buf);
	return rc;
}

/* The error of a chunk that libcsv or the checks stopped. */
static char *csvappend_chunk_error(const char *path, const struct csvappend_pos *pos,
    const struct csvchunk *ch, size_t n_cols)
{
	struct csvchunk_where w;

	switch (ch->err) {
	case CE_RAGGED:
		w = csvchunk_locate_field(ch->raw, ch->len, pos->delim, ch->err_row, 0);
		return xasprintf("%s:%zu: row has %zu fields, the header has %zu", path,
		    pos->line + w.lines + 1, ch->err_fields, n_cols);
	case CE_QUOTE:
		w = csvchunk_locate_offset(ch->raw, ch->len, pos->delim, ch->err_off);
		return xasprintf("%s:%zu:%zu: misplaced '\"'; a quote must start a field and "
		    "quotes inside a quoted field are written twice (\"\")", path,
		    pos->line + w.lines + 1, w.field + 1);
	case CE_UNCLOSED:
		w = csvchunk_locate_open_quote(ch->raw, ch->len, pos->delim);
		return xasprintf("%s:%zu:%zu: the quote opened here is never closed", path,
		    pos->line + w.lines + 1, w.field + 1);
	case CE_UTF8:
		w = csvchunk_locate_field(ch->raw, ch->len, pos->delim, ch->err_row, ch->err_field);
		return xasprintf("%s:%zu:%zu: invalid UTF-8 (byte 0x%02x); save the file as UTF-8",
		    path, pos->line + w.lines + ch->err_lines + 1, ch->err_field + 1, ch->err_byte);
	default:
		return xasprintf("%s: the CSV parser failed", path);
	}
}

/* Whether a chunk column of type ct can join a table column of type t. */
static bool csvappend_fits_type(enum col_type t, enum csvchunk_type ct)
{
	if (ct == CT_EMPTY || col_type_string(t))
		return true;
	switch (t) {
	case COL_INT:
		return ct == CT_INT;
	case COL_FLOAT:
		return ct == CT_INT || ct == CT_FLOAT;
	case COL_DATE:
		return ct == CT_DATE;
	case COL_DATETIME:
		return ct == CT_DATE || ct == CT_DATETIME;
	case COL_BOOL:
		return ct == CT_BOOL;
	default:
		return false;
	}
}

/* Whether one cell's text (NUL-terminated) is a value of type t. */
static bool csvappend_fits_text(enum col_type t, const char *s)
{
	size_t len = strlen(s);
	int64_t i;
	double f;
	int32_t days;
	int16_t tz;
	bool b;

	switch (t) {
	case COL_INT:
		return csvnum_parse_int(s, len, &i);
	case COL_FLOAT:
		return csvnum_parse_float(s, len, &f);
	case COL_DATE:
		return datetime_parse_date(s, len, &days, &b);
	case COL_DATETIME:
		return datetime_parse_datetime(s, len, &i, &tz) ||
		    datetime_parse_date(s, len, &days, &b);
	case COL_BOOL:
		return csvnum_parse_bool(s, len, &b);
	default:
		return true;
	}
}

/* Column j does not fit: parses it again as strings to name the first
 * cell that is not a value of the column's type. */
static char *csvappend_type_error(const struct table *t, const char *path,
    const struct csvappend_pos *pos, struct csvchunk *ch, bool *forced, size_t j)
{
	const struct column *col = &t->cols[j];
	const struct csvchunk_col *cc;

	forced[j] = true;
	csvchunk_free_cols(ch);
	csvchunk_parse(ch, forced);
	if (ch->err != CE_NONE)
		return csvappend_chunk_error(path, pos, ch, t->n_cols);
	cc = &ch->cols[j];
	for (size_t r = 0; r < ch->n_rows; r++) {
		const char *s;
		struct csvchunk_where w;

		if (cc->missing != NULL && (cc->missing[r / 64] >> (r % 64)) & 1)
			continue;
		s = dict_str(cc->dict, ((const uint32_t *)cc->vals)[r]);
		if (csvappend_fits_text(col->type, s))
			continue;
		w = csvchunk_locate_field(ch->raw, ch->len, pos->delim, r, j);
		return xasprintf("%s:%zu:%zu: '%s' is not a value of column '%s' (%s); "
		    "the dataset is unchanged", path, pos->line + w.lines + 1, j + 1, s, col->name,
		    col_type_name(col->type));
	}
	return xasprintf("%s: column '%s' (%s) cannot take the new values", path, col->name,
	    col_type_name(col->type));
}

/* Grows the missing bitset to n_new rows and sets the chunk's bits. */
static void csvappend_missing(struct column *c, size_t n_old, size_t n_new,
    const struct csvchunk_col *cc)
{
	size_t old_words = (n_old + 63) / 64, words = (n_new + 63) / 64;

	if (c->missing == NULL && cc->n_missing == 0)
		return;
	if (c->missing == NULL)
		c->missing = xcalloc(words ? words : 1, sizeof *c->missing);
	else {
		c->missing = xreallocarray(c->missing, words ? words : 1, sizeof *c->missing);
		memset(c->missing + old_words, 0, (words - old_words) * sizeof *c->missing);
	}
	for (size_t r = 0; cc->missing != NULL && r < n_new - n_old; r++) {
		if ((cc->missing[r / 64] >> (r % 64)) & 1)
			c->missing[(n_old + r) / 64] |= (uint64_t)1 << ((n_old + r) % 64);
	}
	c->n_missing += cc->n_missing;
}

static void csvappend_strings(struct column *c, size_t n_old, const struct csvchunk_col *cc,
    size_t rows)
{
	uint32_t n = dict_count(cc->dict), *map = xmalloc((n ? n : 1) * sizeof *map);
	const uint32_t *src = cc->vals;

	dict_merge(c->dict, cc->dict, map);
	for (size_t r = 0; r < rows; r++) {
		bool miss = cc->missing && (cc->missing[r / 64] >> (r % 64)) & 1;

		c->v.codes[n_old + r] = miss ? 0 : map[src[r]];
	}
	free(map);
}

static void csvappend_tz(struct column *c, size_t n_old, const struct csvchunk_col *cc,
    size_t rows)
{
	bool fresh = c->tz == NULL;

	if (fresh && cc->tz == NULL)
		return;
	c->tz = xreallocarray(c->tz, n_old + rows, sizeof *c->tz);
	for (size_t r = 0; fresh && r < n_old; r++)
		c->tz[r] = TZ_NONE;
	for (size_t r = 0; r < rows; r++)
		c->tz[n_old + r] = cc->tz != NULL ? cc->tz[r] : TZ_NONE;
}

/* Appends the values of a chunk column (already checked) to c. */
static void csvappend_column(struct column *c, size_t n_old, struct csvchunk_col *cc,
    size_t rows)
{
	size_t n_new = n_old + rows;
	const int64_t *i64 = cc->vals;

	c->v.raw = xreallocarray(c->v.raw, n_new ? n_new : 1, col_type_width(c->type));
	memset((char *)c->v.raw + n_old * col_type_width(c->type), 0,
	    rows * col_type_width(c->type));
	if (col_type_string(c->type))
		csvappend_strings(c, n_old, cc, rows);
	else if (cc->type != CT_EMPTY) {
		enum csvchunk_type to = c->type == COL_FLOAT ? CT_FLOAT :
		    c->type == COL_DATETIME ? CT_DATETIME : cc->type;

		csvchunk_widen_vals(cc->vals, rows, cc->type, to);
		if (c->type != COL_DATE && c->type != COL_BOOL)
			memcpy(c->v.i64 + n_old, cc->vals, rows * sizeof(int64_t));
		for (size_t r = 0; c->type == COL_DATE && r < rows; r++)
			c->v.days[n_old + r] = (int32_t)i64[r];
		for (size_t r = 0; c->type == COL_BOOL && r < rows; r++)
			c->v.b[n_old + r] = (uint8_t)i64[r];
	}
	if (c->type == COL_DATETIME)
		csvappend_tz(c, n_old, cc, rows);
	csvappend_missing(c, n_old, n_new, cc);
}

/* Parses the chunk and checks every column; NULL when it fits. */
static char *csvappend_check(const struct table *t, const char *path,
    const struct csvappend_pos *pos, struct csvchunk *ch)
{
	bool *forced = xcalloc(t->n_cols ? t->n_cols : 1, sizeof *forced);
	char *err = NULL;

	for (size_t j = 0; j < t->n_cols; j++)
		forced[j] = col_type_string(t->cols[j].type);
	csvchunk_parse(ch, forced);
	if (ch->err != CE_NONE)
		err = csvappend_chunk_error(path, pos, ch, t->n_cols);
	for (size_t j = 0; err == NULL && j < t->n_cols; j++)
		if (!csvappend_fits_type(t->cols[j].type, ch->cols[j].type))
			err = csvappend_type_error(t, path, pos, ch, forced, j);
	free(forced);
	return err;
}

/* Reads the new bytes up to the last newline outside quotes; NULL when
 * no record is complete yet. */
static char *csvappend_take(int fd, const char *path, unsigned long long off,
    unsigned long long size, size_t max, size_t *len, char **cause)
{
	size_t want = (size_t)(size - off), quotes = 0;
	ssize_t n;
	char *buf;

	if (max != 0 && want > max)
		want = max;
	buf = xmalloc(want + 1);
	if ((n = csvappend_pread(fd, path, buf, want, off, cause)) < 0) {
		free(buf);
		return NULL;
	}
	*len = csvchunk_split(buf, (size_t)n, 0, &quotes);
	if (*len == 0) {
		free(buf);
		return NULL;
	}
	buf[*len] = '\0';
	return buf;
}

/* The '\n' bytes in s[0..n). */
static size_t csvappend_newlines(const char *s, size_t n)
{
	size_t k = 0;

	for (const char *p = s; (p = memchr(p, '\n', n - (size_t)(p - s))) != NULL; p++)
		k++;
	return k;
}

/* The error of raw's records (taken over) against t, or NULL when they fit. */
static char *csvappend_check_only(const struct table *t, const char *path,
    const struct csvappend_pos *pos, char *raw, size_t len)
{
	struct csvchunk *ch = csvchunk_new(raw, len, t->n_cols, pos->delim);
	char *err = csvappend_check(t, path, pos, ch);

	csvchunk_free(ch);
	return err;
}

/* The whole new records after pos (at most max_bytes of them): 0 with *raw
 * (NULL when there is none yet), or -1 with *cause. */
static int csvappend_fetch(const char *path, const struct csvappend_pos *pos, size_t max_bytes,
    char **raw, size_t *len, struct table_source *next, char **cause)
{
	struct stat st;
	int fd;

	*raw = NULL;
	*len = 0;
	*cause = NULL;
	if ((fd = csvappend_open(path, cause)) < 0)
		return -1;
	if (fstat(fd, &st) == 0 && !csvappend_same_source(fd, &st, &pos->source)) {
		*cause = xasprintf("%s: the file was replaced; load it again", path);
		close(fd);
		return -1;
	}
	if (fstat(fd, &st) != 0 || (unsigned long long)st.st_size < pos->offset) {
		*cause = xasprintf("%s: the file is shorter than when it was read (truncated or "
		    "replaced); load it again", path);
		close(fd);
		return -1;
	}
	*raw = (unsigned long long)st.st_size == pos->offset ? NULL :
	    csvappend_take(fd, path, pos->offset, (unsigned long long)st.st_size, max_bytes, len,
	    cause);
	if (*raw != NULL)
		csvappend_identify(fd, pos->offset + *len, next);
	close(fd);
	return *raw == NULL && *cause != NULL ? -1 : 0;
}

/* After the records up to next were taken in: a followed file is known by
 * them from now on. */
static void csvappend_moved(struct csvappend_pos *pos, const struct table_source *next)
{
	if (pos->source.ino != 0)
		pos->source = *next;
}

/* Appends the records of raw (taken over) when they all fit and moves pos
 * past them; else leaves t unchanged and returns the error. */
static char *csvappend_records(struct table *t, const char *path, struct csvappend_pos *pos,
    char *raw, size_t len, size_t *added)
{
	struct csvchunk *ch = csvchunk_new(raw, len, t->n_cols, pos->delim);
	char *err;

	if ((err = csvappend_check(t, path, pos, ch)) != NULL) {
		csvchunk_free(ch);
		return err;
	}
	for (size_t j = 0; j < t->n_cols; j++)
		csvappend_column(&t->cols[j], t->n_rows, &ch->cols[j], ch->n_rows);
	t->n_rows += ch->n_rows;
	*added += ch->n_rows;
	pos->offset += len;
	pos->line += ch->n_newlines;
	csvchunk_free(ch);
	return NULL;
}

int csvappend_read(struct table *t, const char *path, struct csvappend_pos *pos,
    size_t max_bytes, size_t *added, char **cause)
{
	struct table_source next;
	char *raw;
	size_t len;

	*added = 0;
	if (csvappend_fetch(path, pos, max_bytes, &raw, &len, &next, cause) != 0)
		return -1;
	if (raw == NULL)
		return 0;
	if ((*cause = csvappend_records(t, path, pos, raw, len, added)) != NULL)
		return -1;
	csvappend_moved(pos, &next);
	return 0;
}

/* A copy of s[0..n) with the spare byte csvchunk_new wants. */
static char *csvappend_copy(const char *s, size_t n)
{
	char *out = xmalloc(n + 1);

	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

/* A skipped record changes nothing, but the rest goes in: the message
 * made for csvappend_read must not say the dataset is unchanged. */
static void csvappend_unchanged_cut(char *err)
{
	char *tail = strstr(err, "; the dataset is unchanged");

	if (tail != NULL)
		*tail = '\0';
}

/* Record by record: the runs of records that fit are appended, the others
 * are reported to skip and stepped over. */
static void csvappend_sift(struct table *t, const char *path, struct csvappend_pos *pos,
    const char *raw, size_t len, size_t *added, csvappend_skip_fn skip, void *arg)
{
	size_t run = 0, at = 0, end;

	for (; at < len; at = end) {
		struct csvappend_pos here = *pos;
		char *err, *one;

		end = at + csvchunk_record_end(raw + at, len - at, pos->delim);
		if (end == at)
			end = len;
		one = csvappend_copy(raw + at, end - at);
		if (at > run)
			here.line += csvappend_newlines(raw + run, at - run);
		err = csvappend_check_only(t, path, &here, one, end - at);
		if (err == NULL)
			continue;
		if (at > run)
			free(csvappend_records(t, path, pos, csvappend_copy(raw + run, at - run),
			    at - run, added));
		pos->offset += end - at;
		pos->line += csvappend_newlines(raw + at, end - at);
		csvappend_unchanged_cut(err);
		skip(arg, here.line + 1, err);
		run = end;
	}
	if (len > run)
		free(csvappend_records(t, path, pos, csvappend_copy(raw + run, len - run), len - run,
		    added));
}

int csvappend_read_skipping(struct table *t, const char *path, struct csvappend_pos *pos,
    size_t max_bytes, size_t *added, csvappend_skip_fn skip, void *arg, char **cause)
{
	struct table_source next;
	char *raw, *err;
	size_t len;

	*added = 0;
	if (csvappend_fetch(path, pos, max_bytes, &raw, &len, &next, cause) != 0)
		return -1;
	if (raw == NULL)
		return 0;
	if ((err = csvappend_records(t, path, pos, csvappend_copy(raw, len), len, added)) != NULL) {
		free(err);
		csvappend_sift(t, path, pos, raw, len, added, skip, arg);
	}
	free(raw);
	csvappend_moved(pos, &next);
	return 0;
}
