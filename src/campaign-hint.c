/* Defaults for campaigns, read from the dataset's shape and names. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "campaign-hint.h"
#include "xmalloc.h"

/* Arm names that mean "no treatment", letters and digits only, lower case. */
static const char *const campaign_hint_controls[] = {
	"control", "ctrl", "holdout", "baseline", "noemail", "nomail", "none", "placebo",
	"nottreated", "untreated", "a", NULL
};

const char *const campaign_hint_event_metrics[] = {
	"conversion", "revenue", "ctr", "retention:1", "retention:7", "retention:14",
	"retention:28", NULL
};

bool campaign_hint_events(const struct table *t)
{
	return t->roles[ROLE_USER] >= 0 && t->roles[ROLE_TIME] >= 0;
}

bool campaign_hint_metric_column(const struct table *t, size_t j)
{
	return col_type_numeric(t->cols[j].type) && (int)j != t->roles[ROLE_ID] &&
	    (int)j != t->roles[ROLE_USER];
}

/* s in lower case with only its letters and digits (new string). */
static char *campaign_hint_squash(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	for (; *s != '\0'; s++)
		if (isalnum((unsigned char)*s))
			*o++ = (char)tolower((unsigned char)*s);
	*o = '\0';
	return out;
}

/* Column names that stand for an event metric, squashed, the metric first. */
static const char *const campaign_hint_synonyms[][5] = {
	{ "conversion", "converted", "conversions", "convert", "purchased" },
	{ "revenue", "spend", "amount", "sales", NULL },
	{ "ctr", "clicked", "click", "clicks", NULL },
};

/* The metric column named exactly want (squashed), or NULL. */
static const char *campaign_hint_named(const struct table *t, const char *want)
{
	const char *found = NULL;

	for (size_t j = 0; found == NULL && j < t->n_cols; j++) {
		char *name;

		if (!campaign_hint_metric_column(t, j))
			continue;
		name = campaign_hint_squash(t->cols[j].name);
		if (*want != '\0' && strcmp(name, want) == 0)
			found = t->cols[j].name;
		free(name);
	}
	return found;
}

const char *campaign_hint_column(const struct table *t, const char *metric)
{
	char *want = campaign_hint_squash(metric);
	const char *found = campaign_hint_named(t, want);
	size_t n = sizeof campaign_hint_synonyms / sizeof campaign_hint_synonyms[0];

	for (size_t i = 0; found == NULL && i < n; i++) {
		if (strcmp(want, campaign_hint_synonyms[i][0]) != 0)
			continue;
		for (size_t k = 1; found == NULL && k < 5 && campaign_hint_synonyms[i][k] != NULL;
		    k++)
			found = campaign_hint_named(t, campaign_hint_synonyms[i][k]);
	}
	free(want);
	return found;
}

static bool campaign_hint_is_control(const char *value)
{
	char *v = campaign_hint_squash(value);
	bool yes = false;

	for (size_t i = 0; !yes && campaign_hint_controls[i] != NULL; i++)
		yes = strcmp(v, campaign_hint_controls[i]) == 0;
	/* "control_group", "controls" */
	yes = yes || strncmp(v, "control", 7) == 0;
	free(v);
	return yes;
}

const char *campaign_hint_control(const struct table *t, int col, bool *named)
{
	const struct dict *d;

	*named = false;
	if (col < 0 || !col_type_string(t->cols[col].type))
		return NULL;
	d = t->cols[col].dict;
	/* Dictionary codes follow the file's order: code 0 came first. */
	for (uint32_t i = 0; i < dict_count(d); i++) {
		if (campaign_hint_is_control(dict_str(d, i))) {
			*named = true;
			return dict_str(d, i);
		}
	}
	return dict_count(d) > 0 ? dict_str(d, 0) : NULL;
}

#define CAMPAIGN_HINT_LIST 6

/* "a, b, c, ..." of the metric columns (new string). */
static char *campaign_hint_list(const struct table *t)
{
	char *out = xstrdup("");
	size_t n = 0;

	for (size_t j = 0; j < t->n_cols; j++) {
		char *more;

		if (!campaign_hint_metric_column(t, j))
			continue;
		if (n++ == CAMPAIGN_HINT_LIST) {
			more = xasprintf("%s, ...", out);
			free(out);
			return more;
		}
		more = xasprintf("%s%s%s", out, n > 1 ? ", " : "", t->cols[j].name);
		free(out);
		out = more;
	}
	return out;
}

void campaign_hint_explain(const struct table *t, const char *metric, char **cause)
{
	const char *col = campaign_hint_column(t, metric);
	char *list, *more;

	if (col != NULL)
		more = xasprintf("%s; for one row per user, metric=column:%s", *cause, col);
	else if (*(list = campaign_hint_list(t)) != '\0') {
		more = xasprintf("%s; for one row per user, metric=column:COL with a 0/1 or numeric "
		    "column (%s)", *cause, list);
		free(list);
	} else {
		free(list);
		return;
	}
	free(*cause);
	*cause = more;
}

/* Names of arm columns, squashed. */
static const char *const campaign_hint_arms[] = {
	"arm", "variant", "group", "version", "treatment", "abgroup", "bucket", NULL
};

int campaign_hint_arm(const struct table *t)
{
	bool named;

	if (t->roles[ROLE_ARM] >= 0)
		return t->roles[ROLE_ARM];
	for (size_t i = 0; campaign_hint_arms[i] != NULL; i++)
		for (size_t j = 0; j < t->n_cols; j++) {
			char *name = campaign_hint_squash(t->cols[j].name);
			bool same = strcmp(name, campaign_hint_arms[i]) == 0;

			free(name);
			if (same)
				return (int)j;
		}
	for (size_t j = 0; j < t->n_cols; j++)
		if (campaign_hint_control(t, (int)j, &named) != NULL && named)
			return (int)j;
	return -1;
}

char *campaign_hint_metric(const struct table *t, int arm)
{
	const char *col;

	if (campaign_hint_events(t))
		return xstrdup("conversion");
	if ((col = campaign_hint_column(t, "conversion")) != NULL)
		return xasprintf("column:%s", col);
	for (int pass = 0; pass < 2; pass++)
		for (size_t j = 0; j < t->n_cols; j++)
			if ((int)j != arm && campaign_hint_metric_column(t, j) &&
			    (pass == 1 || t->cols[j].type == COL_BOOL))
				return xasprintf("column:%s", t->cols[j].name);
	return NULL;
}
