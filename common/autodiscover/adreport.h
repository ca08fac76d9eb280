/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How a discovery shows up in output: one -v line per candidate asked,
 * with its outcome in plain words and its time, and a JSON object of the
 * same. Shared by check_eas_autodiscover and --autodiscover. */
#ifndef EAS_AD_REPORT_H
#define EAS_AD_REPORT_H

#include <json-c/json.h>

#include "autodiscover/addiscover.h"
#include "out/output.h"
#include "util/range.h"

/* "how" words for JSON: "answered", "missing", "bad", "timeout". */
const char *eas_ad_how_name(enum eas_ad_how how);

/* A discovery's words for output: advice the probe gives for options
 * discovery refuses (-H, --sni) replaced by what the operator can do
 * (fix the host's certificate or DNS record, or --candidate N). in and
 * buf must not overlap. Returns buf. */
const char *eas_ad_words(const char *in, char *buf, size_t size);

/* A candidate a device stumbles over (a try that failed while another
 * gave the answer), for the summary: "candidate N (...): OUTCOME (devices stumble
 * here)", or "... wait here" for a timeout. Returns buf. */
const char *eas_ad_stumble_text(const struct eas_ad_try *t, char *buf, size_t size);

/* The -v lines, one per try: "candidate 2 https://...: OUTCOME (0.012s)". */
void eas_ad_details(struct eas_output *out, const struct eas_ad_result *r);

/* {"address", "pox": {...}, "json": {...}, "tries": [...]}; the caller
 * owns it. */
struct json_object *eas_ad_json(const struct eas_ad_result *r, const char *address);

/* Candidates a device stumbles over on its way to the answer (a hostile
 * one CRITICAL, a bad one or a timeout while there was time WARNING), as
 * sub-checks; returns the worst state they give. With no answer found,
 * only the hostile ones: the failure's words name the others. */
enum eas_state eas_ad_stumbles(struct eas_output *out, const struct eas_ad_result *r);

/* The rest of the report once the findings are sub-checks (worst: their
 * state): a warning when the two methods give different URLs, the
 * summary, the time a device waits against th, perfdata, the -v lines and
 * the JSON member "autodiscover". */
void eas_ad_report(struct eas_output *out, const struct eas_thresholds *th,
		   const struct eas_ad_result *r, const char *address, enum eas_state worst);

#endif
