/* Offline evaluation on the Online Retail data set (UCI): item-CF against
 * popularity, and content and hybrid on the product descriptions.
 *
 * Keeps rows with a customer, an invoice not starting with C (those are
 * cancellations) and a positive quantity; user = CustomerID, item =
 * StockCode, time = InvoiceDate. Every purchase is the same event type,
 * so each customer-item pair weighs 1 however often it was bought (-l
 * weighs each invoice line 1 instead, so repeat buys add up). Reads the
 * CSV with libcsv, as descriptions hold quoted commas.
 *
 * usage: recs-retail [-l] [-f frac] [-s seed] [-k k] [-m neighbours]
 *                    [-h shrink] [-t threads] [file]
 *
 * cc -O2 -pthread -I. -Isrc src/xmalloc.c src/dict.c src/datetime.c \
 *     src/recommend*.c bench/recs-retail.c -lgsl -lgslcblas -lcsv -lm \
 *     -o recs-retail
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

#include "datetime.h"
#include "dict.h"
#include "recommend.h"
#include "xmalloc.h"

enum {
	RETAIL_INVOICE,
	RETAIL_STOCK,
	RETAIL_DESCRIPTION,
	RETAIL_QUANTITY,
	RETAIL_DATE,
	RETAIL_PRICE,
	RETAIL_CUSTOMER,
	RETAIL_NFIELDS = 8
};

struct retail {
	struct dict *users, *items;
	char **titles;		/* first description of each item */
	size_t ntitles;
	uint32_t *user, *item;
	int64_t *time;
	size_t n, cap;
	size_t rows, bad;

	char *field[RETAIL_NFIELDS];	/* the row being read */
	size_t len[RETAIL_NFIELDS];
	unsigned col;
};

struct retail_opts {
	int lines;		/* weight per invoice line, not per pair */
	double frac;
	unsigned long seed;
	uint32_t k, neighbours;
	double shrink;
	unsigned threads;
	const char *path;
};

static void retail_field(void *s, size_t len, void *arg)
{
	struct retail *r = arg;

	if (r->col < RETAIL_NFIELDS) {
		free(r->field[r->col]);
		r->field[r->col] = xstrndup(s != NULL ? s : "", len);
		r->len[r->col] = len;
	}
	r->col++;
}

static int retail_keep(const struct retail *r)
{
	return r->len[RETAIL_CUSTOMER] > 0 &&
	    r->field[RETAIL_INVOICE][0] != 'C' &&
	    strtod(r->field[RETAIL_QUANTITY], NULL) > 0;
}

static void retail_grow(struct retail *r)
{
	if (r->n < r->cap)
		return;
	r->cap = r->cap * 2 + 4096;
	r->user = xreallocarray(r->user, r->cap, sizeof *r->user);
	r->item = xreallocarray(r->item, r->cap, sizeof *r->item);
	r->time = xreallocarray(r->time, r->cap, sizeof *r->time);
}

static void retail_add(struct retail *r, int64_t ms)
{
	uint32_t i;

	retail_grow(r);
	r->user[r->n] = dict_intern(r->users, r->field[RETAIL_CUSTOMER],
	    r->len[RETAIL_CUSTOMER]);
	i = dict_intern(r->items, r->field[RETAIL_STOCK],
	    r->len[RETAIL_STOCK]);
	r->item[r->n] = i;
	r->time[r->n++] = ms;
	if (i == r->ntitles) {
		r->titles = xreallocarray(r->titles, i + 1, sizeof *r->titles);
		r->titles[r->ntitles++] = xstrdup(r->field[RETAIL_DESCRIPTION]);
	}
}

static void retail_row(int c, void *arg)
{
	struct retail *r = arg;
	unsigned ncol = r->col;
	int16_t tz;
	int64_t ms;

	(void)c;
	r->col = 0;
	if (r->rows++ == 0)
		return;		/* header */
	if (ncol < RETAIL_NFIELDS - 1) {
		r->bad++;
		return;
	}
	if (!retail_keep(r))
		return;
	if (!datetime_parse_datetime(r->field[RETAIL_DATE],
	    r->len[RETAIL_DATE], &ms, &tz)) {
		r->bad++;
		return;
	}
	retail_add(r, ms);
}

static int retail_read(const char *path, struct retail *r)
{
	struct csv_parser p;
	char buf[65536];
	size_t got;
	FILE *f = fopen(path, "rb");
	int rc = 0;

	if (f == NULL) {
		fprintf(stderr, "recs-retail: %s: %s\n", path, strerror(errno));
		return -1;
	}
	csv_init(&p, CSV_APPEND_NULL);
	while (rc == 0 && (got = fread(buf, 1, sizeof buf, f)) > 0) {
		if (csv_parse(&p, buf, got, retail_field, retail_row, r) != got)
			rc = -1;
	}
	if (rc == 0 && csv_fini(&p, retail_field, retail_row, r) != 0)
		rc = -1;
	if (rc != 0)
		fprintf(stderr, "recs-retail: %s: %s\n", path,
		    csv_strerror(csv_error(&p)));
	csv_free(&p);
	fclose(f);
	return rc;
}

static void retail_free(struct retail *r)
{
	for (size_t i = 0; i < r->ntitles; i++)
		free(r->titles[i]);
	for (unsigned c = 0; c < RETAIL_NFIELDS; c++)
		free(r->field[c]);
	free(r->titles);
	free(r->user);
	free(r->item);
	free(r->time);
	dict_free(r->users);
	dict_free(r->items);
}

