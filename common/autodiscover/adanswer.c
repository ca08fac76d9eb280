/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "autodiscover/adanswer.h"

#include <expat.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/http.h"
#include "util/jsonread.h"
#include "util/mailaddr.h"
#include "util/text.h"

#define NS_REQUEST \
	"http://schemas.microsoft.com/exchange/autodiscover/mobilesync/requestschema/2006"
#define NS_MOBILE \
	"http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006"
#define NS_GENERIC "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
#define NS_OUTLOOK "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
#define NS_SEP ' ' /* neither a name nor a namespace we know has a blank */
#define MAX_DEPTH 32
#define MAX_ELEMENTS 10000
#define TEXT_MAX 1024 /* the longest text kept, the URL's buffer */
#define JSON_DEPTH 8

/* A text from an answer for an operator: valid UTF-8, blanks for line
 * breaks and tabs, '?' for other control characters, no blanks around. */
static void clean_text(char *s)
{
	size_t n, start = 0, out = 0;

	eas_text_clean(s, 0);
	n = strlen(s);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\t' || c == '\n' || c == '\r')
			s[i] = ' ';
		else if (eas_text_is_control((const unsigned char *)s + i, n - i)) {
			/* U+0080-U+009F is two bytes: "?" and a blank. */
			s[i] = '?';
			if (c == 0xC2)
				s[++i] = ' ';
		}
	}
	while (s[start] == ' ')
		start++;
	for (size_t i = start; i < n; i++)
		if (s[i] != ' ' || (s[i + 1] && s[i + 1] != ' '))
			s[out++] = s[i];
	while (out > 0 && s[out - 1] == ' ')
		out--;
	s[out] = 0;
}

static void copy_clean(char *dst, size_t size, const char *src)
{
	size_t n = eas_text_cut(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = 0;
	clean_text(dst);
}

/* A URL we hand on: printable ASCII (no blank), scheme://host... */
static bool url_ok(const char *s, bool https_only)
{
	size_t skip;

	if (eas_credrule_is_https(s))
		skip = 8;
	else if (!https_only && !strncasecmp(s, "http://", 7))
		skip = 7;
	else
		return false;
	if (!s[skip] || s[skip] == '/' || s[skip] == '?' || s[skip] == '#')
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7F)
			return false;
	return true;
}

int eas_ad_request_body(const char *addr, char *buf, size_t size, char *err, size_t errlen)
{
	char esc[EAS_AD_ADDRESS_MAX * 6 + 1];
	size_t o = 0;
	int n;

	if (!eas_mailaddr_ok(addr)) {
		snprintf(
			err, errlen,
			"the e-mail address is not a plausible mailbox (user@domain, at most %d bytes of UTF-8, no control characters)",
			EAS_AD_ADDRESS_MAX);
		return -1;
	}
	for (const char *p = addr; *p; p++) {
		const char *rep = NULL;

		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&apos;"; break;
		}
		if (rep) {
			memcpy(esc + o, rep, strlen(rep));
			o += strlen(rep);
		} else {
			esc[o++] = *p;
		}
	}
	esc[o] = 0;
	n = snprintf(buf, size,
		     "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
		     "<Autodiscover xmlns=\"" NS_REQUEST "\">\r\n"
		     "  <Request>\r\n"
		     "    <EMailAddress>%s</EMailAddress>\r\n"
		     "    <AcceptableResponseSchema>" NS_MOBILE "</AcceptableResponseSchema>\r\n"
		     "  </Request>\r\n"
		     "</Autodiscover>\r\n",
		     esc);
	if (n < 0 || (size_t)n >= size) {
		snprintf(err, errlen, "the Autodiscover request does not fit its buffer");
		return -1;
	}
	return 0;
}

/* The elements the answers use, by local name in a namespace we know. */
enum elem {
	E_OTHER,
	E_AUTODISCOVER,
	E_RESPONSE,
	E_ACTION,
	E_SETTINGS,
	E_SERVER,
	E_TYPE,
	E_URL,
	E_NAME,
	E_REDIRECT,
	E_ERROR,
	E_ERRORCODE,
	E_MESSAGE,
	E_DEBUGDATA,
	E_USER,
	E_DISPLAYNAME,
	E_EMAILADDRESS,
	E_ACCOUNT,
	E_REDIRECTADDR,
	E_REDIRECTURL,
};

