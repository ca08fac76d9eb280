/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pure parts of the authentication checks: classifying one probe's
 * outcome, the policy table, and judging outcomes against it. */
#include <openssl/ssl.h>

#include "auth/authverdict.h"
#include "auth/authpolicy.h"
#include "tap.h"

#define IIS(code) "<h3>HTTP Error " code " - Forbidden</h3>"

static const char *const eas_versions = "2.0,2.1,2.5,12.0,12.1,14.0,14.1,16.0,16.1";
static const char *const eas_commands = "Sync,FolderSync,Provision";

/* A finished HTTP exchange, from IIS as the test servers play it
 * (X-Powered-By: ASP.NET: its sub-statuses count). */
static struct eas_response http(long status, const char *body, bool eas, bool cert_requested)
{
	struct eas_response r = { 0 };

	r.status = status;
	r.body = (char *)body;
	r.hdr[EAS_HDR_POWERED_BY] = (char *)"ASP.NET";
	r.tls.alert_received = r.tls.alert_sent = -1;
	r.tls.cert_requested = cert_requested;
	if (eas) {
		r.hdr[EAS_HDR_VERSIONS] = (char *)eas_versions;
		r.hdr[EAS_HDR_COMMANDS] = (char *)eas_commands;
		r.hdr[EAS_HDR_EAS_SERVER] = (char *)"15.1";
	}
	return r;
}

static struct eas_response failed(enum eas_fail f, int alert, bool requested)
{
	struct eas_response r = { 0 };

	r.fail = f;
	r.tls.alert_received = alert;
	r.tls.alert_sent = -1;
	r.tls.cert_requested = requested;
	snprintf(r.what, sizeof r.what, "what the probe said");
	return r;
}

static bool has(const char *s, const char *needle)
{
	return strstr(s, needle) != NULL;
}

