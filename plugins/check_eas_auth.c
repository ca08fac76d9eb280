/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_eas_auth: does the endpoint enforce its authentication policy?
 * Up to six probes (anonymous, basic only, certificate only, certificate
 * plus basic, bearer token, certificate plus bearer token), each on its
 * own fresh connection and TLS session, run
 * concurrently; each outcome is compared with the policy table, so an
 * alert comes both when an allowed method stops working and when a
 * forbidden one starts working. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "auth/auth.h"
#include "check/check.h"

struct plugin_ctx {
	enum eas_policy policy;
	bool sequential;
	struct eas_node_opts nodes; /* --node, --each-address, --min-nodes */
};

static int policy_arg(const char *arg, void *dest)
{
	return eas_policy_parse(arg, dest);
}

#define AT(f) offsetof(struct plugin_ctx, f)
#define POLICIES "basic, cert, cert+basic, cert-or-basic, bearer or cert+bearer"
static const struct eas_optdecl plugin_opts[] = {
	{ EAS_OPTROW(
		  "policy", "basic|cert|cert+basic|cert-or-basic|bearer|cert+bearer",
		  "the authentication the endpoint must enforce (see the table in the README); give the credentials it names",
		  EAS_OPT_VALUE, AT(policy)),
	  .parse = policy_arg, .what = POLICIES, .need = POLICIES },
	{ EAS_OPTROW(
		"sequential", NULL,
		"run the probes one after another instead of concurrently (for debugging and timing comparisons)",
		EAS_OPT_FLAG, AT(sequential)) },
	EAS_NODE_OPTROWS(AT(nodes)),
	{ 0 },
};

static int validate(void *p, const struct eas_opts *o, char *err, size_t errlen)
{
	const struct plugin_ctx *c = p;

	if (c->sequential && eas_nodes_wanted(&c->nodes)) {
		snprintf(
			err, errlen,
			"--sequential runs the probes of one endpoint: give it without --node or --each-address");
		return -1;
	}
	return eas_node_opts_check(&c->nodes, o, err, errlen);
}

/* A cached token the server refused (401): refreshed once, and the
 * probes that carried it asked again with the new one. Returns -1 to go
 * on, else the exit code of the refresh's failure (printed). */
static int bearer_again(struct eas_check *chk, struct eas_authrun *r)
{
	static const enum eas_authprobe with[] = { EAS_AUTHPROBE_BEARER,
						   EAS_AUTHPROBE_CERT_BEARER };
	bool refused = false, again;
	int rc;

	for (size_t i = 0; i < sizeof with / sizeof with[0]; i++)
		refused |= !r->skipped[with[i]] && r->res[with[i]].fail == EAS_FAIL_NONE &&
			   r->res[with[i]].status == 401;
	if (!refused)
		return -1;
	if ((rc = eas_check_token_again(chk, &again)) >= 0)
		return rc;
	for (size_t i = 0; again && i < sizeof with / sizeof with[0]; i++) {
		enum eas_authprobe k = with[i];

		if (r->skipped[k])
			continue;
		eas_response_free(&r->res[k]);
		r->req[k].token = chk->creds.token;
		eas_check_run(chk, eas_authrun_step(k), NULL, &r->req[k], &r->res[k]);
	}
	return -1;
}

/* One node's probes judged against the policy as a single run's are. */
static void judge_node(void *p, struct eas_runner *run, struct eas_node *node)
{
	struct eas_authrun *r = node->data;

	(void)p;
	r->wall = 0;
	for (int k = 0; k < EAS_AUTHPROBE_COUNT; k++)
		if (!r->skipped[k] && r->res[k].t.total > r->wall)
			r->wall = r->res[k].t.total;
	eas_authrun_judge(r, run->o, run->out);
	eas_authrun_report(r, run->o, run->out);
}

/* --node, --each-address: every probe of the policy on every node, all
 * at once on the one multi handle; each node's verdict the policy's. */
