/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Run locks: the state directory made and refused as it should be, a lock
 * per name, a held lock waited for until the deadline, released on
 * release. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "run/deadline.h"
#include "run/runlock.h"
#include "tap.h"

static char base[] = "/tmp/test_runlock.XXXXXX";

static const char *at(const char *name)
{
	static char path[4][256];
	static int n;

	n = (n + 1) % 4;
	snprintf(path[n], sizeof path[n], "%s/%s", base, name);
	return path[n];
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_statedir(struct tap *t)
{
	char out[4096], err[512];
	struct stat st;
	int fd;

	TAP_OK(t, !eas_statedir_open(at("new"), out, sizeof out, &fd, err, sizeof err) && fd >= 0,
	       "a missing directory is made");
	close(fd);
	TAP_OK(t, !stat(at("new"), &st) && (st.st_mode & 07777) == 0700, "... 0700");
	mkdir(at("open"), 0700);
	chmod(at("open"), 0770);
	TAP_OK(t,
	       eas_statedir_open(at("open"), out, sizeof out, &fd, err, sizeof err) == -1 &&
		       fd == -1 && strstr(err, "writable by group or others (mode 0770)"),
	       "group-writable: refused: %s", err);
	if (symlink(at("new"), at("link")) == 0)
		TAP_OK(t,
		       eas_statedir_open(at("link"), out, sizeof out, &fd, err, sizeof err) == -1 &&
			       strstr(err, "is a symbolic link"),
		       "a symbolic link: refused: %s", err);
	close(open(at("file"), O_WRONLY | O_CREAT, 0600));
	TAP_OK(t,
	       eas_statedir_open(at("file"), out, sizeof out, &fd, err, sizeof err) == -1 &&
		       strstr(err, "is not a directory"),
	       "a file: refused: %s", err);
	setenv("XDG_RUNTIME_DIR", base, 1);
	TAP_OK(t,
	       !eas_statedir_open(NULL, out, sizeof out, &fd, err, sizeof err) &&
		       !strcmp(out, at("check-eas")),
	       "default: $XDG_RUNTIME_DIR/check-eas (%s)", out);
	close(fd);
	setenv("XDG_RUNTIME_DIR", "relative", 1);
	eas_statedir_open(NULL, out, sizeof out, &fd, err, sizeof err);
	if (fd >= 0)
		close(fd);
	TAP_OK(t, !strncmp(out, "/tmp/check-eas-", 15), "a relative XDG_RUNTIME_DIR: %s", out);
	setenv("XDG_RUNTIME_DIR", base, 1);
}

static void test_lock(struct tap *t)
{
	const struct eas_deadline_msg msg = { "test_runlock", "TEST", EAS_FMT_TEXT, NULL };
	struct eas_runlock a, b, c;
	char err[512];
	enum eas_runlock_result r;
	double t0;
	int held;

	TAP_OK(t,
	       eas_runlock_take(&a, at("new"), "device-A", err, sizeof err) == EAS_RUNLOCK_TAKEN &&
		       a.fd >= 0 && a.waited < 0.05,
	       "taken at once: %s", a.path);
	TAP_OK(t, eas_runlock_take(&b, at("new"), "device-B", err, sizeof err) == EAS_RUNLOCK_TAKEN,
	       "another name while the first is held: taken");
	eas_runlock_release(&b);
	/* A second open of the same file is another holder, even here. */
	eas_deadline_start(1, EAS_UNKNOWN, &msg);
	t0 = now();
	r = eas_runlock_take(&c, at("new"), "device-A", err, sizeof err);
	t0 = now() - t0;
	TAP_OK(t, r == EAS_RUNLOCK_TIMEOUT && c.fd == -1 && c.waited > 0.5 && t0 < 1,
	       "held: waited %.2f s, gave up before the hard timer: %s", c.waited, err);
	eas_deadline_stop();
	eas_runlock_release(&a);
	eas_runlock_release(&a); /* twice is harmless */
	held = open(at("new/device-A.lock"), O_RDONLY);
	TAP_OK(t, held >= 0 && !flock(held, LOCK_EX | LOCK_NB), "released: anyone may take it");
	close(held);
	TAP_OK(t,
	       eas_runlock_take(&c, at("new"), "../x", err, sizeof err) == EAS_RUNLOCK_ERROR &&
		       eas_runlock_take(&c, at("new"), "", err, sizeof err) == EAS_RUNLOCK_ERROR &&
		       eas_runlock_take(&c, at("new"), ".hidden", err, sizeof err) ==
			       EAS_RUNLOCK_ERROR,
	       "a name with '/', empty or hidden: refused");
	mkfifo(at("new/device-F.lock"), 0600);
	TAP_OK(t,
	       eas_runlock_take(&c, at("new"), "device-F", err, sizeof err) == EAS_RUNLOCK_ERROR &&
		       strstr(err, "not a regular file"),
	       "a FIFO as lock file: refused without blocking: %s", err);
}

int main(void)
{
	struct tap t = { 0 };
	char cmd[300];

	if (!mkdtemp(base))
		return 1;
	test_statedir(&t);
	test_lock(&t);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
	if (system(cmd))
		printf("# could not remove %s\n", base);
	return tap_done(&t);
}
