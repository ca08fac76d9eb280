/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The credential rule on URLs from servers (a 451's X-MS-Location, an
 * Autodiscover Redirect, a 302's Location) and domains from options.
 * Input: a mode byte (the path, -k, --allow-plaintext), a domain or
 * address to trust (NUL-terminated), then the URL.
 * Invariants:
 *  - 0 exactly when v.send; a refusal has a reason: one clean line of
 *    valid UTF-8, no control character;
 *  - sent to a found host: https:, verified TLS, after a challenge, the
 *    host inside a trusted domain and no public suffix unless the operator
 *    named exactly it;
 *  - sent to the configured URL: pre-emptively, plain http:// only with
 *    --allow-plaintext, never to a listed public suffix;
 *  - a host is lower case, without control characters;
 *  - a domain accepted by eas_credrule_trust is trusted, lower case and no
 *    public suffix. */
#include "fuzz.h"

#include <ctype.h>
#include <strings.h>

#include "http/credrule.h"

static void clean_line(const char *s)
{
	FUZZ_ASSERT(fz_utf8_valid(s, strlen(s)), "not UTF-8: %s", s);
	for (const char *c = s; *c; c++)
		FUZZ_ASSERT((unsigned char)*c >= 0x20 && *c != 0x7f, "control character in '%s'",
			    s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	uint8_t mode = fz_byte(&f);
	enum eas_cred_path path = (enum eas_cred_path)(mode % EAS_CRED_PATH_COUNT);
	char *domain = fz_str(&f), err[320] = "";
	size_t len;
	char *url = fz_rest(&f, &len);
	struct eas_credrule r;
	struct eas_cred_verdict v;
	int rc;

	eas_credrule_init(&r, !(mode & 0x10), mode & 0x20);
	switch (mode >> 6) {
	case 0:
		if (!eas_credrule_trust(&r, domain, err, sizeof err)) {
			FUZZ_ASSERT(r.ntrusted == 1 && eas_credrule_trusted(&r, r.trusted[0]),
				    "accepted but not trusted: %s", domain);
			FUZZ_ASSERT(!eas_credrule_public_suffix(r.trusted[0], true),
				    "a public suffix trusted: %s", r.trusted[0]);
			for (const char *c = r.trusted[0]; *c; c++)
				FUZZ_ASSERT(!isupper((unsigned char)*c), "not lower case: %s",
					    r.trusted[0]);
		} else {
			FUZZ_ASSERT(err[0] && r.ntrusted == 0, "a refusal without words");
			clean_line(err);
		}
		break;
	case 1: eas_credrule_trust_address(&r, domain); break;
	default: eas_credrule_trust_host(&r, domain); break;
	}
	rc = eas_credrule_decide(&r, url, path, &v);
	FUZZ_ASSERT((rc == 0) == v.send, "rc %d, send %d", rc, v.send);
	for (const char *c = v.host; *c; c++)
		FUZZ_ASSERT((unsigned char)*c > 0x20 && *c != 0x7f && !isupper((unsigned char)*c),
			    "host '%s'", v.host);
	if (!v.send) {
		FUZZ_ASSERT(v.why[0] && !v.after_challenge, "a refusal without words");
		clean_line(v.why);
	} else if (path == EAS_CRED_CONFIGURED) {
		FUZZ_ASSERT(!v.after_challenge, "the configured URL waits for a challenge");
		FUZZ_ASSERT(!strncasecmp(url, "https:", 6) || (mode & 0x20),
			    "plain http without --allow-plaintext: %s", url);
		FUZZ_ASSERT(v.host[0] && !eas_credrule_public_suffix(v.host, false),
			    "configured public suffix %s", v.host);
	} else {
		FUZZ_ASSERT(v.after_challenge, "a found host without a challenge");
		FUZZ_ASSERT(!strncasecmp(url, "https:", 6), "not https: %s", url);
		FUZZ_ASSERT(!(mode & 0x10), "sent without verified TLS");
		FUZZ_ASSERT(v.host[0] && eas_credrule_trusted(&r, v.host), "untrusted %s", v.host);
	}
	free(domain);
	free(url);
	return 0;
}
