/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading a local file we were given (ini, password, certificate and key
 * files): only a regular file is read, never a FIFO, directory, device or
 * socket (which could block the check or never end), and never more than
 * the caller's cap. A symbolic link to a regular file is followed.
 *
 * Exception: /dev/stdin and process substitution (<(...)) are pipes and
 * are refused; /dev/stdin redirected from a regular file is accepted. */
#ifndef EAS_SAFEFILE_H
#define EAS_SAFEFILE_H

#include <stdbool.h>
#include <stddef.h>

/* The permission facts a caller needs (from the mode bits; ACLs are not
 * looked at). */
struct eas_file_info {
	bool group_or_world_readable; /* worth a -v note for secrets */
	bool group_or_world_writable; /* a secret file like that is refused */
};

/* Read all of path (at most max bytes) into *data, NUL-terminated, its
 * length in *len (the file may hold NUL bytes). what names the file in
 * errors ("password file"), may be NULL. info may be NULL. Returns 0, or
 * -1 with one sentence naming the file in err (and *data NULL). */
int eas_safefile_read(const char *path, const char *what, size_t max, char **data, size_t *len,
		      struct eas_file_info *info, char *err, size_t errlen);
/* For a file another library opens (libcurl, OpenSSL: --ca-file,
 * --ca-path): is path a regular file (dir: a directory) we can read?
 * Opened without blocking, nothing read. what names it in err ("--ca-file").
 * Returns 0, or -1 with one sentence naming what and path in err. */
int eas_safefile_check(const char *path, const char *what, bool dir, char *err, size_t errlen);
/* Wipe len bytes of data (it may hold a secret) and free it; NULL is
 * fine. */
void eas_safefile_free(char *data, size_t len);

#endif
