/* Allocation and formatting wrappers that never return NULL: running out
 * of memory aborts with a message, so callers need no NULL checks for small
 * allocations. Large, data-sized allocations go through the load budget
 * instead (see csvload.h). */
#ifndef CROSSMKT_XMALLOC_H
#define CROSSMKT_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a newly allocated formatted string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* The n words with sep between them ("a, b, c"), newly allocated; "" for
 * none. */
char *xstrjoin(const char *const *words, size_t n, const char *sep);
/* snprintf that aborts on truncation: for buffers sized to always fit. */
int xsnprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
