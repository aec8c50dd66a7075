/* test NAME [by=COL]: the statistics of a campaign. Each treatment arm is
 * compared with the control: a binary metric by the two-proportion z-test
 * (with chi-square, Yates and Fisher beside it), a mean by Welch's t, a
 * ratio (ctr) by Welch's t on the delta-method linearisation; Bayesian
 * chance to beat control and expected loss; an always-valid confidence
 * sequence; SRM against the allocation; CUPED and non-inferiority when the
 * campaign asks for them. A quantity the data cannot give (a t-test with one
 * user in an arm) is left out of its object and "notes" says why. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abtest.h"
#include "campaign.h"
#include "command.h"
#include "numfmt.h"
#include "xmalloc.h"

static const char *const cmd_test_keys[] = { "by", NULL };

/* One analysis: the whole campaign or one by= group. */
struct cmd_test {
	const struct campaign *c;
	const struct campaign_stats *s;
	const struct campaign_cell *cells;      /* n_arms */
	char words[128];                        /* the metric in words */
	cJSON *notes;
};

static void cmd_test_note(struct cmd_test *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void cmd_test_note(struct cmd_test *t, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	cJSON_AddItemToArray(t->notes, cJSON_CreateString(s));
	free(s);
}

static void cmd_test_pair(cJSON *obj, const char *key, const double *v)
{
	double pair[2] = { v[0], v[1] };

	cJSON_AddItemToObject(obj, key, cJSON_CreateDoubleArray(pair, 2));
}

/* The engine's arm for a cell: counts, sums, or the delta-method
 * linearisation of a ratio (mean R, per-user sd such that sd^2 / n is the
 * variance of R). */
static int cmd_test_arm(const struct cmd_test *t, const struct campaign_cell *c,
    struct abtest_arm *arm, char **cause)
{
	const struct abtest_cov_arm *m = &c->mom;
	double n = c->n, r, xbar, syy, sxx, sxy, v;

	if (t->s->binary) {
		abtest_arm_from_counts(arm, c->sum, n);
		return 0;
	}
	if (!t->s->ratio) {
		*arm = (struct abtest_arm){ m->n, m->sum, m->sumsq, m->shift };
		return 0;
	}
	if (n < 2 || c->xsum == 0) {
		*cause = xasprintf(n < 2 ? "the delta method needs at least 2 users in an arm" :
		    "an arm has no views");
		return -1;
	}
	r = c->sum / c->xsum;
	xbar = c->xsum / n;
	syy = (m->sumsq - m->sum * m->sum / n) / (n - 1);
	sxx = (m->xsumsq - m->xsum * m->xsum / n) / (n - 1);
	sxy = (m->xysum - m->xsum * m->sum / n) / (n - 1);
	v = syy - 2 * r * sxy + r * r * sxx;
	abtest_arm_from_moments(arm, n, r, sqrt(v > 0 ? v : 0) / xbar);
	return 0;
}

static void cmd_test_arm_json(struct cmd_test *t, const char *name,
    const struct campaign_cell *c, cJSON *list)
{
	cJSON *o = cJSON_CreateObject();
	struct abtest_arm arm;
	double var, mean;
	char *why = NULL;

	cJSON_AddItemToArray(list, o);
	cJSON_AddStringToObject(o, "arm", name);
	cJSON_AddNumberToObject(o, "users", c->n);
	cJSON_AddNumberToObject(o, "conversions", c->converters);
	if (t->s->ratio) {
		cJSON_AddNumberToObject(o, "views", c->xsum);
		cJSON_AddNumberToObject(o, "clicks", c->sum);
	}
	if (c->n == 0 || (t->s->ratio && c->xsum == 0)) {
		cmd_test_note(t, "arm '%s': no users%s", name, t->s->ratio ? " or views" : "");
		return;
	}
	mean = t->s->ratio ? c->sum / c->xsum : t->s->binary ? c->sum / c->n :
	    c->mom.shift + c->mom.sum / c->n;
	cJSON_AddNumberToObject(o, "rate", t->s->ratio || t->s->binary ? mean :
	    c->converters / c->n);
	cJSON_AddNumberToObject(o, "mean", mean);
	if (t->s->binary) {
		cJSON_AddNumberToObject(o, "sd", sqrt(mean * (1 - mean)));
		return;
	}
	if (cmd_test_arm(t, c, &arm, &why) != 0 || abtest_arm_var(&arm, &var, &why) != 0) {
		cmd_test_note(t, "arm '%s': no sd (%s)", name, why);
		free(why);
		return;
	}
	cJSON_AddNumberToObject(o, "sd", sqrt(var));
}

/* Adds the lift, or a note when the control is 0. */
static void cmd_test_lift(struct cmd_test *t, const char *name, cJSON *o, int defined,
    double lift, const double *ci)
{
	if (!defined) {
		cmd_test_note(t, "%s: no lift (the control %s is 0)", name,
		    t->s->binary ? "rate" : "mean");
		return;
	}
	cJSON_AddNumberToObject(o, "lift", lift);
	cmd_test_pair(o, "lift_ci", ci);
}

static int cmd_test_props(struct cmd_test *t, const char *name, const struct abtest_arm *ctl,
    const struct abtest_arm *trt, cJSON *o, double *p, char **cause)
{
	struct abtest_props_result r;
	struct abtest_beta_result b;

	if (abtest_two_props(ctl, trt, t->c->alpha, &r, cause) != 0 ||
	    abtest_beta_binomial(ctl, trt, 1, 1, t->c->alpha, &b, cause) != 0)
		return -1;
	cJSON_AddNumberToObject(o, "diff", r.diff);
	cmd_test_pair(o, "diff_ci", r.diff_ci);
	cmd_test_lift(t, name, o, r.lift_defined, r.lift, r.lift_ci);
	cJSON_AddNumberToObject(o, "p_value", r.p_value_z);
	cJSON_AddStringToObject(o, "test", r.test);
	cJSON_AddNumberToObject(o, "z", r.z);
	cJSON_AddNumberToObject(o, "p_value_z", r.p_value_z);
	cJSON_AddNumberToObject(o, "p_value_chi2_yates", r.p_value_chi2_yates);
	cJSON_AddNumberToObject(o, "p_value_fisher", r.p_value_fisher);
	cJSON_AddNumberToObject(o, "prob_beat_control", b.prob_beat);
	cJSON_AddNumberToObject(o, "expected_loss", b.loss_trt);
	*p = r.p_value_z;
	return 0;
}

static int cmd_test_means(struct cmd_test *t, const char *name, const struct abtest_arm *ctl,
    const struct abtest_arm *trt, cJSON *o, double *p)
{
	struct abtest_means_result r;
	struct abtest_gauss_result g;
	struct abtest_gauss_prior flat = { 0, 0, 0 };
	char *why = NULL;

	cJSON_AddNumberToObject(o, "diff", abtest_arm_diff(ctl, trt));
	if (abtest_welch(ctl, trt, t->c->alpha, &r, &why) != 0) {
		cmd_test_note(t, "%s: no t-test (%s)", name, why);
		free(why);
		return 0;
	}
	cmd_test_pair(o, "diff_ci", r.diff_ci);
	cmd_test_lift(t, name, o, r.lift_defined, r.lift, r.lift_ci);
	cJSON_AddNumberToObject(o, "p_value", r.p_value);
	cJSON_AddStringToObject(o, "test", t->s->ratio ?
	    "Welch two-sample t-test, delta method" : r.test);
	cJSON_AddNumberToObject(o, "t", r.t);
	cJSON_AddNumberToObject(o, "df", r.df);
	*p = r.p_value;
	if (abtest_gauss_bayes(ctl, trt, ABTEST_MEAN, 0, &flat, t->c->alpha, &g, &why) != 0) {
		cmd_test_note(t, "%s: no Bayesian result (%s)", name, why);
		free(why);
		return 0;
	}
	cJSON_AddNumberToObject(o, "prob_beat_control", g.chance_to_win);
	cJSON_AddNumberToObject(o, "expected_loss", g.risk_trt);
	return 0;
}

static void cmd_test_seq(struct cmd_test *t, const char *name, const struct abtest_arm *ctl,
    const struct abtest_arm *trt, cJSON *o)
{
	struct abtest_ttest_result r;
	char *why = NULL;

	if (abtest_seq_ttest(ctl, trt, t->s->binary ? ABTEST_PROPORTION : ABTEST_MEAN, 0,
	    t->c->alpha, t->c->nstar, &r, &why) != 0) {
		cmd_test_note(t, "%s: no sequential result (%s)", name, why);
		free(why);
		return;
	}
	/* A difference of rates lies in [-1, 1], as diff_ci does. */
	if (t->s->binary) {
		r.ci[0] = fmax(r.ci[0], -1);
		r.ci[1] = fmin(r.ci[1], 1);
	}
	cJSON_AddNumberToObject(o, "seq_p_value", r.p_value);
	cmd_test_pair(o, "seq_ci", r.ci);
}

static void cmd_test_noninf(struct cmd_test *t, const char *name,
    const struct abtest_arm *ctl, const struct abtest_arm *trt, cJSON *o)
{
	struct abtest_noninf_result r;
	cJSON *n;
	char *why = NULL;
	int rc;

	if (!t->c->has_margin)
		return;
	rc = t->s->binary ? abtest_noninf_props(ctl, trt, t->c->margin, t->c->alpha, &r, &why) :
	    abtest_noninf_means(ctl, trt, t->c->margin, t->c->alpha, &r, &why);
	if (rc != 0) {
		cmd_test_note(t, "%s: no non-inferiority test (%s)", name, why);
		free(why);
		return;
	}
	n = cJSON_AddObjectToObject(o, "noninferiority");
	cJSON_AddNumberToObject(n, "margin", t->c->margin);
	cJSON_AddNumberToObject(n, "lower", r.lower);
	cJSON_AddNumberToObject(n, "p_value", r.p_value);
	cJSON_AddBoolToObject(n, "non_inferior", r.non_inferior);
}

static void cmd_test_cov_arm(const struct campaign_cell *c, struct abtest_cov_arm *a)
{
	*a = c->mom;
}

static void cmd_test_cuped(struct cmd_test *t, const char *name,
    const struct campaign_cell *ctl, const struct campaign_cell *trt, cJSON *o)
{
	struct abtest_cov_arm a, b;
	struct abtest_cuped_result r;
	cJSON *cu;
	char *why = NULL;

	if (!t->s->covariate)
		return;
	cmd_test_cov_arm(ctl, &a);
	cmd_test_cov_arm(trt, &b);
	if (abtest_cuped(&a, &b, t->c->alpha, &r, &why) != 0) {
		cmd_test_note(t, "%s: no CUPED result (%s)", name, why);
		free(why);
		return;
	}
	cu = cJSON_AddObjectToObject(o, "cuped");
	cJSON_AddNumberToObject(cu, "theta", r.theta);
	cJSON_AddNumberToObject(cu, "variance_reduction", r.var_reduction);
	cJSON_AddNumberToObject(cu, "diff", r.means.diff);
	cmd_test_pair(cu, "diff_ci", r.means.diff_ci);
	cJSON_AddNumberToObject(cu, "p_value", r.means.p_value);
}

/* One treatment against the control; *p is its p-value, or NAN. */
static int cmd_test_compare(struct cmd_test *t, size_t i, cJSON *o, double *p, char **cause)
{
	const char *name = t->s->arms[i];
	struct abtest_arm ctl, trt;
	char *why = NULL;

	*p = NAN;
	cJSON_AddStringToObject(o, "arm", name);
	cJSON_AddStringToObject(o, "control", t->s->arms[0]);
	if (t->cells[0].n == 0 || t->cells[i].n == 0) {
		cmd_test_note(t, "%s: no comparison (no users in arm '%s')", name,
		    t->cells[0].n == 0 ? t->s->arms[0] : name);
		return 0;
	}
	if (cmd_test_arm(t, &t->cells[0], &ctl, &why) != 0 ||
	    cmd_test_arm(t, &t->cells[i], &trt, &why) != 0) {
		cmd_test_note(t, "%s: no comparison (%s)", name, why);
		free(why);
		return 0;
	}
	if (t->s->binary ? cmd_test_props(t, name, &ctl, &trt, o, p, cause) != 0 :
	    cmd_test_means(t, name, &ctl, &trt, o, p) != 0)
		return -1;
	cmd_test_seq(t, name, &ctl, &trt, o);
	cmd_test_noninf(t, name, &ctl, &trt, o);
	cmd_test_cuped(t, name, &t->cells[0], &t->cells[i], o);
	return 0;
}

static void cmd_test_srm(struct cmd_test *t, cJSON *obj, struct abtest_srm_result *r)
{
	double *n = xmalloc(t->s->n_arms * sizeof *n);
	char *why = NULL;
	cJSON *o;

	for (size_t i = 0; i < t->s->n_arms; i++)
		n[i] = t->cells[i].n;
	if (abtest_srm(n, t->c->alloc, t->s->n_arms, r, &why) != 0) {
		cmd_test_note(t, "srm: %s", why);
		r->verdict = ABTEST_SRM_OK;
		free(why);
		free(n);
		return;
	}
	free(n);
	o = cJSON_AddObjectToObject(obj, "srm");
	cJSON_AddNumberToObject(o, "chi2", r->chi2);
	cJSON_AddNumberToObject(o, "p_value", r->p_value);
	cJSON_AddStringToObject(o, "verdict", r->verdict_name);
}

/* A difference in words: percentage points for rates, else the metric's
 * units. */
static void cmd_test_amount(const struct cmd_test *t, double v, bool sign, int digits,
    char *buf, size_t size)
{
	bool pp = t->s->binary || t->s->ratio;

	char num[NUMFMT_SIZE];

	if (pp)
		snprintf(buf, size, sign ? "%+.*f pp" : "%.*f", digits, v * 100);
	else
		snprintf(buf, size, "%s%s", sign && v >= 0 ? "+" : "", numfmt_sig(v, 3, num));
}

/* "p = 0.96", or "p < 0.001" below numfmt's floor. */
static const char *cmd_test_p(double p, char *buf, size_t size)
{
	char num[NUMFMT_SIZE];

	numfmt_format(p, NUMFMT_P, num);
	snprintf(buf, size, "p %s%s", num[0] == '<' ? "" : "= ", num);
	return buf;
}

static double cmd_test_number(cJSON *o, const char *key, int index)
{
	cJSON *v = cJSON_GetObjectItem(o, key);

	if (index >= 0)
		v = cJSON_GetArrayItem(v, index);
	return v ? v->valuedouble : NAN;
}

/* The plain-words verdict of one comparison. */
static char *cmd_test_verdict_one(const struct cmd_test *t, cJSON *o)
{
	const char *arm = t->s->arms[0], *name = cJSON_GetObjectItem(o, "arm")->valuestring;
	double padj = cmd_test_number(o, "p_adjusted", -1), diff = cmd_test_number(o, "diff", -1);
	char d[64], lo[64], hi[64], p[64], level[NUMFMT_SIZE];
	double lo_v, hi_v, m;
	int digits;

	if (isnan(padj))
		return xasprintf("%s: cannot be tested against %s (see notes)", name, arm);
	if (!(padj < t->c->alpha))
		return xasprintf("%s: no significant difference from %s (%s)", name, arm,
		    cmd_test_p(padj, p, sizeof p));
	lo_v = cmd_test_number(o, "diff_ci", 0);
	hi_v = cmd_test_number(o, "diff_ci", 1);
	/* Two significant digits on the wider end of the interval, in points. */
	m = 100 * fmax(fabs(lo_v), fabs(hi_v));
	digits = m > 0 ? (int)fmin(6, fmax(1, 1 - floor(log10(m)))) : 1;
	cmd_test_amount(t, diff, true, digits, d, sizeof d);
	cmd_test_amount(t, lo_v, false, digits, lo, sizeof lo);
	cmd_test_amount(t, hi_v, false, digits, hi, sizeof hi);
	return xasprintf("%s %s %s on %s, %s (%s%% CI %s to %s), significant", name,
	    diff > 0 ? "beats" : "is worse than", arm, t->words, d,
	    numfmt_sig(100 * (1 - t->c->alpha), 3, level), lo, hi);
}

/* Verdicts per comparison and for the whole analysis. */
static void cmd_test_verdicts(struct cmd_test *t, cJSON *obj, cJSON *list,
    const struct abtest_srm_result *srm)
{
	size_t len = 1, n = (size_t)cJSON_GetArraySize(list);
	char **v = xcalloc(n + 2, sizeof *v), *all, p[64];

	for (size_t i = 0; i < n; i++) {
		v[i] = cmd_test_verdict_one(t, cJSON_GetArrayItem(list, (int)i));
		cJSON_AddStringToObject(cJSON_GetArrayItem(list, (int)i), "verdict", v[i]);
	}
	if (srm->verdict != ABTEST_SRM_OK)
		v[n++] = xasprintf("sample ratio mismatch (%s, %s): check the assignment "
		    "before trusting these results", srm->verdict_name,
		    cmd_test_p(srm->p_value, p, sizeof p));
	for (size_t i = 0; i < n; i++)
		len += strlen(v[i]) + 2;
	all = xcalloc(1, len);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			strcat(all, "; ");
		strcat(all, v[i]);
		free(v[i]);
	}
	cJSON_AddStringToObject(obj, "verdict", all);
	free(all);
	free(v);
}

