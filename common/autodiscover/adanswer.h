/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Autodiscover for mobile devices ([MS-OXDSCLI], [MS-ASCMD] 2.2.1.1): the
 * POX request body of the mobilesync schema, and what the answers say,
 * the POX (XML) one and the JSON one of autodiscover.json. Pure: text in
 * and out, no I/O. The XML is read with expat, refusing any DOCTYPE (so
 * no entity is ever expanded or loaded), and bounded in size, depth and
 * element count. Every text kept from an answer is valid UTF-8 without
 * control characters; URLs are printable ASCII. */
#ifndef EAS_AD_ANSWER_H
#define EAS_AD_ANSWER_H

#include <stdbool.h>
#include <stddef.h>

#include "util/mailaddr.h"

#define EAS_AD_ANSWER_MAX (1024 * 1024) /* the largest answer read */
#define EAS_AD_ADDRESS_MAX EAS_MAILADDR_MAX
#define EAS_AD_BODY_MAX 2560 /* a request body, escaped address included */

enum eas_ad_kind {
	EAS_AD_SETTINGS,      /* url: the MobileSync server's URL */
	EAS_AD_REDIRECT_ADDR, /* redirect: ask again for this address */
	EAS_AD_REDIRECT_URL,  /* redirect: ask this https:// URL */
	EAS_AD_ERROR          /* error_code (POX) or error_name (JSON) */
};

/* Texts absent from an answer are "". url is http:// or https:// for POX
 * (the caller judges plain HTTP), always https:// for JSON. */
struct eas_ad_answer {
	enum eas_ad_kind kind;
	char url[1024];
	char redirect[512];  /* an address or an https:// URL */
	char types[128];     /* POX Server Types: "MobileSync,CertEnroll" */
	int error_code;      /* POX ErrorCode, -1 when absent */
	char error_name[64]; /* JSON ErrorCode ("InvalidProtocol") */
	char error_msg[256];
	char error_debug[256];             /* POX DebugData */
	char error_time[64], error_id[64]; /* POX Error's attributes */
	char display_name[256];            /* User/DisplayName */
	char email[320];                   /* User/EMailAddress */
	bool hostile;                      /* parse failed: entities, DOCTYPE, too deep or too many
			 elements, an attack on the reader rather than a slip */
};

/* The POX request for addr (mobilesync request schema, 2006), the address
 * escaped for XML, into buf (EAS_AD_BODY_MAX is enough). -1 with one
 * sentence when addr is not a plausible mailbox or buf is too small. */
int eas_ad_request_body(const char *addr, char *buf, size_t size, char *err, size_t errlen);

/* A POX answer (len bytes, at most EAS_AD_ANSWER_MAX). 0: a filled a;
 * -1: malformed, hostile (a DOCTYPE or entities, too deep, too many
 * elements) or not an Autodiscover answer, with one sentence in err.
 * An Error wins over a Redirect, a Redirect over Settings; Settings
 * without a MobileSync server is -1. */
int eas_ad_parse_pox(const char *body, size_t len, struct eas_ad_answer *a, char *err,
		     size_t errlen);

/* An answer of autodiscover.json/v1.0/ADDRESS?Protocol=ActiveSync: 0 with
 * EAS_AD_SETTINGS (an https:// Url) or EAS_AD_ERROR (its ErrorCode and
 * ErrorMessage); -1 with one sentence otherwise. */
int eas_ad_parse_json(const char *body, size_t len, struct eas_ad_answer *a, char *err,
		      size_t errlen);

/* Plain words for an operator about a POX ErrorCode (500-603); a sentence
 * for unknown codes too, never NULL. */
const char *eas_ad_error_meaning(int code);

#endif
