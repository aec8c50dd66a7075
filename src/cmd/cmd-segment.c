/* segment DATASET features=A,B[,C...] [k=K|auto] [seed=S]
 * [standardize=z|none] [log=A,B] [init=kmeans++|random] [n_init=N]
 * [name=COL] [impute=mean] [describe_by=COL,COL] */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cancel.h"
#include "command.h"
#include "report.h"
#include "segment.h"
#include "xmalloc.h"

static const char *const cmd_segment_keys[] = { "features", "k", "seed",
	"standardize", "log", "init", "n_init", "name", "impute",
	"describe_by", "replace", NULL };

/* The request, resolved against the dataset. */
struct cmd_segment {
	struct table *t;
	char **names;           /* d feature names */
	size_t d;
	int *cols;              /* d column indices */
	bool *log1p;            /* d */
	int *by;                /* describe_by columns */
	size_t n_by;
	const char *name;       /* the column to add */
	int replace;            /* the column of that name replace=yes replaces, or -1 */
	bool standardize, impute, auto_k;
	struct kmeans_options opt;
};

/* A fit and what the result needs from it. */
struct cmd_segment_fit {
	size_t n;
	double *x;              /* n x d, in the space clustered */
	struct segment_scale z; /* z-scores of the original units */
	struct segment_auto au;
	struct kmeans_result *own; /* the fit when k was given */
	const struct kmeans_result *km;
	double silhouette;      /* NaN when undefined */
	bool sampled;
	size_t *order;          /* k: id - 1 -> engine cluster, largest first */
	double *centroid;       /* k x d, original units, by engine cluster */
	double *zc;             /* k x d, z-scores, by engine cluster */
	uint32_t **dominant;    /* n_by x k dictionary codes, UINT32_MAX: none */
};

static void cmd_segment_done(struct cmd_segment *s)
{
	cmd_list_free(s->names, s->d);
	free(s->cols);
	free(s->log1p);
	free(s->by);
}

static void cmd_segment_fit_done(struct cmd_segment_fit *f, size_t n_by)
{
	free(f->x);
	segment_scale_done(&f->z);
	segment_auto_done(&f->au);
	kmeans_result_free(f->own);
	free(f->order);
	free(f->centroid);
	free(f->zc);
	for (size_t b = 0; f->dominant != NULL && b < n_by; b++)
		free(f->dominant[b]);
	free(f->dominant);
}

/* "a" or "an" before a type name. */
static const char *cmd_segment_article(enum col_type type)
{
	return type == COL_INT ? "an" : "a";
}

static int cmd_segment_check_feature(const struct table *t, int col, char **cause)
{
	const struct column *c = &t->cols[col];

	if (col_type_numeric(c->type))
		return 0;
	if (c->type == COL_DATE || c->type == COL_DATETIME)
		*cause = xasprintf("feature '%s' is a %s column, not a number; derive a number "
		    "of days first, e.g. derive %s DAYS=\"d'2025-01-01' - %s\"", c->name,
		    col_type_name(c->type), t->name, c->name);
	else
		*cause = xasprintf("feature '%s' is %s %s column, not a number; features must be "
		    "int, float or bool (describe_by= shows categories)", c->name,
		    cmd_segment_article(c->type), col_type_name(c->type));
	return -1;
}

static int cmd_segment_index(const struct cmd_segment *s, const char *name)
{
	for (size_t f = 0; f < s->d; f++) {
		if (strcmp(s->names[f], name) == 0)
			return (int)f;
	}
	return -1;
}

/* features=A,B,C: numeric columns, each once. */
static int cmd_segment_features(struct cmd_segment *s, const char *value, char **cause)
{
	char **names;
	size_t n;

	if (cmd_split_list("features", value, &names, &n, cause) != 0)
		return -1;
	s->names = names;
	s->d = n;
	s->cols = xcalloc(s->d, sizeof *s->cols);
	s->log1p = xcalloc(s->d, sizeof *s->log1p);
	for (size_t f = 0; f < s->d; f++) {
		if ((s->cols[f] = cmd_need_column(s->t, s->names[f], cause)) < 0 ||
		    cmd_segment_check_feature(s->t, s->cols[f], cause) != 0)
			return -1;
		if (cmd_segment_index(s, s->names[f]) != (int)f) {
			*cause = xasprintf("features=%s: '%s' is given twice", value, s->names[f]);
			return -1;
		}
	}
	return 0;
}

