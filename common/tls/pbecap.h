/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How much work an encrypted key file asks of us before we know whether
 * the password is right: the key-derivation rounds (PBKDF2 or the PKCS#12
 * KDF) of every encrypted part, read from the file's parameters without
 * decrypting anything. A file asking for 2^31 rounds would otherwise hold
 * the check for minutes and end in a timeout that names no file. */
#ifndef EAS_PBECAP_H
#define EAS_PBECAP_H

#include <openssl/pkcs12.h>
#include <openssl/x509.h>

/* Rounds above this are refused: legitimate files use 2048 (OpenSSL,
 * Windows) to some 600,000 (current recommendations). */
#define EAS_PBE_MAX_ROUNDS 2000000L

/* The most rounds any part of p12 asks for: the MAC, each encrypted
 * safe, each shrouded key bag (password opens the encrypted safes to
 * reach the bags inside, once their own rounds are known to be
 * acceptable; NULL or wrong: those bags are not reached, and the parser
 * will not open them either). -1 when a count does not fit a long. */
long eas_pbe_rounds_p12(const PKCS12 *p12, const char *password);

/* The rounds an encrypted PKCS#8 key (PEM "ENCRYPTED PRIVATE KEY") asks
 * for; -1 when it does not fit a long, 0 when none is named. */
long eas_pbe_rounds_sig(const X509_SIG *sig);

/* Is rounds (as returned above) acceptable? */
int eas_pbe_rounds_ok(long rounds);

#endif
