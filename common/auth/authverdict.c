/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "auth/authverdict.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "http/http.h"
#include "util/text.h"
#include "tls/tls.h"

const char *eas_auth_verdict_name(enum eas_auth_verdict v)
{
	switch (v) {
	case EAS_AUTH_ACCEPTED: return "accepted";
	case EAS_AUTH_REFUSED: return "refused";
	default: return "no verdict";
	}
}

void eas_auth_server_text(const struct eas_response *res, char *buf, size_t size)
{
	const char *server = res->hdr[EAS_HDR_EAS_SERVER];
	struct eas_versions v;
	char name[48];

	server = eas_text_short(server ? server : "server", name, sizeof name);
	eas_versions_parse(res->hdr[EAS_HDR_VERSIONS], &v);
	if (v.highest >= 0)
		snprintf(buf, size, "ActiveSync %s, protocol %d.%d", server, v.highest / 100,
			 v.highest % 100);
	else
		snprintf(buf, size, "ActiveSync %s", server);
}

struct json_object *eas_auth_json(const struct eas_auth_outcome *oc)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "verdict",
			       json_object_new_string(eas_auth_verdict_name(oc->verdict)));
	json_object_object_add(o, "reason", json_object_new_string(oc->brief));
	json_object_object_add(o, "meaning", json_object_new_string(oc->text));
	json_object_object_add(o, "class", json_object_new_string(eas_http_class_name(oc->cls)));
	if (oc->substatus >= 0)
		json_object_object_add(o, "iis_substatus", json_object_new_int(oc->substatus));
	if (oc->cert_not_asked)
		json_object_object_add(o, "client_cert_requested", json_object_new_boolean(0));
	return o;
}

static void set(struct eas_auth_outcome *oc, enum eas_auth_verdict v, enum eas_auth_reason r,
		const char *brief)
{
	oc->verdict = v;
	oc->reason = r;
	snprintf(oc->brief, sizeof oc->brief, "%s", brief);
}

/* No HTTP answer: a TLS alert against our certificate is a refusal, the
 * rest says nothing about authentication. */
static void classify_failure(const struct eas_response *res, unsigned creds,
			     struct eas_auth_outcome *oc)
{
	const char *name = eas_tls_alert_name(res->tls.alert_received);

	if (res->fail != EAS_FAIL_CLIENT_CERT) {
		set(oc, EAS_AUTH_BROKEN, EAS_AR_TRANSPORT, res->what);
		return;
	}
	set(oc, EAS_AUTH_REFUSED, EAS_AR_TLS_CERT, "");
	if (creds & EAS_CRED_CERT)
		snprintf(oc->brief, sizeof oc->brief,
			 "TLS handshake refused the certificate (alert: %s)", name);
	else
		snprintf(oc->brief, sizeof oc->brief,
			 "TLS: client certificate required (alert: %s)", name);
}

static void classify_401(const struct eas_response *res, unsigned creds, bool cert_sent,
			 struct eas_auth_outcome *oc)
{
	const char *www = res->hdr[EAS_HDR_WWW_AUTHENTICATE];
	struct eas_challenges cs;
	char offer[200], why[380];

	/* The schemes, as every 401 names them; their parameters are -v's. */
	eas_challenge_parse(www, &cs);
	eas_challenge_names(&cs, offer, sizeof offer);

	if (oc->substatus == 2) {
		set(oc, EAS_AUTH_REFUSED, EAS_AR_401_2, "401.2, certificate mapping");
		if (cert_sent)
			snprintf(
				oc->text, sizeof oc->text,
				"HTTP 401.2: the client certificate passed TLS but is not mapped to an account (IIS client certificate mapping is off, or the certificate's user is not mapped)");
		return; /* else keep the generic meaning */
	}
	/* The answer says why the bearer token it was sent was refused:
	 * those words, whatever else was sent. */
	if (res->token_offered &&
	    !eas_bearer_refusal(&cs, res->hdr[EAS_HDR_MS_DIAGNOSTICS], why, sizeof why)) {
		set(oc, EAS_AUTH_REFUSED, EAS_AR_401, "401, bearer token refused");
		snprintf(oc->text, sizeof oc->text, "HTTP 401: %s", why);
		return;
	}
	if (creds & EAS_CRED_BEARER) {
		set(oc, EAS_AUTH_REFUSED, EAS_AR_401, "401, bearer token rejected");
		snprintf(
			oc->text, sizeof oc->text,
			"HTTP 401: the bearer token was rejected (expired, revoked, issued for another audience, or from an issuer the server does not trust)");
	} else if (creds & EAS_CRED_BASIC) {
		set(oc, EAS_AUTH_REFUSED, EAS_AR_401, "401, credentials rejected");
		snprintf(
			oc->text, sizeof oc->text,
			"HTTP 401: credentials rejected (wrong password, locked or expired account, or a user name format the server does not accept)");
	} else if (cert_sent) {
		set(oc, EAS_AUTH_REFUSED, EAS_AR_401, "401, a password is required as well");
		snprintf(
			oc->text, sizeof oc->text,
			"HTTP 401: the client certificate alone is not enough, the server also wants a user name and password (two-factor setup?)");
	} else {
		set(oc, EAS_AUTH_REFUSED, EAS_AR_401, "401, credentials required");
		snprintf(oc->text, sizeof oc->text, "HTTP 401: the server wants credentials%s%s%s",
			 *offer ? " (offers " : "", offer, *offer ? ")" : "");
	}
}

