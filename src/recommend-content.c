/* Content-based scoring: TF-IDF vectors over item tags and title tokens,
 * a user profile that sums the vectors of consumed items (by weight), and
 * cosine similarity computed through an inverted index, so only items that
 * share a feature with the profile are touched.
 *
 * Chinese and Japanese titles have no spaces, so CJK runs are cut into
 * overlapping character bigrams: 健康饮食 gives 健康 康饮 饮食, and
 * 饮食指南 shares 饮食 with it. ASCII words are lower-cased. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cancel.h"
#include "recommend-impl.h"
#include "utf8.h"
#include "xmalloc.h"

enum content_class {
	CONTENT_SEP,
	CONTENT_WORD,
	CONTENT_CJK
};

struct content_tok {
	void (*fn)(const char *, size_t, void *);
	void *arg;
	char *word;		/* current word, lower-cased */
	size_t wlen, wcap, wchars;
	const char *prev;	/* previous character of a CJK run */
	size_t prevlen, run;
	size_t count;
};

/* Decodes one UTF-8 character; malformed bytes decode as U+FFFD, length 1. */
static uint32_t content_decode(const unsigned char *s, size_t *len)
{
	uint32_t cp;

	if ((*len = utf8_decode(s, SIZE_MAX, &cp)) != 0)
		return cp;
	*len = 1;
	return 0xfffd;
}

static int content_in(uint32_t cp, const uint32_t (*ranges)[2], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (cp >= ranges[i][0] && cp <= ranges[i][1])
			return 1;
	}
	return 0;
}

/* Kana, CJK ideographs (with extensions) and Hangul syllables. */
static const uint32_t content_cjk[][2] = {
	{ 0x3040, 0x30ff }, { 0x3400, 0x4dbf }, { 0x4e00, 0x9fff },
	{ 0xac00, 0xd7af }, { 0xf900, 0xfaff }, { 0x20000, 0x3134f }
};

/* Punctuation and symbols, ASCII aside: Latin-1 signs, general
 * punctuation to arrows and shapes, CJK and full-width punctuation,
 * emoji. */
static const uint32_t content_sep[][2] = {
	{ 0x80, 0xbf }, { 0xd7, 0xd7 }, { 0xf7, 0xf7 }, { 0x2000, 0x2bff },
	{ 0x3000, 0x303f }, { 0xfe30, 0xfe4f }, { 0xff00, 0xff0f },
	{ 0xff1a, 0xff20 }, { 0xff3b, 0xff40 }, { 0xff5b, 0xff65 },
	{ 0xfffd, 0xfffd }, { 0x1f000, 0x1faff }
};

#define CONTENT_NRANGES(a) (sizeof (a) / sizeof (a)[0])

/* Classifies a character, folding full-width and upper-case ASCII. */
static enum content_class content_classify(uint32_t *cp)
{
	if (*cp >= 0xff01 && *cp <= 0xff5e &&
	    !content_in(*cp, content_sep, CONTENT_NRANGES(content_sep)))
		*cp -= 0xfee0;
	if (*cp < 0x80) {
		if (*cp >= 'A' && *cp <= 'Z')
			*cp += 'a' - 'A';
		if ((*cp >= 'a' && *cp <= 'z') || (*cp >= '0' && *cp <= '9'))
			return CONTENT_WORD;
		return CONTENT_SEP;
	}
	if (content_in(*cp, content_cjk, CONTENT_NRANGES(content_cjk)))
		return CONTENT_CJK;
	if (content_in(*cp, content_sep, CONTENT_NRANGES(content_sep)))
		return CONTENT_SEP;
	return CONTENT_WORD;
}

static void content_emit(struct content_tok *t, const char *s, size_t len)
{
	t->fn(s, len, t->arg);
	t->count++;
}

/* Single letters carry almost no meaning in titles. */
static void content_word_end(struct content_tok *t)
{
	if (t->wchars >= 2)
		content_emit(t, t->word, t->wlen);
	t->wlen = t->wchars = 0;
}

/* A CJK run of one character stands for itself. */
static void content_run_end(struct content_tok *t)
{
	if (t->run == 1)
		content_emit(t, t->prev, t->prevlen);
	t->run = 0;
}

