/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "util/mailaddr.h"

#include <string.h>

#include "util/text.h"

bool eas_mailaddr_ok(const char *addr)
{
	size_t n = strlen(addr);
	const char *at = strrchr(addr, '@');
	char copy[EAS_MAILADDR_MAX + 1];

	if (n == 0 || n > EAS_MAILADDR_MAX || !at || at == addr || !at[1])
		return false;
	/* Valid UTF-8: cleaning changes nothing. */
	memcpy(copy, addr, n + 1);
	if (eas_text_clean(copy, 0) != n || memcmp(copy, addr, n))
		return false;
	for (size_t i = 0; i < n; i++)
		if (eas_text_is_control((const unsigned char *)addr + i, n - i))
			return false;
	for (const char *p = at + 1; *p; p++)
		if (*p == ' ')
			return false;
	return true;
}
