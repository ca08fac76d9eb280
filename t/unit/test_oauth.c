/* SPDX-License-Identifier: GPL-3.0-or-later */
/* common/oauth: the token endpoint's answer and its words, the token cache
 * format, the expiry decision, the cache file's rules and its atomic
 * write. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oauth/oauth.h"
#include "util/secret.h"
#include "tap.h"

static enum eas_oauth_answer_kind parse(long status, const char *body, struct eas_oauth_answer *a,
					char *err, size_t errlen)
{
	return eas_oauth_answer_parse(status, body, strlen(body), a, err, errlen);
}

static void answers(struct tap *t)
{
	struct eas_oauth_answer a;
	char err[400], words[600];
	char *big;

	TAP_OK(t,
	       parse(200,
		     "{\"token_type\":\"Bearer\",\"access_token\":\"AT1\",\"refresh_token\":\"RT2\","
		     "\"expires_in\":3599,\"scope\":\"x\"}",
		     &a, err, sizeof err) == EAS_OAUTH_TOKENS,
	       "a 200 with tokens is read");
	TAP_OK(t, a.access_token && !strcmp(a.access_token, "AT1"), "access token copied");
	TAP_OK(t, a.refresh_token && !strcmp(a.refresh_token, "RT2"),
	       "rotated refresh token copied");
	TAP_OK(t, a.expires_in == 3599, "expires_in read");
	eas_oauth_answer_free(&a);
	TAP_OK(t, !a.access_token && !a.refresh_token, "free clears the tokens");

	TAP_OK(t,
	       parse(200,
		     "{\"token_type\":\"bearer\",\"access_token\":\"AT1\",\"expires_in\":\"60\"}",
		     &a, err, sizeof err) == EAS_OAUTH_TOKENS &&
		       !a.refresh_token && a.expires_in == 60,
	       "token_type in any case, expires_in as a string, no refresh token");
	eas_oauth_answer_free(&a);

	TAP_OK(t,
	       parse(200, "{\"token_type\":\"mac\",\"access_token\":\"SECRETAT\"}", &a, err,
		     sizeof err) == EAS_OAUTH_UNREADABLE &&
		       strstr(err, "not Bearer") && !strstr(err, "SECRETAT"),
	       "a token of another type is refused, the token not quoted: %s", err);
	TAP_OK(t,
	       parse(200, "{\"token_type\":\"Bearer\",\"access_token\":\"has space\"}", &a, err,
		     sizeof err) == EAS_OAUTH_UNREADABLE,
	       "a token that is not visible ASCII is refused");
	TAP_OK(t,
	       parse(200, "{\"token_type\":\"Bearer\",\"access_token\":42}", &a, err, sizeof err) ==
			       EAS_OAUTH_UNREADABLE &&
		       strstr(err, "not a plain string"),
	       "a member of the wrong type is refused: %s", err);
	TAP_OK(t,
	       parse(200, "{\"token_type\":\"Bearer\",\"access_token\":\"A\",\"expires_in\":-5}",
		     &a, err, sizeof err) == EAS_OAUTH_UNREADABLE,
	       "a negative expires_in is refused");
	TAP_OK(t,
	       parse(200, "{\"access_token\":\"A\"", &a, err, sizeof err) == EAS_OAUTH_UNREADABLE &&
		       strstr(err, "not with one JSON document"),
	       "JSON cut short: %s", err);
	TAP_OK(t, parse(200, "{} {}", &a, err, sizeof err) == EAS_OAUTH_UNREADABLE,
	       "two documents are refused");
	TAP_OK(t,
	       parse(502, "<html>bad gateway</html>", &a, err, sizeof err) ==
			       EAS_OAUTH_UNREADABLE &&
		       strstr(err, "HTTP 502"),
	       "an HTML error page names the status: %s", err);
	TAP_OK(t, parse(200, "[1]", &a, err, sizeof err) == EAS_OAUTH_UNREADABLE,
	       "an array is refused");
	big = malloc(EAS_OAUTH_ANSWER_MAX + 2);
	memset(big, ' ', EAS_OAUTH_ANSWER_MAX + 1);
	big[EAS_OAUTH_ANSWER_MAX + 1] = 0;
	TAP_OK(t,
	       parse(200, big, &a, err, sizeof err) == EAS_OAUTH_UNREADABLE &&
		       strstr(err, "larger than"),
	       "an answer over the bound is refused unread");
	free(big);
	{
		char deep[200] = "";

		for (int i = 0; i < 20; i++)
			strcat(deep, "[");
		TAP_OK(t, parse(200, deep, &a, err, sizeof err) == EAS_OAUTH_UNREADABLE,
		       "nesting beyond the depth bound is refused");
	}

	/* Entra ID's error answer: error_codes first. */
	TAP_OK(t,
	       parse(400,
		     "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.\",\"error_codes\":[70008]}",
		     &a, err, sizeof err) == EAS_OAUTH_ERROR,
	       "an error answer is read");
	TAP_OK(t, !strcmp(a.error, "invalid_grant") && !strcmp(a.aadsts, "AADSTS70008"),
	       "error and AADSTS code read (%s %s)", a.error, a.aadsts);
	eas_oauth_error_words(&a, words, sizeof words);
	TAP_OK(t, !strncmp(words, "AADSTS70008: the refresh token has expired", 42),
	       "AADSTS70008 in words: %s", words);
	eas_oauth_answer_free(&a);

	parse(400,
	      "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS50076: Due to MFA\"}", &a,
	      err, sizeof err);
	eas_oauth_error_words(&a, words, sizeof words);
	TAP_OK(t, !strcmp(a.aadsts, "AADSTS50076") && strstr(words, "multi-factor"),
	       "the code from the description when error_codes is absent: %s", words);
	parse(400, "{\"error\":\"invalid_client\",\"error_codes\":[700016]}", &a, err, sizeof err);
	eas_oauth_error_words(&a, words, sizeof words);
	TAP_OK(t, strstr(words, "--oauth-client-id") && strstr(words, "AADSTS700016"),
	       "unknown client: %s", words);
	parse(400, "{\"error\":\"invalid_grant\",\"error_codes\":[65001]}", &a, err, sizeof err);
	eas_oauth_error_words(&a, words, sizeof words);
	TAP_OK(t, strstr(words, "consent") && strstr(words, "EAS.AccessAsUser.All"),
	       "consent missing: %s", words);
	parse(400, "{\"error\":\"invalid_grant\",\"error_codes\":[53003]}", &a, err, sizeof err);
	eas_oauth_error_words(&a, words, sizeof words);
	TAP_OK(t, strstr(words, "conditional access") != NULL, "conditional access: %s", words);
	parse(400,
	      "{\"error\":\"invalid_grant\",\"error_description\":\"grant request is invalid\"}",
	      &a, err, sizeof err);
	eas_oauth_error_words(&a, words, sizeof words);
	TAP_OK(t,
	       strstr(words,
		      "invalid_grant: the refresh token was refused (expired, revoked, or already used") ==
		       words,
	       "invalid_grant without a code, in words: %s", words);
	parse(400,
	      "{\"error\":\"invalid_grant\",\"error_codes\":[99999],\"error_description\":\"odd\"}",
	      &a, err, sizeof err);
	eas_oauth_error_words(&a, words, sizeof words);
	TAP_OK(t, !strncmp(words, "AADSTS99999: the refresh token was refused", 42),
	       "an unknown code falls back to the error's words: %s", words);
	parse(400, "{\"error\":\"weird_thing\",\"error_description\":\"line\\nbreak\\u202e\"}", &a,
	      err, sizeof err);
	eas_oauth_error_words(&a, words, sizeof words);
	TAP_OK(t, strstr(words, "weird_thing") && !strchr(words, '\n') && !strstr(words, "\u202e"),
	       "an unknown error quotes the server's words, cleaned: %s", words);
	eas_oauth_answer_free(&a);
}

