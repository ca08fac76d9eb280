/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "run/report.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

void eas_report_time(struct eas_output *out, const struct eas_thresholds *th, double total)
{
	enum eas_state s = eas_thresholds_check(th, total);

	/* The time is in the perfdata: the line names it only as a cause. */
	eas_out_raise(out, s);
	if (s != EAS_OK)
		eas_out_append(out, "slow: %.3fs", total);
}

/* Each scheme a 401 offers on a line of its own, with its parameters
 * (Bearer's authorization_uri and trusted_issuers, Basic's realm): the
 * challenge read, where the raw header above may join several. */
static void challenge_details(struct eas_output *out, const char *label, const char *sep,
			      const struct eas_response *res)
{
	struct eas_challenges cs;
	char line[1200];

	if (!res->hdr[EAS_HDR_WWW_AUTHENTICATE])
		return;
	eas_challenge_parse(res->hdr[EAS_HDR_WWW_AUTHENTICATE], &cs);
	for (size_t i = 0; i < cs.n; i++) {
		eas_challenge_describe(&cs.c[i], line, sizeof line);
		eas_out_detail(out, "%s%soffered: %s", label, sep, line);
	}
	if (cs.dropped || cs.malformed)
		eas_out_detail(out, "%s%sWWW-Authenticate: %s", label, sep,
			       cs.dropped ? "more schemes or parameters than are listed"
					  : "a part that is no challenge was skipped");
}

/* The challenges for JSON: [{"scheme": "Bearer", "params": {...}}]. */
static struct json_object *challenge_json(const char *www)
{
	struct json_object *a = json_object_new_array();
	struct eas_challenges cs;

	eas_challenge_parse(www, &cs);
	for (size_t i = 0; i < cs.n; i++) {
		struct json_object *c = json_object_new_object();
		struct json_object *p = json_object_new_object();

		json_object_object_add(c, "scheme", json_object_new_string(cs.c[i].scheme));
		if (cs.c[i].token68[0])
			json_object_object_add(c, "token68",
					       json_object_new_string(cs.c[i].token68));
		for (size_t j = 0; j < cs.c[i].nparams; j++)
			json_object_object_add(p, cs.c[i].params[j].name,
					       json_object_new_string(cs.c[i].params[j].value));
		json_object_object_add(c, "params", p);
		json_object_array_add(a, c);
	}
	return a;
}

const char *eas_report_served_text(const struct eas_served *sv, char *buf, size_t size)
{
	size_t len;

	/* The names whole here (the first line has their first labels). */
	snprintf(buf, size, "served by");
	if (sv->front_end[0])
		snprintf(buf + strlen(buf), size - strlen(buf), " front end %s", sv->front_end);
	if (sv->back_end[0])
		snprintf(buf + strlen(buf), size - strlen(buf), "%s back end %s",
			 sv->front_end[0] ? "," : "", sv->back_end);
	len = strlen(buf);
	if (sv->request_id[0])
		snprintf(buf + len, size - len, "%s request-id %s",
			 sv->front_end[0] || sv->back_end[0] ? "," : "", sv->request_id);
	return buf;
}

/* What Exchange's diagnostic headers say, in words (http/diaghdr.h):
 * nothing for a server that sends none of them. */
static void served_details(struct eas_output *out, const char *label, const char *sep,
			   const struct eas_response *res)
{
	struct eas_served sv;
	char who[256];

	eas_served_read(res, &sv);
	if (eas_served_any(&sv))
		eas_out_detail(out, "%s%s%s", label, sep,
			       eas_report_served_text(&sv, who, sizeof who));
	if (sv.component[0])
		eas_out_detail(out, "%s%sfailing part: %s", label, sep, sv.component);
	if (sv.throttle[0]) {
		char back[48] = "";

		if (sv.retry_after >= 0)
			snprintf(back, sizeof back, ", back off %lds (Retry-After)",
				 sv.retry_after);
		eas_out_detail(out, "%s%sthrottled (X-MS-ASThrottle: %s): %s%s", label, sep,
			       sv.throttle, eas_throttle_words(sv.throttle), back);
	}
}

