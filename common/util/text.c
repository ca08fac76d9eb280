/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "util/text.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>

/* The length of the valid UTF-8 character at s (n bytes left), its code
 * point in *out, 0 when invalid, -1 when it is valid as far as the n bytes
 * go (cut). */
static int char_len(const unsigned char *s, size_t n, unsigned *out)
{
	unsigned c = s[0];
	int len;
	unsigned min;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, min = 0x10000;
	else
		return 0;
	unsigned cp = c & (0x3F >> (len - 1));

	*out = c;

	for (int i = 1; i < len; i++) {
		if ((size_t)i >= n)
			return -1;
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	/* Overlong forms, UTF-16 surrogates and beyond U+10FFFF. */
	if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return 0;
	*out = cp;
	return len;
}

/* Characters that move, hide or reorder what is around them: C1 controls,
 * the bidi embeddings, overrides, isolates and marks (a U+202E makes
 * "moc.elpmaxe" read as "example.com"), zero-width and invisible ones,
 * line and paragraph separators, the BOM and interlinear annotations. */
static bool disguises(unsigned cp)
{
	return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x180E ||
	       (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
	       (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x206F) || cp == 0xFEFF ||
	       (cp >= 0xFFF9 && cp <= 0xFFFB);
}

size_t eas_text_clean(char *s, int oneline)
{
	size_t n = strlen(s), out = 0;

	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		unsigned cp = 0;
		int len = char_len((const unsigned char *)s + i, n - i, &cp);

		if (len < 0)
			break; /* cut in the middle of a character */
		if (len == 0 || disguises(cp)) {
			s[out++] = '?';
			i += len ? (size_t)len : 1;
			continue;
		}
		if (len == 1 && oneline) {
			if (c == '|')
				c = '/';
			else if (c == '\n' || c == '\r' || c == '\t')
				c = ' ';
			else if (c < 0x20 || c == 0x7F)
				c = '?';
		}
		if (len == 1)
			s[out++] = (char)c;
		else
			memmove(s + out, s + i, (size_t)len), out += (size_t)len;
		i += (size_t)len;
	}
	s[out] = 0;
	return out;
}

size_t eas_text_cut(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

const char *eas_text_short(const char *s, char *buf, size_t size)
{
	size_t n;

	if (!size)
		return "";
	if (strlen(s) < size) {
		memcpy(buf, s, strlen(s) + 1);
		return buf;
	}
	n = size > 4 ? eas_text_cut(s, size - 4) : 0;
	memcpy(buf, s, n);
	memcpy(buf + n, "...", size > 4 ? 4 : 1);
	if (size <= 4)
		buf[0] = 0;
	return buf;
}

bool eas_text_is_control(const unsigned char *s, size_t n)
{
	return s[0] < 0x20 || s[0] == 0x7F || (s[0] == 0xC2 && n > 1 && s[1] <= 0x9F);
}

bool eas_text_ip(const char *host, char *plain, size_t size)
{
	unsigned char addr[16];
	char buf[64];
	size_t len = strlen(host);

	if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
		host++;
		len -= 2;
	}
	if (plain && size)
		snprintf(plain, size, "%.*s", (int)len, host);
	if (len >= sizeof buf)
		return false; /* no address is that long */
	snprintf(buf, sizeof buf, "%.*s", (int)len, host);
	return inet_pton(AF_INET, buf, addr) == 1 || inet_pton(AF_INET6, buf, addr) == 1;
}
