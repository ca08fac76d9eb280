/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Why a request got no HTTP answer, coarse enough to decide a state from,
 * and the one mapping from such a failure to a state. Pure: no I/O. */
#ifndef EAS_FAIL_H
#define EAS_FAIL_H

#include "util/state.h"

enum eas_fail {
	EAS_FAIL_NONE = 0,
	EAS_FAIL_SETUP, /* our side: bad URL, unreadable CA file, ... */
	EAS_FAIL_DNS,
	EAS_FAIL_REFUSED,
	EAS_FAIL_UNREACHABLE,
	EAS_FAIL_CONNECT,
	EAS_FAIL_TIMEOUT,
	EAS_FAIL_TLS,          /* handshake failed */
	EAS_FAIL_TLS_VERIFY,   /* server certificate not trusted */
	EAS_FAIL_TLS_HOSTNAME, /* certificate does not name the host */
	EAS_FAIL_CLIENT_CERT,  /* server demanded or refused a client cert */
	EAS_FAIL_PROTOCOL,     /* not HTTP, or broken HTTP */
	EAS_FAIL_NETWORK,      /* connection reset or closed */
};

/* What ends the words of an EAS_FAIL_TLS_HOSTNAME failure: advice for the
 * plugins that take -H and --sni; one that does not (Autodiscover) puts
 * its own in its place. */
#define EAS_HOSTNAME_ADVICE " (check -H/--sni)"

/* The name of a failure class, for JSON: "tls_verify". */
const char *eas_fail_name(enum eas_fail f);

/* The state a failure gives: UNKNOWN for our own setup problems, the -t
 * state for a timeout, CRITICAL for everything the server side did. */
enum eas_state eas_fail_state(enum eas_fail f, enum eas_state timeout_state);

#endif
