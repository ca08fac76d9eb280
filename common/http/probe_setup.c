/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A request description turned into libcurl options, one concern at a
 * time: where to connect, TLS, HTTP, authentication. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "http/probe_internal.h"
#include "tls/tls.h"

static long curl_tls_version(long v)
{
	switch (v) {
	case 10: return CURL_SSLVERSION_TLSv1_0;
	case 11: return CURL_SSLVERSION_TLSv1_1;
	case 12: return CURL_SSLVERSION_TLSv1_2;
	case 13: return CURL_SSLVERSION_TLSv1_3;
	default: return CURL_SSLVERSION_DEFAULT;
	}
}

static long curl_tls_max(long v)
{
	switch (v) {
	case 10: return CURL_SSLVERSION_MAX_TLSv1_0;
	case 11: return CURL_SSLVERSION_MAX_TLSv1_1;
	case 12: return CURL_SSLVERSION_MAX_TLSv1_2;
	case 13: return CURL_SSLVERSION_MAX_TLSv1_3;
	default: return CURL_SSLVERSION_MAX_DEFAULT;
	}
}

/* The URL, with the extra query parameters URL-encoded by libcurl. */
static int setup_url(struct eas_conn *pc)
{
	const struct eas_request *req = pc->req;

	if (!req->query || !req->query->name) {
		/* libcurl judges the URL itself and says what is wrong. */
		curl_easy_setopt(pc->curl, CURLOPT_URL, req->url);
		return 0;
	}
	pc->url = curl_url();
	if (!pc->url || curl_url_set(pc->url, CURLUPART_URL, req->url, 0))
		return -1;
	for (const struct eas_param *q = req->query; q->name; q++) {
		char pair[1024];
		int n = snprintf(pair, sizeof pair, "%s=%s", q->name, q->value);

		if (n < 0 || (size_t)n >= sizeof pair ||
		    curl_url_set(pc->url, CURLUPART_QUERY, pair,
				 CURLU_APPENDQUERY | CURLU_URLENCODE))
			return -1;
	}
	curl_easy_setopt(pc->curl, CURLOPT_CURLU, pc->url);
	return 0;
}

static int append(struct curl_slist **list, const char *entry)
{
	struct curl_slist *l = curl_slist_append(*list, entry);

	if (!l)
		return -1;
	*list = l;
	return 0;
}

/* -I, --sni, --resolve and --connect-to: connect elsewhere, keep the URL's
 * name for TLS and Host. */
static int setup_target(struct eas_conn *pc)
{
	const struct eas_request *req = pc->req;
	CURLU *u = NULL;
	char *host = NULL, *port = NULL, entry[512];
	int rc = -1;

	for (const char *const *r = req->resolve; r && *r; r++)
		if (append(&pc->resolve, *r))
			return -1;
	for (const char *const *r = req->connect_to; r && *r; r++)
		if (append(&pc->connect_to, *r))
			return -1;
	if (req->connect_ip || req->connect_host) {
		u = curl_url();
		if (!u || curl_url_set(u, CURLUPART_URL, req->url, 0) ||
		    curl_url_get(u, CURLUPART_HOST, &host, 0) ||
		    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT))
			goto out;
		if (req->connect_ip)
			snprintf(entry, sizeof entry, "%s:%s:%s", host, port, req->connect_ip);
		else
			snprintf(entry, sizeof entry, "%s:%s:%s:%s", host, port, req->connect_host,
				 port);
		if (append(req->connect_ip ? &pc->resolve : &pc->connect_to, entry))
			goto out;
	}
	if (pc->resolve)
		curl_easy_setopt(pc->curl, CURLOPT_RESOLVE, pc->resolve);
	if (pc->connect_to)
		curl_easy_setopt(pc->curl, CURLOPT_CONNECT_TO, pc->connect_to);
	rc = 0;
out:
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

/* The proxy libcurl will use: --proxy, else the environment's for the
 * URL's scheme (as libcurl reads it), unless --noproxy. Named in -v and
 * in failures, since a dead proxy otherwise reads as a dead server. */
