/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "util/secret.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "util/safefile.h"

#define SECRET_MAX 1024
#define SECRET_FILE_MAX (64 * 1024)

/* A file saved by an editor in another encoding: sending its bytes would
 * send another password (a NUL would silently cut it). Returns the
 * reason, or NULL when the first line (len bytes, up to CR/LF or the end)
 * looks like UTF-8 text. */
static const char *encoding_problem(const unsigned char *d, size_t size, size_t *len)
{
	size_t n = 0;

	if (size >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF)))
		return "is UTF-16 (it starts with a byte-order mark): save it as UTF-8";
	if (size >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
		return "starts with a UTF-8 byte-order mark, which would be sent as part of the password: save it without one";
	while (n < size && d[n] != '\r' && d[n] != '\n')
		if (!d[n++])
			return "contains a NUL byte (UTF-16? save it as UTF-8)";
	*len = n;
	return NULL;
}

int eas_secret_read_named(const char *path, const char *what, size_t max, char **out, char *note,
			  size_t notelen, char *err, size_t errlen)
{
	struct eas_file_info info;
	const char *bad;
	char *data;
	size_t size, len = 0;
	int rc = -1;

	*out = NULL;
	if (eas_safefile_read(path, what, SECRET_FILE_MAX, &data, &size, &info, err, errlen))
		return -1;
	bad = encoding_problem((const unsigned char *)data, size, &len);
	/* Anyone who can write the file chooses what we send. */
	if (info.group_or_world_writable)
		snprintf(err, errlen, "%s %s is writable by other users: chmod go-w", what, path);
	else if (bad)
		snprintf(err, errlen, "%s %s %s", what, path, bad);
	else if (len == 0)
		snprintf(err, errlen, "%s %s is empty", what, path);
	else if (len > max)
		snprintf(err, errlen, "%s %s: first line longer than %zu bytes", what, path, max);
	else if (!(*out = strndup(data, len)))
		snprintf(err, errlen, "out of memory");
	else
		rc = 0;
	if (!rc && notelen && info.group_or_world_readable)
		snprintf(note, notelen,
			 "note: the secret file %s can be read by other users (chmod go-r)", path);
	eas_safefile_free(data, size);
	return rc;
}

int eas_secret_read_file(const char *path, char **out, char *note, size_t notelen, char *err,
			 size_t errlen)
{
	return eas_secret_read_named(path, "password file", SECRET_MAX, out, note, notelen, err,
				     errlen);
}

int eas_secret_password(const struct eas_password_src *src, char **out, char *err, size_t errlen)
{
	const char *env = src->env ? src->env : "EAS_PASSWORD";
	const char *v;

	*out = NULL;
	if (src->file)
		return eas_secret_read_file(src->file, out, src->note, src->note ? src->notelen : 0,
					    err, errlen);
	v = src->value ? src->value : getenv(env);
	/* An empty password would be refused every interval as "wrong
	 * credentials": say where it came from instead. */
	if (v && !*v && (src->value || src->env)) {
		snprintf(err, errlen, "the password from %s%s is empty",
			 src->value ? "" : "environment variable ",
			 src->value ? (src->value_from ? src->value_from : "--password") : env);
		return -1;
	}
	/* Icinga 2 sets env.EAS_PASSWORD to "" when no password var is set:
	 * the default variable empty is no password given. */
	if (v && !*v)
		v = NULL;
	if (!v) {
		if (src->env) {
			snprintf(err, errlen, "environment variable %s is not set", env);
			return -1;
		}
		return 0;
	}
	*out = strdup(v);
	if (!*out) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (!src->value) {
		/* Read once: gone from our environment and from
		 * /proc/PID/environ, and from the programs we might start. */
		OPENSSL_cleanse((char *)v, strlen(v));
		unsetenv(env);
	}
	return 0;
}

void eas_secret_free(char *s)
{
	if (s) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}
