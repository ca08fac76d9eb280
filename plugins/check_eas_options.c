/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_eas_options: is the endpoint up and speaking ActiveSync?
 * An OPTIONS request (or GET, where 501/505 means alive), anonymous unless
 * credentials are given (then sent as a device sends them: servers answer
 * an anonymous OPTIONS with 401, which hides the versions and commands),
 * with every other outcome explained for the operator. */
#include <stddef.h>
#include <string.h>

#include "check/check.h"
#include "http/http.h"
#include "run/run.h"

struct plugin_ctx {
	int method; /* index in methods[] */
	struct eas_offer_want want;
	struct eas_node_opts nodes; /* --node, --each-address, --min-nodes */
};

static const char *const methods[] = { "OPTIONS", "GET", NULL };

#define AT(f) offsetof(struct plugin_ctx, f)
#define WANT(f) AT(want.f)
static const struct eas_optdecl plugin_opts[] = {
	{ EAS_OPTROW("method", "OPTIONS|GET",
		     "OPTIONS (default) checks the EAS headers; GET counts 501/505 as alive",
		     EAS_OPT_CHOICE, AT(method)),
	  .words = methods },
	{ EAS_OPTROW("require-version", "X.Y",
		     "CRITICAL unless the server offers this protocol version", EAS_OPT_LIST,
		     WANT(versions)),
	  .count_at = WANT(nversions), .max = EAS_OFFER_MAX_REQUIRED, .valid = eas_version_valid,
	  .what = "a protocol version like 14.1" },
	{ EAS_OPTROW("require-command", "NAME",
		     "CRITICAL unless the server offers this command, e.g. Provision", EAS_OPT_LIST,
		     WANT(commands)),
	  .count_at = WANT(ncommands), .max = EAS_OFFER_MAX_REQUIRED, .valid = eas_command_valid,
	  .what = "a command name" },
	{ EAS_OPTROW(
		  "on-auth-required", "STATE",
		  "state when the server demands authentication (401, 403.7, or a client certificate in the TLS handshake): it is alive and enforcing authentication (default OK)",
		  EAS_OPT_VALUE, WANT(on_auth)),
	  .parse = eas_optdecl_state, .what = "OK, WARNING, CRITICAL or UNKNOWN" },
	{ EAS_OPTROW(
		  "expect-schemes", "LIST",
		  "the authentication schemes the anonymous request's 401 must offer (NAME) or not (!NAME), e.g. Bearer,!Basic: CRITICAL naming each difference",
		  EAS_OPT_STRING, WANT(schemes)),
	  .valid = eas_scheme_policy_valid,
	  .what = "a comma list of scheme names, each NAME or !NAME (at most 8), e.g. Bearer,!Basic" },
	EAS_NODE_OPTROWS(AT(nodes)),
	{ 0 },
};

static int validate(void *p, const struct eas_opts *o, char *err, size_t errlen)
{
	return eas_node_opts_check(&((struct plugin_ctx *)p)->nodes, o, err, errlen);
}

/* What each kind of answer means for "is the endpoint up?". */
static void judge(const struct plugin_ctx *c, const struct eas_response *res,
		  struct eas_output *out)
{
	bool get = !strcmp(methods[c->method], "GET");
	struct eas_http_diag d;

	eas_http_diagnose(res, &d);
	switch (d.cls) {
	case EAS_HC_EAS: eas_offer_judge(&c->want, res, out); return;
	case EAS_HC_AUTH_REQUIRED:
	case EAS_HC_CERT_REQUIRED: eas_offer_hidden(&c->want, res, &d, out); return;
	case EAS_HC_PROVISION:
	case EAS_HC_ELSEWHERE: eas_out_raise(out, EAS_WARNING); break;
	case EAS_HC_WRONG_METHOD:
		if (get) {
			eas_out_summary(out, "alive: %s (the normal answer to GET)",
					d.meaning + d.served_len);
			return;
		}
		/* fall through */
	default: eas_out_raise(out, EAS_CRITICAL); break;
	}
	eas_out_summary(out, "%s", d.meaning);
}

/* Everything one answer says: the verdict, the scheme audit, the time. */
static void judge_all(const struct plugin_ctx *c, struct eas_runner *run,
		      const struct eas_response *res)
{
	if (res->fail == EAS_FAIL_NONE || res->fail == EAS_FAIL_CLIENT_CERT)
		judge(c, res, run->out);
	else
		eas_run_failed(run, res);
	if (c->want.schemes && res->status && res->status != 401) {
		eas_out_raise(run->out, EAS_UNKNOWN);
		eas_out_append(run->out, "cannot check --expect-schemes: HTTP %ld has no challenge",
			       res->status);
	}
	if (res->fail == EAS_FAIL_NONE)
		eas_report_time(run->out, &run->o->th, res->t.total);
}

