/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "autodiscover/addiscover.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "run/run.h"
#include "http/http.h"

#define AD_PATH "/autodiscover/autodiscover.xml"

/* One row per candidate: its label (perfdata, JSON), how output names
 * it, the step name the hard timeout prints (static, as it requires),
 * and how its URL was found, for the credential rule. A new candidate is
 * one row here, one enum value, and the code that asks it. */
static const struct cand {
	const char *name, *text, *step;
	enum eas_cred_path path;
} cands[EAS_AD_CAND_COUNT] = {
	[EAS_AD_CAND_DOMAIN] = { "domain", "candidate 1", "Autodiscover candidate 1 (the domain)",
				 EAS_CRED_DISCOVERED },
	[EAS_AD_CAND_AUTODISCOVER] = { "autodiscover", "candidate 2",
				       "Autodiscover candidate 2 (autodiscover.DOMAIN)",
				       EAS_CRED_DISCOVERED },
	[EAS_AD_CAND_HTTP] = { "http_redirect", "candidate 3",
			       "Autodiscover candidate 3 (the HTTP redirect)",
			       EAS_CRED_HTTP_REDIRECT },
	[EAS_AD_CAND_SRV] = { "srv", "candidate 4 (SRV)",
			      "Autodiscover candidate 4 (the SRV record)", EAS_CRED_SRV },
	[EAS_AD_CAND_REDIRECT] = { "redirect_url", "the redirect URL", "Autodiscover redirect",
				   EAS_CRED_AD_REDIRECT },
	[EAS_AD_CAND_JSON] = { "json", "the JSON endpoint", "Autodiscover JSON",
			       EAS_CRED_DISCOVERED },
};

const char *eas_ad_cand_name(int cand)
{
	return cand > 0 && cand < EAS_AD_CAND_COUNT ? cands[cand].name : "?";
}

const char *eas_ad_cand_text(int cand)
{
	return cand > 0 && cand < EAS_AD_CAND_COUNT ? cands[cand].text : "?";
}

static const char *step_name(int cand)
{
	return cands[cand].step;
}

/* How the URL of a try was found; a discovery's, when in doubt. */
static enum eas_cred_path path_of(int cand)
{
	return cand > 0 && cand < EAS_AD_CAND_COUNT ? cands[cand].path : EAS_CRED_DISCOVERED;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Everything a round needs, passed along once. */
struct run {
	struct eas_runner *run;
	const struct eas_ad_opts *d;
	struct eas_ad_result *r;
	struct eas_ad_found *f;   /* the method being run */
	struct eas_credrule rule; /* where the credentials may go */
};

static struct eas_ad_try *new_try(struct run *x, int cand, const char *addr, const char *url)
{
	struct eas_ad_try *t;

