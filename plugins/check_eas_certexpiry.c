/* check_eas_certexpiry: how long until the certificates an EAS service
 * depends on expire: the server's leaf, everything it sends, the verified
 * chain up to the trust-store root (which the server never sends), and the
 * client certificate files handed out to phones. One connect and TLS
 * handshake, no HTTP. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "certfile.h"
#include "certinfo.h"
#include "expiry.h"
#include "hostmatch.h"
#include "options.h"
#include "output.h"
#include "probe.h"
#include "report.h"
#include "secret.h"
#include "target.h"
#include "timeout.h"

#define MAX_PATHS 64
#define MAX_SHOWN 4          /* problems named in the summary line */
#define SYSTEM_CA_PATH "/etc/ssl/certs"

enum { OPT_CERT = 256, OPT_CERT_DIR, OPT_CERT_PASS, OPT_NO_VERIFY };

struct plugin_ctx {
	const char *files[MAX_PATHS], *dirs[MAX_PATHS];
	size_t nfiles, ndirs;
	const char *password_file;
	bool no_verify;
};

/* One certificate we report on. */
struct element {
	X509 *x;                    /* own reference */
	struct eas_certinfo ci;
	enum eas_cert_role role;
	const char *source;         /* "server", "chain" (trust store), "client" */
	char *file;                 /* client file, owned */
	char name[320];             /* in texts: "leaf localhost" */
	char label[56];             /* perfdata, after "days_" */
	struct eas_verdict v;
};

/* Something the summary may mention, in this order within a state. */
enum finding_kind { F_GENERAL, F_EXPIRY, F_WEAK };

struct finding {
	enum eas_state state;
	enum finding_kind kind;
	long elem;                  /* element it is about, or -1 */
	double days;                /* F_EXPIRY: the element's days left */
	size_t seq;                 /* keeps the sort stable */
	char text[400];
};