/* Holm (or Benjamini-Hochberg) over the p-values that exist; NAN entries
 * stay out. */
static int cmd_test_adjust(const struct campaign *c, cJSON **objs, const double *p, size_t m,
    char **cause)
{
	double *q = xmalloc((m ? m : 1) * sizeof *q), *adj;
	size_t k = 0, j = 0;
	int rc = 0;

	for (size_t i = 0; i < m; i++) {
		if (!isnan(p[i]))
			q[k++] = p[i];
	}
	adj = xmalloc((k ? k : 1) * sizeof *adj);
	if (k > 0 && abtest_p_adjust(q, k, c->adjust_bh ? ABTEST_ADJUST_BH : ABTEST_ADJUST_HOLM,
	    adj, cause) != 0)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < m; i++) {
		if (!isnan(p[i]))
			cJSON_AddNumberToObject(objs[i], "p_adjusted", adj[j++]);
	}
	free(q);
	free(adj);
	return rc;
}

/* arms, comparisons and srm of one analysis into obj; the comparison
 * objects and their p-values are appended to objs / p for adjustment. */
static int cmd_test_analyse(struct cmd_test *t, cJSON *obj, cJSON **objs, double *p,
    size_t *m, struct abtest_srm_result *srm, char **cause)
{
	cJSON *arms = cJSON_AddArrayToObject(obj, "arms"), *list;

	for (size_t i = 0; i < t->s->n_arms; i++)
		cmd_test_arm_json(t, t->s->arms[i], &t->cells[i], arms);
	list = cJSON_AddArrayToObject(obj, "comparisons");
	for (size_t i = 1; i < t->s->n_arms; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddItemToArray(list, o);
		if (cmd_test_compare(t, i, o, &p[*m], cause) != 0)
			return -1;
		objs[(*m)++] = o;
	}
	cmd_test_srm(t, obj, srm);
	return 0;
}

