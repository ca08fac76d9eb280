/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_eas_certexpiry: how long until the certificates an EAS service
 * depends on expire: the server's leaf, everything it sends, the verified
 * chain up to the trust-store root (which the server never sends), and the
 * client certificate files handed out to phones. One connect and TLS
 * handshake, no HTTP. */
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "certexpiry/certexpiry.h"
#include "check/check.h"
#include "run/run.h"

#define MAX_PATHS 64

struct plugin_ctx {
	const char *files[MAX_PATHS], *dirs[MAX_PATHS];
	size_t nfiles, ndirs;
	const char *password_file;
	bool no_verify;
	struct eas_node_opts nodes; /* --node, --each-address, --min-nodes */
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
	struct eas_chain_verdict verdict;
	struct eas_chain_check check; /* how the handshake is judged */
	const struct eas_expiry_rules *rules;
	time_t now;
};

#define AT(f) offsetof(struct plugin_ctx, f)
static const struct eas_optdecl plugin_opts[] = {
	{ EAS_OPTROW("cert", "FILE",
		     "client certificate file to check: PEM (bundle), DER or PKCS#12 .p12/.pfx",
		     EAS_OPT_LIST, AT(files)),
	  .count_at = AT(nfiles), .max = MAX_PATHS },
	{ EAS_OPTROW("cert-dir", "DIR",
		     "check every *.pem *.crt *.cer *.der *.p12 *.pfx file in DIR", EAS_OPT_LIST,
		     AT(dirs)),
	  .count_at = AT(ndirs), .max = MAX_PATHS },
	{ EAS_OPTROW("cert-password-file", "FILE",
		     "password of the PKCS#12 files (first line of FILE)", EAS_OPT_FILE,
		     AT(password_file)) },
	{ EAS_OPTROW("no-verify", NULL,
		     "report expiry only: do not verify the chain or the host name (same as -k)",
		     EAS_OPT_FLAG, AT(no_verify)) },
	/* A host's credential section names these for the other plugins. */
	{ EAS_OPTROW(
		"key", "FILE",
		"accepted so that one credential set serves every plugin; not used (no key is needed to read expiry)",
		EAS_OPT_UNUSED, 0) },
	{ EAS_OPTROW("key-password-file", "FILE", "accepted likewise; not used", EAS_OPT_UNUSED,
		     0) },
	EAS_NODE_OPTROWS(AT(nodes)),
	{ 0 },
};

/* Client files alone are a complete check: -H is needed only without them. */
static int validate(void *p, const struct eas_opts *o, char *err, size_t errlen)
{
	const struct plugin_ctx *c = p;

	if (!o->hostname && !c->nfiles && !c->ndirs) {
		snprintf(err, errlen,
			 "nothing to check: give -H HOST and/or --cert FILE / --cert-dir DIR");
		return -1;
	}
	if (eas_nodes_wanted(&c->nodes) && (!o->hostname || c->nfiles || c->ndirs)) {
		snprintf(
			err, errlen,
			"--node and --each-address check the server's nodes: give -H HOST, and check client certificate files in a run of their own");
		return -1;
	}
	return eas_node_opts_check(&c->nodes, o, err, errlen);
}

/* The handshake request to the check's target; false (noted) when none. */
static bool prepare(struct run *r)
{
	const struct eas_opts *o = r->o;
	char err[320];

	r->check = (struct eas_chain_check){
		.host = o->sni ? o->sni : o->hostname,
		.ca_file = o->ca_file,
		.ca_path = o->ca_path,
		.timeout_state = o->timeout_state,
		.verify = !r->ctx->no_verify && !o->insecure,
	};
	if (eas_check_target(r->chk, &r->req, r->url, sizeof r->url, err, sizeof err)) {
		eas_certset_note(&r->set, EAS_UNKNOWN, EAS_FIND_GENERAL, -1, "%s", err);
		return false;
	}
	r->req.method = NULL; /* handshake only */
	/* Verification stays on even for --no-verify: libcurl loads the trust
	 * store only then, and without it the chain ends at what the server
	 * sent. The probe captures chain and result before a failed check
	 * aborts the handshake; we judge them ourselves. */
	r->req.insecure = false;
	return true;
}

