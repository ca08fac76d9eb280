/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The device-code flow (RFC 8628) of check_eas_oauth_setup: the device
 * authorization request, its answer (pure: eas_oauth_device_parse), then
 * polling the token endpoint at the interval the server names (slow_down
 * adds 5 s) until the user has signed in, declined, or the code or -t
 * ran out; the tokens then written as a new token cache (0600,
 * atomically: tokencache.h). Library code: it prints nothing but -v
 * details and decides no state. */
#ifndef EAS_OAUTH_DEVFLOW_H
#define EAS_OAUTH_DEVFLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"
#include "oauth/oauthflow.h"
#include "run/run.h"

struct eas_oauth_device {
	char *device_code;       /* owned, wiped by _free */
	char user_code[64];      /* what the user types */
	char uri[1024];          /* verification_uri (Entra: verification_url) */
	char uri_complete[1100]; /* verification_uri_complete, "" when not given */
	long expires_in;         /* seconds the code lives */
	long interval;           /* seconds between polls (default 5) */
};

/* The device authorization answer (HTTP 200, len bytes of JSON) into d.
 * Returns 0, or -1 with one sentence in err (quoting no code). */
int eas_oauth_device_parse(const char *body, size_t len, struct eas_oauth_device *d, char *err,
			   size_t errlen);
void eas_oauth_device_free(struct eas_oauth_device *d);

struct eas_oauth_setup_cfg {
	const char *device_url; /* --oauth-device-url, or NULL with tenant */
	const char *token_url;  /* --oauth-token-url, or NULL with tenant */
	const char *tenant;
	const char *client_id;
	const char *scope; /* NULL: EAS_OAUTH_SETUP_SCOPE */
	const char *cache;
	bool force; /* replace an existing cache */
};

/* The setup's scope: the plugins' and the sign-in's name (id_token). */
#define EAS_OAUTH_SETUP_SCOPE "openid profile " EAS_OAUTH_DEFAULT_SCOPE

struct eas_oauth_setup_got {
	char user[128]; /* the signed-in user (id_token), "" unknown */
	long polls, slow_downs;
	double waited;        /* seconds from the code to the tokens */
	long long expires_at; /* of the access token */
	enum eas_fail fail;   /* EAS_OAUTH_FAILED: the request's failure class */
	bool timed_out;       /* EAS_OAUTH_FAILED: -t or the code ran out first */
	char url[1100];       /* the endpoint that answered last */
};

/* Ask for a device code (the authorization server's device endpoint). */
enum eas_oauth_result eas_oauth_device_start(struct eas_runner *run,
					     const struct eas_oauth_setup_cfg *cfg,
					     struct eas_oauth_device *d,
					     struct eas_oauth_setup_got *got, char *err,
					     size_t errlen);
/* Poll until the user signed in (GOT: the cache written), declined or the
 * code expired (REFUSED, err in words), -t ran out (FAILED, timed_out) or
 * the request failed (FAILED, fail). Sleeps between polls, never spins. */
enum eas_oauth_result eas_oauth_device_poll(struct eas_runner *run,
					    const struct eas_oauth_setup_cfg *cfg,
					    struct eas_oauth_device *d,
					    struct eas_oauth_setup_got *got, char *err,
					    size_t errlen);

#endif