struct run {
	const struct plugin_ctx *ctx;
	const struct eas_opts *o;
	struct eas_expiry_rules rules;
	time_t now;
	struct element *el;
	size_t nel, elcap;
	struct finding *fi;
	size_t nfi, ficap;
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

static void find(struct run *r, enum eas_state s, enum finding_kind kind,
		 long elem, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void find(struct run *r, enum eas_state s, enum finding_kind kind,
		 long elem, const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	if (r->nfi == r->ficap) {
		size_t cap = r->ficap ? r->ficap * 2 : 16;
		struct finding *n = realloc(r->fi, cap * sizeof *n);

		if (!n)
			return;
		r->fi = n;
		r->ficap = cap;
	}
	f = &r->fi[r->nfi];
	f->state = s;
	f->kind = kind;
	f->elem = elem;
	f->days = elem >= 0 ? r->el[elem].ci.days_left : 0;
	f->seq = r->nfi++;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof f->text, fmt, ap);
	va_end(ap);
}

static bool label_taken(const struct run *r, const struct element *self)
{
	for (size_t i = 0; i < r->nel; i++)
		if (&r->el[i] != self && !strcmp(r->el[i].label, self->label))
			return true;
	return false;
}

/* Labels must stay unique: two intermediates may share a CN. */
static void set_label(struct run *r, struct element *e, const char *base)
{
	char buf[sizeof e->label - 4];

	eas_expiry_label(base, buf, sizeof buf);
	snprintf(e->label, sizeof e->label, "%s", buf);
	for (int i = 2; label_taken(r, e) && i < 1000; i++)
		snprintf(e->label, sizeof e->label, "%s_%d", buf, i);
}

/* Add x (a new reference is taken) unless it is already there. Returns the
 * element, or NULL when it was a duplicate or did not fit. */
static struct element *add_cert(struct run *r, X509 *x, enum eas_cert_role role,
				const char *source)
{
	struct element *e;

	if (strcmp(source, "client"))
		for (size_t i = 0; i < r->nel; i++)
			if (r->el[i].file == NULL && !X509_cmp(r->el[i].x, x))
				return NULL;
	if (r->nel == r->elcap) {
		size_t cap = r->elcap ? r->elcap * 2 : 8;
		struct element *n = realloc(r->el, cap * sizeof *n);

		if (!n)
			return NULL;
		r->el = n;
		r->elcap = cap;
	}
	e = memset(&r->el[r->nel], 0, sizeof *e);
	if (eas_certinfo_get(x, r->now, &e->ci)) {
		find(r, EAS_UNKNOWN, F_GENERAL, -1, "cannot read the validity dates of a "
		     "%s certificate", source);
		return NULL;
	}
	X509_up_ref(x);
	e->x = x;
	e->role = role;
	e->source = source;
	r->nel++;
	return e;
}

static const char *cn_or_subject(const struct eas_certinfo *ci)
{
	return ci->cn[0] ? ci->cn : ci->subject;
}

static bool in_stack(STACK_OF(X509) *sk, X509 *x)
{
	for (int i = 0; sk && i < sk_X509_num(sk); i++)
		if (!X509_cmp(sk_X509_value(sk, i), x))
			return true;
	return false;
}

/* The chain as built (leaf to root), then whatever else the server sent.
 * Chain order first keeps element i at verification depth i. */
static void collect_server(struct run *r)
{
	STACK_OF(X509) *lists[2] = { r->res.tls.chain, r->res.tls.sent };
	X509 *leaf_x = NULL;

	for (int l = 0; l < 2 && !leaf_x; l++)
		if (lists[l] && sk_X509_num(lists[l]))
			leaf_x = sk_X509_value(lists[l], 0);
	for (int l = 0; l < 2; l++) {
		for (int i = 0; lists[l] && i < sk_X509_num(lists[l]); i++) {
			X509 *x = sk_X509_value(lists[l], i);
			bool leaf = !X509_cmp(x, leaf_x);
			bool sent = in_stack(r->res.tls.sent, x);
			struct element *e;
			enum eas_cert_role role;

			role = leaf ? EAS_ROLE_LEAF
			     : (X509_get_extension_flags(x) & EXFLAG_SS) ? EAS_ROLE_ROOT
			     : EAS_ROLE_INTERMEDIATE;
			e = add_cert(r, x, role, sent ? "server" : "chain");
			if (!e)
				continue;
			snprintf(e->name, sizeof e->name, "%s %s",
				 eas_cert_role_name(role), cn_or_subject(&e->ci));
			set_label(r, e, leaf ? "leaf" : cn_or_subject(&e->ci));
		}
	}
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
	bool loaded;

	if (!store || !sctx || !ti->sent || !sk_X509_num(ti->sent))
		goto done;
	X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);  /* as libcurl */
	if (o->ca_file || o->ca_path)
		loaded = (!o->ca_file || X509_STORE_load_file(store, o->ca_file)) &&
			 (!o->ca_path || X509_STORE_load_path(store, o->ca_path));
	else
		loaded = X509_STORE_load_path(store, SYSTEM_CA_PATH) ||
			 X509_STORE_set_default_paths(store);
	if (loaded &&
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
	if (depth >= 0 && (size_t)depth < r->nel)
		find(r, EAS_CRITICAL, F_GENERAL, -1, "chain not trusted at %s: %s",
		     r->el[depth].name, why);
	else
		find(r, EAS_CRITICAL, F_GENERAL, -1, "chain not trusted: %s", why);
}

static void verify_host(struct run *r, const char *host)
{
	char names[256];

	switch (eas_hostmatch_check(r->el[0].x, host, names, sizeof names)) {
	case EAS_HOST_SAN:
		r->host_text = "san";
		break;
	case EAS_HOST_CN:
		r->host_text = "cn";
		find(r, EAS_OK, F_GENERAL, -1, "host name %s matched only by the subject "
		     "CN (no subjectAltName for it)", host);
		break;
	case EAS_HOST_MISMATCH:
		r->host_text = "mismatch";
		find(r, EAS_CRITICAL, F_GENERAL, -1, "host name %s does not match the "
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

	if (eas_target_request(o, &r->req, r->url, sizeof r->url, err, sizeof err) ||
	    !readable(o->ca_file, err, sizeof err) ||
	    !readable(o->ca_path, err, sizeof err)) {
		find(r, EAS_UNKNOWN, F_GENERAL, -1, "%s", err);
		return;
	}
	r->req.method = NULL;    /* handshake only */
	/* Verification stays on even for --no-verify: libcurl loads the trust
	 * store only then, and without it the chain ends at what the server
	 * sent. The probe captures chain and result before a failed check
	 * aborts the handshake; we judge them ourselves. */
	r->req.insecure = false;
	if (eas_probe_global_init()) {
		find(r, EAS_UNKNOWN, F_GENERAL, -1, "cannot initialise libcurl");
		return;
	}
	eas_timeout_arm(o->timeout, o->timeout_state, "EAS CERTEXPIRY", &r->res.phase);
	eas_probe_run(&r->req, &r->res);
	eas_timeout_disarm();
	r->probed = true;
	if (eas_verify_is_weakness(r->res.tls.verify_result))
		reverify_weak(r);
	collect_server(r);
	if (r->res.fail == EAS_FAIL_CLIENT_CERT && r->nel)
		find(r, EAS_OK, F_GENERAL, -1, "the server demands a client certificate "
		     "(expiry checked, authentication not)");
	else if (r->res.fail != EAS_FAIL_NONE && !judged_here(&r->res))
		find(r, eas_fail_state(&r->res, r->o->timeout_state), F_GENERAL, -1, "%s", r->res.what);
	if (!r->nel || r->el[0].role != EAS_ROLE_LEAF)
		return;
	if (r->ctx->no_verify || o->insecure) {
		r->verify_text = "not checked";
		return;
	}
	verify_chain(r);
	verify_host(r, o->sni ? o->sni : o->hostname);
}

static void check_file(struct run *r, const char *path, const char *password)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct eas_certfile cf;
	char err[512];

	if (eas_certfile_load_certs(path, password, &cf, err, sizeof err)) {
		find(r, EAS_UNKNOWN, F_GENERAL, -1, "%s", err);
		return;
	}
	if (!sk_X509_num(cf.certs))
		find(r, EAS_UNKNOWN, F_GENERAL, -1, "%s holds no certificate", path);
	for (int i = 0; i < sk_X509_num(cf.certs); i++) {
		struct element *e = add_cert(r, sk_X509_value(cf.certs, i),
					     EAS_ROLE_CLIENT, "client");
		char label[256];

		if (!e)
			continue;
		e->file = strdup(path);
		snprintf(e->name, sizeof e->name, "certificate %s in %s",
			 cn_or_subject(&e->ci), base);
		/* The first certificate (the one with the key in a PKCS#12)
		 * is the file; the others are named by their CN. */
		snprintf(label, sizeof label, "%.120s%s%.120s", base,
			 i ? "_" : "", i ? cn_or_subject(&e->ci) : "");
		set_label(r, e, label);
	}
	eas_certfile_free(&cf);
}

static int cert_file_name(const struct dirent *d)
{
	static const char *const ext[] = { ".pem", ".crt", ".cer", ".der", ".p12", ".pfx" };
	size_t len = strlen(d->d_name);

	if (d->d_name[0] == '.' || len < 5)
		return 0;
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
		if (!strcasecmp(d->d_name + len - 4, ext[i]))
			return 1;
	return 0;
}

static void check_dir(struct run *r, const char *dir, const char *password)
{
	struct dirent **names;
	int n = scandir(dir, &names, cert_file_name, alphasort);
	size_t found = 0;

	if (n < 0) {
		find(r, EAS_UNKNOWN, F_GENERAL, -1, "cannot read directory %s: %s", dir,
		     strerror(errno));
		return;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			check_file(r, path, password);
			found++;
		}
		free(names[i]);
	}
	free(names);
	if (!found)
		find(r, EAS_UNKNOWN, F_GENERAL, -1, "no certificate files (*.pem *.crt *.cer "
		     "*.der *.p12 *.pfx) in %s", dir);
}

static void check_clients(struct run *r)
{
	const struct plugin_ctx *c = r->ctx;
	char *password = NULL, err[320];

	if (!c->nfiles && !c->ndirs)
		return;
	if (c->password_file &&
	    eas_secret_read_file(c->password_file, &password, err, sizeof err)) {
		find(r, EAS_UNKNOWN, F_GENERAL, -1, "%s", err);
		return;
	}
	for (size_t i = 0; i < c->nfiles; i++)
		check_file(r, c->files[i], password);
	for (size_t i = 0; i < c->ndirs; i++)
		check_dir(r, c->dirs[i], password);
	eas_secret_free(password);
}

/* 'days_<label>'=N;warn;crit, the thresholds in days for this element
 * (a percentage means different days for each lifetime). */
static void perf_element(const struct run *r, const struct element *e,
			 struct eas_output *out)
{
	struct eas_thresholds th = { .has_warn = true, .has_crit = true };
	char label[64];

