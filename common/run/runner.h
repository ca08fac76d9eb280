/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The step runner: every multi-step run (the plugins' own requests,
 * Autodiscover, the sync run, the auth policy's probes) sends its
 * requests through here, so each step gets the time that is left (and at
 * most the step limit), its host looked up at --dns-server, the check's
 * target and the standard report. The runner holds what a step needs;
 * the plugin life cycle (common/check) owns it and the subsystems are
 * handed it, so no subsystem calls back into the skeleton. */
#ifndef EAS_RUNNER_H
#define EAS_RUNNER_H

#include <stddef.h>

#include "cli/cli.h"
#include "http/http.h"
#include "out/output.h"
#include "run/creds.h"

#define EAS_RUN_LOOKUPS 32 /* host names one run looks up */

struct eas_runner {
	const struct eas_opts *o;
	struct eas_output *out;
	const struct eas_creds *creds; /* loaded when the plugin takes them */
	/* Host names looked up at --dns-server, as libcurl's resolve entries. */
	char looked_up[EAS_RUN_LOOKUPS][320];
	const char *resolve[EAS_MAX_MAPS + EAS_RUN_LOOKUPS + 1];
	double step_limit; /* seconds one step may take, 0: the time left */
	/* A whole run pinned to one node (check_eas_sync's nodes, one after
	 * another): every target request connects to pin, the URL's name
	 * kept for TLS and Host, as -I does; its steps leave pin_reserve_ms
	 * of -t to the nodes after it (pin_share seconds are its own, for
	 * the words). NULL: the check's target. */
	const char *pin;
	long pin_reserve_ms;
	double pin_share;
};

/* A runner over these options, output and credentials (all outlive it). */
void eas_run_init(struct eas_runner *run, const struct eas_opts *o, struct eas_output *out,
		  const struct eas_creds *creds);

/* A request to the check's target: URL (into urlbuf), address (the pin
 * when set), TLS. */
int eas_run_target(const struct eas_runner *run, struct eas_request *req, char *urlbuf,
		   size_t urlsize, char *err, size_t errlen);

/* With --dns-server: look up the host of req->url there and add it to
 * req's resolve entries (an answer of "no such name" fails the lookup
 * with those words in err). Returns 0, or -1. */
int eas_run_lookup(struct eas_runner *run, struct eas_request *req, char *err, size_t errlen);

/* Run one step with the time that is left (its host looked up at
 * --dns-server first): on conn (shared, keep-alive)
 * or, with conn NULL, on a fresh connection. step names it in timeouts
 * ("hung waiting for the FolderSync response"). Returns 0 when the
 * exchange happened, -1 when res->fail says why not. */
int eas_run_step(struct eas_runner *run, const char *step, struct eas_conn *conn,
		 struct eas_request *req, struct eas_response *res);
/* One step on conn and, once its request was sent and has waited
 * delay_ms for the answer, side_step on a fresh connection, in one loop
 * (eas_conn_run_with: a change while a Ping is held); *side_at: when the
 * side started, seconds from the step's start, -1 never. Returns as
 * eas_run_step for the step; side_res says how the side went. */
int eas_run_step_with(struct eas_runner *run, const char *step, struct eas_conn *conn,
		      struct eas_request *req, struct eas_response *res, const char *side_step,
		      struct eas_request *side, struct eas_response *side_res, long delay_ms,
		      double *side_at);
/* n steps at once, each on its own fresh connection. Returns how many
 * failed. */
size_t eas_run_many(struct eas_runner *run, const char *const *steps, struct eas_request *reqs,
		    struct eas_response *res, size_t n);

/* The standard report of one request: a -v line naming it ("OPTIONS URL
 * with client certificate and basic auth as USER") and the probe's own
 * lines, timing perfdata (-w/-c on the total time), and url, method, user
 * and the probe in JSON. */
void eas_run_report(struct eas_runner *run, const struct eas_request *req,
		    const struct eas_response *res);

/* The state a failed request gives (setup UNKNOWN, timeout the -t state,
 * else CRITICAL) and its words as the summary. */
void eas_run_failed(struct eas_runner *run, const struct eas_response *res);

#endif
