/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_eas_push --trigger item: a second device of the account (the
 * same credentials, its own ID and partnership) adds a calendar item
 * while the monitoring device's Ping is held, so that the Ping has a
 * change to announce; then the item is synced down and deleted. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "eas/pushrun.h"
#include "http/http.h"

#define TRIGGER_DELAY_MS 1000 /* the Ping held this long before the change */
#define DELIVERY_TRIES 20     /* Syncs, 0.5 s apart, until the item is there */

double eas_push_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double eas_push_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The trigger device deletes the items named in its p.left. */
static bool remove_items(struct eas_push_trigger *t)
{
	return eas_push_remove(&t->x, EAS_STEP_TRIGGER);
}

/* The second device of the account: the same credentials, its own ID
 * ("CT" and the rest of the monitoring device's), its own partnership.
 * Provision, FolderSync, the Calendar synced to its end (removing what
 * interrupted runs left), then the Add made ready to go during the Ping. */
bool eas_push_trigger_setup(struct eas_syncrun *x, struct eas_push_trigger *t)
{
	struct eas_wbxml_writer w;
	char err[320], start[32], end[32];
	time_t now = time(NULL);
	struct tm tm;

	t->so = *x->so;
	t->so.push = NULL;
	snprintf(t->id, sizeof t->id, "CT%s", x->so->dev.id + (x->so->dev.id[1] ? 2 : 0));
	t->so.dev.id = t->id;
	t->r.version = x->r->version;
	t->x.run = x->run;
	t->x.so = &t->so;
	t->x.r = &t->r;
	t->x.microsoft = x->microsoft;
	t->x.moved = x->moved;
	t->x.push = &t->p;
	snprintf(t->x.base, sizeof t->x.base, "%s", x->base);
	if (eas_conn_open(&t->x.conn)) {
		eas_sr_note(x, EAS_STEP_TRIGGER, EAS_UNKNOWN, "cannot set up a connection");
		return false;
	}
	eas_out_detail(x->run->out, "trigger: the second device, ID %s", t->id);
	if (!eas_sr_provision(&t->x) || !eas_sr_foldersync(&t->x))
		return false;
	t->folder = eas_folder_find(&t->x.fs, "calendar");
	if (!t->folder) {
		eas_sr_note(x, EAS_STEP_TRIGGER, EAS_CRITICAL,
			    "trigger: the second device sees no Calendar folder");
		return false;
	}
	if (!eas_push_prime(&t->x, t->folder))
		return false;
	if (t->p.nleft) {
		t->r.push.leftovers = t->p.nleft;
		if (!remove_items(t))
			return false;
		eas_out_detail(x->run->out, "trigger: removed %zu test item%s of earlier runs",
			       t->r.push.leftovers, t->r.push.leftovers == 1 ? "" : "s");
	}
	snprintf(t->marker, sizeof t->marker, EAS_PUSH_MARKER "%lld-%ld", (long long)now,
		 (long)getpid());
	gmtime_r(&(time_t){ now + 86400 }, &tm);
	strftime(start, sizeof start, "%Y%m%dT%H%M%SZ", &tm);
	gmtime_r(&(time_t){ now + 86400 + 1800 }, &tm);
	strftime(end, sizeof end, "%Y%m%dT%H%M%SZ", &tm);
	eas_sync_add_event_body(&w, t->x.synckey, t->folder->id, "1", t->marker, start, end,
				t->r.version < 1600);
	if (eas_sr_prepare(&t->x, "Sync", true, &w, &t->side.req, &t->c, t->url, sizeof t->url, err,
			   sizeof err)) {
		eas_sr_note(x, EAS_STEP_TRIGGER, EAS_UNKNOWN, "trigger: %s", err);
		return false;
	}
	t->side.delay_ms = TRIGGER_DELAY_MS;
	t->side.at = -1;
	x->side = &t->side;
	return true;
}

