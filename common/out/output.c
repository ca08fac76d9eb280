/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "out/output.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "config.h"
#include "out/openmetrics.h"
#include "util/text.h"

int eas_format_parse(const char *name, enum eas_format *f)
{
	static const char *const names[] = { [EAS_FMT_TEXT] = "text",
					     [EAS_FMT_JSON] = "json",
					     [EAS_FMT_OPENMETRICS] = "openmetrics" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(name, names[i])) {
			*f = (enum eas_format)i;
			return 0;
		}
	return -1;
}

void eas_out_init(struct eas_output *o, const char *plugin, const char *aspect)
{
	memset(o, 0, sizeof *o);
	o->plugin = plugin;
	o->aspect = aspect;
	o->state = EAS_OK;
}

void eas_out_set_format(struct eas_output *o, enum eas_format f)
{
	o->format = f;
	if (f == EAS_FMT_JSON && !o->json)
		o->json = json_object_new_object();
}

void eas_out_set_target(struct eas_output *o, const char *host, long port, const char *url)
{
	if (host && port != 443)
		snprintf(o->target, sizeof o->target, "%s:%ld", host, port);
	else if (host)
		snprintf(o->target, sizeof o->target, "%s", host);
	else if (url)
		snprintf(o->target, sizeof o->target, "%.*s", (int)strcspn(url, "?#"), url);
	else
		o->target[0] = 0;
	eas_text_clean(o->target, 1); /* one line, valid UTF-8 */
}

void eas_out_raise(struct eas_output *o, enum eas_state s)
{
	o->state = eas_state_worst(o->state, s);
}

/* Text from servers and files ends up in our output: valid UTF-8 (a
 * buffer may have cut a character), one line, away from the perfdata
 * separator. */
static void sanitize(char *s)
{
	eas_text_clean(s, 1);
}

void eas_out_summary(struct eas_output *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->summary, sizeof o->summary, fmt, ap);
	va_end(ap);
	sanitize(o->summary);
	o->part[0] = 0;
	o->nparts = 1;
}

void eas_out_append(struct eas_output *o, const char *fmt, ...)
{
	size_t len = strlen(o->summary);
	va_list ap;

	if (len && len + 2 < sizeof o->summary) {
		memcpy(o->summary + len, ", ", 3);
		len += 2;
	}
	if (len + 1 >= sizeof o->summary)
		return;
	if (!len)
		o->nparts = 0;
	if (o->nparts < EAS_OUT_PARTS)
		o->part[o->nparts++] = len;
	va_start(ap, fmt);
	vsnprintf(o->summary + len, sizeof o->summary - len, fmt, ap);
	va_end(ap);
	sanitize(o->summary + len);
}

void eas_out_detail(struct eas_output *o, const char *fmt, ...)
{
	char line[2048];
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	sanitize(line);
	len = strlen(line);
	if (o->details_len + len + 2 > o->details_cap) {
		size_t cap = o->details_cap ? o->details_cap * 2 : 1024;
		char *p;

		while (cap < o->details_len + len + 2)
			cap *= 2;
		p = realloc(o->details, cap);
		if (!p)
			return; /* long output is best effort */
		o->details = p;
		o->details_cap = cap;
	}
	memcpy(o->details + o->details_len, line, len);
	o->details_len += len;
	o->details[o->details_len++] = '\n';
	o->details[o->details_len] = 0;
}

void eas_out_perf(struct eas_output *o, const char *label, double value, const char *uom,
		  const struct eas_thresholds *th, double min, double max)
{
	struct eas_perf *p;

	if (o->nperf == o->perf_cap) {
		size_t cap = o->perf_cap ? o->perf_cap * 2 : 8;
		struct eas_perf *n = realloc(o->perf, cap * sizeof *n);

		if (!n)
			return;
		o->perf = n;
		o->perf_cap = cap;
	}
	p = &o->perf[o->nperf++];
	memset(p, 0, sizeof *p);
	snprintf(p->label, sizeof p->label, "%s", label);
	sanitize(p->label);
	/* '=' and quotes would break the perfdata grammar. */
	for (char *c = p->label; *c; c++)
		if (*c == '=' || *c == '\'' || *c == '|' || (unsigned char)*c < 0x20)
			*c = '_';
	snprintf(p->uom, sizeof p->uom, "%s", uom ? uom : "");
	p->value = value;
	p->min = min;
	p->max = max;
	if (th && th->has_warn)
		snprintf(p->warn, sizeof p->warn, "%s", th->warn.text);
	if (th && th->has_crit)
		snprintf(p->crit, sizeof p->crit, "%s", th->crit.text);
}