static const char *const elem_names[] = {
	[E_AUTODISCOVER] = "Autodiscover",
	[E_RESPONSE] = "Response",
	[E_ACTION] = "Action",
	[E_SETTINGS] = "Settings",
	[E_SERVER] = "Server",
	[E_TYPE] = "Type",
	[E_URL] = "Url",
	[E_NAME] = "Name",
	[E_REDIRECT] = "Redirect",
	[E_ERROR] = "Error",
	[E_ERRORCODE] = "ErrorCode",
	[E_MESSAGE] = "Message",
	[E_DEBUGDATA] = "DebugData",
	[E_USER] = "User",
	[E_DISPLAYNAME] = "DisplayName",
	[E_EMAILADDRESS] = "EMailAddress",
	[E_ACCOUNT] = "Account",
	[E_REDIRECTADDR] = "RedirectAddr",
	[E_REDIRECTURL] = "RedirectUrl",
};

/* Where an element's text goes. */
enum slot {
	S_NONE,
	S_TYPE,
	S_URL,
	S_NAME,
	S_REDIRECT,
	S_CODE,
	S_MESSAGE,
	S_DEBUG,
	S_DISPLAY,
	S_EMAIL,
	S_SERVER, /* not a text: the element that holds one server */
	S_ERROR,  /* not a text: the element that holds the error */
};

#define A E_AUTODISCOVER, E_RESPONSE
/* The paths we read, from the root; the first matching row wins. The
 * Outlook schema's Account/Redirect* are read in case a server answers
 * with it although we ask for mobilesync. */
static const struct path {
	enum slot slot;
	int depth;
	enum elem e[6];
} paths[] = {
	{ S_SERVER, 5, { A, E_ACTION, E_SETTINGS, E_SERVER } },
	{ S_TYPE, 6, { A, E_ACTION, E_SETTINGS, E_SERVER, E_TYPE } },
	{ S_URL, 6, { A, E_ACTION, E_SETTINGS, E_SERVER, E_URL } },
	{ S_NAME, 6, { A, E_ACTION, E_SETTINGS, E_SERVER, E_NAME } },
	{ S_REDIRECT, 4, { A, E_ACTION, E_REDIRECT } },
	{ S_REDIRECT, 4, { A, E_ACCOUNT, E_REDIRECTADDR } },
	{ S_REDIRECT, 4, { A, E_ACCOUNT, E_REDIRECTURL } },
	{ S_ERROR, 3, { A, E_ERROR } },
	{ S_ERROR, 4, { A, E_ACTION, E_ERROR } },
	{ S_ERROR, 4, { A, E_ACCOUNT, E_ERROR } },
	{ S_CODE, 4, { A, E_ERROR, E_ERRORCODE } },
	{ S_CODE, 5, { A, E_ACTION, E_ERROR, E_ERRORCODE } },
	{ S_CODE, 5, { A, E_ACCOUNT, E_ERROR, E_ERRORCODE } },
	{ S_MESSAGE, 4, { A, E_ERROR, E_MESSAGE } },
	{ S_MESSAGE, 5, { A, E_ACTION, E_ERROR, E_MESSAGE } },
	{ S_MESSAGE, 5, { A, E_ACCOUNT, E_ERROR, E_MESSAGE } },
	{ S_DEBUG, 4, { A, E_ERROR, E_DEBUGDATA } },
	{ S_DEBUG, 5, { A, E_ACTION, E_ERROR, E_DEBUGDATA } },
	{ S_DEBUG, 5, { A, E_ACCOUNT, E_ERROR, E_DEBUGDATA } },
	{ S_DISPLAY, 4, { A, E_USER, E_DISPLAYNAME } },
	{ S_EMAIL, 4, { A, E_USER, E_EMAILADDRESS } },
};
#undef A

