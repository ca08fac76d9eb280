/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "http/dns.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

/* ------------------------------------------------------------ parsing */

static const char *type_name(int type)
{
	return type == ns_t_srv ? "SRV" : type == ns_t_a ? "A" : "AAAA";
}

/* Names as ns_name_ntop writes them, equal in DNS's sense (letters in any
 * case, a trailing dot or none). */
static bool same_name(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la > 1 && a[la - 1] == '.')
		la--;
	if (lb > 1 && b[lb - 1] == '.')
		lb--;
	return la == lb && !strncasecmp(a, b, la);
}

static const char *last(const struct eas_dns_chain *c)
{
	return c->name[c->n - 1];
}

void eas_dns_chain_init(struct eas_dns_chain *c, const char *name)
{
	c->n = 1;
	snprintf(c->name[0], sizeof c->name[0], "%s", name);
}

/* The name of the chain for a message: "X" or "Y (an alias of X)". */
static void chain_words(const struct eas_dns_chain *c, char *out, size_t size)
{
	if (c->n > 1)
		snprintf(out, size, "%.255s (an alias of %.255s)", last(c), c->name[0]);
	else
		snprintf(out, size, "%.255s", c->name[0]);
}

/* Add an alias's target to the chain: bounded, and never a name twice. */
static int chain_add(struct eas_dns_chain *c, const char *target, char *err, size_t errlen)
{
	for (size_t i = 0; i < c->n; i++)
		if (same_name(c->name[i], target)) {
			snprintf(
				err, errlen,
				"%.255s leads into a CNAME loop (%.255s is an alias of %.255s, which came before): fix the aliases in its DNS zone",
				c->name[0], last(c), target);
			return -1;
		}
	if (c->n == EAS_DNS_CNAME_MAX + 1) {
		snprintf(
			err, errlen,
			"%.255s is a CNAME chain longer than %d: point its alias closer to the host",
			c->name[0], EAS_DNS_CNAME_MAX);
		return -1;
	}
	snprintf(c->name[c->n++], sizeof c->name[0], "%s", target);
	return 0;
}

/* Follow the aliases of the chain's last name within the answer. */
static int chase(ns_msg *msg, struct eas_dns_chain *c, char *err, size_t errlen)
{
	for (bool more = true; more;) {
		more = false;
		for (int i = 0; i < ns_msg_count(*msg, ns_s_an); i++) {
			ns_rr rr;
			char target[NS_MAXDNAME];

			if (ns_parserr(msg, ns_s_an, i, &rr) || ns_rr_type(rr) != ns_t_cname ||
			    !same_name(ns_rr_name(rr), last(c)))
				continue;
			if (dn_expand(ns_msg_base(*msg), ns_msg_end(*msg), ns_rr_rdata(rr), target,
				      sizeof target) < 0)
				continue;
			if (chain_add(c, target, err, errlen))
				return -1;
			more = true;
			break;
		}
	}
	return 0;
}

/* What every answer needs: whole, parsable, a success code; the aliases in
 * it followed. On success msg is ready for the records of the chain's last
 * name and *aliased says whether this answer added a name. */
static enum eas_dns_rc open_answer(const unsigned char *ans, size_t len, int type,
				   struct eas_dns_chain *c, ns_msg *msg, bool *aliased, char *err,
				   size_t errlen)
{
	size_t before = c->n;
	char who[600];
	int rcode;

	*aliased = false;
	if (len < NS_HFIXEDSZ || len > EAS_DNS_ANSWER_MAX || ns_initparse(ans, (int)len, msg)) {
		snprintf(err, errlen, "the DNS answer for %.255s is malformed", last(c));
		return EAS_DNS_ERROR;
	}
	if (ns_msg_getflag(*msg, ns_f_tc)) {
		snprintf(err, errlen,
			 "the DNS answer for %.255s is cut short (truncated) even over TCP",
			 last(c));
		return EAS_DNS_ERROR;
	}
	if (chase(msg, c, err, errlen))
		return EAS_DNS_ERROR;
	*aliased = c->n > before;
	chain_words(c, who, sizeof who);
	rcode = ns_msg_getflag(*msg, ns_f_rcode);
	switch (rcode) {
	case ns_r_noerror: return EAS_DNS_FOUND;
	case ns_r_nxdomain: snprintf(err, errlen, "the DNS name %s does not exist", who); break;
	case ns_r_servfail:
		snprintf(err, errlen, "the DNS server failed to look %s up (SERVFAIL)", who);
		break;
	case ns_r_refused:
		snprintf(err, errlen, "the DNS server refused to look %s up (REFUSED)", who);
		break;
	default:
		snprintf(err, errlen, "the DNS lookup of %s failed (response code %d)", who, rcode);
	}
	(void)type;
	return EAS_DNS_ERROR;
}