static const char *env_proxy(const char *url)
{
	static const char *const https[] = { "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
					     NULL };
	static const char *const http[] = { "http_proxy", "all_proxy", "ALL_PROXY", NULL };
	const char *no = getenv("no_proxy") ? getenv("no_proxy") : getenv("NO_PROXY");
	const char *const *names = strncmp(url, "https:", 6) ? http : https;

	if (no && !strcmp(no, "*"))
		return NULL;
	for (; *names; names++)
		if (getenv(*names) && *getenv(*names))
			return getenv(*names);
	return NULL;
}

/* The proxy as -v, JSON and failures name it: a password in it masked
 * (http://user:***@host:3128); libcurl alone gets the real one. */
static void mask_proxy(const char *proxy, char *out, size_t size)
{
	const char *sep = strstr(proxy, "://");
	const char *auth = sep ? sep + 3 : proxy;
	const char *end = auth + strcspn(auth, "/?#");
	const char *at = NULL, *colon;

	for (const char *p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	if (!at) {
		snprintf(out, size, "%s", proxy);
		return;
	}
	colon = memchr(auth, ':', (size_t)(at - auth));
	snprintf(out, size, "%.*s%s%s", (int)((colon ? colon : at) - proxy), proxy,
		 colon ? ":***" : "", at);
}

static void setup_proxy(struct eas_conn *pc)
{
	const struct eas_request *req = pc->req;
	const char *proxy = req->noproxy ? NULL : req->proxy ? req->proxy : env_proxy(req->url);

	if (req->noproxy)
		curl_easy_setopt(pc->curl, CURLOPT_NOPROXY, "*");
	else if (req->proxy)
		curl_easy_setopt(pc->curl, CURLOPT_PROXY, req->proxy);
	if (req->ip_version)
		curl_easy_setopt(pc->curl, CURLOPT_IPRESOLVE,
				 req->ip_version == 4 ? CURL_IPRESOLVE_V4 : CURL_IPRESOLVE_V6);
	if (proxy)
		mask_proxy(proxy, pc->res->proxy, sizeof pc->res->proxy);
}

static void setup_tls(struct eas_conn *pc)
{
	const struct eas_request *req = pc->req;
	CURL *c = pc->curl;
	struct eas_trust trust;

	eas_trust_pick(req->ca_file, req->ca_path, &trust);
	if (trust.file || trust.path) {
		curl_easy_setopt(c, CURLOPT_CAINFO, trust.file);
		curl_easy_setopt(c, CURLOPT_CAPATH, trust.path);
	}
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, req->insecure ? 0L : 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, req->insecure ? 0L : 2L);
	curl_easy_setopt(c, CURLOPT_SSLVERSION,
			 curl_tls_version(req->tls_min) | curl_tls_max(req->tls_max));
	curl_easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, eas_probe_ssl_ctx);
	curl_easy_setopt(c, CURLOPT_SSL_CTX_DATA, pc);
	/* A probe on its own connection stands alone: no TLS session from an
	 * earlier one (it may carry another identity's certificate). */
	if (!pc->keep)
		curl_easy_setopt(c, CURLOPT_SSL_SESSIONID_CACHE, 0L);
}

static int add_header(struct eas_conn *pc, const char *h)
{
	struct curl_slist *l = curl_slist_append(pc->headers, h);

	if (!l)
		return -1;
	pc->headers = l;
	return 0;
}

static int setup_http(struct eas_conn *pc)
{
	const struct eas_request *req = pc->req;
	CURL *c = pc->curl;

	if (!req->method) {
		curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, 1L);
		return 0;
	}
	if (req->body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body);
		/* No 100-continue round trip: EAS servers answer at once. */
		if (add_header(pc, "Expect:"))
			return -1;
		if (req->content_type) {
			char ct[160];

			snprintf(ct, sizeof ct, "Content-Type: %s", req->content_type);
			if (add_header(pc, ct))
				return -1;
		}
	}
	if (!strcmp(req->method, "HEAD"))
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	else if (strcmp(req->method, req->body ? "POST" : "GET"))
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
	for (const char *const *h = req->headers; h && *h; h++)
		if (add_header(pc, *h))
			return -1;
	if (pc->headers)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, pc->headers);
	return 0;
}