size_t eas_out_sub(struct eas_output *o, const char *name, enum eas_state s, double order,
		   const char *fmt, ...)
{
	struct eas_sub *sub;
	va_list ap;

	if (o->nsub == o->sub_cap) {
		size_t cap = o->sub_cap ? o->sub_cap * 2 : 8;
		struct eas_sub *n = realloc(o->sub, cap * sizeof *n);

		if (!n)
			return (size_t)-1;
		o->sub = n;
		o->sub_cap = cap;
	}
	sub = &o->sub[o->nsub];
	memset(sub, 0, sizeof *sub);
	snprintf(sub->name, sizeof sub->name, "%s", name ? name : "");
	sub->state = s;
	sub->order = order;
	sub->id = o->nsub++;
	va_start(ap, fmt);
	vsnprintf(sub->text, sizeof sub->text, fmt, ap);
	va_end(ap);
	sanitize(sub->text);
	return sub->id;
}

/* The whole summary as the first line of the long output. */
static void detail_first(struct eas_output *o, const char *line)
{
	size_t len = strlen(line);
	char *p = malloc(o->details_len + len + 2);

	if (!p)
		return; /* long output is best effort */
	memcpy(p, line, len);
	p[len] = '\n';
	if (o->details_len)
		memcpy(p + len + 1, o->details, o->details_len);
	p[len + 1 + o->details_len] = 0;
	free(o->details);
	o->details = p;
	o->details_len += len + 1;
	o->details_cap = o->details_len + 1;
}

/* Where to cut text to at most max bytes: at the latest "; " (where our
 * sentences put the explanation after the cause), else the latest clause
 * boundary (" (", ": ", ", "), outside parentheses, that keeps at least
 * half; else at the latest blank, else between UTF-8 characters. */
#define MIN_CLAUSE 12 /* a later part's shortest useful start */

size_t eas_out_clause_cut(const char *text, size_t len, size_t max, bool words_ok)
{
	static const char *const marks[] = { " (", ": ", ", " };
	size_t best = 0, semi = 0, blank = 0;
	int depth = 0;

	if (len <= max)
		return len;
	for (size_t i = 1; i < len && i <= max; i++) {
		if (text[i] == ' ')
			blank = i;
		if (depth == 0 && !strncmp(text + i, "; ", 2))
			semi = i;
		for (size_t m = 0; depth == 0 && m < sizeof marks / sizeof marks[0]; m++)
			if (!strncmp(text + i, marks[m], strlen(marks[m])))
				best = i;
		if (text[i] == '(')
			depth++;
		else if (text[i] == ')' && depth > 0)
			depth--;
	}
	if (semi >= max / 2)
		return semi;
	if (best >= max / 2)
		return best;
	/* A later part keeps what its first clauses say, or nothing: cut
	 * between two words it would say nothing. */
	if (!words_ok)
		return semi >= MIN_CLAUSE ? semi : best >= MIN_CLAUSE ? best : 0;
	if (blank >= max / 2)
		return blank;
	while (max > 0 && ((unsigned char)text[max] & 0xC0) == 0x80)
		max--;
	return max;
}

#define MIN_TAIL 24 /* a cut part shorter than this says too little */

void eas_out_fit(struct eas_output *o)
{
	static const char more[] = " (see -v)";
	char head[96], fitted[sizeof o->summary], *s = o->summary;
	size_t len = strlen(s), budget, used = 0;
	int hl = snprintf(head, sizeof head, "EAS %s %s - ", o->aspect ? o->aspect : "",
			  eas_state_name(o->state));

	if (!len)
		return;
	budget = hl > 0 && (size_t)hl < EAS_OUT_LINE_MAX / 2 ? EAS_OUT_LINE_MAX - (size_t)hl
							     : EAS_OUT_LINE_MAX / 2;
	if (len > budget) {
		size_t room = budget - (sizeof more - 1), end0 = len, keep0, others = 0;
		size_t tail_from = 0, tail_len = 0;

		detail_first(o, s);
		if (o->nparts > 1 && o->part[1] >= 2 && o->part[1] <= len)
			end0 = o->part[1] - 2;
		/* The first part, the cause, keeps two thirds of the room (all
		 * of it when it leaves MIN_TAIL for more); the parts after it
		 * come whole, in order, while they fit, and when the first part
		 * is whole, the first that does not fit is cut into what is
		 * left if that is MIN_TAIL or more. */
		keep0 = end0 + 2 + MIN_TAIL <= room ? end0
			: end0 < room * 2 / 3       ? end0
						    : room * 2 / 3;
		for (size_t i = 1; i < o->nparts; i++) {
			size_t to = i + 1 < o->nparts ? o->part[i + 1] - 2 : len;

			if (o->part[i] > to || to > len)
				break;
			if (keep0 + others + 2 + (to - o->part[i]) > room) {
				size_t left = room - keep0 - others - 2;

				if (keep0 == end0 && keep0 + others + 2 + MIN_TAIL <= room) {
					tail_from = o->part[i];
					tail_len = eas_out_clause_cut(s + tail_from, to - tail_from,
								      left, false);
				}
				break;
			}
			others += 2 + (to - o->part[i]);
		}
		used = eas_out_clause_cut(s, end0, room - others - (tail_len ? tail_len + 2 : 0),
					  true);
		memcpy(fitted, s, used);
		if (others) {
			memcpy(fitted + used, s + end0, others);
			used += others;
		}
		if (tail_len) {
			memcpy(fitted + used, ", ", 2);
			memcpy(fitted + used + 2, s + tail_from, tail_len);
			used += 2 + tail_len;
		}
		memcpy(fitted + used, more, sizeof more);
		memcpy(s, fitted, used + sizeof more);
	}
	/* Nagios reads ';' in plugin output as a separator. */
	for (char *c = s; *c; c++)
		if (*c == ';')
			*c = ',';
}