void eas_report_details(struct eas_output *out, const char *label, const struct eas_response *res)
{
	const char *sep = label[0] ? ": " : "";

	if (res->ip[0])
		eas_out_detail(out, "%s%sconnected to %s%s", label, sep, res->ip,
			       res->reused ? " (connection reused)" : "");
	if (res->proxy[0])
		eas_out_detail(out, "%s%sthrough the proxy %s", label, sep, res->proxy);
	if (res->tls.version[0])
		eas_out_detail(out, "%s%sTLS %s, cipher %s%s", label, sep, res->tls.version,
			       res->tls.cipher,
			       res->tls.cert_requested ? ", server asked for a client certificate"
						       : "");
	if (res->fail != EAS_FAIL_NONE)
		eas_out_detail(out, "%s%sfailed (%s): %s [%s]", label, sep,
			       eas_phase_name(res->phase), res->what, res->detail);
	if (res->smtp_reply[0]) /* an SMTP server's last reply line */
		eas_out_detail(out, "%s%sSMTP reply: %s", label, sep, res->smtp_reply);
	else if (res->status)
		eas_out_detail(out, "%s%sHTTP %ld %s, body %zu bytes, headers %zu bytes%s", label,
			       sep, res->status, res->reason, res->body_bytes,
			       res->bytes - res->body_bytes,
			       res->truncated ? " (stopped reading at the size limit)" : "");
	for (int i = 0; i < EAS_HDR_COUNT; i++)
		if (res->hdr[i])
			eas_out_detail(out, "%s%s%s: %s", label, sep, eas_hdr_name((enum eas_hdr)i),
				       res->hdr[i]);
	challenge_details(out, label, sep, res);
	served_details(out, label, sep, res);
	eas_out_detail(
		out,
		"%s%stimes: dns %.6fs, connect %.6fs, tls %.6fs, first byte %.6fs, total %.6fs",
		label, sep, res->t.dns, res->t.connect, res->t.tls, res->t.firstbyte, res->t.total);
}

static void add_str(struct json_object *o, const char *key, const char *v)
{
	if (v)
		json_object_object_add(o, key, json_object_new_string(v));
}

struct json_object *eas_report_served_json(const struct eas_response *res)
{
	struct eas_served sv;

	eas_served_read(res, &sv);
	return eas_report_served_obj(&sv);
}

struct json_object *eas_report_served_obj(const struct eas_served *sv)
{
	struct json_object *o;

	if (!eas_served_any(sv) && sv->point == EAS_FP_NONE)
		return NULL;
	o = json_object_new_object();
	if (sv->front_end[0])
		add_str(o, "front_end", sv->front_end);
	if (sv->back_end[0])
		add_str(o, "back_end", sv->back_end);
	if (sv->request_id[0])
		add_str(o, "request_id", sv->request_id);
	if (sv->backend_status)
		json_object_object_add(o, "back_end_status",
				       json_object_new_int((int)sv->backend_status));
	if (sv->point != EAS_FP_NONE)
		add_str(o, "failing_part", eas_failpoint_name(sv->point));
	if (sv->component[0])
		add_str(o, "failure", sv->component);
	if (sv->throttle[0]) {
		struct json_object *t = json_object_new_object();

		add_str(t, "reason", sv->throttle);
		add_str(t, "meaning", eas_throttle_words(sv->throttle));
		if (sv->retry_after >= 0)
			json_object_object_add(t, "retry_after_s",
					       json_object_new_int64(sv->retry_after));
		json_object_object_add(o, "throttle", t);
	}
	return o;
}

void eas_report_served_step(struct eas_output *out, const char *step,
			    const struct eas_response *res)
{
	struct json_object *root = eas_out_json(out), *all, *served;

	if (!root || !(served = eas_report_served_json(res)))
		return;
	if (!json_object_object_get_ex(root, "served_by", &all)) {
		all = json_object_new_object();
		json_object_object_add(root, "served_by", all);
	}
	json_object_object_add(all, step, served);
}

