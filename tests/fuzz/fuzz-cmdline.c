/* Fuzz target: command lines through cmd_parse and cmd_validate (splitting
 * and checking against the command table, never running), and the argument
 * helpers that commands use on the words. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_cmdline_args(const struct cmd_args *args)
{
	char **items, *cause = NULL;
	size_t n;
	long count = 0;

	for (size_t i = 0; i < args->n_kv; i++) {
		if (cmd_split_list(args->keys[i], args->vals[i], &items, &n, &cause) == 0)
			cmd_list_free(items, n);
		else
			free(cause);
		cause = NULL;
		if (cmd_arg_count(args, args->keys[i], &count, &cause) != 0)
			free(cause);
		cause = NULL;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = xstrndup((const char *)data, size), *cause = NULL;
	struct cmd_args args;

	memset(&args, 0, sizeof args);
	if (cmd_parse(line, &args, &cause) == 0) {
		if (args.name == NULL)
			abort();
		fuzz_cmdline_args(&args);
		cmd_args_done(&args);
	} else {
		if (cause == NULL)
			abort();
		free(cause);
	}
	cause = NULL;
	if (cmd_validate(line, &cause) != 0)
		free(cause);
	free(line);
	return 0;
}
