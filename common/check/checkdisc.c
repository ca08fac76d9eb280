/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --autodiscover for the plugins that take a URL and name these hooks in
 * their description: find it as a device does, then check it; the output
 * tells both. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "check/check.h"
#include "autodiscover/autodiscover.h"
#include "http/http.h"

static int find(struct eas_check *chk)
{
	const struct eas_opts *o = &chk->o;
	struct eas_ad_opts d = { .address = o->autodiscover, .methods = EAS_AD_POX };
	struct eas_creds creds;
	unsigned uses = (o->user ? EAS_USE_BASIC : 0) | (o->cert ? EAS_USE_CERT : 0);
	char err[512];
	int rc;

	if (!o->autodiscover)
		return -1;
	chk->disc = calloc(1, sizeof *chk->disc);
	if (!chk->disc)
		return eas_check_fail(chk, EAS_UNKNOWN, "out of memory");
	/* Autodiscover asks with the credentials the plugin is given, as a
	 * device asks with the account's. */
	if (eas_creds_load(o, uses, &creds, err, sizeof err))
		return eas_check_fail(chk, EAS_UNKNOWN, "%s", err);
	/* The check's bearer token (a file's, or the cache's after its
	 * flow), borrowed: it goes instead of the password, as the rule
	 * allows. */
	creds.token = chk->creds.token;
	d.creds = &creds;
	rc = eas_ad_discover(&chk->run, &d, chk->disc);
	if (chk->disc->bearer_refused) {
		/* A host refused the cached token: one refresh, once more. */
		bool again;
		int r = eas_check_token_again(chk, &again);

		if (r >= 0) {
			creds.token = NULL; /* released with chk */
			eas_creds_free(&creds);
			return r;
		}
		creds.token = chk->creds.token;
		if (again)
			rc = eas_ad_discover(&chk->run, &d, chk->disc);
	}
	creds.token = NULL;
	eas_creds_free(&creds);
	if (rc) {
		char why[sizeof chk->disc->pox.why + 160];

		eas_ad_details(&chk->out, chk->disc);
		return eas_check_fail(chk, chk->disc->out_of_time ? o->timeout_state : EAS_CRITICAL,
				      "Autodiscover found no server for %s: %s", o->autodiscover,
				      eas_ad_words(chk->disc->pox.why, why, sizeof why));
	}
	if (!eas_credrule_is_https(chk->disc->pox.url)) {
		eas_ad_details(&chk->out, chk->disc);
		return eas_check_fail(
			chk, EAS_CRITICAL,
			"Autodiscover for %s gives %s, not https://: devices would send the password unencrypted",
			o->autodiscover, chk->disc->pox.url);
	}
	snprintf(chk->disc_url, sizeof chk->disc_url, "%s", chk->disc->pox.url);
	chk->o.url = chk->disc_url;
	return -1;
}

static int check_creds(struct eas_check *chk, unsigned uses)
{
	const struct eas_creds *c = &chk->creds;
	struct eas_cred_verdict v;

	if (!chk->o.autodiscover || !chk->disc_url[0] ||
	    !(((uses & EAS_USE_BASIC) && c->user) || c->token || c->id.cert))
		return -1;
	/* The URL found is the check's target: the credentials go there only
	 * as the rule allows a host found by discovery; a device would stop
	 * here too. */
	if (!eas_credrule_decide(&c->rule, chk->disc_url, EAS_CRED_DISCOVERED, &v))
		return -1;
	eas_ad_details(&chk->out, chk->disc);
	return eas_check_fail(chk, EAS_CRITICAL, "Autodiscover for %s gives %s: %s",
			      chk->o.autodiscover, chk->disc_url, v.why);
}

static void report(struct eas_check *chk)
{
	const struct eas_ad_found *f;
	struct json_object *root = eas_out_json(&chk->out);

	if (!chk->disc || !chk->o.autodiscover)
		return;
	f = &chk->disc->pox;
	if (f->found)
		eas_out_append(&chk->out, "URL from Autodiscover for %s (%s%s)",
			       chk->o.autodiscover, eas_ad_cand_text(f->cand),
			       f->nredirects ? ", redirected" : "");
	eas_ad_details(&chk->out, chk->disc);
	eas_out_perf(&chk->out, "autodiscover_time", f->time, "s", NULL, 0, NAN);
	if (root)
		json_object_object_add(root, "autodiscover",
				       eas_ad_json(chk->disc, chk->o.autodiscover));
}

const struct eas_check_discovery eas_check_autodiscover = { find, check_creds, report };