/* No record of the type for the chain's last name: its next alias to ask,
 * or the plain words. */
static enum eas_dns_rc none(const struct eas_dns_chain *c, bool aliased, int type, char *err,
			    size_t errlen)
{
	char who[600];

	if (aliased)
		return EAS_DNS_ALIAS;
	chain_words(c, who, sizeof who);
	snprintf(err, errlen, "%s has no %s record", who, type_name(type));
	return EAS_DNS_NODATA;
}

enum eas_dns_rc eas_dns_parse_addrs(const unsigned char *ans, size_t len, int type,
				    struct eas_dns_chain *c, struct eas_dns_addrs *out, char *err,
				    size_t errlen)
{
	size_t want = type == ns_t_a ? 4 : 16, before = out->n;
	enum eas_dns_rc rc;
	ns_msg msg;
	bool aliased;

	rc = open_answer(ans, len, type, c, &msg, &aliased, err, errlen);
	if (rc != EAS_DNS_FOUND)
		return rc;
	for (int i = 0; i < ns_msg_count(msg, ns_s_an) && out->n < EAS_DNS_ADDRS_MAX; i++) {
		ns_rr rr;

		if (ns_parserr(&msg, ns_s_an, i, &rr) || (int)ns_rr_type(rr) != type ||
		    ns_rr_rdlen(rr) != want || !same_name(ns_rr_name(rr), last(c)))
			continue;
		if (!inet_ntop(type == ns_t_a ? AF_INET : AF_INET6, ns_rr_rdata(rr),
			       out->addr[out->n], sizeof out->addr[out->n])) {
			out->n = before;
			snprintf(err, errlen, "the address of %.255s does not fit", last(c));
			return EAS_DNS_ERROR;
		}
		out->n++;
	}
	return out->n > before ? EAS_DNS_FOUND : none(c, aliased, type, err, errlen);
}

enum eas_dns_rc eas_dns_parse_addr(const unsigned char *ans, size_t len, int type,
				   struct eas_dns_chain *c, char *addr, size_t size, char *err,
				   size_t errlen)
{
	struct eas_dns_addrs *all = malloc(sizeof *all);
	enum eas_dns_rc rc;

	if (size)
		addr[0] = 0;
	if (!all) {
		snprintf(err, errlen, "out of memory for a DNS answer");
		return EAS_DNS_ERROR;
	}
	all->n = 0;
	rc = eas_dns_parse_addrs(ans, len, type, c, all, err, errlen);
	if (rc == EAS_DNS_FOUND && (size_t)snprintf(addr, size, "%s", all->addr[0]) >= size) {
		if (size)
			addr[0] = 0;
		snprintf(err, errlen, "the address of %.255s does not fit", last(c));
		rc = EAS_DNS_ERROR;
	}
	free(all);
	return rc;
}

/* Move rec[i] to rec[to] (to <= i), the ones between one place on. */
static void move_to(struct eas_srv *rec, size_t to, size_t i)
{
	struct eas_srv tmp = rec[i];

	memmove(&rec[to + 1], &rec[to], (i - to) * sizeof *rec);
	rec[to] = tmp;
}

/* RFC 2782's order within one priority, on rec[0..n): weight 0 first (in
 * their order); a random number in 0..the sum of the weights not yet
 * ordered picks the first of them whose running sum reaches it; again
 * with the rest (which keep their order, weight 0 still first). */
static void weighted_order(struct eas_srv *rec, size_t n, eas_dns_rand_fn rnd, void *ctx)
{
	size_t zeros = 0;

	for (size_t i = 0; i < n; i++)
		if (rec[i].weight == 0)
			move_to(rec, zeros++, i);
	for (size_t done = 0; done + 1 < n; done++) {
		unsigned long sum = 0, r, run = 0;
		size_t pick = n - 1;

		for (size_t i = done; i < n; i++)
			sum += (unsigned long)rec[i].weight;
		r = rnd(ctx, sum);
		if (r > sum)
			r = sum;
		for (size_t i = done; i < n; i++) {
			run += (unsigned long)rec[i].weight;
			if (run >= r) {
				pick = i;
				break;
			}
		}
		move_to(rec, done, pick);
	}
}

static int by_priority(const void *a, const void *b)
{
	const struct eas_srv *x = a, *y = b;

	return x->priority - y->priority;
}

/* qsort is not stable: the packet order as the last key keeps the order
 * of equals the same on every run (the weights then mix it). */
struct srv_at {
	struct eas_srv rec;
	size_t at;
};

