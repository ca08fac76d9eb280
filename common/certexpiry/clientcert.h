/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The client certificate a check presents (check_eas_cert): the verdict
 * on its own expiry, its -v description and its JSON. */
#ifndef EAS_CLIENTCERT_H
#define EAS_CLIENTCERT_H

#include "tls/tls.h"
#include "out/output.h"

/* State, words and 'cert_days' perfdata: WARNING/CRITICAL when it expires
 * within warn_days/crit_days, CRITICAL when expired or not yet valid. The
 * words go in the summary when they are a cause or the state is OK, else
 * in the long output. */
void eas_clientcert_expiry(struct eas_output *out, const struct eas_certinfo *ci, long warn_days,
			   long crit_days);

/* The -v lines (subject, issuer, validity, nchain chain certificates sent
 * with it) and the JSON member "client_certificate". */
void eas_clientcert_report(struct eas_output *out, const struct eas_certinfo *ci, int nchain);

#endif
