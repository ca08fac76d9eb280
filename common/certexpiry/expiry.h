/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Certificate expiry rules: thresholds in days left (a number or a
 * Monitoring Plugins range) or in percent of the certificate's lifetime,
 * the verdict on one certificate (validity, thresholds, weak crypto), and
 * stable perfdata labels. Pure functions, no I/O. */
#ifndef EAS_EXPIRY_H
#define EAS_EXPIRY_H

#include <stdbool.h>
#include <stddef.h>

#include "tls/tls.h"
#include "util/range.h"
#include "util/state.h"

/* One of -w/-c: "30" (fewer than 30 days left, i.e. range "30:"), a range
 * over days left ("@0:30", "~:400", "10:20"), or "20%" (less than 20% of
 * the lifetime left). */
struct eas_expiry_th {
	bool percent;
	double pct;            /* when percent */
	struct eas_range days; /* otherwise */
};

struct eas_expiry_rules {
	struct eas_expiry_th warn, crit;
};

/* Returns 0, or -1 with the reason in err. */
int eas_expiry_th_parse(const char *text, struct eas_expiry_th *th, char *err, size_t errlen);
/* True when a certificate with days_left of lifetime_days should alert. */
bool eas_expiry_th_alert(const struct eas_expiry_th *th, double days_left, double lifetime_days);
/* The threshold as a range over days, for perfdata ("30:", "9.4:"). */
void eas_expiry_th_text(const struct eas_expiry_th *th, double lifetime_days, char *buf,
			size_t size);

/* The threshold for perfdata, as graphers take it: the boundary "30" for
 * "fewer than 30 days" (the range "30:", which Icinga 2's perfdata writers
 * drop); any other range as given. The state follows the thresholds as
 * given, not this text. */
void eas_expiry_th_perf(const struct eas_expiry_th *th, double lifetime_days, char *buf,
			size_t size);

/* Whole days for display and perfdata: truncated toward zero, so that an
 * integer threshold alerts exactly when the shown number is below it. */
long eas_expiry_days(double days_left);

enum eas_expiry_role {
	EAS_ROLE_LEAF,
	EAS_ROLE_INTERMEDIATE,
	EAS_ROLE_ROOT,
	EAS_ROLE_CLIENT,
};
const char *eas_expiry_role_name(enum eas_expiry_role r);

/* The verdict on one certificate: expiry (validity window, thresholds)
 * and crypto strength are separate findings, each with its own text.
 * name describes the certificate in texts ("leaf localhost"). */
struct eas_verdict {
	enum eas_state state; /* the worse of the two */
	enum eas_state expiry_state, weak_state;
	char expiry[256]; /* always set: "... expires in N days (date)" */
	char weak[160];   /* empty unless weak_state != OK */
};

enum eas_state eas_expiry_judge(const struct eas_expiry_rules *r, const struct eas_certinfo *ci,
				enum eas_expiry_role role, const char *name, struct eas_verdict *v);

/* name as a perfdata label part: lowercase, runs of anything but [a-z0-9]
 * become one '_', no '_' at either end; "cert" when nothing is left. */
void eas_expiry_label(const char *name, char *buf, size_t size);

#endif
