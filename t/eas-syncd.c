/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * eas-syncd - CGI program that answers the ActiveSync commands of
 * check_eas_sync like Exchange 2016 (OPTIONS, Provision in two phases,
 * FolderSync, Settings UserInformation, Sync, GetItemEstimate), and
 * misbehaves on request, for the check-eas integration tests.
 *
 * URL: /e/<case>/Microsoft-Server-ActiveSync?<query>, the query in the
 * plain form (Cmd=&User=&DeviceId=&DeviceType=, headers
 * MS-ASProtocolVersion and X-MS-PolicyKey) or the base64 form of
 * [MS-ASHTTP] 2.2.1.1.1.1. <case> is URL-decoded.
 *
 * Steps (where a misbehaviour strikes): options, provision1 (Provision
 * without a PolicyKey), provision2 (with one), provision (both),
 * foldersync, settings, sync0 (Sync with SyncKey 0), sync1 (any other
 * Sync), sync (both), estimate (GetItemEstimate), ping, any (every
 * request).
 *
 * Cases:
 *   ok                  Exchange 2016; the policy key is 1111 after
 *                       Provision phase 1, 2222 after phase 2; other
 *                       commands need 2222 (else HTTP 449 below 14.0,
 *                       Status 142 from 14.0)
 *   wipe                Provision answers Status 1 + <RemoteWipe/>; other
 *                       commands always want provisioning (449/142)
 *   accountwipe         the same with <AccountOnlyRemoteWipe/> (16.1)
 *   badkey-crlf         Provision phase 1 hands out the PolicyKey
 *                       "12\r\nX-Evil: 1"; badkey-long: 1000 digits;
 *                       badkey-big: 4294967296 (one past 32 bits)
 *   folders-N           FolderSync lists N folders (N >= 6, at most
 *                       20000): the six below, then mail folders
 *                       "Folder 7".. (ServerId fN, type 12)
 *   noaddress           Settings UserInformation Get without addresses
 *   nopolicy            Provision phase 1: Policy Status 2, no PolicyKey;
 *                       other commands need no key
 *   mailbox-ADDRESS     Settings returns ADDRESS as the primary address
 *   versions-LIST       OPTIONS offers LIST, other versions get HTTP 400;
 *                       LIST is separated by "_" (or ","/"%2C"), e.g.
 *                       versions-12.1_14.0
 *   http-CODE-STEP      HTTP CODE at STEP (400 401 403 404 449 451 456 457
 *                       500 501 503 507; 451 with X-MS-Location, 503 with
 *                       Retry-After: 30 and X-MS-ASThrottle)
 *   ex-CASE             CASE, every answer with the diagnostic headers of
 *                       Exchange's front end EX01 proxying to the mailbox
 *                       server EX03 (X-FEServer, X-BEServer, ...); its
 *                       HTTP 500 says the back end failed (X-FailureContext
 *                       BackEnd, X-BackEndHttpStatus)
 *   status-N-STEP       HTTP 200 with the command's Status N at STEP
 *                       (top level; for Sync and GetItemEstimate N < 100
 *                       goes to the collection / Response, as there)
 *   wipe140-STEP        status-140-STEP
 *   once449-STEP        HTTP 449 at the first request of STEP for this
 *                       DeviceId, then normal (state in $EAS_SYNCD_STATE)
 *   once142-STEP        Status 142 once, likewise
 *   once7-STEP          Status 7 once, likewise (Ping: the folder
 *                       hierarchy changed)
 *   once451-STEP        HTTP 451 once, X-MS-Location pointing at
 *                       /e/ok/Microsoft-Server-ActiveSync on this host, or
 *                       the content of $EAS_SYNCD_STATE/location (as it
 *                       is, a final newline dropped) when that file exists
 *   malformed-STEP      200, WBXML header followed by bytes that do not
 *                       decode
 *   truncated-STEP      the normal answer cut in half (Content-Length
 *                       matches the shorter body)
 *   cut-STEP            the normal answer with its full Content-Length, but
 *                       the connection closes after half of the body; the
 *                       vhost serves /e/cut-STEP/ with the copy nph-eas-syncd
 *                       (a non-parsed-header CGI, so Apache cannot repair
 *                       the framing); every answer of these cases carries
 *                       Connection: close
 *   oversized-STEP      a valid-looking 5 MiB answer (an OPAQUE element)
 *   html-STEP           200 text/html login page
 *   wrongtype-STEP      the normal answer as Content-Type: text/plain
 *   empty-STEP          200 with an empty body
 *   hang-STEP           sleep ?n=N seconds (default 30) before answering;
 *   hangN-STEP          the same with N in the case name (for the base64
 *                       query form, which has no room for n=)
 *   sibling-STEP        once per DeviceId, what another client with the
 *                       same DeviceId working at the same time causes:
 *                       provision2 Policy Status 5 (the key was replaced),
 *                       foldersync Status 9, sync0/sync1 collection Status
 *                       3, estimate Status 4, any other step Status 132;
 *                       then normal (state in $EAS_SYNCD_STATE)
 *   siblings-STEP       the same every time
 * An unknown case or step answers HTTP 500 naming it.
 *
 * Normal answers (WBXML, application/vnd.ms-sync.wbxml):
 *   Provision   phase 1: Status 1, Policy MS-EAS-Provisioning-WBXML
 *               Status 1 PolicyKey 1111 with an EASProvisionDoc, and
 *               settings:DeviceInformation/Status 1 first when the request
 *               has DeviceInformation (14.1+); phase 2 (PolicyKey 1111 and
 *               Status): PolicyKey 2222; another key: Policy Status 5; a
 *               RemoteWipe/Status acknowledgement: Status 1
 *   FolderSync  SyncKey 0: Status 1, SyncKey 1, Count 6 and six Adds (5
 *               Inbox, 6 Drafts, 7 Deleted Items, 8 Sent Items, 9 Contacts,
 *               10 Calendar), headers X-MS-RP and MS-ASProtocol*; SyncKey
 *               1: no changes; any other key: Status 9
 *   Settings    UserInformation Get: Status 1 and user@example.com (14.1+:
 *               Get/Accounts/Account/EmailAddresses with SmtpAddress and
 *               PrimarySmtpAddress; before: Get/EmailAddresses/SmtpAddress);
 *               DeviceInformation Set: its Status 1
 *   Sync        SyncKey 0: SyncKey s1, no items; SyncKey sN: the items N..
 *               of collection 5 (three mails, ServerId 5:N) up to
 *               WindowSize, MoreAvailable while some remain, SyncKey
 *               s<next>; the other folders are empty; an unknown key:
 *               collection Status 3; an unknown folder: Status 8; no
 *               body: Status 13
 *   Ping        held for its HeartbeatInterval (at most 60 s), then
 *               Status 1; status-5-ping adds HeartbeatInterval 60 (the
 *               server's limit), status-6-ping MaxFolders 1
 *   GetItemEstimate  collection 5: Estimate 3 (other folders 0) for a
 *               SyncKey sN or none; SyncKey 0 or unknown: Response Status
 *               4; unknown collection: Status 2
 *   other commands: HTTP 501; unknown commands and methods: 400 / 501
 *
 * Requests are checked like a strict Exchange: POST needs Cmd, DeviceId
 * (1-32 letters and digits in the plain form) and DeviceType, a supported
 * MS-ASProtocolVersion, Content-Type application/vnd.ms-sync.wbxml when it
 * has a body, a body that decodes and whose root element is the command's;
 * Provision must not carry settings:DeviceInformation before 14.1. Each
 * violation is HTTP 400 with the reason in X-EAS-Syncd-Reason.
 *
 * Environment: EAS_SYNCD_STATE, a directory (the vhost sets it; it must
 * be writable by the CGI user). Every request appends one line to
 * $EAS_SYNCD_STATE/requests.log:
 *   case cmd version policykey deviceid devicetype user form devinfo wipeack auth
 * with "-" for an absent value, auth none|basic|bearer (the Authorization header;
 * when the file $EAS_SYNCD_STATE/need-auth exists, a request without one
 * gets 401 with a Basic challenge), form plain|base64, devinfo yes|no (the
 * body carries settings:DeviceInformation), wipeack yes|no (a Provision
 * body carries RemoteWipe/Status or AccountOnlyRemoteWipe/Status). OPTIONS logs cmd OPTIONS. A binary
 * base64-form DeviceId is logged in hex. The once* cases keep a file
 * once.<case>.<deviceid> there.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgiwait.h"
#include "eas/wbxml.h"

#define AS EAS_WB_PAGE_AIRSYNC
#define ASB EAS_WB_PAGE_AIRSYNCBASE
#define EM EAS_WB_PAGE_EMAIL
#define FH EAS_WB_PAGE_FOLDERHIERARCHY
#define GIE EAS_WB_PAGE_GETITEMESTIMATE
#define PROV EAS_WB_PAGE_PROVISION
#define SET EAS_WB_PAGE_SETTINGS

/* Email code page tokens ([MS-ASWBXML] 2.1.2.1.3) that wbxml.h does not
 * name. */
#define EM_DATERECEIVED 0x0F
#define EM_MESSAGECLASS 0x13
#define EM_SUBJECT 0x14
#define EM_READ 0x15
#define EM_TO 0x16
#define EM_FROM 0x18

#define WBXML_TYPE "application/vnd.ms-sync.wbxml"
#define DEFAULT_VERSIONS "2.0,2.1,2.5,12.0,12.1,14.0,14.1,16.0,16.1"
#define EAS_COMMANDS                                                        \
	"Sync,SendMail,SmartForward,SmartReply,GetAttachment,GetHierarchy," \
	"CreateCollection,DeleteCollection,MoveCollection,FolderSync,"      \
	"FolderCreate,FolderDelete,FolderUpdate,MoveItems,GetItemEstimate," \
	"MeetingResponse,Search,Settings,Ping,ItemOperations,Provision,"    \
	"ResolveRecipients,ValidateCert,Find"
#define EXCHANGE_HEADERS                                       \
	"MS-Server-ActiveSync: 15.1\nCache-Control: private\n" \
	"X-Powered-By: ASP.NET\n"
#define TEMP_KEY "1111"
#define FINAL_KEY "2222"
#define SYNC_ITEMS 3 /* items in the Inbox (collection 5) */
#define MAX_BODY (1024 * 1024)

/* ------------------------------------------------------------ the case */

enum kind {
	K_OK,
	K_WIPE,
	K_NOPOLICY,
	K_MAILBOX,
	K_VERSIONS,
	K_HTTP,
	K_STATUS,
	K_ONCE449,
	K_ONCE142,
	K_ONCE7,
	K_ONCE451,
	K_MALFORMED,
	K_TRUNCATED,
	K_CUT,
	K_OVERSIZED,
	K_HTML,
	K_WRONGTYPE,
	K_EMPTY,
	K_HANG,
	K_SIBLING,
	K_SIBLINGS,
	K_ACCOUNTWIPE,
	K_BADKEY,
	K_FOLDERS,
	K_NOADDRESS,
};

struct kase {
	enum kind kind;
	int code;      /* http-CODE, status-N */
	long secs;     /* hangN; -1: ?n= or 30 */
	char step[32]; /* "" for the cases without one */
	char arg[256]; /* mailbox address, version list */
};

static const char *const steps[] = {
	"options", "provision1", "provision2", "provision", "foldersync", "settings",
	"sync0",   "sync1",      "sync",       "estimate",  "ping",       "any",
};

static const int http_codes[] = {
	400, 401, 403, 404, 449, 451, 456, 457, 500, 501, 503, 507,
};

static int valid_step(const char *s)
{
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (strcmp(s, steps[i]) == 0)
			return 1;
	return 0;
}

/* "14.1" -> 141, -1 when it is not MAJOR.MINOR with a one-digit minor. */
static int version_num(const char *v)
{
	char *end;
	long major;

	if (!v || !isdigit((unsigned char)v[0]))
		return -1;
	major = strtol(v, &end, 10);
	if (*end != '.' || !isdigit((unsigned char)end[1]) || end[2] || major > 99)
		return -1;
	return (int)major * 10 + (end[1] - '0');
}

/* Parse a case name; 0 on success, -1 when unknown. */
static int parse_case(const char *name, struct kase *k)
{
	static const struct {
		const char *prefix;
		enum kind kind;
	} simple[] = {
		{ "once449-", K_ONCE449 },
		{ "once142-", K_ONCE142 },
		{ "once7-", K_ONCE7 },
		{ "once451-", K_ONCE451 },
		{ "malformed-", K_MALFORMED },
		{ "truncated-", K_TRUNCATED },
		{ "cut-", K_CUT },
		{ "oversized-", K_OVERSIZED },
		{ "html-", K_HTML },
		{ "wrongtype-", K_WRONGTYPE },
		{ "empty-", K_EMPTY },
		{ "hang-", K_HANG },
		{ "sibling-", K_SIBLING },
		{ "siblings-", K_SIBLINGS },
	};
	const char *rest;
	char *end;

	memset(k, 0, sizeof *k);
	k->secs = -1;
	if (strcmp(name, "ok") == 0) {
		k->kind = K_OK;
		return 0;
	}
	if (strcmp(name, "wipe") == 0) {
		k->kind = K_WIPE;
		return 0;
	}
	if (strcmp(name, "nopolicy") == 0) {
		k->kind = K_NOPOLICY;
		return 0;
	}
	if (strcmp(name, "accountwipe") == 0) {
		k->kind = K_ACCOUNTWIPE;
		return 0;
	}
	if (strcmp(name, "noaddress") == 0) {
		k->kind = K_NOADDRESS;
		return 0;
	}
	if (!strcmp(name, "badkey-crlf") || !strcmp(name, "badkey-long") ||
	    !strcmp(name, "badkey-big")) {
		k->kind = K_BADKEY;
		snprintf(k->arg, sizeof k->arg, "%.8s", name + 7);
		return 0;
	}
	if (strncmp(name, "folders-", 8) == 0 && isdigit((unsigned char)name[8])) {
		long n = strtol(name + 8, &end, 10);

		if (*end || n < 6 || n > 20000)
			return -1;
		k->kind = K_FOLDERS;
		k->code = (int)n;
		return 0;
	}
	if (strncmp(name, "mailbox-", 8) == 0) {
		rest = name + 8;
		if (!*rest || !strchr(rest, '@') || strlen(rest) >= sizeof k->arg ||
		    rest[strspn(rest, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
				      "QRSTUVWXYZ0123456789.@_+-")])
			return -1;
		k->kind = K_MAILBOX;
		snprintf(k->arg, sizeof k->arg, "%s", rest);
		return 0;
	}
	if (strncmp(name, "versions-", 9) == 0) {
		char *v, *save = NULL, tmp[sizeof k->arg];

		rest = name + 9;
		if (!*rest || strlen(rest) >= sizeof k->arg)
			return -1;
		snprintf(k->arg, sizeof k->arg, "%s", rest);
		for (char *p = k->arg; *p; p++)
			if (*p == '_')
				*p = ',';
		snprintf(tmp, sizeof tmp, "%s", k->arg);
		for (v = strtok_r(tmp, ",", &save); v; v = strtok_r(NULL, ",", &save))
			if (version_num(v) < 0)
				return -1;
		k->kind = K_VERSIONS;
		return 0;
	}
	if (strncmp(name, "http-", 5) == 0 || strncmp(name, "status-", 7) == 0) {
		int http = name[0] == 'h';
		long n = strtol(name + (http ? 5 : 7), &end, 10);
		int ok = 0;

		if (*end != '-' || n < 1 || n > 999 || !isdigit((unsigned char)name[http ? 5 : 7]))
			return -1;
		if (http) {
			for (size_t i = 0; i < sizeof http_codes / sizeof http_codes[0]; i++)
				ok |= http_codes[i] == n;
			if (!ok)
				return -1;
		}
		k->kind = http ? K_HTTP : K_STATUS;
		k->code = (int)n;
		rest = end + 1;
	} else if (strncmp(name, "wipe140-", 8) == 0) {
		k->kind = K_STATUS;
		k->code = 140;
		rest = name + 8;
	} else if (strncmp(name, "hang", 4) == 0 && isdigit((unsigned char)name[4])) {
		k->kind = K_HANG;
		k->secs = strtol(name + 4, &end, 10);
		if (*end != '-' || k->secs > 3600)
			return -1;
		rest = end + 1;
	} else {
		size_t i;

		for (i = 0; i < sizeof simple / sizeof simple[0]; i++)
			if (strncmp(name, simple[i].prefix, strlen(simple[i].prefix)) == 0)
				break;
		if (i == sizeof simple / sizeof simple[0])
			return -1;
		k->kind = simple[i].kind;
		rest = name + strlen(simple[i].prefix);
	}
	if (!valid_step(rest))
		return -1;
	snprintf(k->step, sizeof k->step, "%.31s", rest);
	return 0;
}

static int step_matches(const char *want, const char *step)
{
	if (!want[0])
		return 0;
	if (strcmp(want, "any") == 0 || strcmp(want, step) == 0)
		return 1;
	if (strcmp(want, "provision") == 0)
		return strncmp(step, "provision", 9) == 0;
	if (strcmp(want, "sync") == 0)
		return strncmp(step, "sync", 4) == 0;
	return 0;
}

/* ---------------------------------------------------------- the request */

struct request {
	const char *method;
	char casename[256];
	char cmd[32]; /* "" when absent */
	int cmd_code; /* base64 form; -1 otherwise */
	char version[16];
	char policykey[16];
	char deviceid[80];
	char devicetype[80];
	char user[256];
	int base64;
	long hang;     /* ?n= in the plain form, -1 absent */
	char bad[160]; /* why the query is bad, "" if fine */
	unsigned char *body;
	size_t body_len;
	struct eas_wbxml_doc doc;
	int have_doc;
	char body_err[160];
	int devinfo, wipeack;
	char step[32];
};

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode (and "+" -> " " when plus) n bytes of s into out. */
static void url_decode(const char *s, size_t n, char *out, size_t outlen, int plus)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < outlen; i++) {
		int h, l;

		if (s[i] == '%' && i + 2 < n && (h = hexval(s[i + 1])) >= 0 &&
		    (l = hexval(s[i + 2])) >= 0) {
			out[o++] = (char)(h * 16 + l);
			i += 2;
		} else if (s[i] == '+' && plus) {
			out[o++] = ' ';
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
}

/* Take <case> from /e/<case>/..., "" when the URI has none. */
static void case_from_uri(const char *uri, char *out, size_t outlen)
{
	size_t len;

	out[0] = '\0';
	if (!uri || strncmp(uri, "/e/", 3) != 0)
		return;
	uri += 3;
	len = strcspn(uri, "/?");
	if (uri[len] != '/' || len == 0)
		return;
	url_decode(uri, len, out, outlen, 0);
}

static const char *const command_codes[] = {
	[0] = "Sync",
	[1] = "SendMail",
	[2] = "SmartForward",
	[3] = "SmartReply",
	[4] = "GetAttachment",
	[9] = "FolderSync",
	[10] = "FolderCreate",
	[11] = "FolderDelete",
	[12] = "FolderUpdate",
	[13] = "MoveItems",
	[14] = "GetItemEstimate",
	[15] = "MeetingResponse",
	[16] = "Search",
	[17] = "Settings",
	[18] = "Ping",
	[19] = "ItemOperations",
	[20] = "Provision",
	[21] = "ResolveRecipients",
	[22] = "ValidateCert",
	[23] = "Find",
};

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Base64 (padding optional) -> bytes; returns the length or -1. */
static long b64_decode(const char *s, unsigned char *out, size_t outlen)
{
	unsigned long acc = 0;
	int bits = 0;
	size_t o = 0;

	for (; *s && *s != '='; s++) {
		int v = b64val((unsigned char)*s);

		if (v < 0)
			return -1;
		acc = (acc << 6) | (unsigned long)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o >= outlen)
				return -1;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1UL << bits) - 1;
		}
	}
	while (*s == '=')
		s++;
	return *s ? -1 : (long)o;
}

