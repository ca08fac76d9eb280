/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What Exchange says about itself in an OPTIONS answer: the protocol
 * versions (MS-ASProtocolVersions) and commands (MS-ASProtocolCommands). */
#ifndef EAS_EASOFFER_H
#define EAS_EASOFFER_H

#include <stdbool.h>
#include <stddef.h>

#include "util/state.h"

struct eas_output;
struct eas_response;
struct eas_http_diag;

/* A protocol version as major*100+minor (16.1 -> 1601); -1 if malformed. */
int eas_version_parse(const char *text, size_t len);

struct eas_versions {
	int count;   /* well-formed entries */
	int bad;     /* malformed entries ignored */
	int highest; /* -1 when none */
};

/* Parse a comma-separated version list; NULL counts as empty. */
void eas_versions_parse(const char *list, struct eas_versions *v);
/* Is version (major*100+minor) listed? */
bool eas_versions_has(const char *list, int version);
/* Number of non-empty, comma-separated entries in a list. */
int eas_list_count(const char *list);
/* Is name (case-insensitive) in the comma-separated list? */
bool eas_list_has(const char *list, const char *name);

/* An option's word: a well-formed protocol version ("14.1"); a command
 * name (non-empty, no comma). */
bool eas_version_valid(const char *s);
bool eas_command_valid(const char *s);

#define EAS_OFFER_MAX_REQUIRED 16

/* What check_eas_options asks of the offer and with what it asked. */
struct eas_offer_want {
	const char *user;                             /* basic credentials sent as, NULL: none */
	bool cert;                                    /* a client certificate sent */
	bool bearer;                                  /* a bearer token sent (instead of basic) */
	const char *versions[EAS_OFFER_MAX_REQUIRED]; /* --require-version */
	size_t nversions;
	const char *commands[EAS_OFFER_MAX_REQUIRED]; /* --require-command */
	size_t ncommands;
	enum eas_state on_auth; /* --on-auth-required */
	const char *schemes;    /* --expect-schemes: "Bearer,!Basic", NULL none */
	bool empty_bearer;      /* sent "Authorization: Bearer" without a token */
};

/* A 200 with the EAS headers: what the server offers, into out, CRITICAL
 * for each requirement it does not meet. */
void eas_offer_judge(const struct eas_offer_want *w, const struct eas_response *res,
		     struct eas_output *out);
/* 401, 403.7 or a certificate demanded in the handshake (d from
 * eas_http_diagnose): alive and enforcing authentication, but the offer
 * stays hidden, so a requirement cannot be checked: never a silent OK.
 * An anonymous 401 names the schemes it offers ("offers Bearer, NTLM;
 * Basic off"), CRITICAL when they break --expect-schemes. */
void eas_offer_hidden(const struct eas_offer_want *w, const struct eas_response *res,
		      const struct eas_http_diag *d, struct eas_output *out);

#endif
