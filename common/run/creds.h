/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The credentials a plugin authenticates with: a basic user and password,
 * a client certificate, or both, loaded from the common options. */
#ifndef EAS_CREDS_H
#define EAS_CREDS_H

#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"
#include "tls/tls.h"
#include "cli/cli.h"

struct eas_creds {
	const char *user;       /* as given: user@domain.com or DOMAIN\user */
	char *password;         /* owned and wiped on release; NULL none */
	char *token;            /* a bearer (OAuth 2.0 access) token, likewise */
	char token_fp[20];      /* its fingerprint, the most output shows */
	struct eas_identity id; /* id.cert NULL when no client certificate */
	char note[3][320];      /* words on secret files others can read */
	/* Where they may go (common/credrule), and how the check's target was
	 * found: configured (-H/-U) or discovered (--autodiscover). */
	struct eas_credrule rule;
	enum eas_cred_path path;
};

/* What a check authenticates with. Every plugin accepts every credential
 * option, so that one credential set serves a host; each loads only what
 * its check is about, and never changes what it tests because of the
 * rest. */
enum {
	EAS_USE_BASIC = 1 << 0,  /* --user and a password */
	EAS_USE_CERT = 1 << 1,   /* --cert [--key] */
	EAS_USE_BEARER = 1 << 2, /* --bearer-token-file (the token cache: oauth/) */
};

#define EAS_TOKEN_MAX 16384 /* bytes of one bearer token */

/* Load what o names of uses: the password (file, environment, option)
 * and the client certificate (PEM + key, or PKCS#12 with
 * --cert-password-file). Returns 0, or -1 with one line in err that
 * names the file but never a secret. */
int eas_creds_load(const struct eas_opts *o, unsigned uses, struct eas_creds *c, char *err,
		   size_t errlen);
void eas_creds_free(struct eas_creds *c);

/* The rule of o: verified TLS (no -k), --allow-plaintext, every
 * --trust-domain, and the domain of the target: --autodiscover's address
 * or the configured host's registrable domain. */
void eas_creds_rule(const struct eas_opts *o, struct eas_credrule *r);

/* Take token (moved in: wiped and freed with c) as c's bearer token, and
 * its fingerprint. */
void eas_creds_set_token(struct eas_creds *c, char *token);

/* The fingerprint of a token for -v and JSON: "sha256:" and the first 12
 * hex digits of its SHA-256, never the token. */
void eas_token_fingerprint(const char *token, char *out, size_t size);

/* Put the credentials into req for its URL (a bearer token when c holds
 * one, else basic: a token is a credential, under the same rule), found as the check's
 * target was (c->path). Refuses (returns -1, err filled with the rule's
 * reason) where the rule forbids them: plain http:// without
 * --allow-plaintext, a public suffix, a discovered host outside the
 * trusted domains or without verified TLS. To a discovered host they go
 * only in answer to its challenge (req->auth_after_challenge). */
int eas_creds_apply_basic(const struct eas_opts *o, const struct eas_creds *c,
			  struct eas_request *req, char *err, size_t errlen);
/* The same for a URL found another way (a 451's move). */
int eas_creds_apply_basic_to(const struct eas_creds *c, enum eas_cred_path path,
			     struct eas_request *req, char *err, size_t errlen);

#endif
