/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for Autodiscover (common/autodisc). The first byte
 * picks what the rest is: a POX answer, a JSON answer, or an address for
 * the request body. Invariants: a parse either succeeds with a kind whose
 * field is filled (a Url of http(s):// for POX, https:// for JSON; an
 * address or https:// URL to redirect to) or fails with a one-line
 * sentence and an emptied answer; every text is valid UTF-8 without
 * control characters within its buffer; a request body is made exactly
 * for a plausible address, and expat reads that address back from it. */
#include <expat.h>
#include <strings.h>

#include "autodiscover/adanswer.h"
#include "util/mailaddr.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool clean(const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	if (n == size || !fz_utf8_valid(s, n))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7F || (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
			return false;
	return true;
}

static bool printable_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7F)
			return false;
	return true;
}

#define TEXT(f) FUZZ_ASSERT(clean(a->f, sizeof a->f), #f " is not clean text")

static void check(int rc, const struct eas_ad_answer *a, const char *err, bool json)
{
	TEXT(url);
	TEXT(redirect);
	TEXT(types);
	TEXT(error_name);
	TEXT(error_msg);
	TEXT(error_debug);
	TEXT(error_time);
	TEXT(error_id);
	TEXT(display_name);
	TEXT(email);
	if (rc) {
		FUZZ_ASSERT(rc == -1, "rc %d", rc);
		FUZZ_ASSERT(err[0] && clean(err, 300), "a failure without a clean sentence");
		FUZZ_ASSERT(!a->url[0] && !a->redirect[0] && a->kind == EAS_AD_ERROR &&
				    a->error_code == -1,
			    "a failure left a filled answer");
		return;
	}
	switch (a->kind) {
	case EAS_AD_SETTINGS:
		FUZZ_ASSERT(printable_ascii(a->url) &&
				    (!strncasecmp(a->url, "https://", 8) ||
				     (!json && !strncasecmp(a->url, "http://", 7))),
			    "settings with the Url \"%s\"", a->url);
		FUZZ_ASSERT(strlen(a->url) > (json ? 8u : 7u), "a Url without a host");
		break;
	case EAS_AD_REDIRECT_ADDR:
		FUZZ_ASSERT(!json && eas_mailaddr_ok(a->redirect), "redirect to \"%s\"",
			    a->redirect);
		break;
	case EAS_AD_REDIRECT_URL:
		FUZZ_ASSERT(!json && !strncasecmp(a->redirect, "https://", 8) &&
				    printable_ascii(a->redirect),
			    "redirect to \"%s\"", a->redirect);
		break;
	case EAS_AD_ERROR:
		FUZZ_ASSERT(json ? a->error_code == -1 : a->error_code >= -1, "error code %d",
			    a->error_code);
		FUZZ_ASSERT(eas_ad_error_meaning(a->error_code)[0], "no words");
		break;
	default: FUZZ_ASSERT(0, "kind %d", (int)a->kind);
	}
}

/* What expat reads as the request's EMailAddress. */
struct readback {
	bool in;
	char addr[EAS_AD_ADDRESS_MAX + 2];
	size_t n;
	bool overflow;
};

static void rb_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	struct readback *r = ud;
	const char *local = strrchr(name, ' ');

	(void)attrs;
	r->in = local && !strcmp(local, " EMailAddress");
}

static void rb_end(void *ud, const XML_Char *name)
{
	(void)name;
	((struct readback *)ud)->in = false;
}

static void rb_text(void *ud, const XML_Char *s, int len)
{
	struct readback *r = ud;

	if (!r->in)
		return;
	if ((size_t)len > sizeof r->addr - 1 - r->n) {
		r->overflow = true;
		return;
	}
	memcpy(r->addr + r->n, s, (size_t)len);
	r->n += (size_t)len;
	r->addr[r->n] = 0;
}

static void request(const char *addr)
{
	char body[EAS_AD_BODY_MAX], err[300];
	struct readback r = { 0 };
	int rc = eas_ad_request_body(addr, body, sizeof body, err, sizeof err);
	XML_Parser p;

	FUZZ_ASSERT(!rc == !!eas_mailaddr_ok(addr), "made a body for an implausible address");
	if (rc) {
		FUZZ_ASSERT(err[0] && clean(err, sizeof err), "a refusal without words");
		return;
	}
	p = XML_ParserCreateNS(NULL, ' ');
	if (!p)
		abort();
	XML_SetUserData(p, &r);
	XML_SetElementHandler(p, rb_start, rb_end);
	XML_SetCharacterDataHandler(p, rb_text);
	FUZZ_ASSERT(XML_Parse(p, body, (int)strlen(body), XML_TRUE) == XML_STATUS_OK,
		    "the request body is not XML: %s", XML_ErrorString(XML_GetErrorCode(p)));
	XML_ParserFree(p);
	FUZZ_ASSERT(!r.overflow && !strcmp(r.addr, addr), "the address came back as \"%s\"",
		    r.addr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	uint8_t mode = fz_byte(&f);
	struct eas_ad_answer a;
	char err[300];
	size_t len;
	char *body = fz_rest(&f, &len);
	int rc;

	switch (mode % 3) {
	case 0:
		rc = eas_ad_parse_pox(body, len, &a, err, sizeof err);
		check(rc, &a, err, false);
		break;
	case 1:
		rc = eas_ad_parse_json(body, len, &a, err, sizeof err);
		check(rc, &a, err, true);
		break;
	default: request(body);
	}
	free(body);
	return 0;
}
