/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "oauth/tokenresp.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "run/run.h"
#include "util/base64.h"
#include "util/jsonread.h"
#include "util/secret.h"
#include "util/text.h"

#define JSON_DEPTH 8

/* Entra ID's codes (AADSTS, in error_codes and the description), AD FS's
 * (MSIS, in the description), then the RFC 6749 and 8628 errors: what
 * each means for an unattended check, and what to do. The first row that
 * matches speaks; grant narrows a row to one grant (-1: any). The one
 * home of these words: doc/oauth.md lists them. */
static const struct {
	const char *code;  /* "AADSTS70008", "MSIS9615"; NULL: any */
	const char *error; /* NULL: any */
	int grant;         /* enum eas_oauth_grant, -1 any */
	const char *words;
} rows[] = {
	/* the refresh token expired or revoked */
	{ "AADSTS70008", NULL, -1,
	  "the refresh token has expired (unused too long or past its lifetime): obtain a new one for the monitoring user (check_eas_oauth_setup)" },
	{ "AADSTS700082", NULL, -1,
	  "the refresh token has expired after 90 days without use: obtain a new one for the monitoring user (check_eas_oauth_setup)" },
	{ "AADSTS700084", NULL, -1,
	  "the refresh token (of a single-page application) has expired: obtain a new one" },
	{ "AADSTS70043", NULL, -1,
	  "the refresh token has expired under a conditional-access sign-in frequency: exclude the monitoring user from that policy, then obtain a new one" },
	{ "AADSTS50173", NULL, -1,
	  "the refresh token was revoked (the password changed or the sessions were revoked): obtain a new one" },
	{ "AADSTS50133", NULL, -1,
	  "the refresh token was revoked because the password changed: obtain a new one" },
	{ "AADSTS50089", NULL, -1, "the flow token has expired: obtain a new refresh token" },
	/* multi-factor authentication, conditional access */
	{ "AADSTS50076", NULL, -1,
	  "multi-factor authentication is required for this sign-in: exclude the monitoring user from the MFA rule, or obtain the refresh token with MFA (device code) and keep it used" },
	{ "AADSTS50079", NULL, -1,
	  "the monitoring user must register for multi-factor authentication: register it, then obtain a new refresh token" },
	{ "AADSTS50158", NULL, -1,
	  "a conditional access policy (external security challenge) requires an interactive sign-in: review the policies that apply to the monitoring user" },
	{ "AADSTS53003", NULL, -1,
	  "a conditional access policy blocked the token: review the policies that apply to the monitoring user and this host's address" },
	{ "AADSTS530003", NULL, -1,
	  "a conditional access policy requires a managed or compliant device: exclude the monitoring user from it" },
	/* the application, the tenant, the scope */
	{ "AADSTS65001", NULL, -1,
	  "the application has no consent for the permission (EAS.AccessAsUser.All of Office 365 Exchange Online): grant admin consent or sign in once with consent" },
	{ "AADSTS700016", NULL, -1,
	  "the application (--oauth-client-id) is not found in the tenant: check the client ID and --oauth-tenant" },
	{ "AADSTS7000218", NULL, -1,
	  "the application asks for a client secret: enable \"Allow public client flows\" in its registration" },
	{ "AADSTS90002", NULL, -1, "the tenant is not found: check --oauth-tenant" },
	{ "AADSTS900023", NULL, -1, "the tenant is not valid: check --oauth-tenant" },
	{ "AADSTS70011", NULL, -1, "the scope is not valid: check --oauth-scope" },
	{ "AADSTS500011", NULL, -1,
	  "the resource of the scope is not in the tenant: check --oauth-scope (https://outlook.office.com/.default)" },
	/* the password grant's user */
	{ "AADSTS50126", NULL, -1,
	  "the user name or password is wrong: check --user and its password" },
	{ "AADSTS50053", NULL, -1,
	  "the monitoring user's account is locked (too many wrong passwords): wait or unlock it" },
	{ "AADSTS50057", NULL, -1, "the monitoring user's account is disabled: enable it" },
	{ "AADSTS50055", NULL, -1,
	  "the monitoring user's password has expired: set a new one (and exempt the account from expiry)" },
	/* the RFC 6749 and 8628 errors */
	{ NULL, "invalid_grant", EAS_OAUTH_GRANT_PASSWORD,
	  "the user name or password was refused: check --user and its password" },
	{ NULL, "invalid_grant", EAS_OAUTH_GRANT_DEVICE,
	  "the device code was refused (expired or already used): run the setup again" },
	{ NULL, "invalid_grant", -1,
	  "the refresh token was refused (expired, revoked, or already used by another run): obtain a new one for the monitoring user (check_eas_oauth_setup)" },
	{ NULL, "invalid_client", -1,
	  "the token endpoint does not know this client (--oauth-client-id) or wants a secret for it" },
	{ NULL, "unauthorized_client", EAS_OAUTH_GRANT_PASSWORD,
	  "this client (--oauth-client-id) may not use the password grant: the tenant or the registration does not allow it" },
	{ NULL, "unauthorized_client", EAS_OAUTH_GRANT_DEVICE,
	  "this client (--oauth-client-id) may not use the device-code flow: enable \"Allow public client flows\"" },
	{ NULL, "unauthorized_client", -1,
	  "this client (--oauth-client-id) may not use the refresh-token grant: check its registration" },
	{ NULL, "invalid_scope", -1, "the scope was refused: check --oauth-scope" },
	{ NULL, "interaction_required", -1,
	  "the sign-in needs the user (multi-factor authentication or conditional access): obtain a new refresh token interactively" },
	{ NULL, "consent_required", -1,
	  "the application has no consent for the permission: grant admin consent" },
	{ NULL, "login_required", -1, "the sign-in needs the user: obtain a new refresh token" },
	{ NULL, "invalid_request", -1, "the token endpoint found the request malformed" },
	{ NULL, "unsupported_grant_type", EAS_OAUTH_GRANT_PASSWORD,
	  "the token endpoint does not offer the password grant: use the refresh-token grant (check_eas_oauth_setup)" },
	{ NULL, "unsupported_grant_type", EAS_OAUTH_GRANT_DEVICE,
	  "the token endpoint does not offer the device-code flow" },
	{ NULL, "unsupported_grant_type", -1,
	  "the token endpoint does not offer the refresh-token grant" },
	{ NULL, "access_denied", -1,
	  "the sign-in was declined: run the setup again and approve it" },
	{ NULL, "expired_token", -1,
	  "the device code expired before the sign-in was done: run the setup again and sign in sooner" },
	{ NULL, "temporarily_unavailable", -1, "the token endpoint is temporarily unavailable" },
	{ NULL, "server_error", -1, "the token endpoint had an internal error" },
};

