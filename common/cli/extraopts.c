/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "cli/extraopts.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/safefile.h"

/* Where the Monitoring Plugins look when no file is named. */
static const char *const default_files[] = {
	"/etc/nagios/plugins.ini",
	"/usr/local/nagios/etc/plugins.ini",
	"/usr/local/etc/nagios/plugins.ini",
	"/etc/opt/nagios/plugins.ini",
	"/etc/nagios-plugins.ini",
	"/usr/local/etc/nagios-plugins.ini",
	"/etc/opt/nagios-plugins.ini",
	"/etc/monitoring-plugins/plugins.ini",
	NULL,
};

#define LINE_MAX_LEN 4096 /* a longer line is an error, never split */
#define FILE_MAX_LEN (1024 * 1024)

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = 0;
	return s;
}

/* Option names: letters, digits, '-' and '_', not starting with '-'. */
static bool good_key(const char *k)
{
	if (!*k || *k == '-')
		return false;
	for (; *k; k++)
		if (!isalnum((unsigned char)*k) && *k != '-' && *k != '_')
			return false;
	return true;
}

static int find_file(char *path, size_t size)
{
	const char *env = getenv("NAGIOS_CONFIG_PATH");

	if (env && *env) {
		static const char *const names[] = {
			"plugins.ini",
			"nagios-plugins.ini",
			"monitoring-plugins.ini",
			NULL,
		};
		char *dirs = strdup(env), *save = NULL;

		if (!dirs)
			return -1;
		for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
			for (int i = 0; names[i]; i++) {
				snprintf(path, size, "%s/%s", d, names[i]);
				if (access(path, R_OK) == 0) {
					free(dirs);
					return 0;
				}
			}
		}
		free(dirs);
	}
	for (int i = 0; default_files[i]; i++) {
		if (access(default_files[i], R_OK) == 0) {
			snprintf(path, size, "%s", default_files[i]);
			return 0;
		}
	}
	return -1;
}

static int push(char ***args, size_t *nargs, const char *key, const char *val)
{
	size_t len = strlen(key) + (val ? strlen(val) + 1 : 0) + 3;
	char *s = malloc(len), **n;

	if (!s)
		return -1;
	if (val)
		snprintf(s, len, "--%s=%s", key, val);
	else
		snprintf(s, len, "--%s", key);
	n = realloc(*args, (*nargs + 1) * sizeof *n);
	if (!n) {
		free(s);
		return -1;
	}
	n[(*nargs)++] = s;
	*args = n;
	return 0;
}

/* One line of the file (NUL-terminated, without its '\n'): *key and *val
 * (NULL for a bare flag); *header with the section name in *key; *key NULL
 * for a comment or blank line. Returns 0, or -1 with a reason that names at
 * most the key, never the value. */
static int parse_line(char *line, char **key, char **val, bool *header, char *why, size_t whylen)
{
	char *s = trim(line), *eq;

	*key = *val = NULL;
	*header = false;
	if (!*s || *s == '#' || *s == ';')
		return 0;
	if (*s == '[') {
		char *close = strchr(s, ']'), *rest;

		if (!close) {
			snprintf(why, whylen, "unterminated section header");
			return -1;
		}
		*close = 0;
		rest = trim(close + 1);
		if (*rest && *rest != '#' && *rest != ';') {
			snprintf(why, whylen, "text after the section header");
			return -1;
		}
		*header = true;
		*key = trim(s + 1);
		return 0;
	}
	eq = strchr(s, '=');
	if (eq) {
		size_t vl;

		*eq = 0;
		*val = trim(eq + 1);
		vl = strlen(*val);
		if (vl >= 2 && (((*val)[0] == '"' && (*val)[vl - 1] == '"') ||
				((*val)[0] == '\'' && (*val)[vl - 1] == '\''))) {
			(*val)[vl - 1] = 0;
			(*val)++;
		}
	}
	*key = trim(s);
	if (!good_key(*key)) {
		/* "password: x" or "password x": name only the word before
		 * the first blank or colon, the rest may be the secret. */
		int n = (int)strcspn(*key, " \t:");

		snprintf(why, whylen,
			 "key '%.*s': expected key=value, a bare flag, a [section] or a comment",
			 n > 64 ? 64 : n, *key);
		return -1;
	}
	return 0;
}

int eas_extraopts_load(const char *spec, const char *plugin, char ***args, size_t *nargs,
		       char *origin, size_t originlen, char *err, size_t errlen)
{
	char section[256], path[4096], why[512];
	const char *at = spec ? strchr(spec, '@') : NULL;
	bool in_section = false, found = false;
	size_t seclen = at ? (size_t)(at - spec) : (spec ? strlen(spec) : 0);
	char *data, *line, *next;
	size_t size;
	int lineno = 0, rc = 0;

	if (seclen >= sizeof section) {
		snprintf(err, errlen, "--extra-opts section name too long");
		return -1;
	}
	if (seclen)
		memcpy(section, spec, seclen);
	else
		seclen = (size_t)snprintf(section, sizeof section, "%s", plugin);
	section[seclen] = 0;

	if (at && at[1]) {
		if (strlen(at + 1) >= sizeof path) {
			snprintf(err, errlen, "--extra-opts: file name too long");
			return -1;
		}
		snprintf(path, sizeof path, "%s", at + 1);
	} else if (find_file(path, sizeof path)) {
		snprintf(err, errlen,
			 "--extra-opts: no plugins.ini found (name one with --extra-opts=%s@FILE)",
			 section);
		return -1;
	}
	if (originlen)
		snprintf(origin, originlen, "%s [%s]", path, section);
	if (eas_safefile_read(path, NULL, FILE_MAX_LEN, &data, &size, NULL, why, sizeof why)) {
		snprintf(err, errlen, "--extra-opts: %s", why);
		return -1;
	}
	for (line = data; rc == 0 && line < data + size; line = next) {
		char *nl = memchr(line, '\n', (size_t)(data + size - line));
		char *end = nl ? nl : data + size, *key, *val;
		size_t len = (size_t)(end - line);
		bool header;

		next = nl ? nl + 1 : end;
		*end = 0; /* the NUL safefile puts after the data, or the '\n' */
		lineno++;
		why[0] = 0;
		if (len > LINE_MAX_LEN)
			snprintf(why, sizeof why, "longer than %d bytes", LINE_MAX_LEN);
		else if (strlen(line) != len)
			snprintf(why, sizeof why, "contains a NUL byte");
		else
			for (const char *c = line; *c && !why[0]; c++)
				if (iscntrl((unsigned char)*c) && *c != '\t' &&
				    (*c != '\r' || c[1]))
					snprintf(why, sizeof why, "contains a control character");
		if (why[0] || parse_line(line, &key, &val, &header, why, sizeof why)) {
			snprintf(err, errlen, "--extra-opts: %s, in %s line %d", why, path, lineno);
			rc = -1;
			break;
		}
		if (header) {
			in_section = !strcmp(key, section);
			found |= in_section;
			continue;
		}
		if (!key || !in_section)
			continue;
		if (push(args, nargs, key, val)) {
			snprintf(err, errlen, "out of memory");
			rc = -1;
		}
	}
	/* The file may hold passwords. */
	eas_safefile_free(data, size);
	if (rc == 0 && !found) {
		snprintf(err, errlen, "--extra-opts: no section [%s] in %s", section, path);
		rc = -1;
	}
	return rc;
}
