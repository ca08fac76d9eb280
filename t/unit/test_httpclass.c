/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one HTTP classification: classes, sentences and IIS sub-statuses. */
#include <stdio.h>
#include <string.h>

#include "http/httpclass.h"
#include "tap.h"

#define IIS(code) "<h3>HTTP Error " code " - Forbidden</h3>"

/* An answer from IIS (X-Powered-By: ASP.NET), as the IIS pages come. */
static struct eas_http_diag diag(long status, const char *body)
{
	struct eas_response res = { 0 };
	struct eas_http_diag d;

	res.status = status;
	res.body = (char *)body;
	res.hdr[EAS_HDR_POWERED_BY] = (char *)"ASP.NET";
	eas_http_diagnose(&res, &d);
	return d;
}

/* The same answer from another server (Server: Apache). */
static struct eas_http_diag other(long status, const char *body)
{
	struct eas_response res = { 0 };
	struct eas_http_diag d;

	res.status = status;
	res.body = (char *)body;
	res.hdr[EAS_HDR_SERVER] = (char *)"Apache";
	eas_http_diagnose(&res, &d);
	return d;
}

/* Exchange and IIS words only for Microsoft's answers. */
static void microsoft_words(struct tap *t)
{
	struct eas_response res = { 0 };
	struct eas_http_diag d;
	long named = 0;

	TAP_OK(t, !eas_from_microsoft(&res), "no headers: not Microsoft");
	res.hdr[EAS_HDR_SERVER] = (char *)"Microsoft-IIS/10.0";
	TAP_OK(t, eas_from_microsoft(&res), "Server: Microsoft-IIS/10.0: Microsoft");
	res.hdr[EAS_HDR_SERVER] = (char *)"Apache";
	res.hdr[EAS_HDR_FESERVER] = (char *)"EXCH01";
	TAP_OK(t, eas_from_microsoft(&res), "X-FEServer: Microsoft (Exchange front end)");
	res.hdr[EAS_HDR_FESERVER] = NULL;
	res.hdr[EAS_HDR_EAS_SERVER] = (char *)"14.1";
	TAP_OK(t, !eas_from_microsoft(&res),
	       "MS-Server-ActiveSync alone is not Microsoft (Horde sends it too)");

	d = other(403, IIS("403.7"));
	TAP_OK(t, d.substatus == -1 && d.cls == EAS_HC_FORBIDDEN && !strstr(d.meaning, "403.7"),
	       "another server's page with 403.7 in it: no IIS sub-status: %s", d.meaning);
	d = other(401, IIS("401.2"));
	TAP_OK(t, d.substatus == -1 && !strstr(d.meaning, "IIS"),
	       "another server's 401 page: no IIS mapping advice: %s", d.meaning);
	for (long st = 200; st <= 504 && !named; st++) {
		d = other(st, NULL);
		if (strstr(d.meaning, "Exchange") || strstr(d.meaning, "IIS") ||
		    strstr(d.meaning, "virtual directory"))
			named = st;
	}
	TAP_OK(t, !named, "HTTP 200-504 from another server: no Exchange or IIS words (%ld: %s)",
	       named, named ? d.meaning : "none");
	d = other(500, NULL);
	TAP_OK(t,
	       strstr(d.meaning, "HTTP 500: internal server error in the ActiveSync server") !=
		       NULL,
	       "500 from another server: generic words: %s", d.meaning);
	d = diag(500, NULL);
	TAP_OK(t, strstr(d.meaning, "in Exchange or IIS") != NULL,
	       "500 from IIS: Exchange words: %s", d.meaning);
	d = other(404, NULL);
	TAP_OK(t, d.cls == EAS_HC_NOT_FOUND && strstr(d.meaning, "does not serve ActiveSync"),
	       "404 from another server: generic words: %s", d.meaning);
	d = diag(404, NULL);
	TAP_OK(t, strstr(d.meaning, "EAS virtual directory") != NULL,
	       "404 from IIS: the virtual directory");
	d = other(502, NULL);
	TAP_OK(t, strstr(d.meaning, "cannot reach the server behind it") != NULL,
	       "502 from a proxy: the server behind it: %s", d.meaning);
}

