#include "timeout.h"

#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "probe.h"

/* A signal handler can only reach what is static: this is the one piece of
 * file-level state in the project, written before the timer starts. */
static struct {
	char prefix[64];
	char seconds[16];
	enum eas_state state;
	const volatile sig_atomic_t *phase;
} armed;

static void put(char *buf, size_t *len, size_t size, const char *s)
{
	while (*s && *len + 1 < size)
		buf[(*len)++] = *s++;
}

static void on_alarm(int sig)
{
	char msg[256];
	size_t len = 0;

	(void)sig;
	put(msg, &len, sizeof msg, armed.prefix);
	put(msg, &len, sizeof msg, " ");
	put(msg, &len, sizeof msg, eas_state_name(armed.state));
	put(msg, &len, sizeof msg, " - plugin timed out after ");
	put(msg, &len, sizeof msg, armed.seconds);
	put(msg, &len, sizeof msg, "s");
	if (armed.phase) {
		put(msg, &len, sizeof msg, ", hung in the ");
		put(msg, &len, sizeof msg, eas_phase_name(*armed.phase));
	}
	put(msg, &len, sizeof msg, "\n");
	if (write(STDOUT_FILENO, msg, len) < 0)
		_exit(armed.state);
	_exit(armed.state);
}

void eas_timeout_arm(double seconds, enum eas_state state, const char *prefix,
		     const volatile sig_atomic_t *phase)
{
	struct itimerval it = { 0 };
	struct sigaction sa = { 0 };
	long whole = (long)seconds, frac = (long)((seconds - whole) * 10 + 0.5);
	char num[16];
	int i = 0;

	strncpy(armed.prefix, prefix, sizeof armed.prefix - 1);
	armed.state = state;
	armed.phase = phase;
	/* Format "12" or "2.5" once, here, not in the handler. */
	do {
		num[i++] = (char)('0' + whole % 10);
		whole /= 10;
	} while (whole && i < 10);
	for (int j = 0; j < i; j++)
		armed.seconds[j] = num[i - 1 - j];
	if (frac > 0 && frac < 10) {
		armed.seconds[i++] = '.';
		armed.seconds[i++] = (char)('0' + frac);
	}
	armed.seconds[i] = 0;

	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	it.it_value.tv_sec = (time_t)seconds;
	it.it_value.tv_usec = (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6);
	setitimer(ITIMER_REAL, &it, NULL);
}

void eas_timeout_disarm(void)
{
	struct itimerval it = { 0 };

	setitimer(ITIMER_REAL, &it, NULL);
}
