/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A client identity from --cert [--key]: the leaf is the certificate that
 * matches the key, the others are sent as its chain. */
#include "tls/identity.h"

#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "tls/certfile.h"

int eas_identity_load(const char *cert_path, const char *cert_password, const char *key_path,
		      const char *key_password, struct eas_identity *id, char *err, size_t errlen)
{
	struct eas_certfile cf, kf = { 0 };
	int leaf = -1;

	memset(id, 0, sizeof *id);
	if (eas_certfile_load(cert_path, cert_password, &cf, err, errlen))
		return -1;
	if (key_path) {
		if (eas_certfile_load(key_path, key_password ? key_password : cert_password, &kf,
				      err, errlen))
			goto fail;
		if (!kf.key) {
			snprintf(err, errlen, "%s holds no private key", key_path);
			goto fail;
		}
		EVP_PKEY_free(cf.key);
		cf.key = kf.key;
		kf.key = NULL;
	}
	if (!cf.key) {
		snprintf(err, errlen, "%s holds no private key: give it with --key", cert_path);
		goto fail;
	}
	for (int i = 0; i < sk_X509_num(cf.certs) && leaf < 0; i++)
		if (X509_check_private_key(sk_X509_value(cf.certs, i), cf.key))
			leaf = i;
	ERR_clear_error();
	if (leaf < 0) {
		if (key_path)
			snprintf(err, errlen,
				 "the private key in %s does not match the certificate in %s",
				 key_path, cert_path);
		else
			snprintf(err, errlen,
				 "the private key does not match the certificate in %s", cert_path);
		goto fail;
	}
	id->cert = sk_X509_delete(cf.certs, leaf);
	id->chain = cf.certs;
	id->key = cf.key;
	cf.certs = NULL;
	cf.key = NULL;
	eas_certfile_free(&kf);
	return 0;
fail:
	eas_certfile_free(&cf);
	eas_certfile_free(&kf);
	return -1;
}

void eas_identity_free(struct eas_identity *id)
{
	X509_free(id->cert);
	EVP_PKEY_free(id->key);
	sk_X509_pop_free(id->chain, X509_free);
	memset(id, 0, sizeof *id);
}
