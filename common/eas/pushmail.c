/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_eas_push --trigger sendmail: the monitoring device sends a
 * message with a unique marker to its own mailbox while its Ping is held
 * (the request beside the Ping, on a second connection: SendMail needs
 * no second device, the server keeps the Ping of the device open), so
 * that the Ping announces the Inbox the way a user's phone hears of new
 * mail; then the message is synced down and deleted. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "eas/mailloop.h"
#include "eas/pushrun.h"
#include "http/http.h"

#define SEND_DELAY_MS 1000 /* the Ping held this long before the SendMail */

bool eas_push_mail_setup(struct eas_syncrun *x, struct eas_push_mail *m)
{
	const char *addr = eas_sync_own_address(x->r, x->run->creds->user);
	time_t now = time(NULL);
	char err[320];
	int len;

	if (!addr) {
		eas_sr_note(
			x, EAS_STEP_TRIGGER, EAS_UNKNOWN,
			"SendMail: the server names no address for the mailbox and the user is none: nowhere to send the test message");
		return false;
	}
	snprintf(m->marker, sizeof m->marker, EAS_PUSH_MARKER "%lld-%ld", (long long)now,
		 (long)getpid());
	snprintf(m->client_id, sizeof m->client_id, "CEP%lld%ld", (long long)now, (long)getpid());
	len = eas_ml_mime(m->mime, sizeof m->mime, addr, m->marker, now);
	if (len < 0) {
		eas_sr_note(x, EAS_STEP_TRIGGER, EAS_UNKNOWN,
			    "SendMail: the mailbox address is too long for the test message");
		return false;
	}
	m->msg = (struct eas_sendmail_msg){ m->client_id, m->mime, (size_t)len };
	if (eas_sr_prepare_sendmail(x, &m->msg, &m->side.req, &m->c, m->url, sizeof m->url, err,
				    sizeof err)) {
		eas_sr_note(x, EAS_STEP_TRIGGER, EAS_UNKNOWN, "SendMail: %s", err);
		return false;
	}
	eas_out_detail(x->run->out, "trigger: SendMail of '%s' to %s, %d ms into the Ping",
		       m->marker, addr, SEND_DELAY_MS);
	m->side.name = "trigger SendMail";
	m->side.delay_ms = SEND_DELAY_MS;
	m->side.at = -1;
	x->side = &m->side;
	return true;
}

/* Success is HTTP 200 without a body; a WBXML answer carries a Status. */
bool eas_push_mail_sent(struct eas_syncrun *x, struct eas_push_mail *m)
{
	struct eas_response *res = &m->side.res;
	struct eas_wbxml_doc doc;
	const char *st = NULL;
	char err[320];

	x->r->ran[EAS_STEP_TRIGGER] = true;
	x->r->time[EAS_STEP_TRIGGER] += res->t.total;
	x->r->total += res->t.total;
	if (res->fail != EAS_FAIL_NONE) {
		eas_sr_note(x, EAS_STEP_TRIGGER, EAS_CRITICAL, "SendMail failed: %s", res->what);
		return false;
	}
	memset(&doc, 0, sizeof doc);
	if (res->status != 200 || eas_cmd_answer(res, &doc, err, sizeof err)) {
		eas_sr_note(x, EAS_STEP_TRIGGER, EAS_CRITICAL,
			    "SendMail got HTTP %ld: the server did not take the test message",
			    res->status);
		eas_wbxml_doc_free(&doc);
		return false;
	}
	if (doc.root)
		st = eas_wbxml_str(eas_wbxml_child(doc.root, EAS_WB_PAGE_COMPOSEMAIL, 0x12));
	if (st && strcmp(st, "1")) {
		eas_sr_note(x, EAS_STEP_TRIGGER, EAS_CRITICAL,
			    "SendMail: the server refused the test message (status %s)", st);
		eas_wbxml_doc_free(&doc);
		return false;
	}
	eas_wbxml_doc_free(&doc);
	return true;
}

/* The Ping expired without news: did the message come at all? In the
 * Inbox, Direct Push missed it; not there, delivery is the fault. */
void eas_push_mail_missing(struct eas_syncrun *x, struct eas_push_state *p, struct eas_push_mail *m)
{
	double sent = p->wall0 + m->side.at;
	time_t t = (time_t)sent;
	long hb = x->so->push->heartbeat;
	char hms[16];
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(hms, sizeof hms, "%H:%M:%S", &tm);
	x->folder = p->watch[0];
	snprintf(x->synckey, sizeof x->synckey, "%s", p->keys[0]);
	p->marker = m->marker;
	p->found = false;
	if (!eas_sr_command(x, EAS_STEP_SYNC, "Sync", EAS_CMD_SYNC, eas_push_prime_body,
			    eas_push_prime_read))
		return;
	snprintf(p->keys[0], sizeof p->keys[0], "%s", x->synckey);
	if (p->found) {
		eas_sr_note(
			x, EAS_STEP_PING, EAS_CRITICAL,
			"Ping: the test message sent at %s is in the Inbox, but the server did not announce it within the heartbeat of %ld s: Direct Push does not notice changes",
			hms, hb);
		return;
	}
	eas_sr_note(
		x, EAS_STEP_PING, EAS_CRITICAL,
		"the test message sent at %s did not reach the Inbox within %.0f s: delivery (transport queue, mailbox database) is slow or broken",
		hms, x->r->push.held - m->side.at);
}

/* Always: the message goes once found (a message still on its way is
 * removed by a later run, by its marker). */
void eas_push_mail_cleanup(struct eas_syncrun *x, struct eas_push_state *p, struct eas_push_mail *m)
{
	if (p->found && p->found_id[0] && x->folder == p->watch[0]) {
		snprintf(p->left[0], sizeof p->left[0], "%s", p->found_id);
		p->nleft = 1;
		if (eas_push_remove(x, EAS_STEP_SYNC))
			eas_out_detail(x->run->out, "Sync: the test message %s deleted",
				       p->found_id);
	}
	eas_response_free(&m->side.res);
	eas_cmd_free(&m->c);
}
