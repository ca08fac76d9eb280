/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "check/check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <json-c/json.h>

#include <curl/curl.h>

#include "run/deadline.h"
#include "http/dns.h"
#include "run/report.h"
#include "run/target.h"
#include "tls/truststore.h"

/* Passwords and keys are in our memory: no core file may keep them, and
 * no other process of the user may read them through ptrace. */
static void no_core_dumps(void)
{
	const struct rlimit none = { 0, 0 };

	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

int eas_check_begin(struct eas_check *chk, const struct eas_plugin *p, int argc, char **argv)
{
	char err[512];
	int rc;

	memset(chk, 0, sizeof *chk);
	chk->plugin = p;
	no_core_dumps();
	eas_out_init(&chk->out, p->name, p->aspect);
	rc = eas_opts_parse(p, argc, argv, &chk->o, &chk->out);
	if (rc >= 0)
		return rc;
	chk->have_opts = true;
	eas_deadline_start(chk->o.timeout, chk->o.timeout_state,
			   &(struct eas_deadline_msg){ p->name, p->aspect,
						       chk->o.format == EAS_FMT_JSON });
	if (eas_trust_readable(chk->o.ca_file, chk->o.ca_path, err, sizeof err))
		return eas_check_fail(chk, EAS_UNKNOWN, "%s", err);
	if (eas_probe_global_init())
		return eas_check_fail(chk, EAS_UNKNOWN, "cannot initialise libcurl");
	chk->have_lib = true;
	return eas_check_discover(chk);
}

int eas_check_creds(struct eas_check *chk, unsigned uses)
{
	char err[512];

	if (eas_creds_load(&chk->o, uses, &chk->creds, err, sizeof err))
		return eas_check_fail(chk, EAS_UNKNOWN, "%s", err);
	for (size_t i = 0; i < sizeof chk->creds.note / sizeof chk->creds.note[0]; i++)
		if (chk->creds.note[i][0])
			eas_out_detail(&chk->out, "%s", chk->creds.note[i]);
	return eas_check_discover_creds(chk, uses);
}

int eas_check_target(struct eas_check *chk, struct eas_request *req, char *urlbuf, size_t urlsize,
		     char *err, size_t errlen)
{
	return eas_target_request(&chk->o, req, urlbuf, urlsize, err, errlen);
}

int eas_check_lookup(struct eas_check *chk, struct eas_request *req, char *err, size_t errlen)
{
	const struct eas_opts *o = &chk->o;
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
	if (inet_pton(AF_INET, host, addr) == 1 || strchr(host, ':')) {
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
		chk->resolve[n] = req->resolve[n];
	}
	/* One slot per host name, reused: a run asks for few names. */
	for (slot = 0; slot < EAS_CHECK_LOOKUPS && chk->looked_up[slot][0]; slot++)
		if (!strncmp(chk->looked_up[slot], host, strlen(host)) &&
		    chk->looked_up[slot][strlen(host)] == ':')
			break;
	if (slot == EAS_CHECK_LOOKUPS) {
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
	snprintf(chk->looked_up[slot], sizeof chk->looked_up[slot], "%s:%s:%s", host, port, addr);
	chk->resolve[n++] = chk->looked_up[slot];
	chk->resolve[n] = NULL;
	req->resolve = chk->resolve;
	rc = 0;
out:
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

/* The time that is left into req; false (and res filled) when none is. */
static bool give_time(struct eas_check *chk, struct eas_request *req, struct eas_response *res)
{
	long ms;

	req->timeout_s = chk->o.timeout;
	if (eas_deadline_left(&ms)) {
		req->timeout_ms = ms;
		if (chk->step_limit > 0 && (ms == 0 || chk->step_limit * 1000 < (double)ms)) {
			req->timeout_ms = (long)(chk->step_limit * 1000);
			req->timeout_s = chk->step_limit;
		}
		return true;
	}
	memset(res, 0, sizeof *res);
	res->fail = EAS_FAIL_TIMEOUT;
	res->tls.alert_received = res->tls.alert_sent = -1;
	snprintf(res->what, sizeof res->what,
		 "no answer within %gs: no time "
		 "was left for the %s step",
		 chk->o.timeout, req->step ? req->step : "next");
	return false;
}

/* --dns-server: the host looked up there, or res says why not. */
static bool lookup_host(struct eas_check *chk, struct eas_request *req, struct eas_response *res)
{
	char err[320];

	if (!eas_check_lookup(chk, req, err, sizeof err))
		return true;
	memset(res, 0, sizeof *res);
	res->fail = EAS_FAIL_DNS;
	res->phase = EAS_PHASE_DNS;
	res->tls.alert_received = res->tls.alert_sent = -1;
	snprintf(res->what, sizeof res->what, "DNS lookup failed: %.290s", err);
	return false;
}

int eas_check_run(struct eas_check *chk, const char *step, struct eas_conn *conn,
		  struct eas_request *req, struct eas_response *res)
{
	int rc;

	req->step = step;
	if (!give_time(chk, req, res) || !lookup_host(chk, req, res))
		return -1;
	eas_deadline_watch(0, step, &res->phase);
	rc = conn ? eas_conn_run(conn, req, res) : eas_probe_run(req, res);
	eas_deadline_unwatch();
	return rc;
}

size_t eas_check_run_many(struct eas_check *chk, const char *const *steps, struct eas_request *reqs,
			  struct eas_response *res, size_t n)
{
	long ms;
	size_t failed;

	for (size_t i = 0; i < n; i++) {
		reqs[i].step = steps[i];
		reqs[i].timeout_s = chk->o.timeout;
	}
	if (!eas_deadline_left(&ms)) {
		for (size_t i = 0; i < n; i++)
			give_time(chk, &reqs[i], &res[i]);
		return n;
	}
	/* The probes of a run go to one host: look it up once. */
	if (n && !lookup_host(chk, &reqs[0], &res[0])) {
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

void eas_check_report(struct eas_check *chk, const struct eas_request *req,
		      const struct eas_response *res)
{
	struct eas_output *out = &chk->out;
	struct json_object *root = eas_out_json(out);
	bool basic = req->auth == EAS_HTTPAUTH_BASIC;

	eas_out_detail(out, "%s %s%s%s%s", req->method ? req->method : "TLS handshake with",
		       req->url, req->identity ? " with client certificate" : "",
		       basic ? (req->identity ? " and basic auth as " : " as ") : "",
		       basic ? req->user : "");
	eas_report_details(out, "", res);
	eas_report_perf(out, "", res, &chk->o.th);
	if (!root)
		return;
	json_object_object_add(root, "url", json_object_new_string(req->url));
	if (req->method)
		json_object_object_add(root, "method", json_object_new_string(req->method));
	if (basic)
		json_object_object_add(root, "user", json_object_new_string(req->user));
	json_object_object_add(root, "probe", eas_report_json(res));
}

void eas_check_failed(struct eas_check *chk, const struct eas_response *res)
{
	eas_out_raise(&chk->out, eas_fail_state(res->fail, chk->o.timeout_state));
	eas_out_summary(&chk->out, "%s", res->what);
}

static void release(struct eas_check *chk)
{
	eas_deadline_stop();
	free(chk->disc);
	chk->disc = NULL;
	eas_creds_free(&chk->creds);
	if (chk->have_lib)
		eas_probe_global_cleanup();
	if (chk->have_opts)
		eas_opts_free(&chk->o);
	chk->have_lib = chk->have_opts = false;
}

int eas_check_end(struct eas_check *chk)
{
	eas_check_discover_report(chk);
	release(chk);
	return eas_out_finish(&chk->out, stdout);
}

int eas_check_fail(struct eas_check *chk, enum eas_state s, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	release(chk);
	return eas_out_exit(&chk->out, s, "%s", msg);
}
