/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for common/certexpiry/expiry.c (thresholds, verdicts, labels) and
 * common/tls/hostmatch.c (host names against certificates built in memory). */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "certexpiry/expiry.h"
#include "tls/hostmatch.h"
#include "tls/tlswords.h"
#include "tap.h"

static struct eas_certinfo cert(double days_left, double lifetime)
{
	struct eas_certinfo ci;

	memset(&ci, 0, sizeof ci);
	strcpy(ci.not_before, "2025-01-01T00:00:00Z");
	strcpy(ci.not_after, "2026-01-01T00:00:00Z");
	strcpy(ci.key_type, "RSA");
	ci.key_bits = 2048;
	ci.days_left = days_left;
	ci.lifetime_days = lifetime;
	ci.expired = days_left < 0;
	ci.not_yet_valid = days_left > lifetime;
	return ci;
}

static void test_thresholds(struct tap *t)
{
	static const struct {
		const char *text;
		double days, life;
		int alert;
	} cases[] = {
		{ "30", 29.99, 365, 1 },  { "30", 30, 365, 0 },     { "30", 400, 365, 0 },
		{ "30:", 29, 365, 1 },    { "@0:30", 10, 365, 1 },  { "@0:30", 31, 365, 0 },
		{ "~:400", 401, 800, 1 }, { "~:400", 399, 800, 0 }, { "0", -0.5, 365, 1 },
		{ "0", 0.5, 365, 0 },     { "2.5", 2.4, 365, 1 },   { "20%", 19.9, 100, 1 },
		{ "20%", 20, 100, 0 },    { "20%", 9, 47, 1 },      { "20%", 10, 47, 0 },
		{ "12.5%", 12, 100, 1 },  { "100%", 99, 100, 1 },
	};
	static const char *const bad[] = {
		"",
		"abc",
		"0%",
		"101%",
		"x%",
		"%",
		"-5%",
		"30:10",
		"30d",
		"20 %",
		"1e999",
		"@",
		"0123456789012345678901234567890123456789012345678",
	};
	struct eas_expiry_th th;
	char err[256], buf[48];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int ok = eas_expiry_th_parse(cases[i].text, &th, err, sizeof err) == 0;

		TAP_OK(t,
		       ok && eas_expiry_th_alert(&th, cases[i].days, cases[i].life) ==
				       cases[i].alert,
		       "-w %s with %g of %g days left %s", cases[i].text, cases[i].days,
		       cases[i].life, cases[i].alert ? "alerts" : "does not alert");
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = 0;
		TAP_OK(t, eas_expiry_th_parse(bad[i], &th, err, sizeof err) != 0 && err[0],
		       "'%s' is rejected (%s)", bad[i], err);
	}
	eas_expiry_th_parse("abc", &th, err, sizeof err);
	TAP_OK(t, strstr(err, "'abc'") && strstr(err, "20%"),
	       "the error names the text and the forms: %s", err);

	eas_expiry_th_parse("30", &th, err, sizeof err);
	eas_expiry_th_text(&th, 365, buf, sizeof buf);
	TAP_OK(t, !strcmp(buf, "30:"), "perfdata of 30 is '30:' (%s)", buf);
	eas_expiry_th_parse("@0:30", &th, err, sizeof err);
	eas_expiry_th_text(&th, 365, buf, sizeof buf);
	TAP_OK(t, !strcmp(buf, "@0:30"), "perfdata of a range is the range (%s)", buf);
	eas_expiry_th_parse("20%", &th, err, sizeof err);
	eas_expiry_th_text(&th, 365, buf, sizeof buf);
	TAP_OK(t, !strcmp(buf, "73:"), "20%% of 365 days is '73:' (%s)", buf);
	eas_expiry_th_text(&th, 47, buf, sizeof buf);
	TAP_OK(t, !strcmp(buf, "9.4:"), "20%% of 47 days is '9.4:' (%s)", buf);
	eas_expiry_th_text(&th, 10.005, buf, sizeof buf);
	TAP_OK(t, !strcmp(buf, "2:"), "20%% of 10.005 days is '2:' (%s)", buf);

	TAP_OK(t, eas_expiry_days(4.99) == 4, "4.99 days show as 4");
	TAP_OK(t, eas_expiry_days(-3.01) == -3, "-3.01 days show as -3");
	TAP_OK(t, eas_expiry_days(0.5) == 0, "0.5 days show as 0");
}