static void cache_format(struct tap *t)
{
	struct eas_oauth_cache c, d;
	char err[400], *text;
	const char *seed = "{\"refresh_token\": \"RT0\"}\n";

	TAP_OK(t, !eas_oauth_cache_parse(seed, strlen(seed), &c, err, sizeof err),
	       "a seed with only a refresh token is read (trailing newline too)");
	TAP_OK(t,
	       c.refresh_token && !strcmp(c.refresh_token, "RT0") && !c.access_token &&
		       !c.expires_at,
	       "the seed's fields");
	TAP_OK(t, !eas_oauth_cache_fresh(&c, 1000, EAS_OAUTH_MARGIN), "a seed is not fresh");
	c.access_token = strdup("AT0");
	c.expires_at = 1000000;
	c.rotated_at = 999;
	text = eas_oauth_cache_format(&c);
	TAP_OK(t, text && strstr(text, "\"expires_at\":1000000") && strstr(text, "\"version\":1"),
	       "formatted as JSON with the version");
	TAP_OK(t,
	       text && !eas_oauth_cache_parse(text, strlen(text), &d, err, sizeof err) &&
		       !strcmp(d.refresh_token, "RT0") && !strcmp(d.access_token, "AT0") &&
		       d.expires_at == 1000000 && d.rotated_at == 999,
	       "format and parse round-trip");
	eas_secret_free(text);
	eas_oauth_cache_free(&d);

	/* The expiry decision: renewed within the margin. */
	TAP_OK(t, eas_oauth_cache_fresh(&c, 1000000 - 301, 300), "301 s left: fresh");
	TAP_OK(t, !eas_oauth_cache_fresh(&c, 1000000 - 300, 300), "300 s left: renewed");
	TAP_OK(t, !eas_oauth_cache_fresh(&c, 1000001, 300), "expired: renewed");
	c.expires_at = 0;
	TAP_OK(t, !eas_oauth_cache_fresh(&c, 5, 300), "unknown expiry: renewed");
	eas_oauth_cache_free(&c);
	TAP_OK(t, !c.refresh_token && !c.access_token, "free clears the tokens");

	TAP_OK(t, eas_oauth_cache_parse("{}", 2, &c, err, sizeof err) && strstr(err, "no token"),
	       "an empty object: %s", err);
	TAP_OK(t, eas_oauth_cache_parse("RT0", 3, &c, err, sizeof err) && strstr(err, "JSON"),
	       "a bare token is not a cache: %s", err);
	TAP_OK(t,
	       eas_oauth_cache_parse("{\"refresh_token\":\"a b\"}", 23, &c, err, sizeof err) &&
		       !strstr(err, "a b"),
	       "a token with a blank is refused, not quoted: %s", err);
	TAP_OK(t,
	       eas_oauth_cache_parse("{\"refresh_token\":\"R\",\"expires_at\":\"soon\"}", 41, &c,
				     err, sizeof err) &&
		       strstr(err, "Unix seconds"),
	       "expires_at must be a number: %s", err);
	TAP_OK(t, eas_oauth_cache_parse("{\"refresh_token\":\"R\"} x", 24, &c, err, sizeof err),
	       "trailing garbage is refused");
}

