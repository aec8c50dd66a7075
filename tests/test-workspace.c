/* Borrowed workspaces: a command runs on copies that share the datasets'
 * arrays, the owner is untouched until it adopts the result, and either
 * ending frees exactly what nobody holds (ASan and valgrind check the
 * frees). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command.h"
#include "cutest.h"
#include "workspace.h"
#include "xmalloc.h"

static char keyfile[64];

static void run(struct cmd_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void run(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	char *line, *cause = NULL;
	cJSON *res = NULL;
	int rc;

	va_start(ap, fmt);
	line = xvasprintf(fmt, ap);
	va_end(ap);
	rc = cmd_run(ctx, line, &res, &cause);

	if (rc != 0)
		fprintf(stderr, "%s: %s\n", line, cause);
	CU_ASSERT_EQUAL(rc, 0);
	cJSON_Delete(res);
	free(cause);
	free(line);
}

static void load_owner(struct cmd_ctx *owner)
{
	cmd_ctx_init(owner);
	run(owner, "load users %s/tests/fixtures/ops/users.csv", cutest_srcdir());
	run(owner, "load points %s/tests/fixtures/ops/seg_points.csv", cutest_srcdir());
	run(owner, "load events %s/tests/fixtures/ops/events.csv", cutest_srcdir());
}

/* One command of each way of changing a workspace, on the borrower. */
static void change(struct cmd_ctx *job)
{
	run(job, "derive users double=spend*2");
	run(job, "pseudonymize users column=user_id keyfile=%s", keyfile);
	run(job, "mask points columns=note");
	run(job, "sort points by=x desc");
	run(job, "filter users where='spend>10' as=big");
	run(job, "drop events");
	run(job, "rename points pts");
}

static const char *cell(const struct cmd_ctx *ctx, const char *ds, const char *col, size_t row)
{
	static char buf[64];
	const struct table *t = workspace_get(&ctx->ws, ds);
	int j = t != NULL ? table_find_column(t, col) : -1;

	if (j < 0 || row >= t->n_rows)
		return "(none)";
	column_format(&t->cols[j], row, buf, sizeof buf);
	return buf;
}

