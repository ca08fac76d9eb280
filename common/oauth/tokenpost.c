/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "oauth/tokenpost.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "oauth/tokenresp.h"
#include "util/secret.h"

void eas_oauth_form_add(char **body, size_t *len, const char *name, const char *value)
{
	const char *old = *body ? *body : "";
	char *v, *b = NULL;
	size_t n;

	if (!*body && *len)
		return; /* failed before */
	if ((v = curl_easy_escape(NULL, value, 0))) {
		n = *len + strlen(name) + strlen(v) + 3;
		if ((b = malloc(n)))
			snprintf(b, n, "%s%s%s=%s", old, *len ? "&" : "", name, v);
		memset(v, 0, strlen(v));
		curl_free(v);
	}
	eas_secret_free(*body);
	*body = b;
	*len = b ? strlen(b) : 1;
}

int eas_oauth_post(struct eas_runner *run, const char *url, const char *step, const char *body,
		   struct eas_response *res, char *err, size_t errlen)
{
	static const char *const headers[] = { "Accept: application/json", NULL };
	const struct eas_opts *o = run->o;
	struct eas_cred_verdict v;
	struct eas_request req;

	/* A refresh token, a password or a device code is a credential: the
	 * configured endpoint only, over https (the options take nothing
	 * else), under the same rule as a password. */
	if (eas_credrule_decide(&run->creds->rule, url, EAS_CRED_CONFIGURED, &v)) {
		snprintf(err, errlen, "%s", v.why);
		return -1;
	}
	memset(&req, 0, sizeof req);
	req.url = url;
	req.method = "POST";
	req.headers = headers;
	req.body = body;
	req.body_len = strlen(body);
	req.content_type = "application/x-www-form-urlencoded";
	req.resolve = run->resolve;
	req.connect_to = o->connect_to;
	req.ip_version = o->ip_version;
	req.proxy = o->proxy;
	req.noproxy = o->noproxy;
	req.ca_file = o->ca_file;
	req.ca_path = o->ca_path;
	/* -k is for the ActiveSync server's certificate: a secret goes
	 * only to a verified authorization server. */
	req.insecure = false;
	req.tls_min = o->tls_min;
	req.tls_max = o->tls_max;
	req.body_keep = EAS_OAUTH_ANSWER_MAX;
	req.read_limit = EAS_OAUTH_ANSWER_MAX + 16384;
	eas_run_step(run, step, NULL, &req, res);
	return 0;
}

void eas_oauth_response_free(struct eas_response *res)
{
	if (res->body)
		memset(res->body, 0, res->body_len);
	eas_response_free(res);
}

enum eas_oauth_answer_kind eas_oauth_answer_read(const struct eas_response *res,
						 struct eas_oauth_answer *a, char *why,
						 size_t whylen)
{
	return eas_oauth_answer_parse(res->status, res->truncated ? NULL : res->body,
				      res->truncated ? EAS_OAUTH_ANSWER_MAX + 1 : res->body_len, a,
				      why, whylen);
}
