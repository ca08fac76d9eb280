/* check_eas_basic: do the user's basic credentials still get in?
 * One OPTIONS request (no device partnership is created) with user and
 * password; a refusal or failure is explained for the operator. */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "authcheck.h"
#include "creds.h"
#include "options.h"
#include "output.h"
#include "probe.h"
#include "report.h"
#include "timeout.h"

static void judge(const struct eas_opts *o, const struct eas_creds *c,
		  const struct eas_response *res,
		  const struct eas_auth_outcome *oc, struct eas_output *out)
{
	char server[128];

	switch (oc->verdict) {
	case EAS_AUTH_ACCEPTED:
		eas_auth_server_text(res, server, sizeof server);
		if (oc->reason == EAS_AR_OK) {
			eas_out_summary(out, "basic auth accepted for %s: %s",
					c->user, server);
		} else {
			eas_out_raise(out, EAS_WARNING);
			eas_out_summary(out, "basic auth accepted for %s, but %s",
					c->user, oc->text);
		}
		break;
	case EAS_AUTH_REFUSED:
		eas_out_raise(out, EAS_CRITICAL);
		eas_out_summary(out, "basic auth for %s refused: %s", c->user,
				oc->text);
		break;
	default:
		eas_out_raise(out, eas_auth_broken_state(oc, o->timeout_state));
		eas_out_summary(out, "%s", oc->text);
		break;
	}
	if (res->fail != EAS_FAIL_NONE)
		return;
	eas_report_time(out, &o->th, res->t.total);
}

int main(int argc, char **argv)
{
	const struct eas_plugin plugin = {
		.name = "check_eas_basic",
		.aspect = "BASIC",
		.purpose = "checks that an Exchange ActiveSync endpoint accepts "
			   "basic authentication (OPTIONS request with user and "
			   "password)",
		.examples = "Examples:\n"
			"  check_eas_basic -H mail.example.com --user user@example.com "
			"--password-file /etc/nagios/eas.pass\n"
			"  EAS_PASSWORD=... check_eas_basic -H mail.example.com "
			"--user 'EXAMPLE\\user' -w 1 -c 5\n"
			"  check_eas_basic --extra-opts=eas@/etc/nagios/eas.ini\n",
		.groups = EAS_OPTG_TARGET | EAS_OPTG_HTTP | EAS_OPTG_TLS |
			  EAS_OPTG_BASIC,
	};
	struct eas_output out;
	struct eas_opts o;
	struct eas_creds c;
	struct eas_request req;
	struct eas_response res;
	struct eas_auth_outcome oc;
	char url[2048], err[512] = "";
	int rc;

	eas_out_init(&out, plugin.name, plugin.aspect);
	rc = eas_opts_parse(&plugin, argc, argv, &o, &out);
	if (rc >= 0)
		return rc;
	if (eas_creds_load(&o, &c, err, sizeof err)) {
		eas_opts_free(&o);
		return eas_out_exit(&out, EAS_UNKNOWN, "%s", err);
	}
	if (eas_auth_need_basic(&c, err, sizeof err) ||
	    eas_auth_request(&o, &c, EAS_CRED_BASIC, &req, url, sizeof url,
			     err, sizeof err) ||
	    eas_probe_global_init()) {
		if (!err[0])
			snprintf(err, sizeof err, "cannot initialise libcurl");
		eas_creds_free(&c);
		eas_opts_free(&o);
		return eas_out_exit(&out, EAS_UNKNOWN, "%s", err);
	}
	memset(&res, 0, sizeof res);
	eas_timeout_arm(o.timeout, o.timeout_state, "EAS BASIC", &res.phase);
	eas_probe_run(&req, &res);
	eas_timeout_disarm();

	eas_auth_classify(&res, EAS_CRED_BASIC, &oc);
	judge(&o, &c, &res, &oc, &out);
	eas_out_detail(&out, "%s %s as %s", req.method, req.url, c.user);
	eas_out_detail(&out, "outcome: %s (%s): %s",
		       eas_auth_verdict_name(oc.verdict), oc.brief, oc.text);
	eas_report_details(&out, "", &res);
	eas_report_perf(&out, "", &res, &o.th);
	if (eas_out_json(&out)) {
		struct json_object *root = eas_out_json(&out);

		json_object_object_add(root, "url", json_object_new_string(req.url));
		json_object_object_add(root, "method", json_object_new_string(req.method));
		json_object_object_add(root, "user", json_object_new_string(c.user));
		json_object_object_add(root, "outcome", eas_auth_json(&oc));
		json_object_object_add(root, "probe", eas_report_json(&res));
	}
	eas_response_free(&res);
	eas_probe_global_cleanup();
	eas_creds_free(&c);
	eas_opts_free(&o);
	return eas_out_finish(&out, stdout);
}