/* One answer to "is it a redirect" for the table and Autodiscover, and
 * the class by number alone agreeing with the full classification. */
static void by_number(struct tap *t)
{
	struct eas_response res = { 0 };
	struct eas_http_diag d;
	char got[64] = "", bad[64] = "";

	for (long st = 300; st <= 309; st++)
		if (eas_http_is_redirect(st))
			snprintf(got + strlen(got), sizeof got - strlen(got), " %ld", st);
	TAP_OK(t, !strcmp(got, " 301 302 303 307 308"), "redirects: 301 302 303 307 308 (got%s)",
	       got);
	res.hdr[EAS_HDR_LOCATION] = (char *)"https://login.example.com/";
	res.status = 302;
	eas_http_diagnose(&res, &d);
	TAP_OK(t, d.cls == EAS_HC_REDIRECT && strstr(d.meaning, "redirect to https://login"),
	       "302 with Location: redirect: %s", d.meaning);
	res.status = 304;
	eas_http_diagnose(&res, &d);
	TAP_OK(t, d.cls == EAS_HC_OTHER && strstr(d.meaning, "unexpected HTTP 304"),
	       "304 is no redirect, whatever its headers: %s", d.meaning);
	res.hdr[EAS_HDR_LOCATION] = NULL;
	TAP_OK(t,
	       eas_http_status_class(449) == EAS_HC_PROVISION &&
		       eas_http_status_class(451) == EAS_HC_ELSEWHERE &&
		       eas_http_status_class(401) == EAS_HC_AUTH_REQUIRED &&
		       eas_http_status_class(307) == EAS_HC_REDIRECT &&
		       eas_http_status_class(306) == EAS_HC_OTHER &&
		       eas_http_status_class(200) == EAS_HC_OTHER,
	       "class by number: 449 provision, 451 elsewhere, 401 auth, 307 redirect; 306 and "
	       "200 (headers decide) other");
	/* A bare answer (no headers, no page) classifies as its number does. */
	for (long st = 100; st <= 599 && !bad[0]; st++) {
		res.status = st;
		eas_http_diagnose(&res, &d);
		if (st != 200 && d.cls != eas_http_status_class(st))
			snprintf(bad, sizeof bad, "%ld: %s, by number %s", st,
				 eas_http_class_name(d.cls),
				 eas_http_class_name(eas_http_status_class(st)));
	}
	TAP_OK(t, !bad[0], "HTTP 100-599 without headers: the class by number is the table's%s%s",
	       bad[0] ? "; not for " : "", bad);
}

/* One line per row of the HTTP table in common/http/httpclass.c, and the
 * edges of its ranges, written out here on their own: the answer (status,
 * an IIS sub-status or -1, the EAS headers, an X-MS-ASThrottle header),
 * the class expected and words from the one sentence for it. A changed
 * class, a lost row or rows in another order fail. */
