/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "check/check.h"
#include "check/checktoken.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "run/run.h"
#include "tls/tls.h"
#include "util/secret.h"

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

int eas_check_creds(struct eas_check *chk, unsigned uses)
{
	char err[512];
	int rc;

	if (eas_creds_load(&chk->o, uses | (chk->o.oauth_grant_password ? EAS_USE_BASIC : 0),
			   &chk->creds, err, sizeof err))
		return eas_check_fail(chk, EAS_UNKNOWN, "%s", err);
	/* The password grant's password goes to the token endpoint and
	 * nowhere else: out of the credentials requests are given. */
	if (chk->o.oauth_grant_password) {
		chk->oauth_password = chk->creds.password;
		chk->creds.password = NULL;
		if (!chk->oauth_password)
			return eas_check_fail(
				chk, EAS_UNKNOWN,
				"--oauth-grant password needs the password of --user (--password-file, --password-env or --password)");
	}
	if ((uses & EAS_USE_BEARER) && chk->o.oauth_token_cache &&
	    (rc = eas_check_token_flow(chk, NULL)) >= 0)
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

static void release(struct eas_check *chk)
{
	eas_check_token_perf(chk);
	eas_deadline_stop();
	free(chk->disc);
	chk->disc = NULL;
	eas_creds_free(&chk->creds);
	eas_secret_free(chk->oauth_password);
	chk->oauth_password = NULL;
	if (chk->have_lib)
		eas_probe_global_cleanup();
	if (chk->have_opts)
		eas_opts_free(&chk->o);
	chk->have_lib = chk->have_opts = false;
}

int eas_check_end(struct eas_check *chk)
{
	eas_check_token_judge(chk);
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
