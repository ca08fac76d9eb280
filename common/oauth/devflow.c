/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "oauth/devflow.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <json-c/json.h>

#include "oauth/tokencache.h"
#include "oauth/tokenpost.h"
#include "oauth/tokenresp.h"
#include "util/jsonread.h"
#include "util/secret.h"

#define JSON_DEPTH 4
#define SLOW_DOWN_STEP 5 /* seconds slow_down adds (RFC 8628 3.5) */

void eas_oauth_device_free(struct eas_oauth_device *d)
{
	eas_secret_free(d->device_code);
	memset(d, 0, sizeof *d);
}

static const char *member_str(struct json_object *o, const char *name)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, name, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* A number of seconds from 1 to max (a string of digits too), else dflt;
 * -1 when present but not one. */
static long member_secs(struct json_object *o, const char *name, long max, long dflt)
{
	struct json_object *v;
	long long n;

	if (!json_object_object_get_ex(o, name, &v) || json_object_is_type(v, json_type_null))
		return dflt;
	if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_string))
		return -1;
	n = json_object_get_int64(v);
	return n >= 1 && n <= max ? (long)n : -1;
}

/* An https:// URL of visible ASCII that fits size. */
static bool uri_ok(const char *u, size_t size)
{
	if (!u || strncasecmp(u, "https://", 8) || strlen(u) >= size)
		return false;
	for (; *u; u++)
		if (*u <= ' ' || *u > '~')
			return false;
	return true;
}

