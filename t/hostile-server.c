/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * hostile-server - a misbehaving server for t/91-hostile-server.t.
 *
 *   hostile-server MODE PORTFILE [CERT KEY [CACERT CAKEY]]
 *
 * Listens on 127.0.0.1:0, writes the port to PORTFILE (atomically, as
 * t/tcp-helper.c does) and answers every connection in a child process the
 * way MODE says. Runs until a signal ends it (SIGTERM, or its own alarm
 * after 120 seconds), then kills and reaps its children; a child left
 * behind anyway dies with it (PR_SET_PDEATHSIG), and after 60 seconds.
 *
 * Plain-TCP modes (an HTTP request is read first, up to its blank line):
 *   drip            a good EAS answer, one byte per second
 *   hang            read the request, never answer
 *   hang-headers    status line and headers (Content-Length 1000), then
 *                   nothing
 *   endless-headers "HTTP/1.1 200 OK", then header lines without end
 *   bigheader       one header line of 1 MiB
 *   hugebody        a 200 with the EAS headers and a 5 MiB body
 *   badchunk        chunked encoding with a chunk size that is not hex
 *   badstatus       "HTTP/1.1 abc"
 *   http09          a body without a status line (HTTP/0.9)
 *   imap            "* OK IMAP4rev1 ready" (sent on connect)
 *   smtp            "220 mail ESMTP" (sent on connect)
 *   redirect        302 to the other of /a and /b: a loop
 *   longreason      503 with a reason phrase of 10 KB
 *   longserver      200 with a 10 KB MS-Server-ActiveSync header and only
 *                   protocol 12.1 offered
 *   nonutf8         200 with non-UTF-8 bytes in the reason phrase,
 *                   MS-Server-ActiveSync and another header
 *   nonutf8-503     503 with a non-UTF-8 reason phrase and headers
 *   trailer         200 with the EAS headers, a chunked body and a trailer
 *                   line "HTTP/1.1 200 OK: x" (libcurl hands it on)
 *   trailer-nocolon the same with "HTTP/1.1 200 OK" (libcurl refuses it)
 *   statusline-hdr  200 with the EAS headers and a header line
 *                   "HTTP/1.1 200 OK: x" after them
 *   statusline-hdr-nocolon  the same with "HTTP/1.1 200 OK"
 *   authecho        401 (Basic) without Authorization; with it, 403 echoing
 *                   the header (and the decoded credentials) in a header
 *                   and in the body
 *   authecho-200    the same, but the echo comes with a 200 and no EAS
 *                   headers (a login page)
 *   authecho-401    the echo in the realm of a second 401
 *   authecho-302    the echo in the Location of a 302
 *   shortbody       200 with the EAS headers, Content-Length 100000, 100
 *                   bytes sent, then close
 *
 * TLS modes (CERT KEY: the server's certificate and key, PEM):
 *   tls-handshake-failure  alert handshake_failure on the ClientHello
 *   tls-internal-error     alert internal_error on the ClientHello
 *   tls-certreq            demand a client certificate (TLS 1.3:
 *                          alert certificate_required when none comes)
 *   tls-midclose           read the ClientHello, send half a ServerHello
 *                          record, close
 *   tls-nulcn, tls-longcn, tls-nonutf8
 *                          a certificate made here, signed by CACERT/CAKEY
 *                          with the key KEY, no subjectAltName, subject CN
 *                          "127.0.0.1\0.evil.com" / 4000 bytes / with
 *                          bytes that are not UTF-8 (in CN and O); an
 *                          EAS 200 to any HTTP request over it
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loopback.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#define LIFETIME_SECONDS 120
#define CHILD_SECONDS 60

static const char *mode;
static SSL_CTX *ctx;

static void die(const char *what)
{
	fprintf(stderr, "hostile-server: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void die_ssl(const char *what)
{
	fprintf(stderr, "hostile-server: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

/* ------------------------------------------------------------ I/O */

static int cfd = -1;
static SSL *ssl;

/* Send it all (over TLS once the handshake is done); 0 if the peer left. */
static int out(const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n;

		if (ssl)
			n = SSL_write(ssl, p, (int)len);
		else
			n = write(cfd, p, len);
		if (n <= 0) {
			if (!ssl && n < 0 && errno == EINTR)
				continue;
			return 0;
		}
		p += n;
		len -= (size_t)n;
	}
	return 1;
}

static int outs(const char *s)
{
	return out(s, strlen(s));
}

/* Read the request up to its blank line (or 64 KiB, or 3 s). */
static char req[65536];

static void read_request(void)
{
	size_t len = 0;
	struct timeval tv = { 3, 0 };

	setsockopt(cfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	while (len < sizeof req - 1) {
		ssize_t n;

		if (ssl)
			n = SSL_read(ssl, req + len, (int)(sizeof req - 1 - len));
		else
			n = read(cfd, req + len, sizeof req - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		req[len] = '\0';
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	req[len] = '\0';
}

/* The value of request header NAME (case-insensitive), or "". */
static const char *req_header(const char *name, char *buf, size_t size)
{
	const char *p = req;
	size_t nl = strlen(name);

	buf[0] = '\0';
	while ((p = strstr(p, "\r\n")) != NULL) {
		p += 2;
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1, *e;
			size_t n;

			while (*v == ' ')
				v++;
			e = strstr(v, "\r\n");
			n = e ? (size_t)(e - v) : strlen(v);
			if (n >= size)
				n = size - 1;
			memcpy(buf, v, n);
			buf[n] = '\0';
			break;
		}
	}
	return buf;
}

/* Close politely: FIN, swallow what is left (no RST), close. */
static _Noreturn void finish(void)
{
	char buf[4096];
	struct timeval tv = { 1, 0 };

	if (ssl)
		SSL_shutdown(ssl);
	shutdown(cfd, SHUT_WR);
	setsockopt(cfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	while (read(cfd, buf, sizeof buf) > 0)
		;
	close(cfd);
	_exit(0);
}

static _Noreturn void hold(void)
{
	for (;;)
		pause();
}

/* --------------------------------------------------------- answers */

#define EAS_HEADERS                                                                              \
	"MS-Server-ActiveSync: 15.1\r\n"                                                         \
	"MS-ASProtocolVersions: 2.5,12.0,12.1,14.0,14.1,16.0,16.1\r\n"                           \
	"MS-ASProtocolCommands: Sync,SendMail,SmartForward,SmartReply,GetAttachment,"            \
	"GetHierarchy,CreateCollection,DeleteCollection,MoveCollection,FolderSync,FolderCreate," \
	"FolderDelete,FolderUpdate,MoveItems,GetItemEstimate,MeetingResponse,Search,Settings,"   \
	"Ping,ItemOperations,Provision,ResolveRecipients,ValidateCert,Find\r\n"

static const char good[] = "HTTP/1.1 200 OK\r\n"
			   "Content-Length: 0\r\n" EAS_HEADERS "Connection: close\r\n\r\n";

static void repeat(char *buf, char c, size_t n)
{
	memset(buf, c, n);
	buf[n] = '\0';
}

static void base64_decode(const char *in, char *outbuf, size_t size)
{
	unsigned char tmp[4096];
	int n;
	size_t len = strlen(in);

	outbuf[0] = '\0';
	if (len == 0 || len % 4 != 0 || len / 4 * 3 >= sizeof tmp)
		return;
	n = EVP_DecodeBlock(tmp, (const unsigned char *)in, (int)len);
	if (n < 0)
		return;
	while (n > 0 && tmp[n - 1] == '\0')
		n--;
	if ((size_t)n >= size)
		n = (int)size - 1;
	memcpy(outbuf, tmp, (size_t)n);
	outbuf[n] = '\0';
}

static void auth_echo(const char *how)
{
	char auth[4096], decoded[4096], body[16384], head[12288];
	const char *cred;

	req_header("Authorization", auth, sizeof auth);
	if (!auth[0]) {
		outs("HTTP/1.1 401 Unauthorized\r\n"
		     "WWW-Authenticate: Basic realm=\"hostile\"\r\n"
		     "Content-Length: 0\r\nConnection: close\r\n\r\n");
		return;
	}
	cred = strncasecmp(auth, "Basic ", 6) == 0 ? auth + 6 : auth;
	base64_decode(cred, decoded, sizeof decoded);
	snprintf(body, sizeof body,
		 "<html><body><h1>Your request</h1><pre>\n"
		 "Authorization: %s\n"
		 "credentials: %s\n"
		 "</pre></body></html>\n",
		 auth, decoded);
	if (strcmp(how, "401") == 0)
		snprintf(head, sizeof head,
			 "HTTP/1.1 401 Unauthorized\r\n"
			 "WWW-Authenticate: Basic realm=\"%s %s\"\r\n"
			 "Content-Type: text/html\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n\r\n",
			 auth, decoded, strlen(body));
	else if (strcmp(how, "302") == 0)
		snprintf(head, sizeof head,
			 "HTTP/1.1 302 Found\r\n"
			 "Location: https://login.example.com/?a=%s&c=%s\r\n"
			 "Content-Type: text/html\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n\r\n",
			 auth, decoded, strlen(body));
	else
		snprintf(head, sizeof head,
			 "HTTP/1.1 %s\r\n"
			 "X-Echo-Authorization: %s\r\n"
			 "X-Echo-Credentials: %s\r\n"
			 "Content-Type: text/html\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n\r\n",
			 strcmp(how, "200") == 0 ? "200 OK" : "403 Forbidden", auth, decoded,
			 strlen(body));
	if (outs(head))
		outs(body);
}

/* One HTTP connection in plain-TCP MODE. */
static _Noreturn void serve_http(void)
{
	static char big[5 * 1024 * 1024 + 1];

	if (strcmp(mode, "imap") == 0) {
		outs("* OK IMAP4rev1 ready\r\n");
		read_request();
		outs("* BAD Command unrecognized\r\n");
		finish();
	}
	if (strcmp(mode, "smtp") == 0) {
		outs("220 mail ESMTP\r\n");
		read_request();
		outs("500 5.5.1 Command unrecognized\r\n");
		finish();
	}
	read_request();
	if (strcmp(mode, "hang") == 0)
		hold();
	if (strcmp(mode, "drip") == 0) {
		for (size_t i = 0; i < sizeof good - 1; i++) {
			if (!out(good + i, 1))
				break;
			sleep(1);
		}
		finish();
	}
	if (strcmp(mode, "hang-headers") == 0) {
		outs("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n" EAS_HEADERS "\r\n");
		hold();
	}
	if (strcmp(mode, "endless-headers") == 0) {
		char line[64];

		if (!outs("HTTP/1.1 200 OK\r\n" EAS_HEADERS))
			finish();
		for (unsigned long i = 0;; i++) {
			snprintf(line, sizeof line, "X-Endless-%lu: more to come\r\n", i);
			if (!outs(line))
				break;
		}
		finish();
	}
	if (strcmp(mode, "bigheader") == 0) {
		repeat(big, 'x', 1024 * 1024);
		if (outs("HTTP/1.1 200 OK\r\n" EAS_HEADERS "X-Big: ") && outs(big))
			outs("\r\nContent-Length: 0\r\n\r\n");
		finish();
	}
	if (strcmp(mode, "hugebody") == 0) {
		repeat(big, 'b', sizeof big - 1);
		if (outs("HTTP/1.1 200 OK\r\nContent-Length: 5242880\r\n" EAS_HEADERS "\r\n"))
			out(big, sizeof big - 1);
		finish();
	}
	if (strcmp(mode, "badchunk") == 0) {
		outs("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n" EAS_HEADERS "\r\n"
		     "zz\r\nnot a chunk\r\n0\r\n\r\n");
		finish();
	}
	if (strcmp(mode, "badstatus") == 0) {
		outs("HTTP/1.1 abc\r\nContent-Length: 0\r\n\r\n");
		finish();
	}
	if (strcmp(mode, "http09") == 0) {
		outs("<html><body>hello from 1991</body></html>\n");
		finish();
	}
	if (strcmp(mode, "redirect") == 0) {
		const char *next = strncmp(req, "OPTIONS /a", 10) == 0 ||
						   strncmp(req, "GET /a", 6) == 0 ||
						   strncmp(req, "POST /a", 7) == 0
					   ? "/b"
					   : "/a";
		char host[256], head[1024];

		req_header("Host", host, sizeof host);
		snprintf(head, sizeof head,
			 "HTTP/1.1 302 Found\r\nLocation: http://%s%s\r\n"
			 "Content-Length: 0\r\nConnection: close\r\n\r\n",
			 host, next);
		outs(head);
		finish();
	}
	if (strcmp(mode, "longreason") == 0) {
		repeat(big, 'R', 10240);
		if (outs("HTTP/1.1 503 ") && outs(big))
			outs("\r\nRetry-After: 120\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
		finish();
	}
	if (strcmp(mode, "longserver") == 0) {
		repeat(big, 'S', 10240);
		if (outs("HTTP/1.1 200 OK\r\nMS-Server-ActiveSync: 15.1.") && outs(big))
			outs("\r\nMS-ASProtocolVersions: 2.5,12.0,12.1\r\n"
			     "MS-ASProtocolCommands: Sync,FolderSync,Provision\r\n"
			     "Content-Length: 0\r\nConnection: close\r\n\r\n");
		finish();
	}
	if (strcmp(mode, "nonutf8") == 0) {
		outs("HTTP/1.1 200 \xff\xfe OK \xc3\x28 \xed\xa0\x80\r\n"
		     "MS-Server-ActiveSync: 15.1 \xff\xfe\xc0\xaf\r\n"
		     "MS-ASProtocolVersions: 2.5,12.0,12.1,14.0,14.1,16.0,16.1\r\n"
		     "MS-ASProtocolCommands: Sync,FolderSync,Provision\r\n"
		     "Server: Microsoft-IIS/10.0 \xfe\xff\x80\r\n"
		     "X-Other: caf\xe9 \x01\x1b[2J|x\r\n"
		     "Content-Length: 0\r\nConnection: close\r\n\r\n");
		finish();
	}
	if (strcmp(mode, "nonutf8-503") == 0) {
		outs("HTTP/1.1 503 Service \xff\xfe Unavailable \xc3\x28\r\n"
		     "Server: Microsoft-IIS/10.0 \xfe\xff\x80\r\n"
		     "Retry-After: 12\xff\r\n"
		     "Content-Length: 0\r\nConnection: close\r\n\r\n");
		finish();
	}
	if (strcmp(mode, "trailer") == 0 || strcmp(mode, "trailer-nocolon") == 0) {
		outs("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
		     "Trailer: X-Check\r\n" EAS_HEADERS "\r\n"
		     "5\r\nhello\r\n0\r\n");
		outs(strcmp(mode, "trailer") == 0 ? "HTTP/1.1 200 OK: x\r\n\r\n"
						  : "HTTP/1.1 200 OK\r\n\r\n");
		finish();
	}
	if (strcmp(mode, "statusline-hdr") == 0 || strcmp(mode, "statusline-hdr-nocolon") == 0) {
		outs("HTTP/1.1 200 OK\r\n" EAS_HEADERS);
		outs(strcmp(mode, "statusline-hdr") == 0 ? "HTTP/1.1 200 OK: x\r\n"
							 : "HTTP/1.1 200 OK\r\n");
		outs("Content-Length: 0\r\nConnection: close\r\n\r\n");
		finish();
	}
	if (strncmp(mode, "authecho", 8) == 0) {
		auth_echo(mode[8] == '-' ? mode + 9 : "403");
		finish();
	}
	if (strcmp(mode, "shortbody") == 0) {
		repeat(big, 's', 100);
		if (outs("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n" EAS_HEADERS "\r\n"))
			outs(big);
		finish();
	}
	fprintf(stderr, "hostile-server: unknown mode %s\n", mode);
	_exit(2);
}

/* ------------------------------------------------------------ TLS */

/* Refuse the ClientHello with the alert MODE names. */
static int hello_cb(SSL *s, int *al, void *arg)
{
	(void)s;
	*al = *(int *)arg;
	return SSL_CLIENT_HELLO_ERROR;
}

static int alert_handshake_failure = SSL_AD_HANDSHAKE_FAILURE;
static int alert_internal_error = SSL_AD_INTERNAL_ERROR;

/* A certificate for the key in KEY, signed by CACERT/CAKEY, with the odd
 * subject KIND asks for and no subjectAltName. */
static X509 *odd_certificate(const char *kind, EVP_PKEY *key, const char *cacert, const char *cakey)
{
	static char cn[4096];
	int cnlen, cntype = V_ASN1_UTF8STRING;
	X509 *ca, *x = X509_new();
	EVP_PKEY *cak;
	FILE *f;
	X509_NAME *name = X509_NAME_new();
	X509_NAME_ENTRY *e;

	f = fopen(cacert, "r");
	if (!f || !(ca = PEM_read_X509(f, NULL, NULL, NULL)))
		die_ssl(cacert);
	fclose(f);
	f = fopen(cakey, "r");
	if (!f || !(cak = PEM_read_PrivateKey(f, NULL, NULL, NULL)))
		die_ssl(cakey);
	fclose(f);

	if (strcmp(kind, "nulcn") == 0) {
		static const char nul[] = "127.0.0.1\0.evil.com";

		cnlen = (int)sizeof nul - 1;
		memcpy(cn, nul, (size_t)cnlen);
	} else if (strcmp(kind, "longcn") == 0) {
		cnlen = 4000;
		memset(cn, 'c', (size_t)cnlen);
	} else {
		static const char bad[] = "bad \xff\xfe name \xc3\x28 \xe9t\xe9";

		cnlen = (int)sizeof bad - 1;
		memcpy(cn, bad, (size_t)cnlen);
		/* As TeletexStrings: OpenSSL itself drops a whole subject with
		 * a UTF8String that is not UTF-8 (its canonical copy fails), so
		 * the bytes travel as a type with no UTF-8 rule. */
		cntype = V_ASN1_T61STRING;
		e = X509_NAME_ENTRY_create_by_NID(NULL, NID_organizationName, V_ASN1_T61STRING,
						  (const unsigned char *)"\xff\xfe \xc0\xaf org",
						  -1);
		if (!e || !X509_NAME_add_entry(name, e, -1, 0))
			die_ssl("O");
		X509_NAME_ENTRY_free(e);
	}
	/* The type given directly (not MBSTRING_*): no length limits, no
	 * conversion, the bytes as they are. */
	e = X509_NAME_ENTRY_create_by_NID(NULL, NID_commonName, cntype, (unsigned char *)cn, cnlen);
	if (!e || !X509_NAME_add_entry(name, e, -1, 0))
		die_ssl("CN");
	X509_NAME_ENTRY_free(e);

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), (long)getpid());
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	/* Half a day more: two runs a second apart both see 90 days left. */
	X509_gmtime_adj(X509_getm_notAfter(x), 90L * 86400 + 43200);
	X509_set_subject_name(x, name);
	X509_set_issuer_name(x, X509_get_subject_name(ca));
	X509_set_pubkey(x, key);
	if (!X509_sign(x, cak, EVP_sha256()))
		die_ssl("X509_sign");
	X509_NAME_free(name);
	X509_free(ca);
	EVP_PKEY_free(cak);
	return x;
}

static void tls_setup(int argc, char **argv)
{
	EVP_PKEY *key;
	FILE *f;

	if (argc < 5) {
		fprintf(stderr, "hostile-server: %s needs CERT KEY\n", mode);
		exit(2);
	}
	ctx = SSL_CTX_new(TLS_server_method());
	if (!ctx)
		die_ssl("SSL_CTX_new");
	f = fopen(argv[4], "r");
	if (!f || !(key = PEM_read_PrivateKey(f, NULL, NULL, NULL)))
		die_ssl(argv[4]);
	fclose(f);
	if (strncmp(mode, "tls-nulcn", 9) == 0 || strcmp(mode, "tls-longcn") == 0 ||
	    strcmp(mode, "tls-nonutf8") == 0) {
		X509 *x;

		if (argc < 7) {
			fprintf(stderr, "hostile-server: %s needs CERT KEY CACERT CAKEY\n", mode);
			exit(2);
		}
		x = odd_certificate(mode + 4, key, argv[5], argv[6]);
		if (SSL_CTX_use_certificate(ctx, x) != 1)
			die_ssl("SSL_CTX_use_certificate");
		X509_free(x);
	} else if (SSL_CTX_use_certificate_chain_file(ctx, argv[3]) != 1) {
		die_ssl(argv[3]);
	}
	if (SSL_CTX_use_PrivateKey(ctx, key) != 1)
		die_ssl("SSL_CTX_use_PrivateKey");
	EVP_PKEY_free(key);
	if (strcmp(mode, "tls-handshake-failure") == 0)
		SSL_CTX_set_client_hello_cb(ctx, hello_cb, &alert_handshake_failure);
	else if (strcmp(mode, "tls-internal-error") == 0)
		SSL_CTX_set_client_hello_cb(ctx, hello_cb, &alert_internal_error);
	else if (strcmp(mode, "tls-certreq") == 0)
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
}

static _Noreturn void serve_tls(void)
{
	if (strcmp(mode, "tls-midclose") == 0) {
		/* A TLS record header promising 80 bytes of ServerHello, 4 of
		 * them, then the end. */
		static const unsigned char half[] = { 0x16, 0x03, 0x03, 0x00, 0x50,
						      0x02, 0x00, 0x00, 0x4c };
		char buf[4096];
		struct timeval tv = { 3, 0 };

		setsockopt(cfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		if (read(cfd, buf, sizeof buf) > 0)
			out(half, sizeof half);
		close(cfd);
		_exit(0);
	}
	ssl = SSL_new(ctx);
	SSL_set_fd(ssl, cfd);
	if (SSL_accept(ssl) != 1) {
		SSL_free(ssl);
		ssl = NULL;
		finish();
	}
	read_request();
	outs(good);
	finish();
}

/* The children, so that the server can end them with itself: a pid
 * stays ours until waitpid() reaped it. */
#define MAX_KIDS 512
static pid_t kids[MAX_KIDS];
static int nkids;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	if (sig != SIGCHLD)
		stop = 1;
}

static void reap(void)
{
	pid_t pid;

	while ((pid = waitpid(-1, NULL, WNOHANG)) > 0) {
		for (int i = 0; i < nkids; i++) {
			if (kids[i] == pid) {
				kids[i] = kids[--nkids];
				break;
			}
		}
	}
}

static _Noreturn void end_all(void)
{
	for (int i = 0; i < nkids; i++)
		kill(kids[i], SIGKILL);
	for (int i = 0; i < nkids; i++)
		waitpid(kids[i], NULL, 0);
	exit(0);
}

int main(int argc, char **argv)
{
	static const int sigs[] = { SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGALRM };
	struct sigaction sa;
	sigset_t block, orig;
	int port, lfd, tls;

	if (argc < 3) {
		fprintf(stderr, "usage: hostile-server MODE PORTFILE [CERT KEY [CACERT CAKEY]]\n");
		return 2;
	}
	mode = argv[1];
	tls = strncmp(mode, "tls-", 4) == 0;
	if (tls)
		tls_setup(argc, argv);

	/* The signals are taken only inside ppoll(): no race with the
	 * check of "stop". */
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&block);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		sigaction(sigs[i], &sa, NULL);
		sigaddset(&block, sigs[i]);
	}
	sigprocmask(SIG_BLOCK, &block, &orig);
	alarm(LIFETIME_SECONDS);

	lfd = loopback_bind(&port);
	if (listen(lfd, 64) < 0)
		die("listen");
	loopback_portfile(argv[2], port);

	for (;;) {
		struct pollfd pfd = { lfd, POLLIN, 0 };
		pid_t pid;

		reap();
		if (stop)
			end_all();
		if (ppoll(&pfd, 1, NULL, &orig) <= 0)
			continue;
		cfd = accept(lfd, NULL, NULL);
		if (cfd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept");
		}
		if (nkids == MAX_KIDS) {
			close(cfd);
			continue;
		}
		pid = fork();
		if (pid == 0) {
			close(lfd);
			for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
				signal(sigs[i], SIG_DFL);
			sigprocmask(SIG_SETMASK, &orig, NULL);
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() == 1)
				_exit(0);
			alarm(CHILD_SECONDS);
			if (tls)
				serve_tls();
			serve_http();
		}
		if (pid > 0)
			kids[nkids++] = pid;
		close(cfd);
	}
}
