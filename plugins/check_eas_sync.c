/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_eas_sync: does the mailbox really sync? A device's first contact,
 * over one TLS connection: OPTIONS, Provision (policy and acknowledgement),
 * FolderSync, Settings UserInformation and, with --sync-folder, Sync and
 * GetItemEstimate. One device partnership, reused by every run. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>
#include <openssl/x509.h>

#include "check/check.h"
#include "config.h"
#include "http/http.h"
#include "run/run.h"
#include "eas/eas.h"

struct plugin_ctx {
	struct eas_sync_opts so;
	char device_id[EAS_DEVICE_ID_MAX + 1];
	char derived[2400]; /* how a derived ID came about, for -v */
};

/* A version this check speaks. */
static int version_arg(const char *arg, void *dest)
{
	int v = eas_version_parse(arg, strlen(arg));

	for (int i = 0; eas_cmd_versions[i] > 0; i++)
		if (v == eas_cmd_versions[i]) {
			memcpy(dest, &v, sizeof v);
			return 0;
		}
	return -1;
}

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
	  .parse = version_arg, .what = VERSIONS },
	{ EAS_OPTROW("min-version", "X.Y", "CRITICAL when the server offers no version this high",
		     EAS_OPT_VALUE, AT(min_version)),
	  .parse = version_arg, .what = VERSIONS },
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

/* The device this check plays: the same for every run against one server
 * and account, so Exchange keeps one partnership for it. */
static void device(struct eas_check *chk, const char *url, struct plugin_ctx *ctx)
{
	struct eas_device *d = &ctx->so.dev;
	char account[256] = "", server[2048];

	d->user = chk->creds.user;
	if (!d->type)
		d->type = "CheckEAS";
	if (!d->user_agent)
		d->user_agent = "check-eas/" PACKAGE_VERSION;
	if (d->id)
		return;
	/* The account as one mailbox, however spelt; a certificate's subject
	 * as it is. */
	if (d->user)
		eas_device_account(d->user, account, sizeof account);
	else if (chk->creds.id.cert)
		X509_NAME_oneline(X509_get_subject_name(chk->creds.id.cert), account,
				  sizeof account);
	eas_device_id_derive(url, account, ctx->device_id);
	if (eas_device_url(url, server, sizeof server))
		snprintf(server, sizeof server, "%s", url);
	snprintf(ctx->derived, sizeof ctx->derived, "derived from %s and account %s", server,
		 account[0] ? account : "(none)");
	d->id = ctx->device_id;
}

/* Runs for one device, one after the other: two at once would replace
 * each other's policy key and sync state on the server. Returns 0 with
 * the lock held (the wait in -v), 1 when -t ran out while waiting (the
 * state and words in the output), or -1 with the sentence in err. */
static int serialise(struct eas_check *chk, const struct plugin_ctx *ctx, struct eas_runlock *l,
		     char *err, size_t errlen)
{
	const char *id = ctx->so.dev.id;
	char name[64];

	snprintf(name, sizeof name, "device-%s", id);
	switch (eas_runlock_take(l, chk->o.state_dir, name, err, errlen)) {
	case EAS_RUNLOCK_TAKEN:
		if (l->waited >= 0.05)
			eas_out_detail(&chk->out,
				       "waited %.1f s for another run of this device (lock %s)",
				       l->waited, l->path);
		else
			eas_out_detail(&chk->out, "lock %s taken at once", l->path);
		return 0;
	case EAS_RUNLOCK_TIMEOUT:
		eas_out_raise(&chk->out, chk->o.timeout_state);
		eas_out_summary(
			&chk->out,
			"another run for device %s has held its lock for %.1f s: overlapping runs; raise -t or the check interval",
			id, l->waited);
		eas_out_detail(&chk->out, "%s (lock %s)", err, l->path);
		eas_out_perf(&chk->out, "lock_wait", l->waited, "s", NULL, 0, NAN);
		return 1;
	case EAS_RUNLOCK_ERROR: break;
	}
	return -1;
}

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

