/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * eas-responder - CGI program that answers like Microsoft Exchange 2016
 * ActiveSync behind IIS, for the check-eas integration tests.
 *
 * The behaviour ("case") is taken from the request URI:
 *     /s/<case>/Microsoft-Server-ActiveSync[...]  -> <case>
 *     anything else                               -> "exchange"
 * The environment variable EAS_CASE (set with SetEnv in the vhost)
 * overrides the URI; the plain-HTTP vhost uses it to answer 403.4.
 *
 * Cases:
 *   exchange  OPTIONS -> 200 + MS-AS* headers (EAS 16.1), GET -> 501,
 *             anything else -> 400
 *   old       like exchange, but Exchange 2007 (8.3): up to EAS 12.1
 *   slow      sleep ?n=N seconds (default 30), then like exchange
 *   basic     like exchange if the Basic credentials are right, else 401
 *   certmap   like exchange if mod_ssl verified a client certificate for
 *             CN=user@example.com; other certificate -> 401.2 (verified)
 *             or 403.16 (unverified); no certificate -> 403.7
 *   big       200 + EAS headers + 5 MiB body
 *   echo      200 text/plain describing the request: method, query,
 *             content type, body length, auth scheme, X-Check-EAS-Test
 *   all others are fixed answers, see the table below.
 *
 * A case named ex-<case> answers like <case> with the diagnostic headers
 * Exchange 2016/2019 sends from behind its front end (EXCHANGE_DIAG: front
 * end EX01 proxying to the mailbox server EX03); the *-backend, *-proxy,
 * 401-oauth and 503-budget answers carry Exchange's failure headers
 * (X-FailureContext, X-MS-Diagnostics, X-MS-ASThrottle) in the forms it
 * writes them (doc/diagnostics.md names the sources).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cgiwait.h"

#define EAS_COMMANDS_ALL                                                    \
	"Sync,SendMail,SmartForward,SmartReply,GetAttachment,GetHierarchy," \
	"CreateCollection,DeleteCollection,MoveCollection,FolderSync,"      \
	"FolderCreate,FolderDelete,FolderUpdate,MoveItems,GetItemEstimate," \
	"MeetingResponse,Search,Settings,Ping,ItemOperations,Provision,"    \
	"ResolveRecipients,ValidateCert,Find"
#define EAS_COMMANDS_OLD                                                    \
	"Sync,SendMail,SmartForward,SmartReply,GetAttachment,GetHierarchy," \
	"CreateCollection,DeleteCollection,MoveCollection,FolderSync,"      \
	"FolderCreate,FolderDelete,FolderUpdate,MoveItems,GetItemEstimate," \
	"MeetingResponse,Search,Settings,Ping,ItemOperations,"              \
	"ResolveRecipients"

#define EAS_HEADERS_2016                                                     \
	"MS-Server-ActiveSync: 15.1\n"                                       \
	"MS-ASProtocolVersions: 2.0,2.1,2.5,12.0,12.1,14.0,14.1,16.0,16.1\n" \
	"MS-ASProtocolCommands: " EAS_COMMANDS_ALL "\n"                      \
	"Allow: OPTIONS,POST\n"                                              \
	"Public: OPTIONS,POST\n"                                             \
	"Cache-Control: private\n"
#define EAS_HEADERS_2007                                 \
	"MS-Server-ActiveSync: 8.3\n"                    \
	"MS-ASProtocolVersions: 2.0,2.1,2.5,12.0,12.1\n" \
	"MS-ASProtocolCommands: " EAS_COMMANDS_OLD "\n"  \
	"Allow: OPTIONS,POST\n"                          \
	"Public: OPTIONS,POST\n"                         \
	"Cache-Control: private\n"
#define WWW_AUTH_BASIC "WWW-Authenticate: Basic realm=\"mail.example.com\"\n"

/* Who served the request, as Exchange's front end adds it to every
 * answer it proxies (request-id: a GUID per request). */
#define EXCHANGE_DIAG                                        \
	"request-id: 5a1e7c3b-9f2d-4c1a-8e6b-0d4f3a2b1c90\n" \
	"X-CalculatedBETarget: ex03.example.com\n"           \
	"X-DiagInfo: EX03\n"                                 \
	"X-BEServer: EX03\n"                                 \
	"X-FEServer: EX01\n"

static const char *diag_headers = ""; /* EXCHANGE_DIAG for ex-<case> */

