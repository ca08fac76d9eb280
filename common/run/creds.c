/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "run/creds.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/sha.h>

#include "util/safefile.h"
#include "util/secret.h"

/* The --extra-opts file and section a value came from, or NULL when it
 * came from the command line. */
static const char *ini_origin(const struct eas_opts *o, const char *value)
{
	for (size_t i = 0; value && i < o->nowned; i++)
		if (value >= o->owned[i] && value <= o->owned[i] + strlen(o->owned[i]))
			return o->extra_origin;
	return NULL;
}

int eas_creds_load(const struct eas_opts *o, unsigned uses, struct eas_creds *c, char *err,
		   size_t errlen)
{
	const struct eas_password_src pw = {
		.file = o->password_file,
		.value = o->password,
		.value_from = ini_origin(o, o->password),
		.env = o->password_env,
		.note = c->note[0],
		.notelen = sizeof c->note[0],
	};
	char *cert_pw = NULL, *key_pw = NULL;
	int rc = -1;

	memset(c, 0, sizeof *c);
	c->user = o->user;
	eas_creds_rule(o, &c->rule);
	c->path = o->autodiscover ? EAS_CRED_DISCOVERED : EAS_CRED_CONFIGURED;
	if ((uses & EAS_USE_BEARER) && o->bearer_token_file) {
		char *t;

		if (eas_secret_read_named(o->bearer_token_file, "bearer token file", EAS_TOKEN_MAX,
					  &t, c->note[0], sizeof c->note[0], err, errlen))
			return -1;
		eas_creds_set_token(c, t);
	}
	if (!(uses & EAS_USE_BASIC))
		goto cert;
	if (eas_secret_password(&pw, &c->password, err, errlen))
		return -1;
	if (c->password && !c->user) {
		/* A stray EAS_PASSWORD in the environment is harmless without
		 * --user; an explicit password source is a mistake. */
		if (o->password || o->password_file || o->password_env) {
			snprintf(err, errlen, "a password was given but no --user");
			goto out;
		}
		eas_secret_free(c->password);
		c->password = NULL;
	}
cert:
	if (!(uses & EAS_USE_CERT)) {
		rc = 0;
		goto out;
	}
	if (!o->cert) {
		if (o->key || o->cert_password_file || o->key_password_file) {
			snprintf(err, errlen, "--key and the certificate passwords need --cert");
			goto out;
		}
		rc = 0;
		goto out;
	}
	/* Named by their option: the error comes before any request. */
	if (eas_safefile_check(o->cert, "--cert", false, err, errlen) ||
	    (o->key && eas_safefile_check(o->key, "--key", false, err, errlen)))
		goto out;
	if (o->cert_password_file &&
	    eas_secret_read_file(o->cert_password_file, &cert_pw, c->note[1], sizeof c->note[1],
				 err, errlen))
		goto out;
	if (o->key_password_file && eas_secret_read_file(o->key_password_file, &key_pw, c->note[2],
							 sizeof c->note[2], err, errlen))
		goto out;
	rc = eas_identity_load(o->cert, cert_pw, o->key, key_pw, &c->id, err, errlen);
out:
	eas_secret_free(cert_pw);
	eas_secret_free(key_pw);
	if (rc)
		eas_creds_free(c);
	return rc;
}

void eas_token_fingerprint(const char *token, char *out, size_t size)
{
	unsigned char md[SHA256_DIGEST_LENGTH];

	SHA256((const unsigned char *)token, strlen(token), md);
	snprintf(out, size, "sha256:%02x%02x%02x%02x%02x%02x", md[0], md[1], md[2], md[3], md[4],
		 md[5]);
}

void eas_creds_set_token(struct eas_creds *c, char *token)
{
	eas_secret_free(c->token);
	c->token = token;
	c->token_fp[0] = 0;
	if (token)
		eas_token_fingerprint(token, c->token_fp, sizeof c->token_fp);
}

void eas_creds_free(struct eas_creds *c)
{
	eas_secret_free(c->password);
	c->password = NULL;
	eas_secret_free(c->token);
	c->token = NULL;
	eas_identity_free(&c->id);
}

void eas_creds_rule(const struct eas_opts *o, struct eas_credrule *r)
{
	char err[320];
	CURLU *u;
	char *host = NULL;

	eas_credrule_init(r, !o->insecure, o->allow_plaintext);
	for (size_t i = 0; i < o->ntrust_domain; i++)
		eas_credrule_trust(r, o->trust_domain[i], err, sizeof err); /* checked */
	if (o->autodiscover) {
		eas_credrule_trust_address(r, o->autodiscover);
		return;
	}
	if (o->sni)
		eas_credrule_trust_host(r, o->sni);
	if (o->hostname) {
		eas_credrule_trust_host(r, o->hostname);
		return;
	}
	u = o->url ? curl_url() : NULL;
	if (u && !curl_url_set(u, CURLUPART_URL, o->url, 0) &&
	    !curl_url_get(u, CURLUPART_HOST, &host, 0))
		eas_credrule_trust_host(r, host);
	curl_free(host);
	curl_url_cleanup(u);
}

int eas_creds_apply_basic_to(const struct eas_creds *c, enum eas_cred_path path,
			     struct eas_request *req, char *err, size_t errlen)
{
	struct eas_cred_verdict v;

	if (!c->user && !c->token)
		return 0;
	if (eas_credrule_decide(&c->rule, req->url, path, &v)) {
		snprintf(err, errlen, "%s", v.why);
		return -1;
	}
	req->auth_after_challenge = v.after_challenge;
	if (c->token) {
		req->auth = EAS_HTTPAUTH_BEARER;
		req->token = c->token;
		return 0;
	}
	req->auth = EAS_HTTPAUTH_BASIC;
	req->user = c->user;
	req->password = c->password ? c->password : "";
	req->auth_after_challenge = v.after_challenge;
	return 0;
}

int eas_creds_apply_basic(const struct eas_opts *o, const struct eas_creds *c,
			  struct eas_request *req, char *err, size_t errlen)
{
	(void)o; /* the rule in c holds what counts of o */
	return eas_creds_apply_basic_to(c, c->path, req, err, errlen);
}
