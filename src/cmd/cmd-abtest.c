/* abtest props|means, power props|means, srm: experiment statistics from
 * per-arm summaries typed on the command line. The first arm is the
 * control; differences are each later arm minus the first. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "abtest.h"
#include "cancel.h"
#include "command.h"
#include "xmalloc.h"

#define CMD_ABTEST_MAX_ARMS 64
/* The exact k-arm test only when cheap: at most this many steps (tables
 * and partial tables visited), a fraction of a second. */
#define CMD_ABTEST_FISHER_STEPS 2e7

static const char *const cmd_abtest_keys[] = { "x", "n", "mean", "sd", "alpha", "welch",
	NULL };
static const char *const cmd_power_keys[] = { "p1", "p2", "delta", "sd", "alpha", "power",
	"sided", "daily", "arms", "n", NULL };
static const char *const cmd_srm_keys[] = { "n", "alloc", NULL };

/* Parses one number; the message names the argument as typed. */
static int cmd_abtest_number(const char *key, const char *value, const char *word,
    size_t len, double *out, char **cause)
{
	char *s = xstrndup(word, len), *end;

	errno = 0;
	*out = strtod(s, &end);
	if (len == 0 || *end != '\0' || errno == ERANGE || !isfinite(*out)) {
		*cause = xasprintf("%s=%s: '%s' is not a number", key, value, s);
		free(s);
		return -1;
	}
	free(s);
	return 0;
}

/* Parses a comma-separated list of numbers into v (up to max). */
static int cmd_abtest_list(const struct cmd_args *args, const char *key, double *v,
    size_t max, size_t *n, char **cause)
{
	const char *value = cmd_arg(args, key, NULL), *p, *comma;

	*n = 0;
	if (value == NULL) {
		*cause = xasprintf("give %s=V1,V2,...", key);
		return -1;
	}
	for (p = value;; p = comma + 1) {
		comma = strchr(p, ',');
		if (*n == max) {
			*cause = xasprintf("%s=%s: at most %zu arms", key, value, max);
			return -1;
		}
		if (cmd_abtest_number(key, value, p, comma ? (size_t)(comma - p) : strlen(p),
		    &v[(*n)++], cause) != 0)
			return -1;
		if (comma == NULL)
			return 0;
	}
}

/* An optional single number, with a default and a range check. */
static int cmd_abtest_scalar(const struct cmd_args *args, const char *key, double def,
    double lo, double hi, double *out, char **cause)
{
	const char *value = cmd_arg(args, key, NULL);

	*out = def;
	if (value == NULL)
		return 0;
	if (cmd_abtest_number(key, value, value, strlen(value), out, cause) != 0)
		return -1;
	if (!(*out > lo && *out < hi)) {
		*cause = isinf(hi) ? xasprintf("%s=%s: give a number above %g", key, value, lo) :
		    xasprintf("%s=%s: give a number between %g and %g", key, value, lo, hi);
		return -1;
	}
	return 0;
}

static int cmd_abtest_arity(const char *a, size_t na, const char *b, size_t nb,
    char **cause)
{
	if (na != nb) {
		*cause = xasprintf("%s= has %zu arms but %s= has %zu", a, na, b, nb);
		return -1;
	}
	if (na < 2) {
		*cause = xasprintf("give at least 2 arms (control first)");
		return -1;
	}
	return 0;
}

static void cmd_abtest_pair(cJSON *obj, const char *key, const double *v)
{
	double pair[2] = { v[0], v[1] };

	cJSON_AddItemToObject(obj, key, cJSON_CreateDoubleArray(pair, 2));
}

static void cmd_abtest_lift(cJSON *obj, int defined, double lift, const double *ci)
{
	if (!defined) {
		cJSON_AddNullToObject(obj, "lift");
		cJSON_AddNullToObject(obj, "lift_ci");
		return;
	}
	cJSON_AddNumberToObject(obj, "lift", lift);
	cmd_abtest_pair(obj, "lift_ci", ci);
}

