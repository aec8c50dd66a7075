/* The rows of a test result a person can pick in the Campaigns view: the
 * campaign's arms, then the arms of each by= group; the breakdown table of
 * the groups and the detail popup of one row. */
#ifndef CROSSMKT_CAMPAIGN_BY_H
#define CROSSMKT_CAMPAIGN_BY_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "pager.h"

/* The number of rows of res: its arms and those of its groups. */
size_t campaign_by_count(const cJSON *res);
/* Appends the breakdown table of res's groups to p (nothing without
 * groups), row sel marked; returns the pager line of row sel, or -1. */
long campaign_by_render(struct pager *p, const cJSON *res, int cols, size_t sel);
/* Columns for arm names at cols columns: the longest name of res (also
 * in its groups), at least 3 and at most a quarter of cols. */
int campaign_by_name_width(const cJSON *res, const char *key, int cols);
/* A popup with every figure of row i of res: the arm, its group and its
 * comparison with the control (the caller owns it); NULL when there is
 * no row i. */
struct pager *campaign_by_detail(const cJSON *res, size_t i);

#endif
