/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Host name against a certificate: eas_hostmatch_check.
 * Input: a mode byte, the size of the names buffer, the host (up to a NUL),
 * then either a DER certificate (mode bit 0) or records that build one:
 * a type byte (CN with a string type, DNS SAN, IP SAN, e-mail SAN), a
 * length byte and the bytes (NULs allowed). Mode bit 1 replaces the host
 * by one of the certificate's names (record number from the next byte),
 * its leading '*' by a label, bracketed if mode bit 2 says so: OpenSSL's
 * comparisons are not instrumented, so the fuzzer needs the help to hit
 * matches.
 * Invariants (OpenSSL as the oracle, with the full host as given):
 *  - EAS_HOST_SAN exactly when X509_check_ip_asc (an address) or
 *    X509_check_host with X509_CHECK_FLAG_NEVER_CHECK_SUBJECT and no
 *    partial wildcards (a name) says match;
 *  - EAS_HOST_CN only without a DNS SAN (a name: X509_check_host with the
 *    subject allowed matches) or without any SAN (an address: a CN equal
 *    to it, every byte);
 *  - EAS_HOST_MISMATCH when neither holds;
 *  - names is NUL-terminated within its size and, when the list fits,
 *    is every DNS and IP SAN in full ("DNS:a, IP:b"), or "CN=c" without. */
#include "fuzz.h"

#include <arpa/inet.h>

#include <openssl/x509v3.h>

#include "tls/hostmatch.h"
#include "util/text.h"

static const unsigned FLAGS = X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS;

static X509 *build(struct fz *f, char *pick, size_t picksize, int want)
{
	static const int cn_types[] = { V_ASN1_UTF8STRING, V_ASN1_IA5STRING, V_ASN1_PRINTABLESTRING,
					V_ASN1_T61STRING };
	X509 *x = X509_new();
	GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
	int n = 0;

	if (!x || !gens)
		abort();
	while (f->n && n < 12) {
		uint8_t type = fz_byte(f);
		size_t len = fz_byte(f);
		const unsigned char *v = f->p;

		if (len > f->n)
			len = f->n;
		f->p += len;
		f->n -= len;
		if (n == want) {
			if ((type & 3) == 2 && (len == 4 || len == 16))
				inet_ntop(len == 4 ? AF_INET : AF_INET6, v, pick,
					  (socklen_t)picksize);
			else
				snprintf(pick, picksize, "%.*s", (int)len, (const char *)v);
			if (pick[0] == '*')
				pick[0] = 'w';
		}
		n++;
		if ((type & 3) == 0) {
			X509_NAME_add_entry_by_NID(X509_get_subject_name(x), NID_commonName,
						   cn_types[(type >> 2) & 3], v, (int)len, -1, 0);
		} else {
			GENERAL_NAME *g = GENERAL_NAME_new();
			ASN1_STRING *s =
				(type & 3) == 2 ? ASN1_OCTET_STRING_new() : ASN1_IA5STRING_new();

			if (!g || !s || !ASN1_STRING_set(s, v, (int)len))
				abort();
			GENERAL_NAME_set0_value(g,
						(type & 3) == 1   ? GEN_DNS
						: (type & 3) == 2 ? GEN_IPADD
								  : GEN_EMAIL,
						s);
			sk_GENERAL_NAME_push(gens, g);
		}
	}
	if (sk_GENERAL_NAME_num(gens))
		X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0, X509V3_ADD_DEFAULT);
	GENERAL_NAMES_free(gens);
	return x;
}

static void count_sans(X509 *x, int *ndns, int *nip)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);

	*ndns = *nip = 0;
	for (int i = 0; gens && i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);

		*ndns += g->type == GEN_DNS;
		*nip += g->type == GEN_IPADD;
	}
	GENERAL_NAMES_free(gens);
}

/* What names should say when nothing is cut: "DNS:a, IP:b", or "CN=c"
 * without DNS and IP SANs. Returns its length. */
