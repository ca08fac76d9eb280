/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "oauth/oauthflow.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "oauth/tokencache.h"
#include "oauth/tokenresp.h"
#include "util/secret.h"

#define ENTRA_TOKEN_URL "https://login.microsoftonline.com/%s/oauth2/v2.0/token"

/* The form body of a refresh (RFC 6749 6), or NULL when out of memory;
 * it holds the refresh token: wipe it (eas_secret_free). */
static char *refresh_body(const struct eas_oauth_cfg *cfg, const char *refresh)
{
	char *rt = curl_easy_escape(NULL, refresh, 0);
	char *scope = curl_easy_escape(NULL, cfg->scope ? cfg->scope : EAS_OAUTH_DEFAULT_SCOPE, 0);
	char *cid = curl_easy_escape(NULL, cfg->client_id, 0);
	char *body = NULL;
	size_t n;

	if (rt && scope && cid) {
		n = strlen(rt) + strlen(scope) + strlen(cid) + 80;
		if ((body = malloc(n)))
			snprintf(body, n,
				 "grant_type=refresh_token&client_id=%s&refresh_token=%s&scope=%s",
				 cid, rt, scope);
	}
	if (rt)
		memset(rt, 0, strlen(rt));
	curl_free(rt);
	curl_free(scope);
	curl_free(cid);
	return body;
}

/* The answer's copy of the tokens in the probe's buffer: wiped before it
 * is freed. */
static void response_wipe_free(struct eas_response *res)
{
	if (res->body)
		memset(res->body, 0, res->body_len);
	eas_response_free(res);
}

/* Whether c's access token may be sent: fresh, and not the one refused. */
static bool usable(const struct eas_oauth_cfg *cfg, const struct eas_oauth_cache *c)
{
	return eas_oauth_cache_fresh(c, (long long)time(NULL), EAS_OAUTH_MARGIN) &&
	       !(cfg->refused && !strcmp(cfg->refused, c->access_token));
}

/* got the cache's access token. */
static enum eas_oauth_result take(struct eas_oauth_cache *c, struct eas_oauth_got *got)
{
	got->token = c->access_token;
	c->access_token = NULL;
	got->expires_at = c->expires_at;
	got->rotated_at = c->rotated_at;
	return EAS_OAUTH_GOT;
}

