/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between the probe's own files; not for plugins. */
#ifndef EAS_PROBE_INTERNAL_H
#define EAS_PROBE_INTERNAL_H

#include <time.h>

#include <curl/curl.h>
#include <openssl/x509.h>

#include "http/probe.h"

/* The trust store the requests of one eas_probe_run_many share: libcurl
 * gives every connection its own SSL_CTX, whose store would read and parse
 * each anchor again from --ca-path (a millisecond of CPU per node under
 * OpenSSL 3); the first connection's store serves the others that trust
 * alike. Its own reference; released by the batch. */
struct eas_store_share {
	X509_STORE *store;
	const struct eas_request *req; /* whose trust settings it holds */
};

/* One libcurl handle and what its callbacks write to. Its address stays
 * put while the handle lives: OpenSSL's callbacks keep pointers into it
 * for as long as the connection is open. */
struct eas_conn {
	CURL *curl;
	const struct eas_request *req;
	struct eas_response *res;
	struct eas_tls_info tls;       /* of the current connection */
	struct eas_store_share *share; /* NULL: a store of its own */
	struct curl_slist *headers, *resolve, *connect_to, *rcpt;
	size_t uploaded; /* SMTP: bytes of the message read by libcurl */
	CURLU *url;
	char errbuf[CURL_ERROR_SIZE];
	bool keep; /* shared: keep-alive across requests */
	bool limit_hit;
	bool new_response; /* next header line is a status line */
	int www_lines;     /* WWW-Authenticate lines joined so far */
	/* The TCP connect as we see it (curl reports none when the TLS
	 * handshake after it fails): socket set up, TLS about to start. */
	struct timespec t_sock, t_tls;
};

/* probe_setup.c: set every option of a request on conn->curl. */
int eas_probe_setup(struct eas_conn *pc);
/* probe_capture.c: header and body callbacks. */
size_t eas_probe_on_header(char *buf, size_t size, size_t n, void *p);
size_t eas_probe_on_body(char *buf, size_t size, size_t n, void *p);
void eas_probe_clear_headers(struct eas_response *res);
/* Mask our credentials wherever the answer echoes them. */
void eas_probe_scrub(struct eas_conn *pc);
/* probe_tls.c: install our hooks into libcurl's SSL_CTX. */
CURLcode eas_probe_ssl_ctx(CURL *curl, void *ssl_ctx, void *userptr);
void eas_probe_tls_clear(struct eas_tls_info *ti);
/* probe_error.c: turn a libcurl result into res->fail and plain words. */
void eas_probe_classify(struct eas_conn *pc, CURLcode rc);

#endif
