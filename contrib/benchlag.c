/* SPDX-License-Identifier: GPL-3.0-or-later */
/* benchlag: a TCP relay that adds a network's round trip, for make bench.
 *   benchlag RTT_MS PORT TARGET_PORT ADDRESS...
 * listens on every ADDRESS:PORT and relays each connection to the same
 * ADDRESS:TARGET_PORT, holding every chunk RTT_MS/2 in each direction: a
 * server that far away. Waiting costs no CPU (one poll loop), so that 4
 * nodes at once against one shows the client's concurrency, not the
 * loopback's CPU. Runs until killed, 600 s at most. */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_LISTEN 8
#define MAX_PAIRS 64
#define MAX_CHUNKS 64
#define CHUNK 16384

struct chunk {
	double due;
	size_t len;
	char data[CHUNK];
};

/* One direction of a relayed connection: what was read from `from`,
 * written to `to` when due. */
struct flow {
	int from, to;
	struct chunk q[MAX_CHUNKS];
	int head, count;
	int eof; /* `from` ended: shut `to` down once the queue is empty */
};

static struct flow flows[MAX_PAIRS * 2];
static int nflows;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int listen_on(const char *addr, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0 || inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) || listen(fd, 64)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void relay(int lfd, int target_port)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int c = accept(lfd, (struct sockaddr *)&sa, &len), s;

	if (c < 0)
		return;
	/* The address the client reached, on the target port. */
	len = sizeof sa;
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (nflows + 2 > MAX_PAIRS * 2 || s < 0 || getsockname(c, (struct sockaddr *)&sa, &len) ||
	    (sa.sin_port = htons((unsigned short)target_port),
	     connect(s, (struct sockaddr *)&sa, sizeof sa))) {
		close(c);
		if (s >= 0)
			close(s);
		return;
	}
	/* No Nagle: a held chunk goes out when due, not after the peer's
	 * delayed ACK of the one before (curl and nginx set this too). */
	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
	memset(&flows[nflows], 0, 2 * sizeof flows[0]);
	flows[nflows].from = c, flows[nflows].to = s;
	flows[nflows + 1].from = s, flows[nflows + 1].to = c;
	nflows += 2;
}

/* Write what is due; the earliest still held, or 0. */
static double deliver(struct flow *f, double t)
{
	while (f->count && f->q[f->head].due <= t) {
		struct chunk *ch = &f->q[f->head];

		if (send(f->to, ch->data, ch->len, MSG_NOSIGNAL) != (ssize_t)ch->len)
			f->eof = 2;
		f->head = (f->head + 1) % MAX_CHUNKS;
		f->count--;
	}
	if (!f->count && f->eof == 1) {
		shutdown(f->to, SHUT_WR);
		f->eof = 2;
	}
	return f->count ? f->q[f->head].due : 0;
}

/* Both directions done: close the pair and drop it. */
static void reap(void)
{
	for (int i = 0; i < nflows; i += 2)
		if (flows[i].eof == 2 && flows[i + 1].eof == 2) {
			close(flows[i].from);
			close(flows[i].to);
			nflows -= 2;
			memmove(&flows[i], &flows[i + 2], (size_t)(nflows - i) * sizeof flows[0]);
			i -= 2;
		}
}

int main(int argc, char **argv)
{
	struct pollfd pfd[MAX_LISTEN + MAX_PAIRS * 2];
	int lfd[MAX_LISTEN], nl = 0, port, target;
	double half, end = now() + 600;

	if (argc < 5 || argc - 4 > MAX_LISTEN) {
		fprintf(stderr, "usage: benchlag RTT_MS PORT TARGET_PORT ADDRESS... (at most %d)\n",
			MAX_LISTEN);
		return 2;
	}
	half = atof(argv[1]) / 2000.0;
	port = atoi(argv[2]);
	target = atoi(argv[3]);
	for (int i = 4; i < argc; i++)
		if ((lfd[nl++] = listen_on(argv[i], port)) < 0) {
			perror(argv[i]);
			return 1;
		}
	while (now() < end) {
		double t = now(), next = 0;
		int n = 0, wait;

		for (int i = 0; i < nflows; i++) {
			double due = deliver(&flows[i], t);

			if (due && (!next || due < next))
				next = due;
		}
		reap();
		for (int i = 0; i < nl; i++)
			pfd[n++] = (struct pollfd){ .fd = lfd[i], .events = POLLIN };
		for (int i = 0; i < nflows; i++)
			pfd[n++] = (struct pollfd){
				.fd = flows[i].from,
				.events = flows[i].eof || flows[i].count == MAX_CHUNKS ? 0 : POLLIN
			};
		wait = next ? (int)((next - t) * 1000) + 1 : 1000;
		if (poll(pfd, (nfds_t)n, wait) <= 0)
			continue;
		t = now();
		for (int i = 0; i < nflows; i++) {
			struct flow *f = &flows[i];
			struct chunk *ch;
			ssize_t got;

			if (f->eof || !(pfd[nl + i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ch = &f->q[(f->head + f->count) % MAX_CHUNKS];
			got = read(f->from, ch->data, sizeof ch->data);
			if (got <= 0) {
				f->eof = 1;
				continue;
			}
			ch->len = (size_t)got;
			ch->due = t + half;
			f->count++;
		}
		for (int i = 0; i < nl; i++)
			if (pfd[i].revents & POLLIN)
				relay(lfd[i], target);
	}
	return 0;
}
