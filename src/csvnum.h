/* Fast, exact readers for the number and boolean cells of a CSV file.
 *
 * A number is [+-]digits[.digits][(e|E)[+-]digits] with nothing around it.
 * Digits that start with a 0 followed by another digit ("007", "0123.5")
 * are not numbers, so codes with leading zeros (zip codes, ids) stay text.
 * Floats are correctly rounded (the same double as strtod in the C locale). */
#ifndef CROSSMKT_CSVNUM_H
#define CROSSMKT_CSVNUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An integer that fits in int64_t; s need not be NUL-terminated. */
bool csvnum_parse_int(const char *s, size_t len, int64_t *out);
/* Any number as a double; s must have a NUL at s[len] (for the strtod
 * fallback on long or extreme inputs). A number beyond the range of a
 * double (1e999) is not read: no value is ever infinite. */
bool csvnum_parse_float(const char *s, size_t len, double *out);
/* Whether s is a number beyond the range of a double. */
bool csvnum_overflows(const char *s, size_t len);
/* "true" or "false" in any case. */
bool csvnum_parse_bool(const char *s, size_t len, bool *out);

#endif
