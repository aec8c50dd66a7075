/* Loading CSV files: reading in chunks, parallel parsing, typing, merging.
 *
 * The main thread reads the file in chunks of whole records. A chunk ends
 * just after a newline that has an even number of '"' before it in the
 * data part of the file, which in strict CSV means it is outside quotes (a
 * stray quote is itself an error that the chunk holding it reports first).
 * Workers parse chunks into chunk-local typed buffers with chunk-local
 * dictionaries; the main thread appends them to the table in file order,
 * interning each chunk's strings into the column's dictionary in the
 * chunk's first-appearance order, so codes, rows and the first error are
 * the same for any number of threads.
 *
 * Types: int, float, date (YYYY-MM-DD, or YYYY-MM as monthly), datetime,
 * bool (true/false) and strings. Int and float mix to float, date and
 * datetime to datetime (a date is midnight UTC), any other mix to strings.
 * A string column is a category when its distinct values are at most half
 * its non-missing values, else text; a column with no values at all is
 * text. Empty cells, NA, NULL and null are missing. libcsv drops spaces
 * and tabs around unquoted fields, so " 12 " is the number 12 while a
 * quoted " 12 " is text. When a column turns out to be strings after an
 * earlier chunk held numbers or dates for it, the load starts again with
 * that column read as strings (a chunk that is only behind the others is
 * parsed again on its own).
 *
 * A date column is monthly when every value is written YYYY-MM. An empty
 * header name becomes "colN" (N counting from 1), as spreadsheets export a
 * blank name above a row index. Blank lines are skipped, as libcsv does.
 * Files with bare CR line ends load, but as a single chunk read whole.
 *
 * The size is taken when the file is opened and only that much is read. If
 * the file grew meanwhile and the last byte read is not a newline, that
 * partial last line is left out: it is still being written. */
#include "config.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvchunk.h"
#include "cancel.h"
#include "csvappend.h"
#include "csvload.h"
#include "xmalloc.h"

/* The header line must end within this many bytes. */
#define CSVLOAD_MAX_HEADER (16u << 20)
/* A record of this many chunks is taken for an unclosed quote, so that
 * such a file is not read into memory whole (64 MB by default). */
#define CSVLOAD_MAX_RECORD_CHUNKS 64
/* Bytes per column in each chunk in flight and in the table being built,
 * before any row: bookkeeping and the first buffers. */
#define CSVLOAD_COLUMN_BYTES 320

/* A column as it is assembled from chunks. */
struct csvload_acc {
	enum csvchunk_type type;
	void *vals;             /* csvchunk_width(type) bytes per row */
	int16_t *tz;
	uint64_t *missing;
	size_t n_missing, n_monthly, n_daily;
	struct dict *dict;
};

struct csvload {
	const char *path;
	const struct csvload_opts *opts;
	int fd;
	unsigned long long size;        /* at open; nothing after it is read */
	unsigned long long opened_size; /* size at open, kept to notice shrinking */
	unsigned long long data_off;    /* first byte after the header */
	unsigned long long off;         /* next byte to read */
	unsigned long long done;        /* bytes merged into the table */
	unsigned long long reported;    /* highest done given to progress */
	char delim;
	size_t n_cols;
	char **names;
	size_t header_lines;            /* newlines up to the end of the header */
	size_t line_base;               /* newlines before the next chunk */
	bool *forced;                   /* columns read as strings */
	char *carry;                    /* read but not yet in a chunk */
	size_t carry_len, carry_quotes, carry_cap;
	bool truncated;                 /* stopped inside a huge record */
	unsigned long limit_mb;         /* memory ceiling */
	bool eof;

	struct csvload_acc *acc;
	size_t n_rows, cap;

	struct csvchunk **chunks;       /* every chunk of the pass, in order */
	size_t n_chunks, chunks_cap, next_parse, next_merge;
	int threads;
	pthread_t tids[2];
	size_t n_tids;
	pthread_mutex_t lock;
	pthread_cond_t work_cv, done_cv;
	bool quit;

	char *cause;
};

enum { CSVLOAD_OK, CSVLOAD_FAIL, CSVLOAD_RESTART };

