/* Campaigns view: A/B campaigns: the list, their arms, the fixed-horizon
 * tests (abtest, power, srm) and the always-valid sequential test. */
#include "config.h"

#include "console.h"
#include "view.h"

static const char *const view_campaigns_commands[] = { "campaign", "abtest", "power", "srm", NULL };
static const char *const view_campaigns_arms[] = { "campaign", NULL };
static const char *const view_campaigns_tests[] = { "abtest", "power", "srm", NULL };
static const char *const *const view_campaigns_boxes[] = {
	NULL, view_campaigns_arms, view_campaigns_tests, NULL
};
static const char *const view_campaigns_titles[] = {
	"Campaigns", "Arms", "Tests", "Sequential test"
};
static const int view_campaigns_spec[][4] = {
	{ 0, 0, 100, 30 },
	{ 0, 30, 40, 70 },
	{ 40, 30, 35, 70 },
	{ 75, 30, 25, 70 }
};

static const struct view_panes view_campaigns_panes = {
	"campaign", view_campaigns_titles, view_campaigns_spec, view_campaigns_boxes,
	(int)(sizeof view_campaigns_spec / sizeof view_campaigns_spec[0])
};

static void view_campaigns_draw(struct console *c, void *state, WINDOW *w)
{
	(void)c;
	view_panes_draw(&view_campaigns_panes, state, w);
}

static void view_campaigns_update(struct console *c, void *state, enum view_event ev,
    const char *command, const cJSON *result)
{
	(void)c;
	view_panes_update(&view_campaigns_panes, state, ev, command, result);
}

static const struct keys_binding view_campaigns_keys[] = {
	{ KEYS_FN(KEY_UP), "Up/Down", "Scroll", "scroll the results", view_panes_scroll },
	{ KEYS_FN(KEY_DOWN), "Down", NULL, NULL, view_panes_scroll },
	{ 'k', "k", NULL, NULL, view_panes_scroll },
	{ 'j', "j", NULL, NULL, view_panes_scroll },
	{ 0, NULL, NULL, NULL, NULL }
};

const struct view view_campaigns = {
	.name = "Campaigns",
	.commands = view_campaigns_commands,
	.keys = view_campaigns_keys,
	.create = view_panes_create,
	.destroy = view_panes_destroy,
	.draw = view_campaigns_draw,
	.update = view_campaigns_update,
};
