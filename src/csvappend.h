/* Appending the rows added to a CSV file since it was loaded (a file that
 * grows like a log, followed as with tail -f).
 *
 * A file replaced since its rows were read (another device or inode, or
 * other bytes before where they ended) is an error: "the file was
 * replaced; load it again".
 *
 * Only whole records are read: a last line without its newline is still
 * being written and waits for the next call. New rows take the types the
 * columns already have; new strings go into the columns' dictionaries. A
 * value that does not fit its column is an error naming FILE:LINE:COLUMN,
 * and then the table is left unchanged.
 *
 * Functions return 0, or -1 with *cause set to "PATH:LINE[:COLUMN]: ..."
 * (or "PATH: ..."), which the caller frees. */
#ifndef CROSSMKT_CSVAPPEND_H
#define CROSSMKT_CSVAPPEND_H

#include <stddef.h>

#include "table.h"

/* Where the rows of a table end in its file. */
struct csvappend_pos {
	unsigned long long offset;      /* first byte not read yet */
	size_t line;                    /* newlines before offset */
	char delim;
	struct table_source source;     /* the file the rows came from */
};

/* The identity of the file open as fd, with the hash of the bytes
 * before end: what t->source holds after a load. */
void csvappend_identify(int fd, unsigned long long end, struct table_source *src);
/* Finds the end of the header and of t->n_rows records in path; delim 0
 * sniffs the delimiter from the header as loading does. */
int csvappend_locate(const struct table *t, const char *path, char delim,
    struct csvappend_pos *pos, char **cause);
/* Where t's rows end in t->path: the place watch or forget left on t (rows
 * removed since do not move it), else found by csvappend_locate. */
int csvappend_where(const struct table *t, char delim, struct csvappend_pos *pos, char **cause);
/* Leaves pos on t for csvappend_where. */
void csvappend_remember(struct table *t, const struct csvappend_pos *pos);
/* The size of path now, or -1 when it cannot be read. */
long long csvappend_size(const char *path);
/* Appends the whole records from pos->offset up to the end of the file
 * (at most max_bytes of them when max_bytes is not 0) and moves pos past
 * them; *added is the number of rows. */
int csvappend_read(struct table *t, const char *path, struct csvappend_pos *pos,
    size_t max_bytes, size_t *added, char **cause);
/* Called with the line a skipped record starts on and its message
 * (PATH:LINE:COLUMN: ...), which it takes over. */
typedef void (*csvappend_skip_fn)(void *arg, size_t line, char *message);
/* As csvappend_read, but a record that does not fit is passed to skip and
 * stepped over, and the records around it are appended; -1 only when the
 * file cannot be read. */
int csvappend_read_skipping(struct table *t, const char *path, struct csvappend_pos *pos,
    size_t max_bytes, size_t *added, csvappend_skip_fn skip, void *arg, char **cause);

#endif
