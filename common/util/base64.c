/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "util/base64.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#define BASE64_MAX (1024 * 1024) /* bytes of input: every caller's is far less */

long eas_base64_decode(const char *in, size_t len, bool url, char *out, size_t size)
{
	unsigned char *b64 = NULL, *raw = NULL;
	size_t n = 0, pad = 0;
	long kept = -1;
	int got = 0;

	if (!size || len > BASE64_MAX)
		return -1;
	out[0] = 0;
	while (len && in[len - 1] == '=')
		len--;
	if (len % 4 == 1 || !(b64 = malloc(len + 4)) || !(raw = malloc(len + 4)))
		goto out;
	/* OpenSSL wants the standard alphabet and whole quanta. */
	for (size_t i = 0; i < len; i++) {
		char c = in[i];

		if (url && (c == '+' || c == '/'))
			goto out;
		b64[n++] = (unsigned char)(url && c == '-' ? '+' : url && c == '_' ? '/' : c);
	}
	while (n % 4) {
		b64[n++] = '=';
		pad++;
	}
	if (n && (got = EVP_DecodeBlock(raw, b64, (int)n)) < 0)
		goto out;
	kept = n ? (long)got - (long)pad : 0; /* it counts the padding as zero bytes */
	if (kept < 0)
		kept = 0;
	if ((size_t)kept >= size)
		kept = (long)size - 1;
	memcpy(out, raw, (size_t)kept);
	out[kept] = 0;
out:
	free(b64);
	free(raw);
	return kept;
}