/* The message, as libcurl reads it for DATA (it adds the dot-stuffing). */
static size_t read_body(char *buf, size_t size, size_t n, void *p)
{
	struct eas_conn *pc = p;
	size_t left = pc->req->body_len - pc->uploaded, take = size * n < left ? size * n : left;

	memcpy(buf, (const char *)pc->req->body + pc->uploaded, take);
	pc->uploaded += take;
	return take;
}

/* SMTP: the envelope and the message; no credentials, no proxy. */
static int setup_smtp(struct eas_conn *pc)
{
	const struct eas_request *req = pc->req;
	CURL *c = pc->curl;

	if (append(&pc->rcpt, req->mail_rcpt))
		return -1;
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, req->mail_from ? req->mail_from : "");
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, pc->rcpt);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)req->body_len);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_body);
	curl_easy_setopt(c, CURLOPT_READDATA, pc);
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	return 0;
}

static void setup_auth(struct eas_conn *pc)
{
	const struct eas_request *req = pc->req;
	CURL *c = pc->curl;

	switch (req->auth) {
	case EAS_HTTPAUTH_BASIC:
		/* CURLAUTH_ONLY: libcurl asks anonymously first and resends
		 * (the body too) with Basic only after a 401 asking for it. */
		curl_easy_setopt(c, CURLOPT_HTTPAUTH,
				 req->auth_after_challenge ? CURLAUTH_BASIC | CURLAUTH_ONLY
							   : CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, req->user ? req->user : "");
		curl_easy_setopt(c, CURLOPT_PASSWORD, req->password ? req->password : "");
		break;
	case EAS_HTTPAUTH_BEARER:
		/* The same for a token, after a 401 asking for Bearer. */
		curl_easy_setopt(c, CURLOPT_HTTPAUTH,
				 req->auth_after_challenge ? CURLAUTH_BEARER | CURLAUTH_ONLY
							   : CURLAUTH_BEARER);
		curl_easy_setopt(c, CURLOPT_XOAUTH2_BEARER, req->token ? req->token : "");
		break;
	case EAS_HTTPAUTH_NONE: break;
	}
}

/* Where the request is, for the hard timeout and the timeout message. */
static int on_sockopt(void *p, curl_socket_t fd, curlsocktype purpose)
{
	struct eas_conn *pc = p;

	(void)fd;
	(void)purpose;
	pc->res->phase = EAS_PHASE_CONNECT;
	clock_gettime(CLOCK_MONOTONIC, &pc->t_sock);
	return CURL_SOCKOPT_OK;
}

static int on_prereq(void *p, char *conn_ip, char *local_ip, int conn_port, int local_port)
{
	struct eas_conn *pc = p;

	(void)local_ip;
	(void)conn_port;
	(void)local_port;
	snprintf(pc->res->ip, sizeof pc->res->ip, "%s", conn_ip);
	pc->res->phase = EAS_PHASE_WAIT;
	return CURL_PREREQFUNC_OK;
}

int eas_probe_setup(struct eas_conn *pc)
{
	const struct eas_request *req = pc->req;
	CURL *c = pc->curl;

	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, req->mail_rcpt ? "smtp,smtps" : "http,https");
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, pc->errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 1L);
	curl_easy_setopt(c, CURLOPT_PRIVATE, pc);
	curl_easy_setopt(c, CURLOPT_USERAGENT,
			 req->user_agent ? req->user_agent : "check-eas/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, pc->keep ? 0L : 1L);
	curl_easy_setopt(c, CURLOPT_FORBID_REUSE, pc->keep ? 0L : 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	if (req->timeout_ms > 0)
		curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, req->timeout_ms);
	curl_easy_setopt(c, CURLOPT_SOCKOPTFUNCTION, on_sockopt);
	curl_easy_setopt(c, CURLOPT_SOCKOPTDATA, pc);
	curl_easy_setopt(c, CURLOPT_PREREQFUNCTION, on_prereq);
	curl_easy_setopt(c, CURLOPT_PREREQDATA, pc);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, eas_probe_on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, pc);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, eas_probe_on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, pc);
	if (setup_url(pc) || setup_target(pc) || (req->mail_rcpt ? setup_smtp(pc) : setup_http(pc)))
		return -1;
	if (!req->mail_rcpt)
		setup_proxy(pc);
	setup_tls(pc);
	setup_auth(pc);
	return 0;
}
