/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Is this the server we asked for? The host name against the leaf
 * certificate (subjectAltName; the subject CN only as a fallback that the
 * caller should report), decided by OpenSSL's own checks. */
#ifndef EAS_HOSTMATCH_H
#define EAS_HOSTMATCH_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/x509.h>

enum eas_hostmatch {
	EAS_HOST_SAN, /* a DNS or IP subjectAltName matches */
	EAS_HOST_CN,  /* no SAN of that kind; the subject CN matches */
	EAS_HOST_MISMATCH,
};

/* Check host (a DNS name, an IPv4 or IPv6 address, brackets allowed)
 * against x. names receives what the certificate names, for messages
 * ("DNS:a.example.com, IP:192.0.2.1" or "CN=a.example.com"). */
enum eas_hostmatch eas_hostmatch_check(X509 *x, const char *host, char *names, size_t size);

#endif
