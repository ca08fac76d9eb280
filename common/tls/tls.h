/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tls/: the face of the subsystem, what code outside tls/ includes.
 * Certificates and TLS in an operator's terms:
 *   certificate files (PEM/DER/PKCS#12): eas_certfile_load, _load_certs, _free
 *   certificate facts: eas_certinfo_get, eas_cert_cn_text
 *   client identities: eas_identity_load, eas_identity_free
 *   host-name match: eas_hostmatch_check
 *   TLS errors and alerts in words: eas_verify_reason, eas_tls_alert_name
 *   the trust store: eas_trust_pick, eas_trust_load, eas_trust_readable
 * pbecap.h (key-derivation cost) is certfile.c's own. */
#ifndef EAS_FACE_TLS_H
#define EAS_FACE_TLS_H

#include "tls/certfile.h"
#include "tls/certinfo.h"
#include "tls/hostmatch.h"
#include "tls/identity.h"
#include "tls/tlswords.h"
#include "tls/truststore.h"

#endif
