/* Is this the server we asked for? The host name against the leaf
 * certificate (subjectAltName; the subject CN only as a fallback that the
 * caller should report), and a chain verification error in plain words. */
#ifndef EAS_HOSTMATCH_H
#define EAS_HOSTMATCH_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/x509.h>

enum eas_hostmatch {
	EAS_HOST_SAN,        /* a DNS or IP subjectAltName matches */
	EAS_HOST_CN,         /* no SAN of that kind; the subject CN matches */
	EAS_HOST_MISMATCH,
};

/* Check host (a DNS name, an IPv4 or IPv6 address, brackets allowed)
 * against x. names receives what the certificate names, for messages
 * ("DNS:a.example.com, IP:192.0.2.1" or "CN=a.example.com"). */
enum eas_hostmatch eas_hostmatch_check(X509 *x, const char *host,
				       char *names, size_t size);

/* OpenSSL's reason for a verification error, with what usually causes it
 * ("unable to get local issuer certificate: the server does not send its
 * intermediate ..."). */
void eas_verify_reason(long err, char *buf, size_t size);

/* Errors that only say "too weak for the security level" (RSA-1024,
 * SHA-1): an expiry check reports those as warnings, not as distrust. */
bool eas_verify_is_weakness(long err);

#endif