	if (x->r->ntries == EAS_AD_MAX_TRIES)
		return NULL;
	t = &x->r->tries[x->r->ntries++];
	memset(t, 0, sizeof *t);
	t->cand = cand;
	t->how = EAS_AD_TRY_MISSING;
	snprintf(t->address, sizeof t->address, "%s", addr);
	snprintf(t->url, sizeof t->url, "%s", url);
	x->r->cand_ran[cand] = true;
	return t;
}

static void said(struct eas_ad_try *t, enum eas_ad_how how, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void said(struct eas_ad_try *t, enum eas_ad_how how, const char *fmt, ...)
{
	va_list ap;

	t->how = how;
	va_start(ap, fmt);
	vsnprintf(t->outcome, sizeof t->outcome, fmt, ap);
	va_end(ap);
}

static void why(struct eas_ad_found *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void why(struct eas_ad_found *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->why, sizeof f->why, fmt, ap);
	va_end(ap);
}

static void took(struct run *x, struct eas_ad_try *t, double start)
{
	t->time = now() - start;
	x->r->cand_time[t->cand] += t->time;
	x->f->time += t->time;
}

/* The request every candidate starts from: the check's TLS, proxy and
 * name mappings, the answer size bounded. */
static void base(struct run *x, struct eas_request *req, const char *url)
{
	eas_target_transport(x->run->o, req);
	req->url = url;
	req->body_keep = EAS_AD_ANSWER_MAX + 1;
	req->read_limit = EAS_AD_ANSWER_MAX + 65536;
}

/* A request that got no answer: what a device would see. */
static void no_answer(struct eas_ad_try *t, const struct eas_response *res)
{
	switch (res->fail) {
	case EAS_FAIL_TIMEOUT: said(t, EAS_AD_TRY_TIMEOUT, "%s", res->what); break;
	case EAS_FAIL_TLS_VERIFY:
	case EAS_FAIL_TLS_HOSTNAME:
		/* Devices show a certificate warning here, or give up. */
		said(t, EAS_AD_TRY_BAD, "%s", res->what);
		break;
	default: said(t, EAS_AD_TRY_MISSING, "%s", res->what);
	}
}

/* What an HTTP status means at an Autodiscover URL (the EAS endpoint's
 * meanings are httpclass's; these differ). */
static const char *ad_status_meaning(long status)
{
	switch (status) {
	case 401:
		return "credentials refused or missing: Autodiscover wants the account's (--user, --cert)";
	case 403: return "forbidden: the server or a proxy refuses Autodiscover here";
	case 404: return "no Autodiscover service at this URL";
	case 405: return "the method is refused: not an Autodiscover service";
	case 407: return "the proxy wants authentication";
	}
	return NULL;
}

/* An HTTP answer that is not an Autodiscover one. */
static void not_autodiscover(struct eas_ad_try *t, const struct eas_response *res)
{
	struct eas_http_diag diag;
	const char *meaning = ad_status_meaning(res->status);

	if (eas_http_is_redirect(res->status)) {
		said(t, EAS_AD_TRY_MISSING,
		     "HTTP %ld redirect%s%s: devices follow redirects only from the plain-HTTP candidate",
		     res->status, res->hdr[EAS_HDR_LOCATION] ? " to " : "",
		     res->hdr[EAS_HDR_LOCATION] ? res->hdr[EAS_HDR_LOCATION] : "");
		return;
	}
	if (meaning) {
		char text[sizeof t->outcome];

		snprintf(text, sizeof text, "HTTP %ld: %s", res->status, meaning);
		eas_http_served_words(res, eas_http_status_class(res->status), text, sizeof text);
		said(t, EAS_AD_TRY_MISSING, "%s", text);
		return;
	}
	eas_http_diagnose(res, &diag);
	said(t, EAS_AD_TRY_MISSING, "%s", diag.meaning);
}

/* Parse a 200 answer into a; false (t says why) when it is none. */
static bool parse(struct eas_ad_try *t, const struct eas_response *res, bool json,
		  struct eas_ad_answer *a)
{
	char err[320];
	int rc;

	if (res->truncated) {
		said(t, EAS_AD_TRY_HOSTILE,
		     "the answer is larger than %d KiB: not Autodiscover, not read further",
		     EAS_AD_ANSWER_MAX / 1024);
		return false;
	}
	rc = json ? eas_ad_parse_json(res->body ? res->body : "", res->body_len, a, err, sizeof err)
		  : eas_ad_parse_pox(res->body ? res->body : "", res->body_len, a, err, sizeof err);
	if (rc) {
		if (a->hostile)
			said(t, EAS_AD_TRY_HOSTILE, "hostile answer, not read: %s", err);
		else
			said(t, EAS_AD_TRY_BAD, "malformed answer: %s", err);
		return false;
	}
	switch (a->kind) {
	case EAS_AD_SETTINGS: said(t, EAS_AD_TRY_ANSWERED, "MobileSync URL %s", a->url); break;
	case EAS_AD_REDIRECT_ADDR:
		said(t, EAS_AD_TRY_ANSWERED, "redirect to the address %s", a->redirect);
		break;
	case EAS_AD_REDIRECT_URL:
		said(t, EAS_AD_TRY_ANSWERED, "redirect to the URL %s", a->redirect);
		break;
	case EAS_AD_ERROR:
		if (a->error_code >= 0)
			said(t, EAS_AD_TRY_ANSWERED, "error %d: %s", a->error_code,
			     eas_ad_error_meaning(a->error_code));
		else
			said(t, EAS_AD_TRY_ANSWERED, "error %s%s%s", a->error_name,
			     a->error_msg[0] ? ": " : "", a->error_msg);
		break;
	}
	return true;
}

/* Run one request of a candidate; 0 with res filled when an HTTP answer
 * came, else -1 with t's outcome set. */
static int ask(struct run *x, struct eas_ad_try *t, struct eas_request *req,
	       struct eas_response *res)
{
	if (eas_run_step(x->run, step_name(t->cand), NULL, req, res)) {
		no_answer(t, res);
		long ms;

		if (res->fail == EAS_FAIL_TIMEOUT && !eas_deadline_left(&ms))
			x->r->out_of_time = true;
		return -1;
	}
	t->status = res->status;
	eas_served_read(res, &t->served);
	return 0;
}

/* The host asked for credentials: a 401, or a client certificate it
 * asked for in the handshake and then refused to go on without (403, a
 * TLS alert). */
static bool challenged(const struct eas_response *res, int rc)
{
	if (eas_http_status_class(res->status) == EAS_HC_AUTH_REQUIRED)
		return true;
	if (!res->tls.cert_requested)
		return false;
	if (!rc)
		return eas_http_status_class(res->status) == EAS_HC_FORBIDDEN;
	return res->fail == EAS_FAIL_TLS || res->fail == EAS_FAIL_CLIENT_CERT ||
	       res->fail == EAS_FAIL_NETWORK || res->tls.alert_received >= 0;
}

/* POST the mobilesync request for addr to url. true with a filled when
 * an Autodiscover answer came. Asked as a device asks a host it found:
 * first without any credential (the password goes only in answer to a
 * 401 Basic challenge, a bearer token, as Outlook sends one with modern
 * auth, only in answer to a 401 Bearer challenge: libcurl's
 * CURLAUTH_ONLY), the client certificate
 * only when the host asked for one and refused without it, and nothing
 * at all where the credential rule says no. */
static bool post(struct run *x, struct eas_ad_try *t, const char *addr, struct eas_ad_answer *a)
{
	const struct eas_creds *c = x->d->creds;
	struct eas_cred_verdict v;
	struct eas_request req;
	struct eas_response res;
	char body[EAS_AD_BODY_MAX], err[320];
	bool ok = false, allowed, with_cert = false;
	int rc;

	if (eas_ad_request_body(addr, body, sizeof body, err, sizeof err)) {
		said(t, EAS_AD_TRY_MISSING, "%s", err);
		return false;
	}
	allowed = !eas_credrule_decide(&x->rule, t->url, path_of(t->cand), &v);
	for (;;) {
		base(x, &req, t->url);
		req.method = "POST";
		req.body = body;
		req.body_len = strlen(body);
		req.content_type = "text/xml";
		if (allowed && c && c->token) {
			req.auth = EAS_HTTPAUTH_BEARER;
			req.token = c->token;
			req.auth_after_challenge = true;
		} else if (allowed && c && c->user) {
			req.auth = EAS_HTTPAUTH_BASIC;
			req.user = c->user;
			req.password = c->password ? c->password : "";
			req.auth_after_challenge = true;
		}
		if (with_cert)
			req.identity = &c->id;
		rc = ask(x, t, &req, &res);
		/* Asked for the certificate it did not get: again, with it. */
		if (!with_cert && allowed && c && c->id.cert && res.tls.cert_requested &&
		    challenged(&res, rc) && !x->r->out_of_time) {
			eas_response_free(&res);
			with_cert = true;
			continue;
		}
		break;
	}
	/* Challenged for the token, and refused it: the caller may refresh a
	 * cached one and ask again. */
	if (req.auth == EAS_HTTPAUTH_BEARER && !rc && res.status == 401 &&
	    res.hdr[EAS_HDR_WWW_AUTHENTICATE] &&
	    !strncasecmp(res.hdr[EAS_HDR_WWW_AUTHENTICATE], "Bearer", 6))
		x->r->bearer_refused = true;
	if (!allowed && (c && (c->user || c->token || c->id.cert)) && challenged(&res, rc))
		said(t, EAS_AD_TRY_BAD, "%s", v.why);
	else if (!rc && res.status == 200)
		ok = parse(t, &res, false, a);
	else if (!rc)
		not_autodiscover(t, &res);
	eas_response_free(&res);
	return ok;
}

/* The Location of a redirect as an absolute URL into out; false when
 * there is none or it is not a URL. */
static bool location(const char *base_url, const struct eas_response *res, char *out, size_t size)
{
	const char *loc = res->hdr[EAS_HDR_LOCATION];
	CURLU *u = curl_url();
	char *abs = NULL;
	bool ok = false;

	if (u && loc && !curl_url_set(u, CURLUPART_URL, base_url, 0) &&
	    !curl_url_set(u, CURLUPART_URL, loc, CURLU_NON_SUPPORT_SCHEME) &&
	    !curl_url_get(u, CURLUPART_URL, &abs, 0) && strlen(abs) < size) {
		snprintf(out, size, "%s", abs);
		ok = true;
	}
	curl_free(abs);
	curl_url_cleanup(u);
	return ok;
}

/* Candidate 3: GET over plain HTTP, unauthenticated, whose redirect is
 * followed only to https://, then POST there. */
static bool http_redirect(struct run *x, struct eas_ad_try *t, const char *addr,
			  struct eas_ad_answer *a)
{
	struct eas_request req;
	struct eas_response res;
	char to[1024], from[sizeof t->url], outcome[sizeof t->outcome];
	bool ok = false, redirected = false;

	base(x, &req, t->url);
	req.method = "GET";
	if (ask(x, t, &req, &res)) {
		eas_response_free(&res);
		return false;
	}
	if (!eas_http_is_redirect(res.status))
		said(t, EAS_AD_TRY_MISSING, "HTTP %ld without a redirect: nothing to follow",
		     res.status);
	else if (!location(t->url, &res, to, sizeof to))
		said(t, EAS_AD_TRY_BAD, "HTTP %ld redirect without a usable Location", res.status);
	else if (!eas_credrule_is_https(to))
		said(t, EAS_AD_TRY_BAD,
		     "redirect to plain HTTP (%s) refused: a device would send the password unencrypted; redirect to https://",
		     to);
	else
		redirected = true;
	eas_response_free(&res);
	if (!redirected)
		return false;
	/* The try is named by the https:// URL that answers. */
	snprintf(from, sizeof from, "%s", t->url);
	snprintf(t->url, sizeof t->url, "%s", to);
	ok = post(x, t, addr, a);
	snprintf(outcome, sizeof outcome, "%s", t->outcome);
	said(t, t->how, "redirected from %.300s: %.400s", from, outcome);
	return ok;
}

/* The worse of two outcomes, for a try that asked several hosts: what a
 * device stumbles over or waits for tells more than what is not there. */
static enum eas_ad_how worse(enum eas_ad_how a, enum eas_ad_how b)
{
	static const int rank[] = {
		[EAS_AD_TRY_ANSWERED] = 0, [EAS_AD_TRY_MISSING] = 1, [EAS_AD_TRY_TIMEOUT] = 2,
		[EAS_AD_TRY_BAD] = 3,      [EAS_AD_TRY_HOSTILE] = 4,
	};

	return rank[b] > rank[a] ? b : a;
}

/* Candidate 4: the SRV records, then POST to their targets in RFC 2782's
 * order (priority, then weighted random) until one answers, at most
 * EAS_AD_SRV_TARGETS of them and while -t leaves time. */
static bool srv(struct run *x, struct eas_ad_try *t, const char *domain, const char *addr,
		struct eas_ad_answer *a)
{
	struct eas_dns dns;
	struct eas_srv_list rec;
	char name[300], err[320], tried[sizeof t->outcome] = "", got[sizeof t->outcome];
	size_t n = 0, asked = 0, len = 0;
	enum eas_ad_how how = EAS_AD_TRY_MISSING;
	bool ok = false;
	long ms;
	int rc;

	snprintf(name, sizeof name, "_autodiscover._tcp.%s", domain);
	if (eas_dns_open(&dns, x->run->o->dns_server, err, sizeof err)) {
		said(t, EAS_AD_TRY_MISSING, "DNS: %s", err);
		return false;
	}
	rc = eas_dns_srv(&dns, name, &rec, err, sizeof err);
	eas_dns_close(&dns);
	if (rc) {
		said(t, EAS_AD_TRY_MISSING, "no SRV record %s: %s", name, err);
		return false;
	}
	/* RFC 2782: "." alone says the service is decidedly not available
	 * here; among other records it is none to ask. */
	for (size_t i = 0; i < rec.n; i++)
		if (strcmp(rec.rec[i].target, "."))
			n++;
	if (!n) {
		said(t, EAS_AD_TRY_MISSING,
		     "the SRV record %s says there is no such service (target '.')", name);
		eas_srv_list_free(&rec);
		return false;
	}
	for (size_t i = 0, k = 0; i < rec.n && !ok; i++) {
		const struct eas_srv *s = &rec.rec[i];

		if (!strcmp(s->target, "."))
			continue;
		k++;
		if (asked == EAS_AD_SRV_TARGETS || x->r->out_of_time || !eas_deadline_left(&ms))
			break;
		asked++;
		snprintf(t->url, sizeof t->url, "https://%s:%d" AD_PATH, s->target, s->port);
		t->status = 0;
		ok = post(x, t, addr, a);
		if (ok && asked > 1) {
			snprintf(got, sizeof got, "%s", t->outcome);
			said(t, t->how, "SRV target %zu of %zu %.100s:%d: %.200s (after %s)", k, n,
			     s->target, s->port, got, tried);
		} else if (ok && n > 1) {
			snprintf(got, sizeof got, "%s", t->outcome);
			said(t, t->how, "SRV target 1 of %zu %.100s:%d: %.300s", n, s->target,
			     s->port, got);
		} else if (!ok) {
			how = worse(how, t->how);
			if (len < sizeof tried)
				len += (size_t)snprintf(tried + len, sizeof tried - len,
							"%starget %zu of %zu %.100s:%d: %.120s",
							asked > 1 ? "; " : "", k, n, s->target,
							s->port, t->outcome);
		}
	}
	if (ok) {
		/* its outcome is said */
	} else if (!asked) {
		said(t, EAS_AD_TRY_TIMEOUT, "no time was left to ask the SRV targets of %s", name);
	} else if (asked < n && asked == EAS_AD_SRV_TARGETS) {
		said(t, how, "%zu of %zu SRV targets asked (at most %d are): %s", asked, n,
		     EAS_AD_SRV_TARGETS, tried);
	} else if (asked < n) {
		said(t, how, "%zu of %zu SRV targets asked (no time was left for more): %s", asked,
		     n, tried);
	} else if (n > 1) {
		said(t, how, "%zu SRV targets asked: %s", n, tried);
	}
	eas_srv_list_free(&rec);
	return ok;
}

static bool try_candidate(struct run *x, int cand, const char *addr, const char *domain,
			  struct eas_ad_answer *a, double *start)
{
	struct eas_ad_try *t;
	char url[600];
	bool ok;

	switch (cand) {
	case EAS_AD_CAND_DOMAIN: snprintf(url, sizeof url, "https://%s" AD_PATH, domain); break;
	case EAS_AD_CAND_AUTODISCOVER:
		snprintf(url, sizeof url, "https://autodiscover.%s" AD_PATH, domain);
		break;
	case EAS_AD_CAND_HTTP:
		snprintf(url, sizeof url, "http://autodiscover.%s" AD_PATH, domain);
		break;
	default: url[0] = 0;
	}
	t = new_try(x, cand, addr, url);
	if (!t)
		return false;
	*start = now();
	if (cand == EAS_AD_CAND_HTTP)
		ok = http_redirect(x, t, addr, a);
	else if (cand == EAS_AD_CAND_SRV)
		ok = srv(x, t, domain, addr, a);
	else
		ok = post(x, t, addr, a);
	took(x, t, *start);
	if (ok)
		snprintf(x->f->from, sizeof x->f->from, "%s", t->url);
	return ok;
}

/* One round for addr: the candidates in order until one answers. */
static bool round_for(struct run *x, const char *addr, struct eas_ad_answer *a, int *cand)
{
	const char *domain = strrchr(addr, '@') + 1;
	double start;

	if (eas_credrule_public_suffix(domain, true)) {
		struct eas_ad_try *t = new_try(x, EAS_AD_CAND_DOMAIN, addr, "");

		/* autodiscover.com is anyone's: the 'Great Leak'. */
		if (t)
			said(t, EAS_AD_TRY_BAD,
			     "%s is a public suffix, not an organisation's domain: Autodiscover is not asked for it (anyone may own autodiscover.%s), nothing sent",
			     domain, domain);
		return false;
	}
	for (int c = EAS_AD_CAND_DOMAIN; c <= EAS_AD_CAND_SRV; c++) {
		if (x->d->only && c != x->d->only)
			continue;
		if (x->r->out_of_time)
			return false;
		if (try_candidate(x, c, addr, domain, a, &start)) {
			*cand = c;
			return true;
		}
	}
	return false;
}

static bool seen(char (*list)[600], size_t n, const char *what)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], what))
			return true;
	return false;
}

