/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "http/diaghdr.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/challenge.h"
#include "util/base64.h"
#include "util/text.h"

#define WORDS_MAX 100 /* bytes of a server's own words in a sentence */

/* X-MS-ASThrottle: Exchange names the autoblock threshold the device
 * exceeded (Set-ActiveSyncDeviceAutoblockThreshold) or the user's budget
 * (OutOfBudgets: Set-ThrottlingPolicy's EAS limits), by the name of its
 * DeviceAccessStateReason. Short: they go on the first line. */
static const struct {
	const char *reason, *words;
} throttles[] = {
	{ "OutOfBudgets", "the user's throttling budget is used up" },
	{ "CommandFrequency", "the device sends commands too often" },
	{ "RecentCommands", "too many recent commands from the device" },
	{ "SyncCommands", "too many Sync commands from the device" },
	{ "UserAgentsChanges", "the device changed its User-Agent too often" },
	{ "Watsons", "the device caused too many server errors" },
};

/* X-FailureContext's WebExceptionStatus: the proxy's request to the back
 * end never got an answer. */
static const char *const unreachable[] = {
	"ConnectFailure",
	"NameResolutionFailure",
	"Timeout",
	"ConnectionClosed",
	"ReceiveFailure",
	"SendFailure",
	"SecureChannelFailure",
	"TrustFailure",
	"KeepAliveFailure",
	"RequestCanceled",
	"ProxyNameResolutionFailure",
};

const char *eas_failpoint_name(enum eas_failpoint p)
{
	static const char *const names[EAS_FP_COUNT] = {
		"none", "front_end", "proxy", "back_end", "authentication", "throttling", "other",
	};
	return (unsigned)p < EAS_FP_COUNT ? names[p] : "other";
}

const char *eas_throttle_words(const char *reason)
{
	if (!reason || !*reason)
		return NULL;
	for (size_t i = 0; i < sizeof throttles / sizeof throttles[0]; i++)
		if (!strcasecmp(reason, throttles[i].reason))
			return throttles[i].words;
	return "a throttling policy limits this user or device";
}

/* A server's words for a sentence: one line, valid UTF-8, cut. */
static void words(char *s, size_t max)
{
	eas_text_clean(s, 1);
	s[eas_text_cut(s, max)] = 0;
}

/* One host name (letters, digits, '-', '_', dots between labels). */
static bool plausible_host(const char *s, size_t n)
{
	if (!n || n > 63 * 4 || s[0] == '.' || s[0] == '-' || s[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!isalnum(c) && c != '-' && c != '_' && c != '.')
			return false;
		if (c == '.' && s[i + 1] == '.')
			return false;
	}
	return true;
}

/* A list of names as X-FEServer may hold ("server(s)"): plausible when
 * each item separated by ',' (and blanks) is a host name. */
static bool plausible_list(const char *v)
{
	const char *p = v;
	bool any = false;

	while (*p) {
		size_t n;

		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		n = strcspn(p, ", ");
		if (!plausible_host(p, n))
			return false;
		any = true;
		p += n;
	}
	return any;
}

/* v as a name into buf: as it is when plausible and short enough, else
 * quoted with only name characters kept (others '?'), cut with "...". */
static void name_of(const char *v, size_t n, bool list, char *buf, size_t size)
{
	char tmp[EAS_SERVED_NAME * 4];
	size_t o = 0, keep = size - 6; /* quotes, "...", NUL */

	if (n < sizeof tmp) {
		memcpy(tmp, v, n);
		tmp[n] = 0;
		if ((list ? plausible_list(tmp) : plausible_host(tmp, n)) && n < size) {
			memcpy(buf, tmp, n + 1);
			return;
		}
	}
	buf[o++] = '"';
	for (size_t i = 0; i < n && o - 1 < keep; i++) {
		unsigned char c = (unsigned char)v[i];

		buf[o++] = isalnum(c) || c == '-' || c == '_' || c == '.' ? (char)c : '?';
	}
	if (n > keep) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '"';
	buf[o] = 0;
}

/* The host of X-CalculatedBETarget: the name without a port. */
static void betarget_host(const char *v, char *buf, size_t size)
{
	size_t n = strcspn(v, ":/");

	name_of(v, n, false, buf, size);
}

/* A request-id is a GUID: hex digits and dashes (braces allowed). */
static void request_id(const char *v, char *buf, size_t size)
{
	size_t n = strlen(v);
	bool ok = n > 0 && n < size;

	for (size_t i = 0; ok && i < n; i++)
		ok = isxdigit((unsigned char)v[i]) || v[i] == '-' || v[i] == '{' || v[i] == '}';
	if (ok)
		memcpy(buf, v, n + 1);
	else
		name_of(v, n, false, buf, size);
}