static void judge_node(void *c, struct eas_runner *run, struct eas_node *node)
{
	judge_all(c, run, &node->res);
}

/* --node, --each-address: the same request to every node at once. */
static int check_nodes(struct eas_check *chk, struct plugin_ctx *c, const struct eas_request *req)
{
	int rc = eas_check_nodes(chk, &c->nodes, methods[c->method], req, judge_node, c);

	return rc >= 0 ? rc : eas_check_end(chk);
}

int main(int argc, char **argv)
{
	struct plugin_ctx ctx = { .want.on_auth = EAS_OK };
	const struct eas_plugin plugin = {
		.name = "check_eas_options",
		.aspect = "OPTIONS",
		.purpose =
			"checks that an Exchange ActiveSync endpoint answers and speaks ActiveSync (OPTIONS request, anonymous unless --user with a password or --cert is given)",
		.examples =
			"Examples:\n"
			"  check_eas_options -H mail.example.com\n"
			"  check_eas_options -H mail.example.com --require-version 14.1 --require-command Provision -w 1 -c 5\n"
			"  check_eas_options -H mail.example.com --method GET\n"
			"  check_eas_options -H mail.example.com --each-address --min-nodes 2\n"
			"  check_eas_options -H outlook.office365.com --oauth-tenant example.com --oauth-client-id ID --oauth-token-cache /var/lib/nagios/eas/monitor.json\n",
		/* Anonymous unless credentials are given: servers hide the
		 * offer behind a 401. */
		.groups = EAS_OPTG_TARGET | EAS_OPTG_HTTP | EAS_OPTG_TLS | EAS_OPTG_BASIC |
			  EAS_OPTG_CLIENT | EAS_OPTG_TOKEN,
		.opts = plugin_opts,
		.validate = validate,
		.ctx = &ctx,
	};
	static const char *const headers[] = { "Accept: */*", NULL };
	/* Microsoft's modern-auth test sends "Bearer" with no token: Exchange
	 * then shows the Bearer challenge's parameters (authorization_uri). */
	static const char *const bearer_headers[] = { "Accept: */*", "Authorization: Bearer",
						      NULL };
	struct eas_check chk;
	struct eas_request req;
	struct eas_response res;
	char url[2048], err[256];
	int rc = eas_check_begin(&chk, &plugin, argc, argv);

	if (rc >= 0 ||
	    (rc = eas_check_creds(&chk, EAS_USE_BASIC | EAS_USE_CERT | EAS_USE_BEARER)) >= 0)
		return rc;
	if (eas_check_target(&chk, &req, url, sizeof url, err, sizeof err))
		return eas_check_fail(&chk, EAS_UNKNOWN, "%s", err);
	req.method = methods[ctx.method];
	req.headers = headers;
	/* Credentials as a device sends them: a bearer token, or basic; a
	 * user without a password (a host's shared section) leaves the
	 * request anonymous. */
	if (chk.creds.token || (chk.creds.user && chk.creds.password)) {
		if (eas_creds_apply_basic(&chk.o, &chk.creds, &req, err, sizeof err))
			return eas_check_fail(&chk, EAS_UNKNOWN, "%s", err);
		ctx.want.bearer = chk.creds.token != NULL;
		ctx.want.user = ctx.want.bearer ? NULL : chk.creds.user;
	}
	if (chk.creds.id.cert) {
		req.identity = &chk.creds.id;
		ctx.want.cert = true;
	}
	/* The policy is about what a client without credentials is offered. */
	if (ctx.want.schemes && req.auth != EAS_HTTPAUTH_NONE)
		return eas_check_fail(
			&chk, EAS_UNKNOWN,
			"--expect-schemes audits the challenge of an unauthenticated request: give it without --user/password or a bearer token");
	if (ctx.want.schemes && eas_scheme_policy_names(ctx.want.schemes, "Bearer")) {
		req.headers = bearer_headers;
		ctx.want.empty_bearer = true;
	}
	if (eas_nodes_wanted(&ctx.nodes))
		return check_nodes(&chk, &ctx, &req);
	/* A cached token revoked before its time: refreshed once. */
	if ((rc = eas_check_run_bearer(&chk, methods[ctx.method], &req, &res)) >= 0)
		return rc;

	judge_all(&ctx, &chk.run, &res);
	eas_check_report(&chk, &req, &res);
	eas_response_free(&res);
	return eas_check_end(&chk);
}
