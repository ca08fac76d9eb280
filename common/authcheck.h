/* One authenticated OPTIONS probe and what its outcome means for an
 * operator: the server let us in, refused us (and how: 401, 401.2
 * certificate mapping, 403.x, a TLS alert against the certificate), or
 * gave no verdict at all (transport failure, an unrelated answer). */
#ifndef EAS_AUTHCHECK_H
#define EAS_AUTHCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "creds.h"
#include "options.h"
#include "probe.h"
#include "state.h"

/* Which credentials a probe carries (bit mask). */
enum {
	EAS_CRED_BASIC = 1 << 0,
	EAS_CRED_CERT  = 1 << 1,
};

enum eas_auth_verdict {
	EAS_AUTH_ACCEPTED,   /* the server let us in */
	EAS_AUTH_REFUSED,    /* the server answered and said no */
	EAS_AUTH_BROKEN,     /* no verdict about authentication */
};

enum eas_auth_reason {
	EAS_AR_OK,           /* 200 with the EAS headers */
	EAS_AR_ELSEWHERE,    /* 449/451: authenticated, but not served here */
	EAS_AR_401,          /* credentials rejected or missing */
	EAS_AR_401_2,        /* certificate not mapped to an account */
	EAS_AR_403_7,        /* client certificate required */
	EAS_AR_403_16,       /* client certificate untrusted */
	EAS_AR_403_17,       /* client certificate expired / not yet valid */
	EAS_AR_403,          /* any other 403 */
	EAS_AR_TLS_CERT,     /* the TLS layer refused the (missing) certificate */
	EAS_AR_HTTP_OTHER,   /* an answer that says nothing about auth */
	EAS_AR_TRANSPORT,    /* no answer: DNS, connect, TLS, ... */
	EAS_AR_TIMEOUT,
	EAS_AR_SETUP,        /* our side: bad URL, unusable certificate */
};

struct eas_auth_outcome {
	enum eas_auth_verdict verdict;
	enum eas_auth_reason reason;
	int substatus;            /* IIS sub-status, -1 when none */
	bool cert_not_asked;      /* we had a certificate, the exchange
				     happened, and no CertificateRequest came */
	char brief[320];          /* "401.2, certificate mapping" */
	char text[400];           /* one plain-words sentence */
};

/* Classify a finished probe that carried creds (EAS_CRED_* mask). Pure:
 * reads only res. */
void eas_auth_classify(const struct eas_response *res, unsigned creds,
		       struct eas_auth_outcome *out);

/* The state for a probe without a verdict: UNKNOWN for our own setup
 * problems, the -t state for a timeout, CRITICAL otherwise. */
enum eas_state eas_auth_broken_state(const struct eas_auth_outcome *oc,
				     enum eas_state timeout_state);

const char *eas_auth_verdict_name(enum eas_auth_verdict v);

/* "ActiveSync 15.1, protocol 16.1" from an accepted answer's headers. */
void eas_auth_server_text(const struct eas_response *res, char *buf,
			  size_t size);

/* The outcome as a JSON object (caller owns it). */
struct json_object *eas_auth_json(const struct eas_auth_outcome *oc);

/* An OPTIONS request (no device partnership is created) to o's target
 * carrying the credentials in creds_mask. urlbuf must outlive req.
 * Returns 0, or -1 with one line in err (plain http refused, ...). */
int eas_auth_request(const struct eas_opts *o, const struct eas_creds *c,
		     unsigned creds_mask, struct eas_request *req,
		     char *urlbuf, size_t urlsize, char *err, size_t errlen);

/* Returns 0 when c holds a user and a password, else -1 with one line in
 * err saying what is missing and where a password may come from. */
int eas_auth_need_basic(const struct eas_creds *c, char *err, size_t errlen);

#endif
