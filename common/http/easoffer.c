/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "http/easoffer.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/challenge.h"
#include "http/httpclass.h"
#include "out/output.h"
#include "util/text.h"

int eas_version_parse(const char *s, size_t len)
{
	int major = 0, minor = 0, digits = 0;
	size_t i = 0;

	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	while (i < len && isspace((unsigned char)s[i]))
		i++;
	for (; i < len && isdigit((unsigned char)s[i]); i++, digits++) {
		if (digits >= 3)
			return -1;
		major = major * 10 + (s[i] - '0');
	}
	if (!digits || i >= len || s[i] != '.')
		return -1;
	for (i++, digits = 0; i < len && isdigit((unsigned char)s[i]); i++, digits++) {
		if (digits >= 2)
			return -1;
		minor = minor * 10 + (s[i] - '0');
	}
	if (!digits || i != len)
		return -1;
	return major * 100 + minor;
}

/* Call fn for each non-empty trimmed entry; stop when it returns true. */
static bool each_entry(const char *list, bool (*fn)(const char *, size_t, void *), void *arg)
{
	const char *p = list;

	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *s = p;

		while (len && isspace((unsigned char)*s)) {
			s++;
			len--;
		}
		while (len && isspace((unsigned char)s[len - 1]))
			len--;
		if (len && fn(s, len, arg))
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

static bool tally(const char *s, size_t len, void *arg)
{
	struct eas_versions *v = arg;
	int ver = eas_version_parse(s, len);

	if (ver < 0) {
		v->bad++;
	} else {
		v->count++;
		if (ver > v->highest)
			v->highest = ver;
	}
	return false;
}

void eas_versions_parse(const char *list, struct eas_versions *v)
{
	v->count = v->bad = 0;
	v->highest = -1;
	each_entry(list, tally, v);
}

static bool same_version(const char *s, size_t len, void *arg)
{
	return eas_version_parse(s, len) == *(int *)arg;
}

bool eas_versions_has(const char *list, int version)
{
	return each_entry(list, same_version, &version);
}

static bool count_one(const char *s, size_t len, void *arg)
{
	(void)s;
	(void)len;
	++*(int *)arg;
	return false;
}

int eas_list_count(const char *list)
{
	int n = 0;

	each_entry(list, count_one, &n);
	return n;
}

static bool same_name(const char *s, size_t len, void *arg)
{
	const char *name = arg;

	return strlen(name) == len && !strncasecmp(s, name, len);
}

bool eas_list_has(const char *list, const char *name)
{
	return each_entry(list, same_name, (void *)name);
}

bool eas_version_valid(const char *s)
{
	return eas_version_parse(s, strlen(s)) >= 0;
}

bool eas_command_valid(const char *s)
{
	return *s && !strchr(s, ',');
}

void eas_offer_judge(const struct eas_offer_want *c, const struct eas_response *res,
		     struct eas_output *out)
{
	const char *server = res->hdr[EAS_HDR_EAS_SERVER];
	const char *versions = res->hdr[EAS_HDR_VERSIONS];
	const char *commands = res->hdr[EAS_HDR_COMMANDS];
	struct eas_versions v;
	char name[48], listed[64];

	eas_versions_parse(versions, &v);
	server = eas_text_short(server ? server : "server", name, sizeof name);
	if (v.highest >= 0) {
		eas_out_summary(out,
				"ActiveSync %s answers: protocol %d.%d (%d versions), %d commands",
				server, v.highest / 100, v.highest % 100, v.count,
				eas_list_count(commands));
	} else {
		eas_out_raise(out, EAS_WARNING);
		eas_out_summary(out,
				"ActiveSync %s answers but lists no valid protocol version ('%s')",
				server,
				eas_text_short(versions ? versions : "", listed, sizeof listed));
	}
	if (v.bad)
		eas_out_detail(out, "%d malformed entries in MS-ASProtocolVersions ignored", v.bad);
	for (size_t i = 0; i < c->nversions; i++)
		if (!eas_versions_has(versions,
				      eas_version_parse(c->versions[i], strlen(c->versions[i])))) {
			eas_out_raise(out, EAS_CRITICAL);
			eas_out_append(out, "required protocol %s not offered", c->versions[i]);
		}
	for (size_t i = 0; i < c->ncommands; i++)
		if (!eas_list_has(commands, c->commands[i])) {
			eas_out_raise(out, EAS_CRITICAL);
			eas_out_append(out, "required command %s not offered", c->commands[i]);
		}
	eas_out_perf(out, "versions", v.count, "", NULL, 0, NAN);
	eas_out_perf(out, "commands", eas_list_count(commands), "", NULL, 0, NAN);
}

/* The options a server's demand for credentials leaves unchecked, as
 * "--require-version/--require-command"; "" when none was asked. */
static const char *unchecked(const struct eas_offer_want *c)
{
	if (c->nversions && c->ncommands)
		return "--require-version/--require-command";
	return c->nversions ? "--require-version" : c->ncommands ? "--require-command" : "";
}

/* An anonymous 401: the schemes it offers on the line (their parameters
 * are in -v, eas_report_details), the policy of --expect-schemes. */
static void challenged(const struct eas_offer_want *c, const struct eas_response *res,
		       const struct eas_http_diag *d, struct eas_output *out)
{
	struct eas_challenges cs;
	char offer[300], broken[600];

	eas_challenge_parse(res->hdr[EAS_HDR_WWW_AUTHENTICATE], &cs);
	eas_challenge_offer(&cs, offer, sizeof offer);
	if (c->schemes && eas_scheme_policy_check(c->schemes, &cs, broken, sizeof broken)) {
		eas_out_raise(out, EAS_CRITICAL);
		eas_out_summary(out, "%s: HTTP 401, %s", broken, offer);
	} else {
		/* Server names only on a line that is not OK. */
		eas_out_summary(out, "%s%.*sHTTP 401, %s",
				c->on_auth == EAS_OK ? "alive, authentication enforced: " : "",
				c->on_auth == EAS_OK ? 0 : (int)d->served_len, d->meaning, offer);
		if (c->schemes)
			eas_out_detail(out, "--expect-schemes %s: the offer meets it", c->schemes);
	}
	eas_out_detail(out, "%s", d->meaning);
	if (c->empty_bearer)
		eas_out_detail(
			out,
			"sent with an empty bearer token (Authorization: Bearer), as Microsoft's modern-auth test does, so that the Bearer challenge shows its parameters");
}

void eas_offer_hidden(const struct eas_offer_want *c, const struct eas_response *res,
		      const struct eas_http_diag *d, struct eas_output *out)
{
	const char *req = unchecked(c);
	char code[48] = "TLS asks for a certificate", who[320];

	if (res->status && d->substatus >= 0)
		snprintf(code, sizeof code, "HTTP %ld.%d", res->status, d->substatus);
	else if (res->status)
		snprintf(code, sizeof code, "HTTP %ld", res->status);
	/* Who was refused, "" when nothing was sent. */
	snprintf(who, sizeof who, "%s%s",
		 c->cert ? (c->user ? "the client certificate and basic auth for "
				    : "the client certificate")
			 : (c->user ? "basic auth for " : ""),
		 c->user ? c->user : "");
	if (c->bearer)
		snprintf(who, sizeof who, "%s",
			 c->cert ? "the client certificate and the bearer token"
				 : "the bearer token");
	eas_out_raise(out, c->on_auth);
	if (*req) {
		eas_out_raise(out, EAS_UNKNOWN);
		if (*who)
			eas_out_summary(
				out,
				"cannot check %s: credentials refused (%s); check_eas_basic or check_eas_cert tells why",
				req, code);
		else
			eas_out_summary(
				out,
				"cannot check %s: OPTIONS wants credentials (%s); give --user and a password, or --cert",
				req, code);
		eas_out_detail(out, "%s", d->meaning);
	} else if (*who) {
		eas_out_summary(out, "%snot with our credentials (%s): %s",
				c->on_auth == EAS_OK ? "alive, but " : "", who,
				d->meaning + (c->on_auth == EAS_OK ? d->served_len : 0));
	} else if (res->status == 401 && (d->substatus < 0 || c->schemes)) {
		/* IIS's 401.N says more than the schemes: its sentence stays */
		challenged(c, res, d, out);
	} else if (c->on_auth == EAS_OK) {
		/* Fine as it is: no server names on an OK line. */
		eas_out_summary(out, "alive, authentication enforced: %s",
				d->meaning + d->served_len);
	} else {
		eas_out_summary(out, "%s", d->meaning);
	}
}
