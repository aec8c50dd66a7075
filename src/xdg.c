/* XDG base directories, the login name and UTC times. */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xdg.h"
#include "xmalloc.h"

/* The home directory: $HOME, else the password database. */
static const char *xdg_home(void)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (home != NULL && *home == '/')
		return home;
	pw = getpwuid(getuid());
	return pw != NULL && pw->pw_dir != NULL ? pw->pw_dir : NULL;
}

/* The base directory: $VAR when absolute (as the specification asks),
 * else HOME/fallback. */
static char *xdg_base(enum xdg_kind kind, char **cause)
{
	const char *var = kind == XDG_STATE ? "XDG_STATE_HOME" : "XDG_CONFIG_HOME";
	const char *fallback = kind == XDG_STATE ? ".local/state" : ".config";
	const char *v = getenv(var), *home;

	if (v != NULL && *v == '/')
		return xstrdup(v);
	if ((home = xdg_home()) == NULL) {
		*cause = xasprintf("cannot find a home directory for per-user files: set HOME or %s", var);
		return NULL;
	}
	return xasprintf("%s/%s", home, fallback);
}

/* mkdir -p with mode 0700 for the directories it creates. */
static int xdg_mkdirs(char *dir, char **cause)
{
	for (char *p = dir + 1;; p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			*cause = xasprintf("%s: cannot create directory: %s", dir, strerror(errno));
			*p = c;
			return -1;
		}
		*p = c;
		if (c == '\0')
			return 0;
	}
}

int xdg_where(enum xdg_kind kind, char **dir, char **cause)
{
	char *base = xdg_base(kind, cause);

	if (base == NULL)
		return -1;
	*dir = xasprintf("%s/crossmkt", base);
	free(base);
	return 0;
}

int xdg_dir(enum xdg_kind kind, char **dir, char **cause)
{
	if (xdg_where(kind, dir, cause) != 0)
		return -1;
	if (xdg_mkdirs(*dir, cause) != 0) {
		free(*dir);
		*dir = NULL;
		return -1;
	}
	return 0;
}

int xdg_path(enum xdg_kind kind, const char *name, char **path, char **cause)
{
	char *dir;

	if (xdg_dir(kind, &dir, cause) != 0)
		return -1;
	*path = xasprintf("%s/%s", dir, name);
	free(dir);
	return 0;
}

int xdg_find(enum xdg_kind kind, const char *name, char **path, char **cause)
{
	char *dir;

	if (xdg_where(kind, &dir, cause) != 0)
		return -1;
	*path = xasprintf("%s/%s", dir, name);
	free(dir);
	return 0;
}

/* Strips blanks at both ends, in place. */
static char *xdg_trim(char *s)
{
	size_t n;

	s += strspn(s, " \t");
	n = strlen(s);
	while (n > 0 && strchr(" \t\r\n", s[n - 1]) != NULL)
		s[--n] = '\0';
	return s;
}

char *xdg_config_get(const char *key)
{
	char *base, *path, *line = NULL, *found = NULL;
	char *ignored = NULL;
	size_t cap = 0;
	FILE *f;

	if ((base = xdg_base(XDG_CONFIG, &ignored)) == NULL) {
		free(ignored);
		return NULL;
	}
	path = xasprintf("%s/crossmkt/config", base);
	free(base);
	f = fopen(path, "r");
	free(path);
	if (f == NULL)
		return NULL;
	while (getline(&line, &cap, f) >= 0) {
		char *eq = strchr(line, '='), *k = xdg_trim(line);

		if (*k == '#' || eq == NULL)
			continue;
		*eq = '\0';
		if (strcmp(xdg_trim(k), key) == 0) {
			free(found);
			found = xstrdup(xdg_trim(eq + 1));
		}
	}
	free(line);
	fclose(f);
	return found;
}

const char *xdg_login_name(void)
{
	static char name[256];
	struct passwd *pw;
	const char *v;

	if (name[0] != '\0')
		return name;
	if ((pw = getpwuid(geteuid())) != NULL && pw->pw_name != NULL)
		v = pw->pw_name;
	else if ((v = getenv("LOGNAME")) == NULL && (v = getenv("USER")) == NULL)
		v = "unknown";
	snprintf(name, sizeof name, "%s", v);
	return name;
}

void xdg_iso_time(time_t t, char *buf, size_t size)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
