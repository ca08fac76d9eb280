/* --extra-opts=[section][@file]: options from an ini file, the Monitoring
 * Plugins convention. Each "key=value" in the section becomes "--key=value";
 * a bare "key" becomes "--key". */
#ifndef EAS_EXTRAOPTS_H
#define EAS_EXTRAOPTS_H

#include <stddef.h>

/* spec may be NULL or "" (section = plugin, default file search).
 * Appends newly allocated argument strings to *args / *nargs (the caller
 * frees them). Returns 0, or -1 with a reason in err. */
int eas_extraopts_load(const char *spec, const char *plugin, char ***args,
		       size_t *nargs, char *err, size_t errlen);

#endif
