/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one trust-store rule: the trust anchors the operator names
 * (--ca-file, --ca-path), else the system's hashed directory, looked up
 * lazily one file per issuer, instead of parsing the whole bundle on every
 * run (most of a check's CPU otherwise), else OpenSSL's defaults. */
#ifndef EAS_TRUSTSTORE_H
#define EAS_TRUSTSTORE_H

#include <stddef.h>

#include <openssl/x509_vfy.h>

struct eas_trust {
	const char *file, *path; /* both NULL: OpenSSL's defaults */
};

/* Where the anchors come from for these options. */
void eas_trust_pick(const char *ca_file, const char *ca_path, struct eas_trust *t);
/* Load them into store (for verifying outside a handshake). Returns 0, or
 * -1 when they cannot be loaded. */
int eas_trust_load(X509_STORE *store, const char *ca_file, const char *ca_path);
/* Can the anchors the operator named be read: --ca-file a regular file,
 * --ca-path a directory? Returns 0, or -1 with one line in err naming the
 * option, the file and why. */
int eas_trust_readable(const char *ca_file, const char *ca_path, char *err, size_t errlen);

#endif
