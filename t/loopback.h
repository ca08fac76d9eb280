/* SPDX-License-Identifier: GPL-3.0-or-later */
/* For the test servers of our own (t/tcp-helper, t/hostile-server): a
 * socket on 127.0.0.1 with a port the kernel picks, and that port
 * handed to the test script. They exit with a message on failure. */
#ifndef EAS_T_LOOPBACK_H
#define EAS_T_LOOPBACK_H

/* A TCP socket bound (not yet listening) to 127.0.0.1:0; its port. */
int loopback_bind(int *port);

/* Write the port atomically (temp file + rename): readers never see a
 * half-written number. */
void loopback_portfile(const char *path, int port);

#endif