/* Says in the result that Fisher's exact test was skipped, and why: the
 * other tests stand. */
static void cmd_abtest_skipped(cJSON *obj, const char *why)
{
	cJSON *skipped = cJSON_AddObjectToObject(obj, "skipped");

	cJSON_AddStringToObject(skipped, "fisher", why);
}

/* One treatment against control, for proportions. */
static int cmd_abtest_props_pair(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    double alpha, int fisher, cJSON *obj, char **cause)
{
	struct abtest_props_result r;
	struct abtest_beta_result b;

	if (abtest_two_props(ctl, trt, alpha, &r, cause) != 0 ||
	    abtest_beta_binomial(ctl, trt, 1, 1, alpha, &b, cause) != 0)
		return -1;
	cJSON_AddNumberToObject(obj, "z", r.z);
	cJSON_AddNumberToObject(obj, "p_value_z", r.p_value_z);
	if (fisher) {
		cJSON_AddNumberToObject(obj, "chi2", r.chi2);
		cJSON_AddNumberToObject(obj, "p_value_chi2", r.p_value_chi2);
	}
	cJSON_AddNumberToObject(obj, "p_value_chi2_yates", r.p_value_chi2_yates);
	if (fisher && r.fisher_skipped == NULL)
		cJSON_AddNumberToObject(obj, "p_value_fisher", r.p_value_fisher);
	if (fisher && r.fisher_skipped != NULL)
		cmd_abtest_skipped(obj, r.fisher_skipped);
	cJSON_AddNumberToObject(obj, "diff", r.diff);
	cmd_abtest_pair(obj, "diff_ci", r.diff_ci);
	cmd_abtest_lift(obj, r.lift_defined, r.lift, r.lift_ci);
	cJSON_AddNumberToObject(obj, "prob_beat_control", b.prob_beat);
	return 0;
}

/* One treatment against control, for means. */
static int cmd_abtest_means_pair(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    double alpha, cJSON *obj, char **cause)
{
	struct abtest_means_result r;

	if (abtest_welch(ctl, trt, alpha, &r, cause) != 0)
		return -1;
	cJSON_AddNumberToObject(obj, "t", r.t);
	cJSON_AddNumberToObject(obj, "df", r.df);
	cJSON_AddNumberToObject(obj, "p_value", r.p_value);
	cJSON_AddNumberToObject(obj, "diff", r.diff);
	cmd_abtest_pair(obj, "diff_ci", r.diff_ci);
	cmd_abtest_lift(obj, r.lift_defined, r.lift, r.lift_ci);
	return 0;
}

/* Adds a message to the result's notes: what is undefined, and why. */
static void cmd_abtest_note(cJSON *result, const char *what, size_t arm, const char *why)
{
	cJSON *notes = cJSON_GetObjectItem(result, "notes");
	char *s = arm ? xasprintf("arm %zu: no %s (%s)", arm, what, why) :
	    xasprintf("no %s (%s)", what, why);

	if (notes == NULL)
		notes = cJSON_AddArrayToObject(result, "notes");
	cJSON_AddItemToArray(notes, cJSON_CreateString(s));
	free(s);
}

static void cmd_abtest_nulls(cJSON *obj, const char *const *keys)
{
	for (size_t i = 0; keys[i] != NULL; i++)
		cJSON_AddNullToObject(obj, keys[i]);
}

/* A comparison of means that the data leave undefined (two arms with sd
 * 0): its difference, null statistics, and a note. */
static void cmd_abtest_means_undefined(const struct abtest_arm *ctl,
    const struct abtest_arm *trt, size_t arm, cJSON *c, cJSON *result, char *why)
{
	static const char *const keys[] = { "t", "df", "p_value", "p_value_holm", NULL };

	cmd_abtest_nulls(c, keys);
	cJSON_AddNumberToObject(c, "diff", abtest_arm_diff(ctl, trt));
	cmd_abtest_note(result, "t-test", arm, why);
	free(why);
}

