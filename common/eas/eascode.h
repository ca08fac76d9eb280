/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What an ActiveSync Status value in a WBXML response body means: one
 * action the check takes and one sentence for the operator. The
 * knowledge is the tables in eascode.c (MS-ASCMD 2.2.2 and 2.2.3.177,
 * MS-ASPROV 2.2.2.54): a new code is one row. Pure: no I/O, libc only. */
#ifndef EAS_EASCODE_H
#define EAS_EASCODE_H

#include <stdbool.h>
#include <stddef.h>

/* The answers whose Status is read. The low codes (1-16) mean different
 * things per command; 101 and up are common to all commands. */
enum eas_cmd {
	EAS_CMD_PROVISION, /* Provision/Status */
	EAS_CMD_POLICY,    /* Provision/Policies/Policy/Status */
	EAS_CMD_FOLDERSYNC,
	EAS_CMD_SETTINGS, /* Settings/Status and the per-element ones */
	EAS_CMD_SYNC,     /* Sync, Collection and item Status */
	EAS_CMD_GETITEMESTIMATE,
	EAS_CMD_PING, /* Ping/Status */
	EAS_CMD_COUNT
};

/* "Provision", "Policy", "FolderSync", ... */
const char *eas_code_cmd_name(enum eas_cmd c);

/* What the check must do about a status; the plugin maps it to a state. */
enum eas_code_action {
	EAS_CA_OK,          /* success */
	EAS_CA_PROVISION,   /* provision again, then retry once */
	EAS_CA_RESYNC,      /* sync state stale: start again with SyncKey 0 */
	EAS_CA_RETRY_LATER, /* transient server trouble */
	EAS_CA_WIPE,        /* remote wipe requested: never acknowledge, stop */
	EAS_CA_BLOCKED,     /* device or user refused by policy or admin */
	EAS_CA_MAILBOX,     /* the mailbox or its database is broken */
	EAS_CA_CLIENT,      /* our request was wrong: check-eas or protocol
				version problem */
	EAS_CA_FAIL,        /* anything else that means the step failed */
	EAS_CA_COUNT
};

/* "ok", "provision", "resync", ...: for JSON and the README. */
const char *eas_code_action_name(enum eas_code_action a);

struct eas_code_meaning {
	int code;
	const char *name; /* the specification's symbolic name, or a
				CamelCase name from its meaning */
	enum eas_code_action action;
	const char *text; /* what broke and what to do; may contain
				{device_type}, {device_id} and
				{Exchange's words|any server's} */
	unsigned flags;   /* EAS_CF_* */
};

/* A row flag: another client with the same device ID, working at the
 * same time (a second satellite, a run outside the lock), can cause this
 * status by replacing the policy key or resetting the sync state: a run
 * starts the step over once before it believes it. */
#define EAS_CF_SIBLING 1u

/* A row flag: success with nothing to acknowledge (the server has no
 * policy for this device): Provision ends after its first phase. */
#define EAS_CF_NO_POLICY 2u

/* The meaning of a status in cmd's answer: the command's own row first,
 * then (for 101 and up) the common one, else an "unknown status N" row
 * with action EAS_CA_FAIL (valid until the next call in this thread).
 * Never NULL. */
const struct eas_code_meaning *eas_code_lookup(enum eas_cmd cmd, int code);

/* "FolderSync status 129 (DeviceIsBlockedForThisUser): the device ...",
 * placeholders filled (NULL shows as "(unknown)"), into buf; exchange:
 * the server is Microsoft's (httpclass's eas_from_microsoft), so its own
 * steps (event log, Set-CASMailbox) apply; else words for any server. */
void eas_code_explain(enum eas_cmd cmd, int code, const char *device_type, const char *device_id,
		      bool exchange, char *buf, size_t size);

/* The command's own rows, sorted by code; the count. */
size_t eas_code_table(enum eas_cmd cmd, const struct eas_code_meaning **rows);

/* The common rows (101 and up), sorted by code; the count. */
size_t eas_code_common_table(const struct eas_code_meaning **rows);

#endif