	eas_expiry_th_text(&r->rules.warn, e->ci.lifetime_days, th.warn.text,
			   sizeof th.warn.text);
	eas_expiry_th_text(&r->rules.crit, e->ci.lifetime_days, th.crit.text,
			   sizeof th.crit.text);
	snprintf(label, sizeof label, "days_%s", e->label);
	eas_out_perf(out, label, (double)eas_expiry_days(e->ci.days_left), "",
		     &th, NAN, NAN);
}

/* Judge every element; its findings carry its index so that the summary
 * can tell whether the first to expire is already named. */
static void judge(struct run *r, struct eas_output *out)
{
	for (size_t i = 0; i < r->nel; i++) {
		struct element *e = &r->el[i];

		eas_expiry_judge(&r->rules, &e->ci, e->role, e->name, &e->v);
		if (e->v.expiry_state != EAS_OK)
			find(r, e->v.expiry_state, F_EXPIRY, (long)i, "%s", e->v.expiry);
		if (e->v.weak_state != EAS_OK)
			find(r, e->v.weak_state, F_WEAK, (long)i, "%s", e->v.weak);
		perf_element(r, e, out);
		eas_out_detail(out, "%s [%s%s%s]: %s, issuer %s, serial %s, "
			       "valid %s to %s, %s %d, %s: %s", e->name, e->source,
			       e->file ? " " : "", e->file ? e->file : "",
			       e->ci.subject, e->ci.issuer, e->ci.serial,
			       e->ci.not_before, e->ci.not_after, e->ci.key_type,
			       e->ci.key_bits, e->ci.sig_alg, eas_state_name(e->v.state));
	}
}

static int rank(enum eas_state s)
{
	static const int r[] = { [EAS_CRITICAL] = 0, [EAS_UNKNOWN] = 1,
				 [EAS_WARNING] = 2, [EAS_OK] = 3 };
	return r[s];
}

/* Worst state first; within it, server problems, then expiry (soonest
 * first), then weak crypto. */
static int by_severity(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;

	if (rank(x->state) != rank(y->state))
		return rank(x->state) - rank(y->state);
	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	if (x->kind == F_EXPIRY && x->days != y->days)
		return x->days < y->days ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Problems first (at most MAX_SHOWN), then the element that expires
 * first, then notes, then how many certificates were checked. */
static void summarise(struct run *r, struct eas_output *out)
{
	long first = -1;
	size_t shown = 0, more = 0;
	bool first_named = false;

	for (size_t i = 0; i < r->nel; i++)
		if (first < 0 || r->el[i].ci.days_left < r->el[first].ci.days_left)
			first = (long)i;
	if (r->nfi)
		qsort(r->fi, r->nfi, sizeof *r->fi, by_severity);
	for (size_t i = 0; i < r->nfi && r->fi[i].state != EAS_OK; i++) {
		const struct finding *f = &r->fi[i];

		eas_out_raise(out, f->state);
		if (shown == MAX_SHOWN) {
			more++;
			continue;
		}
		eas_out_append(out, "%s", f->text);
		shown++;
		first_named |= f->kind == F_EXPIRY && f->elem == first;
	}
	if (more)
		eas_out_append(out, "%zu more problem%s (see -v)", more,
			       more == 1 ? "" : "s");
	if (first >= 0 && !first_named)
		eas_out_append(out, "%s", r->el[first].v.expiry);
	for (size_t i = 0; i < r->nfi; i++)
		if (r->fi[i].state == EAS_OK)
			eas_out_append(out, "%s", r->fi[i].text);
	for (size_t i = 0; i < r->nfi; i++)
		eas_out_detail(out, "%s: %s", eas_state_name(r->fi[i].state),
			       r->fi[i].text);
	if (r->nel)
		eas_out_append(out, "%zu certificate%s checked", r->nel,
			       r->nel == 1 ? "" : "s");
}

static void add_str(struct json_object *o, const char *key, const char *v)
{
	if (v)
		json_object_object_add(o, key, json_object_new_string(v));
}

/* Days with two decimals, printed as such (not 364.99000000000001). */
static struct json_object *days_json(double days)
{
	char text[32];

	snprintf(text, sizeof text, "%.2f", floor(days * 100) / 100);
	return json_object_new_double_s(strtod(text, NULL), text);
}

static void to_json(const struct run *r, struct json_object *root)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; i < r->nel; i++) {
		const struct element *e = &r->el[i];
		struct json_object *c = json_object_new_object();
		char key[48];

		snprintf(key, sizeof key, "%s %d", e->ci.key_type, e->ci.key_bits);
		add_str(c, "label", e->label);
		add_str(c, "source", e->source);
		add_str(c, "file", e->file);
		add_str(c, "role", eas_cert_role_name(e->role));
		add_str(c, "subject", e->ci.subject);
		add_str(c, "issuer", e->ci.issuer);
		add_str(c, "serial", e->ci.serial);
		add_str(c, "not_before", e->ci.not_before);
		add_str(c, "not_after", e->ci.not_after);
		json_object_object_add(c, "days_left", days_json(e->ci.days_left));
		json_object_object_add(c, "lifetime_days", days_json(e->ci.lifetime_days));
		add_str(c, "key", key);
		add_str(c, "signature", e->ci.sig_alg);
		add_str(c, "state", eas_state_name(e->v.state));
		add_str(c, "expiry", e->v.expiry);
		if (e->v.weak[0])
			add_str(c, "weakness", e->v.weak);
		json_object_array_add(arr, c);
	}
	json_object_object_add(root, "certificates", arr);
	if (r->probed) {
		add_str(root, "host", r->o->sni ? r->o->sni : r->o->hostname);
		json_object_object_add(root, "port", json_object_new_int((int)r->o->port));
		add_str(root, "verify", r->verify_text);
		add_str(root, "host_match", r->host_text);
		json_object_object_add(root, "probe", eas_report_json(&r->res));
	}
}

