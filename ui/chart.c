/* Sparklines and braille line charts. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
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

static char *chart_cells_line(const uint8_t *cells, int cols, bool utf8)
{
	char *out = xmalloc((size_t)cols * 3 + 1), *p = out;

	for (int i = 0; i < cols; i++) {
		unsigned cp = 0x2800 + cells[i];

		if (!utf8) {
			*p++ = cells[i] ? '*' : ' ';
			continue;
		}
		*p++ = (char)(0xe0 | (cp >> 12));
		*p++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*p++ = (char)(0x80 | (cp & 0x3f));
	}
	*p = '\0';
	return out;
}

char **chart_line(const double *v, size_t n, int rows, int cols, bool utf8)
{
	int dx = utf8 ? 2 : 1, dy = utf8 ? 4 : 1, w = cols * dx, h = rows * dy, px = -1, py = -1;
	uint8_t *cells = xcalloc((size_t)rows * (size_t)cols, 1);
	char **lines = xcalloc((size_t)rows, sizeof *lines);
	double *b, lo, hi;

	b = chart_bucket(v, n, (size_t)w);
	chart_range(b, (size_t)w, &lo, &hi);
	for (int x = 0; n > 0 && x < w; x++) {
		int y;

		if (isnan(b[x])) {
			px = -1;
			continue;
		}
		y = h - 1 - chart_level(b[x], lo, hi, h);
		if (!utf8)
			cells[y * cols + x] = 1;
		else if (px < 0)
			chart_dot(cells, cols, x, y);
		else
			chart_segment(cells, cols, px, py, x, y);
		px = x;
		py = y;
	}
	for (int r = 0; r < rows; r++)
		lines[r] = chart_cells_line(cells + r * cols, cols, utf8);
	free(b);
	free(cells);
	return lines;
}

void chart_lines_free(char **lines, int rows)
{
	for (int r = 0; r < rows; r++)
		free(lines[r]);
	free(lines);
}