/* log=A,B: features to take log1p of. */
static int cmd_segment_log(struct cmd_segment *s, const char *value, char **cause)
{
	char **items;
	size_t n;
	int f;

	if (value == NULL)
		return 0;
	if (cmd_split_list("log", value, &items, &n, cause) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if ((f = cmd_segment_index(s, items[i])) < 0) {
			*cause = xasprintf("log=%s: '%s' is not one of the features", value, items[i]);
			cmd_list_free(items, n);
			return -1;
		}
		s->log1p[f] = true;
	}
	cmd_list_free(items, n);
	return 0;
}

/* describe_by=C,C: category or text columns. */
static int cmd_segment_by(struct cmd_segment *s, const char *value, char **cause)
{
	char **items;
	size_t n;
	int rc = 0;

	if (value == NULL)
		return 0;
	if (cmd_split_list("describe_by", value, &items, &n, cause) != 0)
		return -1;
	s->by = xcalloc(n, sizeof *s->by);
	for (size_t i = 0; i < n && rc == 0; i++) {
		if ((s->by[i] = cmd_need_column(s->t, items[i], cause)) < 0)
			rc = -1;
		else if (!col_type_string(s->t->cols[s->by[i]].type)) {
			*cause = xasprintf("describe_by=%s: '%s' is %s %s column; give category or "
			    "text columns", value, items[i],
			    cmd_segment_article(s->t->cols[s->by[i]].type),
			    col_type_name(s->t->cols[s->by[i]].type));
			rc = -1;
		} else
			s->n_by++;
	}
	cmd_list_free(items, n);
	return rc;
}

static int cmd_segment_k(struct cmd_segment *s, const char *v, char **cause)
{
	char *end;
	long k;

	if (v == NULL || strcmp(v, "auto") == 0) {
		s->auto_k = true;
		return 0;
	}
	k = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || k < 2) {
		*cause = xasprintf("k=%s: give a whole number of 2 or more, or auto", v);
		return -1;
	}
	s->opt.k = (size_t)k;
	return 0;
}

/* init=, n_init=, seed=; n_init defaults to 1 for k-means++ and 10 for
 * random starts, as in scikit-learn. */
static int cmd_segment_starts(struct cmd_segment *s, const struct cmd_args *args, char **cause)
{
	const char *init = cmd_arg(args, "init", "kmeans++");
	long n_init, seed = 1;

	if (strcmp(init, "kmeans++") == 0)
		s->opt.init = KMEANS_INIT_PLUSPLUS;
	else if (strcmp(init, "random") == 0)
		s->opt.init = KMEANS_INIT_RANDOM;
	else {
		*cause = xasprintf("init=%s: give kmeans++ or random", init);
		return -1;
	}
	n_init = s->opt.init == KMEANS_INIT_RANDOM ? 10 : 1;
	if (cmd_arg_count(args, "n_init", &n_init, cause) != 0 ||
	    cmd_arg_count(args, "seed", &seed, cause) != 0)
		return -1;
	if (n_init < 1 || n_init > 1000) {
		*cause = xasprintf("n_init=%ld: give a whole number from 1 to 1000", n_init);
		return -1;
	}
	s->opt.n_init = (unsigned)n_init;
	s->opt.seed = (unsigned long)seed;
	return 0;
}

static int cmd_segment_flags(struct cmd_segment *s, const struct cmd_args *args, char **cause)
{
	const char *z = cmd_arg(args, "standardize", "z"), *impute = cmd_arg(args, "impute", NULL);

	if (strcmp(z, "z") != 0 && strcmp(z, "none") != 0) {
		*cause = xasprintf("standardize=%s: give z or none", z);
		return -1;
	}
	s->standardize = strcmp(z, "z") == 0;
	if (impute != NULL && strcmp(impute, "mean") != 0) {
		*cause = xasprintf("impute=%s: give mean", impute);
		return -1;
	}
	s->impute = impute != NULL;
	return 0;
}

/* Missing values are an error unless impute=mean; a feature with no value
 * at all is an error either way. */
static int cmd_segment_missing(const struct cmd_segment *s, char **cause)
{
	const struct column *c;

	for (size_t f = 0; f < s->d; f++) {
		c = &s->t->cols[s->cols[f]];
		if (c->n_missing == 0)
			continue;
		if (!s->impute)
			*cause = xasprintf("feature '%s' has %zu missing value%s; give impute=mean "
			    "or filter them out", c->name, c->n_missing, c->n_missing == 1 ? "" : "s");
		else if (c->n_missing == s->t->n_rows)
			*cause = xasprintf("feature '%s' has no values to impute from", c->name);
		else
			continue;
		return -1;
	}
	return 0;
}

