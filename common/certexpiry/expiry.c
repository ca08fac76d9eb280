/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "certexpiry/expiry.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WEAK_RSA_BITS 2048

int eas_expiry_th_parse(const char *text, struct eas_expiry_th *th, char *err, size_t errlen)
{
	const char *given = text ? text : "";
	size_t len = strlen(given);
	char buf[48];
	char *end;

	memset(th, 0, sizeof *th);
	/* What a range may hold, with the ":" a plain count gets below. */
	if (!len || len + !strpbrk(given, ":@~%") >= sizeof th->days.text)
		goto bad;
	if (text[len - 1] == '%') {
		memcpy(buf, text, len - 1);
		buf[len - 1] = 0;
		th->pct = strtod(buf, &end);
		if (end == buf || *end || !isdigit((unsigned char)buf[0]) ||
		    !(th->pct > 0 && th->pct <= 100)) {
			snprintf(
				err, errlen,
				"'%s': a percentage of the lifetime must lie between 0 and 100, e.g. 20%%",
				text);
			return -1;
		}
		th->percent = true;
		return 0;
	}
	/* A plain number means "fewer than N days left", the range "N:";
	 * the Monitoring Plugins reading of "N" (alert above N) would make
	 * no sense for days left. */
	if (!strpbrk(text, ":@~")) {
		snprintf(buf, sizeof buf, "%s:", text);
		text = buf;
	}
	if (eas_range_parse(text, &th->days) == 0)
		return 0;
bad:
	snprintf(
		err, errlen,
		"'%s' is not a threshold in days (30), a range over days left (@0:30, 10:) or a percentage of the lifetime (20%%)",
		given);
	return -1;
}

bool eas_expiry_th_alert(const struct eas_expiry_th *th, double days_left, double lifetime_days)
{
	if (th->percent)
		return days_left < lifetime_days * th->pct / 100.0;
	return eas_range_alert(&th->days, days_left);
}

void eas_expiry_th_text(const struct eas_expiry_th *th, double lifetime_days, char *buf,
			size_t size)
{
	double d;
	int n;

	if (!th->percent) {
		snprintf(buf, size, "%s", th->days.text);
		return;
	}
	d = floor(lifetime_days * th->pct + 0.5) / 100.0; /* two decimals */
	n = snprintf(buf, size, "%.2f", d);
	/* "73.00" -> "73", "9.40" -> "9.4" */
	while (n > 0 && (size_t)n < size && strchr(buf, '.') &&
	       (buf[n - 1] == '0' || buf[n - 1] == '.'))
		buf[--n] = 0;
	if (n >= 0 && (size_t)n + 1 < size)
		memcpy(buf + n, ":", 2);
}

void eas_expiry_th_perf(const struct eas_expiry_th *th, double lifetime_days, char *buf,
			size_t size)
{
	size_t n;

	eas_expiry_th_text(th, lifetime_days, buf, size);
	/* "30:" (fewer than 30 days) as the plain boundary 30: Icinga 2's
	 * writers drop ranges, so graphs would get no threshold at all. */
	n = strlen(buf);
	if (n > 1 && buf[n - 1] == ':' && buf[0] != '@' && buf[0] != '~' && !strchr(buf, ':')[1])
		buf[n - 1] = 0;
}

long eas_expiry_days(double days_left)
{
	return (long)days_left;
}

const char *eas_expiry_role_name(enum eas_expiry_role r)
{
	static const char *const names[] = { "leaf", "intermediate", "root", "client" };

	return (unsigned)r < sizeof names / sizeof names[0] ? names[r] : "?";
}

static const char *plural(long n)
{
	return n == 1 || n == -1 ? "" : "s";
}

static void judge_expiry(const struct eas_expiry_rules *r, const struct eas_certinfo *ci,
			 const char *name, struct eas_verdict *v)
{
	char date[16], pct[48] = "";
	long days = eas_expiry_days(ci->days_left);
	const struct eas_expiry_th *hit = NULL;

	snprintf(date, sizeof date, "%.10s", ci->not_after);
	if (ci->not_yet_valid) {
		double until = ci->days_left - ci->lifetime_days;
		long d = eas_expiry_days(until);

		v->expiry_state = EAS_CRITICAL;
		snprintf(v->expiry, sizeof v->expiry,
			 "%s is not valid yet: not before %.10s (in %ld day%s)", name,
			 ci->not_before, d, plural(d));
		return;
	}
	if (ci->expired) {
		long ago = eas_expiry_days(-ci->days_left);

		v->expiry_state = EAS_CRITICAL;
		if (ago == 0)
			snprintf(v->expiry, sizeof v->expiry, "%s expired today (%s)", name, date);
		else
			snprintf(v->expiry, sizeof v->expiry, "%s expired %ld day%s ago (%s)", name,
				 ago, plural(ago), date);
		return;
	}
	if (eas_expiry_th_alert(&r->crit, ci->days_left, ci->lifetime_days)) {
		v->expiry_state = EAS_CRITICAL;
		hit = &r->crit;
	} else if (eas_expiry_th_alert(&r->warn, ci->days_left, ci->lifetime_days)) {
		v->expiry_state = EAS_WARNING;
		hit = &r->warn;
	}
	if (hit && hit->percent && ci->lifetime_days > 0)
		snprintf(pct, sizeof pct, ", %.0f%% of its lifetime left",
			 100.0 * ci->days_left / ci->lifetime_days);
	if (days == 0)
		snprintf(v->expiry, sizeof v->expiry, "%s expires in less than a day (%s%s)", name,
			 date, pct);
	else
		snprintf(v->expiry, sizeof v->expiry, "%s expires in %ld day%s (%s%s)", name, days,
			 plural(days), date, pct);
}

static void judge_crypto(const struct eas_certinfo *ci, enum eas_expiry_role role, const char *name,
			 struct eas_verdict *v)
{
	bool weak_rsa =
		!strcmp(ci->key_type, "RSA") && ci->key_bits > 0 && ci->key_bits < WEAK_RSA_BITS;
	/* A trust anchor's self-signature is never checked: its hash does
	 * not matter. A self-signed leaf's does, to whoever pinned it. */
	bool weak_sig = ci->sha1 && !(ci->self_signed && role != EAS_ROLE_LEAF);
	char key[32] = "";

	if (!weak_rsa && !weak_sig)
		return;
	if (weak_rsa)
		snprintf(key, sizeof key, "weak RSA-%d key", ci->key_bits);
	v->weak_state = EAS_WARNING;
	snprintf(v->weak, sizeof v->weak, "%s: %s%s%s", name, key,
		 weak_rsa && weak_sig ? " and " : "", weak_sig ? "SHA-1 signature" : "");
}

enum eas_state eas_expiry_judge(const struct eas_expiry_rules *r, const struct eas_certinfo *ci,
				enum eas_expiry_role role, const char *name, struct eas_verdict *v)
{
	memset(v, 0, sizeof *v);
	judge_expiry(r, ci, name, v);
	judge_crypto(ci, role, name, v);
	v->state = eas_state_worst(v->expiry_state, v->weak_state);
	return v->state;
}

void eas_expiry_label(const char *name, char *buf, size_t size)
{
	size_t n = 0;
	bool gap = false;

	if (!size)
		return;
	for (const char *s = name ? name : ""; *s && n + 1 < size; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) && c < 0x80) {
			if (gap && n && n + 2 < size)
				buf[n++] = '_';
			gap = false;
			buf[n++] = (char)tolower(c);
		} else {
			gap = true;
		}
	}
	buf[n] = 0;
	if (!n)
		snprintf(buf, size, "cert");
}
