/* What a campaign on a dataset should use when the user has not said: the
 * control arm a column names, the metrics the dataset's shape allows, the
 * column that stands for an event metric on one row per user. */
#ifndef CROSSMKT_CAMPAIGN_HINT_H
#define CROSSMKT_CAMPAIGN_HINT_H

#include <stdbool.h>

#include "table.h"

/* The metrics of an event log, NULL-terminated. */
extern const char *const campaign_hint_event_metrics[];
/* True when t is an event log (a user and a time column), where the event
 * metrics (conversion, revenue, ctr, retention:N) work; false for one row
 * per user, where metric=column:COL does. */
bool campaign_hint_events(const struct table *t);
/* True when column j can be a column:COL metric: 0/1 or numeric, and not
 * the id or user column. */
bool campaign_hint_metric_column(const struct table *t, size_t j);
/* The column:COL metric standing for an event metric on one row per user:
 * a metric column named like it (retention:7 -> retention_7, conversion ->
 * conversion); NULL when there is none. Points into t. */
const char *campaign_hint_column(const struct table *t, const char *metric);
/* The arm column of t: its arm role, a column named like one (arm,
 * variant, group, version, treatment), else the first text column holding
 * a value named like a control; -1 when none is. */
int campaign_hint_arm(const struct table *t);
/* The metric a campaign on t starts with: "conversion" on an event log,
 * else "column:COL" for the column named like a conversion, the first 0/1
 * column or the first numeric one; NULL when there is none (new string). */
char *campaign_hint_metric(const struct table *t, int arm);
/* Adds to *cause (an event metric that failed on t) the metric that works
 * on one row per user: "metric=column:COL", or the columns to choose from. */
void campaign_hint_explain(const struct table *t, const char *metric, char **cause);
/* The control value of string column col: one named like a control
 * (control, holdout, baseline, No E-Mail, A...; *named set), else the first
 * value in the file's order (*named cleared); NULL when the column has no
 * values. Points into the column's dictionary. */
const char *campaign_hint_control(const struct table *t, int col, bool *named);

#endif
