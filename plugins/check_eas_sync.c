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

#define AT(f) offsetof(struct plugin_ctx, so.f)
static const struct eas_optdecl plugin_opts[] = {
	EAS_SYNC_DEVICE_OPTROWS(AT),
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
	return eas_sync_creds_given(o, "check_eas_sync", err, errlen);
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
	int rc = eas_check_begin(&chk, &plugin, argc, argv);

	if (rc >= 0 ||
	    (rc = eas_check_creds(&chk, EAS_USE_BASIC | EAS_USE_CERT | EAS_USE_BEARER)) >= 0 ||
	    (rc = eas_check_device(&chk, &ctx.so, ctx.device_id, ctx.derived, sizeof ctx.derived,
				   &lock)) >= 0 ||
	    (rc = eas_check_device_run(&chk, &ctx.so, &lock, &r)) >= 0)
		return rc;

	if (!eas_out_sub_summary(&chk.out, 3) && r.done)
		summarize(&chk, &r);
	if (r.done)
		eas_report_time(&chk.out, &chk.o.th, r.total);
	eas_sync_report(&chk.run, &ctx.so, ctx.derived, &r);
	eas_out_perf(&chk.out, "lock_wait", lock.waited, "s", NULL, 0, NAN);
	return eas_check_end(&chk);
}