/* Each later arm against the first, with Holm-adjusted p-values over the
 * comparisons that are defined; *defined counts them. */
static int cmd_abtest_comparisons(const struct abtest_arm *arms, size_t k, int props,
    double alpha, cJSON *result, size_t *defined, char **cause)
{
	cJSON *list = cJSON_AddArrayToObject(result, "comparisons"), *c;
	const char *pkey = props ? "p_value_z" : "p_value";
	double p[CMD_ABTEST_MAX_ARMS];
	size_t at[CMD_ABTEST_MAX_ARMS], m = 0;
	char *why = NULL;

	for (size_t i = 1; i < k; i++) {
		c = cJSON_CreateObject();
		cJSON_AddItemToArray(list, c);
		cJSON_AddNumberToObject(c, "arm", (double)(i + 1));
		if (props && cmd_abtest_props_pair(&arms[0], &arms[i], alpha, 0, c, cause) != 0)
			return -1;
		if (!props && cmd_abtest_means_pair(&arms[0], &arms[i], alpha, c, &why) != 0) {
			cmd_abtest_means_undefined(&arms[0], &arms[i], i + 1, c, result, why);
			continue;
		}
		p[m] = cJSON_GetObjectItem(c, pkey)->valuedouble;
		at[m++] = i - 1;
	}
	if (abtest_p_adjust(p, m, ABTEST_ADJUST_HOLM, p, cause) != 0)
		return -1;
	for (size_t i = 0; i < m; i++)
		cJSON_AddNumberToObject(cJSON_GetArrayItem(list, (int)at[i]), "p_value_holm", p[i]);
	*defined = m;
	return 0;
}

static int cmd_abtest_props(const struct cmd_args *args, double alpha,
    const atomic_bool *cancel, cJSON *result, char **cause)
{
	double x[CMD_ABTEST_MAX_ARMS], n[CMD_ABTEST_MAX_ARMS], p;
	struct abtest_arm arms[CMD_ABTEST_MAX_ARMS];
	struct abtest_karm_result chi;
	char *why = NULL;
	size_t nx, nn;

	if (cmd_abtest_list(args, "x", x, CMD_ABTEST_MAX_ARMS, &nx, cause) != 0 ||
	    cmd_abtest_list(args, "n", n, CMD_ABTEST_MAX_ARMS, &nn, cause) != 0 ||
	    cmd_abtest_arity("x", nx, "n", nn, cause) != 0)
		return CMD_USAGE;
	for (size_t i = 0; i < nx; i++) {
		if (!(n[i] >= 1) || !(x[i] >= 0) || x[i] > n[i] || floor(x[i]) != x[i] ||
		    floor(n[i]) != n[i]) {
			*cause = xasprintf("arm %zu: give whole numbers with 0 <= x <= n and "
			    "n >= 1", i + 1);
			return CMD_USAGE;
		}
		abtest_arm_from_counts(&arms[i], x[i], n[i]);
	}
	if (nx == 2)
		return cmd_abtest_props_pair(&arms[0], &arms[1], alpha, 1, result, cause);
	if (abtest_props_chi2(arms, nx, &chi, cause) != 0)
		return -1;
	cJSON_AddNumberToObject(result, "chi2", chi.stat);
	cJSON_AddNumberToObject(result, "df", chi.df1);
	cJSON_AddNumberToObject(result, "p_value_chi2", chi.p_value);
	/* The exact k-arm test is reported only when its tables are few. */
	if (abtest_fisher_k(arms, nx, CMD_ABTEST_FISHER_STEPS, cancel, &p, &why) == 0)
		cJSON_AddNumberToObject(result, "p_value_fisher", p);
	else if (cancel_requested(cancel)) {
		*cause = why;
		return -1;
	} else
		cmd_abtest_skipped(result, why);
	free(why);
	return cmd_abtest_comparisons(arms, nx, 1, alpha, result, &nn, cause);
}

