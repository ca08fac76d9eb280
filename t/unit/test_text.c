/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text from outside made fit for our output: valid UTF-8, one line. */
#include "tap.h"
#include "text.h"

static const char *clean(const char *in, int oneline)
{
	static char buf[256];

	snprintf(buf, sizeof buf, "%s", in);
	eas_text_clean(buf, oneline);
	return buf;
}

int main(void)
{
	struct tap t = { 0 };
	char cut[8];

	TAP_OK(&t, !strcmp(clean("plain ascii", 1), "plain ascii"), "ASCII untouched");
	TAP_OK(&t, !strcmp(clean("gr\xc3\xbc\xc3\x9f", 1), "gr\xc3\xbc\xc3\x9f"),
	       "valid UTF-8 untouched");
	TAP_OK(&t,
	       !strcmp(clean("a\xff"
			     "b",
			     1),
		       "a?b"),
	       "an invalid byte becomes '?'");
	/* A lead byte at the very end reads as a cut character: dropped. */
	TAP_OK(&t, !strcmp(clean("latin1 \xe9t\xe9", 1), "latin1 ?t"),
	       "Latin-1 bytes become '?' (or go, at the end)");
	TAP_OK(&t, !strcmp(clean("cut \xc3", 1), "cut "), "a character cut at the end is dropped");
	TAP_OK(&t, !strcmp(clean("cut \xe2\x82", 1), "cut "), "... a longer one too");
	TAP_OK(&t, !strcmp(clean("\xc0\xaf", 1), "??"), "overlong forms refused");
	TAP_OK(&t, !strcmp(clean("\xed\xa0\x80", 1), "???"), "UTF-16 surrogates refused");
	TAP_OK(&t, !strcmp(clean("\xf4\x90\x80\x80", 1), "????"), "beyond U+10FFFF refused");
	TAP_OK(&t, !strcmp(clean("\xf0\x9f\x98\x80", 1), "\xf0\x9f\x98\x80"),
	       "4-byte characters kept");
	TAP_OK(&t,
	       !strcmp(clean("a|b\nc\rd\te\x01"
			     "f\x7f",
			     1),
		       "a/b c d e?f?"),
	       "one line: '|', CR, LF, tab and controls");
	TAP_OK(&t, !strcmp(clean("a|b\nc", 0), "a|b\nc"), "not one line: only the encoding");
	snprintf(cut, sizeof cut, "%s", "ab\xc3\xbc\xc3\xbc");
	TAP_OK(&t,
	       eas_text_cut(cut, 3) == 2 && eas_text_cut(cut, 4) == 4 && eas_text_cut(cut, 99) == 6,
	       "cuts fall between characters");
	{
		char buf[8];

		TAP_OK(&t, !strcmp(eas_text_short("15.1", buf, sizeof buf), "15.1"),
		       "short: a short name unchanged");
		TAP_OK(&t, !strcmp(eas_text_short("1234567", buf, sizeof buf), "1234567"),
		       "short: exactly fitting unchanged");
		TAP_OK(&t, !strcmp(eas_text_short("12345678", buf, sizeof buf), "1234..."),
		       "short: a long name cut with ...");
		TAP_OK(&t, !strcmp(eas_text_short("ab\xc3\xbc\xc3\xbcxyz", buf, 7), "ab..."),
		       "short: cut between characters");
		TAP_OK(&t, !strcmp(eas_text_short("12345678", buf, 3), ""),
		       "short: a tiny buffer gets nothing");
	}
	return tap_done(&t);
}
