/* JSON Lines output of commands run without the UI. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "xmalloc.h"

/* The bidirectional controls (U+200E, U+200F, U+202A to U+202E, U+2066
 * to U+2069) that reorder what a terminal shows: their code point, else 0. */
static unsigned batch_bidi(const unsigned char *p)
{
	unsigned c;

	if (p[0] != 0xe2 || (p[1] != 0x80 && p[1] != 0x81) || p[2] < 0x80 || p[2] > 0xbf)
		return 0;
	c = 0x2000 | (unsigned)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
	return c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069) ? c : 0;
}

/* C0 controls and DEL as \xHH, C1 controls (UTF-8 C2 80 to C2 9F, which
 * terminals may obey as escapes) and bidirectional controls as \uHHHH; in
 * JSON all print as \uHHHH. */
static void batch_print_escaped(FILE *f, const char *s, bool json)
{
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		unsigned bidi = batch_bidi(p);

		if ((*p < 0x20 && !json) || *p == 0x7f)
			fprintf(f, json ? "\\u%04x" : "\\x%02x", *p);
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			fprintf(f, "\\u%04x", *++p);
		else if (bidi != 0) {
			fprintf(f, "\\u%04x", bidi);
			p += 2;
		} else
			putc(*p, f);
	}
}

void batch_print_error(FILE *err, const char *cause)
{
	fputs("crossmkt: ", err);
	batch_print_escaped(err, cause, false);
	putc('\n', err);
}

void batch_print_json(FILE *out, const char *text)
{
	batch_print_escaped(out, text, true);
	putc('\n', out);
}

cJSON *batch_line(const char *line, cJSON *result, const char *cause)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "command", line);
	cJSON_AddBoolToObject(o, "ok", cause == NULL);
	if (cause == NULL)
		cJSON_AddItemToObject(o, "result", result);
	else
		cJSON_AddStringToObject(o, "error", cause);
	return o;
}

int batch_run_one(struct cmd_ctx *ctx, const char *line, FILE *out, FILE *err)
{
	cJSON *o, *result = NULL;
	char *cause = NULL, *text;
	int rc = cmd_run(ctx, line, &result, &cause);

	o = batch_line(line, rc == 0 ? result : NULL, rc == 0 ? NULL : cause);
	if (rc != 0) {
		batch_print_error(err, cause);
		free(cause);
	}
	text = cJSON_PrintUnformatted(o);
	batch_print_json(out, text);
	fflush(out);
	cJSON_free(text);
	cJSON_Delete(o);
	if (rc == 0)
		return 0;
	return rc == CMD_USAGE ? EXIT_USAGE : EXIT_CMD_FAILED;
}

int batch_run(struct cmd_ctx *ctx, char *const *lines, size_t n, bool keep_going,
    FILE *out, FILE *err)
{
	int status = 0;

	for (size_t i = 0; i < n; i++) {
		int rc = batch_run_one(ctx, lines[i], out, err);

		if (rc > status)
			status = rc;
		if (rc != 0 && !keep_going)
			break;
	}
	return status;
}

int batch_run_stream(struct cmd_ctx *ctx, FILE *in, bool keep_going, FILE *out, FILE *err)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int status = 0;

	while ((len = getline(&line, &cap, in)) >= 0) {
		const char *p = line;
		int rc;

		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		p += strspn(p, " \t");
		if (*p == '\0' || *p == '#')
			continue;
		rc = batch_run_one(ctx, p, out, err);
		if (rc > status)
			status = rc;
		if (rc != 0 && !keep_going)
			break;
	}
	free(line);
	return status;
}
