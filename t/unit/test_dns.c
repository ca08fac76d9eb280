/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The DNS answer parsers (common/dnsq) on crafted answers: sizes past
 * 4096 bytes up to 64 KiB, cut answers, compression loops, CNAME chains
 * and loops, answers without a usable address, SRV order (RFC 2782) with
 * deterministic randomness, the target ".". Every answer is parsed from a
 * buffer of exactly its size (ASan sees any read past it). */
#include <stdint.h>
#include <stdlib.h>

#include "http/dns.h"
#include "tap.h"

struct msg {
	unsigned char b[70000];
	size_t n;
	unsigned an;
};

static void put8(struct msg *m, unsigned v)
{
	m->b[m->n++] = (unsigned char)v;
}

static void put16(struct msg *m, unsigned v)
{
	put8(m, v >> 8 & 0xff);
	put8(m, v & 0xff);
}

/* A name: "@" is a pointer to the question's name, "" the root. */
static void name(struct msg *m, const char *s)
{
	if (!strcmp(s, "@")) {
		put16(m, 0xc00c);
		return;
	}
	while (*s) {
		const char *dot = strchr(s, '.');
		size_t l = dot ? (size_t)(dot - s) : strlen(s);

		put8(m, (unsigned)l);
		memcpy(m->b + m->n, s, l);
		m->n += l;
		s += l + (dot ? 1 : 0);
	}
	put8(m, 0);
}

static void start(struct msg *m, const char *q, int type, int rcode, int tc)
{
	memset(m, 0, sizeof *m);
	put16(m, 0x1234);
	put8(m, 0x81 | (tc ? 0x02 : 0)); /* QR, RD */
	put8(m, 0x80 | (unsigned)rcode); /* RA */
	put16(m, 1);
	put16(m, 0);
	put16(m, 0);
	put16(m, 0);
	name(m, q);
	put16(m, (unsigned)type);
	put16(m, ns_c_in);
}

/* A record's head; its data follows, rdlen bytes. */
static void rr(struct msg *m, const char *owner, int type, unsigned rdlen)
{
	name(m, owner);
	put16(m, (unsigned)type);
	put16(m, ns_c_in);
	put16(m, 0);
	put16(m, 300);
	put16(m, rdlen);
	m->an++;
	m->b[6] = (unsigned char)(m->an >> 8);
	m->b[7] = (unsigned char)m->an;
}

static void rr_a(struct msg *m, const char *owner, unsigned last)
{
	rr(m, owner, ns_t_a, 4);
	put8(m, 192);
	put8(m, 0);
	put8(m, 2);
	put8(m, last);
}

static size_t name_len(const char *s)
{
	size_t n = strlen(s);

	return !n ? 1 : s[n - 1] == '.' ? n + 1 : n + 2;
}

static void rr_cname(struct msg *m, const char *owner, const char *target)
{
	rr(m, owner, ns_t_cname, (unsigned)name_len(target));
	name(m, target);
}

static void rr_srv(struct msg *m, const char *owner, int prio, int weight, int port,
		   const char *target)
{
	rr(m, owner, ns_t_srv, (unsigned)(6 + name_len(target)));
	put16(m, (unsigned)prio);
	put16(m, (unsigned)weight);
	put16(m, (unsigned)port);
	name(m, target);
}

/* Filler: a TXT record of len bytes of text. */
static void rr_txt(struct msg *m, const char *owner, unsigned len)
{
	rr(m, owner, ns_t_txt, len + 1);
	put8(m, len);
	memset(m->b + m->n, 'x', len);
	m->n += len;
}

static unsigned char *exact(const struct msg *m, size_t len)
{
	unsigned char *p = malloc(len ? len : 1);

	memcpy(p, m->b, len);
	return p;
}

static char err[320], addr[64];
static struct eas_dns_chain chain;

static enum eas_dns_rc addr_of(const struct msg *m, size_t len, const char *q, int type)
{
	unsigned char *p = exact(m, len);
	enum eas_dns_rc rc;

	eas_dns_chain_init(&chain, q);
	err[0] = 0;
	rc = eas_dns_parse_addr(p, len, type, &chain, addr, sizeof addr, err, sizeof err);
	free(p);
	return rc;
}

static unsigned long always_zero(void *ctx, unsigned long bound)
{
	(void)ctx;
	(void)bound;
	return 0;
}

static unsigned long always_max(void *ctx, unsigned long bound)
{
	(void)ctx;
	return bound;
}

