/* The command-line splitter: cmd_parse's quoting rules, word by word, with
 * their exact errors; cmd_quote's output; and cmd_append's lines read back
 * by cmd_parse as the words they were built from. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "cutest.h"
#include "xmalloc.h"

/* args as text: the name and each positional word in [], then each
 * keyword as KEY=[VALUE], separated by spaces. */
static char *test_render(const struct cmd_args *args)
{
	char *out = xasprintf("[%s]", args->name), *next;

	for (size_t i = 0; i < args->n_pos; i++) {
		next = xasprintf("%s [%s]", out, args->pos[i]);
		free(out);
		out = next;
	}
	for (size_t i = 0; i < args->n_kv; i++) {
		next = xasprintf("%s %s=[%s]", out, args->keys[i], args->vals[i]);
		free(out);
		out = next;
	}
	return out;
}

struct test_split {
	const char *line;
	const char *want;       /* test_render of the words */
};

static const struct test_split test_splits[] = {
	{ "head users", "[head] [users]" },
	{ "  head\tusers \r\n", "[head] [users]" },
	{ "load a 'my file.csv'", "[load] [a] [my file.csv]" },
	{ "load a \"my file.csv\"", "[load] [a] [my file.csv]" },
	{ "load a my\\ file.csv", "[load] [a] [my file.csv]" },
	/* Quotes may open in the middle of a word and join what touches them. */
	{ "x control=\"No E-Mail\"", "[x] control=[No E-Mail]" },
	{ "x a'b c'd\"e f\"g", "[x] [ab cde fg]" },
	/* Single quotes keep everything, backslashes too. */
	{ "x 'a\\b' 'c\\\\d' 'e\\'", "[x] [a\\b] [c\\\\d] [e\\]" },
	{ "x 'say \"hi\"'", "[x] [say \"hi\"]" },
	{ "x 'it'\\''s'", "[x] [it's]" },
	{ "x 'a\\'b", "[x] [a\\b]" },
	/* Double quotes honour \" and \\ only. */
	{ "x \"a\\\"b\"", "[x] [a\"b]" },
	{ "x \"a\\\\b\"", "[x] [a\\b]" },
	{ "x \"a\\\\\\\\b\"", "[x] [a\\\\b]" },
	{ "x \"a\\nb\" \"c\\'d\"", "[x] [a\\nb] [c\\'d]" },
	{ "x \"it's\"", "[x] [it's]" },
	/* Outside quotes a backslash escapes any next byte. */
	{ "x a\\\\b \\'q\\' \\\"d\\\" \\n", "[x] [a\\b] ['q'] [\"d\"] [n]" },
	{ "x \\=y", "[x] [=y]" },
	/* A backslash at the end of the line stays. */
	{ "x abc\\", "[x] [abc\\]" },
	{ "x \"\\\\\"", "[x] [\\]" },
	/* = inside quotes is part of the value; quotes around the whole word
	 * do not make NAME=VALUE positional ("./" does). */
	{ "filter u where='plan=\"pro\" and x=1'", "[filter] [u] where=[plan=\"pro\" and x=1]" },
	{ "x a=\"b=c\"", "[x] a=[b=c]" },
	{ "x 'a=b'", "[x] a=[b]" },
	{ "x ./a=b =b 1a=b a-b.c_d=e", "[x] [./a=b] [=b] [1a=b] a-b.c_d=[e]" },
	{ "x 'a b=c'", "[x] [a b=c]" },
	{ "x a==b", "[x] a=[=b]" },
	/* Empty values and empty words. */
	{ "x a= b=''", "[x] a=[] b=[]" },
	{ "x '' \"\"", "[x] [] []" },
	{ "''", "[]" },
	/* UTF-8 passes through byte for byte; only ASCII letters make a key. */
	{ "load 销售 数据/二〇二六.csv", "[load] [销售] [数据/二〇二六.csv]" },
	{ "x segment=高价值 '名前 ユーザー'", "[x] [名前 ユーザー] segment=[高价值]" },
	{ "x 名前=値 é=1", "[x] [名前=値] [é=1]" },
	{ "x \"数\\\"据\" 数\\ 据", "[x] [数\"据] [数 据]" },
	/* The last of a repeated keyword is the one cmd_arg returns. */
	{ "x n=1 n=2", "[x] n=[1] n=[2]" },
};

static void test_split_table(void)
{
	for (size_t i = 0; i < sizeof test_splits / sizeof test_splits[0]; i++) {
		struct cmd_args args;
		char *cause = NULL, *got;

		if (cmd_parse(test_splits[i].line, &args, &cause) != 0) {
			fprintf(stderr, "%s: %s\n", test_splits[i].line, cause);
			CU_FAIL("cmd_parse failed");
			free(cause);
			continue;
		}
		got = test_render(&args);
		if (strcmp(got, test_splits[i].want) != 0)
			fprintf(stderr, "%s: got %s, want %s\n", test_splits[i].line, got,
			    test_splits[i].want);
		CU_ASSERT_STRING_EQUAL(got, test_splits[i].want);
		CU_ASSERT_STRING_EQUAL(args.line, test_splits[i].line);
		free(got);
		cmd_args_done(&args);
	}
}