/* An existing column of the name is an error unless replace=yes; then it
 * is replaced in its place once the segments are found. */
static int cmd_segment_replace(struct cmd_segment *s, const char *replace, char **cause)
{
	if (strcmp(replace, "yes") != 0 && strcmp(replace, "no") != 0) {
		*cause = xasprintf("replace=%s: give yes or no", replace);
		return -1;
	}
	s->replace = table_find_column(s->t, s->name);
	if (s->replace >= 0 && strcmp(replace, "no") == 0) {
		*cause = xasprintf("'%s' has a column '%s' already; pick another name with name=COL "
		    "or give replace=yes", s->t->name, s->name);
		return -1;
	}
	return 0;
}

/* The column replaced is not one the segments are computed from. */
static bool cmd_segment_replaces_input(const struct cmd_segment *s, char **cause)
{
	for (size_t f = 0; s->replace >= 0 && f < s->d + s->n_by; f++) {
		if ((f < s->d ? s->cols[f] : s->by[f - s->d]) == s->replace) {
			*cause = xasprintf("replace=yes would replace '%s', which the segments are "
			    "computed from; pick another name with name=COL", s->name);
			return true;
		}
	}
	return false;
}

/* Parses and checks every argument against the dataset. */
static int cmd_segment_parse(struct cmd_segment *s, const struct cmd_args *args, char **cause)
{
	s->name = cmd_arg(args, "name", "cluster");
	if (*s->name == '\0') {
		*cause = xstrdup("name=: give a column name");
		return -1;
	}
	if (cmd_segment_replace(s, cmd_arg(args, "replace", "no"), cause) != 0)
		return -1;
	if (s->t->n_rows == 0) {
		*cause = xasprintf("dataset '%s' has no rows to segment", s->t->name);
		return -1;
	}
	kmeans_options_init(&s->opt, 2);
	if (cmd_segment_features(s, cmd_arg(args, "features", NULL), cause) != 0 ||
	    cmd_segment_log(s, cmd_arg(args, "log", NULL), cause) != 0 ||
	    cmd_segment_by(s, cmd_arg(args, "describe_by", NULL), cause) != 0 ||
	    cmd_segment_k(s, cmd_arg(args, "k", NULL), cause) != 0 ||
	    cmd_segment_starts(s, args, cause) != 0 ||
	    cmd_segment_flags(s, args, cause) != 0 || cmd_segment_replaces_input(s, cause))
		return -1;
	return cmd_segment_missing(s, cause);
}

static inline double cmd_segment_cell(const struct column *c, size_t i)
{
	if (c->type == COL_FLOAT)
		return c->v.f64[i];
	if (c->type == COL_INT)
		return (double)c->v.i64[i];
	return c->v.b[i];
}

/* Copies one column into column f of the matrix; missing cells become the
 * mean of the present ones. */
static void cmd_segment_copy(const struct column *c, size_t n, size_t d, size_t f, double *x)
{
	double sum = 0;

	if (c->missing == NULL) {
		for (size_t i = 0; i < n; i++)
			x[i * d + f] = cmd_segment_cell(c, i);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		x[i * d + f] = column_is_missing(c, i) ? 0 : cmd_segment_cell(c, i);
		sum += x[i * d + f];
	}
	sum /= (double)(n - c->n_missing);
	for (size_t i = 0; i < n; i++) {
		if (column_is_missing(c, i))
			x[i * d + f] = sum;
	}
}

/* Every cell finite, and above -1 where log1p is taken. */
static int cmd_segment_check_values(const struct cmd_segment *s, const double *x, size_t n,
    size_t f, char **cause)
{
	const char *name = s->names[f];
	double v;

	for (size_t i = 0; i < n; i++) {
		v = x[i * s->d + f];
		if (!isfinite(v))
			*cause = xasprintf("feature '%s' is %g at row %zu; give finite numbers",
			    name, v, i + 1);
		else if (s->log1p[f] && v <= -1)
			*cause = xasprintf("log=%s: '%s' is %g at row %zu; log1p needs values "
			    "above -1", name, name, v, i + 1);
		else
			continue;
		return -1;
	}
	return 0;
}

