/* crossmkt: a terminal campaign console for cross-marketing analytics. */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "batch.h"
#include "command.h"
#include "xmalloc.h"

static void main_usage(FILE *f)
{
	fprintf(f,
	    "Usage: crossmkt [OPTION]... [FILE.csv]...\n"
	    "       crossmkt --batch [-e COMMAND]... [--keep-going]\n"
	    "Analyse cross-marketing campaigns: load CSV datasets, segment users,\n"
	    "test A/B campaigns and forecast trends.\n"
	    "\n"
	    "  -b, --batch         run commands without the console and print one JSON\n"
	    "                      object per command (JSON Lines); commands come from\n"
	    "                      -e options, or one per line from standard input\n"
	    "  -e, --execute=CMD   run the console command CMD (repeatable, in order)\n"
	    "  -k, --keep-going    in batch mode, go on after a failed command\n"
	    "  -h, --help          show this help and exit\n"
	    "  -V, --version       show the version and exit\n"
	    "\n"
	    "Commands are listed by 'crossmkt --batch -e help' and in crossmkt(1).\n"
	    "Exit status: 0 if all commands succeeded, 1 if a command failed,\n"
	    "2 on a usage error.\n");
}

static void main_version(void)
{
	printf("crossmkt %s\n"
	    "Copyright (C) 2026 the crossmkt authors.\n"
	    "License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
	    "This is free software: you are free to change and redistribute it.\n"
	    "There is NO WARRANTY, to the extent permitted by law.\n", PACKAGE_VERSION);
}

struct main_opts {
	bool batch, keep_going;
	char **commands;
	size_t n_commands;
};

/* Returns -1 to exit with status *status. */
static int main_parse(int argc, char **argv, struct main_opts *o, int *status)
{
	static const struct option longopts[] = {
		{ "batch", no_argument, NULL, 'b' },
		{ "execute", required_argument, NULL, 'e' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "be:khV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			o->batch = true;
			break;
		case 'e':
			o->commands = xreallocarray(o->commands, o->n_commands + 1, sizeof *o->commands);
			o->commands[o->n_commands++] = optarg;
			break;
		case 'k':
			o->keep_going = true;
			break;
		case 'h':
			main_usage(stdout);
			*status = 0;
			return -1;
		case 'V':
			main_version();
			*status = 0;
			return -1;
		default:
			fprintf(stderr, "Try 'crossmkt --help' for more information.\n");
			*status = EXIT_USAGE;
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct main_opts o = { 0 };
	struct cmd_ctx ctx;
	int status = 0;

	setlocale(LC_ALL, "");
	gsl_set_error_handler_off();
	if (main_parse(argc, argv, &o, &status) != 0) {
		free(o.commands);
		return status;
	}
	if (!o.batch) {
		fprintf(stderr, "crossmkt: this build runs in batch mode only: use --batch -e COMMAND\n"
		    "Try 'crossmkt --help' for more information.\n");
		free(o.commands);
		return EXIT_USAGE;
	}
	if (optind < argc) {
		fprintf(stderr, "crossmkt: unexpected argument '%s' in batch mode (use -e 'load NAME %s')\n",
		    argv[optind], argv[optind]);
		free(o.commands);
		return EXIT_USAGE;
	}
	cmd_ctx_init(&ctx);
	if (o.n_commands > 0)
		status = batch_run(&ctx, o.commands, o.n_commands, o.keep_going, stdout, stderr);
	else
		status = batch_run_stream(&ctx, stdin, o.keep_going, stdout, stderr);
	cmd_ctx_done(&ctx);
	free(o.commands);
	return status;
}
