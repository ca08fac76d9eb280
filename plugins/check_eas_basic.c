/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_eas_basic: do the user's basic credentials still get in?
 * One OPTIONS request (no device partnership is created) with user and
 * password, or with the bearer token when one is given (--bearer-token-file,
 * --oauth-token-cache: modern auth's equivalent, the one-401-retry of a
 * cached token included); a refusal or failure is explained for the
 * operator. */
#include <stddef.h>
#include <stdio.h>

#include "auth/auth.h"
#include "check/check.h"
#include "run/run.h"

struct plugin_ctx {
	struct eas_node_opts nodes; /* --node, --each-address, --min-nodes */
	const struct eas_creds *creds;
	unsigned mask;
};

#define AT(f) offsetof(struct plugin_ctx, f)
static const struct eas_optdecl plugin_opts[] = {
	EAS_NODE_OPTROWS(AT(nodes)),
	{ 0 },
};

static int validate(void *p, const struct eas_opts *o, char *err, size_t errlen)
{
	return eas_node_opts_check(&((struct plugin_ctx *)p)->nodes, o, err, errlen);
}

/* The verdict on one answer, into run->out: the whole check, or a node. */
static void judge(const struct plugin_ctx *c, struct eas_runner *run,
		  const struct eas_response *res, const struct eas_auth_outcome *oc)
{
	struct eas_output *out = run->out;
	const char *what = c->creds->token ? "bearer token" : "basic auth";
	char server[128], who[300] = "";

	/* A token names its user itself: --user is optional with one. */
	if (c->creds->user)
		snprintf(who, sizeof who, " for %s", c->creds->user);
	switch (oc->verdict) {
	case EAS_AUTH_ACCEPTED:
		eas_auth_server_text(res, server, sizeof server);
		if (oc->reason == EAS_AR_OK) {
			eas_out_summary(out, "%s accepted%s: %s", what, who, server);
		} else {
			eas_out_raise(out, EAS_WARNING);
			eas_out_summary(out, "%s accepted%s, but %s", what, who, oc->text);
		}
		break;
	case EAS_AUTH_REFUSED:
		eas_out_raise(out, EAS_CRITICAL);
		eas_out_summary(out, "%s%s refused: %s", what, who, oc->text);
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
	judge(c, run, &node->res, &oc);
	eas_auth_outcome_detail(run->out, &oc);
	eas_auth_outcome_json(run->out, &oc);
}

int main(int argc, char **argv)
{
	struct plugin_ctx ctx = { 0 };
	const struct eas_plugin plugin = {
		.name = "check_eas_basic",
		.aspect = "BASIC",
		.purpose =
			"checks that an Exchange ActiveSync endpoint accepts basic authentication (OPTIONS request with user and password), or the bearer token when one is given",
		.examples =
			"Examples:\n"
			"  check_eas_basic -H mail.example.com --user user@example.com --password-file /etc/nagios/eas.pass\n"
			"  EAS_PASSWORD=... check_eas_basic -H mail.example.com --user 'EXAMPLE\\user' -w 1 -c 5\n"
			"  check_eas_basic --extra-opts=eas@/etc/nagios/eas.ini\n"
			"  check_eas_basic -H mail.example.com --user user@example.com --password-file /etc/nagios/eas.pass --each-address --min-nodes 2\n"
			"  check_eas_basic -H outlook.office365.com --user monitor@example.com --oauth-tenant example.com --oauth-client-id ID --oauth-token-cache /var/lib/nagios/eas/monitor.json\n",
		.groups = EAS_OPTG_TARGET | EAS_OPTG_HTTP | EAS_OPTG_TLS | EAS_OPTG_BASIC |
			  EAS_OPTG_CLIENT | EAS_OPTG_TOKEN,
		.discover = &eas_check_autodiscover,
		.opts = plugin_opts,
		.validate = validate,
		.ctx = &ctx,
	};
	struct eas_check chk;
	struct eas_request req;
	struct eas_response res;
	struct eas_auth_outcome oc;
	char url[2048], err[512];
	int rc = eas_check_begin(&chk, &plugin, argc, argv);

	if (rc >= 0 || (rc = eas_check_creds(&chk, EAS_USE_BASIC | EAS_USE_BEARER)) >= 0)
		return rc;
	ctx.creds = &chk.creds;
	ctx.mask = chk.creds.token ? EAS_CRED_BEARER : EAS_CRED_BASIC;
	if ((!chk.creds.token && eas_auth_need_basic(&chk.creds, err, sizeof err)) ||
	    eas_auth_request(&chk.o, &chk.creds, ctx.mask, &req, url, sizeof url, err, sizeof err))
		return eas_check_fail(&chk, EAS_UNKNOWN, "%s", err);
	/* --node, --each-address: the same request to every node at once. */
	if (eas_nodes_wanted(&ctx.nodes))
		return (rc = eas_check_nodes(&chk, &ctx.nodes, "OPTIONS", &req, judge_node,
					     &ctx)) >= 0
			       ? rc
			       : eas_check_end(&chk);
	if ((rc = eas_check_run_bearer(&chk, "OPTIONS", &req, &res)) >= 0)
		return rc;

	eas_auth_classify(&res, ctx.mask, &oc);
	judge(&ctx, &chk.run, &res, &oc);
	eas_auth_outcome_detail(&chk.out, &oc);
	eas_check_report(&chk, &req, &res);
	eas_auth_outcome_json(&chk.out, &oc);
	eas_response_free(&res);
	return eas_check_end(&chk);
}
