/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the libFuzzer harnesses (fuzz/fuzz_*.c): reading the
 * input as fields, a regular file with given contents, UTF-8 checks and
 * the one way an invariant fails. Header-only: each harness is one file. */
#ifndef EAS_FUZZ_H
#define EAS_FUZZ_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* A violated invariant: say which, then trap (libFuzzer saves the input). */
#define FUZZ_ASSERT(cond, ...)                                                                \
	do {                                                                                  \
		if (!(cond)) {                                                                \
			fprintf(stderr, "INVARIANT VIOLATED %s:%d: %s: ", __FILE__, __LINE__, \
				#cond);                                                       \
			fprintf(stderr, __VA_ARGS__);                                         \
			fputc('\n', stderr);                                                  \
			__builtin_trap();                                                     \
		}                                                                             \
	} while (0)

/* The input, consumed from the front. */
struct fz {
	const uint8_t *p;
	size_t n;
};

static inline uint8_t fz_byte(struct fz *f)
{
	uint8_t b = 0;

	if (f->n) {
		b = *f->p++;
		f->n--;
	}
	return b;
}

static inline uint16_t fz_u16(struct fz *f)
{
	uint16_t hi = fz_byte(f);

	return (uint16_t)(hi << 8 | fz_byte(f));
}

/* The next field up to a NUL (or the end), as a new NUL-terminated string
 * (the caller frees it). */
static inline char *fz_str(struct fz *f)
{
	const uint8_t *z = memchr(f->p, 0, f->n);
	size_t len = z ? (size_t)(z - f->p) : f->n;
	char *s = malloc(len + 1);

	if (!s)
		abort();
	memcpy(s, f->p, len);
	s[len] = 0;
	f->p += len + (z ? 1 : 0);
	f->n -= len + (z ? 1 : 0);
	return s;
}

/* The rest of the input, NUL-terminated, *len its length. */
static inline char *fz_rest(struct fz *f, size_t *len)
{
	char *s = malloc(f->n + 1);

	if (!s)
		abort();
	memcpy(s, f->p, f->n);
	s[f->n] = 0;
	*len = f->n;
	f->p += f->n;
	f->n = 0;
	return s;
}

/* A regular file in memory whose name is /proc/self/fd/N, rewritten per
 * input: no disk I/O, nothing left behind. */
static inline const char *fz_file(const void *data, size_t len)
{
	static int fd = -1;
	static char path[64];

	if (fd < 0) {
		fd = memfd_create("eas-fuzz", 0);
		if (fd < 0) {
			perror("memfd_create");
			abort();
		}
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || (len && pwrite(fd, data, len, 0) != (ssize_t)len)) {
		perror("memfd write");
		abort();
	}
	return path;
}

/* Valid UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF). */
static inline bool fz_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + len;

	while (p < e) {
		unsigned c = *p++;
		int more;
		unsigned cp, min;

		if (c < 0x80)
			continue;
		if (c >= 0xc2 && c <= 0xdf) {
			more = 1;
			cp = c & 0x1f;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			more = 2;
			cp = c & 0x0f;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			more = 3;
			cp = c & 0x07;
			min = 0x10000;
		} else {
			return false;
		}
		if (e - p < more)
			return false;
		while (more--) {
			if ((*p & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (*p++ & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
	}
	return true;
}

/* EAS_FUZZ_SKIP_KNOWN=1 turns off the invariants of the findings listed
 * in fuzz/findings/ (each marked "known finding" where it is checked), so
 * that a long exploratory run can look past them; CI never sets it. */
static inline bool fz_skip_known(void)
{
	static int skip = -1;

	if (skip < 0) {
		const char *v = getenv("EAS_FUZZ_SKIP_KNOWN");

		skip = v && !strcmp(v, "1");
	}
	return skip;
}

#endif
