/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "out/openmetrics.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/range.h"

#define NAME_MAX_LEN 160

/* The perfdata UOMs (Monitoring Plugins guidelines) and the base unit a
 * Prometheus name carries. */
static const struct {
	const char *uom, *unit;
	double factor;
} units[] = {
	{ "s", "seconds", 1 },           { "ms", "seconds", 1e-3 },
	{ "us", "seconds", 1e-6 },       { "B", "bytes", 1 },
	{ "KB", "bytes", 1024.0 },       { "MB", "bytes", 1048576.0 },
	{ "GB", "bytes", 1073741824.0 }, { "TB", "bytes", 1099511627776.0 },
	{ "%", "percent", 1 },
};

/* [a-z0-9_] from free text, runs of anything else as one '_', none at
 * either end. */
static void name_part(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	for (; *s && n + 1 < size; s++) {
		unsigned char c = (unsigned char)*s;

		if (isascii(c) && isalnum(c))
			buf[n++] = (char)tolower(c);
		else if (n && buf[n - 1] != '_')
			buf[n++] = '_';
	}
	while (n && buf[n - 1] == '_')
		n--;
	buf[n] = 0;
}

/* Drop word from the start or the end of part: the unit goes at the end. */
static void drop_word(char *part, const char *word)
{
	size_t n = strlen(part), w = strlen(word);

	if (n == w && !strcmp(part, word))
		part[0] = 0;
	else if (n > w && part[w] == '_' && !strncmp(part, word, w))
		memmove(part, part + w + 1, n - w);
	else if (n > w && part[n - w - 1] == '_' && !strcmp(part + n - w, word))
		part[n - w - 1] = 0;
}

void eas_om_name(const char *aspect, const struct eas_perf *p, char *buf, size_t size,
		 struct eas_om_unit *u)
{
	char a[64], l[sizeof p->label];

	*u = (struct eas_om_unit){ "", p->uom, 1 };
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (!strcmp(p->uom, units[i].uom))
			*u = (struct eas_om_unit){ units[i].unit, p->uom, units[i].factor };
	name_part(aspect, a, sizeof a);
	name_part(p->label, l, sizeof l);
	/* The certificate plugins' days carry no UOM (there is none for
	 * days); their labels say it. */
	if (!p->uom[0] && (!strcmp(l, "days") || !strncmp(l, "days_", 5) ||
			   (strlen(l) > 5 && !strcmp(l + strlen(l) - 5, "_days")))) {
		*u = (struct eas_om_unit){ "seconds", "days", 86400 };
		drop_word(l, "days");
	}
	if (u->unit[0])
		drop_word(l, u->unit);
	snprintf(buf, size, "eas_%s%s%s%s%s", a, l[0] ? "_" : "", l, u->unit[0] ? "_" : "",
		 u->unit);
}

/* Label values: backslash, quote and newline escaped. */
static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void put_value(FILE *f, double v)
{
	if (isnan(v))
		fputs("NaN", f);
	else if (isinf(v))
		fputs(v > 0 ? "+Inf" : "-Inf", f);
	else if (v == 0)
		fputs("0", f); /* not "-0" */
	else
		fprintf(f, "%.15g", v);
}

static void put_labels(FILE *f, const struct eas_om_doc *d, const char *extra)
{
	fputs("{plugin=\"", f);
	put_escaped(f, d->plugin);
	fputc('"', f);
	if (d->target && d->target[0]) {
		fputs(",target=\"", f);
		put_escaped(f, d->target);
		fputc('"', f);
	}
	fprintf(f, "%s} ", extra);
}

static void put_family(FILE *f, const char *name, const char *unit, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
	if (unit[0])
		fprintf(f, "# UNIT %s %s\n", name, unit);
}

/* A family name may appear once: two labels that read alike once cleaned
 * ("a-b", "a_b") keep the first. */
static bool first_use(char (*seen)[NAME_MAX_LEN], size_t *nseen, const char *name)
{
	for (size_t i = 0; i < *nseen; i++)
		if (!strcmp(seen[i], name))
			return false;
	snprintf(seen[(*nseen)++], NAME_MAX_LEN, "%s", name);
	return true;
}

/* One family per threshold: its finite ends, and whether values inside
 * ('@') or outside the range alert. A range that does not parse is left
 * out. */
static void put_threshold(FILE *f, const struct eas_om_doc *d, const char *base,
			  const struct eas_om_unit *u, const char *which, const char *text,
			  char (*seen)[NAME_MAX_LEN], size_t *nseen)
{
	struct eas_range r;
	char name[NAME_MAX_LEN], help[128], extra[64];

	if (!text[0] || eas_range_parse(text, &r) || (r.start_infinite && r.end_infinite))
		return;
	snprintf(name, sizeof name, "%s_%s%s%s", base, which, u->unit[0] ? "_" : "", u->unit);
	if (!first_use(seen, nseen, name))
		return;
	snprintf(help, sizeof help, "The %s range of %s: its ends (alert inside or outside)", which,
		 base);
	put_family(f, name, u->unit, help);
	for (int end = 0; end < 2; end++) {
		if (end ? r.end_infinite : r.start_infinite)
			continue;
		snprintf(extra, sizeof extra, ",bound=\"%s\",alert=\"%s\"", end ? "upper" : "lower",
			 r.inside ? "inside" : "outside");
		fputs(name, f);
		put_labels(f, d, extra);
		put_value(f, (end ? r.end : r.start) * u->factor);
		fputc('\n', f);
	}
}

int eas_om_write(const struct eas_om_doc *d, FILE *f)
{
	char(*seen)[NAME_MAX_LEN] = calloc(3 * d->nperf + 1, NAME_MAX_LEN);
	size_t nseen = 0;

	if (!seen)
		return -1;
	first_use(seen, &nseen, "eas_state");
	put_family(f, "eas_state", "",
		   "The check's state and exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN");
	fputs("eas_state", f);
	put_labels(f, d, "");
	fprintf(f, "%d\n", (int)d->state);
	for (size_t i = 0; i < d->nperf; i++) {
		const struct eas_perf *p = &d->perf[i];
		char base[NAME_MAX_LEN], name[NAME_MAX_LEN], help[160];
		struct eas_om_unit u;
		size_t n;

		eas_om_name(d->aspect, p, name, sizeof name, &u);
		if (!first_use(seen, &nseen, name))
			continue;
		/* The thresholds' names put which before the unit. */
		n = strlen(name) - (u.unit[0] ? strlen(u.unit) + 1 : 0);
		snprintf(base, sizeof base, "%.*s", (int)n, name);
		snprintf(help, sizeof help, "Perfdata '%s' of %s%s%s%s%s", p->label, d->plugin,
			 u.from[0] ? ", in " : "", u.from, u.factor != 1 ? " as " : "",
			 u.factor != 1 ? u.unit : "");
		for (char *c = help; *c; c++) /* the label is ours, cleaned: no newline */
			if (*c == '\\')
				*c = '/';
		put_family(f, name, u.unit, help);
		fputs(name, f);
		put_labels(f, d, "");
		put_value(f, p->value * u.factor);
		fputc('\n', f);
		put_threshold(f, d, base, &u, "warning", p->warn, seen, &nseen);
		put_threshold(f, d, base, &u, "critical", p->crit, seen, &nseen);
	}
	fputs("# EOF\n", f);
	free(seen);
	return ferror(f) ? -1 : 0;
}
