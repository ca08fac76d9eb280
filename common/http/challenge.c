/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "http/challenge.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/text.h"

/* RFC 9110 5.6.2 tchar; bytes, not the locale's classes. */
static bool is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* RFC 9110 11.2 token68, without its trailing '='s. */
static bool is_t68(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("-._~+/", c));
}

static void ows(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

static size_t token_len(const char *p)
{
	size_t n = 0;

	while (is_tchar((unsigned char)p[n]))
		n++;
	return n;
}

/* len bytes of src into dst, cut to fit, then clean one-line UTF-8. */
static void put(char *dst, size_t size, const char *src, size_t len)
{
	if (len >= size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = 0;
	eas_text_clean(dst, 1);
}

/* A token (tchar bytes only, nothing to clean), cut to fit. */
static void put_token(char *dst, size_t size, const char *src, size_t len)
{
	if (len >= size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = 0;
}

/* Past the next comma outside a quoted string (a part we cannot read). */
static void skip_element(const char **p)
{
	bool quoted = false;

	for (; **p; (*p)++) {
		if (quoted && **p == '\\' && (*p)[1])
			(*p)++;
		else if (**p == '"')
			quoted = !quoted;
		else if (!quoted && **p == ',') {
			(*p)++;
			return;
		}
	}
}

/* A quoted-string (escapes undone) or, tolerantly, any run up to a comma
 * or a blank (a URL unquoted). False when neither, or unterminated. */
static bool read_value(const char **p, char *dst, size_t size)
{
	const char *s = *p;
	size_t o = 0;

	if (*s == '"') {
		for (s++; *s && *s != '"'; s++) {
			if (*s == '\\' && s[1])
				s++;
			if (o + 1 < size)
				dst[o++] = *s;
		}
		dst[o] = 0;
		eas_text_clean(dst, 1);
		*p = *s ? s + 1 : s;
		return *s == '"';
	}
	while (s[o] && s[o] != ',' && s[o] != ' ' && s[o] != '\t' && s[o] != '"')
		o++;
	put(dst, size, s, o);
	*p = s + o;
	return o > 0;
}

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* After a scheme and its blanks: a token68 when the element is one run of
 * token68 characters and '='s (what follows is a comma or the end). */
static bool token68(const char **p, struct eas_challenge *c)
{
	const char *s = *p, *e = s;

	while (is_t68((unsigned char)*e))
		e++;
	if (e == s)
		return false;
	while (*e == '=')
		e++;
	{
		const char *r = e;

		ows(&r);
		if (*r && *r != ',')
			return false;
		if (c)
			put(c->token68, sizeof c->token68, s, (size_t)(e - s));
		*p = r;
	}
	return true;
}

/* name BWS "=" BWS value, at *p (name already known to be a token). */
static void auth_param(const char **p, size_t n, struct eas_challenges *out,
		       struct eas_challenge *c)
{
	struct eas_auth_param tmp, *dst = &tmp;
	const char *s = *p + n;

	if (c && c->nparams < EAS_CHALLENGE_PARAMS)
		dst = &c->params[c->nparams];
	else
		out->dropped = true;
	put_token(dst->name, sizeof dst->name, *p, n);
	lower(dst->name);
	ows(&s);
	s++; /* '=' */
	ows(&s);
	if (!read_value(&s, dst->value, sizeof dst->value)) {
		out->malformed = true;
		*p = s;
		skip_element(p);
		return;
	}
	if (dst != &tmp)
		c->nparams++;
	ows(&s);
	*p = s;
	if (*s && *s != ',') {
		out->malformed = true;
		skip_element(p);
	}
}

int eas_challenge_parse(const char *text, struct eas_challenges *out)
{
	const char *p = text;
	struct eas_challenge *cur = NULL; /* NULL: not kept (or none yet) */
	bool in_challenge = false;

	memset(out, 0, sizeof *out);
	while (p && *p) {
		size_t n;
		const char *q;

		ows(&p);
		if (*p == ',') {
			p++;
			continue;
		}
		if (!*p)
			break;
		n = token_len(p);
		if (!n) {
			out->malformed = true;
			skip_element(&p);
			continue;
		}
		q = p + n;
		ows(&q);
		if (*q == '=') { /* an auth-param of the current challenge */
			if (!in_challenge) {
				out->malformed = true;
				skip_element(&p);
			} else {
				auth_param(&p, n, out, cur);
			}
			continue;
		}
		/* A new challenge: its scheme. */
		in_challenge = true;
		cur = NULL;
		if (out->n < EAS_CHALLENGE_MAX) {
			cur = &out->c[out->n++];
			put_token(cur->scheme, sizeof cur->scheme, p, n);
		} else {
			out->dropped = true;
		}
		p += n;
		if (!*p || *p == ',')
			continue;
		if (*p != ' ' && *p != '\t') {
			out->malformed = true;
			skip_element(&p);
			continue;
		}
		ows(&p);
		/* token68, or the first auth-param (the loop reads it) */
		token68(&p, cur);
	}
	return out->n ? 0 : -1;
}

const struct eas_challenge *eas_challenge_find(const struct eas_challenges *cs, const char *scheme)
{
	for (size_t i = 0; i < cs->n; i++)
		if (!strcasecmp(cs->c[i].scheme, scheme))
			return &cs->c[i];
	return NULL;
}

const char *eas_challenge_param(const struct eas_challenge *c, const char *name)
{
	if (!c)
		return NULL;
	for (size_t i = 0; i < c->nparams; i++)
		if (!strcasecmp(c->params[i].name, name))
			return c->params[i].value;
	return NULL;
}

/* a then b appended to buf, never past its end. */
static void add(char *buf, size_t size, const char *a, const char *b)
{
	size_t len = strlen(buf);

	if (len + 1 < size && (size_t)snprintf(buf + len, size - len, "%s%s", a, b) >= size - len)
		eas_text_clean(buf, 1); /* cut: never inside a character */
}

void eas_challenge_names(const struct eas_challenges *cs, char *buf, size_t size)
{
	size_t shown = 0;

	if (!size)
		return;
	buf[0] = 0;
	for (size_t i = 0; i < cs->n; i++)
		if (eas_challenge_find(cs, cs->c[i].scheme) == &cs->c[i]) /* not named yet */
			add(buf, size, shown++ ? ", " : "", cs->c[i].scheme);
}

void eas_challenge_offer(const struct eas_challenges *cs, char *buf, size_t size)
{
	bool basic = eas_challenge_find(cs, "Basic"), bearer = eas_challenge_find(cs, "Bearer");
	char names[EAS_CHALLENGE_MAX * (EAS_CHALLENGE_NAME + 2)];

	if (!size)
		return;
	eas_challenge_names(cs, names, sizeof names);
	snprintf(buf, size, "offers %s", names[0] ? names : "no scheme");
	if (!basic || !bearer) {
		add(buf, size, " (",
		    !basic && !bearer ? "Basic and Bearer"
		    : !basic          ? "Basic"
				      : "Bearer");
		add(buf, size, " off)", "");
	}
}

void eas_challenge_describe(const struct eas_challenge *c, char *buf, size_t size)
{
	if (!size)
		return;
	snprintf(buf, size, "%s", c->scheme);
	if (c->token68[0])
		add(buf, size, " ", c->token68);
	for (size_t i = 0; i < c->nparams; i++) {
		add(buf, size, i ? ", " : ": ", c->params[i].name);
		add(buf, size, "=", c->params[i].value);
	}
}

/* Call fn for each entry of a policy ("Bearer, !Basic"): the name, its
 * length, whether it is negated. Returns false at the first bad entry. */
static bool each_policy(const char *policy, bool (*fn)(const char *, size_t, bool, void *),
			void *arg)
{
	const char *p = policy;
	size_t count = 0;

	if (!p || !*p)
		return false;
	for (;;) {
		bool neg = false;
		size_t n;

		ows(&p);
		if (*p == '!') {
			neg = true;
			p++;
			ows(&p);
		}
		n = token_len(p);
		if (!n || n >= EAS_CHALLENGE_NAME || ++count > EAS_CHALLENGE_MAX)
			return false;
		if (fn && !fn(p, n, neg, arg))
			return false;
		p += n;
		ows(&p);
		if (!*p)
			return true;
		if (*p++ != ',')
			return false;
	}
}

bool eas_scheme_policy_valid(const char *policy)
{
	return each_policy(policy, NULL, NULL);
}

struct name_arg {
	const char *scheme;
	bool found;
};

static bool name_is(const char *s, size_t n, bool neg, void *arg)
{
	struct name_arg *a = arg;

	(void)neg;
	if (strlen(a->scheme) == n && !strncasecmp(s, a->scheme, n))
		a->found = true;
	return true;
}

bool eas_scheme_policy_names(const char *policy, const char *scheme)
{
	struct name_arg a = { scheme, false };

	return each_policy(policy, name_is, &a) && a.found;
}

struct check_arg {
	const struct eas_challenges *cs;
	char *buf;
	size_t size;
	int broken;
};

static bool check_one(const char *s, size_t n, bool neg, void *arg)
{
	struct check_arg *a = arg;
	char name[EAS_CHALLENGE_NAME];
	const struct eas_challenge *c;

	put_token(name, sizeof name, s, n);
	c = eas_challenge_find(a->cs, name);
	if (!c == neg) /* offered and wanted, or absent and unwanted */
		return true;
	add(a->buf, a->size, a->broken++ ? "; " : "", c ? c->scheme : name);
	add(a->buf, a->size,
	    neg ? " is offered, the policy says it must be off"
		: " is not offered, the policy says it must be",
	    "");
	return true;
}

int eas_scheme_policy_check(const char *policy, const struct eas_challenges *cs, char *buf,
			    size_t size)
{
	struct check_arg a = { cs, buf, size, 0 };

	if (size)
		buf[0] = 0;
	each_policy(policy, check_one, &a);
	return a.broken;
}

/* What a refused token means and what to do: matched by Exchange's
 * diagnostic code, its error_category, or RFC 6750's error=. */
static const struct refusal {
	const char *code, *category, *error;
	const char *what, *todo;
} refusals[] = {
	{ "2000008", NULL, NULL, "the bearer token has expired",
	  "the token source must renew it before it lapses (the token cache's refresh, the clock)" },
	{ "2000003", "invalid_resource", NULL, "the bearer token is for another audience",
	  "request it for this server's resource (Exchange Online: scope https://outlook.office.com/.default; hybrid: the on-premises URL)" },
	{ "2000004", "invalid_tenant", NULL, "the bearer token's tenant is unknown here",
	  "request it from the mailbox's tenant (--oauth-tenant)" },
	{ NULL, "invalid_signature", NULL, "the bearer token's signature is not trusted",
	  "use a token of an issuer the server trusts (its trusted_issuers)" },
	{ NULL, NULL, "insufficient_scope", "the bearer token lacks the permission needed",
	  "grant the application EAS.AccessAsUser.All (delegated) with consent, then obtain a new token" },
	{ NULL, NULL, "invalid_request", "the request's bearer token was missing or malformed",
	  "check what the token file or cache holds" },
	{ NULL, "invalid_token", "invalid_token", "the server refused the bearer token",
	  "it was revoked, is malformed or comes from an issuer the server does not trust: obtain a new one" },
};

/* Exchange's X-MS-Diagnostics: 2000003;reason="...";error_category="..." */
struct msdiag {
	char code[16], reason[EAS_CHALLENGE_TEXT], category[EAS_CHALLENGE_NAME];
};

static void msdiag_parse(const char *s, struct msdiag *d)
{
	size_t n = 0;

	memset(d, 0, sizeof *d);
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	put(d->code, sizeof d->code, s, n);
	for (s += n; *s;) {
		char value[EAS_CHALLENGE_TEXT];

		while (*s == ';' || *s == ' ' || *s == '\t')
			s++;
		n = token_len(s);
		if (!n || s[n] != '=') {
			const char *semi = strchr(s, ';');

			if (!semi)
				return;
			s = semi;
			continue;
		}
		{
			const char *v = s + n + 1;

			if (!read_value(&v, value, sizeof value) && !*value)
				return;
			if (n == 6 && !strncasecmp(s, "reason", 6))
				snprintf(d->reason, sizeof d->reason, "%s", value);
			else if (n == 14 && !strncasecmp(s, "error_category", 14))
				put(d->category, sizeof d->category, value, strlen(value));
			s = v;
		}
	}
}

static bool says(const char *s, const char *word)
{
	for (size_t n = strlen(word); s && *s; s++)
		if (!strncasecmp(s, word, n))
			return true;
	return false;
}

static const struct refusal *pick(const char *code, const char *category, const char *error,
				  const char *text)
{
	const size_t n = sizeof refusals / sizeof refusals[0];

	/* A description's own words, where no code says it (mod_oauth2,
	 * Entra's "The token is expired", "invalid audience"). */
	if (says(text, "expired"))
		return &refusals[0];
	if (says(text, "audience"))
		return &refusals[1];
	for (size_t i = 0; i < n; i++)
		if (code && *code && refusals[i].code && !strcmp(code, refusals[i].code))
			return &refusals[i];
	for (size_t i = 0; i < n; i++)
		if ((category && *category && refusals[i].category &&
		     !strcasecmp(category, refusals[i].category)) ||
		    (error && *error && refusals[i].error && !strcasecmp(error, refusals[i].error)))
			return &refusals[i];
	return NULL;
}

const char *eas_msdiag_what(const char *diag)
{
	struct msdiag d;
	const struct refusal *r;

	if (!diag || !*diag)
		return NULL;
	msdiag_parse(diag, &d);
	r = pick(d.code, d.category, NULL, d.reason);
	return r ? r->what : NULL;
}

int eas_bearer_refusal(const struct eas_challenges *cs, const char *diag, char *buf, size_t size)
{
	const struct eas_challenge *b = eas_challenge_find(cs, "Bearer");
	const char *error = eas_challenge_param(b, "error");
	const char *desc = eas_challenge_param(b, "error_description");
	const struct refusal *r = NULL;
	char source[200] = "", said[120];
	struct msdiag d = { { 0 }, { 0 }, { 0 } };

	if (!size)
		return -1;
	buf[0] = 0;
	if (diag && *diag)
		msdiag_parse(diag, &d);
	if (d.code[0] || d.category[0]) {
		r = pick(d.code, d.category, NULL, d.reason);
		snprintf(source, sizeof source, "X-MS-Diagnostics %s%s%s%s%s", d.code,
			 d.category[0] ? " " : "", d.category, d.reason[0] ? ": " : "",
			 eas_text_short(d.reason, said, sizeof said));
	}
	if (!r && error && *error) {
		r = pick(NULL, NULL, error, desc);
		snprintf(source, sizeof source, "error=%s%s%s", error, desc && *desc ? ": " : "",
			 desc ? eas_text_short(desc, said, sizeof said) : "");
	}
	eas_text_clean(source, 1); /* a value cut inside a character */
	/* The cause and what to do first: the server's own words last, where
	 * a first line that must be cut drops them (-v keeps them). */
	if (r)
		snprintf(buf, size, "%s: %s (%s)", r->what, r->todo, source);
	else if (d.code[0] || d.category[0] || (error && *error))
		snprintf(buf, size, "the server refused the bearer token: obtain a new one (%s)",
			 source);
	else
		return -1;
	eas_text_clean(buf, 1);
	return 0;
}