static void cmd_test_finish(struct cmd_test *t, cJSON *obj, const struct abtest_srm_result *srm)
{
	cmd_test_verdicts(t, obj, cJSON_GetObjectItem(obj, "comparisons"), srm);
	if (cJSON_GetArraySize(t->notes) > 0)
		cJSON_AddItemToObject(obj, "notes", t->notes);
	else
		cJSON_Delete(t->notes);
	t->notes = NULL;
}

static const char *cmd_test_type(const struct campaign_stats *s)
{
	return s->binary ? "binary" : s->ratio ? "ratio" : "mean";
}

static void cmd_test_header(const struct campaign *c, const struct campaign_stats *s,
    cJSON *obj)
{
	cJSON *ex;

	cJSON_AddStringToObject(obj, "campaign", c->name);
	cJSON_AddStringToObject(obj, "metric", c->metric);
	cJSON_AddStringToObject(obj, "metric_type", cmd_test_type(s));
	cJSON_AddNumberToObject(obj, "alpha", c->alpha);
	cJSON_AddStringToObject(obj, "adjustment", c->adjust_bh ? "bh" : "holm");
	cJSON_AddNumberToObject(obj, "nstar", c->nstar);
	cJSON_AddNumberToObject(obj, "contaminated", (double)s->contaminated);
	if (s->capped) {
		cJSON *cap = cJSON_AddObjectToObject(obj, "cap");

		cJSON_AddNumberToObject(cap, "value", s->cap_value);
		cJSON_AddNumberToObject(cap, "capped", (double)s->n_capped);
	}
	if (c->aggregates != NULL)
		return;
	ex = cJSON_AddObjectToObject(obj, "excluded");
	cJSON_AddNumberToObject(ex, "outside_dates", (double)s->outside);
	cJSON_AddNumberToObject(ex, "not_targeted", (double)s->untargeted);
	cJSON_AddNumberToObject(ex, "too_recent", (double)s->too_recent);
	cJSON_AddNumberToObject(ex, "missing", (double)s->missing);
}

