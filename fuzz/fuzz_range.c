/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Thresholds (-w/-c) and certificate expiry thresholds.
 * Input: a mode byte, then text (warn NUL crit for the thresholds).
 * Invariants:
 *  - a parsed range keeps its text, has start <= end, and re-formatted
 *    ("@" "~:" / "START:" "END") parses to the same range;
 *  - eas_range_alert agrees with the documented meaning at its edges;
 *  - eas_thresholds_parse accepts exactly what eas_range_parse accepts,
 *    and a refusal's *bad is printable ASCII of bounded length;
 *  - an expiry threshold in days is a range re-formatted by
 *    eas_expiry_th_text to a text that parses to the same threshold; a
 *    percentage lies in (0, 100] and its text is a range "D:" over days;
 *  - eas_expiry_label: only [a-z0-9_], no '_' at either end or twice,
 *    the documented label when it fits, else cut to the buffer. */
#include "fuzz.h"

#include <ctype.h>
#include <math.h>

#include "certexpiry/expiry.h"
#include "util/range.h"

/* The shortest plain decimal (no exponent) that reads back as v. */
static int decimal(double v, char *buf, size_t size)
{
	for (int prec = 0; prec <= 60; prec++) {
		int n = snprintf(buf, size, "%.*f", prec, v);

		if (n < 0 || (size_t)n >= size)
			return -1;
		if (strtod(buf, NULL) == v)
			return 0;
	}
	return -1;
}

static bool same_range(const struct eas_range *a, const struct eas_range *b)
{
	return a->inside == b->inside && a->start_infinite == b->start_infinite &&
	       a->end_infinite == b->end_infinite && (a->start_infinite || a->start == b->start) &&
	       (a->end_infinite || a->end == b->end);
}

static void check_range(const char *text, const struct eas_range *r)
{
	char again[160], s[80] = "", e[80] = "";
	struct eas_range r2;

	FUZZ_ASSERT(!strcmp(r->text, text), "text '%s' kept as '%s'", text, r->text);
	FUZZ_ASSERT(r->start_infinite || isfinite(r->start), "start");
	FUZZ_ASSERT(r->end_infinite || isfinite(r->end), "end");
	FUZZ_ASSERT(r->start_infinite || r->end_infinite || r->start <= r->end,
		    "'%s': start %g > end %g", text, r->start, r->end);
	if (!r->start_infinite && decimal(r->start, s, sizeof s))
		return;
	if (!r->end_infinite && decimal(r->end, e, sizeof e))
		return;
	snprintf(again, sizeof again, "%s%s:%s", r->inside ? "@" : "", r->start_infinite ? "~" : s,
		 r->end_infinite ? "" : e);
	if (strlen(again) >= sizeof r->text)
		return; /* longer than a range may be: nothing to compare */
	FUZZ_ASSERT(eas_range_parse(again, &r2) == 0, "'%s' re-formatted as '%s' does not parse",
		    text, again);
	FUZZ_ASSERT(same_range(r, &r2), "'%s' re-formatted as '%s' differs", text, again);

	/* The edges: inclusive at both ends. */
	if (!r->start_infinite) {
		FUZZ_ASSERT(eas_range_alert(r, r->start) == r->inside, "start edge");
		if (r->start > -1e300 && r->start - 1 < r->start)
			FUZZ_ASSERT(eas_range_alert(r, r->start - 1) == !r->inside, "below start");
	}
	if (!r->end_infinite) {
		FUZZ_ASSERT(eas_range_alert(r, r->end) == r->inside, "end edge");
		if (r->end < 1e300 && r->end + 1 > r->end)
			FUZZ_ASSERT(eas_range_alert(r, r->end + 1) == !r->inside, "above end");
	}
	if (r->start_infinite && r->end_infinite)
		FUZZ_ASSERT(eas_range_alert(r, 0) == r->inside, "everything");
}

static void check_bad(const char *bad)
{
	size_t len;

	FUZZ_ASSERT(bad != NULL, "refusal without a text");
	len = strlen(bad);
	FUZZ_ASSERT(len <= 64 * 4 + 3, "bad text of %zu bytes", len);
	for (size_t i = 0; i < len; i++)
		FUZZ_ASSERT(bad[i] >= 0x20 && bad[i] < 0x7f, "bad text byte 0x%02x",
			    (unsigned char)bad[i]);
}

