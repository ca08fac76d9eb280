/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "check/check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <json-c/json.h>
#include <math.h>
#include <time.h>

#include "oauth/oauth.h"
#include "util/secret.h"
#include "run/run.h"
#include "tls/tls.h"

/* Passwords and keys are in our memory: no core file may keep them, and
 * no other process of the user may read them through ptrace. */
static void no_core_dumps(void)
{
	const struct rlimit none = { 0, 0 };

	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

int eas_check_begin(struct eas_check *chk, const struct eas_plugin *p, int argc, char **argv)
{
	char err[512];
	int rc;

	memset(chk, 0, sizeof *chk);
	chk->plugin = p;
	eas_run_init(&chk->run, &chk->o, &chk->out, &chk->creds);
	no_core_dumps();
	eas_out_init(&chk->out, p->name, p->aspect);
	rc = eas_opts_parse(p, argc, argv, &chk->o, &chk->out);
	if (rc >= 0)
		return rc;
	chk->have_opts = true;
	eas_deadline_start(chk->o.timeout, chk->o.timeout_state,
			   &(struct eas_deadline_msg){ p->name, p->aspect, chk->o.format,
						       chk->out.target });
	if (eas_trust_readable(chk->o.ca_file, chk->o.ca_path, err, sizeof err))
		return eas_check_fail(chk, EAS_UNKNOWN, "%s", err);
	if (eas_probe_global_init())
		return eas_check_fail(chk, EAS_UNKNOWN, "cannot initialise libcurl");
	chk->have_lib = true;
	return -1; /* --autodiscover: eas_check_creds(), with the token */
}

/* What the token flow did, for -v, perfdata and JSON: the token only as
 * its fingerprint. */
static void token_report(struct eas_check *chk, const struct eas_oauth_got *g)
{
	struct json_object *root = eas_out_json(&chk->out), *t;
	long long left = g->expires_at ? g->expires_at - (long long)time(NULL) : 0;

	if (g->note[0])
		eas_out_detail(&chk->out, "%s", g->note);
	if (g->refreshed)
		eas_out_detail(&chk->out, "token refresh at %s: %.3f s%s%s", g->url, g->token_time,
			       g->rotated ? ", refresh token rotated and written back" : "",
			       g->lock_wait > 0.05 ? " (after waiting for another run)" : "");
	else
		eas_out_detail(&chk->out, "access token from the token cache %s%s",
			       chk->o.oauth_token_cache,
			       g->lock_wait > 0.05 ? " (refreshed by another run meanwhile)" : "");
	if (g->token)
		eas_out_detail(&chk->out, "bearer token %s, valid %lld s more", chk->creds.token_fp,
			       left);
	/* Perfdata at the end: a retry after a 401 replaces the first. */
	chk->token_perf = g->refreshed || g->token; /* a local setup error: none */
	chk->token_time = g->token_time;
	chk->token_refreshed = chk->token_refreshed || g->refreshed;
	chk->token_left = g->token ? left : 0;
	if (!root || !(t = json_object_new_object()))
		return;
	json_object_object_add(t, "source", json_object_new_string("cache"));
	json_object_object_add(t, "refreshed", json_object_new_boolean(g->refreshed));
	json_object_object_add(t, "rotated", json_object_new_boolean(g->rotated));
	json_object_object_add(t, "retried", json_object_new_boolean(chk->token_retried));
	json_object_object_add(t, "token_time", eas_json_double(g->token_time));
	if (g->token) {
		json_object_object_add(t, "fingerprint",
				       json_object_new_string(chk->creds.token_fp));
		json_object_object_add(t, "expires_in", json_object_new_int64(left));
	}
	json_object_object_add(root, "token", t);
}

/* --oauth-token-cache: the access token, refreshed when due. Returns -1
 * when the check goes on, else the exit code (printed). */
static int token_flow(struct eas_check *chk, const char *refused)
{
	const struct eas_oauth_cfg cfg = {
		.cache = chk->o.oauth_token_cache,
		.token_url = chk->o.oauth_token_url,
		.tenant = chk->o.oauth_tenant,
		.client_id = chk->o.oauth_client_id,
		.scope = chk->o.oauth_scope,
		.refused = refused,
	};
	struct eas_oauth_got g;
	enum eas_oauth_result r;
	char err[900];

	r = eas_oauth_obtain(&chk->run, &cfg, &g, err, sizeof err);
	if (r == EAS_OAUTH_GOT) {
		eas_creds_set_token(&chk->creds, g.token);
		g.token = chk->creds.token;
	}
	token_report(chk, &g);
	switch (r) {
	case EAS_OAUTH_GOT: return -1;
	case EAS_OAUTH_SETUP: return eas_check_fail(chk, EAS_UNKNOWN, "%s", err);
	case EAS_OAUTH_REFUSED: return eas_check_fail(chk, EAS_CRITICAL, "%s", err);
	case EAS_OAUTH_FAILED: break;
	}
	return eas_check_fail(chk,
			      g.fail == EAS_FAIL_NONE
				      ? EAS_CRITICAL
				      : eas_fail_state(g.fail, chk->o.timeout_state),
			      "%s", err);
}

int eas_check_creds(struct eas_check *chk, unsigned uses)
{
	char err[512];
	int rc;

	if (eas_creds_load(&chk->o, uses, &chk->creds, err, sizeof err))
		return eas_check_fail(chk, EAS_UNKNOWN, "%s", err);
	if ((uses & EAS_USE_BEARER) && chk->o.oauth_token_cache &&
	    (rc = token_flow(chk, NULL)) >= 0)
		return rc;
	if (chk->creds.token && !chk->o.oauth_token_cache)
		eas_out_detail(&chk->out, "bearer token %s from %s", chk->creds.token_fp,
			       chk->o.bearer_token_file);
	for (size_t i = 0; i < sizeof chk->creds.note / sizeof chk->creds.note[0]; i++)
		if (chk->creds.note[i][0])
			eas_out_detail(&chk->out, "%s", chk->creds.note[i]);
	if (!chk->plugin->discover)
		return -1;
	/* Discovery after the token flow: the XML request may carry the
	 * bearer token, as Outlook sends it. */
	if ((rc = chk->plugin->discover->find(chk)) >= 0)
		return rc;
	return chk->plugin->discover->creds(chk, uses);
}

int eas_check_token_again(struct eas_check *chk, bool *again)
{
	char *refused;
	int rc;

	*again = false;
	if (!chk->o.oauth_token_cache || !chk->creds.token || chk->token_retried ||
	    chk->token_refreshed)
		return -1;
	/* As TbSync does: a token revoked or expired early gets one refresh
	 * and one more try, never a loop. */
	chk->token_retried = true;
	eas_out_detail(
		&chk->out,
		"the server refused the cached bearer token %s (HTTP 401): refreshing it once",
		chk->creds.token_fp);
	if (!(refused = strdup(chk->creds.token)))
		return eas_check_fail(chk, EAS_UNKNOWN, "out of memory");
	rc = token_flow(chk, refused);
	eas_secret_free(refused);
	*again = rc < 0;
	return rc;
}

static void release(struct eas_check *chk)
{
	if (chk->token_perf) {
		eas_out_perf(&chk->out, "token_time", chk->token_time, "s", NULL, 0, NAN);
		if (chk->token_left)
			eas_out_perf(&chk->out, "token_lifetime", (double)chk->token_left, "s",
				     NULL, NAN, NAN);
		chk->token_perf = false;
	}
	eas_deadline_stop();
	free(chk->disc);
	chk->disc = NULL;
	eas_creds_free(&chk->creds);
	if (chk->have_lib)
		eas_probe_global_cleanup();
	if (chk->have_opts)
		eas_opts_free(&chk->o);
	chk->have_lib = chk->have_opts = false;
}

int eas_check_end(struct eas_check *chk)
{
	if (chk->plugin->discover)
		chk->plugin->discover->report(chk);
	release(chk);
	return eas_out_finish(&chk->out, stdout);
}

int eas_check_fail(struct eas_check *chk, enum eas_state s, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	release(chk);
	return eas_out_exit(&chk->out, s, "%s", msg);
}
