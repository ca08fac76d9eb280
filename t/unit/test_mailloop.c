/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_eas_mailloop's pure pieces: the state file's text both ways (and
 * what it refuses), markers, the SendMail and Sync bodies, and the marker
 * items of a Sync answer. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eas/mailloop.h"
#include "tap.h"
#include "wbxmldoc.h"

#define AS EAS_WB_PAGE_AIRSYNC
#define EM EAS_WB_PAGE_EMAIL

static void test_state(struct tap *t)
{
	struct eas_ml_state s, back;
	char buf[4096], err[200];

	TAP_OK(t,
	       !eas_ml_state_parse("mailloop 1\n", &s, err, sizeof err) && !s.n &&
		       s.last_roundtrip == -1 && s.last_delivery == 0,
	       "an empty state: nothing sent, no round trip yet");
	TAP_OK(t,
	       !eas_ml_state_parse(
		       "mailloop 1\ndelivery 1700000000.500 2.250\nsent 1700000100.000 check-eas mailloop h-1-2\nsent 1700000200.000 check-eas mailloop h-3-4\n",
		       &s, err, sizeof err) &&
		       s.n == 2 && s.last_delivery == 1700000000.5 && s.last_roundtrip == 2.25 &&
		       !strcmp(s.sent[1].marker, "check-eas mailloop h-3-4") &&
		       s.sent[1].sent == 1700000200.0,
	       "a state read: the delivery and two messages on their way");
	TAP_OK(t,
	       eas_ml_state_format(&s, buf, sizeof buf) > 0 &&
		       !eas_ml_state_parse(buf, &back, err, sizeof err) && back.n == 2 &&
		       !memcmp(&back.sent, &s.sent, sizeof s.sent[0] * 2),
	       "written and read back: the same");
	TAP_OK(t, eas_ml_state_format(&s, buf, 20) == -1, "too small a buffer: -1");
	TAP_OK(t, eas_ml_state_parse("", &s, err, sizeof err) == -1,
	       "an empty file is no state of ours");
	TAP_OK(t,
	       eas_ml_state_parse("mailloop 1\nsent 17 rm -rf /\n", &s, err, sizeof err) == -1 &&
		       !strcmp(err,
			       "the mail loop's state file is not one check_eas_mailloop wrote"),
	       "a line that is not ours: refused, one sentence");
	TAP_OK(t, eas_ml_state_parse("mailloop 2\n", &s, err, sizeof err) == -1,
	       "another format version: refused");
}

static void test_markers(struct tap *t)
{
	char m[EAS_ML_MARKER_MAX], mime[1024];

	eas_ml_marker(m, sizeof m, "nagios 1.example.com", 1700000000, 0xabcdef01u);
	TAP_OK(t, !strcmp(m, "check-eas mailloop nagios_1.example.com-1700000000-abcdef01"),
	       "a marker: host cleaned, time, random part (%s)", m);
	TAP_OK(t,
	       eas_ml_is_mine(m, "nagios 1.example.com") && !eas_ml_is_mine(m, "nagios") &&
		       !eas_ml_is_mine("check-eas mailloop other-1-2", "nagios"),
	       "a marker is this host's only");
	TAP_OK(t,
	       eas_ml_mime(mime, sizeof mime, "monitor@example.com", m, 1700000000) > 0 &&
		       strstr(mime, "\r\nSubject: check-eas mailloop nagios_1.example.com-") &&
		       strstr(mime, "To: <monitor@example.com>\r\n") &&
		       strstr(mime, "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"),
	       "the message: To, Subject, Date, CRLF lines");
	TAP_OK(t, eas_ml_mime(mime, 40, "monitor@example.com", m, 1700000000) == -1,
	       "too small a buffer: -1");
	TAP_OK(t,
	       eas_ml_date("2026-12-07T21:41:18.000Z") == 1796679678.0 &&
		       eas_ml_date("2026-12-07 21:41:18") == -1 && eas_ml_date(NULL) == -1,
	       "DateReceived read");
	TAP_OK(t, eas_ml_roundtrip(1000.7, 1001.0) == 1.0,
	       "received in whole seconds: counted from the second it was sent in (%g)",
	       eas_ml_roundtrip(1000.7, 1001.0));
	TAP_OK(t, eas_ml_roundtrip(1000.7, 1000.0) == 0.0,
	       "received within the second it was sent: 0, not below");
	TAP_OK(t, fabs(eas_ml_roundtrip(1000.25, 1003.75) - 3.5) < 1e-9,
	       "received with a fraction: the exact difference");
	TAP_OK(t, eas_ml_roundtrip(1000.7, 990.0) == 0.0, "a server clock behind ours: 0");
}

