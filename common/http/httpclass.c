/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "http/httpclass.h"

#include "http/diaghdr.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/challenge.h"

#define ANY_SUB (-2)

/* One row per answer: status range, IIS sub-status (ANY_SUB for any, -1
 * for none), whether the EAS headers must be there (1), absent (0) or
 * either (-1); the class; the sentence (after "HTTP <status>"), in which
 * %s stands for header hdr (or "(not given)"); a tail printed only when
 * header tail_hdr is present, %s its value; and a header without which
 * the row does not apply (-1: none). The first matching row wins; a
 * redirect row applies only to what eas_http_is_redirect() calls one. When
 * the sentence speaks of Exchange or IIS, generic holds the words for an
 * answer from another server (NULL: the sentence fits every server). The
 * X-MS-ASThrottle row ends with what the reason means (diaghdr.c's table). */
static const struct row {
	int lo, hi, sub, eas;
	enum eas_http_class cls;
	const char *text;
	int hdr; /* enum eas_hdr, or -1 */
	const char *tail;
	int tail_hdr, need;
	const char *generic;
} rows[] = {
	{ 200, 200, ANY_SUB, 1, EAS_HC_EAS, " with the ActiveSync headers", -1, NULL, -1, -1,
	  NULL },
	{ 200, 200, ANY_SUB, 0, EAS_HC_NOT_EAS,
	  " but without the ActiveSync headers: a reverse-proxy or login page answers, not Exchange",
	  -1, NULL, -1, -1,
	  " but without the ActiveSync headers: a reverse-proxy or login page answers, not the ActiveSync server" },
	{ 301, 308, ANY_SUB, -1, EAS_HC_REDIRECT,
	  " redirect to %s: a reverse proxy sends clients to a login page, or the URL is wrong (devices do not follow this)",
	  EAS_HDR_LOCATION, NULL, -1, -1, NULL },
	{ 400, 400, ANY_SUB, -1, EAS_HC_OTHER,
	  ": bad request, the server did not understand the request (protocol version or command not supported?)",
	  -1, NULL, -1, -1, NULL },
	{ 401, 401, 1, -1, EAS_HC_AUTH_REQUIRED,
	  ".1: logon failed, the user name or password was rejected", -1, NULL, -1, -1, NULL },
	{ 401, 401, 2, -1, EAS_HC_AUTH_REQUIRED,
	  ".2: no accepted authentication (a client certificate passed TLS but is not mapped to an account: IIS client certificate mapping is off or misconfigured)",
	  -1, NULL, -1, -1, NULL },
	{ 401, 401, 3, -1, EAS_HC_AUTH_REQUIRED,
	  ".3: the account lacks file permissions on the EAS virtual directory", -1, NULL, -1, -1,
	  NULL },
	{ 401, 401, ANY_SUB, -1, EAS_HC_AUTH_REQUIRED,
	  ": authentication required or credentials rejected (by Exchange or a reverse proxy in front of it)",
	  -1, "; server offers %s", EAS_HDR_WWW_AUTHENTICATE, -1,
	  ": authentication required or credentials rejected (by the server or a reverse proxy in front of it)" },
	{ 403, 403, 4, -1, EAS_HC_OTHER,
	  ".4: SSL required, the server refuses plain HTTP (use https://)", -1, NULL, -1, -1,
	  NULL },
	{ 403, 403, 7, -1, EAS_HC_CERT_REQUIRED,
	  ".7: the server requires a client certificate and none was sent", -1, NULL, -1, -1,
	  NULL },
	{ 403, 403, 16, -1, EAS_HC_CERT_REFUSED,
	  ".16: the client certificate is untrusted or invalid (its CA is not trusted by IIS, or revocation cannot be checked)",
	  -1, NULL, -1, -1, NULL },
	{ 403, 403, 17, -1, EAS_HC_CERT_REFUSED,
	  ".17: the client certificate has expired or is not yet valid", -1, NULL, -1, -1, NULL },
	{ 403, 403, ANY_SUB, -1, EAS_HC_FORBIDDEN,
	  ": access forbidden; the service is up but refuses this client (user not enabled for ActiveSync, device access rule, SSL or client-certificate requirement, proxy rule)",
	  -1, NULL, -1, -1, NULL },
	{ 404, 404, ANY_SUB, -1, EAS_HC_NOT_FOUND,
	  ": not found, wrong path or the EAS virtual directory (Microsoft-Server-ActiveSync) is missing or not published by the proxy",
	  -1, NULL, -1, -1,
	  ": not found, wrong path, or the server or the proxy in front of it does not serve ActiveSync there" },
	{ 449, 449, ANY_SUB, -1, EAS_HC_PROVISION,
	  ": retry after Provision; the service is up but wants the device to accept its policy first",
	  -1, NULL, -1, -1, NULL },
	{ 451, 451, ANY_SUB, -1, EAS_HC_ELSEWHERE,
	  ": the mailbox is served elsewhere, clients are told to use %s", EAS_HDR_MS_LOCATION,
	  NULL, -1, -1, NULL },
	{ 456, 456, ANY_SUB, -1, EAS_HC_ACCOUNT,
	  ": the user's account is blocked (disabled or locked out in the directory)", -1, NULL, -1,
	  -1, NULL },
	{ 457, 457, ANY_SUB, -1, EAS_HC_ACCOUNT,
	  ": the user's password has expired: set a new one for the monitoring account", -1, NULL,
	  -1, -1, NULL },
	{ 500, 500, ANY_SUB, -1, EAS_HC_SERVER_ERROR,
	  ": internal server error in Exchange or IIS (application pool or back end down?)", -1,
	  NULL, -1, -1,
	  ": internal server error in the ActiveSync server or the proxy in front of it (see the server's error log)" },
	{ 501, 501, ANY_SUB, -1, EAS_HC_WRONG_METHOD,
	  " not implemented: the server is alive but does not accept this method", -1, NULL, -1, -1,
	  NULL },
	{ 502, 502, ANY_SUB, -1, EAS_HC_SERVER_ERROR,
	  ": the reverse proxy cannot reach Exchange behind it", -1, NULL, -1, -1,
	  ": the reverse proxy cannot reach the server behind it" },
	{ 503, 503, ANY_SUB, -1, EAS_HC_SERVER_ERROR, ": throttled", -1, ", retry after %s",
	  EAS_HDR_RETRY_AFTER, EAS_HDR_THROTTLE, NULL },
	{ 503, 503, ANY_SUB, -1, EAS_HC_SERVER_ERROR,
	  ": service unavailable (overloaded, throttling, stopped or in maintenance)", -1,
	  ", retry after %s", EAS_HDR_RETRY_AFTER, -1, NULL },
	{ 504, 504, ANY_SUB, -1, EAS_HC_SERVER_ERROR,
	  ": the reverse proxy cannot reach Exchange behind it", -1, NULL, -1, -1,
	  ": the reverse proxy cannot reach the server behind it" },
	{ 505, 505, ANY_SUB, -1, EAS_HC_WRONG_METHOD,
	  " version not supported: the server is alive but refuses this HTTP version", -1, NULL, -1,
	  -1, NULL },
	{ 507, 507, ANY_SUB, -1, EAS_HC_SERVER_ERROR,
	  ": insufficient storage on the server (the mailbox or its database is full)", -1, NULL,
	  -1, -1, NULL },
};

