/* Experiment statistics from per-arm sufficient statistics.
 *
 * An arm is summarised by n, the sum and the sum of squares of its metric
 * taken about a reference value, shift: sum is the sum of y - shift and
 * sumsq that of (y - shift)^2. With shift near the mean the variance comes
 * without cancellation however far the values sit from zero (1e9 + N(0,1)
 * keeps every digit). An arm written as { n, sum, sumsq } has shift 0. For a
 * binary metric shift is 0, sum is the number of conversions and sumsq
 * equals sum. The first arm of a comparison is the control, the second the
 * treatment; every difference is treatment minus control and "greater"
 * means the treatment is higher.
 *
 * Every function returns 0 with *out filled, or -1 with *cause set to a
 * message the caller frees. Results are plain structs owned by the caller
 * and never hold NaN: a quantity that is undefined (the relative lift when
 * the control mean is zero) has its *_defined flag cleared and reads 0.
 * p-values come from upper-tail functions, so they stay accurate far below
 * 1e-300 and read 0 only on underflow. Call gsl_set_error_handler_off()
 * before using this module. */
#ifndef CROSSMKT_ABTEST_H
#define CROSSMKT_ABTEST_H

#include <stdatomic.h>
#include <stddef.h>

/* Sums about 0 are kept while the sum of squares exceeds the squared
 * deviations by at most this factor (3 digits of the 16 lost: ordinary
 * data keep their figures to the last bit); beyond, sums about the mean. */
#define ABTEST_RAW_LOSS 1e3

struct abtest_arm {
	double n;
	double sum;             /* of y - shift */
	double sumsq;           /* of (y - shift)^2 */
	double shift;
};

/* An arm with a pre-experiment covariate x, for CUPED; sums are about
 * shift (y) and xshift (x), 0 when not given. */
struct abtest_cov_arm {
	double n;
	double sum, sumsq;      /* metric y - shift */
	double xsum, xsumsq;    /* covariate x - xshift */
	double xysum;           /* sum of (x - xshift) (y - shift) */
	double shift, xshift;
};

/* Streaming accumulator (Welford, long double) for raw values. */
struct abtest_acc {
	double n;
	long double mean, m2;   /* metric */
	long double xmean, xm2; /* covariate, when added in pairs */
	long double cxy;        /* co-moment of metric and covariate */
};

enum abtest_metric {
	ABTEST_MEAN,            /* sample variance with n - 1 */
	ABTEST_PROPORTION       /* variance p (1 - p) */
};

/* Two-proportion comparison (binary metric). */
struct abtest_props_result {
	double rate_ctl, rate_trt;
	double z, p_value_z;            /* pooled z, two-sided */
	double p_value_z_greater;       /* one-sided, treatment higher */
	double chi2, p_value_chi2;      /* Pearson, 1 df */
	double chi2_yates, p_value_chi2_yates;
	double p_value_fisher;          /* two-sided, as R fisher.test */
	double p_value_fisher_greater;
	const char *fisher_skipped;     /* why Fisher's test was not run (its
	                                   p-values NaN then), or NULL */
	double diff, diff_se;           /* unpooled (Wald) standard error */
	double diff_ci[2];              /* Wald, as prop.test(correct = FALSE) */
	double diff_ci_yates[2];        /* as prop.test(correct = TRUE) */
	double diff_lower;              /* one-sided lower bound */
	int lift_defined;               /* 0 when the control rate is 0 */
	double lift, lift_se, lift_ci[2]; /* delta method, normal quantile */
	const char *test;
};

/* Two-sample comparison of means. */
struct abtest_means_result {
	double mean_ctl, mean_trt, sd_ctl, sd_trt;
	double t, df, p_value;
	double p_value_greater;
	double diff, diff_se, diff_ci[2], diff_lower;
	int lift_defined;
	double lift, lift_se, lift_ci[2]; /* delta method, t quantile */
	const char *test;
};

/* Test of equal rates or means across k arms. */
struct abtest_karm_result {
	double stat;            /* chi-square or F */
	double df1, df2;        /* df2 is 0 for chi-square */
	double p_value;
	const char *test;
};

