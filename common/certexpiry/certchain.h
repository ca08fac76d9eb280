/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The server's side of an expiry check: the certificates one TLS
 * handshake showed, added to the set and judged (trust, host name). */
#ifndef EAS_CERTCHAIN_H
#define EAS_CERTCHAIN_H

#include <stdbool.h>

#include "certexpiry/certset.h"
#include "http/http.h"

struct eas_chain_check {
	const char *host; /* the name the certificate must have */
	const char *ca_file, *ca_path;
	bool verify; /* judge trust and host name */
	enum eas_state timeout_state;
};

struct eas_chain_verdict {
	const char *verify;     /* "ok", "failed", "not checked" */
	const char *host_match; /* "san", "cn", "mismatch"; NULL */
};

/* Add what the handshake res showed to set, with findings for trust,
 * host name and a handshake that failed for another reason. res's chain
 * may be rebuilt when only weak crypto stopped its verification. */
void eas_certset_add_handshake(struct eas_certset *set, struct eas_response *res,
			       const struct eas_chain_check *c, struct eas_chain_verdict *v);

/* The report of an expiry check: every element's verdict and the summary
 * (eas_certset_report); then, when res is the handshake (NULL when there
 * was none), its time and -v lines; the JSON members "certificates" and,
 * with the handshake, "host", "port", "verify", "host_match", "probe". */
void eas_chain_report(struct eas_certset *set, struct eas_output *out, const char *host, long port,
		      const struct eas_chain_verdict *v, const struct eas_response *res);

#endif
