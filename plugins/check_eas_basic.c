/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_eas_basic: do the user's basic credentials still get in?
 * One OPTIONS request (no device partnership is created) with user and
 * password, or with the bearer token when one is given (--bearer-token-file,
 * --oauth-token-cache: modern auth's equivalent, the one-401-retry of a
 * cached token included); a refusal or failure is explained for the
 * operator. */
#include <stdio.h>

#include <json-c/json.h>

#include "auth/auth.h"
#include "check/check.h"
#include "run/run.h"

static void judge(struct eas_check *chk, const struct eas_response *res,
		  const struct eas_auth_outcome *oc)
{
	struct eas_output *out = &chk->out;
	const char *what = chk->creds.token ? "bearer token" : "basic auth";
	char server[128], who[300] = "";

	/* A token names its user itself: --user is optional with one. */
	if (chk->creds.user)
		snprintf(who, sizeof who, " for %s", chk->creds.user);
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
		eas_out_raise(out, eas_fail_state(oc->fail, chk->o.timeout_state));
		eas_out_summary(out, "%s", oc->text);
		break;
	}
	if (res->fail == EAS_FAIL_NONE)
		eas_report_time(out, &chk->o.th, res->t.total);
}

int main(int argc, char **argv)
{
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
			"  check_eas_basic -H outlook.office365.com --user monitor@example.com --oauth-tenant example.com --oauth-client-id ID --oauth-token-cache /var/lib/nagios/eas/monitor.json\n",
		.groups = EAS_OPTG_TARGET | EAS_OPTG_HTTP | EAS_OPTG_TLS | EAS_OPTG_BASIC |
			  EAS_OPTG_CLIENT | EAS_OPTG_TOKEN,
		.discover = &eas_check_autodiscover,
	};
	struct eas_check chk;
	struct eas_request req;
	struct eas_response res;
	struct eas_auth_outcome oc;
	unsigned mask = EAS_CRED_BASIC;
	char url[2048], err[512];
	int rc = eas_check_begin(&chk, &plugin, argc, argv);

	if (rc >= 0 || (rc = eas_check_creds(&chk, EAS_USE_BASIC | EAS_USE_BEARER)) >= 0)
		return rc;
	if (chk.creds.token)
		mask = EAS_CRED_BEARER;
	if ((!chk.creds.token && eas_auth_need_basic(&chk.creds, err, sizeof err)) ||
	    eas_auth_request(&chk.o, &chk.creds, mask, &req, url, sizeof url, err, sizeof err))
		return eas_check_fail(&chk, EAS_UNKNOWN, "%s", err);
	if ((rc = eas_check_run_bearer(&chk, "OPTIONS", &req, &res)) >= 0)
		return rc;

	eas_auth_classify(&res, mask, &oc);
	judge(&chk, &res, &oc);
	eas_out_detail(&chk.out, "outcome: %s (%s): %s", eas_auth_verdict_name(oc.verdict),
		       oc.brief, oc.text);
	eas_check_report(&chk, &req, &res);
	if (eas_out_json(&chk.out))
		json_object_object_add(eas_out_json(&chk.out), "outcome", eas_auth_json(&oc));
	eas_response_free(&res);
	return eas_check_end(&chk);
}
