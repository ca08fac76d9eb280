/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "eas/eascmd.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "config.h"
#include "http/http.h"
#include "eas/eassteps.h"

const char *const eas_query_form_words[] = { "plain", "base64", NULL };
const int eas_query_form_values[] = { EAS_QUERY_PLAIN, EAS_QUERY_BASE64 };
_Static_assert(sizeof(enum eas_query_form) == sizeof(int), "a choice stores an int");

#define WBXML_TYPE "application/vnd.ms-sync.wbxml"

const int eas_cmd_versions[] = { 1601, 1600, 1401, 1400, 1201, -1 };

int eas_cmd_version_arg(const char *arg, void *dest)
{
	int v = eas_version_parse(arg, strlen(arg));

	for (int i = 0; eas_cmd_versions[i] > 0; i++)
		if (v == eas_cmd_versions[i]) {
			memcpy(dest, &v, sizeof v);
			return 0;
		}
	return -1;
}

/* 1-65535 in decimal (leading zeros allowed). */
static int port_number(const char *s, long *out)
{
	char *end;

	*out = strtol(s, &end, 10);
	return !*s || *end || *out < 1 || *out > 65535 || !isdigit((unsigned char)*s) ? -1 : 0;
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

int eas_device_url(const char *url, char *buf, size_t size)
{
	const char *sep = strstr(url, "://"), *auth, *end, *colon, *path, *pend;
	char scheme[16], host[256], port[8] = "";
	size_t hl, pl;
	long p = 0;
	int n;

	if (!sep || sep == url || (size_t)(sep - url) >= sizeof scheme)
		return -1;
	snprintf(scheme, sizeof scheme, "%.*s", (int)(sep - url), url);
	lower(scheme);
	auth = sep + 3;
	end = auth + strcspn(auth, "/?#");
	/* [v6]:port or host:port */
	colon = auth < end && *auth == '[' ? memchr(auth, ']', (size_t)(end - auth)) : auth;
	if (!colon)
		return -1;
	colon = memchr(colon, ':', (size_t)(end - colon));
	hl = (size_t)((colon ? colon : end) - auth);
	if (!hl || hl >= sizeof host)
		return -1;
	snprintf(host, sizeof host, "%.*s", (int)hl, auth);
	lower(host);
	if (host[hl - 1] == '.' && hl > 1)
		host[hl - 1] = 0;
	if (colon && colon + 1 < end) {
		char digits[8];

		if ((size_t)(end - colon - 1) >= sizeof digits)
			return -1;
		snprintf(digits, sizeof digits, "%.*s", (int)(end - colon - 1), colon + 1);
		if (port_number(digits, &p))
			return -1;
		if (!((p == 443 && !strcmp(scheme, "https")) ||
		      (p == 80 && !strcmp(scheme, "http"))))
			snprintf(port, sizeof port, ":%ld", p);
	}
	path = *end == '/' ? end : "";
	pend = path + strcspn(path, "?#");
	while (pend > path && pend[-1] == '/')
		pend--;
	pl = (size_t)(pend - path);
	n = snprintf(buf, size, "%s://%s%s/%.*s", scheme, host, port, pl ? (int)pl - 1 : 0,
		     pl ? path + 1 : "");
	if (n < 0 || (size_t)n >= size)
		return -1;
	lower(buf + strlen(scheme) + 3 + strlen(host) + strlen(port));
	return 0;
}

void eas_device_account(const char *user, char *buf, size_t size)
{
	const char *bs = strrchr(user, '\\'), *at;

	if (bs)
		user = bs + 1;
	at = strchr(user, '@');
	snprintf(buf, size, "%.*s", at ? (int)(at - user) : (int)strlen(user), user);
	lower(buf);
}

void eas_device_id_derive(const char *url, const char *account, char id[EAS_DEVICE_ID_MAX + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char norm[2048];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (eas_device_url(url, norm, sizeof norm))
		snprintf(norm, sizeof norm, "%s", url);
	memset(md, 0, sizeof md);
	if (ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
	    EVP_DigestUpdate(ctx, norm, strlen(norm)) && EVP_DigestUpdate(ctx, "\n", 1) &&
	    EVP_DigestUpdate(ctx, account ? account : "", account ? strlen(account) : 0))
		EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	/* Upper case: servers show device IDs so (Horde turns them so). */
	memcpy(id, "CE", 2);
	for (int i = 0; i < 15; i++)
		snprintf(id + 2 + 2 * i, 3, "%02X", md[i]);
	id[EAS_DEVICE_ID_MAX] = 0;
}

size_t eas_device_id_bytes(const char *id, unsigned char *out)
{
	size_t n = strlen(id);

	if (n > EAS_DEVICE_ID_MAX)
		n = EAS_DEVICE_ID_MAX;
	if (n && n % 2 == 0 && strspn(id, "0123456789abcdefABCDEF") >= n) {
		for (size_t i = 0; i < n / 2; i++) {
			char two[3] = { id[2 * i], id[2 * i + 1], 0 };

			out[i] = (unsigned char)strtoul(two, NULL, 16);
		}
		return n / 2;
	}
	memcpy(out, id, n);
	return n;
}

void eas_device_id_recorded(const char *id, enum eas_query_form form, char *buf, size_t size)
{
	unsigned char b[EAS_DEVICE_ID_MAX];
	size_t n, len = 0;

	if (form == EAS_QUERY_PLAIN || !size) {
		snprintf(buf, size, "%s", id);
		return;
	}

	n = eas_device_id_bytes(id, b);
	buf[0] = 0;
	for (size_t i = 0; i < n && len + 3 <= size; i++, len += 2)
		snprintf(buf + len, 3, "%02X", b[i]);
}

void eas_device_defaults(struct eas_device *d, const struct eas_creds *creds, const char *url,
			 char id[EAS_DEVICE_ID_MAX + 1], char *derived, size_t size)
{
	char account[256] = "", server[2048];

	if (size)
		derived[0] = '\0';
	d->user = creds->user;
	if (!d->type)
		d->type = "CheckEAS";
	if (!d->user_agent)
		d->user_agent = "check-eas/" PACKAGE_VERSION;
	if (d->id)
		return;
	/* The account as one mailbox, however spelt; a certificate's subject
	 * as it is. */
	if (d->user)
		eas_device_account(d->user, account, sizeof account);
	else if (creds->id.cert)
		X509_NAME_oneline(X509_get_subject_name(creds->id.cert), account, sizeof account);
	eas_device_id_derive(url, account, id);
	if (eas_device_url(url, server, sizeof server))
		snprintf(server, sizeof server, "%s", url);
	snprintf(derived, size, "derived from %s and account %s", server,
		 account[0] ? account : "(none)");
	d->id = id;
}

bool eas_device_id_valid(const char *id)
{
	size_t n = 0;

	for (; id[n]; n++)
		if (!isascii((unsigned char)id[n]) || !isalnum((unsigned char)id[n]))
			return false;
	return n >= 1 && n <= EAS_DEVICE_ID_MAX;
}

int eas_cmd_pick_version(const char *offered)
{
	for (int i = 0; eas_cmd_versions[i] > 0; i++)
		if (eas_versions_has(offered, eas_cmd_versions[i]))
			return eas_cmd_versions[i];
	return -1;
}

void eas_cmd_version_text(int version, char *buf, size_t size)
{
	snprintf(buf, size, "%d.%d", version / 100, version % 100);
}

/* [MS-ASHTTP] 2.2.1.1.1.1.2 */
static int command_code(const char *cmd)
{
	static const struct {
		const char *name;
		int code;
	} codes[] = {
		{ "Sync", 0 },       { "SendMail", 3 },
		{ "FolderSync", 9 }, { "GetItemEstimate", 14 },
		{ "Settings", 17 },  { "Ping", 18 },
		{ "Provision", 20 },
	};
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (!strcmp(codes[i].name, cmd))
			return codes[i].code;
	return -1;
}

static bool put(unsigned char *buf, size_t *len, size_t size, const void *p, size_t n)
{
	if (*len + n > size)
		return false;
	memcpy(buf + *len, p, n);
	*len += n;
	return true;
}

static bool put_field(unsigned char *buf, size_t *len, size_t size, const char *s)
{
	size_t n = strlen(s);
	unsigned char l = (unsigned char)n;

	return n <= 255 && put(buf, len, size, &l, 1) && put(buf, len, size, s, n);
}

/* The base64 query of [MS-ASHTTP] 2.2.1.1.1.1: version, command, locale,
 * device ID, policy key, device type, then the User parameter (tag 8). */
static int base64_query(char *out, size_t size, const struct eas_device *dev, const char *cmd,
			int version, const char *policy_key)
{
	unsigned char raw[600];
	size_t len = 0;
	int code = command_code(cmd);
	unsigned char head[4] = {
		(unsigned char)(version / 100 * 10 + version % 100 % 10), (unsigned char)code, 0x09,
		0x04, /* en-US, little-endian */
	};
	unsigned char id[EAS_DEVICE_ID_MAX + 1];

	/* The ID as bytes: see eas_device_id_bytes. */
	id[0] = (unsigned char)eas_device_id_bytes(dev->id, id + 1);
	if (code < 0 || !put(raw, &len, sizeof raw, head, 4) ||
	    !put(raw, &len, sizeof raw, id, (size_t)id[0] + 1))
		return -1;
	if (policy_key) {
		char *end;
		unsigned long k = strtoul(policy_key, &end, 10);
		unsigned char key[5] = { 4, (unsigned char)k, (unsigned char)(k >> 8),
					 (unsigned char)(k >> 16), (unsigned char)(k >> 24) };

		if (*end || k > UINT32_MAX || !put(raw, &len, sizeof raw, key, 5))
			return -1;
	} else if (!put(raw, &len, sizeof raw, "\0", 1)) {
		return -1;
	}
	if (!put_field(raw, &len, sizeof raw, dev->type))
		return -1;
	if (dev->user && (!put(raw, &len, sizeof raw, "\x08", 1) ||
			  !put_field(raw, &len, sizeof raw, dev->user)))
		return -1;
	/* As devices send it: '+', '/' and '=' are valid in a query, and
	 * servers (Horde, IIS) base64-decode the query string as it is. */
	if ((size_t)(4 * ((len + 2) / 3)) + 1 > size)
		return -1;
	EVP_EncodeBlock((unsigned char *)out, raw, (int)len);
	return 0;
}

int eas_cmd_prepare(struct eas_cmdreq *c, struct eas_request *req, const char *base_url,
		    const struct eas_device *dev, enum eas_query_form form, const char *cmd,
		    int version, const char *policy_key, struct eas_wbxml_writer *w, char *err,
		    size_t errlen)
{
	char v[16];
	size_t h = 0, q = 0;
	int n;

	memset(c, 0, sizeof *c);
	/* The key came from the server: only a number goes into a header. */
	if (policy_key && !eas_provision_key_valid(policy_key)) {
		if (w)
			eas_wbxml_writer_free(w);
		snprintf(err, errlen, "the policy key for %s is not a number", cmd);
		return -1;
	}
	if (w && eas_wbxml_finish(w, &c->body, &c->body_len, err, errlen))
		return -1;
	eas_cmd_version_text(version, v, sizeof v);
	if (form == EAS_QUERY_BASE64) {
		n = snprintf(c->url, sizeof c->url, "%s?", base_url);
		if (n < 0 || (size_t)n >= sizeof c->url ||
		    base64_query(c->url + n, sizeof c->url - (size_t)n, dev, cmd, version,
				 policy_key)) {
			snprintf(
				err, errlen,
				"cannot encode the %s request's base64 query (a policy key that is not a number, or a name over 255 bytes)",
				cmd);
			return -1;
		}
	} else {
		snprintf(c->url, sizeof c->url, "%s", base_url);
		c->query[q++] = (struct eas_param){ "Cmd", cmd };
		if (dev->user)
			c->query[q++] = (struct eas_param){ "User", dev->user };
		c->query[q++] = (struct eas_param){ "DeviceId", dev->id };
		c->query[q++] = (struct eas_param){ "DeviceType", dev->type };
		snprintf(c->version_hdr, sizeof c->version_hdr, "MS-ASProtocolVersion: %s", v);
		c->headers[h++] = c->version_hdr;
		if (policy_key) {
			snprintf(c->policy_hdr, sizeof c->policy_hdr, "X-MS-PolicyKey: %s",
				 policy_key);
			c->headers[h++] = c->policy_hdr;
		}
	}
	c->headers[h++] = "Accept: " WBXML_TYPE;
	req->url = c->url;
	req->user_agent = dev->user_agent;
	req->query = c->query;
	req->headers = c->headers;
	req->method = "POST";
	req->body = c->body ? (const void *)c->body : (const void *)"";
	req->body_len = c->body_len;
	req->content_type = WBXML_TYPE;
	/* An answer is judged whole: keep all of what we read. */
	req->body_keep = req->read_limit = 1024 * 1024;
	return 0;
}

void eas_cmd_rfc822(struct eas_cmdreq *c, struct eas_request *req, const char *mime, size_t len)
{
	size_t q = 0;

	while (c->query[q].name)
		q++;
	if (q) /* the plain form; the array keeps its terminator */
		c->query[q] = (struct eas_param){ "SaveInSent", "F" };
	req->body = mime;
	req->body_len = len;
	req->content_type = "message/rfc822";
}

void eas_cmd_free(struct eas_cmdreq *c)
{
	free(c->body);
	c->body = NULL;
}

int eas_cmd_answer(const struct eas_response *res, struct eas_wbxml_doc *doc, char *err,
		   size_t errlen)
{
	const char *type = res->hdr[EAS_HDR_CONTENT_TYPE];

	memset(doc, 0, sizeof *doc);
	if (res->truncated) {
		snprintf(err, errlen,
			 "the answer is larger than 1 MiB: not what an ActiveSync server sends");
		return -1;
	}
	if (!res->body_len)
		return 0;
	if (!type || strncasecmp(type, WBXML_TYPE, strlen(WBXML_TYPE))) {
		snprintf(
			err, errlen,
			"the answer is %s, not ActiveSync WBXML: a proxy or login page answers instead of Exchange",
			type ? type : "of no declared type");
		return -1;
	}
	return eas_wbxml_decode((const unsigned char *)res->body, res->body_len, NULL, doc, err,
				errlen);
}
