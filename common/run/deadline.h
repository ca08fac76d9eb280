/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One deadline per run: -t bounds the whole check, however many requests
 * it makes. Each request gets what is left (a little less, so that
 * libcurl reports the hung phase itself); behind that, a hard timer ends
 * the plugin even if a library call blocks, naming the step and the
 * phase that hung ("hung waiting for the FolderSync response"). */
#ifndef EAS_DEADLINE_H
#define EAS_DEADLINE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "out/output.h"
#include "util/state.h"

#define EAS_DEADLINE_SLOTS 8 /* requests watched at once */

struct eas_deadline_msg {
	const char *plugin, *aspect; /* "check_eas_sync", "SYNC" */
	enum eas_format format;      /* answer as the run would */
	const char *target;          /* openmetrics' target label, or NULL */
};

/* Start the clock and the hard timer. */
void eas_deadline_start(double seconds, enum eas_state state, const struct eas_deadline_msg *msg);
/* Milliseconds for the next request into *ms (0: no deadline running).
 * Returns false when no time is left. */
bool eas_deadline_left(long *ms);
/* What the hard timer names: slot i is a request in a step ("FolderSync",
 * "basic probe"; NULL for none) whose phase it reads. NULL phase clears
 * the slot. */
void eas_deadline_watch(size_t slot, const char *step, const volatile sig_atomic_t *phase);
void eas_deadline_unwatch(void);
/* Stop the hard timer (before printing the result). */
void eas_deadline_stop(void);

#endif
