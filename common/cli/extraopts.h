/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --extra-opts=[section][@file]: options from an ini file, the Monitoring
 * Plugins convention. Each "key=value" in the section (blanks around '='
 * allowed, quotes around the value stripped) becomes the one word
 * "--key=value"; a bare "key" becomes "--key" (the option parser refuses it
 * for an option that needs a value). Comments start with ';' or '#'.
 * Any other line, a line longer than 4 KiB (never split), a control
 * character or a file over 1 MiB or not a regular file is an error naming
 * the file and line, and at most the key, never a value. */
#ifndef EAS_EXTRAOPTS_H
#define EAS_EXTRAOPTS_H

#include <stddef.h>

/* spec may be NULL or "" (section = plugin, default file search).
 * Appends newly allocated argument strings to *args / *nargs (the caller
 * frees them); origin receives "FILE [SECTION]" for messages. Returns 0,
 * or -1 with a reason in err. */
int eas_extraopts_load(const char *spec, const char *plugin, char ***args, size_t *nargs,
		       char *origin, size_t originlen, char *err, size_t errlen);

#endif