/* Words for a round without answer: the most telling try of it. */
static void why_nothing(struct run *x, size_t first, const char *addr)
{
	const struct eas_ad_try *best = NULL;

	for (size_t i = first; i < x->r->ntries; i++)
		if (!best || x->r->tries[i].how > best->how ||
		    (x->r->tries[i].how == best->how && best->how == EAS_AD_TRY_MISSING &&
		     x->r->tries[i].status > 0 && best->status == 0))
			best = &x->r->tries[i];
	/* The last try's words name the time ("no answer within 2s"). */
	if (x->r->out_of_time && x->r->ntries && x->r->tries[x->r->ntries - 1].outcome[0])
		why(x->f, "Autodiscover for %s ran out of time: %.400s", addr,
		    x->r->tries[x->r->ntries - 1].outcome);
	else if (x->r->out_of_time)
		why(x->f, "Autodiscover for %s ran out of time (%gs)", addr, x->run->o->timeout);
	else
		why(x->f, "no Autodiscover candidate answered for %s%s%.400s", addr,
		    best ? "; " : "", best ? best->outcome : "");
}

static void pox(struct run *x)
{
	struct eas_ad_found *f = x->f;
	struct eas_ad_answer *a = &f->answer;
	/* What the next hop asks: an address (a round) or a URL (one POST). */
	char addr[EAS_AD_ADDRESS_MAX + 1], url[1024] = "", key[600];
	char visited[EAS_AD_MAX_HOPS + 1][600];
	size_t nvisited = 0, first;
	int cand = 0;
	double start;

	snprintf(addr, sizeof addr, "%s", x->d->address);
	snprintf(visited[nvisited++], sizeof visited[0], "address %s", addr);
	for (;;) {
		first = x->r->ntries;
		if (url[0]) {
			struct eas_ad_try *t = new_try(x, EAS_AD_CAND_REDIRECT, addr, url);
			bool ok;

			if (!t)
				return;
			start = now();
			ok = post(x, t, addr, a);
			took(x, t, start);
			if (!ok) {
				why_nothing(x, first, addr);
				return;
			}
			snprintf(f->from, sizeof f->from, "%s", url);
			cand = EAS_AD_CAND_REDIRECT;
		} else if (!round_for(x, addr, a, &cand)) {
			why_nothing(x, first, addr);
			return;
		}
		f->cand = cand;
		if (a->kind == EAS_AD_SETTINGS) {
			snprintf(f->url, sizeof f->url, "%s", a->url);
			f->found = true;
			return;
		}
		if (a->kind == EAS_AD_ERROR) {
			f->error = true;
			why(f, "%s answered %s", f->from, x->r->tries[x->r->ntries - 1].outcome);
			return;
		}
		if (a->kind == EAS_AD_REDIRECT_URL && !eas_credrule_is_https(a->redirect)) {
			why(f, "%s redirects to %s, which is not https://: devices refuse it",
			    f->from, a->redirect);
			return;
		}
		if (a->kind == EAS_AD_REDIRECT_ADDR && !eas_mailaddr_ok(a->redirect)) {
			why(f, "%s redirects to '%s', which is not an e-mail address", f->from,
			    a->redirect);
			return;
		}
		snprintf(key, sizeof key, "%s %s",
			 a->kind == EAS_AD_REDIRECT_ADDR ? "address" : "URL", a->redirect);
		if (seen(visited, nvisited, key)) {
			f->loop = true;
			why(f, "redirect loop: %s sends back to the %.500s asked before", f->from,
			    key);
			return;
		}
		if (f->nredirects == EAS_AD_MAX_HOPS) {
			f->hop_limit = true;
			why(f, "more than %d redirects: devices give up (the last to the %.500s)",
			    EAS_AD_MAX_HOPS, key);
			return;
		}
		snprintf(f->redirects[f->nredirects++], sizeof f->redirects[0], "%s", key);
		snprintf(visited[nvisited++], sizeof visited[0], "%s", key);
		if (a->kind == EAS_AD_REDIRECT_ADDR) {
			snprintf(addr, sizeof addr, "%.319s", a->redirect);
			url[0] = 0;
		} else {
			snprintf(url, sizeof url, "%s", a->redirect);
		}
	}
}