/* What the Add sent during the Ping brought: the item's ServerId. */
bool eas_push_trigger_added(struct eas_syncrun *x, struct eas_push_trigger *t)
{
	struct eas_response *res = &t->side.res;
	struct eas_wbxml_doc doc;
	struct eas_sync_answer a;
	struct eas_sync_items it;
	char err[320];
	bool ok = false;

	t->r.ran[EAS_STEP_TRIGGER] = true;
	t->r.total += res->t.total;
	if (res->fail != EAS_FAIL_NONE) {
		eas_sr_note(x, EAS_STEP_TRIGGER, EAS_CRITICAL,
			    "trigger: the second device's Add failed: %s", res->what);
		return false;
	}
	memset(&doc, 0, sizeof doc);
	if (res->status != 200 || eas_cmd_answer(res, &doc, err, sizeof err) || !doc.root) {
		eas_sr_note(x, EAS_STEP_TRIGGER, EAS_CRITICAL,
			    "trigger: the second device's Add got HTTP %ld, not a Sync answer",
			    res->status);
		eas_wbxml_doc_free(&doc);
		return false;
	}
	eas_sync_items_read(doc.root, &it);
	if (!eas_sync_parse(doc.root, &a, err, sizeof err) && a.synckey[0])
		snprintf(t->x.synckey, sizeof t->x.synckey, "%s", a.synckey);
	eas_wbxml_doc_free(&doc);
	if (it.added_status >= 0 &&
	    eas_code_lookup(EAS_CMD_SYNC, it.added_status)->action == EAS_CA_OK && it.added_id[0]) {
		snprintf(t->added, sizeof t->added, "%s", it.added_id);
		ok = true;
	} else {
		eas_sr_note(
			x, EAS_STEP_TRIGGER, EAS_CRITICAL,
			"trigger: the server refused the test item (Sync status %d, Add status %d)",
			a.status, it.added_status);
	}
	return ok;
}

/* Always: the test item goes, through the device that made it. */
void eas_push_trigger_cleanup(struct eas_syncrun *x, struct eas_push_trigger *t)
{
	if (t->added[0]) {
		snprintf(t->p.left[0], sizeof t->p.left[0], "%s", t->added);
		t->p.nleft = 1;
		if (remove_items(t))
			eas_out_detail(x->run->out, "trigger: the test item %s deleted", t->added);
	}
	x->r->ran[EAS_STEP_TRIGGER] = t->r.total > 0;
	x->r->time[EAS_STEP_TRIGGER] = t->r.total;
	x->r->total += t->r.total;
	x->r->push.leftovers = t->r.push.leftovers;
	eas_response_free(&t->side.res);
	eas_cmd_free(&t->c);
	eas_foldersync_free(&t->x.fs);
	eas_conn_close(t->x.conn);
}

/* The Ping named the change: Sync the folder until the item is there. */
bool eas_push_delivered(struct eas_syncrun *x, struct eas_push_state *p, size_t i,
			const char *marker, double t0)
{
	bool mail = x->so->push->trigger == EAS_PUSH_TRIGGER_SENDMAIL;
	const char *noun = mail ? "message" : "item";

	x->folder = p->watch[i];
	snprintf(x->synckey, sizeof x->synckey, "%s", p->keys[i]);
	p->marker = marker;
	p->found = false;
	for (int k = 0; k < DELIVERY_TRIES && !p->found; k++) {
		if (k)
			nanosleep(&(struct timespec){ 0, 500000000L }, NULL);
		if (!eas_sr_command(x, EAS_STEP_SYNC, "Sync", EAS_CMD_SYNC, eas_push_prime_body,
				    eas_push_prime_read))
			return false;
	}
	snprintf(p->keys[i], sizeof p->keys[i], "%s", x->synckey);
	if (!p->found) {
		eas_sr_note(x, EAS_STEP_SYNC, EAS_CRITICAL,
			    "Sync: the test %s announced by the Ping did not sync down in %d tries",
			    noun, DELIVERY_TRIES);
		return false;
	}
	x->r->push.delivery = eas_push_now() - t0;
	eas_sr_note(x, EAS_STEP_SYNC, EAS_OK, "Sync: the test %s synced down %.2f s after the %s",
		    noun, x->r->push.delivery, mail ? "SendMail" : "change");
	return true;
}