/* Bytes as a log-friendly string: letters and digits as they are, anything
 * else as lowercase hex. */
static void bytes_to_id(const unsigned char *b, size_t n, char *out, size_t outlen)
{
	int plain = n > 0;

	for (size_t i = 0; i < n; i++)
		plain &= isalnum(b[i]) != 0;
	if (plain) {
		snprintf(out, outlen, "%.*s", (int)n, (const char *)b);
		return;
	}
	out[0] = '\0';
	for (size_t i = 0; i < n && 2 * i + 2 < outlen; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static void parse_base64_query(struct request *r, const char *q)
{
	char dec[1024];
	unsigned char b[768];
	long n;
	size_t p = 4, len;

	url_decode(q, strlen(q), dec, sizeof dec, 0);
	n = b64_decode(dec, b, sizeof b);
	if (n < 0) {
		snprintf(r->bad, sizeof r->bad, "the query is neither plain nor base64");
		return;
	}
	if (n < 7) {
		snprintf(r->bad, sizeof r->bad, "base64 query of %ld bytes is too short", n);
		return;
	}
	snprintf(r->version, sizeof r->version, "%d.%d", b[0] / 10, b[0] % 10);
	r->cmd_code = b[1];
	if (b[1] < sizeof command_codes / sizeof command_codes[0] && command_codes[b[1]])
		snprintf(r->cmd, sizeof r->cmd, "%s", command_codes[b[1]]);
	else
		snprintf(r->cmd, sizeof r->cmd, "code%d", b[1]);
		/* b[2..3]: locale */
#define NEED(k)                                                                      \
	do {                                                                         \
		if (p + (k) > (size_t)n) {                                           \
			snprintf(r->bad, sizeof r->bad,                              \
				 "base64 query ends inside a field at byte %zu", p); \
			return;                                                      \
		}                                                                    \
	} while (0)
	NEED(1);
	len = b[p++];
	NEED(len);
	bytes_to_id(b + p, len, r->deviceid, sizeof r->deviceid);
	p += len;
	NEED(1);
	len = b[p++];
	if (len != 0 && len != 4) {
		snprintf(r->bad, sizeof r->bad, "base64 policy key length %zu (not 0 or 4)", len);
		return;
	}
	NEED(len);
	if (len == 4)
		snprintf(r->policykey, sizeof r->policykey, "%lu",
			 (unsigned long)b[p] | (unsigned long)b[p + 1] << 8 |
				 (unsigned long)b[p + 2] << 16 | (unsigned long)b[p + 3] << 24);
	p += len;
	NEED(1);
	len = b[p++];
	NEED(len);
	snprintf(r->devicetype, sizeof r->devicetype, "%.*s", (int)len, (const char *)b + p);
	p += len;
	while (p < (size_t)n) {
		unsigned tag;

		NEED(2);
		tag = b[p];
		len = b[p + 1];
		p += 2;
		NEED(len);
		if (tag == 8)
			snprintf(r->user, sizeof r->user, "%.*s", (int)len, (const char *)b + p);
		p += len;
	}
#undef NEED
}

static void parse_plain_query(struct request *r, const char *q)
{
	while (q && *q) {
		size_t len = strcspn(q, "&"), klen = strcspn(q, "=");
		char key[32], num[16];

		if (klen < len) {
			const char *v = q + klen + 1;
			size_t vlen = len - klen - 1;

			url_decode(q, klen, key, sizeof key, 1);
			if (strcasecmp(key, "Cmd") == 0)
				url_decode(v, vlen, r->cmd, sizeof r->cmd, 1);
			else if (strcasecmp(key, "User") == 0)
				url_decode(v, vlen, r->user, sizeof r->user, 1);
			else if (strcasecmp(key, "DeviceId") == 0)
				url_decode(v, vlen, r->deviceid, sizeof r->deviceid, 1);
			else if (strcasecmp(key, "DeviceType") == 0)
				url_decode(v, vlen, r->devicetype, sizeof r->devicetype, 1);
			else if (strcmp(key, "n") == 0) {
				url_decode(v, vlen, num, sizeof num, 1);
				r->hang = strtol(num, NULL, 10);
			}
		}
		q += len;
		if (*q == '&')
			q++;
	}
}

static void parse_query(struct request *r)
{
	const char *q = getenv("QUERY_STRING");
	const char *v = getenv("HTTP_MS_ASPROTOCOLVERSION");
	const char *k = getenv("HTTP_X_MS_POLICYKEY");

	r->cmd_code = -1;
	r->hang = -1;
	if (q && *q) {
		/* plain queries have "key=value"; base64 has "=" only as padding
		 * at the end (perhaps percent-encoded) */
		size_t n = strlen(q);

		for (;;) {
			if (n >= 1 && q[n - 1] == '=')
				n -= 1;
			else if (n >= 3 && strncasecmp(q + n - 3, "%3D", 3) == 0)
				n -= 3;
			else
				break;
		}
		if (!memchr(q, '=', n) && !memchr(q, '&', n)) {
			r->base64 = 1;
			parse_base64_query(r, q);
			return;
		}
	}
	parse_plain_query(r, q);
	snprintf(r->version, sizeof r->version, "%s", v ? v : "");
	snprintf(r->policykey, sizeof r->policykey, "%s", k ? k : "");
}

static void read_body(struct request *r)
{
	size_t cap = 0;

	for (;;) {
		ssize_t n;

		if (r->body_len == cap) {
			unsigned char *p;

			if (cap >= MAX_BODY + 1)
				break;
			cap = cap ? cap * 2 : 4096;
			p = realloc(r->body, cap);
			if (!p)
				break;
			r->body = p;
		}
		n = read(STDIN_FILENO, r->body + r->body_len, cap - r->body_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		r->body_len += (size_t)n;
	}
	/* drain the rest of an oversized body */
	for (char sink[4096]; r->body_len > MAX_BODY && read(STDIN_FILENO, sink, sizeof sink) > 0;)
		;
}

static int tree_has(const struct eas_wbxml_node *n, int page, int tag)
{
	for (; n; n = n->next)
		if ((n->page == page && n->tag == tag) || tree_has(n->child, page, tag))
			return 1;
	return 0;
}

static const struct eas_wbxml_node *root(const struct request *r)
{
	return r->have_doc ? r->doc.root : NULL;
}

static const struct eas_wbxml_node *policy_of(const struct request *r)
{
	return eas_wbxml_path(root(r), PROV, EAS_WB_PROVISION_POLICIES, PROV,
			      EAS_WB_PROVISION_POLICY, -1);
}

static const struct eas_wbxml_node *sync_collection(const struct request *r)
{
	return eas_wbxml_path(root(r), AS, EAS_WB_AIRSYNC_COLLECTIONS, AS,
			      EAS_WB_AIRSYNC_COLLECTION, -1);
}

static void decode_body(struct request *r)
{
	const struct eas_wbxml_node *rw;

	if (!r->body_len)
		return;
	if (eas_wbxml_decode(r->body, r->body_len, NULL, &r->doc, r->body_err,
			     sizeof r->body_err) == 0)
		r->have_doc = 1;
	if (!r->have_doc)
		return;
	r->devinfo = tree_has(r->doc.root, SET, EAS_WB_SETTINGS_DEVICEINFORMATION);
	rw = eas_wbxml_child(r->doc.root, PROV, EAS_WB_PROVISION_REMOTEWIPE);
	if (!rw)
		rw = eas_wbxml_child(r->doc.root, PROV, EAS_WB_PROVISION_ACCOUNTONLYREMOTEWIPE);
	r->wipeack = strcasecmp(r->cmd, "Provision") == 0 &&
		     eas_wbxml_child(rw, PROV, EAS_WB_PROVISION_STATUS) != NULL;
}

static void find_step(struct request *r)
{
	const char *s = r->cmd;

	if (strcmp(r->method, "OPTIONS") == 0) {
		s = "options";
	} else if (strcasecmp(s, "Provision") == 0) {
		s = eas_wbxml_child(policy_of(r), PROV, EAS_WB_PROVISION_POLICYKEY) ? "provision2"
										    : "provision1";
	} else if (strcasecmp(s, "FolderSync") == 0) {
		s = "foldersync";
	} else if (strcasecmp(s, "Settings") == 0) {
		s = "settings";
	} else if (strcasecmp(s, "GetItemEstimate") == 0) {
		s = "estimate";
	} else if (strcasecmp(s, "Ping") == 0) {
		s = "ping";
	} else if (strcasecmp(s, "Sync") == 0) {
		const char *key = eas_wbxml_str(
			eas_wbxml_child(sync_collection(r), AS, EAS_WB_AIRSYNC_SYNCKEY));
		s = key && strcmp(key, "0") == 0 ? "sync0" : "sync1";
	}
	snprintf(r->step, sizeof r->step, "%s", s);
	for (char *p = r->step; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

/* ---------------------------------------------------------------- state */

static const char *state_dir(void)
{
	const char *d = getenv("EAS_SYNCD_STATE");

	if (!d || !*d)
		return NULL;
	if (mkdir(d, 0777) == 0)
		chmod(d, 01777);
	return d;
}

/* A log field: "-" when empty, spaces and control characters as "_". */
static void field(char *out, size_t outlen, const char *s)
{
	size_t o = 0;

	if (!s || !*s)
		s = "-";
	for (; *s && o + 1 < outlen; s++)
		out[o++] = (unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f ? '_' : *s;
	out[o] = '\0';
}

/* The request carries Basic credentials (which ones is not our test). */
static int authorized(void)
{
	const char *a = getenv("HTTP_AUTHORIZATION");

	return a && !strncasecmp(a, "Basic ", 6);
}

/* Or a bearer token (a reverse proxy in front, t/lib/vhost-eas-oauth.conf,
 * has checked it). */
static int bearer(void)
{
	const char *a = getenv("HTTP_AUTHORIZATION");

	return a && !strncasecmp(a, "Bearer ", 7);
}

/* A file of the state directory exists: the test's switches. */
static int state_file(const char *name, char *content, size_t size)
{
	const char *dir = state_dir();
	char path[4096];
	FILE *f;
	size_t n;

	if (!dir)
		return 0;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = content ? fread(content, 1, size - 1, f) : 0;
	if (content) {
		content[n] = 0;
		if (n && content[n - 1] == '\n')
			content[n - 1] = 0;
	}
	fclose(f);
	return 1;
}

static void log_request(const struct request *r)
{
	const char *dir = state_dir();
	char path[4096], line[2048], f[7][300];
	int fd, n;

	if (!dir)
		return;
	snprintf(path, sizeof path, "%s/requests.log", dir);
	field(f[0], sizeof f[0], r->casename);
	field(f[1], sizeof f[1], strcmp(r->method, "POST") ? r->method : r->cmd);
	field(f[2], sizeof f[2], r->version);
	field(f[3], sizeof f[3], r->policykey);
	field(f[4], sizeof f[4], r->deviceid);
	field(f[5], sizeof f[5], r->devicetype);
	field(f[6], sizeof f[6], r->user);
	n = snprintf(line, sizeof line, "%s %s %s %s %s %s %s %s %s %s %s\n", f[0], f[1], f[2],
		     f[3], f[4], f[5], f[6], r->base64 ? "base64" : "plain",
		     r->devinfo ? "yes" : "no", r->wipeack ? "yes" : "no",
		     authorized() ? "basic"
		     : bearer()   ? "bearer"
				  : "none");
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		fprintf(stderr, "eas-syncd: %s: %s\n", path, strerror(errno));
		return;
	}
	if (write(fd, line, (size_t)n) != n)
		fprintf(stderr, "eas-syncd: %s: short write\n", path);
	close(fd);
}

/* For the once* cases: 1 the first time for this case and DeviceId, then
 * 0; -1 without a state directory. */
static int first_time(const struct request *r)
{
	const char *dir = state_dir();
	char path[4096], name[400];
	int fd;

	if (!dir)
		return -1;
	snprintf(name, sizeof name, "once.%s.%s", r->casename, r->deviceid[0] ? r->deviceid : "-");
	for (char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._-", *p))
			*p = '_';
	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	return errno == EEXIST ? 0 : -1;
}

/* --------------------------------------------------------------- answers */

struct answer {
	char status[64];    /* CGI Status: value */
	char headers[1024]; /* extra header lines, each ending in \n */
	char ctype[64];     /* "" for none */
	unsigned char *body;
	size_t len;
};

static void set_status(struct answer *a, const char *status)
{
	snprintf(a->status, sizeof a->status, "%s", status);
}

static bool exchange_diag; /* ex-CASE: Exchange's diagnostic headers */

static void add_header(struct answer *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add_header(struct answer *a, const char *fmt, ...)
{
	size_t used = strlen(a->headers);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->headers + used, sizeof a->headers - used, fmt, ap);
	va_end(ap);
}

static void set_body(struct answer *a, const char *ctype, const void *data, size_t len)
{
	free(a->body);
	a->body = NULL;
	a->len = 0;
	snprintf(a->ctype, sizeof a->ctype, "%s", ctype ? ctype : "");
	if (len) {
		a->body = malloc(len);
		if (!a->body) {
			fprintf(stderr, "eas-syncd: out of memory\n");
			exit(1);
		}
		memcpy(a->body, data, len);
		a->len = len;
	}
}

/* Run as nph-eas-syncd: a non-parsed-header CGI that writes the whole
 * HTTP response itself, so that it can break the framing (cut-STEP). */
static int nph(void)
{
	const char *f = getenv("SCRIPT_FILENAME");
	const char *base = f ? strrchr(f, '/') : NULL;

	base = base ? base + 1 : f;
	return base && strncmp(base, "nph-", 4) == 0;
}

/* Header lines ("Name: value\n" each); CRLF for an NPH response. */
static void put_headers(const char *h, int crlf)
{
	for (; *h; h++) {
		if (*h == '\n' && crlf)
			putchar('\r');
		putchar(*h);
	}
}

static void emit(const struct answer *a, size_t send_len)
{
	char head[2048];
	int raw = nph();

	snprintf(head, sizeof head, EXCHANGE_HEADERS "%s%s%s%sContent-Length: %zu\n%s\n",
		 a->headers, a->ctype[0] ? "Content-Type: " : "", a->ctype, a->ctype[0] ? "\n" : "",
		 a->len, raw ? "Connection: close\n" : "");
	if (raw)
		printf("HTTP/1.1 %s\r\n", a->status);
	else
		printf("Status: %s\n", a->status);
	put_headers(head, raw);
	if (send_len > a->len)
		send_len = a->len;
	for (size_t off = 0; off < send_len;) {
		size_t n = send_len - off < 65536 ? send_len - off : 65536;

		if (fwrite(a->body + off, 1, n, stdout) != n)
			exit(0); /* client went away */
		off += n;
	}
}

static void html_page(struct answer *a, const char *title, const char *text)
{
	char page[2048];
	int n = snprintf(page, sizeof page,
			 "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\""
			 "\"http://www.w3.org/TR/html4/strict.dtd\">\r\n"
			 "<HTML><HEAD><TITLE>%s</TITLE>\r\n"
			 "<META HTTP-EQUIV=\"Content-Type\" Content=\"text/html; "
			 "charset=us-ascii\"></HEAD>\r\n"
			 "<BODY><h2>%s</h2>\r\n<hr><p>%s</p>\r\n</BODY></HTML>\r\n",
			 title, title, text);

	set_body(a, "text/html", page, (size_t)n);
}

static void bad_request(struct answer *a, const char *why)
{
	set_status(a, "400 Bad Request");
	add_header(a, "X-EAS-Syncd-Reason: %s\n", why);
	html_page(a, "Bad Request", "HTTP Error 400. The request is badly formed.");
}

/* HTTP CODE as Exchange/IIS sends it; where is the X-MS-Location of 451. */
static void http_answer(struct answer *a, int code, const char *where)
{
	switch (code) {
	case 400: bad_request(a, "http-400 case"); return;
	case 401:
		set_status(a, "401 Unauthorized");
		add_header(a, "WWW-Authenticate: Basic realm=\"mail.example.com\"\n");
		html_page(a, "401 - Unauthorized: Access is denied due to invalid credentials.",
			  "You do not have permission to view this directory or page "
			  "using the credentials that you supplied.");
		return;
	case 403:
		set_status(a, "403 Forbidden");
		html_page(a, "403 - Forbidden: Access is denied.",
			  "You do not have permission to view this directory or page "
			  "using the credentials that you supplied.");
		return;
	case 404:
		set_status(a, "404 Not Found");
		html_page(a, "404 - File or directory not found.",
			  "The resource you are looking for might have been removed, "
			  "had its name changed, or is temporarily unavailable.");
		return;
	case 449: set_status(a, "449 Retry after sending a PROVISION command"); return;
	case 451:
		set_status(a, "451 Redirect");
		add_header(a, "X-MS-Location: %s\n",
			   where ? where : "https://mail2.example.com/Microsoft-Server-ActiveSync");
		return;
	case 456: set_status(a, "456 Blocked"); return;
	case 457:
		set_status(a, "457 Expired Password");
		add_header(a, "X-MS-Credential-Service-Url: "
			      "https://mail.example.com/owa/auth/expiredpassword.aspx\n");
		return;
	case 500:
		set_status(a, "500 Internal Server Error");
		/* The front end's word that the mailbox server failed (base64
		 * of "Internal Server Error"). */
		if (exchange_diag)
			add_header(a, "X-FailureContext: BackEnd;500;"
				      "SW50ZXJuYWwgU2VydmVyIEVycm9y;;;;\n"
				      "X-BackEndHttpStatus: 500\n");
		html_page(a, "500 - Internal server error.",
			  "There is a problem with the resource you are looking for, "
			  "and it cannot be displayed.");
		return;
	case 501:
		set_status(a, "501 Not Implemented");
		html_page(a, "501 - Header values specify a method that is not implemented.",
			  "The page you are looking for cannot be displayed because a "
			  "header value in the request does not match certain "
			  "configuration settings on the Web server.");
		return;
	case 503:
		set_status(a, "503 Service Unavailable");
		add_header(a, "Retry-After: 30\nX-MS-ASThrottle: CommandFrequency\n");
		html_page(a, "Service Unavailable", "HTTP Error 503. The service is unavailable.");
		return;
	case 507: set_status(a, "507 Insufficient Storage"); return;
	}
	set_status(a, "500 Internal Server Error");
}

static void finish_wbxml(struct answer *a, struct eas_wbxml_writer *w)
{
	unsigned char *buf;
	size_t len;
	char err[128];

	if (eas_wbxml_finish(w, &buf, &len, err, sizeof err)) {
		fprintf(stderr, "eas-syncd: writing the answer: %s\n", err);
		set_status(a, "500 eas-syncd could not write its answer");
		set_body(a, "text/plain", err, strlen(err));
		return;
	}
	set_status(a, "200 OK");
	set_body(a, WBXML_TYPE, buf, len);
	free(buf);
}

/* The root element of a command's request and answer. */
static int command_root(const char *cmd, int *page, int *tag)
{
	static const struct {
		const char *cmd;
		int page, tag;
	} roots[] = {
		{ "Provision", PROV, EAS_WB_PROVISION_PROVISION },
		{ "FolderSync", FH, EAS_WB_FH_FOLDERSYNC },
		{ "Settings", SET, EAS_WB_SETTINGS_SETTINGS },
		{ "Sync", AS, EAS_WB_AIRSYNC_SYNC },
		{ "GetItemEstimate", GIE, EAS_WB_GIE_GETITEMESTIMATE },
		{ "Ping", EAS_WB_PAGE_PING, EAS_WB_PING_PING },
	};

	for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++)
		if (strcasecmp(cmd, roots[i].cmd) == 0) {
			*page = roots[i].page;
			*tag = roots[i].tag;
			return 0;
		}
	return -1;
}

/* 200 with the command's Status n: at the top level; for Sync and
 * GetItemEstimate a status below 100 (their own codes) goes to the
 * collection or Response. */
static void status_answer(struct answer *a, const struct request *r, int n)
{
	struct eas_wbxml_writer w;
	char num[16];
	int page, tag;

	if (command_root(r->cmd, &page, &tag)) {
		http_answer(a, 501, NULL);
		return;
	}
	snprintf(num, sizeof num, "%d", n);
	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, page, tag);
	if (page == AS && n < 100) {
		const struct eas_wbxml_node *c = sync_collection(r);
		const char *key = eas_wbxml_str(eas_wbxml_child(c, AS, EAS_WB_AIRSYNC_SYNCKEY));
		const char *id = eas_wbxml_str(eas_wbxml_child(c, AS, EAS_WB_AIRSYNC_COLLECTIONID));

		eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_COLLECTIONS);
		eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_COLLECTION);
		eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_SYNCKEY, key && *key ? key : "0");
		eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_COLLECTIONID, id && *id ? id : "5");
		eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_STATUS, num);
		eas_wbxml_close(&w);
		eas_wbxml_close(&w);
	} else if (page == EAS_WB_PAGE_PING) {
		eas_wbxml_text(&w, page, EAS_WB_PING_STATUS, num);
		if (n == 5)
			eas_wbxml_text(&w, page, EAS_WB_PING_HEARTBEATINTERVAL, "60");
		if (n == 6)
			eas_wbxml_text(&w, page, EAS_WB_PING_MAXFOLDERS, "1");
	} else if (page == GIE && n < 100) {
		eas_wbxml_open(&w, GIE, EAS_WB_GIE_RESPONSE);
		eas_wbxml_text(&w, GIE, EAS_WB_GIE_STATUS, num);
		eas_wbxml_close(&w);
	} else {
		/* the Status tag of each root's page */
		int st = page == PROV  ? EAS_WB_PROVISION_STATUS
			 : page == FH  ? EAS_WB_FH_STATUS
			 : page == SET ? EAS_WB_SETTINGS_STATUS
			 : page == AS  ? EAS_WB_AIRSYNC_STATUS
				       : EAS_WB_GIE_STATUS;
		eas_wbxml_text(&w, page, st, num);
	}
	eas_wbxml_close(&w);
	finish_wbxml(a, &w);
}

