/* Sparklines and forecast charts. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "numfmt.h"
#include "xmalloc.h"

static const char *const chart_blocks[8] = {
	"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88"
};
static const char chart_ascii[] = "_.,-=+*#";

/* Averages v into m buckets (NaN for an empty one). */
static double *chart_bucket(const double *v, size_t n, size_t m)
{
	double *out = xcalloc(m, sizeof *out);

	for (size_t b = 0; b < m; b++) {
		size_t lo = b * n / m, hi = (b + 1) * n / m, k = 0;
		double sum = 0;

		if (hi == lo && lo < n)
			hi = lo + 1;
		for (size_t i = lo; i < hi && i < n; i++)
			if (!isnan(v[i]))
				sum += v[i], k++;
		out[b] = k ? sum / (double)k : NAN;
	}
	return out;
}

static void chart_range(const double *v, size_t n, double *lo, double *hi)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		if (isnan(v[i]))
			continue;
		if (v[i] < *lo)
			*lo = v[i];
		if (v[i] > *hi)
			*hi = v[i];
	}
}

/* The level 0..levels-1 of x in [lo, hi]. */
static int chart_level(double x, double lo, double hi, int levels)
{
	int l;

	if (!(hi > lo))
		return levels / 2;
	l = (int)((x - lo) / (hi - lo) * (levels - 1) + 0.5);
	return l < 0 ? 0 : l >= levels ? levels - 1 : l;
}

char *chart_sparkline(const double *v, size_t n, int width, bool utf8)
{
	size_t m = n < (size_t)width ? n : (size_t)width, o = 0;
	double *b, lo, hi;
	char *out;

	if (width <= 0 || n == 0)
		return xstrdup("");
	b = chart_bucket(v, n, m);
	chart_range(b, m, &lo, &hi);
	out = xmalloc(m * 3 + 1);
	for (size_t i = 0; i < m; i++) {
		int l = isnan(b[i]) ? -1 : chart_level(b[i], lo, hi, 8);

		if (l < 0)
			out[o++] = ' ';
		else if (utf8) {
			memcpy(out + o, chart_blocks[l], 3);
			o += 3;
		} else
			out[o++] = chart_ascii[l];
	}
	out[o] = '\0';
	free(b);
	return out;
}

/* Braille dot bits by (row 0..3, column 0..1) within a cell. */
static const uint8_t chart_dots[4][2] = {
	{ 0x01, 0x08 }, { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 }
};

/* Sets the dot at (x, y) of a grid of cells rows x cols with 2x4 dots. */
static void chart_dot(uint8_t *cells, int cols, int x, int y)
{
	cells[(y / 4) * cols + x / 2] |= chart_dots[y % 4][x % 2];
}

/* Marks the dots from (x0, y0) to (x1, y1), one per dot row step. */
static void chart_segment(uint8_t *cells, int cols, int x0, int y0, int x1, int y1)
{
	int steps = abs(y1 - y0) > abs(x1 - x0) ? abs(y1 - y0) : abs(x1 - x0);

	for (int s = 0; s <= steps; s++) {
		int x = steps ? x0 + (x1 - x0) * s / steps : x0;
		int y = steps ? y0 + (y1 - y0) * s / steps : y0;

		chart_dot(cells, cols, x, y);
	}
}

/* What a cell of a forecast chart shows, in rising precedence: a cell on a
 * line shows the line, and the divider shows only where nothing else is. */
enum chart_mark { CHART_BLANK, CHART_DIVIDER, CHART_BAND95, CHART_BAND80, CHART_MEAN,
	CHART_HISTORY, CHART_MARKS };

/* With UTF-8 the history is a braille line; its glyph here is the legend's. */
static const char *const chart_marks_utf8[CHART_MARKS] = {
	" ", "\xe2\x94\x82", "\xe2\x96\x91", "\xe2\x96\x92", "\xe2\x97\x8f", "\xe2\xa0\x92"
};
static const char *const chart_marks_ascii[CHART_MARKS] = { " ", "|", ":", "=", "o", "*" };

/* Which steps go in which columns. */
struct chart_layout {
	size_t start;           /* the first forecast step (the end when none) */
	size_t end;             /* steps in all */
	size_t k;               /* steps a column */
	long first;             /* the step of column 0; negative before the data */
	int head, tail;         /* columns before and after the divider */
	int divider;            /* 1 when there is a forecast, else 0 */
};

static size_t chart_ceil_div(size_t a, size_t b)
{
	return (a + b - 1) / b;
}

/* One column a step, the most recent that fit; several steps a column when
 * the forecast alone would take more than two thirds of the width, so that
 * some history stays in view. */
