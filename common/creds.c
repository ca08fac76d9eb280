/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "creds.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "safefile.h"
#include "secret.h"

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
			snprintf(err, errlen,
				 "--key and the certificate passwords "
				 "need --cert");
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

void eas_creds_free(struct eas_creds *c)
{
	eas_secret_free(c->password);
	c->password = NULL;
	eas_identity_free(&c->id);
}

int eas_creds_apply_basic(const struct eas_opts *o, const struct eas_creds *c,
			  struct eas_request *req, char *err, size_t errlen)
{
	if (!c->user)
		return 0;
	if (!strncasecmp(req->url, "http://", 7) && !o->allow_plaintext) {
		snprintf(err, errlen,
			 "refusing to send basic credentials over "
			 "plain http:// (use https, or --allow-plaintext)");
		return -1;
	}
	req->auth = EAS_HTTPAUTH_BASIC;
	req->user = c->user;
	req->password = c->password ? c->password : "";
	return 0;
}
