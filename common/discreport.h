/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How a discovery shows up in output: one -v line per candidate asked,
 * with its outcome in plain words and its time, and a JSON object of the
 * same. Shared by check_eas_autodiscover and --autodiscover. */
#ifndef EAS_DISCREPORT_H
#define EAS_DISCREPORT_H

#include <json-c/json.h>

#include "discover.h"
#include "output.h"

/* "how" words for JSON: "answered", "missing", "bad", "timeout". */
const char *eas_disc_how_name(enum eas_disc_how how);

/* "candidate 2", "candidate 4 (SRV)", "the redirect URL", "the JSON
 * endpoint": how output names a candidate. */
const char *eas_disc_cand_text(int cand);

/* The -v lines, one per try: "candidate 2 https://...: OUTCOME (0.012s)". */
void eas_disc_details(struct eas_output *out, const struct eas_disc_result *r);

/* {"address", "pox": {...}, "json": {...}, "tries": [...]}; the caller
 * owns it. */
struct json_object *eas_disc_json(const struct eas_disc_result *r, const char *address);

#endif
