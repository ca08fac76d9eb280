/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_eas_mailloop's steps after the sync run's set-up, as the same
 * device: Sync the Inbox (from key 0, page by page), match the markers
 * earlier runs sent, delete them (and leftovers of this host), count the
 * lost, send this run's marker through SendMail, and keep the state file
 * (written before the send, so a run killed after it still knows the
 * message). Never waits for a delivery. */
#include "eas/mailrun.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "run/run.h"
#include "util/safefile.h"

#define SYNC_PAGES 8 /* windows of 100: a monitoring Inbox is small */

static double now_s(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

int eas_ml_load(const char *dir, const char *id, struct eas_ml_state *st, bool *fresh, char *path,
		size_t pathsize, char *err, size_t errlen)
{
	char sdir[4096], *data = NULL;
	size_t len = 0;
	int fd = -1, rc;

	*fresh = false;
	memset(st, 0, sizeof *st);
	st->last_roundtrip = -1;
	if (eas_statedir_open(dir, sdir, sizeof sdir, &fd, err, errlen))
		return -1;
	if (fd >= 0)
		close(fd);
	if ((size_t)snprintf(path, pathsize, "%s/mailloop-%s", sdir, id) >= pathsize) {
		snprintf(err, errlen, "the state directory's path is too long");
		return -1;
	}
	if (access(path, F_OK) && errno == ENOENT) {
		*fresh = true;
		return 0;
	}
	if (eas_safefile_read(path, "mail loop state file", 64 * 1024, &data, &len, NULL, err,
			      errlen))
		return -1;
	rc = eas_ml_state_parse(data, st, err, errlen);
	eas_safefile_free(data, len);
	return rc;
}

int eas_ml_save(const char *path, const struct eas_ml_state *st, char *err, size_t errlen)
{
	char buf[EAS_ML_MAX * (EAS_ML_MARKER_MAX + 40) + 128], tmp[4200];
	int len = eas_ml_state_format(st, buf, sizeof buf), fd;

	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	fd = len < 0 ? -1 : open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, buf, (size_t)len) != len || fsync(fd) || close(fd) ||
	    rename(tmp, path)) {
		snprintf(err, errlen, "cannot write the mail loop's state file %s: %s", path,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void drop(struct eas_ml_state *st, size_t i)
{
	memmove(&st->sent[i], &st->sent[i + 1], (st->n - i - 1) * sizeof st->sent[0]);
	st->n--;
}

/* The Sync's answer: its items matched against what was sent. */
static void collect(struct eas_ml_run *m, double now)
{
	for (size_t k = 0; k < m->sync.n; k++) {
		const struct eas_ml_item *it = &m->sync.items[k];
		size_t i;

		for (i = 0; i < m->st.n && strcmp(m->st.sent[i].marker, it->subject); i++)
			;
		if (i < m->st.n) {
			double at = it->received >= 0 ? it->received : now;
			double rt = eas_ml_roundtrip(m->st.sent[i].sent, at);

			if (m->roundtrip < 0 || m->st.sent[i].sent >= m->newest_collected) {
				m->newest_collected = m->st.sent[i].sent;
				m->roundtrip = rt;
			}
			eas_out_detail(m->out, "collected '%s' after %.1f s", it->subject, rt);
			if (at > m->st.last_delivery)
				m->st.last_delivery = at;
			m->collected++;
			drop(&m->st, i);
		} else if (eas_ml_is_mine(it->subject, m->host)) {
			m->leftovers++; /* a lost one arriving late, or an interrupted run's */
		} else {
			continue; /* another host's loop on this mailbox */
		}
		if (m->ndel < EAS_ML_ITEMS)
			m->dels[m->ndel++] = it->server_id;
	}
	if (m->roundtrip >= 0)
		m->st.last_roundtrip = m->roundtrip;
}

static const char *cls(const struct eas_ml_run *m)
{
	return m->r->version < 1400 ? eas_folder_class(m->inbox->type) : NULL;
}

static void sync_body(void *ctx, struct eas_wbxml_writer *w)
{
	struct eas_ml_run *m = ctx;

	eas_sync_body(w, m->synckey, m->inbox->id, cls(m), 100, m->deleting ? m->dels : NULL,
		      m->deleting ? m->ndel : 0);
}

static int sync_read(void *ctx, const struct eas_wbxml_node *root, char *err, size_t errlen)
{
	struct eas_ml_run *m = ctx;

	if (eas_ml_sync_parse(root, &m->sync, err, errlen))
		return -2;
	if (m->sync.a.empty && !strcmp(m->synckey, "0")) {
		snprintf(err, errlen,
			 "the first Sync (SyncKey 0) got an empty answer: no SyncKey to go on");
		return -2;
	}
	if (!m->sync.a.empty && m->sync.a.synckey[0])
		snprintf(m->synckey, sizeof m->synckey, "%s", m->sync.a.synckey);
	m->seen += m->sync.n + m->sync.others;
	return m->sync.a.status;
}

static int send_read(void *ctx, const struct eas_wbxml_node *root, char *err, size_t errlen)
{
	const char *s;

	(void)ctx;
	if (!root)
		return 1; /* success has no body */
	s = eas_wbxml_str(eas_wbxml_child(root, EAS_WB_PAGE_COMPOSEMAIL, 0x12));
	if (!s || !*s) {
		snprintf(err, errlen, "an answer without a Status");
		return -2;
	}
	return atoi(s);
}

static unsigned random32(void)
{
	unsigned v = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, &v, sizeof v) != (ssize_t)sizeof v)
		v = (unsigned)getpid() ^ (unsigned)(now_s() * 1e6);
	if (fd >= 0)
		close(fd);
	return v;
}