static void options_answer(struct answer *a, const char *versions)
{
	set_status(a, "200 OK");
	add_header(a,
		   "MS-ASProtocolVersions: %s\n"
		   "MS-ASProtocolCommands: " EAS_COMMANDS "\n"
		   "Allow: OPTIONS,POST\nPublic: OPTIONS,POST\n",
		   versions);
}

/* ------------------------------------------------------------- commands */

static void provision(struct answer *a, const struct request *r, const struct kase *k, int ver)
{
	const struct eas_wbxml_node *pol = policy_of(r);
	const char *type = eas_wbxml_str(eas_wbxml_child(pol, PROV, EAS_WB_PROVISION_POLICYTYPE));
	const char *key = eas_wbxml_str(eas_wbxml_child(pol, PROV, EAS_WB_PROVISION_POLICYKEY));
	const char *ack = eas_wbxml_str(eas_wbxml_child(pol, PROV, EAS_WB_PROVISION_STATUS));
	struct eas_wbxml_writer w;

	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, PROV, EAS_WB_PROVISION_PROVISION);
	if (ver >= 141 && eas_wbxml_child(root(r), SET, EAS_WB_SETTINGS_DEVICEINFORMATION)) {
		eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_DEVICEINFORMATION);
		eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_STATUS, "1");
		eas_wbxml_close(&w);
	}
	if (r->wipeack) {
		/* the device confirms the wipe: nothing more to say */
		eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_STATUS, "1");
	} else if (k->kind == K_WIPE) {
		eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_STATUS, "1");
		eas_wbxml_empty(&w, PROV, EAS_WB_PROVISION_REMOTEWIPE);
	} else if (k->kind == K_ACCOUNTWIPE) {
		eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_STATUS, "1");
		eas_wbxml_empty(&w, PROV, EAS_WB_PROVISION_ACCOUNTONLYREMOTEWIPE);
	} else if (!pol || (key && !ack)) {
		eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_STATUS, "2"); /* protocol error */
	} else {
		const char *want =
			ver < 120 ? "MS-WAP-Provisioning-XML" : "MS-EAS-Provisioning-WBXML";

		eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_STATUS, "1");
		eas_wbxml_open(&w, PROV, EAS_WB_PROVISION_POLICIES);
		eas_wbxml_open(&w, PROV, EAS_WB_PROVISION_POLICY);
		eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_POLICYTYPE, type ? type : "");
		if (!type || strcmp(type, want) != 0) {
			eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_STATUS, "3"); /* unknown type */
		} else if (k->kind == K_NOPOLICY) {
			eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_STATUS, "2"); /* no policy */
		} else if (key && strcmp(key, TEMP_KEY) != 0) {
			eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_STATUS, "5"); /* wrong key */
		} else if (key) {
			eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_STATUS, "1");
			eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_POLICYKEY, FINAL_KEY);
		} else {
			char bad[1001];

			if (k->kind == K_BADKEY && !strcmp(k->arg, "long")) {
				memset(bad, '7', 1000);
				bad[1000] = 0;
			} else {
				snprintf(bad, sizeof bad, "%s",
					 !strcmp(k->arg, "crlf") ? "12\r\nX-Evil: 1"
								 : "4294967296");
			}
			eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_STATUS, "1");
			eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_POLICYKEY,
				       k->kind == K_BADKEY ? bad : TEMP_KEY);
			eas_wbxml_open(&w, PROV, EAS_WB_PROVISION_DATA);
			eas_wbxml_open(&w, PROV, EAS_WB_PROVISION_EASPROVISIONDOC);
			eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_DEVICEPASSWORDENABLED, "0");
			eas_wbxml_text(&w, PROV,
				       EAS_WB_PROVISION_ALPHANUMERICDEVICEPASSWORDREQUIRED, "0");
			eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_REQUIREDEVICEENCRYPTION, "0");
			eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_ATTACHMENTSENABLED, "1");
			eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_MAXATTACHMENTSIZE, "10485760");
			eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_ALLOWSIMPLEDEVICEPASSWORD, "1");
			eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_ALLOWSTORAGECARD, "1");
			eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_ALLOWCAMERA, "1");
			eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_MAXEMAILAGEFILTER, "0");
			eas_wbxml_empty(&w, PROV, EAS_WB_PROVISION_UNAPPROVEDINROMAPPLICATIONLIST);
			eas_wbxml_empty(&w, PROV, EAS_WB_PROVISION_APPROVEDAPPLICATIONLIST);
			eas_wbxml_close(&w);
			eas_wbxml_close(&w);
		}
		eas_wbxml_close(&w);
		eas_wbxml_close(&w);
	}
	eas_wbxml_close(&w);
	finish_wbxml(a, &w);
}

