/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "auth/authpolicy.h"

#include <stdio.h>
#include <string.h>

#define A EAS_EXPECT_ACCEPTED
#define R EAS_EXPECT_REFUSED
#define X EAS_EXPECT_ANY

static const struct {
	const char *name, *desc;
	/* anon, basic, cert, cert+basic, bearer, cert+bearer */
	enum eas_expect expect[EAS_AUTHPROBE_COUNT];
} policies[EAS_POL_COUNT] = {
	/* Certificates ignored: a certificate alone is as good as nothing,
	 * and a device with both still gets in on its password. The
	 * policies without a token say nothing of one (hybrid Exchange takes
	 * both): its probes, when a token is given, may go either way. */
	[EAS_POL_BASIC] = { "basic", "basic only", { R, A, R, A, X, X } },
	/* Basic off: IIS ignores an Authorization header it does not use,
	 * others refuse it, so cert+basic may go either way. */
	[EAS_POL_CERT] = { "cert", "cert only", { R, R, A, X, X, X } },
	[EAS_POL_CERT_BASIC] = { "cert+basic", "cert+basic (two factors)", { R, R, R, A, X, X } },
	/* A device with both configured must still get in. */
	[EAS_POL_CERT_OR_BASIC] = { "cert-or-basic",
				    "cert or basic (fallback)",
				    { R, A, A, A, X, X } },
	/* Modern auth (Exchange Online, hybrid modern auth): the token gets
	 * in, Basic stays refused even with the right password; a
	 * certificate alone is nothing, and a device that also has one still
	 * gets in on its token. */
	[EAS_POL_BEARER] = { "bearer", "bearer only", { R, R, R, R, A, A } },
	[EAS_POL_CERT_BEARER] = { "cert+bearer",
				  "cert+bearer (two factors)",
				  { R, R, R, R, R, A } },
};

#undef A
#undef R
#undef X

static const struct {
	const char *name, *label, *subject, *alone;
	unsigned creds;
} probes[EAS_AUTHPROBE_COUNT] = {
	[EAS_AUTHPROBE_ANON] = { "anonymous", "anon", "anonymous access", "anonymous access", 0 },
	[EAS_AUTHPROBE_BASIC] = { "basic", "basic", "basic auth", "basic auth", EAS_CRED_BASIC },
	[EAS_AUTHPROBE_CERT] = { "cert", "cert", "cert", "cert alone", EAS_CRED_CERT },
	[EAS_AUTHPROBE_CERT_BASIC] = { "cert+basic", "certbasic", "cert+basic", "cert+basic",
				       EAS_CRED_CERT | EAS_CRED_BASIC },
	[EAS_AUTHPROBE_BEARER] = { "bearer", "bearer", "bearer token", "bearer token",
				   EAS_CRED_BEARER },
	[EAS_AUTHPROBE_CERT_BEARER] = { "cert+bearer", "certbearer", "cert+bearer", "cert+bearer",
					EAS_CRED_CERT | EAS_CRED_BEARER },
};

int eas_policy_parse(const char *text, enum eas_policy *p)
{
	for (int i = 0; i < EAS_POL_COUNT; i++)
		if (!strcmp(text, policies[i].name)) {
			*p = (enum eas_policy)i;
			return 0;
		}
	return -1;
}

const char *eas_policy_name(enum eas_policy p)
{
	return policies[p].name;
}

const char *eas_policy_desc(enum eas_policy p)
{
	return policies[p].desc;
}

unsigned eas_policy_needs(enum eas_policy p)
{
	switch (p) {
	case EAS_POL_BASIC: return EAS_CRED_BASIC;
	case EAS_POL_CERT: return EAS_CRED_CERT;
	/* Basic is to be refused there: probed when a password is given. */
	case EAS_POL_BEARER: return EAS_CRED_BEARER;
	case EAS_POL_CERT_BEARER: return EAS_CRED_CERT | EAS_CRED_BEARER;
	default: return EAS_CRED_BASIC | EAS_CRED_CERT;
	}
}

enum eas_expect eas_policy_expect(enum eas_policy p, enum eas_authprobe k)
{
	return policies[p].expect[k];
}

const char *eas_expect_name(enum eas_expect e)
{
	return e == EAS_EXPECT_ACCEPTED  ? "accepted"
	       : e == EAS_EXPECT_REFUSED ? "refused"
					 : "either";
}

unsigned eas_authprobe_creds(enum eas_authprobe k)
{
	return probes[k].creds;
}

const char *eas_authprobe_name(enum eas_authprobe k)
{
	return probes[k].name;
}

const char *eas_authprobe_label(enum eas_authprobe k)
{
	return probes[k].label;
}

/* The certificate is what must let this probe in: the same probe without
 * it is to be refused. If the server never asked for the certificate, the
 * acceptance came from elsewhere (an open endpoint, or a proxy that stopped
 * asking), whatever the other probes say. */
static int cert_must_matter(enum eas_policy p, enum eas_authprobe k)
{
	enum eas_authprobe without = k == EAS_AUTHPROBE_CERT          ? EAS_AUTHPROBE_ANON
				     : k == EAS_AUTHPROBE_CERT_BASIC  ? EAS_AUTHPROBE_BASIC
				     : k == EAS_AUTHPROBE_CERT_BEARER ? EAS_AUTHPROBE_BEARER
								      : EAS_AUTHPROBE_COUNT;

	return without != EAS_AUTHPROBE_COUNT && policies[p].expect[k] == EAS_EXPECT_ACCEPTED &&
	       policies[p].expect[without] == EAS_EXPECT_REFUSED;
}

void eas_policy_judge(enum eas_policy p, enum eas_authprobe k, const struct eas_auth_outcome *oc,
		      enum eas_state timeout_state, struct eas_judgement *j)
{
	enum eas_expect want = policies[p].expect[k];

	memset(j, 0, sizeof *j);
	j->state = EAS_OK;
	if (oc->verdict == EAS_AUTH_BROKEN) {
		j->state = eas_fail_state(oc->fail, timeout_state);
		snprintf(j->line, sizeof j->line, "%s probe: %s", probes[k].name, oc->text);
		return;
	}
	if (want == EAS_EXPECT_REFUSED && oc->verdict == EAS_AUTH_ACCEPTED) {
		j->state = EAS_CRITICAL;
		j->regression = 1;
		snprintf(j->line, sizeof j->line, "%s accepted although policy is %s",
			 probes[k].alone, policies[p].desc);
		return;
	}
	if (want == EAS_EXPECT_ACCEPTED && oc->verdict == EAS_AUTH_REFUSED) {
		j->state = EAS_CRITICAL;
		j->regression = 1;
		snprintf(j->line, sizeof j->line, "%s refused: %s", probes[k].subject, oc->brief);
		return;
	}
	if (oc->verdict == EAS_AUTH_ACCEPTED && oc->cert_not_asked && cert_must_matter(p, k)) {
		j->state = EAS_CRITICAL;
		j->regression = 1;
		snprintf(
			j->line, sizeof j->line,
			"%s accepted but the server never asked for the client certificate (policy %s)",
			probes[k].subject, policies[p].desc);
		return;
	}
	if (want == EAS_EXPECT_ANY)
		snprintf(j->line, sizeof j->line, "%s %s (either is fine for policy %s): %s",
			 probes[k].name, eas_auth_verdict_name(oc->verdict), policies[p].desc,
			 oc->brief);
	else
		snprintf(j->line, sizeof j->line, "%s %s as expected: %s", probes[k].name,
			 eas_auth_verdict_name(oc->verdict), oc->brief);
}