struct pox {
	XML_Parser p;
	struct eas_ad_answer *a;
	char *err;
	size_t errlen;
	bool failed;  /* err says why; the parser is stopped */
	bool hostile; /* ... and the answer attacks the parser */
	int depth;
	long elements;
	enum elem stack[MAX_DEPTH + 1];
	/* The text element being read (S_NONE: none) and its text. */
	enum slot slot;
	int slot_depth;
	char text[TEXT_MAX + 1];
	size_t textlen;
	bool text_long;
	/* The server being read, then what the answer holds. */
	char type[64], surl[TEXT_MAX + 1], sname[TEXT_MAX + 1];
	bool surl_long, sname_long;
	bool settings, error, redirect, mobilesync, url_long;
	char url[TEXT_MAX + 1];
	char code[32];
};

__attribute__((format(printf, 2, 3))) static void fail(struct pox *x, const char *fmt, ...)
{
	va_list ap;

	if (x->failed)
		return;
	x->failed = true;
	va_start(ap, fmt);
	vsnprintf(x->err, x->errlen, fmt, ap);
	va_end(ap);
	XML_StopParser(x->p, XML_FALSE);
}

static enum elem elem_of(const char *name, bool *known_ns)
{
	const char *local = strrchr(name, NS_SEP);
	size_t nslen;

	*known_ns = false;
	if (!local)
		return E_OTHER; /* no namespace: not one of ours */
	nslen = (size_t)(local - name);
	local++;
	if ((nslen == strlen(NS_MOBILE) && !memcmp(name, NS_MOBILE, nslen)) ||
	    (nslen == strlen(NS_GENERIC) && !memcmp(name, NS_GENERIC, nslen)) ||
	    (nslen == strlen(NS_OUTLOOK) && !memcmp(name, NS_OUTLOOK, nslen)))
		*known_ns = true;
	if (!*known_ns)
		return E_OTHER;
	for (size_t i = 1; i < sizeof elem_names / sizeof elem_names[0]; i++)
		if (!strcmp(local, elem_names[i]))
			return (enum elem)i;
	return E_OTHER;
}

static enum slot slot_of(const struct pox *x)
{
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		const struct path *r = &paths[i];

		if (r->depth == x->depth && !memcmp(r->e, x->stack, sizeof r->e[0] * r->depth))
			return r->slot;
	}
	return S_NONE;
}

/* The first value of an element wins: a repeated one changes nothing. */
static void keep(char *dst, size_t size, const char *text)
{
	if (!dst[0])
		copy_clean(dst, size, text);
}

static void on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	struct pox *x = ud;
	bool known;
	enum elem e;

	if (x->failed)
		return;
	if (++x->elements > MAX_ELEMENTS) {
		x->hostile = true;
		fail(x, "the answer has more than %d elements: refused", MAX_ELEMENTS);
		return;
	}
	if (x->depth >= MAX_DEPTH) {
		x->hostile = true;
		fail(x, "the answer nests elements deeper than %d: refused", MAX_DEPTH);
		return;
	}
	e = elem_of(name, &known);
	if (x->depth == 0 && e != E_AUTODISCOVER) {
		const char *local = strrchr(name, NS_SEP);
		char shown[64];

		copy_clean(shown, sizeof shown, local ? local + 1 : name);
		fail(x, "the answer is not an Autodiscover document (its root is %s%s)", shown,
		     e == E_OTHER && !known ? " in another namespace" : "");
		return;
	}
	x->stack[x->depth++] = e;
	x->slot = S_NONE; /* a text element holds no elements */
	switch (slot_of(x)) {
	case S_NONE: return;
	case S_SERVER:
		x->type[0] = x->surl[0] = x->sname[0] = 0;
		x->surl_long = x->sname_long = false;
		x->settings = true;
		return;
	case S_ERROR:
		x->error = true;
		for (int i = 0; attrs[i] && attrs[i + 1]; i += 2) {
			if (!strcmp(attrs[i], "Time"))
				keep(x->a->error_time, sizeof x->a->error_time, attrs[i + 1]);
			else if (!strcmp(attrs[i], "Id"))
				keep(x->a->error_id, sizeof x->a->error_id, attrs[i + 1]);
		}
		return;
	default:
		x->slot = slot_of(x);
		x->slot_depth = x->depth;
		x->textlen = 0;
		x->text[0] = 0;
		x->text_long = false;
	}
}

