/* Loading CSV files into tables with libcsv.
 *
 * The file is read in chunks (never whole), parsed on up to two threads, and
 * typed column by column: int, float, date, datetime, bool, category or text.
 * Results do not depend on the number of threads. */
#ifndef CROSSMKT_CSVLOAD_H
#define CROSSMKT_CSVLOAD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "table.h"

struct csvload_opts {
	char delim;             /* 0: sniff comma, tab or semicolon from the header */
	int threads;            /* 0: one per online CPU, at most 2 */
	/* Called from the loading thread with bytes done and total. */
	void (*progress)(void *arg, unsigned long long done, unsigned long long total);
	void *progress_arg;
	/* Polled between chunks; when it becomes true the load stops with
	 * the error "cancelled". */
	const atomic_bool *cancel;
	/* Memory ceiling of the load in MB; 0: the environment variable
	 * CROSSMKT_MAX_MB, else the machine's physical memory. A load whose
	 * estimate (file size, chunks in flight, 9 bytes per cell, per-column
	 * buffers) is over it fails before the large allocations. */
	unsigned long max_mb;
	/* Columns to read as strings whatever they hold, by header name, or
	 * NULL; n_text entries. */
	const char *const *text;
	size_t n_text;
};

/* Loads path as a new table called name. On success returns 0 and sets
 * *out (owned by the caller). On failure returns -1 and sets *cause to
 * "PATH:LINE[:COLUMN]: what is wrong; what to do" (or "PATH: ..." when no
 * line applies); nothing is allocated. */
int csvload_file(const char *path, const char *name, const struct csvload_opts *opts,
    struct table **out, char **cause);

/* The largest memory ceiling accepted, in MB (an exbibyte). */
#define CSVLOAD_MAX_MB (1ULL << 40)

/* Reads a memory ceiling in MB, a whole number from 1 to CSVLOAD_MAX_MB
 * written in digits only; false when s is not one. */
bool csvload_parse_mb(const char *s, unsigned long *mb);

/* Like csvload_file on an open file (fd stays the caller's), named in
 * messages and in the table's source as label; the table has no path. */
int csvload_fd(int fd, const char *label, const char *name, const struct csvload_opts *opts,
    struct table **out, char **cause);

/* The delimiter a header line uses: the most frequent of ',', tab and ';'
 * outside quotes (',' when there is none). */
char csvload_sniff_delim(const char *s, size_t len);

#endif
