/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_eas_push: does Direct Push work? As the sync check's device
 * (OPTIONS, Provision, FolderSync, the watched folders synced to their
 * end), a Ping on the Inbox held for the heartbeat: it must expire with
 * status 1, not be cut short by a proxy whose idle timeout is shorter. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>

#include "check/check.h"
#include "http/http.h"
#include "run/run.h"
#include "eas/eas.h"

struct plugin_ctx {
	struct eas_sync_opts so;
	struct eas_push_opts push;
	char device_id[EAS_DEVICE_ID_MAX + 1];
	char derived[2400]; /* how a derived ID came about, for -v */
};

static const char *const triggers[] = { "item", "sendmail", NULL };
static const int trigger_values[] = { EAS_PUSH_TRIGGER_ITEM, EAS_PUSH_TRIGGER_SENDMAIL };

#define AT(f) offsetof(struct plugin_ctx, so.f)
#define PUSH(f) offsetof(struct plugin_ctx, push.f)
static const struct eas_optdecl plugin_opts[] = {
	EAS_SYNC_DEVICE_OPTROWS(AT),
	{ EAS_OPTROW(
		  "heartbeat", "SECONDS",
		  "how long the server is asked to hold the Ping (default 480; -t must be longer)",
		  EAS_OPT_LONG, PUSH(heartbeat)),
	  .min = 1, .max = 3540, .what = "a number of seconds" },
	{ EAS_OPTROW(
		  "ping-folder", "TYPE|NAME",
		  "watch this folder too (repeatable): calendar, contacts, ... or a display name",
		  EAS_OPT_LIST, PUSH(folders)),
	  .count_at = PUSH(nfolders), .max = EAS_PUSH_MAX_FOLDERS - 2 },
	{ EAS_OPTROW(
		"hold", NULL,
		"expect no change: the Ping must be held until the heartbeat expires (the default)",
		EAS_OPT_FLAG, PUSH(hold)) },
	{ EAS_OPTROW(
		  "trigger", "item|sendmail",
		  "once the Ping is held, change a watched folder: item (a second device of the account adds a calendar item) or sendmail (a message to the mailbox itself, through the server's transport): -w/-c on the time until the Ping announces it",
		  EAS_OPT_CHOICE, PUSH(trigger)),
	  .words = triggers, .values = trigger_values },
	{ 0 },
};

static void summarize(struct eas_check *chk, const struct eas_sync_result *r, long heartbeat,
		      int trigger)
{
	const struct eas_push_result *p = &r->push;
	char more[40] = "";

	if (p->watched > 1)
		snprintf(more, sizeof more, " and %zu more folder%s", p->watched - 1,
			 p->watched == 2 ? "" : "s");
	if (p->latency >= 0 && trigger == EAS_PUSH_TRIGGER_SENDMAIL)
		eas_out_summary(
			&chk->out,
			"Direct Push works: a test message to the mailbox was announced by the Ping %.2f s after SendMail, synced down after %.2f s",
			p->latency, p->delivery);
	else if (p->latency >= 0)
		eas_out_summary(
			&chk->out,
			"Direct Push works: a new calendar item was announced by the Ping %.2f s after it was added, synced down after %.2f s",
			p->latency, p->delivery);
	else if (p->end == EAS_PUSH_CHANGED)
		eas_out_summary(
			&chk->out,
			"Direct Push works: the server announced a change in %s after %.1f s of the heartbeat of %ld s",
			p->folder[0] ? p->folder : "a watched folder", p->held, heartbeat);
	else
		eas_out_summary(
			&chk->out,
			"Direct Push works: the Ping on the Inbox%s was held %.0f s, until its heartbeat of %ld s expired",
			more, p->held, heartbeat);
}

