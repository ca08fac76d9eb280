/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The facts about one certificate that expiry and auth checks report. */
#ifndef EAS_CERTINFO_H
#define EAS_CERTINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

struct eas_certinfo {
	char subject[256], issuer[256], cn[128], serial[96];
	char not_before[32], not_after[32]; /* ISO 8601, UTC */
	time_t nb, na;
	double days_left;     /* until notAfter, negative when expired */
	double lifetime_days; /* notAfter - notBefore */
	bool expired, not_yet_valid, self_signed, sha1;
	int key_bits;      /* 0 when unknown */
	char key_type[16]; /* "RSA", "EC", ... */
	char sig_alg[48];
};

/* The subject CN for messages, whole: UTF-8 from whatever string type it
 * has, an embedded NUL shown as "\\0" (a CN of "127.0.0.1\\0.evil.com"
 * must read as such), bytes that are not UTF-8 and control characters
 * as '?'. "" when there is none. */
void eas_cert_cn_text(X509 *x, char *buf, size_t size);

/* Fill ci from x as seen at time now. Returns 0, or -1 when the validity
 * dates cannot be read. */
int eas_certinfo_get(X509 *x, time_t now, struct eas_certinfo *ci);

#endif
