/* SPDX-License-Identifier: GPL-3.0-or-later */
/* OPTIONS headers: MS-ASProtocolVersions and MS-ASProtocolCommands lists.
 * Input: the list up to the first NUL, then a name.
 * Invariants:
 *  - eas_version_parse reads only its len bytes (the entry is copied to a
 *    buffer of exactly that size) and gives -1 or major*100+minor with at
 *    most three major and two minor digits;
 *  - eas_versions_parse: count + bad == eas_list_count; highest is the
 *    largest well-formed entry (-1 for none) and eas_versions_has finds it;
 *  - every non-empty trimmed entry (of the first 32) is found by eas_list_has (any case), and
 *    eas_list_has(list, name) is true exactly when some entry equals name
 *    ignoring case. */
#include "fuzz.h"

#include <ctype.h>
#include <strings.h>

#include "http/easoffer.h"

/* The entry at *p (split on ',', blanks trimmed) as a new exact-size
 * buffer (not NUL-terminated) with its length; *p moves past it (NULL at
 * the end). NULL when there is none. */
static char *entry(const char **p, size_t *len)
{
	const char *s = *p, *end;
	size_t l;
	char *e;

	if (!s)
		return NULL;
	end = strchr(s, ',');
	l = end ? (size_t)(end - s) : strlen(s);
	*p = end ? end + 1 : NULL;
	while (l && isspace((unsigned char)*s)) {
		s++;
		l--;
	}
	while (l && isspace((unsigned char)s[l - 1]))
		l--;
	e = malloc(l ? l : 1);
	if (!e)
		abort();
	memcpy(e, s, l);
	*len = l;
	return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	char *list = fz_str(&f), *name = fz_str(&f), *e;
	struct eas_versions v;
	int count = 0, bad = 0, highest = -1, n = 0;
	bool named = false;
	const char *p = list;
	size_t len;

	eas_versions_parse(list, &v);
	for (int i = 0; (e = entry(&p, &len)); i++) {
		if (len) {
			int ver = eas_version_parse(e, len);
			char *z = malloc(len + 1);

			n++;
			FUZZ_ASSERT(ver == -1 || (ver >= 0 && ver <= 99999), "version %d", ver);
			if (ver < 0) {
				bad++;
			} else {
				count++;
				if (ver > highest)
					highest = ver;
				if (i < 32) /* each look-up walks the list */
					FUZZ_ASSERT(eas_versions_has(list, ver), "has %d", ver);
			}
			if (!z)
				abort();
			memcpy(z, e, len);
			z[len] = 0;
			if (i < 32) {
				FUZZ_ASSERT(eas_list_has(list, z), "entry '%s' not found", z);
				for (char *c = z; *c; c++)
					*c = (char)toupper((unsigned char)*c);
				FUZZ_ASSERT(eas_list_has(list, z), "entry '%s' (upper) not found",
					    z);
			}
			if (strlen(name) == len && !strncasecmp(name, e, len))
				named = true;
			free(z);
		}
		free(e);
		if (i > 10000)
			break;
	}
	FUZZ_ASSERT(v.count == count && v.bad == bad && v.highest == highest,
		    "versions %d/%d/%d, expected %d/%d/%d", v.count, v.bad, v.highest, count, bad,
		    highest);
	FUZZ_ASSERT(eas_list_count(list) == n, "count %d, expected %d", eas_list_count(list), n);
	FUZZ_ASSERT(v.count + v.bad == eas_list_count(list), "count + bad");
	FUZZ_ASSERT(eas_list_has(list, name) == named, "'%s' in the list: %d", name, !named);
	FUZZ_ASSERT(eas_list_count(NULL) == 0 && !eas_list_has(NULL, name), "NULL");
	free(list);
	free(name);
	return 0;
}
