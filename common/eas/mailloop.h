/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_eas_mailloop's pieces that need no I/O: the marker message and
 * its SendMail ([MS-ASCMD] 2.2.1.17, 14.0 and later), the Sync that
 * lists the Inbox and deletes collected markers, the marker items of its
 * answer, and the loop's state (what was sent when, the last delivery)
 * as text. */
#ifndef EAS_MAILLOOP_H
#define EAS_MAILLOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "eas/eassteps.h"
#include "eas/wbxml.h"

/* Every marker's subject starts so; then the host, the send time and a
 * random part: "check-eas mailloop HOST-1765143000-3f9a1c". */
#define EAS_ML_PREFIX "check-eas mailloop "
#define EAS_ML_MARKER_MAX 160
#define EAS_ML_MAX 64 /* messages on their way at once; older ones are lost */

struct eas_ml_sent {
	char marker[EAS_ML_MARKER_MAX];
	double sent; /* epoch seconds */
};

struct eas_ml_state {
	struct eas_ml_sent sent[EAS_ML_MAX];
	size_t n;
	double last_delivery;  /* epoch seconds the last collected one arrived, 0: never */
	double last_roundtrip; /* its send to arrival, seconds; -1: none yet */
};

/* The state file's text: "mailloop 1", "delivery EPOCH ROUNDTRIP",
 * "sent EPOCH MARKER" lines. Returns 0, or -1 with one sentence in err. */
int eas_ml_state_parse(const char *text, struct eas_ml_state *s, char *err, size_t errlen);
/* Its text into buf; returns the length, or -1 when buf is too small. */
int eas_ml_state_format(const struct eas_ml_state *s, char *buf, size_t size);

/* A marker: prefix, host (cleaned to letters, digits, '.', '-'), the
 * time and 32 random bits. */
void eas_ml_marker(char *buf, size_t size, const char *host, time_t now, unsigned rnd);
/* Whether a subject is a marker of host (any time). */
bool eas_ml_is_mine(const char *subject, const char *host);

/* The marker message to addr (From and To), CRLF lines; returns its
 * length, or -1 when buf is too small. */
int eas_ml_mime(char *buf, size_t size, const char *addr, const char *marker, time_t now);
/* SendMail (14.0+): ClientId, no copy in Sent Items, the MIME. */
void eas_ml_sendmail_body(struct eas_wbxml_writer *w, const char *client_id, const char *mime,
			  size_t len);

/* The Inbox's Sync with the deletes: eas_sync_body (eassteps.h). */

struct eas_ml_item {
	char server_id[EAS_KEY_MAX + 1];
	char subject[EAS_ML_MARKER_MAX];
	double received; /* DateReceived, epoch seconds; -1 absent */
};

#define EAS_ML_ITEMS 128

struct eas_ml_sync {
	struct eas_sync_answer a;               /* status, key, empty, more */
	struct eas_ml_item items[EAS_ML_ITEMS]; /* the Adds whose subject is a marker */
	size_t n;
	size_t others; /* Adds that are not markers */
};
/* Returns 0, or -1 with err (see eas_sync_parse). */
int eas_ml_sync_parse(const struct eas_wbxml_node *root, struct eas_ml_sync *s, char *err,
		      size_t errlen);
/* "2026-12-07T21:41:18.000Z" in epoch seconds, -1 when it is not that. */
double eas_ml_date(const char *text);
/* The round trip from sent (our clock, with fractions) to received (the
 * server's DateReceived): servers stamp whole seconds, so against a
 * received time without a fraction the send time counts from its own
 * second, or a fast delivery would come out below zero; a server clock
 * behind ours still gives 0, never less. */
double eas_ml_roundtrip(double sent, double received);

#endif
