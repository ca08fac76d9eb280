/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text from outside made fit for our output: valid UTF-8, one line. */
#include "tap.h"
#include "util/text.h"

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
	/* "CN=\u202Emoc.elpmaxe" shows as "CN=example.com" in a terminal. */
	TAP_OK(&t,
	       !strcmp(clean("CN=\xe2\x80\xae"
			     "moc.elpmaxe",
			     1),
		       "CN=?moc.elpmaxe"),
	       "U+202E (right-to-left override) becomes '?'");
	TAP_OK(&t, !strcmp(clean("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", 1), "????"),
	       "U+202A-U+202D (embeddings, pops, overrides) become '?'");
	TAP_OK(&t,
	       !strcmp(clean("a\xe2\x81\xa6"
			     "b\xe2\x81\xa7"
			     "c\xe2\x81\xa8"
			     "d\xe2\x81\xa9",
			     1),
		       "a?b?c?d?"),
	       "U+2066-U+2069 (isolates) become '?'");
	TAP_OK(&t,
	       !strcmp(clean("\xe2\x80\x8e"
			     "x\xe2\x80\x8f",
			     1),
		       "?x?"),
	       "U+200E/U+200F (direction marks) become '?'");
	TAP_OK(&t,
	       !strcmp(clean("z\xe2\x80\x8b"
			     "w\xe2\x81\xa0"
			     "j\xef\xbb\xbf"
			     "b\xd8\x9c",
			     1),
		       "z?w?j?b?"),
	       "zero-width space, word joiner, BOM, Arabic letter mark become '?'");
	TAP_OK(&t,
	       !strcmp(clean("l\xe2\x80\xa8"
			     "p\xe2\x80\xa9",
			     1),
		       "l?p?"),
	       "U+2028/U+2029 (line and paragraph separators) become '?'");
	TAP_OK(&t,
	       !strcmp(clean("c1\xc2\x85"
			     "x\xc2\x9b",
			     1),
		       "c1?x?"),
	       "C1 controls (NEL, CSI) become '?'");
	TAP_OK(&t,
	       !strcmp(clean("json \xe2\x80\xae"
			     "x",
			     0),
		       "json ?x"),
	       "... in JSON text (not one line) too");
	TAP_OK(&t,
	       !strcmp(clean("\xe2\x80\x90\xe2\x80\xaf\xe2\x81\xa5\xc2\xa0", 1),
		       "\xe2\x80\x90\xe2\x80\xaf\xe2\x81\xa5\xc2\xa0"),
	       "neighbours kept: hyphen U+2010, U+202F, U+2065, no-break space");
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
	{
		char plain[64];

		TAP_OK(&t,
		       eas_text_ip("192.0.2.1", plain, sizeof plain) &&
			       !strcmp(plain, "192.0.2.1") && eas_text_ip("2001:db8::1", NULL, 0),
		       "ip: IPv4 and IPv6 addresses");
		TAP_OK(&t,
		       eas_text_ip("[2001:db8::1]", plain, sizeof plain) &&
			       !strcmp(plain, "2001:db8::1"),
		       "ip: IPv6 in brackets, given without them");
		TAP_OK(&t,
		       !eas_text_ip("[mail.example.com]", plain, sizeof plain) &&
			       !strcmp(plain, "mail.example.com"),
		       "ip: a name in brackets is none, given without them");
		TAP_OK(&t,
		       !eas_text_ip("mail.example.com", NULL, 0) &&
			       !eas_text_ip("192.0.2", NULL, 0) &&
			       !eas_text_ip("192.0.2.1.", NULL, 0) && !eas_text_ip("", NULL, 0) &&
			       !eas_text_ip("[]", NULL, 0) && !eas_text_ip("[2001:db8::1", NULL, 0),
		       "ip: names, a short or dotted address, empty, [] and an open bracket are "
		       "none");
		TAP_OK(&t,
		       !eas_text_ip(
			       "::ffff:192.0.2.1xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
			       NULL, 0),
		       "ip: an overlong literal is none");
	}
	return tap_done(&t);
}
