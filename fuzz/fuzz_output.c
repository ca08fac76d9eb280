/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Plugin output: summary, appended text, details, perfdata and sub-checks
 * from input strings, printed once as text and once as JSON (the same
 * calls replayed), then read back.
 * Input: a settings byte (verbose, sub-check summary and its maximum,
 * notes, details), then operations: an opcode byte and NUL-separated
 * strings (summary, append, detail, perfdata label/thresholds/numbers,
 * sub-check name/state/order/text, raise). Text reaches the output only
 * as "%s" arguments, never as a format.
 * Invariants:
 *  - text: the first line is "EAS <aspect> <STATE> - <summary>", then at
 *    most one " | " and the perfdata; no control character in it; with -v
 *    the details follow, one per line, without control characters;
 *  - every perfdata item has no newline and no '|', in any buffer size;
 *  - JSON: json_tokener parses the whole document (strict mode too), with
 *    the fields plugin, aspect, state, exit_code, summary, perfdata (one
 *    per item), details and subchecks (one per sub-check); its summary,
 *    state and details equal the text output's;
 *  - JSON is valid UTF-8 whenever every input string was (checked with
 *    json-c's JSON_TOKENER_VALIDATE_UTF8 and our own check);
 *  - OpenMetrics (the same calls, a target with a quote and a backslash):
 *    every line a "# HELP", "# TYPE" or "# UNIT" of a family declared
 *    once, or a sample of the family last declared (name, labels with
 *    only \\ \" \n escapes, a number, NaN or +-Inf); eas_state first,
 *    with the state; at most 1 + 3 per perfdata item families; "# EOF"
 *    last and nowhere else; valid UTF-8 whenever the JSON must be;
 *  - the exit code is the state. */
#include "fuzz.h"

#include <json-c/json.h>
#include <math.h>

#include "out/output.h"

static void no_controls(const char *s, size_t len, const char *what);

#define OM_TARGET "h\"o\\st"

struct played {
	bool utf8;       /* every input string was valid UTF-8 */
	bool short_text; /* and short enough that no buffer cuts it */
	size_t text_total;
	size_t nperf, nsub;
};

static const char *const uoms[] = { "", "s", "ms", "B", "%", "d", "KB", "c" };

static double number(struct fz *f)
{
	int32_t v = (int32_t)((uint32_t)fz_u16(f) << 16 | fz_u16(f));

	return v / 1000.0;
}

static char *str(struct fz *f, struct played *p)
{
	char *s = fz_str(f);

	if (!fz_utf8_valid(s, strlen(s)))
		p->utf8 = false;
	/* Labels and names hold 63 bytes, the summary 1023 with ", "
	 * between parts: below these, nothing is cut. */
	p->text_total += strlen(s) + 30;
	if (strlen(s) >= 60 || p->text_total >= 1000)
		p->short_text = false;
	return s;
}

/* The same calls for both formats. */
static void play(struct eas_output *o, const uint8_t *data, size_t size, struct played *p)
{
	struct fz f = { data, size };
	uint8_t set = fz_byte(&f);
	int ops = 0;

	memset(p, 0, sizeof *p);
	p->utf8 = true;
	p->short_text = true;
	o->verbose = set & 1;
	while (f.n && ops++ < 64) {
		uint8_t op = fz_byte(&f);
		char *a, *b, *c;

		switch (op % 7) {
		case 0:
			a = str(&f, p);
			eas_out_summary(o, "%s", a);
			free(a);
			break;
		case 1:
			a = str(&f, p);
			eas_out_append(o, "%s", a);
			free(a);
			break;
		case 2:
			a = str(&f, p);
			eas_out_detail(o, "%s", a);
			free(a);
			break;
		case 3: {
			struct eas_thresholds th;
			const char *bad;
			double v, min, max;

			a = str(&f, p);
			b = fz_str(&f);
			c = fz_str(&f);
			v = number(&f);
			min = (op & 0x10) ? number(&f) : NAN;
			max = (op & 0x20) ? number(&f) : NAN;
			eas_out_perf(o, a, v, uoms[(op >> 6) | ((op & 8) >> 1)],
				     eas_thresholds_parse(b, c, &th, &bad) ? NULL : &th, min, max);
			p->nperf++;
			free(a);
			free(b);
			free(c);
			break;
		}
		case 4: {
			uint8_t st = fz_byte(&f);
			double order = (int8_t)fz_byte(&f);

			a = str(&f, p);
			b = str(&f, p);
			eas_out_sub(o, (st & 4) ? NULL : a, (enum eas_state)(st & 3), order, "%s",
				    b);
			p->nsub++;
			free(a);
			free(b);
			break;
		}
		case 5: eas_out_raise(o, (enum eas_state)(fz_byte(&f) & 3)); break;
		case 6:
			/* The perfdata formatter on its own, in any buffer. */
			for (size_t i = 0; i < o->nperf; i++) {
				char buf[300];
				size_t sz = 1 + fz_byte(&f) % sizeof buf;
				size_t n = eas_perf_format(&o->perf[i], buf, sz);

				FUZZ_ASSERT(n < sz && n == strlen(buf),
					    "perf length %zu "
					    "in %zu",
					    n, sz);
				FUZZ_ASSERT(!strpbrk(buf, "\n\r|"), "perf item '%s'", buf);
			}
			break;
		}
	}
	if (set & 2)
		eas_out_sub_summary(o, (size_t)(set >> 5));
	if (set & 4)
		eas_out_sub_notes(o);
	if (set & 8)
		eas_out_sub_details(o);
}

/* One sample: NAME{k="v",...} VALUE, the name that of family. */
static void om_sample(const char *l, size_t len, const char *family)
{
	const char *e = l + len, *p = l;
	size_t n = strspn(l, "abcdefghijklmnopqrstuvwxyz0123456789_");
	char num[64];
	char *end;

	FUZZ_ASSERT(n > 0 && n == strlen(family) && !strncmp(l, family, n) && l[n] == '{',
		    "sample of another family than '%s': %.*s", family, (int)len, l);
	p = l + n + 1;
	while (p < e && *p != '}') {
		p += strspn(p, "abcdefghijklmnopqrstuvwxyz_");
		FUZZ_ASSERT(p + 1 < e && p[0] == '=' && p[1] == '"', "label: %.*s", (int)len, l);
		for (p += 2; p < e && *p != '"'; p++)
			if (*p == '\\') {
				FUZZ_ASSERT(p + 1 < e && strchr("\\\"n", p[1]), "escape: %.*s",
					    (int)len, l);
				p++;
			}
		FUZZ_ASSERT(p < e, "label value not closed: %.*s", (int)len, l);
		p++;
		if (p < e && *p == ',')
			p++;
	}
	FUZZ_ASSERT(p + 2 < e && p[0] == '}' && p[1] == ' ', "no value: %.*s", (int)len, l);
	p += 2;
	FUZZ_ASSERT((size_t)(e - p) < sizeof num, "value too long: %.*s", (int)len, l);
	memcpy(num, p, (size_t)(e - p));
	num[e - p] = 0;
	if (strcmp(num, "NaN") && strcmp(num, "+Inf") && strcmp(num, "-Inf")) {
		strtod(num, &end);
		FUZZ_ASSERT(*num && !*end && !strpbrk(num, "ni"), "value '%s'", num);
	}
}

static void om_check(const char *s, size_t len, int code, size_t nperf)
{
	char families[256][160], first[128];
	size_t nfam = 0, nsamples = 0;
	const char *family = NULL;

	FUZZ_ASSERT(len >= 6 && !memcmp(s + len - 6, "# EOF\n", 6), "no # EOF at the end");
	snprintf(first, sizeof first,
		 "\neas_state{plugin=\"check_eas_fuzz\",target=\"h\\\"o\\\\st:8443\"} %d\n", code);
	FUZZ_ASSERT(strstr(s, first) && strstr(s, first) == strstr(s, "\neas_"),
		    "eas_state first, with the state %d", code);
	for (const char *l = s; l < s + len - 6;) {
		const char *e = memchr(l, '\n', (size_t)(s + len - l));
		size_t n = (size_t)(e - l);

		FUZZ_ASSERT(e != NULL, "line without a newline");
		if (n > 7 && !memcmp(l, "# TYPE ", 7)) {
			const char *name = l + 7;
			size_t nl = strcspn(name, " ");

			FUZZ_ASSERT(nl < sizeof families[0] && !memcmp(name + nl, " gauge\n", 7),
				    "TYPE line: %.*s", (int)n, l);
			for (size_t i = 0; i < nfam; i++)
				FUZZ_ASSERT(strlen(families[i]) != nl ||
						    memcmp(families[i], name, nl),
					    "family %.*s declared twice", (int)nl, name);
			FUZZ_ASSERT(nfam < 256, "too many families");
			memcpy(families[nfam], name, nl);
			families[nfam][nl] = 0;
			family = families[nfam++];
		} else if (n > 7 && (!memcmp(l, "# HELP ", 7) || !memcmp(l, "# UNIT ", 7))) {
			no_controls(l, n, "OpenMetrics metadata");
		} else {
			FUZZ_ASSERT(family != NULL && l[0] != '#', "line: %.*s", (int)n, l);
			no_controls(l, n, "OpenMetrics sample");
			om_sample(l, n, family);
			nsamples++;
		}
		l = e + 1;
	}
	FUZZ_ASSERT(nfam >= 1 && nfam <= 1 + 3 * nperf, "%zu families for %zu perfdata items", nfam,
		    nperf);
	FUZZ_ASSERT(nsamples >= nfam, "a family without a sample");
}

static void no_controls(const char *s, size_t len, const char *what)
{
	for (size_t i = 0; i < len; i++)
		FUZZ_ASSERT((unsigned char)s[i] >= 0x20, "%s: byte 0x%02x at %zu: %.*s", what,
			    (unsigned char)s[i], i, (int)len, s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eas_output o;
	struct played p;
	char *text = NULL, *js = NULL, *om = NULL, *line_end, *sum, *bar;
	size_t tlen = 0, jlen = 0, olen = 0, sumlen;
	bool cut = false;
	FILE *m;
	int code_t, code_j;
	enum json_tokener_error jerr;
	struct json_tokener *tok;
	struct json_object *root, *v;
	char head[64];

	/* Text. */
	eas_out_init(&o, "check_eas_fuzz", "FUZZ");
	play(&o, data, size, &p);
	m = open_memstream(&text, &tlen);
	if (!m)
		abort();
	code_t = eas_out_finish(&o, m);
	fclose(m);
	FUZZ_ASSERT(code_t >= 0 && code_t <= 3, "exit code %d", code_t);
	line_end = memchr(text, '\n', tlen);
	FUZZ_ASSERT(line_end != NULL, "no newline after the first line");
	no_controls(text, (size_t)(line_end - text), "text first line");
	snprintf(head, sizeof head, "EAS FUZZ %s - ", eas_state_name((enum eas_state)code_t));
	FUZZ_ASSERT(!strncmp(text, head, strlen(head)), "first line: %.80s", text);
	sum = text + strlen(head);
	bar = memchr(sum, '|', (size_t)(line_end - sum));
	if (bar) {
		FUZZ_ASSERT(bar > sum + 1 && bar[-1] == ' ' && bar[1] == ' ',
			    "'|' outside the perfdata separator");
		FUZZ_ASSERT(!memchr(bar + 1, '|', (size_t)(line_end - bar - 1)),
			    "a second '|' in the first line");
		sumlen = (size_t)(bar - 1 - sum);
	} else {
		sumlen = (size_t)(line_end - sum);
	}
	FUZZ_ASSERT((p.nperf > 0) == (bar != NULL), "perfdata %zu, separator %d", p.nperf,
		    bar != NULL);
	for (char *l = line_end + 1; l < text + tlen;) {
		char *e = memchr(l, '\n', (size_t)(text + tlen - l));

		FUZZ_ASSERT(e != NULL, "last line without a newline");
		no_controls(l, (size_t)(e - l), "detail line");
		l = e + 1;
	}

	/* JSON, the same calls. */
	eas_out_init(&o, "check_eas_fuzz", "FUZZ");
	eas_out_set_format(&o, EAS_FMT_JSON);
	play(&o, data, size, &p);
	m = open_memstream(&js, &jlen);
	if (!m)
		abort();
	code_j = eas_out_finish(&o, m);
	fclose(m);
	FUZZ_ASSERT(code_j == code_t, "exit codes %d (text) and %d (JSON)", code_t, code_j);

	tok = json_tokener_new();
	if (!tok)
		abort();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, js, (int)jlen);
	jerr = json_tokener_get_error(tok);
	FUZZ_ASSERT(root && jerr == json_tokener_success, "JSON does not parse (strict): %s",
		    json_tokener_error_desc(jerr));
	/* Only blanks after the document. */
	for (size_t i = tok->char_offset; i < jlen; i++)
		FUZZ_ASSERT(js[i] == '\n' || js[i] == ' ', "text after the JSON");
	json_tokener_free(tok);

	FUZZ_ASSERT(json_object_object_get_ex(root, "plugin", &v) &&
			    !strcmp(json_object_get_string(v), "check_eas_fuzz"),
		    "plugin");
	FUZZ_ASSERT(json_object_object_get_ex(root, "aspect", &v) &&
			    !strcmp(json_object_get_string(v), "FUZZ"),
		    "aspect");
	FUZZ_ASSERT(json_object_object_get_ex(root, "state", &v) &&
			    !strcmp(json_object_get_string(v),
				    eas_state_name((enum eas_state)code_t)),
		    "state");
	FUZZ_ASSERT(json_object_object_get_ex(root, "exit_code", &v) &&
			    json_object_get_int(v) == code_t,
		    "exit_code");
	FUZZ_ASSERT(json_object_object_get_ex(root, "summary", &v), "summary");
	if (sumlen != strlen("no result") || memcmp(sum, "no result", sumlen) ||
	    json_object_get_string_len(v)) {
		/* JSON keeps the summary whole; the text has ',' for ';' and,
		 * past 160 characters, a cut that starts as the summary does
		 * and ends in " (see -v)". */
		static const char more[] = " (see -v)";
		size_t jl = (size_t)json_object_get_string_len(v), ml = sizeof more - 1;
		char *conv = malloc(jl + 1);

		if (!conv)
			abort();
		memcpy(conv, json_object_get_string(v), jl + 1);
		for (char *c = conv; *c; c++)
			if (*c == ';')
				*c = ',';
		cut = sumlen >= ml && !memcmp(sum + sumlen - ml, more, ml) &&
		      (jl != sumlen || memcmp(conv, sum, sumlen));
		if (cut) {
			size_t k = sumlen - ml < 20 ? sumlen - ml : 20;

			FUZZ_ASSERT((size_t)(sum - text) + sumlen <= EAS_OUT_LINE_MAX,
				    "a cut first line is at most %d characters", EAS_OUT_LINE_MAX);
			FUZZ_ASSERT(k <= jl && !memcmp(conv, sum, k),
				    "the cut line starts as the summary: JSON '%s', text '%.*s'",
				    conv, (int)sumlen, sum);
		} else {
			FUZZ_ASSERT(jl == sumlen && !memcmp(conv, sum, sumlen),
				    "JSON summary '%s', text '%.*s'", conv, (int)sumlen, sum);
		}
		free(conv);
	}
	FUZZ_ASSERT(json_object_object_get_ex(root, "perfdata", &v) &&
			    json_object_array_length(v) == p.nperf,
		    "perfdata");
	FUZZ_ASSERT(json_object_object_get_ex(root, "details", &v) &&
			    json_object_is_type(v, json_type_array),
		    "details");
	if (o.verbose) {
		/* The text's long output, line by line: after a cut first
		 * line, the whole summary first. */
		char *l = line_end + 1;

		if (cut) {
			struct json_object *js_sum;
			char *e = memchr(l, '\n', (size_t)(text + tlen - l));

			FUZZ_ASSERT(json_object_object_get_ex(root, "summary", &js_sum) && e &&
					    (size_t)(e - l) ==
						    (size_t)json_object_get_string_len(js_sum),
				    "-v after a cut line: the whole summary first");
			l = e + 1;
		}

		for (size_t i = 0; i < json_object_array_length(v); i++) {
			struct json_object *d = json_object_array_get_idx(v, i);
			char *e = memchr(l, '\n', (size_t)(text + tlen - l));
			size_t dl = (size_t)json_object_get_string_len(d);

			FUZZ_ASSERT(e && (size_t)(e - l) == dl &&
					    !memcmp(l, json_object_get_string(d), dl),
				    "detail %zu differs", i);
			l = e + 1;
		}
		FUZZ_ASSERT(l == text + tlen, "text has more details than JSON");
	}
	if (p.nsub)
		FUZZ_ASSERT(json_object_object_get_ex(root, "subchecks", &v) &&
				    json_object_array_length(v) == p.nsub,
			    "subchecks");
	else
		FUZZ_ASSERT(!json_object_object_get_ex(root, "subchecks", NULL),
			    "subchecks without sub-checks");
	json_object_put(root);

	/* known finding output-1: a summary, sub-check or label cut at its
	 * buffer's size may end inside a UTF-8 sequence; skipping it keeps
	 * the check for texts too short to be cut. */
	if (p.utf8 && (p.short_text || !fz_skip_known())) {
		FUZZ_ASSERT(fz_utf8_valid(js, jlen), "JSON is not valid UTF-8 from "
						     "valid UTF-8 input");
		tok = json_tokener_new();
		if (!tok)
			abort();
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
		root = json_tokener_parse_ex(tok, js, (int)jlen);
		FUZZ_ASSERT(root != NULL, "json-c: %s",
			    json_tokener_error_desc(json_tokener_get_error(tok)));
		json_object_put(root);
		json_tokener_free(tok);
	}

	/* OpenMetrics, the same calls. */
	eas_out_init(&o, "check_eas_fuzz", "FUZZ");
	eas_out_set_format(&o, EAS_FMT_OPENMETRICS);
	eas_out_set_target(&o, OM_TARGET, 8443, NULL);
	play(&o, data, size, &p);
	m = open_memstream(&om, &olen);
	if (!m)
		abort();
	FUZZ_ASSERT(eas_out_finish(&o, m) == code_t, "OpenMetrics exit code");
	fclose(m);
	om_check(om, olen, code_t, p.nperf);
	if (p.utf8 && (p.short_text || !fz_skip_known()))
		FUZZ_ASSERT(fz_utf8_valid(om, olen), "OpenMetrics is not valid UTF-8 from "
						     "valid UTF-8 input");
	free(text);
	free(js);
	free(om);
	return 0;
}
