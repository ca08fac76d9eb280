/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one deadline per run: time left, and what the hard timer says. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run/deadline.h"
#include "http/probe.h"
#include "tap.h"

/* The parent's half: what the child pid printed into the pipe fd, and its
 * exit code (-1 when it did not exit). */
static int child_output(int fd[2], pid_t pid, char *buf, size_t size)
{
	int status = 0;
	ssize_t n;

	close(fd[1]);
	n = read(fd[0], buf, size - 1);
	buf[n > 0 ? n : 0] = 0;
	close(fd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Run the hard timer in a child and read what it printed; with inherit,
 * SIGALRM comes blocked and ignored, as a careless parent may leave it
 * (both survive exec), and the child gives up after 3 s on its own. */
static int fire_in(bool inherit, enum eas_format fmt, const char *step, int phase, char *buf,
		   size_t size)
{
	int fd[2];
	pid_t pid;

	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid == 0) {
		static volatile sig_atomic_t ph;

		dup2(fd[1], STDOUT_FILENO);
		ph = phase;
		if (inherit) {
			sigset_t set;

			sigemptyset(&set);
			sigaddset(&set, SIGALRM);
			sigprocmask(SIG_BLOCK, &set, NULL);
			signal(SIGALRM, SIG_IGN);
		}
		eas_deadline_start(0.2, EAS_CRITICAL,
				   &(struct eas_deadline_msg){ "check_eas_test", "TEST", fmt,
							       "mail.example.com" });
		eas_deadline_watch(0, step, &ph);
		for (int i = 0; i < 30; i++)
			usleep(100000);
		_exit(99);
	}
	return child_output(fd, pid, buf, size);
}

static int fire(enum eas_format fmt, const char *step, int phase, char *buf, size_t size)
{
	return fire_in(false, fmt, step, phase, buf, size);
}

/* Start a 0.2 s timer in a child, stop it, outlive it: the child must end
 * on its own (0) without a word, where a timer that fires prints and exits
 * with the -t state. */
static int stopped_timer(char *buf, size_t size)
{
	int fd[2];
	pid_t pid;

	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fd[1], STDOUT_FILENO);
		eas_deadline_start(0.2, EAS_UNKNOWN,
				   &(struct eas_deadline_msg){ "check_eas_test", "TEST",
							       EAS_FMT_TEXT, NULL });
		eas_deadline_stop();
		usleep(400000);
		_exit(0);
	}
	return child_output(fd, pid, buf, size);
}

int main(void)
{
	struct tap t = { 0 };
	char buf[1024];
	long ms;
	bool left;
	int rc;

	TAP_OK(&t, eas_deadline_left(&ms) && ms == 0, "no deadline: no limit");
	eas_deadline_start(10, EAS_UNKNOWN,
			   &(struct eas_deadline_msg){ "p", "P", EAS_FMT_TEXT, NULL });
	left = eas_deadline_left(&ms); /* before TAP_OK reads ms for the words */
	TAP_OK(&t, left && ms > 9000 && ms <= 9750, "10 s: libcurl gets a little less (%ld ms)",
	       ms);
	eas_deadline_stop();
	TAP_OK(&t, eas_deadline_left(&ms) && ms == 0, "stopped: no limit");
	rc = stopped_timer(buf, sizeof buf);
	TAP_OK(&t, rc == 0 && !buf[0], "a stopped hard timer does not fire (rc %d): '%s'", rc, buf);

	rc = fire(EAS_FMT_TEXT, "FolderSync", EAS_PHASE_WAIT, buf, sizeof buf);
	TAP_OK(&t,
	       rc == EAS_CRITICAL &&
		       !strcmp(buf, "EAS TEST CRITICAL - plugin "
				    "timed out after 0.2s, hung waiting for the FolderSync response"
				    " | 'time'=0.2s;;;0\n"),
	       "text: step and phase named, -t state, the time as perfdata: %s", buf);
	rc = fire(EAS_FMT_TEXT, NULL, EAS_PHASE_TLS, buf, sizeof buf);
	TAP_OK(&t, rc == EAS_CRITICAL && strstr(buf, "hung in the TLS handshake | "),
	       "no step: the phase alone: %s", buf);
	rc = fire(EAS_FMT_JSON, "Provision", EAS_PHASE_READ, buf, sizeof buf);
	TAP_OK(&t,
	       rc == EAS_CRITICAL && buf[0] == '{' &&
		       strstr(buf, "\"summary\":\"plugin timed out after 0.2s, hung reading "
				   "the Provision response\"") &&
		       strstr(buf, "\"exit_code\":2") &&
		       strstr(buf, "\"perfdata\":[{\"label\":\"time\",\"value\":0.2,"),
	       "JSON mode answers in JSON, the time as perfdata: %s", buf);
	rc = fire(EAS_FMT_OPENMETRICS, "Sync", EAS_PHASE_READ, buf, sizeof buf);
	TAP_OK(&t,
	       rc == EAS_CRITICAL &&
		       strstr(buf,
			      "\neas_state{plugin=\"check_eas_test\",target=\"mail.example.com\"} "
			      "2\n") &&
		       strstr(buf, "\n# UNIT eas_test_time_seconds seconds\n") &&
		       strstr(buf,
			      "\neas_test_time_seconds{plugin=\"check_eas_test\",target=\"mail."
			      "example.com\"} 0.2\n# EOF\n") &&
		       !strstr(buf, "hung"),
	       "openmetrics mode: the state and the time, no words, # EOF last: %s", buf);
	rc = fire_in(true, EAS_FMT_TEXT, "OPTIONS", EAS_PHASE_WAIT, buf, sizeof buf);
	TAP_OK(&t, rc == EAS_CRITICAL && strstr(buf, "timed out after 0.2s, hung waiting"),
	       "SIGALRM inherited blocked and ignored: the hard timer still fires at -t "
	       "(rc %d): %s",
	       rc, buf);
	return tap_done(&t);
}
