/* backtest DATASET column=COL [time=COL] horizon=H origins=N [season=S]
 * [models=a,b,...] [fill=zero|interpolate] */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "cancel.h"
#include "command.h"
#include "tscmd.h"
#include "xmalloc.h"

static const char *const cmd_backtest_keys[] = {
	"column", "time", "horizon", "origins", "season", "models", "fill", NULL
};

#define CMD_BACKTEST_DEFAULT "combo,theta,ses,holt,hw-add,hw-mul,hw-damped,linear,snaive"

struct cmd_backtest_req {
	struct tscmd_input in;
	struct series s;
	size_t season;
	long horizon, origins;
	const atomic_bool *cancel;
};

/* One model's rolling-origin accuracy, or the reason it could not run. */
static cJSON *cmd_backtest_model(const struct cmd_backtest_req *req, const char *name,
    const struct tscmd_model *m, double *mase)
{
	struct forecast_spec spec;
	struct forecast_accuracy acc;
	cJSON *o = cJSON_CreateObject();
	char *cause = NULL;

	cJSON_AddStringToObject(o, "model", name);
	tscmd_spec_init(&spec, m, req->season, (size_t)req->horizon, 0);
	tscmd_spec_seasons(&spec, &req->in, &req->s);
	spec.cancel = req->cancel;
	if (tscmd_check_positive(&req->s, req->s.n, m, &cause) != 0 ||
	    forecast_backtest(req->s.y, req->s.n, &spec, (size_t)req->origins,
	    (size_t)req->horizon, &acc, &cause) != 0) {
		cJSON_AddStringToObject(o, "error", cause);
		free(cause);
		*mase = HUGE_VAL;
		return o;
	}
	cJSON_AddNumberToObject(o, "mase", acc.mase);
	cJSON_AddNumberToObject(o, "smape", acc.smape);
	cJSON_AddNumberToObject(o, "rmse", acc.rmse);
	*mase = acc.mase;
	return o;
}

/* Parses every model name before running any. */
static int cmd_backtest_names(const char *list, char ***names, size_t *n,
    struct tscmd_model **models, char **cause)
{
	if (cmd_split_list("models", list, names, n, cause) != 0)
		return -1;
	*models = xcalloc(*n, sizeof **models);
	for (size_t i = 0; i < *n; i++) {
		if (tscmd_model_parse("models", (*names)[i], &(*models)[i], cause) != 0)
			return -1;
	}
	return 0;
}

static int cmd_backtest_run(struct cmd_backtest_req *req, const char *list, cJSON *out,
    char **cause)
{
	cJSON *arr = cJSON_CreateArray();
	struct tscmd_model *models = NULL;
	char **names = NULL;
	size_t n = 0, best = SIZE_MAX;
	double mase, best_mase = HUGE_VAL;
	int rc = -1;

	cJSON_AddItemToObject(out, "models", arr);
	if (cmd_backtest_names(list, &names, &n, &models, cause) != 0)
		goto done;
	for (size_t i = 0; i < n; i++) {
		cJSON_AddItemToArray(arr, cmd_backtest_model(req, names[i], &models[i], &mase));
		/* A model that fails is listed with its error; a cancel fails all. */
		if (cancel_check(req->cancel, cause))
			goto done;
		if (mase < best_mase) {
			best_mase = mase;
			best = i;
		}
	}
	if (best == SIZE_MAX) {
		*cause = xasprintf("no model could be backtested: %s",
		    cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0), "error")->valuestring);
		goto done;
	}
	cJSON_AddStringToObject(out, "best", names[best]);
	rc = 0;
done:
	cmd_list_free(names, n);
	free(models);
	return rc;
}

static int cmd_backtest_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	struct cmd_backtest_req req = { .horizon = -1, .origins = -1 };
	const struct table *t;
	cJSON *out;
	int rc;

	if ((rc = tscmd_input_parse(&ctx->ws, args, &t, &req.in, cause)) != 0)
		return rc;
	if (tscmd_arg_positive(args, "horizon", &req.horizon, cause) != 0 ||
	    tscmd_arg_positive(args, "origins", &req.origins, cause) != 0)
		return -1;
	if (req.horizon < 0 || req.origins < 0) {
		*cause = xstrdup("give the forecast length with horizon=H and the number of "
		    "forecast origins with origins=N");
		return CMD_USAGE;
	}
	if (tscmd_series(t, &req.in, &req.s, &req.season, cause) != 0)
		return -1;
	req.cancel = ctx->cancel;
	out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "dataset", t->name);
	cJSON_AddStringToObject(out, "column", t->cols[req.in.value_col].name);
	tscmd_add_series(out, &req.s, req.season, req.s.n, req.in.fill);
	cJSON_AddNumberToObject(out, "horizon", (double)req.horizon);
	cJSON_AddNumberToObject(out, "origins", (double)req.origins);
	rc = cmd_backtest_run(&req, cmd_arg(args, "models", CMD_BACKTEST_DEFAULT), out, cause);
	series_done(&req.s);
	return tscmd_result(rc, out, result, cause);
}

const struct cmd_entry cmd_backtest_entry = {
	.name = "backtest",
	.usage = "DATASET column=COL [time=COL] horizon=H origins=N [season=S] "
	    "[models=M,M...] [fill=zero|interpolate]",
	.help = "rolling-origin accuracy (MASE, sMAPE, RMSE) of forecasting models on a series",
	.min_pos = 1, .max_pos = 1,
	.keys = cmd_backtest_keys,
	.exec = cmd_backtest_exec,
};