int eas_oauth_device_parse(const char *body, size_t len, struct eas_oauth_device *d, char *err,
			   size_t errlen)
{
	struct json_object *o = NULL;
	const char *dc, *uc, *uri, *full;
	char why[160];
	int rc = -1;

	memset(d, 0, sizeof *d);
	if (!body || !len || len > EAS_OAUTH_ANSWER_MAX ||
	    eas_json_read(body, len, JSON_DEPTH, &o, why, sizeof why) ||
	    !json_object_is_type(o, json_type_object)) {
		snprintf(
			err, errlen,
			"the device authorization answer is not one JSON object (of at most %d bytes)",
			EAS_OAUTH_ANSWER_MAX);
		goto out;
	}
	dc = member_str(o, "device_code");
	uc = member_str(o, "user_code");
	/* Entra's v1 endpoint says verification_url. */
	if (!(uri = member_str(o, "verification_uri")))
		uri = member_str(o, "verification_url");
	full = member_str(o, "verification_uri_complete");
	d->expires_in = member_secs(o, "expires_in", 86400, 900);
	d->interval = member_secs(o, "interval", 300, 5);
	/* The user code is typed by a person: visible ASCII, one word. */
	if (!dc || !eas_oauth_token_ok(dc) || !uc || !eas_oauth_token_ok(uc) ||
	    strlen(uc) >= sizeof d->user_code || !uri_ok(uri, sizeof d->uri) ||
	    (full && !uri_ok(full, sizeof d->uri_complete)) || d->expires_in < 0 ||
	    d->interval < 0) {
		snprintf(
			err, errlen,
			"the device authorization answer lacks a usable device_code, user_code, https verification_uri, expires_in or interval");
		goto out;
	}
	snprintf(d->user_code, sizeof d->user_code, "%s", uc);
	snprintf(d->uri, sizeof d->uri, "%s", uri);
	if (full)
		snprintf(d->uri_complete, sizeof d->uri_complete, "%s", full);
	if (!(d->device_code = strdup(dc))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	rc = 0;
out:
	if (rc)
		eas_oauth_device_free(d);
	json_object_put(o);
	return rc;
}

/* The answer of an endpoint that refused, in words: REFUSED, or FAILED
 * when it is no error answer. */
static enum eas_oauth_result refused(const struct eas_response *res, const char *what, char *err,
				     size_t errlen)
{
	struct eas_oauth_answer a;
	char why[400];

	if (eas_oauth_answer_read(res, &a, why, sizeof why) != EAS_OAUTH_ERROR) {
		snprintf(err, errlen, "%s", why);
		eas_oauth_answer_free(&a);
		return EAS_OAUTH_FAILED;
	}
	a.grant = EAS_OAUTH_GRANT_DEVICE;
	eas_oauth_error_words(&a, why, sizeof why);
	snprintf(err, errlen, "%s refused (HTTP %ld): %s", what, res->status, why);
	eas_oauth_answer_free(&a);
	return EAS_OAUTH_REFUSED;
}

enum eas_oauth_result eas_oauth_device_start(struct eas_runner *run,
					     const struct eas_oauth_setup_cfg *cfg,
					     struct eas_oauth_device *d,
					     struct eas_oauth_setup_got *got, char *err,
					     size_t errlen)
{
	enum eas_oauth_result r = EAS_OAUTH_FAILED;
	struct eas_response res;
	char *body = NULL;
	size_t len = 0;

	memset(d, 0, sizeof *d);
	if (cfg->device_url)
		snprintf(got->url, sizeof got->url, "%s", cfg->device_url);
	else
		snprintf(got->url, sizeof got->url, EAS_ENTRA_DEVICE_URL, cfg->tenant);
	eas_oauth_form_add(&body, &len, "client_id", cfg->client_id);
	eas_oauth_form_add(&body, &len, "scope", cfg->scope ? cfg->scope : EAS_OAUTH_SETUP_SCOPE);
	if (!body) {
		snprintf(err, errlen, "out of memory");
		return EAS_OAUTH_SETUP;
	}
	if (eas_oauth_post(run, got->url, "device authorization", body, &res, err, errlen)) {
		free(body);
		return EAS_OAUTH_SETUP;
	}
	free(body);
	got->fail = res.fail;
	if (res.fail != EAS_FAIL_NONE)
		snprintf(err, errlen, "device authorization endpoint %s: %s", got->url, res.what);
	else if (res.status != 200)
		r = refused(&res, "device authorization", err, errlen);
	else if (!eas_oauth_device_parse(res.body,
					 res.truncated ? EAS_OAUTH_ANSWER_MAX + 1 : res.body_len, d,
					 err, errlen))
		r = EAS_OAUTH_GOT;
	eas_oauth_response_free(&res);
	return r;
}

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Sleep s seconds (nanosleep, resumed after a signal). */
static void sleep_s(long s)
{
	struct timespec left = { s, 0 };

	while (nanosleep(&left, &left) && errno == EINTR)
		;
}

/* The tokens as a new cache: refused when it exists unless --force. */
static enum eas_oauth_result write_cache(const struct eas_oauth_setup_cfg *cfg,
					 struct eas_oauth_answer *a,
					 struct eas_oauth_setup_got *got, char *err, size_t errlen)
{
	long long now = (long long)time(NULL);
	struct eas_oauth_cache c = { 0 };
	struct stat st;
	char why[400];
	int rc;

	if (!a->refresh_token) {
		snprintf(
			err, errlen,
			"the token endpoint gave no refresh token: ask for offline_access in --oauth-scope");
		return EAS_OAUTH_REFUSED;
	}
	if (!cfg->force && !lstat(cfg->cache, &st)) {
		snprintf(
			err, errlen,
			"the token cache %s appeared meanwhile: not replaced (--force replaces it)",
			cfg->cache);
		return EAS_OAUTH_SETUP;
	}
	c.refresh_token = a->refresh_token;
	c.access_token = a->access_token;
	c.expires_at = a->expires_in ? now + a->expires_in : 0;
	c.rotated_at = now;
	rc = eas_oauth_cache_write(cfg->cache, &c, why, sizeof why);
	got->expires_at = c.expires_at;
	if (rc) {
		snprintf(err, errlen, "%s", why);
		return EAS_OAUTH_SETUP;
	}
	snprintf(got->user, sizeof got->user, "%s", a->user);
	return EAS_OAUTH_GOT;
}

/* One poll: GOT (the cache written), REFUSED, FAILED or SETUP; *again:
 * still pending, poll once more. */
static enum eas_oauth_result poll_once(struct eas_runner *run,
				       const struct eas_oauth_setup_cfg *cfg,
				       struct eas_oauth_device *d, struct eas_oauth_setup_got *got,
				       char *err, size_t errlen, bool *again)
{
	enum eas_oauth_result r = EAS_OAUTH_FAILED;
	struct eas_oauth_answer a;
	struct eas_response res;
	char *body = NULL, why[400];
	size_t len = 0;

	*again = false;
	eas_oauth_form_add(&body, &len, "grant_type",
			   "urn:ietf:params:oauth:grant-type:device_code");
	eas_oauth_form_add(&body, &len, "client_id", cfg->client_id);
	eas_oauth_form_add(&body, &len, "device_code", d->device_code);
	if (!body) {
		snprintf(err, errlen, "out of memory");
		return EAS_OAUTH_SETUP;
	}
	if (eas_oauth_post(run, got->url, "token poll", body, &res, err, errlen)) {
		eas_secret_free(body);
		return EAS_OAUTH_SETUP;
	}
	eas_secret_free(body);
	got->polls++;
	got->fail = res.fail;
	if (res.fail != EAS_FAIL_NONE) {
		snprintf(err, errlen, "token endpoint %s: %s", got->url, res.what);
		goto out;
	}
	switch (eas_oauth_answer_read(&res, &a, why, sizeof why)) {
	case EAS_OAUTH_TOKENS: r = write_cache(cfg, &a, got, err, errlen); break;
	case EAS_OAUTH_ERROR:
		if (!strcmp(a.error, "authorization_pending") || !strcmp(a.error, "slow_down")) {
			if (a.error[0] == 's') {
				d->interval += SLOW_DOWN_STEP;
				got->slow_downs++;
				eas_out_detail(run->out,
					       "slow_down: polling every %ld s from now on",
					       d->interval);
			}
			*again = true;
			break;
		}
		a.grant = EAS_OAUTH_GRANT_DEVICE;
		eas_oauth_error_words(&a, why, sizeof why);
		snprintf(err, errlen, "sign-in refused (HTTP %ld): %s", res.status, why);
		r = EAS_OAUTH_REFUSED;
		break;
	case EAS_OAUTH_UNREADABLE: snprintf(err, errlen, "%s", why); break;
	}
	eas_oauth_answer_free(&a);
out:
	eas_oauth_response_free(&res);
	return r;
}

enum eas_oauth_result eas_oauth_device_poll(struct eas_runner *run,
					    const struct eas_oauth_setup_cfg *cfg,
					    struct eas_oauth_device *d,
					    struct eas_oauth_setup_got *got, char *err,
					    size_t errlen)
{
	enum eas_oauth_result r;
	struct timespec t0;
	bool again = true;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (cfg->token_url)
		snprintf(got->url, sizeof got->url, "%s", cfg->token_url);
	else
		snprintf(got->url, sizeof got->url, EAS_ENTRA_TOKEN_URL, cfg->tenant);
	do {
		/* The code's own end: the server's words for it. */
		if (since(&t0) + (double)d->interval > (double)d->expires_in) {
			struct eas_oauth_answer a = { .grant = EAS_OAUTH_GRANT_DEVICE };
			char why[300];

			snprintf(a.error, sizeof a.error, "expired_token");
			eas_oauth_error_words(&a, why, sizeof why);
			snprintf(err, errlen, "no sign-in within %ld s: %s", d->expires_in, why);
			return EAS_OAUTH_REFUSED;
		}
		/* -t: stop before the hard timer would, with its state. */
		if (!eas_deadline_left(&ms) || (ms > 0 && ms < d->interval * 1000 + 500)) {
			snprintf(err, errlen, "no sign-in within -t (%.0f s): run the setup again",
				 since(&t0));
			got->timed_out = true;
			return EAS_OAUTH_FAILED;
		}
		sleep_s(d->interval);
		r = poll_once(run, cfg, d, got, err, errlen, &again);
		got->waited = since(&t0);
	} while (again);
	return r;
}
