/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_eas_certexpiry: how long until the certificates an EAS service
 * depends on expire: the server's leaf, everything it sends, the verified
 * chain up to the trust-store root (which the server never sends), and the
 * client certificate files handed out to phones. One connect and TLS
 * handshake, no HTTP. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "certset.h"
#include "check.h"
#include "expiry.h"
#include "hostmatch.h"
#include "report.h"
#include "secret.h"
#include "tlswords.h"
#include "truststore.h"

#define MAX_PATHS 64

enum { OPT_CERT = 256, OPT_CERT_DIR, OPT_CERT_PASS, OPT_NO_VERIFY };

struct plugin_ctx {
	const char *files[MAX_PATHS], *dirs[MAX_PATHS];
	size_t nfiles, ndirs;
	const char *password_file;
	bool no_verify;
};

struct run {
	const struct plugin_ctx *ctx;
	struct eas_check *chk;
	const struct eas_opts *o;
	struct eas_certset set;
	struct eas_request req;
	struct eas_response res;
	char url[2048];
	bool probed;
	const char *verify_text;    /* JSON: "ok", "failed", "not checked" */
	const char *host_text;      /* JSON: "san", "cn", "mismatch" */
};

static const struct eas_opt_def plugin_opts[] = {
	{ "cert", 1, OPT_CERT, "FILE",
	  "client certificate file to check: PEM (bundle), DER or PKCS#12 "
	  ".p12/.pfx (repeatable)" },
	{ "cert-dir", 1, OPT_CERT_DIR, "DIR",
	  "check every *.pem *.crt *.cer *.der *.p12 *.pfx file in DIR (repeatable)" },
	{ "cert-password-file", 1, OPT_CERT_PASS, "FILE",
	  "password of the PKCS#12 files (first line of FILE)" },
	{ "no-verify", 0, OPT_NO_VERIFY, NULL,
	  "report expiry only: do not verify the chain or the host name (same as -k)" },
	{ 0 },
};

static int handle(void *p, int key, const char *arg, char *err, size_t errlen)
{
	struct plugin_ctx *c = p;

	switch (key) {
	case OPT_CERT:
	case OPT_CERT_DIR: {
		bool dir = key == OPT_CERT_DIR;
		size_t *n = dir ? &c->ndirs : &c->nfiles;

		if (*n == MAX_PATHS) {
			snprintf(err, errlen, "at most %d of them", MAX_PATHS);
			return -1;
		}
		(dir ? c->dirs : c->files)[(*n)++] = arg;
		return 0;
	}
	case OPT_CERT_PASS:
		c->password_file = arg;
		return 0;
	case OPT_NO_VERIFY:
		c->no_verify = true;
		return 0;
	}
	return -1;
}

/* Client files alone are a complete check: -H is needed only without them. */
static int validate(void *p, const struct eas_opts *o, char *err, size_t errlen)
{
	const struct plugin_ctx *c = p;

	if (!o->hostname && !c->nfiles && !c->ndirs) {
		snprintf(err, errlen, "nothing to check: give -H HOST and/or "
			 "--cert FILE / --cert-dir DIR");
		return -1;
	}
	return 0;
}
static bool readable(const char *path, char *err, size_t errlen)
{
	if (!path || access(path, R_OK) == 0)
		return true;
	snprintf(err, errlen, "cannot read the trust store %s: %s", path,
		 strerror(errno));
	return false;
}

/* The handshake's verification stops at the first error. When that is
 * only "too weak for the security level" (RSA-1024, SHA-1: warnings here),
 * the chain may be cut short and trust, signatures and dates unjudged:
 * build and verify it once more without a security level. Rare, so
 * loading the trust store a second time is fine. */
