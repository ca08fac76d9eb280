/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The token cache file: one JSON object holding the refresh token, the
 * access token and when it expires, and when the refresh token last
 * rotated. An operator seeds it with {"refresh_token": "..."}; a run
 * rewrites it whole, atomically (a temporary file, fsync, rename, fsync
 * of the directory), mode 0600. A cache others may write is refused:
 * they would choose the tokens sent. The format and the expiry decision
 * are pure; reading and writing touch only the named file and its
 * temporary sibling. */
#ifndef EAS_OAUTH_TOKENCACHE_H
#define EAS_OAUTH_TOKENCACHE_H

#include <stdbool.h>
#include <stddef.h>

#define EAS_OAUTH_CACHE_MAX (64 * 1024)
#define EAS_OAUTH_MARGIN 300 /* seconds before expiry a token is renewed */

struct eas_oauth_cache {
	char *refresh_token;  /* owned, wiped; NULL none */
	char *access_token;   /* owned, wiped; NULL none */
	long long expires_at; /* of the access token, Unix seconds; 0 unknown */
	long long rotated_at; /* when the refresh token last changed; 0 unknown */
};

/* The cache's text (len bytes) into c. Returns 0, or -1 with a sentence
 * in err that never quotes a token. */
int eas_oauth_cache_parse(const char *text, size_t len, struct eas_oauth_cache *c, char *err,
			  size_t errlen);
/* c as the file's text (malloc'd, NUL-ended; wipe and free with
 * eas_secret_free), or NULL when out of memory. */
char *eas_oauth_cache_format(const struct eas_oauth_cache *c);
/* Whether c's access token may still be sent at now: it exists, its
 * expiry is known and more than margin seconds away. */
bool eas_oauth_cache_fresh(const struct eas_oauth_cache *c, long long now, long margin);

/* Read path into c: a regular file of at most EAS_OAUTH_CACHE_MAX bytes,
 * not writable by group or others. note (notelen 0: none) gets a word
 * when others may read it. Returns 0, or -1 with err. */
int eas_oauth_cache_read(const char *path, struct eas_oauth_cache *c, char *note, size_t notelen,
			 char *err, size_t errlen);
/* Replace path with c, atomically and durably, mode 0600. Returns 0, or
 * -1 with err (path is then unchanged). */
int eas_oauth_cache_write(const char *path, const struct eas_oauth_cache *c, char *err,
			  size_t errlen);
void eas_oauth_cache_free(struct eas_oauth_cache *c);

#endif
