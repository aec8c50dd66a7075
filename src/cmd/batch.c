/* JSON Lines output of commands run without the UI. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "utf8.h"
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
 * JSON all print as \uHHHH. A byte that is not part of valid UTF-8 prints
 * as U+FFFD, so that every line is valid UTF-8 (and JSON). */
static void batch_print_escaped(FILE *f, const char *s, bool json)
{
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		unsigned bidi = batch_bidi(p);
		uint32_t cp;
		size_t len = utf8_decode(p, SIZE_MAX, &cp);

		if (len == 0)
			fputs("\xef\xbf\xbd", f);
		else if ((*p < 0x20 && !json) || *p == 0x7f)
			fprintf(f, json ? "\\u%04x" : "\\x%02x", *p);
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			fprintf(f, "\\u%04x", *++p);
		else if (bidi != 0) {
			fprintf(f, "\\u%04x", bidi);
			p += 2;
		} else {
			fwrite(p, 1, len, f);
			p += len - 1;
		}
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

/* The longest JSON line printed, in MB: cJSON prints at most 2 GiB - 1;
 * CROSSMKT_MAX_LINE_MB lowers it. -1 with *cause when that is malformed. */
static long batch_max_line_mb(char **cause)
{
	const char *env = getenv("CROSSMKT_MAX_LINE_MB");
	char *end;
	long mb;

	if (env == NULL)
		return BATCH_MAX_LINE_MB;
	errno = 0;
	mb = strtol(env, &end, 10);
	if (errno != 0 || end == env || *end != '\0' || mb < 1 || mb > BATCH_MAX_LINE_MB) {
		*cause = xasprintf("CROSSMKT_MAX_LINE_MB=%s: give a whole number of MB from 1 to %d",
		    env, BATCH_MAX_LINE_MB);
		return -1;
	}
	return mb;
}

/* The text of a command's line, or NULL with *cause when it is too long to
 * print (the caller prints the error's line instead). */
static char *batch_line_text(const cJSON *o, const char *line, char **cause)
{
	long mb = batch_max_line_mb(cause);
	char *text;

	if (mb < 0)
		return NULL;
	text = cJSON_PrintUnformatted(o);
	if (text != NULL && strlen(text) < ((size_t)mb << 20))
		return text;
	cJSON_free(text);
	*cause = xasprintf("%.*s: the result is over %ld MB of JSON, more than one line of output "
	    "may hold; ask for less (fewer rows or columns)", (int)strcspn(line, " "), line, mb);
	return NULL;
}

bool batch_emit(FILE *out, FILE *err, const char *line, cJSON *result, const char *cause)
{
	cJSON *o = batch_line(line, result, cause);
	char *text, *why = NULL;

	if ((text = batch_line_text(o, line, &why)) == NULL) {
		batch_print_error(err, why);
		cJSON_Delete(o);
		o = batch_line(line, NULL, why);
		text = cJSON_PrintUnformatted(o);
		free(why);
	}
	batch_print_json(out, text);
	fflush(out);
	cJSON_free(text);
	cJSON_Delete(o);
	return why == NULL;
}

int batch_run_one(struct cmd_ctx *ctx, const char *line, FILE *out, FILE *err)
{
	cJSON *result = NULL;
	char *cause = NULL;
	int rc = cmd_run(ctx, line, &result, &cause);

	if (rc != 0)
		batch_print_error(err, cause);
	if (!batch_emit(out, err, line, rc == 0 ? result : NULL, rc == 0 ? NULL : cause) && rc == 0)
		rc = -1;
	free(cause);
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
