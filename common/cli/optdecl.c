/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "cli/optdecl.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli/options.h"
#include "util/state.h"

static const char *ordinal(size_t n)
{
	if (n % 100 >= 11 && n % 100 <= 13)
		return "th";
	return n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
}

/* "A, B or C" of a choice's words. */
static void word_list(const char *const *w, char *buf, size_t size)
{
	size_t n = 0, len = 0;

	while (w[n])
		n++;
	buf[0] = 0;
	for (size_t i = 0; i < n && len < size; i++) {
		int k = snprintf(buf + len, size - len, "%s%s",
				 i == 0       ? ""
				 : i + 1 == n ? " or "
					      : ", ",
				 w[i]);

		len += k > 0 ? (size_t)k : 0;
	}
}

static int choice(const struct eas_optdecl *d, char *dest, const char *arg, char *err,
		  size_t errlen)
{
	char words[256];

	for (int i = 0; d->words[i]; i++)
		if (!strcmp(arg, d->words[i])) {
			int v = d->values ? d->values[i] : i;

			memcpy(dest, &v, sizeof v);
			return 0;
		}
	word_list(d->words, words, sizeof words);
	snprintf(err, errlen, "must be %s, not '%.200s'", words, arg);
	return -1;
}

static int number(const struct eas_optdecl *d, char *dest, const char *arg, char *err,
		  size_t errlen)
{
	long l;
	double v;

	if (d->kind == EAS_OPT_LONG ? !eas_parse_long(arg, (long)d->min, (long)d->max, &l)
				    : !eas_parse_double(arg, d->min, d->max, &v)) {
		if (d->kind == EAS_OPT_LONG)
			memcpy(dest, &l, sizeof l);
		else
			memcpy(dest, &v, sizeof v);
		return 0;
	}
	snprintf(err, errlen, "'%.200s' is not %s from %g to %g", arg,
		 d->what ? d->what : "a number", d->min, d->max);
	return -1;
}

/* The words for a value the row's check refused. */
static int not_what(const struct eas_optdecl *d, const char *arg, char *err, size_t errlen)
{
	snprintf(err, errlen, "'%.200s' is not %s", arg, d->what ? d->what : "a valid value");
	return -1;
}

int eas_optdecl_apply(const struct eas_optdecl *d, void *base, const char *arg, char *err,
		      size_t errlen)
{
	char *dest = (char *)base + d->at;

	switch (d->kind) {
	case EAS_OPT_FLAG: {
		bool on = true;

		memcpy(dest, &on, sizeof on);
		return 0;
	}
	case EAS_OPT_CHOICE: return choice(d, dest, arg, err, errlen);
	case EAS_OPT_LONG:
	case EAS_OPT_DOUBLE: return number(d, dest, arg, err, errlen);
	case EAS_OPT_LIST: {
		size_t n;

		memcpy(&n, (char *)base + d->count_at, sizeof n);
		if (d->valid && !d->valid(arg))
			return not_what(d, arg, err, errlen);
		/* Cause first, and no value: an ini file's may be secret. */
		if (n >= (size_t)d->max) {
			snprintf(err, errlen, "at most %zu --%s (this is the %zu%s)", n, d->name,
				 n + 1, ordinal(n + 1));
			return -2;
		}
		memcpy(dest + n * sizeof arg, &arg, sizeof arg);
		n++;
		memcpy((char *)base + d->count_at, &n, sizeof n);
		return 0;
	}
	case EAS_OPT_STRING:
		if (d->valid && !d->valid(arg))
			return not_what(d, arg, err, errlen);
		break;
	case EAS_OPT_FILE:
		if (!*arg) {
			snprintf(err, errlen, "the name is empty");
			return -1;
		}
		break;
	case EAS_OPT_URL:
		if (strncasecmp(arg, "https://", 8) && strncasecmp(arg, "http://", 7)) {
			snprintf(err, errlen, "'%.200s' is not an http:// or https:// URL", arg);
			return -1;
		}
		break;
	case EAS_OPT_VALUE: return d->parse(arg, dest) ? not_what(d, arg, err, errlen) : 0;
	case EAS_OPT_UNUSED: return 0;
	}
	memcpy(dest, &arg, sizeof arg);
	return 0;
}

int eas_optdecl_needed(const struct eas_optdecl *decls, const bool *seen, char *err, size_t errlen)
{
	for (size_t i = 0; decls && decls[i].name; i++)
		if (decls[i].need && !seen[i]) {
			snprintf(err, errlen, "no --%s given: %s", decls[i].name, decls[i].need);
			return -1;
		}
	return 0;
}

int eas_optdecl_state(const char *arg, void *dest)
{
	enum eas_state s;

	if (eas_state_parse(arg, &s))
		return -1;
	memcpy(dest, &s, sizeof s);
	return 0;
}
