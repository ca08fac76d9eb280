/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Plugin output: one state, a summary line, perfdata, long output (-v),
 * sub-checks and, on request, the same as one JSON document. Everything is
 * printed once, by eas_out_finish(), so a plugin can raise the state as it
 * learns more. */
#ifndef EAS_OUTPUT_H
#define EAS_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/range.h"
#include "util/state.h"

struct json_object;

enum eas_format { EAS_FMT_TEXT, EAS_FMT_JSON, EAS_FMT_OPENMETRICS };

struct eas_perf {
	char label[64];
	char uom[4];
	double value, min, max; /* min/max: NAN when absent */
	char warn[48], crit[48];
};

/* A sub-check: one part of a check with its own state and sentence (a
 * certificate finding, an authentication probe, a protocol step). */
struct eas_sub {
	char name[64];
	enum eas_state state;
	double order; /* within a state: lower first */
	size_t id;    /* as returned by eas_out_sub() */
	bool shown;   /* named in the summary */
	char text[480];
};

/* The first line's text before '|' at most this long (bytes): what
 * pagers, notifications and Nagios' status pages show whole. */
#define EAS_OUT_LINE_MAX 160
#define EAS_OUT_PARTS 24

struct eas_output {
	const char *plugin; /* "check_eas_options" */
	const char *aspect; /* "OPTIONS" */
	char target[256];   /* what is checked, for openmetrics' target label */
	enum eas_format format;
	int verbose;
	enum eas_state state;
	char summary[1024];
	size_t part[EAS_OUT_PARTS]; /* where each appended part starts */
	size_t nparts;
	char *details; /* newline-separated long output */
	size_t details_len, details_cap;
	struct eas_perf *perf;
	size_t nperf, perf_cap;
	struct eas_sub *sub;
	size_t nsub, sub_cap;
	struct json_object *json; /* plugin extras; only in JSON mode */
};

/* "text", "json" or "openmetrics" into *f: 0, or -1 for another word. */
int eas_format_parse(const char *name, enum eas_format *f);
void eas_out_init(struct eas_output *o, const char *plugin, const char *aspect);
void eas_out_set_format(struct eas_output *o, enum eas_format f);
/* What is checked (a host name, host:port or URL), named by the
 * openmetrics format; a URL's query and fragment are left out. */
void eas_out_set_target(struct eas_output *o, const char *host, long port, const char *url);
/* Raise the state (never lowers it). */
void eas_out_raise(struct eas_output *o, enum eas_state s);
void eas_out_summary(struct eas_output *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append to the summary, separated by ", ". */
void eas_out_append(struct eas_output *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A line of long output, shown with -v and in JSON "details". */
void eas_out_detail(struct eas_output *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Perfdata; th may be NULL, min/max NAN when absent. */
void eas_out_perf(struct eas_output *o, const char *label, double value, const char *uom,
		  const struct eas_thresholds *th, double min, double max);
/* Record a sub-check; returns its id. order ranks sub-checks of the same
 * state (lower first), then the order they came in. */
size_t eas_out_sub(struct eas_output *o, const char *name, enum eas_state s, double order,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Raise the state to the worst sub-check and append the problems to the
 * summary, worst first, at most max of them, then "N more problems (see
 * -v)". Returns the number of problems. */
size_t eas_out_sub_summary(struct eas_output *o, size_t max);
/* Was sub-check id named in the summary? */
bool eas_out_sub_shown(const struct eas_output *o, size_t id);
/* Append the OK sub-checks' sentences to the summary (notes). */
void eas_out_sub_notes(struct eas_output *o);
/* One long-output line per sub-check, worst first: "STATE: text". */
void eas_out_sub_details(struct eas_output *o);
/* A JSON number printed with at most six decimals (no binary noise). */
struct json_object *eas_json_double(double v);
/* The JSON root object plugins may add fields to, NULL in text mode. */
struct json_object *eas_out_json(struct eas_output *o);
/* Print everything to stream, release, and return the exit code. */
int eas_out_finish(struct eas_output *o, FILE *stream);
/* Release without printing (a scratch output whose verdict was read). */
void eas_out_free(struct eas_output *o);
/* Shortcut: set state and summary, then finish on stdout. */
int eas_out_exit(struct eas_output *o, enum eas_state s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Fit the summary into the first line (EAS_OUT_LINE_MAX with the "EAS
 * ASPECT STATE - " head): ';' becomes ',' (Nagios takes it for a
 * separator); when too long, the parts that fit are kept in order (the
 * first, the cause, cut at a clause boundary: "; ", " (", ": ", ", "),
 * " (see -v)" says more exists, and the whole summary becomes the first
 * line of the long output. eas_out_finish() calls it for text (a JSON
 * summary stays whole); exposed for tests. */
void eas_out_fit(struct eas_output *o);

/* Where to cut text (len bytes) to at most max bytes, at a clause
 * boundary ("; ", " (", ": ", ", ") that keeps at least half; else
 * (words_ok) at a blank or between UTF-8 characters, or (not words_ok) 0
 * when no clause of at least a few bytes fits. */
size_t eas_out_clause_cut(const char *text, size_t len, size_t max, bool words_ok);

/* Format one perfdata item ('label'=value[UOM];warn;crit;min;max) into buf.
 * Returns the length written (truncated at size). Exposed for tests. */
size_t eas_perf_format(const struct eas_perf *p, char *buf, size_t size);

#endif