static void check_server(struct run *r)
{
	if (!prepare(r))
		return;
	eas_check_run(r->chk, NULL, NULL, &r->req, &r->res);
	r->probed = true;
	eas_certset_add_handshake(&r->set, &r->res, &r->check, &r->verdict);
}

/* One node's handshake judged as a single server's would be. */
static void judge_node(void *p, struct eas_runner *run, struct eas_node *node)
{
	struct run *r = p;
	struct eas_certset set;
	struct eas_chain_verdict v;

	eas_certset_init(&set, r->rules, r->now);
	eas_certset_add_handshake(&set, &node->res, &r->check, &v);
	eas_chain_report(&set, run->out, r->check.host, r->o->port, &v, NULL);
	eas_certset_free(&set);
}

/* --node, --each-address: every node's handshake at once. */
static int check_nodes(struct run *r)
{
	struct eas_nodes nodes;
	char err[320];

	if (!prepare(r)) {
		eas_certset_report(&r->set, &r->chk->out);
		eas_certset_free(&r->set);
		return eas_check_end(r->chk);
	}
	eas_certset_free(&r->set);
	if (eas_nodes_run(&r->chk->run, &r->ctx->nodes, "TLS handshake", &r->req, judge_node, r,
			  &nodes, err, sizeof err))
		return eas_check_fail(r->chk, EAS_CRITICAL, "%s", err);
	eas_chain_nodes_differ(&nodes, r->now);
	eas_nodes_report(&r->chk->run, &nodes, r->ctx->nodes.min_nodes, NULL);
	eas_nodes_free(&nodes);
	return eas_check_end(r->chk);
}

int main(int argc, char **argv)
{
	struct plugin_ctx ctx = { 0 };
	const struct eas_plugin plugin = {
		.name = "check_eas_certexpiry",
		.aspect = "CERTEXPIRY",
		.purpose =
			"days until the server's certificate chain (leaf, intermediates, trust-store root) and client certificate files expire; one TLS handshake, no HTTP",
		.examples =
			"For -w/-c a plain number N means fewer than N days left (the range N:),\nN% less than N% of the certificate's lifetime left. Expired or not yet valid\nis always CRITICAL; RSA < 2048 bits and SHA-1 signatures are a WARNING.\n\n"
			"Examples:\n"
			"  check_eas_certexpiry -H mail.example.com\n"
			"  check_eas_certexpiry -H mail.example.com -w 20% -c 10%\n"
			"  check_eas_certexpiry -H mail.example.com -I 192.0.2.10 --ca-file /etc/eas/private-root.pem\n"
			"  check_eas_certexpiry -H mail.example.com --node 192.0.2.10 --node 192.0.2.11\n"
			"  check_eas_certexpiry --cert-dir /srv/eas/phones --cert-password-file /etc/eas/p12.pass\n",
		.groups = EAS_OPTG_TARGET | EAS_OPTG_TLS | EAS_OPTG_BASIC,
		.default_warn = "30",
		.default_crit = "14",
		.threshold_help =
			"days left: N (fewer than N days), a range over days left (@0:30), or N% of the certificate's lifetime",
		.raw_thresholds = true,
		.target_optional = true,
		.opts = plugin_opts,
		.validate = validate,
		.ctx = &ctx,
	};
	struct eas_check chk;
	struct run r = { .ctx = &ctx, .chk = &chk };
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
	r.rules = &rules;
	r.now = time(NULL);
	eas_certset_init(&r.set, &rules, r.now);
	if (eas_nodes_wanted(&ctx.nodes))
		return check_nodes(&r);
	if (chk.o.hostname)
		check_server(&r);
	eas_certset_add_clients(&r.set, ctx.files, ctx.nfiles, ctx.dirs, ctx.ndirs,
				ctx.password_file);
	eas_chain_report(&r.set, &chk.out, chk.o.sni ? chk.o.sni : chk.o.hostname, chk.o.port,
			 &r.verdict, r.probed ? &r.res : NULL);
	eas_certset_free(&r.set);
	eas_response_free(&r.res);
	return eas_check_end(&chk);
}
