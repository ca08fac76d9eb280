/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tls/certfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>

#include "tls/pbecap.h"
#include "util/safefile.h"

#define FILE_MAX (4 * 1024 * 1024)

const char *eas_certfmt_name(enum eas_certfmt f)
{
	return f == EAS_CERT_PEM ? "PEM" : f == EAS_CERT_DER ? "DER" : "PKCS#12";
}

static int read_all(const char *path, unsigned char **data, size_t *len, char *err, size_t errlen)
{
	char *buf;

	if (eas_safefile_read(path, NULL, FILE_MAX, &buf, len, NULL, err, errlen))
		return -1;
	if (!*len) {
		eas_safefile_free(buf, 0);
		snprintf(err, errlen, "%s is empty", path);
		return -1;
	}
	*data = (unsigned char *)buf;
	return 0;
}

/* Supplies the password to OpenSSL, or fails (instead of prompting). */
static int pass_cb(char *buf, int size, int rwflag, void *u)
{
	const char *pw = u;
	size_t len;

	(void)rwflag;
	if (!pw)
		return -1;
	len = strlen(pw);
	if (len > (size_t)size)
		return -1;
	memcpy(buf, pw, len);
	return (int)len;
}

static const char *ssl_reason(void)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	return r ? r : "unknown error";
}

static bool bad_decrypt(void)
{
	unsigned long e;
	bool bad = false;

	while ((e = ERR_get_error()))
		if (ERR_GET_REASON(e) == EVP_R_BAD_DECRYPT ||
		    ERR_GET_REASON(e) == PEM_R_BAD_DECRYPT ||
		    ERR_GET_REASON(e) == PEM_R_BAD_PASSWORD_READ ||
		    ERR_GET_REASON(e) == PEM_R_PROBLEMS_GETTING_PASSWORD)
			bad = true;
	return bad;
}

/* Every key derivation of the file (MAC, encrypted safes, key bags)
 * within the cap, else err says which file asks for how much. */
static bool too_many_rounds(const char *path, const char *what, long n, char *err, size_t errlen)
{
	char count[32] = "too many";

	if (eas_pbe_rounds_ok(n))
		return false;
	if (n > 0)
		snprintf(count, sizeof count, "%ld", n);
	snprintf(
		err, errlen,
		"%s: the %s asks for %s key-derivation rounds (at most %ld are accepted): a broken or hostile file, re-export it",
		path, what, count, EAS_PBE_MAX_ROUNDS);
	return true;
}

