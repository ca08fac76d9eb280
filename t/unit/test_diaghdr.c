/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Exchange's diagnostic headers: who served an answer, which part failed,
 * throttling; and how the HTTP sentence names them. The values are the
 * forms Exchange sends (doc/diagnostics.md names the sources). */
#include <stdio.h>
#include <string.h>

#include "http/http.h"
#include "util/base64.h"
#include "tap.h"

static struct eas_response answer(long status)
{
	struct eas_response res;

	memset(&res, 0, sizeof res);
	res.status = status;
	res.hdr[EAS_HDR_POWERED_BY] = (char *)"ASP.NET";
	return res;
}

static void served(struct tap *t)
{
	struct eas_response res = answer(200);
	struct eas_served s;
	char buf[200];

	eas_served_read(&res, &s);
	TAP_OK(t,
	       !eas_served_any(&s) && s.point == EAS_FP_NONE &&
		       !eas_served_text(&s, buf, sizeof buf) && s.retry_after == -1,
	       "no diagnostic headers: nothing said, no words");
	res.hdr[EAS_HDR_FESERVER] = (char *)"EX01";
	res.hdr[EAS_HDR_BESERVER] = (char *)"EX03";
	res.hdr[EAS_HDR_BETARGET] = (char *)"ex04.example.com";
	res.hdr[EAS_HDR_REQUEST_ID] = (char *)"c62cb78d-6116-4910-a6c7-f161fabe9104";
	eas_served_read(&res, &s);
	eas_served_text(&s, buf, sizeof buf);
	TAP_OK(t, !strcmp(buf, "on front end EX01, back end EX03"), "X-FEServer and X-BEServer: %s",
	       buf);
	TAP_OK(t, !strcmp(s.request_id, "c62cb78d-6116-4910-a6c7-f161fabe9104"),
	       "request-id kept: %s", s.request_id);
	res.hdr[EAS_HDR_BESERVER] = NULL;
	res.hdr[EAS_HDR_BETARGET] = (char *)"DM5PR18MB1004.namprd18.prod.outlook.com:444";
	eas_served_read(&res, &s);
	eas_served_text(&s, buf, sizeof buf);
	TAP_OK(t,
	       !strcmp(s.back_end, "DM5PR18MB1004.namprd18.prod.outlook.com") &&
		       !strcmp(buf, "on front end EX01, back end DM5PR18MB1004"),
	       "no X-BEServer: the host of X-CalculatedBETarget, its first label on the line: %s, %s",
	       s.back_end, buf);
	res.hdr[EAS_HDR_FESERVER] = (char *)"DM5PR13CA0042, MWHPR18CA0031";
	eas_served_read(&res, &s);
	TAP_OK(t, !strcmp(s.front_end, "DM5PR13CA0042, MWHPR18CA0031"),
	       "a list of front ends is names: %s", s.front_end);
	res.hdr[EAS_HDR_FESERVER] = (char *)"<script>alert(1)</script> \xe2\x80\xae";
	res.hdr[EAS_HDR_BETARGET] = NULL;
	res.hdr[EAS_HDR_REQUEST_ID] = (char *)"'; DROP TABLE";
	eas_served_read(&res, &s);
	TAP_OK(t,
	       !strcmp(s.front_end, "\"?script?alert?1???script?????\"") &&
		       !eas_served_text(&s, buf, sizeof buf),
	       "not a host name: quoted, only name characters, and not on the line: %s",
	       s.front_end);
	TAP_OK(t, s.request_id[0] == '"' && !strchr(s.request_id, ';'),
	       "an odd request-id quoted likewise: %s", s.request_id);
	res.hdr[EAS_HDR_FESERVER] =
		(char *)"EX"
			"0123456789012345678901234567890123456789012345678901234567890123456789"
			"-too-long-for-a-line";
	eas_served_read(&res, &s);
	TAP_OK(t, strlen(s.front_end) < EAS_SERVED_NAME && strstr(s.front_end, "...\""),
	       "a name longer than the field: cut, marked: %s", s.front_end);
	res.hdr[EAS_HDR_FESERVER] = (char *)"..";
	eas_served_read(&res, &s);
	TAP_OK(t, !strcmp(s.front_end, "\"..\""), "dots alone are no name: %s", s.front_end);
}