static const struct {
	const char *id, *name, *type;
} folders[] = {
	{ "5", "Inbox", "2" },      { "6", "Drafts", "3" },   { "7", "Deleted Items", "4" },
	{ "8", "Sent Items", "5" }, { "9", "Contacts", "9" }, { "10", "Calendar", "8" },
};
#define NFOLDERS (sizeof folders / sizeof folders[0])

static int known_folder(const char *id)
{
	for (size_t i = 0; id && i < NFOLDERS; i++)
		if (strcmp(id, folders[i].id) == 0)
			return 1;
	return 0;
}

static void foldersync(struct answer *a, const struct request *r, const struct kase *k,
		       const char *versions)
{
	size_t total = k->kind == K_FOLDERS ? (size_t)k->code : NFOLDERS;
	const char *key = eas_wbxml_str(eas_wbxml_child(root(r), FH, EAS_WB_FH_SYNCKEY));
	struct eas_wbxml_writer w;
	char count[8];

	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, FH, EAS_WB_FH_FOLDERSYNC);
	if (!key || (strcmp(key, "0") != 0 && strcmp(key, "1") != 0)) {
		eas_wbxml_text(&w, FH, EAS_WB_FH_STATUS, "9"); /* invalid sync key */
	} else {
		int initial = strcmp(key, "0") == 0;

		/* [MS-ASHTTP] 3.2.5.1: what the server offers, on a new hierarchy */
		if (initial)
			add_header(a,
				   "X-MS-RP: %s\nMS-ASProtocolVersions: %s\n"
				   "MS-ASProtocolCommands: " EAS_COMMANDS "\n",
				   versions, versions);

		eas_wbxml_text(&w, FH, EAS_WB_FH_STATUS, "1");
		eas_wbxml_text(&w, FH, EAS_WB_FH_SYNCKEY, "1");
		eas_wbxml_open(&w, FH, EAS_WB_FH_CHANGES);
		snprintf(count, sizeof count, "%zu", initial ? total : 0);
		eas_wbxml_text(&w, FH, EAS_WB_FH_COUNT, count);
		for (size_t i = 0; initial && i < total; i++) {
			char id[32], name[40];

			snprintf(id, sizeof id, "f%zu", i + 1);
			snprintf(name, sizeof name, "Folder %zu", i + 1);
			eas_wbxml_open(&w, FH, EAS_WB_FH_ADD);
			eas_wbxml_text(&w, FH, EAS_WB_FH_SERVERID,
				       i < NFOLDERS ? folders[i].id : id);
			eas_wbxml_text(&w, FH, EAS_WB_FH_PARENTID, i < NFOLDERS ? "0" : "5");
			eas_wbxml_text(&w, FH, EAS_WB_FH_DISPLAYNAME,
				       i < NFOLDERS ? folders[i].name : name);
			eas_wbxml_text(&w, FH, EAS_WB_FH_TYPE,
				       i < NFOLDERS ? folders[i].type : "12");
			eas_wbxml_close(&w);
		}
		eas_wbxml_close(&w);
	}
	eas_wbxml_close(&w);
	finish_wbxml(a, &w);
}

