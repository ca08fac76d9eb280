/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_eas_options: is the endpoint up and speaking ActiveSync?
 * An OPTIONS request (or GET, where 501/505 means alive), anonymous unless
 * credentials are given (then sent as a device sends them: servers answer
 * an anonymous OPTIONS with 401, which hides the versions and commands),
 * with every other outcome explained for the operator. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "check/check.h"
#include "http/http.h"
#include "run/run.h"
#include "util/text.h"

#define MAX_REQUIRED 16

struct plugin_ctx {
	int method;       /* index in methods[] */
	const char *user; /* basic credentials sent as, NULL: none */
	bool cert;        /* a client certificate sent */
	const char *versions[MAX_REQUIRED];
	size_t nversions;
	const char *commands[MAX_REQUIRED];
	size_t ncommands;
	enum eas_state on_auth;
};

static const char *const methods[] = { "OPTIONS", "GET", NULL };

static bool is_version(const char *s)
{
	return eas_version_parse(s, strlen(s)) >= 0;
}

static bool is_command(const char *s)
{
	return *s && !strchr(s, ',');
}

#define AT(f) offsetof(struct plugin_ctx, f)
static const struct eas_optdecl plugin_opts[] = {
	{ EAS_OPTROW("method", "OPTIONS|GET",
		     "OPTIONS (default) checks the EAS headers; GET counts 501/505 as alive",
		     EAS_OPT_CHOICE, AT(method)),
	  .words = methods },
	{ EAS_OPTROW("require-version", "X.Y",
		     "CRITICAL unless the server offers this protocol version", EAS_OPT_LIST,
		     AT(versions)),
	  .count_at = AT(nversions), .max = MAX_REQUIRED, .valid = is_version,
	  .what = "a protocol version like 14.1" },
	{ EAS_OPTROW("require-command", "NAME",
		     "CRITICAL unless the server offers this command, e.g. Provision", EAS_OPT_LIST,
		     AT(commands)),
	  .count_at = AT(ncommands), .max = MAX_REQUIRED, .valid = is_command,
	  .what = "a command name" },
	{ EAS_OPTROW(
		  "on-auth-required", "STATE",
		  "state when the server demands authentication (401, 403.7, or a client certificate in the TLS handshake): it is alive and enforcing authentication (default OK)",
		  EAS_OPT_VALUE, AT(on_auth)),
	  .parse = eas_optdecl_state, .what = "OK, WARNING, CRITICAL or UNKNOWN" },
	{ 0 },
};

/* 200 with the EAS headers: report what the server offers. */
static void judge_eas(const struct plugin_ctx *c, const struct eas_response *res,
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
static const char *unchecked(const struct plugin_ctx *c)
{
	if (c->nversions && c->ncommands)
		return "--require-version/--require-command";
	return c->nversions ? "--require-version" : c->ncommands ? "--require-command" : "";
}

/* 401, 403.7 or a certificate demanded in the handshake: alive and
 * enforcing authentication, but the offer stays hidden, so a requirement
 * cannot be checked: never a silent OK. */
static void judge_auth(const struct plugin_ctx *c, const struct eas_response *res,
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
				c->on_auth == EAS_OK ? "alive, but " : "", who, d->meaning);
	} else {
		eas_out_summary(out, "%s%s",
				c->on_auth == EAS_OK ? "alive, authentication enforced: " : "",
				d->meaning);
	}
}

/* What each kind of answer means for "is the endpoint up?". */
static void judge(const struct plugin_ctx *c, const struct eas_response *res,
		  struct eas_output *out)
{
	bool get = !strcmp(methods[c->method], "GET");
	struct eas_http_diag d;

	eas_http_diagnose(res, &d);
	switch (d.cls) {
	case EAS_HC_EAS: judge_eas(c, res, out); return;
	case EAS_HC_AUTH_REQUIRED:
	case EAS_HC_CERT_REQUIRED: judge_auth(c, res, &d, out); return;
	case EAS_HC_PROVISION:
	case EAS_HC_ELSEWHERE: eas_out_raise(out, EAS_WARNING); break;
	case EAS_HC_WRONG_METHOD:
		if (get) {
			eas_out_summary(out, "alive: %s (the normal answer to GET)", d.meaning);
			return;
		}
		/* fall through */
	default: eas_out_raise(out, EAS_CRITICAL); break;
	}
	eas_out_summary(out, "%s", d.meaning);
}

int main(int argc, char **argv)
{
	struct plugin_ctx ctx = { .on_auth = EAS_OK };
	const struct eas_plugin plugin = {
		.name = "check_eas_options",
		.aspect = "OPTIONS",
		.purpose =
			"checks that an Exchange ActiveSync endpoint answers and speaks ActiveSync (OPTIONS request, anonymous unless --user with a password or --cert is given)",
		.examples =
			"Examples:\n"
			"  check_eas_options -H mail.example.com\n"
			"  check_eas_options -H mail.example.com --require-version 14.1 --require-command Provision -w 1 -c 5\n"
			"  check_eas_options -H mail.example.com --method GET\n",
		/* Anonymous unless credentials are given: servers hide the
		 * offer behind a 401. */
		.groups = EAS_OPTG_TARGET | EAS_OPTG_HTTP | EAS_OPTG_TLS | EAS_OPTG_BASIC |
			  EAS_OPTG_CLIENT,
		.discover = &eas_check_autodiscover,
		.opts = plugin_opts,
		.ctx = &ctx,
	};
	static const char *const headers[] = { "Accept: */*", NULL };
	struct eas_check chk;
	struct eas_request req;
	struct eas_response res;
	char url[2048], err[256];
	int rc = eas_check_begin(&chk, &plugin, argc, argv);

	if (rc >= 0 || (rc = eas_check_creds(&chk, EAS_USE_BASIC | EAS_USE_CERT)) >= 0)
		return rc;
	if (eas_check_target(&chk, &req, url, sizeof url, err, sizeof err))
		return eas_check_fail(&chk, EAS_UNKNOWN, "%s", err);
	req.method = methods[ctx.method];
	req.headers = headers;
	/* Credentials as a device sends them: a user without a password
	 * (a host's shared section) leaves the request anonymous. */
	if (chk.creds.user && chk.creds.password) {
		if (eas_creds_apply_basic(&chk.o, &chk.creds, &req, err, sizeof err))
			return eas_check_fail(&chk, EAS_UNKNOWN, "%s", err);
		ctx.user = chk.creds.user;
	}
	if (chk.creds.id.cert) {
		req.identity = &chk.creds.id;
		ctx.cert = true;
	}
	eas_check_run(&chk, methods[ctx.method], NULL, &req, &res);

	if (res.fail == EAS_FAIL_NONE || res.fail == EAS_FAIL_CLIENT_CERT)
		judge(&ctx, &res, &chk.out);
	else
		eas_check_failed(&chk, &res);
	if (res.fail == EAS_FAIL_NONE)
		eas_report_time(&chk.out, &chk.o.th, res.t.total);
	eas_check_report(&chk, &req, &res);
	eas_response_free(&res);
	return eas_check_end(&chk);
}