static void on_text(void *ud, const XML_Char *s, int len)
{
	struct pox *x = ud;
	size_t n = (size_t)len;

	if (x->failed || x->slot == S_NONE || x->depth != x->slot_depth)
		return;
	if (n > TEXT_MAX - x->textlen) {
		n = TEXT_MAX - x->textlen;
		x->text_long = true;
	}
	memcpy(x->text + x->textlen, s, n);
	x->textlen += n;
	x->text[x->textlen] = 0;
}

/* The text without the XML blanks around it (the specification's own
 * example has them around the Url). */
static char *trimmed(struct pox *x)
{
	char *s = x->text;
	size_t n = x->textlen;

	while (n && strchr(" \t\r\n", s[n - 1]))
		n--;
	s[n] = 0;
	while (*s && strchr(" \t\r\n", *s))
		s++;
	return s;
}

static void copy_raw(char *dst, size_t size, const char *src, bool *too_long)
{
	size_t n = strlen(src);

	if (n >= size) {
		*too_long = true;
		n = eas_text_cut(src, size - 1);
	}
	memcpy(dst, src, n);
	dst[n] = 0;
}

static void end_server(struct pox *x)
{
	const char *url = x->surl[0] ? x->surl : x->sname; /* Name: the URL too */
	bool url_long = x->surl[0] ? x->surl_long : x->sname_long;
	size_t tl = strlen(x->a->types);

	if (x->type[0] && tl + strlen(x->type) + 2 < sizeof x->a->types)
		snprintf(x->a->types + tl, sizeof x->a->types - tl, "%s%s", tl ? "," : "", x->type);
	if (strcasecmp(x->type, "MobileSync") || x->mobilesync || !url[0])
		return;
	x->mobilesync = true;
	snprintf(x->url, sizeof x->url, "%s", url);
	x->url_long = url_long;
}

static void on_end(void *ud, const XML_Char *name)
{
	struct pox *x = ud;
	enum slot slot;
	char *t;
	bool dummy = false;

	(void)name;
	if (x->failed || x->depth == 0)
		return;
	slot = slot_of(x);
	if (slot == S_SERVER)
		end_server(x);
	if (x->slot != S_NONE && x->depth == x->slot_depth) {
		t = trimmed(x);
		switch (x->slot) {
		case S_TYPE: copy_clean(x->type, sizeof x->type, t); break;
		case S_URL:
			x->surl_long = x->text_long;
			copy_raw(x->surl, sizeof x->surl, t, &x->surl_long);
			break;
		case S_NAME:
			x->sname_long = x->text_long;
			copy_raw(x->sname, sizeof x->sname, t, &x->sname_long);
			break;
		case S_REDIRECT:
			if (!x->redirect && *t) {
				bool long_ = x->text_long;

				copy_raw(x->a->redirect, sizeof x->a->redirect, t, &long_);
				if (long_)
					fail(x, "the answer's Redirect is longer than %zu bytes",
					     sizeof x->a->redirect - 1);
				x->redirect = true;
			}
			break;
		case S_CODE:
			if (!x->code[0])
				copy_raw(x->code, sizeof x->code, t, &dummy);
			break;
		case S_MESSAGE: keep(x->a->error_msg, sizeof x->a->error_msg, t); break;
		case S_DEBUG: keep(x->a->error_debug, sizeof x->a->error_debug, t); break;
		case S_DISPLAY: keep(x->a->display_name, sizeof x->a->display_name, t); break;
		case S_EMAIL: keep(x->a->email, sizeof x->a->email, t); break;
		default: break;
		}
		x->slot = S_NONE;
	}
	x->depth--;
}

/* Entities are where XML turns hostile (billion laughs, external files):
 * an Autodiscover answer has no business declaring any, so the first
 * DOCTYPE stops the parse before a declaration is even read. */
