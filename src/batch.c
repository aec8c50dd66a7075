/* JSON Lines output of commands run without the UI. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "xmalloc.h"

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
		fprintf(err, "crossmkt: %s\n", cause);
		free(cause);
	}
	text = cJSON_PrintUnformatted(o);
	fprintf(out, "%s\n", text);
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
