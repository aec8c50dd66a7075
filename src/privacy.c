/* Keyed pseudonyms, row erasure and group-size checks. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "privacy.h"
#include "tableops.h"
#include "xdg.h"
#include "xmalloc.h"

#define PRIVACY_KEY_HEX (PRIVACY_KEY_BYTES * 2)

/* Writes a new random key to path, which must not exist yet. */
static int privacy_key_create(const char *path, uint8_t *key, char **cause)
{
	char hex[PRIVACY_KEY_HEX + 2];
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600), err;
	ssize_t n;
	bool ok;

	if (fd < 0) {
		*cause = xasprintf("%s: cannot create the pseudonym key: %s", path, strerror(errno));
		return -1;
	}
	randombytes_buf(key, PRIVACY_KEY_BYTES);
	sodium_bin2hex(hex, sizeof hex, key, PRIVACY_KEY_BYTES);
	hex[PRIVACY_KEY_HEX] = '\n';
	n = write(fd, hex, PRIVACY_KEY_HEX + 1);
	ok = n == PRIVACY_KEY_HEX + 1 && fsync(fd) == 0;
	err = errno;
	ok = close(fd) == 0 && ok;
	sodium_memzero(hex, sizeof hex);
	if (!ok) {
		*cause = xasprintf("%s: cannot write the pseudonym key: %s", path,
		    n >= 0 && n < PRIVACY_KEY_HEX + 1 ? "short write" : strerror(err ? err : errno));
		unlink(path);
		return -1;
	}
	return 0;
}

/* Reads an existing key, refusing one that others could read. */
static int privacy_key_read(const char *path, int fd, uint8_t *key, char **cause)
{
	char hex[PRIVACY_KEY_HEX + 8];
	struct stat st;
	size_t bin_len;
	ssize_t n;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*cause = xasprintf("%s: the pseudonym key is not a regular file", path);
		return -1;
	}
	if ((st.st_mode & 077) != 0 || st.st_uid != geteuid()) {
		*cause = xasprintf("%s: the pseudonym key must be yours and private (mode 600, "
		    "now %03o): chmod 600 %s", path, (unsigned)(st.st_mode & 0777), path);
		return -1;
	}
	n = read(fd, hex, sizeof hex - 1);
	hex[n > 0 ? n : 0] = '\0';
	if (n < PRIVACY_KEY_HEX || sodium_hex2bin(key, PRIVACY_KEY_BYTES, hex, (size_t)n, "\n",
	    &bin_len, NULL) != 0 || bin_len != PRIVACY_KEY_BYTES) {
		*cause = xasprintf("%s: not a pseudonym key (want %d hex digits)", path, PRIVACY_KEY_HEX);
		return -1;
	}
	return 0;
}

int privacy_key_load(const char *path, uint8_t key[PRIVACY_KEY_BYTES], char **used,
    bool *created, char **cause)
{
	int fd, rc;

	*created = false;
	if (sodium_init() < 0) {
		*cause = xstrdup("libsodium could not be initialised");
		return -1;
	}
	if (path != NULL)
		*used = xstrdup(path);
	else if (xdg_path(XDG_CONFIG, "pseudonym.key", used, cause) != 0)
		return -1;
	fd = open(*used, O_RDONLY | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT) {
		*created = true;
		rc = privacy_key_create(*used, key, cause);
	} else if (fd < 0) {
		*cause = xasprintf("%s: cannot read the pseudonym key: %s", *used, strerror(errno));
		rc = -1;
	} else {
		rc = privacy_key_read(*used, fd, key, cause);
		close(fd);
	}
	if (rc != 0) {
		free(*used);
		*used = NULL;
	}
	return rc;
}

void privacy_pseudonym(const uint8_t key[PRIVACY_KEY_BYTES], const char *text, size_t len,
    char out[PRIVACY_PSEUDONYM_HEX + 1])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256(mac, (const unsigned char *)text, len, key);
	sodium_bin2hex(out, PRIVACY_PSEUDONYM_HEX + 1, mac, PRIVACY_PSEUDONYM_HEX / 2);
}

size_t privacy_pseudonymize(struct table *t, int col, const uint8_t key[PRIVACY_KEY_BYTES])
{
	struct column *c = &t->cols[col];
	uint32_t *codes = xcalloc(t->n_rows ? t->n_rows : 1, sizeof *codes);
	struct dict *d = dict_new();
	char text[128], pseudo[PRIVACY_PSEUDONYM_HEX + 1];
	size_t n;

	for (size_t r = 0; r < t->n_rows; r++) {
		if (column_is_missing(c, r))
			continue;
		if (col_type_string(c->type))
			privacy_pseudonym(key, column_str(c, r), dict_strlen(c->dict, c->v.codes[r]), pseudo);
		else {
			n = column_format(c, r, text, sizeof text);
			privacy_pseudonym(key, text, n, pseudo);
		}
		codes[r] = dict_intern(d, pseudo, PRIVACY_PSEUDONYM_HEX);
	}
	column_replace_strings(c, codes, d);
	return dict_count(d);
}

size_t privacy_rows_without(const struct table *t, int col, const char *id, uint8_t *keep)
{
	const struct column *c = &t->cols[col];
	size_t removed = 0;
	char text[128];

	for (size_t r = 0; r < t->n_rows; r++) {
		const char *v = text;

		if (column_is_missing(c, r)) {
			keep[r] = 1;
			continue;
		}
		if (col_type_string(c->type))
			v = column_str(c, r);
		else
			column_format(c, r, text, sizeof text);
		keep[r] = strcmp(v, id) != 0;
		removed += !keep[r];
	}
	return removed;
}

static int privacy_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* True when every row has a user and no user has two rows. */
static bool privacy_one_row_per_user(const struct table *t)
{
	const struct column *c = &t->cols[t->roles[ROLE_USER]];
	uint64_t *keys;
	bool unique = true;

	if (c->n_missing > 0)
		return false;
	keys = xmalloc((t->n_rows ? t->n_rows : 1) * sizeof *keys);
	for (size_t r = 0; r < t->n_rows; r++)
		keys[r] = tableops_cell_key(c, r);
	qsort(keys, t->n_rows, sizeof *keys, privacy_cmp_u64);
	for (size_t r = 1; r < t->n_rows && unique; r++)
		unique = keys[r] != keys[r - 1];
	free(keys);
	return unique;
}

bool privacy_counts_users(const struct table *t, bool distinct, int col)
{
	if (t->roles[ROLE_USER] < 0)
		return false;
	if (distinct)
		return col == t->roles[ROLE_USER];
	return privacy_one_row_per_user(t);
}

bool privacy_is_group_count(const struct column *c)
{
	static const char *const names[] = { "n", "users", "n_users", "count" };

	if (c->type != COL_INT)
		return false;
	if (c->group_count)
		return true;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(c->name, names[i]) == 0)
			return true;
	return false;
}

size_t privacy_withhold_small(const struct table *t, long min_group, uint8_t *keep)
{
	size_t withheld = 0;

	if (min_group <= 0)
		return 0;
	for (size_t i = 0; i < t->n_cols; i++) {
		const struct column *c = &t->cols[i];

		if (!privacy_is_group_count(c))
			continue;
		for (size_t r = 0; r < t->n_rows; r++) {
			if (keep[r] && !column_is_missing(c, r) && c->v.i64[r] < min_group) {
				keep[r] = 0;
				withheld++;
			}
		}
	}
	return withheld;
}