static int rank(enum eas_state s)
{
	static const int r[] = {
		[EAS_CRITICAL] = 0, [EAS_UNKNOWN] = 1, [EAS_WARNING] = 2, [EAS_OK] = 3
	};
	return r[s & 3];
}

/* Worst state first; within it, by order, then as they came. */
static int by_severity(const void *a, const void *b)
{
	const struct eas_sub *x = a, *y = b;

	if (rank(x->state) != rank(y->state))
		return rank(x->state) - rank(y->state);
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

size_t eas_out_sub_summary(struct eas_output *o, size_t max)
{
	size_t problems = 0, more = 0;

	if (o->nsub)
		qsort(o->sub, o->nsub, sizeof *o->sub, by_severity);
	for (size_t i = 0; i < o->nsub && o->sub[i].state != EAS_OK; i++) {
		eas_out_raise(o, o->sub[i].state);
		problems++;
		if (problems > max) {
			more++;
			continue;
		}
		eas_out_append(o, "%s", o->sub[i].text);
		o->sub[i].shown = true;
	}
	if (more)
		eas_out_append(o, "%zu more problem%s (see -v)", more, more == 1 ? "" : "s");
	return problems;
}

bool eas_out_sub_shown(const struct eas_output *o, size_t id)
{
	for (size_t i = 0; i < o->nsub; i++)
		if (o->sub[i].id == id)
			return o->sub[i].shown;
	return false;
}

void eas_out_sub_notes(struct eas_output *o)
{
	for (size_t i = 0; i < o->nsub; i++)
		if (o->sub[i].state == EAS_OK)
			eas_out_append(o, "%s", o->sub[i].text);
}

void eas_out_sub_details(struct eas_output *o)
{
	for (size_t i = 0; i < o->nsub; i++)
		eas_out_detail(o, "%s: %s", eas_state_name(o->sub[i].state), o->sub[i].text);
}

struct json_object *eas_json_double(double v)
{
	char buf[48];
	size_t n;

	if (!isfinite(v))
		return json_object_new_double(v);
	snprintf(buf, sizeof buf, "%.6f", v);
	n = strlen(buf);
	while (n > 1 && buf[n - 1] == '0' && buf[n - 2] != '.')
		buf[--n] = 0;
	return json_object_new_double_s(v, buf);
}

struct json_object *eas_out_json(struct eas_output *o)
{
	return o->json;
}

static int fmt_number(char *buf, size_t size, double v, const char *uom)
{
	if (!strcmp(uom, "s"))
		return snprintf(buf, size, "%.6f", v);
	if (v == floor(v) && fabs(v) < 1e15)
		return snprintf(buf, size, "%.0f", v);
	return snprintf(buf, size, "%.3f", v);
}

size_t eas_perf_format(const struct eas_perf *p, char *buf, size_t size)
{
	char val[40], min[40] = "", max[40] = "";
	int n;

	fmt_number(val, sizeof val, p->value, p->uom);
	/* Bounds are usually whole numbers: no need for six decimals. */
	if (!isnan(p->min))
		fmt_number(min, sizeof min, p->min, p->min == floor(p->min) ? "" : p->uom);
	if (!isnan(p->max))
		fmt_number(max, sizeof max, p->max, p->max == floor(p->max) ? "" : p->uom);
	n = snprintf(buf, size, "'%s'=%s%s;%s;%s;%s;%s", p->label, val, p->uom, p->warn, p->crit,
		     min, max);
	/* Trailing empty fields are optional; drop them for readability. */
	while (n > 0 && (size_t)n < size && buf[n - 1] == ';')
		buf[--n] = 0;
	if (n < 0)
		return 0;
	return (size_t)n < size ? (size_t)n : size - 1;
}

static void print_text(struct eas_output *o, FILE *f)
{
	fprintf(f, "EAS %s %s - %s", o->aspect, eas_state_name(o->state),
		o->summary[0] ? o->summary : "no result");
	for (size_t i = 0; i < o->nperf; i++) {
		char buf[256];

		eas_perf_format(&o->perf[i], buf, sizeof buf);
		fprintf(f, "%s%s", i ? " " : " | ", buf);
	}
	fputc('\n', f);
	if (o->verbose && o->details)
		fputs(o->details, f);
}

/* Every string in the document valid UTF-8, whatever put it there. */
static void clean_json(struct json_object *j)
{
	switch (json_object_get_type(j)) {
	case json_type_string: {
		char *s = strdup(json_object_get_string(j));

		if (s) {
			eas_text_clean(s, 0);
			json_object_set_string(j, s);
			free(s);
		}
		break;
	}
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(j); i++)
			clean_json(json_object_array_get_idx(j, i));
		break;
	case json_type_object: {
		json_object_object_foreach(j, key, val)
		{
			(void)key; /* keys are ours */
			clean_json(val);
		}
		break;
	}
	default: break;
	}
}