static void content_word_add(struct content_tok *t, uint32_t cp,
    const char *src, size_t len)
{
	if (t->wlen + 4 > t->wcap) {
		t->wcap = t->wcap * 2 + 32;
		t->word = xreallocarray(t->word, t->wcap, 1);
	}
	if (cp < 0x80)
		t->word[t->wlen++] = (char)cp;
	else {
		memcpy(t->word + t->wlen, src, len);
		t->wlen += len;
	}
	t->wchars++;
}

/* Characters of a run are adjacent in the text, so a bigram is a slice. */
static void content_cjk_add(struct content_tok *t, const char *src,
    size_t len)
{
	if (t->run > 0)
		content_emit(t, t->prev, t->prevlen + len);
	t->prev = src;
	t->prevlen = len;
	t->run++;
}

/* Words end at separators and CJK; CJK runs end at anything else. */
size_t recommend_tokenize(const char *text,
    void (*fn)(const char *tok, size_t len, void *arg), void *arg)
{
	struct content_tok t = { .fn = fn, .arg = arg };
	const unsigned char *s = (const unsigned char *)text;
	size_t len;
	uint32_t cp;

	for (; text != NULL && *s != '\0'; s += len) {
		cp = content_decode(s, &len);
		switch (content_classify(&cp)) {
		case CONTENT_WORD:
			content_run_end(&t);
			content_word_add(&t, cp, (const char *)s, len);
			break;
		case CONTENT_CJK:
			content_word_end(&t);
			content_cjk_add(&t, (const char *)s, len);
			break;
		default:
			content_word_end(&t);
			content_run_end(&t);
			break;
		}
	}
	content_word_end(&t);
	content_run_end(&t);
	free(t.word);
	return t.count;
}

/* Feature texts, interned in an open-addressing table; codes are dense
 * in order of first sight. */
struct content_feats {
	char **str;
	size_t *len;
	uint32_t n, cap;
	uint32_t *slot;		/* code + 1, or 0 when empty */
	size_t nslots;
};

static uint64_t content_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static void content_feats_grow(struct content_feats *t)
{
	size_t nslots = t->nslots ? t->nslots * 2 : 64, i;

	free(t->slot);
	t->slot = xcalloc(nslots, sizeof *t->slot);
	t->nslots = nslots;
	for (uint32_t c = 0; c < t->n; c++) {
		i = content_hash(t->str[c], t->len[c]) & (nslots - 1);
		while (t->slot[i] != 0)
			i = (i + 1) & (nslots - 1);
		t->slot[i] = c + 1;
	}
}

static uint32_t content_feats_intern(struct content_feats *t, const char *s,
    size_t len)
{
	size_t i;
	uint32_t c;

	if (2 * ((size_t)t->n + 1) > t->nslots)
		content_feats_grow(t);
	i = content_hash(s, len) & (t->nslots - 1);
	for (; (c = t->slot[i]) != 0; i = (i + 1) & (t->nslots - 1)) {
		if (t->len[c - 1] == len && memcmp(t->str[c - 1], s, len) == 0)
			return c - 1;
	}
	if (t->n == t->cap) {
		t->cap = t->cap * 2 + 64;
		t->str = xreallocarray(t->str, t->cap, sizeof *t->str);
		t->len = xreallocarray(t->len, t->cap, sizeof *t->len);
	}
	t->str[t->n] = xstrndup(s, len);
	t->len[t->n] = len;
	t->slot[i] = t->n + 1;
	return t->n++;
}

static void content_feats_free(struct content_feats *t)
{
	for (uint32_t c = 0; c < t->n; c++)
		free(t->str[c]);
	free(t->str);
	free(t->len);
	free(t->slot);
	free(t);
}

/* Feature codes of the item being read. */
struct content_bag {
	struct content_feats *d;
	uint32_t *code;
	size_t n, cap;
};

static void content_bag_add(struct content_bag *b, uint32_t code)
{
	if (b->n == b->cap) {
		b->cap = b->cap * 2 + 16;
		b->code = xreallocarray(b->code, b->cap, sizeof *b->code);
	}
	b->code[b->n++] = code;
}

static void content_bag_token(const char *tok, size_t len, void *arg)
{
	struct content_bag *b = arg;

	content_bag_add(b, content_feats_intern(b->d, tok, len));
}

/* Tag separators: ASCII , ; | and the full-width comma, semicolon and
 * the ideographic comma that Chinese text uses. */
