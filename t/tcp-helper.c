/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tcp-helper - tiny TCP fixtures for the check-eas test harness.
 *
 *   tcp-helper freeport            print a free 127.0.0.1 TCP port
 *   tcp-helper blackhole PORTFILE  listen on 127.0.0.1:0, write the port to
 *                                  PORTFILE, accept connections and never send
 *                                  anything (connections stay open)
 *   tcp-helper garbage PORTFILE    same, but answer every connection with
 *                                  "HELLO\r\n" (not TLS) and close it
 *
 * blackhole and garbage run until killed, or 120 seconds at most, so a
 * forgotten helper cannot outlive a test run for long.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "loopback.h"

#define LIFETIME_SECONDS 120
#define MAX_HELD 256

static void die(const char *what)
{
	fprintf(stderr, "tcp-helper: %s: %s\n", what, strerror(errno));
	exit(1);
}

static _Noreturn void serve(const char *portfile, int garbage)
{
	int nheld = 0, port, lfd;

	signal(SIGPIPE, SIG_IGN);
	alarm(LIFETIME_SECONDS); /* default action of SIGALRM: terminate */

	lfd = loopback_bind(&port);
	if (listen(lfd, 64) < 0)
		die("listen");
	loopback_portfile(portfile, port);

	for (;;) {
		int cfd = accept(lfd, NULL, NULL);

		if (cfd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept");
		}
		if (garbage) {
			static const char msg[] = "HELLO\r\n";
			struct timeval tv = { 1, 0 };
			char buf[4096];

			if (write(cfd, msg, sizeof msg - 1) < 0) {
				/* peer already gone; nothing to do */
			}
			/* Send FIN, then swallow what the client sent (e.g. a
			 * ClientHello) so that close() does not turn into a RST
			 * that could hide our reply from the client. */
			shutdown(cfd, SHUT_WR);
			setsockopt(cfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
			while (read(cfd, buf, sizeof buf) > 0)
				;
			close(cfd);
		} else if (nheld < MAX_HELD) {
			nheld++; /* keep cfd open, say nothing */
		} else {
			close(cfd);
		}
	}
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "freeport") == 0) {
		int port, fd = loopback_bind(&port);

		close(fd);
		printf("%d\n", port);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "blackhole") == 0)
		serve(argv[2], 0);
	if (argc == 3 && strcmp(argv[1], "garbage") == 0)
		serve(argv[2], 1);

	fprintf(stderr, "usage: tcp-helper freeport\n"
			"       tcp-helper blackhole PORTFILE\n"
			"       tcp-helper garbage PORTFILE\n");
	return 2;
}
