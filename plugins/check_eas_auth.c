/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_eas_auth: does the endpoint enforce its authentication policy?
 * Up to four probes (anonymous, basic only, certificate only, certificate
 * plus basic), each on its own fresh connection and TLS session, run
 * concurrently; each outcome is compared with the policy table, so an
 * alert comes both when an allowed method stops working and when a
 * forbidden one starts working. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "authpolicy.h"
#include "authrequest.h"
#include "check.h"
#include "report.h"

enum { OPT_POLICY = 256, OPT_SEQUENTIAL };

struct plugin_ctx {
	enum eas_policy policy;
	bool have_policy, sequential;
};

/* Everything about the probes of one run, indexed by enum eas_authprobe. */
struct run {
	bool skipped[EAS_AUTHPROBE_COUNT];
	const char *skip_why[EAS_AUTHPROBE_COUNT];
	char url[EAS_AUTHPROBE_COUNT][2048];
	struct eas_request req[EAS_AUTHPROBE_COUNT];
	struct eas_response res[EAS_AUTHPROBE_COUNT];
	struct eas_auth_outcome oc[EAS_AUTHPROBE_COUNT];
	struct eas_judgement j[EAS_AUTHPROBE_COUNT];
	double wall;              /* seconds for all probes together */
};

static const struct eas_opt_def plugin_opts[] = {
	{ "policy", 1, OPT_POLICY, "basic|cert|cert+basic|cert-or-basic",
	  "the authentication the endpoint must enforce (see the table in the "
	  "README); give the credentials it names" },
	{ "sequential", 0, OPT_SEQUENTIAL, NULL,
	  "run the probes one after another instead of concurrently "
	  "(for debugging and timing comparisons)" },
	{ 0 },
};

static int handle(void *p, int key, const char *arg, char *err, size_t errlen)
{
	struct plugin_ctx *ctx = p;

	if (key == OPT_SEQUENTIAL) {
		ctx->sequential = true;
		return 0;
	}
	if (eas_policy_parse(arg, &ctx->policy)) {
		snprintf(err, errlen, "'%s' is not basic, cert, cert+basic or "
			 "cert-or-basic", arg);
		return -1;
	}
	ctx->have_policy = true;
	return 0;
}

static int validate(void *p, const struct eas_opts *o, char *err, size_t errlen)
{
	const struct plugin_ctx *ctx = p;

	(void)o;
	if (ctx->have_policy)
		return 0;
	snprintf(err, errlen, "no --policy given: basic, cert, cert+basic or "
		 "cert-or-basic");
	return -1;
}

/* The credentials must cover what the policy names; a user without a
 * password is a mistake even where the policy does not need it. */
static int check_creds(enum eas_policy p, const struct eas_creds *c,
		       char *err, size_t errlen)
{
	unsigned needs = eas_policy_needs(p);
	char why[400];

	if (((needs & EAS_CRED_BASIC) || c->user) &&
	    eas_auth_need_basic(c, why, sizeof why)) {
		snprintf(err, errlen, "policy %s names basic auth, but %s",
			 eas_policy_name(p), why);
		return -1;
	}
	if ((needs & EAS_CRED_CERT) && !c->id.cert) {
		snprintf(err, errlen, "policy %s names client certificates, but "
			 "no --cert was given (PEM with --key, or PKCS#12 with "
			 "--cert-password-file)", eas_policy_name(p));
		return -1;
	}
	return 0;
}

/* Requests for every probe the credentials allow; the rest are skipped. */
static int build(const struct eas_opts *o, const struct eas_creds *c,
		 struct run *r, char *err, size_t errlen)
{
	unsigned have = (c->user ? EAS_CRED_BASIC : 0) |
			(c->id.cert ? EAS_CRED_CERT : 0);

