/* A string dictionary: each distinct string gets a dense code (0, 1, 2...)
 * in order of first insertion. Category and text columns store codes; the
 * dictionary owns the strings. */
#ifndef CROSSMKT_DICT_H
#define CROSSMKT_DICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dict;

struct dict *dict_new(void);
void dict_free(struct dict *d);
/* Returns the code of s (len bytes, need not be NUL-terminated), adding it
 * when new. */
uint32_t dict_intern(struct dict *d, const char *s, size_t len);
/* Interns every string of src in src's code order; map[code in src] is set
 * to the code in d (map holds dict_count(src) entries). */
void dict_merge(struct dict *d, const struct dict *src, uint32_t *map);
/* Looks s up without adding it; false when absent. */
bool dict_find(const struct dict *d, const char *s, size_t len, uint32_t *code);
/* The NUL-terminated string for a code; owned by the dictionary. */
const char *dict_str(const struct dict *d, uint32_t code);
size_t dict_strlen(const struct dict *d, uint32_t code);
uint32_t dict_count(const struct dict *d);
/* Bytes held, for memory reports. */
size_t dict_bytes(const struct dict *d);

#endif