/* The marker through the outside relay instead of SendMail: mail from
 * outside, as an MX receives it (no credentials: an MX takes mail for
 * its own domains without). A refusal in the relay's own words: 5xx
 * CRITICAL (the inbound path refuses), 4xx WARNING (deferred:
 * greylisting, a full queue); no answer at all is the failure's state. */
static bool send_smtp(struct eas_sync_dev *d, struct eas_ml_run *m, const char *addr)
{
	struct eas_request req;
	struct eas_response res;
	const char *from = m->smtp_from ? m->smtp_from : addr;
	char name[300];
	bool ok = false;

	eas_sync_dev_transport(d, &req);
	req.url = m->smtp_url;
	req.mail_from = from;
	req.mail_rcpt = addr;
	req.body = m->mime;
	req.body_len = m->mimelen;
	snprintf(name, sizeof name, "SMTP relay %s", m->smtp_url);
	if (eas_sync_dev_request(d, EAS_STEP_SYNC, name, &req, &res)) {
		/* noted */
	} else if (res.smtp_refused) {
		enum eas_state s = res.status < 500 ? EAS_WARNING : EAS_CRITICAL;

		if (!strcmp(res.smtp_refused, "RCPT TO"))
			eas_sync_dev_note(d, EAS_STEP_SYNC, s, "the relay refuses mail for %s: %s",
					  addr, res.smtp_reply);
		else if (!strcmp(res.smtp_refused, "MAIL FROM"))
			eas_sync_dev_note(d, EAS_STEP_SYNC, s,
					  "the relay refuses the sender %s: %s", from,
					  res.smtp_reply);
		else
			eas_sync_dev_note(d, EAS_STEP_SYNC, s, "the relay refuses the message: %s",
					  res.smtp_reply);
	} else {
		ok = true;
	}
	eas_response_free(&res);
	return ok;
}

