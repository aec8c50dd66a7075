/* Per-user files: $XDG_STATE_HOME/crossmkt (default ~/.local/state/crossmkt)
 * for state such as the autosaved session, $XDG_CONFIG_HOME/crossmkt
 * (default ~/.config/crossmkt) for settings and keys. Directories are
 * created with mode 0700, files with 0600.
 *
 * Returned strings are the caller's to free. */
#ifndef CROSSMKT_XDG_H
#define CROSSMKT_XDG_H

#include <stddef.h>
#include <time.h>

enum xdg_kind { XDG_STATE, XDG_CONFIG };

/* The crossmkt directory of that kind, created (with its parents) when
 * missing; -1 with *cause. */
int xdg_dir(enum xdg_kind kind, char **dir, char **cause);
/* DIR/name inside that directory (the directory is created). */
int xdg_path(enum xdg_kind kind, const char *name, char **path, char **cause);
/* The same without creating anything, for looking only (a read-only
 * console writes nothing, not even a directory). */
int xdg_where(enum xdg_kind kind, char **dir, char **cause);
int xdg_find(enum xdg_kind kind, const char *name, char **path, char **cause);
/* A setting from $XDG_CONFIG_HOME/crossmkt/config (lines "key = value",
 * '#' comments); NULL when unset or when there is no file. */
char *xdg_config_get(const char *key);
/* The login name of the user running crossmkt (never NULL). */
const char *xdg_login_name(void);
/* t as "YYYY-MM-DDTHH:MM:SSZ" (UTC) into buf of at least 21 bytes. */
void xdg_iso_time(time_t t, char *buf, size_t size);

#endif
