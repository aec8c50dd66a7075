/* The demo data's directory: the environment, the build tree's landmark,
 * the installed directory. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "demodata.h"
#include "xmalloc.h"

#ifndef CROSSMKT_DATADIR
#define CROSSMKT_DATADIR ""
#endif

/* The landmark's name, beside the binary. */
#define DEMODATA_LANDMARK "crossmkt.data"

/* The first line of the landmark beside the running binary, or NULL. */
static char *demodata_landmark(void)
{
	char exe[PATH_MAX], line[PATH_MAX], *slash, *path;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	FILE *f;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return NULL;
	*slash = '\0';
	path = xasprintf("%s/" DEMODATA_LANDMARK, exe);
	f = fopen(path, "r");
	free(path);
	if (f == NULL)
		return NULL;
	path = fgets(line, sizeof line, f);
	fclose(f);
	if (path == NULL)
		return NULL;
	line[strcspn(line, "\n")] = '\0';
	return *line != '\0' ? xstrdup(line) : NULL;
}

/* The candidates in order, NULL where there is none. */
static void demodata_candidates(char *dirs[3])
{
	const char *env = getenv("CROSSMKT_DATA");

	dirs[0] = env != NULL && *env != '\0' ? xstrdup(env) : NULL;
	dirs[1] = demodata_landmark();
	dirs[2] = *CROSSMKT_DATADIR != '\0' ? xstrdup(CROSSMKT_DATADIR) : NULL;
}

static int demodata_has_users(const char *dir)
{
	char *path = xasprintf("%s/users.csv", dir);
	struct stat st;
	int found = stat(path, &st) == 0;

	free(path);
	return found;
}

char *demodata_dir(void)
{
	char *dirs[3], *found = NULL;

	demodata_candidates(dirs);
	for (size_t i = 0; i < 3; i++) {
		if (found == NULL && dirs[i] != NULL && demodata_has_users(dirs[i]))
			found = dirs[i];
		else
			free(dirs[i]);
	}
	return found;
}

char *demodata_searched(void)
{
	char *dirs[3];
	const char *words[3];
	size_t n = 0;
	char *s;

	demodata_candidates(dirs);
	for (size_t i = 0; i < 3; i++)
		if (dirs[i] != NULL)
			words[n++] = dirs[i];
	s = n > 0 ? xstrjoin(words, n, ", ") : xstrdup("no directory: set CROSSMKT_DATA");
	for (size_t i = 0; i < 3; i++)
		free(dirs[i]);
	return s;
}
