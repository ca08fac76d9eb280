/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The certificates an expiry check reports on: the server's chain and
 * client certificate files, each judged against the expiry rules, with the
 * findings that make up the plugin's summary, perfdata and JSON. */
#include "certexpiry/certset.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <json-c/json.h>
#include <openssl/x509v3.h>

#include "tls/tls.h"
#include "util/secret.h"
#include "util/text.h"

#define MAX_SHOWN 4   /* problems named in the summary line */
#define SHORT_NAME 68 /* a certificate's name in the summary, at most */
/* Above this many certificates (a directory of phones), one metric each
 * is noise for graphers and bloats the output past what monitoring cores
 * keep: days_min, and how many certificates and problems, stand for all. */
#define MAX_PERF_ELEMENTS 64

void eas_certset_init(struct eas_certset *set, const struct eas_expiry_rules *rules, time_t now)
{
	memset(set, 0, sizeof *set);
	set->rules = *rules;
	set->now = now;
}

void eas_certset_note(struct eas_certset *set, enum eas_state s, enum eas_finding_kind kind,
		      long elem, const char *fmt, ...)
{
	struct eas_finding *f;
	va_list ap;

	if (set->nfi == set->ficap) {
		size_t cap = set->ficap ? set->ficap * 2 : 16;
		struct eas_finding *n = realloc(set->fi, cap * sizeof *n);

		if (!n)
			return;
		set->fi = n;
		set->ficap = cap;
	}
	f = &set->fi[set->nfi];
	f->state = s;
	f->kind = kind;
	f->elem = elem;
	f->days = elem >= 0 ? set->el[elem].ci.days_left : 0;
	set->nfi++;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof f->text, fmt, ap);
	va_end(ap);
}

static bool label_taken(const struct eas_certset *set, const struct eas_certelem *self)
{
	for (size_t i = 0; i < set->nel; i++)
		if (&set->el[i] != self && !strcmp(set->el[i].label, self->label))
			return true;
	return false;
}

/* Labels must stay unique: two intermediates may share a CN. */
static void set_label(struct eas_certset *set, struct eas_certelem *e, const char *base)
{
	char buf[sizeof e->label - 4];

	eas_expiry_label(base, buf, sizeof buf);
	snprintf(e->label, sizeof e->label, "%s", buf);
	for (int i = 2; label_taken(set, e) && i < 1000; i++)
		snprintf(e->label, sizeof e->label, "%s_%d", buf, i);
}

/* Add x (a new reference is taken) unless it is already there. Returns the
 * element, or NULL when it was a duplicate or did not fit. */
static struct eas_certelem *add_cert(struct eas_certset *set, X509 *x, enum eas_expiry_role role,
				     const char *source)
{
	struct eas_certelem *e;

	if (strcmp(source, "client"))
		for (size_t i = 0; i < set->nel; i++)
			if (set->el[i].file == NULL && !X509_cmp(set->el[i].x, x))
				return NULL;
	if (set->nel == set->elcap) {
		size_t cap = set->elcap ? set->elcap * 2 : 8;
		struct eas_certelem *n = realloc(set->el, cap * sizeof *n);

		if (!n)
			return NULL;
		set->el = n;
		set->elcap = cap;
	}
	e = memset(&set->el[set->nel], 0, sizeof *e);
	if (eas_certinfo_get(x, set->now, &e->ci)) {
		eas_certset_note(set, EAS_UNKNOWN, EAS_FIND_GENERAL, -1,
				 "cannot read the validity dates of a %s certificate", source);
		return NULL;
	}
	X509_up_ref(x);
	e->x = x;
	e->role = role;
	e->source = source;
	set->nel++;
	return e;
}

static const char *cn_or_subject(const struct eas_certinfo *ci)
{
	return ci->cn[0] ? ci->cn : ci->subject[0] ? ci->subject : "(no subject)";
}

/* The name a summary gives a certificate, shortened: a hostile or odd
 * 4000-byte CN would push the expiry out of the line (-v has it whole). */
