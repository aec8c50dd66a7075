/* Key bindings as tables: a key, its footer label, its help line and the
 * action. Keys are wide characters, or KEYS_FN(KEY_...) for function keys. */
#ifndef CROSSMKT_KEYS_H
#define CROSSMKT_KEYS_H

#include <stdbool.h>

#define KEYS_FN(k) (0x1000000 | (k))
#define KEYS_CTRL(c) ((c) & 0x1f)
#define KEYS_ESC 0x1b

struct console;

struct keys_binding {
	int key;
	const char *name;       /* key as shown, e.g. "s" or "PgDn" */
	const char *label;      /* footer word, NULL to leave it out */
	const char *help;       /* help screen line */
	/* Returns false to let the next table have the key. */
	bool (*fn)(struct console *c, void *state, int key);
};

/* The console's own bindings, for every view. */
extern const struct keys_binding keys_global[];
extern const struct keys_binding keys_sidebar[];

/* Runs the binding of key in table; false when there is none. */
bool keys_dispatch(const struct keys_binding *table, struct console *c, void *state, int key);
/* Reads one key without waiting; false when none is pending. */
bool keys_read(int *key);

#endif
