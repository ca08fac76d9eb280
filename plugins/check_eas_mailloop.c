/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_eas_mailloop: does mail sent through the server come back into
 * the mailbox, and how fast? As the sync check's device, each run sends
 * one message with a unique marker to the mailbox itself (SendMail, or
 * with --send-smtp through an outside relay: inbound delivery), keeps it
 * in a state file, and collects (Sync, then deletes) what
 * earlier runs sent: it never waits for a delivery. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

#include "check/check.h"
#include "http/http.h"
#include "run/run.h"
#include "eas/eas.h"
#include "util/mailaddr.h"

struct plugin_ctx {
	struct eas_sync_opts so;
	char device_id[EAS_DEVICE_ID_MAX + 1];
	char derived[2400];
	long lost_after;
	const char *smtp_url, *smtp_from; /* --send-smtp, --smtp-from */
};

/* smtp://HOST[:PORT] or smtps://: no user in it (libcurl would log in
 * with it: the relay gets no credentials). */
static bool smtp_url(const char *arg)
{
	return (!strncasecmp(arg, "smtp://", 7) || !strncasecmp(arg, "smtps://", 8)) &&
	       strlen(arg) <= 1000 && !strpbrk(arg, " \t@");
}

/* An envelope address: no brackets or blanks (libcurl adds the brackets). */
static bool smtp_addr(const char *arg)
{
	return eas_mailaddr_ok(arg) && !strpbrk(arg, "<> \t");
}

#define AT(f) offsetof(struct plugin_ctx, so.f)
static const struct eas_optdecl plugin_opts[] = {
	EAS_SYNC_DEVICE_OPTROWS(AT),
	/* The mail loop's own. */
	{ EAS_OPTROW("lost-after", "SECONDS",
		     "a message not back after this long is lost: CRITICAL (default 3600)",
		     EAS_OPT_LONG, offsetof(struct plugin_ctx, lost_after)),
	  .min = 1, .max = 30 * 86400, .what = "a number of seconds" },
	{ EAS_OPTROW(
		  "send-smtp", "URL",
		  "send the test message through this SMTP relay (smtp://HOST:PORT, smtps://HOST:PORT; no authentication) instead of SendMail: inbound delivery",
		  EAS_OPT_STRING, offsetof(struct plugin_ctx, smtp_url)),
	  .valid = smtp_url, .what = "an smtp:// or smtps:// URL without a user" },
	{ EAS_OPTROW("smtp-from", "ADDRESS",
		     "with --send-smtp: the envelope sender (default the mailbox's own address)",
		     EAS_OPT_STRING, offsetof(struct plugin_ctx, smtp_from)),
	  .valid = smtp_addr, .what = "an e-mail address (user@domain)" },
	{ 0 },
};

static int validate(void *p, const struct eas_opts *o, char *err, size_t errlen)
{
	const struct plugin_ctx *ctx = p;

	if (ctx->smtp_from && !ctx->smtp_url) {
		snprintf(err, errlen,
			 "--smtp-from without --send-smtp: SendMail sends as the mailbox");
		return -1;
	}
	return eas_sync_creds_given(o, "check_eas_mailloop", err, errlen);
}

static void summarize(struct eas_check *chk, const struct eas_ml_run *m, bool fresh)
{
	double since = m->st.last_delivery > 0 ? (double)time(NULL) - m->st.last_delivery : -1;

	if (m->lost) {
		eas_out_raise(&chk->out, EAS_CRITICAL);
		eas_out_summary(&chk->out,
				"%zu message%s lost: not back in the mailbox %ld s after sending",
				m->lost, m->lost == 1 ? "" : "s",
				((struct plugin_ctx *)chk->plugin->ctx)->lost_after);
	} else if (fresh) {
		eas_out_summary(&chk->out, "first run, nothing to collect yet: test message sent");
	} else if (m->collected) {
		eas_out_summary(&chk->out, "mail comes back: round trip %.1f s", m->roundtrip);
	} else {
		eas_out_summary(&chk->out, "nothing came back this run");
	}
	if (m->pending)
		eas_out_append(&chk->out, "%zu pending", m->pending);
	if (since >= 0 && !m->collected)
		eas_out_append(&chk->out, "last delivery %.0f s ago", since);
	/* The thresholds on every run, so a graph's lines stay; only a run
	 * that collected judges them. */
	eas_out_perf(&chk->out, "roundtrip", m->st.last_roundtrip >= 0 ? m->st.last_roundtrip : 0,
		     "s", &chk->o.th, 0, NAN);
	if (m->collected)
		eas_report_time(&chk->out, &chk->o.th, m->roundtrip);
	eas_out_perf(&chk->out, "pending", (double)m->pending, "", NULL, 0, NAN);
	eas_out_perf(&chk->out, "lost", (double)m->lost, "", NULL, 0, NAN);
	if (since >= 0) /* none yet: no number */
		eas_out_perf(&chk->out, "since_delivery", since, "s", NULL, 0, NAN);
}