static const char *short_name(const struct eas_certinfo *ci, char *buf, size_t size)
{
	return eas_text_short(cn_or_subject(ci), buf, size);
}

static bool in_stack(STACK_OF(X509) * sk, X509 *x)
{
	for (int i = 0; sk && i < sk_X509_num(sk); i++)
		if (!X509_cmp(sk_X509_value(sk, i), x))
			return true;
	return false;
}

/* The chain as built (leaf to root), then whatever else the server sent.
 * Chain order first keeps element i at verification depth i. */
void eas_certset_add_server(struct eas_certset *set, STACK_OF(X509) * chain,
			    STACK_OF(X509) * sent_list)
{
	STACK_OF(X509) * lists[2] = { chain, sent_list };
	X509 *leaf_x = NULL;

	for (int l = 0; l < 2 && !leaf_x; l++)
		if (lists[l] && sk_X509_num(lists[l]))
			leaf_x = sk_X509_value(lists[l], 0);
	int intermediates = 0, extras = 0;

	for (int l = 0; l < 2; l++) {
		for (int i = 0; lists[l] && i < sk_X509_num(lists[l]); i++) {
			X509 *x = sk_X509_value(lists[l], i);
			char shortname[SHORT_NAME];
			bool leaf = !X509_cmp(x, leaf_x);
			bool sent = in_stack(sent_list, x);
			struct eas_certelem *e;
			enum eas_expiry_role role;
			char label[32];

			role = leaf                                        ? EAS_ROLE_LEAF
			       : (X509_get_extension_flags(x) & EXFLAG_SS) ? EAS_ROLE_ROOT
									   : EAS_ROLE_INTERMEDIATE;
			e = add_cert(set, x, role, sent ? "server" : "chain");
			if (!e)
				continue;
			snprintf(e->name, sizeof e->name, "%s %s", eas_expiry_role_name(role),
				 short_name(&e->ci, shortname, sizeof shortname));
			/* Labels by role and position, not by the CA's name:
			 * graphs keep their history when a CA rotates its
			 * intermediates. What the server sends beyond the
			 * chain is "extra". */
			if (leaf)
				snprintf(label, sizeof label, "leaf");
			else if (l == 1)
				snprintf(label, sizeof label, "extra_%d", ++extras);
			else if (role == EAS_ROLE_ROOT)
				snprintf(label, sizeof label, "root");
			else
				snprintf(label, sizeof label, "intermediate_%d", ++intermediates);
			set_label(set, e, label);
		}
	}
}

void eas_certset_add_file(struct eas_certset *set, const char *path, const char *password)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct eas_certfile cf;
	char err[512];

	if (eas_certfile_load_certs(path, password, &cf, err, sizeof err)) {
		eas_certset_note(set, EAS_UNKNOWN, EAS_FIND_GENERAL, -1, "%s", err);
		return;
	}
	if (!sk_X509_num(cf.certs))
		eas_certset_note(set, EAS_UNKNOWN, EAS_FIND_GENERAL, -1, "%s holds no certificate",
				 path);
	for (int i = 0; i < sk_X509_num(cf.certs); i++) {
		struct eas_certelem *e =
			add_cert(set, sk_X509_value(cf.certs, i), EAS_ROLE_CLIENT, "client");
		char label[256], shortname[SHORT_NAME];

		if (!e)
			continue;
		e->file = strdup(path);
		snprintf(e->name, sizeof e->name, "certificate %s in %s",
			 short_name(&e->ci, shortname, sizeof shortname), base);
		/* The first certificate (the one with the key in a PKCS#12)
		 * is the file; the others are named by their CN. */
		snprintf(label, sizeof label, "%.120s%s%.120s", base, i ? "_" : "",
			 i ? cn_or_subject(&e->ci) : "");
		set_label(set, e, label);
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

void eas_certset_add_dir(struct eas_certset *set, const char *dir, const char *password)
{
	struct dirent **names;
	int n = scandir(dir, &names, cert_file_name, alphasort);
	size_t found = 0;

	if (n < 0) {
		eas_certset_note(set, EAS_UNKNOWN, EAS_FIND_GENERAL, -1,
				 "cannot read directory %s: %s", dir, strerror(errno));
		return;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			eas_certset_add_file(set, path, password);
			found++;
		}
		free(names[i]);
	}
	free(names);
	if (!found)
		eas_certset_note(set, EAS_UNKNOWN, EAS_FIND_GENERAL, -1,
				 "no certificate files (*.pem *.crt *.cer *.der *.p12 *.pfx) in %s",
				 dir);
}

