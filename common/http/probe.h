/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The probe: every request a plugin makes goes through here, one libcurl +
 * OpenSSL code path. A request description goes in; a result comes out with
 * the failure (if any) in plain words, the HTTP status, the headers we
 * care about, the body, per-phase timings and the server's certificate
 * chain. The probe knows nothing of options or states. */
#ifndef EAS_PROBE_H
#define EAS_PROBE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include <openssl/x509.h>

#include "http/fail.h"
#include "tls/tls.h"

/* Where a request was when it stopped; a sig_atomic_t so that the hard
 * timeout's signal handler may read it. */
enum eas_phase {
	EAS_PHASE_START,
	EAS_PHASE_DNS,
	EAS_PHASE_CONNECT,
	EAS_PHASE_TLS,
	EAS_PHASE_WAIT,
	EAS_PHASE_READ,
	EAS_PHASE_DONE,
};
const char *eas_phase_name(int phase);

/* The phase as the end of a sentence, with the step when there is one:
 * "in the TLS handshake", "waiting for the FolderSync response". Only
 * copies static strings: safe in a signal handler. Returns the length. */
size_t eas_phase_text(int phase, const char *step, char *buf, size_t size);

/* HTTP authentication a request carries. NTLM and Negotiate would be two
 * more rows for libcurl. */
enum eas_http_auth {
	EAS_HTTPAUTH_NONE,
	EAS_HTTPAUTH_BASIC,  /* user, password */
	EAS_HTTPAUTH_BEARER, /* token (OAuth2) */
};

/* A query parameter, appended URL-encoded. */
struct eas_param {
	const char *name, *value;
};

struct eas_request {
	const char *url;               /* complete URL */
	const struct eas_param *query; /* extra parameters, {NULL} ends */
	const char *connect_ip;        /* -I: connect here, keep the URL's name */
	const char *connect_host;      /* connect to this name instead (--sni) */
	const char *const *resolve;    /* "HOST:PORT:ADDRESS", NULL-ended */
	const char *const *connect_to; /* "HOST:PORT:HOST2:PORT2", NULL-ended */
	int ip_version;                /* 4 or 6 only; 0 either */
	const char *proxy;             /* HTTP proxy URL; NULL: the environment's */
	bool noproxy;                  /* no proxy, whatever the environment says */
	const char *method;            /* NULL: TLS handshake only, no HTTP */
	const char *const *headers;    /* NULL-terminated extra headers */
	const char *user_agent;        /* NULL: check-eas/VERSION */
	const void *body;              /* request body, NULL for none */
	size_t body_len;
	const char *content_type; /* of the body */
	enum eas_http_auth auth;
	const char *user, *password;         /* EAS_HTTPAUTH_BASIC */
	bool auth_after_challenge;           /* basic only in answer to a 401
						Basic challenge (first asked
						anonymously), as a device asks
						a host it found */
	const char *token;                   /* EAS_HTTPAUTH_BEARER */
	const struct eas_identity *identity; /* client certificate or NULL */
	const char *ca_file, *ca_path;
	bool insecure;
	long tls_min, tls_max; /* 10..13 for TLS 1.0..1.3, 0: default */
	long timeout_ms;       /* libcurl's limit for this request */
	double timeout_s;      /* the user's -t, for messages (0: timeout_ms) */
	const char *step;      /* "FolderSync": names it in messages */
	size_t body_keep;      /* body bytes kept (0: 64 KiB) */
	size_t read_limit;     /* stop reading after (0: 1 MiB) */
	/* SMTP (an smtp:// or smtps:// URL, method NULL): body is the
	 * message, sent to mail_rcpt from mail_from (envelope), with no
	 * authentication and no proxy. smtps:// is TLS from the start with
	 * the verification above; smtp:// is plain. */
	const char *mail_from, *mail_rcpt;
};

struct eas_timing { /* seconds, each phase on its own */
	double dns, connect, tls, firstbyte, total;
	/* Which phases completed and were measured: a refused connection or a
	 * failed handshake has no time for what never finished (a 0 would be
	 * a false value in graphs). */
	bool has_connect, has_tls, has_firstbyte;
};

struct eas_tls_info {
	char version[16], cipher[64];
	bool cert_requested;            /* server sent a CertificateRequest */
	int alert_received, alert_sent; /* TLS alert description, -1 none */
	long verify_result;             /* X509_V_OK or the error */
	int verify_depth;               /* depth of the failing certificate */
	STACK_OF(X509) * sent;          /* what the server sent, leaf first */
	STACK_OF(X509) * chain;         /* as built to the trust anchor */
};

/* The response headers we capture: one row each, here and in the name
 * table; capture, release, -v and JSON all go through the table. */
