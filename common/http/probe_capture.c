/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the probe keeps of an answer: the status line, the headers of the
 * table in probe.h, and the start of the body, all bounded. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "http/probe_internal.h"

#define BODY_KEEP_DEFAULT (64 * 1024)
#define READ_LIMIT_DEFAULT (1024 * 1024)

static const char *const hdr_names[EAS_HDR_COUNT] = {
	[EAS_HDR_EAS_SERVER] = "MS-Server-ActiveSync",
	[EAS_HDR_VERSIONS] = "MS-ASProtocolVersions",
	[EAS_HDR_COMMANDS] = "MS-ASProtocolCommands",
	[EAS_HDR_WWW_AUTHENTICATE] = "WWW-Authenticate",
	[EAS_HDR_MS_LOCATION] = "X-MS-Location",
	[EAS_HDR_LOCATION] = "Location",
	[EAS_HDR_RETRY_AFTER] = "Retry-After",
	[EAS_HDR_THROTTLE] = "X-MS-ASThrottle",
	[EAS_HDR_CONTENT_TYPE] = "Content-Type",
	[EAS_HDR_SERVER] = "Server",
	[EAS_HDR_POWERED_BY] = "X-Powered-By",
	[EAS_HDR_FESERVER] = "X-FEServer",
	[EAS_HDR_MS_DIAGNOSTICS] = "X-MS-Diagnostics",
	[EAS_HDR_BESERVER] = "X-BEServer",
	[EAS_HDR_BETARGET] = "X-CalculatedBETarget",
	[EAS_HDR_BACKEND_STATUS] = "X-BackEndHttpStatus",
	[EAS_HDR_FAILURE_CONTEXT] = "X-FailureContext",
	[EAS_HDR_DIAGINFO] = "X-DiagInfo",
	[EAS_HDR_REQUEST_ID] = "request-id",
};

const char *eas_hdr_name(enum eas_hdr h)
{
	return (unsigned)h < EAS_HDR_COUNT ? hdr_names[h] : "?";
}

void eas_probe_clear_headers(struct eas_response *res)
{
	for (int i = 0; i < EAS_HDR_COUNT; i++) {
		free(res->hdr[i]);
		res->hdr[i] = NULL;
	}
}

/* Bounded and without control characters (EAS_HDR_VALUE_MAX). */
static void set_header(char **slot, const char *v, size_t len)
{
	char *s;

	if (len > EAS_HDR_VALUE_MAX)
		len = EAS_HDR_VALUE_MAX;
	s = malloc(len + 1);
	if (!s)
		return;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];

		s[i] = c == '\t' ? ' ' : c < 0x20 || c == 0x7F ? '?' : (char)c;
	}
	s[len] = 0;
	free(*slot);
	*slot = s;
}

/* Into a fixed buffer, bounded, each control character a '?'. */
static void set_line(char *dst, size_t size, const char *v, size_t len)
{
	if (len >= size)
		len = size - 1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];

		dst[i] = c == '\t' ? ' ' : c < 0x20 || c == 0x7F ? '?' : (char)c;
	}
	dst[len] = 0;
}

/* One more WWW-Authenticate line: joined to those before it, within the
 * bounds; a control character (a header may hold any byte) a blank. */
static void join_challenge(struct eas_conn *pc, char **slot, const char *v, size_t len)
{
	size_t have = *slot ? strlen(*slot) : 0, at;
	char *s;

	if (!*slot || !have) {
		pc->www_lines = 0;
		have = 0;
		if (len > EAS_WWW_AUTH_BYTES)
			len = EAS_WWW_AUTH_BYTES;
	} else if (!len || pc->www_lines >= EAS_WWW_AUTH_LINES ||
		   have + 2 + len > EAS_WWW_AUTH_BYTES) {
		return; /* nothing to add, or past the bounds: dropped */
	}
	s = malloc(have + 2 + len + 1);
	if (!s)
		return;
	if (have) {
		memcpy(s, *slot, have);
		memcpy(s + have, ", ", 2);
	}
	at = have ? have + 2 : 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];

		s[at + i] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	s[at + len] = 0;
	free(*slot);
	*slot = s;
	pc->www_lines++;
}

/* "HTTP/1.1 403 Forbidden": a new response (after 100 Continue, say)
 * starts afresh. */
static void status_line(struct eas_response *res, const char *buf, size_t len)
{
	const char *sp = memchr(buf, ' ', len), *sp2;

	eas_probe_clear_headers(res);
	res->reason[0] = 0;
	if (!sp)
		return;
	sp2 = memchr(sp + 1, ' ', len - (size_t)(sp + 1 - buf));
	if (sp2) {
		size_t rl = len - (size_t)(sp2 + 1 - buf);

		if (rl >= sizeof res->reason)
			rl = sizeof res->reason - 1;
		memcpy(res->reason, sp2 + 1, rl);
		res->reason[rl] = 0;
	}
}