static void report(struct eas_check *chk, const struct plugin_ctx *ctx,
		   const struct eas_sync_result *r)
{
	struct json_object *root = eas_out_json(&chk->out), *dev;
	char label[32], v[16], recorded[2 * EAS_DEVICE_ID_MAX + 1];

	eas_out_perf(&chk->out, "time", r->total, "s", &chk->o.th, 0, NAN);
	for (int s = 0; s < EAS_STEP_COUNT; s++)
		if (r->ran[s]) {
			snprintf(label, sizeof label, "%s_time",
				 eas_sync_step_name((enum eas_sync_step)s));
			eas_out_perf(&chk->out, label, r->time[s], "s", NULL, 0, NAN);
		}
	if (r->folders >= 0)
		eas_out_perf(&chk->out, "folders", (double)r->folders, "", NULL, 0, NAN);
	if (r->estimate >= 0)
		eas_out_perf(&chk->out, "items", (double)r->estimate, "", NULL, 0, NAN);
	eas_out_detail(&chk->out, "device: type %s, ID %s, user %s, User-Agent %s",
		       ctx->so.dev.type, ctx->so.dev.id,
		       ctx->so.dev.user ? ctx->so.dev.user : "(none)", ctx->so.dev.user_agent);
	eas_out_detail(&chk->out, "device ID %s %s", ctx->so.dev.id,
		       ctx->derived[0] ? ctx->derived : "as given by --device-id");
	if (ctx->so.form == EAS_QUERY_BASE64) {
		unsigned char b[EAS_DEVICE_ID_MAX];
		size_t n = eas_device_id_bytes(ctx->so.dev.id, b);

		eas_device_id_recorded(ctx->so.dev.id, EAS_QUERY_BASE64, recorded, sizeof recorded);
		eas_out_detail(
			&chk->out,
			"base64 query form: the device ID goes as %zu bytes, the server records the partnership as %s (%s)",
			n, recorded,
			strcasecmp(recorded, ctx->so.dev.id) ? "another one than the plain form's"
							     : "the same as the plain form's");
	}
	if (!root)
		return;
	dev = json_object_new_object();
	json_object_object_add(dev, "id", json_object_new_string(ctx->so.dev.id));
	json_object_object_add(dev, "type", json_object_new_string(ctx->so.dev.type));
	json_object_object_add(dev, "user_agent", json_object_new_string(ctx->so.dev.user_agent));
	json_object_object_add(root, "device", dev);
	if (r->version > 0) {
		eas_cmd_version_text(r->version, v, sizeof v);
		json_object_object_add(root, "protocol_version", json_object_new_string(v));
	}
	if (r->mailbox[0])
		json_object_object_add(root, "mailbox", json_object_new_string(r->mailbox));
	if (r->moved_to[0])
		json_object_object_add(root, "moved_to", json_object_new_string(r->moved_to));
}

static int validate(void *p, const struct eas_opts *o, char *err, size_t errlen)
{
	(void)p;
	if ((o->user &&
	     (o->password || o->password_file || o->password_env || getenv("EAS_PASSWORD"))) ||
	    o->cert)
		return 0;
	snprintf(
		err, errlen,
		"no --user or --cert given: check_eas_sync needs --user with a password (--password-file, EAS_PASSWORD), or a client certificate (--cert), or both");
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
			"  check_eas_sync --extra-opts=eas_mail --sync-folder inbox -w 2 -c 5\n",
		.groups = EAS_OPTG_TARGET | EAS_OPTG_HTTP | EAS_OPTG_TLS | EAS_OPTG_BASIC |
			  EAS_OPTG_CLIENT | EAS_OPTG_STATE,
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

	if (rc >= 0 || (rc = eas_check_creds(&chk, EAS_USE_BASIC | EAS_USE_CERT)) >= 0)
		return rc;
	if (eas_check_target(&chk, &req, url, sizeof url, err, sizeof err))
		return eas_check_fail(&chk, EAS_UNKNOWN, "%s", err);
	device(&chk, url, &ctx);
	rc = serialise(&chk, &ctx, &lock, lockerr, sizeof lockerr);
	if (rc)
		return rc > 0 ? eas_check_end(&chk)
			      : eas_check_fail(&chk, EAS_UNKNOWN, "%s", lockerr);
	eas_sync_run(&chk.run, &ctx.so, &r);
	eas_runlock_release(&lock);

	if (!eas_out_sub_summary(&chk.out, 3) && r.done)
		summarize(&chk, &r);
	if (r.done)
		eas_report_time(&chk.out, &chk.o.th, r.total);
	report(&chk, &ctx, &r);
	eas_out_perf(&chk.out, "lock_wait", lock.waited, "s", NULL, 0, NAN);
	return eas_check_end(&chk);
}
