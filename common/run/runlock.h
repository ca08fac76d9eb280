/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs that must not overlap (two checks playing one device, two runs
 * refreshing one token cache) take a lock file in a state directory
 * only the running user may write: --state-dir, default
 * $XDG_RUNTIME_DIR/check-eas, else /tmp/check-eas-UID. The wait is
 * bounded by the run's deadline (-t); the lock goes with the process, so
 * a killed run never leaves it held. */
#ifndef EAS_RUNLOCK_H
#define EAS_RUNLOCK_H

#include <stddef.h>

struct eas_runlock {
	int fd;          /* -1: not held */
	double waited;   /* seconds spent waiting for another holder */
	char path[4400]; /* the lock file, for -v and the words */
};

enum eas_runlock_result {
	EAS_RUNLOCK_TAKEN,
	EAS_RUNLOCK_ERROR,   /* the directory or the file is unusable */
	EAS_RUNLOCK_TIMEOUT, /* -t ran out while another run held it */
};

/* The state directory: dir when given, else the default, into out.
 * Created 0700 when missing (the default's parent too is expected to
 * exist). Refused, with a sentence in err, when it is a symbolic link,
 * not a directory, owned by another user, or writable by group or
 * others. Returns 0 or -1. */
int eas_statedir_open(const char *dir, char *out, size_t outsize, int *fd, char *err,
		      size_t errlen);

/* Take the lock NAME.lock (NAME: letters, digits, '-', '_', '.') in the
 * state directory dir (NULL: the default), waiting while another process
 * holds it, as long as the deadline allows. l is filled in every case
 * (l->fd -1 unless taken); err holds one sentence unless TAKEN. */
enum eas_runlock_result eas_runlock_take(struct eas_runlock *l, const char *dir, const char *name,
					 char *err, size_t errlen);

/* The same for a lock file named by path (beside a file it guards, e.g.
 * a token cache), created 0600 when missing; never a symbolic link. */
enum eas_runlock_result eas_runlock_take_file(struct eas_runlock *l, const char *path, char *err,
					      size_t errlen);

/* Let it go (nothing when not held); the file stays for the next run. */
void eas_runlock_release(struct eas_runlock *l);

#endif
