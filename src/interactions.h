/* From an events dataset to the recommendation engine's input: user and
 * item values mapped to dense indices (in order of first appearance), one
 * weight per event type, repeated user-item pairs folded into one, and an
 * optional items dataset for titles, tags and kinds.
 *
 * Ownership: interactions_build returns an object freed with
 * interactions_free. It borrows the events and items tables (titles and
 * tags point into their dictionaries), which must outlive it. */
#ifndef CROSSMKT_INTERACTIONS_H
#define CROSSMKT_INTERACTIONS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "recommend.h"
#include "table.h"

/* How the rows of one user-item pair combine. */
enum interactions_repeat {
	INTERACTIONS_MAX,	/* the weight of the strongest event */
	INTERACTIONS_SUM	/* the sum of the events' weights */
};

struct interactions_opts {
	int user_col, item_col;	/* column indices in the events table */
	int event_col;		/* event-type column, or -1: every row weighs 1 */
	int time_col;		/* date, datetime or int column, or -1 */
	/* Weight per event type; a row of another type is an error. */
	const char *const *event_names;
	const double *event_weights;
	size_t n_events;
	enum interactions_repeat repeat;
	const struct table *items;	/* catalogue, or NULL */
	/* Polled per block of rows and between the sorts; once set, the
	 * build fails with "cancelled". NULL: not cancellable. */
	const atomic_bool *cancel;
};

struct interactions {
	const struct table *events, *catalogue;
	int user_col, item_col;
	struct dict *users, *items;	/* id text -> dense index (its code) */
	uint32_t nusers, nitems;
	size_t *user_row;		/* an events row of each user */
	const struct column **item_src;	/* where each item's id is shown */
	size_t *item_row;

	size_t n;			/* distinct user-item pairs, ordered by
					 * their last event */
	uint32_t *user, *item;
	double *weight;
	int64_t *time;			/* NULL without a time column */
	size_t rows, skipped;		/* rows without a user, item or type */

	const char **titles, **tags;	/* nitems entries or NULL */
	uint8_t *kinds;			/* nitems, or NULL without a kind column */
	const char *kind_names[RECOMMEND_MAX_KINDS];	/* [0] is "" */
	unsigned nkinds;
};

/* Maps the events (and the catalogue's ids, titles, tags and kinds).
 * Errors: an empty dataset, no usable row, an event type without a
 * weight, a catalogue without an item id column, too many kinds. */
int interactions_build(const struct table *events,
    const struct interactions_opts *o, struct interactions **out,
    char **cause);
void interactions_free(struct interactions *x);

/* The engine's input over the pairs (borrowing x's arrays). */
void interactions_input(const struct interactions *x,
    struct recommend_input *in);
/* The text of a cell (not missing) as ids and segment values are matched:
 * a string cell's own, other types formatted into buf; its length in *len. */
const char *interactions_key(const struct column *c, size_t row,
    char *buf, size_t size, size_t *len);
/* The dense index of a user id as typed; -1 when it has no events. */
int interactions_find_user(const struct interactions *x, const char *id,
    uint32_t *user);
/* A bit (1 << kind) per listed kind name, or -1 with *cause. */
int interactions_kinds_mask(const struct interactions *x,
    const char *const *names, size_t n, unsigned *mask, char **cause);
/* The item's title when the catalogue has one, else its id as text. */
const char *interactions_item_label(const struct interactions *x,
    uint32_t item);
/* The users (dense, ascending) with value in column by: a column of users,
 * matched to the events by user id, or with users NULL, of the events.
 * *nrows counts the matching rows. Caller frees *out. */
int interactions_segment(const struct interactions *x,
    const struct table *users, const char *by, const char *value,
    uint32_t **out, size_t *n, size_t *nrows, char **cause);

#endif