static const char *const content_tag_seps[] = {
	",", ";", "|", "\xef\xbc\x8c", "\xef\xbc\x9b", "\xe3\x80\x81"
};

/* Length of the separator at p, or 0. */
static size_t content_tag_sep(const char *p)
{
	size_t n = sizeof content_tag_seps / sizeof content_tag_seps[0], len;

	for (size_t i = 0; i < n; i++) {
		len = strlen(content_tag_seps[i]);
		if (strncmp(p, content_tag_seps[i], len) == 0)
			return len;
	}
	return 0;
}

/* One tag, trimmed and with ASCII lower-cased. */
static void content_bag_tag(struct content_bag *b, const char *p,
    const char *end)
{
	char *tag;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end == p)
		return;
	tag = xstrndup(p, (size_t)(end - p));
	for (char *c = tag; *c != '\0'; c++) {
		if (*c >= 'A' && *c <= 'Z')
			*c += 'a' - 'A';
	}
	content_bag_add(b, content_feats_intern(b->d, tag, strlen(tag)));
	free(tag);
}

/* Tags are whole features. */
static void content_bag_tags(struct content_bag *b, const char *tags)
{
	const char *p = tags, *start = tags;
	size_t sep;

	for (; p != NULL && *p != '\0'; p++) {
		if ((sep = content_tag_sep(p)) == 0)
			continue;
		content_bag_tag(b, start, p);
		p += sep - 1;
		start = p + 1;
	}
	if (p != NULL)
		content_bag_tag(b, start, p);
}

static int content_code_cmp(const void *va, const void *vb)
{
	uint32_t a = *(const uint32_t *)va, b = *(const uint32_t *)vb;

	return (a > b) - (a < b);
}

/* Appends an item's features with their counts (the term frequency). */
static void content_append(struct recommend_model *model,
    struct content_bag *b, size_t *n, size_t *cap)
{
	qsort(b->code, b->n, sizeof *b->code, content_code_cmp);
	for (size_t i = 0; i < b->n; i++) {
		if (i > 0 && b->code[i] == b->code[i - 1]) {
			model->fval[*n - 1]++;
			continue;
		}
		if (*n == *cap) {
			*cap = *cap * 2 + 64;
			model->ffeat = xreallocarray(model->ffeat, *cap,
			    sizeof *model->ffeat);
			model->fval = xreallocarray(model->fval, *cap,
			    sizeof *model->fval);
		}
		model->ffeat[*n] = b->code[i];
		model->fval[(*n)++] = 1;
	}
	b->n = 0;
}

/* Smoothed IDF, ln((1 + N) / (1 + df)) + 1, then unit length per item. */
static void content_weigh(struct recommend_model *model)
{
	uint32_t nitems = model->m->nitems;
	double *idf = xcalloc(model->nfeat + 1, sizeof *idf);
	size_t nnz = model->foff[nitems];

	for (size_t p = 0; p < nnz; p++)
		idf[model->ffeat[p]]++;
	for (uint32_t f = 0; f < model->nfeat; f++)
		idf[f] = log((1.0 + nitems) / (1.0 + idf[f])) + 1;
	for (uint32_t i = 0; i < nitems; i++) {
		double s = 0;

		for (size_t p = model->foff[i]; p < model->foff[i + 1]; p++) {
			model->fval[p] *= idf[model->ffeat[p]];
			s += model->fval[p] * model->fval[p];
		}
		s = sqrt(s);
		for (size_t p = model->foff[i]; p < model->foff[i + 1]; p++)
			model->fval[p] /= s;
	}
	free(idf);
}

static void content_index(struct recommend_model *model)
{
	size_t nnz = model->foff[model->m->nitems];

	model->poff = xmalloc(((size_t)model->nfeat + 1) * sizeof *model->poff);
	model->pitem = xmalloc((nnz ? nnz : 1) * sizeof *model->pitem);
	model->pval = xmalloc((nnz ? nnz : 1) * sizeof *model->pval);
	recommend_transpose(model->m->nitems, model->nfeat, model->foff,
	    model->ffeat, model->fval, model->poff, model->pitem, model->pval);
}

/* Features per item, then TF-IDF weights, then the inverted index; -1
 * with "cancelled" when the model's flag is set (recommend_content_free
 * frees what was built). */