/* by=: the analysis per group, Holm across every group's comparisons. */
static int cmd_test_groups(struct cmd_test *base, const char *by, cJSON *result, char **cause)
{
	const struct campaign_stats *s = base->s;
	size_t cap = s->n_groups * s->n_arms + 1, m = 0;
	cJSON **objs = xcalloc(cap, sizeof *objs), *groups, *g;
	double *p = xcalloc(cap, sizeof *p);
	struct abtest_srm_result *srm = xcalloc(s->n_groups + 1, sizeof *srm);
	struct cmd_test *ts = xcalloc(s->n_groups + 1, sizeof *ts);
	int rc = 0;

	cJSON_AddStringToObject(result, "by", by);
	groups = cJSON_AddArrayToObject(result, "groups");
	for (size_t i = 0; i < s->n_groups && rc == 0; i++) {
		ts[i] = *base;
		ts[i].cells = &s->cells[i * s->n_arms];
		ts[i].notes = cJSON_CreateArray();
		g = cJSON_CreateObject();
		cJSON_AddItemToArray(groups, g);
		cJSON_AddStringToObject(g, "value", s->groups[i]);
		rc = cmd_test_analyse(&ts[i], g, objs, p, &m, &srm[i], cause);
	}
	if (rc == 0)
		rc = cmd_test_adjust(base->c, objs, p, m, cause);
	for (size_t i = 0; i < s->n_groups; i++) {
		if (rc == 0)
			cmd_test_finish(&ts[i], cJSON_GetArrayItem(groups, (int)i), &srm[i]);
		cJSON_Delete(ts[i].notes);
	}
	free(ts);
	free(srm);
	free(objs);
	free(p);
	return rc;
}

