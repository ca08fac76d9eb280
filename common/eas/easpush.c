/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The push run's own steps, after the sync run's OPTIONS, Provision and
 * FolderSync (eassync.c): Sync each watched folder to its end, so that
 * the server has nothing left to announce, then Ping them ([MS-ASCMD]
 * 2.2.1.13) and see how the Ping ends: expired after the heartbeat,
 * answered with a change, or cut short by something in between. The
 * wait is the probe's: libcurl's multi loop sleeps in poll. */
#include <stdio.h>
#include <string.h>

#include "eas/pushrun.h"
#include "eas/syncrun.h"
#include "http/http.h"

#define PRIME_WINDOW 100
#define PRIME_ROUNDS 50 /* windows per folder: 5000 items at most */
/* A Ping that ends without its answer after at least this long was held
 * and cut; sooner, the request itself failed. */
#define CUT_MIN_S 1.0

static const char *folder_label(const struct eas_folder *f)
{
	return f->name[0] ? f->name : eas_folder_type_name(f->type);
}

/* The Inbox and every --ping-folder, as FolderSync lists them. */
static bool find_watched(struct eas_syncrun *x, struct eas_push_state *p)
{
	const struct eas_push_opts *po = x->so->push;

	p->n = 0;
	p->watch[p->n++] = eas_folder_find(&x->fs, "inbox");
	/* The trigger's change must be in a watched folder. */
	if (po->trigger == EAS_PUSH_TRIGGER_ITEM) {
		const struct eas_folder *cal = eas_folder_find(&x->fs, "calendar");

		if (!cal) {
			eas_sr_note(x, EAS_STEP_PING, EAS_CRITICAL,
				    "--trigger item: the mailbox has no Calendar folder");
			return false;
		}
		p->cal = p->n;
		p->watch[p->n++] = cal;
	}
	for (size_t i = 0; i < po->nfolders; i++) {
		const struct eas_folder *f = eas_folder_find(&x->fs, po->folders[i]);

		if (!f) {
			eas_sr_note(x, EAS_STEP_PING, EAS_CRITICAL,
				    "Ping: no folder %s in the mailbox to watch", po->folders[i]);
			return false;
		}
		for (size_t j = 0; j < p->n && f; j++)
			if (p->watch[j] == f)
				f = NULL; /* watched already */
		if (f)
			p->watch[p->n++] = f;
	}
	x->r->push.watched = p->n;
	return true;
}

void eas_push_prime_body(struct eas_syncrun *x, struct eas_wbxml_writer *w)
{
	eas_sync_body(w, x->synckey, x->folder->id,
		      x->r->version < 1400 ? eas_folder_class(x->folder->type) : NULL, PRIME_WINDOW,
		      NULL, 0);
}

int eas_push_prime_read(struct eas_syncrun *x, const struct eas_wbxml_node *root, char *err,
			size_t errlen)
{
	struct eas_sync_answer a;

	if (eas_sync_parse(root, &a, err, errlen))
		return -2;
	x->more = a.more;
	if (x->push && root) {
		struct eas_push_state *p = x->push;
		struct eas_sync_items it;

		eas_sync_items_read(root, &it);
		for (size_t i = 0; i < it.n; i++) {
			if (p->marker && !strcmp(it.items[i].subject, p->marker)) {
				p->found = true;
				snprintf(p->found_id, sizeof p->found_id, "%s",
					 it.items[i].server_id);
			} else if (!strncmp(it.items[i].subject, EAS_PUSH_MARKER,
					    strlen(EAS_PUSH_MARKER)) &&
				   p->nleft < EAS_SYNC_MAX_ITEMS) {
				snprintf(p->left[p->nleft++], sizeof p->left[0], "%s",
					 it.items[i].server_id);
			}
		}
	}
	if (a.empty)
		return a.status;
	if (!a.synckey[0] && a.status == 1) {
		snprintf(err, errlen, "the answer carries no SyncKey");
		return -2;
	}
	if (a.synckey[0])
		snprintf(x->synckey, sizeof x->synckey, "%s", a.synckey);
	x->r->synced += a.added + a.changed;
	return a.status;
}