static void test_bodies(struct tap *t)
{
	struct eas_wbxml_writer w;
	struct eas_wbxml_doc d;
	const char *dels[] = { "1", "7" };
	const struct eas_wbxml_node *col, *cmds;

	eas_ml_sendmail_body(&w, "abc", "MIME", 4);
	TAP_OK(t,
	       !decode(&w, &d) && d.root->page == EAS_WB_PAGE_COMPOSEMAIL && d.root->tag == 0x05 &&
		       !strcmp(eas_wbxml_str(d.root->child), "abc") &&
		       d.root->child->next->opaque && d.root->child->next->len == 4,
	       "SendMail: ClientId, the MIME as opaque data");
	eas_wbxml_doc_free(&d);
	eas_sync_body(&w, "5", "F1", NULL, 100, dels, 2);
	TAP_OK(t, !decode(&w, &d), "Sync with deletes decodes");
	col = eas_wbxml_path(d.root, AS, EAS_WB_AIRSYNC_COLLECTIONS, AS, EAS_WB_AIRSYNC_COLLECTION,
			     -1);
	cmds = eas_wbxml_child(col, AS, EAS_WB_AIRSYNC_COMMANDS);
	TAP_OK(t,
	       !strcmp(eas_wbxml_str(eas_wbxml_child(col, AS, EAS_WB_AIRSYNC_DELETESASMOVES)),
		       "0") &&
		       cmds && !strcmp(eas_wbxml_str(cmds->child->next->child), "7"),
	       "Sync: DeletesAsMoves 0, a Delete for each ServerId");
	eas_wbxml_doc_free(&d);
}

static void add(struct eas_wbxml_writer *w, const char *id, const char *subject, const char *date)
{
	eas_wbxml_open(w, AS, EAS_WB_AIRSYNC_ADD);
	eas_wbxml_text(w, AS, EAS_WB_AIRSYNC_SERVERID, id);
	eas_wbxml_open(w, AS, EAS_WB_AIRSYNC_APPLICATIONDATA);
	if (date)
		eas_wbxml_text(w, EM, 0x0F, date);
	eas_wbxml_text(w, EM, 0x14, subject);
	eas_wbxml_close(w);
	eas_wbxml_close(w);
}

static void test_answer(struct tap *t)
{
	struct eas_wbxml_writer w;
	struct eas_wbxml_doc d;
	struct eas_ml_sync s;
	char err[200];

	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_SYNC);
	eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_COLLECTIONS);
	eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_COLLECTION);
	eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_SYNCKEY, "9");
	eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_COLLECTIONID, "F1");
	eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_STATUS, "1");
	eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_COMMANDS);
	add(&w, "1", "Quarterly numbers", NULL);
	add(&w, "2", "check-eas mailloop h-1-2", "2026-12-07T21:41:18.000Z");
	add(&w, "3", "check-eas mailloop h-3-4", NULL);
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	TAP_OK(t, !decode(&w, &d) && !eas_ml_sync_parse(d.root, &s, err, sizeof err),
	       "a Sync answer read");
	TAP_OK(t,
	       s.n == 2 && s.others == 1 && !strcmp(s.items[0].server_id, "2") &&
		       s.items[0].received == 1796679678.0 && s.items[1].received == -1 &&
		       !strcmp(s.a.synckey, "9") && s.a.status == 1,
	       "the markers kept (with DateReceived when given), other mail only counted");
	eas_wbxml_doc_free(&d);
	TAP_OK(t, !eas_ml_sync_parse(NULL, &s, err, sizeof err) && s.a.empty && !s.n,
	       "an empty answer: no changes");
}

int main(void)
{
	struct tap t = { 0 };

	test_state(&t);
	test_markers(&t);
	test_bodies(&t);
	test_answer(&t);
	return tap_done(&t);
}
