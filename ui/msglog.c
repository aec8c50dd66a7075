/* The recent messages, in full. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "msglog.h"
#include "xmalloc.h"

struct msglog_entry {
	char *text;
	bool error;
	time_t when;
};

struct msglog {
	struct msglog_entry v[MSGLOG_MAX];      /* a ring from first */
	size_t first, n;
};

struct msglog *msglog_new(void)
{
	return xcalloc(1, sizeof(struct msglog));
}

void msglog_free(struct msglog *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->v[(l->first + i) % MSGLOG_MAX].text);
	free(l);
}

void msglog_add(struct msglog *l, const char *clean, bool error, time_t when)
{
	struct msglog_entry *last = l->n ? &l->v[(l->first + l->n - 1) % MSGLOG_MAX] : NULL;

	if (*clean == '\0' || (last != NULL && strcmp(last->text, clean) == 0))
		return;
	if (l->n == MSGLOG_MAX) {
		free(l->v[l->first].text);
		l->first = (l->first + 1) % MSGLOG_MAX;
		l->n--;
	}
	l->v[(l->first + l->n++) % MSGLOG_MAX] = (struct msglog_entry){ xstrdup(clean), error, when };
}

struct pager *msglog_pager(const struct msglog *l, int width)
{
	struct pager *p = pager_new("Messages");

	if (l->n == 0)
		pager_add(p, TTY_DIM, "%s", "no messages yet");
	for (size_t i = 0; i < l->n; i++) {
		const struct msglog_entry *e = &l->v[(l->first + i) % MSGLOG_MAX];
		struct tm tm;
		char hms[16], *line;

		localtime_r(&e->when, &tm);
		strftime(hms, sizeof hms, "%H:%M:%S", &tm);
		line = xasprintf("%s %s%s", hms, e->error ? "error: " : "", e->text);

		pager_add_wrapped(p, e->error ? TTY_ERROR : TTY_NORMAL, line, width);
		free(line);
	}
	return p;
}