size_t eas_probe_on_header(char *buf, size_t size, size_t n, void *p)
{
	struct eas_conn *pc = p;
	struct eas_response *res = pc->res;
	size_t len = size * n, end = len;
	const char *colon, *v;
	bool first = pc->new_response;

	res->phase = EAS_PHASE_READ;
	res->bytes += len;
	/* A block ends with a line that is empty but for its line end: one
	 * CRLF or LF, not any run of CRs (a line "\r\r\n" is not blank). */
	if (end && buf[end - 1] == '\n')
		end--;
	if (end && buf[end - 1] == '\r')
		end--;
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	/* Only the first line of a header block is a status line: a header
	 * or trailer that starts with "HTTP/" must not wipe the others. */
	pc->new_response = end == 0;
	if (pc->req->mail_rcpt) {
		/* SMTP: the server's reply lines. The last one kept, but a
		 * refusal (4xx, 5xx) stays, and QUIT's 221 is no news. */
		if (res->smtp_reply[0] != '4' && res->smtp_reply[0] != '5' &&
		    strncmp(buf, "221", len < 3 ? len : 3))
			set_line(res->smtp_reply, sizeof res->smtp_reply, buf, len);
		return size * n;
	}
	if (first) {
		if (len > 5 && !strncmp(buf, "HTTP/", 5))
			status_line(res, buf, len);
		return size * n;
	}
	colon = memchr(buf, ':', len);
	if (!colon)
		return size * n;
	for (int i = 0; i < EAS_HDR_COUNT; i++) {
		size_t nl = strlen(hdr_names[i]);

		if ((size_t)(colon - buf) != nl || strncasecmp(buf, hdr_names[i], nl))
			continue;
		v = colon + 1;
		while (v < buf + len && (*v == ' ' || *v == '\t'))
			v++;
		if (i == EAS_HDR_WWW_AUTHENTICATE)
			join_challenge(pc, &res->hdr[i], v, (size_t)(buf + len - v));
		else
			set_header(&res->hdr[i], v, (size_t)(buf + len - v));
		break;
	}
	return size * n;
}

size_t eas_probe_on_body(char *buf, size_t size, size_t n, void *p)
{
	struct eas_conn *pc = p;
	struct eas_response *res = pc->res;
	size_t len = size * n;
	size_t keep = pc->req->body_keep ? pc->req->body_keep : BODY_KEEP_DEFAULT;
	size_t limit = pc->req->read_limit ? pc->req->read_limit : READ_LIMIT_DEFAULT;

	res->phase = EAS_PHASE_READ;
	res->bytes += len;
	res->body_bytes += len;
	pc->new_response = false; /* what follows a body is a trailer */
	if (res->body_len < keep) {
		size_t take = keep - res->body_len < len ? keep - res->body_len : len;

		if (!res->body) {
			res->body = malloc(keep + 1);
			if (!res->body)
				return 0;
		}
		memcpy(res->body + res->body_len, buf, take);
		res->body_len += take;
		res->body[res->body_len] = 0;
	}
	if (res->bytes > limit) {
		/* A hostile or broken server cannot make us read forever. */
		pc->limit_hit = true;
		res->truncated = true;
		return 0;
	}
	return len;
}

/* Overwrite every occurrence of secret in s with '*'. */
static void mask(char *s, const char *secret)
{
	size_t n = strlen(secret);

	if (!s || n < 3) /* a 1-2 character password would mask
				       half the text and protect nothing */
		return;
	for (char *p = strstr(s, secret); p; p = strstr(p + n, secret))
		memset(p, '*', n);
}

void eas_probe_scrub(struct eas_conn *pc)
{
	const struct eas_request *req = pc->req;
	struct eas_response *res = pc->res;
	unsigned char pair[1100], b64[1500];
	int n;

	if (req->auth != EAS_HTTPAUTH_BASIC || !req->password)
		return;
	/* A server (or a proxy's error page) that echoes our Authorization
	 * header must not bring our credentials into the output. */
	n = snprintf((char *)pair, sizeof pair, "%s:%s", req->user ? req->user : "", req->password);
	if (n > 0 && (size_t)n < sizeof pair)
		EVP_EncodeBlock(b64, pair, n);
	else
		b64[0] = 0;
	OPENSSL_cleanse(pair, sizeof pair);
	for (int i = 0; i < EAS_HDR_COUNT; i++) {
		mask(res->hdr[i], (char *)b64);
		mask(res->hdr[i], req->password);
	}
	mask(res->reason, (char *)b64);
	mask(res->reason, req->password);
	mask(res->body, (char *)b64);
	mask(res->body, req->password);
	OPENSSL_cleanse(b64, sizeof b64);
}