static const struct expect {
	long status;
	int sub, eas, throttle;
	enum eas_http_class cls;
	const char *words;
} expected[] = {
	{ 200, -1, 1, 0, EAS_HC_EAS, "HTTP 200 with the ActiveSync headers" },
	{ 200, -1, 0, 0, EAS_HC_NOT_EAS, "HTTP 200 but without the ActiveSync headers" },
	{ 300, -1, 0, 0, EAS_HC_OTHER, "unexpected HTTP 300" },
	{ 301, -1, 0, 0, EAS_HC_REDIRECT, "HTTP 301 redirect to" },
	{ 302, -1, 1, 0, EAS_HC_REDIRECT, "HTTP 302 redirect to" },
	{ 307, -1, 0, 0, EAS_HC_REDIRECT, "HTTP 307 redirect to" },
	{ 308, -1, 0, 0, EAS_HC_REDIRECT, "HTTP 308 redirect to" },
	{ 309, -1, 0, 0, EAS_HC_OTHER, "unexpected HTTP 309" },
	{ 400, -1, 0, 0, EAS_HC_OTHER, "HTTP 400: bad request" },
	{ 401, 1, 0, 0, EAS_HC_AUTH_REQUIRED, "HTTP 401.1: logon failed" },
	{ 401, 2, 0, 0, EAS_HC_AUTH_REQUIRED, "HTTP 401.2: no accepted authentication" },
	{ 401, 3, 0, 0, EAS_HC_AUTH_REQUIRED, "HTTP 401.3: the account lacks file permissions" },
	{ 401, -1, 0, 0, EAS_HC_AUTH_REQUIRED, "HTTP 401: authentication required" },
	{ 401, 5, 0, 0, EAS_HC_AUTH_REQUIRED, "HTTP 401: authentication required" },
	{ 402, -1, 0, 0, EAS_HC_OTHER, "unexpected HTTP 402" },
	{ 403, 4, 0, 0, EAS_HC_OTHER, "HTTP 403.4: SSL required" },
	{ 403, 7, 0, 0, EAS_HC_CERT_REQUIRED, "HTTP 403.7: the server requires a client" },
	{ 403, 16, 0, 0, EAS_HC_CERT_REFUSED, "HTTP 403.16: the client certificate is untrusted" },
	{ 403, 17, 0, 0, EAS_HC_CERT_REFUSED, "HTTP 403.17: the client certificate has expired" },
	{ 403, -1, 0, 0, EAS_HC_FORBIDDEN, "HTTP 403: access forbidden" },
	{ 403, 18, 0, 0, EAS_HC_FORBIDDEN, "HTTP 403: access forbidden" },
	{ 404, -1, 0, 0, EAS_HC_NOT_FOUND, "HTTP 404: not found" },
	{ 449, -1, 0, 0, EAS_HC_PROVISION, "HTTP 449: retry after Provision" },
	{ 451, -1, 0, 0, EAS_HC_ELSEWHERE, "HTTP 451: the mailbox is served elsewhere" },
	{ 456, -1, 0, 0, EAS_HC_ACCOUNT, "HTTP 456: the user's account is blocked" },
	{ 457, -1, 0, 0, EAS_HC_ACCOUNT, "HTTP 457: the user's password has expired" },
	{ 500, -1, 0, 0, EAS_HC_SERVER_ERROR, "HTTP 500: internal server error" },
	{ 501, -1, 0, 0, EAS_HC_WRONG_METHOD, "HTTP 501 not implemented" },
	{ 502, -1, 0, 0, EAS_HC_SERVER_ERROR, "HTTP 502: the reverse proxy cannot reach" },
	{ 503, -1, 0, 1, EAS_HC_SERVER_ERROR, "HTTP 503: throttled" },
	{ 503, -1, 1, 1, EAS_HC_SERVER_ERROR, "HTTP 503: throttled" },
	{ 503, -1, 0, 0, EAS_HC_SERVER_ERROR, "HTTP 503: service unavailable" },
	{ 504, -1, 0, 0, EAS_HC_SERVER_ERROR, "HTTP 504: the reverse proxy cannot reach" },
	{ 505, -1, 0, 0, EAS_HC_WRONG_METHOD, "HTTP 505 version not supported" },
	{ 506, -1, 0, 0, EAS_HC_OTHER, "unexpected HTTP 506" },
	{ 507, -1, 0, 0, EAS_HC_SERVER_ERROR, "HTTP 507: insufficient storage" },
	{ 508, -1, 0, 0, EAS_HC_OTHER, "unexpected HTTP 508" },
};

/* Each expected answer, from IIS, through eas_http_diagnose(). */
static void check_expected(struct tap *t)
{
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
		const struct expect *e = &expected[i];
		struct eas_response res = { 0 };
		struct eas_http_diag d;
		char body[64] = "";

		if (e->sub >= 0)
			snprintf(body, sizeof body, "HTTP Error %ld.%d - Forbidden", e->status,
				 e->sub);
		res.status = e->status;
		res.body = body;
		res.hdr[EAS_HDR_POWERED_BY] = (char *)"ASP.NET";
		if (e->eas) {
			res.hdr[EAS_HDR_VERSIONS] = (char *)"14.1";
			res.hdr[EAS_HDR_COMMANDS] = (char *)"Sync";
		}
		if (e->throttle)
			res.hdr[EAS_HDR_THROTTLE] = (char *)"CommandFrequency";
		eas_http_diagnose(&res, &d);
		TAP_OK(t, d.cls == e->cls && !strncmp(d.meaning, e->words, strlen(e->words)),
		       "HTTP %ld%s%.0d%s%s: %s: %s", e->status, e->sub >= 0 ? "." : "",
		       e->sub >= 0 ? e->sub : 0, e->eas ? " with the EAS headers" : "",
		       e->throttle ? " throttled" : "", eas_http_class_name(e->cls), d.meaning);
	}
}

