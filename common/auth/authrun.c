/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "auth/authrun.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "auth/authrequest.h"
#include "run/run.h"

const char *eas_authrun_step(enum eas_authprobe k)
{
	static const char *const step[EAS_AUTHPROBE_COUNT] = {
		"anonymous OPTIONS",         "basic-auth OPTIONS",   "certificate OPTIONS",
		"certificate+basic OPTIONS", "bearer-token OPTIONS", "certificate+bearer OPTIONS",
	};
	return step[k];
}

/* A user without a password is a mistake even where the policy does not
 * need it, unless a bearer token is given: then the user is the token's. */
int eas_authrun_check_creds(enum eas_policy p, const struct eas_creds *c, char *err, size_t errlen)
{
	unsigned needs = eas_policy_needs(p);
	char why[400];

	if (((needs & EAS_CRED_BASIC) || (c->user && !c->token)) &&
	    eas_auth_need_basic(c, why, sizeof why)) {
		snprintf(err, errlen, "policy %s names basic auth, but %s", eas_policy_name(p),
			 why);
		return -1;
	}
	if ((needs & EAS_CRED_BEARER) && eas_auth_need_bearer(c, why, sizeof why)) {
		snprintf(err, errlen, "policy %s names a bearer token, but %s", eas_policy_name(p),
			 why);
		return -1;
	}
	if ((needs & EAS_CRED_CERT) && !c->id.cert) {
		snprintf(
			err, errlen,
			"policy %s names client certificates, but no --cert was given (PEM with --key, or PKCS#12 with --cert-password-file)",
			eas_policy_name(p));
		return -1;
	}
	return 0;
}

int eas_authrun_build(const struct eas_opts *o, const struct eas_creds *c, struct eas_authrun *r,
		      char *err, size_t errlen)
{
	/* With a token, a user without a password is the token's user. */
	unsigned have = (c->user && (c->password || !c->token) ? EAS_CRED_BASIC : 0) |
			(c->id.cert ? EAS_CRED_CERT : 0) | (c->token ? EAS_CRED_BEARER : 0);

	for (int k = 0; k < EAS_AUTHPROBE_COUNT; k++) {
		unsigned want = eas_authprobe_creds((enum eas_authprobe)k);
		unsigned miss = want & ~have;

		if (miss) {
			r->skipped[k] = true;
			r->skip_why[k] = (miss & EAS_CRED_CERT)     ? "no --cert given"
					 : (miss & EAS_CRED_BEARER) ? "no bearer token given"
					 : c->user                  ? "no password given"
								    : "no --user given";
			continue;
		}
		if (eas_auth_request(o, c, want, &r->req[k], r->url[k], sizeof r->url[k], err,
				     errlen))
			return -1;
	}
	return 0;
}

/* Whether probe k belongs in the output: the bearer probes only where the
 * policy names a token or one is given, so that the other policies read
 * as they always did. */
static bool shown(const struct eas_authrun *r, int k)
{
	return !(eas_authprobe_creds((enum eas_authprobe)k) & EAS_CRED_BEARER) ||
	       (eas_policy_needs(r->policy) & EAS_CRED_BEARER) || !r->skipped[EAS_AUTHPROBE_BEARER];
}

/* A modern-auth policy is not about certificates: their probes skipped
 * for want of --cert are no news on its OK line (-v and JSON keep them). */
static bool beside_policy(const struct eas_authrun *r, int k)
{
	unsigned needs = eas_policy_needs(r->policy);

	return (eas_authprobe_creds((enum eas_authprobe)k) & EAS_CRED_CERT) &&
	       (needs & EAS_CRED_BEARER) && !(needs & EAS_CRED_CERT);
}