static int load_pem(const char *path, const unsigned char *data, size_t len, const char *password,
		    bool want_key, struct eas_certfile *cf, char *err, size_t errlen)
{
	BIO *bio = BIO_new_mem_buf(data, (int)len);
	X509 *x;

	cf->format = EAS_CERT_PEM;
	while (bio && (x = PEM_read_bio_X509(bio, NULL, pass_cb, NULL)))
		sk_X509_push(cf->certs, x);
	BIO_free(bio);
	ERR_clear_error();
	if (want_key && strstr((const char *)data, "-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
		X509_SIG *sig;
		long rounds;

		bio = BIO_new_mem_buf(data, (int)len);
		sig = bio ? PEM_read_bio_PKCS8(bio, NULL, NULL, NULL) : NULL;
		rounds = sig ? eas_pbe_rounds_sig(sig) : 0;
		X509_SIG_free(sig);
		BIO_free(bio);
		ERR_clear_error();
		if (too_many_rounds(path, "encrypted private key", rounds, err, errlen))
			return -1;
	}
	if (want_key && strstr((const char *)data, "PRIVATE KEY-----")) {
		bio = BIO_new_mem_buf(data, (int)len);
		cf->key =
			bio ? PEM_read_bio_PrivateKey(bio, NULL, pass_cb, (void *)password) : NULL;
		BIO_free(bio);
		if (!cf->key) {
			bool encrypted = strstr((const char *)data, "ENCRYPTED") != NULL;
			bool wrong = bad_decrypt();

			if (encrypted && !password)
				snprintf(
					err, errlen,
					"%s: the private key is encrypted and no password was given",
					path);
			else if (encrypted || wrong)
				snprintf(err, errlen, "%s: wrong password for the private key",
					 path);
			else
				snprintf(err, errlen, "%s: unreadable private key", path);
			return -1;
		}
	}
	if (!sk_X509_num(cf->certs) && !cf->key) {
		snprintf(err, errlen,
			 want_key ? "%s: no certificate or key in this PEM file"
				  : "%s holds no certificate",
			 path);
		return -1;
	}
	return 0;
}

/* PKCS12_parse, with OpenSSL's legacy provider loaded only when a file
 * needs it: old Windows exports use RC2-40 or 3DES. Returns 1 on success,
 * -1 when the password does not open the file, 0 for other failures. */
static int parse_p12(PKCS12 *p12, const char *pw, EVP_PKEY **key, X509 **cert, STACK_OF(X509) * *ca,
		     bool *legacy)
{
	OSSL_PROVIDER *leg, *def;
	int ok;

	ERR_set_mark();
	ok = PKCS12_parse(p12, pw, key, cert, ca);
	if (!ok && ERR_GET_REASON(ERR_peek_last_error()) == PKCS12_R_MAC_VERIFY_FAILURE) {
		ERR_pop_to_mark();
		return -1;
	}
	ERR_pop_to_mark();
	if (ok)
		return 1;
	def = OSSL_PROVIDER_load(NULL, "default");
	leg = OSSL_PROVIDER_load(NULL, "legacy");
	if (leg) {
		ok = PKCS12_parse(p12, pw, key, cert, ca);
		*legacy = ok == 1;
		OSSL_PROVIDER_unload(leg);
	}
	OSSL_PROVIDER_unload(def);
	return ok == 1;
}

static int load_p12(const char *path, PKCS12 *p12, const char *password, struct eas_certfile *cf,
		    char *err, size_t errlen)
{
	STACK_OF(X509) *ca = NULL;
	X509 *cert = NULL;
	int ok;

	cf->format = EAS_CERT_PKCS12;
	/* PKCS12_parse checks the MAC itself (and tries both encodings of an
	 * empty password): no separate, equally costly check first. */
	ok = parse_p12(p12, password ? password : "", &cf->key, &cert, &ca, &cf->legacy);
	if (ok < 0) {
		snprintf(err, errlen,
			 password ? "%s: wrong PKCS#12 password"
				  : "%s: PKCS#12 file needs a password (--cert-password-file)",
			 path);
		return -1;
	}
	if (!ok) {
		snprintf(err, errlen, "%s: cannot decode PKCS#12 (%s)", path, ssl_reason());
		return -1;
	}
	if (cert)
		sk_X509_push(cf->certs, cert);
	for (int i = 0; ca && i < sk_X509_num(ca); i++) {
		X509 *x = sk_X509_value(ca, i);

		X509_up_ref(x);
		sk_X509_push(cf->certs, x);
	}
	sk_X509_pop_free(ca, X509_free);
	if (!sk_X509_num(cf->certs)) {
		snprintf(err, errlen, "%s: PKCS#12 file holds no certificate", path);
		return -1;
	}
	return 0;
}

static int load_der(const char *path, const unsigned char *data, size_t len, const char *password,
		    struct eas_certfile *cf, char *err, size_t errlen)
{
	const unsigned char *p = data;
	PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)len);
	X509 *x;

	if (p12) {
		int rc = too_many_rounds(path, "PKCS#12 file",
					 eas_pbe_rounds_p12(p12, password ? password : ""), err,
					 errlen)
				 ? -1
				 : load_p12(path, p12, password, cf, err, errlen);

		PKCS12_free(p12);
		return rc;
	}
	cf->format = EAS_CERT_DER;
	p = data;
	x = d2i_X509(NULL, &p, (long)len);
	if (x) {
		sk_X509_push(cf->certs, x);
		return 0;
	}
	p = data;
	cf->key = d2i_AutoPrivateKey(NULL, &p, (long)len);
	if (cf->key)
		return 0;
	snprintf(err, errlen, "%s: neither PEM, DER certificate, DER key nor PKCS#12", path);
	return -1;
}

static int load(const char *path, const char *password, bool want_key, struct eas_certfile *cf,
		char *err, size_t errlen)
{
	unsigned char *data;
	size_t len;
	int rc;

	memset(cf, 0, sizeof *cf);
	if (read_all(path, &data, &len, err, errlen))
		return -1;
	cf->certs = sk_X509_new_null();
	if (!cf->certs) {
		eas_safefile_free((char *)data, len);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (memmem(data, len, "-----BEGIN ", 11))
		rc = load_pem(path, data, len, password, want_key, cf, err, errlen);
	else if (data[0] == 0x30)
		rc = load_der(path, data, len, password, cf, err, errlen);
	else {
		snprintf(err, errlen, "%s: not a certificate file (neither PEM, DER nor PKCS#12)",
			 path);
		rc = -1;
	}
	eas_safefile_free((char *)data, len);
	ERR_clear_error();
	if (rc)
		eas_certfile_free(cf);
	return rc;
}

int eas_certfile_load(const char *path, const char *password, struct eas_certfile *cf, char *err,
		      size_t errlen)
{
	return load(path, password, true, cf, err, errlen);
}

int eas_certfile_load_certs(const char *path, const char *password, struct eas_certfile *cf,
			    char *err, size_t errlen)
{
	return load(path, password, false, cf, err, errlen);
}

void eas_certfile_free(struct eas_certfile *cf)
{
	sk_X509_pop_free(cf->certs, X509_free);
	EVP_PKEY_free(cf->key);
	cf->certs = NULL;
	cf->key = NULL;
}
