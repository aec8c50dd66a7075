/* Which files a replayed session may open. A session file from someone
 * else is untrusted input: its paths may read only under the directories
 * it is allowed (its own directory, the current directory, those given
 * with --allow-read or --allow-write), write only under those given with
 * --allow-write, and never open the user's crossmkt settings, keys and
 * state, whatever the options say.
 *
 * Paths are judged after resolving the directory that holds them with
 * realpath(3), so ".." and symbolic links cannot lead out; a final
 * component that is a symbolic link is judged by where it points. */
#ifndef CROSSMKT_PATHPOLICY_H
#define CROSSMKT_PATHPOLICY_H

#include <stddef.h>

enum pathpolicy_access {
	PATHPOLICY_READ = 1 << 0,
	PATHPOLICY_WRITE = 1 << 1,
};

struct pathpolicy;

/* A policy that allows nothing yet; never NULL. Free with
 * pathpolicy_free. */
struct pathpolicy *pathpolicy_new(void);
void pathpolicy_free(struct pathpolicy *p);
/* Allows reading (PATHPOLICY_READ) or reading and writing
 * (PATHPOLICY_WRITE) under dir, which must be an existing directory; -1
 * with *cause otherwise. option names where dir came from, for messages
 * ("--allow-read"), or NULL for a default. */
int pathpolicy_allow(struct pathpolicy *p, unsigned access, const char *dir, const char *option,
    char **cause);
/* Never allows anything under dir (it need not exist). */
void pathpolicy_deny(struct pathpolicy *p, const char *dir);
/* The policy of a replay of session: reading under the session file's
 * directory and the current directory, the reads and writes given, and
 * nothing under the user's crossmkt configuration and state directories.
 * NULL with *cause when a directory given is not one. */
struct pathpolicy *pathpolicy_replay(const char *session, char *const *reads, size_t n_reads,
    char *const *writes, size_t n_writes, char **cause);
/* 0 when path may be opened with access (enum pathpolicy_access), else
 * -1 with *cause saying why and naming the option that would allow it. */
int pathpolicy_check(const struct pathpolicy *p, const char *path, unsigned access, char **cause);

#endif
