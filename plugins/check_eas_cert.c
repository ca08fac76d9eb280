/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_eas_cert: does our client certificate still get in?
 * One OPTIONS request authenticated by a client certificate (plus basic
 * credentials with --with-basic, or the bearer token with --with-bearer,
 * for the two-factor setups). Tells apart the
 * handshake refusing the certificate, a server that never asks for one,
 * 403.7/403.16/403.17, 401.2 (no certificate mapping) and success, and
 * watches the certificate's own expiry. */
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "auth/auth.h"
#include "certexpiry/certexpiry.h"
#include "tls/tls.h"
#include "check/check.h"
#include "run/run.h"

struct plugin_ctx {
	long warn_days, crit_days;
	bool with_basic, with_bearer;
	struct eas_node_opts nodes; /* --node, --each-address, --min-nodes */
	/* What judging an answer needs, set once the credentials are in. */
	const struct eas_creds *creds;
	const char *who, *user;
	unsigned mask;
};

#define AT(f) offsetof(struct plugin_ctx, f)
static const struct eas_optdecl plugin_opts[] = {
	{ EAS_OPTROW("cert-warn", "DAYS",
		     "WARNING when the client certificate expires within DAYS (default 30)",
		     EAS_OPT_LONG, AT(warn_days)),
	  .min = 0, .max = 3650, .what = "a number of days" },
	{ EAS_OPTROW("cert-crit", "DAYS",
		     "CRITICAL when the client certificate expires within DAYS (default 14)",
		     EAS_OPT_LONG, AT(crit_days)),
	  .min = 0, .max = 3650, .what = "a number of days" },
	{ EAS_OPTROW(
		"with-basic", NULL,
		"send --user and its password too: the two-factor setup (without it they are not used, so one credential set can serve every plugin)",
		EAS_OPT_FLAG, AT(with_basic)) },
	{ EAS_OPTROW(
		"with-bearer", NULL,
		"send the bearer token too (--bearer-token-file or --oauth-token-cache): certificate plus modern auth",
		EAS_OPT_FLAG, AT(with_bearer)) },
	EAS_NODE_OPTROWS(AT(nodes)),
	{ 0 },
};

/* The verdict on the request itself, into run->out: the whole check,
 * or a node. */
static void judge_probe(const struct plugin_ctx *c, struct eas_runner *run,
			const struct eas_response *res, const struct eas_auth_outcome *oc)
{
	struct eas_output *out = run->out;
	const char *who = c->who, *user = c->user;
	char server[128], with[300] = "";

	if (c->creds->token && user)
		snprintf(with, sizeof with, " with the bearer token for %s", user);
	else if (c->creds->token)
		snprintf(with, sizeof with, " with the bearer token");
	else if (user)
		snprintf(with, sizeof with, " with basic auth for %s", user);
	switch (oc->verdict) {
	case EAS_AUTH_ACCEPTED:
		if (oc->cert_not_asked) {
			eas_out_raise(out, EAS_CRITICAL);
			eas_out_summary(
				out,
				"the server never asked for a client certificate: it let us in without one%s",
				c->creds->token ? " on the token alone"
				: user          ? " on the password alone"
						: " (anonymous access is open)");
			break;
		}
		eas_auth_server_text(res, server, sizeof server);
		if (oc->reason == EAS_AR_OK) {
			eas_out_summary(out, "client certificate %s accepted%s: %s", who, with,
					server);
		} else {
			eas_out_raise(out, EAS_WARNING);
			eas_out_summary(out, "client certificate %s accepted%s, but %s", who, with,
					oc->text);
		}
		break;
	case EAS_AUTH_REFUSED:
		eas_out_raise(out, EAS_CRITICAL);
		if (oc->cert_not_asked && oc->reason == EAS_AR_403_7)
			eas_out_summary(out, "%s", oc->text); /* it says so itself */
		else if (oc->cert_not_asked)
			eas_out_summary(out, "the server never asked for a client certificate: %s",
					oc->text);
		else
			eas_out_summary(out, "client certificate %s refused%s: %s", who, with,
					oc->text);
		break;
	default:
		eas_out_raise(out, eas_fail_state(oc->fail, run->o->timeout_state));
		eas_out_summary(out, "%s", oc->text);
		break;
	}
	if (res->fail == EAS_FAIL_NONE)
		eas_report_time(out, &run->o->th, res->t.total);
}

static void judge_node(void *p, struct eas_runner *run, struct eas_node *node)
{
	const struct plugin_ctx *c = p;
	struct eas_auth_outcome oc;

	eas_auth_classify(&node->res, c->mask, &oc);
	judge_probe(c, run, &node->res, &oc);
	eas_auth_outcome_detail(run->out, &oc);
	eas_auth_outcome_json(run->out, &oc);
}

