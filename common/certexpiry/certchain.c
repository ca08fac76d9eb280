/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The server's side of an expiry check: what one TLS handshake showed
 * (the chain as sent and as built to the trust store), judged: trust,
 * host name, and whatever stopped the handshake. */
#include "certexpiry/certchain.h"

#include <math.h>

#include <json-c/json.h>
#include <openssl/x509_vfy.h>

#include "tls/tls.h"
#include "run/run.h"

/* The handshake's verification stops at the first error. When that is
 * only "too weak for the security level" (RSA-1024, SHA-1: warnings here),
 * the chain may be cut short and trust, signatures and dates unjudged:
 * build and verify it once more without a security level. Rare, so
 * loading the trust store a second time is fine. */
static void reverify_weak(struct eas_tls_info *ti, const struct eas_chain_check *c)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *sctx = X509_STORE_CTX_new();

	if (!store || !sctx || !ti->sent || !sk_X509_num(ti->sent))
		goto done;
	X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN); /* as libcurl */
	if (!eas_trust_load(store, c->ca_file, c->ca_path) &&
	    X509_STORE_CTX_init(sctx, store, sk_X509_value(ti->sent, 0), ti->sent) &&
	    X509_STORE_CTX_set_default(sctx, "ssl_server")) {
		X509_verify_cert(sctx);
		sk_X509_pop_free(ti->chain, X509_free);
		ti->chain = X509_STORE_CTX_get1_chain(sctx);
		ti->verify_result = X509_STORE_CTX_get_error(sctx);
		ti->verify_depth = X509_STORE_CTX_get_error_depth(sctx);
	}
done:
	X509_STORE_CTX_free(sctx);
	X509_STORE_free(store);
}

static const char *verify_chain(struct eas_certset *set, const struct eas_tls_info *ti)
{
	long v = ti->verify_result;
	int depth = ti->verify_depth;
	char why[320];

	/* Dates and weak crypto are each element's own finding. */
	if (v == X509_V_OK || v == X509_V_ERR_CERT_HAS_EXPIRED ||
	    v == X509_V_ERR_CERT_NOT_YET_VALID || eas_verify_is_weakness(v)) {
		return "ok";
	}
	eas_verify_reason(v, why, sizeof why);
	if (depth >= 0 && (size_t)depth < set->nel)
		eas_certset_note(set, EAS_CRITICAL, EAS_FIND_GENERAL, -1,
				 "chain not trusted at %s: %s", set->el[depth].name, why);
	else
		eas_certset_note(set, EAS_CRITICAL, EAS_FIND_GENERAL, -1, "chain not trusted: %s",
				 why);
	return "failed";
}

static const char *verify_host(struct eas_certset *set, const char *host)
{
	char names[256];

	switch (eas_hostmatch_check(set->el[0].x, host, names, sizeof names)) {
	case EAS_HOST_SAN: return "san";
	case EAS_HOST_CN:
		eas_certset_note(
			set, EAS_OK, EAS_FIND_GENERAL, -1,
			"host name %s matched only by the subject CN (no subjectAltName for it)",
			host);
		return "cn";
	default:
		eas_certset_note(set, EAS_CRITICAL, EAS_FIND_GENERAL, -1,
				 "host name %s does not match the certificate (it names %s)", host,
				 names[0] ? names : "nothing");
		return "mismatch";
	}
}

/* Verification failures abort the handshake, but only after the chain was
 * captured: they are ours to judge, not transport failures. */
static bool judged_here(const struct eas_response *res)
{
	return (res->fail == EAS_FAIL_TLS_VERIFY || res->fail == EAS_FAIL_TLS_HOSTNAME) &&
	       res->tls.sent;
}

void eas_certset_add_handshake(struct eas_certset *set, struct eas_response *res,
			       const struct eas_chain_check *c, struct eas_chain_verdict *v)
{
	v->verify = "not checked";
	v->host_match = NULL;
	if (eas_verify_is_weakness(res->tls.verify_result))
		reverify_weak(&res->tls, c);
	eas_certset_add_server(set, res->tls.chain, res->tls.sent);
	if (res->fail == EAS_FAIL_CLIENT_CERT && set->nel)
		eas_certset_note(
			set, EAS_OK, EAS_FIND_GENERAL, -1,
			"the server demands a client certificate (expiry checked, authentication not)");
	else if (res->fail != EAS_FAIL_NONE && !judged_here(res))
		eas_certset_note(set, eas_fail_state(res->fail, c->timeout_state), EAS_FIND_GENERAL,
				 -1, "%s", res->what);
	if (!set->nel || set->el[0].role != EAS_ROLE_LEAF || !c->verify)
		return;
	v->verify = verify_chain(set, &res->tls);
	v->host_match = verify_host(set, c->host);
}

void eas_chain_report(struct eas_certset *set, struct eas_output *out, const char *host, long port,
		      const struct eas_chain_verdict *v, const struct eas_response *res)
{
	struct json_object *root = eas_out_json(out);

	eas_certset_report(set, out);
	if (res) {
		eas_out_perf(out, "time", res->t.total, "s", NULL, 0, NAN);
		eas_report_details(out, "", res);
	}
	if (!root)
		return;
	json_object_object_add(root, "certificates", eas_certset_json(set));
	if (!res)
		return;
	json_object_object_add(root, "host", json_object_new_string(host));
	json_object_object_add(root, "port", json_object_new_int((int)port));
	json_object_object_add(root, "verify", json_object_new_string(v->verify));
	if (v->host_match)
		json_object_object_add(root, "host_match", json_object_new_string(v->host_match));
	json_object_object_add(root, "probe", eas_report_json(res));
}
