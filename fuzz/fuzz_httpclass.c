/* SPDX-License-Identifier: GPL-3.0-or-later */
/* HTTP diagnosis: eas_http_diagnose on a response built from the input,
 * and eas_iis_substatus on the body.
 * Input: status (2 bytes), a flags byte (a failure, cert_offered,
 * cert_requested, which headers are present), then NUL-separated fields:
 * the present headers' values, the reason phrase, the probe's words
 * (what), the body.
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
 *    "unexpected HTTP STATUS" for any other. */
#include "fuzz.h"

#include <ctype.h>

#include "http/httpclass.h"

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
	uint16_t hdrs;
	uint8_t flags;
	char *s;

	memset(&res, 0, sizeof res);
	res.status = fz_u16(&f) % 1000;
	flags = fz_byte(&f);
	hdrs = fz_u16(&f);
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
			FUZZ_ASSERT(!strncmp(d.meaning, head, strlen(head)),
				    "sentence for HTTP %ld: %s", res.status, d.meaning);
		}
	} else {
		FUZZ_ASSERT(!strcmp(d.meaning, res.what), "failure words");
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