static void thresholds(struct fz *f)
{
	char *warn = fz_str(f), *crit = fz_str(f);
	const char *bad = NULL;
	struct eas_thresholds th;
	struct eas_range rw = { 0 }, rc = { 0 };
	int okw = !*warn || eas_range_parse(warn, &rw) == 0;
	int okc = !*crit || eas_range_parse(crit, &rc) == 0;
	int rcode = eas_thresholds_parse(*warn ? warn : NULL, crit, &th, &bad);

	FUZZ_ASSERT((rcode == 0) == (okw && okc), "thresholds vs ranges");
	if (rcode) {
		check_bad(bad);
	} else {
		FUZZ_ASSERT(th.has_warn == (*warn != 0), "has_warn");
		FUZZ_ASSERT(th.has_crit == (*crit != 0), "has_crit");
		if (th.has_warn)
			FUZZ_ASSERT(same_range(&th.warn, &rw), "warn differs");
		if (th.has_crit)
			FUZZ_ASSERT(same_range(&th.crit, &rc), "crit differs");
		for (int i = 0; i < 4; i++) {
			double v = i == 0 ? rw.start : i == 1 ? rw.end : i == 2 ? rc.start : rc.end;
			bool cw = th.has_warn && eas_range_alert(&th.warn, v);
			bool cc = th.has_crit && eas_range_alert(&th.crit, v);

			if ((i < 2 && !th.has_warn) || (i >= 2 && !th.has_crit))
				continue;
			FUZZ_ASSERT(eas_thresholds_check(&th, v) == (cc   ? EAS_CRITICAL
								     : cw ? EAS_WARNING
									  : EAS_OK),
				    "state at %g", v);
		}
	}
	free(warn);
	free(crit);
}

static void expiry(struct fz *f)
{
	double lifetime = fz_u16(f) / 8.0; /* 0 .. 8192 days */
	char *text = fz_str(f), err[512] = "", buf[64];
	struct eas_expiry_th th, th2;
	struct eas_range r;

	if (eas_expiry_th_parse(text, &th, err, sizeof err)) {
		FUZZ_ASSERT(err[0], "refusal without a reason");
		free(text);
		return;
	}
	if (th.percent) {
		FUZZ_ASSERT(th.pct > 0 && th.pct <= 100, "pct %g", th.pct);
		eas_expiry_th_text(&th, lifetime, buf, sizeof buf);
		FUZZ_ASSERT(eas_range_parse(buf, &r) == 0,
			    "'%s' (lifetime %g) as '%s' is not a range", text, lifetime, buf);
		FUZZ_ASSERT(r.end_infinite && !r.start_infinite && !r.inside &&
				    fabs(r.start - lifetime * th.pct / 100) <= 0.0051,
			    "'%s' (lifetime %g) as '%s'", text, lifetime, buf);
	} else {
		check_range(th.days.text, &th.days);
		eas_expiry_th_text(&th, lifetime, buf, sizeof buf);
		/* known finding range-1: a 46-digit day count is accepted, its
		 * text "N:" (47 bytes) is not. */
		if (fz_skip_known() && strlen(buf) >= 47)
			return (void)free(text);
		FUZZ_ASSERT(eas_expiry_th_parse(buf, &th2, err, sizeof err) == 0,
			    "'%s' as '%s' does not parse again", text, buf);
		FUZZ_ASSERT(!th2.percent && same_range(&th.days, &th2.days), "'%s' as '%s' differs",
			    text, buf);
	}
	free(text);
}

/* Perfdata labels from certificate names: [a-z0-9] runs joined by one
 * '_', "cert" when nothing is left. */
static void label(struct fz *f)
{
	size_t size = (size_t)fz_byte(f) % 80;
	char *name = fz_str(f), model[8192], *buf = malloc(size ? size : 1);
	size_t m = 0;
	bool gap = false;

	if (!buf)
		abort();
	for (const char *s = name; *s && m + 2 < sizeof model; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x80 && isalnum(c)) {
			if (gap && m)
				model[m++] = '_';
			gap = false;
			model[m++] = (char)tolower(c);
		} else {
			gap = true;
		}
	}
	model[m] = 0;
	if (!m)
		strcpy(model, "cert");
	memset(buf, 'X', size);
	eas_expiry_label(name, buf, size);
	if (size) {
		size_t n = strnlen(buf, size);

		FUZZ_ASSERT(n < size, "label not terminated in %zu bytes", size);
		for (size_t i = 0; i < n; i++)
			FUZZ_ASSERT((buf[i] >= 'a' && buf[i] <= 'z') ||
					    (buf[i] >= '0' && buf[i] <= '9') || buf[i] == '_',
				    "label '%s': byte 0x%02x", buf, (unsigned char)buf[i]);
		FUZZ_ASSERT(!n || (buf[0] != '_' && buf[n - 1] != '_' && !strstr(buf, "__")),
			    "label '%s': stray '_'", buf);
		if (strlen(model) < size)
			FUZZ_ASSERT(!strcmp(buf, model), "label '%s', expected '%s'", buf, model);
		else
			FUZZ_ASSERT(n == size - 1, "label '%s' cut short in %zu bytes", buf, size);
	}
	free(buf);
	free(name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	uint8_t mode = fz_byte(&f);

	if (mode % 4 == 3) {
		label(&f);
	} else if (mode % 4 == 0) {
		char *text = fz_str(&f);
		struct eas_range r;

		if (eas_range_parse(text, &r) == 0)
			check_range(text, &r);
		free(text);
	} else if (mode % 4 == 1) {
		thresholds(&f);
	} else {
		expiry(&f);
	}
	return 0;
}
