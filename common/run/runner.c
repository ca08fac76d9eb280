/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "run/runner.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include <curl/curl.h>

#include "http/http.h"
#include "run/deadline.h"
#include "run/report.h"
#include "run/target.h"
#include "util/text.h"

void eas_run_init(struct eas_runner *run, const struct eas_opts *o, struct eas_output *out,
		  const struct eas_creds *creds)
{
	memset(run, 0, sizeof *run);
	run->o = o;
	run->out = out;
	run->creds = creds;
}

int eas_run_target(const struct eas_runner *run, struct eas_request *req, char *urlbuf,
		   size_t urlsize, char *err, size_t errlen)
{
	if (eas_target_request(run->o, req, urlbuf, urlsize, err, errlen))
		return -1;
	if (run->pin) {
		req->connect_ip = run->pin;
		req->connect_host = NULL;
	}
	return 0;
}

int eas_run_lookup(struct eas_runner *run, struct eas_request *req, char *err, size_t errlen)
{
	const struct eas_opts *o = run->o;
	struct eas_dns dns;
	char *host = NULL, *port = NULL, addr[64];
	CURLU *u;
	size_t n = 0, slot;
	int rc = -1;

	if (!o->dns_server || req->connect_ip || req->connect_host)
		return 0;
	u = curl_url();
	if (!u || curl_url_set(u, CURLUPART_URL, req->url, 0) ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT)) {
		snprintf(err, errlen, "invalid URL %s", req->url);
		goto out;
	}
	/* An address needs no lookup; a --resolve entry wins, as in curl. */
	if (eas_text_ip(host, NULL, 0)) {
		rc = 0;
		goto out;
	}
	for (; req->resolve && req->resolve[n]; n++) {
		size_t hl = strlen(host), pl = strlen(port);

		if (!strncasecmp(req->resolve[n], host, hl) && req->resolve[n][hl] == ':' &&
		    !strncmp(req->resolve[n] + hl + 1, port, pl) &&
		    req->resolve[n][hl + 1 + pl] == ':') {
			rc = 0;
			goto out;
		}
		run->resolve[n] = req->resolve[n];
	}
	/* One slot per host name, reused: a run asks for few names. */
	for (slot = 0; slot < EAS_RUN_LOOKUPS && run->looked_up[slot][0]; slot++)
		if (!strncmp(run->looked_up[slot], host, strlen(host)) &&
		    run->looked_up[slot][strlen(host)] == ':')
			break;
	if (slot == EAS_RUN_LOOKUPS) {
		snprintf(err, errlen, "too many host names to look up");
		goto out;
	}
	if (eas_dns_open(&dns, o->dns_server, err, errlen))
		goto out;
	if (eas_dns_addr(&dns, host, addr, sizeof addr, err, errlen)) {
		eas_dns_close(&dns);
		goto out;
	}
	eas_dns_close(&dns);
	snprintf(run->looked_up[slot], sizeof run->looked_up[slot], "%s:%s:%s", host, port, addr);
	run->resolve[n++] = run->looked_up[slot];
	run->resolve[n] = NULL;
	req->resolve = run->resolve;
	rc = 0;
out:
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

/* The time that is left into req; false (and res filled) when none is. */
static bool give_time(struct eas_runner *run, struct eas_request *req, struct eas_response *res)
{
	long ms;
	bool left = eas_deadline_left(&ms);

	req->timeout_s = run->o->timeout;
	/* A pinned node's steps leave the later nodes their shares. */
	if (run->pin) {
		if (run->pin_share > 0)
			req->timeout_s = run->pin_share;
		if (left && ms && (ms -= run->pin_reserve_ms) < 1)
			left = false;
	}
	if (left) {
		req->timeout_ms = ms;
		if (run->step_limit > 0 && (ms == 0 || run->step_limit * 1000 < (double)ms)) {
			req->timeout_ms = (long)(run->step_limit * 1000);
			req->timeout_s = run->step_limit;
		}
		return true;
	}
	memset(res, 0, sizeof *res);
	res->fail = EAS_FAIL_TIMEOUT;
	res->tls.alert_received = res->tls.alert_sent = -1;
	snprintf(res->what, sizeof res->what,
		 "no answer within %gs: no time was left for the %s step", req->timeout_s,
		 req->step ? req->step : "next");
	return false;
}

