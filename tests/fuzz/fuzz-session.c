/* Fuzz target: session files through session_load, then the steps a replay
 * takes before running anything (placeholders filled, every command checked
 * against the command table) and saving the session back as JSON. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-memfile.h"
#include "session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_session_use(struct session *s, const char *path)
{
	char **lines = NULL, *cause = NULL, *text;
	cJSON *o;

	if (session_expand(s, path, &lines, &cause) == 0)
		session_lines_free(lines, session_count(s));
	else
		free(cause);
	cause = NULL;
	if (session_set_param(s, "x=1", &cause) != 0)
		free(cause);
	o = session_params(s);
	cJSON_Delete(o);
	o = session_json(s);
	text = cJSON_PrintUnformatted(o);
	if (text == NULL)
		abort();
	cJSON_free(text);
	cJSON_Delete(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_memfile m;
	struct session *s = NULL;
	char *cause = NULL;

	fuzz_memfile_open(&m, data, size);
	if (session_load(m.path, &s, &cause) == 0) {
		if (s == NULL)
			abort();
		fuzz_session_use(s, m.path);
		session_free(s);
	} else {
		if (s != NULL || cause == NULL)
			abort();
		free(cause);
	}
	fuzz_memfile_close(&m);
	return 0;
}
