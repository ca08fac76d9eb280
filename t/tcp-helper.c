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

#define LIFETIME_SECONDS 120
#define MAX_HELD 256

static void die(const char *what)
{
	fprintf(stderr, "tcp-helper: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Bind a listening (or not) socket to 127.0.0.1:0 and return it. */
static int bind_loopback(int *port)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = 0;
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		die("bind 127.0.0.1:0");
	if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
		die("getsockname");
	*port = ntohs(sa.sin_port);
	return fd;
}

/* Write the port atomically (temp file + rename): readers never see a
 * half-written number. */
static void write_portfile(const char *path, int port)
{
	char tmp[4096];
	FILE *f;

	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		die(path);
	}
	f = fopen(tmp, "w");
	if (!f)
		die(tmp);
	fprintf(f, "%d\n", port);
	if (fclose(f) != 0)
		die(tmp);
	if (rename(tmp, path) < 0)
		die(path);
}

static _Noreturn void serve(const char *portfile, int garbage)
{
	int nheld = 0, port, lfd;

	signal(SIGPIPE, SIG_IGN);
	alarm(LIFETIME_SECONDS); /* default action of SIGALRM: terminate */

	lfd = bind_loopback(&port);
	if (listen(lfd, 64) < 0)
		die("listen");
	write_portfile(portfile, port);

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
		int port, fd = bind_loopback(&port);

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