static const struct test_split test_errors[] = {
	{ "", "empty command (type 'help' for the list of commands)" },
	{ " \t\r\n", "empty command (type 'help' for the list of commands)" },
	{ "load a 'my file.csv", "unterminated single quote at position 8" },
	{ "load a \"my file.csv", "unterminated double quote at position 8" },
	{ "'", "unterminated single quote at position 1" },
	{ "x \"a\\\"", "unterminated double quote at position 3" },
	{ "x a=\"b\" c='d", "unterminated single quote at position 11" },
	{ "x 'a' \"b'", "unterminated double quote at position 7" },
	{ "x 'a\\'b 'c", "unterminated single quote at position 9" },
	{ "x 数据 '销售", "unterminated single quote at position 6" },
};

static void test_split_errors(void)
{
	for (size_t i = 0; i < sizeof test_errors / sizeof test_errors[0]; i++) {
		struct cmd_args args;
		char *cause = NULL;

		cutest_expect_error(cmd_parse(test_errors[i].line, &args, &cause), &cause,
		    test_errors[i].want);
		CU_ASSERT_PTR_NULL(args.name);
		CU_ASSERT_EQUAL(args.n_pos + args.n_kv, 0);
	}
}

static void test_quote(void)
{
	static const char *const cases[][2] = {
		{ "users", "users" },
		{ "data/users-2026_01.csv", "data/users-2026_01.csv" },
		{ "a,b:c.d", "a,b:c.d" },
		{ "", "''" },
		{ "my file", "'my file'" },
		{ "it's", "'it'\\''s'" },
		{ "'", "''\\'''" },
		{ "a\\b", "'a\\b'" },
		{ "say \"hi\"", "'say \"hi\"'" },
		{ "a=b", "'a=b'" },
		{ "No E-Mail", "'No E-Mail'" },
		{ "a\\b\"c", "'a\\b\"c'" },
		{ "数据", "'数据'" },
		{ "$HOME", "'$HOME'" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *q = cmd_quote(cases[i][0]), *line = xasprintf("load %s x", q), *cause = NULL;
		struct cmd_args args;

		CU_ASSERT_STRING_EQUAL(q, cases[i][1]);
		CU_ASSERT_EQUAL_FATAL(cmd_parse(line, &args, &cause), 0);
		if (strchr(cases[i][0], '=') == NULL) {
			CU_ASSERT_EQUAL(args.n_pos, 2);
			CU_ASSERT_STRING_EQUAL(args.pos[0], cases[i][0]);
		}
		cmd_args_done(&args);
		free(line);
		free(q);
	}
}

static void test_append(void)
{
	char *line = xstrdup("filter"), *cause = NULL;
	struct cmd_args args;

	cmd_append(&line, NULL, "my data");
	cmd_append(&line, "where", "city == '上海'");
	cmd_append(&line, "as", "big");
	cmd_append(&line, "note", "");
	CU_ASSERT_STRING_EQUAL(line,
	    "filter 'my data' where='city == '\\''上海'\\''' as=big note=''");
	CU_ASSERT_EQUAL_FATAL(cmd_parse(line, &args, &cause), 0);
	CU_ASSERT_STRING_EQUAL(args.name, "filter");
	CU_ASSERT_EQUAL_FATAL(args.n_pos, 1);
	CU_ASSERT_STRING_EQUAL(args.pos[0], "my data");
	CU_ASSERT_EQUAL_FATAL(args.n_kv, 3);
	CU_ASSERT_STRING_EQUAL(cmd_arg(&args, "where", NULL), "city == '上海'");
	CU_ASSERT_STRING_EQUAL(cmd_arg(&args, "as", NULL), "big");
	CU_ASSERT_STRING_EQUAL(cmd_arg(&args, "note", NULL), "");
	cmd_args_done(&args);
	free(line);
}

/* Random words for the round trip: ASCII letters, the characters the
 * splitter treats specially, white space, and two- and three-byte UTF-8. */
static const char *const test_pieces[] = {
	"a", "Z", "7", "_", "-", ".", "/", ",", ":", " ", "\t", "\n", "'", "\"", "\\",
	"=", "$", "#", "*", "é", "数", "据", "ー", "'\\''", "\\\\", "\"\"",
};

static uint64_t test_rng = 0x9e3779b97f4a7c15u;

static size_t test_random(size_t n)
{
	/* xorshift64*: fixed seed, so a failure repeats. */
	test_rng ^= test_rng >> 12;
	test_rng ^= test_rng << 25;
	test_rng ^= test_rng >> 27;
	return (size_t)((test_rng * 0x2545f4914f6cdd1du) >> 33) % n;
}

static char *test_random_word(void)
{
	size_t n = test_random(9), len = 0;
	char *w = xcalloc(1, 9 * 5 + 1);

	for (size_t i = 0; i < n; i++) {
		const char *p = test_pieces[test_random(sizeof test_pieces / sizeof test_pieces[0])];

		memcpy(w + len, p, strlen(p));
		len += strlen(p);
	}
	return w;
}

/* Whether cmd_parse would read word as NAME=VALUE: such a word cannot be
 * positional, whatever its quoting. */
static bool test_keylike(const char *word)
{
	size_t i = strspn(word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_-.");

	return i > 0 && word[i] == '=' && strchr("0123456789-.", word[0]) == NULL;
}

/* A random word that is not NAME=VALUE. */
static char *test_random_positional(void)
{
	for (;;) {
		char *w = test_random_word();

		if (!test_keylike(w))
			return w;
		free(w);
	}
}

static const char *const test_keys[] = { "as", "where", "n", "by", "a.b", "x-y", "_k" };

/* One line of random words: built with cmd_append, split by cmd_parse, the
 * same words come back. */
static void test_round_trip_one(void)
{
	size_t n_pos = test_random(4), n_kv = test_random(4);
	char *pos[4], *vals[4], *line = xstrdup("cmd"), *cause = NULL;
	const char *keys[4];
	struct cmd_args args;

	for (size_t i = 0; i < n_pos; i++) {
		pos[i] = test_random_positional();
		cmd_append(&line, NULL, pos[i]);
	}
	for (size_t i = 0; i < n_kv; i++) {
		keys[i] = test_keys[test_random(sizeof test_keys / sizeof test_keys[0])];
		vals[i] = test_random_word();
		cmd_append(&line, keys[i], vals[i]);
	}
	CU_ASSERT_EQUAL_FATAL(cmd_parse(line, &args, &cause), 0);
	CU_ASSERT_STRING_EQUAL(args.name, "cmd");
	CU_ASSERT_EQUAL_FATAL(args.n_pos, n_pos);
	CU_ASSERT_EQUAL_FATAL(args.n_kv, n_kv);
	for (size_t i = 0; i < n_pos; i++) {
		if (strcmp(args.pos[i], pos[i]) != 0)
			fprintf(stderr, "round trip: [%s] became [%s] in %s\n", pos[i], args.pos[i], line);
		CU_ASSERT_STRING_EQUAL(args.pos[i], pos[i]);
		free(pos[i]);
	}
	for (size_t i = 0; i < n_kv; i++) {
		CU_ASSERT_STRING_EQUAL(args.keys[i], keys[i]);
		if (strcmp(args.vals[i], vals[i]) != 0)
			fprintf(stderr, "round trip: [%s] became [%s] in %s\n", vals[i], args.vals[i], line);
		CU_ASSERT_STRING_EQUAL(args.vals[i], vals[i]);
		free(vals[i]);
	}
	cmd_args_done(&args);
	free(line);
}

static void test_round_trip(void)
{
	for (int i = 0; i < 5000; i++)
		test_round_trip_one();
}

/* A word cmd_quote leaves bare is one the splitter reads back unchanged. */
static void test_quote_idempotent(void)
{
	for (int i = 0; i < 2000; i++) {
		char *w = test_random_word(), *q = cmd_quote(w), *line = xasprintf("x %s", q);
		struct cmd_args args;
		char *cause = NULL;

		CU_ASSERT_EQUAL_FATAL(cmd_parse(line, &args, &cause), 0);
		if (test_keylike(w)) {
			CU_ASSERT_EQUAL(args.n_kv, 1);
		} else {
			CU_ASSERT_EQUAL_FATAL(args.n_pos, 1);
			CU_ASSERT_STRING_EQUAL(args.pos[0], w);
		}
		CU_ASSERT(strcmp(q, w) != 0 || strpbrk(w, " \t\n'\"\\=$#*") == NULL);
		cmd_args_done(&args);
		free(line);
		free(q);
		free(w);
	}
}

int main(void)
{
	static const struct cutest_case cases[] = {
		{ "words, quotes, escapes, keywords, UTF-8", test_split_table },
		{ "unterminated quotes and empty lines, with their errors", test_split_errors },
		{ "cmd_quote leaves plain words bare and quotes the rest", test_quote },
		{ "cmd_append writes a line", test_append },
		{ "cmd_append then cmd_parse gives the words back", test_round_trip },
		{ "a quoted random word reads back as itself", test_quote_idempotent },
		{ NULL, NULL }
	};

	return cutest_run("command", cases);
}