static void settings(struct answer *a, const struct request *r, const struct kase *k, int ver)
{
	const char *addr = k->kind == K_MAILBOX ? k->arg : "user@example.com";
	const struct eas_wbxml_node *ui =
		eas_wbxml_child(root(r), SET, EAS_WB_SETTINGS_USERINFORMATION);
	struct eas_wbxml_writer w;

	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_SETTINGS);
	eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_STATUS, "1");
	if (eas_wbxml_child(root(r), SET, EAS_WB_SETTINGS_DEVICEINFORMATION)) {
		eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_DEVICEINFORMATION);
		eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_STATUS, "1");
		eas_wbxml_close(&w);
	}
	if (ui) {
		eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_USERINFORMATION);
		if (!eas_wbxml_child(ui, SET, EAS_WB_SETTINGS_GET)) {
			eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_STATUS, "2"); /* protocol error */
		} else if (k->kind == K_NOADDRESS) {
			eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_STATUS, "1");
			eas_wbxml_empty(&w, SET, EAS_WB_SETTINGS_GET);
		} else {
			eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_STATUS, "1");
			eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_GET);
			if (ver >= 141) {
				eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_ACCOUNTS);
				eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_ACCOUNT);
				eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_USERDISPLAYNAME,
					       "Test User");
			}
			eas_wbxml_open(&w, SET, EAS_WB_SETTINGS_EMAILADDRESSES);
			eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_SMTPADDRESS, addr);
			if (ver >= 141)
				eas_wbxml_text(&w, SET, EAS_WB_SETTINGS_PRIMARYSMTPADDRESS, addr);
			eas_wbxml_close(&w);
			if (ver >= 141) {
				eas_wbxml_close(&w);
				eas_wbxml_close(&w);
			}
			eas_wbxml_close(&w);
		}
		eas_wbxml_close(&w);
	}
	eas_wbxml_close(&w);
	finish_wbxml(a, &w);
}

