/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "oauth/oauthflow.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "oauth/tokencache.h"
#include "oauth/tokenpost.h"
#include "oauth/tokenresp.h"
#include "util/secret.h"

/* The form body of a refresh (RFC 6749 6) or of the password grant
 * (4.3), or NULL when out of memory; it holds a secret: wipe it
 * (eas_secret_free). */
static char *grant_body(const struct eas_oauth_cfg *cfg, const char *refresh)
{
	char *body = NULL;
	size_t len = 0;

	eas_oauth_form_add(&body, &len, "grant_type", refresh ? "refresh_token" : "password");
	eas_oauth_form_add(&body, &len, "client_id", cfg->client_id);
	if (refresh) {
		eas_oauth_form_add(&body, &len, "refresh_token", refresh);
	} else {
		eas_oauth_form_add(&body, &len, "username", cfg->user);
		eas_oauth_form_add(&body, &len, "password", cfg->password);
	}
	eas_oauth_form_add(&body, &len, "scope", cfg->scope ? cfg->scope : EAS_OAUTH_DEFAULT_SCOPE);
	return body;
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

/* One request at the token endpoint: with c's refresh token, or (rt
 * NULL) with the password; the new tokens into c. */
static enum eas_oauth_result grant(struct eas_runner *run, const struct eas_oauth_cfg *cfg,
				   const char *rt, struct eas_oauth_cache *c,
				   struct eas_oauth_got *got, char *err, size_t errlen)
{
	enum eas_oauth_result r = EAS_OAUTH_FAILED;
	struct eas_oauth_answer a;
	struct eas_response res;
	char why[320];
	char *body;

	if (!(body = grant_body(cfg, rt))) {
		snprintf(err, errlen, "out of memory");
		return EAS_OAUTH_SETUP;
	}
	if (eas_oauth_post(run, got->url, rt ? "token refresh" : "password grant", body, &res, err,
			   errlen)) {
		eas_secret_free(body);
		return EAS_OAUTH_SETUP;
	}
	eas_secret_free(body);
	got->refreshed = true;
	got->by_password = !rt;
	got->token_time = res.t.total;
	got->fail = res.fail;
	if (res.fail != EAS_FAIL_NONE) {
		snprintf(err, errlen, "token endpoint %s: %s", got->url, res.what);
		goto out;
	}
	switch (eas_oauth_answer_read(&res, &a, why, sizeof why)) {
	case EAS_OAUTH_ERROR:
		a.grant = rt ? EAS_OAUTH_GRANT_REFRESH : EAS_OAUTH_GRANT_PASSWORD;
		eas_oauth_error_words(&a, why, sizeof why);
		snprintf(err, errlen, "%s refused (HTTP %ld): %s",
			 rt ? "token refresh" : "password grant", res.status, why);
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
		if (a.refresh_token &&
		    (!c->refresh_token || strcmp(a.refresh_token, c->refresh_token))) {
			eas_secret_free(c->refresh_token);
			c->refresh_token = a.refresh_token;
			a.refresh_token = NULL;
			c->rotated_at = now;
			got->rotated = rt != NULL; /* a first one is no rotation */
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
	eas_oauth_response_free(&res);
	return r;
}

/* The refresh token first; with the password grant, the password when
 * there is none or it was refused. */
static enum eas_oauth_result refresh(struct eas_runner *run, const struct eas_oauth_cfg *cfg,
				     struct eas_oauth_cache *c, struct eas_oauth_got *got,
				     char *err, size_t errlen)
{
	enum eas_oauth_result r = EAS_OAUTH_REFUSED;
	char *rt = c->refresh_token;

	if (!rt && !cfg->password) {
		snprintf(
			err, errlen,
			"the token cache %s holds no refresh token and its access token has expired: seed it with {\"refresh_token\": \"...\"}",
			cfg->cache);
		return EAS_OAUTH_SETUP;
	}
	if (rt)
		r = grant(run, cfg, rt, c, got, err, errlen);
	if (r != EAS_OAUTH_REFUSED || !cfg->password)
		return r;
	if (rt) {
		/* Dead: not tried again on the next run. */
		eas_out_detail(run->out, "%s: trying the password grant", err);
		eas_secret_free(c->refresh_token);
		c->refresh_token = NULL;
	}
	got->rotated = false;
	return grant(run, cfg, NULL, c, got, err, errlen);
}

/* The cache, or with the password grant an empty one when it is missing
 * (the first run creates it). */
static int cache_read(const struct eas_oauth_cfg *cfg, struct eas_oauth_cache *c,
		      struct eas_oauth_got *got, char *err, size_t errlen)
{
	struct stat st;

	if (cfg->password && lstat(cfg->cache, &st) && errno == ENOENT) {
		memset(c, 0, sizeof *c);
		return 0;
	}
	return eas_oauth_cache_read(cfg->cache, c, got->note, sizeof got->note, err, errlen);
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
		snprintf(got->url, sizeof got->url, EAS_ENTRA_TOKEN_URL, cfg->tenant);
	if (cache_read(cfg, &c, got, err, errlen))
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
	if (cache_read(cfg, &c, got, err, errlen))
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
