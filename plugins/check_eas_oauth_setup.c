/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_eas_oauth_setup: the bootstrap of --oauth-token-cache (issue 17).
 * The device-code flow (RFC 8628), run once by the monitoring user: it
 * prints where to sign in and the code, waits for the sign-in (polling
 * the token endpoint at the server's interval), and writes the token
 * cache the plugins then keep alive. The same options, output and request
 * path as the plugins; the last line is the result. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <libgen.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check/check.h"
#include "oauth/oauth.h"
#include "run/run.h"

struct plugin_ctx {
	const char *device_url;
	bool force;
};

#define AT(f) offsetof(struct plugin_ctx, f)

static bool https_url(const char *arg)
{
	return !strncasecmp(arg, "https://", 8) && strlen(arg) <= 1000 && !strpbrk(arg, " \t@");
}

static const struct eas_optdecl plugin_opts[] = {
	{ EAS_OPTROW(
		  "oauth-device-url", "URL",
		  "device authorization endpoint (https://) instead of --oauth-tenant's; with --oauth-token-url",
		  EAS_OPT_STRING, AT(device_url)),
	  .valid = https_url, .what = "an https:// URL" },
	{ EAS_OPTROW("force", NULL, "replace an existing --oauth-token-cache", EAS_OPT_FLAG,
		     AT(force)) },
	{ 0 },
};

static int validate(void *vctx, const struct eas_opts *o, char *err, size_t errlen)
{
	const struct plugin_ctx *ctx = vctx;

	if (!o->oauth_token_cache)
		snprintf(err, errlen, "no --oauth-token-cache given: the file to write");
	else if (ctx->device_url && (o->oauth_tenant || !o->oauth_token_url))
		snprintf(err, errlen,
			 "--oauth-device-url goes with --oauth-token-url, not --oauth-tenant");
	else if (!ctx->device_url && o->oauth_token_url)
		snprintf(err, errlen, "--oauth-token-url needs --oauth-device-url here");
	else if (o->oauth_grant_password || o->bearer_token_file)
		snprintf(err, errlen, "the setup signs in by device code only");
	else
		return 0;
	return -1;
}

/* Where to sign in, before the wait: stdout, at once. */
static void prompt(const struct eas_oauth_device *d)
{
	printf("To sign in as the monitoring user, open %s and enter the code %s\n", d->uri,
	       d->user_code);
	if (d->uri_complete[0])
		printf("Or open %s (the code filled in)\n", d->uri_complete);
	printf("Waiting for the sign-in (at most %ld s)...\n", d->expires_in);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct plugin_ctx ctx = { 0 };
	const struct eas_plugin plugin = {
		.name = "check_eas_oauth_setup",
		.aspect = "OAUTH SETUP",
		.purpose =
			"writes the token cache of --oauth-token-cache: signs the monitoring user in by the device-code flow (prints a URL and a code, waits for the sign-in)",
		.examples =
			"Examples:\n"
			"  sudo -u nagios check_eas_oauth_setup --oauth-tenant example.com --oauth-client-id ID --oauth-token-cache /var/lib/nagios/eas/monitor.json\n"
			"  check_eas_oauth_setup --oauth-device-url https://idp.example.com/device/auth --oauth-token-url https://idp.example.com/token --oauth-client-id ID --oauth-token-cache FILE --force\n",
		.groups = EAS_OPTG_NET | EAS_OPTG_TLS | EAS_OPTG_TOKEN,
		.target_optional = true,
		.opts = plugin_opts,
		.validate = validate,
		.ctx = &ctx,
	};
	struct eas_oauth_setup_cfg cfg;
	struct eas_oauth_setup_got got = { 0 };
	struct eas_oauth_device d;
	enum eas_oauth_result r;
	struct eas_check chk;
	struct stat st;
	char err[900], dir[4200];
	int rc = eas_check_begin(&chk, &plugin, argc, argv);

	if (rc >= 0 || (rc = eas_check_creds(&chk, 0)) >= 0)
		return rc;
	cfg = (struct eas_oauth_setup_cfg){
		.device_url = ctx.device_url,
		.token_url = chk.o.oauth_token_url,
		.tenant = chk.o.oauth_tenant,
		.client_id = chk.o.oauth_client_id,
		.scope = chk.o.oauth_scope,
		.cache = chk.o.oauth_token_cache,
		.force = ctx.force,
	};
	/* Before anyone signs in: a cache in use is not replaced by mistake. */
	if (!ctx.force && !lstat(cfg.cache, &st))
		return eas_check_fail(
			&chk, EAS_UNKNOWN,
			"the token cache %s exists: not replaced (--force replaces it)", cfg.cache);
	/* ...and the file can be written, before anyone signs in for nothing. */
	snprintf(dir, sizeof dir, "%s", cfg.cache);
	if (access(dirname(dir), W_OK | X_OK))
		return eas_check_fail(
			&chk, EAS_UNKNOWN,
			"cannot write the token cache %s: its directory is missing or not writable by this user",
			cfg.cache);
	r = eas_oauth_device_start(&chk.run, &cfg, &d, &got, err, sizeof err);
	if (r == EAS_OAUTH_GOT) {
		/* Without -t, the code's own life bounds the wait. */
		if (!chk.o.timeout_given) {
			eas_deadline_stop();
			eas_deadline_start((double)d.expires_in + 15, chk.o.timeout_state,
					   &(struct eas_deadline_msg){ plugin.name, plugin.aspect,
								       chk.o.format, NULL });
		}
		prompt(&d);
		eas_out_detail(&chk.out, "device code from %s: user code %s, polling every %ld s",
			       got.url, d.user_code, d.interval);
		r = eas_oauth_device_poll(&chk.run, &cfg, &d, &got, err, sizeof err);
	}
	eas_oauth_device_free(&d);
	switch (r) {
	case EAS_OAUTH_GOT: break;
	case EAS_OAUTH_SETUP: return eas_check_fail(&chk, EAS_UNKNOWN, "%s", err);
	case EAS_OAUTH_REFUSED: return eas_check_fail(&chk, EAS_CRITICAL, "%s", err);
	case EAS_OAUTH_FAILED:
		return eas_check_fail(&chk,
				      got.timed_out ? chk.o.timeout_state
				      : got.fail == EAS_FAIL_NONE
					      ? EAS_CRITICAL
					      : eas_fail_state(got.fail, chk.o.timeout_state),
				      "%s", err);
	}
	eas_out_summary(&chk.out, "token cache %s written for %s, %ld poll%s%s", cfg.cache,
			got.user[0] ? got.user : "the signed-in user", got.polls,
			got.polls == 1 ? "" : "s", got.slow_downs ? " (slowed down)" : "");
	eas_out_detail(&chk.out,
		       "signed in after %.1f s; the plugins take it with --oauth-token-cache %s",
		       got.waited, cfg.cache);
	eas_out_perf(&chk.out, "time", got.waited, "s", NULL, 0, NAN);
	return eas_check_end(&chk);
}
