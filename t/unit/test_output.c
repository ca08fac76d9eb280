/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>
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
	return tap_done(&t);
}
