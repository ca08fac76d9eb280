/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DNS answers (common/dnsq: eas_dns_parse_addr, eas_dns_parse_srv).
 * Input: one byte picks the type (A, AAAA, SRV) and how many aliases the
 * chain already holds (0-8), four bytes seed the SRV weights' randomness,
 * the rest is the answer, read from a buffer of exactly its size. The name
 * asked is the answer's question (so that mutations keep matching owners).
 * Invariants:
 *  - the result is one of error, found, no data, alias; error and no data
 *    come with a sentence, NUL-terminated within its buffer, printable;
 *  - the chain holds 1..9 names, each NUL-terminated, no name twice; an
 *    alias result added at least one;
 *  - an address found reads back with inet_pton;
 *  - SRV records found: at least one, at most the answer's count, every
 *    target a host name of at most 255 bytes, priorities never decrease;
 *    the same records (as a multiset) as the order without randomness,
 *    in which weight 0 comes first within each priority. */
#include "fuzz.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <strings.h>

#include "http/dns.h"

static unsigned long lcg(void *ctx, unsigned long bound)
{
	uint32_t *s = ctx;

	*s = *s * 1103515245u + 12345u;
	return bound == ~0UL ? *s : (unsigned long)(*s >> 8) % (bound + 1);
}

static unsigned long zero(void *ctx, unsigned long bound)
{
	(void)ctx;
	(void)bound;
	return 0;
}

static void check_text(const char *err, size_t size)
{
	const char *z = memchr(err, 0, size);

	FUZZ_ASSERT(z, "error text not terminated");
	FUZZ_ASSERT(z > err, "no error text");
	for (const char *p = err; p < z; p++)
		FUZZ_ASSERT(*p >= 0x20 && *p < 0x7f, "control or non-ASCII byte 0x%02x in \"%s\"",
			    (unsigned char)*p, err);
}

static void check_chain(const struct eas_dns_chain *c, size_t before, int rc)
{
	FUZZ_ASSERT(c->n >= 1 && c->n <= EAS_DNS_CNAME_MAX + 1, "chain of %zu names", c->n);
	FUZZ_ASSERT(c->n >= before, "chain shrank");
	for (size_t i = 0; i < c->n; i++) {
		FUZZ_ASSERT(memchr(c->name[i], 0, sizeof c->name[i]), "name %zu not terminated", i);
		for (size_t j = before && i < before ? before : i + 1; j < c->n; j++)
			FUZZ_ASSERT(i == j || strcasecmp(c->name[i], c->name[j]), "%s twice",
				    c->name[i]);
	}
	if (rc == EAS_DNS_ALIAS)
		FUZZ_ASSERT(c->n > before, "alias without a new name");
}

static int by_all(const void *a, const void *b)
{
	const struct eas_srv *x = a, *y = b;

	if (x->priority != y->priority)
		return x->priority - y->priority;
	if (x->weight != y->weight)
		return x->weight - y->weight;
	if (x->port != y->port)
		return x->port - y->port;
	return strcmp(x->target, y->target);
}

