/* Always-valid inference: asymptotic confidence sequences.
 *
 * Waudby-Smith et al., "Time-uniform central limit theory and asymptotic
 * confidence sequences": with N observations and per-observation variance
 * s2 = N var(estimate), the normal-mixture boundary is
 *   estimate +- sqrt(s2) sqrt(2 (N rho^2 + 1) / (N^2 rho^2)
 *                             log(sqrt(N rho^2 + 1) / alpha)),
 * where rho^2 = (-2 log alpha + log(1 - 2 log alpha)) / nstar makes it
 * tightest at N = nstar. The p-value is the reciprocal of the same mixture
 * martingale, capped at 1, so it is below alpha exactly when the sequence
 * excludes 0. */
#include "config.h"

#include <math.h>

#include "abtest.h"
#include "xmalloc.h"

static double seq_rho2(double alpha, double nstar)
{
	double l = -2 * log(alpha);

	return (l + log(l + 1)) / nstar;
}

int abtest_seq_ttest(const struct abtest_arm *ctl, const struct abtest_arm *trt,
    enum abtest_metric metric, int relative, double alpha, double nstar,
    struct abtest_ttest_result *out, char **cause)
{
	struct abtest_effect e;
	double n, r2, nr, s2, width, loge;

	if (!(alpha > 0 && alpha < 1) || !(nstar > 0) || !isfinite(nstar)) {
		*cause = xasprintf("alpha must be between 0 and 1 and N* above 0");
		return -1;
	}
	if (abtest_effect(ctl, trt, metric, relative, &e, cause) != 0)
		return -1;
	n = ctl->n + trt->n;
	r2 = seq_rho2(alpha, nstar);
	nr = n * r2 + 1;
	s2 = e.var * n;
	width = sqrt(s2) * sqrt(2 * nr / (n * n * r2) * log(sqrt(nr) / alpha));
	out->estimate = e.estimate;
	out->se = sqrt(e.var);
	out->df = e.df;
	out->ci[0] = e.estimate - width;
	out->ci[1] = e.estimate + width;
	/* log of the mixture martingale at the estimate. */
	loge = r2 * n * e.estimate * e.estimate / (2 * e.var * nr) - 0.5 * log(nr);
	out->p_value = loge <= 0 ? 1 : exp(-loge);
	return 0;
}
