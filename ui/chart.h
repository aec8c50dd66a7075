/* Text charts: sparklines and forecast charts, drawn as strings so that any
 * pane can place them. Unicode block and braille characters when the
 * locale has UTF-8, ASCII otherwise. */
#ifndef CROSSMKT_CHART_H
#define CROSSMKT_CHART_H

#include <stdbool.h>
#include <stddef.h>

/* A sparkline of v[0..n) in width columns (values are averaged into
 * columns when n > width); NaN values give a blank. Returns a new string. */
char *chart_sparkline(const double *v, size_t n, int width, bool utf8);

/* One forecast step: the mean and its 80% and 95% intervals. */
struct chart_band {
	double mean, lo80, hi80, lo95, hi95;
};

/* A series and its forecast. The history has a value a step (NaN when
 * missing); the forecast's first step is step start of the history: n_hist
 * for a forecast past the data, less when it covers held-out points, which
 * the history then goes on showing. */
struct chart_series {
	const double *hist;
	size_t n_hist;
	const struct chart_band *fc;
	size_t n_fc;
	size_t start;
};

/* What a forecast chart shows. */
struct chart_frame {
	size_t first, last;     /* the first and last steps shown */
	size_t per_col;         /* steps averaged into a column (1 when they fit) */
	int divider;            /* the column before the forecast, -1 without one */
	int cols;               /* columns used, from the left */
	double lo, hi;          /* the values of the bottom and top rows */
};

/* A chart of s in rows lines of cols columns, on one scale for the history,
 * the means and the 95% bands: one column a step, the most recent steps
 * when they do not all fit (averaged a few to a column when the forecast
 * alone would take more than two thirds of the width), a divider column
 * before the forecast. With UTF-8 the history is a braille line, the mean
 * '●', the 80% band '▒', the 95% band '░' and the divider '│'; in ASCII
 * '*', 'o', '=', ':' and '|'. A cell on a line shows the line. Returns rows
 * new strings in a new array (free with chart_lines_free) and fills *f. */
char **chart_forecast(const struct chart_series *s, int rows, int cols, bool utf8,
    struct chart_frame *f);
/* The legend of those glyphs, one line. */
const char *chart_forecast_legend(bool utf8);
/* v in at most 6 columns for an axis or a table: whole numbers up to
 * 9999, then 12.3k, 4.56M...; three significant digits below 100. */
void chart_number(double v, char *buf, size_t size);
/* Frees the lines of chart_forecast. */
void chart_lines_free(char **lines, int rows);

#endif