static void chart_layout(const struct chart_series *s, int cols, struct chart_layout *l)
{
	int avail;
	size_t room;

	l->divider = s->n_fc > 0;
	l->start = l->divider ? s->start : s->n_hist;
	l->end = l->divider && l->start + s->n_fc > s->n_hist ? l->start + s->n_fc : s->n_hist;
	l->k = 1;
	l->head = l->tail = 0;
	l->first = 0;
	avail = cols - l->divider;
	if (avail < 1) {
		l->divider = 0;
		return;
	}
	room = avail * 2 / 3 > 0 ? (size_t)(avail * 2 / 3) : 1;
	if (l->end > (size_t)avail && l->end - l->start > room)
		l->k = chart_ceil_div(l->end - l->start, room);
	l->tail = (int)chart_ceil_div(l->end - l->start, l->k);
	l->head = avail - l->tail;
	if ((size_t)l->head > chart_ceil_div(l->start, l->k))
		l->head = (int)chart_ceil_div(l->start, l->k);
	l->first = (long)l->start - (long)l->k * l->head;
}

/* The mean of the values of v[lo..hi) that are not NaN, or NaN. */
static double chart_mean(const double *v, long lo, long hi)
{
	double sum = 0;
	size_t k = 0;

	for (long i = lo < 0 ? 0 : lo; i < hi; i++)
		if (!isnan(v[i]))
			sum += v[i], k++;
	return k ? sum / (double)k : NAN;
}

/* The forecast over steps [lo, hi) of fc: the mean of the means, the
 * widest intervals (fmin and fmax pass over NaN). */
static struct chart_band chart_band_of(const struct chart_band *fc, size_t lo, size_t hi)
{
	struct chart_band b = { 0, NAN, NAN, NAN, NAN };

	for (size_t i = lo; i < hi; i++) {
		b.mean += fc[i].mean / (double)(hi - lo);
		b.lo80 = fmin(b.lo80, fc[i].lo80);
		b.hi80 = fmax(b.hi80, fc[i].hi80);
		b.lo95 = fmin(b.lo95, fc[i].lo95);
		b.hi95 = fmax(b.hi95, fc[i].hi95);
	}
	return b;
}

/* The history and the forecast of each column; NaN where there is none. */
static void chart_columns(const struct chart_series *s, const struct chart_layout *l,
    double *hist, struct chart_band *band)
{
	size_t fc_end = l->start + s->n_fc;

	for (int c = 0; c < l->head + l->divider + l->tail; c++) {
		long lo, hi;

		band[c] = (struct chart_band){ NAN, NAN, NAN, NAN, NAN };
		hist[c] = NAN;
		if (c < l->head) {
			lo = l->first + (long)l->k * c;
			hi = lo + (long)l->k;
		} else if (c == l->head && l->divider)
			continue;
		else {
			lo = (long)l->start + (long)l->k * (c - l->head - l->divider);
			hi = lo + (long)l->k;
			if ((size_t)lo < fc_end)
				band[c] = chart_band_of(s->fc, (size_t)lo - l->start,
				    ((size_t)hi < fc_end ? (size_t)hi : fc_end) - l->start);
		}
		if (hi > (long)s->n_hist)
			hi = (long)s->n_hist;
		hist[c] = chart_mean(s->hist, lo, hi);
	}
}

/* The dot row (0 at the top) of x in a chart of levels dot rows. */
static int chart_y(double x, const struct chart_frame *f, int levels)
{
	return levels - 1 - chart_level(x, f->lo, f->hi, levels);
}

/* Marks the rows a to b (either order) of column c at least as m. */
static void chart_mark_span(uint8_t *marks, int cols, int c, int a, int b, enum chart_mark m)
{
	for (int r = a < b ? a : b; r <= (a < b ? b : a); r++)
		if (marks[r * cols + c] < m)
			marks[r * cols + c] = (uint8_t)m;
}

/* The bands and the mean of a forecast column; dy dot rows a cell. */
static void chart_mark_band(uint8_t *marks, int cols, int c, const struct chart_band *b,
    const struct chart_frame *f, int levels, int dy)
{
	int mean;

	if (isnan(b->mean))
		return;
	if (!isnan(b->lo95) && !isnan(b->hi95))
		chart_mark_span(marks, cols, c, chart_y(b->lo95, f, levels) / dy,
		    chart_y(b->hi95, f, levels) / dy, CHART_BAND95);
	if (!isnan(b->lo80) && !isnan(b->hi80))
		chart_mark_span(marks, cols, c, chart_y(b->lo80, f, levels) / dy,
		    chart_y(b->hi80, f, levels) / dy, CHART_BAND80);
	mean = chart_y(b->mean, f, levels) / dy;
	chart_mark_span(marks, cols, c, mean, mean, CHART_MEAN);
}