enum abtest_srm_verdict {
	ABTEST_SRM_OK,
	ABTEST_SRM_WARN,        /* 0.001 <= p < 0.01 */
	ABTEST_SRM_FLAG         /* p < 0.001 */
};

struct abtest_srm_result {
	double chi2, df, p_value;
	enum abtest_srm_verdict verdict;
	const char *verdict_name;       /* "ok", "warn", "flag" */
};

enum abtest_adjust {
	ABTEST_ADJUST_HOLM,
	ABTEST_ADJUST_BH
};

/* One-sided test of H0: diff <= -margin against diff > -margin. */
struct abtest_noninf_result {
	double diff, se, stat, df;      /* df is 0 for the z-test */
	double p_value;
	double lower;                   /* one-sided 1 - alpha lower bound */
	int non_inferior;               /* p_value < alpha */
};

struct abtest_cuped_result {
	double theta;                   /* cov(x, y) / var(x), pooled within arms */
	double var_reduction;           /* 1 - adjusted / raw pooled variance */
	struct abtest_arm adj_ctl, adj_trt;
	struct abtest_means_result means; /* Welch on the adjusted metric */
};

/* Point estimate and variance of an effect, as GrowthBook's gbstats. */
struct abtest_effect {
	double mean_ctl, mean_trt;
	double estimate;        /* difference, or relative lift */
	double var;             /* delta-method variance when relative */
	double df;              /* Welch-Satterthwaite */
};

struct abtest_ttest_result {
	double estimate, se, ci[2], p_value, df;
};

/* Fisher's exact test on the 2x2 table, with the conditional MLE odds
 * ratio of treatment over control and its exact interval. The ratio and
 * the upper limit are INFINITY when the data sit at the edge of the
 * support (no control conversions, say); the caller writes those as null. */
struct abtest_fisher_result {
	double p_value, p_value_greater;
	double odds_ratio, ci[2];
	double lower;           /* one-sided 1 - alpha lower limit */
	int odds_exact;         /* 0: a table so extreme (p below e^-2000) that
	                           the sample odds ratio and (0, inf) are given */
};

/* --- abtest.c: arms and frequentist tests --- */

/* Starts an empty accumulator. */
void abtest_acc_init(struct abtest_acc *acc);
/* Adds one metric value. */
void abtest_acc_add(struct abtest_acc *acc, double y);
/* Adds a metric value with its covariate (use one form per accumulator). */
void abtest_acc_add_pair(struct abtest_acc *acc, double y, double x);
/* Exports the accumulated sums. */
void abtest_acc_arm(const struct abtest_acc *acc, struct abtest_arm *arm);
/* Exports the sums with the covariate's (after abtest_acc_add_pair). */
void abtest_acc_cov_arm(const struct abtest_acc *acc, struct abtest_cov_arm *arm);
/* Builds an arm from published summaries (n, mean, standard deviation). */
void abtest_arm_from_moments(struct abtest_arm *arm, double n, double mean, double sd);
/* Builds an arm from n, its mean and its sum of squared deviations m2
 * (about 0, or about the mean when that would lose digits). */
void abtest_arm_from_centered(struct abtest_arm *arm, double n, double mean, double m2);
/* Adds arm b into a (Chan et al.'s parallel update: no cancellation). */
void abtest_arm_merge(struct abtest_arm *a, const struct abtest_arm *b);
/* The arm's mean. */
double abtest_arm_mean(const struct abtest_arm *arm);
/* Mean of trt minus mean of ctl, from the references and the sums about
 * them (exact where two means near 1e9 would differ only in 7 digits). */
double abtest_arm_diff(const struct abtest_arm *ctl, const struct abtest_arm *trt);
/* -1 when the sum of squares is so much larger than the squared deviations
 * that the variance could be wrong beyond 1e-9 (sums of values far from
 * their shift, given by someone else); what names the arm in the message. */
int abtest_arm_check_precision(const struct abtest_arm *arm, const char *what,
    char **cause);