static int by_priority_at(const void *a, const void *b)
{
	const struct srv_at *x = a, *y = b;
	int d = by_priority(&x->rec, &y->rec);

	return d ? d : (x->at > y->at) - (x->at < y->at);
}

static void rfc2782_order(struct eas_srv *rec, size_t n, eas_dns_rand_fn rnd, void *ctx)
{
	struct srv_at *tmp = n ? calloc(n, sizeof *tmp) : NULL;
	size_t start = 0;

	if (tmp) {
		for (size_t i = 0; i < n; i++) {
			tmp[i].rec = rec[i];
			tmp[i].at = i;
		}
		qsort(tmp, n, sizeof *tmp, by_priority_at);
		for (size_t i = 0; i < n; i++)
			rec[i] = tmp[i].rec;
		free(tmp);
	} else {
		qsort(rec, n, sizeof *rec, by_priority); /* no memory: at least sorted */
	}
	for (size_t i = 1; i <= n; i++)
		if (i == n || rec[i].priority != rec[start].priority) {
			weighted_order(rec + start, i - start, rnd, ctx);
			start = i;
		}
}

static unsigned long no_random(void *ctx, unsigned long bound)
{
	(void)ctx;
	(void)bound;
	return 0;
}

enum eas_dns_rc eas_dns_parse_srv(const unsigned char *ans, size_t len, struct eas_dns_chain *c,
				  eas_dns_rand_fn rnd, void *rnd_ctx, struct eas_srv_list *out,
				  char *err, size_t errlen)
{
	enum eas_dns_rc rc;
	ns_msg msg;
	bool aliased;
	size_t count;

	out->rec = NULL;
	out->n = 0;
	rc = open_answer(ans, len, ns_t_srv, c, &msg, &aliased, err, errlen);
	if (rc != EAS_DNS_FOUND)
		return rc;
	/* At most what 64 KiB holds (about 3,400): all of them, none left out. */
	count = ns_msg_count(msg, ns_s_an);
	out->rec = count ? calloc(count, sizeof *out->rec) : NULL;
	if (count && !out->rec) {
		snprintf(err, errlen, "out of memory for the SRV records of %.255s", last(c));
		return EAS_DNS_ERROR;
	}
	for (size_t i = 0; i < count; i++) {
		ns_rr rr;
		const unsigned char *rd;
		struct eas_srv *s = &out->rec[out->n];
		int used;

		if (ns_parserr(&msg, ns_s_an, (int)i, &rr) || ns_rr_type(rr) != ns_t_srv ||
		    ns_rr_rdlen(rr) < 7 || !same_name(ns_rr_name(rr), last(c)))
			continue;
		rd = ns_rr_rdata(rr);
		s->priority = ns_get16(rd);
		s->weight = ns_get16(rd + 2);
		s->port = ns_get16(rd + 4);
		/* The target within the record's data, and a host name's length. */
		used = dn_expand(ns_msg_base(msg), ns_msg_end(msg), rd + 6, s->target,
				 sizeof s->target);
		if (used < 0 || (size_t)used > (size_t)ns_rr_rdlen(rr) - 6)
			continue;
		if (!s->target[0]) /* the root, as glibc writes it */
			snprintf(s->target, sizeof s->target, ".");
		out->n++;
	}
	if (!out->n) {
		eas_srv_list_free(out);
		return none(c, aliased, ns_t_srv, err, errlen);
	}
	rfc2782_order(out->rec, out->n, rnd ? rnd : no_random, rnd_ctx);
	return EAS_DNS_FOUND;
}

void eas_srv_list_free(struct eas_srv_list *l)
{
	free(l->rec);
	l->rec = NULL;
	l->n = 0;
}

/* ------------------------------------------------------------ queries */

static unsigned long system_random(void *ctx, unsigned long bound)
{
	uint32_t r = 0;

	(void)ctx;
	if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
		r = (uint32_t)random();
	return bound == ~0UL ? r : (unsigned long)r % (bound + 1);
}