/* A certificate is what this plugin checks: say so before anything else. */
static int validate(void *p, const struct eas_opts *o, char *err, size_t errlen)
{
	const struct plugin_ctx *c = p;

	if (c->with_basic && c->with_bearer) {
		snprintf(err, errlen,
			 "--with-basic or --with-bearer: a request carries one of them");
		return -1;
	}
	if (c->with_bearer && !o->bearer_token_file && !o->oauth_token_cache) {
		snprintf(
			err, errlen,
			"--with-bearer needs the token: --bearer-token-file or --oauth-token-cache");
		return -1;
	}
	if (o->cert)
		return eas_node_opts_check(&c->nodes, o, err, errlen);
	snprintf(
		err, errlen,
		"no --cert given: check_eas_cert needs a client certificate (PEM with --key, or PKCS#12 with --cert-password-file)");
	return -1;
}

int main(int argc, char **argv)
{
	struct plugin_ctx ctx = { .warn_days = 30, .crit_days = 14 };
	const struct eas_plugin plugin = {
		.name = "check_eas_cert",
		.aspect = "CERT",
		.purpose =
			"checks that an Exchange ActiveSync endpoint accepts our client certificate (OPTIONS request), optionally with basic credentials for the two-factor setup",
		.examples =
			"Examples:\n"
			"  check_eas_cert -H mail.example.com --cert device.pfx --cert-password-file /etc/nagios/device.pfx.pass\n"
			"  check_eas_cert -H mail.example.com --cert client.pem --key client.key --cert-warn 45 --cert-crit 20\n"
			"  check_eas_cert -H mail.example.com --cert client.pem --key client.key --each-address --min-nodes 2\n"
			"  check_eas_cert -H mail.example.com --cert device.p12 --cert-password-file p12.pass --with-basic --user user@example.com --password-file eas.pass   (two factors)\n"
			"  check_eas_cert -H mail.example.com --cert device.p12 --cert-password-file p12.pass --with-bearer --bearer-token-file /run/eas/token   (certificate and modern auth)\n",
		.groups = EAS_OPTG_TARGET | EAS_OPTG_HTTP | EAS_OPTG_TLS | EAS_OPTG_BASIC |
			  EAS_OPTG_CLIENT | EAS_OPTG_TOKEN,
		.discover = &eas_check_autodiscover,
		.opts = plugin_opts,
		.validate = validate,
		.ctx = &ctx,
	};
	struct eas_check chk;
	struct eas_certinfo ci;
	struct eas_request req;
	struct eas_response res;
	struct eas_auth_outcome oc;
	char url[2048], err[512];
	int rc = eas_check_begin(&chk, &plugin, argc, argv);

	if (rc >= 0 ||
	    (rc = eas_check_creds(&chk, EAS_USE_CERT | (ctx.with_basic ? EAS_USE_BASIC : 0) |
						(ctx.with_bearer ? EAS_USE_BEARER : 0))) >= 0)
		return rc;
	ctx.mask = EAS_CRED_CERT;
	if (ctx.with_basic)
		ctx.mask |= EAS_CRED_BASIC;
	if (ctx.with_bearer)
		ctx.mask |= EAS_CRED_BEARER;
	if ((ctx.with_basic && eas_auth_need_basic(&chk.creds, err, sizeof err)) ||
	    eas_auth_request(&chk.o, &chk.creds, ctx.mask, &req, url, sizeof url, err, sizeof err))
		return eas_check_fail(&chk, EAS_UNKNOWN, "%s", err);
	if (eas_certinfo_get(chk.creds.id.cert, time(NULL), &ci))
		return eas_check_fail(&chk, EAS_UNKNOWN,
				      "%s: cannot read the client certificate's validity",
				      chk.o.cert);
	ctx.creds = &chk.creds;
	ctx.who = ci.cn[0] ? ci.cn : ci.subject;
	ctx.user = ctx.with_basic || ctx.with_bearer ? chk.creds.user : NULL;
	/* --node, --each-address: the same request to every node at once;
	 * the certificate's own expiry is the run's, not a node's. */
	if (eas_nodes_wanted(&ctx.nodes)) {
		if ((rc = eas_check_nodes(&chk, &ctx.nodes, "OPTIONS", &req, judge_node, &ctx)) >=
		    0)
			return rc;
	} else {
		if ((rc = eas_check_run_bearer(&chk, "OPTIONS", &req, &res)) >= 0)
			return rc;
		eas_auth_classify(&res, ctx.mask, &oc);
		judge_probe(&ctx, &chk.run, &res, &oc);
		eas_check_report(&chk, &req, &res);
	}
	eas_clientcert_expiry(&chk.out, &ci, ctx.warn_days, ctx.crit_days);
	eas_clientcert_report(&chk.out, &ci,
			      chk.creds.id.chain ? sk_X509_num(chk.creds.id.chain) : 0);
	if (!eas_nodes_wanted(&ctx.nodes)) {
		eas_auth_outcome_detail(&chk.out, &oc);
		eas_auth_outcome_json(&chk.out, &oc);
		eas_response_free(&res);
	}
	return eas_check_end(&chk);
}