	for (int k = 0; k < EAS_AUTHPROBE_COUNT; k++) {
		unsigned want = eas_authprobe_creds((enum eas_authprobe)k);

		if (want & ~have) {
			r->skipped[k] = true;
			r->skip_why[k] = (want & ~have & EAS_CRED_CERT)
				? "no --cert given" : "no --user given";
			continue;
		}
		if (eas_auth_request(o, c, want, &r->req[k], r->url[k],
				     sizeof r->url[k], err, errlen))
			return -1;
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Each probe on its own fresh connection; the hard timeout names the
 * probe and the phase that hold the others up. */
static void probe_all(struct eas_check *chk, bool sequential, struct run *r)
{
	static const char *const step[EAS_AUTHPROBE_COUNT] = {
		"anonymous OPTIONS", "basic-auth OPTIONS", "certificate OPTIONS",
		"certificate+basic OPTIONS",
	};
	struct eas_request req[EAS_AUTHPROBE_COUNT];
	struct eas_response res[EAS_AUTHPROBE_COUNT];
	const char *steps[EAS_AUTHPROBE_COUNT];
	int kind[EAS_AUTHPROBE_COUNT];
	size_t n = 0;
	double t0;

	/* The probes side by side, for eas_check_run_many. */
	for (int k = 0; k < EAS_AUTHPROBE_COUNT; k++)
		if (!r->skipped[k]) {
			kind[n] = k;
			steps[n] = step[k];
			req[n++] = r->req[k];
		}
	t0 = now();
	if (sequential)
		for (size_t i = 0; i < n; i++)
			eas_check_run(chk, steps[i], NULL, &req[i], &res[i]);
	else
		eas_check_run_many(chk, steps, req, res, n);
	r->wall = now() - t0;
	for (size_t i = 0; i < n; i++)
		r->res[kind[i]] = res[i];
}

/* "policy cert only holds: anonymous refused, basic refused, ..." */
static void summarize_ok(const struct plugin_ctx *ctx, const struct eas_opts *o,
			 const struct run *r, struct eas_output *out)
{
	char buf[512];
	const char *sep = " ";
	int len = snprintf(buf, sizeof buf, "policy %s holds:",
			   eas_policy_desc(ctx->policy));

	for (int k = 0; k < EAS_AUTHPROBE_COUNT && len > 0 && (size_t)len < sizeof buf; k++) {
		if (r->skipped[k])
			continue;
		len += snprintf(buf + len, sizeof buf - (size_t)len, "%s%s %s", sep,
				eas_authprobe_name((enum eas_authprobe)k),
				eas_auth_verdict_name(r->oc[k].verdict));
		sep = ", ";
	}
	eas_out_summary(out, "%s", buf);
	for (int k = 0; k < EAS_AUTHPROBE_COUNT; k++)
		if (r->skipped[k])
			eas_out_append(out, "%s not probed (%s)",
				       eas_authprobe_name((enum eas_authprobe)k),
				       r->skip_why[k]);
	if (eas_thresholds_check(&o->th, r->wall) != EAS_OK) {
		eas_out_raise(out, eas_thresholds_check(&o->th, r->wall));
		eas_out_append(out, "slow: %.3fs", r->wall);
	} else {
		eas_out_append(out, "%.3fs", r->wall);
	}
}

/* Each probe is a sub-check: its judgement against the policy. */
static void judge(const struct plugin_ctx *ctx, const struct eas_opts *o,
		  struct run *r, struct eas_output *out)
{
	for (int k = 0; k < EAS_AUTHPROBE_COUNT; k++) {
		enum eas_authprobe kind = (enum eas_authprobe)k;

		if (r->skipped[k])
			continue;
		eas_auth_classify(&r->res[k], eas_authprobe_creds(kind), &r->oc[k]);
		eas_policy_judge(ctx->policy, kind, &r->oc[k], o->timeout_state,
				 &r->j[k]);
		eas_out_sub(out, eas_authprobe_name(kind), r->j[k].state, k, "%s",
			    r->j[k].line);
	}
	if (!eas_out_sub_summary(out, EAS_AUTHPROBE_COUNT))
		summarize_ok(ctx, o, r, out);
}

static void details(const struct plugin_ctx *ctx, const struct run *r,
		    struct eas_output *out)
{
	eas_out_detail(out, "policy %s, %s: anonymous must be %s, basic %s, "
		       "cert %s, cert+basic %s", eas_policy_name(ctx->policy),
		       eas_policy_desc(ctx->policy),
		       eas_expect_name(eas_policy_expect(ctx->policy, EAS_AUTHPROBE_ANON)),
		       eas_expect_name(eas_policy_expect(ctx->policy, EAS_AUTHPROBE_BASIC)),
		       eas_expect_name(eas_policy_expect(ctx->policy, EAS_AUTHPROBE_CERT)),
		       eas_expect_name(eas_policy_expect(ctx->policy, EAS_AUTHPROBE_CERT_BASIC)));
	eas_out_detail(out, "probes ran %s, each on a fresh connection and TLS "
		       "session, in %.3fs", ctx->sequential ? "one after another"
		       : "concurrently", r->wall);
	for (int k = 0; k < EAS_AUTHPROBE_COUNT; k++) {
		const char *name = eas_authprobe_name((enum eas_authprobe)k);
		const struct eas_response *res = &r->res[k];
		char status[32] = "no HTTP answer";

		if (r->skipped[k]) {
			eas_out_detail(out, "[skipped] %s: %s", name, r->skip_why[k]);
			continue;
		}
		if (res->status)
			snprintf(status, sizeof status, "HTTP %ld", res->status);
		eas_out_detail(out, "[%s] %s (%s, %.3fs)",
			       eas_state_name(r->j[k].state), r->j[k].line,
			       status, res->t.total);
		eas_out_detail(out, "%s: %s", name, r->oc[k].text);
		eas_report_details(out, name, res);
	}
}

static struct json_object *probe_json(const struct plugin_ctx *ctx,
				      const struct run *r, int k)
{
	enum eas_authprobe kind = (enum eas_authprobe)k;
	struct json_object *p = json_object_new_object();

	json_object_object_add(p, "name", json_object_new_string(eas_authprobe_name(kind)));
	json_object_object_add(p, "expected", json_object_new_string(
		eas_expect_name(eas_policy_expect(ctx->policy, kind))));
	if (r->skipped[k]) {
		json_object_object_add(p, "skipped", json_object_new_string(r->skip_why[k]));
		return p;
	}
	json_object_object_add(p, "outcome", json_object_new_string(
		eas_auth_verdict_name(r->oc[k].verdict)));
	json_object_object_add(p, "state", json_object_new_string(
		eas_state_name(r->j[k].state)));
	json_object_object_add(p, "regression", json_object_new_boolean(r->j[k].regression));
	json_object_object_add(p, "judgement", json_object_new_string(r->j[k].line));
	if (r->res[k].status)
		json_object_object_add(p, "http_status",
				       json_object_new_int((int)r->res[k].status));
	json_object_object_add(p, "time", eas_json_double(r->res[k].t.total));
	json_object_object_add(p, "auth", eas_auth_json(&r->oc[k]));
	json_object_object_add(p, "probe", eas_report_json(&r->res[k]));
	return p;
}

static void report(const struct plugin_ctx *ctx, const struct eas_opts *o,
		   const struct run *r, struct eas_output *out)
{
	struct json_object *root = eas_out_json(out), *list;

	eas_out_perf(out, "time", r->wall, "s", &o->th, 0, NAN);
	for (int k = 0; k < EAS_AUTHPROBE_COUNT; k++) {
		char prefix[32];

		if (r->skipped[k])
			continue;
		snprintf(prefix, sizeof prefix, "%s_",
			 eas_authprobe_label((enum eas_authprobe)k));
		eas_report_perf(out, prefix, &r->res[k], NULL);
	}
	details(ctx, r, out);
	if (!root)
		return;
	json_object_object_add(root, "url", json_object_new_string(r->url[0]));
	json_object_object_add(root, "policy", json_object_new_string(
		eas_policy_name(ctx->policy)));
	json_object_object_add(root, "policy_description", json_object_new_string(
		eas_policy_desc(ctx->policy)));
	json_object_object_add(root, "concurrent", json_object_new_boolean(!ctx->sequential));
	json_object_object_add(root, "time", eas_json_double(r->wall));
	if (o->user)
		json_object_object_add(root, "user", json_object_new_string(o->user));
	list = json_object_new_array();
	for (int k = 0; k < EAS_AUTHPROBE_COUNT; k++)
		json_object_array_add(list, probe_json(ctx, r, k));
	json_object_object_add(root, "probes", list);
}

int main(int argc, char **argv)
{
	struct plugin_ctx ctx = { .policy = EAS_POL_BASIC };
	const struct eas_plugin plugin = {
		.name = "check_eas_auth",
		.aspect = "AUTH",
		.purpose = "checks that an Exchange ActiveSync endpoint enforces "
			   "its authentication policy: the methods it allows work "
			   "and the ones it forbids are refused",
		.examples = "Examples:\n"
			"  check_eas_auth -H mail.example.com --policy cert "
			"--cert device.pfx --cert-password-file p12.pass "
			"--user user@example.com --password-file eas.pass\n"
			"  check_eas_auth -H mail.example.com --policy basic "
			"--user 'EXAMPLE\\user' --password-file eas.pass\n"
			"  check_eas_auth --extra-opts=tmg@/etc/nagios/eas.ini "
			"--policy cert-or-basic\n",
		.groups = EAS_OPTG_TARGET | EAS_OPTG_HTTP | EAS_OPTG_TLS |
			  EAS_OPTG_BASIC | EAS_OPTG_CLIENT,
		.threshold_help = "the time all probes take together, in seconds",
		.opts = plugin_opts,
		.handle = handle,
		.validate = validate,
		.ctx = &ctx,
	};
	struct eas_check chk;
	struct run *r;
	char err[600] = "";
	int rc = eas_check_begin(&chk, &plugin, argc, argv);

	if (rc >= 0)
		return rc;
	if (check_creds(ctx.policy, &chk.creds, err, sizeof err))
		return eas_check_fail(&chk, EAS_UNKNOWN, "%s", err);
	r = calloc(1, sizeof *r);
	if (!r)
		return eas_check_fail(&chk, EAS_UNKNOWN, "out of memory");
	if (build(&chk.o, &chk.creds, r, err, sizeof err)) {
		free(r);
		return eas_check_fail(&chk, EAS_UNKNOWN, "%s", err);
	}
	probe_all(&chk, ctx.sequential, r);

	judge(&ctx, &chk.o, r, &chk.out);
	report(&ctx, &chk.o, r, &chk.out);
	for (int k = 0; k < EAS_AUTHPROBE_COUNT; k++)
		if (!r->skipped[k])
			eas_response_free(&r->res[k]);
	free(r);
	return eas_check_end(&chk);
}
