/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DNS lookups through the system's resolver library (glibc's libresolv),
 * against the system's name servers or one the operator names
 * (--dns-server, for split-horizon checks: "what do external devices
 * see?"): SRV records and host addresses, with the answer in plain words
 * when there is none (the name does not exist, has no such record, the
 * server does not answer). */
#ifndef EAS_DNSQ_H
#define EAS_DNSQ_H

#include <resolv.h>
#include <stdbool.h>
#include <stddef.h>

struct eas_dns {
	struct __res_state st;
	char server[80]; /* "" for the system's */
};

struct eas_srv {
	int priority, weight, port;
	char target[256];
};

/* server: "ADDRESS[:PORT]" (IPv4) or NULL for the system's servers.
 * Returns 0, or -1 with one sentence in err. */
int eas_dns_open(struct eas_dns *d, const char *server, char *err, size_t errlen);
/* The SRV records of name, best first (lowest priority, then highest
 * weight), at most max into out, their number in *n. Returns 0, or -1 with
 * one sentence in err. */
int eas_dns_srv(struct eas_dns *d, const char *name, struct eas_srv *out, size_t max, size_t *n,
		char *err, size_t errlen);
/* An address of name (IPv4, else IPv6) as text into addr. */
int eas_dns_addr(struct eas_dns *d, const char *name, char *addr, size_t size, char *err,
		 size_t errlen);
void eas_dns_close(struct eas_dns *d);

#endif
