/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text from outside (servers, certificates, files, options) on its way to
 * our output: valid UTF-8, one line, nothing that breaks the perfdata
 * grammar, and cut only between characters. Pure. */
#ifndef EAS_TEXT_H
#define EAS_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Make s (NUL-terminated) valid UTF-8 in place: an invalid byte becomes
 * '?', an incomplete character at the end is dropped (a cut buffer), and
 * a character that can disguise text (C1 controls, bidi overrides,
 * isolates and marks, zero-width and invisible characters, U+2028/2029,
 * the BOM) becomes '?' too.
 * With oneline, CR, LF and tab become blanks, other control characters
 * '?' and '|' '/'. Returns the new length. */
size_t eas_text_clean(char *s, int oneline);

/* Whether the UTF-8 character at s (n bytes) is a control character: C0,
 * DEL or C1 (U+0080-U+009F, which XML 1.0 lets through). */
bool eas_text_is_control(const unsigned char *s, size_t n);

/* The length of s cut to at most max bytes without splitting a
 * character (s valid UTF-8). */
size_t eas_text_cut(const char *s, size_t max);

/* Whether host is an IP address (IPv4 or IPv6, either of them in
 * brackets as in a URL); host without its brackets into plain (may be
 * NULL). The one reading of an address literal for the options, the
 * credential rule and the certificate's host match. */
bool eas_text_ip(const char *host, char *plain, size_t size);

/* A server's name or version for a summary: s shortened to fit size
 * (between characters, "..." marking the cut), so that what a server
 * calls itself never pushes our own reason out of the line. Returns buf. */
const char *eas_text_short(const char *s, char *buf, size_t size);

#endif
