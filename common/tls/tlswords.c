/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tls/tlswords.h"

#include <stdio.h>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

static const struct {
	long err;
	const char *hint;
} hints[] = {
	{ X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
	  "the server does not send its intermediate certificate, or its CA is not in the trust store (--ca-file/--ca-path)" },
	{ X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE,
	  "the server does not send its intermediate certificate, or its CA is not in the trust store (--ca-file/--ca-path)" },
	{ X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT,
	  "the server does not send its intermediate certificate, or its CA is not in the trust store (--ca-file/--ca-path)" },
	{ X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT,
	  "the server's own self-signed certificate, not in the trust store" },
	{ X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN,
	  "the server sends a root CA that is not in the trust store" },
	{ X509_V_ERR_CERT_HAS_EXPIRED, "renew the server certificate" },
	{ X509_V_ERR_CERT_NOT_YET_VALID, "check the server's and our clocks" },
	{ X509_V_ERR_CERT_SIGNATURE_FAILURE, "the chain is broken (wrong intermediate sent?)" },
	{ X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE,
	  "the chain is broken (wrong intermediate sent?)" },
	{ X509_V_ERR_INVALID_CA, "a certificate in the chain is not allowed for this use" },
	{ X509_V_ERR_INVALID_PURPOSE, "a certificate in the chain is not allowed for this use" },
	{ X509_V_ERR_CERT_REVOKED, "revoked by its CA" },
};

void eas_verify_reason(long err, char *buf, size_t size)
{
	const char *why = X509_verify_cert_error_string(err);

	for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
		if (hints[i].err == err) {
			snprintf(buf, size, "%s: %s", why, hints[i].hint);
			return;
		}
	snprintf(buf, size, "%s", why);
}

bool eas_verify_is_weakness(long err)
{
	return err == X509_V_ERR_EE_KEY_TOO_SMALL || err == X509_V_ERR_CA_KEY_TOO_SMALL ||
	       err == X509_V_ERR_CA_MD_TOO_WEAK;
}

const char *eas_tls_alert_name(int alert)
{
	/* OpenSSL 3.0 has no name for TLS 1.3's certificate_required. */
	if (alert == SSL_AD_CERTIFICATE_REQUIRED)
		return "certificate required";
	return alert >= 0 ? SSL_alert_desc_string_long(alert) : "no alert";
}

bool eas_tls_alert_refuses_cert(int alert)
{
	switch (alert) {
	case SSL_AD_HANDSHAKE_FAILURE:
	case SSL_AD_BAD_CERTIFICATE:
	case SSL_AD_UNSUPPORTED_CERTIFICATE:
	case SSL_AD_CERTIFICATE_REVOKED:
	case SSL_AD_CERTIFICATE_EXPIRED:
	case SSL_AD_CERTIFICATE_UNKNOWN:
	case SSL_AD_UNKNOWN_CA:
	case SSL_AD_ACCESS_DENIED:
	case SSL_AD_CERTIFICATE_REQUIRED: return true;
	default: return false;
	}
}
