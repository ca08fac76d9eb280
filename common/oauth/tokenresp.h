/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a token endpoint answered (RFC 6749 5.1 and 5.2, with Entra ID's
 * AADSTS codes), and its errors in an operator's words. Pure. */
#ifndef EAS_OAUTH_TOKENRESP_H
#define EAS_OAUTH_TOKENRESP_H

#include <stdbool.h>
#include <stddef.h>

#define EAS_OAUTH_ANSWER_MAX (64 * 1024) /* bytes of JSON we read */

/* Which grant asked: some errors mean another thing for each. */
enum eas_oauth_grant {
	EAS_OAUTH_GRANT_REFRESH,  /* RFC 6749 6 */
	EAS_OAUTH_GRANT_PASSWORD, /* 4.3, --oauth-grant password */
	EAS_OAUTH_GRANT_DEVICE,   /* RFC 8628, check_eas_oauth_setup */
};

struct eas_oauth_answer {
	char *access_token;         /* owned, wiped by _free; NULL in an error */
	char *refresh_token;        /* the rotated one, NULL when none came */
	long expires_in;            /* seconds, 0 when not said */
	char error[64];             /* "invalid_grant"; "" when tokens came */
	char aadsts[16];            /* "AADSTS70008" (AD FS: "MSIS9615") where present */
	enum eas_oauth_grant grant; /* set by the caller before _error_words */
	/* Who signed in, from the id_token's claims (preferred_username, upn,
	 * email, else sub), cleaned; "" without one. A name to show only:
	 * its signature is not checked (it came straight from the token
	 * endpoint over verified TLS, OpenID Connect Core 3.1.3.7). */
	char user[128];
	char description[300]; /* the server's words, cleaned, one line */
};

enum eas_oauth_answer_kind {
	EAS_OAUTH_TOKENS,     /* access_token (and perhaps refresh_token) */
	EAS_OAUTH_ERROR,      /* an error answer: error (aadsts) set */
	EAS_OAUTH_UNREADABLE, /* neither: err says why */
};

/* Read the answer body (len bytes) given with HTTP status. Tokens only
 * with 200 and token_type Bearer. err never quotes a token. */
enum eas_oauth_answer_kind eas_oauth_answer_parse(long status, const char *body, size_t len,
						  struct eas_oauth_answer *a, char *err,
						  size_t errlen);
void eas_oauth_answer_free(struct eas_oauth_answer *a);

/* An error answer in words for a->grant: what it means and what to do,
 * the AADSTS (or MSIS) code first where there is one ("AADSTS70008: the
 * refresh token has expired ..."). */
void eas_oauth_error_words(const struct eas_oauth_answer *a, char *out, size_t size);

/* A token goes back out in a header: visible ASCII only, at most
 * EAS_TOKEN_MAX bytes (run/creds.h; Entra's are 1-3 KB). */
bool eas_oauth_token_ok(const char *t);

#endif