static struct eas_expiry_rules rules(const char *w, const char *c)
{
	struct eas_expiry_rules r;
	char err[256];

	eas_expiry_th_parse(w, &r.warn, err, sizeof err);
	eas_expiry_th_parse(c, &r.crit, err, sizeof err);
	return r;
}

static void test_judge(struct tap *t)
{
	struct eas_expiry_rules def = rules("30", "14"), pct = rules("20%", "10%");
	struct eas_certinfo ci;
	struct eas_verdict v;

	ci = cert(200, 365);
	TAP_OK(t,
	       eas_expiry_judge(&def, &ci, EAS_ROLE_LEAF, "leaf a", &v) == EAS_OK &&
		       !strcmp(v.expiry, "leaf a expires in 200 days (2026-01-01)") && !v.weak[0],
	       "200 days left: OK, '%s'", v.expiry);
	ci = cert(20.5, 365);
	TAP_OK(t,
	       eas_expiry_judge(&def, &ci, EAS_ROLE_LEAF, "leaf a", &v) == EAS_WARNING &&
		       v.expiry_state == EAS_WARNING,
	       "20 days: WARNING");
	ci = cert(5.9, 365);
	TAP_OK(t,
	       eas_expiry_judge(&def, &ci, EAS_ROLE_INTERMEDIATE, "intermediate b", &v) ==
			       EAS_CRITICAL &&
		       !strcmp(v.expiry, "intermediate b expires in 5 days (2026-01-01)"),
	       "5.9 days: CRITICAL, '%s'", v.expiry);
	ci = cert(1.5, 365);
	eas_expiry_judge(&def, &ci, EAS_ROLE_LEAF, "leaf a", &v);
	TAP_OK(t, strstr(v.expiry, "in 1 day (") != NULL, "singular day: '%s'", v.expiry);
	ci = cert(0.2, 365);
	eas_expiry_judge(&def, &ci, EAS_ROLE_LEAF, "leaf a", &v);
	TAP_OK(t, strstr(v.expiry, "less than a day") != NULL, "under a day: '%s'", v.expiry);
	ci = cert(-3.2, 365);
	TAP_OK(t,
	       eas_expiry_judge(&def, &ci, EAS_ROLE_LEAF, "leaf a", &v) == EAS_CRITICAL &&
		       !strcmp(v.expiry, "leaf a expired 3 days ago (2026-01-01)"),
	       "expired: CRITICAL, '%s'", v.expiry);
	ci = cert(-0.2, 365);
	eas_expiry_judge(&def, &ci, EAS_ROLE_LEAF, "leaf a", &v);
	TAP_OK(t, strstr(v.expiry, "expired today") != NULL, "expired hours ago: '%s'", v.expiry);
	ci = cert(395.5, 365);
	TAP_OK(t,
	       eas_expiry_judge(&def, &ci, EAS_ROLE_LEAF, "leaf a", &v) == EAS_CRITICAL &&
		       strstr(v.expiry, "not valid yet: not before 2025-01-01 (in 30 days)"),
	       "not yet valid: CRITICAL, '%s'", v.expiry);
	/* A never-alerting range must not hide expiry. */
	{
		struct eas_expiry_rules never = rules("@1000:2000", "@1000:2000");

		ci = cert(-1.5, 365);
		TAP_OK(t, eas_expiry_judge(&never, &ci, EAS_ROLE_LEAF, "x", &v) == EAS_CRITICAL,
		       "expired is CRITICAL whatever the thresholds");
	}

	ci = cert(40, 365);
	TAP_OK(t,
	       eas_expiry_judge(&pct, &ci, EAS_ROLE_LEAF, "leaf a", &v) == EAS_WARNING &&
		       strstr(v.expiry, "11% of its lifetime left"),
	       "20%%: 40 of 365 days is WARNING, '%s'", v.expiry);
	ci = cert(30, 47);
	TAP_OK(t,
	       eas_expiry_judge(&pct, &ci, EAS_ROLE_LEAF, "leaf a", &v) == EAS_OK &&
		       !strstr(v.expiry, "lifetime"),
	       "20%%: 30 of 47 days is OK");
	ci = cert(4, 47);
	TAP_OK(t, eas_expiry_judge(&pct, &ci, EAS_ROLE_LEAF, "leaf a", &v) == EAS_CRITICAL,
	       "10%%: 4 of 47 days is CRITICAL");

	ci = cert(200, 365);
	ci.key_bits = 1024;
	TAP_OK(t,
	       eas_expiry_judge(&def, &ci, EAS_ROLE_LEAF, "leaf a", &v) == EAS_WARNING &&
		       v.expiry_state == EAS_OK && !strcmp(v.weak, "leaf a: weak RSA-1024 key"),
	       "RSA-1024: WARNING, '%s'", v.weak);
	ci.sha1 = true;
	eas_expiry_judge(&def, &ci, EAS_ROLE_LEAF, "leaf a", &v);
	TAP_OK(t, !strcmp(v.weak, "leaf a: weak RSA-1024 key and SHA-1 signature"),
	       "both weaknesses: '%s'", v.weak);
	ci = cert(200, 365);
	ci.sha1 = true;
	TAP_OK(t,
	       eas_expiry_judge(&def, &ci, EAS_ROLE_INTERMEDIATE, "intermediate b", &v) ==
			       EAS_WARNING &&
		       !strcmp(v.weak, "intermediate b: SHA-1 signature"),
	       "SHA-1 intermediate: WARNING");
	ci.self_signed = true;
	TAP_OK(t, eas_expiry_judge(&def, &ci, EAS_ROLE_ROOT, "root c", &v) == EAS_OK,
	       "SHA-1 self-signature of a root: OK");
	TAP_OK(t, eas_expiry_judge(&def, &ci, EAS_ROLE_LEAF, "leaf a", &v) == EAS_WARNING,
	       "SHA-1 self-signed leaf: WARNING");
	ci = cert(200, 365);
	strcpy(ci.key_type, "EC");
	ci.key_bits = 256;
	TAP_OK(t, eas_expiry_judge(&def, &ci, EAS_ROLE_LEAF, "leaf a", &v) == EAS_OK,
	       "EC-256 is not a weak RSA key");
	ci = cert(3, 365);
	ci.key_bits = 1024;
	TAP_OK(t,
	       eas_expiry_judge(&def, &ci, EAS_ROLE_CLIENT, "c", &v) == EAS_CRITICAL &&
		       v.weak_state == EAS_WARNING,
	       "expiring and weak: CRITICAL, weakness kept");
}