/* Appends ", "-separated parts into a parenthesis. */
static void add_part(char *buf, size_t size, const char *part)
{
	size_t len = strlen(buf);

	if (!part || !*part || len + 1 >= size)
		return;
	snprintf(buf + len, size - len, "%s%s", len ? ", " : "", part);
}

/* The n-th ';'-separated field of v into buf (cut to size), or "". */
static void field(const char *v, int n, char *buf, size_t size)
{
	size_t len;

	for (; n > 0 && v; n--) {
		v = strchr(v, ';');
		if (v)
			v++;
	}
	buf[0] = 0;
	if (!v)
		return;
	len = strcspn(v, ";");
	if (len >= size)
		len = size - 1;
	memcpy(buf, v, len);
	buf[len] = 0;
}

/* A token of the failure context (an enum name of .NET): letters and
 * digits only, or "". */
static void token(char *s)
{
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p)) {
			s[0] = 0;
			return;
		}
}

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

/* X-FailureContext: "Point;Status;base64(Error);base64(Details);
 * HttpProxySubErrorCode;WebExceptionStatus;LiveIdAuthResult", as
 * Exchange's front end (its HTTP proxy) writes it. */
static void failure_context(const char *v, struct eas_served *s)
{
	char point[32], status[16], b64[256], err[192], sub[64], web[64], why[224] = "";
	long st = 0;

	field(v, 0, point, sizeof point);
	token(point);
	field(v, 1, status, sizeof status);
	if (status[0] && strspn(status, "0123456789") == strlen(status) && strlen(status) <= 3)
		st = strtol(status, NULL, 10);
	field(v, 2, b64, sizeof b64);
	if (eas_base64_decode(b64, strlen(b64), false, err, sizeof err) < 0)
		err[0] = 0;
	words(err, WORDS_MAX);
	field(v, 4, sub, sizeof sub);
	token(sub);
	field(v, 5, web, sizeof web);
	token(web);
	if (!point[0])
		return;
	if (st) {
		char t[24];

		snprintf(t, sizeof t, "HTTP %ld there", st);
		add_part(why, sizeof why, t);
	}
	add_part(why, sizeof why, err);
	add_part(why, sizeof why, sub);
	add_part(why, sizeof why, web);
	if (!strcmp(point, "BackEnd")) {
		s->point = EAS_FP_BACK_END;
		snprintf(s->component, sizeof s->component, "the back end failed (%s)", why);
	} else if (!strcmp(point, "FrontEnd") &&
		   in_list(web, unreachable, sizeof unreachable / sizeof unreachable[0])) {
		s->point = EAS_FP_PROXY;
		snprintf(s->component, sizeof s->component,
			 "the front end could not reach the back end (%s)", why);
	} else if (!strcmp(point, "FrontEnd") && (st == 401 || st == 403)) {
		s->point = EAS_FP_AUTH;
		snprintf(s->component, sizeof s->component,
			 "the front end's authentication refused the request (%s)", why);
	} else if (!strcmp(point, "FrontEnd")) {
		s->point = EAS_FP_FRONT_END;
		snprintf(s->component, sizeof s->component, "the front end's proxy failed (%s)",
			 why);
	} else {
		s->point = EAS_FP_OTHER;
		snprintf(s->component, sizeof s->component, "Exchange's %.31s failed (%s)", point,
			 why);
	}
	/* A front end's own 401 or 403 says no more than the status. */
	s->tells = s->point != EAS_FP_AUTH;
	/* An empty parenthesis says nothing. */
	{
		size_t len = strlen(s->component);

		if (len > 3 && !strcmp(s->component + len - 3, " ()"))
			s->component[len - 3] = 0;
	}
}

/* X-MS-Diagnostics: 'CODE;reason="...";error_category="..."'. The value
 * of key="..." into buf, or "". */
static void quoted(const char *v, const char *key, char *buf, size_t size)
{
	const char *p = strstr(v, key), *end;
	size_t len;

	buf[0] = 0;
	if (!p)
		return;
	p += strlen(key);
	end = strchr(p, '"');
	len = end ? (size_t)(end - p) : strlen(p);
	if (len >= size)
		len = size - 1;
	memcpy(buf, p, len);
	buf[len] = 0;
}