static void retail_print(const char *name, const struct recommend_metrics *m,
    uint32_t k)
{
	printf("  %-8s precision@%u %.4f  recall@%u %.4f  NDCG@%u %.4f  "
	    "hit rate %.4f  coverage %.4f\n", name, k, m->precision, k,
	    m->recall, k, m->ndcg, m->hit_rate, m->coverage);
}

/* Evaluates each method on one split; popular is the shared baseline. */
static int retail_methods(const struct recommend_input *in,
    const struct recommend_split *s, const struct retail_opts *o,
    const char *const *titles)
{
	static const enum recommend_method methods[] = {
		RECOMMEND_ITEMCF, RECOMMEND_CONTENT, RECOMMEND_HYBRID
	};
	struct recommend_metrics mt, base;
	struct recommend_spec spec;
	char *cause = NULL;

	recommend_spec_init(&spec);
	spec.neighbours = o->neighbours;
	spec.shrink = o->shrink;
	spec.threads = o->threads;
	spec.titles = titles;
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
		spec.method = methods[i];
		if (recommend_evaluate(in, s, &spec, o->k, &mt,
		    i == 0 ? &base : NULL, &cause) != 0) {
			fprintf(stderr, "recs-retail: %s\n", cause);
			free(cause);
			return -1;
		}
		if (i == 0)
			retail_print("popular", &base, o->k);
		retail_print(recommend_method_name(methods[i]), &mt, o->k);
	}
	return 0;
}

/* Weights 1 / (lines of the pair): the summed weight of every pair is 1,
 * so repeat purchases count once. */
static double *retail_binary(const struct recommend_input *in)
{
	struct recommend_matrix *m;
	double *w = xmalloc(in->n * sizeof *w);
	char *cause = NULL;
	size_t lo, hi, mid;

	if (recommend_matrix_build(in, NULL, &m, &cause) != 0)
		abort();
	for (size_t e = 0; e < in->n; e++) {
		lo = m->urow[in->user[e]];
		hi = m->urow[in->user[e] + 1];
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (m->uitem[mid] < in->item[e])
				lo = mid + 1;
			else
				hi = mid;
		}
		w[e] = 1 / m->uval[lo];
	}
	printf("%zu distinct customer-item pairs\n", m->nnz);
	recommend_matrix_free(m);
	return w;
}

static int retail_evaluate(const struct retail *r, const struct retail_opts *o)
{
	struct recommend_input in = { dict_count(r->users),
	    dict_count(r->items), r->n, r->user, r->item, NULL, r->time };
	const char *const *titles = (const char *const *)r->titles;
	struct recommend_split s;
	char *cause = NULL;
	double *w = retail_binary(&in);
	int rc;

	if (!o->lines)
		in.weight = w;
	if (recommend_split_fraction(&in, o->frac, o->seed, &s, &cause) != 0) {
		fprintf(stderr, "recs-retail: %s\n", cause);
		free(cause);
		free(w);
		return -1;
	}
	printf("split=%g seed=%lu: %u users evaluated, %zu held-out items\n",
	    o->frac, o->seed, s.ntestusers, s.ntest);
	rc = retail_methods(&in, &s, o, titles);
	recommend_split_done(&s);
	if (rc != 0 || recommend_split_last(&in, &s, &cause) != 0) {
		if (cause != NULL)
			fprintf(stderr, "recs-retail: %s\n", cause);
		free(cause);
		free(w);
		return -1;
	}
	printf("split=last: %u users evaluated\n", s.ntestusers);
	rc = retail_methods(&in, &s, o, titles);
	recommend_split_done(&s);
	free(w);
	return rc;
}

static void retail_parse(int argc, char **argv, struct retail_opts *o)
{
	int c;

	*o = (struct retail_opts){ 0, 0.2, 42, 10, 20, 10, 2,
	    "../shared/data/online_retail.csv" };
	while ((c = getopt(argc, argv, "lf:s:k:m:h:t:")) != -1) {
		switch (c) {
		case 'l': o->lines = 1; break;
		case 'f': o->frac = strtod(optarg, NULL); break;
		case 's': o->seed = strtoul(optarg, NULL, 10); break;
		case 'k': o->k = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'm': o->neighbours = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'h': o->shrink = strtod(optarg, NULL); break;
		case 't': o->threads = (unsigned)strtoul(optarg, NULL, 10); break;
		default:
			fprintf(stderr, "usage: recs-retail [-l] [-f frac] [-s seed] "
			    "[-k k] [-m neighbours] [-h shrink] [-t threads] "
			    "[file]\n");
			exit(2);
		}
	}
	if (optind < argc)
		o->path = argv[optind];
}

int main(int argc, char **argv)
{
	struct retail r = { 0 };
	struct retail_opts o;
	int rc;

	retail_parse(argc, argv, &o);
	r.users = dict_new();
	r.items = dict_new();
	rc = retail_read(o.path, &r);
	if (rc == 0) {
		printf("%s: %zu rows kept, %u customers x %u items, "
		    "%zu malformed\n", o.path, r.n, dict_count(r.users),
		    dict_count(r.items), r.bad);
		printf("itemcf: %u neighbours, shrink %g; k = %u; weight per "
		    "%s\n", o.neighbours, o.shrink, o.k,
		    o.lines ? "invoice line" : "customer-item pair");
		rc = retail_evaluate(&r, &o);
	}
	retail_free(&r);
	return rc == 0 ? 0 : 1;
}
