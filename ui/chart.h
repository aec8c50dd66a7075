/* Text charts: sparklines and line charts, drawn as strings so that any
 * pane can place them. Unicode block and braille characters when the
 * locale has UTF-8, ASCII otherwise. */
#ifndef CROSSMKT_CHART_H
#define CROSSMKT_CHART_H

#include <stdbool.h>
#include <stddef.h>

/* A sparkline of v[0..n) in width columns (values are averaged into
 * columns when n > width); NaN values give a blank. Returns a new string. */
char *chart_sparkline(const double *v, size_t n, int width, bool utf8);
/* A line chart of v[0..n) in rows lines of cols columns: braille dots
 * (2x4 per cell) with UTF-8, '*' marks otherwise. Returns rows new strings
 * in a new array; free with chart_lines_free. */
char **chart_line(const double *v, size_t n, int rows, int cols, bool utf8);
/* Frees the lines of chart_line. */
void chart_lines_free(char **lines, int rows);

#endif
