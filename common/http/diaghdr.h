/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What Exchange's diagnostic headers say about one answer, beside what
 * its status means (httpclass.h): who served it (X-FEServer, X-BEServer,
 * X-CalculatedBETarget, request-id), which part failed (X-FailureContext,
 * X-MS-Diagnostics, X-BackEndHttpStatus) and why a request is throttled
 * (X-MS-ASThrottle, Retry-After). The one table of that knowledge. Pure:
 * reads only the response. Servers that send none of these get empty
 * fields, so nothing changes for them. */
#ifndef EAS_DIAGHDR_H
#define EAS_DIAGHDR_H

#include <stdbool.h>
#include <stddef.h>

#include "http/probe.h"

#define EAS_SERVED_NAME 72 /* a server's name as shown, quotes and cut */

/* The part of Exchange that failed, as its headers say. */
enum eas_failpoint {
	EAS_FP_NONE,      /* not said (or nothing failed) */
	EAS_FP_FRONT_END, /* the Client Access front end (its proxy) */
	EAS_FP_PROXY,     /* the front end could not reach the back end */
	EAS_FP_BACK_END,  /* the mailbox server behind it */
	EAS_FP_AUTH,      /* authentication (X-MS-Diagnostics) */
	EAS_FP_THROTTLE,  /* a throttling policy or autoblock threshold */
	EAS_FP_OTHER,     /* a part Exchange names that we do not know */
	EAS_FP_COUNT
};

struct eas_served {
	/* "" when the answer does not say. A value that is not a plausible
	 * host name is shown quoted, only letters, digits, '.', '-' and '_'
	 * kept (others as '?'), cut with "...". */
	char front_end[EAS_SERVED_NAME]; /* X-FEServer */
	char back_end[EAS_SERVED_NAME];  /* X-BEServer, else the host of
					    X-CalculatedBETarget */
	char request_id[EAS_SERVED_NAME];
	long backend_status; /* X-BackEndHttpStatus, 0 when not given */
	enum eas_failpoint point;
	char component[288]; /* the failing part in plain words, "" none */
	bool tells;          /* component says more than the status: it goes
				into the failure's sentence (a front end's
				plain 401 does not) */
	char throttle[24];   /* the X-MS-ASThrottle reason, "" none */
	long retry_after;    /* Retry-After in seconds, -1 none or a date */
};

/* Read the diagnostic headers of res into s (all fields set). */
void eas_served_read(const struct eas_response *res, struct eas_served *s);

/* "on front end EX01, back end EX03" (or only the one that is known) into
 * buf, for the first line: a host name's first label, at most 32
 * characters; a value that is no name is left out (it is shown quoted in
 * -v and JSON). "" when neither is known. Returns the length. */
size_t eas_served_text(const struct eas_served *s, char *buf, size_t size);

/* Whether s says who served the answer (front end, back end or
 * request-id). */
int eas_served_any(const struct eas_served *s);

/* "front_end", "back_end", ...: for JSON. */
const char *eas_failpoint_name(enum eas_failpoint p);

/* What an X-MS-ASThrottle reason means for the operator: which budget or
 * autoblock threshold the device or user exceeded (a general sentence
 * for a reason we do not know, or NULL). */
const char *eas_throttle_words(const char *reason);

#endif