static void classify_403(const struct eas_response *res, unsigned creds, bool cert_sent,
			 struct eas_auth_outcome *oc)
{
	bool has_cert = creds & EAS_CRED_CERT;

	switch (oc->substatus) {
	case 7:
		set(oc, EAS_AUTH_REFUSED, EAS_AR_403_7, "403.7, client certificate required");
		if (has_cert && !res->tls.cert_requested)
			snprintf(
				oc->text, sizeof oc->text,
				"HTTP 403.7: the server demands a client certificate but never asked for one during TLS (IIS SSL setting for client certificates is 'Ignore', or a proxy in front terminates TLS)");
		else if (cert_sent)
			snprintf(
				oc->text, sizeof oc->text,
				"HTTP 403.7: the server demands a client certificate and did not take the one we sent");
		return;
	case 16:
		set(oc, EAS_AUTH_REFUSED, EAS_AR_403_16, "403.16, client certificate untrusted");
		return;
	case 17:
		set(oc, EAS_AUTH_REFUSED, EAS_AR_403_17,
		    "403.17, client certificate expired or not yet valid");
		return;
	default: break;
	}
	set(oc, EAS_AUTH_REFUSED, EAS_AR_403,
	    oc->cls == EAS_HC_CERT_REQUIRED ? "403, client certificate required"
					    : "403, forbidden");
}

static void classify_answer(const struct eas_response *res, unsigned creds,
			    struct eas_auth_outcome *oc, struct eas_http_diag *d);

/* The outcome's own words for an answer name who served it too, as the
 * HTTP sentence does (http/diaghdr.h). */
static void classify(const struct eas_response *res, unsigned creds, struct eas_auth_outcome *oc)
{
	struct eas_http_diag d;

	classify_answer(res, creds, oc, &d);
	if (strncmp(oc->text, d.meaning, sizeof oc->text - 1))
		eas_http_served_words(res, d.cls, oc->text, sizeof oc->text);
}

static void classify_answer(const struct eas_response *res, unsigned creds,
			    struct eas_auth_outcome *oc, struct eas_http_diag *dp)
{
	bool has_cert = creds & EAS_CRED_CERT;
	bool cert_sent = has_cert && res->tls.cert_requested;
	struct eas_http_diag d;

	memset(oc, 0, sizeof *oc);
	eas_http_diagnose(res, &d);
	*dp = d;
	oc->fail = res->fail;
	oc->cls = d.cls;
	oc->substatus = d.substatus;
	snprintf(oc->text, sizeof oc->text, "%.*s", (int)sizeof oc->text - 1, d.meaning);
	if (res->fail != EAS_FAIL_NONE) {
		classify_failure(res, creds, oc);
		return;
	}
	oc->cert_not_asked = has_cert && !res->tls.cert_requested;
	switch (d.cls) {
	case EAS_HC_EAS: set(oc, EAS_AUTH_ACCEPTED, EAS_AR_OK, "200"); return;
	case EAS_HC_PROVISION:
	case EAS_HC_ELSEWHERE:
		/* Exchange only says this to a user it has authenticated. */
		set(oc, EAS_AUTH_ACCEPTED, EAS_AR_ELSEWHERE, res->status == 449 ? "449" : "451");
		return;
	case EAS_HC_AUTH_REQUIRED: classify_401(res, creds, cert_sent, oc); return;
	case EAS_HC_CERT_REQUIRED:
	case EAS_HC_CERT_REFUSED:
	case EAS_HC_FORBIDDEN: classify_403(res, creds, cert_sent, oc); return;
	case EAS_HC_ACCOUNT:
		set(oc, EAS_AUTH_REFUSED, EAS_AR_ACCOUNT,
		    res->status == 456 ? "456, account blocked" : "457, password expired");
		return;
	case EAS_HC_NOT_EAS:
		set(oc, EAS_AUTH_BROKEN, EAS_AR_HTTP_OTHER, "200 without the ActiveSync headers");
		return;
	default:
		set(oc, EAS_AUTH_BROKEN, EAS_AR_HTTP_OTHER, "");
		if (d.substatus >= 0)
			snprintf(oc->brief, sizeof oc->brief, "%ld.%d", res->status, d.substatus);
		else
			snprintf(oc->brief, sizeof oc->brief, "unexpected HTTP %ld", res->status);
		return;
	}
}

void eas_auth_classify(const struct eas_response *res, unsigned creds, struct eas_auth_outcome *oc)
{
	classify(res, creds, oc);
	/* The certificate played no part: say so wherever it is named. */
	if (oc->cert_not_asked && oc->verdict == EAS_AUTH_REFUSED)
		strncat(oc->brief, "; the server never asked for the certificate",
			sizeof oc->brief - strlen(oc->brief) - 1);
}