int main(int argc, char **argv)
{
	static struct plugin_ctx ctx = { .lost_after = 3600 };
	const struct eas_plugin plugin = {
		.name = "check_eas_mailloop",
		.aspect = "MAILLOOP",
		.purpose =
			"checks that mail sent through Exchange ActiveSync (SendMail) or an SMTP relay comes back into the mailbox, and how fast: each run sends one and collects earlier ones",
		.examples =
			"Each run sends one test message to the mailbox itself and collects (and deletes)\n"
			"what earlier runs sent; it never waits for a delivery. One state per server and account.\n\nExamples:\n"
			"  check_eas_mailloop -H mail.example.com --user monitor@example.com --password-file /etc/nagios/eas.pass -w 60 -c 300\n"
			"  check_eas_mailloop --extra-opts=eas_mail --lost-after 1800 --state-dir /var/lib/nagios/check-eas\n"
			"  check_eas_mailloop --extra-opts=eas_mail --send-smtp smtp://mx.example.com:25 --state-dir /var/lib/nagios/check-eas\n"
			"  check_eas_mailloop -H outlook.office365.com --user monitor@example.com --oauth-tenant example.com --oauth-client-id ID --oauth-token-cache /var/lib/nagios/eas/monitor.json\n",
		.groups = EAS_OPTG_TARGET | EAS_OPTG_HTTP | EAS_OPTG_TLS | EAS_OPTG_BASIC |
			  EAS_OPTG_CLIENT | EAS_OPTG_STATE | EAS_OPTG_TOKEN,
		.threshold_help = "the last round trip (sent to back in the mailbox), in seconds",
		.opts = plugin_opts,
		.validate = validate,
		.ctx = &ctx,
	};
	static struct eas_ml_run m;
	struct eas_check chk;
	struct eas_sync_result r;
	struct eas_runlock lock;
	char lockerr[1024], host[256] = "", path[4400];
	bool fresh;
	int rc = eas_check_begin(&chk, &plugin, argc, argv);

	if (rc >= 0 ||
	    (rc = eas_check_creds(&chk, EAS_USE_BASIC | EAS_USE_CERT | EAS_USE_BEARER)) >= 0 ||
	    (rc = eas_check_device(&chk, &ctx.so, ctx.device_id, ctx.derived, sizeof ctx.derived,
				   &lock)) >= 0)
		return rc;
	if (eas_ml_load(chk.o.state_dir, ctx.so.dev.id, &m.st, &fresh, path, sizeof path, lockerr,
			sizeof lockerr)) {
		eas_runlock_release(&lock);
		return eas_check_fail(&chk, EAS_UNKNOWN, "%s", lockerr);
	}
	gethostname(host, sizeof host - 1);
	m.host = host;
	m.user = chk.creds.user;
	m.path = path;
	m.lost_after = (double)ctx.lost_after;
	m.smtp_url = ctx.smtp_url;
	m.smtp_from = ctx.smtp_from;
	m.r = &r;
	m.out = &chk.out;
	ctx.so.then = eas_ml_steps;
	ctx.so.then_ctx = &m;
	if ((rc = eas_check_device_run(&chk, &ctx.so, &lock, &r)) >= 0)
		return rc;

	if (!eas_out_sub_summary(&chk.out, 3) && r.done)
		summarize(&chk, &m, fresh);
	eas_sync_report(&chk.run, &ctx.so, ctx.derived, &r);
	eas_out_perf(&chk.out, "lock_wait", lock.waited, "s", NULL, 0, NAN);
	return eas_check_end(&chk);
}