/* The history: braille dots joined from column to column with UTF-8 (a
 * step on the left dots of its cell), a mark a column otherwise. */
static void chart_mark_history(uint8_t *marks, uint8_t *dots, int rows, int cols,
    const double *hist, int n, const struct chart_frame *f, bool utf8)
{
	int levels = rows * (utf8 ? 4 : 1), py = -1;

	for (int c = 0; c < n; c++) {
		int y;

		if (isnan(hist[c])) {
			py = -1;
			continue;
		}
		y = chart_y(hist[c], f, levels);
		if (!utf8)
			marks[y * cols + c] = CHART_HISTORY;
		else if (py < 0)
			chart_dot(dots, cols, 2 * c, y);
		else
			chart_segment(dots, cols, 2 * (c - 1), py, 2 * c, y);
		py = y;
	}
}

/* A line of cells: braille where there are dots, else the mark's glyph. */
static char *chart_row_text(const uint8_t *marks, const uint8_t *dots, int cols, bool utf8)
{
	char *out = xmalloc((size_t)cols * 3 + 1), *p = out;

	for (int i = 0; i < cols; i++) {
		unsigned cp = 0x2800 + dots[i];

		if (dots[i] == 0) {
			p = stpcpy(p, (utf8 ? chart_marks_utf8 : chart_marks_ascii)[marks[i]]);
			continue;
		}
		*p++ = (char)(0xe0 | (cp >> 12));
		*p++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*p++ = (char)(0x80 | (cp & 0x3f));
	}
	*p = '\0';
	return out;
}

/* The value range of n columns: history, means and 95% bands. */
static void chart_columns_range(const double *hist, const struct chart_band *band, int n,
    struct chart_frame *f)
{
	double *v = xcalloc((size_t)n * 4 + 1, sizeof *v);

	for (int c = 0; c < n; c++) {
		v[4 * c] = hist[c];
		v[4 * c + 1] = band[c].mean;
		v[4 * c + 2] = band[c].lo95;
		v[4 * c + 3] = band[c].hi95;
	}
	chart_range(v, (size_t)n * 4, &f->lo, &f->hi);
	if (f->lo > f->hi)
		f->lo = f->hi = 0;
	free(v);
}

char **chart_forecast(const struct chart_series *s, int rows, int cols, bool utf8,
    struct chart_frame *f)
{
	int w = rows > 0 && cols > 0 ? cols : 0, h = rows > 0 ? rows : 0, dy = utf8 ? 4 : 1, n;
	uint8_t *marks = xcalloc((size_t)h * (size_t)w + 1, 1);
	uint8_t *dots = xcalloc((size_t)h * (size_t)w + 1, 1);
	char **lines = xcalloc((size_t)h + 1, sizeof *lines);
	struct chart_band *band;
	struct chart_layout l;
	double *hist;

	chart_layout(s, w, &l);
	n = l.head + l.divider + l.tail;
	hist = xcalloc((size_t)n + 1, sizeof *hist);
	band = xcalloc((size_t)n + 1, sizeof *band);
	chart_columns(s, &l, hist, band);
	chart_columns_range(hist, band, n, f);
	f->first = l.first > 0 ? (size_t)l.first : 0;
	f->last = l.end > 0 ? l.end - 1 : 0;
	f->per_col = l.k;
	f->divider = l.divider && n > 0 ? l.head : -1;
	f->cols = n;
	if (f->divider >= 0)
		chart_mark_span(marks, w, f->divider, 0, h - 1, CHART_DIVIDER);
	for (int c = 0; c < n; c++)
		chart_mark_band(marks, w, c, &band[c], f, h * dy, dy);
	chart_mark_history(marks, dots, h, w, hist, n, f, utf8);
	for (int r = 0; r < h; r++)
		lines[r] = chart_row_text(marks + r * w, dots + r * w, w, utf8);
	free(hist);
	free(band);
	free(dots);
	free(marks);
	return lines;
}

const char *chart_forecast_legend(bool utf8)
{
	return utf8 ? "\xe2\xa0\x92 history  \xe2\x97\x8f forecast  \xe2\x96\x92 80%  "
	    "\xe2\x96\x91 95%  \xe2\x94\x82 forecast starts" :
	    "* history  o forecast  = 80%  : 95%  | forecast starts";
}

void chart_number(double v, char *buf, size_t size)
{
	char num[NUMFMT_SIZE];

	snprintf(buf, size, "%s", numfmt_compact(v, num));
}

void chart_lines_free(char **lines, int rows)
{
	for (int r = 0; r < rows; r++)
		free(lines[r]);
	free(lines);
}
