/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tls/pbecap.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>

#define NEST_MAX 4 /* safe contents inside safe contents */

static long int_rounds(const ASN1_INTEGER *i)
{
	long n = i ? ASN1_INTEGER_get(i) : 1;

	return n < 0 ? -1 : n;
}

/* -1 (too many) outranks every count. */
static long worse(long a, long b)
{
	return a < 0 || b < 0 ? -1 : a > b ? a : b;
}

#ifndef OPENSSL_NO_SCRYPT
/* scrypt's work, N * r * p, counted as rounds: OpenSSL's memory cap bounds
 * N * r, nothing bounds p. The usual 16384 * 8 * 1 is far below the cap. */
static long scrypt_work(const ASN1_STRING *params)
{
	SCRYPT_PARAMS *sp = ASN1_item_unpack(params, ASN1_ITEM_rptr(SCRYPT_PARAMS));
	uint64_t f[3] = { 0 }, work = 1;
	bool over = false;
	long n = 0;

	if (sp && ASN1_INTEGER_get_uint64(&f[0], sp->costParameter) &&
	    ASN1_INTEGER_get_uint64(&f[1], sp->blockSize) &&
	    ASN1_INTEGER_get_uint64(&f[2], sp->parallelizationParameter)) {
		for (int i = 0; i < 3; i++) {
			over = over || (f[i] && work > UINT64_MAX / f[i]);
			work *= f[i];
		}
		n = over || work > (uint64_t)LONG_MAX ? -1 : (long)work;
	}
	SCRYPT_PARAMS_free(sp);
	return n;
}
#endif

/* The rounds an encryption algorithm's parameters name: PBES2 with PBKDF2
 * (or scrypt), or the PKCS#5 v1 / PKCS#12 PBE schemes (salt and count). */
static long alg_rounds(const X509_ALGOR *alg)
{
	const ASN1_OBJECT *oid;
	const void *pval;
	int ptype;
	long n = 0;

	if (!alg)
		return 0;
	X509_ALGOR_get0(&oid, &ptype, &pval, alg);
	if (ptype != V_ASN1_SEQUENCE || !pval)
		return 0;
	if (OBJ_obj2nid(oid) == NID_pbes2) {
		PBE2PARAM *p2 = ASN1_item_unpack(pval, ASN1_ITEM_rptr(PBE2PARAM));
		const ASN1_OBJECT *kdf_oid;
		const void *kdf_val;
		int kdf_type;

		if (!p2)
			return 0;
		X509_ALGOR_get0(&kdf_oid, &kdf_type, &kdf_val, p2->keyfunc);
		if (OBJ_obj2nid(kdf_oid) == NID_id_pbkdf2 && kdf_type == V_ASN1_SEQUENCE &&
		    kdf_val) {
			PBKDF2PARAM *kdf = ASN1_item_unpack(kdf_val, ASN1_ITEM_rptr(PBKDF2PARAM));

			if (kdf)
				n = int_rounds(kdf->iter);
			PBKDF2PARAM_free(kdf);
		}
#ifndef OPENSSL_NO_SCRYPT
		else if (OBJ_obj2nid(kdf_oid) == NID_id_scrypt && kdf_type == V_ASN1_SEQUENCE &&
			 kdf_val)
			n = scrypt_work(kdf_val);
#endif
		PBE2PARAM_free(p2);
		return n;
	}
	{
		PBEPARAM *pbe = ASN1_item_unpack(pval, ASN1_ITEM_rptr(PBEPARAM));

		if (pbe)
			n = int_rounds(pbe->iter);
		PBEPARAM_free(pbe);
	}
	return n;
}

long eas_pbe_rounds_sig(const X509_SIG *sig)
{
	const X509_ALGOR *alg = NULL;

	X509_SIG_get0(sig, &alg, NULL);
	return alg_rounds(alg);
}

static long bags_rounds(const STACK_OF(PKCS12_SAFEBAG) * bags, int depth)
{
	long worst = 0;

	for (int i = 0; i < sk_PKCS12_SAFEBAG_num(bags); i++) {
		const PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, i);

		switch (PKCS12_SAFEBAG_get_nid(bag)) {
		case NID_pkcs8ShroudedKeyBag:
			worst = worse(worst, eas_pbe_rounds_sig(PKCS12_SAFEBAG_get0_pkcs8(bag)));
			break;
		case NID_safeContentsBag:
			if (depth < NEST_MAX)
				worst = worse(worst, bags_rounds(PKCS12_SAFEBAG_get0_safes(bag),
								 depth + 1));
			break;
		default: break;
		}
	}
	return worst;
}

/* One part of the authenticated safe: plain bags, or bags encrypted with
 * a key derived from the password. */
static long safe_rounds(PKCS7 *p7, const char *password)
{
	STACK_OF(PKCS12_SAFEBAG) *bags = NULL;
	long worst = 0;

	switch (OBJ_obj2nid(p7->type)) {
	case NID_pkcs7_data: bags = PKCS12_unpack_p7data(p7); break;
	case NID_pkcs7_encrypted:
		if (!p7->d.encrypted || !p7->d.encrypted->enc_data)
			return 0;
		worst = alg_rounds(p7->d.encrypted->enc_data->algorithm);
		if (!eas_pbe_rounds_ok(worst) || !password)
			return worst;
		bags = PKCS12_unpack_p7encdata(p7, password, (int)strlen(password));
		break;
	default: return 0;
	}
	worst = worse(worst, bags_rounds(bags, 0));
	sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	return worst;
}

long eas_pbe_rounds_p12(const PKCS12 *p12, const char *password)
{
	const ASN1_INTEGER *mac_iter = NULL;
	STACK_OF(PKCS7) * safes;
	long worst;

	PKCS12_get0_mac(NULL, NULL, NULL, &mac_iter, p12);
	worst = PKCS12_mac_present(p12) ? int_rounds(mac_iter) : 0;
	if (!eas_pbe_rounds_ok(worst))
		return worst;
	/* A part we cannot read here is left to the parser to refuse. */
	ERR_set_mark();
	safes = PKCS12_unpack_authsafes(p12);
	for (int i = 0; i < sk_PKCS7_num(safes) && eas_pbe_rounds_ok(worst); i++)
		worst = worse(worst, safe_rounds(sk_PKCS7_value(safes, i), password));
	sk_PKCS7_pop_free(safes, PKCS7_free);
	ERR_pop_to_mark();
	return worst;
}

int eas_pbe_rounds_ok(long rounds)
{
	return rounds >= 0 && rounds <= EAS_PBE_MAX_ROUNDS;
}
