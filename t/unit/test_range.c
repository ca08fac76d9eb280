/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include "util/range.h"
#include "tap.h"

struct rcase {
	const char *text;
	double value;
	int alert;
};

int main(void)
{
	static const struct rcase cases[] = {
		{ "10", -1, 1 },       { "10", 0, 0 },      { "10", 10, 0 },
		{ "10", 10.1, 1 },     { "10:", 9.99, 1 },  { "10:", 10, 0 },
		{ "10:", 1e9, 0 },     { "~:10", -1e9, 0 }, { "~:10", 10, 0 },
		{ "~:10", 11, 1 },     { "10:20", 9, 1 },   { "10:20", 15, 0 },
		{ "10:20", 20, 0 },    { "10:20", 21, 1 },  { "@10:20", 9, 0 },
		{ "@10:20", 10, 1 },   { "@10:20", 20, 1 }, { "@10:20", 21, 0 },
		{ "0.5", 0.6, 1 },     { "0.5", 0.5, 0 },   { "-5:5", -6, 1 },
		{ "-5:5", 0, 0 },      { "@~:0", -1, 1 },   { "@~:0", 1, 0 },
		{ ":5", 6, 1 },        { "~:", -1e300, 0 }, { "~:", 1e300, 0 },
		{ "10:10", 10, 0 },    { "10:10", 9.9, 1 }, { "@10:10", 10, 1 },
		{ "@10:10", 10.1, 0 },
	};
	static const char *const bad[] = {
		"",    "abc", "10:5",  "1:2:3",
		"@",   "~",   "10x",   "@:x",
		"nan", "inf", "1e999", "0123456789012345678901234567890123456789012345678901",
	};
	struct tap t = { 0 };
	struct eas_range r;
	struct eas_thresholds th;
	const char *which = NULL;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int ok = eas_range_parse(cases[i].text, &r) == 0;

		TAP_OK(&t, ok && eas_range_alert(&r, cases[i].value) == cases[i].alert,
		       "range '%s' with %g %s", cases[i].text, cases[i].value,
		       cases[i].alert ? "alerts" : "does not alert");
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		TAP_OK(&t, eas_range_parse(bad[i], &r) != 0, "'%s' is rejected", bad[i]);

	/* Strict syntax: plain decimal numbers only, nothing around them. */
	{
		static const char *const strict_bad[] = {
			" 10",
			"10 ",
			"\t10",
			"\n10",
			"10\n",
			"10: 20",
			"10 :20",
			"@ 10",
			"0x10",
			"0x1p3",
			"-0x1",
			"1e3",
			"1E3",
			"1e-3",
			"10:1e3",
			"inf",
			"-inf",
			"~:inf",
			"nan",
			"NAN",
			"infinity",
			"+",
			"-",
			".",
			"-.",
			"1..2",
			"1.2.3",
			"--1",
			"+-1",
			"10:~",
			"~10",
			"@@10",
			"1,5",
			"\x7f"
			"10",
			"10\xc2\xa0",
		};
		static const struct rcase strict_ok[] = {
			{ "+10", 11, 1 },         { "-10:-5", -7, 0 }, { "-10:-5", -4, 1 },
			{ "10.", 10, 0 },         { ".5", 0.6, 1 },    { "-.5:.5", 0, 0 },
			{ "@-1.5:+1.5", 1.5, 1 }, { "007", 7, 0 },
		};

		for (size_t i = 0; i < sizeof strict_bad / sizeof strict_bad[0]; i++)
			TAP_OK(&t, eas_range_parse(strict_bad[i], &r) != 0,
			       "strict: bad range #%zu is rejected", i);
		for (size_t i = 0; i < sizeof strict_ok / sizeof strict_ok[0]; i++) {
			int ok = eas_range_parse(strict_ok[i].text, &r) == 0;

			TAP_OK(&t,
			       ok && eas_range_alert(&r, strict_ok[i].value) == strict_ok[i].alert,
			       "strict: '%s' still parses", strict_ok[i].text);
		}
		int rc = eas_thresholds_parse("\n10", NULL, &th, &which);

		TAP_OK(&t, rc != 0 && !strcmp(which, "\\x0a10"),
		       "a bad range is "
		       "shown with its control characters made printable: %s",
		       which);
		rc = eas_thresholds_parse("1", "\x1b[31m\xff", &th, &which);
		TAP_OK(&t, rc != 0 && !strcmp(which, "\\x1b[31m\\xff"),
		       "... escape "
		       "and non-ASCII bytes too: %s",
		       which);
		TAP_OK(&t, eas_thresholds_parse("1", "x", &th, &which) != 0 && !strcmp(which, "x"),
		       "a printable bad range is shown as given");
		{
			char longbad[200];

			memset(longbad, '9', sizeof longbad - 1);
			longbad[sizeof longbad - 1] = 0;
			TAP_OK(&t,
			       eas_thresholds_parse(longbad, NULL, &th, &which) != 0 &&
				       strlen(which) == 64 + 3 && !strcmp(which + 64, "..."),
			       "a long bad range is cut");
		}
	}

	TAP_OK(&t, eas_range_parse("@1:2", &r) == 0 && !strcmp(r.text, "@1:2"),
	       "range keeps its text for perfdata");
	TAP_OK(&t, eas_thresholds_parse("1", "5", &th, &which) == 0, "thresholds parse");
	TAP_OK(&t, eas_thresholds_check(&th, 0.5) == EAS_OK, "0.5 is OK under -w 1 -c 5");
	TAP_OK(&t, eas_thresholds_check(&th, 2) == EAS_WARNING, "2 is WARNING");
	TAP_OK(&t, eas_thresholds_check(&th, 6) == EAS_CRITICAL, "6 is CRITICAL");
	TAP_OK(&t, eas_thresholds_parse("1", "x", &th, &which) != 0 && !strcmp(which, "x"),
	       "a bad critical range is named");
	TAP_OK(&t,
	       eas_thresholds_parse(NULL, NULL, &th, &which) == 0 &&
		       eas_thresholds_check(&th, 1e9) == EAS_OK,
	       "no thresholds: always OK");
	TAP_OK(&t,
	       eas_state_worst(EAS_WARNING, EAS_UNKNOWN) == EAS_UNKNOWN &&
		       eas_state_worst(EAS_CRITICAL, EAS_UNKNOWN) == EAS_CRITICAL &&
		       eas_state_worst(EAS_OK, EAS_WARNING) == EAS_WARNING,
	       "state order CRITICAL > UNKNOWN > WARNING > OK");
	{
		enum eas_state s;

		TAP_OK(&t,
		       eas_state_parse("warning", &s) == 0 && s == EAS_WARNING &&
			       eas_state_parse("3", &s) == 0 && s == EAS_UNKNOWN &&
			       eas_state_parse("bogus", &s) != 0,
		       "state names parse");
	}
	return tap_done(&t);
}
