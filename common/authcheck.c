#include "authcheck.h"

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/ssl.h>

#include "eas_proto.h"
#include "httpdiag.h"
#include "target.h"

const char *eas_auth_verdict_name(enum eas_auth_verdict v)
{
	switch (v) {
	case EAS_AUTH_ACCEPTED: return "accepted";
	case EAS_AUTH_REFUSED: return "refused";
	default: return "no verdict";
	}
}

void eas_auth_server_text(const struct eas_response *res, char *buf,
			  size_t size)
{
	struct eas_versions v;

	eas_versions_parse(res->hdr.versions, &v);
	if (v.highest >= 0)
		snprintf(buf, size, "ActiveSync %s, protocol %d.%d",
			 res->hdr.eas_server ? res->hdr.eas_server : "server",
			 v.highest / 100, v.highest % 100);
	else
		snprintf(buf, size, "ActiveSync %s",
			 res->hdr.eas_server ? res->hdr.eas_server : "server");
}

struct json_object *eas_auth_json(const struct eas_auth_outcome *oc)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "verdict",
			       json_object_new_string(eas_auth_verdict_name(oc->verdict)));
	json_object_object_add(o, "reason", json_object_new_string(oc->brief));
	json_object_object_add(o, "meaning", json_object_new_string(oc->text));
	if (oc->substatus >= 0)
		json_object_object_add(o, "iis_substatus",
				       json_object_new_int(oc->substatus));
	if (oc->cert_not_asked)
		json_object_object_add(o, "client_cert_requested",
				       json_object_new_boolean(0));
	return o;
}

static void set(struct eas_auth_outcome *oc, enum eas_auth_verdict v,
		enum eas_auth_reason r, const char *brief)
{
	oc->verdict = v;
	oc->reason = r;
	snprintf(oc->brief, sizeof oc->brief, "%s", brief);
}

/* OpenSSL 3.0 has no name for TLS 1.3's certificate_required. */
static const char *alert_name(int alert)
{
	if (alert == SSL_AD_CERTIFICATE_REQUIRED)
		return "certificate required";
	return alert >= 0 ? SSL_alert_desc_string_long(alert) : "no alert";
}

/* No HTTP answer: a TLS alert against our certificate is a refusal, the
 * rest says nothing about authentication. */
static void classify_failure(const struct eas_response *res, unsigned creds,
			     struct eas_auth_outcome *oc)
{
	snprintf(oc->text, sizeof oc->text, "%s", res->what);
	switch (res->fail) {
	case EAS_FAIL_CLIENT_CERT: {
		const char *name = alert_name(res->tls.alert_received);

		set(oc, EAS_AUTH_REFUSED, EAS_AR_TLS_CERT, "");
		if (creds & EAS_CRED_CERT)
			snprintf(oc->brief, sizeof oc->brief, "TLS handshake "
				 "refused the certificate (alert: %s)", name);
		else
			snprintf(oc->brief, sizeof oc->brief, "TLS: client "
				 "certificate required (alert: %s)", name);
		return;
	}
	case EAS_FAIL_SETUP:
		set(oc, EAS_AUTH_BROKEN, EAS_AR_SETUP, res->what);
		return;
	case EAS_FAIL_TIMEOUT:
		set(oc, EAS_AUTH_BROKEN, EAS_AR_TIMEOUT, res->what);
		return;
	default:
		set(oc, EAS_AUTH_BROKEN, EAS_AR_TRANSPORT, res->what);
		return;
	}
}

static void classify_401(const struct eas_response *res, unsigned creds,
			 bool cert_sent, struct eas_auth_outcome *oc)
{
	const char *offer = res->hdr.www_authenticate;

	if (oc->substatus == 2) {
		set(oc, EAS_AUTH_REFUSED, EAS_AR_401_2, "401.2, certificate mapping");
		if (cert_sent)
			snprintf(oc->text, sizeof oc->text, "HTTP 401.2: the client "
				 "certificate passed TLS but is not mapped to an "
				 "account (IIS client certificate mapping is off, "
				 "or the certificate's user is not mapped)");
		return;  /* else keep the generic meaning */
	}
	if (creds & EAS_CRED_BASIC) {
		set(oc, EAS_AUTH_REFUSED, EAS_AR_401, "401, credentials rejected");
		snprintf(oc->text, sizeof oc->text, "HTTP 401: credentials "
			 "rejected (wrong password, locked or expired account, "
			 "or a user name format the server does not accept)");
	} else if (cert_sent) {
		set(oc, EAS_AUTH_REFUSED, EAS_AR_401,
		    "401, a password is required as well");
		snprintf(oc->text, sizeof oc->text, "HTTP 401: the client "
			 "certificate alone is not enough, the server also wants "
			 "a user name and password (two-factor setup?)");
	} else {
		set(oc, EAS_AUTH_REFUSED, EAS_AR_401, "401, credentials required");
		snprintf(oc->text, sizeof oc->text, "HTTP 401: the server wants "
			 "credentials%s%s", offer ? " (offers " : "",
			 offer ? offer : "");
		if (offer)
			strncat(oc->text, ")", sizeof oc->text - strlen(oc->text) - 1);
	}
}