/* Accepted Authorization values for the "basic" case (the password
 * deliberately contains a space):
 *   base64("user@example.com:s3cret pass")
 *   base64("EXAMPLE\user:s3cret pass")                                  */
static const char *const good_basic[] = {
	"dXNlckBleGFtcGxlLmNvbTpzM2NyZXQgcGFzcw==",
	"RVhBTVBMRVx1c2VyOnMzY3JldCBwYXNz",
};

enum body {
	NONE,     /* empty body */
	RAW,      /* a = the body */
	CUSTOM,   /* IIS custom error page: a = heading, b = text */
	DETAILED, /* IIS detailed error: a = "403.7", b = reason,
		     c = explanation, d = most likely cause */
	HTTPSYS,  /* HTTP.sys error page: a = reason, b = text */
};

struct reply {
	const char *name;    /* case name, or internal name */
	const char *status;  /* CGI "Status:" value */
	const char *headers; /* extra header lines, each ending in \n */
	enum body body;
	const char *a, *b, *c, *d;
};

static const struct reply replies[] = {
	/* building blocks of the exchange-like cases */
	{ "options-2016", "200 OK", EAS_HEADERS_2016, NONE, 0, 0, 0, 0 },
	{ "options-2007", "200 OK", EAS_HEADERS_2007, NONE, 0, 0, 0, 0 },
	{ "get-501", "501 Not Implemented", "", CUSTOM,
	  "501 - Header values specify a method that is not implemented.",
	  "The page you are looking for cannot be displayed because a header "
	  "value in the request does not match certain configuration settings "
	  "on the Web server.",
	  0, 0 },
	{ "bad-400", "400 Bad Request", "", HTTPSYS, "Bad Request",
	  "HTTP Error 400. The request is badly formed.", 0, 0 },

	/* fixed answers, selected by /s/<case>/ */
	{ "login", "200 OK", "Set-Cookie: OutlookSession=deadbeef; path=/\n", RAW,
	  "<html><title>Outlook Web App</title>"
	  "<form action=\"/owa/auth.owa\" method=\"POST\" name=\"logonForm\">"
	  "<input type=\"text\" name=\"username\">"
	  "<input type=\"password\" name=\"password\">"
	  "<input type=\"submit\" value=\"Sign in\"></form></html>\n",
	  0, 0, 0 },
	{ "401", "401 Unauthorized", WWW_AUTH_BASIC, CUSTOM,
	  "401 - Unauthorized: Access is denied due to invalid credentials.",
	  "You do not have permission to view this directory or page using "
	  "the credentials that you supplied.",
	  0, 0 },
	{ "401.2", "401 Unauthorized", WWW_AUTH_BASIC, DETAILED, "401.2", "Unauthorized",
	  "You are not authorized to view this page due to invalid "
	  "authentication headers.",
	  "No authentication protocol (including anonymous) is selected in "
	  "IIS." },
	{ "403", "403 Forbidden", "", CUSTOM, "403 - Forbidden: Access is denied.",
	  "You do not have permission to view this directory or page using "
	  "the credentials that you supplied.",
	  0, 0 },
	{ "403.4", "403 Forbidden", "", DETAILED, "403.4", "Forbidden",
	  "The page you are trying to access is secured with Secure Sockets "
	  "Layer (SSL).",
	  "SSL required." },
	{ "403.7", "403 Forbidden", "", DETAILED, "403.7", "Forbidden",
	  "The page you are attempting to access requires your browser to "
	  "have a Secure Sockets Layer (SSL) client certificate that the Web "
	  "server recognizes.",
	  "Client certificate required." },
	{ "403.16", "403 Forbidden", "", DETAILED, "403.16", "Forbidden",
	  "Your client certificate is either not trusted or is invalid.",
	  "Client certificate is untrusted or invalid." },
	{ "403.17", "403 Forbidden", "", DETAILED, "403.17", "Forbidden",
	  "Your client certificate has expired or is not yet valid.",
	  "Client certificate has expired or is not yet valid." },
	{ "404", "404 Not Found", "", DETAILED, "404.0", "Not Found",
	  "The resource you are looking for has been removed, had its name "
	  "changed, or is temporarily unavailable.",
	  "The directory or file specified does not exist on the Web "
	  "server." },
	{ "449", "449 Retry after sending a PROVISION command", "", NONE, 0, 0, 0, 0 },
	{ "451", "451",
	  "X-MS-Location: "
	  "https://mail2.example.com/Microsoft-Server-ActiveSync\n",
	  NONE, 0, 0, 0, 0 },
	{ "500", "500 Internal Server Error", "", CUSTOM, "500 - Internal server error.",
	  "There is a problem with the resource you are looking for, and it "
	  "cannot be displayed.",
	  0, 0 },
	{ "501", "501 Not Implemented", "", CUSTOM,
	  "501 - Header values specify a method that is not implemented.",
	  "The page you are looking for cannot be displayed because a header "
	  "value in the request does not match certain configuration settings "
	  "on the Web server.",
	  0, 0 },
	{ "503", "503 Service Unavailable", "Retry-After: 120\n", HTTPSYS, "Service Unavailable",
	  "HTTP Error 503. The service is unavailable.", 0, 0 },
	/* Exchange's throttling answer: the reason in X-MS-ASThrottle. */
	{ "503-throttle", "503 Service Unavailable",
	  "X-MS-ASThrottle: CommandFrequency\nRetry-After: 30\n", HTTPSYS, "Service Unavailable",
	  "HTTP Error 503. The service is unavailable.", 0, 0 },
	/* The mailbox server behind the front end failed: the front end says
	 * so (base64 of "Service Unavailable"), with the back end's status. */
	{ "503-backend", "503 Service Unavailable",
	  "X-FailureContext: BackEnd;503;U2VydmljZSBVbmF2YWlsYWJsZQ==;;;;\n"
	  "X-BackEndHttpStatus: 503\n",
	  HTTPSYS, "Service Unavailable", "HTTP Error 503. The service is unavailable.", 0, 0 },
	/* The front end's proxy could not connect to the back end. */
	{ "503-proxy", "503 Service Unavailable",
	  "X-FailureContext: FrontEnd;503;U2VydmljZSBVbmF2YWlsYWJsZQ==;;;ConnectFailure;\n",
	  HTTPSYS, "Service Unavailable", "HTTP Error 503. The service is unavailable.", 0, 0 },
	/* OAuth refused by Exchange's authentication module (a token for
	 * another audience), as Exchange Online words it. */
	{ "401-oauth", "401 Unauthorized",
	  "X-MS-Diagnostics: 2000003;reason=\"The audience claim value is invalid 'aud'.\";"
	  "error_category=\"invalid_resource\"\n"
	  "X-FailureContext: FrontEnd;401;VW5hdXRob3JpemVk;;;;\n"
	  "WWW-Authenticate: Bearer client_id=\"00000002-0000-0ff1-ce00-000000000000\", "
	  "error=\"invalid_token\"\n",
	  NONE, 0, 0, 0, 0 },
	/* The user's throttling budget is used up. */
	{ "503-budget", "503 Service Unavailable",
	  "X-MS-ASThrottle: OutOfBudgets\nRetry-After: 45\n", HTTPSYS, "Service Unavailable",
	  "HTTP Error 503. The service is unavailable.", 0, 0 },
	/* Values no Exchange sends: markup for a name, a name far too long. */
	{ "odd-names", "500 Internal Server Error",
	  "X-FEServer: <img src=x onerror=alert(1)>\n"
	  "X-BEServer: EX"
	  "0123456789012345678901234567890123456789012345678901234567890123456789"
	  "0123456789012345678901234567890123456789012345678901234567890123456789\n"
	  "request-id: ${jndi:ldap://x}\n",
	  NONE, 0, 0, 0, 0 },
	{ "505", "505 HTTP Version Not Supported", "", HTTPSYS, "HTTP Version Not Supported",
	  "HTTP Error 505. The HTTP version is not supported.", 0, 0 },
	{ "redirect", "302 Found", "Location: https://login.example.com/adfs/ls/?wa=wsignin1.0\n",
	  RAW,
	  "<head><title>Document Moved</title></head>\n<body><h1>Object "
	  "Moved</h1>This document may be found <a HREF=\"https://"
	  "login.example.com/adfs/ls/?wa=wsignin1.0\">here</a></body>",
	  0, 0, 0 },
	{ "badheaders", "200 OK",
	  "MS-Server-ActiveSync: 15.1\n"
	  "MS-ASProtocolVersions: abc,,14.x,99999999999999999999999,\n"
	  "MS-ASProtocolCommands: ,,,\n",
	  NONE, 0, 0, 0, 0 },
};

