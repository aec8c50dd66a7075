/* The form that defines or edits a campaign (ncurses form and menu
 * libraries). Choices come from the workspace: datasets, the dataset's
 * columns, the arm column's values and the metrics. Submitting builds the
 * 'campaign NAME ...' command line, which the console runs like a typed
 * one, so that it is recorded and replayed. */
#ifndef CROSSMKT_CAMPAIGN_FORM_H
#define CROSSMKT_CAMPAIGN_FORM_H

#include "campaign.h"
#include "curses-wrap.h"

struct console;
struct campaign_form;

enum campaign_form_state { CFORM_EDIT, CFORM_SUBMIT, CFORM_CANCEL };

/* A form for a new campaign (k NULL) or filled from k; the caller owns it. */
struct campaign_form *campaign_form_new(struct console *c, const struct campaign *k);
/* Frees the form with its windows; NULL is ignored. */
void campaign_form_free(struct campaign_form *f);
/* Puts the form in its own panel over an area (again after a resize). */
void campaign_form_place(struct campaign_form *f, int y, int x, int rows, int cols);
/* Edits with a key; CFORM_SUBMIT when the user asked to run it. */
enum campaign_form_state campaign_form_key(struct campaign_form *f, struct console *c, int key);
/* The command line of the fields (new string), or NULL with *cause. */
char *campaign_form_command(struct campaign_form *f, char **cause);
/* Shows the panel and puts the cursor in the current field. */
void campaign_form_cursor(struct campaign_form *f);

#endif
