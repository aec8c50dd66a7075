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
#include "demodata.h"
#include "privacy.h"
#include "replay.h"
#include "session.h"
#include "ui.h"
#include "xdg.h"
#include "xmalloc.h"

static void main_usage(FILE *f)
{
	fprintf(f,
	    "Usage: crossmkt [OPTION]... [FILE.csv]...    (the console; the demo data\n"
	    "                                              when no file is given)\n"
	    "       crossmkt --batch [-e COMMAND]... [--keep-going] [--record FILE]\n"
	    "       crossmkt --batch --replay FILE [--report OUT] [--format json|md|csv]\n"
	    "                [--set NAME=VALUE]... [--allow-read DIR]...\n"
	    "                [--allow-write DIR]...\n"
	    "Analyse cross-marketing campaigns: load CSV datasets, segment users,\n"
	    "test A/B campaigns and forecast trends.\n"
	    "\n"
	    "  -b, --batch         run commands without the console and print one JSON\n"
	    "                      object per command (JSON Lines); commands come from\n"
	    "                      -e options, or one per line from standard input\n"
	    "  -e, --execute=CMD   run the console command CMD (repeatable, in order)\n"
	    "  -k, --keep-going    in batch mode, go on after a failed command\n"
	    "  -r, --record=FILE   save the commands run as a session file (mode 600)\n"
	    "      --replay=FILE   run the commands of a session file (without --batch:\n"
	    "                      in the console, one after another, after asking);\n"
	    "                      they open files only where --allow-read and\n"
	    "                      --allow-write say\n"
	    "      --report=OUT    write the replay's report to OUT (default: stdout)\n"
	    "      --format=FMT    the report: json (JSON Lines), md or csv\n"
	    "      --set NAME=VALUE  give the session parameter ${NAME} a value\n"
	    "      --min-group=N   md and csv reports withhold groups of fewer than\n"
	    "                      N users (default 10; 0 shows all)\n"
	    "      --allow-read=DIR  a replayed session may also read files under DIR\n"
	    "                      (repeatable; by default only under the session\n"
	    "                      file's directory and the current directory)\n"
	    "      --allow-write=DIR  a replayed session may write files under DIR\n"
	    "                      (repeatable; by default it writes nowhere)\n"
	    "      --shared-dir=DIR  the team's shared directory (default: shared-dir\n"
	    "                      in $XDG_CONFIG_HOME/crossmkt/config)\n"
	    "      --readonly      refuse commands that write files or the shared directory,\n"
	    "                      in batch mode too; a read-only console writes nothing\n"
	    "      --refresh=MS    in the console, update live views every MS ms\n"
	    "                      (default 1000; raise it on slow links)\n"
	    "  -h, --help          show this help and exit\n"
	    "  -V, --version       show the version and exit\n"
	    "\n"
	    "Commands are listed by 'crossmkt --batch -e help' and in crossmkt(1).\n"
	    "Exit status: 0 if all commands succeeded, 1 if a command failed,\n"
	    "2 on a usage error.\n");
}

/* Where the console reads the demo data from, for --help. */
static void main_demo_data(FILE *f)
{
	char *dir = demodata_dir(), *searched;

	if (dir != NULL) {
		fprintf(f, "\nThe demo data: %s\n", dir);
		free(dir);
		return;
	}
	searched = demodata_searched();
	fprintf(f, "\nThe demo data: not found (no users.csv in %s)\n", searched);
	free(searched);
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
	bool batch, keep_going, readonly;
	long refresh_ms;
	char **commands;
	size_t n_commands;
	const char *record, *replay, *report, *format, *shared_dir;
	char **sets;
	size_t n_sets;
	char **reads, **writes;         /* --allow-read, --allow-write */
	size_t n_reads, n_writes;
	long min_group;
};

/* Long options without a short form. */
enum {
	MAIN_OPT_REPLAY = 256, MAIN_OPT_REPORT, MAIN_OPT_FORMAT, MAIN_OPT_SET, MAIN_OPT_MIN_GROUP,
	MAIN_OPT_SHARED_DIR, MAIN_OPT_READONLY, MAIN_OPT_REFRESH, MAIN_OPT_ALLOW_READ,
	MAIN_OPT_ALLOW_WRITE
};

/* Appends a repeated option's value. */
static void main_push(char ***v, size_t *n, const char *arg)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = (char *)arg;
}