/* The feature matrix, built a column at a time, then moved into the space
 * the clustering runs in. */
static int cmd_segment_matrix(const struct cmd_segment *s, struct cmd_segment_fit *fit,
    char **cause)
{
	size_t n = s->t->n_rows, d = s->d;

	fit->n = n;
	fit->x = xmalloc(n * d * sizeof *fit->x);
	for (size_t f = 0; f < d; f++) {
		cmd_segment_copy(&s->t->cols[s->cols[f]], n, d, f, fit->x);
		if (cmd_segment_check_values(s, fit->x, n, f, cause) != 0)
			return -1;
	}
	if (segment_scale_init(&fit->z, fit->x, n, d, s->log1p, cause) != 0)
		return -1;
	if (s->standardize)
		return segment_scale_apply(&fit->z, fit->x, n, cause);
	for (size_t f = 0; f < d; f++) {
		for (size_t i = 0; s->log1p[f] && i < n; i++)
			fit->x[i * d + f] = log1p(fit->x[i * d + f]);
	}
	return 0;
}

/* Fits k, or chooses it; the silhouette of a fixed k is NaN when it is not
 * defined (as many clusters as rows). */
static int cmd_segment_cluster(const struct cmd_segment *s, struct cmd_segment_fit *fit,
    char **cause)
{
	struct segment_silhouette sil;
	char *why = NULL;

	if (s->auto_k) {
		if (segment_auto_k(fit->x, fit->n, s->d, &s->opt, &fit->au, cause) != 0)
			return -1;
		fit->km = fit->au.best;
		fit->silhouette = fit->au.score[fit->au.best_k];
		fit->sampled = fit->au.sampled;
		return 0;
	}
	if (kmeans_fit(fit->x, fit->n, s->d, &s->opt, &fit->own, cause) != 0)
		return -1;
	fit->km = fit->own;
	fit->silhouette = NAN;
	if (segment_silhouette(fit->x, fit->n, s->d, fit->own->labels, fit->own->k,
	    s->opt.seed, s->opt.threads, s->opt.cancel, &sil, &why) == 0) {
		fit->silhouette = sil.score;
		fit->sampled = sil.sampled;
	}
	free(why);
	return 0;
}

struct cmd_segment_key {
	size_t size, j;
};

static int cmd_segment_cmp(const void *a, const void *b)
{
	const struct cmd_segment_key *x = a, *y = b;

	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return x->j < y->j ? -1 : x->j > y->j;
}

/* Segment ids by size, largest first, the engine's order on a tie. */
static void cmd_segment_order(struct cmd_segment_fit *fit)
{
	size_t k = fit->km->k;
	struct cmd_segment_key *key = xcalloc(k, sizeof *key);

	for (size_t j = 0; j < k; j++)
		key[j] = (struct cmd_segment_key){ fit->km->sizes[j], j };
	qsort(key, k, sizeof *key, cmd_segment_cmp);
	fit->order = xcalloc(k, sizeof *fit->order);
	for (size_t e = 0; e < k; e++)
		fit->order[e] = key[e].j;
	free(key);
}

/* Centroids in original units and as z-scores of them (for the labels). */
static int cmd_segment_centroids(const struct cmd_segment *s, struct cmd_segment_fit *fit,
    char **cause)
{
	size_t k = fit->km->k, d = s->d;

	fit->centroid = xmalloc(k * d * sizeof *fit->centroid);
	fit->zc = xmalloc(k * d * sizeof *fit->zc);
	memcpy(fit->centroid, fit->km->centroids, k * d * sizeof *fit->centroid);
	if (s->standardize) {
		memcpy(fit->zc, fit->km->centroids, k * d * sizeof *fit->zc);
		segment_scale_invert(&fit->z, fit->centroid, k);
		return 0;
	}
	for (size_t e = 0; e < k * d; e++) {
		if (s->log1p[e % d])
			fit->centroid[e] = expm1(fit->centroid[e]);
	}
	memcpy(fit->zc, fit->centroid, k * d * sizeof *fit->zc);
	return segment_scale_apply(&fit->z, fit->zc, k, cause);
}

/* Each segment's most frequent value of a string column, the first in the
 * dictionary on a tie. */