static int validate(void *p, const struct eas_opts *o, char *err, size_t errlen)
{
	const struct plugin_ctx *ctx = p;

	if (eas_sync_creds_given(o, "check_eas_push", err, errlen))
		return -1;
	if (ctx->push.hold && ctx->push.trigger) {
		snprintf(err, errlen,
			 "--hold and --trigger exclude each other: --hold expects no change");
		return -1;
	}
	/* The Ping is held the whole heartbeat, after the steps before it. */
	if (o->timeout <= (double)ctx->push.heartbeat) {
		snprintf(
			err, errlen,
			"-t %g s is not longer than the heartbeat of %ld s, for which the Ping is held: give -t %ld or more, or a shorter --heartbeat",
			o->timeout, ctx->push.heartbeat, ctx->push.heartbeat + 20);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct plugin_ctx ctx = { .push = { .heartbeat = 480 } };
	const struct eas_plugin plugin = {
		.name = "check_eas_push",
		.aspect = "PUSH",
		.purpose =
			"checks Direct Push over Exchange ActiveSync: a Ping on the Inbox, as a device holds it, must last the whole heartbeat and not be cut by a proxy",
		.examples =
			"The check plays the same device as check_eas_sync (type CheckEAS, a fixed ID: see -v).\n"
			"-t and the check interval must be longer than the heartbeat.\n\nExamples:\n"
			"  check_eas_push -H mail.example.com --user monitor@example.com --password-file /etc/nagios/eas.pass --heartbeat 480 -t 520\n"
			"  check_eas_push --extra-opts=eas_mail --heartbeat 900 --ping-folder calendar -t 960\n",
		.groups = EAS_OPTG_TARGET | EAS_OPTG_HTTP | EAS_OPTG_TLS | EAS_OPTG_BASIC |
			  EAS_OPTG_CLIENT | EAS_OPTG_STATE | EAS_OPTG_TOKEN,
		.discover = &eas_check_autodiscover,
		.threshold_help =
			"with --trigger: push_latency, the seconds from the change to the Ping's answer; else the time of all steps together",
		.opts = plugin_opts,
		.validate = validate,
		.ctx = &ctx,
	};
	struct eas_check chk;
	struct eas_sync_result r;
	struct eas_runlock lock;
	int rc = eas_check_begin(&chk, &plugin, argc, argv);

	ctx.so.push = &ctx.push;
	/* The sync check's device and lock: one device, one run at a time. */
	if (rc >= 0 ||
	    (rc = eas_check_creds(&chk, EAS_USE_BASIC | EAS_USE_CERT | EAS_USE_BEARER)) >= 0 ||
	    (rc = eas_check_device(&chk, &ctx.so, ctx.device_id, ctx.derived, sizeof ctx.derived,
				   &lock)) >= 0 ||
	    (rc = eas_check_device_run(&chk, &ctx.so, &lock, &r)) >= 0)
		return rc;

	if (!eas_out_sub_summary(&chk.out, 3) && r.done)
		summarize(&chk, &r, ctx.push.heartbeat, ctx.push.trigger);
	if (ctx.push.trigger && r.push.latency >= 0) {
		/* -w/-c: how long the news took to reach the device. */
		enum eas_state s = eas_thresholds_check(&chk.o.th, r.push.latency);

		eas_out_raise(&chk.out, s);
		if (s != EAS_OK)
			eas_out_append(&chk.out, "push slow: %.2f s", r.push.latency);
		eas_out_perf(&chk.out, "push_latency", r.push.latency, "s", &chk.o.th, 0, NAN);
		eas_out_perf(&chk.out, "delivery_time", r.push.delivery, "s", NULL, 0, NAN);
	} else if (r.done) {
		eas_report_time(&chk.out, &chk.o.th, r.total);
	}
	if (r.push.end != EAS_PUSH_NONE && r.push.end != EAS_PUSH_FAILED)
		eas_out_perf(&chk.out, "held", r.push.held, "s", NULL, 0, NAN);
	eas_sync_report(&chk.run, &ctx.so, ctx.derived, &r);
	eas_out_perf(&chk.out, "lock_wait", lock.waited, "s", NULL, 0, NAN);
	return eas_check_end(&chk);
}
