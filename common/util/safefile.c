/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "util/safefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISREG(m))
		return "a regular file";
	return "a special file";
}

int eas_safefile_check(const char *path, const char *what, bool dir, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	if (stat(path, &st)) {
		snprintf(err, errlen, "cannot read %s %s: %s", what, path, strerror(errno));
		return -1;
	}
	if (dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s %s is not a %s (%s)", what, path,
			 dir ? "directory" : "regular file", kind(st.st_mode));
		return -1;
	}
	if (dir) {
		if (access(path, R_OK | X_OK) == 0)
			return 0;
		snprintf(err, errlen, "cannot read %s %s: %s", what, path, strerror(errno));
		return -1;
	}
	/* As eas_safefile_read: a FIFO swapped in after the stat must not
	 * block the open. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, errlen, "cannot read %s %s: %s", what, path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s %s is not a regular file (%s)", what, path,
			 kind(st.st_mode));
		return -1;
	}
	return 0;
}

void eas_safefile_free(char *data, size_t len)
{
	if (data) {
		explicit_bzero(data, len);
		free(data);
	}
}

/* A bigger buffer; the old one is wiped, not left behind by realloc. */
static int grow(char **buf, size_t *cap, size_t used, size_t limit)
{
	size_t ncap = *cap > limit / 2 ? limit : *cap * 2;
	char *n = malloc(ncap + 1);

	if (!n)
		return -1;
	memcpy(n, *buf, used);
	eas_safefile_free(*buf, used);
	*buf = n;
	*cap = ncap;
	return 0;
}

int eas_safefile_read(const char *path, const char *what, size_t max, char **data, size_t *len,
		      struct eas_file_info *info, char *err, size_t errlen)
{
	const char *w = what ? what : "", *sp = what ? " " : "";
	size_t limit = max + 1, cap, n = 0; /* one more byte tells "too big" */
	struct stat st;
	char *buf;
	int fd;

	*data = NULL;
	*len = 0;
	/* Devices are not even opened: opening some has side effects. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s%s%s is not a regular file (%s)", w, sp, path,
			 kind(st.st_mode));
		return -1;
	}
	/* O_NONBLOCK: a FIFO swapped in after the stat must not block the
	 * open; fstat below then refuses it. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, errlen, "cannot read %s%s%s: %s", w, sp, path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(err, errlen, "%s%s%s is not a regular file (%s)", w, sp, path,
			 kind(st.st_mode));
		return -1;
	}
	if ((size_t)st.st_size > max) {
		close(fd);
		snprintf(err, errlen, "%s%s%s is larger than %zu bytes", w, sp, path, max);
		return -1;
	}
	/* st_size + 1: the read that finds the end needs room, and files
	 * that report no size (/proc) or grow still end up here. */
	cap = (size_t)st.st_size + 1 < limit ? (size_t)st.st_size + 1 : limit;
	buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		snprintf(err, errlen, "out of memory reading %s%s%s", w, sp, path);
		return -1;
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			if (cap >= limit) {
				snprintf(err, errlen, "%s%s%s is larger than %zu bytes", w, sp,
					 path, max);
				goto fail;
			}
			if (grow(&buf, &cap, n, limit)) {
				snprintf(err, errlen, "out of memory reading %s%s%s", w, sp, path);
				goto fail;
			}
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "cannot read %s%s%s: %s", w, sp, path,
				 strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = 0;
	if (info) {
		info->group_or_world_readable = st.st_mode & (S_IRGRP | S_IROTH);
		info->group_or_world_writable = st.st_mode & (S_IWGRP | S_IWOTH);
	}
	*data = buf;
	*len = n;
	return 0;
fail:
	close(fd);
	eas_safefile_free(buf, n);
	return -1;
}