static uint32_t *cmd_segment_mode(const struct column *c, size_t n,
    const struct kmeans_result *km)
{
	uint32_t m = dict_count(c->dict), *best = xmalloc(km->k * sizeof *best);
	size_t *count = xcalloc(km->k * m + 1, sizeof *count), top;

	for (size_t i = 0; i < n; i++) {
		if (!column_is_missing(c, i))
			count[km->labels[i] * m + c->v.codes[i]]++;
	}
	for (size_t j = 0; j < km->k; j++) {
		best[j] = UINT32_MAX;
		top = 0;
		for (uint32_t v = 0; v < m; v++) {
			if (count[j * m + v] > top) {
				top = count[j * m + v];
				best[j] = v;
			}
		}
	}
	free(count);
	return best;
}

static void cmd_segment_describe(const struct cmd_segment *s, struct cmd_segment_fit *fit)
{
	if (s->n_by == 0)
		return;
	fit->dominant = xcalloc(s->n_by, sizeof *fit->dominant);
	for (size_t b = 0; b < s->n_by; b++)
		fit->dominant[b] = cmd_segment_mode(&s->t->cols[s->by[b]], fit->n, fit->km);
}

/* The new category column: "1" .. "k", so that dictionary codes follow the
 * ids. */
static void cmd_segment_store(const struct cmd_segment *s, const struct cmd_segment_fit *fit)
{
	size_t k = fit->km->k;
	uint32_t *code = xcalloc(k, sizeof *code);
	struct column *c = s->replace >= 0 ? table_reset_column(s->t, (size_t)s->replace, COL_CATEGORY) :
	    table_add_column(s->t, s->name, COL_CATEGORY);
	char buf[32];

	for (size_t e = 0; e < k; e++) {
		xsnprintf(buf, sizeof buf, "%zu", e + 1);
		code[fit->order[e]] = dict_intern(c->dict, buf, strlen(buf));
	}
	for (size_t i = 0; i < fit->n; i++)
		c->v.codes[i] = code[fit->km->labels[i]];
	free(code);
}

static cJSON *cmd_segment_number(double v)
{
	return isnan(v) ? cJSON_CreateNull() : cJSON_CreateNumber(v);
}

/* A dominant value as shown: masked columns show REPORT_MASK. */
static const char *cmd_segment_value(const struct column *c, uint32_t code)
{
	return c->masked ? REPORT_MASK : dict_str(c->dict, code);
}

/* The label from the strongest features, then the dominant values. */
static char *cmd_segment_label(const struct cmd_segment *s, const struct cmd_segment_fit *fit,
    size_t j)
{
	char *label = segment_label(fit->zc + j * s->d, s->d, (const char *const *)s->names), *t;
	const struct column *c;

	for (size_t b = 0; b < s->n_by; b++) {
		if (fit->dominant[b][j] == UINT32_MAX)
			continue;
		c = &s->t->cols[s->by[b]];
		t = xasprintf("%s, %s", label, cmd_segment_value(c, fit->dominant[b][j]));
		free(label);
		label = t;
	}
	return label;
}

static cJSON *cmd_segment_one(const struct cmd_segment *s, const struct cmd_segment_fit *fit,
    size_t e)
{
	size_t j = fit->order[e];
	cJSON *o = cJSON_CreateObject(), *cen = cJSON_CreateObject(), *dom;
	const struct column *c;
	char *label = cmd_segment_label(s, fit, j);

	cJSON_AddNumberToObject(o, "id", (double)(e + 1));
	cJSON_AddNumberToObject(o, "size", (double)fit->km->sizes[j]);
	cJSON_AddNumberToObject(o, "share", (double)fit->km->sizes[j] / (double)fit->n);
	for (size_t f = 0; f < s->d; f++)
		cJSON_AddNumberToObject(cen, s->names[f], fit->centroid[j * s->d + f]);
	cJSON_AddItemToObject(o, "centroid", cen);
	cJSON_AddStringToObject(o, "label", label);
	free(label);
	if (s->n_by == 0)
		return o;
	dom = cJSON_AddObjectToObject(o, "dominant");
	for (size_t b = 0; b < s->n_by; b++) {
		c = &s->t->cols[s->by[b]];
		cJSON_AddItemToObject(dom, c->name, fit->dominant[b][j] == UINT32_MAX ?
		    cJSON_CreateNull() : cJSON_CreateString(cmd_segment_value(c, fit->dominant[b][j])));
	}
	return o;
}