int recommend_content_fit(struct recommend_model *model,
    const char *const *titles, const char *const *tags, char **cause)
{
	uint32_t nitems = model->m->nitems;
	struct content_bag b = { 0 };
	size_t n = 0, cap = 0;

	if (titles == NULL && tags == NULL) {
		*cause = xasprintf("content needs item titles or tags");
		return -1;
	}
	model->feat = b.d = xcalloc(1, sizeof *b.d);
	model->foff = xmalloc(((size_t)nitems + 1) * sizeof *model->foff);
	for (uint32_t i = 0; i < nitems; i++) {
		if (i % CANCEL_BLOCK == 0 &&
		    cancel_check(model->cancel, cause)) {
			free(b.code);
			return -1;
		}
		model->foff[i] = n;
		if (titles != NULL)
			recommend_tokenize(titles[i], content_bag_token, &b);
		if (tags != NULL)
			content_bag_tags(&b, tags[i]);
		content_append(model, &b, &n, &cap);
	}
	model->foff[nitems] = n;
	model->nfeat = model->feat->n;
	free(b.code);
	content_weigh(model);
	content_index(model);
	return 0;
}

/* Frees the content part of a model. */
void recommend_content_free(struct recommend_model *model)
{
	if (model->feat != NULL)
		content_feats_free(model->feat);
	free(model->foff);
	free(model->ffeat);
	free(model->fval);
	free(model->poff);
	free(model->pitem);
	free(model->pval);
}

/* Empty for unknown codes, so callers can print it unchecked. */
const char *recommend_feature_name(const struct recommend_model *model,
    uint32_t id)
{
	if (model->feat == NULL || id >= model->nfeat)
		return "";
	return model->feat->str[id];
}

/* The profile: consumed items' vectors summed by interaction weight. */
static void content_profile(const struct recommend_model *model,
    struct recommend_scratch *sc, uint32_t user)
{
	const struct recommend_matrix *m = model->m;
	double s = 0;

	for (size_t p = m->urow[user]; p < m->urow[user + 1]; p++) {
		uint32_t i = m->uitem[p];

		for (size_t q = model->foff[i]; q < model->foff[i + 1]; q++) {
			uint32_t f = model->ffeat[q];

			if (sc->profile[f] == 0)
				sc->ftouched[sc->nftouched++] = f;
			sc->profile[f] += m->uval[p] * model->fval[q];
		}
	}
	for (size_t t = 0; t < sc->nftouched; t++)
		s += sc->profile[sc->ftouched[t]] * sc->profile[sc->ftouched[t]];
	sc->pnorm = sqrt(s);
}

/* Cosine of the profile with each item sharing a feature. */
void recommend_content_score(const struct recommend_model *model,
    struct recommend_scratch *sc, uint32_t user)
{
	content_profile(model, sc, user);
	for (size_t t = 0; t < sc->nftouched && sc->pnorm > 0; t++) {
		uint32_t f = sc->ftouched[t];
		double pf = sc->profile[f] / sc->pnorm;

		for (size_t r = model->poff[f]; r < model->poff[f + 1]; r++) {
			uint32_t j = model->pitem[r];

			if (sc->state[j] & RECOMMEND_CONSUMED)
				continue;
			recommend_touch(sc, j);
			sc->ct[j] += pf * model->pval[r];
		}
	}
}

/* A feature's share is its term of the cosine. */
void recommend_content_explain(const struct recommend_model *model,
    const struct recommend_scratch *sc, struct recommend_hit *hit,
    double scale)
{
	uint32_t j = hit->item;

	if (scale <= 0 || sc->pnorm <= 0)
		return;
	for (size_t q = model->foff[j]; q < model->foff[j + 1]; q++) {
		uint32_t f = model->ffeat[q];
		double c = sc->profile[f] / sc->pnorm * model->fval[q] * scale;

		if (c > 0)
			recommend_reason_add(hit, RECOMMEND_REASON_FEATURE, f, c);
	}
}

/* Only the touched profile entries need zeroing. */
void recommend_content_clear(const struct recommend_model *model,
    struct recommend_scratch *sc)
{
	(void)model;
	for (size_t t = 0; t < sc->nftouched; t++)
		sc->profile[sc->ftouched[t]] = 0;
	sc->nftouched = 0;
}
