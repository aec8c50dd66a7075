/* CSV and JSON writers. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "csvwrite.h"
#include "report.h"

static void csvwrite_field(FILE *f, const char *s, size_t len)
{
	if (strcspn(s, ",\"\r\n") == len) {
		fwrite(s, 1, len, f);
		return;
	}
	putc('"', f);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			putc('"', f);
		putc(s[i], f);
	}
	putc('"', f);
}

static void csvwrite_cell(FILE *f, const struct column *c, size_t row)
{
	char buf[64];
	size_t len;

	if (column_is_missing(c, row))
		return;
	if (c->masked) {
		fputs(REPORT_MASK, f);
		return;
	}
	if (col_type_string(c->type)) {
		csvwrite_field(f, column_str(c, row), dict_strlen(c->dict, c->v.codes[row]));
		return;
	}
	len = column_format(c, row, buf, sizeof buf);
	fwrite(buf, 1, len, f);
}

size_t csvwrite_table(FILE *f, const struct table *t, const int *cols, size_t n_cols,
    const uint8_t *keep)
{
	size_t n = 0;

	for (size_t i = 0; i < n_cols; i++) {
		if (i > 0)
			putc(',', f);
		csvwrite_field(f, t->cols[cols[i]].name, strlen(t->cols[cols[i]].name));
	}
	putc('\n', f);
	for (size_t r = 0; r < t->n_rows; r++) {
		if (keep != NULL && !keep[r])
			continue;
		for (size_t i = 0; i < n_cols; i++) {
			if (i > 0)
				putc(',', f);
			csvwrite_cell(f, &t->cols[cols[i]], r);
		}
		putc('\n', f);
		n++;
	}
	return n;
}

size_t csvwrite_json(FILE *f, const struct table *t, const int *cols, size_t n_cols,
    const uint8_t *keep)
{
	size_t n = 0;

	fputs("[", f);
	for (size_t r = 0; r < t->n_rows; r++) {
		cJSON *o;
		char *text;

		if (keep != NULL && !keep[r])
			continue;
		o = cJSON_CreateObject();
		for (size_t i = 0; i < n_cols; i++)
			cJSON_AddItemToObject(o, t->cols[cols[i]].name, report_cell(&t->cols[cols[i]], r));
		text = cJSON_PrintUnformatted(o);
		fprintf(f, "%s\n%s", n ? "," : "", text);
		cJSON_free(text);
		cJSON_Delete(o);
		n++;
	}
	fputs("\n]\n", f);
	return n;
}
