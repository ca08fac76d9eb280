/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What an answer from an EAS endpoint means: one classification that
 * every plugin maps from (to a state, to an authentication verdict), and
 * one sentence for the operator. The knowledge is one table in
 * httpclass.c: a new status code is one row. Pure: reads only the
 * response. */
#ifndef EAS_HTTPCLASS_H
#define EAS_HTTPCLASS_H

#include <stdbool.h>
#include <stddef.h>

#include "http/probe.h"

enum eas_http_class {
	EAS_HC_EAS,           /* 200 with the ActiveSync headers */
	EAS_HC_NOT_EAS,       /* 200 from a proxy or login page */
	EAS_HC_REDIRECT,      /* 301-303, 307, 308: devices do not follow it */
	EAS_HC_AUTH_REQUIRED, /* 401: credentials missing or rejected */
	EAS_HC_CERT_REQUIRED, /* a client certificate is demanded (403.7,
				  or the TLS handshake) and none was sent */
	EAS_HC_CERT_REFUSED,  /* the client certificate is not accepted */
	EAS_HC_FORBIDDEN,     /* 403 for another reason */
	EAS_HC_ACCOUNT,       /* 456 blocked, 457 password expired */
	EAS_HC_PROVISION,     /* 449: provision first */
	EAS_HC_ELSEWHERE,     /* 451: the mailbox is served elsewhere */
	EAS_HC_NOT_FOUND,     /* 404 */
	EAS_HC_SERVER_ERROR,  /* 5xx: Exchange, IIS or the proxy failed */
	EAS_HC_WRONG_METHOD,  /* 501, 505: alive, refuses the method */
	EAS_HC_OTHER,         /* anything else, or no answer at all */
	EAS_HC_COUNT
};

/* "eas", "auth_required", ...: for JSON. */
const char *eas_http_class_name(enum eas_http_class c);

struct eas_http_diag {
	enum eas_http_class cls;
	int substatus;     /* IIS sub-status (403.7 -> 7), or -1 */
	char meaning[640]; /* one sentence for the operator */
	size_t served_len; /* bytes of meaning's "on front end ...: " head (0
			      none): meaning + served_len is the sentence
			      without it, for an answer a plugin judges OK */
};

/* Classify a finished exchange. A failure without an HTTP answer is
 * EAS_HC_CERT_REQUIRED when the TLS layer demanded a certificate, else
 * EAS_HC_OTHER with the probe's own words. Unless the answer is EAS_HC_EAS,
 * the sentence starts with who served it when Exchange's headers say so
 * ("on front end EX01, back end EX03: ") and names the part that failed
 * after the status (http/diaghdr.h). */
void eas_http_diagnose(const struct eas_response *res, struct eas_http_diag *d);

/* Who served a failed answer and, where Exchange's headers say it, the
 * part that failed, put into text (size), a sentence for that answer:
 * "on front end EX01, back end EX03: " first, the part right after a
 * leading "HTTP 503". No change for EAS_HC_EAS or a server that sends none
 * of the headers. eas_http_diagnose does it to its sentence; a caller that
 * words an answer itself does it to its own. */
void eas_http_served_words(const struct eas_response *res, enum eas_http_class cls, char *text,
			   size_t size);

/* True for the statuses that redirect (301, 302, 303, 307, 308): the
 * only ones a client follows; 304-306 carry no Location to follow. */
bool eas_http_is_redirect(long status);

/* The class a status has by its number alone, whatever the headers and
 * the sub-status say (449: EAS_HC_PROVISION, 451: EAS_HC_ELSEWHERE; 200,
 * whose class depends on the headers: EAS_HC_OTHER). For a caller that
 * acts on the status before it wants the sentence. */
enum eas_http_class eas_http_status_class(long status);

/* The IIS sub-status (403.7 -> 7) from an IIS error page, or -1. IIS sends
 * the plain status on the wire; the sub-status only appears in the page. */
int eas_iis_substatus(const char *body, long status);

/* True when Microsoft's software answered (Server: Microsoft-IIS,
 * X-Powered-By: ASP.NET, X-FEServer): only then do IIS sub-statuses and
 * Exchange's or IIS's own advice apply; other servers (Horde, z-push,
 * a proxy) get words that fit any server. */
bool eas_from_microsoft(const struct eas_response *res);

/* True when the answer carries the EAS headers Exchange sends to OPTIONS. */
bool eas_has_eas_headers(const struct eas_response *res);

#endif
