/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "eas/mailloop.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define P_AS EAS_WB_PAGE_AIRSYNC
#define P_CM EAS_WB_PAGE_COMPOSEMAIL
#define P_EM EAS_WB_PAGE_EMAIL
/* Tags this file alone uses ([MS-ASWBXML]). */
enum {
	CM_SENDMAIL = 0x05,
	CM_MIME = 0x10,
	CM_CLIENTID = 0x11,
	EM_DATERECEIVED = 0x0F,
	EM_SUBJECT = 0x14,
};

int eas_ml_state_parse(const char *text, struct eas_ml_state *s, char *err, size_t errlen)
{
	const char *p = text;
	bool head = false;

	memset(s, 0, sizeof *s);
	s->last_roundtrip = -1;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[EAS_ML_MARKER_MAX + 64];
		double a, b;
		int used = 0;

		if (len >= sizeof line)
			goto bad;
		memcpy(line, p, len);
		line[len] = 0;
		p = nl ? nl + 1 : NULL;
		if (!len)
			continue;
		if (!head) {
			if (strcmp(line, "mailloop 1"))
				goto bad;
			head = true;
		} else if (sscanf(line, "delivery %lf %lf%n", &a, &b, &used) == 2 && !line[used]) {
			s->last_delivery = a;
			s->last_roundtrip = b;
		} else if (sscanf(line, "sent %lf %n", &a, &used) == 1 && used &&
			   !strncmp(line + used, EAS_ML_PREFIX, strlen(EAS_ML_PREFIX)) &&
			   strlen(line + used) < EAS_ML_MARKER_MAX) {
			if (s->n == EAS_ML_MAX)
				continue; /* more than we send: the rest is noise */
			s->sent[s->n].sent = a;
			snprintf(s->sent[s->n].marker, EAS_ML_MARKER_MAX, "%s", line + used);
			s->n++;
		} else {
			goto bad;
		}
	}
	if (head)
		return 0;
bad:
	snprintf(err, errlen, "the mail loop's state file is not one check_eas_mailloop wrote");
	memset(s, 0, sizeof *s);
	s->last_roundtrip = -1;
	return -1;
}

int eas_ml_state_format(const struct eas_ml_state *s, char *buf, size_t size)
{
	size_t len = 0;
	int k = snprintf(buf, size, "mailloop 1\ndelivery %.3f %.3f\n", s->last_delivery,
			 s->last_roundtrip);

	if (k < 0 || (size_t)k >= size)
		return -1;
	len = (size_t)k;
	for (size_t i = 0; i < s->n; i++) {
		k = snprintf(buf + len, size - len, "sent %.3f %s\n", s->sent[i].sent,
			     s->sent[i].marker);
		if (k < 0 || (size_t)k >= size - len)
			return -1;
		len += (size_t)k;
	}
	return (int)len;
}

static void clean_host(const char *host, char *out, size_t size)
{
	size_t j = 0;

	for (size_t i = 0; host && host[i] && j + 1 < size && j < 64; i++) {
		unsigned char c = (unsigned char)host[i];
		out[j++] = (char)(isalnum(c) || c == '.' || c == '-' ? c : '_');
	}
	out[j] = 0;
	if (!j)
		snprintf(out, size, "localhost");
}

void eas_ml_marker(char *buf, size_t size, const char *host, time_t now, unsigned rnd)
{
	char h[80];

	clean_host(host, h, sizeof h);
	snprintf(buf, size, EAS_ML_PREFIX "%s-%lld-%08x", h, (long long)now, rnd);
}

bool eas_ml_is_mine(const char *subject, const char *host)
{
	char h[80];
	size_t pl = strlen(EAS_ML_PREFIX), hl;

	clean_host(host, h, sizeof h);
	hl = strlen(h);
	return !strncmp(subject, EAS_ML_PREFIX, pl) && !strncmp(subject + pl, h, hl) &&
	       subject[pl + hl] == '-';
}

int eas_ml_mime(char *buf, size_t size, const char *addr, const char *marker, time_t now)
{
	char date[64];
	struct tm tm;
	int k;

	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	k = snprintf(
		buf, size,
		"From: <%s>\r\nTo: <%s>\r\nSubject: %s\r\nDate: %s\r\n"
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n"
		"Auto-Submitted: auto-generated\r\n\r\n"
		"A delivery test of check_eas_mailloop; it deletes this message when it arrives.\r\n",
		addr, addr, marker, date);
	return k < 0 || (size_t)k >= size ? -1 : k;
}

void eas_ml_sendmail_body(struct eas_wbxml_writer *w, const char *client_id, const char *mime,
			  size_t len)
{
	eas_wbxml_writer_init(w);
	eas_wbxml_open(w, P_CM, CM_SENDMAIL);
	eas_wbxml_text(w, P_CM, CM_CLIENTID, client_id);
	eas_wbxml_opaque(w, P_CM, CM_MIME, mime, len);
	eas_wbxml_close(w);
}

double eas_ml_date(const char *text)
{
	struct tm tm;
	int y, mo, d, h, mi, n = 0;
	double sec;

	if (!text ||
	    sscanf(text, "%4d-%2d-%2dT%2d:%2d:%lf%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 ||
	    strcmp(text + n, "Z") || sec < 0 || sec >= 61)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return (double)timegm(&tm) + sec;
}

double eas_ml_roundtrip(double sent, double received)
{
	double rt = received - (received == floor(received) ? floor(sent) : sent);

	return rt > 0 ? rt : 0;
}

int eas_ml_sync_parse(const struct eas_wbxml_node *root, struct eas_ml_sync *s, char *err,
		      size_t errlen)
{
	const struct eas_wbxml_node *cmds, *n;

	memset(s, 0, sizeof *s);
	if (eas_sync_parse(root, &s->a, err, errlen))
		return -1;
	cmds = eas_wbxml_path(root, P_AS, EAS_WB_AIRSYNC_COLLECTIONS, P_AS,
			      EAS_WB_AIRSYNC_COLLECTION, P_AS, EAS_WB_AIRSYNC_COMMANDS, -1);
	for (n = cmds ? cmds->child : NULL; n; n = n->next) {
		const struct eas_wbxml_node *data;
		const char *id, *subject;

		if (n->page != P_AS || n->tag != EAS_WB_AIRSYNC_ADD)
			continue;
		id = eas_wbxml_str(eas_wbxml_child(n, P_AS, EAS_WB_AIRSYNC_SERVERID));
		data = eas_wbxml_child(n, P_AS, EAS_WB_AIRSYNC_APPLICATIONDATA);
		subject = eas_wbxml_str(eas_wbxml_child(data, P_EM, EM_SUBJECT));
		if (!id || !subject || strncmp(subject, EAS_ML_PREFIX, strlen(EAS_ML_PREFIX)) ||
		    strlen(id) > EAS_KEY_MAX || strlen(subject) >= EAS_ML_MARKER_MAX ||
		    s->n == EAS_ML_ITEMS) {
			s->others++;
			continue;
		}
		snprintf(s->items[s->n].server_id, sizeof s->items[s->n].server_id, "%s", id);
		snprintf(s->items[s->n].subject, sizeof s->items[s->n].subject, "%s", subject);
		s->items[s->n].received =
			eas_ml_date(eas_wbxml_str(eas_wbxml_child(data, P_EM, EM_DATERECEIVED)));
		s->n++;
	}
	return 0;
}