static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
		       int has_internal_subset)
{
	(void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
	((struct pox *)ud)->hostile = true;
	fail(ud, "the answer declares a DOCTYPE or entities: refused");
}

static void on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value,
		      int value_len, const XML_Char *base, const XML_Char *sysid,
		      const XML_Char *pubid, const XML_Char *notation)
{
	(void)name, (void)is_param, (void)value, (void)value_len, (void)base, (void)sysid;
	(void)pubid, (void)notation;
	((struct pox *)ud)->hostile = true;
	fail(ud, "the answer declares a DOCTYPE or entities: refused");
}

/* What the answer says, once read whole. */
static int conclude(struct pox *x)
{
	struct eas_ad_answer *a = x->a;

	if (x->error && (x->code[0] || a->error_msg[0])) {
		char *end;
		long v = strtol(x->code, &end, 10);

		a->kind = EAS_AD_ERROR;
		a->error_code = x->code[0] && !*end && v >= 0 && v <= 99999 ? (int)v : -1;
		return 0;
	}
	if (x->redirect) {
		if (url_ok(a->redirect, true)) {
			a->kind = EAS_AD_REDIRECT_URL;
			return 0;
		}
		if (!strstr(a->redirect, "://") && eas_mailaddr_ok(a->redirect)) {
			a->kind = EAS_AD_REDIRECT_ADDR;
			return 0;
		}
		a->redirect[0] = 0;
		snprintf(
			x->err, x->errlen,
			"the answer redirects to something that is neither an e-mail address nor an https:// URL");
		return -1;
	}
	if (x->mobilesync) {
		size_t n = strlen(x->url);

		if (x->url_long || n >= sizeof a->url) {
			snprintf(x->err, x->errlen,
				 "the answer's MobileSync Url is longer than %zu bytes",
				 sizeof a->url - 1);
			return -1;
		}
		if (!url_ok(x->url, false)) {
			snprintf(
				x->err, x->errlen,
				"the answer's MobileSync Url is not an http:// or https:// URL of printable characters");
			return -1;
		}
		memcpy(a->url, x->url, n + 1);
		a->kind = EAS_AD_SETTINGS;
		return 0;
	}
	if (x->settings) {
		snprintf(x->err, x->errlen,
			 "the answer lists no MobileSync server with a Url (server types: %s)",
			 a->types[0] ? a->types : "none given");
		return -1;
	}
	if (x->error)
		snprintf(x->err, x->errlen, "the answer holds an Error without a code or message");
	else
		snprintf(x->err, x->errlen,
			 "the answer holds neither settings, a redirect nor an error");
	return -1;
}

static void answer_init(struct eas_ad_answer *a)
{
	memset(a, 0, sizeof *a);
	a->kind = EAS_AD_ERROR;
	a->error_code = -1;
}

int eas_ad_parse_pox(const char *body, size_t len, struct eas_ad_answer *a, char *err,
		     size_t errlen)
{
	struct pox *x;
	int rc = -1;

	answer_init(a);
	if (errlen)
		err[0] = 0;
	if (len > EAS_AD_ANSWER_MAX) {
		snprintf(err, errlen, "the answer is larger than %d bytes: refused",
			 EAS_AD_ANSWER_MAX);
		return -1;
	}
	if (!(x = calloc(1, sizeof *x)) || !(x->p = XML_ParserCreateNS(NULL, NS_SEP))) {
		free(x);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	x->a = a;
	x->err = err;
	x->errlen = errlen;
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, on_start, on_end);
	XML_SetCharacterDataHandler(x->p, on_text);
	XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
	XML_SetEntityDeclHandler(x->p, on_entity);
	/* No external entity, DTD or parameter entity is ever loaded. */
	XML_SetParamEntityParsing(x->p, XML_PARAM_ENTITY_PARSING_NEVER);
	if (XML_Parse(x->p, body, (int)len, XML_TRUE) != XML_STATUS_OK) {
		if (!x->failed)
			snprintf(err, errlen, "the answer is not well-formed XML: %s at line %lu",
				 XML_ErrorString(XML_GetErrorCode(x->p)),
				 (unsigned long)XML_GetCurrentLineNumber(x->p));
	} else if (!x->failed) {
		rc = conclude(x);
	}
	if (rc) {
		answer_init(a);
		a->hostile = x->hostile;
		if (!err[0])
			snprintf(err, errlen, "the answer could not be read");
	}
	XML_ParserFree(x->p);
	free(x);
	return rc;
}

