/* Open-addressing hash dictionary with strings packed in one arena. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dict.h"
#include "xmalloc.h"

/* A slot holds the string's hash in its high half and code + 1 in its low
 * half, so most mismatches are rejected without touching the strings. */
#define DICT_EMPTY 0

struct dict_entry {
	uint64_t offset;        /* in arena */
	uint64_t head;          /* first 8 bytes, zero-padded */
	uint32_t len;
	uint32_t hash;
};

struct dict {
	char *arena;            /* NUL-terminated strings back to back */
	size_t arena_len, arena_cap;
	struct dict_entry *entries;     /* by code */
	uint32_t count, cap;    /* codes in use, capacity of entries */
	uint64_t *slots;        /* open addressing, DICT_EMPTY when free */
	uint32_t nslots;        /* power of two */
};

/* Eight bytes at a time, then a final avalanche so the low bits (the slot
 * index) depend on every byte. */
static uint32_t dict_hash(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 29;
	}
	if (i < len) {
		w = 0;
		memcpy(&w, s + i, len - i);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
	}
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (uint32_t)h;
}

static inline uint64_t dict_slot(uint32_t hash, uint32_t code)
{
	return (uint64_t)hash << 32 | (code + 1);
}

struct dict *dict_new(void)
{
	struct dict *d = xcalloc(1, sizeof *d);

	d->nslots = 16;
	d->slots = xcalloc(d->nslots, sizeof *d->slots);
	return d;
}

void dict_free(struct dict *d)
{
	if (d == NULL)
		return;
	free(d->arena);
	free(d->entries);
	free(d->slots);
	free(d);
}

static void dict_grow_slots(struct dict *d)
{
	uint32_t n = d->nslots * 2, mask = n - 1;

	free(d->slots);
	d->slots = xcalloc(n, sizeof *d->slots);
	d->nslots = n;
	for (uint32_t code = 0; code < d->count; code++) {
		uint32_t i = d->entries[code].hash & mask;

		while (d->slots[i] != DICT_EMPTY)
			i = (i + 1) & mask;
		d->slots[i] = dict_slot(d->entries[code].hash, code);
	}
}

/* The first 8 bytes of s, zero-padded: strings this short compare without
 * a trip to the arena. */
static inline uint64_t dict_head(const char *s, size_t len)
{
	uint64_t w = 0;

	memcpy(&w, s, len < 8 ? len : 8);
	return w;
}

static inline bool dict_equal(const struct dict *d, const struct dict_entry *e,
    const char *s, size_t len, uint64_t head)
{
	if (e->len != len || e->head != head)
		return false;
	return len <= 8 || memcmp(d->arena + e->offset + 8, s + 8, len - 8) == 0;
}

/* The slot holding s, or the free slot where it belongs. */
static uint32_t dict_probe(const struct dict *d, const char *s, size_t len, uint32_t h)
{
	uint32_t mask = d->nslots - 1, i = h & mask;
	uint64_t slot, head = dict_head(s, len);

	while ((slot = d->slots[i]) != DICT_EMPTY) {
		if ((uint32_t)(slot >> 32) == h) {
			const struct dict_entry *e = &d->entries[(uint32_t)slot - 1];

			if (dict_equal(d, e, s, len, head))
				break;
		}
		i = (i + 1) & mask;
	}
	return i;
}

bool dict_find(const struct dict *d, const char *s, size_t len, uint32_t *code)
{
	uint32_t i = dict_probe(d, s, len, dict_hash(s, len));

	if (d->slots[i] == DICT_EMPTY)
		return false;
	*code = (uint32_t)d->slots[i] - 1;
	return true;
}

static uint32_t dict_append(struct dict *d, const char *s, size_t len, uint32_t h)
{
	uint32_t code = d->count;

	if (d->count == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->entries = xreallocarray(d->entries, d->cap, sizeof *d->entries);
	}
	if (d->arena_len + len + 1 > d->arena_cap) {
		while (d->arena_len + len + 1 > d->arena_cap)
			d->arena_cap = d->arena_cap ? d->arena_cap * 2 : 256;
		d->arena = xreallocarray(d->arena, d->arena_cap, 1);
	}
	memcpy(d->arena + d->arena_len, s, len);
	d->arena[d->arena_len + len] = '\0';
	d->entries[code] = (struct dict_entry){ d->arena_len, dict_head(s, len), (uint32_t)len, h };
	d->arena_len += len + 1;
	d->count++;
	return code;
}

/* Interns s whose hash is known. */
static uint32_t dict_intern_hashed(struct dict *d, const char *s, size_t len, uint32_t h)
{
	uint32_t i = dict_probe(d, s, len, h), code;

	if (d->slots[i] != DICT_EMPTY)
		return (uint32_t)d->slots[i] - 1;
	code = dict_append(d, s, len, h);
	d->slots[i] = dict_slot(h, code);
	/* Keep the load factor under one half so probes stay short. */
	if ((uint64_t)d->count * 2 > d->nslots)
		dict_grow_slots(d);
	return code;
}

uint32_t dict_intern(struct dict *d, const char *s, size_t len)
{
	return dict_intern_hashed(d, s, len, dict_hash(s, len));
}

void dict_merge(struct dict *d, const struct dict *src, uint32_t *map)
{
	for (uint32_t code = 0; code < src->count; code++) {
		const struct dict_entry *e = &src->entries[code];

		map[code] = dict_intern_hashed(d, src->arena + e->offset, e->len, e->hash);
	}
}

const char *dict_str(const struct dict *d, uint32_t code)
{
	return d->arena + d->entries[code].offset;
}

size_t dict_strlen(const struct dict *d, uint32_t code)
{
	return d->entries[code].len;
}

uint32_t dict_count(const struct dict *d)
{
	return d->count;
}

size_t dict_bytes(const struct dict *d)
{
	return sizeof *d + d->arena_cap + (size_t)d->cap * sizeof *d->entries +
	    (size_t)d->nslots * sizeof *d->slots;
}
