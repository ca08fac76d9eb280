/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_eas_sync: does the mailbox really sync? A device's first contact,
 * over one TLS connection: OPTIONS, Provision (policy and acknowledgement),
 * FolderSync, Settings UserInformation and, with --sync-folder, Sync and
 * GetItemEstimate. One device partnership, reused by every run. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "check/check.h"
#include "http/http.h"
#include "run/run.h"
#include "eas/eas.h"

struct plugin_ctx {
	struct eas_sync_opts so;
	char device_id[EAS_DEVICE_ID_MAX + 1];
	char derived[2400]; /* how a derived ID came about, for -v */
};

static const char *const forms[] = { "plain", "base64", NULL };
static const int form_values[] = { EAS_QUERY_PLAIN, EAS_QUERY_BASE64 };
_Static_assert(sizeof(enum eas_query_form) == sizeof(int), "a choice stores an int");

#define AT(f) offsetof(struct plugin_ctx, so.f)
#define VERSIONS "12.1, 14.0, 14.1, 16.0 or 16.1"
static const struct eas_optdecl plugin_opts[] = {
	{ EAS_OPTROW(
		  "protocol-version", "X.Y",
		  "speak this protocol version (12.1, 14.0, 14.1, 16.0, 16.1) instead of the highest both sides offer",
		  EAS_OPT_VALUE, AT(force_version)),
	  .parse = eas_cmd_version_arg, .what = VERSIONS },
	{ EAS_OPTROW("min-version", "X.Y", "CRITICAL when the server offers no version this high",
		     EAS_OPT_VALUE, AT(min_version)),
	  .parse = eas_cmd_version_arg, .what = VERSIONS },
	{ EAS_OPTROW(
		  "device-id", "ID",
		  "DeviceId (1-32 letters and digits; default derived from the server and the account, so every run is the same device)",
		  EAS_OPT_STRING, AT(dev.id)),
	  .valid = eas_device_id_valid, .what = "1 to 32 letters and digits" },
	{ EAS_OPTROW("device-type", "TYPE", "DeviceType (default CheckEAS)", EAS_OPT_STRING,
		     AT(dev.type)) },
	{ EAS_OPTROW("user-agent", "UA", "User-Agent (default check-eas/VERSION)", EAS_OPT_STRING,
		     AT(dev.user_agent)) },
	{ EAS_OPTROW("query-encoding", "plain|base64",
		     "the request query as plain parameters (default) or base64 (MS-ASHTTP)",
		     EAS_OPT_CHOICE, AT(form)),
	  .words = forms, .values = form_values },
	{ EAS_OPTROW(
		  "require-folder", "TYPE|NAME",
		  "CRITICAL unless FolderSync lists this folder: inbox, calendar, contacts, ... or a display name",
		  EAS_OPT_LIST, AT(require)),
	  .count_at = AT(nrequire), .max = EAS_SYNC_MAX_REQUIRED },
	{ EAS_OPTROW(
		"expect-mailbox", "ADDRESS",
		"CRITICAL unless Settings names this primary SMTP address (before 14.1: any address of the mailbox); WARNING when it names none",
		EAS_OPT_STRING, AT(expect_mailbox)) },
	{ EAS_OPTROW("sync-folder", "TYPE|NAME",
		     "also Sync this folder (one item) and estimate its items", EAS_OPT_STRING,
		     AT(sync_folder)) },
	{ 0 },
};

static void summarize(struct eas_check *chk, const struct eas_sync_result *r)
{
	const char *user = chk->creds.user;
	char v[16], who[400];

	eas_cmd_version_text(r->version, v, sizeof v);
	/* Settings names the mailbox; a server that names no address: the
	 * account. */
	if (r->mailbox[0])
		snprintf(who, sizeof who, "mailbox %s", r->mailbox);
	else
		snprintf(who, sizeof who, "the mailbox%s%s", user ? " of " : "", user ? user : "");
	eas_out_summary(&chk->out, "%s syncs over ActiveSync %s: %s, %ld folders", who, v,
			r->policy ? "policy acknowledged" : "no policy", r->folders);
	if (r->estimate >= 0)
		eas_out_append(&chk->out, "%s: %ld item%s synced, %ld to sync", r->folder_name,
			       r->synced, r->synced == 1 ? "" : "s", r->estimate);
	if (r->reprovisioned)
		eas_out_append(&chk->out, "provisioned again on the server's demand");
}

