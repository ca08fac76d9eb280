/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "run/deadline.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "http/http.h"
#include "out/openmetrics.h"

/* A signal handler can only reach what is static: this is the one piece of
 * file-level state in the project, written before the timer starts and,
 * for the watched requests, only as whole pointers. */
static struct {
	bool running;
	double end;                 /* monotonic seconds: libcurl's deadline */
	char head[1024], tail[160]; /* the message around the phase */
	bool words;                 /* the phase goes between them */
	enum eas_state state;
	struct {
		const char *volatile step;
		const volatile sig_atomic_t *volatile phase;
	} slot[EAS_DEADLINE_SLOTS];
} dl;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void put(char *buf, size_t *len, size_t size, const char *s)
{
	while (s && *s && *len + 1 < size)
		buf[(*len)++] = *s++;
}

/* The least advanced request is the one that holds everything up. */
static void hung_where(char *buf, size_t *len, size_t size)
{
	int best = -1, best_phase = EAS_PHASE_DONE + 1;
	char text[160];

	for (int i = 0; i < EAS_DEADLINE_SLOTS; i++) {
		const volatile sig_atomic_t *p = dl.slot[i].phase;

		if (p && *p != EAS_PHASE_DONE && *p < best_phase) {
			best = i;
			best_phase = *p;
		}
	}
	if (best < 0)
		return;
	put(buf, len, size, ", hung ");
	eas_phase_text(best_phase, dl.slot[best].step, text, sizeof text);
	put(buf, len, size, text);
}

static void on_alarm(int sig)
{
	char msg[1400];
	size_t len = 0;

	(void)sig;
	put(msg, &len, sizeof msg, dl.head);
	if (dl.words)
		hung_where(msg, &len, sizeof msg);
	put(msg, &len, sizeof msg, dl.tail);
	if (write(STDOUT_FILENO, msg, len) < 0)
		_exit(dl.state);
	_exit(dl.state);
}

/* "12" or "2.5", as the user wrote it (to a tenth). */
static void seconds_text(double seconds, char *buf, size_t size)
{
	snprintf(buf, size, "%.1f", seconds);
	if (!strcmp(buf + strlen(buf) - 2, ".0"))
		buf[strlen(buf) - 2] = 0;
}

/* Soft limit a little under -t: libcurl must get the first word. */
static double soft_seconds(double s)
{
	return s > 1 ? s - (s > 4 ? 0.25 : s / 10) : s * 0.9;
}

/* The openmetrics answer is numbers only: the state and the time, written
 * now by the one formatter, since the handler may only copy bytes. */
static void om_document(const struct eas_deadline_msg *m, enum eas_state state, double seconds)
{
	struct eas_perf time = { .label = "time", .uom = "s", .value = seconds, .min = 0 };
	FILE *f = fmemopen(dl.head, sizeof dl.head, "w");

	time.max = NAN;
	if (!f)
		return;
	setvbuf(f, NULL, _IONBF, 0);
	if (eas_om_write(&(struct eas_om_doc){ m->plugin, m->aspect, m->target, state, &time, 1 },
			 f) ||
	    ftell(f) >= (long)sizeof dl.head - 1)
		dl.head[0] = 0; /* cut short: better nothing than half */
	fclose(f);
}

void eas_deadline_start(double seconds, enum eas_state state, const struct eas_deadline_msg *m)
{
	struct itimerval it = { 0 };
	struct sigaction sa = { 0 };
	sigset_t alrm;
	char secs[24];

	memset(&dl, 0, sizeof dl);
	seconds_text(seconds, secs, sizeof secs);
	dl.state = state;
	dl.words = m->format != EAS_FMT_OPENMETRICS;
	if (m->format == EAS_FMT_OPENMETRICS) {
		om_document(m, state, seconds);
	} else if (m->format == EAS_FMT_JSON) {
		snprintf(
			dl.head, sizeof dl.head,
			"{\n  \"plugin\":\"%s\",\n  \"aspect\":\"%s\",\n  \"state\":\"%s\",\n  \"exit_code\":%d,\n  \"summary\":\"plugin timed out after %ss",
			m->plugin, m->aspect, eas_state_name(state), (int)state, secs);
		snprintf(
			dl.tail, sizeof dl.tail,
			"\",\n  \"perfdata\":[{\"label\":\"time\",\"value\":%s,\"uom\":\"s\",\"min\":0}],\n  \"details\":[]\n}\n",
			secs);
	} else {
		snprintf(dl.head, sizeof dl.head, "EAS %s %s - plugin timed out after %ss",
			 m->aspect, eas_state_name(state), secs);
		/* The whole -t went by: the time graph shows it, not a gap. */
		snprintf(dl.tail, sizeof dl.tail, " | 'time'=%ss;;;0\n", secs);
	}
	dl.end = now() + soft_seconds(seconds);
	dl.running = true;

	/* Nothing else runs inside the handler, and a SIGALRM blocked or
	 * ignored by whoever started us (an inherited mask survives exec)
	 * must not leave the check without its hard limit. */
	sa.sa_handler = on_alarm;
	sigfillset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigprocmask(SIG_UNBLOCK, &alrm, NULL);
	it.it_value.tv_sec = (time_t)seconds;
	it.it_value.tv_usec = (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6);
	setitimer(ITIMER_REAL, &it, NULL);
}

bool eas_deadline_left(long *ms)
{
	double left;

	*ms = 0;
	if (!dl.running)
		return true;
	left = (dl.end - now()) * 1000;
	if (left < 1)
		return false;
	*ms = (long)left;
	return true;
}

void eas_deadline_watch(size_t slot, const char *step, const volatile sig_atomic_t *phase)
{
	if (slot >= EAS_DEADLINE_SLOTS)
		return;
	dl.slot[slot].phase = NULL; /* never a step with a stale phase */
	dl.slot[slot].step = step;
	dl.slot[slot].phase = phase;
}

void eas_deadline_unwatch(void)
{
	for (size_t i = 0; i < EAS_DEADLINE_SLOTS; i++)
		dl.slot[i].phase = NULL;
}

void eas_deadline_stop(void)
{
	struct itimerval it = { 0 };

	setitimer(ITIMER_REAL, &it, NULL);
	dl.running = false;
	eas_deadline_unwatch();
}
