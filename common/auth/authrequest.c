/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "auth/authrequest.h"

#include <stdio.h>
#include <stdlib.h>

#include "run/run.h"

int eas_auth_request(const struct eas_opts *o, const struct eas_creds *c, unsigned creds_mask,
		     struct eas_request *req, char *urlbuf, size_t urlsize, char *err,
		     size_t errlen)
{
	static const char *const headers[] = { "Accept: */*", NULL };

	if (eas_target_request(o, req, urlbuf, urlsize, err, errlen))
		return -1;
	req->method = "OPTIONS";
	req->headers = headers;
	if (creds_mask & (EAS_CRED_BASIC | EAS_CRED_BEARER)) {
		/* One Authorization header: the credential this probe is
		 * about, never the other one the check was also given. */
		struct eas_creds one = *c;

		if (creds_mask & EAS_CRED_BEARER)
			one.user = NULL;
		else
			one.token = NULL;
		if (eas_creds_apply_basic(o, &one, req, err, errlen))
			return -1;
	}
	if (creds_mask & EAS_CRED_CERT)
		req->identity = &c->id;
	return 0;
}

int eas_auth_need_bearer(const struct eas_creds *c, char *err, size_t errlen)
{
	if (c->token)
		return 0;
	snprintf(
		err, errlen,
		"no bearer token given: use --oauth-token-cache (with --oauth-client-id and --oauth-tenant or --oauth-token-url) or --bearer-token-file");
	return -1;
}

int eas_auth_need_basic(const struct eas_creds *c, char *err, size_t errlen)
{
	if (!c->user) {
		snprintf(
			err, errlen,
			"no --user given: basic authentication needs the user (user@domain.com or DOMAIN\\user) and a password");
		return -1;
	}
	if (!c->password) {
		const char *env = getenv("EAS_PASSWORD");

		snprintf(
			err, errlen,
			"no password for %s%s: use --password-file FILE, the EAS_PASSWORD environment variable (or --password-env VAR), or --extra-opts",
			c->user, env && !*env ? " (EAS_PASSWORD is empty)" : "");
		return -1;
	}
	return 0;
}
