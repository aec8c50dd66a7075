/* Fuzz target: expressions through expr_compile and, when they compile,
 * evaluation as a column and as a filter over a small table holding every
 * column type, missing values and names that need backticks. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "csvload.h"
#include "expr.h"
#include "fuzz-memfile.h"
#include "xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fuzz_expr_csv[] =
    "id,n,amount,day,month,ts,flag,city,note,城市,unit price,and\n"
    "1,10,2.5,2024-03-01,2024-03,2024-03-01 08:00+08:00,true,上海,first,北京,1.5,x\n"
    "2,-3,,2024-02-29,2024-02,2024-03-02T23:59:59Z,false,北京,second,上海,,y\n"
    "3,,1e300,,2023-12,2024-03-03 00:00,TRUE,上海,third,,2,x\n"
    "4,9223372036854775807,-0.0,9999-12-31,0001-01,2024-12-31 23:59:59.999-05:30,,,fourth,北京,3,\n"
    "5,-9223372036854775808,1e-300,0001-01-01,2024-01,,false,深圳,,深圳,4,y\n";

static struct table *fuzz_expr_table;

static struct table *fuzz_expr_load(void)
{
	struct csvload_opts opts;
	struct fuzz_memfile m;
	struct table *t;
	char *cause = NULL;

	memset(&opts, 0, sizeof opts);
	opts.threads = 1;
	fuzz_memfile_open(&m, (const uint8_t *)fuzz_expr_csv, sizeof fuzz_expr_csv - 1);
	if (csvload_file(m.path, "t", &opts, &t, &cause) != 0)
		abort();
	fuzz_memfile_close(&m);
	return t;
}

static void fuzz_expr_run(const struct expr *e, const struct table *t)
{
	struct column out;
	uint8_t *keep;
	size_t kept;
	char *cause = NULL;

	memset(&out, 0, sizeof out);
	if (expr_eval_column(e, t, &out, &cause) == 0)
		expr_column_done(&out);
	else
		free(cause);
	cause = NULL;
	if (expr_type(e) != COL_BOOL)
		return;
	keep = xmalloc(t->n_rows);
	if (expr_eval_filter(e, t, keep, &kept, &cause) != 0)
		free(cause);
	else if (kept > t->n_rows)
		abort();
	free(keep);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size), *cause = NULL;
	struct expr *e;

	if (fuzz_expr_table == NULL)
		fuzz_expr_table = fuzz_expr_load();
	e = expr_compile(text, fuzz_expr_table, &cause);
	if (e != NULL) {
		if (strcmp(expr_text(e), text) != 0)
			abort();
		fuzz_expr_run(e, fuzz_expr_table);
		expr_free(e);
	} else {
		if (cause == NULL)
			abort();
		free(cause);
	}
	free(text);
	return 0;
}