/* Options of sessions and reports; -1 on a bad value. */
static int main_parse_session(int ch, const char *arg, struct main_opts *o)
{
	char *end;

	switch (ch) {
	case 'r':
		o->record = arg;
		return 0;
	case MAIN_OPT_REPLAY:
		o->replay = arg;
		return 0;
	case MAIN_OPT_REPORT:
		o->report = arg;
		return 0;
	case MAIN_OPT_FORMAT:
		o->format = arg;
		return 0;
	case MAIN_OPT_SHARED_DIR:
		o->shared_dir = arg;
		return 0;
	case MAIN_OPT_SET:
		main_push(&o->sets, &o->n_sets, arg);
		return 0;
	case MAIN_OPT_ALLOW_READ:
		main_push(&o->reads, &o->n_reads, arg);
		return 0;
	case MAIN_OPT_ALLOW_WRITE:
		main_push(&o->writes, &o->n_writes, arg);
		return 0;
	case MAIN_OPT_READONLY:
		o->readonly = true;
		return 0;
	case MAIN_OPT_REFRESH:
		o->refresh_ms = strtol(arg, &end, 10);
		if (*arg != '\0' && *end == '\0' && o->refresh_ms >= 50 && o->refresh_ms <= 60000)
			return 0;
		fprintf(stderr, "crossmkt: --refresh=%s: give milliseconds from 50 to 60000\n", arg);
		return -1;
	default:
		o->min_group = strtol(arg, &end, 10);
		if (*arg != '\0' && *end == '\0' && o->min_group >= 0)
			return 0;
		fprintf(stderr, "crossmkt: --min-group=%s: give a whole number of 0 or more\n", arg);
		return -1;
	}
}

/* Returns -1 to exit with status *status. */
static int main_parse(int argc, char **argv, struct main_opts *o, int *status)
{
	static const struct option longopts[] = {
		{ "batch", no_argument, NULL, 'b' },
		{ "execute", required_argument, NULL, 'e' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "record", required_argument, NULL, 'r' },
		{ "replay", required_argument, NULL, MAIN_OPT_REPLAY },
		{ "report", required_argument, NULL, MAIN_OPT_REPORT },
		{ "format", required_argument, NULL, MAIN_OPT_FORMAT },
		{ "set", required_argument, NULL, MAIN_OPT_SET },
		{ "min-group", required_argument, NULL, MAIN_OPT_MIN_GROUP },
		{ "shared-dir", required_argument, NULL, MAIN_OPT_SHARED_DIR },
		{ "readonly", no_argument, NULL, MAIN_OPT_READONLY },
		{ "refresh", required_argument, NULL, MAIN_OPT_REFRESH },
		{ "allow-read", required_argument, NULL, MAIN_OPT_ALLOW_READ },
		{ "allow-write", required_argument, NULL, MAIN_OPT_ALLOW_WRITE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "be:khr:V", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			o->batch = true;
			break;
		case 'e':
			main_push(&o->commands, &o->n_commands, optarg);
			break;
		case 'k':
			o->keep_going = true;
			break;
		case 'h':
			main_usage(stdout);
			main_demo_data(stdout);
			*status = 0;
			return -1;
		case 'V':
			main_version();
			*status = 0;
			return -1;
		case 'r':
		case MAIN_OPT_REPLAY:
		case MAIN_OPT_REPORT:
		case MAIN_OPT_FORMAT:
		case MAIN_OPT_SET:
		case MAIN_OPT_MIN_GROUP:
		case MAIN_OPT_SHARED_DIR:
		case MAIN_OPT_READONLY:
		case MAIN_OPT_REFRESH:
		case MAIN_OPT_ALLOW_READ:
		case MAIN_OPT_ALLOW_WRITE:
			if (main_parse_session(ch, optarg, o) == 0)
				break;
			*status = EXIT_USAGE;
			return -1;
		default:
			fprintf(stderr, "Try 'crossmkt --help' for more information.\n");
			*status = EXIT_USAGE;
			return -1;
		}
	}
	return 0;
}

/* Checks the options that go together; -1 after a message. */
static int main_check_session(const struct main_opts *o, enum reportfmt_kind *kind)
{
	const char *bad = NULL;

	if (o->replay == NULL && (o->report || o->format || o->n_sets > 0))
		bad = "--report, --format and --set go with --replay FILE";
	else if (o->replay == NULL && o->n_reads + o->n_writes > 0)
		bad = "--allow-read and --allow-write go with --replay FILE";
	else if (o->replay != NULL && o->n_commands > 0)
		bad = "--replay runs a session file: give no -e commands with it";
	else if (o->format != NULL && reportfmt_parse(o->format, kind) != 0)
		bad = "--format: give json, md or csv";
	if (bad == NULL)
		return 0;
	fprintf(stderr, "crossmkt: %s\nTry 'crossmkt --help' for more information.\n", bad);
	return -1;
}

/* Stops recording into s (NULL for none), saves it to record when given,
 * frees it; the driver's status, or EXIT_CMD_FAILED when the save failed. */
static int main_session_end(struct cmd_ctx *ctx, struct session *s, const char *record,
    int status)
{
	char *cause = NULL;

	session_attach(ctx, NULL);
	if (s != NULL && record != NULL && session_save(s, record, &cause) != 0) {
		batch_print_error(stderr, cause);
		free(cause);
		status = EXIT_CMD_FAILED;
	}
	session_free(s);
	return status;
}