static void test_classify(struct tap *t)
{
	struct eas_auth_outcome oc;
	struct eas_response r;
	char buf[128];

	r = http(200, NULL, true, true);
	eas_auth_classify(&r, EAS_CRED_CERT, &oc);
	TAP_OK(t, oc.verdict == EAS_AUTH_ACCEPTED && oc.reason == EAS_AR_OK && !oc.cert_not_asked,
	       "200 + EAS headers, cert requested: accepted");
	eas_auth_server_text(&r, buf, sizeof buf);
	TAP_OK(t, !strcmp(buf, "ActiveSync 15.1, protocol 16.1"), "server text: %s", buf);

	r = http(200, NULL, true, false);
	eas_auth_classify(&r, EAS_CRED_CERT, &oc);
	TAP_OK(t, oc.verdict == EAS_AUTH_ACCEPTED && oc.cert_not_asked,
	       "200 with a cert nobody asked for: accepted, cert_not_asked");
	eas_auth_classify(&r, EAS_CRED_BASIC, &oc);
	TAP_OK(t, !oc.cert_not_asked, "cert_not_asked only when we had a cert");

	r = http(200, "<html>login</html>", false, false);
	eas_auth_classify(&r, 0, &oc);
	TAP_OK(t, oc.verdict == EAS_AUTH_BROKEN && oc.reason == EAS_AR_HTTP_OTHER,
	       "200 without EAS headers (login page): no verdict");

	r = http(401, NULL, false, false);
	eas_auth_classify(&r, EAS_CRED_BASIC, &oc);
	TAP_OK(t,
	       oc.verdict == EAS_AUTH_REFUSED && oc.reason == EAS_AR_401 &&
		       has(oc.brief, "credentials rejected") && has(oc.text, "wrong password"),
	       "401 with basic: credentials rejected: %s", oc.text);
	eas_auth_classify(&r, 0, &oc);
	TAP_OK(t, has(oc.brief, "credentials required"), "401 anonymous: credentials required");
	r.tls.cert_requested = true;
	eas_auth_classify(&r, EAS_CRED_CERT, &oc);
	TAP_OK(t, has(oc.text, "certificate alone is not enough"),
	       "401 after our cert was taken: wants a password too: %s", oc.text);

	r = http(401, "<h3>HTTP Error 401.2 - Unauthorized</h3>", false, true);
	eas_auth_classify(&r, EAS_CRED_CERT | EAS_CRED_BASIC, &oc);
	TAP_OK(t,
	       oc.verdict == EAS_AUTH_REFUSED && oc.reason == EAS_AR_401_2 && oc.substatus == 2 &&
		       !strcmp(oc.brief, "401.2, certificate mapping") &&
		       has(oc.text, "not mapped"),
	       "401.2: certificate mapping: %s", oc.text);

	r = http(403, IIS("403.7"), false, false);
	eas_auth_classify(&r, 0, &oc);
	TAP_OK(t,
	       oc.reason == EAS_AR_403_7 && oc.verdict == EAS_AUTH_REFUSED &&
		       has(oc.text, "none was sent"),
	       "403.7 anonymous: %s", oc.text);
	eas_auth_classify(&r, EAS_CRED_CERT, &oc);
	TAP_OK(t, oc.reason == EAS_AR_403_7 && oc.cert_not_asked && has(oc.text, "never asked"),
	       "403.7 with a cert never asked for: %s", oc.text);

	r = http(403, IIS("403.16"), false, true);
	eas_auth_classify(&r, EAS_CRED_CERT, &oc);
	TAP_OK(t, oc.reason == EAS_AR_403_16 && has(oc.text, "untrusted"),
	       "403.16: untrusted certificate");
	r = http(403, IIS("403.17"), false, true);
	eas_auth_classify(&r, EAS_CRED_CERT, &oc);
	TAP_OK(t, oc.reason == EAS_AR_403_17 && has(oc.brief, "expired"),
	       "403.17: expired certificate");
	r = http(403, IIS("403.4"), false, false);
	eas_auth_classify(&r, EAS_CRED_BASIC, &oc);
	TAP_OK(t, oc.verdict == EAS_AUTH_BROKEN, "403.4 (SSL required): no verdict");

	r = http(403, "<h1>Forbidden</h1>", false, true);
	eas_auth_classify(&r, EAS_CRED_BASIC, &oc);
	TAP_OK(t,
	       oc.reason == EAS_AR_403 && has(oc.brief, "client certificate required") &&
		       has(oc.text, "asked for a client certificate"),
	       "plain 403 after a certificate request we could not answer: %s", oc.text);
	r.tls.cert_requested = false;
	eas_auth_classify(&r, EAS_CRED_BASIC, &oc);
	TAP_OK(t, !strcmp(oc.brief, "403, forbidden"), "plain 403: forbidden");

	r = http(451, NULL, false, false);
	eas_auth_classify(&r, EAS_CRED_BASIC, &oc);
	TAP_OK(t, oc.verdict == EAS_AUTH_ACCEPTED && oc.reason == EAS_AR_ELSEWHERE,
	       "451: authenticated, served elsewhere");
	r = http(500, NULL, false, false);
	eas_auth_classify(&r, EAS_CRED_BASIC, &oc);
	TAP_OK(t, oc.verdict == EAS_AUTH_BROKEN && has(oc.brief, "HTTP 500"),
	       "500: no verdict (%s)", oc.brief);

	r = failed(EAS_FAIL_CLIENT_CERT, SSL_AD_UNKNOWN_CA, true);
	eas_auth_classify(&r, EAS_CRED_CERT, &oc);
	TAP_OK(t,
	       oc.verdict == EAS_AUTH_REFUSED && oc.reason == EAS_AR_TLS_CERT &&
		       has(oc.brief, "alert: unknown CA"),
	       "TLS alert unknown CA: refused (%s)", oc.brief);
	r = failed(EAS_FAIL_CLIENT_CERT, SSL_AD_CERTIFICATE_REQUIRED, true);
	eas_auth_classify(&r, 0, &oc);
	TAP_OK(t, oc.verdict == EAS_AUTH_REFUSED && has(oc.brief, "alert: certificate required"),
	       "TLS alert certificate required, anonymous: refused (%s)", oc.brief);
	r = failed(EAS_FAIL_REFUSED, -1, false);
	eas_auth_classify(&r, EAS_CRED_CERT, &oc);
	TAP_OK(t,
	       oc.verdict == EAS_AUTH_BROKEN && oc.reason == EAS_AR_TRANSPORT &&
		       !strcmp(oc.text, "what the probe said") && !oc.cert_not_asked,
	       "connection refused: no verdict, the probe's words");
	TAP_OK(t, eas_fail_state(oc.fail, EAS_UNKNOWN) == EAS_CRITICAL,
	       "transport failure is CRITICAL");
	r = failed(EAS_FAIL_TIMEOUT, -1, false);
	eas_auth_classify(&r, 0, &oc);
	TAP_OK(t, eas_fail_state(oc.fail, EAS_WARNING) == EAS_WARNING,
	       "timeout takes the -t state");
	r = failed(EAS_FAIL_SETUP, -1, false);
	eas_auth_classify(&r, 0, &oc);
	TAP_OK(t, eas_fail_state(oc.fail, EAS_CRITICAL) == EAS_UNKNOWN,
	       "our own setup problem is UNKNOWN");
}

