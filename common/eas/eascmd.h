/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An ActiveSync command as a device sends it ([MS-ASHTTP]): the
 * monitoring device's identity, the query (plain "Cmd=...&User=..." or the
 * base64 form), the protocol version and policy key headers, the WBXML
 * body; and the WBXML answer decoded. Not the meaning of answers (that is
 * httpclass and eascode), not the commands' bodies (that is eassteps). */
#ifndef EAS_EASCMD_H
#define EAS_EASCMD_H

#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"
#include "run/run.h"
#include "eas/wbxml.h"

/* The device the check plays, as the server sees it. */
struct eas_device {
	const char *user; /* User=; NULL: not sent */
	const char *id;   /* DeviceId: 1..32 letters and digits */
	const char *type; /* DeviceType */
	const char *user_agent;
};

#define EAS_DEVICE_ID_MAX 32

enum eas_query_form { EAS_QUERY_PLAIN, EAS_QUERY_BASE64 };
/* The forms as an option's words ("plain", "base64"; NULL-ended) and the
 * values they store (a choice stores an int). */
extern const char *const eas_query_form_words[];
extern const int eas_query_form_values[];

/* The server part of a derived DeviceId: the URL with scheme and host in
 * lower case, a trailing dot of the host and the default port (http 80,
 * https 443) dropped, the path in lower case without trailing '/' (IIS
 * compares it without case), query and fragment dropped, so that
 * "https://MAIL.example.com:443/Microsoft-Server-ActiveSync/" is
 * "https://mail.example.com/microsoft-server-activesync". Returns 0, or -1
 * when url is not scheme://host... or buf is too small. */
int eas_device_url(const char *url, char *buf, size_t size);
/* The account part: DOMAIN\user and user@domain are user, in lower case
 * ("EXAMPLE\Alice", "alice@example.test" and "ALICE" are "alice"): one
 * mailbox, however the operator spells it. */
void eas_device_account(const char *user, char *buf, size_t size);
/* A DeviceId stable for a server and account, so that every run of the
 * check reuses one device partnership: "CE" and 30 upper-case hex digits
 * of a hash of the normalised URL (eas_device_url; url as given when it
 * does not parse) and account (normalised by the caller: see
 * eas_device_account; a certificate subject is used as it is). */
void eas_device_id_derive(const char *url, const char *account, char id[EAS_DEVICE_ID_MAX + 1]);
/* 1..32 ASCII letters and digits, as Exchange accepts. */
bool eas_device_id_valid(const char *id);
/* The base64 query form carries the DeviceId as bytes, and servers name
 * the partnership by their hex (Horde: upper case). An ID of an even
 * number of hex digits (every derived ID) is sent as the bytes it spells,
 * so both forms make one partnership; another ID goes as its ASCII bytes.
 * The bytes into out (at least 32), their count returned. */
size_t eas_device_id_bytes(const char *id, unsigned char *out);
/* The partnership name a server records for id sent in form: the ID
 * itself (plain), the upper-case hex of its bytes (base64). */
void eas_device_id_recorded(const char *id, enum eas_query_form form, char *buf, size_t size);
/* The device this check plays, where the options left it open: type
 * CheckEAS, User-Agent check-eas/VERSION, the user of creds and, without
 * --device-id, the ID derived from url and the account (the user, else the
 * certificate's subject) into id, so every run against one server and
 * account is the same device and Exchange keeps one partnership for it.
 * How a derived ID came about into derived, for -v ("" when given). */
void eas_device_defaults(struct eas_device *d, const struct eas_creds *creds, const char *url,
			 char id[EAS_DEVICE_ID_MAX + 1], char *derived, size_t size);

/* The versions check-eas speaks, as major*100+minor (14.1 -> 1401),
 * highest first; -1 ends the list. */
extern const int eas_cmd_versions[];
/* An option's parse (--protocol-version, --min-version): a version this
 * check speaks, stored as an int at dest. Returns 0, or -1. */
int eas_cmd_version_arg(const char *arg, void *dest);
/* The highest version both sides speak from a MS-ASProtocolVersions list,
 * or -1. */
int eas_cmd_pick_version(const char *offered);
/* "14.1" */
void eas_cmd_version_text(int version, char *buf, size_t size);

/* Storage for one command's request: URL, query, headers, body. */
struct eas_cmdreq {
	char url[2560];
	struct eas_param query[6];
	char version_hdr[48], policy_hdr[96];
	const char *headers[4];
	unsigned char *body;
	size_t body_len;
};

/* Fill req (whose target, TLS and credentials the caller has set) for
 * command cmd ("FolderSync") at version with policy_key (NULL: none) and
 * the finished body of w (NULL: no body); base_url is the EAS URL. Returns
 * 0, or -1 with one line in err. */
int eas_cmd_prepare(struct eas_cmdreq *c, struct eas_request *req, const char *base_url,
		    const struct eas_device *dev, enum eas_query_form form, const char *cmd,
		    int version, const char *policy_key, struct eas_wbxml_writer *w, char *err,
		    size_t errlen);
void eas_cmd_free(struct eas_cmdreq *c);
/* Before 14.0 SendMail carries the message itself, not WBXML ([MS-ASCMD]
 * 2.2.1.17, [MS-ASHTTP] 2.2.1.1.1.1.2): a request prepared without a body
 * made that one: message/rfc822, and SaveInSent=F in the plain query (the
 * base64 form without its Options byte says the same). mime stays the
 * caller's and must outlive the request. */
void eas_cmd_rfc822(struct eas_cmdreq *c, struct eas_request *req, const char *mime, size_t len);

/* The WBXML document of an answer. Returns 0 (doc filled; an empty body
 * gives a doc without root), or -1 with one line in err: not WBXML (the
 * content type and what came instead), cut at the size limit, or a
 * malformed document. */
int eas_cmd_answer(const struct eas_response *res, struct eas_wbxml_doc *doc, char *err,
		   size_t errlen);

#endif