static int cmd_test_run(const struct campaign *c, const struct campaign_stats *s,
    const char *by, cJSON *result, char **cause)
{
	struct cmd_test t = { c, s, s->total, "", cJSON_CreateArray() };
	cJSON **objs = xcalloc(s->n_arms, sizeof *objs);
	double *p = xcalloc(s->n_arms, sizeof *p);
	struct abtest_srm_result srm;
	size_t m = 0;
	int rc;

	campaign_metric_words(c, t.words, sizeof t.words);
	cmd_test_header(c, s, result);
	rc = cmd_test_analyse(&t, result, objs, p, &m, &srm, cause);
	if (rc == 0)
		rc = cmd_test_adjust(c, objs, p, m, cause);
	if (rc == 0)
		cmd_test_finish(&t, result, &srm);
	cJSON_Delete(t.notes);
	free(objs);
	free(p);
	if (rc == 0 && by != NULL)
		rc = cmd_test_groups(&t, by, result, cause);
	return rc;
}

static int cmd_test_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	const struct campaign *c = campaigns_need(&ctx->campaigns, args->pos[0], cause);
	const char *by = cmd_arg(args, "by", NULL);
	struct campaign_stats s;
	int rc;

	if (c == NULL || campaign_stats_cancel(c, &ctx->ws, by, ctx->cancel, &s, cause) != 0)
		return -1;
	*result = cJSON_CreateObject();
	rc = cmd_test_run(c, &s, by, *result, cause);
	campaign_stats_done(&s);
	return rc;
}

const struct cmd_entry cmd_test_entry = {
	.name = "test",
	.usage = "CAMPAIGN [by=COL]",
	.help = "a campaign's results: every arm against the control, SRM, verdict; "
	    "by= repeats them per value of a column. No conversions at all: z 0, p 1; "
	    "lift intervals of rates use the normal quantile; CUPED's theta is pooled per "
	    "comparison",
	.min_pos = 1, .max_pos = 1,
	.keys = cmd_test_keys,
	.exec = cmd_test_exec,
};