static void cache_files(struct tap *t)
{
	char dir[] = "/tmp/eas-oauth-XXXXXX", path[300], tmp[320], err[600], note[400] = "";
	struct eas_oauth_cache c = { 0 }, d;
	struct stat st;
	FILE *f;

	if (!mkdtemp(dir)) {
		TAP_OK(t, 0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof path, "%s/cache.json", dir);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	c.refresh_token = strdup("RT1");
	c.access_token = strdup("AT1");
	c.expires_at = 4000000000LL;
	TAP_OK(t, !eas_oauth_cache_write(path, &c, err, sizeof err), "written");
	TAP_OK(t, !stat(path, &st) && (st.st_mode & 0777) == 0600, "written 0600");
	TAP_OK(t, access(tmp, F_OK) != 0, "no temporary file left behind");
	TAP_OK(t,
	       !eas_oauth_cache_read(path, &d, note, sizeof note, err, sizeof err) &&
		       !strcmp(d.refresh_token, "RT1") && !note[0],
	       "read back, no note");
	eas_oauth_cache_free(&d);
	chmod(path, 0644);
	TAP_OK(t,
	       !eas_oauth_cache_read(path, &d, note, sizeof note, err, sizeof err) &&
		       strstr(note, "can be read by other users"),
	       "readable by others: a note (%s)", note);
	eas_oauth_cache_free(&d);
	chmod(path, 0620);
	TAP_OK(t,
	       eas_oauth_cache_read(path, &d, note, sizeof note, err, sizeof err) &&
		       strstr(err, "writable by other users"),
	       "writable by the group: refused (%s)", err);
	/* A rewrite replaces the file whole, with our mode. */
	free(c.refresh_token);
	c.refresh_token = strdup("RT2");
	TAP_OK(t,
	       !eas_oauth_cache_write(path, &c, err, sizeof err) && !stat(path, &st) &&
		       (st.st_mode & 0777) == 0600,
	       "rewritten 0600 over a bad mode");
	TAP_OK(t,
	       !eas_oauth_cache_read(path, &d, NULL, 0, err, sizeof err) &&
		       !strcmp(d.refresh_token, "RT2"),
	       "the rotated token is what is read");
	eas_oauth_cache_free(&d);
	/* A stale temporary file (a killed run) does not block the write. */
	f = fopen(tmp, "w");
	fputs("junk", f);
	fclose(f);
	TAP_OK(t, !eas_oauth_cache_write(path, &c, err, sizeof err) && access(tmp, F_OK) != 0,
	       "a stale temporary file is replaced");
	snprintf(tmp, sizeof tmp, "%s/nodir/cache.json", dir);
	TAP_OK(t, eas_oauth_cache_write(tmp, &c, err, sizeof err) && strstr(err, "cannot write"),
	       "an unwritable place: %s", err);
	TAP_OK(t, eas_oauth_cache_read(tmp, &d, NULL, 0, err, sizeof err), "a missing cache: %s",
	       err);
	eas_oauth_cache_free(&c);
	unlink(path);
	rmdir(dir);
}

/* Every class of issue 17's list in words, the code kept: one row each. */
static void error_classes(struct tap *t)
{
	static const struct {
		const char *body;
		enum eas_oauth_grant grant;
		const char *words; /* the start of the words */
	} cases[] = {
		{ "{\"error\":\"invalid_grant\",\"error_codes\":[70008]}", EAS_OAUTH_GRANT_REFRESH,
		  "AADSTS70008: the refresh token has expired" },
		{ "{\"error\":\"invalid_grant\",\"error_codes\":[700082]}", EAS_OAUTH_GRANT_REFRESH,
		  "AADSTS700082: the refresh token has expired after 90 days" },
		{ "{\"error\":\"invalid_grant\",\"error_codes\":[50173]}", EAS_OAUTH_GRANT_REFRESH,
		  "AADSTS50173: the refresh token was revoked" },
		{ "{\"error\":\"invalid_grant\",\"error_codes\":[70043]}", EAS_OAUTH_GRANT_REFRESH,
		  "AADSTS70043: the refresh token has expired under a conditional-access sign-in frequency" },
		{ "{\"error\":\"invalid_grant\",\"error_codes\":[700084]}", EAS_OAUTH_GRANT_REFRESH,
		  "AADSTS700084: the refresh token (of a single-page application) has expired" },
		{ "{\"error\":\"interaction_required\",\"error_codes\":[50076]}",
		  EAS_OAUTH_GRANT_REFRESH, "AADSTS50076: multi-factor authentication is required" },
		{ "{\"error\":\"interaction_required\",\"error_codes\":[50079]}",
		  EAS_OAUTH_GRANT_REFRESH, "AADSTS50079: the monitoring user must register" },
		{ "{\"error\":\"interaction_required\",\"error_codes\":[50158]}",
		  EAS_OAUTH_GRANT_REFRESH, "AADSTS50158: a conditional access policy" },
		{ "{\"error\":\"invalid_grant\",\"error_codes\":[53003]}", EAS_OAUTH_GRANT_REFRESH,
		  "AADSTS53003: a conditional access policy blocked" },
		{ "{\"error\":\"invalid_grant\",\"error_codes\":[530003]}", EAS_OAUTH_GRANT_REFRESH,
		  "AADSTS530003: a conditional access policy requires a managed" },
		{ "{\"error\":\"invalid_grant\",\"error_codes\":[65001]}", EAS_OAUTH_GRANT_PASSWORD,
		  "AADSTS65001: the application has no consent" },
		{ "{\"error\":\"unauthorized_client\",\"error_codes\":[700016]}",
		  EAS_OAUTH_GRANT_REFRESH,
		  "AADSTS700016: the application (--oauth-client-id) is not found" },
		{ "{\"error\":\"invalid_client\",\"error_codes\":[7000218]}",
		  EAS_OAUTH_GRANT_DEVICE,
		  "AADSTS7000218: the application asks for a client secret" },
		{ "{\"error\":\"invalid_request\",\"error_codes\":[90002]}",
		  EAS_OAUTH_GRANT_REFRESH, "AADSTS90002: the tenant is not found" },
		{ "{\"error\":\"invalid_request\",\"error_codes\":[900023]}",
		  EAS_OAUTH_GRANT_REFRESH, "AADSTS900023: the tenant is not valid" },
		{ "{\"error\":\"invalid_scope\",\"error_codes\":[70011]}", EAS_OAUTH_GRANT_REFRESH,
		  "AADSTS70011: the scope is not valid" },
		{ "{\"error\":\"invalid_resource\",\"error_codes\":[500011]}",
		  EAS_OAUTH_GRANT_REFRESH,
		  "AADSTS500011: the resource of the scope is not in the tenant" },
		{ "{\"error\":\"invalid_grant\",\"error_codes\":[50126]}", EAS_OAUTH_GRANT_PASSWORD,
		  "AADSTS50126: the user name or password is wrong" },
		{ "{\"error\":\"invalid_grant\",\"error_codes\":[50053]}", EAS_OAUTH_GRANT_PASSWORD,
		  "AADSTS50053: the monitoring user's account is locked" },
		{ "{\"error\":\"invalid_grant\",\"error_codes\":[50057]}", EAS_OAUTH_GRANT_PASSWORD,
		  "AADSTS50057: the monitoring user's account is disabled" },
		{ "{\"error\":\"invalid_grant\",\"error_codes\":[50055]}", EAS_OAUTH_GRANT_PASSWORD,
		  "AADSTS50055: the monitoring user's password has expired" },
		/* the same error, another grant: other words */
		{ "{\"error\":\"invalid_grant\"}", EAS_OAUTH_GRANT_PASSWORD,
		  "invalid_grant: the user name or password was refused" },
		{ "{\"error\":\"invalid_grant\"}", EAS_OAUTH_GRANT_DEVICE,
		  "invalid_grant: the device code was refused" },
		{ "{\"error\":\"invalid_grant\"}", EAS_OAUTH_GRANT_REFRESH,
		  "invalid_grant: the refresh token was refused" },
		{ "{\"error\":\"unsupported_grant_type\"}", EAS_OAUTH_GRANT_PASSWORD,
		  "unsupported_grant_type: the token endpoint does not offer the password grant" },
		{ "{\"error\":\"access_denied\"}", EAS_OAUTH_GRANT_DEVICE,
		  "access_denied: the sign-in was declined" },
		{ "{\"error\":\"expired_token\"}", EAS_OAUTH_GRANT_DEVICE,
		  "expired_token: the device code expired" },
		/* AD FS: the MSIS code from the description, kept */
		{ "{\"error\":\"invalid_grant\",\"error_description\":\"MSIS9615: The refresh token is invalid.\"}",
		  EAS_OAUTH_GRANT_REFRESH, "MSIS9615: the refresh token was refused" },
		{ "{\"error\":\"odd\",\"error_description\":\"MSIS12x\"}", EAS_OAUTH_GRANT_REFRESH,
		  "MSIS12 (odd): MSIS12x" },
	};
	struct eas_oauth_answer a;
	char err[400], words[600];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		bool ok = parse(400, cases[i].body, &a, err, sizeof err) == EAS_OAUTH_ERROR;

		a.grant = cases[i].grant;
		eas_oauth_error_words(&a, words, sizeof words);
		TAP_OK(t, ok && !strncmp(words, cases[i].words, strlen(cases[i].words)),
		       "%s (grant %d): %s", cases[i].body, (int)cases[i].grant, words);
		eas_oauth_answer_free(&a);
	}
}

