/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "http/credrule.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <libpsl.h>

#include "util/text.h"

/* Debian's list (publicsuffix) when newer than the built-in one. Loaded
 * once and kept for the run. */
static const psl_ctx_t *psl(void)
{
	static const psl_ctx_t *ctx;
	static bool tried;

	if (!tried) {
		tried = true;
		ctx = psl_latest(NULL);
		if (!ctx)
			ctx = psl_builtin();
	}
	return ctx;
}

static bool is_ip(const char *host)
{
	return eas_text_ip(host, NULL, 0);
}

/* A DNS name: letters, digits, hyphens and underscores in dot-separated
 * labels of 1-63, at most 253 in all, lower-cased into out. */
static bool dns_name(const char *name, char *out, size_t size)
{
	size_t n = strlen(name), label = 0;

	if (n && name[n - 1] == '.')
		n--;
	if (!n || n > EAS_CRED_DOMAIN_MAX || n >= size)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '.') {
			if (!label || name[i - 1] == '-')
				return false;
			label = 0;
		} else if (isalnum(c) || ((c == '-' || c == '_') && label)) {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
		out[i] = (char)tolower(c);
	}
	out[n] = 0;
	return label > 0;
}

bool eas_credrule_public_suffix(const char *name, bool star)
{
	const psl_ctx_t *p = psl();

	if (is_ip(name))
		return false;
	if (!p) /* no list at all: every single label, and nothing more */
		return star && !strchr(name, '.');
	return psl_is_public_suffix2(p, name, PSL_TYPE_ANY | (star ? 0 : PSL_TYPE_NO_STAR_RULE));
}

void eas_credrule_init(struct eas_credrule *r, bool verified, bool allow_plaintext)
{
	memset(r, 0, sizeof *r);
	r->verified = verified;
	r->allow_plaintext = allow_plaintext;
}

static int add(struct eas_credrule *r, const char *domain)
{
	for (size_t i = 0; i < r->ntrusted; i++)
		if (!strcmp(r->trusted[i], domain))
			return 0;
	if (r->ntrusted == EAS_CRED_MAX_TRUST)
		return -1;
	snprintf(r->trusted[r->ntrusted++], sizeof r->trusted[0], "%s", domain);
	return 0;
}

int eas_credrule_trust(struct eas_credrule *r, const char *domain, char *err, size_t errlen)
{
	char d[EAS_CRED_DOMAIN_MAX + 1];

	if (!dns_name(domain, d, sizeof d)) {
		char shown[200];

		snprintf(shown, sizeof shown, "%s", domain);
		eas_text_clean(shown, 1);
		snprintf(err, errlen, "'%s' is not a DNS domain name", shown);
		return -1;
	}
	if (eas_credrule_public_suffix(d, true)) {
		snprintf(
			err, errlen,
			"%s is a public suffix (anyone can register below it): trust the organisation's own domain instead",
			d);
		return -1;
	}
	if (add(r, d)) {
		snprintf(err, errlen, "at most %d trusted domains", EAS_CRED_MAX_TRUST - 2);
		return -1;
	}
	return 0;
}

int eas_credrule_trust_host(struct eas_credrule *r, const char *host)
{
	char h[EAS_CRED_DOMAIN_MAX + 1];
	const char *reg;

	if (is_ip(host))
		return add(r, host);
	if (!dns_name(host, h, sizeof h))
		return -1;
	reg = psl() ? psl_registrable_domain(psl(), h) : NULL;
	if (reg)
		return add(r, reg);
	/* No registrable domain: an intranet name, trusted alone. */
	return eas_credrule_public_suffix(h, false) ? -1 : add(r, h);
}

int eas_credrule_trust_address(struct eas_credrule *r, const char *address)
{
	const char *at = strrchr(address, '@');
	char d[EAS_CRED_DOMAIN_MAX + 1];

	if (!at || !dns_name(at + 1, d, sizeof d) || eas_credrule_public_suffix(d, true))
		return -1;
	return add(r, d);
}

static bool exact(const struct eas_credrule *r, const char *host)
{
	for (size_t i = 0; i < r->ntrusted; i++)
		if (!strcasecmp(host, r->trusted[i]))
			return true;
	return false;
}

bool eas_credrule_trusted(const struct eas_credrule *r, const char *host)
{
	size_t hn = strlen(host);

	for (size_t i = 0; i < r->ntrusted; i++) {
		size_t dn = strlen(r->trusted[i]);

		if (!strcasecmp(host, r->trusted[i]))
			return true;
		if (hn > dn + 1 && host[hn - dn - 1] == '.' &&
		    !strcasecmp(host + hn - dn, r->trusted[i]) && !is_ip(r->trusted[i]))
			return true;
	}
	return false;
}

void eas_credrule_suggest(const char *host, char *out, size_t size)
{
	const char *reg = !is_ip(host) && psl() ? psl_registrable_domain(psl(), host) : NULL;

	snprintf(out, size, "%s", reg ? reg : host);
}