const char *eas_http_class_name(enum eas_http_class c)
{
	static const char *const names[EAS_HC_COUNT] = {
		"eas",          "not_eas",      "redirect",     "auth_required", "cert_required",
		"cert_refused", "forbidden",    "account",      "provision",     "elsewhere",
		"not_found",    "server_error", "wrong_method", "other",
	};
	return (unsigned)c < EAS_HC_COUNT ? names[c] : "other";
}

int eas_iis_substatus(const char *body, long status)
{
	char code[8];
	const char *p;
	int n;

	if (!body || status < 100 || status > 599)
		return -1;
	snprintf(code, sizeof code, "%ld.", status);
	/* "HTTP Error 403.7 - Forbidden", "403.16 - Forbidden: ..." */
	for (p = strstr(body, code); p; p = strstr(p + 1, code)) {
		const char *d = p + strlen(code);

		if (p > body && isdigit((unsigned char)p[-1]))
			continue;
		if (!isdigit((unsigned char)*d))
			continue;
		n = 0;
		while (isdigit((unsigned char)*d) && n < 1000)
			n = n * 10 + (*d++ - '0');
		if (isdigit((unsigned char)*d))
			continue;
		return n;
	}
	return -1;
}

bool eas_http_is_redirect(long status)
{
	return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

enum eas_http_class eas_http_status_class(long status)
{
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *r = &rows[i];

		if (status >= r->lo && status <= r->hi && r->sub == ANY_SUB && r->eas < 0 &&
		    r->need < 0 && (r->cls != EAS_HC_REDIRECT || eas_http_is_redirect(status)))
			return r->cls;
	}
	return EAS_HC_OTHER;
}

