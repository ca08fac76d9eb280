/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The authentication policy an EAS endpoint should enforce, as a table:
 * for each policy, which of the six probes (anonymous, basic only,
 * certificate only, certificate plus basic, bearer token, certificate plus
 * bearer token) must be accepted and which must be refused; and the
 * judgement of one probe's outcome against it.
 * Pure code: no I/O. */
#ifndef EAS_AUTHPOLICY_H
#define EAS_AUTHPOLICY_H

#include <stddef.h>

#include "auth/authverdict.h"
#include "util/state.h"

enum eas_policy {
	EAS_POL_BASIC,         /* basic auth, client certificates ignored */
	EAS_POL_CERT,          /* client certificate only, basic off */
	EAS_POL_CERT_BASIC,    /* both required (two factors) */
	EAS_POL_CERT_OR_BASIC, /* fallback (ForeFront TMG): either one */
	EAS_POL_BEARER,        /* modern auth: a bearer token, Basic off */
	EAS_POL_CERT_BEARER,   /* client certificate and bearer token */
	EAS_POL_COUNT
};

/* The authentication probes, by the credentials they carry. */
enum eas_authprobe {
	EAS_AUTHPROBE_ANON,        /* nothing */
	EAS_AUTHPROBE_BASIC,       /* user and password */
	EAS_AUTHPROBE_CERT,        /* client certificate */
	EAS_AUTHPROBE_CERT_BASIC,  /* both */
	EAS_AUTHPROBE_BEARER,      /* an OAuth 2.0 access token */
	EAS_AUTHPROBE_CERT_BEARER, /* client certificate and token */
	EAS_AUTHPROBE_COUNT
};

enum eas_expect { EAS_EXPECT_REFUSED, EAS_EXPECT_ACCEPTED, EAS_EXPECT_ANY };

/* "basic", "cert", "cert+basic", "cert-or-basic", "bearer",
 * "cert+bearer". Returns 0 or -1. */
int eas_policy_parse(const char *text, enum eas_policy *p);
const char *eas_policy_name(enum eas_policy p);
/* How the policy reads in a sentence: "cert only". */
const char *eas_policy_desc(enum eas_policy p);
/* The credentials (EAS_CRED_* mask) the policy names. */
unsigned eas_policy_needs(enum eas_policy p);
enum eas_expect eas_policy_expect(enum eas_policy p, enum eas_authprobe k);
const char *eas_expect_name(enum eas_expect e);

/* The credentials a probe carries (EAS_CRED_* mask). */
unsigned eas_authprobe_creds(enum eas_authprobe k);
/* "anonymous", "basic", "cert", "cert+basic", "bearer", "cert+bearer" */
const char *eas_authprobe_name(enum eas_authprobe k);
/* The perfdata prefix without "_": "anon", "basic", "cert", "certbasic",
 * "bearer", "certbearer" */
const char *eas_authprobe_label(enum eas_authprobe k);

struct eas_judgement {
	enum eas_state state;
	int regression; /* 1: the outcome contradicts the policy */
	char line[512]; /* for the summary when not OK, else -v */
};

/* Judge one probe's outcome against the policy. timeout_state is what a
 * timed-out probe yields (-t ...:STATE). */
void eas_policy_judge(enum eas_policy p, enum eas_authprobe k, const struct eas_auth_outcome *oc,
		      enum eas_state timeout_state, struct eas_judgement *j);

#endif