static int check_nodes(struct eas_check *chk, const struct plugin_ctx *c,
		       const struct eas_authrun *tmpl)
{
	static const char *steps[EAS_AUTHPROBE_COUNT];
	struct eas_authrun *runs = NULL;
	struct eas_nodes nodes;
	char err[320];
	int k = 0, rc;

	while (k < EAS_AUTHPROBE_COUNT - 1 && tmpl->skipped[k])
		k++;
	for (int i = 0; i < EAS_AUTHPROBE_COUNT; i++)
		steps[i] = eas_authrun_step((enum eas_authprobe)i);
	if (eas_nodes_make(&chk->run, &c->nodes, &tmpl->req[k], &nodes, err, sizeof err))
		return eas_check_fail(chk, EAS_CRITICAL, "%s", err);
	if (!(runs = calloc(nodes.n ? nodes.n : 1, sizeof *runs))) {
		eas_nodes_free(&nodes);
		return eas_check_fail(chk, EAS_UNKNOWN, "out of memory");
	}
	for (size_t i = 0; i < nodes.n; i++) {
		struct eas_node *nd = &nodes.node[i];

		runs[i] = *tmpl;
		nd->nprobe = EAS_AUTHPROBE_COUNT;
		nd->probe_req = runs[i].req;
		nd->probe_res = runs[i].res;
		nd->probe_step = steps;
		nd->probe_skip = runs[i].skipped;
		nd->data = &runs[i];
	}
	if ((rc = eas_check_send_bearer(chk, &nodes, "OPTIONS", err, sizeof err)) < 0) {
		eas_nodes_judge(&chk->run, &nodes, judge_node, NULL);
		eas_nodes_report(&chk->run, &nodes, c->nodes.min_nodes, &chk->o.th);
	}
	eas_nodes_free(&nodes); /* the answers in runs too */
	free(runs);
	return rc >= 0 ? rc : eas_check_end(chk);
}

int main(int argc, char **argv)
{
	struct plugin_ctx ctx = { .policy = EAS_POL_BASIC };
	const struct eas_plugin plugin = {
		.name = "check_eas_auth",
		.aspect = "AUTH",
		.purpose =
			"checks that an Exchange ActiveSync endpoint enforces its authentication policy: the methods it allows work and the ones it forbids are refused",
		.examples =
			"Examples:\n"
			"  check_eas_auth -H mail.example.com --policy cert --cert device.pfx --cert-password-file p12.pass --user user@example.com --password-file eas.pass\n"
			"  check_eas_auth -H mail.example.com --policy basic --user 'EXAMPLE\\user' --password-file eas.pass\n"
			"  check_eas_auth --extra-opts=tmg@/etc/nagios/eas.ini --policy cert-or-basic\n"
			"  check_eas_auth -H mail.example.com --policy basic --user user@example.com --password-file eas.pass --each-address --min-nodes 2\n"
			"  check_eas_auth -H outlook.office365.com --policy bearer --user monitor@example.com --password-file eas.pass --oauth-tenant example.com --oauth-client-id ID --oauth-token-cache /var/lib/nagios/eas/monitor.json\n",
		.groups = EAS_OPTG_TARGET | EAS_OPTG_HTTP | EAS_OPTG_TLS | EAS_OPTG_BASIC |
			  EAS_OPTG_CLIENT | EAS_OPTG_TOKEN,
		/* Modern auth: the token must work and the password must not. */
		.token_and_password = true,
		.discover = &eas_check_autodiscover,
		.threshold_help = "the time all probes take together, in seconds",
		.opts = plugin_opts,
		.validate = validate,
		.ctx = &ctx,
	};
	struct eas_check chk;
	struct eas_authrun *r;
	char err[600] = "";
	int rc = eas_check_begin(&chk, &plugin, argc, argv);

	if (rc >= 0 ||
	    (rc = eas_check_creds(&chk, EAS_USE_BASIC | EAS_USE_CERT | EAS_USE_BEARER)) >= 0)
		return rc;
	if (eas_authrun_check_creds(ctx.policy, &chk.creds, err, sizeof err))
		return eas_check_fail(&chk, EAS_UNKNOWN, "%s", err);
	r = calloc(1, sizeof *r);
	if (!r)
		return eas_check_fail(&chk, EAS_UNKNOWN, "out of memory");
	r->policy = ctx.policy;
	r->sequential = ctx.sequential;
	if (eas_authrun_build(&chk.o, &chk.creds, r, err, sizeof err)) {
		free(r);
		return eas_check_fail(&chk, EAS_UNKNOWN, "%s", err);
	}
	if (eas_nodes_wanted(&ctx.nodes)) {
		rc = check_nodes(&chk, &ctx, r);
		free(r);
		return rc;
	}
	eas_authrun_probe(&chk.run, r);
	if ((rc = bearer_again(&chk, r)) >= 0) {
		eas_authrun_free(r);
		free(r);
		return rc;
	}
	eas_authrun_judge(r, &chk.o, &chk.out);
	eas_authrun_report(r, &chk.o, &chk.out);
	eas_authrun_free(r);
	free(r);
	return eas_check_end(&chk);
}
