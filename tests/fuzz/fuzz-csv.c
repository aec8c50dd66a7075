/* Fuzz target: CSV loading through csvload_file.
 *
 * The input is the file, written to an in-memory file (see fuzz-memfile.h),
 * so that the seeds are real CSV files. Its length picks the options
 * (delimiter or sniffing, chunk size, threads), so that small inputs also
 * cross chunk boundaries. A failed load must set a
 * message naming the file and allocate nothing; a loaded table must have
 * consistent columns. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "csvchunk.h"
#include "csvload.h"
#include "fuzz-memfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_csv_check(const struct table *t)
{
	for (size_t j = 0; j < t->n_cols; j++) {
		const struct column *c = &t->cols[j];

		if (c->name == NULL || c->n_missing > t->n_rows)
			abort();
		if ((c->type == COL_CATEGORY || c->type == COL_TEXT) && c->dict == NULL)
			abort();
		for (size_t r = 0; c->dict != NULL && r < t->n_rows; r++)
			if (c->v.codes[r] >= dict_count(c->dict) && dict_count(c->dict) > 0)
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = { 0, 0, ',', '\t', ';' };
	static const size_t chunks[] = { 0, 7, 64, 4096 };
	struct csvload_opts opts;
	struct fuzz_memfile m;
	struct table *t = NULL;
	char *cause = NULL;

	memset(&opts, 0, sizeof opts);
	opts.delim = delims[size % 5];
	opts.threads = size / 20 % 8 == 7 ? 2 : 1;
	csvchunk_set_size(chunks[size / 5 % 4]);
	fuzz_memfile_open(&m, data, size);
	if (csvload_file(m.path, "fuzz", &opts, &t, &cause) == 0) {
		if (t == NULL || cause != NULL)
			abort();
		fuzz_csv_check(t);
		table_free(t);
	} else {
		if (t != NULL || cause == NULL || strncmp(cause, m.path, strlen(m.path)) != 0)
			abort();
		free(cause);
	}
	fuzz_memfile_close(&m);
	return 0;
}