/* The F test across k arms (welch: Welch's); a note when undefined. */
static int cmd_abtest_f(const struct abtest_arm *arms, size_t k, int welch, cJSON *result,
    char **cause)
{
	static const char *const keys[] = { "f", "df1", "df2", "p_value", NULL };
	struct abtest_karm_result f;

	cJSON_AddStringToObject(result, "f_test", welch ? "Welch" : "equal variances");
	if ((welch ? abtest_anova_welch(arms, k, &f, cause) : abtest_anova(arms, k, &f,
	    cause)) != 0) {
		cmd_abtest_nulls(result, keys);
		return -1;
	}
	cJSON_AddNumberToObject(result, "f", f.stat);
	cJSON_AddNumberToObject(result, "df1", f.df1);
	cJSON_AddNumberToObject(result, "df2", f.df2);
	cJSON_AddNumberToObject(result, "p_value", f.p_value);
	return 0;
}

static int cmd_abtest_means(const struct cmd_args *args, double alpha, cJSON *result,
    char **cause)
{
	double n[CMD_ABTEST_MAX_ARMS], m[CMD_ABTEST_MAX_ARMS], sd[CMD_ABTEST_MAX_ARMS];
	struct abtest_arm arms[CMD_ABTEST_MAX_ARMS];
	size_t nn, nm, ns, defined;
	char *why = NULL;
	bool welch = false;
	int f_ok;

	if (cmd_abtest_list(args, "n", n, CMD_ABTEST_MAX_ARMS, &nn, cause) != 0 ||
	    cmd_abtest_list(args, "mean", m, CMD_ABTEST_MAX_ARMS, &nm, cause) != 0 ||
	    cmd_abtest_list(args, "sd", sd, CMD_ABTEST_MAX_ARMS, &ns, cause) != 0 ||
	    cmd_abtest_arity("n", nn, "mean", nm, cause) != 0 ||
	    cmd_abtest_arity("n", nn, "sd", ns, cause) != 0 ||
	    cmd_arg_yes(args, "welch", &welch, cause) != 0)
		return CMD_USAGE;
	for (size_t i = 0; i < nn; i++) {
		if (!(n[i] >= 2) || !(sd[i] >= 0)) {
			*cause = xasprintf("every arm needs n of at least 2 and sd of 0 or more");
			return CMD_USAGE;
		}
		abtest_arm_from_moments(&arms[i], n[i], m[i], sd[i]);
	}
	if (nn == 2)
		return cmd_abtest_means_pair(&arms[0], &arms[1], alpha, result, cause);
	f_ok = cmd_abtest_f(arms, nn, welch, result, &why) == 0;
	if (cmd_abtest_comparisons(arms, nn, 0, alpha, result, &defined, cause) != 0) {
		free(why);
		return -1;
	}
	/* Nothing defined at all: the command fails, as R's tests would. */
	if (!f_ok && defined == 0) {
		*cause = why;
		return -1;
	}
	if (!f_ok)
		cmd_abtest_note(result, welch ? "Welch F test" : "F test", 0, why);
	free(why);
	return 0;
}

static int cmd_abtest_exec(struct cmd_ctx *ctx, const struct cmd_args *args,
    cJSON **result, char **cause)
{
	const char *what = args->pos[0];
	double alpha;
	int rc;

	if (strcmp(what, "props") != 0 && strcmp(what, "means") != 0) {
		*cause = xasprintf("'%s': give props or means", what);
		return CMD_USAGE;
	}
	if (cmd_abtest_scalar(args, "alpha", 0.05, 0, 1, &alpha, cause) != 0)
		return CMD_USAGE;
	*result = cJSON_CreateObject();
	cJSON_AddStringToObject(*result, "test", what);
	rc = what[0] == 'p' ? cmd_abtest_props(args, alpha, ctx->cancel, *result, cause) :
	    cmd_abtest_means(args, alpha, *result, cause);
	return rc;
}

