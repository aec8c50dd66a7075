/* What the recommend and evaluate-recs commands share: the arguments that
 * turn an events dataset into interactions (user= item= event= time=
 * weights= repeats= items=) and a model spec (method= neighbours= shrink=
 * lambda= factors= reg= alpha= iterations= seed= base= weight=),
 * and the JSON of a recommendation list. */
#ifndef CROSSMKT_CMD_RECS_H
#define CROSSMKT_CMD_RECS_H

#include <cjson/cJSON.h>

#include "command.h"
#include "interactions.h"
#include "recommend.h"

struct cmd_recs {
	struct interactions *x;		/* owned */
	struct recommend_spec spec;	/* texts and kinds borrowed from x */
};

/* The keyword arguments cmd_recs_open reads. */
#define CMD_RECS_KEYS "user", "item", "event", "time", "weights", "repeats", \
	"items", "method", "neighbours", "shrink", "lambda", "factors", \
	"reg", "alpha", "iterations", "base", "weight", "seed", "tune"

/* Builds the interactions of dataset args->pos[0] and the spec. */
int cmd_recs_open(struct cmd_ctx *ctx, const struct cmd_args *args,
    struct cmd_recs *r, char **cause);
void cmd_recs_close(struct cmd_recs *r);
/* key=N, a whole number from 1 up (def when absent). */
int cmd_recs_count(const struct cmd_args *args, const char *key, long def,
    uint32_t *out, char **cause);
/* Tunes r->spec on a validation split of the kept events and adds
 * "tuned": {chosen values, validation NDCG, users, models fitted} to o. */
int cmd_recs_tune(struct cmd_recs *r, const struct recommend_input *in,
    const uint8_t *keep, double frac, unsigned long seed, uint32_t k,
    cJSON **tuned, char **cause);
/* "modelled_items" when ease covers fewer than all items (its memory
 * budget), with the reason. */
void cmd_recs_modelled(cJSON *o, const struct cmd_recs *r, uint32_t modelled);
/* [{item, title, score, because}] for n hits of model. */
cJSON *cmd_recs_hits(const struct cmd_recs *r,
    const struct recommend_model *model, const struct recommend_hit *hits,
    uint32_t n);

#endif
