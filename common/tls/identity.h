/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A client identity: certificate, private key and the chain to send,
 * loaded from the files operators have (PEM with a key file, PKCS#12). */
#ifndef EAS_IDENTITY_H
#define EAS_IDENTITY_H

#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

struct eas_identity {
	X509 *cert;
	EVP_PKEY *key;
	STACK_OF(X509) * chain; /* intermediates to send, may be NULL */
};

/* Load --cert (and --key, when the key is a file of its own); passwords
 * may be NULL. Returns 0, or -1 with a one-line reason naming the file in
 * err (never a password). */
int eas_identity_load(const char *cert_path, const char *cert_password, const char *key_path,
		      const char *key_password, struct eas_identity *id, char *err, size_t errlen);
void eas_identity_free(struct eas_identity *id);

#endif
