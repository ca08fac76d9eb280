/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "cgiwait.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* mod_cgi does not tell a CGI that the client left, so look the
 * connection up in /proc/net/tcp (Linux, IPv4 loopback): the server side
 * of a connection the client has closed is in CLOSE_WAIT (state 08), or
 * gone. The vhosts set UseCanonicalPhysicalPort, so SERVER_PORT is the
 * real port. */
int cgi_client_gone(void)
{
	const char *rp = getenv("REMOTE_PORT"), *sp = getenv("SERVER_PORT");
	unsigned rport = rp ? (unsigned)strtoul(rp, NULL, 10) : 0;
	unsigned sport = sp ? (unsigned)strtoul(sp, NULL, 10) : 0;
	char line[512];
	int found = 0, closed = 0;
	FILE *f;

	if (!rport || !sport || !(f = fopen("/proc/net/tcp", "r")))
		return 0;
	while (fgets(line, sizeof line, f)) {
		unsigned lport, remport, state;

		/* "  1: 0100007F:1F90 0100007F:C350 01 ..." */
		if (sscanf(line, " %*u: %*x:%x %*x:%x %x", &lport, &remport, &state) == 3 &&
		    lport == sport && remport == rport) {
			found = 1;
			closed = (state == 0x08); /* TCP_CLOSE_WAIT */
			break;
		}
	}
	fclose(f);
	return !found || closed;
}

void cgi_wait(long n)
{
	pid_t parent = getppid();
	struct timespec start, now;

	if (n > 3600) /* no test waits longer than an hour */
		n = 3600;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd pfd = { .fd = STDOUT_FILENO, .events = 0 };

		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 >=
		    n * 1000)
			return;
		if (poll(&pfd, 1, 100) > 0 && (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)))
			exit(0);
		if (getppid() != parent || cgi_client_gone())
			exit(0);
	}
}
