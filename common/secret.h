/* Secrets (passwords) from files, the environment or options; never from a
 * terminal prompt, and wiped from memory when released. */
#ifndef EAS_SECRET_H
#define EAS_SECRET_H

#include <stddef.h>

#include "options.h"

/* The first line of path (without CR/LF) into *out. Returns 0, or -1 with a
 * reason in err (which never contains the secret). */
int eas_secret_read_file(const char *path, char **out, char *err, size_t errlen);
/* The basic-auth password: --password-file, else --password, else the
 * environment variable named by --password-env, else EAS_PASSWORD.
 * *out is NULL when none is given. */
int eas_secret_password(const struct eas_opts *o, char **out, char *err,
			size_t errlen);
/* Wipe and free. */
void eas_secret_free(char *s);

#endif
