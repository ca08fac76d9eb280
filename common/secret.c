/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "secret.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#define SECRET_MAX 1024

int eas_secret_read_file(const char *path, char **out, char *err, size_t errlen)
{
	char buf[SECRET_MAX + 2];
	FILE *f = fopen(path, "r");
	size_t len;

	*out = NULL;
	if (!f) {
		snprintf(err, errlen, "cannot read password file %s: %s", path,
			 strerror(errno));
		return -1;
	}
	if (!fgets(buf, sizeof buf, f))
		buf[0] = 0;
	fclose(f);
	len = strcspn(buf, "\r\n");
	if (len > SECRET_MAX) {
		OPENSSL_cleanse(buf, sizeof buf);
		snprintf(err, errlen, "password file %s: first line longer than "
			 "%d bytes", path, SECRET_MAX);
		return -1;
	}
	buf[len] = 0;
	*out = strdup(buf);
	OPENSSL_cleanse(buf, sizeof buf);
	if (!*out) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

int eas_secret_password(const struct eas_password_src *src, char **out,
			char *err, size_t errlen)
{
	const char *env = src->env ? src->env : "EAS_PASSWORD";
	const char *v;

	*out = NULL;
	if (src->file)
		return eas_secret_read_file(src->file, out, err, errlen);
	v = src->value ? src->value : getenv(env);
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
	return 0;
}

void eas_secret_free(char *s)
{
	if (s) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}