/* This run's marker: in the state first, then sent. */
static bool send_marker(struct eas_sync_dev *d, struct eas_ml_run *m, double now)
{
	struct eas_sendmail_msg msg = { m->client_id, m->mime, 0 };
	const struct eas_sync_cmdspec spec = { "SendMail", EAS_CMD_SYNC, NULL, send_read, m, &msg };
	const char *addr = eas_sync_own_address(m->r, m->user);
	unsigned rnd = random32();
	int len;

	if (!addr) {
		eas_sync_dev_note(
			d, EAS_STEP_SYNC, EAS_UNKNOWN,
			"SendMail: the server names no address for the mailbox and the user is none: nowhere to send the test message");
		return false;
	}
	eas_ml_marker(m->marker, sizeof m->marker, m->host, (time_t)now, rnd);
	snprintf(m->client_id, sizeof m->client_id, "%08x%08x", rnd, (unsigned)now);
	len = eas_ml_mime(m->mime, sizeof m->mime, addr, m->marker, (time_t)now);
	if (len < 0) {
		eas_sync_dev_note(d, EAS_STEP_SYNC, EAS_UNKNOWN,
				  "SendMail: the mailbox address is too long for the test message");
		return false;
	}
	m->mimelen = msg.len = (size_t)len;
	if (m->st.n == EAS_ML_MAX)
		drop(&m->st, 0); /* the oldest: counted lost long ago */
	snprintf(m->st.sent[m->st.n].marker, EAS_ML_MARKER_MAX, "%s", m->marker);
	m->st.sent[m->st.n++].sent = now;
	if (eas_ml_save(m->path, &m->st, m->err, sizeof m->err)) {
		eas_sync_dev_note(d, EAS_STEP_SYNC, EAS_UNKNOWN, "%s", m->err);
		return false;
	}
	if (m->smtp_url ? !send_smtp(d, m, addr) : !eas_sync_dev_command(d, EAS_STEP_SYNC, &spec)) {
		m->st.n--; /* not sent: not waited for */
		eas_ml_save(m->path, &m->st, m->err, sizeof m->err);
		return false;
	}
	m->sent = true;
	if (m->smtp_url)
		eas_out_detail(m->out, "SMTP: sent '%s' to %s through %s", m->marker, addr,
			       m->smtp_url);
	else
		eas_out_detail(m->out, "SendMail: sent '%s' to %s", m->marker, addr);
	return true;
}

bool eas_ml_steps(struct eas_sync_dev *d, void *ctx)
{
	struct eas_ml_run *m = ctx;
	const struct eas_sync_cmdspec spec = {
		"Sync", EAS_CMD_SYNC, sync_body, sync_read, m, NULL
	};
	double now;
	int page;

	m->roundtrip = -1;
	m->inbox = eas_folder_find(eas_sync_dev_folders(d), "inbox");
	if (!m->inbox) {
		eas_sync_dev_note(d, EAS_STEP_SYNC, EAS_CRITICAL,
				  "Sync: the mailbox has no Inbox to collect from");
		return false;
	}
	snprintf(m->synckey, sizeof m->synckey, "0");
	if (!eas_sync_dev_command(d, EAS_STEP_SYNC, &spec))
		return false;
	for (page = 0; page < SYNC_PAGES; page++) {
		if (!eas_sync_dev_command(d, EAS_STEP_SYNC, &spec))
			return false;
		collect(m, now_s());
		if (!m->sync.a.more)
			break;
	}
	eas_out_detail(m->out, "Sync: %zu items in the Inbox, %zu collected, %zu leftovers",
		       m->seen, m->collected, m->leftovers);
	if (m->ndel) {
		m->deleting = true;
		if (!eas_sync_dev_command(d, EAS_STEP_SYNC, &spec))
			return false;
		m->deleting = false;
		eas_out_detail(m->out, "Sync: %zu deleted", m->ndel);
	}
	now = now_s();
	for (size_t i = 0; i < m->st.n;) {
		if (now - m->st.sent[i].sent > m->lost_after) {
			eas_out_detail(m->out, "lost: '%s', sent %.0f s ago", m->st.sent[i].marker,
				       now - m->st.sent[i].sent);
			m->lost++;
			drop(&m->st, i);
		} else {
			i++;
		}
	}
	m->pending = m->st.n;
	return send_marker(d, m, now);
}