/* k, silhouette and inertia of every k tried by k=auto. */
static cJSON *cmd_segment_candidates(const struct segment_auto *au)
{
	cJSON *a = cJSON_CreateArray(), *o;

	for (size_t k = au->k_min; k <= au->k_max; k++) {
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "k", (double)k);
		cJSON_AddItemToObject(o, "silhouette", cmd_segment_number(au->score[k]));
		cJSON_AddItemToObject(o, "inertia", cmd_segment_number(au->inertia[k]));
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static cJSON *cmd_segment_result(const struct cmd_segment *s, const struct cmd_segment_fit *fit)
{
	cJSON *o = cJSON_CreateObject(), *segs;

	cJSON_AddStringToObject(o, "dataset", s->t->name);
	cJSON_AddStringToObject(o, "column", s->name);
	cJSON_AddNumberToObject(o, "rows", (double)fit->n);
	cJSON_AddItemToObject(o, "features",
	    cJSON_CreateStringArray((const char *const *)s->names, (int)s->d));
	cJSON_AddStringToObject(o, "standardize", s->standardize ? "z" : "none");
	cJSON_AddNumberToObject(o, "k", (double)fit->km->k);
	cJSON_AddNumberToObject(o, "inertia", fit->km->inertia);
	cJSON_AddItemToObject(o, "silhouette", cmd_segment_number(fit->silhouette));
	cJSON_AddBoolToObject(o, "silhouette_sampled", fit->sampled);
	cJSON_AddNumberToObject(o, "iterations", fit->km->n_iter);
	cJSON_AddBoolToObject(o, "converged", fit->km->converged);
	if (s->auto_k)
		cJSON_AddItemToObject(o, "candidates", cmd_segment_candidates(&fit->au));
	segs = cJSON_AddArrayToObject(o, "segments");
	for (size_t e = 0; e < fit->km->k; e++)
		cJSON_AddItemToArray(segs, cmd_segment_one(s, fit, e));
	return o;
}

/* Fits, then adds the column; the dataset is left as it was on error. A
 * silhouette cut short by the cancel flag is caught by the second check. */
static int cmd_segment_run(const struct cmd_segment *s, struct cmd_segment_fit *fit,
    cJSON **result, char **cause)
{
	if (cmd_segment_matrix(s, fit, cause) != 0 || cancel_check(s->opt.cancel, cause) ||
	    cmd_segment_cluster(s, fit, cause) != 0 || cancel_check(s->opt.cancel, cause))
		return -1;
	if (fit->km->n_empty > 0) {
		*cause = xasprintf("k=%zu leaves %zu cluster%s empty: the features have fewer "
		    "than %zu distinct rows; give a smaller k", fit->km->k, fit->km->n_empty,
		    fit->km->n_empty == 1 ? "" : "s", fit->km->k);
		return -1;
	}
	cmd_segment_order(fit);
	if (cmd_segment_centroids(s, fit, cause) != 0)
		return -1;
	cmd_segment_describe(s, fit);
	cmd_segment_store(s, fit);
	*result = cmd_segment_result(s, fit);
	return 0;
}

static int cmd_segment_exec(struct cmd_ctx *ctx, const struct cmd_args *args, cJSON **result,
    char **cause)
{
	struct cmd_segment s = { 0 };
	struct cmd_segment_fit fit = { 0 };
	int rc = -1;

	if (cmd_arg(args, "features", NULL) == NULL) {
		*cause = xstrdup("give the features with features=COL,COL");
		return CMD_USAGE;
	}
	if ((s.t = workspace_need(&ctx->ws, args->pos[0], cause)) == NULL)
		return -1;
	if (cmd_segment_parse(&s, args, cause) == 0) {
		s.opt.cancel = ctx->cancel;
		rc = cmd_segment_run(&s, &fit, result, cause);
	}
	cmd_segment_fit_done(&fit, s.n_by);
	cmd_segment_done(&s);
	return rc;
}

const struct cmd_entry cmd_segment_entry = {
	.name = "segment",
	.usage = "DATASET features=COL,COL[,...] [k=K|auto] [seed=S] [standardize=z|none] "
	    "[log=COL,COL] [init=kmeans++|random] [n_init=N] [name=COL] [replace=yes] "
	    "[impute=mean] [describe_by=COL,COL]",
	.help = "k-means segments of the rows (k-means++ seeding, k=auto by silhouette), "
	    "stored as a category column with a label per segment",
	.min_pos = 1, .max_pos = 1,
	.keys = cmd_segment_keys,
	.exec = cmd_segment_exec,
	.flags = CMD_CHANGES_DATA,
};