static char body_buf[16384];

static const struct reply *find_reply(const char *name)
{
	for (size_t i = 0; i < sizeof replies / sizeof replies[0]; i++)
		if (strcmp(replies[i].name, name) == 0)
			return &replies[i];
	return NULL;
}

static const char *render_body(const struct reply *r)
{
	static const char xhtml_head[] =
		"<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" "
		"\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\r\n"
		"<html xmlns=\"http://www.w3.org/1999/xhtml\">\r\n<head>\r\n"
		"<meta http-equiv=\"Content-Type\" content=\"text/html; "
		"charset=iso-8859-1\"/>\r\n";

	switch (r->body) {
	case NONE: return "";
	case RAW: return r->a;
	case CUSTOM:
		snprintf(body_buf, sizeof body_buf,
			 "%s<title>%s</title>\r\n</head>\r\n<body>\r\n"
			 "<div id=\"header\"><h1>Server Error</h1></div>\r\n"
			 "<div id=\"content\">\r\n"
			 " <div class=\"content-container\"><fieldset>\r\n"
			 "  <h2>%s</h2>\r\n  <h3>%s</h3>\r\n"
			 " </fieldset></div>\r\n</div>\r\n</body>\r\n</html>\r\n",
			 xhtml_head, r->a, r->a, r->b);
		return body_buf;
	case DETAILED:
		snprintf(body_buf, sizeof body_buf,
			 "%s<title>IIS 10.0 Detailed Error - %s - %s</title>\r\n"
			 "</head>\r\n<body>\r\n"
			 "<div id=\"content\">\r\n"
			 "<div class=\"content-container\">\r\n"
			 "  <h3>HTTP Error %s - %s</h3>\r\n  <h4>%s</h4>\r\n"
			 "</div>\r\n"
			 "<div class=\"content-container\">\r\n"
			 " <fieldset><h4>Most likely causes:</h4>\r\n"
			 "  <ul> \t<li>%s</li> </ul>\r\n </fieldset>\r\n"
			 "</div>\r\n</div>\r\n</body>\r\n</html>\r\n",
			 xhtml_head, r->a, r->b, r->a, r->b, r->c, r->d ? r->d : r->c);
		return body_buf;
	case HTTPSYS:
		snprintf(body_buf, sizeof body_buf,
			 "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\""
			 "\"http://www.w3.org/TR/html4/strict.dtd\">\r\n"
			 "<HTML><HEAD><TITLE>%s</TITLE>\r\n"
			 "<META HTTP-EQUIV=\"Content-Type\" Content=\"text/html; "
			 "charset=us-ascii\"></HEAD>\r\n"
			 "<BODY><h2>%s</h2>\r\n<hr><p>%s</p>\r\n</BODY></HTML>\r\n",
			 r->a, r->a, r->b);
		return body_buf;
	}
	return "";
}