static void test_table(struct tap *t)
{
	static const struct {
		const char *policy;
		/* anon, basic, cert, cert+basic, bearer, cert+bearer */
		const char *expect;
	} rows[] = {
		{ "basic", "RARAXX" },         { "cert", "RRAXXX" },   { "cert+basic", "RRRAXX" },
		{ "cert-or-basic", "RAAAXX" }, { "bearer", "RRRRAA" }, { "cert+bearer", "RRRRRA" },
	};
	enum eas_policy p;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char got[EAS_AUTHPROBE_COUNT + 1] = "";

		TAP_OK(t,
		       eas_policy_parse(rows[i].policy, &p) == 0 &&
			       !strcmp(eas_policy_name(p), rows[i].policy),
		       "policy %s parses", rows[i].policy);
		for (int k = 0; k < EAS_AUTHPROBE_COUNT; k++) {
			enum eas_expect e = eas_policy_expect(p, (enum eas_authprobe)k);

			got[k] = e == EAS_EXPECT_ACCEPTED  ? 'A'
				 : e == EAS_EXPECT_REFUSED ? 'R'
							   : 'X';
		}
		TAP_OK(t, !strcmp(got, rows[i].expect), "policy %s expects %s (got %s)",
		       rows[i].policy, rows[i].expect, got);
	}
	TAP_OK(t, eas_policy_parse("certificate", &p) == -1, "unknown policy refused");
	TAP_OK(t, eas_policy_parse("", &p) == -1, "empty policy refused");
	TAP_OK(t,
	       eas_policy_needs(EAS_POL_BASIC) == EAS_CRED_BASIC &&
		       eas_policy_needs(EAS_POL_CERT) == EAS_CRED_CERT &&
		       eas_policy_needs(EAS_POL_CERT_BASIC) == (EAS_CRED_CERT | EAS_CRED_BASIC) &&
		       eas_policy_needs(EAS_POL_CERT_OR_BASIC) ==
			       (EAS_CRED_CERT | EAS_CRED_BASIC) &&
		       eas_policy_needs(EAS_POL_BEARER) == EAS_CRED_BEARER &&
		       eas_policy_needs(EAS_POL_CERT_BEARER) == (EAS_CRED_CERT | EAS_CRED_BEARER),
	       "each policy needs the credentials it names (Basic to be refused: when given)");
	TAP_OK(t,
	       !strcmp(eas_policy_desc(EAS_POL_BEARER), "bearer only") &&
		       !strcmp(eas_policy_desc(EAS_POL_CERT_BEARER), "cert+bearer (two factors)"),
	       "the bearer policies in words");
	TAP_OK(t,
	       eas_authprobe_creds(EAS_AUTHPROBE_ANON) == 0 &&
		       eas_authprobe_creds(EAS_AUTHPROBE_CERT_BASIC) ==
			       (EAS_CRED_CERT | EAS_CRED_BASIC),
	       "probe credentials");
	TAP_OK(t,
	       !strcmp(eas_authprobe_label(EAS_AUTHPROBE_ANON), "anon") &&
		       !strcmp(eas_authprobe_label(EAS_AUTHPROBE_CERT_BASIC), "certbasic") &&
		       !strcmp(eas_authprobe_label(EAS_AUTHPROBE_BEARER), "bearer") &&
		       !strcmp(eas_authprobe_label(EAS_AUTHPROBE_CERT_BEARER), "certbearer"),
	       "perfdata prefixes");
	TAP_OK(t,
	       eas_authprobe_creds(EAS_AUTHPROBE_BEARER) == EAS_CRED_BEARER &&
		       eas_authprobe_creds(EAS_AUTHPROBE_CERT_BEARER) ==
			       (EAS_CRED_CERT | EAS_CRED_BEARER) &&
		       !strcmp(eas_authprobe_name(EAS_AUTHPROBE_CERT_BEARER), "cert+bearer"),
	       "the bearer probes' credentials and names");
}

static struct eas_auth_outcome outcome(enum eas_auth_verdict v, enum eas_auth_reason r,
				       const char *brief)
{
	struct eas_auth_outcome oc = { 0 };

	oc.verdict = v;
	oc.reason = r;
	oc.substatus = -1;
	snprintf(oc.brief, sizeof oc.brief, "%s", brief);
	snprintf(oc.text, sizeof oc.text, "the long text");
	return oc;
}

