/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tls/truststore.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/safefile.h"

#define SYSTEM_CA_PATH "/etc/ssl/certs"

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

void eas_trust_pick(const char *ca_file, const char *ca_path, struct eas_trust *t)
{
	t->file = ca_file;
	t->path = ca_path;
	if (!ca_file && !ca_path && is_dir(SYSTEM_CA_PATH))
		t->path = SYSTEM_CA_PATH;
}

int eas_trust_load(X509_STORE *store, const char *ca_file, const char *ca_path)
{
	struct eas_trust t;

	eas_trust_pick(ca_file, ca_path, &t);
	if (!t.file && !t.path)
		return X509_STORE_set_default_paths(store) ? 0 : -1;
	if (t.file && !X509_STORE_load_file(store, t.file))
		return -1;
	if (t.path && !X509_STORE_load_path(store, t.path))
		return -1;
	return 0;
}

int eas_trust_readable(const char *ca_file, const char *ca_path, char *err, size_t errlen)
{
	/* libcurl would open a FIFO and wait on it until -t, then blame the
	 * server: the same rule as for every file we read ourselves. */
	if (ca_file && eas_safefile_check(ca_file, "--ca-file", false, err, errlen))
		return -1;
	if (ca_path && eas_safefile_check(ca_path, "--ca-path", true, err, errlen))
		return -1;
	return 0;
}