static void csvload_fail(struct csvload *ld, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void csvload_fail(struct csvload *ld, const char *fmt, ...)
{
	va_list ap;

	if (ld->cause != NULL)
		return;
	va_start(ap, fmt);
	ld->cause = xvasprintf(fmt, ap);
	va_end(ap);
}

/* Reads up to n bytes at off; short only at the end of the file. */
static ssize_t csvload_pread(struct csvload *ld, char *buf, size_t n, unsigned long long off)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = pread(ld->fd, buf + got, n - got, (off_t)(off + got));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			csvload_fail(ld, "%s: cannot read: %s", ld->path, strerror(errno));
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static int csvload_open(struct csvload *ld)
{
	struct stat st;

	/* O_NONBLOCK: a FIFO must not block the open; cleared for a regular file. */
	ld->fd = open(ld->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (ld->fd < 0) {
		csvload_fail(ld, "%s: cannot open: %s", ld->path, strerror(errno));
		return -1;
	}
	if (fstat(ld->fd, &st) != 0) {
		csvload_fail(ld, "%s: cannot stat: %s", ld->path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		csvload_fail(ld, "%s: is a directory; give the path of a CSV file", ld->path);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		csvload_fail(ld, "%s: not a regular file; save the data to a file first", ld->path);
		return -1;
	}
	if (fcntl(ld->fd, F_SETFL, fcntl(ld->fd, F_GETFL) & ~O_NONBLOCK) != 0) {
		csvload_fail(ld, "%s: cannot read: %s", ld->path, strerror(errno));
		return -1;
	}
	ld->size = ld->opened_size = (unsigned long long)st.st_size;
	return 0;
}

bool csvload_parse_mb(const char *s, unsigned long *mb)
{
	char *end;
	unsigned long long n;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > CSVLOAD_MAX_MB)
		return false;
	*mb = (unsigned long)n;
	return true;
}

/* The memory ceiling: max_mb, CROSSMKT_MAX_MB or the physical memory; a
 * malformed variable is an error rather than no ceiling. */
static int csvload_limit_mb(struct csvload *ld)
{
	const char *env = getenv("CROSSMKT_MAX_MB");
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);

	ld->limit_mb = ld->opts->max_mb;
	if (ld->limit_mb > 0)
		return 0;
	if (env != NULL) {
		if (csvload_parse_mb(env, &ld->limit_mb))
			return 0;
		csvload_fail(ld, "CROSSMKT_MAX_MB=%s in the environment: give the memory ceiling "
		    "in MB, a whole number from 1, or unset it", env);
		return -1;
	}
	if (pages > 0 && page > 0)
		ld->limit_mb = (unsigned long)((unsigned long long)pages * (unsigned long long)page >> 20);
	else
		ld->limit_mb = (unsigned long)-1;
	return 0;
}

/* What a load of rows rows needs: the file (strings), the chunks in
 * flight, 9 bytes a cell (value and missing bit), each column's buffers. */
static double csvload_need_mb(const struct csvload *ld, size_t rows)
{
	/* Chunks in flight with two threads: one each, one read ahead, the
	 * carry; the same figure for any number of threads. */
	double inflight = 4, chunk = (double)csvchunk_size();

	if (chunk > (double)ld->size)
		chunk = (double)ld->size;
	return ((double)ld->size + inflight * chunk +
	    (double)rows * (double)ld->n_cols * 9 +
	    (double)ld->n_cols * CSVLOAD_COLUMN_BYTES * inflight) / 1048576.0;
}

/* Fails over the ceiling; checked before the large allocations. */
static int csvload_budget(struct csvload *ld, size_t rows)
{
	double need = csvload_need_mb(ld, rows);

	if (need <= (double)ld->limit_mb)
		return 0;
	csvload_fail(ld, "%s: loading needs about %.0f MB, over the limit of %lu MB; raise it with max_mb=N or CROSSMKT_MAX_MB",
	    ld->path, need + 0.5, ld->limit_mb);
	return -1;
}

static const char *csvload_delim_name(char delim)
{
	switch (delim) {
	case ',':
		return "','";
	case '\t':
		return "a tab";
	case ';':
		return "';'";
	default:
		return "the delimiter";
	}
}

/* The most frequent of ',', tab and ';' outside quotes on the first line;
 * a tie goes to the earlier of those, no delimiter at all to ','. */
static char csvload_sniff(const char *s, size_t len)
{
	static const char cands[] = { ',', '\t', ';' };
	size_t counts[3] = { 0, 0, 0 }, best = 0;
	bool quoted = false;

	for (size_t i = 0; i < len && (quoted || s[i] != '\n'); i++) {
		if (s[i] == '"')
			quoted = !quoted;
		for (size_t k = 0; k < 3 && !quoted; k++)
			counts[k] += s[i] == cands[k];
	}
	for (size_t k = 1; k < 3; k++) {
		if (counts[k] > counts[best])
			best = k;
	}
	return cands[best];
}

char csvload_sniff_delim(const char *s, size_t len)
{
	return csvload_sniff(s, len);
}

/* Collects the header's fields. */
struct csvload_hdr {
	char **names;
	size_t n, cap;
};

static void csvload_on_name(void *s, size_t len, void *arg)
{
	struct csvload_hdr *h = arg;

	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 16;
		h->names = xreallocarray(h->names, h->cap, sizeof *h->names);
	}
	h->names[h->n++] = xstrndup(s, len);
}

static bool csvload_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	}
	return true;
}

/* Reads from the start of the file until the header record ends. Returns
 * the buffer and sets *len and *end (0 when the file is only a header
 * without a newline). */
static char *csvload_read_head(struct csvload *ld, size_t *len, size_t *start, size_t *end)
{
	size_t want = 64u << 10;
	char *buf = NULL;
	ssize_t n;

	for (;;) {
		if (want > ld->size)
			want = (size_t)ld->size;
		buf = xreallocarray(buf, want + 1, 1);
		if ((n = csvload_pread(ld, buf, want, 0)) < 0) {
			free(buf);
			return NULL;
		}
		*len = (size_t)n;
		*start = *len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
		if (ld->delim == 0)
			ld->delim = csvload_sniff(buf + *start, *len - *start);
		*end = csvchunk_record_end(buf + *start, *len - *start, ld->delim);
		if (*end != 0 || *len < want || want == ld->size)
			return buf;
		if (want >= CSVLOAD_MAX_HEADER) {
			csvload_fail(ld, "%s:1: the header line is longer than %u MB; check that this is a CSV file",
			    ld->path, CSVLOAD_MAX_HEADER >> 20);
			free(buf);
			return NULL;
		}
		want *= 2;
		ld->delim = ld->opts->delim;
	}
}