static void test_judge(struct tap *t)
{
	struct eas_auth_outcome ok = outcome(EAS_AUTH_ACCEPTED, EAS_AR_OK, "200");
	struct eas_auth_outcome no =
		outcome(EAS_AUTH_REFUSED, EAS_AR_401, "401, credentials required");
	struct eas_auth_outcome map =
		outcome(EAS_AUTH_REFUSED, EAS_AR_401_2, "401.2, certificate mapping");
	struct eas_auth_outcome down =
		outcome(EAS_AUTH_BROKEN, EAS_AR_TRANSPORT, "connection refused");
	struct eas_auth_outcome slow = outcome(EAS_AUTH_BROKEN, EAS_AR_TRANSPORT, "timeout");
	struct eas_judgement j;

	down.fail = EAS_FAIL_REFUSED;
	slow.fail = EAS_FAIL_TIMEOUT;
	eas_policy_judge(EAS_POL_CERT, EAS_AUTHPROBE_BASIC, &ok, EAS_UNKNOWN, &j);
	TAP_OK(t,
	       j.state == EAS_CRITICAL && j.regression &&
		       !strcmp(j.line, "basic auth accepted although policy is cert only"),
	       "forbidden method works: %s", j.line);
	eas_policy_judge(EAS_POL_CERT_BASIC, EAS_AUTHPROBE_CERT_BASIC, &map, EAS_UNKNOWN, &j);
	TAP_OK(t,
	       j.state == EAS_CRITICAL && j.regression &&
		       !strcmp(j.line, "cert+basic refused: 401.2, certificate mapping"),
	       "allowed method stopped working: %s", j.line);
	eas_policy_judge(EAS_POL_BASIC, EAS_AUTHPROBE_CERT, &ok, EAS_UNKNOWN, &j);
	TAP_OK(t, j.state == EAS_CRITICAL && strstr(j.line, "cert alone accepted"),
	       "cert alone under basic only: %s", j.line);
	eas_policy_judge(EAS_POL_CERT_OR_BASIC, EAS_AUTHPROBE_ANON, &ok, EAS_UNKNOWN, &j);
	TAP_OK(t,
	       j.state == EAS_CRITICAL &&
		       !strcmp(j.line,
			       "anonymous access accepted although policy is cert or basic (fallback)"),
	       "anonymous open under fallback: %s", j.line);

	eas_policy_judge(EAS_POL_CERT, EAS_AUTHPROBE_ANON, &no, EAS_UNKNOWN, &j);
	TAP_OK(t, j.state == EAS_OK && !j.regression && strstr(j.line, "as expected"),
	       "refused as expected: %s", j.line);
	eas_policy_judge(EAS_POL_CERT, EAS_AUTHPROBE_CERT, &ok, EAS_UNKNOWN, &j);
	TAP_OK(t, j.state == EAS_OK, "accepted as expected: %s", j.line);
	eas_policy_judge(EAS_POL_CERT, EAS_AUTHPROBE_CERT_BASIC, &ok, EAS_UNKNOWN, &j);
	TAP_OK(t, j.state == EAS_OK && strstr(j.line, "either is fine"),
	       "cert+basic accepted under cert only is fine: %s", j.line);
	eas_policy_judge(EAS_POL_CERT, EAS_AUTHPROBE_CERT_BASIC, &no, EAS_UNKNOWN, &j);
	TAP_OK(t, j.state == EAS_OK, "cert+basic refused under cert only is fine too");

	ok.cert_not_asked = true;
	eas_policy_judge(EAS_POL_CERT, EAS_AUTHPROBE_CERT, &ok, EAS_UNKNOWN, &j);
	TAP_OK(t,
	       j.state == EAS_CRITICAL && j.regression &&
		       strstr(j.line, "never asked for the client certificate"),
	       "cert accepted without being asked for: %s", j.line);
	eas_policy_judge(EAS_POL_CERT_OR_BASIC, EAS_AUTHPROBE_CERT_BASIC, &ok, EAS_UNKNOWN, &j);
	TAP_OK(t, j.state == EAS_OK, "fallback: cert+basic may get in on the password alone");
	eas_policy_judge(EAS_POL_BASIC, EAS_AUTHPROBE_CERT_BASIC, &ok, EAS_UNKNOWN, &j);
	TAP_OK(t, j.state == EAS_OK, "basic only: certificates are ignored");

	eas_policy_judge(EAS_POL_BASIC, EAS_AUTHPROBE_BASIC, &down, EAS_UNKNOWN, &j);
	TAP_OK(t,
	       j.state == EAS_CRITICAL && !j.regression &&
		       !strcmp(j.line, "basic probe: the long text"),
	       "transport failure: CRITICAL, not a regression: %s", j.line);
	eas_policy_judge(EAS_POL_BASIC, EAS_AUTHPROBE_ANON, &slow, EAS_WARNING, &j);
	TAP_OK(t, j.state == EAS_WARNING, "timeout takes the -t state");
}

