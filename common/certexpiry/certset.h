/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The certificates an expiry check reports on (the server's chain, client
 * certificate files) and what it finds about them. */
#ifndef EAS_CERTSET_H
#define EAS_CERTSET_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

#include "tls/tls.h"
#include "certexpiry/expiry.h"
#include "out/output.h"
#include "util/state.h"

struct json_object;

/* One certificate we report on. */
struct eas_certelem {
	X509 *x; /* own reference */
	struct eas_certinfo ci;
	enum eas_expiry_role role;
	const char *source; /* "server", "chain" (trust store), "client" */
	char *file;         /* client file, owned */
	char name[320];     /* in texts: "leaf localhost" */
	char label[56];     /* perfdata, after "days_" */
	struct eas_verdict v;
};

/* Something the summary may mention, in this order within a state. */
enum eas_finding_kind { EAS_FIND_GENERAL, EAS_FIND_EXPIRY, EAS_FIND_WEAK };

struct eas_finding {
	enum eas_state state;
	enum eas_finding_kind kind;
	long elem;   /* element it is about, or -1 */
	double days; /* EXPIRY: the element's days left */
	char text[400];
};

struct eas_certset {
	struct eas_expiry_rules rules;
	time_t now;
	struct eas_certelem *el; /* server elements first: el[i] is at
				       verification depth i */
	size_t nel, elcap;
	struct eas_finding *fi;
	size_t nfi, ficap;
};

void eas_certset_init(struct eas_certset *set, const struct eas_expiry_rules *rules, time_t now);
/* Record a finding; elem is the element it is about, or -1. */
void eas_certset_note(struct eas_certset *set, enum eas_state s, enum eas_finding_kind kind,
		      long elem, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The server's certificates: the chain as built to the trust anchor, then
 * whatever else it sent; each certificate once. */
void eas_certset_add_server(struct eas_certset *set, STACK_OF(X509) * chain, STACK_OF(X509) * sent);
/* Every certificate in a client file (PEM, DER, PKCS#12), or in every
 * certificate file of a directory; what cannot be read is an UNKNOWN
 * finding naming the file. */
void eas_certset_add_file(struct eas_certset *set, const char *path, const char *password);
void eas_certset_add_dir(struct eas_certset *set, const char *dir, const char *password);
/* The client files and directories, with the PKCS#12 password from the
 * first line of password_file (NULL: none); an unreadable password file
 * is an UNKNOWN finding. */
void eas_certset_add_clients(struct eas_certset *set, const char *const *files, size_t nfiles,
			     const char *const *dirs, size_t ndirs, const char *password_file);
/* Judge every element (perfdata, long output), then write the summary:
 * problems first, then the element that expires first. */
void eas_certset_report(struct eas_certset *set, struct eas_output *out);
/* The JSON array of every element (caller owns it). */
struct json_object *eas_certset_json(const struct eas_certset *set);
void eas_certset_free(struct eas_certset *set);

#endif