bool eas_from_microsoft(const struct eas_response *res)
{
	const char *server = res->hdr[EAS_HDR_SERVER], *by = res->hdr[EAS_HDR_POWERED_BY];

	return (server && !strncasecmp(server, "Microsoft-IIS", 13)) ||
	       (by && strstr(by, "ASP.NET")) || res->hdr[EAS_HDR_FESERVER];
}

bool eas_has_eas_headers(const struct eas_response *res)
{
	return res->hdr[EAS_HDR_VERSIONS] && res->hdr[EAS_HDR_COMMANDS];
}

static bool matches(const struct row *r, const struct eas_response *res, int sub)
{
	return res->status >= r->lo && res->status <= r->hi &&
	       (r->cls != EAS_HC_REDIRECT || eas_http_is_redirect(res->status)) &&
	       (r->sub == ANY_SUB || r->sub == sub) &&
	       (r->eas < 0 || r->eas == (int)eas_has_eas_headers(res)) &&
	       (r->need < 0 || res->hdr[r->need]);
}

/* A header value for a sentence: "(not given)" when absent, seconds
 * named as such. */
static void header_text(const struct eas_response *res, int hdr, char *buf, size_t size)
{
	const char *v = hdr >= 0 ? res->hdr[hdr] : NULL;

	if (!v || !*v) {
		snprintf(buf, size, "(not given)");
	} else if (hdr == EAS_HDR_WWW_AUTHENTICATE) {
		/* The schemes; their parameters are -v's (eas_challenge_describe). */
		struct eas_challenges cs;

		eas_challenge_parse(v, &cs);
		eas_challenge_names(&cs, buf, size);
		if (!*buf)
			snprintf(buf, size, "no scheme it names readably");
	} else if (hdr == EAS_HDR_RETRY_AFTER && isdigit((unsigned char)v[0]))
		snprintf(buf, size, "%ss", v);
	else
		snprintf(buf, size, "%s", v);
}

/* After "HTTP 503: throttled, retry after 30s": what the reason means
 * (diaghdr.c's table), then the reason as Exchange names it. */
static void throttled(const struct eas_response *res, struct eas_http_diag *d)
{
	const char *v = res->hdr[EAS_HDR_THROTTLE];
	const char *words = eas_throttle_words(v);
	size_t len = strlen(d->meaning);

	if (words)
		snprintf(d->meaning + len, sizeof d->meaning - len, ": %s (X-MS-ASThrottle: %.64s)",
			 words, v);
}

/* text with its one "%s" replaced by value, appended to buf. The table's
 * texts are data, never format strings. */
static void append_subst(char *buf, size_t size, const char *text, const char *value)
{
	size_t len = strlen(buf);
	const char *mark = strstr(text, "%s");

	if (!mark) {
		snprintf(buf + len, size - len, "%s", text);
		return;
	}
	snprintf(buf + len, size - len, "%.*s%s%s", (int)(mark - text), text, value, mark + 2);
}

/* A 401 that says why it refused a bearer token (error= in its Bearer
 * challenge, Exchange's X-MS-Diagnostics): that reason, in plain words.
 * Only for a request that carried one: RFC 6750 3.1 asks servers to say
 * nothing to others, but mod_oauth2 tells an anonymous request
 * error="invalid_request". */
static void bearer_refused(const struct eas_response *res, struct eas_http_diag *d)
{
	struct eas_challenges cs;
	char why[300];

	eas_challenge_parse(res->hdr[EAS_HDR_WWW_AUTHENTICATE], &cs);
	if (!eas_bearer_refusal(&cs, res->hdr[EAS_HDR_MS_DIAGNOSTICS], why, sizeof why))
		snprintf(d->meaning, sizeof d->meaning, "HTTP 401: %s", why);
}

/* Append n bytes of s to buf (size), cut at its end. */
static void cat(char *buf, size_t size, const char *s, size_t n)
{
	size_t len = strlen(buf);

	if (n > size - 1 - len)
		n = size - 1 - len;
	memcpy(buf + len, s, n);
	buf[len + n] = 0;
}