/* Builds a binary-metric arm from conversions out of n. */
void abtest_arm_from_counts(struct abtest_arm *arm, double conversions, double n);
/* Sample variance (n - 1) of an arm; -1 when n < 2. */
int abtest_arm_var(const struct abtest_arm *arm, double *var, char **cause);

/* Two-proportion z, chi-square (with and without Yates), Fisher, CIs and lift. */
int abtest_two_props(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    double alpha, struct abtest_props_result *out, char **cause);
/* Welch t-test. */
int abtest_welch(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    double alpha, struct abtest_means_result *out, char **cause);
/* Student t-test with pooled variance. */
int abtest_student(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    double alpha, struct abtest_means_result *out, char **cause);
/* Pearson chi-square on the k x 2 table of conversions. */
int abtest_props_chi2(const struct abtest_arm *arms, size_t k,
    struct abtest_karm_result *out, char **cause);
/* One-way ANOVA across k arms: the equal-variance F test (R's aov, or
 * oneway.test(var.equal = TRUE)). */
int abtest_anova(const struct abtest_arm *arms, size_t k,
    struct abtest_karm_result *out, char **cause);
/* Welch's one-way test (R's oneway.test default); -1 when an arm has
 * sd 0, as its weight n / sd^2 is then infinite. */
int abtest_anova_welch(const struct abtest_arm *arms, size_t k,
    struct abtest_karm_result *out, char **cause);
/* Sample-ratio mismatch: chi-square goodness of fit of the arm sizes to
 * an allocation (weights, NULL for equal). */
int abtest_srm(const double *n, const double *alloc, size_t k,
    struct abtest_srm_result *out, char **cause);
/* Adjusted p-values as R's p.adjust; out may equal p. */
int abtest_p_adjust(const double *p, size_t m, enum abtest_adjust method,
    double *out, char **cause);
/* Non-inferiority of proportions (unpooled z) with an absolute margin. */
int abtest_noninf_props(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    double margin, double alpha, struct abtest_noninf_result *out, char **cause);
/* Non-inferiority of means (Welch t) with an absolute margin. */
int abtest_noninf_means(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    double margin, double alpha, struct abtest_noninf_result *out, char **cause);
/* Effect estimate and variance as gbstats (absolute or relative). */
int abtest_effect(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    enum abtest_metric metric, int relative, struct abtest_effect *out, char **cause);
/* Fixed-horizon t-test on an effect, as gbstats' two-sided t-test. */
int abtest_effect_ttest(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    enum abtest_metric metric, int relative, double alpha,
    struct abtest_ttest_result *out, char **cause);

/* --- abtest-dist.c: distribution tails --- */

/* Upper tail of the standard normal. */
int abtest_norm_upper(double z, double *q, char **cause);
/* Upper tail of Student's t, as R's pt (see abtest-dist.c for its accuracy). */
int abtest_t_upper(double t, double df, double *q, char **cause);
/* Regularised incomplete beta I_x(a, b); a continued fraction takes over
 * when GSL's does not converge (parameters in the millions). */
int abtest_beta_inc(double a, double b, double x, double *out, char **cause);
/* Upper tail of chi-square. */
int abtest_chisq_upper(double x, double df, double *q, char **cause);
/* Upper tail of F. */
int abtest_f_upper(double f, double df1, double df2, double *q, char **cause);

/* --- abtest-fisher.c --- */

/* Fisher's exact test as R's fisher.test (two-sided and one-sided p, odds
 * ratio and interval), in log space so arms of millions work. */
int abtest_fisher(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    double alpha, struct abtest_fisher_result *out, char **cause);
/* The exact tests take at most this many users in all (GSL's log
 * binomial coefficients take unsigned ints). */
#define ABTEST_FISHER_MAX_N 4294967295.0

/* Fisher's exact test on the k x 2 table by enumerating every table; -1
 * with *cause saying why when it would take more than max_steps (tables
 * and partial tables visited, coefficients computed), when the arms hold
 * over ABTEST_FISHER_MAX_N users, or "cancelled" once cancel is set
 * (polled; NULL for none). */
