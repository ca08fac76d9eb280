/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The policy check's run: one OPTIONS probe for each way of authenticating
 * that the credentials allow (anonymous, basic, certificate, both), each
 * judged against the policy as a sub-check, and reported per probe in -v,
 * perfdata and JSON. */
#ifndef EAS_AUTHRUN_H
#define EAS_AUTHRUN_H

#include <stdbool.h>
#include <stddef.h>

#include "auth/authpolicy.h"
#include "auth/authverdict.h"
#include "run/run.h"
#include "cli/cli.h"
#include "out/output.h"
#include "http/http.h"

/* Everything about the probes of one run, indexed by enum eas_authprobe. */
struct eas_authrun {
	enum eas_policy policy;
	bool sequential;
	bool skipped[EAS_AUTHPROBE_COUNT];
	const char *skip_why[EAS_AUTHPROBE_COUNT];
	char url[EAS_AUTHPROBE_COUNT][2048];
	struct eas_request req[EAS_AUTHPROBE_COUNT];
	struct eas_response res[EAS_AUTHPROBE_COUNT];
	struct eas_auth_outcome oc[EAS_AUTHPROBE_COUNT];
	struct eas_judgement j[EAS_AUTHPROBE_COUNT];
	double wall; /* seconds for all probes together */
};

/* The step name of a probe, for timeouts: "basic-auth OPTIONS". */
const char *eas_authrun_step(enum eas_authprobe k);

/* The credentials must cover what the policy names. Returns 0, or -1
 * with one line in err. */
int eas_authrun_check_creds(enum eas_policy p, const struct eas_creds *c, char *err, size_t errlen);
/* Requests for every probe the credentials allow; the rest are skipped. */
int eas_authrun_build(const struct eas_opts *o, const struct eas_creds *c, struct eas_authrun *r,
		      char *err, size_t errlen);
/* Run the probes that were built through the runner: each on its own
 * fresh connection, all at once unless r->sequential; the hard timeout
 * names the probe and the phase that hold the others up. */
void eas_authrun_probe(struct eas_runner *run, struct eas_authrun *r);
/* Classify and judge every probe that ran: one sub-check each, problems in
 * the summary; when all hold, "policy X holds: ..." and the time. */
void eas_authrun_judge(struct eas_authrun *r, const struct eas_opts *o, struct eas_output *out);
/* Perfdata (total time, then each probe's), -v lines and JSON. */
void eas_authrun_report(const struct eas_authrun *r, const struct eas_opts *o,
			struct eas_output *out);
void eas_authrun_free(struct eas_authrun *r);

/* One request's outcome, for check_eas_basic and check_eas_cert (the
 * whole check or a node): the -v line "outcome: ...", and the JSON
 * member "outcome". */
void eas_auth_outcome_detail(struct eas_output *out, const struct eas_auth_outcome *oc);
void eas_auth_outcome_json(struct eas_output *out, const struct eas_auth_outcome *oc);

#endif
