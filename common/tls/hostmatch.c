/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tls/hostmatch.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <openssl/x509v3.h>

#include "tls/certinfo.h"
#include "util/text.h"

static void append(char *buf, size_t size, const char *kind, const char *v)
{
	size_t len = strlen(buf);

	if (len + 1 < size)
		snprintf(buf + len, size - len, "%s%s:%s", len ? ", " : "", kind, v);
}

/* List the DNS and IP SANs into names; count each kind. */
static void list_sans(X509 *x, char *names, size_t size, int *ndns, int *nip)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);

	*ndns = *nip = 0;
	for (int i = 0; gens && i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		char text[256];

		if (g->type == GEN_DNS) {
			const ASN1_IA5STRING *s = g->d.dNSName;

			(*ndns)++;
			/* DNS names are up to 253 bytes: never cut one. */
			snprintf(text, sizeof text, "%.*s", s->length, (const char *)s->data);
			append(names, size, "DNS", text);
		} else if (g->type == GEN_IPADD) {
			const ASN1_OCTET_STRING *s = g->d.iPAddress;
			int af = s->length == 4 ? AF_INET : s->length == 16 ? AF_INET6 : -1;

			(*nip)++;
			if (af < 0 || !inet_ntop(af, s->data, text, sizeof text))
				snprintf(text, sizeof text, "?");
			append(names, size, "IP", text);
		}
	}
	GENERAL_NAMES_free(gens);
}

/* An address in the subject CN, compared over the whole ASN.1 string: a
 * CN of "127.0.0.1\0.evil.com" is not 127.0.0.1. */
static bool cn_is(X509 *x, const char *name)
{
	const X509_NAME *subject = X509_get_subject_name(x);
	size_t len = strlen(name);

	for (int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1); i >= 0;
	     i = X509_NAME_get_index_by_NID(subject, NID_commonName, i)) {
		const ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i));

		if ((size_t)ASN1_STRING_length(s) == len &&
		    !memcmp(ASN1_STRING_get0_data(s), name, len))
			return true;
	}
	return false;
}

enum eas_hostmatch eas_hostmatch_check(X509 *x, const char *host, char *names, size_t size)
{
	const unsigned flags = X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS;
	char name[256], cn[256] = "";
	size_t len = strlen(host);
	int ndns, nip;
	bool ip;

	names[0] = 0;
	list_sans(x, names, size, &ndns, &nip);
	eas_cert_cn_text(x, cn, sizeof cn);
	if (!names[0] && cn[0])
		snprintf(names, size, "CN=%s", cn);
	/* No DNS name is longer: a longer host cut to fit could match a
	 * certificate for its first 255 bytes. */
	if (len >= 2 && host[0] == '[' && host[len - 1] == ']')
		len -= 2; /* the brackets are not compared */
	if (len >= sizeof name)
		return EAS_HOST_MISMATCH;
	ip = eas_text_ip(host, name, sizeof name);
	if (ip) {
		if (X509_check_ip_asc(x, name, 0) == 1)
			return EAS_HOST_SAN;
		/* Old certificates put the address in the CN; accept it only
		 * when there are no SANs at all, as for names. */
		return !ndns && !nip && cn_is(x, name) ? EAS_HOST_CN : EAS_HOST_MISMATCH;
	}
	if (X509_check_host(x, name, 0, flags | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT, NULL) == 1)
		return EAS_HOST_SAN;
	/* RFC 6125: the CN counts only when there is no DNS SAN. */
	if (!ndns && X509_check_host(x, name, 0, flags, NULL) == 1)
		return EAS_HOST_CN;
	return EAS_HOST_MISMATCH;
}
