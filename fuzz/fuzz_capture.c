/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Response capture: header lines and body chunks through the libcurl
 * callbacks eas_probe_on_header / eas_probe_on_body, as libcurl calls them
 * (one header line per call, ending in CRLF; an empty line ends a block).
 * Input: body_keep and read_limit (small, so the limits are reached), then
 * records: a byte (odd: body chunk, even: header line), a length byte, the
 * bytes (a header line is cut at its first '\n' and gets "\r\n").
 * Invariants:
 *  - the header callback always consumes the whole line; the body callback
 *    consumes the chunk, or returns 0 exactly when the read limit is passed;
 *  - bytes counts everything; the kept body is the first body_keep bytes
 *    of all chunks, NUL-terminated;
 *  - each captured header equals a model: the value (leading blanks and
 *    trailing CR/LF cut) of the last line with that name, case-insensitive,
 *    since the last status line that began a block, cut to
 *    EAS_HDR_VALUE_MAX bytes, a tab as a blank and every other control
 *    byte (NUL too) as '?'; WWW-Authenticate: the
 *    values of all such lines joined with ", " (an empty one replaced by
 *    the next, an empty next one skipped), the first cut to
 *    EAS_WWW_AUTH_BYTES, a later one dropped when it would pass
 *    EAS_WWW_AUTH_LINES lines or EAS_WWW_AUTH_BYTES bytes, every control
 *    character a blank;
 *  - the reason phrase is NUL-terminated inside its buffer;
 *  - eas_probe_clear_headers frees everything (LeakSanitizer). */
#include "fuzz.h"

#include <strings.h>

#include "http/probe_internal.h"

static char *model[EAS_HDR_COUNT];
static int model_lines; /* WWW-Authenticate lines in its model */

/* The join of WWW-Authenticate, written out apart from probe_capture.c. */
static void model_join(char **slot, const char *v, size_t vl)
{
	size_t have = *slot ? strlen(*slot) : 0;
	char *s;

	if (have &&
	    (!vl || model_lines >= EAS_WWW_AUTH_LINES || have + 2 + vl > EAS_WWW_AUTH_BYTES))
		return;
	if (!have) {
		model_lines = 0;
		if (vl > EAS_WWW_AUTH_BYTES)
			vl = EAS_WWW_AUTH_BYTES;
	}
	s = calloc(1, have + 2 + vl + 1);
	if (!s)
		abort();
	if (have) {
		memcpy(s, *slot, have);
		memcpy(s + have, ", ", 2);
		have += 2;
	}
	for (size_t i = 0; i < vl; i++) /* a NUL is a control character too */
		s[have + i] = (unsigned char)v[i] < 32 || v[i] == 127 ? ' ' : v[i];
	free(*slot);
	*slot = s;
	model_lines++;
}

static void model_clear(void)
{
	for (int i = 0; i < EAS_HDR_COUNT; i++) {
		free(model[i]);
		model[i] = NULL;
	}
}

