/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The credential rule: every row of the destination table. */
#include <string.h>

#include "http/credrule.h"
#include "tap.h"

static struct eas_cred_verdict v;

static int decide(const struct eas_credrule *r, const char *url, enum eas_cred_path path)
{
	return eas_credrule_decide(r, url, path, &v);
}

int main(void)
{
	struct tap t = { 0 };
	struct eas_credrule r, k, ad;
	char err[320], s[256];
	char longlabel[80];

	/* Public suffixes. */
	TAP_OK(&t, eas_credrule_public_suffix("com", true), "com is a public suffix");
	TAP_OK(&t, eas_credrule_public_suffix("co.uk", true), "co.uk is a public suffix");
	TAP_OK(&t, eas_credrule_public_suffix("github.io", true), "github.io (private section)");
	TAP_OK(&t, !eas_credrule_public_suffix("example.com", true), "example.com is not");
	TAP_OK(&t, eas_credrule_public_suffix("test", true),
	       "an unlisted TLD is, by the star rule");
	TAP_OK(&t, !eas_credrule_public_suffix("localhost", false),
	       "an intranet name the operator gives is not (no star rule)");
	TAP_OK(&t, !eas_credrule_public_suffix("127.0.0.1", true), "an IP address is none");

	/* --trust-domain validation. */
	eas_credrule_init(&r, true, false);
	TAP_OK(&t, eas_credrule_trust(&r, "other.example", err, sizeof err) == 0,
	       "--trust-domain other.example accepted");
	TAP_OK(&t,
	       eas_credrule_trust(&r, "Office365.COM.", err, sizeof err) == 0 &&
		       !strcmp(r.trusted[1], "office365.com"),
	       "lower-cased, trailing dot dropped");
	TAP_OK(&t,
	       eas_credrule_trust(&r, "com", err, sizeof err) == -1 &&
		       strstr(err, "com is a public suffix"),
	       "--trust-domain com refused: %s", err);
	TAP_OK(&t, eas_credrule_trust(&r, "co.uk", err, sizeof err) == -1,
	       "--trust-domain co.uk refused");
	TAP_OK(&t,
	       eas_credrule_trust(&r, "a b.example", err, sizeof err) == -1 &&
		       strstr(err, "not a DNS domain name"),
	       "a space refused: %s", err);
	TAP_OK(&t, eas_credrule_trust(&r, "", err, sizeof err) == -1, "empty refused");
	TAP_OK(&t, eas_credrule_trust(&r, "a..example", err, sizeof err) == -1,
	       "empty label refused");
	TAP_OK(&t, eas_credrule_trust(&r, "-a.example", err, sizeof err) == -1,
	       "leading hyphen refused");
	memset(longlabel, 'a', 64);
	strcpy(longlabel + 64, ".example");
	TAP_OK(&t, eas_credrule_trust(&r, longlabel, err, sizeof err) == -1,
	       "64-character label refused");
	TAP_OK(&t, eas_credrule_trust(&r, "x.example\n", err, sizeof err) == -1,
	       "control character refused");
	TAP_OK(&t, r.ntrusted == 2, "only the two valid domains kept");

	/* Implicit trust. */
	eas_credrule_init(&ad, true, false);
	TAP_OK(&t,
	       eas_credrule_trust_address(&ad, "alice@example.test") == 0 &&
		       !strcmp(ad.trusted[0], "example.test"),
	       "the address's domain is trusted");
	TAP_OK(&t, eas_credrule_trust_address(&ad, "alice@com") == -1 && ad.ntrusted == 1,
	       "alice@com trusts nothing");
	TAP_OK(&t, eas_credrule_trust_address(&ad, "alice@co.uk") == -1 && ad.ntrusted == 1,
	       "alice@co.uk trusts nothing");
	eas_credrule_init(&k, true, false);
	TAP_OK(&t,
	       eas_credrule_trust_host(&k, "mail.example.co.uk") == 0 &&
		       !strcmp(k.trusted[0], "example.co.uk"),
	       "-H mail.example.co.uk trusts example.co.uk");
	TAP_OK(&t,
	       eas_credrule_trust_host(&k, "127.0.0.1") == 0 && !strcmp(k.trusted[1], "127.0.0.1"),
	       "-H 127.0.0.1 trusts that address alone");
	TAP_OK(&t, eas_credrule_trust_host(&k, "localhost") == 0, "-H localhost trusts localhost");
	TAP_OK(&t, eas_credrule_trust_host(&k, "co.uk") == -1, "-H co.uk trusts nothing");
	TAP_OK(&t, eas_credrule_trusted(&k, "owa.example.co.uk"), "a host inside is trusted");
	TAP_OK(&t, !eas_credrule_trusted(&k, "badexample.co.uk"), "a suffix match is not a label");
	TAP_OK(&t, !eas_credrule_trusted(&k, "127.0.0.2"), "another address is not");
	TAP_OK(&t, !eas_credrule_trusted(&k, "1.127.0.0.1"), "nothing inside an address");
	eas_credrule_suggest("mail.other.example.com", s, sizeof s);
	TAP_OK(&t, !strcmp(s, "example.com"), "suggest the registrable domain: %s", s);
	eas_credrule_suggest("10.0.0.1", s, sizeof s);
	TAP_OK(&t, !strcmp(s, "10.0.0.1"), "suggest an address as it is");

	/* The configured URL: as today. */
	eas_credrule_init(&r, true, false);
	TAP_OK(&t,
	       decide(&r, "https://mail.example.com/eas", EAS_CRED_CONFIGURED) == 0 && v.send &&
		       !v.after_challenge,
	       "configured https: sent pre-emptively");
	TAP_OK(&t,
	       decide(&r, "http://mail.example.com/eas", EAS_CRED_CONFIGURED) == -1 &&
		       strstr(v.why, "--allow-plaintext"),
	       "configured http: refused, --allow-plaintext named");
	eas_credrule_init(&k, false, true);
	TAP_OK(&t, decide(&k, "http://mail.example.com/eas", EAS_CRED_CONFIGURED) == 0 && v.send,
	       "configured http with --allow-plaintext: sent");
	TAP_OK(&t, decide(&k, "https://mail.example.com/eas", EAS_CRED_CONFIGURED) == 0,
	       "configured with -k: sent, as today");
	TAP_OK(&t, decide(&r, "https://localhost:8443/eas", EAS_CRED_CONFIGURED) == 0,
	       "configured intranet name: sent");
	TAP_OK(&t,
	       decide(&r, "https://co.uk/eas", EAS_CRED_CONFIGURED) == -1 &&
		       strstr(v.why, "co.uk is a public suffix"),
	       "configured public suffix: refused");

	/* Found by discovery or redirection. */
	eas_credrule_init(&ad, true, false);
	eas_credrule_trust_address(&ad, "alice@example.com");
	TAP_OK(&t,
	       decide(&ad, "https://example.com/autodiscover/autodiscover.xml",
		      EAS_CRED_DISCOVERED) == 0 &&
		       v.send && v.after_challenge,
	       "candidate 1 (the domain): after a challenge");
	TAP_OK(&t,
	       decide(&ad, "https://autodiscover.example.com/x", EAS_CRED_DISCOVERED) == 0 &&
		       v.after_challenge,
	       "candidate 2: after a challenge");
	TAP_OK(&t, decide(&ad, "https://mail.example.com/x", EAS_CRED_HTTP_REDIRECT) == 0,
	       "candidate 3's redirect inside the domain: after a challenge");
	TAP_OK(&t,
	       decide(&ad, "https://mail.other.example/x", EAS_CRED_HTTP_REDIRECT) == -1 &&
		       !strcmp(v.why, "redirect to mail.other.example: not in a trusted domain, "
				      "credentials not sent; allow it with --trust-domain "
				      "other.example"),
	       "candidate 3's redirect outside: %s", v.why);
	TAP_OK(&t,
	       decide(&ad, "http://mail.example.com/x", EAS_CRED_HTTP_REDIRECT) == -1 &&
		       strstr(v.why, "plain HTTP"),
	       "a redirect to plain http: never");
	TAP_OK(&t, decide(&ad, "https://mail.example.com:8443/x", EAS_CRED_SRV) == 0,
	       "SRV target inside: after a challenge");
	TAP_OK(&t,
	       decide(&ad, "https://ad.hoster.example:443/x", EAS_CRED_SRV) == -1 &&
		       strstr(v.why, "SRV target ad.hoster.example: not in a trusted domain") &&
		       strstr(v.why, "--trust-domain hoster.example"),
	       "SRV target outside: %s", v.why);
	TAP_OK(&t, decide(&ad, "https://owa.example.com/x", EAS_CRED_AD_REDIRECT) == 0,
	       "Redirect URL inside: after a challenge");
	TAP_OK(&t,
	       decide(&ad, "https://outlook.office365.com/x", EAS_CRED_AD_REDIRECT) == -1 &&
		       strstr(v.why, "--trust-domain office365.com"),
	       "Redirect URL to Exchange Online: names --trust-domain office365.com");
	TAP_OK(&t,
	       eas_credrule_trust(&ad, "office365.com", err, sizeof err) == 0 &&
		       decide(&ad, "https://outlook.office365.com/x", EAS_CRED_AD_REDIRECT) == 0,
	       "... allowed with --trust-domain office365.com");
	TAP_OK(&t,
	       decide(&ad, "https://mail.example.com.evil.example/x", EAS_CRED_AD_REDIRECT) == -1,
	       "a look-alike host is outside");
	TAP_OK(&t,
	       decide(&ad, "https://MAIL.Example.COM./x", EAS_CRED_MOVED) == 0 &&
		       !strcmp(v.host, "mail.example.com"),
	       "case and trailing dot do not matter");
	TAP_OK(&t,
	       decide(&ad, "https://github.io/x", EAS_CRED_AD_REDIRECT) == -1 &&
		       strstr(v.why, "public suffix"),
	       "a public-suffix host: never");
	TAP_OK(&t,
	       decide(&ad, "https://co.uk/x", EAS_CRED_AD_REDIRECT) == -1 &&
		       strstr(v.why, "public suffix"),
	       "co.uk: never");

	/* -k: nothing found gets credentials. */
	eas_credrule_init(&k, false, false);
	eas_credrule_trust_address(&k, "alice@example.com");
	TAP_OK(&t,
	       decide(&k, "https://autodiscover.example.com/x", EAS_CRED_DISCOVERED) == -1 &&
		       strstr(v.why, "not verified (-k)"),
	       "-k: a discovered host gets none: %s", v.why);
	TAP_OK(&t, decide(&k, "https://mail.example.com/x", EAS_CRED_AD_REDIRECT) == -1,
	       "-k: a redirect gets none");
	/* --allow-plaintext covers only the configured URL. */
	eas_credrule_init(&k, true, true);
	eas_credrule_trust_address(&k, "alice@example.com");
	TAP_OK(&t, decide(&k, "http://mail.example.com/x", EAS_CRED_MOVED) == -1,
	       "--allow-plaintext does not cover a 451 to http://");

	/* alice@com: nothing is trusted. */
	eas_credrule_init(&k, true, false);
	eas_credrule_trust_address(&k, "alice@com");
	TAP_OK(&t, decide(&k, "https://autodiscover.com/x", EAS_CRED_DISCOVERED) == -1,
	       "alice@com: autodiscover.com gets none");
	TAP_OK(&t, decide(&k, "https://com/x", EAS_CRED_DISCOVERED) == -1, "alice@com: com none");

	/* The 451 move, against the configured host's domain. */
	eas_credrule_init(&k, true, false);
	eas_credrule_trust_host(&k, "eas.example.com");
	TAP_OK(&t,
	       decide(&k, "https://eas2.example.com/Microsoft-Server-ActiveSync", EAS_CRED_MOVED) ==
			       0 &&
		       v.after_challenge,
	       "451 inside the configured domain: after a challenge");
	TAP_OK(&t,
	       decide(&k, "https://eas.other.example/x", EAS_CRED_MOVED) == -1 &&
		       strstr(v.why, "451 move to eas.other.example: not in a trusted domain"),
	       "451 to another domain: %s", v.why);
	TAP_OK(&t, decide(&k, "http://eas2.example.com/x", EAS_CRED_MOVED) == -1,
	       "451 to http://: none");

	eas_credrule_init(&k, true, false);
	eas_credrule_trust_host(&k, "localhost");
	TAP_OK(&t, decide(&k, "https://localhost:8443/e/ok", EAS_CRED_MOVED) == 0,
	       "451 to the intranet name -H gave: after a challenge");
	TAP_OK(&t, decide(&k, "https://mail:8443/e/ok", EAS_CRED_MOVED) == -1,
	       "451 to another single-label name: none");

	/* Not URLs. */
	TAP_OK(&t, decide(&k, "", EAS_CRED_MOVED) == -1 && strstr(v.why, "not an http(s) URL"),
	       "empty: none");
	TAP_OK(&t, decide(&k, "https://eas2.example.com/\r\nX: y", EAS_CRED_MOVED) == -1,
	       "control characters: none");
	TAP_OK(&t, decide(&k, "ftp://eas2.example.com/", EAS_CRED_MOVED) == -1, "ftp: none");
	TAP_OK(&t, decide(&k, "/relative", EAS_CRED_MOVED) == -1, "relative: none");
	TAP_OK(&t, decide(&k, NULL, EAS_CRED_MOVED) == -1, "NULL: none");
	TAP_OK(&t,
	       decide(&k, "https://\xff\xff/x", EAS_CRED_MOVED) == -1 &&
		       strstr(v.why, "not an http(s) URL") && !strchr(v.why, '\xff'),
	       "raw bytes in the host: none, and not quoted raw (fuzz finding)");
	TAP_OK(&t, !strcmp(eas_credrule_path_name(EAS_CRED_SRV), "srv"), "path names");
	TAP_OK(&t,
	       eas_credrule_is_https("https://a.example/") && eas_credrule_is_https("HTTPS://a/") &&
		       !eas_credrule_is_https("http://a/") && !eas_credrule_is_https("https:/a") &&
		       !eas_credrule_is_https(" https://a/") && !eas_credrule_is_https("") &&
		       !eas_credrule_is_https(NULL),
	       "https:// in any case is https; http://, https:/, a leading blank, empty, NULL "
	       "are not");
	return tap_done(&t);
}