/* The address as a URL path segment: '@' kept, as clients send it. */
static void path_escape(const char *s, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *s && o + 4 < size; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || strchr("-._~@+", ch)) {
			out[o++] = (char)ch;
		} else {
			out[o++] = '%';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		}
	}
	out[o] = 0;
}

/* The JSON endpoint: anonymous GET, https:// redirects followed. */
static void json(struct run *x)
{
	struct eas_ad_found *f = x->f;
	const char *domain = strrchr(x->d->address, '@') + 1;
	char esc[3 * EAS_AD_ADDRESS_MAX + 1], url[1400], to[1024];
	struct eas_ad_try *t;
	double start;

	path_escape(x->d->address, esc, sizeof esc);
	snprintf(
		url, sizeof url,
		"https://autodiscover.%.256s/autodiscover/autodiscover.json/v1.0/%.700s?Protocol=ActiveSync",
		domain, esc);
	for (;;) {
		struct eas_request req;
		struct eas_response res;
		bool next = false;

		t = new_try(x, EAS_AD_CAND_JSON, x->d->address, url);
		if (!t)
			return;
		start = now();
		base(x, &req, url);
		req.method = "GET";
		if (ask(x, t, &req, &res)) {
			eas_response_free(&res);
			took(x, t, start);
			why(f, "%s: %s", url, t->outcome);
			return;
		}
		if (res.status == 200 && parse(t, &res, true, &f->answer)) {
			snprintf(f->from, sizeof f->from, "%.1000s", url);
			f->cand = EAS_AD_CAND_JSON;
			if (f->answer.kind == EAS_AD_SETTINGS) {
				snprintf(f->url, sizeof f->url, "%s", f->answer.url);
				f->found = true;
			} else {
				f->error = true;
				why(f, "%s answered %s", url, t->outcome);
			}
		} else if (res.status == 200) {
			why(f, "%s: %s", url, t->outcome);
		} else if (eas_http_is_redirect(res.status) && location(url, &res, to, sizeof to)) {
			if (!eas_credrule_is_https(to)) {
				said(t, EAS_AD_TRY_BAD, "redirect to plain HTTP (%s) refused", to);
				why(f, "%s: %s", url, t->outcome);
			} else if (f->nredirects == EAS_AD_MAX_HOPS ||
				   seen(f->redirects, f->nredirects, to)) {
				f->loop = f->nredirects < EAS_AD_MAX_HOPS;
				f->hop_limit = !f->loop;
				said(t, EAS_AD_TRY_BAD, "%s",
				     f->loop ? "redirect loop" : "too many redirects");
				why(f, "%s: %s to %s", url, t->outcome, to);
			} else {
				said(t, EAS_AD_TRY_ANSWERED, "HTTP %ld redirect to %s", res.status,
				     to);
				snprintf(f->redirects[f->nredirects++], sizeof f->redirects[0],
					 "%.590s", to);
				snprintf(url, sizeof url, "%s", to);
				next = true;
			}
		} else {
			not_autodiscover(t, &res);
			why(f, "%s: %s", url, t->outcome);
		}
		eas_response_free(&res);
		took(x, t, start);
		if (!next)
			return;
	}
}

int eas_ad_discover(struct eas_runner *run, const struct eas_ad_opts *d, struct eas_ad_result *r)
{
	struct run x = { .run = run, .d = d, .r = r };
	double saved = run->step_limit;

	memset(r, 0, sizeof *r);
	/* Trusted: --trust-domain and the address's domain; the domain of an
	 * address a Redirect gives only when inside one of these. */
	eas_creds_rule(run->o, &x.rule);
	eas_credrule_trust_address(&x.rule, d->address);
	run->step_limit = d->cand_timeout;
	if (d->methods & EAS_AD_POX) {
		x.f = &r->pox;
		r->pox.ran = true;
		pox(&x);
	}
	if ((d->methods & EAS_AD_JSON) && !r->out_of_time) {
		x.f = &r->json;
		r->json.ran = true;
		json(&x);
	}
	run->step_limit = saved;
	return (!r->pox.ran || r->pox.found) && (!r->json.ran || r->json.found) ? 0 : -1;
}
