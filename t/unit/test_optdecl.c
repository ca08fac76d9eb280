/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The declarative option parser: every kind fills its destination, and
 * refuses a bad value with the words the plugins print. */
#include <stdbool.h>
#include <string.h>

#include "cli/optdecl.h"
#include "util/state.h"
#include "tap.h"

#define CAP 16

struct conf {
	bool flag;
	int method;
	unsigned mask;
	long days;
	double secs;
	const char *list[CAP];
	size_t nlist;
	const char *name, *file, *url;
	enum eas_state state;
};

static bool short_word(const char *s)
{
	return *s && strlen(s) < 5;
}

static const char *const methods[] = { "OPTIONS", "GET", NULL };
static const char *const masks[] = { "pox", "json", "both", NULL };
static const int mask_values[] = { 1, 2, 3 };

static const struct eas_optdecl decls[] = {
	{ EAS_OPTROW("flag", NULL, "", EAS_OPT_FLAG, offsetof(struct conf, flag)) },
	{ EAS_OPTROW("method", "M", "", EAS_OPT_CHOICE, offsetof(struct conf, method)),
	  .words = methods },
	{ EAS_OPTROW("mask", "M", "", EAS_OPT_CHOICE, offsetof(struct conf, mask)), .words = masks,
	  .values = mask_values },
	{ EAS_OPTROW("days", "N", "", EAS_OPT_LONG, offsetof(struct conf, days)), .min = 0,
	  .max = 3650, .what = "a number of days" },
	{ EAS_OPTROW("heartbeat", "S", "", EAS_OPT_DOUBLE, offsetof(struct conf, secs)), .min = 10,
	  .max = 3600 },
	{ EAS_OPTROW("require-version", "X.Y", "", EAS_OPT_LIST, offsetof(struct conf, list)),
	  .count_at = offsetof(struct conf, nlist), .max = CAP, .valid = short_word,
	  .what = "a protocol version like 14.1" },
	{ EAS_OPTROW("name", "N", "", EAS_OPT_STRING, offsetof(struct conf, name)),
	  .valid = short_word, .what = "a short word", .need = "the name to use" },
	{ EAS_OPTROW("file", "F", "", EAS_OPT_FILE, offsetof(struct conf, file)) },
	{ EAS_OPTROW("url", "U", "", EAS_OPT_URL, offsetof(struct conf, url)) },
	{ EAS_OPTROW("state", "S", "", EAS_OPT_VALUE, offsetof(struct conf, state)),
	  .parse = eas_optdecl_state, .what = "OK, WARNING, CRITICAL or UNKNOWN" },
	{ EAS_OPTROW("key", "F", "", EAS_OPT_UNUSED, 0) },
	{ 0 },
};

enum { FLAG, METHOD, MASK, DAYS, HEARTBEAT, LIST, NAME, FILE_, URL, STATE, UNUSED };

static char err[512];

static int apply(struct conf *c, int row, const char *arg)
{
	err[0] = 0;
	return eas_optdecl_apply(&decls[row], c, arg, err, sizeof err);
}

