/* Privacy: keyed pseudonyms for ids, erasing one user, and the minimum
 * group size for shareable output.
 *
 * Pseudonyms are HMAC-SHA-256 (libsodium) of a cell's text under a secret
 * key, written as the first 16 hex digits (64 bits) of the MAC: the same id
 * gets the same pseudonym in every dataset, so joins still work, and
 * nobody without the key can recompute it. The key is 32 random bytes kept
 * as 64 hex digits in a file of mode 0600 that the user owns. */
#ifndef CROSSMKT_PRIVACY_H
#define CROSSMKT_PRIVACY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "table.h"

#define PRIVACY_KEY_BYTES 32
#define PRIVACY_PSEUDONYM_HEX 16
/* Groups smaller than this are withheld from shareable output. */
#define PRIVACY_MIN_GROUP 10

/* Reads the key at path (NULL: pseudonym.key in the XDG config dir),
 * creating it from randombytes_buf when missing. *used is the path (the
 * caller frees it) and *created tells whether it was made now. -1 with
 * *cause when the file is not a key, or is not private (owner only). */
int privacy_key_load(const char *path, uint8_t key[PRIVACY_KEY_BYTES], char **used,
    bool *created, char **cause);
/* The pseudonym of len bytes of text: PRIVACY_PSEUDONYM_HEX hex digits
 * and a NUL into out. */
void privacy_pseudonym(const uint8_t key[PRIVACY_KEY_BYTES], const char *text, size_t len,
    char out[PRIVACY_PSEUDONYM_HEX + 1]);
/* Replaces every present cell of column col by its pseudonym; the column
 * becomes text (category stays category). Returns the distinct values. */
size_t privacy_pseudonymize(struct table *t, int col, const uint8_t key[PRIVACY_KEY_BYTES]);

/* The rows whose column col, written as text, is not id: keep[] and the
 * number removed. */
size_t privacy_rows_without(const struct table *t, int col, const char *id, uint8_t *keep);

/* Whether an aggregate's count (distinct when distinct, else count) of
 * column col (-1 for rows) in t counts users: distinct() of the user
 * column, or count() of a dataset with one row per user (its user column
 * present in every row, without repeats). Such columns are marked
 * group_count. */
bool privacy_counts_users(const struct table *t, bool distinct, int col);
/* A column that counts the members of a group: an int column marked
 * group_count, or named n, users, n_users or count. */
bool privacy_is_group_count(const struct column *c);
/* Clears keep[row] for rows where a group-count column is below
 * min_group; returns how many rows were withheld (0 when t has no such
 * column or min_group is 0). */
size_t privacy_withhold_small(const struct table *t, long min_group, uint8_t *keep);

#endif
