/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Base64 decoding (RFC 4648), the standard and the URL alphabet, padded
 * or not, through OpenSSL's codec: one home for every caller. */
#ifndef EAS_UTIL_BASE64_H
#define EAS_UTIL_BASE64_H

#include <stdbool.h>
#include <stddef.h>

/* Decode len bytes of in (url: '-' and '_' for '+' and '/') into out,
 * NUL-ended, at most size - 1 bytes kept (the rest cut). Returns the
 * bytes kept, or -1 when in is not base64 (a bad character or length). */
long eas_base64_decode(const char *in, size_t len, bool url, char *out, size_t size);

#endif
