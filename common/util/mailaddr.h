/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An e-mail address as an operator gives it (--address, --autodiscover) or
 * a server answers it (an Autodiscover RedirectAddr): whether it is a
 * plausible mailbox. Below the command line and Autodiscover, which both
 * ask. */
#ifndef EAS_MAILADDR_H
#define EAS_MAILADDR_H

#include <stdbool.h>

#define EAS_MAILADDR_MAX 319 /* bytes of an e-mail address */

/* At most EAS_MAILADDR_MAX bytes of valid UTF-8, user@domain, no control
 * characters, no blank in the domain. */
bool eas_mailaddr_ok(const char *addr);

#endif
