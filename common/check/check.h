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
 *	eas_sync_run(&chk.run, ...);              a subsystem's steps
 *	... judge into chk.out ...
 *	return eas_check_end(&chk);                         print, release
 *
 * The steps themselves are the runner's (run/runner.h): the check embeds
 * one and hands it down, so subsystems never include this header.
 * Everything the check holds is released by eas_check_end() or
 * eas_check_fail(), on every path. */
#ifndef EAS_CHECK_H
#define EAS_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cli.h"
#include "http/http.h"
#include "out/output.h"
#include "run/run.h"

struct eas_ad_result;

struct eas_check {
	const struct eas_plugin *plugin;
	struct eas_output out;
	struct eas_opts o;
	struct eas_creds creds; /* loaded when the plugin takes them */
	bool have_opts, have_lib;
	struct eas_runner run;      /* the steps, over o, out and creds */
	struct eas_ad_result *disc; /* --autodiscover's findings */
	/* --oauth-token-cache: its perfdata, printed at the end */
	double token_time;
	long long token_left;
	long long token_rotated_at; /* of the cache's refresh token, 0 unknown */
	bool token_perf, token_refreshed, token_retried;
	char *oauth_password; /* --oauth-grant password: for the token endpoint only */
	char disc_url[1024];
};

/* --autodiscover, for the plugins whose description names it (.discover
 * = &eas_check_autodiscover): the skeleton calls it through these hooks,
 * so a plugin without it links neither Autodiscover nor expat. */
struct eas_check_discovery {
	/* Find the EAS URL as a device does and make it the check's target
	 * (-U), with the check's bearer token when it has one (called by
	 * eas_check_creds(), after the token flow). Returns -1 when the plugin
	 * goes on, else the exit code of a CRITICAL (nothing found) already
	 * printed. */
	int (*find)(struct eas_check *chk);
	/* With credentials of uses: CRITICAL (the exit code, printed) when the
	 * credential rule keeps them from the URL found (outside the trusted
	 * domains, TLS not verified); -1 to go on. */
	int (*creds)(struct eas_check *chk, unsigned uses);
	/* Its findings into the output (called by eas_check_end()). */
	void (*report)(struct eas_check *chk);
};
extern const struct eas_check_discovery eas_check_autodiscover; /* check/checkdisc.c */

/* Output, options, the deadline (-t bounds everything from here on,
 * reading credential files included) and libcurl (--autodiscover's URL
 * is found by eas_check_creds()). Returns -1 when the plugin goes on, else the exit code: help,
 * version, or an UNKNOWN already printed, everything released. */
int eas_check_begin(struct eas_check *chk, const struct eas_plugin *p, int argc, char **argv);

/* The credentials this check authenticates with (EAS_USE_*), into
 * chk->creds, the bearer token's flow, then with --autodiscover the URL.
 * Returns -1 when the plugin goes on, else the exit code of an UNKNOWN
 * (or of discovery's CRITICAL) already printed (everything released). */
int eas_check_creds(struct eas_check *chk, unsigned uses);

/* The server answered 401 to the bearer token from --oauth-token-cache:
 * refresh it once (not when this run refreshed it already, nor twice) and
 * put the new one into chk->creds. Returns -1 when the plugin goes on
 * (*again: send the request again with the new token), else the exit code
 * of the refresh's failure, printed. */
/* A plugin that plays a device (check_eas_sync, _push, _mailloop): the
 * check's target, the device's identity into so->dev (device_id: the
 * --device-id buffer of EAS_DEVICE_ID_MAX + 1 bytes, where a derived ID
 * is written; derived: how it came about), its lock taken. Returns -1 with the lock held, else the
 * exit code (printed). */
struct eas_sync_opts;
struct eas_sync_result;
int eas_check_device(struct eas_check *chk, struct eas_sync_opts *so, char *device_id,
		     char *derived, size_t derived_size, struct eas_runlock *lock);
/* Then its run (eas_sync_run, a refused bearer token refreshed once) and
 * the lock released. Returns -1, or the exit code when a failed refresh
 * ended the check (printed). */
int eas_check_device_run(struct eas_check *chk, struct eas_sync_opts *so, struct eas_runlock *lock,
			 struct eas_sync_result *r);

int eas_check_token_again(struct eas_check *chk, bool *again);
/* The same as a hook for runs below the check (eas_sync_opts.token_again),
 * with the check as ctx. */
static inline int eas_check_token_hook(void *chk, bool *again)
{
	return eas_check_token_again(chk, again);
}

/* One step that carries the bearer token (checktoken.c): run it, and when
 * the server answers 401 to a token from --oauth-token-cache, refresh it
 * once (eas_check_token_again) and run the step again with the new one.
 * Returns -1 when the plugin goes on with *res, else the exit code of the
 * refresh's failure, printed (res released). */
int eas_check_run_bearer(struct eas_check *chk, const char *step, struct eas_request *req,
			 struct eas_response *res);

/* The same for the nodes' requests (run/nodes.h, checktoken.c): every
 * node at once; when nodes refused the cached token, ONE refresh for the
 * run and only those nodes again. -1 to go on, else the exit code (printed;
 * the caller frees nodes). */
int eas_check_send_bearer(struct eas_check *chk, struct eas_nodes *nodes, const char *step,
			  char *err, size_t errlen);

/* --node, --each-address for the plugin's one request (checknodes.c):
 * the nodes, the request to each at once (eas_check_send_bearer), each
 * judged by judge as a single answer would be, the report into chk->out
 * (-w/-c on each node's time). Returns -1 when the plugin goes on to
 * eas_check_end (it may add what is not per node), else the exit code
 * (printed). */
int eas_check_nodes(struct eas_check *chk, const struct eas_node_opts *no, const char *step,
		    const struct eas_request *req, eas_node_judge_fn judge, void *ctx);

/* The plugin's steps go through the runner (common/run/runner.h); these
 * name it through the check. */
static inline int eas_check_target(struct eas_check *chk, struct eas_request *req, char *urlbuf,
				   size_t urlsize, char *err, size_t errlen)
{
	return eas_run_target(&chk->run, req, urlbuf, urlsize, err, errlen);
}
static inline int eas_check_run(struct eas_check *chk, const char *step, struct eas_conn *conn,
				struct eas_request *req, struct eas_response *res)
{
	return eas_run_step(&chk->run, step, conn, req, res);
}
static inline size_t eas_check_run_many(struct eas_check *chk, const char *const *steps,
					struct eas_request *reqs, struct eas_response *res,
					size_t n)
{
	return eas_run_many(&chk->run, steps, reqs, res, n);
}
static inline void eas_check_report(struct eas_check *chk, const struct eas_request *req,
				    const struct eas_response *res)
{
	eas_run_report(&chk->run, req, res);
}
static inline void eas_check_failed(struct eas_check *chk, const struct eas_response *res)
{
	eas_run_failed(&chk->run, res);
}

/* Print everything, release everything, return the exit code. */
int eas_check_end(struct eas_check *chk);
/* Fail with this state and this sentence: print, release, exit code. */
int eas_check_fail(struct eas_check *chk, enum eas_state s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