static void send_reply(const struct reply *r)
{
	const char *body = render_body(r);
	size_t len = strlen(body);

	printf("Status: %s\n%s%sX-Powered-By: ASP.NET\n", r->status, diag_headers, r->headers);
	if (len)
		printf("Content-Type: text/html\n");
	printf("Content-Length: %zu\n\n", len);
	fwrite(body, 1, len, stdout);
}

/* Exchange answers OPTIONS; GET is not implemented; a POST without the
 * EAS query parameters (and anything else) is a bad request. */
static void exchange(const char *method, const char *options_reply)
{
	if (strcmp(method, "OPTIONS") == 0)
		send_reply(find_reply(options_reply));
	else if (strcmp(method, "GET") == 0)
		send_reply(find_reply("get-501"));
	else
		send_reply(find_reply("bad-400"));
}

static int basic_auth_ok(void)
{
	const char *auth = getenv("HTTP_AUTHORIZATION");

	if (!auth || strncasecmp(auth, "Basic ", 6) != 0)
		return 0;
	auth += 6;
	while (*auth == ' ')
		auth++;
	for (size_t i = 0; i < sizeof good_basic / sizeof good_basic[0]; i++)
		if (strcmp(auth, good_basic[i]) == 0)
			return 1;
	return 0;
}

static long query_long(const char *query, const char *key, long dflt)
{
	size_t klen = strlen(key);

	while (query && *query) {
		if (strncmp(query, key, klen) == 0 && query[klen] == '=')
			return strtol(query + klen + 1, NULL, 10);
		query = strchr(query, '&');
		if (query)
			query++;
	}
	return dflt;
}

