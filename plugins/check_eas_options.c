/* check_eas_options: is the endpoint up and speaking ActiveSync?
 * An anonymous OPTIONS request (or GET, where 501/505 means alive), with
 * every other outcome explained for the operator. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "eas_proto.h"
#include "httpdiag.h"
#include "options.h"
#include "output.h"
#include "probe.h"
#include "report.h"
#include "target.h"
#include "timeout.h"

#define MAX_REQUIRED 16

enum { OPT_METHOD = 256, OPT_REQ_VERSION, OPT_REQ_COMMAND, OPT_ON_AUTH };

struct plugin_ctx {
	const char *method;
	int versions[MAX_REQUIRED];
	const char *version_text[MAX_REQUIRED];
	size_t nversions;
	const char *commands[MAX_REQUIRED];
	size_t ncommands;
	enum eas_state on_auth;
};

static const struct eas_opt_def plugin_opts[] = {
	{ "method", 1, OPT_METHOD, "OPTIONS|GET",
	  "OPTIONS (default) checks the EAS headers; GET counts 501/505 as alive" },
	{ "require-version", 1, OPT_REQ_VERSION, "X.Y",
	  "CRITICAL unless the server offers this protocol version (repeatable)" },
	{ "require-command", 1, OPT_REQ_COMMAND, "NAME",
	  "CRITICAL unless the server offers this command, e.g. Provision (repeatable)" },
	{ "on-auth-required", 1, OPT_ON_AUTH, "STATE",
	  "state when the server demands authentication (401, 403.7): it is alive "
	  "and enforcing authentication (default OK)" },
	{ 0 },
};

static int handle(void *p, int key, const char *arg, char *err, size_t errlen)
{
	struct plugin_ctx *c = p;

	switch (key) {
	case OPT_METHOD:
		if (strcmp(arg, "OPTIONS") && strcmp(arg, "GET")) {
			snprintf(err, errlen, "must be OPTIONS or GET, not '%s'", arg);
			return -1;
		}
		c->method = arg;
		return 0;
	case OPT_REQ_VERSION: {
		int v = eas_version_parse(arg, strlen(arg));

		if (v < 0 || c->nversions == MAX_REQUIRED) {
			snprintf(err, errlen, "'%s' is not a protocol version like 14.1", arg);
			return -1;
		}
		c->version_text[c->nversions] = arg;
		c->versions[c->nversions++] = v;
		return 0;
	}
	case OPT_REQ_COMMAND:
		if (!*arg || strchr(arg, ',') || c->ncommands == MAX_REQUIRED) {
			snprintf(err, errlen, "'%s' is not a command name", arg);
			return -1;
		}
		c->commands[c->ncommands++] = arg;
		return 0;
	case OPT_ON_AUTH:
		if (eas_state_parse(arg, &c->on_auth)) {
			snprintf(err, errlen, "'%s' is not OK, WARNING, CRITICAL or UNKNOWN", arg);
			return -1;
		}
		return 0;
	}
	return -1;
}

/* 200 with the EAS headers: report what the server offers. */
static void judge_eas(const struct plugin_ctx *c, const struct eas_response *res,
		      struct eas_output *out)
{
	struct eas_versions v;

	eas_versions_parse(res->hdr.versions, &v);
	if (v.highest >= 0)
		eas_out_summary(out, "ActiveSync %s answers: protocol %d.%d "
				"(%d versions), %d commands",
				res->hdr.eas_server ? res->hdr.eas_server : "server",
				v.highest / 100, v.highest % 100, v.count,
				eas_list_count(res->hdr.commands));
	else
		eas_out_summary(out, "ActiveSync %s answers but lists no valid "
				"protocol version ('%s')",
				res->hdr.eas_server ? res->hdr.eas_server : "server",
				res->hdr.versions);
	if (v.highest < 0)
		eas_out_raise(out, EAS_WARNING);
	if (v.bad)
		eas_out_detail(out, "%d malformed entries in MS-ASProtocolVersions ignored", v.bad);
	for (size_t i = 0; i < c->nversions; i++) {
		if (!eas_versions_has(res->hdr.versions, c->versions[i])) {
			eas_out_raise(out, EAS_CRITICAL);
			eas_out_append(out, "required protocol %s not offered",
				       c->version_text[i]);
		}
	}
	for (size_t i = 0; i < c->ncommands; i++) {
		if (!eas_list_has(res->hdr.commands, c->commands[i])) {
			eas_out_raise(out, EAS_CRITICAL);
			eas_out_append(out, "required command %s not offered",
				       c->commands[i]);
		}
	}
	eas_out_perf(out, "versions", v.count, "", NULL, 0, NAN);
	eas_out_perf(out, "commands", eas_list_count(res->hdr.commands), "", NULL, 0, NAN);
}

