/* The hard timeout behind -t: whatever blocks (a resolver, a TLS read),
 * the plugin ends after SECONDS with the chosen state and says in which
 * phase it hung. */
#ifndef EAS_TIMEOUT_H
#define EAS_TIMEOUT_H

#include <signal.h>

#include "state.h"

/* prefix: "EAS OPTIONS", phase: where the probe currently is (may be NULL). */
void eas_timeout_arm(double seconds, enum eas_state state, const char *prefix,
		     const volatile sig_atomic_t *phase);
void eas_timeout_disarm(void);

#endif
