/* Sessions replayed in the console (--replay FILE without --batch, and the
 * autosave restored at start-up). */
#ifndef CROSSMKT_PLAYBACK_H
#define CROSSMKT_PLAYBACK_H

#include <stdbool.h>
#include <stddef.h>

struct console;
struct replay_run;

/* A replay of lines (taken over; free with session_lines_free). */
struct replay_run *playback_new(const char *name, char **lines, size_t n);
/* The session file a replay plays. */
const char *playback_name(const struct replay_run *r);
/* Frees a replay; NULL is ignored. */
void playback_free(struct replay_run *r);
/* Reads, fills in (--set values) and checks a session file: 0 with *out,
 * or -1 with *cause. Its commands open only what confine allows (not
 * owned; NULL for the user's own autosave). */
int playback_open(const char *path, char *const *sets, size_t n_sets,
    const struct pathpolicy *confine, struct replay_run **out, char **cause);
/* Lists the files the replay's commands open, each with whether its
 * policy allows it, in a new popup for the question before a replay. */
struct pager *playback_files(const struct console *c);
/* Makes r a restore: at full speed, with no pause and no replay keys. */
void playback_restoring(struct replay_run *r);
/* Starts the next command when the last one's work is done and the pause
 * after it has passed; ends the replay after the last. Called by the loop. */
void playback_run(struct console *c);
/* Milliseconds until playback_run has something to do, at most timeout. */
int playback_timeout(const struct console *c, int timeout);
/* Space, n, + and - while replaying; false for other keys. */
bool playback_key(struct console *c, int key);
/* "[replay 3/12 paused, 500 ms]" or "[restoring 3/12]" (new string), or NULL when not replaying. */
char *playback_label(const struct console *c);

#endif
