/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "run/runlock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "run/deadline.h"

#define STATE_DIR_FIX " or name another with --state-dir"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Why open() refused path, in words an operator can act on; fix says
 * what else to do ("name another with --state-dir"). */
static void open_failed(const char *what, const char *path, int e, const char *fix, char *err,
			size_t errlen)
{
	struct stat st;

	if (!lstat(path, &st) && S_ISLNK(st.st_mode))
		snprintf(
			err, errlen,
			"the %s %s is a symbolic link: check-eas never follows one there (another user could point it anywhere); remove it%s",
			what, path, fix);
	else if (e == ENOTDIR)
		snprintf(err, errlen, "the %s %s is not a directory: remove it%s", what, path, fix);
	else
		snprintf(err, errlen, "cannot open the %s %s: %s", what, path, strerror(e));
}

int eas_statedir_open(const char *dir, char *out, size_t outsize, int *fd, char *err, size_t errlen)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	struct stat st;
	int n;

	*fd = -1;
	if (dir && *dir)
		n = snprintf(out, outsize, "%s", dir);
	else if (xdg && *xdg == '/')
		n = snprintf(out, outsize, "%s/check-eas", xdg);
	else
		n = snprintf(out, outsize, "/tmp/check-eas-%lu", (unsigned long)geteuid());
	if (n < 0 || (size_t)n >= outsize) {
		snprintf(err, errlen, "the state directory's name is too long");
		return -1;
	}
	if (mkdir(out, 0700) && errno != EEXIST) {
		snprintf(
			err, errlen,
			"cannot create the state directory %s: %s: create it (mode 0700) or name another with --state-dir",
			out, strerror(errno));
		return -1;
	}
	*fd = open(out, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*fd < 0) {
		open_failed("state directory", out, errno, STATE_DIR_FIX, err, errlen);
		return -1;
	}
	/* A directory another user made, or may write to, lets that user
	 * hold our locks or swap our files. */
	if (fstat(*fd, &st) || st.st_uid != geteuid()) {
		snprintf(
			err, errlen,
			"the state directory %s belongs to another user (uid %lu), who could block or fake this check's runs: remove it or name another with --state-dir",
			out, (unsigned long)st.st_uid);
	} else if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(
			err, errlen,
			"the state directory %s is writable by group or others (mode %04o), who could block or fake this check's runs: chmod 700 it or name another with --state-dir",
			out, (unsigned)(st.st_mode & 07777));
	} else {
		return 0;
	}
	close(*fd);
	*fd = -1;
	return -1;
}

static bool name_ok(const char *name)
{
	size_t n = strlen(name);

	return n && n < 200 && name[0] != '.' &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") ==
		       n;
}

/* Another process holds the lock: poll until it is ours or the deadline
 * is near (a blocking flock would leave the hard timer to end the run,
 * without saying why). The poll starts fine and grows to 0.1 s. */
static enum eas_runlock_result wait_for(struct eas_runlock *l, char *err, size_t errlen)
{
	double start = now(), pause = 0.005;
	long ms;

	for (;;) {
		if (!flock(l->fd, LOCK_EX | LOCK_NB)) {
			l->waited = now() - start;
			return EAS_RUNLOCK_TAKEN;
		}
		if (errno != EWOULDBLOCK && errno != EINTR) {
			snprintf(err, errlen, "cannot lock %s: %s", l->path, strerror(errno));
			return EAS_RUNLOCK_ERROR;
		}
		if (!eas_deadline_left(&ms)) {
			l->waited = now() - start;
			snprintf(err, errlen, "another process has held %s for %.1f s", l->path,
				 l->waited);
			return EAS_RUNLOCK_TIMEOUT;
		}
		if (ms && pause > ms / 1000.0)
			pause = ms / 1000.0;
		nanosleep(&(struct timespec){ .tv_sec = 0, .tv_nsec = (long)(pause * 1e9) }, NULL);
		pause = pause * 1.5 > 0.1 ? 0.1 : pause * 1.5;
	}
}

enum eas_runlock_result eas_runlock_take(struct eas_runlock *l, const char *dir, const char *name,
					 char *err, size_t errlen)
{
	char d[4096], file[256];
	enum eas_runlock_result r;
	struct stat st;
	int dfd, e;

	memset(l, 0, sizeof *l);
	l->fd = -1;
	if (!name_ok(name)) {
		snprintf(err, errlen, "'%.60s' cannot name a lock file", name);
		return EAS_RUNLOCK_ERROR;
	}
	if (eas_statedir_open(dir, d, sizeof d, &dfd, err, errlen))
		return EAS_RUNLOCK_ERROR;
	snprintf(file, sizeof file, "%s.lock", name);
	snprintf(l->path, sizeof l->path, "%s/%s", d, file);
	l->fd = openat(dfd, file, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
	e = errno;
	close(dfd);
	if (l->fd < 0) {
		open_failed("lock file", l->path, e, STATE_DIR_FIX, err, errlen);
		return EAS_RUNLOCK_ERROR;
	}
	if (fstat(l->fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		snprintf(err, errlen,
			 "the lock file %s is not a regular file of this user: remove it", l->path);
		r = EAS_RUNLOCK_ERROR;
	} else {
		r = wait_for(l, err, errlen);
	}
	if (r != EAS_RUNLOCK_TAKEN) {
		close(l->fd);
		l->fd = -1;
	}
	return r;
}

enum eas_runlock_result eas_runlock_take_file(struct eas_runlock *l, const char *path, char *err,
					      size_t errlen)
{
	enum eas_runlock_result r = EAS_RUNLOCK_ERROR;
	struct stat st;

	memset(l, 0, sizeof *l);
	l->fd = -1;
	if ((size_t)snprintf(l->path, sizeof l->path, "%s", path) >= sizeof l->path) {
		snprintf(err, errlen, "the lock file's name is too long");
		return EAS_RUNLOCK_ERROR;
	}
	l->fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
	if (l->fd < 0) {
		open_failed("lock file", path, errno, "", err, errlen);
		return EAS_RUNLOCK_ERROR;
	}
	if (fstat(l->fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid())
		snprintf(err, errlen,
			 "the lock file %s is not a regular file of this user: remove it", path);
	else
		r = wait_for(l, err, errlen);
	if (r != EAS_RUNLOCK_TAKEN) {
		close(l->fd);
		l->fd = -1;
	}
	return r;
}

void eas_runlock_release(struct eas_runlock *l)
{
	if (l->fd < 0)
		return;
	flock(l->fd, LOCK_UN);
	close(l->fd);
	l->fd = -1;
}