static void test_labels(struct tap *t)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "check-eas Test Root CA", "check_eas_test_root_ca" },
		{ "client.p12", "client_p12" },
		{ "leaf", "leaf" },
		{ "  --Foo--  ", "foo" },
		{ "R3", "r3" },
		{ "", "cert" },
		{ "ÄÖÜ", "cert" },
		{ "Let's Encrypt 'R3'=x|y", "let_s_encrypt_r3_x_y" },
	};
	char buf[56];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		eas_expiry_label(cases[i].in, buf, sizeof buf);
		TAP_OK(t, !strcmp(buf, cases[i].out), "label '%s' -> '%s' (%s)", cases[i].in,
		       cases[i].out, buf);
	}
	eas_expiry_label("a very long common name that goes on and on and on and on", buf, 16);
	TAP_OK(t, strlen(buf) == 15 && buf[14] != '_', "long label truncated to fit (%s)", buf);
}

/* A self-signed certificate with CN and the given SANs ("DNS:a,IP:1.2.3.4"). */
static X509 *make_cert(EVP_PKEY *key, const char *cn, const char *san)
{
	X509 *x = X509_new();
	X509_NAME *n = X509_get_subject_name(x);
	X509V3_CTX v3;

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, n);
	X509_set_pubkey(x, key);
	if (san) {
		X509_EXTENSION *ext;

		X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
		ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, san);
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
	}
	X509_sign(x, key, EVP_sha256());
	return x;
}