static void run_free(struct run *r)
{
	for (size_t i = 0; i < r->nel; i++) {
		X509_free(r->el[i].x);
		free(r->el[i].file);
	}
	free(r->el);
	free(r->fi);
	eas_response_free(&r->res);
	if (r->probed)
		eas_probe_global_cleanup();
}

static int check(const struct plugin_ctx *ctx, const struct eas_opts *o,
		 struct eas_output *out)
{
	struct run r = { .ctx = ctx, .o = o, .now = time(NULL),
			 .verify_text = "not checked" };
	char err[320];

	if (eas_expiry_th_parse(o->warn, &r.rules.warn, err, sizeof err))
		return eas_out_exit(out, EAS_UNKNOWN, "--warning: %s", err);
	if (eas_expiry_th_parse(o->crit, &r.rules.crit, err, sizeof err))
		return eas_out_exit(out, EAS_UNKNOWN, "--critical: %s", err);
	if (!o->hostname && !ctx->nfiles && !ctx->ndirs)
		return eas_out_exit(out, EAS_UNKNOWN, "nothing to check: give "
				    "-H HOST, --cert FILE or --cert-dir DIR");
	if (o->hostname)
		check_server(&r);
	check_clients(&r);
	judge(&r, out);
	summarise(&r, out);
	if (r.probed) {
		eas_out_perf(out, "time", r.res.t.total, "s", NULL, 0, NAN);
		eas_report_details(out, "", &r.res);
	}
	if (eas_out_json(out))
		to_json(&r, eas_out_json(out));
	run_free(&r);
	return eas_out_finish(out, stdout);
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
	struct eas_output out;
	struct eas_opts o;
	int rc;

	eas_out_init(&out, plugin.name, plugin.aspect);
	rc = eas_opts_parse(&plugin, argc, argv, &o, &out);
	if (rc < 0)
		rc = check(&ctx, &o, &out);
	eas_opts_free(&o);
	return rc;
}