/* Parses the header record s[0..len) with libcsv. */
static int csvload_parse_names(struct csvload *ld, const char *s, size_t len,
    struct csvload_hdr *h)
{
	struct csv_parser p;
	struct csvchunk_where w;
	size_t used;
	int rc = 0;

	csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	csv_set_delim(&p, (unsigned char)ld->delim);
	/* One step for the longest possible name, rather than libcsv's 128
	 * bytes at a time. */
	csv_set_blk_size(&p, len + 1);
	used = csv_parse(&p, s, len, csvload_on_name, NULL, h);
	if (used < len) {
		w = csvchunk_locate_offset(s, len, ld->delim, used);
		csvload_fail(ld, "%s:%zu:%zu: misplaced '\"' in the header; a quote must start a field and quotes inside a quoted field are written twice (\"\")",
		    ld->path, w.lines + 1, w.field + 1);
		rc = -1;
	} else if (csv_fini(&p, csvload_on_name, NULL, h) != 0) {
		w = csvchunk_locate_open_quote(s, len, ld->delim);
		csvload_fail(ld, "%s:%zu:%zu: the quote opened here is never closed; close it, or write quotes inside a quoted field twice (\"\")",
		    ld->path, w.lines + 1, w.field + 1);
		rc = -1;
	}
	csv_free(&p);
	return rc;
}

/* Names are unique; a dictionary keeps this linear for very wide files. */
static int csvload_check_unique(struct csvload *ld, const char *s, size_t len,
    const struct csvload_hdr *h)
{
	struct dict *seen = dict_new();
	int rc = 0;

	for (size_t j = 0; j < h->n && rc == 0; j++) {
		size_t k = dict_intern(seen, h->names[j], strlen(h->names[j]));

		if (k == j)
			continue;
		csvload_fail(ld, "%s:%zu: columns %zu and %zu are both named '%s'; rename one of them",
		    ld->path, csvchunk_locate_field(s, len, ld->delim, 0, 0).lines + 1,
		    k + 1, j + 1, h->names[j]);
		rc = -1;
	}
	dict_free(seen);
	return rc;
}

/* Checks names: valid UTF-8, unique; an empty name becomes "colN". */
static int csvload_check_names(struct csvload *ld, const char *s, size_t len,
    struct csvload_hdr *h)
{
	for (size_t j = 0; j < h->n; j++) {
		size_t n = strlen(h->names[j]), bad = csvchunk_check_utf8(h->names[j], n);
		struct csvchunk_where w;

		if (bad < n) {
			w = csvchunk_locate_field(s, len, ld->delim, 0, j);
			if (csvchunk_looks_gbk(h->names[j], n))
				csvload_fail(ld, "%s:%zu:%zu: invalid UTF-8 in the header; the text looks GBK-encoded: convert the file with iconv -f GBK -t UTF-8 %s > out.csv",
				    ld->path, w.lines + 1, j + 1, ld->path);
			else
				csvload_fail(ld, "%s:%zu:%zu: invalid UTF-8 (byte 0x%02x) in the header; save the file as UTF-8",
				    ld->path, w.lines + 1, j + 1, (unsigned char)h->names[j][bad]);
			return -1;
		}
		if (n == 0) {
			free(h->names[j]);
			h->names[j] = xasprintf("col%zu", j + 1);
		}
	}
	return csvload_check_unique(ld, s, len, h);
}

static int csvload_header(struct csvload *ld)
{
	struct csvload_hdr h = { NULL, 0, 0 };
	size_t len, start, end;
	char *buf = csvload_read_head(ld, &len, &start, &end);
	int rc = -1;

	if (buf == NULL)
		return -1;
	if (csvload_blank(buf + start, len - start)) {
		csvload_fail(ld, "%s: the file is empty; a CSV file starts with a header line naming its columns",
		    ld->path);
	} else if (end == 0 && len < ld->size) {
		csvload_fail(ld, "%s:1: the header line is longer than %u MB; check that this is a CSV file",
		    ld->path, CSVLOAD_MAX_HEADER >> 20);
	} else {
		if (end == 0)
			end = len - start;
		if (csvload_parse_names(ld, buf + start, end, &h) == 0 &&
		    csvload_check_names(ld, buf + start, end, &h) == 0)
			rc = 0;
	}
	ld->header_lines = csvchunk_count_byte(buf, start + end, '\n');
	ld->data_off = start + end;
	free(buf);
	ld->names = h.names;
	ld->n_cols = h.n;
	if (rc != 0) {
		for (size_t j = 0; j < h.n; j++)
			free(h.names[j]);
		free(h.names);
		ld->names = NULL;
		ld->n_cols = 0;
	}
	return rc;
}

/* Drops a partial last line when the file grew after it was opened. */
static void csvload_trim_growing(struct csvload *ld)
{
	struct stat st;
	char last = ld->carry[ld->carry_len - 1];
	size_t quotes = 0;

	if (last == '\n' || fstat(ld->fd, &st) != 0 || (unsigned long long)st.st_size <= ld->size)
		return;
	ld->carry_len = csvchunk_split(ld->carry, ld->carry_len, 0, &quotes);
}

/* What is left after the last newline, as the final chunk; NULL when none. */
static struct csvchunk *csvload_last_chunk(struct csvload *ld)
{
	struct csvchunk *ch = NULL;

	ld->eof = true;
	if (ld->carry_len > 0 && !ld->truncated)
		csvload_trim_growing(ld);
	if (ld->carry_len > 0 && !csvload_blank(ld->carry, ld->carry_len))
		ch = csvchunk_new(ld->carry, ld->carry_len, ld->n_cols, ld->delim);
	else
		free(ld->carry);
	ld->carry = NULL;
	ld->carry_len = ld->carry_cap = 0;
	return ch;
}