static void judge_http(const struct plugin_ctx *c, const struct eas_response *res,
		       struct eas_output *out)
{
	int sub = eas_iis_substatus(res->body, res->status);
	bool get = !strcmp(c->method, "GET");
	char meaning[320];
	enum eas_state s;

	eas_http_meaning(res, sub, meaning, sizeof meaning);
	if (res->status == 200 && eas_has_eas_headers(res)) {
		judge_eas(c, res, out);
		return;
	}
	switch (res->status) {
	case 401:
		s = c->on_auth;
		break;
	case 403:
		s = sub == 7 ? c->on_auth : EAS_CRITICAL;
		break;
	case 449:
	case 451:
		s = EAS_WARNING;
		break;
	case 501:
	case 505:
		s = get ? EAS_OK : EAS_CRITICAL;
		break;
	case 200:
		/* A GET that reaches a real Exchange never gets a 200 page. */
		s = EAS_CRITICAL;
		break;
	default:
		s = EAS_CRITICAL;
		break;
	}
	eas_out_raise(out, s);
	if ((res->status == 401 || (res->status == 403 && sub == 7)) && s == EAS_OK)
		eas_out_summary(out, "alive, authentication enforced: %s", meaning);
	else if ((res->status == 501 || res->status == 505) && get)
		eas_out_summary(out, "alive: %s (the normal answer to GET)", meaning);
	else
		eas_out_summary(out, "%s", meaning);
}

int main(int argc, char **argv)
{
	struct plugin_ctx ctx = { .method = "OPTIONS", .on_auth = EAS_OK };
	const struct eas_plugin plugin = {
		.name = "check_eas_options",
		.aspect = "OPTIONS",
		.purpose = "checks that an Exchange ActiveSync endpoint answers "
			   "and speaks ActiveSync (anonymous OPTIONS request)",
		.examples = "Examples:\n"
			"  check_eas_options -H mail.example.com\n"
			"  check_eas_options -H mail.example.com --require-version 14.1 "
			"--require-command Provision -w 1 -c 5\n"
			"  check_eas_options -H mail.example.com --method GET\n",
		.groups = EAS_OPTG_TARGET | EAS_OPTG_HTTP | EAS_OPTG_TLS,
		.opts = plugin_opts,
		.handle = handle,
		.ctx = &ctx,
	};
	const char *headers[] = { "Accept: */*", NULL };
	struct eas_output out;
	struct eas_opts o;
	struct eas_request req;
	struct eas_response res;
	char url[2048], err[256];
	int rc;

	eas_out_init(&out, plugin.name, plugin.aspect);
	rc = eas_opts_parse(&plugin, argc, argv, &o, &out);
	if (rc >= 0)
		return rc;
	if (eas_target_request(&o, &req, url, sizeof url, err, sizeof err)) {
		eas_opts_free(&o);
		return eas_out_exit(&out, EAS_UNKNOWN, "%s", err);
	}
	req.method = ctx.method;
	req.headers = headers;
	if (eas_probe_global_init()) {
		eas_opts_free(&o);
		return eas_out_exit(&out, EAS_UNKNOWN, "cannot initialise libcurl");
	}
	memset(&res, 0, sizeof res);
	eas_timeout_arm(o.timeout, o.timeout_state, "EAS OPTIONS", &res.phase);
	eas_probe_run(&req, &res);
	eas_timeout_disarm();

	if (res.fail != EAS_FAIL_NONE) {
		eas_out_raise(&out, eas_fail_state(&res, o.timeout_state));
		eas_out_summary(&out, "%s", res.what);
	} else {
		judge_http(&ctx, &res, &out);
		eas_report_time(&out, &o.th, res.t.total);
	}
	eas_out_detail(&out, "%s %s", req.method, req.url);
	eas_report_details(&out, "", &res);
	eas_report_perf(&out, "", &res, &o.th);
	if (eas_out_json(&out)) {
		json_object_object_add(eas_out_json(&out), "url", json_object_new_string(req.url));
		json_object_object_add(eas_out_json(&out), "method", json_object_new_string(req.method));
		json_object_object_add(eas_out_json(&out), "probe", eas_report_json(&res));
	}
	eas_response_free(&res);
	eas_probe_global_cleanup();
	eas_opts_free(&o);
	return eas_out_finish(&out, stdout);
}