int main(void)
{
	struct tap t = { 0 };
	struct eas_response res = { 0 };
	struct eas_http_diag d;

	TAP_OK(&t, eas_iis_substatus("<h3>HTTP Error 403.7 - Forbidden</h3>", 403) == 7,
	       "403.7 found");
	TAP_OK(&t, eas_iis_substatus("HTTP Error 403.16 - Forbidden", 403) == 16, "403.16 found");
	TAP_OK(&t, eas_iis_substatus("HTTP Error 401.2 - Unauthorized", 401) == 2, "401.2 found");
	TAP_OK(&t, eas_iis_substatus("403 - Forbidden: Access is denied.", 403) == -1,
	       "plain 403 has none");
	TAP_OK(&t, eas_iis_substatus("HTTP Error 403.7", 401) == -1, "other status ignored");
	TAP_OK(&t, eas_iis_substatus("1403.7 and 403.x", 403) == -1, "no false matches");
	TAP_OK(&t, eas_iis_substatus(NULL, 403) == -1, "no body");
	TAP_OK(&t, eas_iis_substatus("403.99999999999999999999", 403) == -1,
	       "overlong sub-status ignored");

	d = diag(403, IIS("403.7"));
	TAP_OK(&t,
	       d.cls == EAS_HC_CERT_REQUIRED && d.substatus == 7 &&
		       strstr(d.meaning, "HTTP 403.7: the server requires a client certificate"),
	       "403.7: certificate required: %s", d.meaning);
	d = diag(403, IIS("403.16"));
	TAP_OK(&t, d.cls == EAS_HC_CERT_REFUSED, "403.16: certificate refused");
	d = diag(403, IIS("403.4"));
	TAP_OK(&t, d.cls == EAS_HC_OTHER && strstr(d.meaning, "HTTP 403.4: SSL required"),
	       "403.4: SSL required, no authentication meaning");
	d = diag(403, "nothing");
	TAP_OK(&t, d.cls == EAS_HC_FORBIDDEN && d.substatus == -1, "plain 403: forbidden");
	d = diag(401, IIS("401.2"));
	TAP_OK(&t, d.cls == EAS_HC_AUTH_REQUIRED && strstr(d.meaning, "401.2: no accepted"),
	       "401.2: authentication, certificate mapping");
	d = diag(449, NULL);
	TAP_OK(&t, d.cls == EAS_HC_PROVISION, "449: provision");
	d = diag(456, NULL);
	TAP_OK(&t, d.cls == EAS_HC_ACCOUNT && strstr(d.meaning, "blocked"), "456: account blocked");
	d = diag(457, NULL);
	TAP_OK(&t, d.cls == EAS_HC_ACCOUNT && strstr(d.meaning, "password has expired"),
	       "457: password expired");
	d = diag(507, NULL);
	TAP_OK(&t, d.cls == EAS_HC_SERVER_ERROR && strstr(d.meaning, "storage"), "507: storage");
	d = diag(501, NULL);
	TAP_OK(&t, d.cls == EAS_HC_WRONG_METHOD, "501: wrong method");
	d = diag(302, NULL);
	TAP_OK(&t, d.cls == EAS_HC_REDIRECT && strstr(d.meaning, "redirect to (not given)"),
	       "302 without Location: %s", d.meaning);

	res.status = 451;
	res.hdr[EAS_HDR_MS_LOCATION] =
		(char *)"https://mail2.example.com/Microsoft-Server-ActiveSync";
	eas_http_diagnose(&res, &d);
	TAP_OK(&t, d.cls == EAS_HC_ELSEWHERE && strstr(d.meaning, "mail2.example.com") != NULL,
	       "451 names X-MS-Location");
	res.hdr[EAS_HDR_MS_LOCATION] = NULL;
	res.status = 503;
	res.hdr[EAS_HDR_RETRY_AFTER] = (char *)"120";
	eas_http_diagnose(&res, &d);
	TAP_OK(&t, strstr(d.meaning, "retry after 120s") != NULL, "503 gives Retry-After: %s",
	       d.meaning);
	res.hdr[EAS_HDR_THROTTLE] = (char *)"CommandFrequency";
	eas_http_diagnose(&res, &d);
	TAP_OK(&t,
	       !strcmp(d.meaning,
		       "HTTP 503: throttled, retry after 120s: the device sends commands too often (X-MS-ASThrottle: CommandFrequency)"),
	       "503 with X-MS-ASThrottle names the reason: %s", d.meaning);
	res.hdr[EAS_HDR_THROTTLE] = NULL;
	res.hdr[EAS_HDR_RETRY_AFTER] = NULL;
	eas_http_diagnose(&res, &d);
	TAP_OK(&t, !strstr(d.meaning, "retry after"), "503 without Retry-After: no tail");
	res.status = 401;
	res.hdr[EAS_HDR_WWW_AUTHENTICATE] = (char *)"Basic realm=\"x\"";
	eas_http_diagnose(&res, &d);
	TAP_OK(&t,
	       strstr(d.meaning, "; server offers Basic") != NULL && !strstr(d.meaning, "realm"),
	       "401 names the offered schemes (their parameters are -v's)");
	res.hdr[EAS_HDR_WWW_AUTHENTICATE] = NULL;
	res.status = 200;
	eas_http_diagnose(&res, &d);
	TAP_OK(&t,
	       d.cls == EAS_HC_NOT_EAS && strstr(d.meaning, "not the ActiveSync server") != NULL,
	       "200 without headers is a proxy page: %s", d.meaning);
	res.hdr[EAS_HDR_POWERED_BY] = (char *)"ASP.NET";
	eas_http_diagnose(&res, &d);
	TAP_OK(&t, d.cls == EAS_HC_NOT_EAS && strstr(d.meaning, "not Exchange") != NULL,
	       "200 without headers from IIS: not Exchange");
	res.hdr[EAS_HDR_POWERED_BY] = NULL;
	res.hdr[EAS_HDR_VERSIONS] = (char *)"14.1";
	res.hdr[EAS_HDR_COMMANDS] = (char *)"Sync";
	eas_http_diagnose(&res, &d);
	TAP_OK(&t, d.cls == EAS_HC_EAS, "200 with the headers is EAS");
	res.hdr[EAS_HDR_VERSIONS] = res.hdr[EAS_HDR_COMMANDS] = NULL;
	res.status = 999;
	eas_http_diagnose(&res, &d);
	TAP_OK(&t, d.cls == EAS_HC_OTHER && strstr(d.meaning, "unexpected HTTP 999") != NULL,
	       "unknown status named");

	res.status = 0;
	res.fail = EAS_FAIL_CLIENT_CERT;
	snprintf(res.what, sizeof res.what, "the server requires a client certificate");
	eas_http_diagnose(&res, &d);
	TAP_OK(&t, d.cls == EAS_HC_CERT_REQUIRED && !strcmp(d.meaning, res.what),
	       "TLS demand without a certificate: certificate required");
	res.cert_offered = true;
	eas_http_diagnose(&res, &d);
	TAP_OK(&t, d.cls == EAS_HC_CERT_REFUSED, "TLS refusal of our certificate: refused");
	res.fail = EAS_FAIL_REFUSED;
	eas_http_diagnose(&res, &d);
	TAP_OK(&t, d.cls == EAS_HC_OTHER, "connection refused: other");
	TAP_OK(&t, !strcmp(eas_http_class_name(EAS_HC_CERT_REQUIRED), "cert_required"),
	       "class names");
	microsoft_words(&t);
	by_number(&t);
	check_expected(&t);
	return tap_done(&t);
}
