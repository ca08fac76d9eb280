/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "http/fail.h"

const char *eas_fail_name(enum eas_fail f)
{
	static const char *const names[] = {
		"none",        "setup",    "dns",     "refused",    "unreachable",
		"connect",     "timeout",  "tls",     "tls_verify", "tls_hostname",
		"client_cert", "protocol", "network",
	};
	return (unsigned)f < sizeof names / sizeof names[0] ? names[f] : "unknown";
}

enum eas_state eas_fail_state(enum eas_fail f, enum eas_state timeout_state)
{
	if (f == EAS_FAIL_SETUP)
		return EAS_UNKNOWN;
	if (f == EAS_FAIL_TIMEOUT)
		return timeout_state;
	return EAS_CRITICAL;
}
