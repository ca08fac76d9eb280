/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DNS lookups through the system's resolver library (glibc's libresolv),
 * against the system's name servers or one the operator names
 * (--dns-server, for split-horizon checks: "what do external devices
 * see?"): SRV records and host addresses, with the answer in plain words
 * when there is none (the name does not exist, has no such record, the
 * server does not answer).
 *
 * Two halves: the queries (eas_dns_open, eas_dns_srv, eas_dns_addr) and
 * the parsers of one answer (eas_dns_parse_*), pure functions over the
 * bytes received (glibc's ns_initparse/ns_parserr do the wire format), so
 * that they can be fuzzed and unit-tested. Answers of any size up to
 * 64 KiB (the most DNS over TCP carries) are read whole; CNAME chains are
 * followed, within an answer and by new queries, at most EAS_DNS_CNAME_MAX
 * aliases; SRV records are ordered as RFC 2782 says. */
#ifndef EAS_DNSQ_H
#define EAS_DNSQ_H

#include <arpa/nameser.h>
#include <resolv.h>
#include <stdbool.h>
#include <stddef.h>

#define EAS_DNS_ANSWER_MAX 65536 /* a TCP answer's length is 16 bits */
#define EAS_DNS_CNAME_MAX 8      /* aliases followed from the name asked */
#define EAS_DNS_HOST_MAX 256     /* a host name's text (255) and its NUL */

/* A source of randomness for the SRV weights: a number in 0..bound,
 * uniformly; ctx is the caller's. */
typedef unsigned long (*eas_dns_rand_fn)(void *ctx, unsigned long bound);

struct eas_dns {
	struct __res_state st;
	char server[80]; /* "" for the system's */
	eas_dns_rand_fn rnd;
	void *rnd_ctx;
};

struct eas_srv {
	int priority, weight, port;
	char target[EAS_DNS_HOST_MAX]; /* "." alone: no such service */
};

/* All the SRV records of a name, in the order to try them (heap). */
struct eas_srv_list {
	struct eas_srv *rec;
	size_t n;
};

/* Every address of a name (A, then AAAA), as text. */
#define EAS_DNS_ADDRS_MAX 16
struct eas_dns_addrs {
	char addr[EAS_DNS_ADDRS_MAX][64];
	size_t n;
};

/* The names of one lookup: the one asked, then each alias's target. */
struct eas_dns_chain {
	char name[EAS_DNS_CNAME_MAX + 1][NS_MAXDNAME];
	size_t n; /* names in it, at least 1 */
};

/* What a parser found in one answer. */
enum eas_dns_rc {
	EAS_DNS_ERROR = -1, /* err says why */
	EAS_DNS_FOUND = 0,  /* the records asked for */
	EAS_DNS_NODATA = 1, /* the name exists without such a record (err says so) */
	EAS_DNS_ALIAS = 2,  /* the answer ends in an alias: ask for its target, the
				chain's last name */
};

/* server: "ADDRESS[:PORT]" (IPv4) or NULL for the system's servers.
 * Returns 0, or -1 with one sentence in err. */
int eas_dns_open(struct eas_dns *d, const char *server, char *err, size_t errlen);
/* The SRV records of name, all of them in the order to try them, into
 * *out (free with eas_srv_list_free). Returns 0, or -1 with one sentence
 * in err (and *out empty). */
int eas_dns_srv(struct eas_dns *d, const char *name, struct eas_srv_list *out, char *err,
		size_t errlen);
/* An address of name (IPv4, else IPv6) as text into addr. */
int eas_dns_addr(struct eas_dns *d, const char *name, char *addr, size_t size, char *err,
		 size_t errlen);
/* Every address of name, IPv4 then IPv6 (at most EAS_DNS_ADDRS_MAX), into
 * *out: 0, or -1 with one sentence in err when there is none. */
int eas_dns_addrs(struct eas_dns *d, const char *name, struct eas_dns_addrs *out, char *err,
		  size_t errlen);
void eas_dns_close(struct eas_dns *d);
void eas_srv_list_free(struct eas_srv_list *l);

/* A chain that starts at name (cut to NS_MAXDNAME - 1 bytes). */
void eas_dns_chain_init(struct eas_dns_chain *c, const char *name);

/* One answer of len bytes (what was received, nothing more) to a query
 * for the chain's last name, type ns_t_a or ns_t_aaaa: the first usable
 * address as text into addr. Aliases in the answer are added to c. */
enum eas_dns_rc eas_dns_parse_addr(const unsigned char *ans, size_t len, int type,
				   struct eas_dns_chain *c, char *addr, size_t size, char *err,
				   size_t errlen);
/* Every usable address of the answer appended to *out (up to
 * EAS_DNS_ADDRS_MAX; out->n set by the caller): FOUND when it added one. */
enum eas_dns_rc eas_dns_parse_addrs(const unsigned char *ans, size_t len, int type,
				    struct eas_dns_chain *c, struct eas_dns_addrs *out, char *err,
				    size_t errlen);
/* The same for ns_t_srv: every SRV record, ordered by RFC 2782 with rnd
 * (priority ascending; within one, a weighted random order, weight 0
 * first among equals), into *out (heap, free with eas_srv_list_free). */
enum eas_dns_rc eas_dns_parse_srv(const unsigned char *ans, size_t len, struct eas_dns_chain *c,
				  eas_dns_rand_fn rnd, void *rnd_ctx, struct eas_srv_list *out,
				  char *err, size_t errlen);

#endif
