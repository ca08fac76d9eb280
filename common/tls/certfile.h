/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Certificate files as operators have them: PEM, DER or PKCS#12 (.pfx,
 * .p12, including old Windows exports that need OpenSSL's legacy provider),
 * recognised by their content, not their name. */
#ifndef EAS_CERTFILE_H
#define EAS_CERTFILE_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

enum eas_certfmt { EAS_CERT_PEM, EAS_CERT_DER, EAS_CERT_PKCS12 };

struct eas_certfile {
	STACK_OF(X509) * certs; /* every certificate, file order; for
				       PKCS#12 the one with the key first */
	EVP_PKEY *key;          /* the private key if the file has one */
	enum eas_certfmt format;
	bool legacy; /* needed RC2/3DES (legacy provider) */
};

const char *eas_certfmt_name(enum eas_certfmt f);

/* Load path; password (may be NULL) opens PKCS#12 files and encrypted PEM
 * keys. Never prompts. Returns 0, or -1 with a one-line reason naming the
 * file in err (never the password). */
int eas_certfile_load(const char *path, const char *password, struct eas_certfile *cf, char *err,
		      size_t errlen);
/* The same for the certificates alone: a PEM file's private key, encrypted
 * or not, is neither read nor needed. */
int eas_certfile_load_certs(const char *path, const char *password, struct eas_certfile *cf,
			    char *err, size_t errlen);
void eas_certfile_free(struct eas_certfile *cf);

#endif
