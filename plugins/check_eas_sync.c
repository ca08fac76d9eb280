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
	char derived[2400];         /* how a derived ID came about, for -v */
	struct eas_node_opts nodes; /* --node, --each-address, --min-nodes */
	const char *user;
	char url[2048]; /* the nodes' URL */
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
	/* A device's run: one node after another (the device's state would
	 * clash on the server). */
	EAS_NODE_OPTROWS_AS(offsetof(struct plugin_ctx, nodes), "one node after another"),
	{ 0 },
};

static void summarize(struct eas_output *out, const char *user, const struct eas_sync_result *r)
{
	char v[16], who[400];

	eas_cmd_version_text(r->version, v, sizeof v);
	/* Settings names the mailbox; a server that names no address: the
	 * account. */
	if (r->mailbox[0])
		snprintf(who, sizeof who, "mailbox %s", r->mailbox);
	else
		snprintf(who, sizeof who, "the mailbox%s%s", user ? " of " : "", user ? user : "");
	eas_out_summary(out, "%s syncs over ActiveSync %s: %s, %ld folders", who, v,
			r->policy ? "policy acknowledged" : "no policy", r->folders);
	if (r->estimate >= 0)
		eas_out_append(out, "%s: %ld item%s synced, %ld to sync", r->folder_name, r->synced,
			       r->synced == 1 ? "" : "s", r->estimate);
	if (r->reprovisioned)
		eas_out_append(out, "provisioned again on the server's demand");
}

/* The run's verdict: the failing steps first, else what synced; the time
 * against -w/-c; the run's perfdata, -v and JSON. */
static void judge(struct plugin_ctx *c, struct eas_runner *run, const struct eas_sync_result *r)
{
	if (!eas_out_sub_summary(run->out, 3) && r->done)
		summarize(run->out, c->user, r);
	if (r->done)
		eas_report_time(run->out, &run->o->th, r->total);
	eas_sync_report(run, &c->so, c->derived, r);
}

static int validate(void *p, const struct eas_opts *o, char *err, size_t errlen)
{
	struct plugin_ctx *c = p;

	if (eas_sync_creds_given(o, "check_eas_sync", err, errlen))
		return -1;
	return eas_node_opts_check(&c->nodes, o, err, errlen);
}

/* One node: the whole device run pinned to it, judged as a single run;
 * the node's time is the run's. */
static int run_node(void *p, struct eas_runner *run, struct eas_node *node)
{
	struct eas_sync_result r;

	eas_sync_run(run, &((struct plugin_ctx *)p)->so, &r);
	if (r.stopped >= 0)
		return r.stopped;
	judge(p, run, &r);
	node->res.t.total = r.total;
	return -1;
}

/* --node, --each-address: the one device on every node, one after
 * another (see doc/check_eas_sync.md, "Every node"), under the lock. */
static int check_nodes(struct eas_check *chk, struct plugin_ctx *c, struct eas_runlock *lock)
{
	struct eas_nodes nodes = { 0 };
	struct eas_request req;
	char err[320];
	int stopped = -1;

	c->so.token_again = eas_check_token_hook;
	c->so.token_ctx = chk;
	if (eas_check_target(chk, &req, c->url, sizeof c->url, err, sizeof err)) {
		eas_runlock_release(lock);
		return eas_check_fail(chk, EAS_UNKNOWN, "%s", err);
	}
	/* No address to check (the DNS words) is CRITICAL, as for options. */
	if (eas_nodes_each(&chk->run, &c->nodes, c->url, run_node, c, &nodes, &stopped, err,
			   sizeof err)) {
		eas_runlock_release(lock);
		return eas_check_fail(chk, EAS_CRITICAL, "%s", err);
	}
	eas_runlock_release(lock);
	if (stopped >= 0) {
		eas_nodes_free(&nodes);
		return stopped;
	}
	eas_nodes_report(&chk->run, &nodes, c->nodes.min_nodes, &chk->o.th);
	eas_out_perf(&chk->out, "lock_wait", lock->waited, "s", NULL, 0, NAN);
	eas_nodes_free(&nodes);
	return eas_check_end(chk);
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
			"  check_eas_sync -H mail.example.com --user monitor@example.com --password-file /etc/nagios/eas.pass --each-address --min-nodes 2\n"
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
				   &lock)) >= 0)
		return rc;
	ctx.user = chk.creds.user;
	if (eas_nodes_wanted(&ctx.nodes))
		return check_nodes(&chk, &ctx, &lock);
	if ((rc = eas_check_device_run(&chk, &ctx.so, &lock, &r)) >= 0)
		return rc;

	judge(&ctx, &chk.run, &r);
	eas_out_perf(&chk.out, "lock_wait", lock.waited, "s", NULL, 0, NAN);
	return eas_check_end(&chk);
}
