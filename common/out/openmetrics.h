/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --output-format=openmetrics: the state and the perfdata as an OpenMetrics
 * text exposition (also valid Prometheus text format), for node_exporter's
 * textfile collector or an exec exporter. Words (summary, -v) have no place
 * in it: a scrape reads numbers; the text and JSON formats carry the words.
 *
 *   eas_state{plugin="check_eas_options",target="mail.example.com"} 0
 *   eas_options_time_seconds{...} 0.0123
 *   eas_options_time_warning_seconds{...,bound="upper",alert="outside"} 5
 *
 * One gauge family per perfdata label, named eas_<aspect>_<label>_<unit>,
 * in the base unit Prometheus wants, from the UOM (s ms us: seconds, B KB
 * MB GB TB: bytes) or, for the certificate plugins' unit-less days_* and
 * *_days labels, days turned into seconds (promtool refuses days).
 * Each -w/-c range is a family of its own (<label>_warning_<unit>, ..
 * _critical_..) with a sample per finite end. */
#ifndef EAS_OPENMETRICS_H
#define EAS_OPENMETRICS_H

#include <stddef.h>
#include <stdio.h>

#include "out/output.h"
#include "util/state.h"

struct eas_om_doc {
	const char *plugin, *aspect; /* "check_eas_options", "OPTIONS" */
	const char *target;          /* the target label; NULL or "" for none */
	enum eas_state state;
	const struct eas_perf *perf;
	size_t nperf;
};

/* Write the exposition, ending in "# EOF". Returns 0, or -1 when f
 * fails. */
int eas_om_write(const struct eas_om_doc *d, FILE *f);

struct eas_om_unit {
	const char *unit; /* in the name: "seconds", "bytes", "" for none */
	const char *from; /* what the perfdata counts in: "s", "days", "" */
	double factor;    /* from the perfdata value to the unit */
};

/* The family name for one perfdata item into buf ("eas_options_time_seconds")
 * and its unit into *u. Exposed for tests. */
void eas_om_name(const char *aspect, const struct eas_perf *p, char *buf, size_t size,
		 struct eas_om_unit *u);

#endif
