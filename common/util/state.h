/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Plugin states and exit codes, as the Monitoring Plugins define them. */
#ifndef EAS_STATE_H
#define EAS_STATE_H

enum eas_state {
	EAS_OK = 0,
	EAS_WARNING = 1,
	EAS_CRITICAL = 2,
	EAS_UNKNOWN = 3,
};

const char *eas_state_name(enum eas_state s);
/* Parse "OK", "warning", "2", ... Returns 0 on success. */
int eas_state_parse(const char *text, enum eas_state *out);
/* The more severe of two states: CRITICAL > UNKNOWN > WARNING > OK.
 * UNKNOWN outranks WARNING because it means we could not check at all. */
enum eas_state eas_state_worst(enum eas_state a, enum eas_state b);

#endif
