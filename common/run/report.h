/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How a probe result shows up in plugin output: long-output lines, a JSON
 * object and the check_curl-compatible timing perfdata. */
#ifndef EAS_REPORT_H
#define EAS_REPORT_H

#include "out/output.h"
#include "http/http.h"

/* Long output (-v) for one probe; label prefixes each line ("" for none). */
void eas_report_details(struct eas_output *out, const char *label, const struct eas_response *res);
/* A JSON object describing the probe (caller owns it). */
struct json_object *eas_report_json(const struct eas_response *res);
/* time, time_connect, time_ssl, time_firstbyte, size; with prefix "basic_"
 * they become basic_time, ... th applies to the total time. */
void eas_report_perf(struct eas_output *out, const char *prefix, const struct eas_response *res,
		     const struct eas_thresholds *th);
/* Judge the total time against -w/-c; when a threshold is crossed, say
 * so in the summary ("slow: 6.100s"). The time itself is perfdata. */
void eas_report_time(struct eas_output *out, const struct eas_thresholds *th, double total);

#endif