/* Reads the next chunk of whole records; NULL at the end or on error
 * (ld->cause set). */
static struct csvchunk *csvload_next_chunk(struct csvload *ld)
{
	for (;;) {
		size_t want = csvchunk_size(), len, split, quotes = ld->carry_quotes;
		ssize_t n;
		char *buf;

		if (ld->off >= ld->size)
			return csvload_last_chunk(ld);
		if (want > ld->size - ld->off)
			want = (size_t)(ld->size - ld->off);
		/* Grown geometrically, so that a long record reads in linear
		 * time. */
		if (ld->carry_len + want + 1 > ld->carry_cap) {
			ld->carry_cap = ld->carry_len + want + 1 > ld->carry_cap * 2 ?
			    ld->carry_len + want + 1 : ld->carry_cap * 2;
			ld->carry = xreallocarray(ld->carry, ld->carry_cap, 1);
		}
		buf = ld->carry;
		ld->carry = NULL;
		if ((n = csvload_pread(ld, buf + ld->carry_len, want, ld->off)) < 0) {
			free(buf);
			ld->carry_cap = 0;
			return NULL;
		}
		if ((size_t)n < want)
			ld->size = ld->off + (size_t)n;         /* the file shrank */
		ld->off += (size_t)n;
		len = ld->carry_len + (size_t)n;
		split = csvchunk_split(buf, len, ld->carry_len, &quotes);
		ld->carry = buf;
		ld->carry_len = len;
		ld->carry_quotes = quotes;
		if (split == 0 && quotes % 2 == 1 &&
		    len >= CSVLOAD_MAX_RECORD_CHUNKS * csvchunk_size()) {
			/* Surely an unclosed quote: parse what there is to find it. */
			ld->truncated = true;
			ld->off = ld->size;
		}
		if (split == 0)
			continue;               /* a long quoted field: read on */
		ld->carry_len = len - split;
		ld->carry_cap = ld->carry_len + 1;
		ld->carry = xmalloc(ld->carry_cap);
		memcpy(ld->carry, buf + split, ld->carry_len);
		ld->carry_quotes = csvchunk_count_byte(ld->carry, ld->carry_len, '"');
		return csvchunk_new(buf, split, ld->n_cols, ld->delim);
	}
}

static void *csvload_worker(void *arg)
{
	struct csvload *ld = arg;
	bool *forced = xmalloc(ld->n_cols * sizeof *forced);

	pthread_mutex_lock(&ld->lock);
	for (;;) {
		struct csvchunk *ch;

		while (!ld->quit && ld->next_parse == ld->n_chunks)
			pthread_cond_wait(&ld->work_cv, &ld->lock);
		if (ld->quit)
			break;
		ch = ld->chunks[ld->next_parse++];
		memcpy(forced, ld->forced, ld->n_cols * sizeof *forced);
		pthread_mutex_unlock(&ld->lock);
		csvchunk_parse(ch, forced);
		pthread_mutex_lock(&ld->lock);
		ch->done = true;
		pthread_cond_broadcast(&ld->done_cv);
	}
	pthread_mutex_unlock(&ld->lock);
	free(forced);
	return NULL;
}

static void csvload_start_workers(struct csvload *ld)
{
	ld->quit = false;
	for (ld->n_tids = 0; ld->n_tids < (size_t)ld->threads; ld->n_tids++) {
		if (pthread_create(&ld->tids[ld->n_tids], NULL, csvload_worker, ld) != 0)
			break;
	}
}

static void csvload_stop_workers(struct csvload *ld)
{
	pthread_mutex_lock(&ld->lock);
	ld->quit = true;
	pthread_cond_broadcast(&ld->work_cv);
	pthread_mutex_unlock(&ld->lock);
	for (size_t i = 0; i < ld->n_tids; i++)
		pthread_join(ld->tids[i], NULL);
	ld->n_tids = 0;
}

static void csvload_push(struct csvload *ld, struct csvchunk *ch)
{
	pthread_mutex_lock(&ld->lock);
	if (ld->n_chunks == ld->chunks_cap) {
		ld->chunks_cap = ld->chunks_cap ? ld->chunks_cap * 2 : 64;
		ld->chunks = xreallocarray(ld->chunks, ld->chunks_cap, sizeof *ld->chunks);
	}
	ld->chunks[ld->n_chunks++] = ch;
	pthread_cond_signal(&ld->work_cv);
	pthread_mutex_unlock(&ld->lock);
}

/* The next chunk in file order, parsed (here when there are no workers). */
static struct csvchunk *csvload_wait(struct csvload *ld)
{
	struct csvchunk *ch = ld->chunks[ld->next_merge];

	if (ld->n_tids == 0) {
		csvchunk_parse(ch, ld->forced);
		return ch;
	}
	pthread_mutex_lock(&ld->lock);
	while (!ch->done)
		pthread_cond_wait(&ld->done_cv, &ld->lock);
	pthread_mutex_unlock(&ld->lock);
	return ch;
}

