/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TLS in an operator's words: the one table of certificate verification
 * errors with what usually causes them, and the names of TLS alerts. */
#ifndef EAS_TLSWORDS_H
#define EAS_TLSWORDS_H

#include <stdbool.h>
#include <stddef.h>

/* OpenSSL's reason for a verification error, with what usually causes it
 * ("unable to get local issuer certificate: the server does not send its
 * intermediate ..."). */
void eas_verify_reason(long err, char *buf, size_t size);

/* Errors that only say "too weak for the security level" (RSA-1024,
 * SHA-1): an expiry check reports those as warnings, not as distrust. */
bool eas_verify_is_weakness(long err);

/* "handshake failure", "certificate required", ...; "no alert" for -1. */
const char *eas_tls_alert_name(int alert);

/* Alerts with which servers refuse a client certificate (or its absence). */
bool eas_tls_alert_refuses_cert(int alert);

#endif