static void failure_context(struct tap *t)
{
	struct eas_response res = answer(401);
	struct eas_served s;

	/* The real one: Exchange 2019 CU, a 401 on /mapi (base64 of
	 * "Unauthorized"). */
	res.hdr[EAS_HDR_FAILURE_CONTEXT] = (char *)"FrontEnd;401;VW5hdXRob3JpemVk;;;;";
	eas_served_read(&res, &s);
	TAP_OK(t,
	       s.point == EAS_FP_AUTH &&
		       !strcmp(s.component,
			       "the front end's authentication refused the request (HTTP 401 there, Unauthorized)"),
	       "FrontEnd;401: authentication: %s", s.component);
	res = answer(503);
	res.hdr[EAS_HDR_FAILURE_CONTEXT] =
		(char *)"BackEnd;503;U2VydmljZSBVbmF2YWlsYWJsZQ==;;;;"; /* Service Unavailable */
	eas_served_read(&res, &s);
	TAP_OK(t,
	       s.point == EAS_FP_BACK_END &&
		       !strcmp(s.component,
			       "the back end failed (HTTP 503 there, Service Unavailable)"),
	       "BackEnd: %s", s.component);
	res.hdr[EAS_HDR_FAILURE_CONTEXT] = (char *)"FrontEnd;503;;;ServerNotFound;ConnectFailure;";
	eas_served_read(&res, &s);
	TAP_OK(t,
	       s.point == EAS_FP_PROXY &&
		       !strcmp(s.component,
			       "the front end could not reach the back end (HTTP 503 there, ServerNotFound, ConnectFailure)"),
	       "FrontEnd with ConnectFailure: the proxy: %s", s.component);
	res.hdr[EAS_HDR_FAILURE_CONTEXT] = (char *)"FrontEnd;500;;;DatabaseNameNotFound;;";
	eas_served_read(&res, &s);
	TAP_OK(t,
	       s.point == EAS_FP_FRONT_END &&
		       !strcmp(s.component,
			       "the front end's proxy failed (HTTP 500 there, DatabaseNameNotFound)"),
	       "FrontEnd 500: %s", s.component);
	res.hdr[EAS_HDR_FAILURE_CONTEXT] = (char *)"Mailbox;x;!!;";
	eas_served_read(&res, &s);
	TAP_OK(t, s.point == EAS_FP_OTHER && !strcmp(s.component, "Exchange's Mailbox failed"),
	       "an unknown point, bad status and base64: named, nothing invented: %s", s.component);
	res.hdr[EAS_HDR_FAILURE_CONTEXT] = (char *)"Back End;500;AQID;;;;"; /* 01 02 03 */
	eas_served_read(&res, &s);
	TAP_OK(t, s.point == EAS_FP_NONE && !s.component[0], "a point that is no token: ignored");
	res.hdr[EAS_HDR_FAILURE_CONTEXT] = (char *)"BackEnd;500;AQID;;;;";
	eas_served_read(&res, &s);
	TAP_OK(t, !strcmp(s.component, "the back end failed (HTTP 500 there, ?\?\?)"),
	       "control bytes in the decoded error become '?': %s", s.component);
	res.hdr[EAS_HDR_FAILURE_CONTEXT] = NULL;
	res.hdr[EAS_HDR_BACKEND_STATUS] = (char *)"500";
	eas_served_read(&res, &s);
	TAP_OK(t,
	       s.point == EAS_FP_BACK_END && !strcmp(s.component, "the back end answered HTTP 500"),
	       "X-BackEndHttpStatus alone: %s", s.component);
}

static void auth_and_throttle(struct tap *t)
{
	struct eas_response res = answer(401);
	struct eas_served s;
	struct eas_http_diag d;

	/* Exchange Online's answer to a token for another audience. */
	res.hdr[EAS_HDR_MS_DIAGNOSTICS] =
		(char *)"2000003;reason=\"The audience claim value is invalid 'aud'.\";error_category=\"invalid_resource\"";
	res.hdr[EAS_HDR_FAILURE_CONTEXT] = (char *)"FrontEnd;401;VW5hdXRob3JpemVk;;;;";
	eas_served_read(&res, &s);
	TAP_OK(t,
	       s.point == EAS_FP_AUTH &&
		       !strcmp(s.component,
			       "authentication refused: the bearer token is for another audience (X-MS-Diagnostics 2000003: The audience claim value is invalid 'aud'.)"),
	       "X-MS-Diagnostics first: %s", s.component);
	res.hdr[EAS_HDR_MS_DIAGNOSTICS] = (char *)"4000000;reason=\"Something new.\"";
	eas_served_read(&res, &s);
	TAP_OK(t,
	       !strcmp(s.component,
		       "authentication refused: Something new. (X-MS-Diagnostics 4000000)"),
	       "an unknown category: the server's reason: %s", s.component);
	res = answer(503);
	res.hdr[EAS_HDR_THROTTLE] = (char *)"OutOfBudgets";
	res.hdr[EAS_HDR_RETRY_AFTER] = (char *)"45";
	eas_served_read(&res, &s);
	TAP_OK(t,
	       s.point == EAS_FP_THROTTLE && !strcmp(s.throttle, "OutOfBudgets") &&
		       s.retry_after == 45,
	       "X-MS-ASThrottle and Retry-After: %s, %ld", s.throttle, s.retry_after);
	eas_http_diagnose(&res, &d);
	TAP_OK(t,
	       !strcmp(d.meaning,
		       "HTTP 503: throttled, retry after 45s: the user's throttling budget is used up (X-MS-ASThrottle: OutOfBudgets)"),
	       "the throttling sentence names the budget and the back-off: %s", d.meaning);
	TAP_OK(t,
	       !strcmp(eas_throttle_words("Whatever"),
		       "a throttling policy limits this user or device") &&
		       eas_throttle_words("") == NULL,
	       "an unknown reason: the general words; none: NULL");
	res.hdr[EAS_HDR_RETRY_AFTER] = (char *)"Wed, 21 Oct 2026 07:28:00 GMT";
	eas_served_read(&res, &s);
	TAP_OK(t, s.retry_after == -1, "Retry-After as a date: no seconds");
}