/* Runs the -e commands or standard input; with --record, saves them. */
static int main_batch(struct cmd_ctx *ctx, const struct main_opts *o)
{
	struct session *s = session_new(0);
	int status;

	session_attach(ctx, s);
	if (o->n_commands > 0)
		status = batch_run(ctx, o->commands, o->n_commands, o->keep_going, stdout, stderr);
	else
		status = batch_run_stream(ctx, stdin, o->keep_going, stdout, stderr);
	return main_session_end(ctx, s, o->record, status);
}

static int main_replay(struct cmd_ctx *ctx, const struct main_opts *o, enum reportfmt_kind kind,
    const struct pathpolicy *confine)
{
	struct replay_opts r = {
		.path = o->replay, .sets = o->sets, .n_sets = o->n_sets, .report = o->report,
		.kind = kind, .min_group = o->min_group, .keep_going = o->keep_going,
		.confine = confine,
	};
	struct session *s = o->record ? session_new(0) : NULL;
	int status;

	session_attach(ctx, s);
	status = replay_run(ctx, &r, stderr);
	return main_session_end(ctx, s, o->record, status);
}

/* The console on the given files (or the demo data), or replaying a
 * session; with --record, the commands typed are saved when it ends. */
static int main_console(struct cmd_ctx *ctx, const struct main_opts *o, char **files, size_t n,
    const struct pathpolicy *confine)
{
	struct ui_opts uo = { .readonly = o->readonly, .refresh_ms = (int)o->refresh_ms,
		.replay = o->replay, .sets = o->sets, .n_sets = o->n_sets, .confine = confine };
	struct session *s = session_new(0);
	int status;

	session_attach(ctx, s);
	status = ui_main(ctx, files, n, &uo);
	return main_session_end(ctx, s, o->record, status);
}

/* Picks the driver: batch, batch replay or the console. */
static int main_drive(struct cmd_ctx *ctx, const struct main_opts *o, enum reportfmt_kind kind,
    const struct pathpolicy *confine, int argc, char **argv)
{
	if (!o->batch) {
		/* Without --batch, --replay plays the session in the console. */
		if (o->n_commands > 0 || (o->replay != NULL && (o->report || o->format))) {
			fprintf(stderr, "crossmkt: %s goes with --batch\n"
			    "Try 'crossmkt --help' for more information.\n",
			    o->n_commands > 0 ? "-e" : "--report or --format");
			return EXIT_USAGE;
		}
		return main_console(ctx, o, argv + optind, (size_t)(argc - optind), confine);
	}
	if (optind < argc) {
		fprintf(stderr, "crossmkt: unexpected argument '%s' in batch mode (use -e 'load NAME %s')\n",
		    argv[optind], argv[optind]);
		return EXIT_USAGE;
	}
	return o->replay != NULL ? main_replay(ctx, o, kind, confine) : main_batch(ctx, o);
}

/* A replayed session is someone else's: it opens only what its policy
 * allows. */
static int main_run(struct cmd_ctx *ctx, const struct main_opts *o, enum reportfmt_kind kind,
    int argc, char **argv)
{
	struct pathpolicy *confine = NULL;
	char *cause = NULL;
	int status;

	if (o->replay != NULL && (confine = pathpolicy_replay(o->replay, o->reads, o->n_reads,
	    o->writes, o->n_writes, &cause)) == NULL) {
		batch_print_error(stderr, cause);
		free(cause);
		return EXIT_USAGE;
	}
	status = main_drive(ctx, o, kind, confine, argc, argv);
	pathpolicy_free(confine);
	return status;
}

int main(int argc, char **argv)
{
	struct main_opts o = { .min_group = PRIVACY_MIN_GROUP };
	enum reportfmt_kind kind = REPORTFMT_JSON;
	struct cmd_ctx ctx;
	char *shared_dir = NULL;
	int status = 0;

	setlocale(LC_ALL, "");
	gsl_set_error_handler_off();
	if (main_parse(argc, argv, &o, &status) == 0) {
		if (main_check_session(&o, &kind) != 0) {
			status = EXIT_USAGE;
		} else {
			cmd_ctx_init(&ctx);
			shared_dir = o.shared_dir ? NULL : xdg_config_get("shared-dir");
			ctx.shared_dir = o.shared_dir ? o.shared_dir : shared_dir;
			ctx.readonly = o.readonly;
			status = main_run(&ctx, &o, kind, argc, argv);
			cmd_ctx_done(&ctx);
		}
	}
	free(shared_dir);
	free(o.commands);
	free(o.sets);
	free(o.reads);
	free(o.writes);
	return status;
}