static void csvload_ragged_error(struct csvload *ld, struct csvchunk *ch)
{
	struct csvchunk_where w = csvchunk_locate_field(ch->raw, ch->len, ld->delim, ch->err_row, 0);
	size_t line = ld->line_base + w.lines + 1;

	if (ch->err_fields > ld->n_cols)
		csvload_fail(ld, "%s:%zu: row has %zu fields, the header has %zu; quote any field that contains %s",
		    ld->path, line, ch->err_fields, ld->n_cols, csvload_delim_name(ld->delim));
	else
		csvload_fail(ld, "%s:%zu: row has %zu fields, the header has %zu; add the missing fields (they may be empty)",
		    ld->path, line, ch->err_fields, ld->n_cols);
}

static void csvload_utf8_error(struct csvload *ld, struct csvchunk *ch)
{
	struct csvchunk_where w = csvchunk_locate_field(ch->raw, ch->len, ld->delim,
	    ch->err_row, ch->err_field);
	size_t line = ld->line_base + w.lines + ch->err_lines + 1;

	if (ch->err_gbk)
		csvload_fail(ld, "%s:%zu:%zu: invalid UTF-8; the text looks GBK-encoded: convert the file with iconv -f GBK -t UTF-8 %s > out.csv",
		    ld->path, line, ch->err_field + 1, ld->path);
	else
		csvload_fail(ld, "%s:%zu:%zu: invalid UTF-8 (byte 0x%02x); save the file as UTF-8",
		    ld->path, line, ch->err_field + 1, ch->err_byte);
}

/* Turns the first error of a chunk into the load's message. */
static void csvload_chunk_error(struct csvload *ld, struct csvchunk *ch)
{
	struct csvchunk_where w;

	switch (ch->err) {
	case CE_RAGGED:
		csvload_ragged_error(ld, ch);
		break;
	case CE_QUOTE:
		w = csvchunk_locate_offset(ch->raw, ch->len, ld->delim, ch->err_off);
		csvload_fail(ld, "%s:%zu:%zu: misplaced '\"'; a quote must start a field and quotes inside a quoted field are written twice (\"\")",
		    ld->path, ld->line_base + w.lines + 1, w.field + 1);
		break;
	case CE_UNCLOSED:
		w = csvchunk_locate_open_quote(ch->raw, ch->len, ld->delim);
		if (ld->truncated)
			csvload_fail(ld, "%s:%zu:%zu: the quote opened here is not closed within %zu KB; close it, or write quotes inside a quoted field twice (\"\")",
			    ld->path, ld->line_base + w.lines + 1, w.field + 1,
			    CSVLOAD_MAX_RECORD_CHUNKS * csvchunk_size() >> 10);
		else
			csvload_fail(ld, "%s:%zu:%zu: the quote opened here is never closed; close it, or write quotes inside a quoted field twice (\"\")",
			    ld->path, ld->line_base + w.lines + 1, w.field + 1);
		break;
	case CE_UTF8:
		csvload_utf8_error(ld, ch);
		break;
	default:
		csvload_fail(ld, "%s: the CSV parser failed: %s", ld->path, csv_strerror(CSV_ENOMEM));
		break;
	}
}

/* Grows every column to hold at least need rows; -1 over the ceiling. */
static int csvload_reserve(struct csvload *ld, size_t need, const struct csvchunk *first)
{
	size_t cap = ld->cap * 2, old_words = (ld->cap + 63) / 64, words;

	if (need <= ld->cap)
		return 0;
	/* First guess from the first chunk's bytes per row, so that a file is
	 * usually one allocation per column. */
	if (ld->cap == 0 && first->len > 0)
		cap = (size_t)((double)first->n_rows * (double)(ld->size - ld->data_off) /
		    (double)first->len * 1.02) + 64;
	if (cap < need)
		cap = need;
	if (csvload_need_mb(ld, cap) > (double)ld->limit_mb)
		cap = need;     /* the guess may be generous: try the exact need */
	if (csvload_budget(ld, cap) != 0)
		return -1;
	words = (cap + 63) / 64;
	for (size_t j = 0; j < ld->n_cols; j++) {
		struct csvload_acc *a = &ld->acc[j];

		if (a->vals != NULL)
			a->vals = xreallocarray(a->vals, cap, csvchunk_width(a->type));
		if (a->tz != NULL)
			a->tz = xreallocarray(a->tz, cap, sizeof *a->tz);
		if (a->missing != NULL) {
			a->missing = xreallocarray(a->missing, words, sizeof *a->missing);
			memset(a->missing + old_words, 0, (words - old_words) * sizeof *a->missing);
		}
	}
	ld->cap = cap;
	return 0;
}

static void csvload_append_missing(struct csvload *ld, struct csvload_acc *a,
    const struct csvchunk_col *c, size_t rows)
{
	size_t base = ld->n_rows;

	if (c->n_missing == 0)
		return;
	if (a->missing == NULL)
		a->missing = xcalloc((ld->cap + 63) / 64, sizeof *a->missing);
	for (size_t w = 0; w < (rows + 63) / 64; w++) {
		for (uint64_t bits = c->missing[w]; bits != 0; bits &= bits - 1) {
			size_t r = base + w * 64 + (size_t)__builtin_ctzll(bits);

			a->missing[r / 64] |= (uint64_t)1 << (r % 64);
		}
	}
	a->n_missing += c->n_missing;
}

/* Interns the chunk's strings in its code order and rewrites its codes. */
static void csvload_append_strings(struct csvload *ld, struct csvload_acc *a,
    const struct csvchunk_col *c, size_t rows)
{
	uint32_t n = dict_count(c->dict), *map = xmalloc((n ? n : 1) * sizeof *map);
	const uint32_t *src = c->vals;
	uint32_t *dst = (uint32_t *)a->vals + ld->n_rows;

	dict_merge(a->dict, c->dict, map);
	for (size_t r = 0; r < rows; r++) {
		bool miss = c->missing && (c->missing[r / 64] >> (r % 64)) & 1;

		dst[r] = miss ? 0 : map[src[r]];
	}
	free(map);
}

