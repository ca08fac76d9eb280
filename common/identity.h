/* A client identity: certificate, private key and the chain to send. */
#ifndef EAS_IDENTITY_H
#define EAS_IDENTITY_H

#include <openssl/evp.h>
#include <openssl/x509.h>

struct eas_identity {
	X509 *cert;
	EVP_PKEY *key;
	STACK_OF(X509) *chain;      /* intermediates to send, may be NULL */
};

#endif
