/* crossmkt-gendemo: writes the demo datasets in data/ from a seed.
 *
 * Every number comes from GSL's MT19937 generator seeded from --seed, one
 * independent stream per dataset, so changing --events leaves items.csv and
 * daily.csv alone. Money is kept in integer cents and coordinates in
 * micro-degrees and printed with integer formats: the output does not
 * depend on the C library's float printing, the locale or the clock.
 *
 * This file reads the options and runs the generators of the files asked
 * for; gendemo.h lists the other parts. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "gendemo.h"
#include "xmalloc.h"

/* An output file: its --only name, its path and its writer. */
struct gendemo_file {
	const char *name, *path;
	void (*write)(FILE *, const struct gendemo *);
	bool needs_events;
};

static const struct gendemo_file gendemo_files[] = {
	{ "users", "users.csv", gendemo_write_users, true },
	{ "items", "items.csv", gendemo_write_items, false },
	{ "stores", "stores.csv", gendemo_write_stores, false },
	{ "events", "events.csv", gendemo_write_events, true },
	{ "arms", "arms.csv", gendemo_write_arms, true },
	{ "daily", "daily.csv", gendemo_daily_write, false },
	{ "readme", "README.md", gendemo_readme_write, true },
};
#define N_FILES (sizeof gendemo_files / sizeof gendemo_files[0])

/* The --help text; also printed on stderr after a usage error. */
static void gendemo_usage(FILE *f)
{
	fprintf(f,
	    "Usage: " GENDEMO_NAME " [OPTION]...\n"
	    "Write the crossmkt demo datasets (users, items, stores, events, arms, daily\n"
	    "CSV files and a README.md) into a directory. The same options give the same\n"
	    "files, byte for byte, on every machine.\n"
	    "\n"
	    "  -s, --seed=N      random seed, 0 to 4294967295 (default 42)\n"
	    "  -u, --users=N     number of users (default 3000)\n"
	    "  -e, --events=N    number of campaign events (default 40000)\n"
	    "  -d, --days=N      days in the daily series from 2024-01-01 (default 730)\n"
	    "  -o, --out=DIR     existing directory to write into (default .)\n"
	    "      --only=LIST   write only these, comma-separated: users, items, stores,\n"
	    "                    events, arms, daily, readme\n"
	    "  -h, --help        show this help and exit\n"
	    "  -V, --version     show the version and exit\n"
	    "\n"
	    "Exit status: 0 on success, 1 if a file cannot be written, 2 on a usage\n"
	    "error.\n");
}

/* The --version text, in the GNU form. */
static void gendemo_version(void)
{
	printf(GENDEMO_NAME " (crossmkt) %s\n"
	    "Copyright (C) 2026 the crossmkt authors.\n"
	    "License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
	    "This is free software: you are free to change and redistribute it.\n"
	    "There is NO WARRANTY, to the extent permitted by law.\n", PACKAGE_VERSION);
}

/* A decimal number in [min, max], or -1 with a message. */
static int gendemo_parse_number(const char *s, const char *option, unsigned long min,
    unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v < min || v > max) {
		fprintf(stderr, GENDEMO_NAME ": --%s wants a number from %lu to %lu, not '%s'\n",
		    option, min, max, s);
		return -1;
	}
	*out = (unsigned long)v;
	return 0;
}

/* The --out directory; an empty one would mean the root. */
static int gendemo_parse_dir(const char *s, const char **out)
{
	if (*s == '\0') {
		fprintf(stderr, GENDEMO_NAME ": --out wants a directory\n");
		return -1;
	}
	*out = s;
	return 0;
}

/* The --only list as a bit set of gendemo_files, or -1 with a message. */
static int gendemo_parse_only(const char *s, unsigned *out)
{
	char *copy = xstrdup(s), *next = copy, *name;
	int rc = 0;
	size_t i;

	*out = 0;
	while (rc == 0 && (name = strsep(&next, ",")) != NULL) {
		for (i = 0; i < N_FILES; i++)
			if (strcmp(name, gendemo_files[i].name) == 0)
				break;
		if (i == N_FILES) {
			fprintf(stderr, GENDEMO_NAME ": --only: unknown file '%s'\n", name);
			rc = -1;
		} else
			*out |= 1u << i;
	}
	free(copy);
	return rc;
}