static unsigned long lcg(void *ctx, unsigned long bound)
{
	uint32_t *s = ctx;

	*s = *s * 1103515245u + 12345u;
	return (unsigned long)(*s >> 8) % (bound + 1);
}

static enum eas_dns_rc srv_of(const struct msg *m, const char *q, eas_dns_rand_fn rnd, void *ctx,
			      struct eas_srv_list *l)
{
	unsigned char *p = exact(m, m->n);
	enum eas_dns_rc rc;

	eas_dns_chain_init(&chain, q);
	err[0] = 0;
	rc = eas_dns_parse_srv(p, m->n, &chain, rnd, ctx, l, err, sizeof err);
	free(p);
	return rc;
}

/* The targets' first letters in order, e.g. "abc". */
static const char *order(const struct eas_srv_list *l)
{
	static char s[64];
	size_t i;

	for (i = 0; i < l->n && i < sizeof s - 1; i++)
		s[i] = l->rec[i].target[0];
	s[i] = 0;
	return s;
}

int main(void)
{
	static struct msg m;
	struct tap t = { 0 };
	struct eas_srv_list l;
	const char *q = "autodiscover.example.test";
	char hop[16], next[16];
	int a_first = 0;
	enum eas_dns_rc rc;
	size_t big;

	start(&m, q, ns_t_a, 0, 0);
	rr_a(&m, "@", 7);
	TAP_OK(&t, addr_of(&m, m.n, q, ns_t_a) == EAS_DNS_FOUND && !strcmp(addr, "192.0.2.7"),
	       "an A record: its address");

	/* Every address (--each-address): all A records of the name, in the
	 * answer's order, another name's left out, at most EAS_DNS_ADDRS_MAX. */
	{
		static struct eas_dns_addrs all;
		unsigned char *p;

		start(&m, q, ns_t_a, 0, 0);
		rr_a(&m, "@", 7);
		rr_a(&m, "other.example.test", 8);
		rr_a(&m, "@", 9);
		p = exact(&m, m.n);
		eas_dns_chain_init(&chain, q);
		all.n = 0;
		rc = eas_dns_parse_addrs(p, m.n, ns_t_a, &chain, &all, err, sizeof err);
		TAP_OK(&t,
		       rc == EAS_DNS_FOUND && all.n == 2 && !strcmp(all.addr[0], "192.0.2.7") &&
			       !strcmp(all.addr[1], "192.0.2.9"),
		       "every A record of the name, in order (%zu)", all.n);
		free(p);
		start(&m, q, ns_t_a, 0, 0);
		for (unsigned i = 1; i <= EAS_DNS_ADDRS_MAX + 4; i++)
			rr_a(&m, "@", i);
		p = exact(&m, m.n);
		eas_dns_chain_init(&chain, q);
		all.n = 0;
		rc = eas_dns_parse_addrs(p, m.n, ns_t_a, &chain, &all, err, sizeof err);
		TAP_OK(&t, rc == EAS_DNS_FOUND && all.n == EAS_DNS_ADDRS_MAX,
		       "at most %d addresses kept (%zu)", EAS_DNS_ADDRS_MAX, all.n);
		free(p);
		start(&m, q, ns_t_a, 0, 0);
		rr_a(&m, "other.example.test", 1);
		p = exact(&m, m.n);
		eas_dns_chain_init(&chain, q);
		all.n = 0;
		rc = eas_dns_parse_addrs(p, m.n, ns_t_a, &chain, &all, err, sizeof err);
		TAP_OK(&t, rc == EAS_DNS_NODATA && all.n == 0,
		       "none of the name: no data, nothing kept");
		free(p);
	}

	/* Past 4096 bytes: 40 TXT records of 200 bytes, then the address. */
	start(&m, q, ns_t_a, 0, 0);
	for (int i = 0; i < 40; i++)
		rr_txt(&m, "@", 200);
	rr_a(&m, "@", 8);
	big = m.n;
	TAP_OK(&t,
	       big > 4096 && addr_of(&m, big, q, ns_t_a) == EAS_DNS_FOUND &&
		       !strcmp(addr, "192.0.2.8"),
	       "an answer of %zu bytes (> 4096) is read whole", big);
	TAP_OK(&t,
	       addr_of(&m, 4096, q, ns_t_a) == EAS_DNS_ERROR &&
		       strstr(err, "the DNS answer for autodiscover.example.test is malformed"),
	       "the same answer cut at 4096 bytes: malformed, not read past (%s)", err);
	TAP_OK(&t, addr_of(&m, 11, q, ns_t_a) == EAS_DNS_ERROR && strstr(err, "malformed"),
	       "shorter than a header: malformed");

	/* 64 KiB: the most a TCP answer holds. */
	start(&m, q, ns_t_a, 0, 0);
	while (m.n + 260 + 16 < EAS_DNS_ANSWER_MAX)
		rr_txt(&m, "@", 250);
	rr_a(&m, "@", 9);
	big = m.n;
	TAP_OK(&t,
	       big > 65000 && addr_of(&m, big, q, ns_t_a) == EAS_DNS_FOUND &&
		       !strcmp(addr, "192.0.2.9"),
	       "an answer of %zu bytes (64 KiB) is read whole", big);
	rr_txt(&m, "@", 250);
	TAP_OK(&t, m.n > EAS_DNS_ANSWER_MAX && addr_of(&m, m.n, q, ns_t_a) == EAS_DNS_ERROR,
	       "more than 64 KiB: refused");

	start(&m, q, ns_t_a, 0, 1);
	rr_a(&m, "@", 1);
	TAP_OK(&t, addr_of(&m, m.n, q, ns_t_a) == EAS_DNS_ERROR && strstr(err, "truncated"),
	       "an answer marked truncated: an error in words (%s)", err);

	/* A compression pointer to itself, as the owner and as a target. */
	start(&m, q, ns_t_a, 0, 0);
	put16(&m, 0xc000 | (unsigned)m.n);
	put16(&m, ns_t_a);
	put16(&m, ns_c_in);
	put16(&m, 0);
	put16(&m, 300);
	put16(&m, 4);
	put16(&m, 0xc000);
	put16(&m, 0x0201);
	m.b[7] = 1;
	TAP_OK(&t,
	       addr_of(&m, m.n, q, ns_t_a) == EAS_DNS_NODATA &&
		       !strcmp(err, "autodiscover.example.test has no A record") && !addr[0],
	       "an owner name that points at itself: skipped, no data (%s)", err);
	start(&m, q, ns_t_a, 0, 0);
	rr(&m, "@", ns_t_cname, 2);
	put16(&m, 0xc000 | (unsigned)m.n);
	TAP_OK(&t, addr_of(&m, m.n, q, ns_t_a) == EAS_DNS_NODATA && chain.n == 1,
	       "a CNAME target that points at itself: skipped");

	/* No usable address: a 3-byte A, a 5-byte AAAA. */
	start(&m, q, ns_t_a, 0, 0);
	rr(&m, "@", ns_t_a, 3);
	put8(&m, 1);
	put8(&m, 2);
	put8(&m, 3);
	TAP_OK(&t,
	       addr_of(&m, m.n, q, ns_t_a) == EAS_DNS_NODATA && !addr[0] &&
		       !strcmp(err, "autodiscover.example.test has no A record"),
	       "an A record of 3 bytes: no address, an empty text and words (%s)", err);
	start(&m, q, ns_t_aaaa, 0, 0);
	rr_a(&m, "@", 1);
	TAP_OK(&t, addr_of(&m, m.n, q, ns_t_aaaa) == EAS_DNS_NODATA && !addr[0],
	       "an A record in an AAAA answer is not an IPv6 address");
	start(&m, q, ns_t_a, 0, 0);
	rr_a(&m, "other.example.test", 1);
	TAP_OK(&t, addr_of(&m, m.n, q, ns_t_a) == EAS_DNS_NODATA,
	       "an address of another name is not taken");
	start(&m, q, ns_t_a, ns_r_nxdomain, 0);
	TAP_OK(&t,
	       addr_of(&m, m.n, q, ns_t_a) == EAS_DNS_ERROR &&
		       !strcmp(err, "the DNS name autodiscover.example.test does not exist"),
	       "NXDOMAIN: %s", err);
	start(&m, q, ns_t_a, ns_r_servfail, 0);
	TAP_OK(&t, addr_of(&m, m.n, q, ns_t_a) == EAS_DNS_ERROR && strstr(err, "SERVFAIL"),
	       "SERVFAIL: %s", err);

	/* CNAME chains. */
	start(&m, q, ns_t_a, 0, 0);
	rr_cname(&m, "@", "mail.example.test");
	rr_cname(&m, "mail.example.test", "host.example.net");
	rr_a(&m, "host.example.net", 5);
	TAP_OK(&t,
	       addr_of(&m, m.n, q, ns_t_a) == EAS_DNS_FOUND && !strcmp(addr, "192.0.2.5") &&
		       chain.n == 3 && !strcmp(chain.name[2], "host.example.net"),
	       "a CNAME chain of 2 in the answer: followed to the address");
	start(&m, q, ns_t_a, 0, 0);
	rr_a(&m, "host.example.net", 6);
	rr_cname(&m, "mail.example.test", "host.example.net");
	rr_cname(&m, "@", "MAIL.example.test.");
	TAP_OK(&t, addr_of(&m, m.n, q, ns_t_a) == EAS_DNS_FOUND && !strcmp(addr, "192.0.2.6"),
	       "the same in reverse order, names in other case and with a final dot");
	start(&m, q, ns_t_a, 0, 0);
	rr_cname(&m, "@", "mail.example.test");
	TAP_OK(&t,
	       addr_of(&m, m.n, q, ns_t_a) == EAS_DNS_ALIAS && chain.n == 2 &&
		       !strcmp(chain.name[1], "mail.example.test"),
	       "a CNAME without its target's address: ask for the target");
	start(&m, q, ns_t_a, ns_r_nxdomain, 0);
	rr_cname(&m, "@", "gone.example.test");
	TAP_OK(&t,
	       addr_of(&m, m.n, q, ns_t_a) == EAS_DNS_ERROR &&
		       !strcmp(err, "the DNS name gone.example.test (an alias of "
				    "autodiscover.example.test) does not exist"),
	       "NXDOMAIN behind an alias names both: %s", err);
	start(&m, q, ns_t_a, 0, 0);
	rr_cname(&m, "@", "mail.example.test");
	rr_cname(&m, "mail.example.test", "autodiscover.example.test");
	TAP_OK(&t, addr_of(&m, m.n, q, ns_t_a) == EAS_DNS_ERROR && strstr(err, "CNAME loop"),
	       "a CNAME loop: %s", err);
	for (int hops = 8; hops <= 9; hops++) {
		start(&m, q, ns_t_a, 0, 0);
		for (int i = 0; i < hops; i++) {
			snprintf(hop, sizeof hop, "h%d.test", i);
			snprintf(next, sizeof next, "h%d.test", i + 1);
			rr_cname(&m, i ? hop : "@", next);
		}
		rr_a(&m, next, 4);
		if (hops == 8)
			TAP_OK(&t, addr_of(&m, m.n, q, ns_t_a) == EAS_DNS_FOUND,
			       "a chain of 8 aliases: followed");
		else
			TAP_OK(&t,
			       addr_of(&m, m.n, q, ns_t_a) == EAS_DNS_ERROR &&
				       strstr(err, "autodiscover.example.test is a CNAME chain "
						   "longer than 8"),
			       "a chain of 9: %s", err);
	}
	/* Across answers: the chain carries over. */
	eas_dns_chain_init(&chain, q);
	for (int i = 0; i < 8; i++) {
		snprintf(hop, sizeof hop, "h%d.test", i + 1);
		start(&m, chain.name[chain.n - 1], ns_t_a, 0, 0);
		rr_cname(&m, "@", hop);
		if (eas_dns_parse_addr(m.b, m.n, ns_t_a, &chain, addr, sizeof addr, err,
				       sizeof err) != EAS_DNS_ALIAS)
			break;
	}
	start(&m, chain.name[chain.n - 1], ns_t_a, 0, 0);
	rr_cname(&m, "@", "h9.test");
	TAP_OK(&t,
	       chain.n == 9 &&
		       eas_dns_parse_addr(m.b, m.n, ns_t_a, &chain, addr, sizeof addr, err,
					  sizeof err) == EAS_DNS_ERROR &&
		       strstr(err, "longer than 8"),
	       "8 aliases over 8 answers, a ninth: too long");

	/* SRV order: priority ascending; within one, weight 0 first, then
	 * weighted random (here the extremes of the random number). */
	start(&m, "_autodiscover._tcp.example.test", ns_t_srv, 0, 0);
	rr_srv(&m, "@", 20, 0, 443, "z.example.test");
	rr_srv(&m, "@", 10, 5, 443, "b.example.test");
	rr_srv(&m, "@", 10, 0, 443, "a.example.test");
	rr_srv(&m, "@", 10, 10, 443, "c.example.test");
	rr_srv(&m, "@", 5, 1, 8443, "f.example.test");
	rc = srv_of(&m, "_autodiscover._tcp.example.test", always_zero, NULL, &l);
	TAP_OK(&t, rc == EAS_DNS_FOUND && !strcmp(order(&l), "fabcz") && l.rec[0].port == 8443,
	       "SRV by priority, random 0: weight 0 first, then the first weight (%s)", order(&l));
	eas_srv_list_free(&l);
	rc = srv_of(&m, "_autodiscover._tcp.example.test", always_max, NULL, &l);
	TAP_OK(&t, rc == EAS_DNS_FOUND && !strcmp(order(&l), "fcbaz"),
	       "SRV by priority, random at the sum: the last weight first (%s)", order(&l));
	eas_srv_list_free(&l);
	start(&m, "_autodiscover._tcp.example.test", ns_t_srv, 0, 0);
	rr_srv(&m, "@", 20, 0, 443, "late.example.test");
	rr_srv(&m, "@", 10, 0, 443, "early.example.test");
	TAP_OK(&t,
	       srv_of(&m, "_autodiscover._tcp.example.test", always_zero, NULL, &l) ==
			       EAS_DNS_FOUND &&
		       !strcmp(order(&l), "el"),
	       "two records in reverse packet order: the lower priority value first");
	eas_srv_list_free(&l);
	for (uint32_t seed = 1, i = 0; i < 1000; i++) {
		start(&m, "_autodiscover._tcp.example.test", ns_t_srv, 0, 0);
		rr_srv(&m, "@", 0, 10, 443, "light.example.test");
		rr_srv(&m, "@", 0, 90, 443, "heavy.example.test");
		if (srv_of(&m, "_autodiscover._tcp.example.test", lcg, &seed, &l) ==
			    EAS_DNS_FOUND &&
		    l.rec[0].target[0] == 'h')
			a_first++;
		eas_srv_list_free(&l);
	}
	TAP_OK(&t, a_first > 850 && a_first < 950,
	       "weights 90 and 10: the heavy one first about 90%% of the time (%d of 1000)",
	       a_first);

	start(&m, "_autodiscover._tcp.example.test", ns_t_srv, 0, 0);
	rr_srv(&m, "@", 0, 0, 0, "");
	rc = srv_of(&m, "_autodiscover._tcp.example.test", NULL, NULL, &l);
	TAP_OK(&t, rc == EAS_DNS_FOUND && l.n == 1 && !strcmp(l.rec[0].target, "."),
	       "the target '.' is kept as \".\" (no such service: the caller's to say): "
	       "'%s'",
	       l.n ? l.rec[0].target : "none");
	eas_srv_list_free(&l);
	start(&m, "_autodiscover._tcp.example.test", ns_t_srv, 0, 0);
	rr(&m, "@", ns_t_srv, 6);
	put16(&m, 0);
	put16(&m, 0);
	put16(&m, 443);
	rr(&m, "@", ns_t_srv, 9); /* its target's labels run on past its data */
	put16(&m, 0);
	put16(&m, 0);
	put16(&m, 443);
	put8(&m, 4);
	put8(&m, 'm');
	put8(&m, 'a');
	TAP_OK(&t,
	       srv_of(&m, "_autodiscover._tcp.example.test", NULL, NULL, &l) == EAS_DNS_NODATA &&
		       !l.rec && strstr(err, "has no SRV record"),
	       "SRV data too short for a target, a target past its data: skipped (%s)", err);
	eas_srv_list_free(&l);

	/* A normal large answer: 300 records, some 13.5 KB, all kept. */
	start(&m, "_autodiscover._tcp.example.test", ns_t_srv, 0, 0);
	for (int i = 0; i < 300; i++) {
		char target[64];

		snprintf(target, sizeof target, "mailbox-server-%03d.exchange.example.test", i);
		rr_srv(&m, "@", 300 - i, i % 7, 443, target);
	}
	TAP_OK(&t,
	       m.n > 13500 &&
		       srv_of(&m, "_autodiscover._tcp.example.test", always_zero, NULL, &l) ==
			       EAS_DNS_FOUND &&
		       l.n == 300 && l.rec[0].priority == 1 && l.rec[299].priority == 300 &&
		       !strcmp(l.rec[0].target, "mailbox-server-299.exchange.example.test"),
	       "an SRV answer of %zu bytes: all 300 records, best first", m.n);
	eas_srv_list_free(&l);
	start(&m, "_autodiscover._tcp.example.test", ns_t_srv, 0, 0);
	rr_cname(&m, "@", "_autodiscover._tcp.other.test");
	rr_srv(&m, "_autodiscover._tcp.other.test", 0, 0, 443, "mail.other.test");
	TAP_OK(&t,
	       srv_of(&m, "_autodiscover._tcp.example.test", NULL, NULL, &l) == EAS_DNS_FOUND &&
		       l.n == 1 && !strcmp(l.rec[0].target, "mail.other.test"),
	       "an SRV name behind a CNAME: followed");
	eas_srv_list_free(&l);
	return tap_done(&t);
}
