/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "util/state.h"

#include <string.h>
#include <strings.h>

static const char *const names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

const char *eas_state_name(enum eas_state s)
{
	return (unsigned)s < 4 ? names[s] : "UNKNOWN";
}

int eas_state_parse(const char *text, enum eas_state *out)
{
	for (int i = 0; i < 4; i++) {
		char digit[2] = { (char)('0' + i), 0 };
		if (!strcasecmp(text, names[i]) || !strcmp(text, digit)) {
			*out = (enum eas_state)i;
			return 0;
		}
	}
	return -1;
}

enum eas_state eas_state_worst(enum eas_state a, enum eas_state b)
{
	static const int rank[] = { 0, 1, 3, 2 };
	return rank[a & 3] >= rank[b & 3] ? a : b;
}
