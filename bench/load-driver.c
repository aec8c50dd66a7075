/* Loads one CSV file and prints its shape: a stand-in for
 * `crossmkt --batch -e "load ev PATH"` when measuring the loader alone.
 * Usage: load-driver PATH [THREADS] */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "csvload.h"
#include "table.h"

int main(int argc, char **argv)
{
	struct csvload_opts opts = { 0 };
	struct table *t;
	char *cause;

	if (argc < 2) {
		fprintf(stderr, "usage: load-driver PATH [THREADS]\n");
		return 2;
	}
	opts.threads = argc > 2 ? atoi(argv[2]) : 0;
	if (csvload_file(argv[1], "ev", &opts, &t, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return 1;
	}
	printf("%zu rows, %zu columns\n", t->n_rows, t->n_cols);
	for (size_t j = 0; j < t->n_cols; j++) {
		const struct column *c = &t->cols[j];
		char buf[64];

		buf[0] = '\0';
		if (t->n_rows > 0)
			column_format(c, 0, buf, sizeof buf);
		printf("  %-12s %-8s missing %-8zu distinct %-8u first '%s'\n", c->name,
		    col_type_name(c->type), c->n_missing, c->dict ? dict_count(c->dict) : 0,
		    buf);
	}
	table_free(t);
	return 0;
}