/* "sN" -> N (N >= 1), else -1 */
static long sync_key_num(const char *key)
{
	char *end;
	long n;

	if (!key || key[0] != 's' || !isdigit((unsigned char)key[1]))
		return -1;
	n = strtol(key + 1, &end, 10);
	return *end || n < 1 || n > 1000000 ? -1 : n;
}

static void sync_item(struct eas_wbxml_writer *w, long i)
{
	char id[32], subject[64];

	snprintf(id, sizeof id, "5:%ld", i);
	snprintf(subject, sizeof subject, "check-eas test message %ld", i);
	eas_wbxml_open(w, AS, EAS_WB_AIRSYNC_ADD);
	eas_wbxml_text(w, AS, EAS_WB_AIRSYNC_SERVERID, id);
	eas_wbxml_open(w, AS, EAS_WB_AIRSYNC_APPLICATIONDATA);
	eas_wbxml_text(w, EM, EM_TO, "\"Test User\" <user@example.com>");
	eas_wbxml_text(w, EM, EM_FROM, "\"Monitoring\" <monitor@example.com>");
	eas_wbxml_text(w, EM, EM_SUBJECT, subject);
	eas_wbxml_text(w, EM, EM_DATERECEIVED, "2026-01-01T00:00:00.000Z");
	eas_wbxml_text(w, EM, EM_READ, "0");
	eas_wbxml_text(w, EM, EM_MESSAGECLASS, "IPM.Note");
	eas_wbxml_open(w, ASB, EAS_WB_AIRSYNCBASE_BODY);
	eas_wbxml_text(w, ASB, EAS_WB_AIRSYNCBASE_TYPE, "1");
	eas_wbxml_text(w, ASB, EAS_WB_AIRSYNCBASE_ESTIMATEDDATASIZE, "5");
	eas_wbxml_text(w, ASB, EAS_WB_AIRSYNCBASE_DATA, "Hello");
	eas_wbxml_close(w);
	eas_wbxml_close(w);
	eas_wbxml_close(w);
}