const char *eas_credrule_path_name(enum eas_cred_path path)
{
	static const char *const names[EAS_CRED_PATH_COUNT] = {
		[EAS_CRED_CONFIGURED] = "configured",       [EAS_CRED_DISCOVERED] = "discovered",
		[EAS_CRED_HTTP_REDIRECT] = "http_redirect", [EAS_CRED_SRV] = "srv",
		[EAS_CRED_AD_REDIRECT] = "redirect",        [EAS_CRED_MOVED] = "moved",
	};

	return path < EAS_CRED_PATH_COUNT ? names[path] : "?";
}

/* How a sentence names the destination, by how it was found. */
static const char *lead(enum eas_cred_path path)
{
	switch (path) {
	case EAS_CRED_CONFIGURED: return "";
	case EAS_CRED_DISCOVERED: return "Autodiscover host ";
	case EAS_CRED_SRV: return "SRV target ";
	case EAS_CRED_MOVED: return "451 move to ";
	case EAS_CRED_HTTP_REDIRECT:
	case EAS_CRED_AD_REDIRECT:
	case EAS_CRED_PATH_COUNT: break;
	}
	return "redirect to ";
}

/* The URL's scheme and host (lower case); false when it is none. */
static bool split(const char *url, bool *https, char *host, size_t size)
{
	CURLU *u;
	char *scheme = NULL, *h = NULL;
	bool ok = false;

	for (const char *c = url; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return false;
	u = curl_url();
	if (u && !curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) &&
	    !curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) &&
	    !curl_url_get(u, CURLUPART_HOST, &h, 0) && strlen(h) < size && *h &&
	    (!strcasecmp(scheme, "https") || !strcasecmp(scheme, "http"))) {
		*https = !strcasecmp(scheme, "https");
		/* A DNS name or an address: anything else (raw bytes, an IDN
		 * not in punycode) is no host credentials go to. */
		ok = strspn(h,
			    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_[]:") ==
		     strlen(h);
		for (size_t i = 0; ok && h[i]; i++)
			host[i] = (char)tolower((unsigned char)h[i]);
		host[ok ? strlen(h) : 0] = 0;
		if (host[0] && host[strlen(host) - 1] == '.')
			host[strlen(host) - 1] = 0;
		ok = ok && host[0];
	}
	curl_free(scheme);
	curl_free(h);
	curl_url_cleanup(u);
	return ok;
}

bool eas_credrule_is_https(const char *url)
{
	return url && !strncasecmp(url, "https://", 8);
}

static int refuse(struct eas_cred_verdict *v)
{
	v->send = v->after_challenge = false;
	return -1;
}

int eas_credrule_decide(const struct eas_credrule *r, const char *url, enum eas_cred_path path,
			struct eas_cred_verdict *v)
{
	const char *to = lead(path);
	char suggest[EAS_CRED_DOMAIN_MAX + 1];
	bool https = false;

	memset(v, 0, sizeof *v);
	if (!url || !split(url, &https, v->host, sizeof v->host)) {
		char shown[200];

		/* From a server: one clean line (a cut character dropped). */
		snprintf(shown, sizeof shown, "%s", url ? url : "");
		eas_text_clean(shown, 1);
		snprintf(v->why, sizeof v->why, "%s'%s': not an http(s) URL, credentials not sent",
			 to, shown);
		return refuse(v);
	}
	if (path == EAS_CRED_CONFIGURED) {
		if (!https && !r->allow_plaintext) {
			snprintf(
				v->why, sizeof v->why,
				"refusing to send basic credentials over plain http:// (use https, or --allow-plaintext)");
			return refuse(v);
		}
		if (eas_credrule_public_suffix(v->host, false)) {
			snprintf(v->why, sizeof v->why,
				 "%s is a public suffix: credentials are never sent there",
				 v->host);
			return refuse(v);
		}
		v->send = true;
		return 0;
	}
	if (!https) {
		snprintf(
			v->why, sizeof v->why,
			"%s%s: plain HTTP, credentials not sent (they would travel unencrypted; no option allows it)",
			to, v->host);
		return refuse(v);
	}
	/* An intranet name is one only as the operator's own -H named it. */
	if (eas_credrule_public_suffix(v->host, true) && !exact(r, v->host)) {
		snprintf(v->why, sizeof v->why,
			 "%s%s: a public suffix, credentials not sent (no option allows it)", to,
			 v->host);
		return refuse(v);
	}
	if (!r->verified) {
		snprintf(
			v->why, sizeof v->why,
			"%s%s: its certificate is not verified (-k), credentials not sent; drop -k (name the CA with --ca-file)",
			to, v->host);
		return refuse(v);
	}
	if (!eas_credrule_trusted(r, v->host)) {
		eas_credrule_suggest(v->host, suggest, sizeof suggest);
		snprintf(
			v->why, sizeof v->why,
			"%s%s: not in a trusted domain, credentials not sent; allow it with --trust-domain %s",
			to, v->host, suggest);
		return refuse(v);
	}
	v->send = v->after_challenge = true;
	return 0;
}
