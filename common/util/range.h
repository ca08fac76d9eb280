/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Threshold ranges in the Monitoring Plugins syntax:
 *   10      alert outside 0..10        10:    alert below 10
 *   ~:10    alert above 10             10:20  alert outside 10..20
 *   @10:20  alert inside 10..20 (inclusive)
 */
#ifndef EAS_RANGE_H
#define EAS_RANGE_H

#include <stdbool.h>

#include "util/state.h"

struct eas_range {
	double start, end;
	bool start_infinite, end_infinite;
	bool inside;   /* '@': alert when the value lies inside */
	char text[48]; /* as given, for perfdata */
};

/* Returns 0 and fills *r, or -1 for malformed text (start > end too). */
int eas_range_parse(const char *text, struct eas_range *r);
/* True when value should raise an alert. */
bool eas_range_alert(const struct eas_range *r, double value);

struct eas_thresholds {
	bool has_warn, has_crit;
	struct eas_range warn, crit;
};

/* Parse -w/-c texts (NULL for absent). Returns 0, or -1 naming the bad one
 * in *bad: a printable copy (control characters and non-ASCII bytes as
 * \xNN, cut after 64 bytes) in a static buffer, valid until the next call.
 * A number is plain decimal: optional sign, digits, optional fraction (no
 * blanks, exponents, hex, inf or nan). */
int eas_thresholds_parse(const char *warn, const char *crit, struct eas_thresholds *th,
			 const char **bad);
enum eas_state eas_thresholds_check(const struct eas_thresholds *th, double value);

#endif
