/* The probe: every request a plugin makes goes through here, one libcurl +
 * OpenSSL code path. A request description goes in; a result comes out with
 * the failure (if any) in plain words, the HTTP status, the EAS headers,
 * per-phase timings and the server's certificate chain. */
#ifndef EAS_PROBE_H
#define EAS_PROBE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include <openssl/x509.h>

#include "identity.h"

/* What a probe failed on, coarse enough to decide a state from. */
enum eas_fail {
	EAS_FAIL_NONE = 0,
	EAS_FAIL_SETUP,        /* our side: bad URL, unreadable CA file, ... */
	EAS_FAIL_DNS,
	EAS_FAIL_REFUSED,
	EAS_FAIL_UNREACHABLE,
	EAS_FAIL_CONNECT,
	EAS_FAIL_TIMEOUT,
	EAS_FAIL_TLS,          /* handshake failed */
	EAS_FAIL_TLS_VERIFY,   /* server certificate not trusted */
	EAS_FAIL_TLS_HOSTNAME, /* certificate does not name the host */
	EAS_FAIL_CLIENT_CERT,  /* server demanded or refused a client cert */
	EAS_FAIL_PROTOCOL,     /* not HTTP, or broken HTTP */
	EAS_FAIL_NETWORK,      /* connection reset or closed */
};

/* Where a request was when it stopped; a sig_atomic_t so that the hard
 * timeout's signal handler may read it. */
enum eas_phase {
	EAS_PHASE_START, EAS_PHASE_DNS, EAS_PHASE_CONNECT, EAS_PHASE_TLS,
	EAS_PHASE_WAIT, EAS_PHASE_READ, EAS_PHASE_DONE,
};
const char *eas_phase_name(int phase);

struct eas_request {
	const char *url;              /* complete URL */
	const char *connect_ip;       /* -I: connect here, keep the URL's name */
	const char *connect_host;     /* connect to this name instead (--sni) */
	const char *method;           /* NULL: TLS handshake only, no HTTP */
	const char *const *headers;   /* NULL-terminated extra headers */
	const char *user, *password;  /* basic credentials, NULL for none */
	const struct eas_identity *identity;  /* client certificate or NULL */
	const char *ca_file, *ca_path;
	bool insecure;
	long tls_min, tls_max;        /* 10..13 for TLS 1.0..1.3, 0: default */
	long timeout_ms;
	double timeout_s;             /* the user's -t, for messages (0: timeout_ms) */
	size_t body_keep;             /* body bytes kept (0: 64 KiB) */
	size_t read_limit;            /* stop reading after (0: 1 MiB) */
};

struct eas_timing {               /* seconds, each phase on its own */
	double dns, connect, tls, firstbyte, total;
};

struct eas_tls_info {
	char version[16], cipher[64];
	bool cert_requested;          /* server sent a CertificateRequest */
	int alert_received, alert_sent;   /* TLS alert description, -1 none */
	long verify_result;           /* X509_V_OK or the error */
	int verify_depth;             /* depth of the failing certificate */
	STACK_OF(X509) *sent;         /* what the server sent, leaf first */
	STACK_OF(X509) *chain;        /* as built to the trust anchor */
};

struct eas_headers {
	char *eas_server;             /* MS-Server-ActiveSync */
	char *versions;               /* MS-ASProtocolVersions */
	char *commands;               /* MS-ASProtocolCommands */
	char *www_authenticate;
	char *ms_location;            /* X-MS-Location (451) */
	char *location;
	char *retry_after;
	char *content_type;
	char *server;
};

struct eas_response {
	enum eas_fail fail;
	char what[320];               /* plain words, for the summary */
	char detail[320];             /* the library's own words */
	volatile sig_atomic_t phase;  /* enum eas_phase */
	long status;                  /* HTTP status, 0 when none */
	char reason[80];              /* status line reason phrase */
	struct eas_headers hdr;
	char *body;                   /* first body_keep bytes, NUL-terminated */
	size_t body_len, bytes;       /* kept / received (headers + body) */
	bool truncated;               /* we stopped reading at read_limit */
	struct eas_timing t;
	struct eas_tls_info tls;
	char ip[64];                  /* address actually connected to */
};

/* Run one request. Returns 0 when the exchange happened (whatever the HTTP
 * status), -1 when res->fail says why not. */
int eas_probe_run(const struct eas_request *req, struct eas_response *res);
/* Run n independent requests concurrently, each on its own connection and
 * TLS session (never resumed: a resumed session would carry another
 * probe's client certificate). Returns the number that failed. */
size_t eas_probe_run_many(const struct eas_request *reqs,
			  struct eas_response *res, size_t n);
void eas_response_free(struct eas_response *res);

/* Called once per run before any request, and once at the end. */
int eas_probe_global_init(void);
void eas_probe_global_cleanup(void);

#endif