static void sync_cmd(struct answer *a, const struct request *r)
{
	const struct eas_wbxml_node *c = sync_collection(r);
	const char *key = eas_wbxml_str(eas_wbxml_child(c, AS, EAS_WB_AIRSYNC_SYNCKEY));
	const char *id = eas_wbxml_str(eas_wbxml_child(c, AS, EAS_WB_AIRSYNC_COLLECTIONID));
	const char *ws = eas_wbxml_str(eas_wbxml_child(c, AS, EAS_WB_AIRSYNC_WINDOWSIZE));
	const struct eas_wbxml_node *gc = eas_wbxml_child(c, AS, EAS_WB_AIRSYNC_GETCHANGES);
	/* without GetChanges a Sync with a key other than 0 gets changes;
	 * <GetChanges/> or 1 asks for them, 0 does not */
	int changes =
		!gc || !gc->data || strcmp(eas_wbxml_str(gc) ? eas_wbxml_str(gc) : "", "0") != 0;
	long n = sync_key_num(key), window = ws ? strtol(ws, NULL, 10) : 100;
	struct eas_wbxml_writer w;
	char next[32];

	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_SYNC);
	if (!c || !key || !id) {
		/* an empty Sync repeats a cached request we do not keep */
		eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_STATUS, r->have_doc ? "4" : "13");
		eas_wbxml_close(&w);
		finish_wbxml(a, &w);
		return;
	}
	if (window < 1 || window > 512)
		window = 100;
	eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_COLLECTIONS);
	eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_COLLECTION);
	if (!known_folder(id)) {
		eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_SYNCKEY, key);
		eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_COLLECTIONID, id);
		eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_STATUS, "8"); /* not found */
	} else if (strcmp(key, "0") == 0) {
		eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_SYNCKEY, "s1");
		eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_COLLECTIONID, id);
		eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_STATUS, "1");
	} else if (n < 0) {
		eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_SYNCKEY, "0");
		eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_COLLECTIONID, id);
		eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_STATUS, "3"); /* invalid key */
	} else {
		/* key sN: items N..N+window-1 of collection 5 are next */
		long first = n, last = n + window - 1;
		int items = changes && strcmp(id, "5") == 0 && first <= SYNC_ITEMS;

		if (last > SYNC_ITEMS)
			last = SYNC_ITEMS;
		snprintf(next, sizeof next, "s%ld", items ? last + 1 : n);
		eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_SYNCKEY, next);
		eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_COLLECTIONID, id);
		eas_wbxml_text(&w, AS, EAS_WB_AIRSYNC_STATUS, "1");
		if (items && last < SYNC_ITEMS)
			eas_wbxml_empty(&w, AS, EAS_WB_AIRSYNC_MOREAVAILABLE);
		if (items) {
			eas_wbxml_open(&w, AS, EAS_WB_AIRSYNC_COMMANDS);
			for (long i = first; i <= last; i++)
				sync_item(&w, i);
			eas_wbxml_close(&w);
		}
	}
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	finish_wbxml(a, &w);
}

static void estimate(struct answer *a, const struct request *r)
{
	const struct eas_wbxml_node *c = eas_wbxml_path(root(r), GIE, EAS_WB_GIE_COLLECTIONS, GIE,
							EAS_WB_GIE_COLLECTION, -1);
	const char *id = eas_wbxml_str(eas_wbxml_child(c, GIE, EAS_WB_GIE_COLLECTIONID));
	const char *key = eas_wbxml_str(eas_wbxml_child(c, AS, EAS_WB_AIRSYNC_SYNCKEY));
	struct eas_wbxml_writer w;
	const char *status = "1";

	if (!id || !known_folder(id))
		status = "2"; /* invalid collection */
	else if (key && sync_key_num(key) < 0)
		status = "4"; /* invalid sync key (0 too: Sync first) */
	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, GIE, EAS_WB_GIE_GETITEMESTIMATE);
	eas_wbxml_open(&w, GIE, EAS_WB_GIE_RESPONSE);
	eas_wbxml_text(&w, GIE, EAS_WB_GIE_STATUS, status);
	if (strcmp(status, "1") == 0) {
		eas_wbxml_open(&w, GIE, EAS_WB_GIE_COLLECTION);
		eas_wbxml_text(&w, GIE, EAS_WB_GIE_COLLECTIONID, id);
		eas_wbxml_text(&w, GIE, EAS_WB_GIE_ESTIMATE, strcmp(id, "5") == 0 ? "3" : "0");
		eas_wbxml_close(&w);
	}
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	finish_wbxml(a, &w);
}

/* ----------------------------------------------------------- misbehaving */

static void malformed(struct answer *a)
{
	/* header, SWITCH_PAGE to a page that does not exist, then tags that
	 * are never closed */
	static const unsigned char junk[] = {
		0x03, 0x01, 0x6A, 0x00, 0x00, 0xEE, 0x45, 0x46, 0xC3, 0x7F,
	};

	set_status(a, "200 OK");
	set_body(a, WBXML_TYPE, junk, sizeof junk);
}

static void oversized(struct answer *a, const struct request *r)
{
	const size_t size = 5u * 1024 * 1024;
	struct eas_wbxml_writer w;
	unsigned char *fill = malloc(size);
	int page, tag;

	if (!fill) {
		http_answer(a, 500, NULL);
		return;
	}
	memset(fill, 'x', size);
	if (command_root(r->cmd, &page, &tag)) {
		page = FH;
		tag = EAS_WB_FH_FOLDERSYNC;
	}
	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, page, tag);
	/* a Provision policy whose Data is 5 MiB of opaque bytes: valid
	 * WBXML, just far too much of it */
	eas_wbxml_open(&w, PROV, EAS_WB_PROVISION_POLICIES);
	eas_wbxml_open(&w, PROV, EAS_WB_PROVISION_POLICY);
	eas_wbxml_opaque(&w, PROV, EAS_WB_PROVISION_DATA, fill, size);
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	free(fill);
	finish_wbxml(a, &w);
}

static void login_page(struct answer *a)
{
	static const char page[] =
		"<html><head><title>Outlook</title></head><body>"
		"<form action=\"/owa/auth.owa\" method=\"POST\" name=\"logonForm\">"
		"<input type=\"text\" name=\"username\">"
		"<input type=\"password\" name=\"password\">"
		"<input type=\"submit\" value=\"Sign in\"></form></body></html>\n";

	set_status(a, "200 OK");
	add_header(a, "Set-Cookie: OutlookSession=deadbeef; path=/\n");
	set_body(a, "text/html", page, sizeof page - 1);
}

/* ------------------------------------------------------------ the wait */

/* ----------------------------------------------------------------- main */