/* "policy cert only holds: anonymous refused, basic refused, ..." */
static void summarize_ok(const struct eas_authrun *r, const struct eas_opts *o,
			 struct eas_output *out)
{
	char buf[512];
	const char *sep = " ";
	int len = snprintf(buf, sizeof buf, "policy %s holds:", eas_policy_desc(r->policy));

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
		if (r->skipped[k] && shown(r, k) && !beside_policy(r, k))
			eas_out_append(out, "%s not probed (%s)",
				       eas_authprobe_name((enum eas_authprobe)k), r->skip_why[k]);
	eas_report_time(out, &o->th, r->wall);
}

/* Whether probe k failed as an earlier probe did, in the same words (a
 * server down fails them all): the line says it once. */
static bool same_failure(const struct eas_authrun *r, int k)
{
	if (r->oc[k].verdict != EAS_AUTH_BROKEN)
		return false;
	for (int i = 0; i < k; i++)
		if (!r->skipped[i] && r->oc[i].verdict == EAS_AUTH_BROKEN &&
		    !strcmp(r->oc[i].text, r->oc[k].text))
			return true;
	return false;
}

/* Each probe is a sub-check: its judgement against the policy. */
void eas_authrun_judge(struct eas_authrun *r, const struct eas_opts *o, struct eas_output *out)
{
	for (int k = 0; k < EAS_AUTHPROBE_COUNT; k++) {
		enum eas_authprobe kind = (enum eas_authprobe)k;
		char same[96];

		if (r->skipped[k])
			continue;
		snprintf(same, sizeof same, "%s probe: the same", eas_authprobe_name(kind));
		eas_auth_classify(&r->res[k], eas_authprobe_creds(kind), &r->oc[k]);
		eas_policy_judge(r->policy, kind, &r->oc[k], o->timeout_state, &r->j[k]);
		eas_out_sub(out, eas_authprobe_name(kind), r->j[k].state, k, "%s",
			    same_failure(r, k) ? same : r->j[k].line);
	}
	if (!eas_out_sub_summary(out, EAS_AUTHPROBE_COUNT))
		summarize_ok(r, o, out);
}

/* "policy cert, cert only: anonymous must be refused, basic refused, ...":
 * the bearer probes only where the policy names a token or one is given. */
static void policy_detail(const struct eas_authrun *r, struct eas_output *out)
{
	char buf[400];
	int len = snprintf(buf, sizeof buf, "policy %s, %s:", eas_policy_name(r->policy),
			   eas_policy_desc(r->policy));

	for (int k = 0; k < EAS_AUTHPROBE_COUNT && len > 0 && (size_t)len < sizeof buf; k++) {
		enum eas_authprobe kind = (enum eas_authprobe)k;

		if (!shown(r, k))
			continue;
		len += snprintf(buf + len, sizeof buf - (size_t)len, "%s%s %s%s", k ? ", " : " ",
				eas_authprobe_name(kind), k ? "" : "must be ",
				eas_expect_name(eas_policy_expect(r->policy, kind)));
	}
	eas_out_detail(out, "%s", buf);
}

static void details(const struct eas_authrun *r, struct eas_output *out)
{
	policy_detail(r, out);
	eas_out_detail(out, "probes ran %s, each on a fresh connection and TLS session, in %.3fs",
		       r->sequential ? "one after another" : "concurrently", r->wall);
	for (int k = 0; k < EAS_AUTHPROBE_COUNT; k++) {
		const char *name = eas_authprobe_name((enum eas_authprobe)k);
		const struct eas_response *res = &r->res[k];
		char status[32] = "no HTTP answer";

		if (!shown(r, k))
			continue;
		if (r->skipped[k]) {
			eas_out_detail(out, "[skipped] %s: %s", name, r->skip_why[k]);
			continue;
		}
		if (res->status)
			snprintf(status, sizeof status, "HTTP %ld", res->status);
		eas_out_detail(out, "[%s] %s (%s, %.3fs)", eas_state_name(r->j[k].state),
			       r->j[k].line, status, res->t.total);
		eas_out_detail(out, "%s: %s", name, r->oc[k].text);
		eas_report_details(out, name, res);
	}
}