/* Modern auth: the verdicts of the bearer policies. */
static void test_judge_bearer(struct tap *t)
{
	struct eas_auth_outcome ok = outcome(EAS_AUTH_ACCEPTED, EAS_AR_OK, "200");
	struct eas_auth_outcome no =
		outcome(EAS_AUTH_REFUSED, EAS_AR_401, "401, bearer token rejected");
	struct eas_judgement j;
	struct eas_response r;

	eas_policy_judge(EAS_POL_BEARER, EAS_AUTHPROBE_BEARER, &ok, EAS_UNKNOWN, &j);
	TAP_OK(t, j.state == EAS_OK && !strcmp(j.line, "bearer accepted as expected: 200"),
	       "bearer only: the token gets in: %s", j.line);
	eas_policy_judge(EAS_POL_BEARER, EAS_AUTHPROBE_BASIC, &ok, EAS_UNKNOWN, &j);
	TAP_OK(t,
	       j.state == EAS_CRITICAL && j.regression &&
		       !strcmp(j.line, "basic auth accepted although policy is bearer only"),
	       "bearer only: Basic accepted is a regression: %s", j.line);
	eas_policy_judge(EAS_POL_BEARER, EAS_AUTHPROBE_ANON, &ok, EAS_UNKNOWN, &j);
	TAP_OK(t,
	       j.state == EAS_CRITICAL &&
		       !strcmp(j.line, "anonymous access accepted although policy is bearer only"),
	       "bearer only: anonymous accepted: %s", j.line);
	eas_policy_judge(EAS_POL_BEARER, EAS_AUTHPROBE_BEARER, &no, EAS_UNKNOWN, &j);
	TAP_OK(t,
	       j.state == EAS_CRITICAL && j.regression &&
		       !strcmp(j.line, "bearer token refused: 401, bearer token rejected"),
	       "bearer only: the token refused: %s", j.line);
	eas_policy_judge(EAS_POL_BEARER, EAS_AUTHPROBE_BASIC, &no, EAS_UNKNOWN, &j);
	TAP_OK(t, j.state == EAS_OK && !j.regression, "bearer only: Basic refused as expected");
	eas_policy_judge(EAS_POL_BEARER, EAS_AUTHPROBE_CERT_BEARER, &ok, EAS_UNKNOWN, &j);
	TAP_OK(t, j.state == EAS_OK, "bearer only: a device with a certificate too gets in");
	eas_policy_judge(EAS_POL_CERT_BEARER, EAS_AUTHPROBE_BEARER, &ok, EAS_UNKNOWN, &j);
	TAP_OK(t,
	       j.state == EAS_CRITICAL &&
		       !strcmp(j.line,
			       "bearer token accepted although policy is cert+bearer (two factors)"),
	       "cert+bearer: the token alone accepted: %s", j.line);
	eas_policy_judge(EAS_POL_CERT_BEARER, EAS_AUTHPROBE_CERT_BEARER, &ok, EAS_UNKNOWN, &j);
	TAP_OK(t, j.state == EAS_OK, "cert+bearer: both get in");
	ok.cert_not_asked = true;
	eas_policy_judge(EAS_POL_CERT_BEARER, EAS_AUTHPROBE_CERT_BEARER, &ok, EAS_UNKNOWN, &j);
	TAP_OK(t,
	       j.state == EAS_CRITICAL &&
		       !strcmp(j.line,
			       "cert+bearer accepted but the server never asked for the client certificate (policy cert+bearer (two factors))"),
	       "cert+bearer: accepted without the certificate being asked for: %s", j.line);
	eas_policy_judge(EAS_POL_BASIC, EAS_AUTHPROBE_BEARER, &ok, EAS_UNKNOWN, &j);
	TAP_OK(t, j.state == EAS_OK && strstr(j.line, "either is fine"),
	       "basic only says nothing of a token (hybrid takes both): %s", j.line);

	r = http(401, NULL, false, false);
	eas_auth_classify(&r, EAS_CRED_BEARER, &no);
	TAP_OK(t,
	       no.verdict == EAS_AUTH_REFUSED && !strcmp(no.brief, "401, bearer token rejected") &&
		       strstr(no.text, "the bearer token was rejected"),
	       "401 to a bearer token: the token rejected, in words (%s)", no.brief);
}

int main(void)
{
	struct tap t = { 0 };

	test_classify(&t);
	test_table(&t);
	test_judge(&t);
	test_judge_bearer(&t);
	return tap_done(&t);
}
