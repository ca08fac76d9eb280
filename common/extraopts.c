#include "extraopts.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
			 e[-1] == '\r'))
		*--e = 0;
	return s;
}

static int find_file(char *path, size_t size)
{
	const char *env = getenv("NAGIOS_CONFIG_PATH");

	if (env && *env) {
		static const char *const names[] = {
			"plugins.ini", "nagios-plugins.ini",
			"monitoring-plugins.ini", NULL,
		};
		char *dirs = strdup(env), *save = NULL;

		if (!dirs)
			return -1;
		for (char *d = strtok_r(dirs, ":", &save); d;
		     d = strtok_r(NULL, ":", &save)) {
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

int eas_extraopts_load(const char *spec, const char *plugin, char ***args,
		       size_t *nargs, char *err, size_t errlen)
{
	char section[256], path[4096], line[4096];
	const char *at = spec ? strchr(spec, '@') : NULL;
	bool in_section = false, found = false;
	size_t seclen = at ? (size_t)(at - spec) : (spec ? strlen(spec) : 0);
	FILE *f;
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
		snprintf(path, sizeof path, "%s", at + 1);
	} else if (find_file(path, sizeof path)) {
		snprintf(err, errlen, "--extra-opts: no plugins.ini found "
			 "(name one with --extra-opts=%s@FILE)", section);
		return -1;
	}
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "--extra-opts: cannot read %s: %s", path,
			 strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		char *s = trim(line), *eq, *key, *val = NULL;

		lineno++;
		if (!*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');

			if (!close) {
				snprintf(err, errlen, "--extra-opts: %s line %d: "
					 "unterminated section header", path, lineno);
				rc = -1;
				break;
			}
			*close = 0;
			in_section = !strcmp(trim(s + 1), section);
			found |= in_section;
			continue;
		}
		if (!in_section)
			continue;
		eq = strchr(s, '=');
		if (eq) {
			*eq = 0;
			val = trim(eq + 1);
			size_t vl = strlen(val);
			if (vl >= 2 && ((val[0] == '"' && val[vl - 1] == '"') ||
					(val[0] == '\'' && val[vl - 1] == '\''))) {
				val[vl - 1] = 0;
				val++;
			}
		}
		key = trim(s);
		if (!*key || key[0] == '-') {
			snprintf(err, errlen, "--extra-opts: %s line %d: bad key",
				 path, lineno);
			rc = -1;
			break;
		}
		if (push(args, nargs, key, val)) {
			snprintf(err, errlen, "out of memory");
			rc = -1;
			break;
		}
	}
	/* The file may hold passwords: leave nothing of it on the stack. */
	memset(line, 0, sizeof line);
	fclose(f);
	if (rc == 0 && !found) {
		snprintf(err, errlen, "--extra-opts: no section [%s] in %s",
			 section, path);
		rc = -1;
	}
	return rc;
}