int eas_dns_open(struct eas_dns *d, const char *server, char *err, size_t errlen)
{
	char addr[64];
	const char *colon;
	long port = 53;
	struct in_addr in;

	memset(d, 0, sizeof *d);
	d->rnd = system_random;
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
		snprintf(
			err, errlen,
			"--dns-server takes an IPv4 address and an optional port (192.0.2.53 or 192.0.2.53:5353)");
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

/* Send one query for name; the answer's length into *len (never more than
 * was received, nor than the buffer). A truncated UDP answer is asked
 * again over TCP, for all of it. Returns 0, or -1 with the reason. */
static int ask(struct eas_dns *d, const char *name, int type, unsigned char *buf, size_t size,
	       size_t *len, char *err, size_t errlen)
{
	unsigned char q[NS_PACKETSZ];
	int qlen, n;
	unsigned long options = d->st.options;

	qlen = res_nmkquery(&d->st, ns_o_query, name, ns_c_in, type, NULL, 0, NULL, q, sizeof q);
	if (qlen < 0) {
		snprintf(err, errlen, "%.255s is not a name DNS can look up", name);
		return -1;
	}
	for (int tcp = 0; tcp < 2; tcp++) {
		if (tcp)
			d->st.options |= RES_USEVC;
		errno = 0;
		n = res_nsend(&d->st, q, qlen, buf, (int)size);
		d->st.options = options;
		if (n < 0 && errno == ECONNREFUSED) {
			snprintf(
				err, errlen,
				"the DNS server%s%s refuses connections (asked for %.255s): is it running, on that port?",
				d->server[0] ? " " : "", d->server, name);
			return -1;
		}
		if (n < 0) {
			/* glibc drops REFUSED and SERVFAIL answers: they end here too. */
			snprintf(
				err, errlen,
				"no answer from the DNS server%s%s for %.255s: it is down or unreachable, or refused or failed the query",
				d->server[0] ? " " : "", d->server, name);
			return -1;
		}
		/* glibc gives the whole answer's length even when only size
		 * bytes of it fitted. */
		*len = (size_t)n < size ? (size_t)n : size;
		if (*len < NS_HFIXEDSZ || !(buf[2] & 0x02) || (size_t)n > size)
			break;
	}
	return 0;
}

/* One lookup of type through the aliases: the parser's result. */
static enum eas_dns_rc lookup(struct eas_dns *d, const char *name, int type,
			      struct eas_dns_addrs *addrs, struct eas_srv_list *srv, char *err,
			      size_t errlen)
{
	struct eas_dns_chain *c = malloc(sizeof *c);
	unsigned char *buf = malloc(EAS_DNS_ANSWER_MAX);
	enum eas_dns_rc rc = EAS_DNS_ERROR;
	size_t len;

	if (!c || !buf) {
		snprintf(err, errlen, "out of memory for a DNS lookup");
		goto out;
	}
	eas_dns_chain_init(c, name);
	do {
		if (ask(d, last(c), type, buf, EAS_DNS_ANSWER_MAX, &len, err, errlen)) {
			rc = EAS_DNS_ERROR;
			break;
		}
		rc = type == ns_t_srv
			     ? eas_dns_parse_srv(buf, len, c, d->rnd, d->rnd_ctx, srv, err, errlen)
			     : eas_dns_parse_addrs(buf, len, type, c, addrs, err, errlen);
	} while (rc == EAS_DNS_ALIAS);
out:
	free(c);
	free(buf);
	return rc;
}

int eas_dns_srv(struct eas_dns *d, const char *name, struct eas_srv_list *out, char *err,
		size_t errlen)
{
	out->rec = NULL;
	out->n = 0;
	return lookup(d, name, ns_t_srv, NULL, out, err, errlen) == EAS_DNS_FOUND ? 0 : -1;
}

int eas_dns_addrs(struct eas_dns *d, const char *name, struct eas_dns_addrs *out, char *err,
		  size_t errlen)
{
	enum eas_dns_rc rc;

	out->n = 0;
	rc = lookup(d, name, ns_t_a, out, NULL, err, errlen);
	/* A name that does not exist has no AAAA either, and a server that
	 * does not answer will not for AAAA: keep those words. */
	if (rc == EAS_DNS_ERROR)
		return -1;
	if (lookup(d, name, ns_t_aaaa, out, NULL, err, errlen) == EAS_DNS_ERROR && out->n == 0)
		return -1;
	if (out->n)
		return 0;
	snprintf(err, errlen, "%.255s has no address in the DNS", name);
	return -1;
}

int eas_dns_addr(struct eas_dns *d, const char *name, char *addr, size_t size, char *err,
		 size_t errlen)
{
	struct eas_dns_addrs *all = malloc(sizeof *all);
	int rc = -1;

	if (!all) {
		snprintf(err, errlen, "out of memory for a DNS lookup");
		return -1;
	}
	all->n = 0;
	/* IPv4 first, IPv6 only when there is none (as before). */
	if (lookup(d, name, ns_t_a, all, NULL, err, errlen) == EAS_DNS_NODATA) {
		if (lookup(d, name, ns_t_aaaa, all, NULL, err, errlen) == EAS_DNS_NODATA)
			snprintf(err, errlen, "%.255s has no address in the DNS", name);
	}
	if (all->n && (size_t)snprintf(addr, size, "%s", all->addr[0]) < size)
		rc = 0;
	else if (all->n)
		snprintf(err, errlen, "the address of %.255s does not fit", name);
	free(all);
	return rc;
}
