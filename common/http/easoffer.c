/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "http/easoffer.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

int eas_version_parse(const char *s, size_t len)
{
	int major = 0, minor = 0, digits = 0;
	size_t i = 0;

	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	while (i < len && isspace((unsigned char)s[i]))
		i++;
	for (; i < len && isdigit((unsigned char)s[i]); i++, digits++) {
		if (digits >= 3)
			return -1;
		major = major * 10 + (s[i] - '0');
	}
	if (!digits || i >= len || s[i] != '.')
		return -1;
	for (i++, digits = 0; i < len && isdigit((unsigned char)s[i]); i++, digits++) {
		if (digits >= 2)
			return -1;
		minor = minor * 10 + (s[i] - '0');
	}
	if (!digits || i != len)
		return -1;
	return major * 100 + minor;
}

/* Call fn for each non-empty trimmed entry; stop when it returns true. */
static bool each_entry(const char *list, bool (*fn)(const char *, size_t, void *), void *arg)
{
	const char *p = list;

	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *s = p;

		while (len && isspace((unsigned char)*s)) {
			s++;
			len--;
		}
		while (len && isspace((unsigned char)s[len - 1]))
			len--;
		if (len && fn(s, len, arg))
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

static bool tally(const char *s, size_t len, void *arg)
{
	struct eas_versions *v = arg;
	int ver = eas_version_parse(s, len);

	if (ver < 0) {
		v->bad++;
	} else {
		v->count++;
		if (ver > v->highest)
			v->highest = ver;
	}
	return false;
}

void eas_versions_parse(const char *list, struct eas_versions *v)
{
	v->count = v->bad = 0;
	v->highest = -1;
	each_entry(list, tally, v);
}

static bool same_version(const char *s, size_t len, void *arg)
{
	return eas_version_parse(s, len) == *(int *)arg;
}

bool eas_versions_has(const char *list, int version)
{
	return each_entry(list, same_version, &version);
}

static bool count_one(const char *s, size_t len, void *arg)
{
	(void)s;
	(void)len;
	++*(int *)arg;
	return false;
}

int eas_list_count(const char *list)
{
	int n = 0;

	each_entry(list, count_one, &n);
	return n;
}

static bool same_name(const char *s, size_t len, void *arg)
{
	const char *name = arg;

	return strlen(name) == len && !strncasecmp(s, name, len);
}

bool eas_list_has(const char *list, const char *name)
{
	return each_entry(list, same_name, (void *)name);
}