static void csvload_append_tz(struct csvload *ld, struct csvload_acc *a,
    const struct csvchunk_col *c, size_t rows)
{
	if (c->tz == NULL && a->tz == NULL)
		return;
	if (a->tz == NULL) {
		a->tz = xreallocarray(NULL, ld->cap, sizeof *a->tz);
		for (size_t r = 0; r < ld->n_rows; r++)
			a->tz[r] = TZ_NONE;
	}
	for (size_t r = 0; r < rows; r++)
		a->tz[ld->n_rows + r] = c->tz ? c->tz[r] : TZ_NONE;
}

/* Appends column j of a chunk (whose type joins with the column's without
 * becoming a string) and frees the chunk's buffers for it. */
static void csvload_append(struct csvload *ld, size_t j, struct csvchunk *ch)
{
	struct csvload_acc *a = &ld->acc[j];
	struct csvchunk_col *c = &ch->cols[j];
	enum csvchunk_type to = csvchunk_join(a->type, c->type);
	size_t rows = ch->n_rows;

	if (to != CT_EMPTY && a->type == CT_EMPTY) {
		a->vals = xcalloc(ld->cap, csvchunk_width(to));
		if (to == CT_STRING)
			a->dict = dict_new();
	} else if (to != a->type)
		csvchunk_widen_vals(a->vals, ld->n_rows, a->type, to);
	a->type = to;
	if (c->type == CT_EMPTY && to != CT_EMPTY)
		memset((char *)a->vals + ld->n_rows * csvchunk_width(to), 0, rows * csvchunk_width(to));
	else if (to == CT_STRING)
		csvload_append_strings(ld, a, c, rows);
	else if (to != CT_EMPTY) {
		csvchunk_widen_vals(c->vals, rows, c->type, to);
		memcpy((int64_t *)a->vals + ld->n_rows, c->vals, rows * sizeof(int64_t));
	}
	if (to == CT_DATETIME)
		csvload_append_tz(ld, a, c, rows);
	csvload_append_missing(ld, a, c, rows);
	a->n_monthly += c->n_monthly;
	a->n_daily += c->n_daily;
	free(c->vals);
	free(c->tz);
	free(c->missing);
	dict_free(c->dict);
	memset(c, 0, sizeof *c);
}

/* Decides how a parsed chunk fits the columns so far: a column that became
 * strings after holding other values restarts the load; a chunk that holds
 * other values for a string column is parsed again with it as strings. */
static int csvload_reconcile(struct csvload *ld, struct csvchunk *ch)
{
	bool again = false, restart = false;

	for (size_t j = 0; j < ld->n_cols; j++) {
		enum csvchunk_type a = ld->acc[j].type, c = ch->cols[j].type;

		if (csvchunk_join(a, c) != CT_STRING)
			continue;
		restart |= a != CT_STRING && a != CT_EMPTY;
		again |= c != CT_STRING && c != CT_EMPTY;
		if (ld->forced[j])
			continue;
		/* Chunks parsed from now on read the column as strings. */
		pthread_mutex_lock(&ld->lock);
		ld->forced[j] = true;
		pthread_mutex_unlock(&ld->lock);
	}
	if (restart)
		return CSVLOAD_RESTART;
	if (again) {
		csvchunk_free_cols(ch);
		csvchunk_parse(ch, ld->forced);
	}
	return CSVLOAD_OK;
}

static int csvload_merge(struct csvload *ld, struct csvchunk *ch)
{
	if (ch->err == CE_NONE && csvload_reconcile(ld, ch) == CSVLOAD_RESTART)
		return CSVLOAD_RESTART;
	if (ch->err != CE_NONE) {
		csvload_chunk_error(ld, ch);
		return CSVLOAD_FAIL;
	}
	if (csvload_reserve(ld, ld->n_rows + ch->n_rows, ch) != 0)
		return CSVLOAD_FAIL;
	for (size_t j = 0; j < ld->n_cols; j++)
		csvload_append(ld, j, ch);
	ld->n_rows += ch->n_rows;
	ld->line_base += ch->n_newlines;
	ld->done += ch->len;
	return CSVLOAD_OK;
}

static bool csvload_cancelled(const struct csvload *ld)
{
	return cancel_requested(ld->opts->cancel);
}

/* Reads ahead while fewer than `ahead` chunks wait to be merged. */
static int csvload_fill(struct csvload *ld, size_t ahead)
{
	while (!ld->eof && ld->n_chunks - ld->next_merge < ahead) {
		struct csvchunk *ch = csvload_next_chunk(ld);

		if (ld->cause != NULL)
			return CSVLOAD_FAIL;
		if (ch != NULL)
			csvload_push(ld, ch);
	}
	return CSVLOAD_OK;
}

/* Reports progress; after a restart it stays at its earlier high mark
 * until the new pass gets past it, so it never goes backwards. */
static void csvload_progress(struct csvload *ld)
{
	if (ld->done > ld->reported)
		ld->reported = ld->done;
	if (ld->opts->progress != NULL)
		ld->opts->progress(ld->opts->progress_arg, ld->reported, ld->size);
}

/* Hands the freed chunk buffers back to the system: glibc would keep them
 * in per-thread arenas, and the peak memory of a load must stay near the
 * table's own size. */
