/* SPDX-License-Identifier: GPL-3.0-or-later */
/* HTTP diagnosis: eas_http_diagnose on a response built from the input,
 * and eas_iis_substatus on the body.
 * Input: status (2 bytes), a flags byte (a failure, cert_offered,
 * cert_requested, no body, more headers), which headers are present (2
 * bytes, a third when the flags say more), then NUL-separated fields: the
 * present headers' values, the reason phrase, the probe's words (what),
 * the body.
 * Invariants:
 *  - the class is a known one with a name; the sentence is NUL-terminated
 *    in its buffer and not empty;
 *  - without a failure the sub-status is eas_iis_substatus(body, status)
 *    for an answer from Microsoft's software (eas_from_microsoft), else -1;
 *    it is -1 or in 0..9999; a sub-status n >= 0 appears in the body as
 *    "STATUS." followed by digits whose value is n, not preceded by a digit;
 *  - EAS_HC_EAS exactly for a 200 with both EAS headers and no failure;
 *    a failure gives its own words, and a certificate class only for a
 *    client-certificate failure or an HTTP answer;
 *  - without a failure the class is the one expected() gives: the mapping
 *    written out here once more, apart from the table in httpclass.c, so
 *    that a row that changes class (a throttled 503 taken for "provision")
 *    is noticed; the sentence starts "HTTP STATUS" for a known status,
 *    "unexpected HTTP STATUS" for any other;
 *  - Exchange's diagnostic headers (http/diaghdr.h): unless the answer is
 *    EAS_HC_EAS, the sentence starts with eas_served_text's words and ": "
 *    when there are any, then as above (a failure: the probe's words); a
 *    name read is a host name or a list of them, or quoted with only name
 *    characters and '?', shorter than its field; the words for the failing
 *    part are valid UTF-8 without control characters; the first line's
 *    names are the first labels of at most 32 characters, never quoted;
 *    eas_base64_decode never writes past its buffer. */
#include "fuzz.h"

#include <ctype.h>

#include "http/diaghdr.h"
#include "http/httpclass.h"
#include "util/base64.h"

/* A name as diaghdr shows it: a plausible one, or quoted and cleaned. */
static void check_name(const char *name)
{
	size_t n = strlen(name);

	FUZZ_ASSERT(n < EAS_SERVED_NAME, "name of %zu bytes", n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		FUZZ_ASSERT(isalnum(c) || c == '-' || c == '_' || c == '.' || c == '?' ||
				    c == '"' || c == ',' || c == ' ' || c == '{' || c == '}',
			    "character 0x%02x in the name '%s'", c, name);
		if (c == '?')
			FUZZ_ASSERT(name[0] == '"', "'?' in an unquoted name '%s'", name);
	}
}

/* What the diagnostic headers give, checked; the sentence's head into
 * prefix ("on front end EX01: " or ""). */
static void check_served(const struct eas_response *res, char *prefix, size_t size)
{
	struct eas_served sv;
	char head[200], out[16];
	size_t len;

	eas_served_read(res, &sv);
	check_name(sv.front_end);
	check_name(sv.back_end);
	check_name(sv.request_id);
	FUZZ_ASSERT((unsigned)sv.point < EAS_FP_COUNT, "failing part %d", (int)sv.point);
	FUZZ_ASSERT(memchr(sv.component, 0, sizeof sv.component), "component not terminated");
	len = strlen(sv.component);
	FUZZ_ASSERT(fz_utf8_valid(sv.component, len), "component not UTF-8: %s", sv.component);
	for (size_t i = 0; i < len; i++)
		FUZZ_ASSERT((unsigned char)sv.component[i] >= 0x20 && sv.component[i] != 0x7f,
			    "control character in the component");
	FUZZ_ASSERT(!sv.component[0] || sv.point != EAS_FP_NONE, "words without a part");
	len = eas_served_text(&sv, head, sizeof head);
	FUZZ_ASSERT(len == strlen(head) && len <= 13 + 32 + 11 + 32, "served text '%s'", head);
	FUZZ_ASSERT(!strchr(head, '"'), "a quoted value on the line: %s", head);
	snprintf(prefix, size, "%s%s", head, len ? ": " : "");
	if (res->hdr[EAS_HDR_FAILURE_CONTEXT]) {
		const char *v = res->hdr[EAS_HDR_FAILURE_CONTEXT];
		long n = eas_base64_decode(v, strlen(v), false, out, sizeof out);

		FUZZ_ASSERT(n == -1 || (n >= 0 && (size_t)n < sizeof out && out[n] == 0),
			    "base64 gave %ld", n);
	}
}

static void check_substatus(const char *body, long status, int sub)
{
	char code[16];
	const char *p;

	if (sub < 0) {
		FUZZ_ASSERT(sub == -1, "sub-status %d", sub);
		return;
	}
	FUZZ_ASSERT(sub <= 9999, "sub-status %d", sub);
	snprintf(code, sizeof code, "%ld.", status);
	for (p = strstr(body, code); p; p = strstr(p + 1, code)) {
		const char *d = p + strlen(code);
		long n = 0;

		if (p > body && isdigit((unsigned char)p[-1]))
			continue;
		if (!isdigit((unsigned char)*d))
			continue;
		while (isdigit((unsigned char)*d) && n <= 9999)
			n = n * 10 + (*d++ - '0');
		if (n == sub)
			return;
	}
	FUZZ_ASSERT(0, "sub-status %d not in the body for %ld", sub, status);
}

/* The class of an HTTP answer, from the status, the IIS sub-status and the
 * headers; -1 for a status the table does not know. */