static void big(void)
{
	static char chunk[65536];
	const size_t total = 5u * 1024 * 1024;

	memset(chunk, 'x', sizeof chunk);
	printf("Status: 200 OK\n" EAS_HEADERS_2016 "Content-Type: application/octet-stream\n"
	       "Content-Length: %zu\n\n",
	       total);
	for (size_t sent = 0; sent < total; sent += sizeof chunk)
		if (fwrite(chunk, 1, sizeof chunk, stdout) != sizeof chunk)
			exit(0); /* client went away (EPIPE) */
}

/* Take <case> from /s/<case>/..., else "exchange". */
static void case_from_uri(const char *uri, char *out, size_t outlen)
{
	size_t len;

	snprintf(out, outlen, "exchange");
	if (!uri || strncmp(uri, "/s/", 3) != 0)
		return;
	uri += 3;
	len = strcspn(uri, "/?");
	if (uri[len] != '/' || len == 0 || len >= outlen)
		return;
	memcpy(out, uri, len);
	out[len] = '\0';
}

/* mod_cgi hands us the request body; read it so Apache never blocks. */
/* Read the request body; returns how many bytes came. */
static long drain_stdin(void)
{
	const char *cl = getenv("CONTENT_LENGTH");
	long left = cl ? strtol(cl, NULL, 10) : 0, got = 0;
	char buf[4096];

	while (left > 0) {
		ssize_t n = read(STDIN_FILENO, buf,
				 left < (long)sizeof buf ? (size_t)left : sizeof buf);
		if (n <= 0)
			break;
		left -= n;
		got += n;
	}
	return got;
}

/* What the request looked like, for tests of the request model. */
static void echo(const char *method, long body)
{
	const char *q = getenv("QUERY_STRING"), *ct = getenv("CONTENT_TYPE");
	const char *auth = getenv("HTTP_AUTHORIZATION");
	const char *extra = getenv("HTTP_X_CHECK_EAS_TEST");

	printf("Status: 200 OK\nContent-Type: text/plain\n"
	       "MS-Server-ActiveSync: 15.1\n\n"
	       "method=%s\nquery=%s\ncontent-type=%s\nbody=%ld\n"
	       "authorization=%.6s\nx-check-eas-test=%s\n",
	       method, q ? q : "", ct ? ct : "", body, auth ? auth : "", extra ? extra : "");
}

int main(void)
{
	const char *method = getenv("REQUEST_METHOD");
	const char *forced = getenv("EAS_CASE");
	char name[64];
	const struct reply *r;
	long body;

	signal(SIGPIPE, SIG_IGN);
	if (!method)
		method = "GET";
	if (forced && *forced)
		snprintf(name, sizeof name, "%s", forced);
	else
		case_from_uri(getenv("REQUEST_URI"), name, sizeof name);
	body = drain_stdin();
	if (!strncmp(name, "ex-", 3)) {
		diag_headers = EXCHANGE_DIAG;
		memmove(name, name + 3, strlen(name + 3) + 1);
		if (!name[0])
			snprintf(name, sizeof name, "exchange");
	}

	if (strcmp(name, "exchange") == 0) {
		exchange(method, "options-2016");
	} else if (strcmp(name, "old") == 0) {
		exchange(method, "options-2007");
	} else if (strcmp(name, "slow") == 0) {
		long n = query_long(getenv("QUERY_STRING"), "n", 30);

		cgi_wait(n);
		exchange(method, "options-2016");
	} else if (strcmp(name, "basic") == 0) {
		if (basic_auth_ok())
			exchange(method, "options-2016");
		else
			send_reply(find_reply("401"));
	} else if (strcmp(name, "certmap") == 0) {
		const char *verify = getenv("SSL_CLIENT_VERIFY");
		const char *cn = getenv("SSL_CLIENT_S_DN_CN");

		if (!verify || !*verify || strcmp(verify, "NONE") == 0)
			send_reply(find_reply("403.7"));
		else if (strcmp(verify, "SUCCESS") != 0)
			send_reply(find_reply("403.16"));
		else if (cn && strcmp(cn, "user@example.com") == 0)
			exchange(method, "options-2016");
		else
			send_reply(find_reply("401.2"));
	} else if (strcmp(name, "big") == 0) {
		big();
	} else if (strcmp(name, "echo") == 0) {
		echo(method, body);
	} else if ((r = find_reply(name)) != NULL) {
		send_reply(r);
	} else {
		fprintf(stderr, "eas-responder: unknown case '%s'\n", name);
		printf("Status: 500 Unknown eas-responder case\n"
		       "Content-Type: text/plain\n\n"
		       "eas-responder: unknown case '%s'\n",
		       name);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