static void csvload_trim(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

/* One pass over the data part of the file. */
static int csvload_pass(struct csvload *ld)
{
	size_t ahead = ld->threads > 1 ? (size_t)ld->threads + 1 : 1;
	int rc = CSVLOAD_OK;

	if (ld->threads > 1)
		csvload_start_workers(ld);
	while (rc == CSVLOAD_OK) {
		struct csvchunk *ch;

		if (csvload_cancelled(ld)) {
			csvload_fail(ld, "%s: load cancelled", ld->path);
			rc = CSVLOAD_FAIL;
			break;
		}
		if ((rc = csvload_fill(ld, ahead)) != CSVLOAD_OK || ld->next_merge == ld->n_chunks)
			break;
		ch = csvload_wait(ld);
		rc = csvload_merge(ld, ch);
		csvchunk_free(ch);
		ld->chunks[ld->next_merge++] = NULL;
		if (ld->next_merge % 8 == 0)
			csvload_trim();
		csvload_progress(ld);
	}
	csvload_stop_workers(ld);
	return rc;
}

static void csvload_free_acc(struct csvload *ld)
{
	for (size_t j = 0; ld->acc != NULL && j < ld->n_cols; j++) {
		free(ld->acc[j].vals);
		free(ld->acc[j].tz);
		free(ld->acc[j].missing);
		dict_free(ld->acc[j].dict);
	}
	free(ld->acc);
	ld->acc = NULL;
}

/* Forgets the data read so far, keeping the header and forced columns. */
static void csvload_rewind(struct csvload *ld)
{
	for (size_t i = ld->next_merge; i < ld->n_chunks; i++)
		csvchunk_free(ld->chunks[i]);
	ld->n_chunks = ld->next_parse = ld->next_merge = 0;
	csvload_free_acc(ld);
	ld->acc = xcalloc(ld->n_cols ? ld->n_cols : 1, sizeof *ld->acc);
	ld->n_rows = ld->cap = 0;
	free(ld->carry);
	ld->carry = NULL;
	ld->carry_len = ld->carry_quotes = ld->carry_cap = 0;
	ld->eof = ld->truncated = false;
	ld->off = ld->done = ld->data_off;
	ld->line_base = ld->header_lines;
}

/* Shrinks an array to n values of width bytes, keeping it non-NULL. */
static void *csvload_fit(void *p, size_t n, size_t width)
{
	return xreallocarray(p, n ? n : 1, width);
}

/* Narrows 8-byte values in place to the table's width (date, bool). */
static void *csvload_narrow(void *vals, size_t n, enum csvchunk_type type)
{
	const int64_t *src = vals;
	int32_t *days = vals;
	uint8_t *b = vals;

	/* Front to back: each write lands at or before the value it replaces. */
	for (size_t r = 0; type == CT_DATE && r < n; r++)
		days[r] = (int32_t)src[r];
	for (size_t r = 0; type == CT_BOOL && r < n; r++)
		b[r] = (uint8_t)src[r];
	return csvload_fit(vals, n, type == CT_DATE ? sizeof *days : sizeof *b);
}

/* Category when distinct values are at most half of the values present:
 * then the codes are worth grouping by; otherwise text. */
static enum col_type csvload_string_type(const struct csvload_acc *a, size_t n_rows)
{
	size_t present = n_rows - a->n_missing;

	return present > 0 && (size_t)dict_count(a->dict) * 2 <= present ? COL_CATEGORY : COL_TEXT;
}

/* Gives a column with no values the type text, all missing. */
static void csvload_empty_column(struct column *c, struct csvload_acc *a, size_t n_rows)
{
	c->type = COL_TEXT;
	c->v.codes = xcalloc(n_rows ? n_rows : 1, sizeof *c->v.codes);
	c->dict = dict_new();
	if (n_rows == 0)
		return;
	c->missing = xcalloc((n_rows + 63) / 64, sizeof *c->missing);
	for (size_t r = 0; r < n_rows; r++)
		c->missing[r / 64] |= (uint64_t)1 << (r % 64);
	c->n_missing = n_rows;
	free(a->missing);
	a->missing = NULL;
}

static void csvload_finish_column(struct column *c, struct csvload_acc *a, size_t n)
{
	static const enum col_type types[] = {
		[CT_BOOL] = COL_BOOL, [CT_INT] = COL_INT, [CT_FLOAT] = COL_FLOAT,
		[CT_DATE] = COL_DATE, [CT_DATETIME] = COL_DATETIME,
	};

	if (a->type == CT_EMPTY) {
		csvload_empty_column(c, a, n);
		return;
	}
	if (a->type == CT_STRING) {
		c->type = csvload_string_type(a, n);
		c->dict = a->dict;
		a->dict = NULL;
	} else
		c->type = types[a->type];
	if (a->type == CT_DATE || a->type == CT_BOOL)
		c->v.raw = csvload_narrow(a->vals, n, a->type);
	else
		c->v.raw = csvload_fit(a->vals, n, csvchunk_width(a->type));
	a->vals = NULL;
	c->tz = a->tz ? csvload_fit(a->tz, n, sizeof *c->tz) : NULL;
	a->tz = NULL;
	c->monthly = a->type == CT_DATE && a->n_daily == 0 && a->n_monthly > 0;
	c->n_missing = a->n_missing;
	c->missing = a->n_missing ? csvload_fit(a->missing, (n + 63) / 64, sizeof *c->missing) : NULL;
	if (a->n_missing == 0)
		free(a->missing);
	a->missing = NULL;
}

static struct table *csvload_table(struct csvload *ld, const char *name)
{
	struct table *t = table_new(name, ld->path);

	csvappend_identify(ld->fd, ld->size, &t->source);

	t->n_rows = ld->n_rows;
	t->n_cols = ld->n_cols;
	t->cols = xcalloc(ld->n_cols ? ld->n_cols : 1, sizeof *t->cols);
	for (size_t j = 0; j < ld->n_cols; j++) {
		t->cols[j].name = ld->names[j];
		ld->names[j] = NULL;
		csvload_finish_column(&t->cols[j], &ld->acc[j], ld->n_rows);
	}
	table_infer_roles(t);
	return t;
}

static int csvload_threads(const struct csvload_opts *opts)
{
	long n = opts->threads > 0 ? opts->threads : sysconf(_SC_NPROCESSORS_ONLN);

	return n >= 2 ? 2 : 1;
}

static void csvload_done(struct csvload *ld)
{
	csvload_rewind(ld);
	csvload_free_acc(ld);
	free(ld->chunks);
	for (size_t j = 0; j < ld->n_cols; j++)
		free(ld->names[j]);
	free(ld->names);
	free(ld->forced);
	pthread_mutex_destroy(&ld->lock);
	pthread_cond_destroy(&ld->work_cv);
	pthread_cond_destroy(&ld->done_cv);
	if (ld->fd >= 0)
		close(ld->fd);
}

/* Refuses a file that shrank while it was read (rewritten meanwhile): cut
 * at a row boundary, it would load as a shorter dataset without a word. */
static int csvload_check_size(struct csvload *ld)
{
	struct stat st;

	if (fstat(ld->fd, &st) != 0) {
		csvload_fail(ld, "%s: cannot stat: %s", ld->path, strerror(errno));
		return -1;
	}
	if ((unsigned long long)st.st_size >= ld->opened_size && ld->size >= ld->opened_size)
		return 0;
	csvload_fail(ld, "%s: the file shrank while it was read (from %llu to %llu bytes); load it "
	    "again once it is written", ld->path, ld->opened_size,
	    (unsigned long long)st.st_size < ld->size ? (unsigned long long)st.st_size : ld->size);
	return -1;
}

/* Runs passes until one completes without a restart. */
static int csvload_run(struct csvload *ld)
{
	int rc;

	ld->forced = xcalloc(ld->n_cols ? ld->n_cols : 1, sizeof *ld->forced);
	for (size_t i = 0; i < ld->opts->n_text; i++)
		for (size_t j = 0; j < ld->n_cols; j++)
			ld->forced[j] |= strcmp(ld->names[j], ld->opts->text[i]) == 0;
	do {
		csvload_rewind(ld);
		rc = csvload_pass(ld);
	} while (rc == CSVLOAD_RESTART);
	if (rc == CSVLOAD_OK && csvload_check_size(ld) != 0)
		return -1;
	if (rc == CSVLOAD_OK) {
		ld->done = ld->size;
		csvload_progress(ld);
	}
	return rc == CSVLOAD_OK ? 0 : -1;
}

static void csvload_init(struct csvload *ld, const char *path, const struct csvload_opts *opts)
{
	static const struct csvload_opts defaults;

	memset(ld, 0, sizeof *ld);
	ld->path = path;
	ld->opts = opts ? opts : &defaults;
	ld->delim = ld->opts->delim;
	ld->threads = csvload_threads(ld->opts);
	ld->fd = -1;
	pthread_mutex_init(&ld->lock, NULL);
	pthread_cond_init(&ld->work_cv, NULL);
	pthread_cond_init(&ld->done_cv, NULL);
}

/* The load once the file is open: header, budget, passes, the table. */
static int csvload_open_file(struct csvload *ld, const char *name, struct table **out,
    char **cause)
{
	int rc = -1;

	*out = NULL;
	if (ld->fd >= 0 && csvload_limit_mb(ld) == 0 && csvload_header(ld) == 0 &&
	    csvload_budget(ld, 0) == 0 &&
	    csvload_run(ld) == 0) {
		*out = csvload_table(ld, name);
		rc = 0;
	}
	csvload_done(ld);
	if (rc != 0)
		*cause = ld->cause;
	else
		free(ld->cause);
	return rc;
}

int csvload_file(const char *path, const char *name, const struct csvload_opts *opts,
    struct table **out, char **cause)
{
	struct csvload ld;

	csvload_init(&ld, path, opts);
	if (csvload_open(&ld) != 0 && ld.fd >= 0) {
		close(ld.fd);
		ld.fd = -1;
	}
	return csvload_open_file(&ld, name, out, cause);
}

int csvload_fd(int fd, const char *label, const char *name, const struct csvload_opts *opts,
    struct table **out, char **cause)
{
	struct csvload ld;
	struct stat st;
	int rc;

	csvload_init(&ld, label, opts);
	if (fstat(fd, &st) != 0)
		csvload_fail(&ld, "%s: cannot stat: %s", label, strerror(errno));
	else {
		ld.fd = dup(fd);
		ld.size = (unsigned long long)st.st_size;
		if (ld.fd < 0)
			csvload_fail(&ld, "%s: %s", label, strerror(errno));
	}
	rc = csvload_open_file(&ld, name, out, cause);
	if (rc == 0) {
		free((*out)->path);
		(*out)->path = NULL;
	}
	return rc;
}
