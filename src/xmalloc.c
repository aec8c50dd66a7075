/* Allocation wrappers: abort cleanly instead of returning NULL. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static void xmalloc_fail(const char *what, size_t size)
{
	fprintf(stderr, "crossmkt: out of memory (%s of %zu bytes)\n", what, size);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		xmalloc_fail("malloc", size);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		xmalloc_fail("calloc", nmemb * size);
	return p;
}

void *xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	void *p;

	if (size != 0 && nmemb > SIZE_MAX / size)
		xmalloc_fail("reallocarray overflow", SIZE_MAX);
	p = realloc(ptr, nmemb && size ? nmemb * size : 1);
	if (p == NULL)
		xmalloc_fail("realloc", nmemb * size);
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		xmalloc_fail("vasprintf", 0);
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

char *xstrjoin(const char *const *words, size_t n, const char *sep)
{
	size_t len = 1, s = strlen(sep), at = 0;
	char *out;

	for (size_t i = 0; i < n; i++)
		len += strlen(words[i]) + (i > 0 ? s : 0);
	out = xmalloc(len);
	for (size_t i = 0; i < n; i++) {
		size_t w = strlen(words[i]);

		if (i > 0) {
			memcpy(out + at, sep, s);
			at += s;
		}
		memcpy(out + at, words[i], w);
		at += w;
	}
	out[at] = '\0';
	return out;
}

int xsnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		fprintf(stderr, "crossmkt: internal error: '%s' truncated at %zu bytes\n", fmt, size);
		abort();
	}
	return n;
}
