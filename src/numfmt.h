/* Numbers as a person reads them, in views, popups and Markdown or CSV
 * reports: money with 2 decimals, rates as percentages, p-values with 2
 * significant digits and a floor, counts with thousands separators, other
 * values with a fixed number of significant digits. JSON output keeps full
 * precision and does not come here. */
#ifndef CROSSMKT_NUMFMT_H
#define CROSSMKT_NUMFMT_H

#include <stddef.h>

/* Room for any number formatted here, with its terminating NUL. */
#define NUMFMT_SIZE 48
/* Significant digits of NUMFMT_NUMBER. */
#define NUMFMT_DIGITS 4
/* p-values below it read "< 0.001". */
#define NUMFMT_P_FLOOR 0.001

enum numfmt_kind {
	NUMFMT_NUMBER,  /* 4 significant digits: 31.03, 0.1235, 5,759,172; 17850 */
	NUMFMT_COUNT,   /* a whole number: 12,345 (others as NUMFMT_NUMBER) */
	NUMFMT_MONEY,   /* 2 decimals: 3,237.54 */
	NUMFMT_RATE,    /* a fraction as a percentage: 7.87%, 11.9% */
	NUMFMT_CHANGE,  /* a relative change as a signed percentage: +50.9% */
	NUMFMT_P        /* a p-value: 0.0033, 0.96, < 0.001 */
};

/* x as text of the given kind in buf, which it returns; NaN and the
 * infinities read "NaN", "Inf" and "-Inf". */
char *numfmt_format(double x, enum numfmt_kind kind, char buf[NUMFMT_SIZE]);
/* x with digits significant digits (1 to 15) and no exponent between
 * 1e-4 and 1e15, the integer part grouped by thousands from 10,000 on; a
 * whole number in full and ungrouped (an identifier, a year). */
char *numfmt_sig(double x, int digits, char buf[NUMFMT_SIZE]);
/* x in at most 6 characters for a chart's axis or a narrow cell: whole
 * numbers up to 9999, then 12.3k, 4.56M...; 3 significant digits below
 * 100 (7.5, 0.0012). */
char *numfmt_compact(double x, char buf[NUMFMT_SIZE]);
/* The kind a field or column name stands for (p_value, rate, lift, users,
 * revenue...); the part after the last '.' of a flattened name counts. */
enum numfmt_kind numfmt_kind_of(const char *name);
/* numfmt_format of x as the kind of name. */
char *numfmt_named(const char *name, double x, char buf[NUMFMT_SIZE]);

#endif