/* The owner as loaded: three datasets, nothing changed. */
static void assert_as_loaded(const struct cmd_ctx *owner)
{
	const struct table *users = workspace_get(&owner->ws, "users");

	CU_ASSERT_EQUAL(owner->ws.n_tables, 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(users);
	CU_ASSERT_EQUAL(users->n_cols, 4);
	CU_ASSERT_STRING_EQUAL(cell(owner, "users", "user_id", 0), "u1");
	CU_ASSERT_STRING_EQUAL(cell(owner, "users", "spend", 0), "120.5");
	CU_ASSERT_STRING_EQUAL(cell(owner, "points", "id", 0), "p1");
	CU_ASSERT_FALSE(workspace_get(&owner->ws, "points")->cols[7].masked);
	CU_ASSERT_PTR_NOT_NULL(workspace_get(&owner->ws, "events"));
	CU_ASSERT_PTR_NULL(workspace_get(&owner->ws, "big"));
	for (size_t i = 0; i < owner->ws.n_tables; i++)
		for (size_t j = 0; j < owner->ws.tables[i]->n_cols; j++)
			CU_ASSERT_FALSE(owner->ws.tables[i]->cols[j].borrowed);
}

static void test_adopt(void)
{
	struct cmd_ctx owner, job;
	const struct table *users, *pts, *before;

	load_owner(&owner);
	before = workspace_get(&owner.ws, "users");
	cmd_ctx_init(&job);
	workspace_borrow(&job.ws, &owner.ws);
	CU_ASSERT_PTR_EQUAL(workspace_get(&job.ws, "users")->cols[3].v.raw,
	    workspace_get(&owner.ws, "users")->cols[3].v.raw);
	change(&job);
	assert_as_loaded(&owner);
	workspace_adopt(&owner.ws, &job.ws);
	CU_ASSERT_EQUAL(job.ws.n_tables, 0);
	CU_ASSERT_EQUAL(owner.ws.n_tables, 3);
	users = workspace_get(&owner.ws, "users");
	pts = workspace_get(&owner.ws, "pts");
	CU_ASSERT_PTR_NOT_NULL_FATAL(users);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pts);
	/* Views hold datasets by address. */
	CU_ASSERT_PTR_EQUAL(users, before);
	CU_ASSERT_PTR_NULL(users->origin);
	CU_ASSERT_EQUAL(users->n_cols, 5);
	CU_ASSERT_STRING_EQUAL(cell(&owner, "users", "double", 0), "241");
	CU_ASSERT_EQUAL(strlen(cell(&owner, "users", "user_id", 0)), 16);
	CU_ASSERT_STRING_EQUAL(cell(&owner, "users", "spend", 3), "7.25");
	CU_ASSERT_TRUE(pts->cols[7].masked);
	CU_ASSERT_STRING_EQUAL(cell(&owner, "pts", "x", 0), "13");
	CU_ASSERT_STRING_EQUAL(cell(&owner, "big", "spend", 1), "15");
	CU_ASSERT_EQUAL(workspace_get(&owner.ws, "big")->n_rows, 2);
	CU_ASSERT_PTR_NULL(workspace_get(&owner.ws, "events"));
	CU_ASSERT_PTR_NULL(workspace_get(&owner.ws, "points"));
	for (size_t i = 0; i < owner.ws.n_tables; i++)
		for (size_t j = 0; j < owner.ws.tables[i]->n_cols; j++)
			CU_ASSERT_FALSE(owner.ws.tables[i]->cols[j].borrowed);
	/* The adopted datasets are whole: a second round changes them again. */
	run(&owner, "derive users triple=double*1.5");
	CU_ASSERT_STRING_EQUAL(cell(&owner, "users", "triple", 0), "361.5");
	cmd_ctx_done(&job);
	cmd_ctx_done(&owner);
}

static void test_release(void)
{
	struct cmd_ctx owner, job;

	load_owner(&owner);
	cmd_ctx_init(&job);
	workspace_borrow(&job.ws, &owner.ws);
	change(&job);
	workspace_release(&job.ws, &owner.ws);
	CU_ASSERT_EQUAL(job.ws.n_tables, 0);
	assert_as_loaded(&owner);
	cmd_ctx_done(&job);
	cmd_ctx_done(&owner);
}

/* An empty workspace borrows and adopts as well (the first load). */
static void test_empty(void)
{
	struct cmd_ctx owner, job;

	cmd_ctx_init(&owner);
	cmd_ctx_init(&job);
	workspace_borrow(&job.ws, &owner.ws);
	run(&job, "load users %s/tests/fixtures/ops/users.csv", cutest_srcdir());
	workspace_adopt(&owner.ws, &job.ws);
	CU_ASSERT_EQUAL(owner.ws.n_tables, 1);
	CU_ASSERT_STRING_EQUAL(cell(&owner, "users", "city", 1), "北京");
	cmd_ctx_done(&job);
	cmd_ctx_done(&owner);
}

int main(void)
{
	static const struct cutest_case cases[] = {
		{ "adopting a borrowed workspace keeps every change", test_adopt },
		{ "releasing a borrowed workspace leaves the owner as it was", test_release },
		{ "an empty workspace borrows and adopts", test_empty },
		{ NULL, NULL }
	};
	char dir[] = "/tmp/crossmkt-ws-XXXXXX";
	int rc;

	if (mkdtemp(dir) == NULL)
		return 99;
	snprintf(keyfile, sizeof keyfile, "%s/key", dir);
	rc = cutest_run("workspace", cases);
	unlink(keyfile);
	rmdir(dir);
	return rc;
}