void eas_http_served_words(const struct eas_response *res, enum eas_http_class cls, char *text,
			   size_t size)
{
	struct eas_served sv;
	char head[160], whole[1024] = "";
	size_t status;

	if (cls == EAS_HC_EAS || !size)
		return;
	eas_served_read(res, &sv);
	if (eas_served_text(&sv, head, sizeof head)) {
		cat(whole, sizeof whole, head, strlen(head));
		cat(whole, sizeof whole, ": ", 2);
	}
	/* The status ("HTTP 503", "HTTP 401.1") ends at the first ':'. */
	status = strcspn(text, ":");
	/* To a request with a token, the refusal's words (bearer_refused)
	 * already say what X-MS-Diagnostics says. */
	if (res->fail == EAS_FAIL_NONE && sv.tells && !strncmp(text, "HTTP ", 5) &&
	    !(sv.point == EAS_FP_AUTH && res->token_offered)) {
		cat(whole, sizeof whole, text, status);
		cat(whole, sizeof whole, ": ", 2);
		cat(whole, sizeof whole, sv.component, strlen(sv.component));
		cat(whole, sizeof whole, text + status, strlen(text + status));
	} else {
		cat(whole, sizeof whole, text, strlen(text));
	}
	text[0] = 0;
	cat(text, size, whole, strlen(whole));
}

static void diagnose(const struct eas_response *res, struct eas_http_diag *d);

void eas_http_diagnose(const struct eas_response *res, struct eas_http_diag *d)
{
	struct eas_served sv;
	char head[160];
	size_t n;

	diagnose(res, d);
	eas_http_served_words(res, d->cls, d->meaning, sizeof d->meaning);
	/* The servers' names lead: how long they are, for a caller that
	 * judges the answer fine and wants the sentence without them. */
	eas_served_read(res, &sv);
	n = eas_served_text(&sv, head, sizeof head);
	if (d->cls != EAS_HC_EAS && n && !strncmp(d->meaning, head, n))
		d->served_len = n + 2;
}

static void diagnose(const struct eas_response *res, struct eas_http_diag *d)
{
	long st = res->status;
	char value[256];
	bool ms;

	memset(d, 0, sizeof *d);
	d->cls = EAS_HC_OTHER;
	d->substatus = -1;
	if (res->fail != EAS_FAIL_NONE) {
		if (res->fail == EAS_FAIL_CLIENT_CERT)
			d->cls = res->cert_offered ? EAS_HC_CERT_REFUSED : EAS_HC_CERT_REQUIRED;
		snprintf(d->meaning, sizeof d->meaning, "%s", res->what);
		return;
	}
	/* IIS sub-statuses and Exchange words only for Microsoft's answers:
	 * another server's page may hold "403.7" by chance. */
	ms = eas_from_microsoft(res);
	d->substatus = ms ? eas_iis_substatus(res->body, st) : -1;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *r = &rows[i];

		if (!matches(r, res, d->substatus))
			continue;
		d->cls = r->cls;
		header_text(res, r->hdr, value, sizeof value);
		snprintf(d->meaning, sizeof d->meaning, "HTTP %ld", st);
		append_subst(d->meaning, sizeof d->meaning,
			     !ms && r->generic ? r->generic : r->text, value);
		if (r->tail && r->tail_hdr >= 0 && res->hdr[r->tail_hdr]) {
			header_text(res, r->tail_hdr, value, sizeof value);
			append_subst(d->meaning, sizeof d->meaning, r->tail, value);
		}
		if (d->cls == EAS_HC_AUTH_REQUIRED && res->token_offered)
			bearer_refused(res, d);
		if (r->need == EAS_HDR_THROTTLE)
			throttled(res, d);
		/* Apache's answer when a certificate asked for per location
		 * did not come: the certificate is what is missing. */
		if (d->cls == EAS_HC_FORBIDDEN && res->tls.cert_requested && !res->cert_offered) {
			d->cls = EAS_HC_CERT_REQUIRED;
			snprintf(
				d->meaning, sizeof d->meaning,
				"HTTP 403: the server asked for a client certificate and refuses access without one");
		}
		return;
	}
	snprintf(d->meaning, sizeof d->meaning, "unexpected HTTP %ld%s%s", st,
		 res->reason[0] ? " " : "", res->reason);
}
