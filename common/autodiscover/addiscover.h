/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Autodiscover as an ActiveSync device does it ([MS-OXDSCLI] 3.1.5): for
 * the domain of an e-mail address, in order, POST the mobilesync request
 * to https://DOMAIN/autodiscover/autodiscover.xml, then to
 * https://autodiscover.DOMAIN/..., then GET http://autodiscover.DOMAIN/...
 * unauthenticated and follow its redirect only to https://, then ask DNS
 * for _autodiscover._tcp.DOMAIN (SRV) and POST there. The first candidate
 * that answers ends the round; a Redirect (address or URL) starts another,
 * at most EAS_AD_MAX_HOPS of them, a loop stops it. Or the JSON endpoint
 * of current clients, anonymous. Every request goes through the step
 * runner (deadline, --dns-server, --resolve, --connect-to); what
 * each candidate did is kept in plain words, the state is the caller's.
 * Credentials follow common/credrule: every host is asked anonymously
 * first, and gets the password or the bearer token (after its 401 asking
 * for that scheme; never to the JSON endpoint, which is anonymous) or the
 * certificate (after
 * it asked for one and refused) only over verified https and inside the
 * address's domain or a --trust-domain; an address at a public suffix is
 * not asked at all. */
#ifndef EAS_AD_DISCOVER_H
#define EAS_AD_DISCOVER_H

#include <stdbool.h>
#include <stddef.h>

#include "autodiscover/adanswer.h"
#include "run/run.h"

#define EAS_AD_MAX_HOPS 10 /* redirects followed, as [MS-OXDSCLI] */
#define EAS_AD_MAX_TRIES 64
#define EAS_AD_SRV_TARGETS 8 /* SRV targets asked, best first */

enum eas_ad_method {
	EAS_AD_POX = 1 << 0,
	EAS_AD_JSON = 1 << 1,
};

/* The candidates: 1-4 in a device's order, then the two that are not
 * tried for a domain but followed (a Redirect's URL) or asked on their
 * own (JSON). */
enum eas_ad_cand {
	EAS_AD_CAND_DOMAIN = 1,   /* https://DOMAIN/autodiscover/autodiscover.xml */
	EAS_AD_CAND_AUTODISCOVER, /* https://autodiscover.DOMAIN/... */
	EAS_AD_CAND_HTTP,         /* http://autodiscover.DOMAIN/..., GET, redirect */
	EAS_AD_CAND_SRV,          /* _autodiscover._tcp.DOMAIN SRV */
	EAS_AD_CAND_REDIRECT,     /* a Redirect answer's URL */
	EAS_AD_CAND_JSON,         /* autodiscover.json/v1.0 */
	EAS_AD_CAND_COUNT
};

/* "domain", "autodiscover", "http_redirect", "srv", "redirect_url", "json"
 * (perfdata labels and JSON). */
const char *eas_ad_cand_name(int cand);

/* "candidate 2", "candidate 4 (SRV)", "the redirect URL", "the JSON
 * endpoint": how output names a candidate. */
const char *eas_ad_cand_text(int cand);

/* How a candidate's try went, for the caller's state. */
enum eas_ad_how {
	EAS_AD_TRY_ANSWERED, /* an Autodiscover answer (settings, redirect, error) */
	EAS_AD_TRY_MISSING,  /* nothing there (no DNS name, 404, refused, ...):
			     a device goes on to the next candidate */
	EAS_AD_TRY_BAD,      /* something a device stumbles over: a certificate
			     warning, a malformed or hostile answer, a
			     redirect to plain HTTP */
	EAS_AD_TRY_TIMEOUT,  /* no answer in time: a device waits */
	EAS_AD_TRY_HOSTILE,  /* an answer that attacks XML readers (entities,
			     DOCTYPE, depth, size): who answers there? */
};

struct eas_ad_try {
	int cand; /* enum eas_ad_cand */
	enum eas_ad_how how;
	char address[EAS_AD_ADDRESS_MAX + 1];
	char url[1024];           /* asked ("" for an SRV name without record) */
	double time;              /* seconds, DNS SRV lookup included */
	long status;              /* HTTP status, 0 none */
	char outcome[480];        /* plain words */
	struct eas_served served; /* who answered, as Exchange's headers say */
};

struct eas_ad_opts {
	const char *address;
	unsigned methods;              /* EAS_AD_POX | EAS_AD_JSON */
	int only;                      /* --candidate 1-4, 0: all */
	double cand_timeout;           /* seconds one candidate may take, 0: the rest */
	const struct eas_creds *creds; /* for the POX requests, as the rule allows:
					  the bearer token when it holds
					  one, else basic */
};

struct eas_ad_found { /* what one method gave */
	bool ran, found, error, hop_limit, loop;
	char url[1024];                       /* the MobileSync URL */
	int cand;                             /* the candidate that gave it */
	char from[1024];                      /* the Autodiscover URL that answered */
	struct eas_ad_answer answer;          /* the last answer */
	char redirects[EAS_AD_MAX_HOPS][600]; /* "address a@b", "URL u" */
	size_t nredirects;
	double time;   /* seconds a device waits for it */
	char why[480]; /* when not found: why, in plain words */
};

struct eas_ad_result {
	struct eas_ad_found pox, json;
	struct eas_ad_try tries[EAS_AD_MAX_TRIES];
	size_t ntries;
	double cand_time[EAS_AD_CAND_COUNT]; /* summed over rounds */
	bool cand_ran[EAS_AD_CAND_COUNT];
	bool out_of_time;    /* -t ran out: the rest was not tried */
	bool bearer_refused; /* a host challenged for the bearer token and
				refused the one sent (401) */
};

/* Discover. Returns 0 when every method asked for found a URL, -1
 * otherwise (r says why). */
int eas_ad_discover(struct eas_runner *run, const struct eas_ad_opts *d, struct eas_ad_result *r);

#endif