static int expected(const struct eas_response *res, int sub)
{
	switch (res->status) {
	case 200:
		return res->hdr[EAS_HDR_VERSIONS] && res->hdr[EAS_HDR_COMMANDS] ? EAS_HC_EAS
										: EAS_HC_NOT_EAS;
	case 301:
	case 302:
	case 303:
	case 307:
	case 308: return EAS_HC_REDIRECT; /* 304-306 are no redirects */
	case 400: return EAS_HC_OTHER;
	case 401: return EAS_HC_AUTH_REQUIRED;
	case 403:
		if (sub == 4)
			return EAS_HC_OTHER;
		if (sub == 7)
			return EAS_HC_CERT_REQUIRED;
		if (sub == 16 || sub == 17)
			return EAS_HC_CERT_REFUSED;
		/* Apache asked for a certificate per location, none came. */
		return res->tls.cert_requested && !res->cert_offered ? EAS_HC_CERT_REQUIRED
								     : EAS_HC_FORBIDDEN;
	case 404: return EAS_HC_NOT_FOUND;
	case 449: return EAS_HC_PROVISION;
	case 451: return EAS_HC_ELSEWHERE;
	case 456:
	case 457: return EAS_HC_ACCOUNT;
	case 500:
	case 502:
	case 503:
	case 504:
	case 507: return EAS_HC_SERVER_ERROR;
	case 501:
	case 505: return EAS_HC_WRONG_METHOD;
	default: return -1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	struct eas_response res;
	struct eas_http_diag d;
	uint32_t hdrs;
	uint8_t flags;
	char *s, prefix[256];
	size_t pl;

	memset(&res, 0, sizeof res);
	res.status = fz_u16(&f) % 1000;
	flags = fz_byte(&f);
	hdrs = fz_u16(&f);
	if (flags & 0x80)
		hdrs |= (uint32_t)fz_byte(&f) << 16;
	res.fail = (flags & 0x0f) < 12 ? EAS_FAIL_NONE : (enum eas_fail)(flags & 0x0f) - 11;
	if ((flags & 0x0f) == 15)
		res.fail = EAS_FAIL_CLIENT_CERT;
	res.cert_offered = flags & 0x10;
	res.tls.cert_requested = flags & 0x20;
	for (int i = 0; i < EAS_HDR_COUNT; i++)
		if (hdrs & (1u << i))
			res.hdr[i] = fz_str(&f);
	s = fz_str(&f);
	snprintf(res.reason, sizeof res.reason, "%s", s);
	free(s);
	s = fz_str(&f);
	snprintf(res.what, sizeof res.what, "%s", s);
	free(s);
	if (!(flags & 0x40))
		res.body = fz_rest(&f, &res.body_len);

	eas_http_diagnose(&res, &d);
	check_served(&res, prefix, sizeof prefix);
	pl = d.cls == EAS_HC_EAS ? 0 : strlen(prefix);
	FUZZ_ASSERT(!strncmp(d.meaning, prefix, pl), "sentence without '%s' first: %s", prefix,
		    d.meaning);
	FUZZ_ASSERT((unsigned)d.cls < EAS_HC_COUNT, "class %d", (int)d.cls);
	FUZZ_ASSERT(eas_http_class_name(d.cls) && *eas_http_class_name(d.cls), "name");
	FUZZ_ASSERT(memchr(d.meaning, 0, sizeof d.meaning), "sentence not terminated");
	if (res.fail == EAS_FAIL_NONE) {
		FUZZ_ASSERT(d.meaning[0], "empty sentence for HTTP %ld", res.status);
		FUZZ_ASSERT(d.substatus == (eas_from_microsoft(&res)
						    ? eas_iis_substatus(res.body, res.status)
						    : -1),
			    "sub-status");
		if (res.body)
			check_substatus(res.body, res.status, d.substatus);
		else
			FUZZ_ASSERT(d.substatus == -1, "sub-status without a body");
		FUZZ_ASSERT((d.cls == EAS_HC_EAS) ==
				    (res.status == 200 && eas_has_eas_headers(&res)),
			    "class %s for HTTP %ld", eas_http_class_name(d.cls), res.status);
		{
			int want = expected(&res, d.substatus);
			char head[32];

			FUZZ_ASSERT(d.cls == (want < 0 ? EAS_HC_OTHER : (enum eas_http_class)want),
				    "class %s for HTTP %ld (sub-status %d), expected %s",
				    eas_http_class_name(d.cls), res.status, d.substatus,
				    want < 0 ? "other" : eas_http_class_name(want));
			snprintf(head, sizeof head, "%sHTTP %ld", want < 0 ? "unexpected " : "",
				 res.status);
			FUZZ_ASSERT(!strncmp(d.meaning + pl, head, strlen(head)),
				    "sentence for HTTP %ld: %s", res.status, d.meaning);
		}
	} else {
		FUZZ_ASSERT(!strncmp(d.meaning + pl, res.what, sizeof d.meaning - 1 - pl),
			    "failure words");
		FUZZ_ASSERT(d.substatus == -1, "sub-status for a failure");
		FUZZ_ASSERT(d.cls == (res.fail == EAS_FAIL_CLIENT_CERT
					      ? (res.cert_offered ? EAS_HC_CERT_REFUSED
								  : EAS_HC_CERT_REQUIRED)
					      : EAS_HC_OTHER),
			    "failure class");
	}
	/* eas_iis_substatus on its own, for any status. */
	if (res.body) {
		long st = (long)(hdrs % 700);

		check_substatus(res.body, st, eas_iis_substatus(res.body, st));
	}
	for (int i = 0; i < EAS_HDR_COUNT; i++)
		free(res.hdr[i]);
	free(res.body);
	return 0;
}
