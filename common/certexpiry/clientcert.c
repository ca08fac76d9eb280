/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "certexpiry/clientcert.h"

#include <math.h>
#include <stdio.h>

#include <json-c/json.h>

#include "util/range.h"

void eas_clientcert_expiry(struct eas_output *out, const struct eas_certinfo *ci, long warn_days,
			   long crit_days)
{
	char w[24], cr[24];
	const char *bad = NULL;
	struct eas_thresholds th;
	long days = (long)ci->days_left; /* whole days, toward zero */
	enum eas_state s;
	char text[160];

	snprintf(w, sizeof w, "%ld:", warn_days);
	snprintf(cr, sizeof cr, "%ld:", crit_days);
	if (eas_thresholds_parse(w, cr, &th, &bad))
		return; /* cannot happen: both are "N:" */
	s = eas_thresholds_check(&th, ci->days_left);
	if (ci->expired || ci->not_yet_valid)
		s = EAS_CRITICAL;
	if (ci->expired)
		snprintf(text, sizeof text, "client certificate expired %ld days ago (%.10s)",
			 -days, ci->not_after);
	else if (ci->not_yet_valid)
		snprintf(text, sizeof text, "client certificate not valid before %.10s",
			 ci->not_before);
	else
		snprintf(text, sizeof text, "client certificate expires in %ld days (%.10s)", days,
			 ci->not_after);
	/* In the line when it is a cause or all is well; beside another
	 * failure it would push that failure's words out of view. */
	if (s != EAS_OK || out->state == EAS_OK)
		eas_out_append(out, "%s", text);
	else
		eas_out_detail(out, "%s", text);
	eas_out_raise(out, s);
	/* For graphs, the boundaries in days (Icinga 2 drops ranges). */
	snprintf(th.warn.text, sizeof th.warn.text, "%ld", warn_days);
	snprintf(th.crit.text, sizeof th.crit.text, "%ld", crit_days);
	eas_out_perf(out, "cert_days", (double)days, "", &th, NAN, NAN);
}

void eas_clientcert_report(struct eas_output *out, const struct eas_certinfo *ci, int nchain)
{
	struct json_object *root = eas_out_json(out), *o;

	eas_out_detail(out, "client certificate: %s", ci->subject);
	eas_out_detail(out, "  issuer: %s, serial %s", ci->issuer, ci->serial);
	eas_out_detail(out, "  valid %s .. %s, %d chain certificate(s) sent with it",
		       ci->not_before, ci->not_after, nchain);
	if (!root)
		return;
	o = json_object_new_object();
	json_object_object_add(o, "subject", json_object_new_string(ci->subject));
	json_object_object_add(o, "issuer", json_object_new_string(ci->issuer));
	json_object_object_add(o, "not_after", json_object_new_string(ci->not_after));
	json_object_object_add(o, "days_left", eas_json_double(ci->days_left));
	json_object_object_add(root, "client_certificate", o);
}