static struct json_object *probe_json(const struct eas_authrun *r, int k)
{
	enum eas_authprobe kind = (enum eas_authprobe)k;
	struct json_object *p = json_object_new_object();

	json_object_object_add(p, "name", json_object_new_string(eas_authprobe_name(kind)));
	json_object_object_add(p, "expected",
			       json_object_new_string(
				       eas_expect_name(eas_policy_expect(r->policy, kind))));
	if (r->skipped[k]) {
		json_object_object_add(p, "skipped", json_object_new_string(r->skip_why[k]));
		return p;
	}
	json_object_object_add(p, "outcome",
			       json_object_new_string(eas_auth_verdict_name(r->oc[k].verdict)));
	json_object_object_add(p, "state", json_object_new_string(eas_state_name(r->j[k].state)));
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

void eas_authrun_report(const struct eas_authrun *r, const struct eas_opts *o,
			struct eas_output *out)
{
	struct json_object *root = eas_out_json(out), *list;

	eas_out_perf(out, "time", r->wall, "s", &o->th, 0, NAN);
	for (int k = 0; k < EAS_AUTHPROBE_COUNT; k++) {
		char prefix[32];

		if (r->skipped[k])
			continue;
		snprintf(prefix, sizeof prefix, "%s_", eas_authprobe_label((enum eas_authprobe)k));
		eas_report_perf(out, prefix, &r->res[k], NULL);
	}
	details(r, out);
	if (!root)
		return;
	json_object_object_add(root, "url", json_object_new_string(r->url[0]));
	json_object_object_add(root, "policy", json_object_new_string(eas_policy_name(r->policy)));
	json_object_object_add(root, "policy_description",
			       json_object_new_string(eas_policy_desc(r->policy)));
	json_object_object_add(root, "concurrent", json_object_new_boolean(!r->sequential));
	json_object_object_add(root, "time", eas_json_double(r->wall));
	if (o->user)
		json_object_object_add(root, "user", json_object_new_string(o->user));
	list = json_object_new_array();
	for (int k = 0; k < EAS_AUTHPROBE_COUNT; k++)
		if (shown(r, k))
			json_object_array_add(list, probe_json(r, k));
	json_object_object_add(root, "probes", list);
}

void eas_auth_outcome_detail(struct eas_output *out, const struct eas_auth_outcome *oc)
{
	eas_out_detail(out, "outcome: %s (%s): %s", eas_auth_verdict_name(oc->verdict), oc->brief,
		       oc->text);
}

void eas_auth_outcome_json(struct eas_output *out, const struct eas_auth_outcome *oc)
{
	if (eas_out_json(out))
		json_object_object_add(eas_out_json(out), "outcome", eas_auth_json(oc));
}

void eas_authrun_free(struct eas_authrun *r)
{
	for (int k = 0; k < EAS_AUTHPROBE_COUNT; k++)
		if (!r->skipped[k])
			eas_response_free(&r->res[k]);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void eas_authrun_probe(struct eas_runner *run, struct eas_authrun *r)
{
	struct eas_request req[EAS_AUTHPROBE_COUNT];
	struct eas_response res[EAS_AUTHPROBE_COUNT];
	const char *steps[EAS_AUTHPROBE_COUNT];
	int kind[EAS_AUTHPROBE_COUNT];
	size_t n = 0;
	double t0;

	for (int k = 0; k < EAS_AUTHPROBE_COUNT; k++)
		if (!r->skipped[k]) {
			kind[n] = k;
			steps[n] = eas_authrun_step((enum eas_authprobe)k);
			req[n++] = r->req[k];
		}
	t0 = now();
	if (r->sequential)
		for (size_t i = 0; i < n; i++)
			eas_run_step(run, steps[i], NULL, &req[i], &res[i]);
	else
		eas_run_many(run, steps, req, res, n);
	r->wall = now() - t0;
	for (size_t i = 0; i < n; i++)
		r->res[kind[i]] = res[i];
}
