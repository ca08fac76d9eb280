/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "util/range.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A plain decimal number, the whole token: optional sign, digits, optional
 * fraction. strtod alone would also take leading blanks, hex, exponents,
 * "inf" and "nan", none of which the Monitoring Plugins document. */
static int parse_number(const char *s, size_t len, double *out)
{
	char buf[48];
	size_t i = 0, digits = 0;
	char *end;

	if (len == 0 || len >= sizeof buf)
		return -1;
	if (s[i] == '+' || s[i] == '-')
		i++;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (i != len || digits == 0)
		return -1;
	memcpy(buf, s, len);
	buf[len] = 0;
	errno = 0;
	*out = strtod(buf, &end);
	if (errno || *end || !isfinite(*out))
		return -1;
	return 0;
}

int eas_range_parse(const char *text, struct eas_range *r)
{
	const char *p = text, *colon;
	struct eas_range v = { 0 };

	if (!text || !*text || strlen(text) >= sizeof v.text)
		return -1;
	memcpy(v.text, text, strlen(text) + 1);
	if (*p == '@') {
		v.inside = true;
		p++;
	}
	colon = strchr(p, ':');
	if (colon) {
		if (colon == p + 1 && *p == '~')
			v.start_infinite = true;
		else if (colon == p)
			v.start = 0; /* ":10" is "0:10" */
		else if (parse_number(p, (size_t)(colon - p), &v.start))
			return -1;
		p = colon + 1;
		if (!*p)
			v.end_infinite = true;
		else if (parse_number(p, strlen(p), &v.end))
			return -1;
	} else if (parse_number(p, strlen(p), &v.end)) {
		return -1;
	}
	if (!v.start_infinite && !v.end_infinite && v.start > v.end)
		return -1;
	*r = v;
	return 0;
}

bool eas_range_alert(const struct eas_range *r, double value)
{
	bool within =
		(r->start_infinite || value >= r->start) && (r->end_infinite || value <= r->end);
	return r->inside ? within : !within;
}

/* A rejected range as it may be shown: it comes from the command line or an
 * ini file, so control characters and non-ASCII bytes become \xNN, and a
 * long one is cut. */
static const char *printable(const char *s)
{
	static char buf[64 * 4 + 4];
	size_t n = 0, i;

	for (i = 0; s[i] && i < 64; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f)
			n += (size_t)snprintf(buf + n, sizeof buf - n, "\\x%02x", c);
		else
			buf[n++] = (char)c;
	}
	if (s[i])
		n += (size_t)snprintf(buf + n, sizeof buf - n, "...");
	buf[n] = 0;
	return buf;
}

int eas_thresholds_parse(const char *warn, const char *crit, struct eas_thresholds *th,
			 const char **bad)
{
	struct eas_thresholds t = { 0 };

	if (warn && *warn) {
		if (eas_range_parse(warn, &t.warn)) {
			*bad = printable(warn);
			return -1;
		}
		t.has_warn = true;
	}
	if (crit && *crit) {
		if (eas_range_parse(crit, &t.crit)) {
			*bad = printable(crit);
			return -1;
		}
		t.has_crit = true;
	}
	*th = t;
	return 0;
}

enum eas_state eas_thresholds_check(const struct eas_thresholds *th, double value)
{
	if (th->has_crit && eas_range_alert(&th->crit, value))
		return EAS_CRITICAL;
	if (th->has_warn && eas_range_alert(&th->warn, value))
		return EAS_WARNING;
	return EAS_OK;
}