static int cmd_power_days(const struct cmd_args *args, double n, cJSON *result,
    char **cause)
{
	double daily, arms, days;

	if (cmd_arg(args, "daily", NULL) == NULL)
		return 0;
	if (cmd_abtest_scalar(args, "daily", 0, 0, INFINITY, &daily, cause) != 0 ||
	    cmd_abtest_scalar(args, "arms", 2, 1, 1e6, &arms, cause) != 0)
		return CMD_USAGE;
	if (abtest_power_days(n, (size_t)arms, daily, &days, cause) != 0)
		return -1;
	cJSON_AddNumberToObject(result, "days", days);
	return 0;
}

/* With n= instead of p2= or delta=: the smallest absolute difference
 * detectable with n users per arm. */
static int cmd_power_mde(const struct cmd_args *args, int props, double alpha, double power,
    double sided, cJSON **result, char **cause)
{
	double n, base, mde;

	if (cmd_abtest_scalar(args, "n", NAN, 0, INFINITY, &n, cause) != 0 ||
	    cmd_abtest_scalar(args, props ? "p1" : "sd", NAN, 0, props ? 1 : INFINITY, &base,
	    cause) != 0)
		return CMD_USAGE;
	if (isnan(base)) {
		*cause = xasprintf(props ? "give p1=RATE n=USERS_PER_ARM" : "give sd=SD n=USERS_PER_ARM");
		return CMD_USAGE;
	}
	if ((props ? abtest_power_props_mde(base, n, alpha, power, sided == 1, &mde, cause) :
	    abtest_power_means_mde(n, base, alpha, power, sided == 1, &mde, cause)) != 0)
		return -1;
	*result = cJSON_CreateObject();
	cJSON_AddNumberToObject(*result, "n_per_arm", n);
	cJSON_AddNumberToObject(*result, "mde", mde);
	if (props) {
		cJSON_AddNumberToObject(*result, "p2", base + mde);
		cJSON_AddNumberToObject(*result, "mde_relative", mde / base);
	}
	return cmd_power_days(args, n, *result, cause);
}

static int cmd_power_exec(struct cmd_ctx *ctx, const struct cmd_args *args,
    cJSON **result, char **cause)
{
	const char *what = args->pos[0];
	struct abtest_power_n pn;
	double alpha, power, sided, a, b;
	int props = strcmp(what, "props") == 0, rc;

	(void)ctx;
	if (!props && strcmp(what, "means") != 0) {
		*cause = xasprintf("'%s': give props or means", what);
		return CMD_USAGE;
	}
	if (cmd_abtest_scalar(args, "alpha", 0.05, 0, 1, &alpha, cause) != 0 ||
	    cmd_abtest_scalar(args, "power", 0.8, 0, 1, &power, cause) != 0 ||
	    cmd_abtest_scalar(args, "sided", 2, -INFINITY, INFINITY, &sided, cause) != 0 ||
	    cmd_abtest_scalar(args, props ? "p1" : "delta", NAN, props ? 0 : -INFINITY,
	    props ? 1 : INFINITY, &a, cause) != 0 ||
	    cmd_abtest_scalar(args, props ? "p2" : "sd", NAN, 0, props ? 1 : INFINITY, &b,
	    cause) != 0)
		return CMD_USAGE;
	if (sided != 1 && sided != 2) {
		*cause = xasprintf("sided=%s: give 1 or 2", cmd_arg(args, "sided", ""));
		return CMD_USAGE;
	}
	if (cmd_arg(args, "n", NULL) != NULL && cmd_arg(args, props ? "p2" : "delta", NULL) == NULL)
		return cmd_power_mde(args, props, alpha, power, sided, result, cause);
	if (isnan(a) || isnan(b)) {
		*cause = xasprintf(props ? "give p1=RATE p2=RATE [alpha=] [power=] [sided=1|2]" :
		    "give delta=DIFF sd=SD [alpha=] [power=] [sided=1|2]");
		return CMD_USAGE;
	}
	if ((props ? abtest_power_props_n(a, b, alpha, power, sided == 1, &pn, cause) :
	    abtest_power_means_n(a, b, alpha, power, sided == 1, &pn, cause)) != 0)
		return -1;
	*result = cJSON_CreateObject();
	cJSON_AddNumberToObject(*result, "n_per_arm_r", pn.n_r);
	cJSON_AddNumberToObject(*result, props ? "n_per_arm_evanmiller" : "n_per_arm_normal",
	    pn.n_evanmiller);
	cJSON_AddNumberToObject(*result, "n_per_arm", pn.n_r_ceiling);
	rc = cmd_power_days(args, pn.n_r_ceiling, *result, cause);
	return rc;
}