static void check_srv(const struct eas_srv_list *l, int count)
{
	FUZZ_ASSERT(l->n >= 1 && l->n <= (size_t)count, "%zu records of %d", l->n, count);
	for (size_t i = 0; i < l->n; i++) {
		const struct eas_srv *s = &l->rec[i];

		FUZZ_ASSERT(memchr(s->target, 0, sizeof s->target), "target not terminated");
		FUZZ_ASSERT(strlen(s->target) <= 255, "target of %zu bytes", strlen(s->target));
		FUZZ_ASSERT(s->priority >= 0 && s->priority <= 65535 && s->weight >= 0 &&
				    s->weight <= 65535 && s->port >= 0 && s->port <= 65535,
			    "field out of range");
		if (i)
			FUZZ_ASSERT(l->rec[i - 1].priority <= s->priority, "priority %d after %d",
				    s->priority, l->rec[i - 1].priority);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int types[] = { ns_t_a, ns_t_aaaa, ns_t_srv };
	struct fz f = { data, size };
	uint8_t pick = fz_byte(&f);
	int type = types[pick % 3];
	size_t before = (size_t)(pick / 3) % (EAS_DNS_CNAME_MAX + 1) + 1;
	uint32_t seed = (uint32_t)fz_u16(&f) << 16 | fz_u16(&f);
	unsigned char *ans = malloc(f.n ? f.n : 1);
	struct eas_dns_chain *c = malloc(sizeof *c), *c2 = malloc(sizeof *c2);
	char qname[NS_MAXDNAME] = "autodiscover.example.test", addr[64], err[320];
	int rc, count = f.n >= 12 ? f.p[6] << 8 | f.p[7] : 0;

	if (!ans || !c || !c2)
		abort();
	memcpy(ans, f.p, f.n);
	if (f.n > 12 && dn_expand(ans, ans + f.n, ans + 12, qname, sizeof qname) < 0)
		snprintf(qname, sizeof qname, "autodiscover.example.test");
	/* A chain that already followed aliases: names no answer names. */
	eas_dns_chain_init(c, "start.invalid");
	for (size_t i = 1; i < before; i++) {
		if (i + 1 == before)
			snprintf(c->name[i], sizeof c->name[i], "%s", qname);
		else
			snprintf(c->name[i], sizeof c->name[i], "hop%zu.invalid", i);
		c->n = i + 1;
	}
	if (before == 1)
		eas_dns_chain_init(c, qname);
	*c2 = *c;
	memset(err, 0x55, sizeof err);
	if (type == ns_t_srv) {
		struct eas_srv_list l, l0;

		rc = eas_dns_parse_srv(ans, f.n, c, lcg, &seed, &l, err, sizeof err);
		if (rc == EAS_DNS_FOUND) {
			check_srv(&l, count);
			FUZZ_ASSERT(eas_dns_parse_srv(ans, f.n, c2, zero, NULL, &l0, err,
						      sizeof err) == EAS_DNS_FOUND,
				    "found once, not again");
			FUZZ_ASSERT(l0.n == l.n, "%zu records, then %zu", l.n, l0.n);
			for (size_t i = 1; i < l0.n; i++)
				FUZZ_ASSERT(l0.rec[i].priority != l0.rec[i - 1].priority ||
						    l0.rec[i - 1].weight == 0 ||
						    l0.rec[i].weight != 0,
					    "weight 0 after weight %d", l0.rec[i - 1].weight);
			qsort(l.rec, l.n, sizeof *l.rec, by_all);
			qsort(l0.rec, l0.n, sizeof *l0.rec, by_all);
			for (size_t i = 0; i < l.n; i++)
				FUZZ_ASSERT(!by_all(&l.rec[i], &l0.rec[i]),
					    "not the same records in both orders");
			eas_srv_list_free(&l0);
		} else {
			FUZZ_ASSERT(!l.rec && !l.n, "records kept on failure");
		}
		eas_srv_list_free(&l);
	} else {
		rc = eas_dns_parse_addr(ans, f.n, type, c, addr, sizeof addr, err, sizeof err);
		if (rc == EAS_DNS_FOUND) {
			unsigned char bin[16];

			FUZZ_ASSERT(memchr(addr, 0, sizeof addr), "address not terminated");
			FUZZ_ASSERT(inet_pton(type == ns_t_a ? AF_INET : AF_INET6, addr, bin) == 1,
				    "address %s does not read back", addr);
		}
		{
			/* Every address: the same verdict, the first the same. */
			static struct eas_dns_addrs all;
			char err2[320];

			all.n = 0;
			FUZZ_ASSERT(eas_dns_parse_addrs(ans, f.n, type, c2, &all, err2,
							sizeof err2) == rc,
				    "every address: another result than the first's");
			FUZZ_ASSERT(all.n <= EAS_DNS_ADDRS_MAX, "%zu addresses", all.n);
			FUZZ_ASSERT((rc == EAS_DNS_FOUND) == (all.n > 0), "found without address");
			FUZZ_ASSERT(!all.n || !strcmp(all.addr[0], addr), "another first address");
		}
	}
	FUZZ_ASSERT(rc >= EAS_DNS_ERROR && rc <= EAS_DNS_ALIAS, "result %d", rc);
	if (rc == EAS_DNS_ERROR || rc == EAS_DNS_NODATA)
		check_text(err, sizeof err);
	check_chain(c, before, rc);
	free(ans);
	free(c);
	free(c2);
	return 0;
}
