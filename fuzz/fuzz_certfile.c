/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Certificate files: eas_certfile_load / eas_certfile_load_certs on an
 * in-memory regular file holding the input.
 * Input: a byte (bits 0-1: no password, "", "test" or a wrong one; bit 2:
 * certificates only), then the file. The seeds (PEM, DER, PKCS#12 modern
 * and legacy, encrypted keys) use the password "test".
 * Invariants:
 *  - success: a certificate stack, with a certificate or a key; every
 *    certificate encodes again (i2d_X509); the format matches the content
 *    (PEM when "-----BEGIN " is in it, else DER or PKCS#12 from a 0x30
 *    byte); legacy only for PKCS#12;
 *  - failure: a one-line reason, nothing left allocated in the structure;
 *  - the reason never contains the password;
 *  - OpenSSL's error queue is empty afterwards;
 *  - no leak (LeakSanitizer). */
#include "fuzz.h"

#include <openssl/err.h>

#include "tls/certfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const passwords[] = { NULL, "", "test", "Wr0ng-Passw0rd" };
	struct fz f = { data, size };
	uint8_t mode = fz_byte(&f);
	const char *pw = passwords[mode & 3], *path;
	struct eas_certfile cf;
	char err[1024] = "";
	int rc;

	path = fz_file(f.p, f.n);
	rc = (mode & 4) ? eas_certfile_load_certs(path, pw, &cf, err, sizeof err)
			: eas_certfile_load(path, pw, &cf, err, sizeof err);
	FUZZ_ASSERT(ERR_peek_error() == 0, "OpenSSL errors left: %s",
		    ERR_reason_error_string(ERR_peek_error()));
	if (rc == 0) {
		bool pem = memmem(f.p, f.n, "-----BEGIN ", 11) != NULL;

		FUZZ_ASSERT(cf.certs != NULL, "no stack");
		FUZZ_ASSERT(sk_X509_num(cf.certs) > 0 || cf.key, "nothing loaded");
		for (int i = 0; i < sk_X509_num(cf.certs); i++) {
			X509 *x = sk_X509_value(cf.certs, i);
			unsigned char *der = NULL;
			int n;

			FUZZ_ASSERT(x != NULL, "NULL certificate %d", i);
			n = i2d_X509(x, &der);
			FUZZ_ASSERT(n > 0, "certificate %d does not encode", i);
			OPENSSL_free(der);
		}
		FUZZ_ASSERT(pem ? cf.format == EAS_CERT_PEM
				: f.n && f.p[0] == 0x30 && cf.format != EAS_CERT_PEM,
			    "format %s", eas_certfmt_name(cf.format));
		FUZZ_ASSERT(!cf.legacy || cf.format == EAS_CERT_PKCS12, "legacy");
		ERR_clear_error();
		eas_certfile_free(&cf);
	} else {
		FUZZ_ASSERT(err[0], "failure without a reason");
		FUZZ_ASSERT(!strchr(err, '\n'), "reason on several lines: %s", err);
		FUZZ_ASSERT(cf.certs == NULL && cf.key == NULL, "left allocated");
	}
	if (pw && *pw)
		FUZZ_ASSERT(!strstr(err, pw), "reason shows the password: %s", err);
	return 0;
}