static void test_hostmatch(struct tap *t)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	static const struct {
		const char *cn, *san, *host;
		enum eas_hostmatch want;
		const char *names;
	} cases[] = {
		{ "a.example.com", "DNS:a.example.com,DNS:b.example.com", "b.example.com",
		  EAS_HOST_SAN, "DNS:a.example.com, DNS:b.example.com" },
		{ "a.example.com", "DNS:*.example.com", "mail.example.com", EAS_HOST_SAN, NULL },
		{ "a.example.com", "DNS:*.example.com", "a.b.example.com", EAS_HOST_MISMATCH,
		  NULL },
		{ "a.example.com", "DNS:m*.example.com", "mail.example.com", EAS_HOST_MISMATCH,
		  NULL },
		{ "a.example.com", "DNS:A.Example.COM", "a.example.com", EAS_HOST_SAN, NULL },
		{ "localhost", "DNS:wrong.example.net", "localhost", EAS_HOST_MISMATCH,
		  "DNS:wrong.example.net" },
		{ "localhost", NULL, "localhost", EAS_HOST_CN, "CN=localhost" },
		{ "localhost", NULL, "other", EAS_HOST_MISMATCH, "CN=localhost" },
		{ "localhost", "email:x@example.com", "localhost", EAS_HOST_CN, NULL },
		{ "localhost", "IP:127.0.0.1", "localhost", EAS_HOST_CN, NULL },
		{ "x", "DNS:localhost,IP:127.0.0.1", "127.0.0.1", EAS_HOST_SAN,
		  "DNS:localhost, IP:127.0.0.1" },
		{ "x", "DNS:localhost,IP:127.0.0.1", "127.0.0.2", EAS_HOST_MISMATCH, NULL },
		{ "x", "IP:::1", "[::1]", EAS_HOST_SAN, "IP:::1" },
		{ "x", "IP:::1", "::1", EAS_HOST_SAN, NULL },
		{ "127.0.0.1", NULL, "127.0.0.1", EAS_HOST_CN, NULL },
		{ "127.0.0.1", "DNS:localhost", "127.0.0.1", EAS_HOST_MISMATCH, NULL },
	};
	char names[256], why[320];

	for (size_t i = 0; key && i < sizeof cases / sizeof cases[0]; i++) {
		X509 *x = make_cert(key, cases[i].cn, cases[i].san);
		enum eas_hostmatch m = eas_hostmatch_check(x, cases[i].host, names, sizeof names);

		TAP_OK(t, m == cases[i].want && (!cases[i].names || !strcmp(names, cases[i].names)),
		       "host %s against CN=%s SAN=%s: %d (%s)", cases[i].host, cases[i].cn,
		       cases[i].san ? cases[i].san : "-", (int)m, names);
		X509_free(x);
	}
	TAP_OK(t, key != NULL, "EC key for the test certificates");
	EVP_PKEY_free(key);

	eas_verify_reason(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, why, sizeof why);
	TAP_OK(t,
	       strstr(why, "unable to get local issuer certificate: the server "
			   "does not send its intermediate") != NULL,
	       "verify reason: %s", why);
	eas_verify_reason(X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, why, sizeof why);
	TAP_OK(t, strstr(why, "self-signed") != NULL, "self-signed reason: %s", why);
	TAP_OK(t,
	       eas_verify_is_weakness(X509_V_ERR_EE_KEY_TOO_SMALL) &&
		       eas_verify_is_weakness(X509_V_ERR_CA_MD_TOO_WEAK) &&
		       !eas_verify_is_weakness(X509_V_ERR_CERT_HAS_EXPIRED),
	       "key-size and digest errors are weaknesses, expiry is not");
}

int main(void)
{
	struct tap t = { 0 };

	test_thresholds(&t);
	test_judge(&t);
	test_labels(&t);
	test_hostmatch(&t);
	return tap_done(&t);
}