static void init(struct eas_oauth_answer *a)
{
	memset(a, 0, sizeof *a);
}

void eas_oauth_answer_free(struct eas_oauth_answer *a)
{
	eas_secret_free(a->access_token);
	eas_secret_free(a->refresh_token);
	init(a);
}

/* A member that must be a string when present; *bad when it is not. */
static const char *str_member(struct json_object *o, const char *name, bool *bad)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, name, &v) || json_object_is_type(v, json_type_null))
		return NULL;
	if (!json_object_is_type(v, json_type_string)) {
		*bad = true;
		return NULL;
	}
	return json_object_get_string(v);
}

bool eas_oauth_token_ok(const char *t)
{
	size_t n = strlen(t);

	if (!n || n > EAS_TOKEN_MAX)
		return false;
	for (; *t; t++)
		if (*t <= ' ' || *t > '~')
			return false;
	return true;
}

static void copy_clean(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
	eas_text_clean(dst, 1);
	dst[eas_text_cut(dst, size - 1)] = 0;
}

/* The AADSTS code: the first of error_codes, else the description's. */
static void find_aadsts(struct json_object *o, const char *desc, char *out, size_t size)
{
	struct json_object *codes, *c;
	const char *p;

	if (json_object_object_get_ex(o, "error_codes", &codes) &&
	    json_object_is_type(codes, json_type_array) && json_object_array_length(codes) > 0 &&
	    (c = json_object_array_get_idx(codes, 0)) && json_object_is_type(c, json_type_int) &&
	    json_object_get_int64(c) > 0 && json_object_get_int64(c) < 1000000000) {
		snprintf(out, size, "AADSTS%lld", (long long)json_object_get_int64(c));
		return;
	}
	if (desc && (p = strstr(desc, "AADSTS"))) {
		size_t n = strspn(p + 6, "0123456789");

		if (n && n < 10)
			snprintf(out, size, "AADSTS%.*s", (int)n, p + 6);
	} else if (desc && (p = strstr(desc, "MSIS"))) {
		/* AD FS: "MSIS9615: ..." */
		size_t n = strspn(p + 4, "0123456789");

		if (n && n < 10)
			snprintf(out, size, "MSIS%.*s", (int)n, p + 4);
	}
}

/* The user the id_token names (see tokenresp.h), into out. */
static void id_token_user(const char *jwt, char *out, size_t size)
{
	static const char *const claims[] = { "preferred_username", "upn", "email", "sub" };
	const char *p = strchr(jwt, '.'), *e;
	struct json_object *o = NULL, *v;
	char *raw = NULL, why[120];
	size_t n, i;
	long len;

	/* The payload, base64url (RFC 7515). */
	if (!p || !(e = strchr(p + 1, '.')) || (n = (size_t)(e - p - 1)) == 0 || n > 16384 ||
	    !(raw = malloc(n + 1)) || (len = eas_base64_decode(p + 1, n, true, raw, n + 1)) <= 0)
		goto out;
	if (eas_json_read(raw, (size_t)len, JSON_DEPTH, &o, why, sizeof why) ||
	    !json_object_is_type(o, json_type_object))
		goto out;
	for (i = 0; i < sizeof claims / sizeof claims[0]; i++)
		if (json_object_object_get_ex(o, claims[i], &v) &&
		    json_object_is_type(v, json_type_string) && json_object_get_string_len(v) > 0) {
			copy_clean(out, size, json_object_get_string(v));
			break;
		}
out:
	json_object_put(o);
	free(raw);
}

