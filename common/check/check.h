/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The skeleton every plugin's main shares, so that a plugin reads as a
 * description of its check:
 *
 *	rc = eas_check_begin(&chk, &plugin, argc, argv);   options, output,
 *	if (rc >= 0)                                       credentials,
 *		return rc;                                 libcurl, deadline
 *	if (...)
 *		return eas_check_fail(&chk, EAS_UNKNOWN, "why");
 *	eas_check_run(&chk, "FolderSync", conn, &req, &res);  one step
 *	... judge into chk.out ...
 *	return eas_check_end(&chk);                         print, release
 *
 * Everything the check holds is released by eas_check_end() or
 * eas_check_fail(), on every path. */
#ifndef EAS_CHECK_H
#define EAS_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "run/creds.h"
#include "cli/options.h"
#include "out/output.h"
#include "http/probe.h"

#define EAS_CHECK_LOOKUPS 32 /* host names one run looks up */

struct eas_disc_result;

struct eas_check {
	const struct eas_plugin *plugin;
	struct eas_output out;
	struct eas_opts o;
	struct eas_creds creds; /* loaded when the plugin takes them */
	bool have_opts, have_lib;
	/* Host names looked up at --dns-server, as libcurl's resolve entries. */
	char looked_up[EAS_CHECK_LOOKUPS][320];
	const char *resolve[EAS_MAX_MAPS + EAS_CHECK_LOOKUPS + 1];
	double step_limit;            /* seconds one step may take, 0: the time left */
	struct eas_disc_result *disc; /* --autodiscover's findings */
	char disc_url[1024];
};

/* Output, options, the deadline (-t bounds everything from here on,
 * reading credential files included) and libcurl. Returns -1 when the
 * plugin goes on, else the exit code: help, version, or an UNKNOWN
 * already printed, everything released. */
int eas_check_begin(struct eas_check *chk, const struct eas_plugin *p, int argc, char **argv);

/* The credentials this check authenticates with (EAS_USE_*), into
 * chk->creds. Returns -1 when the plugin goes on, else the exit code of
 * an UNKNOWN already printed (everything released). */
int eas_check_creds(struct eas_check *chk, unsigned uses);

/* With --autodiscover: find the EAS URL as a device does and make it
 * the check's target (-U). Returns -1 when the plugin goes on, else the
 * exit code of a CRITICAL (nothing found) already printed. */
int eas_check_discover(struct eas_check *chk);

/* With --autodiscover and credentials of uses: CRITICAL (the exit code,
 * printed) when the credential rule keeps them from the URL found (outside
 * the trusted domains, TLS not verified); -1 to go on. */
int eas_check_discover_creds(struct eas_check *chk, unsigned uses);
/* Its findings into the output (called by eas_check_end()). */
void eas_check_discover_report(struct eas_check *chk);

/* A request to the check's target: URL (into urlbuf), address, TLS. */
int eas_check_target(struct eas_check *chk, struct eas_request *req, char *urlbuf, size_t urlsize,
		     char *err, size_t errlen);

/* With --dns-server: look up the host of req->url there and add it to
 * req's resolve entries (an answer of "no such name" fails the lookup
 * with those words in err). Returns 0, or -1. */
int eas_check_lookup(struct eas_check *chk, struct eas_request *req, char *err, size_t errlen);

/* Run one step with the time that is left (its host looked up at
 * --dns-server first): on conn (shared, keep-alive)
 * or, with conn NULL, on a fresh connection. step names it in timeouts
 * ("hung waiting for the FolderSync response"). Returns 0 when the
 * exchange happened, -1 when res->fail says why not. */
int eas_check_run(struct eas_check *chk, const char *step, struct eas_conn *conn,
		  struct eas_request *req, struct eas_response *res);
/* n steps at once, each on its own fresh connection. Returns how many
 * failed. */
size_t eas_check_run_many(struct eas_check *chk, const char *const *steps, struct eas_request *reqs,
			  struct eas_response *res, size_t n);

/* The standard report of one request: a -v line naming it ("OPTIONS URL
 * with client certificate and basic auth as USER") and the probe's own
 * lines, timing perfdata (-w/-c on the total time), and url, method, user
 * and the probe in JSON. */
void eas_check_report(struct eas_check *chk, const struct eas_request *req,
		      const struct eas_response *res);

/* The state a failed request gives (setup UNKNOWN, timeout the -t state,
 * else CRITICAL) and its words as the summary. */
void eas_check_failed(struct eas_check *chk, const struct eas_response *res);

/* Print everything, release everything, return the exit code. */
int eas_check_end(struct eas_check *chk);
/* Fail with this state and this sentence: print, release, exit code. */
int eas_check_fail(struct eas_check *chk, enum eas_state s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