/* 'LABEL'=N;warn;crit for element e, the thresholds in days for its
 * lifetime (a percentage means different days for each), as graphers
 * take them (see eas_expiry_th_perf). */
static void perf_days(const struct eas_certset *set, const struct eas_certelem *e,
		      const char *label, struct eas_output *out)
{
	struct eas_thresholds th = { .has_warn = true, .has_crit = true };

	eas_expiry_th_perf(&set->rules.warn, e->ci.lifetime_days, th.warn.text,
			   sizeof th.warn.text);
	eas_expiry_th_perf(&set->rules.crit, e->ci.lifetime_days, th.crit.text,
			   sizeof th.crit.text);
	eas_out_perf(out, label, (double)eas_expiry_days(e->ci.days_left), "", &th, NAN, NAN);
}

static void perf_element(const struct eas_certset *set, const struct eas_certelem *e,
			 struct eas_output *out)
{
	char label[64];

	snprintf(label, sizeof label, "days_%s", e->label);
	perf_days(set, e, label, out);
}

/* Judge every element; its findings carry its index so that the summary
 * can tell whether the first to expire is already named. */
static void judge(struct eas_certset *set, struct eas_output *out)
{
	size_t min = 0;

	for (size_t i = 1; i < set->nel; i++)
		if (set->el[i].ci.days_left < set->el[min].ci.days_left)
			min = i;
	/* One metric for "the next expiry", whatever expires, with the
	 * thresholds of the certificate that expires first. */
	if (set->nel > 1)
		perf_days(set, &set->el[min], "days_min", out);
	if (set->nel > MAX_PERF_ELEMENTS) {
		eas_out_perf(out, "certificates", (double)set->nel, "", NULL, 0, NAN);
		eas_out_detail(
			out,
			"%zu certificates: no perfdata per certificate above %d, days_min stands for them all",
			set->nel, MAX_PERF_ELEMENTS);
	}
	for (size_t i = 0; i < set->nel; i++) {
		struct eas_certelem *e = &set->el[i];

		eas_expiry_judge(&set->rules, &e->ci, e->role, e->name, &e->v);
		if (e->v.expiry_state != EAS_OK)
			eas_certset_note(set, e->v.expiry_state, EAS_FIND_EXPIRY, (long)i, "%s",
					 e->v.expiry);
		if (e->v.weak_state != EAS_OK)
			eas_certset_note(set, e->v.weak_state, EAS_FIND_WEAK, (long)i, "%s",
					 e->v.weak);
		if (set->nel <= MAX_PERF_ELEMENTS)
			perf_element(set, e, out);
		eas_out_detail(
			out, "%s [%s%s%s]: %s, issuer %s, serial %s, valid %s to %s, %s %d, %s: %s",
			e->name, e->source, e->file ? " " : "", e->file ? e->file : "",
			e->ci.subject, e->ci.issuer, e->ci.serial, e->ci.not_before,
			e->ci.not_after, e->ci.key_type, e->ci.key_bits, e->ci.sig_alg,
			eas_state_name(e->v.state));
	}
}

/* The findings as the check's sub-checks: worst first; within a state,
 * server problems, then expiry (soonest first), then weak crypto. Then
 * the element that expires first, unless a problem already names it,
 * then notes, then how many certificates were checked. */
