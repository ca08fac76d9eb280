/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * autodiscover-responder - CGI program that answers like an Exchange
 * Autodiscover service (POX, mobilesync schema, and the JSON endpoint) for
 * the check_eas_autodiscover tests. See t/lib/autodiscover.sh.
 *
 * The vhost sets (SetEnv):
 *   AD_VHOST   its name, e.g. "autodiscover.example.test" or "http"
 *   AD_STATE   the test's directory ($T)
 *   AD_EAS_URL the ActiveSync URL the "settings" case answers
 *   AD_HTTPS_URL / AD_HTTP_URL  default targets of 302-https / 302-http
 *   AD_DEFAULT the case when no case file exists (default "settings")
 *
 * The case is the first line of $AD_STATE/ad-case-$AD_VHOST ("NAME [ARG]")
 * for the POX path /autodiscover/autodiscover.xml, and of
 * $AD_STATE/ad-case-$AD_VHOST.json for /autodiscover/autodiscover.json...
 * Every request is logged as one line to $AD_STATE/ad-requests.log:
 *   vhost=V scheme=S host=H method=M uri=U auth=A user=U cert=C email=E case=C
 * (values without spaces; "-" when absent).
 *
 * POX cases (every POX answer checks the request first: a POST whose body
 * names the mobilesync request and response schemas and an EMailAddress,
 * else 400; except the cases marked "any request"):
 *   settings [URL]     Action/Settings/Server Type MobileSync, Url URL
 *                      (default $AD_EAS_URL)
 *   basic [URL]        401 (WWW-Authenticate: Basic) unless Basic
 *                      user@example.test / "s3cret pass", then settings
 *   bearer [URL]       401 (WWW-Authenticate: Bearer) unless a Bearer
 *                      token that is not a line of $AD_STATE/ad-bearer-revoked
 *                      (the modern-auth POX request as Outlook sends it),
 *                      then settings
 *   certmap [URL]      403 unless mod_ssl verified a client certificate
 *                      with CN=user@example.com, then settings
 *   redirect-addr ADDR Action/Redirect ADDR (mobilesync schema)
 *   redirect-url URL   Account/Action redirectUrl + RedirectUrl URL (the
 *                      outlook schema's form)
 *   loop               a@D -> Redirect b@D, anything else -> a@D
 *   chain N            chainK@D -> Redirect chain(K+1)@D while K < N,
 *                      then settings (other local parts count as K = 0):
 *                      "chain 10" is 10 redirects, "chain 11" is 11
 *   error 600|601|602  Response/Error ErrorCode + Message
 *   error-status N     mobilesync Action/Error Status N + Message
 *   malformed          mismatched tags
 *   truncated          a settings document cut in the middle
 *   big                5 MiB: a settings document padded with a comment
 *                      before the Action
 *   laughs             billion laughs (entity lol9 inside the Url)
 *   xxe                external entity file:///etc/passwd inside the Url
 *                      ("root:" in a reported URL means it was expanded)
 *   echo               200 text/plain: the request body as received
 * Any request:
 *   login              200 text/html OWA-like login form
 *   404, 500           IIS-like error pages
 *   ex-500             500 from behind Exchange's front end EX01: the
 *                      mailbox server EX03 failed (X-FEServer, X-BEServer,
 *                      request-id, X-FailureContext BackEnd)
 *   hang [N]           sleep N seconds (default 30; stops early if the
 *                      client goes away), then settings
 *   302 URL            302 Found, Location URL
 *   302-https [URL]    302 to URL (default $AD_HTTPS_URL)
 *   302-http [URL]     302 to URL (default $AD_HTTP_URL), plain http
 *
 * JSON cases (GET /autodiscover/autodiscover.json/v1.0/ADDRESS?Protocol=P):
 *   settings [URL]     P must be ActiveSync (else 400 InvalidProtocol):
 *                      {"Protocol":"ActiveSync","Url":"URL"}
 *   http-url           the same with an http:// Url
 *   error              400 {"ErrorCode":"InternalServerError",...}
 *   malformed          200, a JSON text cut in the middle
 *   plus login, 404, 500, hang, 302*, big (5 MiB of JSON whitespace)
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cgiwait.h"

#define NS_RESP "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
#define NS_MS_REQ "http://schemas.microsoft.com/exchange/autodiscover/mobilesync/requestschema/2006"
#define NS_MS_RESP \
	"http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006"
#define NS_OL_RESP "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"

/* user@example.test:s3cret pass */
#define GOOD_USER "user@example.test"
#define GOOD_PASS "s3cret pass"

static char body[65536];
static size_t body_len;
static char email[256];
static char case_name[64], case_arg[1024];
static char log_user[128];

static const char *env(const char *name, const char *dflt)
{
	const char *v = getenv(name);
	return v && *v ? v : dflt;
}

/* ----------------------------------------------------------- helpers */

static long read_body(void)
{
	const char *cl = getenv("CONTENT_LENGTH");
	long left = cl ? strtol(cl, NULL, 10) : 0, got = 0;
	char buf[4096];

	while (left > 0) {
		ssize_t n = read(STDIN_FILENO, buf,
				 left < (long)sizeof buf ? (size_t)left : sizeof buf);
		if (n <= 0)
			break;
		if (body_len + (size_t)n < sizeof body - 1) {
			memcpy(body + body_len, buf, (size_t)n);
			body_len += (size_t)n;
		}
		left -= n;
		got += n;
	}
	body[body_len] = '\0';
	return got;
}

/* Text of the first element whose local name is NAME (any prefix). */
static int element_text(const char *doc, const char *name, char *out, size_t outlen)
{
	const char *p = doc;
	size_t nlen = strlen(name);

	while ((p = strchr(p, '<')) != NULL) {
		const char *q = ++p, *colon, *end;

		end = q + strcspn(q, " \t\r\n/>");
		colon = memchr(q, ':', (size_t)(end - q));
		if (colon)
			q = colon + 1;
		if ((size_t)(end - q) != nlen || strncmp(q, name, nlen) != 0 || *end != '>')
			continue;
		q = end + 1;
		end = strchr(q, '<');
		if (!end)
			return 0;
		while (q < end && isspace((unsigned char)*q))
			q++;
		while (end > q && isspace((unsigned char)end[-1]))
			end--;
		if ((size_t)(end - q) >= outlen)
			return 0;
		memcpy(out, q, (size_t)(end - q));
		out[end - q] = '\0';
		return 1;
	}
	return 0;
}

static int b64val(int c)
{
	const char *tab = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(tab, c) : NULL;
	return p ? (int)(p - tab) : -1;
}

static size_t b64dec(const char *in, char *out, size_t outlen)
{
	size_t n = 0;
	unsigned acc = 0;
	int bits = 0, v;

	for (; *in && *in != '='; in++) {
		if ((v = b64val((unsigned char)*in)) < 0)
			return 0;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n + 1 >= outlen)
				return 0;
			out[n++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[n] = '\0';
	return n;
}

/* "none", "basic" (user in log_user; returns 1 if the credentials are the
 * good ones) or the scheme's name. */
static int auth_state(const char **scheme)
{
	const char *auth = getenv("HTTP_AUTHORIZATION");
	char dec[512], *colon;

	snprintf(log_user, sizeof log_user, "-");
	if (!auth || !*auth) {
		*scheme = "none";
		return 0;
	}
	if (strncasecmp(auth, "Basic ", 6) != 0) {
		static char other[32];
		snprintf(other, sizeof other, "%.*s", (int)strcspn(auth, " "), auth);
		*scheme = other;
		return 0;
	}
	*scheme = "basic";
	auth += 6;
	while (*auth == ' ')
		auth++;
	if (!b64dec(auth, dec, sizeof dec) || !(colon = strchr(dec, ':')))
		return 0;
	*colon = '\0';
	snprintf(log_user, sizeof log_user, "%.100s", dec);
	return strcmp(dec, GOOD_USER) == 0 && strcmp(colon + 1, GOOD_PASS) == 0;
}

static void clean(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			*s = '_';
}

static void log_request(const char *vhost, const char *scheme)
{
	char path[4096], line[8192], uri[2048], host[256], cert[256], em[256];
	const char *cn = getenv("SSL_CLIENT_S_DN_CN");
	const char *verify = getenv("SSL_CLIENT_VERIFY");
	int fd, n;

	snprintf(uri, sizeof uri, "%s", env("REQUEST_URI", "-"));
	snprintf(host, sizeof host, "%s", env("HTTP_HOST", "-"));
	snprintf(cert, sizeof cert, "%s",
		 verify && strcmp(verify, "SUCCESS") == 0 && cn ? cn : "-");
	snprintf(em, sizeof em, "%s", email[0] ? email : "-");
	clean(uri);
	clean(host);
	clean(cert);
	clean(em);
	clean(log_user);
	n = snprintf(line, sizeof line,
		     "vhost=%s scheme=%s host=%s method=%s uri=%s auth=%s user=%s "
		     "cert=%s email=%s case=%s\n",
		     vhost, env("HTTPS", "")[0] ? "https" : "http", host,
		     env("REQUEST_METHOD", "-"), uri, scheme, log_user, cert, em, case_name);
	snprintf(path, sizeof path, "%s/ad-requests.log", env("AD_STATE", "/tmp"));
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0666);
	if (fd >= 0) {
		if (n > 0 && write(fd, line, (size_t)n) < 0) {
			/* nothing to do */
		}
		close(fd);
	}
}

static void read_case(const char *vhost, int json)
{
	char path[4096], line[1100];
	FILE *f;
	size_t len;

	snprintf(case_name, sizeof case_name, "%s", env("AD_DEFAULT", "settings"));
	case_arg[0] = '\0';
	snprintf(path, sizeof path, "%s/ad-case-%s%s", env("AD_STATE", "/tmp"), vhost,
		 json ? ".json" : "");
	if (!(f = fopen(path, "r")))
		return;
	if (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		len = strcspn(line, " \t");
		if (len > 0 && len < sizeof case_name) {
			memcpy(case_name, line, len);
			case_name[len] = '\0';
			snprintf(case_arg, sizeof case_arg, "%s",
				 line + len + strspn(line + len, " \t"));
		}
	}
	fclose(f);
}

/* XML-escape into a static buffer (the address comes from the request). */
static const char *xesc(const char *s)
{
	static char buf[2][1024];
	static int which;
	char *o = buf[which ^= 1], *end = o + sizeof buf[0] - 8;

	for (; *s && o < end; s++) {
		switch (*s) {
		case '<': o += sprintf(o, "&lt;"); break;
		case '>': o += sprintf(o, "&gt;"); break;
		case '&': o += sprintf(o, "&amp;"); break;
		case '"': o += sprintf(o, "&quot;"); break;
		default: *o++ = *s;
		}
	}
	*o = '\0';
	return buf[which];
}

static void reply(const char *status, const char *headers, const char *ctype, const char *text)
{
	printf("Status: %s\n%sX-Powered-By: ASP.NET\n", status, headers ? headers : "");
	if (ctype)
		printf("Content-Type: %s\n", ctype);
	printf("Content-Length: %zu\n\n", strlen(text));
	fputs(text, stdout);
}

static void iis_error_with(const char *status, const char *headers, const char *title,
			   const char *text);

static void iis_error(const char *status, const char *title, const char *text)
{
	iis_error_with(status, NULL, title, text);
}

static void iis_error_with(const char *status, const char *headers, const char *title,
			   const char *text)
{
	char page[2048];

	snprintf(page, sizeof page,
		 "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" "
		 "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\r\n"
		 "<html xmlns=\"http://www.w3.org/1999/xhtml\">\r\n<head>\r\n"
		 "<title>%s</title>\r\n</head>\r\n<body>\r\n<div id=\"header\">"
		 "<h1>Server Error</h1></div>\r\n<div id=\"content\"><h2>%s</h2>\r\n"
		 "<h3>%s</h3></div>\r\n</body>\r\n</html>\r\n",
		 title, title, text);
	reply(status, headers, "text/html", page);
}

static void bad_request(void)
{
	reply("400 Bad Request", NULL, "text/html",
	      "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\">\r\n"
	      "<HTML><HEAD><TITLE>Bad Request</TITLE></HEAD>\r\n"
	      "<BODY><h2>Bad Request</h2>\r\n<hr><p>HTTP Error 400. The request is badly "
	      "formed.</p>\r\n</BODY></HTML>\r\n");
}

static void login_page(void)
{
	reply("200 OK", "Set-Cookie: OutlookSession=deadbeef; path=/\n", "text/html",
	      "<html><title>Outlook Web App</title>"
	      "<form action=\"/owa/auth.owa\" method=\"POST\" name=\"logonForm\">"
	      "<input type=\"text\" name=\"username\">"
	      "<input type=\"password\" name=\"password\">"
	      "<input type=\"submit\" value=\"Sign in\"></form></html>\n");
}

static void redirect302(const char *url)
{
	char hdr[1200], page[1400];

	snprintf(hdr, sizeof hdr, "Location: %s\n", url);
	snprintf(page, sizeof page,
		 "<head><title>Document Moved</title></head>\n<body><h1>Object Moved</h1>"
		 "This document may be found <a HREF=\"%s\">here</a></body>",
		 xesc(url));
	reply("302 Found", hdr, "text/html", page);
}

/* ------------------------------------------------------- POX answers */

static void settings_doc(char *out, size_t outlen, const char *url, const char *pad)
{
	snprintf(out, outlen,
		 XML_DECL "<Autodiscover xmlns=\"" NS_RESP "\">\n"
			  "  <Response xmlns=\"" NS_MS_RESP "\">\n"
			  "    <Culture>en:us</Culture>\n"
			  "    <User>\n"
			  "      <DisplayName>Test User</DisplayName>\n"
			  "      <EMailAddress>%s</EMailAddress>\n"
			  "    </User>\n%s"
			  "    <Action>\n"
			  "      <Settings>\n"
			  "        <Server>\n"
			  "          <Type>MobileSync</Type>\n"
			  "          <Url>%s</Url>\n"
			  "          <Name>%s</Name>\n"
			  "        </Server>\n"
			  "      </Settings>\n"
			  "    </Action>\n"
			  "  </Response>\n"
			  "</Autodiscover>\n",
		 xesc(email), pad, url, url);
}

static void pox_settings(const char *url)
{
	char doc[8192];

	settings_doc(doc, sizeof doc, xesc(url && *url ? url : env("AD_EAS_URL", "")), "");
	reply("200 OK", "Cache-Control: private\n", "text/xml; charset=utf-8", doc);
}

static void pox_action(const char *inner)
{
	char doc[4096];

	snprintf(doc, sizeof doc,
		 XML_DECL "<Autodiscover xmlns=\"" NS_RESP "\">\n"
			  "  <Response xmlns=\"" NS_MS_RESP "\">\n"
			  "    <Culture>en:us</Culture>\n"
			  "    <User>\n"
			  "      <EMailAddress>%s</EMailAddress>\n"
			  "    </User>\n"
			  "    <Action>\n%s    </Action>\n"
			  "  </Response>\n"
			  "</Autodiscover>\n",
		 xesc(email), inner);
	reply("200 OK", "Cache-Control: private\n", "text/xml; charset=utf-8", doc);
}

static void pox_redirect_addr(const char *addr)
{
	char inner[1200];

	snprintf(inner, sizeof inner, "      <Redirect>%s</Redirect>\n", xesc(addr));
	pox_action(inner);
}

static void pox_redirect_url(const char *url)
{
	char doc[4096];

	snprintf(doc, sizeof doc,
		 XML_DECL "<Autodiscover xmlns=\"" NS_RESP "\">\n"
			  "  <Response xmlns=\"" NS_OL_RESP "\">\n"
			  "    <Account>\n"
			  "      <Action>redirectUrl</Action>\n"
			  "      <RedirectUrl>%s</RedirectUrl>\n"
			  "    </Account>\n"
			  "  </Response>\n"
			  "</Autodiscover>\n",
		 xesc(url));
	reply("200 OK", "Cache-Control: private\n", "text/xml; charset=utf-8", doc);
}

static void pox_error(const char *code)
{
	const char *msg = strcmp(code, "600") == 0   ? "Invalid Request"
			  : strcmp(code, "601") == 0 ? "Provider is not available"
			  : strcmp(code, "602") == 0 ? "Account is not found"
						     : "Unknown error";
	char doc[2048];

	snprintf(doc, sizeof doc,
		 XML_DECL "<Autodiscover xmlns=\"" NS_RESP "\">\n"
			  "  <Response>\n"
			  "    <Error Time=\"12:00:00.0000000\" Id=\"2451154862\">\n"
			  "      <ErrorCode>%s</ErrorCode>\n"
			  "      <Message>%s</Message>\n"
			  "      <DebugData />\n"
			  "    </Error>\n"
			  "  </Response>\n"
			  "</Autodiscover>\n",
		 xesc(code), msg);
	reply("200 OK", "Cache-Control: private\n", "text/xml; charset=utf-8", doc);
}

static void local_and_domain(char *local, size_t llen, const char **domain)
{
	const char *at = strrchr(email, '@');
	size_t n = at ? (size_t)(at - email) : strlen(email);

	*domain = at ? at + 1 : "example.test";
	if (n >= llen)
		n = llen - 1;
	memcpy(local, email, n);
	local[n] = '\0';
}

static void big_answer(int json)
{
	static char chunk[65536];
	const size_t total = 5u * 1024 * 1024;
	char head[4096], tail[4096], *split;
	size_t sent = 0, hl, tl;

	memset(chunk, json ? ' ' : 'x', sizeof chunk);
	if (json) {
		snprintf(head, sizeof head, "{\"Protocol\":\"ActiveSync\",");
		snprintf(tail, sizeof tail, "\"Url\":\"%s\"}", env("AD_EAS_URL", ""));
	} else {
		/* the settings document, a padding comment before the Action */
		char doc[3072];

		settings_doc(doc, sizeof doc, xesc(env("AD_EAS_URL", "")), "@PAD@");
		split = strstr(doc, "@PAD@");
		*split = '\0';
		snprintf(head, sizeof head, "%s<!-- ", doc);
		snprintf(tail, sizeof tail, " -->\n%s", split + 5);
	}
	hl = strlen(head);
	tl = strlen(tail);
	printf("Status: 200 OK\nContent-Type: %s\nContent-Length: %zu\n\n",
	       json ? "application/json" : "text/xml; charset=utf-8", total);
	fwrite(head, 1, hl, stdout);
	sent = hl;
	while (sent + tl < total) {
		size_t n = total - tl - sent;
		if (n > sizeof chunk)
			n = sizeof chunk;
		if (fwrite(chunk, 1, n, stdout) != n)
			exit(0);
		sent += n;
	}
	fwrite(tail, 1, tl, stdout);
}

/* Cases that answer any request; returns 1 if handled. */
static int common_case(int json)
{
	if (strcmp(case_name, "login") == 0)
		login_page();
	else if (strcmp(case_name, "404") == 0)
		iis_error("404 Not Found", "404 - File or directory not found.",
			  "The resource you are looking for might have been removed, had its "
			  "name changed, or is temporarily unavailable.");
	else if (strcmp(case_name, "500") == 0)
		iis_error("500 Internal Server Error", "500 - Internal server error.",
			  "There is a problem with the resource you are looking for, and it "
			  "cannot be displayed.");
	else if (strcmp(case_name, "ex-500") == 0)
		iis_error_with("500 Internal Server Error",
			       "request-id: 7c9e4b1a-2d3f-4e5a-8b6c-1d2e3f4a5b6c\n"
			       "X-CalculatedBETarget: ex03.example.test\n"
			       "X-FailureContext: BackEnd;500;SW50ZXJuYWwgU2VydmVyIEVycm9y;;;;\n"
			       "X-BEServer: EX03\nX-FEServer: EX01\n",
			       "500 - Internal server error.",
			       "There is a problem with the resource you are looking for, and it "
			       "cannot be displayed.");
	else if (strcmp(case_name, "302") == 0)
		redirect302(case_arg);
	else if (strcmp(case_name, "302-https") == 0)
		redirect302(*case_arg ? case_arg : env("AD_HTTPS_URL", ""));
	else if (strcmp(case_name, "302-http") == 0)
		redirect302(*case_arg ? case_arg : env("AD_HTTP_URL", ""));
	else if (strcmp(case_name, "big") == 0)
		big_answer(json);
	else
		return 0;
	return 1;
}

/* Case "hang [N]": wait N seconds (30), then answer as "settings". */
static void hang_case(void)
{
	if (strcmp(case_name, "hang"))
		return;
	cgi_wait(*case_arg ? strtol(case_arg, NULL, 10) : 30);
	strcpy(case_name, "settings");
	case_arg[0] = '\0';
}

/* A Bearer token that the test has not revoked (case bearer). */
static int bearer_ok(void)
{
	const char *auth = getenv("HTTP_AUTHORIZATION");
	char path[4096], line[20000];
	FILE *f;
	int ok = 1;

	if (!auth || strncasecmp(auth, "Bearer ", 7) != 0 || !auth[7])
		return 0;
	auth += 7;
	snprintf(path, sizeof path, "%s/ad-bearer-revoked", env("AD_STATE", "."));
	if (!(f = fopen(path, "r")))
		return 1;
	while (ok && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		ok = strcmp(line, auth) != 0;
	}
	fclose(f);
	return ok;
}

static void pox(const char *method, int auth_ok)
{
	char schema[512], local[256];
	const char *domain;

	if (common_case(0))
		return;
	hang_case();
	if (strcmp(case_name, "echo") == 0) {
		printf("Status: 200 OK\nContent-Type: text/plain\n\n");
		fwrite(body, 1, body_len, stdout);
		return;
	}
	if (strcmp(case_name, "basic") == 0 && !auth_ok) {
		reply("401 Unauthorized",
		      "WWW-Authenticate: Basic realm=\"autodiscover.example.test\"\n", "text/html",
		      "<html><body>401 - Unauthorized</body></html>\n");
		return;
	}
	if (strcmp(case_name, "bearer") == 0 && !bearer_ok()) {
		reply("401 Unauthorized",
		      "WWW-Authenticate: Bearer authorization_uri=\"https://login.example.test/common/oauth2/authorize\"\n",
		      "text/html", "<html><body>401 - Unauthorized</body></html>\n");
		return;
	}
	if (strcmp(case_name, "certmap") == 0) {
		const char *verify = getenv("SSL_CLIENT_VERIFY");
		const char *cn = getenv("SSL_CLIENT_S_DN_CN");

		if (!verify || strcmp(verify, "SUCCESS") != 0 || !cn ||
		    strcmp(cn, "user@example.com") != 0) {
			iis_error("403 Forbidden", "403 - Forbidden: Access is denied.",
				  "A valid client certificate is required.");
			return;
		}
	}
	/* the request must be a mobilesync Autodiscover POST */
	if (strcmp(method, "POST") != 0 || !strstr(body, NS_MS_REQ) ||
	    !element_text(body, "AcceptableResponseSchema", schema, sizeof schema) ||
	    strcmp(schema, NS_MS_RESP) != 0 || !email[0] || !strchr(email, '@')) {
		bad_request();
		return;
	}
	local_and_domain(local, sizeof local, &domain);

	if (strcmp(case_name, "settings") == 0 || strcmp(case_name, "basic") == 0 ||
	    strcmp(case_name, "bearer") == 0 || strcmp(case_name, "certmap") == 0) {
		pox_settings(case_arg);
	} else if (strcmp(case_name, "redirect-addr") == 0) {
		pox_redirect_addr(case_arg);
	} else if (strcmp(case_name, "redirect-url") == 0) {
		pox_redirect_url(case_arg);
	} else if (strcmp(case_name, "loop") == 0) {
		char to[600];
		snprintf(to, sizeof to, "%s@%s", strcmp(local, "a") == 0 ? "b" : "a", domain);
		pox_redirect_addr(to);
	} else if (strcmp(case_name, "chain") == 0) {
		long n = strtol(case_arg, NULL, 10), k = 0;
		char to[600];

		if (strncmp(local, "chain", 5) == 0 && isdigit((unsigned char)local[5]))
			k = strtol(local + 5, NULL, 10);
		if (k < n) {
			snprintf(to, sizeof to, "chain%ld@%s", k + 1, domain);
			pox_redirect_addr(to);
		} else {
			pox_settings(NULL);
		}
	} else if (strcmp(case_name, "error") == 0) {
		pox_error(*case_arg ? case_arg : "600");
	} else if (strcmp(case_name, "error-status") == 0) {
		char inner[512];
		snprintf(inner, sizeof inner,
			 "      <Error>\n        <Status>%s</Status>\n"
			 "        <Message>The directory service could not be reached</Message>\n"
			 "        <DebugData>MailUser</DebugData>\n      </Error>\n",
			 xesc(*case_arg ? case_arg : "2"));
		pox_action(inner);
	} else if (strcmp(case_name, "malformed") == 0) {
		char doc[8192], *p;
		settings_doc(doc, sizeof doc, xesc(env("AD_EAS_URL", "")), "");
		p = strstr(doc, "</Settings>");
		memcpy(p, "</Setting>\n", 11); /* mismatched end tag */
		reply("200 OK", NULL, "text/xml; charset=utf-8", doc);
	} else if (strcmp(case_name, "truncated") == 0) {
		char doc[8192], *p;
		settings_doc(doc, sizeof doc, xesc(env("AD_EAS_URL", "")), "");
		p = strstr(doc, "<Type>");
		p[3] = '\0'; /* "...<Server>\n          <Ty" */
		reply("200 OK", NULL, "text/xml; charset=utf-8", doc);
	} else if (strcmp(case_name, "laughs") == 0) {
		char doc[8192], dtd[2048], *p;
		int i;

		p = dtd + sprintf(dtd, "<!DOCTYPE Autodiscover [\n  <!ENTITY lol \"lol\">\n"
				       "  <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"
				       "&lol;&lol;\">\n");
		for (i = 2; i <= 9; i++)
			p += sprintf(p, "  <!ENTITY lol%d \"", i),
				p += sprintf(p,
					     "&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;"
					     "&lol%d;&lol%d;&lol%d;\">\n",
					     i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
					     i - 1, i - 1);
		strcpy(p, "]>\n");
		settings_doc(doc, sizeof doc, "https://mail.example.test/&lol9;", "");
		/* the DOCTYPE goes after the XML declaration */
		p = doc + strlen(XML_DECL);
		memmove(p + strlen(dtd), p, strlen(p) + 1);
		memcpy(p, dtd, strlen(dtd));
		reply("200 OK", NULL, "text/xml; charset=utf-8", doc);
	} else if (strcmp(case_name, "xxe") == 0) {
		static const char dtd[] = "<!DOCTYPE Autodiscover [\n"
					  "  <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n";
		char doc[8192], *p;

		settings_doc(doc, sizeof doc, "https://mail.example.test/&xxe;", "");
		p = doc + strlen(XML_DECL);
		memmove(p + strlen(dtd), p, strlen(p) + 1);
		memcpy(p, dtd, strlen(dtd));
		reply("200 OK", NULL, "text/xml; charset=utf-8", doc);
	} else {
		fprintf(stderr, "autodiscover-responder: unknown case '%s'\n", case_name);
		reply("500 Unknown autodiscover-responder case", NULL, "text/plain",
		      "autodiscover-responder: unknown case\n");
	}
}

/* -------------------------------------------------------------- JSON */

static void json(const char *method)
{
	const char *uri = env("REQUEST_URI", ""), *q = env("QUERY_STRING", "");
	const char *p = strstr(uri, "/v1.0/"), *proto;
	char out[2048];
	size_t n;

	if (p) {
		p += 6;
		n = strcspn(p, "?/");
		if (n < sizeof email) {
			memcpy(email, p, n);
			email[n] = '\0';
		}
	}
	if (common_case(1))
		return;
	hang_case();
	if (strcmp(case_name, "error") == 0) {
		reply("400 Bad Request", NULL, "application/json; charset=utf-8",
		      "{\"ErrorCode\":\"InternalServerError\",\"ErrorMessage\":\"Failed to "
		      "resolve the user's mailbox.\"}");
		return;
	}
	if (strcmp(case_name, "malformed") == 0) {
		reply("200 OK", NULL, "application/json; charset=utf-8",
		      "{\"Protocol\":\"ActiveSync\",\"Url\":\"https://mail.exa");
		return;
	}
	proto = strstr(q, "Protocol=");
	if (strcmp(method, "GET") != 0 || !email[0] || !proto ||
	    strncasecmp(proto + 9, "ActiveSync", 10) != 0 || (proto[19] && proto[19] != '&')) {
		snprintf(out, sizeof out,
			 "{\"ErrorCode\":\"InvalidProtocol\",\"ErrorMessage\":\"The given protocol "
			 "value '%.*s' is invalid. Supported values are "
			 "'Rest,ActiveSync,Ews,AutodiscoverV1'\"}",
			 proto ? (int)strcspn(proto + 9, "&\"\\") : 0, proto ? proto + 9 : "");
		reply("400 Bad Request", NULL, "application/json; charset=utf-8", out);
		return;
	}
	if (strcmp(case_name, "settings") == 0) {
		snprintf(out, sizeof out, "{\"Protocol\":\"ActiveSync\",\"Url\":\"%s\"}",
			 *case_arg ? case_arg : env("AD_EAS_URL", ""));
	} else if (strcmp(case_name, "http-url") == 0) {
		snprintf(out, sizeof out, "{\"Protocol\":\"ActiveSync\",\"Url\":\"%s\"}",
			 *case_arg ? case_arg : env("AD_EAS_HTTP_URL", ""));
	} else {
		fprintf(stderr, "autodiscover-responder: unknown JSON case '%s'\n", case_name);
		reply("500 Unknown autodiscover-responder case", NULL, "text/plain",
		      "autodiscover-responder: unknown case\n");
		return;
	}
	reply("200 OK", NULL, "application/json; charset=utf-8", out);
}

int main(void)
{
	const char *method = env("REQUEST_METHOD", "GET");
	const char *vhost = env("AD_VHOST", "unknown");
	const char *uri = env("REQUEST_URI", "");
	const char *scheme;
	int is_json = strncasecmp(uri, "/autodiscover/autodiscover.json", 31) == 0;
	int auth_ok;
	char v[128];

	signal(SIGPIPE, SIG_IGN);
	snprintf(v, sizeof v, "%s", vhost);
	clean(v);
	if (strchr(v, '/'))
		snprintf(v, sizeof v, "unknown");
	read_body();
	if (!is_json && !element_text(body, "EMailAddress", email, sizeof email))
		email[0] = '\0';
	auth_ok = auth_state(&scheme);
	read_case(v, is_json);
	if (is_json) {
		/* the address is in the path; log it too */
		const char *p = strstr(uri, "/v1.0/");
		if (p) {
			size_t n = strcspn(p + 6, "?/");
			if (n < sizeof email) {
				memcpy(email, p + 6, n);
				email[n] = '\0';
			}
		}
	}
	log_request(v, scheme);
	if (is_json)
		json(method);
	else
		pox(method, auth_ok);
	return fflush(stdout) == 0 ? 0 : 1;
}