struct json_object *eas_report_json(const struct eas_response *res)
{
	struct json_object *served = eas_report_served_json(res);

	struct json_object *o = json_object_new_object();
	struct json_object *t = json_object_new_object();
	struct json_object *h = json_object_new_object();

	if (res->fail != EAS_FAIL_NONE) {
		struct json_object *f = json_object_new_object();

		add_str(f, "class", eas_fail_name(res->fail));
		add_str(f, "what", res->what);
		add_str(f, "detail", res->detail);
		add_str(f, "phase", eas_phase_name(res->phase));
		json_object_object_add(o, "failure", f);
	}
	if (res->status) {
		json_object_object_add(o, "http_status", json_object_new_int((int)res->status));
		add_str(o, "reason", res->reason);
	}
	/* bytes: all received, as the size perfdata; then its two parts. */
	json_object_object_add(o, "bytes", json_object_new_int64((int64_t)res->bytes));
	json_object_object_add(o, "body_bytes", json_object_new_int64((int64_t)res->body_bytes));
	json_object_object_add(o, "header_bytes",
			       json_object_new_int64((int64_t)(res->bytes - res->body_bytes)));
	if (res->ip[0])
		add_str(o, "ip", res->ip);
	if (res->proxy[0])
		add_str(o, "proxy", res->proxy);
	if (res->reused)
		json_object_object_add(o, "connection_reused", json_object_new_boolean(1));
	if (res->tls.version[0]) {
		struct json_object *tls = json_object_new_object();

		add_str(tls, "version", res->tls.version);
		add_str(tls, "cipher", res->tls.cipher);
		json_object_object_add(tls, "client_cert_requested",
				       json_object_new_boolean(res->tls.cert_requested));
		json_object_object_add(o, "tls", tls);
	}
	for (int i = 0; i < EAS_HDR_COUNT; i++)
		add_str(h, eas_hdr_name((enum eas_hdr)i), res->hdr[i]);
	json_object_object_add(o, "headers", h);
	if (res->hdr[EAS_HDR_WWW_AUTHENTICATE])
		json_object_object_add(o, "challenges",
				       challenge_json(res->hdr[EAS_HDR_WWW_AUTHENTICATE]));
	if (served)
		json_object_object_add(o, "served_by", served);
	json_object_object_add(t, "dns", eas_json_double(res->t.dns));
	/* As in the perfdata: a phase that did not complete has no time. */
	if (res->t.has_connect)
		json_object_object_add(t, "connect", eas_json_double(res->t.connect));
	if (res->t.has_tls)
		json_object_object_add(t, "tls", eas_json_double(res->t.tls));
	if (res->t.has_firstbyte)
		json_object_object_add(t, "firstbyte", eas_json_double(res->t.firstbyte));
	json_object_object_add(t, "total", eas_json_double(res->t.total));
	json_object_object_add(o, "time", t);
	return o;
}

/* Only the phases that completed and were measured: a refused connection
 * has no connect time, a failed handshake no TLS time, and a 0 would make
 * graphs dive in an outage. */
void eas_report_perf(struct eas_output *out, const char *prefix, const struct eas_response *res,
		     const struct eas_thresholds *th)
{
	const struct {
		const char *name, *uom;
		double v;
		bool ran;
	} metrics[] = {
		{ "time", "s", res->t.total, true },
		{ "time_connect", "s", res->t.connect, res->t.has_connect },
		{ "time_ssl", "s", res->t.tls, res->t.has_tls },
		{ "time_firstbyte", "s", res->t.firstbyte, res->t.has_firstbyte },
		{ "size", "B", (double)res->bytes, res->status != 0 },
	};
	char label[64];

	for (size_t i = 0; i < sizeof metrics / sizeof metrics[0]; i++) {
		if (!metrics[i].ran)
			continue;
		snprintf(label, sizeof label, "%s%s", prefix, metrics[i].name);
		eas_out_perf(out, label, metrics[i].v, metrics[i].uom, i == 0 ? th : NULL, 0, NAN);
	}
}
