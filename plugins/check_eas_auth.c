/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_eas_auth: does the endpoint enforce its authentication policy?
 * Up to four probes (anonymous, basic only, certificate only, certificate
 * plus basic), each on its own fresh connection and TLS session, run
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
};

static int policy_arg(const char *arg, void *dest)
{
	return eas_policy_parse(arg, dest);
}

#define AT(f) offsetof(struct plugin_ctx, f)
#define POLICIES "basic, cert, cert+basic or cert-or-basic"
static const struct eas_optdecl plugin_opts[] = {
	{ EAS_OPTROW(
		  "policy", "basic|cert|cert+basic|cert-or-basic",
		  "the authentication the endpoint must enforce (see the table in the README); give the credentials it names",
		  EAS_OPT_VALUE, AT(policy)),
	  .parse = policy_arg, .what = POLICIES, .need = POLICIES },
	{ EAS_OPTROW(
		"sequential", NULL,
		"run the probes one after another instead of concurrently (for debugging and timing comparisons)",
		EAS_OPT_FLAG, AT(sequential)) },
	{ 0 },
};

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
			"  check_eas_auth --extra-opts=tmg@/etc/nagios/eas.ini --policy cert-or-basic\n",
		.groups = EAS_OPTG_TARGET | EAS_OPTG_HTTP | EAS_OPTG_TLS | EAS_OPTG_BASIC |
			  EAS_OPTG_CLIENT,
		.discover = &eas_check_autodiscover,
		.threshold_help = "the time all probes take together, in seconds",
		.opts = plugin_opts,
		.ctx = &ctx,
	};
	struct eas_check chk;
	struct eas_authrun *r;
	char err[600] = "";
	int rc = eas_check_begin(&chk, &plugin, argc, argv);

	if (rc >= 0 || (rc = eas_check_creds(&chk, EAS_USE_BASIC | EAS_USE_CERT)) >= 0)
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
	eas_authrun_probe(&chk.run, r);
	eas_authrun_judge(r, &chk.o, &chk.out);
	eas_authrun_report(r, &chk.o, &chk.out);
	eas_authrun_free(r);
	free(r);
	return eas_check_end(&chk);
}
