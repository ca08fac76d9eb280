/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The token flow of a check (the refresh-token grant, or the password
 * grant with --oauth-grant password): the access token from the token
 * cache while it is fresh; else, under an exclusive lock beside the
 * cache (FILE.lock), the cache read again (another run may have
 * refreshed meanwhile) and, only when still needed, one refresh at the
 * token endpoint through the step runner (so within -t), the rotated
 * refresh token written back before the lock goes. */
#ifndef EAS_OAUTH_FLOW_H
#define EAS_OAUTH_FLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"
#include "run/run.h"

struct eas_oauth_cfg {
	const char *cache;     /* --oauth-token-cache */
	const char *token_url; /* --oauth-token-url, or NULL with tenant */
	const char *tenant;    /* --oauth-tenant */
	const char *client_id;
	const char *scope; /* NULL: EAS_OAUTH_DEFAULT_SCOPE */
	/* The access token the server just refused (401), NULL: none. Not
	 * taken from the cache again: refreshed, unless another run already
	 * put a different one there. */
	const char *refused;
	/* --oauth-grant password: the resource-owner password grant with
	 * user and password (NULL: the refresh-token grant only). A refresh
	 * token the server gives is kept and tried first; the cache may be
	 * missing (it is created). The password goes nowhere else. */
	const char *user, *password;
};

enum eas_oauth_result {
	EAS_OAUTH_GOT,     /* got->token holds the access token */
	EAS_OAUTH_SETUP,   /* the cache, its lock or the options: err */
	EAS_OAUTH_REFUSED, /* the token endpoint said no: err in plain words */
	EAS_OAUTH_FAILED,  /* no usable answer from it: got->fail, err */
};

struct eas_oauth_got {
	char *token;          /* the access token, owned (eas_secret_free) */
	long long expires_at; /* Unix seconds, 0 unknown */
	long long rotated_at; /* of the refresh token, 0 unknown */
	bool refreshed;       /* this run called the token endpoint */
	bool by_password;     /* with the password grant */
	bool rotated;         /* and got a new refresh token */
	double token_time;    /* seconds the refresh took (0: from the cache) */
	double lock_wait;     /* seconds spent waiting for another run's refresh */
	enum eas_fail fail;   /* EAS_OAUTH_FAILED: the request's failure class */
	char url[1100];       /* the token endpoint */
	char note[320];       /* a word on the cache's permissions, for -v */
};

/* The access token for this run. err holds one sentence unless GOT; it
 * never holds a token. */
enum eas_oauth_result eas_oauth_obtain(struct eas_runner *run, const struct eas_oauth_cfg *cfg,
				       struct eas_oauth_got *got, char *err, size_t errlen);

#endif
