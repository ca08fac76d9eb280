/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tls/certinfo.h"

#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "util/text.h"

static int asn1_time(const ASN1_TIME *t, time_t *out, char *iso, size_t size)
{
	struct tm tm;

	if (!t || !ASN1_TIME_to_tm(t, &tm))
		return -1;
	*out = timegm(&tm);
	strftime(iso, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return 0;
}

static void name_text(const X509_NAME *n, char *buf, size_t size)
{
	BIO *b = BIO_new(BIO_s_mem());
	int len;

	buf[0] = 0;
	if (!b)
		return;
	X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	len = BIO_read(b, buf, (int)size - 1);
	buf[len > 0 ? len : 0] = 0;
	BIO_free(b);
}

/* The subject CN for messages, whole: converted to UTF-8 from whatever
 * string type it has, an embedded NUL shown as "\\0" (a CN of
 * "127.0.0.1\\0.evil.com" must read as such, not as 127.0.0.1), bytes
 * that are not UTF-8 and control characters as '?'. */
void eas_cert_cn_text(X509 *x, char *buf, size_t size)
{
	const X509_NAME *subject = X509_get_subject_name(x);
	int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
	const ASN1_STRING *d;
	const unsigned char *raw;
	unsigned char *u = NULL;
	size_t o = 0;
	int n;

	buf[0] = 0;
	if (i < 0 || size < 4)
		return;
	d = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i));
	n = ASN1_STRING_to_UTF8(&u, d);
	/* A string OpenSSL cannot convert (a UTF8String that is not UTF-8)
	 * is shown as its bytes, cleaned below, not dropped. */
	raw = n < 0 ? ASN1_STRING_get0_data(d) : u;
	if (n < 0)
		n = ASN1_STRING_length(d);
	for (int k = 0; raw && k < n && o + 3 < size; k++) {
		if (raw[k]) {
			buf[o++] = (char)raw[k];
		} else {
			buf[o++] = '\\';
			buf[o++] = '0';
		}
	}
	buf[o] = 0;
	OPENSSL_free(u);
	eas_text_clean(buf, 1);
}

int eas_certinfo_get(X509 *x, time_t now, struct eas_certinfo *ci)
{
	const ASN1_INTEGER *serial = X509_get0_serialNumber(x);
	EVP_PKEY *pk = X509_get0_pubkey(x);
	int nid, md_nid = NID_undef, pk_nid = NID_undef;
	BIGNUM *bn;

	memset(ci, 0, sizeof *ci);
	if (asn1_time(X509_get0_notBefore(x), &ci->nb, ci->not_before, sizeof ci->not_before) ||
	    asn1_time(X509_get0_notAfter(x), &ci->na, ci->not_after, sizeof ci->not_after))
		return -1;
	ci->days_left = difftime(ci->na, now) / 86400.0;
	ci->lifetime_days = difftime(ci->na, ci->nb) / 86400.0;
	ci->expired = now > ci->na;
	ci->not_yet_valid = now < ci->nb;
	name_text(X509_get_subject_name(x), ci->subject, sizeof ci->subject);
	name_text(X509_get_issuer_name(x), ci->issuer, sizeof ci->issuer);
	eas_cert_cn_text(x, ci->cn, sizeof ci->cn);
	bn = serial ? ASN1_INTEGER_to_BN(serial, NULL) : NULL;
	if (bn) {
		char *hex = BN_bn2hex(bn);

		if (hex)
			snprintf(ci->serial, sizeof ci->serial, "%s", hex);
		OPENSSL_free(hex);
		BN_free(bn);
	}
	ci->self_signed = (X509_get_extension_flags(x) & EXFLAG_SS) != 0;
	nid = X509_get_signature_nid(x);
	snprintf(ci->sig_alg, sizeof ci->sig_alg, "%s", OBJ_nid2sn(nid));
	if (OBJ_find_sigid_algs(nid, &md_nid, &pk_nid))
		ci->sha1 = md_nid == NID_sha1;
	if (pk) {
		ci->key_bits = EVP_PKEY_get_bits(pk);
		snprintf(ci->key_type, sizeof ci->key_type, "%s",
			 EVP_PKEY_get0_type_name(pk) ? EVP_PKEY_get0_type_name(pk) : "?");
	}
	return 0;
}
