/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "dnsq.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int eas_dns_open(struct eas_dns *d, const char *server, char *err, size_t errlen)
{
	char addr[64];
	const char *colon;
	long port = 53;
	struct in_addr in;

	memset(d, 0, sizeof *d);
	if (res_ninit(&d->st)) {
		snprintf(err, errlen, "cannot set up the DNS resolver");
		return -1;
	}
	/* A lookup must not take the whole deadline: 2 tries of 2 s. */
	d->st.retrans = 2;
	d->st.retry = 2;
	if (!server)
		return 0;
	colon = strchr(server, ':');
	snprintf(addr, sizeof addr, "%.*s", colon ? (int)(colon - server) : (int)strlen(server),
		 server);
	if (colon) {
		char *end;

		port = strtol(colon + 1, &end, 10);
		if (*end || port < 1 || port > 65535)
			port = -1;
	}
	if (port < 0 || inet_pton(AF_INET, addr, &in) != 1) {
		snprintf(err, errlen,
			 "--dns-server takes an IPv4 address and an optional port "
			 "(192.0.2.53 or 192.0.2.53:5353)");
		res_nclose(&d->st);
		return -1;
	}
	d->st.nscount = 1;
	d->st.nsaddr_list[0].sin_family = AF_INET;
	d->st.nsaddr_list[0].sin_addr = in;
	d->st.nsaddr_list[0].sin_port = htons((unsigned short)port);
	snprintf(d->server, sizeof d->server, "%s", server);
	return 0;
}

void eas_dns_close(struct eas_dns *d)
{
	res_nclose(&d->st);
}

/* One query; the parsed answer in msg. Returns 0, or -1 with the reason. */
static int query(struct eas_dns *d, const char *name, int type, unsigned char *buf, size_t size,
		 ns_msg *msg, char *err, size_t errlen)
{
	const char *kind = type == ns_t_srv ? "SRV" : type == ns_t_a ? "A" : "AAAA";
	const char *via = d->server[0] ? " at the DNS server " : "";
	int len;

	h_errno = 0;
	len = res_nquery(&d->st, name, ns_c_in, type, buf, (int)size);
	if (len < 0) {
		switch (h_errno) {
		case HOST_NOT_FOUND:
			snprintf(err, errlen, "the DNS name %s does not exist%s%s", name, via,
				 d->server);
			break;
		case NO_DATA:
			snprintf(err, errlen, "%s has no %s record%s%s", name, kind, via,
				 d->server);
			break;
		case TRY_AGAIN:
			snprintf(err, errlen, "no answer from the DNS server%s%s for %s",
				 d->server[0] ? " " : "", d->server, name);
			break;
		default: snprintf(err, errlen, "the DNS lookup of %s failed", name); break;
		}
		return -1;
	}
	if (ns_initparse(buf, len, msg)) {
		snprintf(err, errlen, "the DNS answer for %s is malformed", name);
		return -1;
	}
	return 0;
}

static int by_preference(const void *a, const void *b)
{
	const struct eas_srv *x = a, *y = b;

	if (x->priority != y->priority)
		return x->priority - y->priority;
	return y->weight - x->weight;
}

int eas_dns_srv(struct eas_dns *d, const char *name, struct eas_srv *out, size_t max, size_t *n,
		char *err, size_t errlen)
{
	unsigned char buf[4096];
	ns_msg msg;

	*n = 0;
	if (query(d, name, ns_t_srv, buf, sizeof buf, &msg, err, errlen))
		return -1;
	for (int i = 0; i < ns_msg_count(msg, ns_s_an) && *n < max; i++) {
		ns_rr rr;
		const unsigned char *rd;

		if (ns_parserr(&msg, ns_s_an, i, &rr) || ns_rr_type(rr) != ns_t_srv ||
		    ns_rr_rdlen(rr) < 7)
			continue;
		rd = ns_rr_rdata(rr);
		out[*n].priority = ns_get16(rd);
		out[*n].weight = ns_get16(rd + 2);
		out[*n].port = ns_get16(rd + 4);
		if (dn_expand(ns_msg_base(msg), ns_msg_end(msg), rd + 6, out[*n].target,
			      sizeof out[*n].target) < 0)
			continue;
		(*n)++;
	}
	if (!*n) {
		snprintf(err, errlen, "%s has no SRV record", name);
		return -1;
	}
	qsort(out, *n, sizeof *out, by_preference);
	return 0;
}

static int first_addr(ns_msg msg, ns_type type, char *addr, size_t size)
{
	for (int i = 0; i < ns_msg_count(msg, ns_s_an); i++) {
		ns_rr rr;

		if (ns_parserr(&msg, ns_s_an, i, &rr) || ns_rr_type(rr) != type)
			continue;
		if ((type == ns_t_a && ns_rr_rdlen(rr) == 4) ||
		    (type == ns_t_aaaa && ns_rr_rdlen(rr) == 16))
			return inet_ntop(type == ns_t_a ? AF_INET : AF_INET6, ns_rr_rdata(rr), addr,
					 (socklen_t)size)
				       ? 0
				       : -1;
	}
	return -1;
}

int eas_dns_addr(struct eas_dns *d, const char *name, char *addr, size_t size, char *err,
		 size_t errlen)
{
	unsigned char buf[4096];
	ns_msg msg;

	if (!query(d, name, ns_t_a, buf, sizeof buf, &msg, err, errlen) &&
	    !first_addr(msg, ns_t_a, addr, size))
		return 0;
	/* A name that does not exist has no AAAA either, and a server that
	 * does not answer will not for AAAA: keep those words. */
	if (!strstr(err, " has no "))
		return -1;
	if (!query(d, name, ns_t_aaaa, buf, sizeof buf, &msg, err, errlen) &&
	    !first_addr(msg, ns_t_aaaa, addr, size))
		return 0;
	snprintf(err, errlen, "%s has no address in the DNS", name);
	return -1;
}