static int version_offered(const char *list, const char *v)
{
	size_t n = strlen(v);

	for (const char *p = list; p && *p;) {
		if (strncmp(p, v, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return 0;
}

/* Check a POST like Exchange; 0 if fine, else a 400 answer is set. */
static int check_post(struct answer *a, const struct request *r, const char *versions)
{
	const char *ct = getenv("CONTENT_TYPE");
	int page, tag;
	char why[512];

	if (r->bad[0]) {
		bad_request(a, r->bad);
		return -1;
	}
	if (!r->cmd[0] || !r->deviceid[0] || !r->devicetype[0]) {
		bad_request(a, "Cmd, DeviceId and DeviceType are required");
		return -1;
	}
	if (!r->base64 &&
	    (strlen(r->deviceid) > 32 ||
	     r->deviceid[strspn(r->deviceid, "abcdefghijklmnopqrstuvwxyz"
					     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")])) {
		bad_request(a, "DeviceId must be 1-32 letters and digits");
		return -1;
	}
	if (!r->version[0]) {
		bad_request(a, "no MS-ASProtocolVersion");
		return -1;
	}
	if (!version_offered(versions, r->version)) {
		snprintf(why, sizeof why, "protocol version %s is not offered (%.200s)", r->version,
			 versions);
		bad_request(a, why);
		return -1;
	}
	if (r->body_len && (!ct || strncasecmp(ct, "application/vnd.ms-sync", 23) != 0)) {
		snprintf(why, sizeof why, "Content-Type %s is not %s", ct ? ct : "(none)",
			 WBXML_TYPE);
		bad_request(a, why);
		return -1;
	}
	if (r->body_len && !r->have_doc) {
		snprintf(why, sizeof why, "the body does not decode: %s", r->body_err);
		bad_request(a, why);
		return -1;
	}
	if (command_root(r->cmd, &page, &tag) == 0 && r->have_doc &&
	    (r->doc.root->page != page || r->doc.root->tag != tag)) {
		snprintf(why, sizeof why, "the body is not a %s request", r->cmd);
		bad_request(a, why);
		return -1;
	}
	if (command_root(r->cmd, &page, &tag) == 0 && !r->have_doc &&
	    strcasecmp(r->cmd, "Sync") != 0) {
		snprintf(why, sizeof why, "%s without a body", r->cmd);
		bad_request(a, why);
		return -1;
	}
	if (strcasecmp(r->cmd, "Provision") == 0 && r->devinfo && version_num(r->version) < 141) {
		snprintf(why, sizeof why,
			 "settings:DeviceInformation in Provision at "
			 "protocol %s (allowed from 14.1)",
			 r->version);
		bad_request(a, why);
		return -1;
	}
	return 0;
}

/* Ping: held for the heartbeat asked (at most 60 s), then "expired". */
static void ping(struct answer *a, const struct request *r)
{
	const char *hb =
		eas_wbxml_str(eas_wbxml_child(r->have_doc ? r->doc.root : NULL, EAS_WB_PAGE_PING,
					      EAS_WB_PING_HEARTBEATINTERVAL));
	long n = hb ? strtol(hb, NULL, 10) : 0;

	cgi_wait(n < 0 ? 0 : n > 60 ? 60 : n);
	status_answer(a, r, 1);
}

/* The normal answer to a POST that passed check_post. */
static void command(struct answer *a, const struct request *r, const struct kase *k,
		    const char *versions)
{
	int ver = version_num(r->version);
	int page, tag;

	if (strcasecmp(r->cmd, "Provision") == 0) {
		provision(a, r, k, ver);
		return;
	}
	if (command_root(r->cmd, &page, &tag)) {
		/* a command we do not know, or one we do not implement */
		for (size_t i = 0; i < sizeof command_codes / sizeof command_codes[0]; i++)
			if (command_codes[i] && strcasecmp(r->cmd, command_codes[i]) == 0) {
				http_answer(a, 501, NULL);
				return;
			}
		bad_request(a, "unknown command");
		return;
	}
	if (k->kind == K_WIPE || (k->kind != K_NOPOLICY && strcmp(r->policykey, FINAL_KEY) != 0)) {
		if (ver < 140)
			http_answer(a, 449, NULL);
		else
			status_answer(a, r, 142);
		return;
	}
	if (strcasecmp(r->cmd, "FolderSync") == 0)
		foldersync(a, r, k, versions);
	else if (strcasecmp(r->cmd, "Settings") == 0)
		settings(a, r, k, ver);
	else if (strcasecmp(r->cmd, "Sync") == 0)
		sync_cmd(a, r);
	else if (strcasecmp(r->cmd, "Ping") == 0)
		ping(a, r);
	else
		estimate(a, r);
}

/* What a sibling (another client with this DeviceId) leaves us with. */
static void sibling_answer(struct answer *a, const struct request *r)
{
	struct eas_wbxml_writer w;
	const char *type;

	if (strcmp(r->step, "provision2") != 0) {
		status_answer(a, r,
			      strcmp(r->step, "foldersync") == 0 ? 9
			      : strncmp(r->step, "sync", 4) == 0 ? 3
			      : strcmp(r->step, "estimate") == 0 ? 4
								 : 132);
		return;
	}
	/* the key we acknowledge is no longer the current one */
	type = eas_wbxml_str(eas_wbxml_child(policy_of(r), PROV, EAS_WB_PROVISION_POLICYTYPE));
	eas_wbxml_writer_init(&w);
	eas_wbxml_open(&w, PROV, EAS_WB_PROVISION_PROVISION);
	eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_STATUS, "1");
	eas_wbxml_open(&w, PROV, EAS_WB_PROVISION_POLICIES);
	eas_wbxml_open(&w, PROV, EAS_WB_PROVISION_POLICY);
	eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_POLICYTYPE, type ? type : "");
	eas_wbxml_text(&w, PROV, EAS_WB_PROVISION_STATUS, "5");
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	eas_wbxml_close(&w);
	finish_wbxml(a, &w);
}

/* A CGI lives for one request and the operating system frees its memory:
 * a leak report of the sanitizer build would only turn its answers into
 * errors. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

int main(void)
{
	struct request r;
	struct kase k;
	struct answer a;
	const char *versions;
	size_t send_len;
	int at_step;

	signal(SIGPIPE, SIG_IGN);
	memset(&r, 0, sizeof r);
	memset(&a, 0, sizeof a);
	r.method = getenv("REQUEST_METHOD");
	if (!r.method)
		r.method = "GET";
	case_from_uri(getenv("REQUEST_URI"), r.casename, sizeof r.casename);
	if (!strncmp(r.casename, "ex-", 3)) {
		exchange_diag = true;
		memmove(r.casename, r.casename + 3, strlen(r.casename + 3) + 1);
		add_header(&a, "request-id: 0f6c2d4e-8a1b-4c3d-9e5f-7a6b5c4d3e2f\n"
			       "X-CalculatedBETarget: ex03.example.com\n"
			       "X-DiagInfo: EX03\nX-BEServer: EX03\nX-FEServer: EX01\n");
	}
	read_body(&r);
	parse_query(&r);
	decode_body(&r);
	find_step(&r);
	log_request(&r);
	/* As IIS: the challenge before the body is even looked at. */
	if (!authorized() && state_file("need-auth", NULL, 0)) {
		http_answer(&a, 401, NULL);
		emit(&a, a.len);
		return 0;
	}

	if (parse_case(r.casename, &k)) {
		char text[400];

		fprintf(stderr, "eas-syncd: unknown case '%s'\n", r.casename);
		snprintf(text, sizeof text, "eas-syncd: unknown case '%s'\n", r.casename);
		set_status(&a, "500 Unknown eas-syncd case");
		set_body(&a, "text/plain", text, strlen(text));
		emit(&a, a.len);
		return 0;
	}
	versions = k.kind == K_VERSIONS ? k.arg : DEFAULT_VERSIONS;
	at_step = step_matches(k.step, r.step);

	if (strcmp(r.method, "OPTIONS") != 0 && strcmp(r.method, "POST") != 0) {
		http_answer(&a, 501, NULL);
		emit(&a, a.len);
		return 0;
	}
	if (strcmp(r.method, "POST") == 0 && check_post(&a, &r, versions)) {
		emit(&a, a.len);
		return 0;
	}
	if (at_step && k.kind == K_HANG) {
		long n = k.secs >= 0 ? k.secs : r.hang >= 0 ? r.hang : 30;

		cgi_wait(n);
	}

	if (at_step && (k.kind == K_ONCE449 || k.kind == K_ONCE142 || k.kind == K_ONCE451 ||
			k.kind == K_SIBLING || k.kind == K_ONCE7)) {
		int first = first_time(&r);

		if (first < 0) {
			set_status(&a, "500 eas-syncd has no state directory (EAS_SYNCD_STATE)");
			emit(&a, 0);
			return 0;
		}
		if (!first)
			at_step = 0; /* from now on: normal */
	}

	if (at_step && k.kind == K_HTTP) {
		http_answer(&a, k.code, NULL);
	} else if (at_step && k.kind == K_ONCE449) {
		http_answer(&a, 449, NULL);
	} else if (at_step && k.kind == K_ONCE451) {
		const char *host = getenv("HTTP_HOST"), *https = getenv("HTTPS");
		char where[512];

		if (!state_file("location", where, sizeof where))
			snprintf(where, sizeof where, "%s://%s/e/ok/Microsoft-Server-ActiveSync",
				 https && strcasecmp(https, "on") == 0 ? "https" : "http",
				 host ? host : "localhost");
		http_answer(&a, 451, where);
	} else if (at_step && k.kind == K_MALFORMED) {
		malformed(&a);
	} else if (at_step && k.kind == K_OVERSIZED) {
		oversized(&a, &r);
	} else if (at_step && k.kind == K_HTML) {
		login_page(&a);
	} else if (at_step && k.kind == K_EMPTY) {
		set_status(&a, "200 OK");
		set_body(&a, WBXML_TYPE, NULL, 0);
	} else if (strcmp(r.method, "OPTIONS") == 0) {
		options_answer(&a, versions);
	} else if (at_step && (k.kind == K_SIBLING || k.kind == K_SIBLINGS)) {
		sibling_answer(&a, &r);
	} else if (at_step && (k.kind == K_STATUS || k.kind == K_ONCE142 || k.kind == K_ONCE7)) {
		status_answer(&a, &r, k.kind == K_STATUS ? k.code : k.kind == K_ONCE7 ? 7 : 142);
	} else {
		command(&a, &r, &k, versions);
	}

	send_len = a.len;
	if (at_step && k.kind == K_TRUNCATED) {
		a.len /= 2;
		send_len = a.len;
	} else if (at_step && k.kind == K_CUT && nph()) {
		send_len = a.len / 2;
	} else if (at_step && k.kind == K_WRONGTYPE) {
		snprintf(a.ctype, sizeof a.ctype, "text/plain");
	}
	emit(&a, send_len);
	fflush(stdout);
	free(a.body);
	free(r.body);
	if (r.have_doc)
		eas_wbxml_doc_free(&r.doc);
	return 0;
}
