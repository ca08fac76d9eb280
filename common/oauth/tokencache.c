/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "oauth/tokencache.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "oauth/tokenresp.h"
#include "run/run.h"
#include "util/jsonread.h"
#include "util/safefile.h"
#include "util/secret.h"

#define JSON_DEPTH 4

void eas_oauth_cache_free(struct eas_oauth_cache *c)
{
	eas_secret_free(c->refresh_token);
	eas_secret_free(c->access_token);
	memset(c, 0, sizeof *c);
}

/* name as a token (NULL when absent or null); -1 when it is not one. */
static int get_token(struct json_object *o, const char *name, char **out)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(o, name, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_string) ||
	    !eas_oauth_token_ok(json_object_get_string(v)))
		return -1;
	*out = strdup(json_object_get_string(v));
	return *out ? 0 : -1;
}

static int get_time(struct json_object *o, const char *name, long long *out)
{
	struct json_object *v;

	*out = 0;
	if (!json_object_object_get_ex(o, name, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0)
		return -1;
	*out = json_object_get_int64(v);
	return 0;
}

int eas_oauth_cache_parse(const char *text, size_t len, struct eas_oauth_cache *c, char *err,
			  size_t errlen)
{
	struct json_object *o = NULL;
	char why[160];
	int rc = -1;

	memset(c, 0, sizeof *c);
	if (len > EAS_OAUTH_CACHE_MAX) {
		snprintf(err, errlen, "is larger than %d bytes", EAS_OAUTH_CACHE_MAX);
		return -1;
	}
	if (eas_json_read(text, len, JSON_DEPTH, &o, why, sizeof why) ||
	    !json_object_is_type(o, json_type_object))
		snprintf(err, errlen,
			 "is not one JSON object (seed it with {\"refresh_token\": \"...\"})");
	else if (get_token(o, "refresh_token", &c->refresh_token) ||
		 get_token(o, "access_token", &c->access_token))
		snprintf(
			err, errlen,
			"has a refresh_token or access_token that is not a string of printable characters (at most %d)",
			EAS_TOKEN_MAX);
	else if (get_time(o, "expires_at", &c->expires_at) ||
		 get_time(o, "rotated_at", &c->rotated_at))
		snprintf(err, errlen, "has an expires_at or rotated_at that is not Unix seconds");
	else if (!c->refresh_token && !c->access_token)
		snprintf(err, errlen, "holds no token (seed it with {\"refresh_token\": \"...\"})");
	else
		rc = 0;
	if (rc)
		eas_oauth_cache_free(c);
	json_object_put(o);
	return rc;
}

char *eas_oauth_cache_format(const struct eas_oauth_cache *c)
{
	struct json_object *o = json_object_new_object();
	char *text = NULL;

	if (!o)
		return NULL;
	json_object_object_add(o, "version", json_object_new_int(1));
	if (c->refresh_token)
		json_object_object_add(o, "refresh_token",
				       json_object_new_string(c->refresh_token));
	if (c->access_token)
		json_object_object_add(o, "access_token", json_object_new_string(c->access_token));
	json_object_object_add(o, "expires_at", json_object_new_int64(c->expires_at));
	json_object_object_add(o, "rotated_at", json_object_new_int64(c->rotated_at));
	{
		const char *s =
			json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
								  JSON_C_TO_STRING_NOSLASHESCAPE);
		size_t n = s ? strlen(s) : 0;

		if (s && (text = malloc(n + 2))) {
			memcpy(text, s, n);
			text[n] = '\n';
			text[n + 1] = 0;
		}
	}
	json_object_put(o);
	return text;
}

bool eas_oauth_cache_fresh(const struct eas_oauth_cache *c, long long now, long margin)
{
	return c->access_token && c->expires_at > 0 && c->expires_at - now > margin;
}

int eas_oauth_cache_read(const char *path, struct eas_oauth_cache *c, char *note, size_t notelen,
			 char *err, size_t errlen)
{
	struct eas_file_info info;
	char why[200], *data;
	size_t size;
	int rc = -1;

	memset(c, 0, sizeof *c);
	if (eas_safefile_read(path, "token cache", EAS_OAUTH_CACHE_MAX, &data, &size, &info, err,
			      errlen))
		return -1;
	if (info.group_or_world_writable)
		snprintf(
			err, errlen,
			"token cache %s is writable by other users, who could choose the tokens sent: chmod 600 it",
			path);
	else if (eas_oauth_cache_parse(data, size, c, why, sizeof why))
		snprintf(err, errlen, "token cache %s %s", path, why);
	else
		rc = 0;
	if (!rc && notelen && info.group_or_world_readable)
		snprintf(
			note, notelen,
			"note: the token cache %s can be read by other users (chmod 600; rewritten 0600 at the next refresh)",
			path);
	eas_safefile_free(data, size);
	return rc;
}

/* Write all of buf to fd. */
static int write_all(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

int eas_oauth_cache_write(const char *path, const struct eas_oauth_cache *c, char *err,
			  size_t errlen)
{
	char tmp[4200], dir[4200], *text = eas_oauth_cache_format(c);
	int fd = -1, dfd, rc = -1, e = 0;

	if (!text) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp ||
	    (size_t)snprintf(dir, sizeof dir, "%s", path) >= sizeof dir) {
		snprintf(err, errlen, "the token cache's name is too long");
		goto out;
	}
	/* Under the refresh lock: no other run writes tmp now; one left by
	 * a killed run is replaced. */
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || write_all(fd, text, strlen(text)) || fsync(fd)) {
		e = errno;
		goto fail;
	}
	if (close(fd)) {
		fd = -1;
		e = errno;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path)) {
		e = errno;
		goto fail;
	}
	/* The rename itself is durable once the directory is. */
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	rc = 0;
	goto out;
fail:
	snprintf(err, errlen, "cannot write the token cache %s: %s", path, strerror(e));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
out:
	eas_secret_free(text);
	return rc;
}