/* A string member of a JSON object, by name in any case; NULL when absent,
 * not a string, or holding a NUL. */
static const char *member(struct json_object *o, const char *name, bool *bad)
{
	json_object_object_foreach(o, k, v)
	{
		if (strcasecmp(k, name))
			continue;
		if (!json_object_is_type(v, json_type_string) ||
		    strlen(json_object_get_string(v)) != (size_t)json_object_get_string_len(v)) {
			*bad = true;
			return NULL;
		}
		return json_object_get_string(v);
	}
	return NULL;
}

int eas_ad_parse_json(const char *body, size_t len, struct eas_ad_answer *a, char *err,
		      size_t errlen)
{
	struct json_object *o = NULL;
	const char *url, *proto, *code, *msg;
	char why[160];
	bool bad = false;
	int rc = -1;

	answer_init(a);
	if (len > EAS_AD_ANSWER_MAX) {
		snprintf(err, errlen, "the answer is larger than %d bytes: refused",
			 EAS_AD_ANSWER_MAX);
		return -1;
	}
	if (eas_json_read(body, len, JSON_DEPTH, &o, why, sizeof why)) {
		snprintf(err, errlen, "the answer is %s", why);
		goto out;
	}
	if (!json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "the answer is JSON but not an object");
		goto out;
	}
	url = member(o, "Url", &bad);
	proto = member(o, "Protocol", &bad);
	code = member(o, "ErrorCode", &bad);
	msg = member(o, "ErrorMessage", &bad);
	if (bad) {
		snprintf(
			err, errlen,
			"the answer's Url, Protocol, ErrorCode or ErrorMessage is not a plain string");
		goto out;
	}
	if (code || (msg && !url)) {
		a->kind = EAS_AD_ERROR;
		copy_clean(a->error_name, sizeof a->error_name, code ? code : "");
		copy_clean(a->error_msg, sizeof a->error_msg, msg ? msg : "");
		rc = 0;
		goto out;
	}
	if (!url) {
		snprintf(err, errlen, "the answer has no Url and no ErrorCode");
		goto out;
	}
	if (proto && strcasecmp(proto, "ActiveSync")) {
		snprintf(err, errlen, "the answer is for another protocol than ActiveSync");
		goto out;
	}
	if (strlen(url) >= sizeof a->url) {
		snprintf(err, errlen, "the answer's Url is longer than %zu bytes",
			 sizeof a->url - 1);
		goto out;
	}
	if (!url_ok(url, true)) {
		snprintf(err, errlen,
			 "the answer's Url is not an https:// URL of printable characters");
		goto out;
	}
	snprintf(a->url, sizeof a->url, "%s", url);
	a->kind = EAS_AD_SETTINGS;
	rc = 0;
out:
	if (rc)
		answer_init(a);
	json_object_put(o);
	return rc;
}

/* One row per POX ErrorCode ([MS-OXDSCLI]'s ErrorCode element, [MS-ASCMD]
 * 2.2.3.64), in words for an operator. */
static const struct {
	int code;
	const char *text;
} meanings[] = {
	{ 500,
	  "the address is unknown to this Autodiscover service (no such mailbox or domain here)" },
	{ 501, "the address is known but has no settings to give (bad address)" },
	{ 600, "invalid request: the server did not understand the Autodiscover request" },
	{ 601,
	  "the requested schema is not available: ActiveSync (mobilesync) Autodiscover is not configured here, or this is not Exchange's Autodiscover" },
	{ 602,
	  "no mailbox for this address, or its settings could not be made (a configuration error on the server)" },
	{ 603, "the Autodiscover service failed with an internal error" },
};

const char *eas_ad_error_meaning(int code)
{
	for (size_t i = 0; i < sizeof meanings / sizeof meanings[0]; i++)
		if (meanings[i].code == code)
			return meanings[i].text;
	return "an Autodiscover error without a documented meaning";
}
