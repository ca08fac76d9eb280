/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --extra-opts ini files (eas_extraopts_load on an in-memory regular file).
 * Input: the section name up to the first NUL ('@' and anything but
 * printable ASCII replaced: it comes from the command line), then the file.
 * Invariants:
 *  - success: every argument is "--KEY" or "--KEY=VALUE", KEY of letters,
 *    digits, '-' and '_' not starting with '-', VALUE without control
 *    characters other than a tab; one argument per key line of the
 *    section, in order (counted by a model of the documented grammar);
 *  - failure: one line of text naming the file, and never the value of the
 *    line it rejects (the file may hold passwords). */
#include "fuzz.h"

#include <ctype.h>

#include "cli/extraopts.h"

/* The fixed words of the messages: a value that is one of them proves
 * nothing. */
static const char *const words =
	"--extra-opts: line : key '': expected key=value, a bare flag, a "
	"[section] or a comment unterminated section header text after the "
	"section header longer than 4096 bytes contains a NUL byte contains a "
	"control character no section [] in out of memory /proc/self/fd/";

static void check_arg(const char *a)
{
	const char *k = a + 2;

	FUZZ_ASSERT(!strncmp(a, "--", 2), "argument '%s'", a);
	FUZZ_ASSERT(*k && *k != '-', "argument '%s': empty or '-' key", a);
	for (; *k && *k != '='; k++)
		FUZZ_ASSERT(isalnum((unsigned char)*k) || *k == '-' || *k == '_',
			    "argument '%s': key byte 0x%02x", a, (unsigned char)*k);
	for (; *k; k++)
		FUZZ_ASSERT(!iscntrl((unsigned char)*k) || *k == '\t',
			    "argument '%s': control byte 0x%02x", a, (unsigned char)*k);
}

/* Line number lineno (from 1) of the file, trimmed, in buf. */
static void line_of(const char *file, size_t len, int lineno, char *buf, size_t size)
{
	const char *p = file, *end = file + len;

	buf[0] = 0;
	for (int i = 1; i < lineno && p < end; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	if (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = (size_t)((nl ? nl : end) - p);

		snprintf(buf, size, "%.*s", (int)l, p);
	}
}

static void check_error(const char *err, const char *file, size_t len)
{
	const char *ln = strstr(err, " line ");
	char line[8192], *v;
	int lineno;

	FUZZ_ASSERT(err[0], "failure without a reason");
	FUZZ_ASSERT(!strchr(err, '\n') && !strchr(err, '\r'), "reason '%s' on several lines", err);
	if (!ln || sscanf(ln, " line %d", &lineno) != 1)
		return;
	FUZZ_ASSERT(lineno >= 1, "line %d", lineno);
	line_of(file, len, lineno, line, sizeof line);
	while (line[0] == ' ' || line[0] == '\t')
		memmove(line, line + 1, strlen(line));
	/* The value: after '=', else after the first blank or ':' (the
	 * message names at most the word before). */
	v = strchr(line, '=');
	if (!v)
		v = strpbrk(line, " \t:");
	if (!v)
		return;
	v++;
	while (*v == ' ' || *v == '\t' || *v == '"' || *v == '\'')
		v++;
	for (size_t n = strlen(v); n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' ||
					 v[n - 1] == '"' || v[n - 1] == '\'');)
		v[--n] = 0;
	if (strlen(v) < 6 || strstr(words, v) || strchr(v, '\r'))
		return;
	/* The named word may repeat the value ("secret1 secret1"). */
	{
		size_t w = strcspn(line, " \t:");
		char word[128];

		snprintf(word, sizeof word, "%.*s", (int)(w > 64 ? 64 : w), line);
		if (strstr(word, v))
			return;
	}
	/* What follows "line N: " is the reason proper. */
	ln = strstr(ln, ": ");
	FUZZ_ASSERT(!ln || !strstr(ln + 2, v), "reason '%s' shows the value '%s'", err, v);
}

/* How many arguments the file yields for section, by the documented
 * grammar (the file is known to be valid). */
static size_t model_count(const char *file, size_t len, const char *section)
{
	const char *p = file, *end = file + len;
	bool in = false;
	size_t n = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end, *s = p;

		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		if (s == e || *s == '#' || *s == ';') {
			/* blank or comment */
		} else if (*s == '[') {
			const char *c = memchr(s, ']', (size_t)(e - s)), *a = s + 1;

			while (a < c && (*a == ' ' || *a == '\t'))
				a++;
			while (c > a && (c[-1] == ' ' || c[-1] == '\t' || c[-1] == '\r'))
				c--;
			in = (size_t)(c - a) == strlen(section) &&
			     !memcmp(a, section, (size_t)(c - a));
		} else if (in) {
			n++;
		}
		p = nl ? nl + 1 : end;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	char *section = fz_str(&f), *file, spec[4400], err[1024] = "", **args = NULL;
	size_t len, nargs = 0;
	const char *path;
	int rc;

	/* The section comes from the command line, not the file: printable. */
	for (char *c = section; *c; c++)
		if (*c == '@' || !isgraph((unsigned char)*c))
			*c = '_';
	file = fz_rest(&f, &len);
	path = fz_file(file, len);
	snprintf(spec, sizeof spec, "%.300s@%s", section, path);
	rc = eas_extraopts_load(spec, "check_eas_fuzz", &args, &nargs, NULL, 0, err, sizeof err);
	if (rc == 0) {
		FUZZ_ASSERT(nargs == 0 || args, "nargs %zu without args", nargs);
		for (size_t i = 0; i < nargs; i++)
			check_arg(args[i]);
		/* No section named: the plugin's name. */
		const char *want = *section ? section : "check_eas_fuzz";

		FUZZ_ASSERT(nargs == model_count(file, len, want),
			    "%zu arguments, the grammar says %zu", nargs,
			    model_count(file, len, want));
	} else {
		check_error(err, file, len);
	}
	for (size_t i = 0; i < nargs; i++)
		free(args[i]);
	free(args);
	free(file);
	free(section);
	return 0;
}