int abtest_fisher_k(const struct abtest_arm *arms, size_t k, double max_steps,
    const atomic_bool *cancel, double *p, char **cause);

/* --- abtest-cuped.c: variance reduction --- */

/* CUPED: adjusts by the covariate with a pooled theta, then Welch. */
int abtest_cuped(const struct abtest_cov_arm *ctl, const struct abtest_cov_arm *trt,
    double alpha, struct abtest_cuped_result *out, char **cause);
/* Caps values above the pct quantile (R type 7, pct in [0, 100]); reports
 * the cap and how many values changed. */
int abtest_cap_percentile(double *v, size_t n, double pct, double *cap,
    size_t *capped, char **cause);
/* Caps values above an absolute cap. */
void abtest_cap_value(double *v, size_t n, double cap, size_t *capped);

/* --- abtest-seq.c: always-valid inference --- */

/* Asymptotic confidence sequence (Waudby-Smith et al.) tuned to be
 * tightest at nstar total observations; p-value from the same mixture. */
int abtest_seq_ttest(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    enum abtest_metric metric, int relative, double alpha, double nstar,
    struct abtest_ttest_result *out, char **cause);

/* --- abtest-bayes.c --- */

struct abtest_beta_result {
	double prob_beat;               /* P(p_trt > p_ctl) */
	double loss_ctl, loss_trt;      /* expected loss of shipping each arm */
	double ci_ctl[2], ci_trt[2];    /* equal-tailed credible intervals */
};

struct abtest_gauss_prior {
	int proper;             /* 0: improper (flat) prior */
	double mean, var;       /* on the effect scale */
};

struct abtest_gauss_result {
	double estimate, sd, ci[2];
	double chance_to_win;
	double risk_ctl, risk_trt;      /* expected loss of shipping each arm */
};

/* Beta-Binomial with a Beta(prior_a, prior_b) prior (integers, 1 1 is
 * uniform): closed-form P(B beats A), expected losses, intervals. */
int abtest_beta_binomial(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    double prior_a, double prior_b, double alpha, struct abtest_beta_result *out,
    char **cause);
/* Gaussian model on the effect (gbstats): posterior, chance to win, risk. */
int abtest_gauss_bayes(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    enum abtest_metric metric, int relative, const struct abtest_gauss_prior *prior,
    double alpha, struct abtest_gauss_result *out, char **cause);

/* --- abtest-power.c --- */

struct abtest_power_n {
	double n_r;             /* as R power.prop.test / power.t.test */
	double n_evanmiller;    /* Evan Miller's calculator (proportions) */
	double n_r_ceiling, n_evanmiller_ceiling;
};

/* Per-arm n to detect p1 -> p2. */
int abtest_power_props_n(double p1, double p2, double alpha, double power,
    int one_sided, struct abtest_power_n *out, char **cause);
/* Power for n per arm, as power.prop.test. */
int abtest_power_props_power(double p1, double p2, double n, double alpha,
    int one_sided, double *power, char **cause);
/* Smallest p2 - p1 > 0 detectable with n per arm (R's formula). */
int abtest_power_props_mde(double p1, double n, double alpha, double power,
    int one_sided, double *mde, char **cause);
/* Per-arm n for a difference delta of means with sd, as power.t.test;
 * n_evanmiller holds the normal approximation. */
int abtest_power_means_n(double delta, double sd, double alpha, double power,
    int one_sided, struct abtest_power_n *out, char **cause);
/* Power for n per arm, as power.t.test (noncentral t). */
int abtest_power_means_power(double n, double delta, double sd, double alpha,
    int one_sided, double *power, char **cause);
/* Smallest difference of means detectable with n per arm. */
int abtest_power_means_mde(double n, double sd, double alpha, double power,
    int one_sided, double *mde, char **cause);
/* Whole days until every one of arms arms reaches n_per_arm. */
int abtest_power_days(double n_per_arm, size_t arms, double daily_traffic,
    double *days, char **cause);

#endif