/* From SyncKey 0 to the end: a device Pings only folders it is in sync
 * with, or the server answers at once with what is left. */
bool eas_push_prime(struct eas_syncrun *x, const struct eas_folder *f)
{
	int rounds = 0;

	x->folder = f;
	x->more = false;
	x->r->synced = 0;
	snprintf(x->synckey, sizeof x->synckey, "0");
	if (!eas_sr_command(x, EAS_STEP_SYNC, "Sync", EAS_CMD_SYNC, eas_push_prime_body,
			    eas_push_prime_read))
		return false;
	do {
		if (!eas_sr_command(x, EAS_STEP_SYNC, "Sync", EAS_CMD_SYNC, eas_push_prime_body,
				    eas_push_prime_read))
			return false;
	} while (x->more && ++rounds < PRIME_ROUNDS);
	if (x->more) {
		eas_sr_note(x, EAS_STEP_SYNC, EAS_WARNING,
			    "Sync: %s has more than %d items; the Ping may answer at once",
			    folder_label(f), PRIME_WINDOW * PRIME_ROUNDS);
		return true;
	}
	eas_out_detail(x->run->out, "Sync: %s in sync (%ld item%s)", folder_label(f), x->r->synced,
		       x->r->synced == 1 ? "" : "s");
	return true;
}

static void delete_body(struct eas_syncrun *x, struct eas_wbxml_writer *w)
{
	const struct eas_push_state *p = x->push;
	const char *ids[EAS_SYNC_MAX_ITEMS];

	for (size_t i = 0; i < p->nleft; i++)
		ids[i] = p->left[i];
	eas_sync_delete_body(w, x->synckey, x->folder->id, ids, p->nleft);
}

static int delete_read(struct eas_syncrun *x, const struct eas_wbxml_node *root, char *err,
		       size_t errlen)
{
	struct eas_sync_answer a;

	if (eas_sync_parse(root, &a, err, errlen))
		return -2;
	if (a.synckey[0])
		snprintf(x->synckey, sizeof x->synckey, "%s", a.synckey);
	return a.status;
}

bool eas_push_remove(struct eas_syncrun *x, enum eas_sync_step step)
{
	struct eas_push_state *p = x->push;

	if (!p->nleft)
		return true;
	x->more = false;
	if (!eas_sr_command(x, step, "Sync", EAS_CMD_SYNC, delete_body, delete_read))
		return false;
	p->nleft = 0;
	return true;
}

/* Each watched folder in sync; test items of earlier interrupted runs
 * (--trigger sendmail's messages in the Inbox) deleted on the way. */
static bool prime_all(struct eas_syncrun *x, struct eas_push_state *p)
{
	for (size_t i = 0; i < p->n; i++) {
		size_t left;

		p->nleft = 0;
		if (!eas_push_prime(x, p->watch[i]))
			return false;
		left = p->nleft;
		if (left && !eas_push_remove(x, EAS_STEP_SYNC))
			return false;
		if (left) {
			x->r->push.leftovers += left;
			eas_out_detail(x->run->out, "Sync: removed %zu test item%s of earlier runs",
				       left, left == 1 ? "" : "s");
		}
		snprintf(p->keys[i], sizeof p->keys[i], "%s", x->synckey);
	}
	eas_sr_note(x, EAS_STEP_SYNC, EAS_OK, "Sync: %zu folder%s in sync for the Ping", p->n,
		    p->n == 1 ? "" : "s");
	return true;
}

static void ping_body(struct eas_syncrun *x, struct eas_wbxml_writer *w)
{
	struct eas_push_state *p = x->push;
	const char *ids[EAS_PUSH_MAX_FOLDERS], *cls[EAS_PUSH_MAX_FOLDERS];

	for (size_t i = 0; i < p->n; i++) {
		ids[i] = p->watch[i]->id;
		cls[i] = eas_folder_class(p->watch[i]->type);
	}
	eas_ping_body(w, x->so->push->heartbeat, ids, cls, p->n);
}

