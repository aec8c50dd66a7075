/* Terminal set-up: the only file that decides colours, glyphs and modes. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

#include "tty.h"
#include "text.h"
#include "xmalloc.h"

static bool tty_active;
static int tty_pipe[2] = { -1, -1 };
static volatile sig_atomic_t tty_quit_signal;
static attr_t tty_role_attrs[TTY_ROLE_COUNT];

static const char *const tty_blocks_utf8[8] = {
	"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88"
};
static const char *const tty_blocks_ascii[8] = { "_", ".", ",", "-", "=", "+", "*", "#" };

static const struct tty_glyphs tty_glyphs_utf8 = {
	"\xe2\x96\xb2", "\xe2\x96\xbc", "\xe2\x96\xb6", "\xe2\x97\x8f", "\xe2\x88\x85",
	"\xe2\x96\x88", "\xe2\x96\x91", "\xe2\x94\x82", tty_blocks_utf8, true
};
static const struct tty_glyphs tty_glyphs_ascii = {
	"^", "v", ">", "*", "NA", "#", ".", "|", tty_blocks_ascii, false
};
static const struct tty_glyphs *tty_glyph_set = &tty_glyphs_ascii;

/* Monochrome attributes, then the colour pair added when colours work. */
static const struct tty_style {
	enum tty_role role;
	attr_t mono;
	short fg, bg;
} tty_styles[] = {
	{ TTY_NORMAL, A_NORMAL, -1, -1 },
	{ TTY_TITLE, A_BOLD, COLOR_CYAN, -1 },
	{ TTY_TAB, A_REVERSE | A_BOLD, COLOR_CYAN, -1 },
	{ TTY_HEADER, A_BOLD | A_UNDERLINE, COLOR_YELLOW, -1 },
	{ TTY_CURSOR, A_REVERSE, COLOR_CYAN, -1 },
	{ TTY_KEY, A_REVERSE, COLOR_CYAN, -1 },
	{ TTY_ERROR, A_BOLD, COLOR_RED, -1 },
	{ TTY_NOTICE, A_BOLD, COLOR_GREEN, -1 },
	{ TTY_DIM, A_DIM, COLOR_BLUE, -1 },
	{ TTY_BORDER, A_NORMAL, COLOR_BLUE, -1 },
	{ TTY_BAR, A_BOLD, COLOR_GREEN, -1 },
};

static void tty_on_signal(int sig)
{
	int saved = errno;

	tty_quit_signal = sig;
	if (tty_pipe[1] >= 0)
		(void)!write(tty_pipe[1], "s", 1);
	errno = saved;
}

