/* SPDX-License-Identifier: GPL-3.0-or-later */
/* For the test CGIs behind Apache (t/eas-responder, t/eas-syncd,
 * t/autodiscover-responder): waiting that ends when the client goes. */
#ifndef EAS_T_CGIWAIT_H
#define EAS_T_CGIWAIT_H

/* Has the client closed its connection? 0 when unsure. */
int cgi_client_gone(void);

/* Wait up to n seconds (at most an hour, none when negative); exit early if the client disconnects or Apache
 * (our reader) goes away, e.g. because it is being stopped. */
void cgi_wait(long n);

#endif
