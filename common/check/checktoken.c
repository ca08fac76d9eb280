/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The check's side of --oauth-token-cache: the token flow of oauth/ run
 * for the plugin, its report (-v, JSON, perfdata) and the one retry
 * after a 401. check.c keeps the life cycle. */
#include "check/checktoken.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "oauth/oauth.h"
#include "util/secret.h"

/* Days since the refresh token last rotated (perfdata without a UOM:
 * there is none for days, the certificate plugins do the same). */
static double rt_age(long long rotated_at)
{
	double d = ((double)time(NULL) - (double)rotated_at) / 86400.0;

	return d > 0 ? d : 0;
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
		eas_out_detail(&chk->out, "%s at %s: %.3f s%s%s",
			       g->by_password ? "password grant" : "token refresh", g->url,
			       g->token_time,
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
	chk->token_rotated_at = g->token ? g->rotated_at : 0;
	if (!root || !(t = json_object_new_object()))
		return;
	json_object_object_add(t, "source", json_object_new_string("cache"));
	json_object_object_add(t, "refreshed", json_object_new_boolean(g->refreshed));
	json_object_object_add(t, "rotated", json_object_new_boolean(g->rotated));
	json_object_object_add(t, "grant",
			       json_object_new_string(g->by_password ? "password"
								     : "refresh_token"));
	if (g->token && g->rotated_at)
		json_object_object_add(t, "refresh_token_age",
				       eas_json_double(rt_age(g->rotated_at)));
	json_object_object_add(t, "retried", json_object_new_boolean(chk->token_retried));
	json_object_object_add(t, "token_time", eas_json_double(g->token_time));
	if (g->token) {
		json_object_object_add(t, "fingerprint",
				       json_object_new_string(chk->creds.token_fp));
		json_object_object_add(t, "expires_in", json_object_new_int64(left));
	}
	json_object_object_add(root, "token", t);
}

/* --oauth-token-cache: see checktoken.h. */
int eas_check_token_flow(struct eas_check *chk, const char *refused)
{
	const struct eas_oauth_cfg cfg = {
		.cache = chk->o.oauth_token_cache,
		.token_url = chk->o.oauth_token_url,
		.tenant = chk->o.oauth_tenant,
		.client_id = chk->o.oauth_client_id,
		.scope = chk->o.oauth_scope,
		.refused = refused,
		.user = chk->oauth_password ? chk->creds.user : NULL,
		.password = chk->oauth_password,
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
	rc = eas_check_token_flow(chk, refused);
	eas_secret_free(refused);
	*again = rc < 0;
	return rc;
}

/* The server refused the bearer token this request carried. */
static bool token_refused(const struct eas_request *req, const struct eas_response *res)
{
	return res->fail == EAS_FAIL_NONE && res->status == 401 && req->auth == EAS_HTTPAUTH_BEARER;
}

/* The step, and its one retry when the server refused the cached token:
 * one refresh, one more try, never a loop (as TbSync does). */
int eas_check_run_bearer(struct eas_check *chk, const char *step, struct eas_request *req,
			 struct eas_response *res)
{
	bool again;
	int rc;

	eas_check_run(chk, step, NULL, req, res);
	if (!token_refused(req, res))
		return -1;
	if ((rc = eas_check_token_again(chk, &again)) >= 0) {
		eas_response_free(res);
		return rc;
	}
	if (again) {
		eas_response_free(res);
		req->token = chk->creds.token;
		eas_check_run(chk, step, NULL, req, res);
	}
	return -1;
}

/* The nodes' version: every node at once; when some refused the cached
 * token, one refresh for the whole run (not one per node), then only
 * the refused requests again. */
int eas_check_send_bearer(struct eas_check *chk, struct eas_nodes *nodes, const char *step,
			  char *err, size_t errlen)
{
	bool any = false, again;
	int rc;

	if (eas_nodes_send(&chk->run, nodes, step, NULL, err, errlen))
		return eas_check_fail(chk, EAS_UNKNOWN, "%s", err);
	for (size_t i = 0; i < nodes->n; i++)
		for (size_t p = 0; p < eas_node_nreq(&nodes->node[i]); p++) {
			struct eas_response *res;
			struct eas_request *req = eas_node_req(&nodes->node[i], p, &res);

			any |= req && token_refused(req, res);
		}
	if (!any || (rc = eas_check_token_again(chk, &again)) >= 0 || !again)
		return any ? rc : -1;
	for (size_t i = 0; i < nodes->n; i++)
		for (size_t p = 0; p < eas_node_nreq(&nodes->node[i]); p++) {
			struct eas_response *res;
			struct eas_request *req = eas_node_req(&nodes->node[i], p, &res);

			if (req && token_refused(req, res))
				req->token = chk->creds.token;
		}
	if (eas_nodes_send(&chk->run, nodes, step, token_refused, err, errlen))
		return eas_check_fail(chk, EAS_UNKNOWN, "%s", err);
	return -1;
}

void eas_check_token_perf(struct eas_check *chk)
{
	if (!chk->token_perf)
		return;
	eas_out_perf(&chk->out, "token_time", chk->token_time, "s", NULL, 0, NAN);
	if (chk->token_left)
		eas_out_perf(&chk->out, "token_lifetime", (double)chk->token_left, "s", NULL, NAN,
			     NAN);
	if (chk->token_rotated_at) {
		struct eas_thresholds th = { 0 };
		char w[24];

		snprintf(w, sizeof w, "%ld", chk->o.oauth_rotation_warn);
		th.has_warn = chk->o.oauth_rotation_warn > 0 && !eas_range_parse(w, &th.warn);
		eas_out_perf(&chk->out, "refresh_token_age", rt_age(chk->token_rotated_at), "", &th,
			     0, NAN);
	}
	chk->token_perf = false;
}

void eas_check_token_judge(struct eas_check *chk)
{
	long warn = chk->o.oauth_rotation_warn;
	char rest[sizeof chk->out.summary];
	double age;

	if (!chk->token_rotated_at || warn <= 0 ||
	    (age = rt_age(chk->token_rotated_at)) < (double)warn)
		return;
	/* The cause first when it is the worst; after a worse one else. */
	snprintf(rest, sizeof rest, "%s", chk->out.summary);
	if (chk->out.state == EAS_OK || chk->out.state == EAS_WARNING) {
		eas_out_summary(
			&chk->out,
			"refresh token not rotated for %.0f days (warn %ld): it will lapse, use it more often or seed the cache again",
			age, warn);
		if (rest[0])
			eas_out_append(&chk->out, "%s", rest);
	} else {
		eas_out_append(&chk->out, "refresh token not rotated for %.0f days: it will lapse",
			       age);
	}
	eas_out_raise(&chk->out, EAS_WARNING);
}
