/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a 401 offers: the challenges of WWW-Authenticate (RFC 9110 11.6.1,
 * RFC 7235), read tolerantly and bounded; the schemes as an operator reads
 * them; the policy of --expect-schemes; and a refused bearer token in plain
 * words (RFC 6750 error=, Exchange's X-MS-Diagnostics). Pure. */
#ifndef EAS_CHALLENGE_H
#define EAS_CHALLENGE_H

#include <stdbool.h>
#include <stddef.h>

#define EAS_CHALLENGE_MAX 8    /* challenges kept of one answer */
#define EAS_CHALLENGE_PARAMS 8 /* auth-params kept of one challenge */
#define EAS_CHALLENGE_NAME 32  /* a scheme or parameter name (longer: cut) */
#define EAS_CHALLENGE_TEXT 256 /* a parameter value or token68 (longer: cut) */

struct eas_auth_param {
	char name[EAS_CHALLENGE_NAME];  /* lower case */
	char value[EAS_CHALLENGE_TEXT]; /* unquoted, clean UTF-8 */
};

struct eas_challenge {
	char scheme[EAS_CHALLENGE_NAME];  /* as sent: "Bearer", "NTLM" */
	char token68[EAS_CHALLENGE_TEXT]; /* "" when none */
	size_t nparams;
	struct eas_auth_param params[EAS_CHALLENGE_PARAMS];
};

struct eas_challenges {
	size_t n;
	struct eas_challenge c[EAS_CHALLENGE_MAX];
	bool dropped;   /* more challenges or parameters than kept */
	bool malformed; /* a part could not be read and was skipped */
};

/* Read a WWW-Authenticate value (one header, or several joined with ", ").
 * Returns 0 with at least one challenge, -1 when none could be read (NULL,
 * empty or garbage); out is filled either way. */
int eas_challenge_parse(const char *text, struct eas_challenges *out);

/* The challenge of scheme (case-insensitive), NULL when not offered. */
const struct eas_challenge *eas_challenge_find(const struct eas_challenges *cs, const char *scheme);
/* A parameter's value (name case-insensitive), NULL when absent. */
const char *eas_challenge_param(const struct eas_challenge *c, const char *name);

/* The schemes, each once, as sent: "Bearer, Negotiate, NTLM" ("" none). */
void eas_challenge_names(const struct eas_challenges *cs, char *buf, size_t size);
/* The offer for a first line: "offers Bearer, Negotiate, NTLM (Basic off)"
 * (each scheme once; Basic and Bearer named "off" when absent: the two the
 * modern-auth policy is about; no ';', which a first line makes a ',');
 * "offers no scheme" when there is none. */
void eas_challenge_offer(const struct eas_challenges *cs, char *buf, size_t size);
/* One challenge for -v: "Bearer: authorization_uri=https://...,
 * trusted_issuers=..." (its parameters as sent), "NTLM" alone. */
void eas_challenge_describe(const struct eas_challenge *c, char *buf, size_t size);

/* --expect-schemes: a comma list of scheme names, each NAME (must be
 * offered) or !NAME (must not be), at most EAS_CHALLENGE_MAX entries. */
bool eas_scheme_policy_valid(const char *policy);
/* Whether the policy names scheme (either way). */
bool eas_scheme_policy_names(const char *policy, const char *scheme);
/* The policy against the offer: the number of entries it breaks, each
 * said in buf ("Basic is offered, the policy says it must be off; Bearer
 * is not offered, the policy says it must be"); "" when it holds. */
int eas_scheme_policy_check(const char *policy, const struct eas_challenges *cs, char *buf,
			    size_t size);

/* A 401 to a request that carried a bearer token, in one sentence with
 * what to do, from the Bearer challenge's error= and error_description
 * and Exchange's X-MS-Diagnostics (diag, may be NULL). Returns 0 with the
 * sentence, -1 when the answer says nothing about the token (buf ""). */
int eas_bearer_refusal(const struct eas_challenges *cs, const char *diag, char *buf, size_t size);
/* What an X-MS-Diagnostics value says of the token, in the words of the
 * same table ("the bearer token has expired"), NULL when it names nothing
 * known: for the failing part of http/diaghdr. */
const char *eas_msdiag_what(const char *diag);

#endif
