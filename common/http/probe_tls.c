/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Our hooks in libcurl's OpenSSL context: capture the server's chain and
 * the verification result during the handshake (so a server that later
 * refuses us still shows its certificates), note TLS alerts and whether a
 * client certificate was asked for, and install the client identity. The
 * facts go to the connection, which outlives the request that opened it. */
#include <string.h>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "http/probe_internal.h"

void eas_probe_tls_clear(struct eas_tls_info *ti)
{
	sk_X509_pop_free(ti->sent, X509_free);
	sk_X509_pop_free(ti->chain, X509_free);
	memset(ti, 0, sizeof *ti);
	ti->alert_received = ti->alert_sent = -1;
}

static int verify_chain(X509_STORE_CTX *sctx, void *arg)
{
	struct eas_tls_info *ti = arg;
	STACK_OF(X509) * untrusted;
	int ok = X509_verify_cert(sctx);

	/* Renegotiation verifies again: keep the latest. */
	sk_X509_pop_free(ti->sent, X509_free);
	sk_X509_pop_free(ti->chain, X509_free);
	untrusted = X509_STORE_CTX_get0_untrusted(sctx);
	ti->sent = untrusted ? X509_chain_up_ref(untrusted) : NULL;
	ti->chain = X509_STORE_CTX_get1_chain(sctx);
	ti->verify_result = X509_STORE_CTX_get_error(sctx);
	ti->verify_depth = X509_STORE_CTX_get_error_depth(sctx);
	return ok;
}

static void on_message(int write_p, int version, int content_type, const void *buf, size_t len,
		       SSL *ssl, void *arg)
{
	struct eas_tls_info *ti = arg;
	const unsigned char *b = buf;

	(void)version;
	if (content_type == SSL3_RT_ALERT && len >= 2 && b[1] != 0) {
		int *slot = write_p ? &ti->alert_sent : &ti->alert_received;

		if (*slot < 0)
			*slot = b[1];
	} else if (content_type == SSL3_RT_HANDSHAKE && len >= 1 && !write_p) {
		if (b[0] == SSL3_MT_CERTIFICATE_REQUEST)
			ti->cert_requested = true;
		if (b[0] == SSL3_MT_FINISHED) {
			const char *cipher = SSL_get_cipher_name(ssl);

			strncpy(ti->version, SSL_get_version(ssl), sizeof ti->version - 1);
			if (cipher)
				strncpy(ti->cipher, cipher, sizeof ti->cipher - 1);
		}
	}
}

static int use_identity(SSL_CTX *ctx, const struct eas_identity *id)
{
	if (SSL_CTX_use_certificate(ctx, id->cert) != 1 ||
	    SSL_CTX_use_PrivateKey(ctx, id->key) != 1 || SSL_CTX_check_private_key(ctx) != 1)
		return -1;
	for (int i = 0; id->chain && i < sk_X509_num(id->chain); i++)
		if (SSL_CTX_add1_chain_cert(ctx, sk_X509_value(id->chain, i)) != 1)
			return -1;
	return 0;
}

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Before libcurl fills the store (after the ClientHello, in 7.88): the
 * first connection lends its store, the others trusting alike take it;
 * libcurl's filling it again adds nothing (one lookup per directory). */
static void share_store(SSL_CTX *ctx, struct eas_store_share *sh, const struct eas_request *req)
{
	X509_STORE *store = SSL_CTX_get_cert_store(ctx);

	if (!sh->store) {
		if (store && X509_STORE_up_ref(store)) {
			sh->store = store;
			sh->req = req;
		}
	} else if (same(sh->req->ca_file, req->ca_file) && same(sh->req->ca_path, req->ca_path) &&
		   sh->req->insecure == req->insecure) {
		SSL_CTX_set1_cert_store(ctx, sh->store);
	}
}

/* Called for every new connection, not for a reused one. */
CURLcode eas_probe_ssl_ctx(CURL *curl, void *ssl_ctx, void *userptr)
{
	struct eas_conn *pc = userptr;
	struct eas_tls_info *ti = &pc->tls;
	SSL_CTX *ctx = ssl_ctx;

	(void)curl;
	eas_probe_tls_clear(ti);
	pc->res->phase = EAS_PHASE_TLS;
	clock_gettime(CLOCK_MONOTONIC, &pc->t_tls); /* TCP is connected */
	SSL_CTX_set_cert_verify_callback(ctx, verify_chain, ti);
	SSL_CTX_set_msg_callback(ctx, on_message);
	SSL_CTX_set_msg_callback_arg(ctx, ti);
	/* IIS and Apache often ask for the certificate only for the EAS path:
	 * TLS 1.3 does that after the handshake, and only if we offer it. */
	SSL_CTX_set_post_handshake_auth(ctx, 1);
	if (pc->share)
		share_store(ctx, pc->share, pc->req);
	if (pc->req->identity && use_identity(ctx, pc->req->identity)) {
		snprintf(pc->errbuf, sizeof pc->errbuf,
			 "the client certificate and key cannot be used together");
		return CURLE_SSL_CERTPROBLEM;
	}
	return CURLE_OK;
}