static void sentence(struct tap *t)
{
	struct eas_response res = answer(500);
	struct eas_http_diag d, plain;

	eas_http_diagnose(&res, &plain);
	res.hdr[EAS_HDR_FESERVER] = (char *)"EX01";
	eas_http_diagnose(&res, &d);
	TAP_OK(t,
	       !strncmp(d.meaning, "on front end EX01: HTTP 500: ", 29) &&
		       !strcmp(d.meaning + 19, plain.meaning),
	       "the front end first, else the same sentence: %s", d.meaning);
	res.hdr[EAS_HDR_BESERVER] = (char *)"EX03";
	res.hdr[EAS_HDR_FAILURE_CONTEXT] = (char *)"BackEnd;500;;;;;";
	eas_http_diagnose(&res, &d);
	TAP_OK(t,
	       !strcmp(d.meaning,
		       "on front end EX01, back end EX03: HTTP 500: the back end failed (HTTP 500 there): internal server error in Exchange or IIS (application pool or back end down?)"),
	       "the failing part right after the status: %s", d.meaning);
	TAP_OK(t, d.served_len == 34 && !strncmp(d.meaning + d.served_len, "HTTP 500: ", 10),
	       "served_len: the sentence without the servers: %s", d.meaning + d.served_len);
	/* Exchange's front end on any 401 (Exchange 2019, a real answer). */
	res = answer(401);
	res.hdr[EAS_HDR_FESERVER] = (char *)"MAIL";
	res.hdr[EAS_HDR_FAILURE_CONTEXT] = (char *)"FrontEnd;401;VW5hdXRob3JpemVk;;;;";
	eas_http_diagnose(&res, &d);
	TAP_OK(t, !strncmp(d.meaning, "on front end MAIL: HTTP 401: authentication required", 52),
	       "a front end's plain 401: its part stays in -v, not in the sentence: %s", d.meaning);
	res = answer(200);
	res.hdr[EAS_HDR_VERSIONS] = (char *)"14.1";
	res.hdr[EAS_HDR_COMMANDS] = (char *)"Sync";
	res.hdr[EAS_HDR_FESERVER] = (char *)"EX01";
	eas_http_diagnose(&res, &d);
	TAP_OK(t, !strcmp(d.meaning, "HTTP 200 with the ActiveSync headers"),
	       "a good answer: no server named in its sentence: %s", d.meaning);
	res = answer(0);
	res.fail = EAS_FAIL_TIMEOUT;
	snprintf(res.what, sizeof res.what, "hung reading the body");
	res.hdr[EAS_HDR_FESERVER] = (char *)"EX02";
	eas_http_diagnose(&res, &d);
	TAP_OK(t, !strcmp(d.meaning, "on front end EX02: hung reading the body"),
	       "a failure after the headers names the front end too: %s", d.meaning);
}

static void base64(struct tap *t)
{
	char out[8];

	TAP_OK(t, eas_base64_decode("SGk=", 4, false, out, sizeof out) == 2 && !strcmp(out, "Hi"),
	       "base64 with padding");
	TAP_OK(t, eas_base64_decode("SGk", 3, false, out, sizeof out) == 2,
	       "base64 without padding");
	TAP_OK(t,
	       eas_base64_decode("S", 1, false, out, sizeof out) == -1 &&
		       eas_base64_decode("S$==", 4, false, out, sizeof out) == -1,
	       "not base64: -1");
	TAP_OK(t,
	       eas_base64_decode("QUJDREVGR0hJSktM", 16, false, out, sizeof out) == 7 &&
		       !strcmp(out, "ABCDEFG"),
	       "cut at the buffer, terminated");
	TAP_OK(t,
	       eas_base64_decode("-_-_", 4, true, out, sizeof out) == 3 &&
		       !memcmp(out, "\xfb\xff\xbf", 3) &&
		       eas_base64_decode("+/+/", 4, true, out, sizeof out) == -1 &&
		       eas_base64_decode("-_-_", 4, false, out, sizeof out) == -1,
	       "the URL alphabet only when asked for");
	TAP_OK(t, eas_base64_decode("", 0, false, out, sizeof out) == 0 && !out[0], "empty: empty");
}

int main(void)
{
	struct tap t = { 0 };

	served(&t);
	failure_context(&t);
	auth_and_throttle(&t);
	sentence(&t);
	base64(&t);
	return tap_done(&t);
}