static void ms_diagnostics(const char *v, struct eas_served *s)
{
	char reason[192];
	/* Its codes' meaning has one home: the refusal table (challenge.c). */
	const char *plain = eas_msdiag_what(v);
	long code = strspn(v, "0123456789") ? strtol(v, NULL, 10) : -1;

	quoted(v, "reason=\"", reason, sizeof reason);
	words(reason, WORDS_MAX);
	s->point = EAS_FP_AUTH;
	s->tells = true;
	if (plain && reason[0])
		snprintf(s->component, sizeof s->component,
			 "authentication refused: %s (X-MS-Diagnostics %ld: %s)", plain, code,
			 reason);
	else if (plain || reason[0])
		snprintf(s->component, sizeof s->component,
			 "authentication refused: %s (X-MS-Diagnostics %ld)",
			 plain ? plain : reason, code);
	else
		snprintf(s->component, sizeof s->component,
			 "authentication refused (X-MS-Diagnostics %ld)", code);
}

void eas_served_read(const struct eas_response *res, struct eas_served *s)
{
	const char *fe = res->hdr[EAS_HDR_FESERVER], *be = res->hdr[EAS_HDR_BESERVER];
	const char *bet = res->hdr[EAS_HDR_BETARGET], *rid = res->hdr[EAS_HDR_REQUEST_ID];
	const char *bst = res->hdr[EAS_HDR_BACKEND_STATUS], *fc = res->hdr[EAS_HDR_FAILURE_CONTEXT];
	const char *diag = res->hdr[EAS_HDR_MS_DIAGNOSTICS], *thr = res->hdr[EAS_HDR_THROTTLE];
	const char *ra = res->hdr[EAS_HDR_RETRY_AFTER];

	memset(s, 0, sizeof *s);
	s->retry_after = -1;
	if (fe && *fe)
		name_of(fe, strlen(fe), true, s->front_end, sizeof s->front_end);
	if (be && *be)
		name_of(be, strlen(be), false, s->back_end, sizeof s->back_end);
	else if (bet && *bet)
		betarget_host(bet, s->back_end, sizeof s->back_end);
	if (rid && *rid)
		request_id(rid, s->request_id, sizeof s->request_id);
	if (bst && strspn(bst, "0123456789") == 3 && !bst[3])
		s->backend_status = strtol(bst, NULL, 10);
	if (ra && *ra && strspn(ra, "0123456789") == strlen(ra) && strlen(ra) <= 9)
		s->retry_after = strtol(ra, NULL, 10);
	if (thr && *thr) {
		snprintf(s->throttle, sizeof s->throttle, "%s", thr);
		token(s->throttle);
		if (!s->throttle[0])
			snprintf(s->throttle, sizeof s->throttle, "(unreadable)");
		s->point = EAS_FP_THROTTLE;
		return;
	}
	/* The most specific first: an authentication module's own reason,
	 * then the proxy's account of which side failed, then the back
	 * end's status as the front end passed it on. */
	if (diag && *diag && (res->status == 401 || res->status == 403))
		ms_diagnostics(diag, s);
	else if (fc && *fc)
		failure_context(fc, s);
	if (s->point == EAS_FP_NONE && s->backend_status >= 400) {
		s->point = EAS_FP_BACK_END;
		s->tells = true;
		snprintf(s->component, sizeof s->component, "the back end answered HTTP %ld",
			 s->backend_status);
	}
}

int eas_served_any(const struct eas_served *s)
{
	return s->front_end[0] || s->back_end[0] || s->request_id[0];
}

/* A name for the first line: a host's first label (ex03.example.com as
 * ex03, the form X-BEServer has), an address whole, "" for a value shown
 * quoted (not a name: it stays in -v and JSON, never before the cause). */
static void short_name(const char *name, char *buf, size_t size)
{
	size_t n = strlen(name);

	if (name[0] == '"')
		n = 0;
	else if (!strchr(name, ',') && !eas_text_ip(name, NULL, 0))
		n = strcspn(name, ".");
	if (n > 32)
		n = 32;
	if (n >= size)
		n = size - 1;
	memcpy(buf, name, n);
	buf[n] = 0;
}

size_t eas_served_text(const struct eas_served *s, char *buf, size_t size)
{
	char fe[40], be[40];
	int n;

	short_name(s->front_end, fe, sizeof fe);
	short_name(s->back_end, be, sizeof be);
	if (fe[0] && be[0])
		n = snprintf(buf, size, "on front end %s, back end %s", fe, be);
	else if (fe[0])
		n = snprintf(buf, size, "on front end %s", fe);
	else if (be[0])
		n = snprintf(buf, size, "on back end %s", be);
	else
		n = snprintf(buf, size, "%s", "");
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}
