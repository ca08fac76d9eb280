/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one rule for where credentials (a password, a client certificate)
 * may go, for every path that sends any: the probe of the operator's URL,
 * the EAS commands, a 451 move, Autodiscover and its redirects.
 *  - the URL the operator configured (-H, -U): as given (plain http://
 *    only with --allow-plaintext);
 *  - a host found by discovery or redirection: only over verified https,
 *    only in answer to a challenge from that host, and only inside a
 *    trusted domain (the address's or the configured host's, and every
 *    --trust-domain);
 *  - never to a public suffix (com, co.uk: libpsl with Debian's list).
 * Pure: no request, no option parsing; the caller sends or does not. */
#ifndef EAS_CREDRULE_H
#define EAS_CREDRULE_H

#include <stdbool.h>
#include <stddef.h>

#define EAS_CRED_MAX_TRUST 16 /* --trust-domain, plus the implicit ones */
#define EAS_CRED_DOMAIN_MAX 253

/* How the destination was found. */
enum eas_cred_path {
	EAS_CRED_CONFIGURED,    /* -H / -U: the operator's own URL */
	EAS_CRED_DISCOVERED,    /* Autodiscover candidates 1, 2; the URL it gives */
	EAS_CRED_HTTP_REDIRECT, /* candidate 3: the plain-HTTP 302's target */
	EAS_CRED_SRV,           /* candidate 4: the SRV record's target */
	EAS_CRED_AD_REDIRECT,   /* an Autodiscover Redirect (URL or address) */
	EAS_CRED_MOVED,         /* a 451's X-MS-Location */
	EAS_CRED_PATH_COUNT
};

struct eas_credrule {
	char trusted[EAS_CRED_MAX_TRUST][EAS_CRED_DOMAIN_MAX + 1]; /* lower case */
	size_t ntrusted;
	bool verified;        /* the server certificate is verified (no -k) */
	bool allow_plaintext; /* --allow-plaintext: the configured URL only */
};

struct eas_cred_verdict {
	bool send;            /* credentials may go there */
	bool after_challenge; /* only in answer to that host's challenge */
	char host[256];       /* the destination's host, lower case */
	char why[400];        /* when not: one sentence naming the host and
				 the option that would allow it */
};

void eas_credrule_init(struct eas_credrule *r, bool verified, bool allow_plaintext);

/* --trust-domain: a DNS name, not a public suffix. 0, or -1 with err. */
int eas_credrule_trust(struct eas_credrule *r, const char *domain, char *err, size_t errlen);

/* The implicit trusted domains: the registrable domain of the configured
 * host (an IP address: itself), or the domain of an e-mail address. A
 * public suffix (alice@com) adds nothing. Returns 0 when added, -1 when
 * nothing was (a public suffix, a full list). */
int eas_credrule_trust_host(struct eas_credrule *r, const char *host);
int eas_credrule_trust_address(struct eas_credrule *r, const char *address);

/* Whether name is a public suffix: with star rule (any unlisted single
 * label counts, for domains to trust) or only listed ones (for a host
 * the operator named: an intranet name like "localhost" is none). */
bool eas_credrule_public_suffix(const char *name, bool star);

/* Whether host is a trusted domain or inside one. */
bool eas_credrule_trusted(const struct eas_credrule *r, const char *host);

/* The domain to name in "--trust-domain D" for host: its registrable
 * domain, else the host itself. */
void eas_credrule_suggest(const char *host, char *out, size_t size);

/* True when url is an https:// URL (the scheme in any case): the one
 * test of the scheme for every path that refuses plain HTTP, a device's
 * (Autodiscover, a 451 move) as well as the rule's. */
bool eas_credrule_is_https(const char *url);

/* Decide for url, found by path. Returns 0 (v->send, v->after_challenge
 * set) or -1 (credentials must not go; v->why says why). */
int eas_credrule_decide(const struct eas_credrule *r, const char *url, enum eas_cred_path path,
			struct eas_cred_verdict *v);

/* "configured", "discovered", "http_redirect", "srv", "redirect", "moved" */
const char *eas_credrule_path_name(enum eas_cred_path path);

#endif
