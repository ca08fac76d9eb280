/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What Exchange says about itself in an OPTIONS answer: the protocol
 * versions (MS-ASProtocolVersions) and commands (MS-ASProtocolCommands). */
#ifndef EAS_EASOFFER_H
#define EAS_EASOFFER_H

#include <stdbool.h>
#include <stddef.h>

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

#endif