static void kinds(struct tap *t)
{
	struct conf c = { .method = -1, .days = 30, .secs = 60, .state = EAS_OK };

	TAP_OK(t, apply(&c, FLAG, NULL) == 0 && c.flag, "a flag sets its bool");
	TAP_OK(t, apply(&c, METHOD, "GET") == 0 && c.method == 1, "a choice stores its index");
	TAP_OK(t, apply(&c, MASK, "both") == 0 && c.mask == 3, "a choice stores its value");
	TAP_OK(t,
	       apply(&c, MASK, "soap") == -1 && c.mask == 3 &&
		       !strcmp(err, "must be pox, json or both, not 'soap'"),
	       "a bad choice names the words: %s", err);
	TAP_OK(t,
	       apply(&c, METHOD, "get") == -1 && !strcmp(err, "must be OPTIONS or GET, not 'get'"),
	       "a choice is exact: %s", err);
	TAP_OK(t, apply(&c, DAYS, "45") == 0 && c.days == 45, "a whole number in range");
	TAP_OK(t,
	       apply(&c, DAYS, "3651") == -1 && c.days == 45 &&
		       !strcmp(err, "'3651' is not a number of days from 0 to 3650"),
	       "above the range: %s", err);
	TAP_OK(t, apply(&c, DAYS, "-1") == -1, "below the range");
	TAP_OK(t, apply(&c, DAYS, "1.5") == -1, "a whole number has no fraction");
	TAP_OK(t, apply(&c, HEARTBEAT, "12.5") == 0 && c.secs == 12.5, "a number in range");
	TAP_OK(t,
	       apply(&c, HEARTBEAT, "5x") == -1 && c.secs == 12.5 &&
		       !strcmp(err, "'5x' is not a number from 10 to 3600"),
	       "not a number: %s", err);
	TAP_OK(t, apply(&c, HEARTBEAT, "9.99") == -1, "below a range's fraction");
	TAP_OK(t, apply(&c, HEARTBEAT, "inf") == -1 && apply(&c, HEARTBEAT, "nan") == -1,
	       "inf and nan are not numbers");
	TAP_OK(t, apply(&c, HEARTBEAT, "") == -1, "empty is not a number");
	TAP_OK(t, apply(&c, NAME, "abc") == 0 && !strcmp(c.name, "abc"), "a string is kept");
	TAP_OK(t,
	       apply(&c, NAME, "abcdef") == -1 && !strcmp(c.name, "abc") &&
		       !strcmp(err, "'abcdef' is not a short word"),
	       "a string its check refuses: %s", err);
	TAP_OK(t, apply(&c, FILE_, "/etc/x") == 0 && !strcmp(c.file, "/etc/x"), "a file name");
	TAP_OK(t, apply(&c, FILE_, "") == -1 && !strcmp(err, "the name is empty"),
	       "an empty file name: %s", err);
	TAP_OK(t,
	       apply(&c, URL, "HTTPS://a.example/x") == 0 && !strcmp(c.url, "HTTPS://a.example/x"),
	       "an https URL, any case");
	TAP_OK(t,
	       apply(&c, URL, "ftp://a.example/") == -1 &&
		       !strcmp(err, "'ftp://a.example/' is not an http:// or https:// URL"),
	       "not an http URL: %s", err);
	TAP_OK(t, apply(&c, STATE, "critical") == 0 && c.state == EAS_CRITICAL,
	       "a value parsed by its function");
	TAP_OK(t,
	       apply(&c, STATE, "BAD") == -1 && c.state == EAS_CRITICAL &&
		       !strcmp(err, "'BAD' is not OK, WARNING, CRITICAL or UNKNOWN"),
	       "a value its function refuses: %s", err);
	TAP_OK(t, apply(&c, UNUSED, "whatever") == 0, "an unused option takes any value");
}

/* The bug this parser fixed: the 17th --require-version was called "not a
 * protocol version". */
static void bounded(struct tap *t)
{
	static const char *const v[] = { "12.0", "12.1", "14.0", "14.1" };
	struct conf c = { 0 };
	int rc = 0;

	for (int i = 0; i < CAP; i++)
		rc |= apply(&c, LIST, v[i % 4]);
	TAP_OK(t, rc == 0 && c.nlist == CAP && !strcmp(c.list[CAP - 1], "14.1"),
	       "16 --require-version are kept in order");
	TAP_OK(t, apply(&c, LIST, "14.1") == -2 && c.nlist == CAP,
	       "the 17th is refused as one too many, not as a bad value");
	TAP_OK(t, !strcmp(err, "at most 16 --require-version (this is the 17th)"), "%s", err);
	TAP_OK(t, !strstr(err, "14.1"),
	       "the sentence quotes no value (an ini file's may be secret)");
	TAP_OK(t,
	       apply(&c, LIST, "1234567") == -1 &&
		       !strcmp(err, "'1234567' is not a protocol version like 14.1"),
	       "a bad item stays a bad value, even on a full list: %s", err);
	c.nlist = 0;
	TAP_OK(t, apply(&c, LIST, "") == -1 && c.nlist == 0,
	       "an item its check refuses is not added");
}

static void needed(struct tap *t)
{
	bool seen[EAS_OPTDECL_MAX] = { 0 };

	err[0] = 0;
	TAP_OK(t,
	       eas_optdecl_needed(decls, seen, err, sizeof err) == -1 &&
		       !strcmp(err, "no --name given: the name to use"),
	       "a needed option absent: %s", err);
	seen[NAME] = true;
	TAP_OK(t, eas_optdecl_needed(decls, seen, err, sizeof err) == 0, "a needed option given");
	TAP_OK(t, eas_optdecl_needed(NULL, seen, err, sizeof err) == 0, "no table, nothing needed");
}

int main(void)
{
	struct tap t = { 0 };

	kinds(&t);
	bounded(&t);
	needed(&t);
	return tap_done(&t);
}
