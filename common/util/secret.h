/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Secrets (passwords) from files, the environment or options; never from a
 * terminal prompt, and wiped from memory when released. */
#ifndef EAS_SECRET_H
#define EAS_SECRET_H

#include <stddef.h>

/* The first line of path (without CR/LF) into *out. Returns 0, or -1 with a
 * reason in err (which never contains the secret): refused when others may
 * write the file; note (notelen 0: none) gets a word when others may read
 * it. A password from the environment is wiped from it once read. */
int eas_secret_read_file(const char *path, char **out, char *note, size_t notelen, char *err,
			 size_t errlen);
/* The same rules for another secret file: what names it in err ("bearer
 * token file"), max bounds its first line (a token is longer than a
 * password). */
int eas_secret_read_named(const char *path, const char *what, size_t max, char **out, char *note,
			  size_t notelen, char *err, size_t errlen);
/* Where a password may come from, in this order: a file, a value given
 * as an option, the environment variable env (NULL: EAS_PASSWORD). */
struct eas_password_src {
	const char *file, *value, *env;
	const char *value_from; /* where value came from, for errors
				   ("FILE [SECTION]"; NULL: --password) */
	char *note;             /* a word on the file's permissions, */
	size_t notelen;         /* for -v (NULL: none) */
};
/* The password from the first source given into *out (NULL when none is
 * given). Returns 0, or -1 with a reason in err: an empty password from a
 * file, a value or an explicit env is refused; the default EAS_PASSWORD
 * empty counts as not set (Icinga 2 sets it so). */
int eas_secret_password(const struct eas_password_src *src, char **out, char *err, size_t errlen);
/* Wipe and free. */
void eas_secret_free(char *s);

#endif