static int ping_read(struct eas_syncrun *x, const struct eas_wbxml_node *root, char *err,
		     size_t errlen)
{
	struct eas_push_state *p = x->push;
	const struct eas_code_meaning *m;

	if (eas_ping_parse(root, &p->answer, err, errlen))
		return -2;
	m = eas_code_lookup(EAS_CMD_PING, p->answer.status);
	/* The limits the answer names belong with the table's words. */
	if (p->answer.heartbeat >= 0 && m->action != EAS_CA_OK)
		snprintf(x->judged_extra, sizeof x->judged_extra,
			 "its limit is %ld s, asked for %ld s", p->answer.heartbeat,
			 x->so->push->heartbeat);
	else if (p->answer.max_folders >= 0 && m->action != EAS_CA_OK)
		snprintf(x->judged_extra, sizeof x->judged_extra,
			 "it watches at most %ld, asked for %zu", p->answer.max_folders, p->n);
	/* A changed hierarchy: FolderSync and Ping again, once. */
	if (m->action == EAS_CA_RESYNC && !x->r->push.retried) {
		p->hierarchy_changed = true;
		x->judged_extra[0] = 0;
		return 1;
	}
	return p->answer.status;
}

/* The Ping ended without its answer (no answer at all, or an HTTP error
 * such as a proxy's 504) after it was held a while but before the
 * heartbeat: something between here and the server cut it. */
static bool cut(struct eas_syncrun *x, enum eas_sync_step step, const struct eas_response *res)
{
	long hb = x->so->push->heartbeat;
	struct eas_push_result *pr = &x->r->push;

	if (step != EAS_STEP_PING || res->fail == EAS_FAIL_TIMEOUT || res->t.total < CUT_MIN_S ||
	    res->t.total >= (double)hb)
		return false;
	pr->end = EAS_PUSH_CUT;
	pr->held = res->t.total;
	if (res->fail != EAS_FAIL_NONE)
		snprintf(pr->cut_by, sizeof pr->cut_by, "%s", res->what);
	else
		snprintf(pr->cut_by, sizeof pr->cut_by, "HTTP %ld%s%s instead of the Ping's answer",
			 res->status, res->reason[0] ? " " : "", res->reason);
	eas_sr_note(
		x, step, EAS_CRITICAL,
		"Ping cut after %.0f s: a proxy or load balancer between here and the server closes idle requests after %.0f s, shorter than the heartbeat of %ld s",
		res->t.total, res->t.total, hb);
	eas_out_detail(x->run->out, "Ping: ended by %s", pr->cut_by);
	return true;
}

/* One Ping and what its answer says. */
static bool ping(struct eas_syncrun *x, struct eas_push_state *p)
{
	struct eas_push_result *pr = &x->r->push;
	long hb = x->so->push->heartbeat;
	double before = x->r->time[EAS_STEP_PING];
	bool ok;

	memset(&p->answer, 0, sizeof p->answer);
	p->hierarchy_changed = false;
	p->t0 = eas_push_now();
	p->wall0 = eas_push_wall();
	eas_out_detail(x->run->out, "Ping: %zu folder%s, heartbeat %ld s", p->n,
		       p->n == 1 ? "" : "s", hb);
	ok = eas_sr_command(x, EAS_STEP_PING, "Ping", EAS_CMD_PING, ping_body, ping_read);
	if (pr->end == EAS_PUSH_CUT)
		return false;
	pr->held = x->r->time[EAS_STEP_PING] - before;
	if (!ok) {
		pr->end = EAS_PUSH_FAILED;
		return false;
	}
	if (p->hierarchy_changed)
		return true;
	if (p->answer.status == 2) {
		const struct eas_folder *f = NULL;

		for (size_t i = 0; i < p->n && !f && p->answer.nchanged; i++)
			if (!strcmp(p->watch[i]->id, p->answer.changed[0]))
				f = p->watch[i];
		pr->end = EAS_PUSH_CHANGED;
		snprintf(pr->folder, sizeof pr->folder, "%s",
			 f                    ? folder_label(f)
			 : p->answer.nchanged ? p->answer.changed[0]
					      : "");
		eas_sr_note(x, EAS_STEP_PING, EAS_OK, "Ping: answered after %.1f s: %s changed",
			    pr->held, pr->folder[0] ? pr->folder : "a watched folder");
		return true;
	}
	pr->end = EAS_PUSH_EXPIRED;
	if (x->so->push->trigger == EAS_PUSH_TRIGGER_SENDMAIL)
		return false; /* did the message come? eas_push_mail_missing */
	if (x->so->push->trigger) {
		eas_sr_note(
			x, EAS_STEP_PING, EAS_CRITICAL,
			"Ping: the server did not announce the test item within the heartbeat of %ld s: Direct Push does not notice changes",
			hb);
		return false;
	}
	eas_sr_note(x, EAS_STEP_PING, EAS_OK,
		    "Ping: held %.1f s, until the heartbeat of %ld s expired (status 1)", pr->held,
		    hb);
	return true;
}

