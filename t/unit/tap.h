/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Minimal TAP output for the unit tests: "ok N - name" / "not ok N - name". */
#ifndef EAS_TAP_H
#define EAS_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct tap {
	int n, failed;
};

#define TAP_OK(t, cond, ...) tap_report((t), (cond), __FILE__, __LINE__, __VA_ARGS__)

__attribute__((format(printf, 5, 6))) static inline void tap_report(struct tap *t, int cond,
								    const char *file, int line,
								    const char *fmt, ...)
{
	va_list ap;

	t->n++;
	if (!cond)
		t->failed++;
	printf("%sok %d - ", cond ? "" : "not ", t->n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		printf("#   at %s:%d\n", file, line);
}

static inline int tap_done(struct tap *t)
{
	printf("1..%d\n", t->n);
	return t->failed ? 1 : 0;
}

#endif