enum eas_hdr {
	EAS_HDR_EAS_SERVER, /* MS-Server-ActiveSync */
	EAS_HDR_VERSIONS,   /* MS-ASProtocolVersions */
	EAS_HDR_COMMANDS,   /* MS-ASProtocolCommands */
	EAS_HDR_WWW_AUTHENTICATE,
	EAS_HDR_MS_LOCATION, /* X-MS-Location (451) */
	EAS_HDR_LOCATION,
	EAS_HDR_RETRY_AFTER,
	EAS_HDR_THROTTLE, /* X-MS-ASThrottle (503) */
	EAS_HDR_CONTENT_TYPE,
	EAS_HDR_SERVER,
	EAS_HDR_POWERED_BY,     /* X-Powered-By (ASP.NET: IIS) */
	EAS_HDR_FESERVER,       /* X-FEServer (Exchange front end) */
	EAS_HDR_MS_DIAGNOSTICS, /* X-MS-Diagnostics (why authentication refused) */
	/* Exchange's other diagnostic headers (http/diaghdr.h says what
	 * they mean): who served the request and why it failed. */
	EAS_HDR_BESERVER,        /* X-BEServer (mailbox server) */
	EAS_HDR_BETARGET,        /* X-CalculatedBETarget (its FQDN) */
	EAS_HDR_BACKEND_STATUS,  /* X-BackEndHttpStatus */
	EAS_HDR_FAILURE_CONTEXT, /* X-FailureContext (which side failed) */
	EAS_HDR_DIAGINFO,        /* X-DiagInfo (the server that answered) */
	EAS_HDR_REQUEST_ID,      /* request-id (for the server's logs) */
	EAS_HDR_COUNT
};
const char *eas_hdr_name(enum eas_hdr h);
/* A captured value is at most this many bytes (longer ones are cut) and
 * holds no control character (each becomes '?', a tab a blank): what a
 * server sends cannot flood -v or break a line. */
#define EAS_HDR_VALUE_MAX 1024

/* A server sends one WWW-Authenticate line per scheme: the capture joins
 * them with ", " (RFC 9110 5.3), at most this many lines and bytes, each
 * control character a blank. Every other header: the last line wins. */
#define EAS_WWW_AUTH_LINES 16
#define EAS_WWW_AUTH_BYTES 4096

struct eas_response {
	enum eas_fail fail;
	char what[320];              /* plain words, for the summary */
	char detail[320];            /* the library's own words */
	volatile sig_atomic_t phase; /* enum eas_phase */
	long status;                 /* HTTP status, 0 when none */
	char reason[80];             /* status line reason phrase */
	char *hdr[EAS_HDR_COUNT];    /* NULL when absent */
	char *body;                  /* first body_keep bytes, NUL-terminated */
	size_t body_len, bytes;      /* kept / received (headers + body) */
	size_t body_bytes;           /* received of the body alone */
	bool truncated;              /* we stopped reading at read_limit */
	bool reused;                 /* went over an open connection */
	bool cert_offered;           /* we had a client certificate to give */
	bool token_offered;          /* and a bearer token */
	struct eas_timing t;
	struct eas_tls_info tls; /* of the connection the request used */
	char ip[64];             /* address actually connected to */
	char proxy[256];         /* the proxy it went through, "" none */
	/* SMTP: a refusal (status the reply code, 400-599) is an answer
	 * like an HTTP error, fail NONE: the refused command ("MAIL FROM",
	 * "RCPT TO", "DATA", "" the greeting or the end of the message)
	 * and the server's last reply line, bounded, without control
	 * characters. */
	const char *smtp_refused;
	char smtp_reply[256];
};

/* Called once per run before any request, and once at the end. */
int eas_probe_global_init(void);
void eas_probe_global_cleanup(void);

/* Run one request on a fresh connection and TLS session, closed after it.
 * Returns 0 when the exchange happened (whatever the HTTP status), -1
 * when res->fail says why not. */
int eas_probe_run(const struct eas_request *req, struct eas_response *res);

/* Run n independent requests concurrently, each on its own fresh
 * connection and TLS session (never resumed: a resumed session would carry
 * another probe's client certificate). Returns the number that failed. */
size_t eas_probe_run_many(const struct eas_request *reqs, struct eas_response *res, size_t n);

/* A connection that the requests of one run share (keep-alive), as a
 * device does: one TCP connection and TLS handshake for many commands.
 * libcurl reconnects by itself when the server closes it. */
struct eas_conn;
int eas_conn_open(struct eas_conn **conn);
int eas_conn_run(struct eas_conn *conn, const struct eas_request *req, struct eas_response *res);
/* req on conn and, once req was sent and has waited delay_ms for its
 * answer, side_req on a fresh connection, both in one loop: something
 * that happens while the first is held (a change during a Ping). The side
 * request's start, in seconds from req's, into *side_at (-1: never sent,
 * side_res says so, when req ended first). Returns as eas_conn_run. */
int eas_conn_run_with(struct eas_conn *conn, const struct eas_request *req,
		      struct eas_response *res, const struct eas_request *side_req,
		      struct eas_response *side_res, long delay_ms, double *side_at);
void eas_conn_close(struct eas_conn *conn);

void eas_response_free(struct eas_response *res);

#endif