static void reverify_weak(struct run *r)
{
	const struct eas_opts *o = r->o;
	struct eas_tls_info *ti = &r->res.tls;
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *sctx = X509_STORE_CTX_new();

	if (!store || !sctx || !ti->sent || !sk_X509_num(ti->sent))
		goto done;
	X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);  /* as libcurl */
	if (!eas_trust_load(store, o->ca_file, o->ca_path) &&
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

static void verify_chain(struct run *r)
{
	long v = r->res.tls.verify_result;
	int depth = r->res.tls.verify_depth;
	char why[320];

	/* Dates and weak crypto are each element's own finding. */
	if (v == X509_V_OK || v == X509_V_ERR_CERT_HAS_EXPIRED ||
	    v == X509_V_ERR_CERT_NOT_YET_VALID || eas_verify_is_weakness(v)) {
		r->verify_text = "ok";
		return;
	}
	r->verify_text = "failed";
	eas_verify_reason(v, why, sizeof why);
	if (depth >= 0 && (size_t)depth < r->set.nel)
		eas_certset_note(&r->set, EAS_CRITICAL, EAS_FIND_GENERAL, -1, "chain not trusted at %s: %s",
		     r->set.el[depth].name, why);
	else
		eas_certset_note(&r->set, EAS_CRITICAL, EAS_FIND_GENERAL, -1, "chain not trusted: %s", why);
}

static void verify_host(struct run *r, const char *host)
{
	char names[256];

	switch (eas_hostmatch_check(r->set.el[0].x, host, names, sizeof names)) {
	case EAS_HOST_SAN:
		r->host_text = "san";
		break;
	case EAS_HOST_CN:
		r->host_text = "cn";
		eas_certset_note(&r->set, EAS_OK, EAS_FIND_GENERAL, -1, "host name %s matched only by the subject "
		     "CN (no subjectAltName for it)", host);
		break;
	case EAS_HOST_MISMATCH:
		r->host_text = "mismatch";
		eas_certset_note(&r->set, EAS_CRITICAL, EAS_FIND_GENERAL, -1, "host name %s does not match the "
		     "certificate (it names %s)", host, names[0] ? names : "nothing");
		break;
	}
}

/* Verification failures abort the handshake, but only after the chain was
 * captured: they are ours to judge, not transport failures. */
static bool judged_here(const struct eas_response *res)
{
	return (res->fail == EAS_FAIL_TLS_VERIFY || res->fail == EAS_FAIL_TLS_HOSTNAME) &&
	       res->tls.sent;
}

static void check_server(struct run *r)
{
	const struct eas_opts *o = r->o;
	char err[320];

	if (eas_check_target(r->chk, &r->req, r->url, sizeof r->url, err, sizeof err) ||
	    !readable(o->ca_file, err, sizeof err) ||
	    !readable(o->ca_path, err, sizeof err)) {
		eas_certset_note(&r->set, EAS_UNKNOWN, EAS_FIND_GENERAL, -1, "%s", err);
		return;
	}
	r->req.method = NULL;    /* handshake only */
	/* Verification stays on even for --no-verify: libcurl loads the trust
	 * store only then, and without it the chain ends at what the server
	 * sent. The probe captures chain and result before a failed check
	 * aborts the handshake; we judge them ourselves. */
	r->req.insecure = false;
	eas_check_run(r->chk, NULL, NULL, &r->req, &r->res);
	r->probed = true;
	if (eas_verify_is_weakness(r->res.tls.verify_result))
		reverify_weak(r);
	eas_certset_add_server(&r->set, r->res.tls.chain, r->res.tls.sent);
	if (r->res.fail == EAS_FAIL_CLIENT_CERT && r->set.nel)
		eas_certset_note(&r->set, EAS_OK, EAS_FIND_GENERAL, -1, "the server demands a client certificate "
		     "(expiry checked, authentication not)");
	else if (r->res.fail != EAS_FAIL_NONE && !judged_here(&r->res))
		eas_certset_note(&r->set, eas_fail_state(r->res.fail, o->timeout_state),
				 EAS_FIND_GENERAL, -1, "%s", r->res.what);
	if (!r->set.nel || r->set.el[0].role != EAS_ROLE_LEAF)
		return;
	if (r->ctx->no_verify || o->insecure) {
		r->verify_text = "not checked";
		return;
	}
	verify_chain(r);
	verify_host(r, o->sni ? o->sni : o->hostname);
}

static void check_clients(struct run *r)
{
	const struct plugin_ctx *c = r->ctx;
	char *password = NULL, err[320];

	if (!c->nfiles && !c->ndirs)
		return;
	if (c->password_file &&
	    eas_secret_read_file(c->password_file, &password, err, sizeof err)) {
		eas_certset_note(&r->set, EAS_UNKNOWN, EAS_FIND_GENERAL, -1, "%s", err);
		return;
	}
	for (size_t i = 0; i < c->nfiles; i++)
		eas_certset_add_file(&r->set, c->files[i], password);
	for (size_t i = 0; i < c->ndirs; i++)
		eas_certset_add_dir(&r->set, c->dirs[i], password);
	eas_secret_free(password);
}

static void add_json(const struct run *r, struct json_object *root)
{
	json_object_object_add(root, "certificates", eas_certset_json(&r->set));
	if (!r->probed)
		return;
	json_object_object_add(root, "host", json_object_new_string(
		r->o->sni ? r->o->sni : r->o->hostname));
	json_object_object_add(root, "port", json_object_new_int((int)r->o->port));
	json_object_object_add(root, "verify", json_object_new_string(r->verify_text));
	if (r->host_text)
		json_object_object_add(root, "host_match",
				       json_object_new_string(r->host_text));
	json_object_object_add(root, "probe", eas_report_json(&r->res));
}


int main(int argc, char **argv)
{
	struct plugin_ctx ctx = { 0 };
	const struct eas_plugin plugin = {
		.name = "check_eas_certexpiry",
		.aspect = "CERTEXPIRY",
		.purpose = "days until the server's certificate chain (leaf, "
			   "intermediates, trust-store root) and client "
			   "certificate files expire; one TLS handshake, no HTTP",
		.examples = "For -w/-c a plain number N means fewer than N days left "
			"(the range N:),\nN% less than N% of the certificate's "
			"lifetime left. Expired or not yet valid\nis always CRITICAL; "
			"RSA < 2048 bits and SHA-1 signatures are a WARNING.\n\n"
			"Examples:\n"
			"  check_eas_certexpiry -H mail.example.com\n"
			"  check_eas_certexpiry -H mail.example.com -w 20% -c 10%\n"
			"  check_eas_certexpiry -H mail.example.com -I 192.0.2.10 --ca-file /etc/eas/private-root.pem\n"
			"  check_eas_certexpiry --cert-dir /srv/eas/phones --cert-password-file /etc/eas/p12.pass\n",
		.groups = EAS_OPTG_TARGET | EAS_OPTG_TLS,
		.default_warn = "30",
		.default_crit = "14",
		.threshold_help = "days left: N (fewer than N days), a range "
				  "over days left (@0:30), or N% of the "
				  "certificate's lifetime",
		.raw_thresholds = true,
		.target_optional = true,
		.opts = plugin_opts,
		.handle = handle,
		.validate = validate,
		.ctx = &ctx,
	};
	struct eas_check chk;
	struct run r = { .ctx = &ctx, .chk = &chk, .verify_text = "not checked" };
	struct eas_expiry_rules rules;
	char err[320];
	int rc = eas_check_begin(&chk, &plugin, argc, argv);

	if (rc >= 0)
		return rc;
	r.o = &chk.o;
	if (eas_expiry_th_parse(chk.o.warn, &rules.warn, err, sizeof err))
		return eas_check_fail(&chk, EAS_UNKNOWN, "--warning: %s", err);
	if (eas_expiry_th_parse(chk.o.crit, &rules.crit, err, sizeof err))
		return eas_check_fail(&chk, EAS_UNKNOWN, "--critical: %s", err);
	eas_certset_init(&r.set, &rules, time(NULL));
	if (chk.o.hostname)
		check_server(&r);
	check_clients(&r);

	eas_certset_report(&r.set, &chk.out);
	if (r.probed) {
		eas_out_perf(&chk.out, "time", r.res.t.total, "s", NULL, 0, NAN);
		eas_report_details(&chk.out, "", &r.res);
	}
	if (eas_out_json(&chk.out))
		add_json(&r, eas_out_json(&chk.out));
	eas_certset_free(&r.set);
	eas_response_free(&r.res);
	return eas_check_end(&chk);
}

