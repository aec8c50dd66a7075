/* Recommendations view: items recommended per user (item-item CF,
 * content TF-IDF, hybrid) and their offline evaluation. */
#include "config.h"

#include "console.h"
#include "view.h"

static const char *const view_recommend_commands[] = { "recommend", NULL };
static const char *const *const view_recommend_boxes[] = {
	NULL, view_recommend_commands, NULL
};
static const char *const view_recommend_titles[] = {
	"Users", "Recommended items", "Offline evaluation"
};
static const int view_recommend_spec[][4] = {
	{ 0, 0, 100, 30 },
	{ 0, 30, 65, 70 },
	{ 65, 30, 35, 70 }
};

static const struct view_panes view_recommend_panes = {
	"recommend", view_recommend_titles, view_recommend_spec, view_recommend_boxes,
	(int)(sizeof view_recommend_spec / sizeof view_recommend_spec[0])
};

static void view_recommend_draw(struct console *c, void *state, WINDOW *w)
{
	(void)c;
	view_panes_draw(&view_recommend_panes, state, w);
}

static void view_recommend_update(struct console *c, void *state, enum view_event ev,
    const char *command, const cJSON *result)
{
	(void)c;
	view_panes_update(&view_recommend_panes, state, ev, command, result);
}

static const struct keys_binding view_recommend_keys[] = {
	{ KEYS_FN(KEY_UP), "Up/Down", "Scroll", "scroll the results", view_panes_scroll },
	{ KEYS_FN(KEY_DOWN), "Down", NULL, NULL, view_panes_scroll },
	{ 'k', "k", NULL, NULL, view_panes_scroll },
	{ 'j', "j", NULL, NULL, view_panes_scroll },
	{ 0, NULL, NULL, NULL, NULL }
};

const struct view view_recommend = {
	.name = "Recommendations",
	.commands = view_recommend_commands,
	.keys = view_recommend_keys,
	.create = view_panes_create,
	.destroy = view_panes_destroy,
	.draw = view_recommend_draw,
	.update = view_recommend_update,
};