static int validate(void *p, const struct eas_opts *o, char *err, size_t errlen)
{
	(void)p;
	if ((o->user && (o->password || o->password_file || o->password_env ||
			 getenv("EAS_PASSWORD") || o->bearer_token_file || o->oauth_token_cache)) ||
	    o->cert)
		return 0;
	snprintf(
		err, errlen,
		"no --user or --cert given: check_eas_sync needs --user with a password (--password-file, EAS_PASSWORD) or a bearer token (--oauth-token-cache, --bearer-token-file), or a client certificate (--cert), or both");
	return -1;
}

int main(int argc, char **argv)
{
	static struct plugin_ctx ctx;
	const struct eas_plugin plugin = {
		.name = "check_eas_sync",
		.aspect = "SYNC",
		.purpose =
			"checks that a mailbox really syncs over Exchange ActiveSync: Provision, FolderSync, Settings and, with --sync-folder, Sync, as a device does",
		.examples =
			"The monitoring device shows on the server as type CheckEAS with a fixed ID (see -v):\n"
			"allow it in device access rules; one partnership per server and account.\n\nExamples:\n"
			"  check_eas_sync -H mail.example.com --user monitor@example.com --password-file /etc/nagios/eas.pass\n"
			"  check_eas_sync -H mail.example.com --cert device.p12 --cert-password-file p12.pass --user monitor@example.com --expect-mailbox monitor@example.com\n"
			"  check_eas_sync --extra-opts=eas_mail --sync-folder inbox -w 2 -c 5\n"
			"  check_eas_sync -H outlook.office365.com --user monitor@example.com --oauth-tenant example.com --oauth-client-id ID --oauth-token-cache /var/lib/nagios/eas/monitor.json\n",
		.groups = EAS_OPTG_TARGET | EAS_OPTG_HTTP | EAS_OPTG_TLS | EAS_OPTG_BASIC |
			  EAS_OPTG_CLIENT | EAS_OPTG_STATE | EAS_OPTG_TOKEN,
		.discover = &eas_check_autodiscover,
		.threshold_help = "the time of all steps together, in seconds",
		.opts = plugin_opts,
		.validate = validate,
		.ctx = &ctx,
	};
	struct eas_check chk;
	struct eas_sync_result r;
	struct eas_runlock lock;
	struct eas_request req;
	char url[2048], err[320], lockerr[1024];
	int rc = eas_check_begin(&chk, &plugin, argc, argv);

	if (rc >= 0 ||
	    (rc = eas_check_creds(&chk, EAS_USE_BASIC | EAS_USE_CERT | EAS_USE_BEARER)) >= 0)
		return rc;
	if (eas_check_target(&chk, &req, url, sizeof url, err, sizeof err))
		return eas_check_fail(&chk, EAS_UNKNOWN, "%s", err);
	eas_device_defaults(&ctx.so.dev, &chk.creds, url, ctx.device_id, ctx.derived,
			    sizeof ctx.derived);
	rc = eas_sync_lock(&chk.run, ctx.so.dev.id, &lock, lockerr, sizeof lockerr);
	if (rc)
		return rc > 0 ? eas_check_end(&chk)
			      : eas_check_fail(&chk, EAS_UNKNOWN, "%s", lockerr);
	ctx.so.token_again = eas_check_token_hook;
	ctx.so.token_ctx = &chk;
	eas_sync_run(&chk.run, &ctx.so, &r);
	eas_runlock_release(&lock);
	if (r.stopped >= 0)
		return r.stopped;

	if (!eas_out_sub_summary(&chk.out, 3) && r.done)
		summarize(&chk, &r);
	if (r.done)
		eas_report_time(&chk.out, &chk.o.th, r.total);
	eas_sync_report(&chk.run, &ctx.so, ctx.derived, &r);
	eas_out_perf(&chk.out, "lock_wait", lock.waited, "s", NULL, 0, NAN);
	return eas_check_end(&chk);
}