/* One refresh with c's refresh token; the new tokens into c. */
static enum eas_oauth_result refresh(struct eas_runner *run, const struct eas_oauth_cfg *cfg,
				     struct eas_oauth_cache *c, struct eas_oauth_got *got,
				     char *err, size_t errlen)
{
	static const char *const headers[] = { "Accept: application/json", NULL };
	const struct eas_opts *o = run->o;
	enum eas_oauth_result r = EAS_OAUTH_FAILED;
	struct eas_oauth_answer a;
	struct eas_cred_verdict v;
	struct eas_request req;
	struct eas_response res;
	char why[320];
	char *body;

	if (!c->refresh_token) {
		snprintf(
			err, errlen,
			"the token cache %s holds no refresh token and its access token has expired: seed it with {\"refresh_token\": \"...\"}",
			cfg->cache);
		return EAS_OAUTH_SETUP;
	}
	/* A refresh token is a credential: the configured endpoint only,
	 * over https (the option takes nothing else), under the same rule. */
	if (eas_credrule_decide(&run->creds->rule, got->url, EAS_CRED_CONFIGURED, &v)) {
		snprintf(err, errlen, "%s", v.why);
		return EAS_OAUTH_SETUP;
	}
	if (!(body = refresh_body(cfg, c->refresh_token))) {
		snprintf(err, errlen, "out of memory");
		return EAS_OAUTH_SETUP;
	}
	memset(&req, 0, sizeof req);
	req.url = got->url;
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
	/* -k is for the ActiveSync server's certificate: a refresh token
	 * goes only to a verified token endpoint. */
	req.insecure = false;
	req.tls_min = o->tls_min;
	req.tls_max = o->tls_max;
	req.body_keep = EAS_OAUTH_ANSWER_MAX;
	req.read_limit = EAS_OAUTH_ANSWER_MAX + 16384;
	eas_run_step(run, "token refresh", NULL, &req, &res);
	eas_secret_free(body);
	got->refreshed = true;
	got->token_time = res.t.total;
	got->fail = res.fail;
	if (res.fail != EAS_FAIL_NONE) {
		snprintf(err, errlen, "token endpoint %s: %s", got->url, res.what);
		goto out;
	}
	switch (eas_oauth_answer_parse(res.status, res.truncated ? NULL : res.body,
				       res.truncated ? EAS_OAUTH_ANSWER_MAX + 1 : res.body_len, &a,
				       why, sizeof why)) {
	case EAS_OAUTH_ERROR:
		eas_oauth_error_words(&a, why, sizeof why);
		snprintf(err, errlen, "token refresh refused (HTTP %ld): %s", res.status, why);
		r = EAS_OAUTH_REFUSED;
		break;
	case EAS_OAUTH_UNREADABLE: snprintf(err, errlen, "%s", why); break;
	case EAS_OAUTH_TOKENS: {
		long long now = (long long)time(NULL);

		eas_secret_free(c->access_token);
		c->access_token = a.access_token;
		a.access_token = NULL;
		/* Without expires_in, use it this once and refresh next time. */
		c->expires_at = a.expires_in ? now + a.expires_in : 0;
		if (a.refresh_token && strcmp(a.refresh_token, c->refresh_token)) {
			eas_secret_free(c->refresh_token);
			c->refresh_token = a.refresh_token;
			a.refresh_token = NULL;
			c->rotated_at = now;
			got->rotated = true;
		}
		if (eas_oauth_cache_write(cfg->cache, c, why, sizeof why)) {
			snprintf(
				err, errlen, "%s%s", why,
				got->rotated
					? ": the rotated refresh token is lost, the old one may no longer work"
					: "");
			r = EAS_OAUTH_SETUP;
			break;
		}
		r = take(c, got);
		break;
	}
	}
	eas_oauth_answer_free(&a);
out:
	response_wipe_free(&res);
	return r;
}

enum eas_oauth_result eas_oauth_obtain(struct eas_runner *run, const struct eas_oauth_cfg *cfg,
				       struct eas_oauth_got *got, char *err, size_t errlen)
{
	enum eas_oauth_result r;
	struct eas_oauth_cache c;
	struct eas_runlock lock;
	char lockpath[4200];

	memset(got, 0, sizeof *got);
	if (cfg->token_url)
		snprintf(got->url, sizeof got->url, "%s", cfg->token_url);
	else
		snprintf(got->url, sizeof got->url, ENTRA_TOKEN_URL, cfg->tenant);
	if (eas_oauth_cache_read(cfg->cache, &c, got->note, sizeof got->note, err, errlen))
		return EAS_OAUTH_SETUP;
	if (usable(cfg, &c)) {
		r = take(&c, got);
		goto out;
	}
	/* One refresh at a time: a rotated refresh token used twice may
	 * lock the monitoring user out (the provider revokes the grant). */
	eas_oauth_cache_free(&c);
	snprintf(lockpath, sizeof lockpath, "%s.lock", cfg->cache);
	if (eas_runlock_take_file(&lock, lockpath, err, errlen) != EAS_RUNLOCK_TAKEN)
		return EAS_OAUTH_SETUP;
	got->lock_wait = lock.waited;
	if (eas_oauth_cache_read(cfg->cache, &c, got->note, sizeof got->note, err, errlen))
		r = EAS_OAUTH_SETUP;
	else if (usable(cfg, &c))
		r = take(&c, got); /* another run refreshed while we waited */
	else
		r = refresh(run, cfg, &c, got, err, errlen);
	eas_runlock_release(&lock);
out:
	eas_oauth_cache_free(&c);
	return r;
}