static int cmd_srm_exec(struct cmd_ctx *ctx, const struct cmd_args *args,
    cJSON **result, char **cause)
{
	double n[CMD_ABTEST_MAX_ARMS], w[CMD_ABTEST_MAX_ARMS];
	struct abtest_srm_result r;
	size_t nn, nw = 0;

	(void)ctx;
	if (cmd_abtest_list(args, "n", n, CMD_ABTEST_MAX_ARMS, &nn, cause) != 0 ||
	    (cmd_arg(args, "alloc", NULL) != NULL &&
	    (cmd_abtest_list(args, "alloc", w, CMD_ABTEST_MAX_ARMS, &nw, cause) != 0 ||
	    cmd_abtest_arity("n", nn, "alloc", nw, cause) != 0)) ||
	    cmd_abtest_arity("n", nn, "n", nn, cause) != 0)
		return CMD_USAGE;
	if (abtest_srm(n, nw ? w : NULL, nn, &r, cause) != 0)
		return CMD_USAGE;
	*result = cJSON_CreateObject();
	cJSON_AddNumberToObject(*result, "chi2", r.chi2);
	cJSON_AddNumberToObject(*result, "df", r.df);
	cJSON_AddNumberToObject(*result, "p_value", r.p_value);
	cJSON_AddStringToObject(*result, "verdict", r.verdict_name);
	return 0;
}

const struct cmd_entry cmd_abtest_entry = {
	.name = "abtest",
	.usage = "props x=X1,X2[,...] n=N1,N2[,...] [alpha=A] | "
	    "means n=N1,N2[,...] mean=M1,M2[,...] sd=S1,S2[,...] [alpha=A] [welch=yes]",
	.help = "compare arms (control first): conversions or means; more arms add the "
	    "equal-variance F test (welch=yes: Welch's) and Holm-adjusted comparisons, "
	    "undefined ones marked in notes; no conversions at all: z 0, p 1",
	.min_pos = 1, .max_pos = 1,
	.keys = cmd_abtest_keys,
	.exec = cmd_abtest_exec,
};

const struct cmd_entry cmd_power_entry = {
	.name = "power",
	.usage = "props p1=P p2=P | props p1=P n=N | means delta=D sd=S | means sd=S n=N "
	    "[alpha=A] [power=B] [sided=1|2] [daily=N [arms=K]]",
	.help = "sample size per arm (R's power.prop.test / power.t.test)",
	.min_pos = 1, .max_pos = 1,
	.keys = cmd_power_keys,
	.exec = cmd_power_exec,
};

const struct cmd_entry cmd_srm_entry = {
	.name = "srm",
	.usage = "n=N1,N2[,...] [alloc=W1,W2[,...]]",
	.help = "sample-ratio mismatch check against an allocation (equal by default)",
	.min_pos = 0, .max_pos = 0,
	.keys = cmd_srm_keys,
	.exec = cmd_srm_exec,
};