static size_t expected_names(X509 *x, char *buf, size_t size, int *longest)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	size_t len = 0;

	buf[0] = 0;
	for (int i = 0; gens && i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		char text[INET6_ADDRSTRLEN] = "?";

		if (g->type == GEN_DNS) {
			if (g->d.dNSName->length > *longest)
				*longest = g->d.dNSName->length;
			len += (size_t)snprintf(buf + len, size - len, "%sDNS:%.*s",
						len ? ", " : "", g->d.dNSName->length,
						(const char *)g->d.dNSName->data);
		} else if (g->type == GEN_IPADD) {
			const ASN1_OCTET_STRING *o = g->d.iPAddress;

			if (o->length == 4 || o->length == 16)
				inet_ntop(o->length == 4 ? AF_INET : AF_INET6, o->data, text,
					  sizeof text);
			len += (size_t)snprintf(buf + len, size - len, "%sIP:%s", len ? ", " : "",
						text);
		}
		if (len >= size) {
			len = size - 1;
			break;
		}
	}
	GENERAL_NAMES_free(gens);
	if (!len) {
		/* The first CN in UTF-8, a NUL as "\\0", cleaned like all text. */
		const X509_NAME *subject = X509_get_subject_name(x);
		int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
		const ASN1_STRING *d =
			i < 0 ? NULL : X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i));
		unsigned char *u = NULL;
		char cn[256] = "";
		size_t o = 0;
		int n = d ? ASN1_STRING_to_UTF8(&u, d) : -1;
		/* Not convertible: the bytes as they are (then cleaned). */
		const unsigned char *b = n < 0 && d ? ASN1_STRING_get0_data(d) : u;

		if (n < 0 && d)
			n = ASN1_STRING_length(d);
		for (int k = 0; b && k < n && o + 3 < sizeof cn; k++)
			o += (size_t)snprintf(cn + o, sizeof cn - o, "%s",
					      b[k] ? (char[]){ (char)b[k], 0 } : "\\0");
		OPENSSL_free(u);
		eas_text_clean(cn, 1);
		if (cn[0])
			len = (size_t)snprintf(buf, size, "CN=%s", cn);
	}
	return len;
}

static bool cn_equal(X509 *x, const char *name)
{
	const X509_NAME *subject = X509_get_subject_name(x);

	for (int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1); i >= 0;
	     i = X509_NAME_get_index_by_NID(subject, NID_commonName, i)) {
		const ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i));

		if ((size_t)ASN1_STRING_length(s) == strlen(name) &&
		    !memcmp(ASN1_STRING_get0_data(s), name, strlen(name)))
			return true;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	uint8_t mode = fz_byte(&f);
	size_t nsize = (size_t)fz_byte(&f) + 1;
	char *host = fz_str(&f), pick[600] = "", *names, *name;
	unsigned char addr[16];
	enum eas_hostmatch m;
	int ndns, nip, want = -1;
	bool ip, san;
	X509 *x;

	if (strlen(host) > 512)
		host[512] = 0;
	if (mode & 1) {
		const unsigned char *p = f.p;

		x = d2i_X509(NULL, &p, (long)f.n);
		if (!x) {
			free(host);
			return 0;
		}
	} else {
		if (mode & 2)
			want = fz_byte(&f) % 12;
		x = build(&f, pick, sizeof pick, want);
		if (want >= 0 && pick[0]) {
			free(host);
			host = malloc(strlen(pick) + 3);
			if (!host)
				abort();
			sprintf(host, (mode & 4) ? "[%s]" : "%s", pick);
		}
	}
	names = malloc(nsize);
	if (!names)
		abort();
	m = eas_hostmatch_check(x, host, names, nsize);
	FUZZ_ASSERT(memchr(names, 0, nsize) != NULL, "names not terminated");

	/* The oracle, on the full host. */
	name = strdup(host);
	if (!name)
		abort();
	if (strlen(name) >= 2 && name[0] == '[' && name[strlen(name) - 1] == ']') {
		memmove(name, name + 1, strlen(name) - 2);
		name[strlen(host) - 2] = 0;
	}
	ip = inet_pton(AF_INET, name, addr) == 1 || inet_pton(AF_INET6, name, addr) == 1;
	count_sans(x, &ndns, &nip);
	san = ip ? X509_check_ip_asc(x, name, 0) == 1
		 : X509_check_host(x, name, 0, FLAGS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT, NULL) ==
			      1;
	/* known finding hostmatch-1: a host of 256 bytes or more is cut to
	 * 255 before it is compared. */
	if (!(fz_skip_known() && strlen(name) > 255)) {
		FUZZ_ASSERT((m == EAS_HOST_SAN) == san,
			    "host '%s' (%s): verdict %d, "
			    "OpenSSL says %s",
			    host, ip ? "address" : "name", (int)m,
			    san ? "SAN match" : "no SAN match");
		if (m == EAS_HOST_CN)
			FUZZ_ASSERT(ip ? !ndns && !nip && cn_equal(x, name)
				       : !ndns && X509_check_host(x, name, 0, FLAGS, NULL) == 1,
				    "host '%s': CN verdict", host);
		if (m == EAS_HOST_MISMATCH)
			FUZZ_ASSERT(!san && !(ip ? !ndns && !nip && cn_equal(x, name)
						 : !ndns && X509_check_host(x, name, 0, FLAGS,
									    NULL) == 1),
				    "host '%s': a mismatch that matches", host);
	}
	/* known finding hostmatch-2: a DNS name is cut after 45 bytes. */
	{
		char want[4096];
		int longest = 0;
		size_t wl = expected_names(x, want, sizeof want, &longest);

		if (wl + 1 < nsize && wl + 1 < sizeof want && (longest < 46 || !fz_skip_known()))
			FUZZ_ASSERT(!strcmp(names, want),
				    "names '%s', the "
				    "certificate names '%s'",
				    names, want);
	}
	free(name);
	free(names);
	free(host);
	X509_free(x);
	return 0;
}