bool eas_push_steps(struct eas_syncrun *x)
{
	struct eas_push_state p;
	struct eas_push_trigger t;
	struct eas_push_mail m;
	int trigger = x->so->push->trigger;
	bool ok, trig = trigger == EAS_PUSH_TRIGGER_ITEM,
		 mail = trigger == EAS_PUSH_TRIGGER_SENDMAIL;
	struct eas_sr_side *side = trig ? &t.side : &m.side;

	memset(&p, 0, sizeof p);
	memset(&t, 0, sizeof t);
	memset(&m, 0, sizeof m);
	x->r->push.latency = x->r->push.delivery = -1;
	x->push = &p;
	x->on_fail = cut;
	/* The second device first: what it removes of earlier runs must not
	 * be the change the Ping announces. */
	ok = find_watched(x, &p) && (!trig || eas_push_trigger_setup(x, &t)) && prime_all(x, &p) &&
	     (!mail || eas_push_mail_setup(x, &m)) && ping(x, &p);
	if (ok && p.hierarchy_changed) {
		eas_out_detail(
			x->run->out,
			"Ping status 7: the folder hierarchy changed; FolderSync and Ping again");
		x->r->push.retried = 1;
		ok = eas_sr_foldersync(x) && find_watched(x, &p) && prime_all(x, &p) && ping(x, &p);
	}
	x->side = NULL;
	if ((trig || mail) && side->sent && side->at >= 0) {
		bool added = trig ? eas_push_trigger_added(x, &t) : eas_push_mail_sent(x, &m);

		if (ok && added && x->r->push.end == EAS_PUSH_CHANGED) {
			x->r->push.latency = x->r->push.held - side->at;
			eas_out_detail(
				x->run->out,
				"trigger: the %s %.2f s into the Ping, announced %.2f s later",
				trig ? "item added" : "message sent", side->at, x->r->push.latency);
			ok = eas_push_delivered(x, &p, trig ? p.cal : 0, trig ? t.marker : m.marker,
						p.t0 + side->at);
		} else if (mail && added && x->r->push.end == EAS_PUSH_EXPIRED) {
			eas_push_mail_missing(x, &p, &m);
		}
		ok = ok && added;
	} else if ((trig || mail) && ok) {
		eas_sr_note(x, EAS_STEP_TRIGGER, EAS_CRITICAL,
			    "trigger: the Ping ended after %.1f s, before the test %s could be %s",
			    x->r->push.held, trig ? "item" : "message", trig ? "added" : "sent");
		ok = false;
	}
	if (trig && t.x.run)
		eas_push_trigger_cleanup(x, &t);
	if (mail)
		eas_push_mail_cleanup(x, &p, &m);
	x->on_fail = NULL;
	x->push = NULL;
	return ok;
}
