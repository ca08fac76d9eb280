/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A plugin's own options, declared: one row each with a kind and where
 * the value goes (an offset into the plugin's option struct). The parser
 * checks and fills; every kind refuses a bad value with the same words. */
#ifndef EAS_OPTDECL_H
#define EAS_OPTDECL_H

#include <stdbool.h>
#include <stddef.h>

enum eas_opt_kind {
	EAS_OPT_FLAG,   /* no value: the bool at .at becomes true */
	EAS_OPT_CHOICE, /* one of .words: the int (or enum) at .at gets .values[i], or i */
	EAS_OPT_LONG,   /* a whole number from .min to .max: long */
	EAS_OPT_DOUBLE, /* a number from .min to .max: double */
	EAS_OPT_LIST,   /* repeatable, at most .max times: const char *[] at .at,
			 * its size_t count at .count_at; each item .valid */
	EAS_OPT_STRING, /* const char *, .valid if given */
	EAS_OPT_FILE,   /* a file or directory name, not empty: const char * */
	EAS_OPT_URL,    /* an http:// or https:// URL: const char * */
	EAS_OPT_VALUE,  /* .parse turns the text into what is at .at */
	EAS_OPT_UNUSED, /* takes a value and ignores it (shared credential sets) */
};

struct eas_optdecl {
	const char *name;    /* long name, without "--" */
	const char *argname; /* for --help, NULL for a flag */
	const char *help;
	enum eas_opt_kind kind;
	size_t at, count_at;            /* offsetof the destination (and a list's count) */
	double min, max;                /* numbers: the range; a list: its capacity */
	const char *const *words;       /* CHOICE: NULL-ended */
	const int *values;              /* CHOICE: what each word stores; NULL: its index */
	bool (*valid)(const char *arg); /* STRING, LIST: NULL takes any */
	int (*parse)(const char *arg, void *dest); /* VALUE: 0, or -1 when not .what */
	const char *what; /* "'X' is not WHAT"; numbers: the noun ("a number of days") */
	const char *need; /* set: the option must be given, "no --NAME given: NEED" */
};

/* A row's head; the kind's own fields follow as designators:
 * { EAS_OPTROW("days", "N", "help", EAS_OPT_LONG, offsetof(...)), .max = 9 } */
#define EAS_OPTROW(name_, argname_, help_, kind_, at_) \
	.name = (name_), .argname = (argname_), .help = (help_), .kind = (kind_), .at = (at_)

#define EAS_OPTDECL_MAX 32 /* rows a plugin may declare */

/* Apply one value of d to the plugin's struct at base; n counts how often
 * d was given before. Returns 0; -1 with err "'X' is not ..." (it quotes
 * the value); -2 with err a whole sentence that quotes no value. */
int eas_optdecl_apply(const struct eas_optdecl *d, void *base, const char *arg, char *err,
		      size_t errlen);

/* After parsing: -1 with err when an option with .need was not given
 * (seen[i] for row i). */
int eas_optdecl_needed(const struct eas_optdecl *decls, const bool *seen, char *err, size_t errlen);

/* For VALUE rows: OK, WARNING, CRITICAL, UNKNOWN (or 0-3) into an enum eas_state. */
int eas_optdecl_state(const char *arg, void *dest);

#endif