static void summarise(struct eas_certset *set, struct eas_output *out)
{
	size_t first_id = (size_t)-1;
	long first = -1;

	for (size_t i = 0; i < set->nel; i++)
		if (first < 0 || set->el[i].ci.days_left < set->el[first].ci.days_left)
			first = (long)i;
	for (size_t i = 0; i < set->nfi; i++) {
		const struct eas_finding *f = &set->fi[i];
		double order = f->kind * 1e9 + (f->kind == EAS_FIND_EXPIRY ? f->days : 0);
		size_t id = eas_out_sub(out, f->elem >= 0 ? set->el[f->elem].label : "certificates",
					f->state, order, "%s", f->text);

		if (f->kind == EAS_FIND_EXPIRY && f->elem == first)
			first_id = id;
	}
	eas_out_sub_summary(out, MAX_SHOWN);
	if (first >= 0 && !eas_out_sub_shown(out, first_id))
		eas_out_append(out, "%s", set->el[first].v.expiry);
	eas_out_sub_notes(out);
	eas_out_sub_details(out);
	if (set->nel)
		eas_out_append(out, "%zu certificate%s checked", set->nel,
			       set->nel == 1 ? "" : "s");
}

static void add_str(struct json_object *o, const char *key, const char *v)
{
	if (v)
		json_object_object_add(o, key, json_object_new_string(v));
}

struct json_object *eas_certset_json(const struct eas_certset *set)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; i < set->nel; i++) {
		const struct eas_certelem *e = &set->el[i];
		struct json_object *c = json_object_new_object();
		char key[48];

		snprintf(key, sizeof key, "%s %d", e->ci.key_type, e->ci.key_bits);
		add_str(c, "label", e->label);
		add_str(c, "source", e->source);
		add_str(c, "file", e->file);
		add_str(c, "role", eas_expiry_role_name(e->role));
		add_str(c, "subject", e->ci.subject);
		add_str(c, "issuer", e->ci.issuer);
		add_str(c, "serial", e->ci.serial);
		add_str(c, "not_before", e->ci.not_before);
		add_str(c, "not_after", e->ci.not_after);
		json_object_object_add(c, "days_left",
				       eas_json_double(floor(e->ci.days_left * 100) / 100));
		json_object_object_add(c, "lifetime_days",
				       eas_json_double(floor(e->ci.lifetime_days * 100) / 100));
		add_str(c, "key", key);
		add_str(c, "signature", e->ci.sig_alg);
		add_str(c, "state", eas_state_name(e->v.state));
		add_str(c, "expiry", e->v.expiry);
		if (e->v.weak[0])
			add_str(c, "weakness", e->v.weak);
		json_object_array_add(arr, c);
	}
	return arr;
}

void eas_certset_report(struct eas_certset *set, struct eas_output *out)
{
	judge(set, out);
	summarise(set, out);
}

void eas_certset_free(struct eas_certset *set)
{
	for (size_t i = 0; i < set->nel; i++) {
		X509_free(set->el[i].x);
		free(set->el[i].file);
	}
	free(set->el);
	free(set->fi);
	set->el = NULL;
	set->fi = NULL;
	set->nel = set->nfi = set->elcap = set->ficap = 0;
}

void eas_certset_add_clients(struct eas_certset *set, const char *const *files, size_t nfiles,
			     const char *const *dirs, size_t ndirs, const char *password_file)
{
	char *password = NULL, err[320];

	if (!nfiles && !ndirs)
		return;
	if (password_file &&
	    eas_secret_read_file(password_file, &password, NULL, 0, err, sizeof err)) {
		eas_certset_note(set, EAS_UNKNOWN, EAS_FIND_GENERAL, -1, "%s", err);
		return;
	}
	for (size_t i = 0; i < nfiles; i++)
		eas_certset_add_file(set, files[i], password);
	for (size_t i = 0; i < ndirs; i++)
		eas_certset_add_dir(set, dirs[i], password);
	eas_secret_free(password);
}
