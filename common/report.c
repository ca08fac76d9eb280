#include "report.h"

#include <math.h>
#include <stdio.h>

#include <json-c/json.h>

const char *eas_fail_name(enum eas_fail f)
{
	static const char *const names[] = {
		"none", "setup", "dns", "refused", "unreachable", "connect",
		"timeout", "tls", "tls_verify", "tls_hostname", "client_cert",
		"protocol", "network",
	};
	return (unsigned)f < sizeof names / sizeof names[0] ? names[f] : "unknown";
}

enum eas_state eas_fail_state(const struct eas_response *res,
			      enum eas_state timeout_state)
{
	if (res->fail == EAS_FAIL_SETUP)
		return EAS_UNKNOWN;
	if (res->fail == EAS_FAIL_TIMEOUT)
		return timeout_state;
	return EAS_CRITICAL;
}

void eas_report_time(struct eas_output *out, const struct eas_thresholds *th,
		     double total)
{
	enum eas_state s = eas_thresholds_check(th, total);

	eas_out_raise(out, s);
	eas_out_append(out, "%s%.3fs", s != EAS_OK ? "slow: " : "", total);
}

void eas_report_details(struct eas_output *out, const char *label,
			const struct eas_response *res)
{
	const char *sep = label[0] ? ": " : "";
	const struct eas_headers *h = &res->hdr;

	if (res->ip[0])
		eas_out_detail(out, "%s%sconnected to %s", label, sep, res->ip);
	if (res->tls.version[0])
		eas_out_detail(out, "%s%sTLS %s, cipher %s%s", label, sep,
			       res->tls.version, res->tls.cipher,
			       res->tls.cert_requested ? ", server asked for a client certificate" : "");
	if (res->fail != EAS_FAIL_NONE)
		eas_out_detail(out, "%s%sfailed in the %s: %s [%s]", label, sep,
			       eas_phase_name(res->phase), res->what, res->detail);
	if (res->status)
		eas_out_detail(out, "%s%sHTTP %ld %s, %zu bytes%s", label, sep,
			       res->status, res->reason, res->bytes,
			       res->truncated ? " (stopped reading at the size limit)" : "");
	if (h->eas_server)
		eas_out_detail(out, "%s%sMS-Server-ActiveSync: %s", label, sep, h->eas_server);
	if (h->versions)
		eas_out_detail(out, "%s%sMS-ASProtocolVersions: %s", label, sep, h->versions);
	if (h->commands)
		eas_out_detail(out, "%s%sMS-ASProtocolCommands: %s", label, sep, h->commands);
	if (h->www_authenticate)
		eas_out_detail(out, "%s%sWWW-Authenticate: %s", label, sep, h->www_authenticate);
	if (h->location)
		eas_out_detail(out, "%s%sLocation: %s", label, sep, h->location);
	if (h->server)
		eas_out_detail(out, "%s%sServer: %s", label, sep, h->server);
	eas_out_detail(out, "%s%stimes: dns %.6fs, connect %.6fs, tls %.6fs, "
		       "first byte %.6fs, total %.6fs", label, sep, res->t.dns,
		       res->t.connect, res->t.tls, res->t.firstbyte, res->t.total);
}

static void add_str(struct json_object *o, const char *key, const char *v)
{
	if (v)
		json_object_object_add(o, key, json_object_new_string(v));
}

struct json_object *eas_report_json(const struct eas_response *res)
{
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
	json_object_object_add(o, "bytes", json_object_new_int64((int64_t)res->bytes));
	if (res->ip[0])
		add_str(o, "ip", res->ip);
	if (res->tls.version[0]) {
		struct json_object *tls = json_object_new_object();

		add_str(tls, "version", res->tls.version);
		add_str(tls, "cipher", res->tls.cipher);
		json_object_object_add(tls, "client_cert_requested",
				       json_object_new_boolean(res->tls.cert_requested));
		json_object_object_add(o, "tls", tls);
	}
	add_str(h, "MS-Server-ActiveSync", res->hdr.eas_server);
	add_str(h, "MS-ASProtocolVersions", res->hdr.versions);
	add_str(h, "MS-ASProtocolCommands", res->hdr.commands);
	add_str(h, "WWW-Authenticate", res->hdr.www_authenticate);
	add_str(h, "X-MS-Location", res->hdr.ms_location);
	add_str(h, "Location", res->hdr.location);
	add_str(h, "Retry-After", res->hdr.retry_after);
	add_str(h, "Server", res->hdr.server);
	json_object_object_add(o, "headers", h);
	json_object_object_add(t, "dns", eas_json_double(res->t.dns));
	json_object_object_add(t, "connect", eas_json_double(res->t.connect));
	json_object_object_add(t, "tls", eas_json_double(res->t.tls));
	json_object_object_add(t, "firstbyte", eas_json_double(res->t.firstbyte));
	json_object_object_add(t, "total", eas_json_double(res->t.total));
	json_object_object_add(o, "time", t);
	return o;
}

void eas_report_perf(struct eas_output *out, const char *prefix,
		     const struct eas_response *res,
		     const struct eas_thresholds *th)
{
	char label[64];

	snprintf(label, sizeof label, "%stime", prefix);
	eas_out_perf(out, label, res->t.total, "s", th, 0, NAN);
	snprintf(label, sizeof label, "%stime_connect", prefix);
	eas_out_perf(out, label, res->t.connect, "s", NULL, 0, NAN);
	snprintf(label, sizeof label, "%stime_ssl", prefix);
	eas_out_perf(out, label, res->t.tls, "s", NULL, 0, NAN);
	snprintf(label, sizeof label, "%stime_firstbyte", prefix);
	eas_out_perf(out, label, res->t.firstbyte, "s", NULL, 0, NAN);
	snprintf(label, sizeof label, "%ssize", prefix);
	eas_out_perf(out, label, (double)res->bytes, "B", NULL, 0, NAN);
}