static void classify_403(const struct eas_response *res, unsigned creds,
			 bool cert_sent, struct eas_auth_outcome *oc)
{
	bool has_cert = creds & EAS_CRED_CERT;

	switch (oc->substatus) {
	case 4:
		/* SSL required: a wrong URL, not an authentication answer. */
		set(oc, EAS_AUTH_BROKEN, EAS_AR_HTTP_OTHER, "403.4, SSL required");
		return;
	case 7:
		set(oc, EAS_AUTH_REFUSED, EAS_AR_403_7,
		    "403.7, client certificate required");
		if (has_cert && !res->tls.cert_requested)
			snprintf(oc->text, sizeof oc->text, "HTTP 403.7: the server "
				 "demands a client certificate but never asked for "
				 "one during TLS (IIS SSL setting for client "
				 "certificates is 'Ignore', or a proxy in front "
				 "terminates TLS)");
		else if (cert_sent)
			snprintf(oc->text, sizeof oc->text, "HTTP 403.7: the server "
				 "demands a client certificate and did not take the "
				 "one we sent");
		return;
	case 16:
		set(oc, EAS_AUTH_REFUSED, EAS_AR_403_16,
		    "403.16, client certificate untrusted");
		return;
	case 17:
		set(oc, EAS_AUTH_REFUSED, EAS_AR_403_17,
		    "403.17, client certificate expired or not yet valid");
		return;
	default:
		break;
	}
	set(oc, EAS_AUTH_REFUSED, EAS_AR_403, "403, forbidden");
	if (!has_cert && res->tls.cert_requested) {
		/* Apache answers a missing per-location certificate so. */
		snprintf(oc->brief, sizeof oc->brief,
			 "403, client certificate required");
		snprintf(oc->text, sizeof oc->text, "HTTP 403: the server asked "
			 "for a client certificate and refuses access without one");
	}
}

static void classify(const struct eas_response *res, unsigned creds,
		     struct eas_auth_outcome *oc)
{
	bool has_cert = creds & EAS_CRED_CERT;
	bool cert_sent = has_cert && res->tls.cert_requested;

	memset(oc, 0, sizeof *oc);
	oc->substatus = -1;
	if (res->fail != EAS_FAIL_NONE) {
		classify_failure(res, creds, oc);
		return;
	}
	oc->cert_not_asked = has_cert && !res->tls.cert_requested;
	oc->substatus = eas_iis_substatus(res->body, res->status);
	eas_http_meaning(res, oc->substatus, oc->text, sizeof oc->text);
	switch (res->status) {
	case 200:
		if (eas_has_eas_headers(res))
			set(oc, EAS_AUTH_ACCEPTED, EAS_AR_OK, "200");
		else
			set(oc, EAS_AUTH_BROKEN, EAS_AR_HTTP_OTHER,
			    "200 without the ActiveSync headers");
		return;
	case 449:
	case 451:
		/* Exchange only says this to a user it has authenticated. */
		set(oc, EAS_AUTH_ACCEPTED, EAS_AR_ELSEWHERE,
		    res->status == 449 ? "449" : "451");
		return;
	case 401:
		classify_401(res, creds, cert_sent, oc);
		return;
	case 403:
		classify_403(res, creds, cert_sent, oc);
		return;
	default:
		set(oc, EAS_AUTH_BROKEN, EAS_AR_HTTP_OTHER, "");
		snprintf(oc->brief, sizeof oc->brief, "unexpected HTTP %ld",
			 res->status);
		return;
	}
}

void eas_auth_classify(const struct eas_response *res, unsigned creds,
		       struct eas_auth_outcome *oc)
{
	classify(res, creds, oc);
	/* The certificate played no part: say so wherever it is named. */
	if (oc->cert_not_asked && oc->verdict == EAS_AUTH_REFUSED)
		strncat(oc->brief, "; the server never asked for the certificate",
			sizeof oc->brief - strlen(oc->brief) - 1);
}

enum eas_state eas_auth_broken_state(const struct eas_auth_outcome *oc,
				     enum eas_state timeout_state)
{
	if (oc->reason == EAS_AR_SETUP)
		return EAS_UNKNOWN;
	if (oc->reason == EAS_AR_TIMEOUT)
		return timeout_state;
	return EAS_CRITICAL;
}

int eas_auth_request(const struct eas_opts *o, const struct eas_creds *c,
		     unsigned creds_mask, struct eas_request *req,
		     char *urlbuf, size_t urlsize, char *err, size_t errlen)
{
	static const char *const headers[] = { "Accept: */*", NULL };

	if (eas_target_request(o, req, urlbuf, urlsize, err, errlen))
		return -1;
	req->method = "OPTIONS";
	req->headers = headers;
	if ((creds_mask & EAS_CRED_BASIC) &&
	    eas_creds_apply_basic(o, c, req, err, errlen))
		return -1;
	if (creds_mask & EAS_CRED_CERT)
		req->identity = &c->id;
	return 0;
}

int eas_auth_need_basic(const struct eas_creds *c, char *err, size_t errlen)
{
	if (!c->user) {
		snprintf(err, errlen, "no --user given: basic authentication "
			 "needs the user (user@domain.com or DOMAIN\\user) and a "
			 "password");
		return -1;
	}
	if (!c->password) {
		snprintf(err, errlen, "no password for %s: use --password-file "
			 "FILE, the EAS_PASSWORD environment variable (or "
			 "--password-env VAR), or --extra-opts", c->user);
		return -1;
	}
	return 0;
}
