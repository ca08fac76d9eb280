/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How a probe result shows up in plugin output: long-output lines, a JSON
 * object and the check_curl-compatible timing perfdata. */
#ifndef EAS_REPORT_H
#define EAS_REPORT_H

#include "out/output.h"
#include "http/http.h"

/* Long output (-v) for one probe; label prefixes each line ("" for none).
 * With Exchange's diagnostic headers: "served by front end EX01, back end
 * EX03, request-id ...", "failing part: ...", "throttled (...): ...". */
void eas_report_details(struct eas_output *out, const char *label, const struct eas_response *res);
/* A JSON object describing the probe (caller owns it); its "served_by"
 * is eas_report_served_json's. */
struct json_object *eas_report_json(const struct eas_response *res);
/* Who served the answer as Exchange's headers say (front_end, back_end,
 * request_id, back_end_status), the failing part and its words, the
 * throttling reason, its meaning and back-off; NULL when the answer says
 * none of it (caller owns it). */
struct json_object *eas_report_served_json(const struct eas_response *res);
/* The same from what diaghdr read (NULL when it says nothing). */
struct json_object *eas_report_served_obj(const struct eas_served *sv);
/* "served by front end EX01, back end EX03, request-id ..." into buf (the
 * names whole, as -v shows them); returns buf. */
const char *eas_report_served_text(const struct eas_served *sv, char *buf, size_t size);
/* For a run of several commands: that object as "served_by": {step: ...}
 * in the JSON root (the last answer of each step). */
void eas_report_served_step(struct eas_output *out, const char *step,
			    const struct eas_response *res);
/* time, time_connect, time_ssl, time_firstbyte, size; with prefix "basic_"
 * they become basic_time, ... th applies to the total time. */
void eas_report_perf(struct eas_output *out, const char *prefix, const struct eas_response *res,
		     const struct eas_thresholds *th);
/* Judge the total time against -w/-c; when a threshold is crossed, say
 * so in the summary ("slow: 6.100s"). The time itself is perfdata. */
void eas_report_time(struct eas_output *out, const struct eas_thresholds *th, double total);

#endif