static void print_json(struct eas_output *o, FILE *f)
{
	struct json_object *root = o->json, *perf, *details;

	json_object_object_add(root, "plugin", json_object_new_string(o->plugin));
	json_object_object_add(root, "version", json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(root, "aspect", json_object_new_string(o->aspect));
	json_object_object_add(root, "state", json_object_new_string(eas_state_name(o->state)));
	json_object_object_add(root, "exit_code", json_object_new_int(o->state));
	json_object_object_add(root, "summary", json_object_new_string(o->summary));
	perf = json_object_new_array();
	for (size_t i = 0; i < o->nperf; i++) {
		const struct eas_perf *p = &o->perf[i];
		struct json_object *item = json_object_new_object();

		json_object_object_add(item, "label", json_object_new_string(p->label));
		json_object_object_add(item, "value", eas_json_double(p->value));
		json_object_object_add(item, "uom", json_object_new_string(p->uom));
		if (p->warn[0])
			json_object_object_add(item, "warn", json_object_new_string(p->warn));
		if (p->crit[0])
			json_object_object_add(item, "crit", json_object_new_string(p->crit));
		if (!isnan(p->min))
			json_object_object_add(item, "min", eas_json_double(p->min));
		if (!isnan(p->max))
			json_object_object_add(item, "max", eas_json_double(p->max));
		json_object_array_add(perf, item);
	}
	json_object_object_add(root, "perfdata", perf);
	details = json_object_new_array();
	for (char *line = o->details, *nl; line && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		json_object_array_add(details, json_object_new_string_len(line, (int)(nl - line)));
	}
	json_object_object_add(root, "details", details);
	if (o->nsub) {
		struct json_object *subs = json_object_new_array();

		for (size_t i = 0; i < o->nsub; i++) {
			struct json_object *item = json_object_new_object();

			json_object_object_add(item, "name",
					       json_object_new_string(o->sub[i].name));
			json_object_object_add(item, "state",
					       json_object_new_string(
						       eas_state_name(o->sub[i].state)));
			json_object_object_add(item, "text",
					       json_object_new_string(o->sub[i].text));
			json_object_array_add(subs, item);
		}
		json_object_object_add(root, "subchecks", subs);
	}
	clean_json(root);
	fprintf(f, "%s\n",
		json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
							     JSON_C_TO_STRING_NOSLASHESCAPE));
}

int eas_out_finish(struct eas_output *o, FILE *stream)
{
	int code = (int)o->state;

	/* JSON is no status line: its summary stays whole. */
	if (!(o->format == EAS_FMT_JSON && o->json))
		eas_out_fit(o);
	if (o->format == EAS_FMT_JSON && o->json)
		print_json(o, stream);
	else if (o->format == EAS_FMT_OPENMETRICS)
		eas_om_write(&(struct eas_om_doc){ o->plugin, o->aspect, o->target, o->state,
						   o->perf, o->nperf },
			     stream);
	else
		print_text(o, stream);
	fflush(stream);
	eas_out_free(o);
	return code;
}

void eas_out_free(struct eas_output *o)
{
	json_object_put(o->json);
	free(o->details);
	free(o->perf);
	free(o->sub);
	o->json = NULL;
	o->details = NULL;
	o->perf = NULL;
	o->sub = NULL;
	o->nperf = o->perf_cap = o->details_len = o->details_cap = 0;
	o->nsub = o->sub_cap = 0;
}

int eas_out_exit(struct eas_output *o, enum eas_state s, const char *fmt, ...)
{
	va_list ap;

	o->state = s;
	va_start(ap, fmt);
	vsnprintf(o->summary, sizeof o->summary, fmt, ap);
	va_end(ap);
	sanitize(o->summary);
	o->part[0] = 0;
	o->nparts = 1;
	return eas_out_finish(o, stdout);
}
