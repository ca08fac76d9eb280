/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "out/output.h"
#include "tap.h"

static char *capture(struct eas_output *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	eas_out_finish(o, f);
	fclose(f);
	return buf;
}

int main(void)
{
	struct tap t = { 0 };
	struct eas_output o;
	struct eas_thresholds th;
	const char *bad;
	struct eas_perf p = { .value = 0.0123, .min = 0, .max = NAN };
	char buf[256], *text;

	strcpy(p.label, "time");
	strcpy(p.uom, "s");
	strcpy(p.warn, "1");
	strcpy(p.crit, "5");
	eas_perf_format(&p, buf, sizeof buf);
	TAP_OK(&t, !strcmp(buf, "'time'=0.012300s;1;5;0"), "perfdata: %s", buf);
	p.min = NAN;
	p.warn[0] = p.crit[0] = 0;
	strcpy(p.uom, "B");
	p.value = 512;
	eas_perf_format(&p, buf, sizeof buf);
	TAP_OK(&t, !strcmp(buf, "'time'=512B"), "empty trailing fields dropped: %s", buf);

	eas_out_init(&o, "check_eas_test", "TEST");
	eas_thresholds_parse("1", "2", &th, &bad);
	eas_out_raise(&o, EAS_WARNING);
	eas_out_raise(&o, EAS_OK);
	eas_out_summary(&o, "a|b\nc");
	eas_out_perf(&o, "we'ird=label", 3, "", &th, NAN, NAN);
	eas_out_detail(&o, "detail line");
	text = capture(&o);
	TAP_OK(&t, !strcmp(text, "EAS TEST WARNING - a/b c | 'we_ird_label'=3;1;2\n"),
	       "text output, state never lowered, separators sanitised: %s", text);
	free(text);

	eas_out_init(&o, "check_eas_test", "TEST");
	o.verbose = 1;
	eas_out_summary(&o, "fine");
	eas_out_detail(&o, "first");
	eas_out_detail(&o, "second");
	text = capture(&o);
	TAP_OK(&t, !strcmp(text, "EAS TEST OK - fine\nfirst\nsecond\n"), "long output with -v");
	free(text);

	eas_out_init(&o, "check_eas_test", "TEST");
	eas_out_set_format(&o, EAS_FMT_JSON);
	eas_out_raise(&o, EAS_CRITICAL);
	eas_out_summary(&o, "down");
	eas_out_perf(&o, "time", 0.5, "s", NULL, 0, NAN);
	eas_out_detail(&o, "why");
	text = capture(&o);
	TAP_OK(&t,
	       strstr(text, "\"state\":\"CRITICAL\"") && strstr(text, "\"exit_code\":2") &&
		       strstr(text, "\"label\":\"time\"") && strstr(text, "\"details\":[") &&
		       strstr(text, "\"why\""),
	       "JSON output carries state, perfdata and details");
	free(text);

	/* Sub-checks: worst first, at most N named, the rest counted. */
	{
		size_t a, b, c, d, e;

		eas_out_init(&o, "check_eas_test", "TEST");
		o.verbose = 1;
		a = eas_out_sub(&o, "a", EAS_WARNING, 0, "warn a");
		b = eas_out_sub(&o, "b", EAS_OK, 0, "note b");
		c = eas_out_sub(&o, "c", EAS_CRITICAL, 2, "crit c");
		d = eas_out_sub(&o, "d", EAS_CRITICAL, 1, "crit d|x");
		e = eas_out_sub(&o, "e", EAS_UNKNOWN, 0, "unknown e");
		TAP_OK(&t, eas_out_sub_summary(&o, 2) == 4, "four problems counted");
		TAP_OK(&t, o.state == EAS_CRITICAL, "state raised to the worst sub-check");
		TAP_OK(&t, !strcmp(o.summary, "crit d/x, crit c, 2 more problems (see -v)"),
		       "worst first, by order within a state, at most 2: %s", o.summary);
		TAP_OK(&t,
		       eas_out_sub_shown(&o, c) && eas_out_sub_shown(&o, d) &&
			       !eas_out_sub_shown(&o, a) && !eas_out_sub_shown(&o, b) &&
			       !eas_out_sub_shown(&o, e),
		       "shown marks exactly the named ones");
		eas_out_sub_notes(&o);
		TAP_OK(&t, strstr(o.summary, ", note b") != NULL, "OK sub-checks as notes");
		eas_out_sub_details(&o);
		eas_out_set_format(&o, EAS_FMT_JSON);
		text = capture(&o);
		TAP_OK(&t,
		       strstr(text, "\"CRITICAL: crit d/x\"") &&
			       strstr(text, "\"UNKNOWN: unknown e\"") &&
			       strstr(text, "\"WARNING: warn a\""),
		       "every sub-check in the long output");
		TAP_OK(&t,
		       strstr(text, "\"subchecks\":[") && strstr(text, "\"name\":\"e\"") &&
			       strstr(text, "\"state\":\"UNKNOWN\""),
		       "sub-checks in JSON");
		free(text);
	}

	/* The first line fits 160 characters, the cause first. */
	{
		static const char cause[] = "HTTP 401: credentials rejected";
		char why[200], first[256];
		const char *nl;

		memset(why, 'x', sizeof why - 1);
		why[sizeof why - 1] = 0;
		eas_out_init(&o, "check_eas_test", "TEST");
		eas_out_summary(&o, "ok; fine");
		text = capture(&o);
		TAP_OK(&t, !strcmp(text, "EAS TEST OK - ok, fine\n"), "';' becomes ',': %s", text);
		free(text);

		eas_out_init(&o, "check_eas_test", "TEST");
		o.verbose = 1;
		eas_out_raise(&o, EAS_CRITICAL);
		eas_out_summary(&o, "%s; the password is wrong, the account locked or expired, %s",
				cause, why);
		eas_out_perf(&o, "time", 0.5, "s", NULL, 0, NAN);
		text = capture(&o);
		nl = strchr(text, '\n');
		snprintf(first, sizeof first, "%.*s", nl ? (int)(nl - text) : 0, text);
		TAP_OK(&t,
		       !strcmp(first,
			       "EAS TEST CRITICAL - HTTP 401: credentials rejected, the password is "
			       "wrong, the account locked or expired (see -v) | 'time'=0.500000s;;;0"),
		       "too long: cut at the last clause that fits, ';' as ',': %s", first);
		TAP_OK(&t, nl && !strncmp(nl + 1, cause, strlen(cause)) && strstr(nl + 1, why),
		       "the whole summary is the first line of -v");
		free(text);

		eas_out_init(&o, "check_eas_test", "TEST");
		eas_out_summary(&o, "found https://mail.example.com/Microsoft-Server-ActiveSync");
		eas_out_append(
			&o,
			"candidate 1: server certificate does not match the host name (it names %s)",
			why);
		eas_out_append(&o, "more");
		text = capture(&o);
		nl = strchr(text, '\n');
		TAP_OK(&t,
		       !strncmp(
			       text,
			       "EAS TEST OK - found https://mail.example.com/Microsoft-Server-ActiveSync, "
			       "candidate 1: server certificate does not match the host name (see -v)\n",
			       (size_t)(nl - text + 1)),
		       "the first part whole, the next cut at a boundary outside parentheses: %s",
		       text);
		TAP_OK(&t, nl && nl - text <= EAS_OUT_LINE_MAX, "at most %d characters",
		       EAS_OUT_LINE_MAX);
		free(text);

		/* A later part that fits only cut between two words says
		 * nothing: it goes to -v whole. */
		eas_out_init(&o, "check_eas_test", "TEST");
		eas_out_summary(&o, "certificate a in one.pem expired 10 days ago (2026-11-27)");
		eas_out_append(&o, "certificate b in two.pem expires in 3 days and certificate c "
				   "in three.pem expires in 5 days and certificate d in four.pem "
				   "expires in 9 days as well");
		text = capture(&o);
		TAP_OK(&t,
		       !strcmp(text, "EAS TEST OK - certificate a in one.pem expired 10 days ago "
				     "(2026-11-27) (see -v)\n"),
		       "a later part with no clause boundary that fits is left to -v: %s", text);
		free(text);

		/* ... but keeps its first clauses when they fit. */
		eas_out_init(&o, "check_eas_test", "TEST");
		eas_out_summary(&o, "found https://mail.example.com/Microsoft-Server-ActiveSync");
		eas_out_append(&o,
			       "candidate 3: redirect to plain HTTP (http://mail.example.com/"
			       "autodiscover/autodiscover.xml) refused: a device would send the "
			       "password unencrypted");
		text = capture(&o);
		TAP_OK(&t,
		       !strcmp(text,
			       "EAS TEST OK - found https://mail.example.com/Microsoft-Server-"
			       "ActiveSync, candidate 3: redirect to plain HTTP (see -v)\n"),
		       "a later part keeps its first clauses that fit: %s", text);
		free(text);

		eas_out_init(&o, "check_eas_test", "TEST");
		eas_out_set_format(&o, EAS_FMT_JSON);
		eas_out_summary(&o, "%s; %s", cause, why);
		text = capture(&o);
		TAP_OK(&t, strstr(text, why) && strstr(text, "; ") && !strstr(text, "(see -v)"),
		       "JSON keeps the summary whole");
		free(text);
	}
	return tap_done(&t);
}
