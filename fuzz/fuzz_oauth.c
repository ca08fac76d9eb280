/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for the token endpoint's answer and the token cache
 * (common/oauth). The first byte picks: a token answer (with an HTTP
 * status from the next two bytes) or a cache file's text. Invariants: an
 * answer is tokens (a visible-ASCII access token, a refresh token the
 * same or none, expires_in 0 or positive), an error (a clean error name,
 * an AADSTS or MSIS code of digits, words that quote no token) or unreadable with
 * one clean sentence and nothing kept; a cache parses to at least one
 * token of visible ASCII and times >= 0, and then formats and parses
 * back to the same, or fails with a sentence and nothing kept; a device
 * authorization answer (pick & 0x84 == 0x84) is a visible device code, one
 * clean user code, https URIs and times >= 1, or a sentence and nothing
 * kept. */
#include <strings.h>

#include "oauth/oauth.h"
#include "util/secret.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool visible(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7F)
			return false;
	return true;
}

static bool clean(const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	if (n == size || !fz_utf8_valid(s, n))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7F)
			return false;
	return true;
}

/* "AADSTS" or AD FS's "MSIS" and digits. */
static bool code_ok(const char *c)
{
	size_t p = !strncmp(c, "AADSTS", 6) ? 6 : !strncmp(c, "MSIS", 4) ? 4 : 0;

	return p && c[p] && strspn(c + p, "0123456789") == strlen(c + p);
}

static void answer(long status, const char *body, size_t len)
{
	struct eas_oauth_answer a;
	char err[400] = "", words[700] = "";

	switch (eas_oauth_answer_parse(status, body, len, &a, err, sizeof err)) {
	case EAS_OAUTH_TOKENS:
		FUZZ_ASSERT(status == 200, "tokens with HTTP %ld", status);
		FUZZ_ASSERT(visible(a.access_token), "an access token that is not visible ASCII");
		FUZZ_ASSERT(!a.refresh_token || visible(a.refresh_token),
			    "a refresh token that is not visible ASCII");
		FUZZ_ASSERT(a.expires_in >= 0, "expires_in %ld", a.expires_in);
		FUZZ_ASSERT(!a.error[0], "tokens with an error");
		FUZZ_ASSERT(clean(a.user, sizeof a.user), "the id_token's user not clean");
		break;
	case EAS_OAUTH_ERROR:
		FUZZ_ASSERT(!a.access_token && !a.refresh_token, "an error kept a token");
		FUZZ_ASSERT(clean(a.error, sizeof a.error) &&
				    clean(a.description, sizeof a.description),
			    "error text not clean");
		FUZZ_ASSERT(!a.aadsts[0] || code_ok(a.aadsts), "AADSTS or MSIS code '%s'",
			    a.aadsts);
		/* The words of every grant (they differ for some errors). */
		for (int g = EAS_OAUTH_GRANT_REFRESH; g <= EAS_OAUTH_GRANT_DEVICE; g++) {
			a.grant = (enum eas_oauth_grant)g;
			eas_oauth_error_words(&a, words, sizeof words);
			FUZZ_ASSERT(words[0] && clean(words, sizeof words),
				    "error words not clean");
		}
		break;
	case EAS_OAUTH_UNREADABLE:
		FUZZ_ASSERT(!a.access_token && !a.refresh_token && !a.error[0],
			    "an unreadable answer kept something");
		FUZZ_ASSERT(err[0] && clean(err, sizeof err), "no clean sentence");
		break;
	}
	eas_oauth_answer_free(&a);
}

static void device(const char *body, size_t len)
{
	struct eas_oauth_device d;
	char err[400] = "";

	if (eas_oauth_device_parse(body, len, &d, err, sizeof err)) {
		FUZZ_ASSERT(!d.device_code, "a failed parse kept the device code");
		FUZZ_ASSERT(err[0] && clean(err, sizeof err), "no clean sentence");
		return;
	}
	FUZZ_ASSERT(visible(d.device_code), "a device code that is not visible ASCII");
	FUZZ_ASSERT(visible(d.user_code) && clean(d.user_code, sizeof d.user_code),
		    "a user code that is not one clean word");
	FUZZ_ASSERT(!strncasecmp(d.uri, "https://", 8) && visible(d.uri),
		    "a verification URI that is not https");
	FUZZ_ASSERT(!d.uri_complete[0] || (!strncasecmp(d.uri_complete, "https://", 8) &&
					   visible(d.uri_complete)),
		    "a complete URI that is not https");
	FUZZ_ASSERT(d.interval >= 1 && d.expires_in >= 1, "interval %ld, expires_in %ld",
		    d.interval, d.expires_in);
	eas_oauth_device_free(&d);
}

static void cache(const char *text, size_t len)
{
	struct eas_oauth_cache c, d;
	char err[400] = "", *again;

	if (eas_oauth_cache_parse(text, len, &c, err, sizeof err)) {
		FUZZ_ASSERT(!c.refresh_token && !c.access_token, "a failed parse kept a token");
		FUZZ_ASSERT(err[0] && clean(err, sizeof err), "no clean sentence");
		return;
	}
	FUZZ_ASSERT(c.refresh_token || c.access_token, "a cache without a token");
	FUZZ_ASSERT(!c.refresh_token || visible(c.refresh_token), "refresh token not visible");
	FUZZ_ASSERT(!c.access_token || visible(c.access_token), "access token not visible");
	FUZZ_ASSERT(c.expires_at >= 0 && c.rotated_at >= 0, "negative time");
	again = eas_oauth_cache_format(&c);
	FUZZ_ASSERT(again, "format failed");
	FUZZ_ASSERT(!eas_oauth_cache_parse(again, strlen(again), &d, err, sizeof err),
		    "the formatted cache does not parse: %s", err);
	FUZZ_ASSERT(!c.refresh_token == !d.refresh_token &&
			    (!c.refresh_token || !strcmp(c.refresh_token, d.refresh_token)) &&
			    !c.access_token == !d.access_token &&
			    (!c.access_token || !strcmp(c.access_token, d.access_token)) &&
			    c.expires_at == d.expires_at && c.rotated_at == d.rotated_at,
		    "format and parse do not round-trip");
	eas_secret_free(again);
	eas_oauth_cache_free(&d);
	eas_oauth_cache_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	uint8_t pick = fz_byte(&f);
	size_t len;
	char *rest;

	if (pick & 1) {
		long status = 100 + fz_u16(&f) % 500;

		if (pick & 2)
			status = 200;
		rest = fz_rest(&f, &len);
		answer(status, rest, len);
	} else if ((pick & 0x84) == 0x84) {
		rest = fz_rest(&f, &len);
		device(rest, len); /* check_eas_oauth_setup's device authorization answer */
	} else {
		rest = fz_rest(&f, &len);
		cache(rest, len);
	}
	free(rest);
	return 0;
}