/* --dns-server: the host looked up there, or res says why not. */
static bool lookup_host(struct eas_runner *run, struct eas_request *req, struct eas_response *res)
{
	char err[320];

	if (!eas_run_lookup(run, req, err, sizeof err))
		return true;
	memset(res, 0, sizeof *res);
	res->fail = EAS_FAIL_DNS;
	res->phase = EAS_PHASE_DNS;
	res->tls.alert_received = res->tls.alert_sent = -1;
	snprintf(res->what, sizeof res->what, "DNS lookup failed: %.290s", err);
	return false;
}

int eas_run_step(struct eas_runner *run, const char *step, struct eas_conn *conn,
		 struct eas_request *req, struct eas_response *res)
{
	int rc;

	req->step = step;
	if (!give_time(run, req, res) || !lookup_host(run, req, res))
		return -1;
	eas_deadline_watch(0, step, &res->phase);
	rc = conn ? eas_conn_run(conn, req, res) : eas_probe_run(req, res);
	eas_deadline_unwatch();
	return rc;
}

int eas_run_step_with(struct eas_runner *run, const char *step, struct eas_conn *conn,
		      struct eas_request *req, struct eas_response *res, const char *side_step,
		      struct eas_request *side, struct eas_response *side_res, long delay_ms,
		      double *side_at)
{
	int rc;

	req->step = step;
	side->step = side_step;
	*side_at = -1;
	if (!give_time(run, req, res) || !lookup_host(run, req, res))
		return -1;
	if (!give_time(run, side, side_res) || !lookup_host(run, side, side_res))
		return eas_run_step(run, step, conn, req, res);
	eas_deadline_watch(0, step, &res->phase);
	eas_deadline_watch(1, side_step, &side_res->phase);
	rc = eas_conn_run_with(conn, req, res, side, side_res, delay_ms, side_at);
	eas_deadline_unwatch();
	return rc;
}

size_t eas_run_many(struct eas_runner *run, const char *const *steps, struct eas_request *reqs,
		    struct eas_response *res, size_t n)
{
	long ms;
	size_t failed;

	for (size_t i = 0; i < n; i++) {
		reqs[i].step = steps[i];
		reqs[i].timeout_s = run->o->timeout;
	}
	if (!eas_deadline_left(&ms)) {
		for (size_t i = 0; i < n; i++)
			give_time(run, &reqs[i], &res[i]);
		return n;
	}
	/* The probes of a run go to one host: look it up once. */
	if (n && !lookup_host(run, &reqs[0], &res[0])) {
		for (size_t i = 1; i < n; i++)
			res[i] = res[0];
		return n;
	}
	for (size_t i = 1; i < n; i++)
		reqs[i].resolve = reqs[0].resolve;
	for (size_t i = 0; i < n; i++) {
		reqs[i].timeout_ms = ms;
		memset(&res[i], 0, sizeof res[i]);
		eas_deadline_watch(i, steps[i], &res[i].phase);
	}
	failed = eas_probe_run_many(reqs, res, n);
	eas_deadline_unwatch();
	return failed;
}

void eas_run_report(struct eas_runner *run, const struct eas_request *req,
		    const struct eas_response *res)
{
	struct eas_output *out = run->out;
	struct json_object *root = eas_out_json(out);
	bool basic = req->auth == EAS_HTTPAUTH_BASIC;

	bool bearer = req->auth == EAS_HTTPAUTH_BEARER;

	eas_out_detail(out, "%s %s%s%s%s%s%s", req->method ? req->method : "TLS handshake with",
		       req->url, req->identity ? " with client certificate" : "",
		       basic ? (req->identity ? " and basic auth as " : " as ") : "",
		       basic ? req->user : "",
		       bearer ? (req->identity ? " and bearer token " : " with bearer token ") : "",
		       bearer && run->creds ? run->creds->token_fp : "");
	eas_report_details(out, "", res);
	eas_report_perf(out, "", res, &run->o->th);
	if (!root)
		return;
	json_object_object_add(root, "url", json_object_new_string(req->url));
	if (req->method)
		json_object_object_add(root, "method", json_object_new_string(req->method));
	if (basic)
		json_object_object_add(root, "user", json_object_new_string(req->user));
	json_object_object_add(root, "probe", eas_report_json(res));
}

void eas_run_failed(struct eas_runner *run, const struct eas_response *res)
{
	eas_out_raise(run->out, eas_fail_state(res->fail, run->o->timeout_state));
	eas_out_summary(run->out, "%s", res->what);
}