/* Applies one option; returns -1 to exit with status *status. */
static int gendemo_option(struct gendemo_opts *o, int c, int *status)
{
	int rc = 0;

	switch (c) {
	case 's': rc = gendemo_parse_number(optarg, "seed", 0, 4294967295UL, &o->seed); break;
	case 'u': rc = gendemo_parse_number(optarg, "users", 1, 10000000, &o->users); break;
	case 'e': rc = gendemo_parse_number(optarg, "events", 0, 100000000, &o->events); break;
	case 'd': rc = gendemo_parse_number(optarg, "days", 1, 36500, &o->days); break;
	case 'o': rc = gendemo_parse_dir(optarg, &o->out); break;
	case 'O': rc = gendemo_parse_only(optarg, &o->only); break;
	case 'h': gendemo_usage(stdout); *status = 0; return -1;
	case 'V': gendemo_version(); *status = 0; return -1;
	default: gendemo_usage(stderr); *status = 2; return -1;
	}
	*status = 2;
	return rc;
}

/* Reads the command line; returns -1 to exit with status *status. */
static int gendemo_parse(int argc, char **argv, struct gendemo_opts *o, int *status)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "users", required_argument, NULL, 'u' },
		{ "events", required_argument, NULL, 'e' },
		{ "days", required_argument, NULL, 'd' },
		{ "out", required_argument, NULL, 'o' },
		{ "only", required_argument, NULL, 'O' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "s:u:e:d:o:hV", longopts, NULL)) != -1)
		if (gendemo_option(o, c, status) != 0)
			return -1;
	if (optind < argc) {
		fprintf(stderr, GENDEMO_NAME ": unexpected argument '%s'\n", argv[optind]);
		gendemo_usage(stderr);
		*status = 2;
		return -1;
	}
	return 0;
}

/* Whether --only selects file i. */
static bool gendemo_selected(const struct gendemo *g, size_t i)
{
	return g->o.only == 0 || (g->o.only & (1u << i)) != 0;
}

/* Builds what the selected files need, then writes them. */
static int gendemo_run(struct gendemo *g, char **cause)
{
	bool events = false;
	size_t i;

	for (i = 0; i < N_FILES; i++)
		events |= gendemo_selected(g, i) && gendemo_files[i].needs_events;
	gendemo_items_make(g);
	gendemo_stores_make(g);
	gendemo_users_make(g);
	if (events && gendemo_events_make(g, cause) != 0)
		return -1;
	for (i = 0; i < N_FILES; i++) {
		const struct gendemo_file *gf = &gendemo_files[i];

		if (!gendemo_selected(g, i))
			continue;
		if (gendemo_write_file(g, gf->path, gf->write, cause) != 0)
			return -1;
	}
	return 0;
}

/* Frees everything gendemo_run built. */
static void gendemo_free(struct gendemo *g)
{
	gendemo_items_free(g);
	gendemo_stores_free(g);
	free(g->users);
	gendemo_events_free(g);
}

/* Exit status: 0 when every file was written, 1 on an I/O error, 2 on a
 * usage error. */
int main(int argc, char **argv)
{
	struct gendemo g = { .o = GENDEMO_DEFAULTS };
	char *cause = NULL;
	int status, rc;

	gsl_set_error_handler_off();
	if (gendemo_parse(argc, argv, &g.o, &status) != 0)
		return status;
	rc = gendemo_run(&g, &cause);
	if (rc != 0) {
		fprintf(stderr, GENDEMO_NAME ": %s\n", cause);
		free(cause);
	}
	gendemo_free(&g);
	return rc == 0 ? 0 : 1;
}