static void model_header(const char *line, size_t len, bool first)
{
	const char *colon;

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (first) {
		if (len > 5 && !strncmp(line, "HTTP/", 5))
			model_clear();
		return;
	}
	colon = memchr(line, ':', len);
	if (!colon)
		return;
	for (int i = 0; i < EAS_HDR_COUNT; i++) {
		const char *name = eas_hdr_name((enum eas_hdr)i), *v = colon + 1;
		size_t vl;

		if ((size_t)(colon - line) != strlen(name) || strncasecmp(line, name, strlen(name)))
			continue;
		while (v < line + len && (*v == ' ' || *v == '\t'))
			v++;
		vl = (size_t)(line + len - v);
		if (i == EAS_HDR_WWW_AUTHENTICATE) {
			model_join(&model[i], v, vl);
			return;
		}
		if (vl > EAS_HDR_VALUE_MAX)
			vl = EAS_HDR_VALUE_MAX;
		free(model[i]);
		model[i] = malloc(vl + 1);
		if (!model[i])
			abort();
		for (size_t k = 0; k < vl; k++) {
			unsigned char c = (unsigned char)v[k];

			model[i][k] = c == '\t' ? ' ' : (c < 0x20 || c == 0x7F) ? '?' : (char)c;
		}
		model[i][vl] = 0;
		return;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	struct eas_request req;
	struct eas_response res;
	struct eas_conn conn;
	char *shadow;
	size_t shadow_len = 0, total = 0, keep, limit;
	bool first = true, stopped = false;

	memset(&req, 0, sizeof req);
	memset(&res, 0, sizeof res);
	memset(&conn, 0, sizeof conn);
	req.body_keep = fz_byte(&f); /* 0: the default, 64 KiB */
	req.read_limit = fz_u16(&f); /* 0: the default, 1 MiB */
	keep = req.body_keep ? req.body_keep : 64 * 1024;
	limit = req.read_limit ? req.read_limit : 1024 * 1024;
	conn.req = &req;
	conn.res = &res;
	conn.new_response = true;
	shadow = malloc(keep + 1);
	if (!shadow)
		abort();

	while (f.n && !stopped) {
		uint8_t kind = fz_byte(&f);
		size_t len = fz_byte(&f), got;
		char *buf;

		if (len > f.n)
			len = f.n;
		if (kind & 1) {
			/* Exactly the chunk's bytes: ASan sees any overread. */
			buf = malloc(len ? len : 1);
			if (!buf)
				abort();
			memcpy(buf, f.p, len);
			got = eas_probe_on_body(buf, 1, len, &conn);
			total += len;
			if (shadow_len < keep) {
				size_t take = keep - shadow_len < len ? keep - shadow_len : len;

				memcpy(shadow + shadow_len, f.p, take);
				shadow_len += take;
			}
			first = false;
			if (total > limit) {
				FUZZ_ASSERT(got == 0 && conn.limit_hit && res.truncated,
					    "past the limit (%zu > %zu) but the body "
					    "callback took %zu",
					    total, limit, got);
				stopped = true; /* libcurl stops here */
			} else {
				FUZZ_ASSERT(got == len, "body callback took %zu of %zu", got, len);
			}
		} else {
			const uint8_t *nl = memchr(f.p, '\n', len);
			size_t l = nl ? (size_t)(nl - f.p) : len;

			buf = malloc(l + 2);
			if (!buf)
				abort();
			memcpy(buf, f.p, l);
			memcpy(buf + l, "\r\n", 2);
			model_header(buf, l + 2, first);
			got = eas_probe_on_header(buf, 1, l + 2, &conn);
			FUZZ_ASSERT(got == l + 2, "header callback took %zu of %zu", got, l + 2);
			total += l + 2;
			first = l == 0;
		}
		free(buf);
		f.p += len;
		f.n -= len;
		FUZZ_ASSERT(res.bytes == total, "bytes %zu, fed %zu", res.bytes, total);
	}

	FUZZ_ASSERT(memchr(res.reason, 0, sizeof res.reason) != NULL, "reason");
	FUZZ_ASSERT(res.body_len == shadow_len, "kept %zu body bytes, expected %zu", res.body_len,
		    shadow_len);
	if (res.body_len) {
		FUZZ_ASSERT(!memcmp(res.body, shadow, shadow_len), "body differs");
		FUZZ_ASSERT(res.body[res.body_len] == 0, "body not NUL-terminated");
	}
	for (int i = 0; i < EAS_HDR_COUNT; i++) {
		FUZZ_ASSERT(!res.hdr[i] == !model[i], "header %s %s, expected %s",
			    eas_hdr_name((enum eas_hdr)i), res.hdr[i] ? "set" : "unset",
			    model[i] ? "set" : "unset");
		if (model[i])
			FUZZ_ASSERT(!strcmp(res.hdr[i], model[i]), "header %s '%s', expected '%s'",
				    eas_hdr_name((enum eas_hdr)i), res.hdr[i], model[i]);
	}
	eas_probe_clear_headers(&res);
	for (int i = 0; i < EAS_HDR_COUNT; i++)
		FUZZ_ASSERT(res.hdr[i] == NULL, "header left after clearing");
	free(res.body);
	free(shadow);
	model_clear();
	return 0;
}