/* Restores the screen before the default action of a fatal signal. */
static void tty_on_fatal(int sig)
{
	if (tty_active)
		endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void tty_signals(void)
{
	static const int quit[] = { SIGTERM, SIGHUP, SIGINT };
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGABRT, SIGILL };
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = tty_on_signal;
	for (size_t i = 0; i < sizeof quit / sizeof quit[0]; i++)
		sigaction(quit[i], &sa, NULL);
	sa.sa_handler = tty_on_fatal;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int tty_open_pipe(void)
{
	if (pipe(tty_pipe) != 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		fcntl(tty_pipe[i], F_SETFL, fcntl(tty_pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(tty_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	return 0;
}

/* True when terminfo knows type and it can move the cursor. */
static bool tty_usable(const char *type)
{
	int err;
	char *cup;
	bool ok;

	if (type == NULL || *type == '\0' || setupterm(type, 1, &err) != OK)
		return false;
	cup = tigetstr("cup");
	ok = cup != NULL && cup != (char *)-1;
	del_curterm(cur_term);
	return ok;
}

/* Returns the terminal type to use: $TERM when terminfo knows it, else
 * the first known fallback. */
static const char *tty_pick_type(char **hint)
{
	static const char *const fallbacks[] = { "xterm", "vt100", "ansi" };
	const char *type = getenv("TERM");

	if (tty_usable(type))
		return type;
	for (size_t i = 0; i < sizeof fallbacks / sizeof fallbacks[0]; i++) {
		if (tty_usable(fallbacks[i])) {
			*hint = xasprintf("TERM=%s is not usable here; using %s (set TERM to fix)",
			    type != NULL && *type != '\0' ? type : "(unset)", fallbacks[i]);
			return fallbacks[i];
		}
	}
	return NULL;
}

static bool tty_want_colour(void)
{
	const char *no = getenv("NO_COLOR");

	return has_colors() && (no == NULL || *no == '\0');
}

static void tty_setup_attrs(void)
{
	bool colour = tty_want_colour();

	if (colour) {
		start_color();
		use_default_colors();
	}
	for (size_t i = 0; i < sizeof tty_styles / sizeof tty_styles[0]; i++) {
		const struct tty_style *s = &tty_styles[i];

		tty_role_attrs[s->role] = s->mono;
		if (!colour || s->fg < 0 || (int)i >= COLOR_PAIRS)
			continue;
		init_pair((short)i, s->fg, s->bg);
		tty_role_attrs[s->role] |= COLOR_PAIR(i);
	}
}

static void tty_setup_locale(void)
{
	const char *cs;

	setlocale(LC_ALL, "");
	cs = nl_langinfo(CODESET);
	text_set_utf8(cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0));
	tty_glyph_set = text_utf8() ? &tty_glyphs_utf8 : &tty_glyphs_ascii;
}

int tty_init(char **hint, char **cause)
{
	const char *type;

	*hint = NULL;
	tty_setup_locale();
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		*cause = xstrdup("the console needs a terminal (use --batch for scripts)");
		return -1;
	}
	if ((type = tty_pick_type(hint)) == NULL || tty_open_pipe() != 0) {
		*cause = xstrdup("cannot open the terminal: no usable terminal type (set TERM)");
		return -1;
	}
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(25);
	if (newterm(type, stdout, stdin) == NULL) {
		*cause = xasprintf("cannot open the terminal as %s", type);
		return -1;
	}
	tty_active = true;
	tty_signals();
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	tty_setup_attrs();
	return 0;
}

/* A terminal without an alternate screen (vt100) would keep the console
 * drawn after it ends: clear it first, as the alternate screen would. */
static void tty_clear_plain(void)
{
	const char *rmcup = tigetstr("rmcup");

	if (rmcup != NULL && rmcup != (const char *)-1)
		return;
	clear();
	refresh();
}

void tty_done(void)
{
	if (!tty_active)
		return;
	tty_active = false;
	tty_clear_plain();
	curs_set(1);
	endwin();
}

attr_t tty_attr(enum tty_role role)
{
	return tty_role_attrs[role];
}

const struct tty_glyphs *tty_glyphs(void)
{
	return tty_glyph_set;
}

void tty_line(WINDOW *w, int y, int x, enum tty_line what, int n)
{
	static const char *const utf8[] = {
		"\xe2\x94\x82", "\xe2\x94\x80", "\xe2\x94\x8c", "\xe2\x94\x90",
		"\xe2\x94\x94", "\xe2\x94\x98"
	};
	const chtype acs[] = { ACS_VLINE, ACS_HLINE, ACS_ULCORNER, ACS_URCORNER, ACS_LLCORNER,
		ACS_LRCORNER };

	for (int i = 0; i < n; i++) {
		int yy = what == TTY_VLINE ? y + i : y, xx = what == TTY_VLINE ? x : x + i;

		if (text_utf8())
			mvwaddstr(w, yy, xx, utf8[what]);
		else
			mvwaddch(w, yy, xx, acs[what]);
	}
}

void tty_box(WINDOW *w, int y, int x, int rows, int cols)
{
	tty_line(w, y, x, TTY_UL, 1);
	tty_line(w, y, x + 1, TTY_HLINE, cols - 2);
	tty_line(w, y, x + cols - 1, TTY_UR, 1);
	tty_line(w, y + 1, x, TTY_VLINE, rows - 2);
	tty_line(w, y + 1, x + cols - 1, TTY_VLINE, rows - 2);
	tty_line(w, y + rows - 1, x, TTY_LL, 1);
	tty_line(w, y + rows - 1, x + 1, TTY_HLINE, cols - 2);
	tty_line(w, y + rows - 1, x + cols - 1, TTY_LR, 1);
}

int tty_signal_fd(void)
{
	return tty_pipe[0];
}

int tty_signal_read(void)
{
	char buf[64];

	while (read(tty_pipe[0], buf, sizeof buf) > 0)
		;
	return (int)tty_quit_signal;
}
