/* Segments view: user segments (k-means, RFM) from the segment command:
 * the segmentations, the profile of each segment and its members. */
#include "config.h"

#include "console.h"
#include "view.h"

static const char *const view_segments_commands[] = { "segment", NULL };
static const char *const *const view_segments_boxes[] = {
	NULL, view_segments_commands, NULL
};
static const char *const view_segments_titles[] = {
	"Segmentations", "Segment profiles", "Members"
};
static const int view_segments_spec[][4] = {
	{ 0, 0, 100, 30 },
	{ 0, 30, 65, 70 },
	{ 65, 30, 35, 70 }
};

static const struct view_panes view_segments_panes = {
	"segment", view_segments_titles, view_segments_spec, view_segments_boxes,
	(int)(sizeof view_segments_spec / sizeof view_segments_spec[0])
};

static void view_segments_draw(struct console *c, void *state, WINDOW *w)
{
	(void)c;
	view_panes_draw(&view_segments_panes, state, w);
}

static void view_segments_update(struct console *c, void *state, enum view_event ev,
    const char *command, const cJSON *result)
{
	(void)c;
	view_panes_update(&view_segments_panes, state, ev, command, result);
}

static const struct keys_binding view_segments_keys[] = {
	{ KEYS_FN(KEY_UP), "Up/Down", "Scroll", "scroll the results", view_panes_scroll },
	{ KEYS_FN(KEY_DOWN), "Down", NULL, NULL, view_panes_scroll },
	{ 'k', "k", NULL, NULL, view_panes_scroll },
	{ 'j', "j", NULL, NULL, view_panes_scroll },
	{ 0, NULL, NULL, NULL, NULL }
};

const struct view view_segments = {
	.name = "Segments",
	.commands = view_segments_commands,
	.keys = view_segments_keys,
	.create = view_panes_create,
	.destroy = view_panes_destroy,
	.draw = view_segments_draw,
	.update = view_segments_update,
};