/* The device authorization answer (RFC 8628 3.2) and the id_token's user. */
static void device_answers(struct tap *t)
{
	struct eas_oauth_device d;
	struct eas_oauth_answer a;
	char err[400];
	/* {"sub":"x1","preferred_username":"monitor@example.com"} */
	static const char *const idt =
		"eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4MSIsInByZWZlcnJlZF91c2VybmFtZSI6Im1vbml0b3JAZXhhbXBsZS5jb20ifQ.sig";
	char body[600];
	const char *dev;

	dev = "{\"device_code\":\"DC-1\",\"user_code\":\"ABCD-EFGH\",\"verification_uri\":\"https://idp/device\","
	      "\"verification_uri_complete\":\"https://idp/device?user_code=ABCD-EFGH\",\"expires_in\":600,\"interval\":2}";
	TAP_OK(t, !eas_oauth_device_parse(dev, strlen(dev), &d, err, sizeof err),
	       "a device answer is read");
	TAP_OK(t,
	       !strcmp(d.device_code, "DC-1") && !strcmp(d.user_code, "ABCD-EFGH") &&
		       !strcmp(d.uri, "https://idp/device") &&
		       !strcmp(d.uri_complete, "https://idp/device?user_code=ABCD-EFGH") &&
		       d.expires_in == 600 && d.interval == 2,
	       "its fields: %s %s %ld %ld", d.user_code, d.uri, d.expires_in, d.interval);
	eas_oauth_device_free(&d);
	dev = "{\"device_code\":\"DC-1\",\"user_code\":\"GQ7NKXW2P\",\"verification_url\":\"https://microsoft.com/devicelogin\",\"expires_in\":\"900\"}";
	TAP_OK(t,
	       !eas_oauth_device_parse(dev, strlen(dev), &d, err, sizeof err) &&
		       !strcmp(d.uri, "https://microsoft.com/devicelogin") && !d.uri_complete[0] &&
		       d.interval == 5 && d.expires_in == 900,
	       "Entra v1's verification_url, expires_in as a string, the default interval 5");
	eas_oauth_device_free(&d);
	dev = "{\"device_code\":\"DC-1\",\"user_code\":\"X\",\"verification_uri\":\"http://idp/device\",\"expires_in\":600}";
	TAP_OK(t, eas_oauth_device_parse(dev, strlen(dev), &d, err, sizeof err) && !d.device_code,
	       "a plain http:// verification URI is refused: %s", err);
	dev = "{\"device_code\":\"DC 1\",\"user_code\":\"X\",\"verification_uri\":\"https://idp/d\"}";
	TAP_OK(t, eas_oauth_device_parse(dev, strlen(dev), &d, err, sizeof err),
	       "a device code that is not a token is refused");
	dev = "{\"device_code\":\"DC\",\"user_code\":\"X\",\"verification_uri\":\"https://idp/d\",\"interval\":0}";
	TAP_OK(t, eas_oauth_device_parse(dev, strlen(dev), &d, err, sizeof err),
	       "an interval of 0 is refused (no busy polling)");
	TAP_OK(t, eas_oauth_device_parse("[1]", 3, &d, err, sizeof err) && strstr(err, "JSON"),
	       "not an object: %s", err);

	snprintf(body, sizeof body,
		 "{\"token_type\":\"Bearer\",\"access_token\":\"AT\",\"id_token\":\"%s\"}", idt);
	TAP_OK(t,
	       parse(200, body, &a, err, sizeof err) == EAS_OAUTH_TOKENS &&
		       !strcmp(a.user, "monitor@example.com"),
	       "the id_token names the user: %s", a.user);
	eas_oauth_answer_free(&a);
	TAP_OK(t,
	       parse(200,
		     "{\"token_type\":\"Bearer\",\"access_token\":\"AT\",\"id_token\":\"a.!!!.c\"}",
		     &a, err, sizeof err) == EAS_OAUTH_TOKENS &&
		       !a.user[0],
	       "an id_token that does not decode names nobody, the tokens still count");
	eas_oauth_answer_free(&a);
}

int main(void)
{
	struct tap t = { 0 };

	answers(&t);
	error_classes(&t);
	device_answers(&t);
	cache_format(&t);
	cache_files(&t);
	return tap_done(&t);
}