static enum eas_oauth_answer_kind read_object(long status, struct json_object *o,
					      struct eas_oauth_answer *a, char *err, size_t errlen)
{
	const char *error, *desc, *access, *refresh, *type, *idt;
	struct json_object *exp;
	bool bad = false;

	error = str_member(o, "error", &bad);
	desc = str_member(o, "error_description", &bad);
	access = str_member(o, "access_token", &bad);
	refresh = str_member(o, "refresh_token", &bad);
	type = str_member(o, "token_type", &bad);
	if (bad) {
		snprintf(err, errlen,
			 "the token endpoint's answer has a member that is not a plain string");
		return EAS_OAUTH_UNREADABLE;
	}
	if (error) {
		copy_clean(a->error, sizeof a->error, error);
		copy_clean(a->description, sizeof a->description, desc ? desc : "");
		find_aadsts(o, desc, a->aadsts, sizeof a->aadsts);
		return EAS_OAUTH_ERROR;
	}
	if (status != 200) {
		snprintf(err, errlen, "the token endpoint answered HTTP %ld without an error code",
			 status);
		return EAS_OAUTH_UNREADABLE;
	}
	if (!access || !eas_oauth_token_ok(access) || (refresh && !eas_oauth_token_ok(refresh))) {
		snprintf(
			err, errlen,
			"the token endpoint's answer has no usable access token (missing, empty, longer than %d bytes or not printable)",
			EAS_TOKEN_MAX);
		return EAS_OAUTH_UNREADABLE;
	}
	if (!type || strcasecmp(type, "Bearer")) {
		snprintf(err, errlen, "the token endpoint gave a token of type '%.40s', not Bearer",
			 type ? type : "(none)");
		eas_text_clean(err, 1);
		return EAS_OAUTH_UNREADABLE;
	}
	if (json_object_object_get_ex(o, "expires_in", &exp)) {
		/* Entra sends a number; some servers a string of digits. */
		long long v = json_object_get_int64(exp);

		if ((!json_object_is_type(exp, json_type_int) &&
		     !json_object_is_type(exp, json_type_string)) ||
		    v <= 0 || v > 366L * 86400) {
			snprintf(err, errlen,
				 "the token endpoint's expires_in is not a number of seconds");
			return EAS_OAUTH_UNREADABLE;
		}
		a->expires_in = (long)v;
	}
	if ((idt = str_member(o, "id_token", &bad)))
		id_token_user(idt, a->user, sizeof a->user);
	a->access_token = strdup(access);
	a->refresh_token = refresh ? strdup(refresh) : NULL;
	if (!a->access_token || (refresh && !a->refresh_token)) {
		snprintf(err, errlen, "out of memory");
		return EAS_OAUTH_UNREADABLE;
	}
	return EAS_OAUTH_TOKENS;
}

enum eas_oauth_answer_kind eas_oauth_answer_parse(long status, const char *body, size_t len,
						  struct eas_oauth_answer *a, char *err,
						  size_t errlen)
{
	enum eas_oauth_answer_kind k = EAS_OAUTH_UNREADABLE;
	struct json_object *o = NULL;
	char why[160];

	init(a);
	if (len > EAS_OAUTH_ANSWER_MAX) {
		snprintf(err, errlen, "the token endpoint's answer is larger than %d bytes",
			 EAS_OAUTH_ANSWER_MAX);
		return k;
	}
	if (!body || !len) {
		snprintf(err, errlen, "the token endpoint answered HTTP %ld with an empty body",
			 status);
		return k;
	}
	if (eas_json_read(body, len, JSON_DEPTH, &o, why, sizeof why))
		snprintf(err, errlen,
			 "the token endpoint answered HTTP %ld, not with one JSON document",
			 status);
	else if (!json_object_is_type(o, json_type_object))
		snprintf(err, errlen, "the token endpoint's answer is JSON but not an object");
	else
		k = read_object(status, o, a, err, errlen);
	if (k == EAS_OAUTH_UNREADABLE)
		eas_oauth_answer_free(a);
	json_object_put(o); /* json-c does not wipe: the tokens are copies */
	return k;
}

void eas_oauth_error_words(const struct eas_oauth_answer *a, char *out, size_t size)
{
	const char *words = NULL;

	for (size_t i = 0; !words && i < sizeof rows / sizeof rows[0]; i++)
		if ((!rows[i].code || !strcmp(rows[i].code, a->aadsts)) &&
		    (!rows[i].error || !strcmp(rows[i].error, a->error)) &&
		    (rows[i].grant < 0 || rows[i].grant == (int)a->grant) &&
		    (rows[i].code || rows[i].error))
			words = rows[i].words;
	if (words && a->aadsts[0])
		snprintf(out, size, "%s: %s", a->aadsts, words);
	else if (words)
		snprintf(out, size, "%s: %s", a->error, words);
	else if (a->aadsts[0])
		snprintf(out, size, "%s (%s): %s", a->aadsts, a->error,
			 a->description[0] ? a->description : "no description");
	else
		snprintf(out, size, "the token endpoint refused the request: %s%s%s", a->error,
			 a->description[0] ? ": " : "", a->description);
}
