/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The monitoring device's identity: the derived DeviceId is the same
 * however the operator spells the server and the account, differs per
 * server and account, and the base64 query form names the same
 * partnership as the plain one. */
#include "eas/eascmd.h"
#include "tap.h"

static void derive(const char *url, const char *user, char id[EAS_DEVICE_ID_MAX + 1])
{
	char account[256];

	eas_device_account(user, account, sizeof account);
	eas_device_id_derive(url, account, id);
}

static void test_url(struct tap *t)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "https://mail.example.com/Microsoft-Server-ActiveSync",
		  "https://mail.example.com/microsoft-server-activesync" },
		{ "HTTPS://MAIL.Example.COM.:443/Microsoft-Server-ActiveSync/",
		  "https://mail.example.com/microsoft-server-activesync" },
		{ "https://mail.example.com:0443/Microsoft-Server-ActiveSync?x=1#y",
		  "https://mail.example.com/microsoft-server-activesync" },
		{ "https://mail.example.com:8443/eas", "https://mail.example.com:8443/eas" },
		{ "http://mail.example.com:80/eas", "http://mail.example.com/eas" },
		{ "http://mail.example.com:443/eas", "http://mail.example.com:443/eas" },
		{ "https://[2001:DB8::1]:443/EAS", "https://[2001:db8::1]/eas" },
		{ "https://[2001:db8::1]:9443/eas", "https://[2001:db8::1]:9443/eas" },
		{ "https://mail.example.com", "https://mail.example.com/" },
		{ "https://mail.example.com/", "https://mail.example.com/" },
	};
	char buf[512];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = eas_device_url(cases[i].in, buf, sizeof buf);

		TAP_OK(t, !rc && !strcmp(buf, cases[i].want), "URL %s -> %s (got %s)", cases[i].in,
		       cases[i].want, rc ? "an error" : buf);
	}
	TAP_OK(t,
	       eas_device_url("mail.example.com/eas", buf, sizeof buf) == -1 &&
		       eas_device_url("https:///eas", buf, sizeof buf) == -1 &&
		       eas_device_url("https://h:99999/eas", buf, sizeof buf) == -1 &&
		       eas_device_url("https://h:x/eas", buf, sizeof buf) == -1 &&
		       eas_device_url("https://[::1/eas", buf, sizeof buf) == -1,
	       "not a URL, no host, a bad port, an open bracket: -1");
	TAP_OK(t, eas_device_url("https://mail.example.com/eas", buf, 20) == -1,
	       "a buffer too small: -1");
}

static void test_account(struct tap *t)
{
	static const char *const same[] = {
		"alice",
		"ALICE",
		"alice@example.test",
		"Alice@Example.TEST",
		"EXAMPLE\\alice",
		"example.test\\ALICE",
	};
	char buf[64];

	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		eas_device_account(same[i], buf, sizeof buf);
		TAP_OK(t, !strcmp(buf, "alice"), "account %s -> alice (got %s)", same[i], buf);
	}
	eas_device_account("", buf, sizeof buf);
	TAP_OK(t, !strcmp(buf, ""), "no account: empty");
}

static void test_derive(struct tap *t)
{
	char a[EAS_DEVICE_ID_MAX + 1], b[EAS_DEVICE_ID_MAX + 1], c[EAS_DEVICE_ID_MAX + 1];
	size_t hex;

	derive("https://mail.example.com:443/Microsoft-Server-ActiveSync", "user@example.com", a);
	hex = strspn(a + 2, "0123456789ABCDEF");
	TAP_OK(t, strlen(a) == 32 && !strncmp(a, "CE", 2) && hex == 30 && eas_device_id_valid(a),
	       "derived DeviceId: CE and 30 upper-case hex digits: %s", a);
	derive("https://MAIL.EXAMPLE.COM/Microsoft-Server-ActiveSync/", "EXAMPLE\\USER", b);
	TAP_OK(t, !strcmp(a, b), "the same for another spelling of server and account");
	derive("https://mail.example.com/Microsoft-Server-ActiveSync", "other@example.com", c);
	TAP_OK(t, strcmp(a, c) != 0, "another account is another device");
	derive("https://mail2.example.com/Microsoft-Server-ActiveSync", "user", c);
	TAP_OK(t, strcmp(a, c) != 0, "another server is another device");
	derive("https://mail.example.com:8443/Microsoft-Server-ActiveSync", "user", c);
	TAP_OK(t, strcmp(a, c) != 0, "another port is another device");
	eas_device_id_derive("https://mail.example.com/Microsoft-Server-ActiveSync",
			     "/CN=Monitor/O=Example", b);
	eas_device_id_derive("https://mail.example.com/Microsoft-Server-ActiveSync",
			     "/CN=Monitor/O=Example", c);
	TAP_OK(t, !strcmp(b, c) && strcmp(a, b), "a certificate subject: stable, its own device");
	eas_device_id_derive("not a url", "user", b);
	TAP_OK(t, eas_device_id_valid(b), "a URL that does not parse still gives a valid ID");
	TAP_OK(t,
	       !eas_device_id_valid("") && !eas_device_id_valid("has space") &&
		       !eas_device_id_valid("A23456789012345678901234567890123") &&
		       eas_device_id_valid("CHECKEAS2"),
	       "DeviceId validity: 1-32 letters and digits");
}

