/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What one authenticated probe's outcome means for an operator: the
 * server let us in, refused us (and how: 401, 401.2 certificate mapping,
 * 403.x, 456/457, a TLS alert against the certificate), or gave no verdict
 * at all (transport failure, an unrelated answer). Pure: reads only the
 * response, maps from the one HTTP classification. */
#ifndef EAS_AUTHVERDICT_H
#define EAS_AUTHVERDICT_H

#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"

/* Which credentials a probe carries (bit mask). */
enum {
	EAS_CRED_BASIC = 1 << 0,
	EAS_CRED_CERT = 1 << 1,
	EAS_CRED_BEARER = 1 << 2, /* an OAuth 2.0 bearer token */
};

enum eas_auth_verdict {
	EAS_AUTH_ACCEPTED, /* the server let us in */
	EAS_AUTH_REFUSED,  /* the server answered and said no */
	EAS_AUTH_BROKEN,   /* no verdict about authentication */
};

enum eas_auth_reason {
	EAS_AR_OK,         /* 200 with the EAS headers */
	EAS_AR_ELSEWHERE,  /* 449/451: authenticated, but not served here */
	EAS_AR_401,        /* credentials rejected or missing */
	EAS_AR_401_2,      /* certificate not mapped to an account */
	EAS_AR_403_7,      /* client certificate required */
	EAS_AR_403_16,     /* client certificate untrusted */
	EAS_AR_403_17,     /* client certificate expired / not yet valid */
	EAS_AR_403,        /* any other 403 */
	EAS_AR_ACCOUNT,    /* 456 blocked, 457 password expired */
	EAS_AR_TLS_CERT,   /* the TLS layer refused the (missing) certificate */
	EAS_AR_HTTP_OTHER, /* an answer that says nothing about auth */
	EAS_AR_TRANSPORT,  /* no answer: DNS, connect, TLS, timeout, setup */
};

struct eas_auth_outcome {
	enum eas_auth_verdict verdict;
	enum eas_auth_reason reason;
	enum eas_fail fail; /* why there was no answer, else NONE */
	enum eas_http_class cls;
	int substatus;       /* IIS sub-status, -1 when none */
	bool cert_not_asked; /* we had a certificate, the exchange
				     happened, and no CertificateRequest came */
	char brief[320];     /* "401.2, certificate mapping" */
	char text[400];      /* one plain-words sentence */
};

/* Classify a finished probe that carried creds (EAS_CRED_* mask). */
void eas_auth_classify(const struct eas_response *res, unsigned creds,
		       struct eas_auth_outcome *out);

const char *eas_auth_verdict_name(enum eas_auth_verdict v);

/* "ActiveSync 15.1, protocol 16.1" from an accepted answer's headers. */
void eas_auth_server_text(const struct eas_response *res, char *buf, size_t size);

/* The outcome as a JSON object (caller owns it). */
struct json_object *eas_auth_json(const struct eas_auth_outcome *oc);

#endif
