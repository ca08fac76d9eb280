/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libcurl's result, the TLS alerts we saw and the verification result,
 * turned into one failure class and a sentence an operator can act on. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "http/probe_internal.h"
#include "tls/tls.h"

static void say(struct eas_response *res, enum eas_fail f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(struct eas_response *res, enum eas_fail f, const char *fmt, ...)
{
	va_list ap;

	res->fail = f;
	va_start(ap, fmt);
	vsnprintf(res->what, sizeof res->what, fmt, ap);
	va_end(ap);
}

static bool has(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

static bool client_cert_refused(struct eas_conn *pc)
{
	const struct eas_tls_info *ti = &pc->res->tls;
	const char *name = eas_tls_alert_name(ti->alert_received);

	if (!eas_tls_alert_refuses_cert(ti->alert_received) ||
	    (!ti->cert_requested && ti->alert_received != SSL_AD_CERTIFICATE_REQUIRED))
		return false;
	if (!pc->req->identity) {
		say(pc->res, EAS_FAIL_CLIENT_CERT,
		    "the server requires a client certificate and none was sent (TLS alert: %s)",
		    name);
	} else if (ti->alert_received == SSL_AD_UNKNOWN_CA) {
		say(pc->res, EAS_FAIL_CLIENT_CERT,
		    "the server does not trust the CA of our client certificate (TLS alert: unknown CA)");
	} else if (ti->alert_received == SSL_AD_CERTIFICATE_EXPIRED) {
		say(pc->res, EAS_FAIL_CLIENT_CERT,
		    "the server refused our client certificate as expired (TLS alert: certificate expired)");
	} else {
		say(pc->res, EAS_FAIL_CLIENT_CERT,
		    "the server refused our client certificate (TLS alert: %s)", name);
	}
	return true;
}

/* The certificate names another host: the classic of a root domain's web
 * host. Say which host was asked for and what the certificate names. */
static void name_mismatch(struct eas_conn *pc)
{
	struct eas_response *res = pc->res;
	STACK_OF(X509) *sent = res->tls.sent;
	CURLU *u = curl_url();
	char *host = NULL, names[200] = "";

	if (u && !curl_url_set(u, CURLUPART_URL, pc->req->url, 0))
		curl_url_get(u, CURLUPART_HOST, &host, 0);
	if (host && sent && sk_X509_num(sent) > 0)
		eas_hostmatch_check(sk_X509_value(sent, 0), host, names, sizeof names);
	say(res, EAS_FAIL_TLS_HOSTNAME,
	    "server certificate does not match the host name we connected to%s%s%s%s%s" EAS_HOSTNAME_ADVICE,
	    host ? ", " : "", host ? host : "", names[0] ? " (it names " : "", names,
	    names[0] ? ")" : "");
	curl_free(host);
	curl_url_cleanup(u);
}

static void verify_failed(struct eas_conn *pc)
{
	struct eas_response *res = pc->res;
	char why[256];

	eas_verify_reason(res->tls.verify_result, why, sizeof why);
	say(res, EAS_FAIL_TLS_VERIFY,
	    "server certificate not trusted: %s (certificate at depth %d)", why,
	    res->tls.verify_depth);
}

static void tls_failed(struct eas_conn *pc)
{
	struct eas_response *res = pc->res;
	const char *e = pc->errbuf;
	int alert = res->tls.alert_received;

	if (client_cert_refused(pc))
		return;
	if (has(e, "wrong version number") || has(e, "packet length too long") ||
	    has(e, "record layer failure"))
		say(res, EAS_FAIL_TLS,
		    "TLS handshake failed: the port does not speak TLS (plain HTTP or another service?)");
	else if (alert == SSL_AD_PROTOCOL_VERSION || has(e, "unsupported protocol") ||
		 has(e, "no protocols available"))
		say(res, EAS_FAIL_TLS,
		    "TLS handshake failed: no TLS version in common with the server (see --tls-min)");
	else if (alert >= 0)
		say(res, EAS_FAIL_TLS, "TLS handshake refused by the server (TLS alert: %s)",
		    eas_tls_alert_name(alert));
	else if (has(e, "unexpected eof") || has(e, "SSL_ERROR_SYSCALL") ||
		 has(e, "Connection reset"))
		say(res, EAS_FAIL_TLS,
		    "TLS handshake failed: the server closed the connection during the handshake");
	else
		say(res, EAS_FAIL_TLS, "TLS handshake failed");
}

/* Through a proxy the connection that failed may be the proxy's: say so,
 * or a dead proxy reads as a dead server. */
static void name_proxy(struct eas_response *res)
{
	char what[sizeof res->what];

	if (!res->proxy[0] || res->fail == EAS_FAIL_NONE || res->fail == EAS_FAIL_SETUP)
		return;
	snprintf(what, sizeof what, "%s", res->what);
	if (res->fail == EAS_FAIL_REFUSED || res->fail == EAS_FAIL_UNREACHABLE ||
	    res->fail == EAS_FAIL_CONNECT)
		snprintf(res->what, sizeof res->what, "cannot connect to the proxy %.100s: %.180s",
			 res->proxy, what);
	else if (!strstr(what, res->proxy))
		snprintf(res->what, sizeof res->what, "%.180s (through the proxy %.100s)", what,
			 res->proxy);
}

/* An SMTP server that answered with a 4xx or 5xx reply: an answer, not a
 * failure; which command it refused from libcurl's words ("RCPT failed:
 * 550"). */
static bool smtp_refused(struct eas_conn *pc, CURLcode rc)
{
	static const char *const cmds[][2] = {
		{ "MAIL", "MAIL FROM" },
		{ "RCPT", "RCPT TO" },
		{ "DATA", "DATA" },
	};
	struct eas_response *res = pc->res;

	if (!pc->req->mail_rcpt || res->status < 400 || res->status > 599 ||
	    (rc != CURLE_SEND_ERROR && rc != CURLE_WEIRD_SERVER_REPLY &&
	     rc != CURLE_REMOTE_ACCESS_DENIED && rc != CURLE_RECV_ERROR))
		return false;
	res->fail = EAS_FAIL_NONE;
	res->smtp_refused = "";
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (!strncmp(pc->errbuf, cmds[i][0], 4))
			res->smtp_refused = cmds[i][1];
	return true;
}

void eas_probe_classify(struct eas_conn *pc, CURLcode rc)
{
	struct eas_response *res = pc->res;
	const struct eas_request *req = pc->req;
	long oserr = 0;

	snprintf(res->detail, sizeof res->detail, "%s",
		 pc->errbuf[0] ? pc->errbuf : curl_easy_strerror(rc));
	if (rc == CURLE_OK) {
		res->fail = EAS_FAIL_NONE;
		res->detail[0] = 0;
		return;
	}
	curl_easy_getinfo(pc->curl, CURLINFO_OS_ERRNO, &oserr);
	if (smtp_refused(pc, rc))
		return;
	switch (rc) {
	case CURLE_UNSUPPORTED_PROTOCOL:
		/* Also what libcurl says of an HTTP/0.9 answer: a banner from
		 * IMAP, SMTP or anything else that is not a web server. */
		if (res->phase >= EAS_PHASE_WAIT) {
			say(res, EAS_FAIL_PROTOCOL,
			    "the server does not speak HTTP here (wrong port, or another service such as IMAP or SMTP?)");
			break;
		}
		/* fall through */
	case CURLE_URL_MALFORMAT: say(res, EAS_FAIL_SETUP, "invalid URL %s", req->url); break;
	case CURLE_COULDNT_RESOLVE_PROXY:
		say(res, EAS_FAIL_DNS,
		    "the proxy %s does not resolve (check --proxy or https_proxy in the environment, or use --noproxy)",
		    res->proxy);
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		say(res, EAS_FAIL_DNS,
		    "DNS lookup failed: the host name does not resolve (typo, or the resolver is down)");
		break;
	case CURLE_COULDNT_CONNECT:
		if (oserr == ECONNREFUSED)
			say(res, EAS_FAIL_REFUSED,
			    "connection refused: nothing listens on that port (service or proxy down, or a firewall rejects)");
		else if (oserr == EHOSTUNREACH || oserr == ENETUNREACH)
			say(res, EAS_FAIL_UNREACHABLE,
			    "host unreachable: no route to it (network or firewall problem)");
		else if (!oserr && req->ip_version)
			say(res, EAS_FAIL_CONNECT,
			    "cannot connect over IPv%d: the host has no such address (-%d)",
			    req->ip_version, req->ip_version);
		else
			say(res, EAS_FAIL_CONNECT, "cannot connect: %s",
			    oserr ? strerror((int)oserr) : "unknown reason");
		break;
	case CURLE_OPERATION_TIMEDOUT: {
		char where[160];

		eas_phase_text(res->phase, req->step, where, sizeof where);
		say(res, EAS_FAIL_TIMEOUT, "no answer within %gs: hung %s",
		    req->timeout_s > 0 ? req->timeout_s : req->timeout_ms / 1000.0, where);
		break;
	}
	case CURLE_PEER_FAILED_VERIFICATION:
		if (res->tls.verify_result != X509_V_OK)
			verify_failed(pc);
		else
			name_mismatch(pc);
		break;
	case CURLE_SSL_CONNECT_ERROR: tls_failed(pc); break;
	case CURLE_SSL_CACERT_BADFILE:
		say(res, EAS_FAIL_SETUP, "cannot load the trust store (%s)",
		    req->ca_file   ? req->ca_file
		    : req->ca_path ? req->ca_path
				   : "system default");
		break;
	case CURLE_SSL_CLIENTCERT:
		if (!client_cert_refused(pc))
			say(res, EAS_FAIL_CLIENT_CERT, "the server requires a client certificate%s",
			    req->identity ? " and refused ours" : " and none was sent");
		break;
	case CURLE_SSL_CERTPROBLEM:
		say(res, EAS_FAIL_SETUP, "cannot use the client certificate: %s", pc->errbuf);
		break;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		if (client_cert_refused(pc))
			break;
		if (res->tls.alert_received >= 0)
			say(res, EAS_FAIL_NETWORK,
			    "the server ended the connection with TLS alert: %s",
			    eas_tls_alert_name(res->tls.alert_received));
		else
			say(res, EAS_FAIL_NETWORK, "connection broken while %s",
			    rc == CURLE_RECV_ERROR ? "reading the answer" : "sending the request");
		break;
	case CURLE_GOT_NOTHING:
		if (client_cert_refused(pc))
			break;
		say(res, EAS_FAIL_NETWORK, "the server closed the connection without answering");
		break;
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_RANGE_ERROR:
	case CURLE_BAD_CONTENT_ENCODING:
		say(res, EAS_FAIL_PROTOCOL,
		    "the answer is not valid HTTP (wrong port, or not a web server?)");
		break;
	case CURLE_PARTIAL_FILE:
		say(res, EAS_FAIL_NETWORK,
		    "connection broken while reading the answer (the server sent less than it announced)");
		break;
	case CURLE_OUT_OF_MEMORY:
	case CURLE_BAD_FUNCTION_ARGUMENT:
		/* libcurl's words for a header line over its 100 KB limit and
		 * for a broken chunked trailer: the server's fault, not ours. */
		/* libcurl says "Out of memory" for a header over its limit:
		 * once a status line came, that is what it was. */
		if (strstr(pc->errbuf, "header") ||
		    (rc == CURLE_OUT_OF_MEMORY && res->status > 0)) {
			say(res, EAS_FAIL_PROTOCOL,
			    "the answer is not valid HTTP: a header line too large to read");
			break;
		}
		if (strstr(pc->errbuf, "chunk")) {
			say(res, EAS_FAIL_PROTOCOL,
			    "the answer is not valid HTTP: a broken chunked body");
			break;
		}
		/* fall through */
	default: say(res, EAS_FAIL_NETWORK, "request failed: %s", curl_easy_strerror(rc)); break;
	}
	name_proxy(res);
}