static void test_base64_name(struct tap *t)
{
	unsigned char b[EAS_DEVICE_ID_MAX];
	char id[EAS_DEVICE_ID_MAX + 1], name[80];
	size_t n;

	derive("https://mail.example.com/Microsoft-Server-ActiveSync", "user", id);
	n = eas_device_id_bytes(id, b);
	TAP_OK(t, n == 16 && b[0] == 0xCE, "a derived ID goes as its 16 bytes");
	eas_device_id_recorded(id, EAS_QUERY_BASE64, name, sizeof name);
	TAP_OK(t, !strcmp(name, id), "... and the server records the same ID: %s", name);
	eas_device_id_recorded(id, EAS_QUERY_PLAIN, name, sizeof name);
	TAP_OK(t, !strcmp(name, id), "the plain form: the ID itself");
	n = eas_device_id_bytes("abcdef12", b);
	eas_device_id_recorded("abcdef12", EAS_QUERY_BASE64, name, sizeof name);
	TAP_OK(t, n == 4 && !strcmp(name, "ABCDEF12"), "lower-case hex: 4 bytes, recorded %s",
	       name);
	n = eas_device_id_bytes("CHECKEAS2", b);
	eas_device_id_recorded("CHECKEAS2", EAS_QUERY_BASE64, name, sizeof name);
	TAP_OK(t, n == 9 && !memcmp(b, "CHECKEAS2", 9) && !strcmp(name, "434845434B45415332"),
	       "another ID goes as its ASCII bytes, recorded as their hex: %s", name);
	n = eas_device_id_bytes("ABC", b);
	TAP_OK(t, n == 3 && !memcmp(b, "ABC", 3), "an odd number of hex digits: ASCII");
	eas_device_id_recorded("CHECKEAS2", EAS_QUERY_BASE64, name, 7);
	TAP_OK(t, !strcmp(name, "434845"), "a small buffer: whole bytes only (%s)", name);
}

/* SendMail before 14.0: the message itself, SaveInSent=F in the plain
 * query; the base64 form has SendMail's command code and no parameter. */
static void test_rfc822(struct tap *t)
{
	static const char mime[] = "Subject: x\r\n\r\nbody\r\n";
	const struct eas_device dev = { "user", "CE0011", "CheckEAS", "check-eas" };
	struct eas_request req;
	struct eas_cmdreq c;
	char err[200];
	size_t q = 0;
	int rc;

	memset(&req, 0, sizeof req);
	rc = eas_cmd_prepare(&c, &req, "https://h/Microsoft-Server-ActiveSync", &dev,
			     EAS_QUERY_PLAIN, "SendMail", 1201, NULL, NULL, err, sizeof err);
	eas_cmd_rfc822(&c, &req, mime, sizeof mime - 1);
	while (c.query[q].name)
		q++;
	TAP_OK(t,
	       !rc && q == 5 && !strcmp(c.query[4].name, "SaveInSent") &&
		       !strcmp(c.query[4].value, "F") && !strcmp(c.query[0].value, "SendMail"),
	       "12.1 SendMail, plain query: Cmd=SendMail ... SaveInSent=F (%zu parameters)", q);
	TAP_OK(t,
	       !strcmp(req.content_type, "message/rfc822") && req.body == (const void *)mime &&
		       req.body_len == sizeof mime - 1,
	       "... the body is the message itself, as message/rfc822");
	eas_cmd_free(&c);
	memset(&req, 0, sizeof req);
	rc = eas_cmd_prepare(&c, &req, "https://h/Microsoft-Server-ActiveSync", &dev,
			     EAS_QUERY_BASE64, "SendMail", 1201, NULL, NULL, err, sizeof err);
	eas_cmd_rfc822(&c, &req, mime, sizeof mime - 1);
	TAP_OK(t, !rc && !c.query[0].name && !strcmp(req.content_type, "message/rfc822"),
	       "the base64 form: SendMail has a command code, no parameter added");
	TAP_OK(t, !rc && strstr(c.url, "?eQMJBA"), "... code 3 after version 12.1 (%s)", c.url);
	eas_cmd_free(&c);
}

int main(void)
{
	struct tap t = { 0 };

	test_url(&t);
	test_account(&t);
	test_derive(&t);
	test_base64_name(&t);
	test_rfc822(&t);
	return tap_done(&t);
}
